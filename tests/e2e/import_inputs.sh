#!/usr/bin/env bash
# import_inputs.sh BINARY - the files researchers bring (issue 15): GPX with empty standard
# layers, CSV saved by Thai Excel (CP874), CSV/XLSX/ODS coordinate columns, shapefiles with
# a missing .dbf or an "ANSI" CP874 .dbf, Thai file names. Fixtures: tests/data/inputs/,
# made by scripts/make_input_fixtures.sh; expected values in tests/data/README.md, section 6.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"

IN=$DATA/inputs
# A bbox in central Chiang Mai that holds some, but not all, features of the layers here.
BBOX=(98.975 18.775 98.995 18.795)

# import_fresh DB ARGS...: a successful import into a new database.
import_fresh() {
    local db=$1
    shift
    rm -f "$db" "$db-wal" "$db-shm"
    run "$BIN" import --db "$db" "$@"
    expect_rc 0 "import $*"
    expect_eq "$RUN_ERR" "" "stderr of a successful import (not a terminal: no progress)"
}

section "GPX: the waypoints are imported, the empty standard layers skipped with a note"
db=gpx.sqlite
import_fresh $db "$IN/gpx_folder/cm_landmarks.gpx"
expect_eq "$(layer_ids $db)" "cm-landmarks" "layer ids (one non-empty layer: the file's name)"
check_layer $db cm-landmarks 46 POINT 98.98 18.79 99.02 18.81
t=$LAYER_TABLE
expect_eq "$(reg $db cm-landmarks source_layer)" "waypoints" "source_layer"
expect_eq "$(sql $db "SELECT name FROM \"$t\" ORDER BY fid LIMIT 1")" \
    "สถานีขนส่ง อาเขต (หมายเลข 2)" "first waypoint's name"
expect_lonlat "$(point_of $db "$t" "fid = (SELECT min(fid) FROM \"$t\")")" 99.017243 18.800791 "first waypoint"
for l in routes tracks route_points track_points; do
    expect_contains "$RUN_OUT" "cm_landmarks.gpx: layer '$l' is empty; skipped" "note for $l"
done

section "GPX in a folder beside a GeoJSON: the folder imports"
db=gpx_folder.sqlite
import_fresh $db "$IN/gpx_folder"
expect_eq "$(layer_ids $db)" "cm-landmarks tambon-mueang" "layer ids (the file names in a folder)"
check_layer $db cm-landmarks 46 POINT
check_layer $db tambon-mueang 16 POLYGON

section "A shapefile without its .dbf is refused, naming the file"
db=nodbf.sqlite
rm -f $db
run "$BIN" import --db $db "$IN/shp_no_dbf"
expect_rc 3 "import of a shapefile without .dbf"
expect_contains "$RUN_OUT" "shp_no_dbf/tambon.shp: the .dbf attribute table is missing" "message"
expect_no_db_files $db "after a refused first import"
