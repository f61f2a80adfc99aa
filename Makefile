# The product's two front doors: `make run` and `make test` (see README).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
export FLASK_APP := app
PIP_INSTALL := $(BIN)/pip install --quiet

.PHONY: deps font install db run reset-demo test test-pg bench mutation clean

# What running needs (re-installed only when the dependency list changes).
$(VENV)/.runtime: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(PIP_INSTALL) -e .
	@touch $@

# What developing needs besides: the test tools.
$(VENV)/.installed: $(VENV)/.runtime
	$(PIP_INSTALL) -e '.[dev]'
	@touch $@

# A CJK TrueType font for the certificates' PDFs (backoffice/pdf.py): Debian's fonts-wqy-zenhei where
# apt can install it, else the PyPI package that ships WenQuanYi Micro Hei; stops if neither works.
font: $(VENV)/.runtime
	@$(BIN)/python -m backoffice.pdf >/dev/null 2>&1 || { \
		echo "== installing a Chinese font for certificates"; \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && apt-get update -qq >/dev/null 2>&1 \
			&& DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-zenhei >/dev/null 2>&1; then :; \
		else $(PIP_INSTALL) paperang-p2-fonts-cjk; fi; \
		$(BIN)/python -m backoffice.pdf; }

deps: $(VENV)/.runtime font

install: $(VENV)/.installed font

db: deps
	@mkdir -p instance
	$(BIN)/flask db upgrade

# gunicorn (a runtime dependency anyway) rather than Flask's development server: one process, a few
# threads, the same server production uses and no "do not use in production" banner on a demo.
run: db
	$(BIN)/flask seed-demo --if-empty
	@echo "== 专业技术人员继续教育管理系统: http://127.0.0.1:$(PORT)  (演示账号见 README，密码 Demo2026x)"
	$(BIN)/gunicorn --bind 127.0.0.1:$(PORT) --threads 4 --access-logfile - 'app:create_app()'

# Back to the demo as shipped: drop the embedded SQLite database and its uploads, migrate, seed.
reset-demo: deps
	@if [ -n "$$DATABASE_URL" ]; then \
		echo "!! reset-demo resets only the embedded SQLite demo database; unset DATABASE_URL"; exit 1; fi
	rm -rf instance/backoffice.sqlite3 instance/uploads
	@mkdir -p instance
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo

# One pytest worker per core (pytest-xdist), a test file staying on one worker (module fixtures, the
# race modules' own databases); each worker has its own database. TEST_WORKERS=0 runs in one process.
# Files are handed out in collection order (--no-loadscope-reorder: xdist would send the files with most
# tests first, so the minute-long one-test sweeps ran alone at the end); conftest puts those first.
TEST_WORKERS ?= auto
# Browser tests drive Debian's chromium; without it they are deselected, loudly.
# pytest exits 5 when it collected nothing: a broken suite, reported as such. The 15 slowest tests are
# listed at the end, so CI's log shows what to speed up when it nears its 20 minutes.
test: install
	@if command -v chromium >/dev/null 2>&1; then marker=""; else \
		echo "!! chromium not found (apt-get install chromium): browser tests deselected"; \
		marker="not browser"; fi; \
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder --durations=15 -m "$$marker" $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "!! pytest collected no tests"; fi; \
	exit $$rc

test-pg:
	TEST_DATABASE_URL=$${TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} $(MAKE) test

# Mutation testing (docs/testing.md): not part of `make test` or CI. SQLite, one migrated and seeded
# database copied into every mutant's test session. Incremental: mutants/ stays between runs, mutmut
# re-creates the mutants of every function whose code changed, and those no test reached are tried again;
# other verdicts stand. RETRY=1 tries every survivor again (after new tests); FRESH=1 starts from nothing
# (every module whole: hours). `time` prints wall and CPU time (user + sys is what a machine of its own
# would need, whatever else shares it).
MUTANTS_DB := $(CURDIR)/mutants-template
MUTATION_JOBS ?= 2
mutation: install
	$(BIN)/pip install --quiet -e '.[dev,mutation]'
	rm -rf $(MUTANTS_DB) $(if $(FRESH),mutants)
	$(BIN)/python bench/mutation_report.py --retry $(if $(RETRY),survivors)
	TEST_DB_TEMPLATE=$(MUTANTS_DB) bash -c 'time $(BIN)/mutmut run --max-children $(MUTATION_JOBS) $(MUTMUT_ARGS)'; rc=$$?; \
	$(BIN)/python bench/mutation_report.py; exit $$rc

clean:
	rm -rf $(VENV) instance .pytest_cache mutants $(MUTANTS_DB)

# Every bench on SQLite (bench/data/province-N.sqlite3), then on PostgreSQL (BENCH_PG, created if
# missing), each database holding one generated province of BENCH_PEOPLE (default 1,000,000) that the
# first run makes (20-30 min) and later runs reuse (docs/benchmarks.md). BENCH_PEOPLE=20000 for a quick run.
BENCH_PG ?= postgresql+psycopg://postgres@127.0.0.1:5432/bench
BENCHES := list_pages person_import todos statistics_report operations
bench: deps
	for b in $(BENCHES); do $(BIN)/python bench/$$b.py || exit 1; done
	for b in $(BENCHES); do DATABASE_URL=$(BENCH_PG) $(BIN)/python bench/$$b.py || exit 1; done
