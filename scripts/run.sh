#!/usr/bin/env bash
# run.sh [CITY] - from a fresh Debian 12 machine: installs the Debian packages cityatlas needs
# (only those missing), builds it, loads a bundled city's datasets and example scenarios
# into its own embedded SpatiaLite database, lists them, and serves them at
# http://127.0.0.1:8080/ until Ctrl-C.
# CITY (the argument, else CITYATLAS_CITY) is the city.id of a catalog: datasets/catalog.json
# (the default city, Chiang Mai) or any datasets/*/catalog.json (Hat Yai: hat-yai), so a city
# added as its own folder of datasets/ is served without editing this script. Each city has
# its own database, ./cityatlas-CITY.sqlite (./cityatlas.sqlite for the default city), unless
# CITYATLAS_DB names another file. The port is 8080 unless CITYATLAS_PORT names another (0
# picks a free one).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

bash scripts/install_deps.sh
bash scripts/install_web_deps.sh

city=${1:-${CITYATLAS_CITY:-}}
catalog=datasets/catalog.json default_db=$root/cityatlas.sqlite
if [[ -n $city && $city != "$(jq -r '.city.id // empty' "$catalog")" ]]; then
    catalog=
    known=()
    for f in datasets/*/catalog.json; do
        id=$(jq -r '.city.id // empty' "$f")
        known+=("$id")
        [[ $id == "$city" ]] && catalog=$f default_db=$root/cityatlas-$city.sqlite
    done
    if [[ -z $catalog ]]; then
        echo "run.sh: no catalog in datasets/ is for the city '$city' (bundled: $(jq -r .city.id datasets/catalog.json) ${known[*]})" >&2
        exit 2
    fi
fi

cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build build/release -j "$(nproc)"

db=${CITYATLAS_DB:-$default_db}
bin=build/release/src/cityatlas
"$bin" import --db "$db" --catalog "$catalog"
"$bin" scenarios import --db "$db" --catalog "$catalog"
echo
"$bin" layers --db "$db"
echo
exec "$bin" serve --db "$db" --port "${CITYATLAS_PORT:-8080}"
