# ogc_lib.sh - what the OGC API client and conformance scripts share; sourced after
# lib.sh and serve_lib.sh:
#
#   ogc_serve MAX_LIMIT   imports the bundled catalog and tests/data/ogc/events.geojson (as
#                         layer "events") into $E2E_TMP/city.sqlite, sets DB to it and
#                         starts the server on it with --max-limit MAX_LIMIT
# shellcheck shell=bash disable=SC2034 # DB is read by the scripts

ogc_serve() {
    DB=$E2E_TMP/city.sqlite
    bundled_db "$DB"
    run "$BIN" import --quiet --db "$DB" --id events --title Events "$DATA/ogc/events.geojson"
    expect_rc 0 "import of tests/data/ogc/events.geojson"
    serve_start "$DB" --max-limit "$1"
}
