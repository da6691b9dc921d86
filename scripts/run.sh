#!/usr/bin/env bash
# run.sh [CITY] - from a fresh Debian 12 machine: installs the Debian packages cityatlas needs
# (only those missing), builds it, loads a bundled city's datasets and example scenarios
# into its own embedded SpatiaLite database, lists them, and serves them at
# http://127.0.0.1:8080/ until Ctrl-C.
# CITY (the argument, else CITYATLAS_CITY) is chiang-mai (the default: datasets/catalog.json)
# or hat-yai (datasets/hatyai/catalog.json); each city has its own database,
# ./cityatlas-CITY.sqlite (./cityatlas.sqlite for Chiang Mai), unless CITYATLAS_DB names
# another file. The port is 8080 unless CITYATLAS_PORT names another (0 picks a free one).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

city=${1:-${CITYATLAS_CITY:-chiang-mai}}
case $city in
chiang-mai) dir=datasets default_db=$root/cityatlas.sqlite ;;
hat-yai) dir=datasets/hatyai default_db=$root/cityatlas-hat-yai.sqlite ;;
*)
    echo "run.sh: unknown city '$city' (bundled: chiang-mai, hat-yai)" >&2
    exit 2
    ;;
esac

bash scripts/install_deps.sh
bash scripts/install_web_deps.sh
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build build/release -j "$(nproc)"

db=${CITYATLAS_DB:-$default_db}
bin=build/release/src/cityatlas
"$bin" import --db "$db" --catalog "$dir/catalog.json"
"$bin" scenarios import --db "$db" --catalog "$dir/catalog.json"
echo
"$bin" layers --db "$db"
echo
exec "$bin" serve --db "$db" --port "${CITYATLAS_PORT:-8080}"
