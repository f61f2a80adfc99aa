# The product's two front doors: `make run` and `make test` (see README).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
export FLASK_APP := app

.PHONY: install db run test test-pg bench mutation clean

# Re-install only when the dependency list changes.
$(VENV)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

install: $(VENV)/.installed

db: install
	@mkdir -p instance
	$(BIN)/flask db upgrade

run: db
	$(BIN)/flask seed-demo --if-empty
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

# Browser tests drive Debian's chromium; without it they are deselected, loudly.
# pytest exits 5 when it collected nothing: a broken suite, reported as such.
test: install
	@if command -v chromium >/dev/null 2>&1; then marker=""; else \
		echo "!! chromium not found (apt-get install chromium): browser tests deselected"; \
		marker="not browser"; fi; \
	$(BIN)/pytest -m "$$marker" $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "!! pytest collected no tests"; fi; \
	exit $$rc

test-pg:
	TEST_DATABASE_URL=$${TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} $(MAKE) test

# Mutation testing (docs/testing.md): not part of `make test` or CI. SQLite, one migrated and seeded
# database copied into every mutant's test session. `time` prints wall and CPU time (user + sys is
# what a machine of its own would need, whatever else shares it).
MUTANTS_DB := $(CURDIR)/mutants-template
mutation: install
	$(BIN)/pip install --quiet -e '.[dev,mutation]'
	rm -rf mutants $(MUTANTS_DB)
	TEST_DB_TEMPLATE=$(MUTANTS_DB) bash -c 'time $(BIN)/mutmut run $(MUTMUT_ARGS)'; rc=$$?; \
	$(BIN)/python bench/mutation_report.py; exit $$rc

clean:
	rm -rf $(VENV) instance .pytest_cache mutants $(MUTANTS_DB)

bench: install
	$(BIN)/python bench/list_pages.py
	$(BIN)/python bench/person_import.py
