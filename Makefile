# Two commands do all set-up on a fresh machine:  `make run` (the app) and `make test` (the whole suite).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False
# glibc hands memory the embedded store frees on reopening back to the system only with few arenas and fixed thresholds.
export MALLOC_ARENA_MAX := 2
export MALLOC_TRIM_THRESHOLD_ := 131072
export MALLOC_MMAP_THRESHOLD_ := 131072

.PHONY: install run test lint unit bench train-scorer clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/streamlit run app.py --server.headless true --browser.gatherUsageStats false

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: $(STAMP)
	bash scripts/test.sh

unit: $(STAMP)
	$(BIN)/pytest -q -m "not slow and not browser and not llm_server and not chroma_server and not postgres"

bench: $(STAMP)
	$(BIN)/python -m bench.ingest_throughput
	$(BIN)/python -m bench.app_rerun
	$(BIN)/python -m bench.score_latency

train-scorer: $(STAMP)
	$(BIN)/python -m vetting.scoring.train

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
