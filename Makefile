# Two commands for a fresh machine: `make app` and `make test`.
PYTHON ?= python3
CHROMIUM ?= /usr/bin/chromium

.PHONY: app test install browser data report bench

install: .installed

# Reinstall only when requirements.txt or pyproject.toml change.
.installed: requirements.txt pyproject.toml
	$(PYTHON) -m pip install --quiet -r requirements.txt
	@touch .installed

# Debian's Chromium for the browser test (Playwright drives it; no browser download).
browser:
	@test -x $(CHROMIUM) || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq --no-install-recommends chromium chromium-driver fonts-dejavu-core; }

app: install
	$(PYTHON) -m streamlit run app.py

test: install browser
	$(PYTHON) -m pytest

# Rebuild the embedded default from ../shared/data (needs the raw files).
data:
	$(PYTHON) geodata/build_default.py

report:
	$(PYTHON) -m insight report --out report

bench:
	$(PYTHON) benchmarks/bench_siting.py
