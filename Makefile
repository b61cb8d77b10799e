# xk6-tracing: build k6 with the extension, run the demo, the tests and the
# benchmarks. `make demo` and `make test` are the README's two commands;
# `make check` is the fast loop while developing; `make help` lists the
# targets. Each public target has one `## target: description` line, which
# `make help` prints (and `make lint` requires); details follow in `#` lines.

GO          ?= go
NPM         ?= npm
# The versions we build and test with; K6_VERSION must match go.mod.
K6_VERSION  := v2.2.0
XK6_VERSION := v1.4.14
# Jaeger v2, the trace backend of the span tests, built once per version:
# a tool of its own module (test/tools/go.mod pins it), so that its
# dependencies stay out of the extension's go.mod, which xk6 resolves.
JAEGER_VERSION := $(shell sed -n 's/^[[:space:]]*github.com\/jaegertracing\/jaeger \(v[^ ]*\).*/\1/p' test/tools/go.mod)
JAEGER      := build/jaeger-$(JAEGER_VERSION)
GOBIN       := $(shell $(GO) env GOPATH)/bin
# A count, not a duration: with a duration, Go 1.26's fuzz coordinator can
# report "context deadline exceeded" at the deadline without any failing
# input (golang/go#75804, fixed in Go 1.27), most often on a busy machine.
FUZZTIME    ?= 100000x

# What ./k6 is built from: the module's non-test Go files.
GO_SOURCES  := $(shell find . -name '*.go' -not -name '*_test.go' -not -path './test/*' -not -path './node_modules/*') go.mod go.sum

.PHONY: all help build demo check test unit integration typecheck fuzz lint xk6lint ts ts-k6 bench chromium jaeger clean

## all: the default goal: build
all: build

## help: list the targets with their descriptions
help:
	@awk '/^## [a-z][a-z0-9-]*: / { sub(/^## /, ""); i = index($$0, ":"); \
		printf "  %-12s %s\n", substr($$0, 1, i - 1), substr($$0, i + 2) }' $(MAKEFILE_LIST)

## build: ./k6 with the extension from the working tree
build: k6

# xk6 generates a main package that imports go.k6.io/k6/v2/cmd and the
# extension, then runs `go build`. go/cmd/k6 is that same main package, kept
# in the module so that it builds with the versions pinned in go.mod; it is
# used when the pinned xk6 cannot be installed (as on machines whose module
# proxy does not serve xk6). K6_BUILDER=go skips xk6, K6_BUILDER=xk6 requires it.
K6_BUILDER ?= auto
k6: $(GO_SOURCES)
	@set -e; \
	if [ "$(K6_BUILDER)" != go ] && $(GO) install go.k6.io/xk6/cmd/xk6@$(XK6_VERSION); then \
		echo "building k6 $(K6_VERSION) with xk6 $(XK6_VERSION)"; \
		$(GOBIN)/xk6 build $(K6_VERSION) --with github.com/xk6-tracing/xk6-tracing=. --output k6; \
	elif [ "$(K6_BUILDER)" = xk6 ]; then \
		echo "xk6 $(XK6_VERSION) cannot be installed (K6_BUILDER=xk6)" >&2; exit 1; \
	else \
		echo "building k6 $(K6_VERSION) with go build ./go/cmd/k6 (the main package xk6 would generate)"; \
		$(GO) build -trimpath -o k6 ./go/cmd/k6; \
	fi
	@./k6 version

## demo: build k6, start local services, run the quick start and a browser journey, show the traces, explain the slow and failed requests
# (Chromium is installed when root; without it the demo says how to get it
# and shows the rest; the explanation reads its traces back from Jaeger)
demo: k6 jaeger ts/dist/index.js
	@$(MAKE) --no-print-directory chromium || echo "demo: going on without Chromium; the browser journey says how to get it"
	$(GO) run ./test/cmd/demo -k6 ./k6 -script examples/spans.ts -jaeger $(JAEGER)

## check: the fast loop: lint, unit, ts, typecheck (no k6 run, no fuzzing, no Jaeger)
check: lint unit ts typecheck

## test: every test suite, as CI runs it; none is skipped
test: lint xk6lint unit fuzz ts ts-k6 integration typecheck demo

node_modules: package.json package-lock.json
	$(NPM) ci --no-audit --no-fund
	@touch node_modules

## lint: formatting and static checks
# (and that every .PHONY target has its `## target:` line for `make help`)
lint:
	@for t in $$(sed -n 's/^\.PHONY://p' $(firstword $(MAKEFILE_LIST))); do \
		grep -q "^## $$t: " $(firstword $(MAKEFILE_LIST)) || { echo "Makefile: .PHONY target $$t has no '## $$t: description' line" >&2; exit 1; }; \
	done
	@unformatted="$$(gofmt -l $$(find . -name '*.go' -not -path './node_modules/*'))"; \
	if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) vet -tags integration ./test/integration/

## xk6lint: the checks of `xk6 lint` that apply to this repository, against ./k6
# (module, replace, readme, license, build, smoke, examples, types), mirrored
# in test/cmd/xk6lint because xk6 cannot be installed where its module is not
# served; `xk6 lint --preset strict` runs them where it can
xk6lint: k6
	$(GO) run ./test/cmd/xk6lint -k6 ./k6

## unit: Go unit and module tests, with the race detector
# test/support/interop reads headers with the npm packages of package.json too
unit: node_modules
	$(GO) test -race -count=1 ./...

## fuzz: a short run of every fuzzer in go/propagation
# (found by name, so that a new parser's fuzzer cannot be forgotten here)
fuzz:
	@set -e; fuzzers="$$($(GO) test -list '^Fuzz' ./go/propagation/ | grep '^Fuzz')"; \
	test -n "$$fuzzers" || { echo "no fuzzers found" >&2; exit 1; }; \
	for f in $$fuzzers; do \
		echo "fuzz $$f"; \
		$(GO) test -run '^$$' -fuzz "^$$f\$$" -fuzztime $(FUZZTIME) ./go/propagation/; \
	done

## chromium: Debian's Chromium for the browser tests, installed if missing
# (when running as root; otherwise a clear error, never a skip)
CHROMIUM ?= $(shell command -v chromium || command -v chromium-browser || command -v google-chrome)
chromium:
	@set -e; \
	if [ -n "$(CHROMIUM)" ] || [ -n "$$K6_BROWSER_EXECUTABLE_PATH" ]; then exit 0; fi; \
	if [ "$$(id -u)" != 0 ]; then \
		echo "the browser tests need Chromium: install Debian's chromium package (apt-get install chromium)," >&2; \
		echo "or set K6_BROWSER_EXECUTABLE_PATH to a Chromium binary" >&2; exit 1; \
	fi; \
	echo "installing Debian's chromium"; \
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	command -v chromium

## jaeger: Jaeger v2 all-in-one in build/, for the span tests
# built from the Go module proxy as the tool that test/tools/go.mod pins
jaeger: $(JAEGER)
$(JAEGER):
	@test -n "$(JAEGER_VERSION)" || { echo "test/tools/go.mod pins no jaeger version" >&2; exit 1; }
	@mkdir -p build
	@echo "building jaeger $(JAEGER_VERSION)"
	cd test/tools && $(GO) build -trimpath -o $(CURDIR)/$(JAEGER) github.com/jaegertracing/jaeger/cmd/jaeger

## ts: the TypeScript facade (ts/): built into ts/dist, its vitest tests, its type checks
ts/node_modules: ts/package.json ts/package-lock.json
	cd ts && $(NPM) ci --no-audit --no-fund
	@touch ts/node_modules

ts: ts/node_modules
	cd ts && $(NPM) run build && $(NPM) test && $(NPM) run typecheck

# The built facade alone, for the examples that import it (make demo).
ts/dist/index.js: ts/node_modules $(shell find ts/src -name '*.ts') ts/package.json ts/tsconfig.build.json
	cd ts && $(NPM) run build

## ts-k6: the built facade inside ./k6 against the real module
# (the same answers to thousands of generated options)
ts-k6: k6 ts
	cd ts && K6=$(CURDIR)/k6 $(NPM) run test:k6

## integration: the real ./k6 against local servers, Chromium and Jaeger (test/integration)
# Real Chromium for the browser tests, Jaeger for the span tests and the npm
# propagators of package.json for the interop tests; the scripts are in
# test/integration/scripts, whose facade.ts imports the built facade
integration: k6 chromium jaeger ts node_modules
	$(GO) test -tags integration -count=1 ./test/integration/ -jaeger $(CURDIR)/$(JAEGER)

## typecheck: the declarations, the smoke test and every TypeScript example, with @types/k6
# (report.ts imports the built facade)
typecheck: node_modules ts
	npx tsc --noEmit -p tsconfig.json

## bench: Go benchmarks of the hot path, then plain vs instrumented k6 in one run
bench: k6 chromium
	$(GO) test -run '^$$' -bench . -benchmem ./go/...
	$(GO) run ./test/cmd/bench -k6 ./k6 -runs 3
	$(GO) run ./test/cmd/bench -k6 ./k6 -spans -runs 3
	$(GO) run ./test/cmd/benchgrpc -k6 ./k6 -runs 3
	$(GO) run ./test/cmd/benchgrpc -k6 ./k6 -cpu 20000 -runs 3
	$(GO) run ./test/cmd/benchbrowser -k6 ./k6
	$(GO) run ./test/cmd/bench -k6 ./k6 -scale 10,200,1000
	$(GO) run ./test/cmd/bench -k6 ./k6 -scale 10,200,1000 -protocol grpc
	$(GO) run ./test/cmd/bench -k6 ./k6 -scale 1000 -stalled -scale-duration 60s

## clean: remove ./k6, build/, node_modules and the facade's build outputs
clean:
	rm -rf k6 node_modules build ts/dist ts/node_modules ts/types ts/LICENSE
