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
# One-line hints (Chinese / English), instead of a traceback, when a system prerequisite is missing.
HINT_PYTHON := 需要 Python ≥ 3.11：请先安装，或用 make book PYTHON=python3.11 指定（见 README“准备”）/ Python >= 3.11 is needed: install it, or pick one with make book PYTHON=python3.11
HINT_VENV   := Python 缺少 venv 模块（ensurepip）：Debian/Ubuntu 请先运行 sudo apt-get install python3-venv（见 README“准备”）/ ensurepip is not available: on Debian/Ubuntu run sudo apt-get install python3-venv first

.PHONY: book test lint unit notebooks numerics fuzz build pdf site-check refresh stamp lock clean help lab student student-check

help:
	@echo "make book     create .venv, install everything, build the site into _build/html"
	@echo "make test     run unit tests, nbval on every notebook, the strict build and the browser check"
	@echo "make lint     ruff: lint rules and formatting (make test runs it; ruff format . fixes the format)"
	@echo "make pdf      print the whole book to _build/pdf/deep-learning-basics.pdf (headless Chromium)"
	@echo "make lab      start JupyterLab on the course environment, in notebooks/"
	@echo "make refresh  re-execute every notebook in place (after changing code or text)"
	@echo "make stamp    pin the Colab cells to the last commit that changed dlnotes (no re-execution)"
	@echo "make student  write the student edition (no solutions, stubs to fill in) and its zip into _build/student"
	@echo "make student-check  run every student notebook: only the implement-it stubs may raise (about 5 min)"
	@echo "make fuzz     run the property tests with fresh random examples, ten times as many"
	@echo "make lock     rewrite constraints.txt from the current .venv"
	@echo "make clean    remove _build"

$(STAMP): requirements.txt constraints.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
		|| { echo "$(HINT_PYTHON)" >&2; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || { echo "$(HINT_VENV)" >&2; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install $(PIP_FLAGS) --upgrade pip
	$(BIN)/python -m pip install $(PIP_FLAGS) $(if $(TORCH_INDEX),--index-url $(TORCH_INDEX)) "$(TORCH_SPEC)"
	$(BIN)/python -m pip install $(PIP_FLAGS) -c constraints.txt -r requirements.txt -e .
	@touch $(STAMP)

# The site links to the whole-book PDF; it is printed when a Chromium or Chrome is installed.
book: $(STAMP)
	$(BIN)/jupyter-book build . $(BUILD_FLAGS)
	$(BIN)/python tools/build_pdf.py --skip-without-browser
	@echo
	@echo "网站已生成 / site built:  file://$(CURDIR)/_build/html/index.html"

# The test build re-reads every page (--all), so a stale _build cannot hide a warning.
test: $(STAMP)
	$(MAKE) lint unit notebooks numerics
	$(MAKE) build BUILD_FLAGS="$(BUILD_FLAGS) --all"
	$(MAKE) pdf
	$(MAKE) site-check

# ruff: lint rules and formatting, configured in pyproject.toml ([tool.ruff]).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Two workers (pytest-xdist). Unit tests and notebooks go one file to a worker: a file's
# session fixtures (a JupyterLab server) start once, and a notebook's cells share one kernel.
# Browser tests go one test at a time (each worker starts its own browser and server).
# WORKERS=0 runs everything in one process.
WORKERS ?= 2
XDIST      := $(if $(filter 0,$(WORKERS)),-p no:xdist,-n $(WORKERS) --dist loadfile)
XDIST_SITE := $(if $(filter 0,$(WORKERS)),-p no:xdist,-n $(WORKERS) --dist load)

unit: $(STAMP)
	$(BIN)/python -m pytest $(XDIST) tests --ignore=tests/site

NBVAL := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg -p no:randomly

# DLNOTES_CHECK_FIGURE_TEXT=1: a figure whose text would show below 9 CSS px in the book writes a
# warning to stderr, which strict nbval rejects (see dlnotes.plotting).
notebooks numerics: export DLNOTES_CHECK_FIGURE_TEXT = 1

notebooks: $(STAMP)
	$(BIN)/python -m pytest $(XDIST) $(NBVAL) notebooks

# The same nbval check (and the docstring examples) under another numerical configuration:
# one thread, another OpenBLAS kernel, no AVX-512 in numpy, OpenCV and torch. A stored output
# that depends on the CPU fails here, not on a learner's machine. See tools/other_numerics.py.
numerics: $(STAMP)
	$(BIN)/python tools/other_numerics.py $(BIN)/python -m pytest $(XDIST) $(NBVAL) notebooks tests/test_docstrings.py

# Property tests only, with fresh random examples (not part of make test). FUZZ_RUNS=5 repeats it.
FUZZ_RUNS ?= 1
fuzz: $(STAMP)
	@for run in $$(seq $(FUZZ_RUNS)); do \
		echo "== fuzz run $$run of $(FUZZ_RUNS)"; \
		HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest tests --ignore=tests/site -m hypothesis -p no:randomly -q || exit 1; \
	done

# JupyterLab on the course environment (ipywidgets included), rooted at notebooks/.
lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

build: $(STAMP)
	$(BIN)/jupyter-book build . $(BUILD_FLAGS)

# The single-page build printed by headless Chromium, copied into the site (tools/build_pdf.py).
pdf: $(STAMP)
	$(BIN)/python tools/build_pdf.py

# axe-core (accessibility audit) comes from npm, pinned by tests/site/package-lock.json.
site-check: $(STAMP)
	@if [ ! -d tests/site/node_modules ] && command -v npm >/dev/null 2>&1; then \
		npm ci --prefix tests/site --no-audit --no-fund; fi
	$(BIN)/python -m pytest $(XDIST_SITE) tests/site

refresh: $(STAMP)
	$(BIN)/python tools/refresh_notebooks.py

stamp: $(STAMP)
	$(BIN)/python tools/refresh_notebooks.py --stamp-only

# Student edition: solutions removed, implement-it cells stubbed, exercise outputs cleared, plus
# a zip with what a learner needs to run them. The instructor notebooks are only read.
student: $(STAMP)
	$(BIN)/python tools/make_student.py _build/student

# Executes each student notebook (nbclient); only NotImplementedError from a stub is allowed.
student-check: $(STAMP)
	$(BIN)/python -m pytest $(XDIST) -m student_run tests/student

lock: $(STAMP)
	$(BIN)/python -m pip freeze --exclude-editable --exclude dlnotes --exclude torch --exclude jupytext > constraints.txt
	@echo "wrote constraints.txt"

clean:
	rm -rf _build
