# Thin wrapper over meson: `make run` and `make test` do all the set-up.
BUILD ?= build
CASSIS = $(BUILD)/src/cli/cassis
DB ?= sqlite:var/cassis.db

.PHONY: all deps build run test check bench clean

all: build

deps:
	@scripts/install-deps

build: deps
	@test -f $(BUILD)/build.ninja || meson setup $(BUILD) >/dev/null
	@ninja -C $(BUILD) >/dev/null

run: build
	@$(CASSIS) demo --db $(DB)
	@echo "Cassis : http://127.0.0.1:8080 (Ctrl+C pour arrêter)"
	@exec $(CASSIS) serve --db $(DB)

test: deps
	@scripts/test

check: build
	@scripts/check-style

bench: build
	@bench/run

clean:
	rm -rf build build-asan
