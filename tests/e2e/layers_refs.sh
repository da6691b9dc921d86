#!/usr/bin/env bash
# layers_refs.sh BINARY - what names a layer follows it (issue 15): `layers rename` makes
# the featured statistics, scenarios and city profile that name the layer follow in the
# same transaction while a server keeps serving; `layers rm` refuses a layer they use
# unless --force; a scenario's sketch layer goes only with its scenario. And the far-away
# warning compares with the city profile's extent (the catalog's, else the stored one).
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/e2e/serve_lib.sh
source "$(dirname "$0")/serve_lib.sh"

IN=$DATA/inputs
mkdir -p cat
cp "$IN/gpx_folder/tambon_mueang.geojson" "$IN/gpx_folder/cm_landmarks.gpx" cat/
cp "$IN"/shp_lonlat_noprj/points.* cat/
# write_catalog FILE CITY-EXTENT DATASETS: a test city, Testville, around Mueang Chiang Mai.
write_catalog() {
    cat >"$1" <<EOF
{
  "format": "cityatlas-catalog/1",
  "city": {"id": "testville", "title": {"th": "เมืองทดสอบ", "en": "Testville"},
           "extent": $2,
           "boundaries": [{"layer": "tambon", "name_field": "adm3_th", "label": {"th": "ตำบล", "en": "tambon"}}],
           "default_layers": ["tambon", "landmarks"]},
  "datasets": [$3],
  "statistics": [{"id": "landmarks-by-tambon",
                  "title": {"th": "แลนด์มาร์กรายตำบล", "en": "Landmarks by tambon"},
                  "question": {"th": "แต่ละตำบลมีแลนด์มาร์กกี่แห่ง", "en": "How many landmarks has each tambon?"},
                  "query": {"layer": "landmarks", "by": "tambon"}}]
}
EOF
}
dataset() { # dataset ID PATH [IMPORT-JSON]
    printf '{"id": "%s", "title": {"th": "%s", "en": "%s"}, "theme": "boundaries", "source": "test",
             "license": "ODbL-1.0", "attribution": "© OpenStreetMap contributors", "path": "%s"%s}' \
        "$1" "$1" "$1" "$2" "${3:+, \"import\": $3}"
}
write_catalog cat/city.json '{"layer": "tambon", "margin": 0.1}' \
    "$(dataset tambon tambon_mueang.geojson), $(dataset landmarks cm_landmarks.gpx '{"layer": "waypoints"}')"
db=city.sqlite

section "Far-away warning: a new database compares with the catalog's city extent"
write_catalog cat/far.json '[98.9, 18.7, 99.1, 18.9]' \
    "$(dataset tambon tambon_mueang.geojson), $(dataset landmarks cm_landmarks.gpx '{"layer": "waypoints"}'), $(dataset survey points.shp '{"s_srs": "EPSG:32647"}')"
import_fresh far.sqlite --catalog cat/far.json
expect_contains "$RUN_OUT" "survey: notes on $E2E_TMP/cat/points.shp (layer points):
  the data lands far from the city: its extent (94.5121, 0.0002 .. 94.5121, 0.0002) is 18.7 degrees from the extent of Testville (98.9000, 18.7000 .. 99.1000, 18.9000); is the CRS right? (--s-srs)" \
    "the wrongly projected dataset of a first import"
expect_eq "$(grep -c 'lands far' <<<"$RUN_OUT")" 1 "only that dataset is warned"
run "$BIN" check --catalog cat/far.json --id survey
expect_rc 0 "check of one dataset of the catalog (no database)"
expect_contains "$RUN_OUT" "from the extent of Testville (98.9000, 18.7000 .. 99.1000, 18.9000)" "check --catalog --id"

section "Far-away warning: the stored city profile's extent (a boundary layer plus its margin)"
import_fresh $db --catalog cat/city.json
expect_not_contains "$RUN_OUT" "lands far" "the city's own datasets"
# tambon_mueang.geojson spans 98.8620, 18.6994 .. 99.0486, 18.8752; the margin is 0.1.
warning="the data lands far from the city: its extent (94.5121, 0.0002 .. 94.5121, 0.0002) is 18.6 degrees from the extent of Testville (98.7620, 18.5994 .. 99.1486, 18.9752); is the CRS right? (--s-srs)"
run "$BIN" import --db $db --id survey --s-srs EPSG:32647 "$IN/shp_lonlat_noprj"
expect_rc 0 "a wrong CRS: imported, with a warning"
expect_contains "$RUN_OUT" "$warning" "warned against the stored profile's extent"
# The union of the layers now reaches 94.5°E: only the city's extent still says "far".
run "$BIN" check --db $db --id survey-2 --s-srs EPSG:32647 "$IN/shp_lonlat_noprj"
expect_rc 0 "check --db of the same mistake again"
expect_contains "$RUN_OUT" "$warning" "still warned with a far layer in the database"
run "$BIN" check --db $db --id survey-2 --s-srs EPSG:4326 "$IN/shp_lonlat_noprj"
expect_not_contains "$RUN_OUT" "lands far" "no warning with the right CRS"
run "$BIN" layers rm survey --db $db
expect_rc 0 "the wrong layer removed"

section "layers rename: featured statistics, scenarios and the city profile follow"
cat >scenarios.json <<'EOF'
{"format": "cityatlas-scenarios/1", "scenarios": [{
  "id": "walk", "title": {"th": "เดินเมือง", "en": "Walking city"},
  "narrative": {"th": "ทดสอบ", "en": "test"}, "extent": [98.95, 18.765, 99.03, 18.82],
  "layers": [{"collection": "landmarks"}, {"collection": "tambon"}],
  "statistics": ["landmarks-by-tambon"]}]}
EOF
run "$BIN" scenarios import --db $db scenarios.json
expect_rc 0 "scenarios import"
serve_start $db
get /stats/featured/landmarks-by-tambon
expect_status 200 "the featured statistic before"
total=$(jqb '.total.value')
expect_int -gt "$total" 0 "landmarks counted in the tambon"
v_landmarks=$(reg $db landmarks version)
run "$BIN" layers rename tambon tambon-2566 --db $db
expect_rc 0 "rename of the boundary layer"
expect_contains "$RUN_OUT" "rename: layer tambon is now tambon-2566
  now naming tambon-2566: featured statistic 'landmarks-by-tambon', scenario 'walk', the city profile" "what followed"
run "$BIN" layers rename landmarks places --db $db
expect_rc 0 "rename of the counted layer"
expect_contains "$RUN_OUT" "now naming places: featured statistic 'landmarks-by-tambon', scenario 'walk', the city profile" "what followed"
expect_eq "$(reg $db places version)" "$v_landmarks" "the layer itself is not re-imported"
expect_eq "$(sql $db "SELECT definition FROM cityatlas_featured" | jq -c .query)" \
    '{"layer":"places","by":"tambon-2566"}' "the stored featured statistic"
expect_eq "$(sql $db "SELECT doc FROM cityatlas_scenarios WHERE id = 'walk'" | jq -c '[.layers[].collection, .statistics[]]')" \
    '["places","tambon-2566","landmarks-by-tambon"]' "the stored scenario"
expect_eq "$(sql $db "SELECT value FROM cityatlas_meta WHERE key = 'city'" | jq -c '[.extent.layer, .boundaries[0].layer, .default_layers]')" \
    '["tambon-2566","tambon-2566",["tambon-2566","places"]]' "the stored city profile"
get /stats/featured/landmarks-by-tambon
expect_status 200 "the featured statistic after both renames"
expect_eq "$(jqb '.total.value')" "$total" "the same total"
expect_eq "$(jqb '[.query.layer, .query.by] | join(",")')" "places,tambon-2566" "served with the new ids"
get /scenarios/walk
expect_status 200 "the scenario after the renames"
expect_eq "$(jqb '[.layers[].collection] | join(",")')" "places,tambon-2566" "its layers"
get /
expect_eq "$(jqb '."cityatlas:city" | [.boundaries[0].layer, (.extent | length)] | join(",")')" "tambon-2566,4" \
    "the city profile: boundaries, and the extent still resolved from the renamed layer"
expect_serve_alive "after the renames"
FP=$(db_fingerprint $db)
run "$BIN" layers rename places tambon-2566 --db $db
expect_rc 3 "rename onto a taken id"
expect_unchanged $db "$FP" "a refused rename (nothing followed)"

section "A scenario's sketch layer goes only with its scenario"
run "$BIN" layers rename scenario-walk-sketches sketches --db $db
expect_rc 3 "rename of a sketch layer"
expect_contains "$RUN_ERR" "layer 'scenario-walk-sketches' holds the sketches of scenario 'walk' and goes only with it (DELETE /scenarios/walk)" "message"
run "$BIN" layers rm scenario-walk-sketches --db $db --force
expect_rc 3 "rm of a sketch layer, even with --force"
expect_unchanged $db "$FP" "refused sketch layer edits"

section "layers rm refuses a layer in use, naming the users, unless --force"
run "$BIN" layers rm places --db $db
expect_rc 3 "rm of a layer in use"
expect_contains "$RUN_ERR" "layer 'places' is used by featured statistic 'landmarks-by-tambon', scenario 'walk', the city profile; change or remove them first, or pass --force to remove the layer anyway" "message"
expect_unchanged $db "$FP" "a refused rm"
run "$BIN" layers set places --db $db --force
expect_rc 2 "--force is for rm only"
run "$BIN" layers rm places --db $db --force
expect_rc 0 "rm --force"
expect_eq "$(layer_ids $db)" "scenario-walk-sketches tambon-2566" "ids after rm --force"
get /collections/places
expect_status 404 "the removed layer"
get /stats/featured/landmarks-by-tambon
expect_json_error 400 "the featured statistic naming a removed layer"
expect_serve_alive "after rm --force"
serve_stop "after the layer edits"
