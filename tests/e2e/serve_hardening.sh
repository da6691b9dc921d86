#!/usr/bin/env bash
# serve_hardening.sh BINARY - issue 18 ("one visitor cannot take the server down"), the
# parts outside the HTTP transport: errors that echo Thai values (cut mid-character by a
# byte count, they used to go out with an empty body) have a JSON body naming the
# parameter on every route family; properties=a,a writes each key once; JSON bodies may
# start with a UTF-8 BOM and sketch positions may carry an altitude; CSV (items,
# sketches, statistics from the server and the CLI) never hands a spreadsheet a formula,
# and numbers stay numbers; on a copy of the database damaged with sqlite3 (a registry row
# with invalid JSON, a featured statistic that does not parse, a geometry blob that does
# not decode) only that layer, statistic or feature fails: 500s (never a 400), one error
# line each in the log even under --quiet, and everything else serves.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/e2e/serve_lib.sh
source "$(dirname "$0")/serve_lib.sh"

DB=$E2E_TMP/city.sqlite
serve_bundled_db "$DB"
# Three points whose text would be formulas in a spreadsheet, and a numeric column.
cat >pts.geojson <<'JSON'
{"type": "FeatureCollection", "features": [
 {"type": "Feature", "geometry": {"type": "Point", "coordinates": [98.985, 18.788]},
  "properties": {"label": "=HYPERLINK(\"http://evil.example\",\"x\")", "code": "-5", "n": -5}},
 {"type": "Feature", "geometry": {"type": "Point", "coordinates": [98.986, 18.789]},
  "properties": {"label": "@SUM(1+1)", "code": "+1+cmd", "n": 2.5}},
 {"type": "Feature", "geometry": {"type": "Point", "coordinates": [98.987, 18.790]},
  "properties": {"label": "ตลาด", "code": "7", "n": -0.5}}]}
JSON
run "$BIN" import --quiet --db "$DB" --id pts pts.geojson
expect_rc 0 "import of the formula points"
run "$BIN" token create --db "$DB" --name facilitator
expect_rc 0 "token create"
TOKEN=$(grep -Eo 'cat_[A-Za-z0-9_-]{43}' <<<"$RUN_OUT" | head -1)
AUTH=(-H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/geo+json')
SID=$(jq -r '.scenarios[0].id' "$REPO/datasets/scenarios.json")

serve_start "$DB"

section "errors that echo Thai values have a JSON body naming the parameter"
# 'x' then 40 Thai letters (3 bytes each): every old byte cut (%.20s ... %.80s) but one
# fell inside a character. urlencoded once here.
THAI=x$(printf 'ก%.0s' {1..40})
Q=$(jq -rn --arg v "$THAI" '$v | @uri')
# expect_thai_error STATUS PATH NAME: a JSON error naming NAME and echoing the value's start.
expect_thai_error() {
    get "$2"
    expect_json_error "$1" "$2"
    local d
    d=$(jqb .description)
    expect_contains "$d" "$3" "$2: the description names $3"
    expect_contains "$d" "xกกกกก" "$2: the description echoes the value"
}
expect_thai_error 400 "/collections/cm-districts/items?sortby=$Q" sortby
expect_thai_error 400 "/collections/cm-districts/items?properties=$Q" properties
expect_thai_error 400 "/collections/cm-districts/items?$Q=1" "unknown parameter"
expect_thai_error 400 "/collections/cm-districts/items?limit=$Q" limit
expect_thai_error 400 "/collections/cm-districts/items?f=$Q" "f:"
expect_thai_error 400 "/collections/cm-districts/items?crs=$Q" crs
expect_thai_error 400 "/collections/cm-districts/items?skipGeometry=$Q" skipGeometry
expect_thai_error 400 "/collections?lang=$Q" lang
expect_thai_error 404 "/collections/$Q" collection
expect_thai_error 404 "/collections/cm-districts/items/$Q" feature
expect_thai_error 400 "/stats?layer=$Q" layer
expect_thai_error 400 "/stats?layer=cm-cbd-pois&metric=$Q" metric
expect_thai_error 400 "/stats?layer=cm-cbd-pois&f=$Q" "f:"
expect_thai_error 404 "/stats/featured/$Q" "featured"
expect_thai_error 404 "/scenarios/$Q" scenario
expect_thai_error 404 "/scenarios/$SID/sketches/$Q" sketch
# A value longer than the excerpt: cut at a character, with an ellipsis.
LONG=$(printf 'ข%.0s' {1..100})
get "/collections/cm-districts/items?sortby=$(jq -rn --arg v "$LONG" '$v | @uri')"
expect_json_error 400 "sortby of 100 Thai letters"
expect_contains "$(jqb .description)" "'$(printf 'ข%.0s' {1..60})…'" "the excerpt: 60 letters and …"
# Bytes that are not UTF-8 at all are replaced, not a reason to drop the body.
get "/collections/cm-districts/items?sortby=%E0%B8"
expect_json_error 400 "sortby of a cut character"
expect_contains "$(jqb .description)" $'\uFFFD' "the bad bytes as U+FFFD"

section "properties=a,a writes the key once"
get "/collections/cm-districts/items?limit=1&properties=ADM2_EN,ADM2_EN,ADM2_TH"
expect_status 200 "properties with a repeated name"
expect_eq "$(grep -o '"ADM2_EN":' "$HTTP_BODY" | wc -l)" 1 "ADM2_EN keys in the feature"
expect_eq "$(jqb '.features[0].properties | keys | join(",")')" "ADM2_EN,ADM2_TH" "properties kept"
get "/collections/cm-districts/items?limit=1&properties=ADM2_EN,ADM2_EN&f=csv"
expect_eq "$(head -1 "$HTTP_BODY" | tr -d '\r' | sed 's/^\xEF\xBB\xBF//')" "fid,ADM2_EN,wkt" "CSV header with a repeated name"

section "JSON bodies with a BOM, positions with an altitude"
printf '\xEF\xBB\xBF{"type":"Feature","geometry":{"type":"Point","coordinates":[98.9853,18.7883,312.5]},"properties":{"kind":"proposal","note":"=1+2 ตลาด"}}' >bom.json
get "/scenarios/$SID/sketches" -X POST "${AUTH[@]}" --data-binary @bom.json
expect_status 201 "a sketch with a BOM and an altitude"
NEW=$(jqb .id)
get "/scenarios/$SID/sketches/$NEW"
expect_status 200 "the new sketch"
expect_eq "$(jqb '.geometry.coordinates | map(tostring) | join(" ")')" "98.9853 18.7883" "stored 2D"
printf '{"type":"Feature","geometry":{"type":"Point","coordinates":[98.9853,18.7883,1,2]},"properties":{"kind":"proposal"}}' >four.json
get "/scenarios/$SID/sketches" -X POST "${AUTH[@]}" --data-binary @four.json
expect_json_error 400 "a position of four numbers"
expect_contains "$(jqb .description)" "geometry.coordinates" "the error names the path"

section "CSV never hands a spreadsheet a formula; numbers stay numbers"
get "/collections/scenario-$SID-sketches/items?f=csv&limit=1000"
expect_status 200 "sketches as CSV"
expect_contains "$(body)" "\"'=1+2 ตลาด\"" "a sketch note that starts with ="
get "/collections/pts/items?f=csv&properties=label,code,n&skipGeometry=true"
expect_status 200 "points as CSV"
expect_eq "$(head -c 3 "$HTTP_BODY" | od -An -tx1 | tr -d ' ')" "efbbbf" "the CSV starts with a UTF-8 BOM"
expect_eq "$(tr -d '\r' <"$HTTP_BODY" | sed '1s/^\xEF\xBB\xBF//')" 'fid,label,code,n
1,"'"'"'=HYPERLINK(""http://evil.example"",""x"")",-5,-5
2,"'"'"'@SUM(1+1)","'"'"'+1+cmd",2.5
3,ตลาด,7,-0.5' "the CSV, cell by cell"
get "/stats?layer=pts&group=label&f=csv"
expect_status 200 "statistics as CSV"
expect_contains "$(body)" "\"'@SUM(1+1)\"" "a group value that starts with @"
expect_not_contains "$(body)" ",@SUM" "no bare formula"
run "$BIN" stats --db "$DB" --layer pts --group code --format csv
expect_rc 0 "stats CLI as CSV"
expect_contains "$RUN_OUT" "\"'+1+cmd\"" "CLI: a group value that starts with +"
expect_match "$RUN_OUT" '(^|,)-5(,|$)' "CLI: the text -5 is a plain number, kept"

serve_stop

section "a damaged database: only the damaged layer, statistic or feature fails"
cp "$DB" damaged.sqlite
N_LAYERS=$(sql damaged.sqlite "SELECT count(*) FROM cityatlas_layers")
FEATURED=$(sql damaged.sqlite "SELECT id FROM cityatlas_featured ORDER BY id LIMIT 1")
[[ -n $FEATURED ]] || fail "the bundled catalog has no featured statistic"
sql damaged.sqlite "UPDATE cityatlas_layers SET fields = '[{\"name\":' WHERE id = 'cm-province';
    UPDATE cityatlas_featured SET definition = '{\"id\":' WHERE id = '$FEATURED'"
# A geometry blob cut short; SpatiaLite's triggers would refuse it, so they are set aside
# for the write and put back as they were.
T=$(sql damaged.sqlite "SELECT table_name FROM cityatlas_layers WHERE id = 'cm-districts'")
TRIGGERS=$(sql damaged.sqlite "SELECT sql || ';' FROM sqlite_master WHERE type = 'trigger' AND tbl_name = '$T'")
DROPS=$(sql damaged.sqlite "SELECT 'DROP TRIGGER \"' || name || '\";' FROM sqlite_master WHERE type = 'trigger' AND tbl_name = '$T'")
sql damaged.sqlite "BEGIN; $DROPS UPDATE \"$T\" SET geom = X'0001E6100000FFFF' WHERE fid = 3; $TRIGGERS COMMIT;"
serve_start damaged.sqlite --quiet
get /collections
expect_status 200 "/collections with one damaged registry row"
# (shape views of mixed layers, "cityatlas": {"shapeOf": ...}, are collections beside them)
expect_eq "$(jqb '[.collections[] | select(.cityatlas.shapeOf == null)] | length')" $((N_LAYERS - 1)) \
    "the other collections are listed"
expect_eq "$(jqb '[.collections[].id | select(. == "cm-province")] | length')" 0 "the damaged one is not"
for path in /collections/cm-province /collections/cm-province/items "/stats?layer=cm-province" \
    "/stats/featured/$FEATURED" /collections/cm-districts/items/3; do
    get "$path"
    expect_json_error 500 "$path"
done
get "/collections/cm-districts/items/3?f=html"
expect_html_error 500 "a damaged feature asked for as a page"
get /collections/cm-tambon/items?limit=2
expect_status 200 "another layer's items"
get "/stats?layer=cm-cbd-pois&by=cm-tambon"
expect_status 200 "statistics of other layers"
# A statistic needs every boundary: one that does not decode fails it, as the server's fault.
get "/stats?layer=cm-cbd-pois&by=cm-districts"
expect_json_error 500 "statistics by the layer with the damaged boundary"
for f in json csv html; do
    get "/collections/cm-districts/items?limit=5&f=$f"
    expect_status 200 "a page ($f) with the damaged feature"
done
get "/collections/cm-districts/items?limit=5"
expect_eq "$(jqb '[.features[] | "\(.id):\(.geometry.type // "null")"] | join(",")')" \
    "1:Polygon,2:Polygon,3:null,4:Polygon,5:Polygon" "the page, feature 3 without its geometry"
serve_stop
log=$(cat "$SERVE_LOG")
expect_contains "$log" "error: damaged database: layer 'cm-province' has an unreadable field list" "the registry row, logged under --quiet"
expect_contains "$log" "featured statistic '$FEATURED'" "the featured statistic, logged"
expect_contains "$log" "layer 'cm-districts' feature 3 has a geometry that does not decode" "the blob, logged with layer and fid"
expect_contains "$log" "layer 'cm-districts': boundary 3: damaged database" "the boundary, logged with layer and fid"
expect_eq "$(grep -c "layer 'cm-province' has an unreadable field list in the registry; requests" "$SERVE_LOG")" 1 "the registry damage is logged once per generation"
