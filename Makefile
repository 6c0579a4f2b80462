# Two entry points do all the set-up on a fresh machine with Python 3.11:
#   make run   install, then crawl on schedule and serve the API + dashboard on :8000
#   make test  install (with test extras and Debian's chromium), lint and type-check, then run the whole suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: install run serve lint test browser clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	# The machine's pip 23.2 cannot resolve trafilatura's lxml[html-clean] extra: upgrade first.
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

run: install
	$(BIN)/cartwatch --config config.toml run

serve: install
	$(BIN)/cartwatch --config config.toml serve

# Browser tests drive Debian's chromium (/usr/bin/chromium) through Playwright; install it once.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; fi; }

# Lint and type-check first (both configured in pyproject.toml): a finding fails the target.
lint: install
	$(BIN)/python -m ruff check crawler store service api cartwatch
	$(BIN)/python -m mypy

test: install browser lint
	$(BIN)/python -m pytest -n 2

clean:
	rm -rf $(VENV) build *.egg-info
