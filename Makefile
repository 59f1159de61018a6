# MetalPro backend. `make run` serves on :3000 with working defaults; `make test` is what CI runs.
GO      ?= go
TAGS    := sqlite_fts5
VERSION ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)
export CGO_ENABLED := 1

.PHONY: run test vet build bench loadtest loadtest-ci drill clean client

## run: the server on http://localhost:3000 (data in ./data, seeded catalog, emails in ./data/mail).
## It runs the built binary, not `go run`: after Ctrl-C the server exits 0, but `go run`
## reports an interrupted child as exit status 1 and make printed "Error 1".
run: build
	./bin/metalpro serve

## test: vet, then every test with the race detector
test: vet
	$(GO) test -race -tags $(TAGS) -count=1 -timeout 20m ./...

vet:
	$(GO) vet -tags $(TAGS) ./...

## build: bin/metalpro
build:
	$(GO) build -tags $(TAGS) -ldflags "$(LDFLAGS)" -o bin/metalpro .

## stress: the whole suite STRESS_COUNT times (default 5), shuffled, with -race, while
## STRESS_LOAD stress-ng CPU workers (default: one per core; 0: none) load the machine; lists
## every test that failed at least once with its message. Needs stress-ng (apt-get install stress-ng).
## STRESS_PKGS (default ./...) and STRESS_RUN (a -run regexp) narrow it; the raw go test -json
## stream is kept in bin/stress.json.
STRESS_COUNT ?= 5
STRESS_LOAD  ?= $(shell nproc 2>/dev/null || echo 2)
STRESS_PKGS  ?= ./...
STRESS_RUN   ?=
.PHONY: stress
stress:
	@mkdir -p bin
	$(GO) run ./cmd/stress -count $(STRESS_COUNT) -load $(STRESS_LOAD) -tags $(TAGS) \
		-run '$(STRESS_RUN)' -json bin/stress.json $(STRESS_PKGS)

## bench: the benchmarks (catalog throughput and latency, login cost, ...)
bench:
	$(GO) test -tags $(TAGS) -run '^$$' -bench . -benchmem -count=1 ./...

## loadtest: `metalpro loadtest` against a fresh server this recipe starts on 127.0.0.1 (free port,
## temp data dir, rate limits raised by its environment only); LOADTEST_ARGS picks the mode, e.g.
## make loadtest LOADTEST_ARGS="-mode steady -rate 100 -duration 60s". Against `make run`:
## ./bin/metalpro loadtest -url http://127.0.0.1:3000 (its default limits will answer 429s).
LOADTEST_ARGS ?= -mode burst -users 200
loadtest: build
	@dir=$$(mktemp -d); trap 'kill $$pid 2>/dev/null; wait $$pid 2>/dev/null; rm -rf "$$dir"' EXIT; \
	DATA_DIR=$$dir HOST=127.0.0.1 PORT=0 LOG_LEVEL=info MAX_CONNS_PER_IP=0 DB_WRITE_WAIT=60s \
	RATE_LIMIT_API=1000000/1m RATE_LIMIT_RFQ=1000000/1m RATE_LIMIT_LOGIN=1000000/1m RATE_LIMIT_ACCOUNT=1000000/1m \
	RATE_LIMIT_NEW_GUESTS=1000000/1m RATE_LIMIT_NEW_GUESTS_PER_IP=1000000/1m LOGIN_CONCURRENCY_PER_IP=1000 \
	./bin/metalpro serve >"$$dir/server.log" 2>&1 & pid=$$!; \
	for i in $$(seq 1 300); do grep -q '"msg":"listening"' "$$dir/server.log" 2>/dev/null && break; \
		kill -0 $$pid 2>/dev/null || { cat "$$dir/server.log"; exit 1; }; sleep 0.2; done; \
	addr=$$(sed -n 's/.*"msg":"listening","addr":"\([^"]*\)".*/\1/p' "$$dir/server.log" | head -1); \
	[ -n "$$addr" ] || { echo "the server did not start"; cat "$$dir/server.log"; exit 1; }; \
	./bin/metalpro loadtest -url "http://$$addr" -pid $$pid $(LOADTEST_ARGS)

## loadtest-ci: the in-process load test CI runs (200 guests at once, real server, no -race)
loadtest-ci:
	LOADTEST_USERS=$${LOADTEST_USERS:-200} $(GO) test -tags $(TAGS) -run TestLoad_ConcurrentShoppers -count=1 -v .

## client: regenerate clients/typescript/src/schema.d.ts from the served OpenAPI document
## (after changing http/openapi/*.json; TestClient_TypeScript fails while it is stale)
client:
	$(GO) run -tags $(TAGS) ./cmd/openapi -o clients/typescript/openapi.json
	cd clients/typescript && { [ -f node_modules/.package-lock.json ] || npm ci --no-audit --no-fund; } && npm run generate

## drill: the long disaster-recovery drill (DR_DRILL_ROUNDS restart-then-machine-loss rounds, default 10; make test runs 2)
## and a machine loss over DR_API_RFQS RFQs built through the API (default 50000, 7–10 min; make test runs it over 2000)
drill:
	DR_DRILL_ROUNDS=$${DR_DRILL_ROUNDS:-10} DR_API_RFQS=$${DR_API_RFQS:-50000} $(GO) test -tags $(TAGS) -run 'TestDR_' -count=1 -v -timeout 60m .

clean:
	rm -rf bin
