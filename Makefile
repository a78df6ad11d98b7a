# The two set-up commands of the README: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DB     ?= data/xanh.duckdb
PORT   ?= 8501
HOST   ?= 0.0.0.0

.PHONY: run test test-steady lint bench sample chromium java clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

## make run: install, create the database if missing, load sample_data/ into an empty one, serve.
## Plain HTTP on every interface by default (a commune's office network); HOST=127.0.0.1 behind an HTTPS reverse
## proxy (README "Deployment"). app_pages/server.py is dashboard.py with the Vietnamese index.html and the security headers.
run: $(VENV)/.runtime
	XANH_DB=$(DB) $(BIN)/python cli.py init --db $(DB) --sample sample_data
	@echo "Bảng điều khiển: http://$(HOST):$(PORT) (HTTP thường, không mã hóa; lắng nghe trên $(if $(filter 0.0.0.0,$(HOST)),mọi giao diện mạng,$(HOST))). Dùng HTTPS qua reverse proxy: xem README, mục Triển khai."
	XANH_DB=$(DB) $(BIN)/streamlit run app_pages/server.py --server.port $(PORT) --server.address $(HOST)

## make test: install what the tests need (Debian's chromium and Java 17 for Spark when missing), lint, run every test.
test: $(VENV)/.dev chromium java
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q

## make test-steady: the timing-sensitive tests three rounds in a row while two CPU burners fill both cores
## (not part of make test; see the README's "Tests and benchmarks").
test-steady: $(VENV)/.dev chromium
	PYTHON=$(BIN)/python tools/steady.sh

chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
		echo "Cài Chromium của Debian cho kiểm thử trình duyệt..."; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi

# Spark (the city roll-up's second engine, tests/test_city_spark.py) runs on Java 17 or later.
java:
	@if ! java -version 2>&1 | grep -Eq 'version "(1[7-9]|[2-9][0-9])'; then \
		echo "Cài Java 17 của Debian (openjdk-17-jre-headless) cho Spark..."; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq openjdk-17-jre-headless >/dev/null; \
	fi

lint: $(VENV)/.dev
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/lint-imports

bench: $(VENV)/.dev chromium java
	$(BIN)/python bench/run.py

sample: $(VENV)/.dev
	$(BIN)/python tools/make_sample_data.py

clean:
	rm -rf .pytest_cache .ruff_cache
	find . -name __pycache__ -type d -prune -not -path './.venv/*' -exec rm -rf {} +
