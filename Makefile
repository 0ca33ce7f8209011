# Pressbox: `make run` serves the demo site, `make test` runs the whole suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
N      ?= 1000

.PHONY: run test test-fast bench lint typecheck clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/pressbox migrate --noinput
	$(BIN)/pressbox demo --if-empty
	$(BIN)/pressbox serve --host $(HOST) --port $(PORT)

test: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy pressbox
	$(BIN)/pytest $(PYTEST_ARGS)

test-fast: $(VENV)/.installed-dev
	$(BIN)/pytest -m "not browser" -x -q $(PYTEST_ARGS)

# Page speed against nginx on a generated site of N posts (bench/serve.py); wrk and nginx
# are Debian's. BENCH_ARGS passes more options, e.g. BENCH_ARGS="--duration 20".
bench: $(VENV)/.installed
	$(BIN)/python bench/serve.py --posts $(N) $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
