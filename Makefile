# FrontDesk: `make demo` opens the app on a demo spa; `make test` runs every check headless.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DB ?= demo/frontdesk-demo.sqlite3
DEMO_LOCALE ?= en
BENCH_DB ?= .bench/frontdesk-1m.sqlite3
BENCH_CUSTOMERS ?= 1000000
BENCH_CALENDAR_DB ?= .bench/frontdesk-calendar.sqlite3

.PHONY: demo run test lint pytest bench screenshots translations build clean

$(BIN)/frontdesk: pyproject.toml
	@tools/check-system-libs.sh offscreen
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/python tools/translations.py build
	@touch $@

## demo: install, build a demo spa database and open the app on it
demo: $(BIN)/frontdesk
	@tools/check-system-libs.sh window
	$(BIN)/frontdesk demo --db $(DEMO_DB) --locale $(DEMO_LOCALE) --force
	@if [ -z "$$DISPLAY$$WAYLAND_DISPLAY" ] && [ "$$QT_QPA_PLATFORM" != offscreen ]; then \
	  echo "No display: run 'xvfb-run -a make run' or set DISPLAY." >&2; exit 1; fi
	$(BIN)/frontdesk --db $(DEMO_DB)

## run: open the app on the existing demo database
run: $(BIN)/frontdesk
	$(BIN)/frontdesk --db $(DEMO_DB)

## test: lint, types, layer contracts and the whole test suite, headless
test: lint pytest

lint: $(BIN)/frontdesk
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

pytest: $(BIN)/frontdesk
	@tools/check-system-libs.sh test
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest

## bench: benchmarks on a 1M-client demo database and a busy calendar's year (30 therapists x
## 25 appointments a day), each built once, then reused
bench: $(BIN)/frontdesk
	@test -f $(BENCH_DB) || $(BIN)/frontdesk demo --db $(BENCH_DB) --customers $(BENCH_CUSTOMERS)
	$(BIN)/python -m benchmarks.chinese_clients --db $(BENCH_DB)
	@test -f $(BENCH_CALENDAR_DB) || $(BIN)/python -m benchmarks.calendar_db --db $(BENCH_CALENDAR_DB)
	QT_QPA_PLATFORM=offscreen FRONTDESK_BENCH_DB=$(BENCH_DB) \
	  FRONTDESK_BENCH_CALENDAR_DB=$(BENCH_CALENDAR_DB) $(BIN)/pytest benchmarks \
	  --benchmark-enable --benchmark-only -p no:randomly -q \
	  --benchmark-columns=median,iqr,min,max,rounds --benchmark-sort=name

## screenshots: regenerate the README's screenshots under resources/screenshots/ (en, zh_CN, ru)
screenshots: $(BIN)/frontdesk
	QT_QPA_PLATFORM=offscreen $(BIN)/python tools/screenshots.py resources/screenshots/en --language en
	QT_QPA_PLATFORM=offscreen $(BIN)/python tools/screenshots.py resources/screenshots/zh_CN --language zh_CN
	QT_QPA_PLATFORM=offscreen $(BIN)/python tools/screenshots.py resources/screenshots/ru --language ru

## translations: refresh the .ts sources from the code, then compile the .qm the program loads
translations: $(BIN)/frontdesk
	$(BIN)/python tools/translations.py update
	$(BIN)/python tools/translations.py build
	$(BIN)/python tools/translations.py check

## build: one-folder PyInstaller build in dist/frontdesk
build: $(BIN)/frontdesk
	$(BIN)/pip install --quiet -e '.[build]'
	$(BIN)/pyinstaller --noconfirm pyinstaller.spec

clean:
	rm -rf build dist .bench demo .pytest_cache .mypy_cache .ruff_cache
