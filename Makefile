# Izde: `make serve` is the main job, `make test` the test suite. Every target sets itself up.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
IZDE := $(VENV)/bin/izde
INDEX ?= var/index

HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install test demo serve bench bench-stemmer bench-recall bench-reader bench-analyzer bench-search bench-scale stress clean

# Reinstalled when the stemmer changes, so that its compiled twin is rebuilt from it (setup.py).
$(VENV)/.installed: pyproject.toml setup.py index/kyrgyz.py
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --upgrade pip
	$(VENV)/bin/pip install -e '.[test]'
	touch $@

install: $(VENV)/.installed

test: install
	$(PY) -m pytest

# Rebuilt when index/schema.py (and with it SCHEMA_VERSION, bumped when the analysis changes) is newer.
$(INDEX)/izde.json: index/schema.py | install
	$(IZDE) index build --index $(INDEX)

serve: $(INDEX)/izde.json
	$(IZDE) serve --host $(HOST) --port $(PORT) --index $(INDEX)

demo: $(INDEX)/izde.json
	$(IZDE) search жергиликтүү --index $(INDEX) --limit 3

bench-stemmer: install
	$(PY) bench/stemmer.py

bench-recall: install
	$(PY) bench/paradigms.py --check
	$(PY) bench/cohesion.py
	$(PY) bench/known_item.py --per-article 5
	$(PY) bench/known_item.py --per-article 10 --lemmas gold

bench-reader: install
	$(PY) bench/reader.py

bench-analyzer: install
	$(PY) bench/analyzer.py
	$(PY) bench/scale_archive.py --articles 2000 --out var/bench/scale-2000.jsonl
	$(PY) bench/new_words.py var/bench/scale-2000.jsonl --warm 600 --articles 200

bench-search: install
	$(PY) bench/search.py --articles 1000 --rounds 5

# The archive at scale: 1,000 generated articles here; `python bench/scale.py --articles 10000` for the real size.
bench-scale: install
	$(PY) bench/scale.py --articles 1000 --http 30 --whoosh-writer

bench: bench-stemmer bench-recall bench-reader bench-analyzer bench-search bench-scale

# Killed builds and updates, 10,000 hostile requests, loopback only; RELIABILITY.md. For the load figure add
# STRESS_ARGS="--load-index var/ix10k --load-archive var/u10k" (a 10,000-article index and its archive folder).
stress: install
	$(PY) bench/stress.py --trials 20 --fuzz 10000 $(STRESS_ARGS)

clean:
	rm -rf $(VENV) var build *.egg-info index/_kyrgyz_compiled*
