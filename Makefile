# CareQuartier: one Makefile that people and CI both call.
# `make run` starts the whole platform with demo data; `make test` runs the full suite on a real
# Kafka broker and a real PostgreSQL. Both install what is missing first.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

UV_VERSION := 0.13.9
UV ?= $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
RUN := $(UV) run --frozen --quiet
ROLE ?= coordinator
SITE ?= kaiserslautern
QUICK ?=
PYTEST_ARGS ?=

.PHONY: help bootstrap uv java asyncapi-tools sync kafka-jars run infra test lint format token bench clean

help:
	@echo "make run     the whole platform with demo data (Ctrl-C stops it)"
	@echo "make test    the full test suite on a real Kafka broker and PostgreSQL"
	@echo "make lint    ruff and mypy --strict"
	@echo "make bench   benchmarks (QUICK=1 for a seconds-long smoke run)"
	@echo "make token ROLE=coordinator SITE=kaiserslautern   a development bearer token"

bootstrap: uv java asyncapi-tools sync kafka-jars

uv:
	@if ! command -v $(UV) >/dev/null 2>&1; then \
	  echo "installing uv $(UV_VERSION)"; \
	  python3 -m pip install --quiet --user "uv==$(UV_VERSION)" \
	    || python3 -m pip install --quiet --user --break-system-packages "uv==$(UV_VERSION)"; \
	fi

java:
	@if ! command -v java >/dev/null 2>&1 || ! command -v mvn >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Java 17 and Maven (Debian packages)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless maven >/dev/null; \
	  else \
	    echo "Java 17+ and Maven are needed to run the Kafka broker: install them first" >&2; exit 1; \
	  fi; \
	fi

# Node.js and the official AsyncAPI parser (pinned by tools/asyncapi/package-lock.json): the
# contract tests validate docs/asyncapi.json with it. Reinstalled when the lock file changes.
ASYNCAPI_TOOLS := tools/asyncapi
asyncapi-tools:
	@if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Node.js and npm (Debian packages)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; \
	  else \
	    echo "Node.js 18+ and npm are needed to validate the AsyncAPI document: install them first" >&2; exit 1; \
	  fi; \
	fi
	@if [ ! -f $(ASYNCAPI_TOOLS)/node_modules/.package-lock.json ] \
	  || [ $(ASYNCAPI_TOOLS)/package-lock.json -nt $(ASYNCAPI_TOOLS)/node_modules/.package-lock.json ]; then \
	  echo "installing the AsyncAPI parser ($(ASYNCAPI_TOOLS))"; \
	  npm ci --prefix $(ASYNCAPI_TOOLS) --ignore-scripts --no-audit --no-fund --loglevel=error; \
	fi

sync:
	@$(UV) sync --frozen --quiet

kafka-jars:
	@$(RUN) carequartier-devstack fetch-kafka

run: bootstrap
	@$(RUN) carequartier-devstack run

infra: bootstrap
	@$(RUN) carequartier-devstack infra

test: bootstrap
	@$(RUN) pytest $(PYTEST_ARGS)

lint: uv sync
	@$(RUN) ruff check .
	@$(RUN) ruff format --check .
	@$(RUN) mypy libs/shared/src libs/testing/src deploy/devstack/src services/intake/src services/scheduling/src services/volunteering/src services/notifications/src bench

format: uv sync
	@$(RUN) ruff format .
	@$(RUN) ruff check --fix .

token:
	@$(RUN) python -m cq_devstack.token --role "$(ROLE)" --site "$(SITE)" \
		--volunteer-id "$(VOLUNTEER_ID)" --staff-id "$(STAFF_ID)"

bench: bootstrap
	@$(RUN) python -m bench $(if $(QUICK),--quick,)

clean:
	rm -rf .devstack .mypy_cache .ruff_cache .pytest_cache
