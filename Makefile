# Plein: the two commands a newcomer needs are `make run` and `make test`.

GO ?= go

.PHONY: run test bench build lint

## run: serve Plein with the embedded database and a demo organisation
run:
	$(GO) run ./cmd/plein serve --demo

## test: every test, on SQLite and PostgreSQL, with the race detector (the archive's memory
## test, which the race detector distorts, without it)
test:
	$(GO) vet ./...
	@test -z "$$(gofmt -l .)" || { echo "gofmt needed:"; gofmt -l .; exit 1; }
	$(GO) test -race -count=1 -timeout 30m ./...
	$(GO) test -count=1 -run '^TestExportMemoryConstant$$' ./internal/archive/

## bench: the Go benchmarks of the hot paths
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./internal/web/ ./internal/feed/ ./internal/markup/

## build: the plein binary
build:
	$(GO) build -o plein ./cmd/plein
