# event_sync: build the drop-in Prosody module from TypeScript and test it.
#   make demo    a real Prosody with the component, a receiver printing webhooks, a short meeting
#                (KEEP=1 keeps it running for your own XMPP client)
#   make build   compile src/ into dist/mod_event_sync_component.lua
#   make test    install what is missing, rebuild, check dist/ is current, run every test
#                (the end-to-end suite on Prosody 0.12 and 13; PROSODY=13 or PROSODY=0.12 for one)
#   make lint    luacheck over our hand-written Lua, type-check everything, no `any` in src/
#   make release release/ with the version and commit stamped file and SHA256SUMS

SHELL := /bin/bash
DIST := dist/mod_event_sync_component.lua
# lua-unbound: Debian's Prosody recommends it; without it Prosody's resolver asks the DNS server
# even for `localhost` (the https e2e test connects to https://localhost).
# postgresql, lua-dbi-*: the e2e storage backends (spec/e2e/helpers/storage.ts: mod_storage_sql on
# SQLite and on a throwaway PostgreSQL cluster).
APT_PACKAGES := prosody lua-unbound lua5.1 lua5.2 lua5.3 lua5.4 luajit lua-busted lua-check openssl \
  postgresql lua-dbi-postgresql lua-dbi-sqlite3
# Prosody versions the end-to-end suite, the demo and the benchmark run on: 0.12 is Debian
# bookworm's `prosody`, 13 is bookworm-backports' package unpacked by scripts/prosody13.sh.
# `make test PROSODY=13` (or 0.12) runs one of them.
PROSODY_VERSIONS := $(if $(PROSODY),$(PROSODY),0.12 13)
# Lua interpreters the unit specs run on (the drop-in file must load on all of them).
SPEC_LUAS := lua5.1 lua5.4 luajit
# Interpreters the built file must at least load on.
LOAD_LUAS := lua5.1 lua5.2 lua5.3 lua5.4 luajit

.PHONY: all deps system-deps prosody13 build demo test check-dist load-check unit e2e lint typecheck release bench bench-smoke bench-cost-baseline bench-room-size clean

all: build

## Dependencies ----------------------------------------------------------------

system-deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

node_modules/.ci-stamp: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

# Prosody 13 beside 0.12, in .cache/prosody-13 (only when a target runs on 13).
prosody13: system-deps
	@$(if $(filter 13,$(PROSODY_VERSIONS)),scripts/prosody13.sh >/dev/null,:)

deps: system-deps prosody13 node_modules/.ci-stamp

## Build -----------------------------------------------------------------------

build: node_modules/.ci-stamp
	npm run --silent build

## Demo ------------------------------------------------------------------------

# On 0.12 unless PROSODY=13.
demo: PROSODY_VERSIONS := $(if $(PROSODY),$(PROSODY),0.12)
demo: deps build
	PROSODY=$(PROSODY_VERSIONS) KEEP=$(KEEP) node --experimental-websocket --import tsx scripts/demo.ts

# The committed dist/ file must be exactly what the sources build to.
check-dist: node_modules/.ci-stamp
	@before=$$(mktemp); cp $(DIST) $$before 2>/dev/null || : > $$before; \
	npm run --silent build; \
	if ! cmp -s $$before $(DIST); then \
	  echo "ERROR: $(DIST) was not what src/ builds to. It has been rebuilt: commit it with the sources."; \
	  rm -f $$before; exit 1; \
	fi; rm -f $$before; echo "dist/ is current."

# The bundle must load (compile) on every Lua the drop-in file promises.
load-check:
	@for lua in $(LOAD_LUAS); do \
	  $$lua -e 'assert(loadfile("$(DIST)"))' || { echo "ERROR: $(DIST) does not load on $$lua"; exit 1; }; \
	  echo "loads on $$lua"; \
	done

## Tests -----------------------------------------------------------------------

test: deps check-dist load-check lint unit e2e

unit:
	@for lua in $(SPEC_LUAS); do echo "== busted on $$lua"; busted --lua=$$lua || exit 1; done

# On each Prosody version, twice: on the keep-alive transport (default) and on Prosody's
# net.http (api_keepalive = false), the second time without the files that test the harness
# itself or both transports on their own (keepalive*, *_harness, helpers, transport_hardening).
e2e: prosody13
	@for v in $(PROSODY_VERSIONS); do \
	  echo "== e2e on Prosody $$v (keep-alive transport)"; \
	  PROSODY=$$v npm run --silent test:e2e || exit 1; \
	  echo "== e2e on Prosody $$v (net.http transport)"; \
	  PROSODY=$$v E2E_KEEPALIVE=false npm run --silent test:e2e -- --testPathIgnorePatterns keepalive _harness helpers transport_hardening || exit 1; \
	done

## Lint ------------------------------------------------------------------------

typecheck:
	npx tsc -p tsconfig.json --noEmit
	npx tsc -p spec/e2e/tsconfig.json --noEmit
	npx tsc -p scripts/tsconfig.json --noEmit
	npx tsc -p bench/tsconfig.json --noEmit

lint: typecheck
	luacheck spec bench/prosody_modules
	node scripts/check-no-any.mjs src

## Benchmarks (bench/README.md) ---------------------------------------------------

BENCH := node --experimental-websocket --import tsx bench/run.ts

# The standard load: 200 clients x 8 cycles x 10 rooms, without and with the component, on each
# Prosody version (results in bench/results/latest-<version>.json).
bench: deps build
	@for v in $(PROSODY_VERSIONS); do echo "== bench on Prosody $$v"; PROSODY=$$v $(BENCH) --size standard --repeat 5 || exit 1; done

# A small size CI runs so the benchmark can't rot: fails when a webhook is missing, or when the
# Lua instructions per webhook (configuration x) grew more than 25% over the committed figure.
bench-smoke: deps build
	@for v in $(PROSODY_VERSIONS); do echo "== bench-smoke on Prosody $$v"; \
	  PROSODY=$$v $(BENCH) --size smoke --cost-baseline bench/results/cost-baseline-$$v.json || exit 1; done

# Rewrites the committed figures bench-smoke compares with (after a change that is meant to cost more or less).
bench-cost-baseline: deps build
	@for v in $(PROSODY_VERSIONS); do PROSODY=$$v $(BENCH) --size smoke --configs x --repeat 3 --out bench/results/cost-baseline-$$v || exit 1; done

# Cost of a join into a room of 5 vs 1000 occupants (slow: ~6 minutes a version).
bench-room-size: deps build
	@for v in $(PROSODY_VERSIONS); do echo "== bench-room-size on Prosody $$v"; PROSODY=$$v $(BENCH) --room-size || exit 1; done

## Release ---------------------------------------------------------------------

# release/mod_event_sync_component.lua with version and commit stamped, plus SHA256SUMS.
release: build
	scripts/release.sh

clean:
	rm -rf node_modules release
