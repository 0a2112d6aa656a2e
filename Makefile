# The two commands of the quick start: `make release` and `make test`.
# Both bootstrap .venv from the pinned lock when it is missing or stale.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.deepgrade-installed
HW ?=
# pytest workers (pytest-xdist): the suite is mostly one process waiting on another, so two
# workers keep two cores busy; `make test PYTEST_JOBS=0` runs it in this process.
PYTEST_JOBS ?= 2

.PHONY: release test test-install lint venv system-deps validate clean-venv dist

release: $(STAMP)
	$(VENV)/bin/deepgrade build $(HW)

test: $(STAMP) lint
	@./scripts/system-deps.sh test
	$(PY) -m pytest -n $(PYTEST_JOBS) --dist worksteal $(PYTEST_ARGS)

# The tests that install into a fresh venv from PyPI (the student's requirements.txt with every
# homework run top to bottom, deepgrade's wheel running a course of its own): about 20 minutes,
# so not in `make test`; run before a release.
test-install: $(STAMP)
	@./scripts/system-deps.sh test
	DEEPGRADE_INSTALL_TESTS=1 $(PY) -m pytest -n 0 -m install $(PYTEST_ARGS)

# ruff (style, bug patterns, imports) and mypy (types) over src/; settings in pyproject.toml.
lint: $(STAMP)
	$(VENV)/bin/ruff check src
	$(VENV)/bin/mypy

validate: $(STAMP)
	$(VENV)/bin/deepgrade validate $(HW)

venv: $(STAMP)

# torch first, from the exact CPU wheel; everything else from the locks (what a course installs,
# then what only this repository's tests and lint add), with torch held by constraints.txt so
# that no package can pull a CUDA build.
$(STAMP): pyproject.toml requirements.lock requirements-test.lock constraints.txt
	@$(MAKE) --no-print-directory system-deps
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -r requirements.lock -r requirements-test.lock -c constraints.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# Debian packages the homeworks need (hw4's Fashion-MNIST). Installed with apt when root,
# otherwise a one-line message says what to install.
system-deps:
	@./scripts/system-deps.sh

# The wheel and sdist a course installs (`pip install dist/deepgrade-*.whl`, docs/install.md).
# setuptools' own PEP 517 hooks, run in .venv: no build isolation, so no download.
dist: $(STAMP)
	rm -rf dist build src/deepgrade.egg-info
	$(PY) -c "from setuptools import build_meta as b; b.build_sdist('dist'); b.build_wheel('dist')"

clean-venv:
	rm -rf $(VENV)
