"""bench/mutation_report.py's `--retry`, which `make mutation` runs before mutmut: what an incremental run
tries again (the "no tests" verdicts; with `survivors` every verdict but killed) and what it keeps."""
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import mutation_report  # noqa: E402  (bench/ is no package)

VERDICTS = {"m_killed": 1, "m_timeout": 36, "m_survived": 0, "m_no_tests": 33, "m_suspicious": 35, "m_new": None}


def _meta(root: Path) -> Path:
    meta = root / "backoffice" / "workflows" / "plans.py.meta"
    meta.parent.mkdir(parents=True)
    meta.write_text(json.dumps({"exit_code_by_key": VERDICTS, "hash_by_function_name": {"f": "1"}}))
    return meta


def test_a_plain_retry_clears_only_the_verdicts_no_test_reached(tmp_path):
    meta = _meta(tmp_path)
    assert mutation_report.retry(False, tmp_path) == 1
    data = json.loads(meta.read_text())
    assert data["exit_code_by_key"] == {**VERDICTS, "m_no_tests": None}
    assert data["hash_by_function_name"] == {"f": "1"}


def test_retrying_survivors_clears_every_verdict_but_killed(tmp_path):
    meta = _meta(tmp_path)
    assert mutation_report.retry(True, tmp_path) == 3
    assert json.loads(meta.read_text())["exit_code_by_key"] == {
        "m_killed": 1, "m_timeout": 36, "m_survived": None, "m_no_tests": None, "m_suspicious": None, "m_new": None,
    }
