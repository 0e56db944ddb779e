# Thin wrapper over meson: `make run` and `make test` do all the set-up.
BUILD ?= build
CASSIS = $(BUILD)/src/cli/cassis
DB ?= sqlite:var/cassis.db

.PHONY: all deps build run test check bench fuzz clean

all: build

deps:
	@scripts/install-deps

build: deps
	@test -f $(BUILD)/build.ninja || meson setup $(BUILD) >/dev/null
	@ninja -C $(BUILD) >/dev/null

# The demo CCAS answers its CAF / MSA consultations from the local stand-in
# of API Particulier (project fixtures), stopped with the server.
run: build
	@mkdir -p var
	@$(CASSIS) demo --db $(DB)
	@echo "Simulateur d'API Particulier : http://127.0.0.1:8081 (journal : var/standin.log)"
	@echo "Simulateur d'API Impôt particulier : http://127.0.0.1:8082 (journal : var/standin-impots.log)"
	@echo "Cassis : http://127.0.0.1:8080 (Ctrl+C pour arrêter)"
	@$(CASSIS) standin particulier --port 8081 --fixtures standin/fixtures/api-particulier \
		>var/standin.log 2>&1 & standin=$$!; \
	$(CASSIS) standin impots --port 8082 --fixtures standin/fixtures/api-impot-particulier \
		>var/standin-impots.log 2>&1 & impots=$$!; \
	trap 'kill $$standin $$impots 2>/dev/null' EXIT INT TERM; \
	$(CASSIS) serve --db $(DB)

test: deps
	@scripts/test

fuzz: deps
	@scripts/test-fuzz

check: build
	@scripts/check-style

bench: build
	@bench/run

clean:
	rm -rf build build-asan build-fuzz
