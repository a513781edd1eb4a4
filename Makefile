# 《深度学习基础》: two commands do everything from a fresh clone.
#   make book  – create .venv, install, build the website into _build/html
#   make test  – unit tests, strict nbval on every notebook, strict book build, offline browser check

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# torch is installed first and on its own: 2.13.0 is the CPU wheel on the course machines.
# Elsewhere, add a CPU index, e.g. make TORCH_INDEX=<PyTorch CPU wheel index URL> book
TORCH_SPEC  ?= torch==2.13.0
TORCH_INDEX ?=
PIP_FLAGS   ?= --disable-pip-version-check
BUILD_FLAGS := -W -n --keep-going

.PHONY: book test unit notebooks build site-check refresh lock clean help

help:
	@echo "make book     create .venv, install everything, build the site into _build/html"
	@echo "make test     run unit tests, nbval on every notebook, the strict build and the browser check"
	@echo "make refresh  re-execute every notebook in place (after changing code or text)"
	@echo "make lock     rewrite constraints.txt from the current .venv"
	@echo "make clean    remove _build"

$(STAMP): requirements.txt constraints.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install $(PIP_FLAGS) --upgrade pip
	$(BIN)/python -m pip install $(PIP_FLAGS) $(if $(TORCH_INDEX),--index-url $(TORCH_INDEX)) "$(TORCH_SPEC)"
	$(BIN)/python -m pip install $(PIP_FLAGS) -c constraints.txt -r requirements.txt -e .
	@touch $(STAMP)

book: $(STAMP)
	$(BIN)/jupyter-book build . $(BUILD_FLAGS)
	@echo
	@echo "网站已生成 / site built:  file://$(CURDIR)/_build/html/index.html"

# The test build re-reads every page (--all), so a stale _build cannot hide a warning.
test: $(STAMP)
	$(MAKE) unit notebooks
	$(MAKE) build BUILD_FLAGS="$(BUILD_FLAGS) --all"
	$(MAKE) site-check

unit: $(STAMP)
	$(BIN)/python -m pytest tests --ignore=tests/site

notebooks: $(STAMP)
	$(BIN)/python -m pytest --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg \
		-p no:randomly notebooks

build: $(STAMP)
	$(BIN)/jupyter-book build . $(BUILD_FLAGS)

site-check: $(STAMP)
	$(BIN)/python -m pytest tests/site

refresh: $(STAMP)
	$(BIN)/python tools/refresh_notebooks.py

lock: $(STAMP)
	$(BIN)/python -m pip freeze --exclude-editable --exclude dlnotes --exclude torch --exclude jupytext > constraints.txt
	@echo "wrote constraints.txt"

clean:
	rm -rf _build
