#!/usr/bin/env bash
# layers_control.sh BINARY - a researcher's control over the layers once they are in
# (issue 15): re-import keeps metadata given earlier, `layers set/rm/rename` edit the
# registry without re-importing while a server keeps serving.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/e2e/serve_lib.sh
source "$(dirname "$0")/serve_lib.sh"

IN=$DATA/inputs
db=layers.sqlite

section "Re-import keeps the title, theme and licence given earlier, unless new ones are given"
import_fresh $db --title "Hospitals" --title-th "โรงพยาบาล" --theme health --license "ODbL 1.0" \
    --attribution "© OpenStreetMap contributors" "$IN/thai_names/โรงพยาบาล.geojson"
id=rong-phyabal
v1=$(reg $db $id version)
run "$BIN" import --db $db "$IN/thai_names/โรงพยาบาล.geojson"
expect_rc 0 "re-import without metadata"
expect_eq "$(reg $db $id "title_en || '|' || title_th || '|' || theme || '|' || license || '|' || attribution")" \
    "Hospitals|โรงพยาบาล|health|ODbL 1.0|© OpenStreetMap contributors" "metadata after a plain re-import"
expect_int -gt "$(reg $db $id version)" "$v1" "the re-import made a new version"
run "$BIN" import --db $db --title "Hospitals and clinics" "$IN/thai_names/โรงพยาบาล.geojson"
expect_rc 0 "re-import with a new title"
expect_eq "$(reg $db $id "title_en || '|' || title_th || '|' || theme")" \
    "Hospitals and clinics|โรงพยาบาล|health" "a new title replaces the old one, the rest stays"

section "layers set edits metadata without re-importing, while the server serves"
run "$BIN" import --db $db "$IN/thai_names/ถนน 2566.geojson"
expect_rc 0 "a second layer"
serve_start $db
get /collections/$id
expect_status 200 "the layer before the edits"
expect_eq "$(jqb .title)" "Hospitals and clinics" "title served before"
v=$(reg $db $id version)
t=$(reg $db $id table_name)
run "$BIN" layers set $id --db $db --title "Health care" --theme welfare
expect_rc 0 "layers set"
expect_eq "$(reg $db $id "title_en || '|' || title_th || '|' || theme || '|' || license")" \
    "Health care|โรงพยาบาล|welfare|ODbL 1.0" "metadata after layers set"
expect_eq "$(reg $db $id "version || '|' || table_name")" "$v|$t" "same version and table: nothing re-imported"
get /collections/$id
expect_status 200 "the layer after set"
expect_eq "$(jqb .title)" "Health care" "the running server serves the new title"

section "layers rename: atomic, served under the new id at once"
run "$BIN" layers rename $id hospitals --db $db
expect_rc 0 "layers rename"
expect_eq "$(layer_ids $db)" "hospitals thnn-2566" "ids after rename"
get /collections/hospitals
expect_status 200 "the renamed layer"
expect_eq "$(jqb .title)" "Health care" "its metadata came along"
get "/collections/hospitals/items?limit=100"
expect_eq "$(jqb '.features | length')" 5 "its features came along"
get /collections/$id
expect_status 404 "the old id"
run "$BIN" layers rename thnn-2566 hospitals --db $db
expect_rc 3 "rename onto a taken id"
expect_contains "$RUN_ERR" "layer id 'hospitals' is already taken" "message"
run "$BIN" layers rename hospitals "Bad Id" --db $db
expect_rc 2 "rename to an id that is not a slug"

section "layers rm removes a layer and its table"
run "$BIN" layers rm thnn-2566 --db $db
expect_rc 0 "layers rm"
expect_eq "$(layer_ids $db)" "hospitals" "ids after rm"
get /collections/thnn-2566
expect_status 404 "the removed layer"
run "$BIN" layers rm thnn-2566 --db $db
expect_rc 3 "rm of a missing layer"
expect_contains "$RUN_ERR" "no layer 'thnn-2566'" "message"
run "$BIN" layers set hospitals --db $db --theme nonsense
expect_rc 2 "set with an unknown theme"
expect_serve_alive "after the edits"
serve_stop "after the layer edits"

section "QGIS-style access: a stable view per layer id that survives re-imports and renames"
run "$BIN" import --db $db "$IN/thai_names/ถนน 2566.geojson"
expect_rc 0 "import"
run "$BIN" import --db $db "$IN/thai_names/ถนน 2566.geojson"
expect_rc 0 "re-import (a new table version)"
layers=$(ogrinfo -ro -so -q $db 2>/dev/null | sed -E 's/^[0-9]+: //' | sort | tr '\n' ' ')
expect_contains "$layers" "hospitals (Point)" "GDAL lists the view under the layer id"
expect_contains "$layers" "thnn-2566 (Point)" "GDAL lists the re-imported layer under its id"
expect_eq "$(ogrinfo -ro -q $db thnn-2566 -fid 1 | grep -E '^  (name|POINT)' | tr -s ' ' | paste -sd '|')" \
    " name (String) = สถานีขนส่ง อาเขต (หมายเลข 2)| POINT (99.017243 18.800791)" "feature 1 through the view"
expect_eq "$(ogrinfo -ro -so $db hospitals | grep -E '^Feature Count')" "Feature Count: 5" "the renamed layer's view"
expect_eq "$(sql $db "SELECT group_concat(view_name || '>' || f_table_name, ' ') FROM (SELECT * FROM views_geometry_columns ORDER BY view_name)")" \
    "hospitals>$(reg $db hospitals table_name) thnn-2566>$(reg $db thnn-2566 table_name)" "views_geometry_columns"

section "Dropped versions leave no orphan metadata rows (SpatiaLite's DropTable)"
for t in geometry_columns geometry_columns_auth geometry_columns_statistics geometry_columns_field_infos geometry_columns_time; do
    expect_eq "$(sql $db "SELECT count(*) FROM $t WHERE f_table_name NOT IN (SELECT lower(name) FROM sqlite_master WHERE type = 'table')")" \
        0 "orphan rows in $t"
done
expect_eq "$(sql $db "SELECT count(*) FROM sqlite_master WHERE name LIKE 'idx_ly%' AND name NOT IN (SELECT 'idx_' || table_name || '_geom' || suffix FROM cityatlas_layers, (SELECT '' AS suffix UNION ALL SELECT '_node' UNION ALL SELECT '_parent' UNION ALL SELECT '_rowid' UNION ALL SELECT '_count'))")" \
    0 "spatial index tables of dropped versions"

section "export-layer: Shapefile (.cpg), CSV (BOM), GeoJSON, GPKG, KML; the Shapefile round-trips"
src=export.sqlite
import_fresh $src "$DATA/tambon_mueang_32647_cp874_nocpg"
id=tambon-mueang-32647-cp874-nocpg
run "$BIN" export-layer $id --db $src --format Shapefile -o tambon.shp
expect_rc 0 "export-layer --format Shapefile"
expect_eq "$(cat tambon.cpg)" "UTF-8" "the .cpg beside the shapefile"
import_fresh back.sqlite --id back tambon.shp
expect_eq "$(reg back.sqlite back source_encoding)" "UTF-8 (.cpg)" "the re-import reads the .cpg"
rows() { sql "$1" "SELECT adm3_pcode || '|' || adm3_th || '|' || adm2_th || '|' || ST_AsText(geom) FROM \"$2\" ORDER BY adm3_pcode"; }
expect_eq "$(rows back.sqlite "$(reg back.sqlite back table_name)")" "$(rows $src "$(reg $src $id table_name)")" \
    "the exported shapefile re-imports to the same 16 features, Thai text and geometry"
expect_eq "$(sql back.sqlite "SELECT count(*) FROM \"$(reg back.sqlite back table_name)\" WHERE adm3_th = 'ศรีภูมิ'")" 1 "ศรีภูมิ"
run "$BIN" export-layer $id --db $src --format CSV -o tambon.csv
expect_rc 0 "export-layer --format CSV"
expect_eq "$(head -c 3 tambon.csv | od -An -tx1 | tr -d ' ')" "efbbbf" "the CSV starts with a BOM"
expect_contains "$(head -1 tambon.csv)" "WKT" "the CSV has a WKT column"
expect_eq "$(grep -c 'ศรีภูมิ' tambon.csv)" 1 "Thai text in the CSV"
run "$BIN" export-layer $id --db $src --format GeoJSON -o tambon.geojson
expect_rc 0 "export-layer --format GeoJSON"
expect_eq "$(jq '.features | length' tambon.geojson)" 16 "GeoJSON features"
for f in GPKG KML; do
    run "$BIN" export-layer $id --db $src --format $f -o "tambon.${f,,}"
    expect_rc 0 "export-layer --format $f"
    expect_eq "$(ogrinfo -ro -so -al "tambon.${f,,}" | grep -c 'Feature Count: 16')" 1 "$f features"
done
run "$BIN" export-layer $id --db $src --format GPKG -o tambon.gpkg
expect_rc 3 "an existing output file"
expect_contains "$RUN_ERR" "tambon.gpkg already exists" "message"
run "$BIN" export-layer $id --db $src --format DXF -o tambon.dxf
expect_rc 3 "an unknown format"
expect_contains "$RUN_ERR" "unknown format 'DXF'" "message"
run "$BIN" export-layer no-such-layer --db $src --format CSV -o x.csv
expect_rc 3 "an unknown layer"
expect_contains "$RUN_ERR" "no layer 'no-such-layer'" "message"

section "check --db is a faithful dry run (id collisions, the city's extent); --json for scripts"
FP=$(db_fingerprint $db)
run "$BIN" check --db $db --id hospitals "$IN/gpx_folder/cm_landmarks.gpx"
expect_rc 3 "check --db: the id is taken by another source"
expect_contains "$RUN_OUT" "layer id 'hospitals' is already used by a layer imported from" "collision reported by check"
run "$BIN" check --id hospitals "$IN/gpx_folder/cm_landmarks.gpx"
expect_rc 0 "check without --db cannot know"
run "$BIN" check --db $db --s-srs EPSG:32647 "$IN/shp_lonlat_noprj"
expect_rc 0 "check --db with a wrong CRS"
expect_contains "$RUN_OUT" "the data lands far from the city" "far-away warning in check"
expect_unchanged $db "$FP" "check --db"
run "$BIN" check --db $db --json --id hospitals "$IN/gpx_folder/cm_landmarks.gpx"
expect_rc 3 "check --json with a problem"
expect_eq "$(jq -r '[.dry_run, .committed, .layers[0].id, .layers[0].source_layer, (.layers[0].error | test("already used")), (.notes | length)] | join("|")' <<<"$RUN_OUT")" \
    "true|false|hospitals|waypoints|true|4" "check --json report"
run "$BIN" import --db json.sqlite --json "$IN/tambon_thai_headers.csv"
expect_rc 0 "import --json"
expect_eq "$(jq -r '.layers[0] | [.id, .features, .without_geometry, .crs_from, (.notes[0])] | join("|")' <<<"$RUN_OUT")" \
    "tambon-thai-headers|204|7|EPSG:4326 (assumed for lon/lat columns)|row 2: no point: 'ละติจูด' is empty" "import --json report"
expect_eq "$(jq -r .committed <<<"$RUN_OUT")" true "committed"

section "--append adds features to an existing layer (same fields, checked), atomically"
adb=append.sqlite
import_fresh $adb --id reports "$IN/reports_be.csv"
run "$BIN" import --db $adb --append --id reports "$IN/reports_ce.csv"
expect_rc 0 "--append of the CE reports"
check_layer $adb reports 408 POINT 98.9802 18.7902 99.0002 18.8002
run "$BIN" stats --db $adb --layer reports --time reported --interval year --format json
expect_eq "$(jq -r '[.rows[] | select(.period != null) | "\(.period):\(.n)"] | unique | join(",")' <<<"$RUN_OUT")" \
    "2023:192,2024:216" "the BE and CE series, appended, group by year"
FP=$(db_fingerprint $adb)
run "$BIN" import --db $adb --append --id reports "$IN/tambon_cp874.csv"
expect_rc 3 "--append with other fields"
expect_contains "$RUN_OUT" "tambon_cp874.csv (layer tambon_cp874): cannot append to 'reports': its fields are" "message"
run "$BIN" import --db $adb --append --id no-such-layer "$IN/reports_ce.csv"
expect_rc 3 "--append to a missing layer"
expect_contains "$RUN_OUT" "no layer 'no-such-layer' to append to" "message"
expect_unchanged $adb "$FP" "refused appends"
run "$BIN" import --db $adb --append "$IN/reports_ce.csv"
expect_rc 2 "--append without --id"
