# The two commands a newcomer needs: `make chat` and `make test`. Both create .venv first.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml lambda/requirements.txt | cksum | cut -d' ' -f1)
export SAM_CLI_TELEMETRY := 0

.PHONY: chat test check bench load models lint serve clean

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

check: $(STAMP)  ## quick and offline: ruff, mypy and every test not marked slow (no SAM build)
	$(BIN)/ruff check lambda tests benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest -m "not slow"

bench: $(STAMP)  ## the benchmark table (not part of `make test`)
	$(BIN)/python benchmarks/run.py

load: $(STAMP)  ## Locust against `serve` on SQLite and moto's DynamoDB (not part of `make test`)
	$(BIN)/python -m pip install --quiet -e '.[load]'
	$(BIN)/python benchmarks/load.py $(ARGS)

models: $(STAMP)  ## regenerate interaction_model/<locale>.json after changing content
	$(BIN)/thigh-coach model

.PHONY: review
review: $(STAMP)  ## the clinician's review pack: build/review/review.md and review.html (offline)
	$(BIN)/thigh-coach review --out build/review $(ARGS)

.PHONY: nlu
nlu: $(STAMP)  ## recall on every held-out round, under each stage (grammar; grammar then statistical)
	$(BIN)/python -m thigh_coach.local.nlu_report $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check lambda tests benchmarks
	$(BIN)/mypy

serve: $(STAMP)  ## an HTTP endpoint for Alexa on port 8080 (put TLS in front)
	$(BIN)/thigh-coach serve --port 8080 $(ARGS)

# Publishing (docs/deploying.md). The publisher's values are in publish.yaml.
.PHONY: deploy package certify icons

deploy: $(STAMP)  ## sam build, sam deploy (guided the first time), then package; skill first if new
	$(BIN)/thigh-coach deploy $(ARGS)

package: $(STAMP)  ## build/skill/skill-package with the stack's endpoint; uploaded if `ask` is installed
	$(BIN)/thigh-coach package $(ARGS)

certify: $(STAMP)  ## the pre-submission self-check: PASS or FAIL per rule
	$(BIN)/thigh-coach certify $(ARGS)

icons: $(STAMP)  ## redraw assets/icon-108.png and assets/icon-512.png
	$(BIN)/thigh-coach icons

clean:
	rm -rf $(VENV) .aws-sam .pytest_cache
