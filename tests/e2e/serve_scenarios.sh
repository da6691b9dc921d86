#!/usr/bin/env bash
# serve_scenarios.sh BINARY - the scenario API over HTTP on the bundled data and the bundled
# scenarios: list and read (ETag moves with every write); every write route refuses a
# missing, malformed, unknown or revoked token (401 with WWW-Authenticate, 403) and a body
# of the wrong type (415) with the database unchanged; a scenario is created (201, Location,
# 409 the second time), replaced and deleted; point, line and polygon sketches are added
# (one Feature, then a FeatureCollection), one is moved (PUT) and the sketch collection's
# items show the new coordinates, then deleted; bad GeoJSON (not JSON, wrong type, outside
# the city, self-intersecting, too many vertices, note too long, unknown kind or property,
# a body over 1 MiB, a failing batch) gets a 4xx JSON error naming the problem and changes
# nothing; GDAL's OAPIF driver reads the sketch collection.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/e2e/serve_lib.sh
source "$(dirname "$0")/serve_lib.sh"

DB=$E2E_TMP/city.sqlite
bundled_db "$DB" scenarios

# new_token NAME: a facilitator token, printed once by the CLI.
new_token() {
    run "$BIN" token create --db "$DB" --name "$1"
    expect_rc 0 "token create --name $1"
    local token
    token=$(grep -Eo 'cat_[A-Za-z0-9_-]{43}' <<<"$RUN_OUT" | head -1)
    [[ -n $token ]] || fail "token create --name $1 printed no token on stdout"
    printf '%s\n' "$token"
}
TOKEN=$(new_token facilitator)
REVOKED=$(new_token former)
run "$BIN" token revoke --db "$DB" --name former
expect_rc 0 "token revoke"
# Well formed, never issued.
UNKNOWN=cat_$(head -c 32 /dev/urandom | base64 -w0 | tr '+/' '-_' | tr -d '=')
AUTH=(-H "Authorization: Bearer $TOKEN")
JSON=(-H 'Content-Type: application/json')

serve_start "$DB"

section "list and read the bundled scenarios"
get /scenarios
expect_status 200 "GET /scenarios"
expect_eq "$(header Content-Type)" "application/json" "list content type"
FILE=$REPO/datasets/scenarios.json
n_file=$(jq '.scenarios | length' "$FILE")
expect_eq "$(jqb '.scenarios | length')" "$n_file" "scenarios listed vs the bundled file"
expect_eq "$(jqb '[.scenarios[] | select(.example == true)] | length')" "$n_file" "all bundled ones are examples"
SID=$(jqb '.scenarios[0].id')
LAYER=scenario-$SID-sketches
expect_eq "$(jqb '.scenarios[0].links[] | select(.rel == "items") | .href')" "$BASE/collections/$LAYER/items" "items link"
expect_eq "$(jqb '[.scenarios[] | "\(.id) \(.title.th)"] | sort | join(",")')" \
    "$(jq -r '[.scenarios[] | "\(.id) \(.title.th)"] | sort | join(",")' "$FILE")" "ids and Thai titles vs the file"
n_sketches=$(jqb '.scenarios[0].sketch_count')
expect_eq "$n_sketches" "$(jq --arg id "$SID" '.scenarios[] | select(.id == $id) | .sketches.features | length' "$FILE")" "sketch_count of $SID vs the file"
expect_int -gt "$n_sketches" 0 "bundled sketches of $SID"
LIST_ETAG=$(header ETag)
expect_match "$LIST_ETAG" '^W/"' "list ETag"
get /scenarios -H "If-None-Match: $LIST_ETAG"
expect_status 304 "list revalidated"
get "/scenarios/$SID"
expect_status 200 "GET /scenarios/$SID"
expect_eq "$(jqb .id)" "$SID" "document id"
expect_eq "$(jqb .sketch_count)" "$n_sketches" "sketch count"
expect_int -gt "$(jqb '.layers | length')" 0 "layers of the document"
jq 'del(.sketch_count, .created_at, .updated_at, .links)' "$HTTP_BODY" >doc.json
get "/scenarios/$SID?f=csv"
expect_json_error 400 "f=csv (the page is HTML or JSON)"
expect_contains "$(jqb .description)" "json" "f=csv: the allowed values"
get /scenarios/no-such-scenario
expect_json_error 404 "unknown scenario"
get "/collections/$LAYER/items"
expect_status 200 "the sketch collection"
expect_eq "$(jqb '.features | length')" "$n_sketches" "sketch features"
get "/scenarios/$SID/sketches"
expect_status 200 "GET /scenarios/$SID/sketches"
expect_eq "$(jqb '.features | length')" "$n_sketches" "sketch features through the scenario"

section "methods and preflight"
get "/scenarios/$SID" -X OPTIONS -H 'Access-Control-Request-Method: PUT'
expect_status 204 "OPTIONS /scenarios/$SID"
expect_eq "$(header Allow)" "GET, HEAD, PUT, DELETE, OPTIONS" "Allow of a scenario"
expect_contains "$(header Access-Control-Allow-Headers)" Authorization "preflight allows Authorization"
expect_contains "$(header Access-Control-Allow-Headers)" Content-Type "preflight allows Content-Type"
get /scenarios -X PATCH "${AUTH[@]}"
expect_json_error 405 "PATCH /scenarios"
expect_eq "$(header Allow)" "GET, HEAD, POST, OPTIONS" "Allow of /scenarios"

# state: the scenarios table and every sketch layer's rows (ids, kinds, notes, geometry).
state() {
    sql "$DB" "SELECT id, doc, updated_at FROM cityatlas_scenarios ORDER BY id"
    local t
    for t in $(sql "$DB" "SELECT table_name FROM cityatlas_layers WHERE id LIKE 'scenario-%-sketches' ORDER BY id"); do
        sql "$DB" "SELECT '$t', fid, sketch_id, kind, note, group_name, hex(geom) FROM \"$t\" ORDER BY fid"
    done
    sql "$DB" "SELECT id, version FROM cityatlas_layers ORDER BY id"
}
# unchanged WHAT: the scenarios, the sketch layers and the whole database are as before.
unchanged() {
    expect_eq "$(state)" "$STATE" "$1: scenarios and sketch layers"
    expect_unchanged "$DB" "$FP" "$1"
}
STATE=$(state)
FP=$(db_fingerprint "$DB")

POINT='{"type":"Feature","geometry":{"type":"Point","coordinates":[98.9853,18.7883]},"properties":{"kind":"proposal","note":"ทางเท้าร่มรื่นรอบคูเมือง","group":"กลุ่ม 9"}}'

section "tokens: none, malformed, unknown, revoked on every write"
# write_calls: METHOD PATH [BODY] for each write route.
write_calls=(
    "POST /scenarios doc.json"
    "PUT /scenarios/$SID doc.json"
    "DELETE /scenarios/$SID -"
    "POST /scenarios/$SID/sketches point.json"
    "PUT /scenarios/$SID/sketches/1 point.json"
    "DELETE /scenarios/$SID/sketches/1 -"
)
printf '%s' "$POINT" >point.json
for call in "${write_calls[@]}"; do
    read -r method path file <<<"$call"
    data=()
    [[ $file == - ]] || data=(--data-binary "@$file")
    get "$path" -X "$method" "${JSON[@]}" "${data[@]}"
    expect_json_error 401 "$method $path without a token"
    expect_eq "$(header WWW-Authenticate)" 'Bearer realm="cityatlas"' "$method $path: challenge"
    expect_eq "$(header Cache-Control)" "no-store" "$method $path: refusals are not cached"
    get "$path" -X "$method" "${JSON[@]}" "${data[@]}" -H 'Authorization: Bearer not-a-token'
    expect_json_error 401 "$method $path with a malformed token"
    get "$path" -X "$method" "${JSON[@]}" "${data[@]}" -H "Authorization: Basic $(printf 'a:b' | base64)"
    expect_json_error 401 "$method $path with Basic credentials"
    get "$path" -X "$method" "${JSON[@]}" "${data[@]}" -H "Authorization: Bearer $UNKNOWN"
    expect_json_error 401 "$method $path with an unknown token"
    expect_eq "$(header WWW-Authenticate)" 'Bearer realm="cityatlas"' "$method $path: challenge (unknown)"
    get "$path" -X "$method" "${JSON[@]}" "${data[@]}" -H "Authorization: Bearer $REVOKED"
    expect_json_error 403 "$method $path with a revoked token"
    expect_contains "$(jqb .description)" "revoked" "$method $path: says revoked"
done
unchanged "after the refused writes"

section "Content-Type"
get "/scenarios/$SID/sketches" -X POST "${AUTH[@]}" -H 'Content-Type: text/plain' --data-binary @point.json
expect_json_error 415 "text/plain body"
get "/scenarios/$SID/sketches" -X POST "${AUTH[@]}" --data-binary @point.json
expect_json_error 415 "a form body (curl's default type)"
unchanged "after the 415s"

section "create, replace and delete a scenario"
jq '.id = "e2e-new" | .title.en = "Made by the test" | .example = false' doc.json >new.json
get /scenarios -X POST "${AUTH[@]}" "${JSON[@]}" --data-binary @new.json
expect_status 201 "POST /scenarios"
expect_eq "$(header Location)" "$BASE/scenarios/e2e-new" "Location"
expect_eq "$(jqb .title.en)" "Made by the test" "created document"
get /scenarios -X POST "${AUTH[@]}" "${JSON[@]}" --data-binary @new.json
expect_json_error 409 "POST of an existing id"
get /scenarios
expect_status 200 "list after create"
expect_ne "$(header ETag)" "$LIST_ETAG" "the list's ETag moved"
expect_eq "$(jqb '[.scenarios[].id] | index("e2e-new") != null')" true "listed"
get /scenarios -H "If-None-Match: $LIST_ETAG"
expect_status 200 "the old ETag no longer validates"
get /scenarios/e2e-new
expect_eq "$(jqb .sketch_count)" 0 "a new scenario has no sketches"
get /collections/scenario-e2e-new-sketches/items
expect_status 200 "its empty sketch collection"
expect_eq "$(jqb '.features | length')" 0 "no features"
jq 'del(.id) | .title.en = "Replaced"' new.json >replaced.json
get /scenarios/e2e-new -X PUT "${AUTH[@]}" "${JSON[@]}" --data-binary @replaced.json
expect_status 200 "PUT /scenarios/e2e-new"
get /scenarios/e2e-new
expect_eq "$(jqb .title.en)" "Replaced" "replaced title"
STATE=$(state)
FP=$(db_fingerprint "$DB")
get /scenarios/e2e-new -X PUT "${AUTH[@]}" "${JSON[@]}" --data-binary @doc.json
expect_json_error 400 "PUT with another id in the body"
expect_contains "$(jqb .description)" "id" "the message names the id"
get /scenarios/e2e-missing -X PUT "${AUTH[@]}" "${JSON[@]}" --data-binary @replaced.json
expect_json_error 404 "PUT of an unknown scenario"
jq '.layers[0].collection = "cm-no-such-layer"' replaced.json >badlayer.json
get /scenarios/e2e-new -X PUT "${AUTH[@]}" "${JSON[@]}" --data-binary @badlayer.json
expect_json_error 400 "a document naming an unknown layer"
expect_contains "$(jqb .description)" "cm-no-such-layer" "the unknown layer is named"
jq '.statistics = ["no-such-statistic"]' replaced.json >badstat.json
get /scenarios/e2e-new -X PUT "${AUTH[@]}" "${JSON[@]}" --data-binary @badstat.json
expect_json_error 400 "a document naming an unknown statistic"
expect_contains "$(jqb .description)" "no-such-statistic" "the unknown statistic is named"
jq '.colour = "red"' replaced.json >badkey.json
get /scenarios/e2e-new -X PUT "${AUTH[@]}" "${JSON[@]}" --data-binary @badkey.json
expect_json_error 400 "a document with an unknown key"
expect_contains "$(jqb .description)" "colour" "the unknown key is named"
unchanged "after the refused documents"
get /scenarios/e2e-new -X DELETE "${AUTH[@]}"
expect_status 204 "DELETE /scenarios/e2e-new"
get /scenarios/e2e-new
expect_json_error 404 "deleted scenario"
get /collections/scenario-e2e-new-sketches/items
expect_json_error 404 "its sketch collection is gone"
get /scenarios/e2e-new -X DELETE "${AUTH[@]}"
expect_json_error 404 "DELETE twice"

section "add, move and delete sketches"
SK=/scenarios/$SID/sketches
get "$SK" -X POST "${AUTH[@]}" -H 'Content-Type: application/geo+json' --data-binary @point.json
expect_status 201 "POST a point"
expect_eq "$(header Content-Type)" "application/geo+json" "created content type"
P_ID=$(jqb .id)
expect_eq "$(header Location)" "$BASE/collections/$LAYER/items/$P_ID" "Location of the point"
expect_eq "$(jqb .properties.sketch_id)" "$P_ID" "sketch_id is the feature id"
cat >two.json <<'EOF'
{"type": "FeatureCollection", "features": [
 {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[98.9800, 18.7900], [98.9850, 18.7905], [98.9900, 18.7900]]},
  "properties": {"kind": "problem", "note": "รถติดช่วงเย็น", "group": "กลุ่ม 2"}},
 {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[[98.9830, 18.7850], [98.9860, 18.7850], [98.9860, 18.7870], [98.9830, 18.7870], [98.9830, 18.7850]]]},
  "properties": {"kind": "asset", "note": "ตลาดชุมชน"}}]}
EOF
get "$SK" -X POST "${AUTH[@]}" "${JSON[@]}" --data-binary @two.json
expect_status 201 "POST a line and a polygon"
expect_eq "$(jqb '.features | length')" 2 "two created"
L_ID=$(jqb '.features[0].id')
G_ID=$(jqb '.features[1].id')
expect_eq "$(header Location)" "$BASE/collections/$LAYER/items/$L_ID" "Location of the first"
get "/collections/$LAYER/items?limit=1000"
expect_eq "$(jqb '.features | length')" "$((n_sketches + 3))" "three more sketches served"
expect_eq "$(jqb '.features[] | select(.id == $id) | .geometry.type' --argjson id "$L_ID")" LineString "the line"
expect_eq "$(jqb '.features[] | select(.id == $id) | .properties.kind' --argjson id "$G_ID")" asset "the polygon's kind"
get "/scenarios/$SID"
expect_eq "$(jqb .sketch_count)" "$((n_sketches + 3))" "sketch_count follows"
jq '.geometry.coordinates = [98.9870, 18.7890] | .properties.note = "ย้ายไปหน้าประตูท่าแพ"' point.json >moved.json
get "$SK/$P_ID" -X PUT "${AUTH[@]}" "${JSON[@]}" --data-binary @moved.json
expect_status 200 "PUT (move) the point"
get "/collections/$LAYER/items/$P_ID"
expect_status 200 "the moved point"
expect_eq "$(jqb '.geometry.coordinates | map(tostring) | join(" ")')" "98.987 18.789" "new coordinates"
expect_eq "$(jqb .properties.note)" "ย้ายไปหน้าประตูท่าแพ" "new note"
get "$SK/$P_ID"
expect_eq "$(jqb '.geometry.coordinates | map(tostring) | join(" ")')" "98.987 18.789" "through the scenario path"
get "$SK/$G_ID" -X DELETE "${AUTH[@]}"
expect_status 204 "DELETE the polygon"
get "/collections/$LAYER/items/$G_ID"
expect_json_error 404 "the deleted sketch"
get "$SK/$G_ID" -X DELETE "${AUTH[@]}"
expect_json_error 404 "DELETE twice"
get "$SK/999999" -X PUT "${AUTH[@]}" "${JSON[@]}" --data-binary @moved.json
expect_json_error 404 "PUT of an unknown sketch"
get /scenarios/no-such-scenario/sketches -X POST "${AUTH[@]}" "${JSON[@]}" --data-binary @point.json
expect_json_error 404 "POST to an unknown scenario"

section "bad GeoJSON: 4xx naming the problem, nothing changed"
STATE=$(state)
FP=$(db_fingerprint "$DB")
# bad NAME STATUS PATTERN: posts bad.json; the description must match PATTERN.
bad() {
    get "$SK" -X POST "${AUTH[@]}" "${JSON[@]}" --data-binary @bad.json
    expect_json_error "$2" "$1"
    expect_match "$(jqb .description)" "$3" "$1: the message"
}
printf '{"type": "Feature", "geometry": ' >bad.json
bad "not JSON" 400 'JSON|line|column|end'
printf '{"type": "Point", "coordinates": [98.98, 18.79]}' >bad.json
bad "a bare geometry" 400 'type'
jq '.geometry.coordinates = [120.5, 18.79]' point.json >bad.json
bad "outside the city" 400 'outside|extent'
jq '.geometry = {"type": "Polygon", "coordinates": [[[98.98, 18.78], [98.99, 18.79], [98.99, 18.78], [98.98, 18.79], [98.98, 18.78]]]}' point.json >bad.json
bad "a self-intersecting polygon" 400 '[Ss]elf|valid'
jq '.geometry = {"type": "LineString", "coordinates": [range(5001) | [98.95 + . * 0.00001, 18.79]]}' point.json >bad.json
bad "5001 vertices" 400 '5000'
jq --arg n "$(head -c 2001 /dev/zero | tr '\0' a)" '.properties.note = $n' point.json >bad.json
bad "a note of 2001 characters" 400 'note'
jq '.properties.kind = "spaceship"' point.json >bad.json
bad "an unknown kind" 400 'spaceship|kind'
jq '.properties.colour = "red"' point.json >bad.json
bad "an unknown property" 400 'colour'
jq '.features[1].geometry.coordinates[0][2] = [120.5, 18.79]' two.json >bad.json
bad "a batch with one bad feature" 400 'features\[1\]'
head -c $((1024 * 1024 + 10)) /dev/zero | tr '\0' ' ' >bad.json
bad "a body over 1 MiB" 413 '1 MiB'
expect_serve_alive "after the bad bodies"
unchanged "after the bad GeoJSON"

section "GDAL's OAPIF driver reads the sketch collection"
if command -v ogrinfo >/dev/null; then
    export NO_PROXY='*' no_proxy='*' GDAL_HTTP_TIMEOUT=$SERVE_CURL_MAX_TIME CPL_VSIL_CURL_USE_HEAD=NO
    run ogrinfo -ro -so "OAPIF:$BASE" "$LAYER"
    expect_rc 0 "ogrinfo OAPIF $LAYER"
    expect_contains "$RUN_OUT" "Feature Count: $((n_sketches + 2))" "features ogrinfo counts"
    run ogrinfo -ro -q "OAPIF:$BASE" "$LAYER" -where "sketch_id = $P_ID"
    expect_rc 0 "ogrinfo reads the moved point"
    expect_contains "$RUN_OUT" "POINT (98.987 18.789)" "the moved point through GDAL"
else
    echo "note: ogrinfo (gdal-bin) missing: the OAPIF check is skipped"
fi

serve_stop "the scenario server"
