# Plein: the two commands a newcomer needs are `make run` and `make test`.

GO ?= go

.PHONY: run test bench build lint

## run: serve Plein with the embedded database and a demo organisation
run:
	$(GO) run ./cmd/plein serve --demo

# The race detector also turns on the compiler's unsafe-pointer checks
# (checkptr) in every package. The embedded SQLite is C translated to Go, so
# nearly every memory access it makes is pointer arithmetic, and those checks
# double the CPU time of every test that touches the database. They stay on
# for Plein's own code and every other package; the race detector itself
# stays on everywhere.
RACEFLAGS = -race -gcflags='modernc.org/...=-d=checkptr=0'

## test: every test, on SQLite and PostgreSQL, with the race detector (the archive's memory
## test, which the race detector distorts, without it)
test:
	$(GO) vet ./...
	@test -z "$$(gofmt -l .)" || { echo "gofmt needed:"; gofmt -l .; exit 1; }
	$(GO) test $(RACEFLAGS) -count=1 -timeout 30m ./...
	$(GO) test -count=1 -run '^TestExportMemoryConstant$$' ./internal/archive/

## bench: the Go benchmarks of the hot paths
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./internal/web/ ./internal/feed/ ./internal/markup/

## build: the plein binary
build:
	$(GO) build -o plein ./cmd/plein
