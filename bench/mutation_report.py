"""Print the mutation score of `make mutation` per module, and every mutant not killed.

Reads mutmut's result files (mutants/**/*.py.meta); a timeout counts as killed (the mutant made a
test hang), "no tests" and "suspicious" count as survivors: nothing caught them.

`--retry` (run by `make mutation` before mutmut) clears the "no tests" verdicts, so that a test written
since reaches them (one that still has no test costs nothing); `--retry survivors` (`make mutation
RETRY=1`) clears every verdict but killed: each survivor reruns every test of its function again, minutes
for some, which is why it is asked for. A killed mutant of an unchanged function keeps its verdict; mutmut
itself re-creates, and so re-tests, the mutants of every function whose code changed.
"""
import json
import sys
from collections import Counter
from pathlib import Path

KILLED = {1: "killed", 3: "killed", 36: "timeout", -24: "timeout", 24: "timeout", 152: "timeout", 255: "timeout",
          37: "type check"}
STATUS = {0: "survived", 33: "no tests", 5: "no tests", None: "not checked", 34: "skipped", 35: "suspicious"}


def retry(survivors: bool, root: Path = Path("mutants")) -> int:
    """Clear the "no tests" verdicts (and with `survivors` every verdict but killed): the number cleared."""
    cleared = 0
    for meta in sorted(root.glob("backoffice/**/*.py.meta")):
        data = json.loads(meta.read_text())
        codes = data["exit_code_by_key"]
        stale = [name for name, code in codes.items()
                 if code is not None and code not in KILLED and (survivors or STATUS.get(code) == "no tests")]
        for name in stale:
            codes[name] = None
        if stale:
            meta.write_text(json.dumps(data, indent=4))
            cleared += len(stale)
    return cleared


def main(root: Path = Path("mutants")) -> int:
    metas = sorted(root.glob("backoffice/**/*.py.meta"))
    if not metas:
        print("no mutmut results under mutants/: run `make mutation` first")
        return 1
    total = Counter()
    survivors = []
    print(f"{'module':45} {'mutants':>7} {'killed':>7} {'score':>7}")
    for meta in metas:
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        if not codes:
            continue
        killed = sum(1 for code in codes.values() if code in KILLED)
        module = str(meta.relative_to(root))[: -len(".meta")]
        print(f"{module:45} {len(codes):7} {killed:7} {killed / len(codes):7.1%}")
        total["mutants"] += len(codes)
        total["killed"] += killed
        survivors += [(name, STATUS.get(code, f"exit {code}")) for name, code in codes.items() if code not in KILLED]
    print(f"{'total':45} {total['mutants']:7} {total['killed']:7} {total['killed'] / total['mutants']:7.1%}")
    print(f"\n{len(survivors)} not killed (mutmut show <name> prints the change):")
    for name, status in sorted(survivors):
        print(f"  {status:12} {name}")
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--retry"]:
        print(f"{retry(sys.argv[2:] == ['survivors'])} mutants not killed last time will be tried again")
        sys.exit(0)
    sys.exit(main())
