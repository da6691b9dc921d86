#!/usr/bin/env bash
# build_web.sh - bundles the web map (web/build.mjs: esbuild into web/dist/, which
# `cityatlas serve` sends at /map/). Run by install_web_deps.sh (so run.sh and test.sh
# build it on a fresh clone) and by the CMake target web_bundle (so a change to web/src is
# in the next build). Without web/node_modules/esbuild it says how to install it and
# exits 0: the server then serves the unbundled page, and the API does not need the map.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if [[ ! -f $root/web/node_modules/esbuild/package.json ]] || ! command -v node >/dev/null 2>&1; then
    echo "build_web: web/node_modules/esbuild is missing: run scripts/install_web_deps.sh" \
        "(/map/ serves the unbundled page until then)" >&2
    exit 0
fi
exec node "$root/web/build.mjs"
