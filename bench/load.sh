#!/usr/bin/env bash
# Measures Plein's public hot path against a static file server serving the
# same bytes, in the same run, with wrk (Debian package "wrk").
#
#   bench/load.sh [duration] [connections]      e.g. bench/load.sh 10s 64
#
# It builds plein, serves the demo from a temporary folder, saves /@demo and
# its Atom feed to files, serves those with a plain Go file server, and
# prints requests/s and p99 latency of each, with Plein's share of the
# baseline. Both servers share the machine with wrk, so read the ratios,
# not the absolute figures.
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-10s}"
conns="${2:-64}"
threads=2
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)"; exit 1; }

work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

go build -o "$work/plein" ./cmd/plein
go build -o "$work/staticserver" ./bench/staticserver

plein_addr=127.0.0.1:18080
static_addr=127.0.0.1:18090
"$work/plein" serve --demo --addr "$plein_addr" --base-url "http://$plein_addr" --data "$work/data" >"$work/plein.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do curl -fs "http://$plein_addr/livez" >/dev/null 2>&1 && break; sleep 0.1; done

mkdir -p "$work/static/@demo"
curl -fs "http://$plein_addr/@demo" -o "$work/static/@demo/index.html"
curl -fs "http://$plein_addr/@demo/feed.atom" -o "$work/static/@demo/feed.atom"
"$work/staticserver" -addr "$static_addr" -dir "$work/static" &
pids+=($!)
for _ in $(seq 1 100); do curl -fs "http://$static_addr/@demo/feed.atom" >/dev/null 2>&1 && break; sleep 0.1; done

# run URL: prints "requests/s p99_ms"
run() {
	wrk -t"$threads" -c"$conns" -d"$duration" --latency "$1" >"$work/wrk.out"
	local rps p99
	rps=$(awk '/^Requests\/sec:/ {print $2}' "$work/wrk.out")
	p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v=v*1000}; print v}' "$work/wrk.out")
	if grep -q "Non-2xx" "$work/wrk.out"; then echo "errors in run of $1" >&2; cat "$work/wrk.out" >&2; exit 1; fi
	echo "$rps $p99"
}

printf "%-22s %12s %10s %12s %10s %8s\n" "path" "plein req/s" "p99 ms" "static req/s" "p99 ms" "ratio"
for pair in "/@demo|/@demo/index.html" "/@demo/feed.atom|/@demo/feed.atom"; do
	p="${pair%%|*}"; s="${pair##*|}"
	read -r prps pp99 < <(run "http://$plein_addr$p")
	read -r srps sp99 < <(run "http://$static_addr$s")
	ratio=$(awk -v a="$prps" -v b="$srps" 'BEGIN {printf "%.2f", a/b}')
	printf "%-22s %12.0f %10.2f %12.0f %10.2f %8s\n" "$p" "$prps" "$pp99" "$srps" "$sp99" "$ratio"
done
echo "wrk -t$threads -c$conns -d$duration; $(nproc) cores; $(go version | awk '{print $3}')"
