# One command each on a fresh clone: `make run` and `make test` create .venv as needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint format schema clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The web app's front-end packages (Det Fælles Designsystem, GraphiQL), pinned by the lock file.
ASSETS := catalogue/web/assets
ASSETS_STAMP := $(ASSETS)/node_modules/.installed

$(ASSETS_STAMP): $(ASSETS)/package.json $(ASSETS)/package-lock.json
	cd $(ASSETS) && npm ci --no-audit --no-fund --ignore-scripts
	touch $(ASSETS_STAMP)

install: $(STAMP) $(ASSETS_STAMP)

# With an LMS configured but no Redis, the sync schedule runs beside the server in-process.
run: install
	$(BIN)/catalogue migrate
	$(BIN)/catalogue seed
	@if [ "$${CATALOGUE_LMS_KIND:-none}" != "none" ] && [ -z "$${CATALOGUE_REDIS_URL:-}" ]; then \
	  $(BIN)/catalogue sync --watch & trap 'kill $$! 2>/dev/null' EXIT INT TERM; \
	fi; \
	$(BIN)/catalogue serve --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check catalogue workers tests bench
	$(BIN)/ruff format --check catalogue workers tests bench
	$(BIN)/mypy catalogue workers

test: lint
	$(BIN)/pytest

format: install
	$(BIN)/ruff check --fix catalogue workers tests bench
	$(BIN)/ruff format catalogue workers tests bench

schema: install
	$(BIN)/catalogue schema > graphql/schema.graphql

clean:
	rm -rf $(VENV) $(ASSETS)/node_modules var .mypy_cache .ruff_cache .pytest_cache *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

# Benchmarks (bench/README.md): PostgreSQL on 127.0.0.1:5432 (started as .ci/run does if it is
# down; skipped with a message when unreachable outside CI). Results: bench/results/latest.json.
.PHONY: bench bench-quick
BENCH_STAMP := $(VENV)/.bench-installed

$(BENCH_STAMP): $(STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $(BENCH_STAMP)

bench-quick: $(BENCH_STAMP)
	$(BIN)/python -m bench run --scale S --quick

bench: $(BENCH_STAMP)
	$(BIN)/python -m bench run --scale L
