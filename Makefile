# The two commands a newcomer needs: `make chat` and `make test`. Both create .venv first.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml lambda/requirements.txt | cksum | cut -d' ' -f1)
export SAM_CLI_TELEMETRY := 0

.PHONY: chat test bench models lint serve clean

$(STAMP):
	@command -v $(PYTHON) >/dev/null || { echo "needs $(PYTHON) on PATH (or make PYTHON=...)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	rm -f $(VENV)/.installed-* && touch $@

chat: $(STAMP)  ## talk to the skill in this terminal (embedded store in ~/.thigh_coach)
	$(BIN)/thigh-coach chat $(ARGS)

test: $(STAMP)  ## every test, the SAM build included
	$(BIN)/python -m pytest

bench: $(STAMP)  ## the benchmark table (not part of `make test`)
	$(BIN)/python benchmarks/run.py

models: $(STAMP)  ## regenerate interaction_model/<locale>.json after changing content
	$(BIN)/thigh-coach model

lint: $(STAMP)
	$(BIN)/ruff check lambda tests benchmarks

serve: $(STAMP)  ## an HTTP endpoint for Alexa on port 8080 (put TLS in front)
	$(BIN)/thigh-coach serve --port 8080 $(ARGS)

clean:
	rm -rf $(VENV) .aws-sam .pytest_cache
