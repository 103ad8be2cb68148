#!/usr/bin/env bash
# Plein's benchmark harness: builds plein, seeds the demo organisation with
# 10,000 followers on 1,000 loopback inbox servers, and prints one table of
# Plein's figures beside a static-server baseline: closed-loop throughput
# (wrk), an open-loop crisis run with a staff member editing, the highest
# rate under a p99 bound, and the fan-out of one post. Takes several
# minutes; needs wrk (Debian package "wrk").
#
#   bench/crisis.sh                       full run, table on standard output
#   bench/crisis.sh -out result.md        also write the table to a file
#   bench/crisis.sh -quick                smoke run, about a minute
#   bench/crisis.sh -closed-loop=false -fan-out=false -max-rate=false
#                                         the crisis run alone, with its first readers
#   bench/crisis.sh -database postgres://user:pass@host/empty_db
#
# Every flag: go run ./bench/crisis -h
cd "$(dirname "$0")/.." && exec go run ./bench/crisis "$@"
