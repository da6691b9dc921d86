#!/usr/bin/env bash
# run.sh - from a fresh Debian 12 machine: installs the Debian packages cityatlas needs
# (only those missing), builds it, loads the bundled Chiang Mai datasets
# (datasets/catalog.json) into the embedded SpatiaLite database, lists them, and serves
# them at http://127.0.0.1:8080/ until Ctrl-C.
# The database is ./cityatlas.sqlite unless CITYATLAS_DB names another file; the port is
# 8080 unless CITYATLAS_PORT names another (0 picks a free one).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

bash scripts/install_deps.sh
bash scripts/install_web_deps.sh
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build build/release -j "$(nproc)"

db=${CITYATLAS_DB:-$root/cityatlas.sqlite}
bin=build/release/src/cityatlas
"$bin" import --db "$db" --catalog datasets/catalog.json
"$bin" scenarios import --db "$db" datasets/scenarios.json
echo
"$bin" layers --db "$db"
echo
exec "$bin" serve --db "$db" --port "${CITYATLAS_PORT:-8080}"
