# Each target works on a fresh clone: it creates .venv, installs the CPU torch pin first
# (constraints.txt), then the package with its dev extra.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.stancekit-installed

.PHONY: demo test test-all bench install clean

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -c constraints.txt torch==2.13.0
	$(PY) -m pip install -q -c constraints.txt -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(PY) -m stancekit.demo

test: $(STAMP)
	$(PY) -m pytest -q -m "slow or not slow"

test-fast: $(STAMP)
	$(PY) -m pytest -q

bench: $(STAMP)
	$(PY) benchmarks/bench_quotes.py
	$(PY) benchmarks/bench_stance.py
	$(PY) benchmarks/bench_sentiment.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache

docs: $(STAMP)
	$(PY) -m mkdocs build --strict
	@echo "site written to build/site (open build/site/index.html)"
.PHONY: docs
