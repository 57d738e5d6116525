# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test soak lint typecheck unit docs docs-gen docs-images screenshots mutation bench bench-cohort clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

demo: $(STAMP)
	@for f in examples/patients/*.json; do \
		echo "== $$f"; $(BIN)/rrall walk "$$f" || exit 1; echo; \
	done
	@echo "== examples/fhir/ph-positive-imatinib-failed.json (a FHIR R4 mCODE patient bundle)"
	@$(BIN)/rrall walk examples/fhir/ph-positive-imatinib-failed.json --as-of 2026-06-01
	@echo
	@mkdir -p out
	@$(BIN)/rrall render -o out/flowchart.svg
	@$(BIN)/rrall render --patient examples/patients/ph-positive-two-tkis-failed.json -o out/patient-route.svg
	@$(BIN)/rrall report examples/patients/ph-positive-two-tkis-failed.json -o out/report.html
	@echo "The whole flowchart:                          out/flowchart.svg"
	@echo "ph-positive-two-tkis-failed.json's route on it: out/patient-route.svg"
	@echo "Its report page (opens with no network):      out/report.html"
	@echo "The explorer: .venv/bin/rrall serve, then open http://127.0.0.1:8080/"
	@echo; echo "== CDS Hooks: rrall serve, one patient-view request (examples/cds/patient-view.json)"
	@$(BIN)/python tools/cds_demo.py

lint: $(STAMP)
	$(BIN)/ruff check src tests examples benchmarks tools
	$(BIN)/ruff format --check src tests examples benchmarks tools

typecheck: $(STAMP)
	$(BIN)/mypy --strict src

unit: $(STAMP)
	$(BIN)/pytest

# The property and fuzz tests with 5,000 examples each (the `soak` Hypothesis profile): about 30 min on 2 cores.
soak: $(STAMP)
	HYPOTHESIS_PROFILE=soak $(BIN)/pytest tests/test_fuzz.py tests/test_cli_fuzz.py tests/test_properties.py tests/test_testing_strategies.py tests/test_walk_exact.py

# The documentation site (MkDocs + mkdocstrings); --strict: any warning fails the build.
docs: $(STAMP)
	$(BIN)/python tools/gen_docs.py --check
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

# Regenerate the pages that are views of the encoded guideline (guideline, register).
docs-gen: $(STAMP)
	$(BIN)/python tools/gen_docs.py

# Redraw the committed flowchart renders (docs/flowchart.*, docs/patient-route.*).
docs-images: $(STAMP)
	$(BIN)/python tools/render_docs.py

# Retake the pages' screenshots in docs/screenshots (the browser tests, in headless Chromium).
screenshots: $(STAMP)
	RRALL_SCREENSHOTS=docs/screenshots RRALL_REQUIRE_BROWSER=1 $(BIN)/pytest tests/test_pages_browser.py -q

# Mutation testing of the encoded guideline (mutmut 2, in a scratch copy); prints `killed K of N`.
mutation: $(STAMP)
	$(BIN)/python tools/mutation.py

# Walk speed side by side (floor, compiled screen, walk, rule-engine), import time, and the CDS Hooks
# service under load over loopback (5,000 patient-view requests, 32 at a time); see docs/performance.md.
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	$(BIN)/python benchmarks/bench_walk.py
	$(BIN)/python benchmarks/bench_import.py
	$(BIN)/python benchmarks/bench_cds.py
	$(BIN)/python benchmarks/bench_pages.py
	$(BIN)/python benchmarks/bench_fhir.py
	$(BIN)/python benchmarks/bench_records.py

# `rrall walk` on JSON Lines cohorts of 100k and 1M patients written to /tmp (takes minutes).
bench-cohort: $(STAMP)
	$(BIN)/python benchmarks/bench_cohort.py

# Every stage runs, even after one fails: the last line names the stages that failed (exit 1 if any).
TEST_STAGES := lint typecheck unit docs
test: $(STAMP)
	@failed=""; for stage in $(TEST_STAGES); do \
		echo "== make $$stage"; $(MAKE) --no-print-directory $$stage || failed="$$failed $$stage"; \
	done; \
	if [ -n "$$failed" ]; then echo "make test: FAILED:$$failed (of $(TEST_STAGES))"; exit 1; fi; \
	echo "make test: every stage passed ($(TEST_STAGES))"

clean:
	rm -rf $(VENV) build dist site .pytest_cache .mypy_cache .ruff_cache
