# event_sync: build the drop-in Prosody module from TypeScript and test it.
#   make demo    a real Prosody with the component, a receiver printing webhooks, a short meeting
#                (KEEP=1 keeps it running for your own XMPP client)
#   make build   compile src/ into dist/mod_event_sync_component.lua
#   make test    install what is missing, rebuild, check dist/ is current, run every test
#   make lint    luacheck over our hand-written Lua, type-check everything, no `any` in src/
#   make release release/ with the version and commit stamped file and SHA256SUMS

SHELL := /bin/bash
DIST := dist/mod_event_sync_component.lua
APT_PACKAGES := prosody lua5.1 lua5.2 lua5.3 lua5.4 luajit lua-busted lua-check openssl
# Lua interpreters the unit specs run on (the drop-in file must load on all of them).
SPEC_LUAS := lua5.1 lua5.4 luajit
# Interpreters the built file must at least load on.
LOAD_LUAS := lua5.1 lua5.2 lua5.3 lua5.4 luajit

.PHONY: all deps system-deps build demo test check-dist load-check unit e2e lint typecheck release bench bench-smoke bench-room-size clean

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

deps: system-deps node_modules/.ci-stamp

## Build -----------------------------------------------------------------------

build: node_modules/.ci-stamp
	npm run --silent build

## Demo ------------------------------------------------------------------------

demo: deps build
	KEEP=$(KEEP) node --experimental-websocket --import tsx scripts/demo.ts

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

# Twice: on the keep-alive transport (default) and on Prosody's net.http (api_keepalive = false).
e2e:
	npm run --silent test:e2e
	E2E_KEEPALIVE=false npm run --silent test:e2e -- --testPathIgnorePatterns keepalive

## Lint ------------------------------------------------------------------------

typecheck:
	npx tsc -p tsconfig.json --noEmit
	npx tsc -p spec/e2e/tsconfig.json --noEmit
	npx tsc -p scripts/tsconfig.json --noEmit
	npx tsc -p bench/tsconfig.json --noEmit

lint: typecheck
	luacheck spec
	node scripts/check-no-any.mjs src

## Benchmarks (bench/README.md) ---------------------------------------------------

# The standard load: 200 clients x 8 cycles x 10 rooms, without and with the component.
bench: deps build
	node --experimental-websocket --import tsx bench/run.ts --size standard --repeat 5

# A small size CI runs so the benchmark can't rot: fails when a webhook is missing.
bench-smoke: deps build
	node --experimental-websocket --import tsx bench/run.ts --size smoke --out bench/results/smoke

# Cost of a join into a room of 5 vs 1000 occupants (slow: ~6 minutes).
bench-room-size: deps build
	node --experimental-websocket --import tsx bench/run.ts --room-size

## Release ---------------------------------------------------------------------

# release/mod_event_sync_component.lua with version and commit stamped, plus SHA256SUMS.
release: build
	scripts/release.sh

clean:
	rm -rf node_modules release
