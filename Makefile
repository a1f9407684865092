# Izde: `make serve` is the main job, `make test` the test suite. Every target sets itself up.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
IZDE := $(VENV)/bin/izde
INDEX ?= var/index

.PHONY: install test demo bench bench-stemmer bench-analyzer clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --upgrade pip
	$(VENV)/bin/pip install -e '.[test]'
	touch $@

install: $(VENV)/.installed

test: install
	$(PY) -m pytest

$(INDEX)/izde.json: | install
	$(IZDE) index build --index $(INDEX)

demo: $(INDEX)/izde.json
	$(IZDE) search жергиликтүү --index $(INDEX) --limit 3

bench-stemmer: install
	$(PY) bench/stemmer.py

bench-analyzer: install
	$(PY) bench/analyzer.py

bench: bench-stemmer bench-analyzer

clean:
	rm -rf $(VENV) var build *.egg-info
