#!/usr/bin/env bash
# import_under_valgrind.sh BINARY - runs real imports (the bundled catalog and the
# researcher-style inputs) and a listing under valgrind; any leak or memory error fails.
set -euo pipefail
bin=$1
repo=${CITYATLAS_REPO:?}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
vg=(valgrind --quiet --leak-check=full --show-leak-kinds=definite,indirect
    --errors-for-leak-kinds=definite,indirect --error-exitcode=99 --track-origins=no)
check() {
    local rc=0
    "${vg[@]}" "$@" >"$work/out" 2>"$work/err" || rc=$?
    if [[ $rc -eq 99 ]]; then
        echo "valgrind found errors in: $*" >&2
        cat "$work/err" >&2
        exit 1
    fi
    echo "ok (exit $rc): ${*:2:3}"
}
check "$bin" import --quiet --db "$work/a.sqlite" --catalog "$repo/datasets/catalog.json"
check "$bin" import --quiet --db "$work/a.sqlite" \
    "$repo/tests/data/researcher/cm_tambon_indian1975_utm47n_cp874.zip" \
    "$repo/tests/data/tambon_mueang_32647_cp874_nocpg" "$repo/tests/data/two_layers.gpkg" \
    "$repo/tests/data/researcher/cm_cbd_landmarks.kml" \
    "$repo/tests/data/researcher/cm_cbd_temples_schools_health_latlon_utf8bom_crlf.csv"
check "$bin" import --quiet --db "$work/a.sqlite" "$repo/tests/data/broken/invalid_polygons.geojson"
check "$bin" import --quiet --db "$work/a.sqlite" "$repo/tests/data/broken/corrupt.zip"
check "$bin" check "$repo/tests/data/no_crs"
check "$bin" layers --db "$work/a.sqlite"
