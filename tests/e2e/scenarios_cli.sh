#!/usr/bin/env bash
# scenarios_cli.sh BINARY - `cityatlas token` and `cityatlas scenarios` on the bundled data:
# a token is printed once, stored only as its SHA-256, listed without it, revoked; the
# bundled datasets/scenarios.json imports its 4 example scenarios with the sketch counts
# the file has, each a layer of `cityatlas layers`; a re-import keeps a scenario someone
# edited and --replace restores it; a broken copy of the file exits 2 naming the file, the
# scenario and the JSON path, and changes nothing.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"

DB=$E2E_TMP/city.sqlite
SCENARIOS=$REPO/datasets/scenarios.json
export CITYATLAS_LOG=warning

bundled_db "$DB"

section "help"
run "$BIN" --help
expect_match "$RUN_OUT" "^ +scenarios +[a-z]" "cityatlas --help lists scenarios"
expect_match "$RUN_OUT" "^ +token +[a-z]" "cityatlas --help lists token"
run "$BIN" scenarios --help
expect_rc 0 "scenarios --help"
expect_contains "$RUN_OUT" "--replace" "scenarios --help: --replace"
run "$BIN" token --help
expect_rc 0 "token --help"
run "$BIN" token
expect_rc 2 "token without an action"
run "$BIN" token create --db "$DB"
expect_rc 2 "token create without --name"

section "tokens"
run "$BIN" token create --db "$DB" --name "ครูสมศรี"
expect_rc 0 "token create"
TOKEN=$RUN_OUT
expect_match "$TOKEN" '^cat_[A-Za-z0-9_-]{43}$' "token create prints one token on stdout"
expect_contains "$RUN_ERR" "shown only this once" "token create warns on stderr"
HASH=$(printf '%s' "$TOKEN" | sha256sum | cut -d' ' -f1)
expect_eq "$(sql "$DB" "SELECT name || '|' || (revoked_at IS NULL) FROM cityatlas_tokens WHERE sha256 = '$HASH'")" \
    "ครูสมศรี|1" "the table holds the token's SHA-256"
expect_eq "$(sql "$DB" "SELECT count(*) FROM cityatlas_tokens WHERE instr(name || sha256 || created_at, '${TOKEN#cat_}') > 0")" \
    "0" "the table never holds the token"
run "$BIN" token create --db "$DB" --name "ครูสมศรี"
expect_rc 2 "token create with a name in use"
expect_contains "$RUN_ERR" "already exists" "token create with a name in use: message"
run "$BIN" token list --db "$DB" --json
expect_rc 0 "token list --json"
expect_eq "$(jq -r '.[0].name + "|" + (.[0].revoked_at | tostring)' <<<"$RUN_OUT")" "ครูสมศรี|null" \
    "token list: name, not revoked"
expect_not_contains "$RUN_OUT" "$HASH" "token list shows no hash"
expect_not_contains "$RUN_OUT" "${TOKEN#cat_}" "token list shows no token"
run "$BIN" token revoke --db "$DB" --name "ครูสมศรี"
expect_rc 0 "token revoke"
run "$BIN" token list --db "$DB"
expect_match "$RUN_OUT" "ครูสมศรี +[0-9T:Z-]+ +[0-9]{4}-" "token list: revoked time"
run "$BIN" token revoke --db "$DB" --name "ครูสมศรี"
expect_rc 2 "revoking a revoked token"
run "$BIN" token list --db "$E2E_TMP/missing.sqlite"
expect_rc 5 "token list on a missing database"
expect_file_absent "$E2E_TMP/missing.sqlite" "token list creates no database"

section "import the bundled scenarios"
N_FILE=$(jq '.scenarios | length' "$SCENARIOS")
expect_eq "$N_FILE" 4 "datasets/scenarios.json has the 4 examples"
expect_eq "$(jq '[.scenarios[] | select(.example == true)] | length' "$SCENARIOS")" 4 \
    "every bundled scenario is marked as an example"
run "$BIN" scenarios import --db "$DB" "$SCENARIOS"
expect_rc 0 "scenarios import"
run "$BIN" scenarios list --db "$DB" --json
expect_rc 0 "scenarios list --json"
LISTED=$RUN_OUT
expect_eq "$(jq 'length' <<<"$LISTED")" 4 "4 scenarios listed"
run "$BIN" layers --db "$DB" --json
LAYERS=$RUN_OUT
for id in $(jq -r '.scenarios[].id' "$SCENARIOS"); do
    want=$(jq --arg id "$id" '.scenarios[] | select(.id == $id) | .sketches.features | length' "$SCENARIOS")
    expect_int -ge "$want" 4 "$id: the file has at least 4 sketches"
    expect_eq "$(jq --arg id "$id" '.[] | select(.id == $id) | .sketch_count' <<<"$LISTED")" "$want" \
        "$id: sketch count as in the file"
    expect_eq "$(jq -r --arg id "$id" '.[] | select(.id == $id) | .example' <<<"$LISTED")" "true" \
        "$id: listed as an example"
    layer=scenario-$id-sketches
    expect_eq "$(jq -r --arg l "$layer" '.[] | select(.id == $l) | "\(.theme)|\(.feature_count)"' <<<"$LAYERS")" \
        "scenarios|$want" "$layer is a layer of 'cityatlas layers'"
    table=$(reg "$DB" "$layer" table_name)
    expect_eq "$(sql "$DB" "SELECT count(*) FROM \"$table\" WHERE fid = sketch_id")" "$want" \
        "$layer: every feature's fid is its sketch_id"
done
# Each sketch sits inside the central Chiang Mai box the scenarios show.
table=$(reg "$DB" scenario-kin-di-yu-di-sketches table_name)
expect_eq "$(sql "$DB" "SELECT count(*) FROM \"$table\" WHERE MbrMinX(geom) < 98.95 OR MbrMaxX(geom) > 99.03 OR MbrMinY(geom) < 18.765 OR MbrMaxY(geom) > 18.82")" \
    "0" "kin-di-yu-di: sketches inside the extent"

section "a re-import keeps edits; --replace restores the file"
sql "$DB" "UPDATE cityatlas_scenarios SET doc = json_set(doc, '$.title.en', 'Edited in the workshop') WHERE id = 'kin-di-yu-di'"
layer_version=$(reg "$DB" scenario-kin-di-yu-di-sketches version)
run "$BIN" scenarios import --db "$DB" "$SCENARIOS"
expect_rc 0 "re-import"
expect_match "$RUN_OUT" "kin-di-yu-di +kept" "re-import says the scenario was kept"
expect_eq "$(sql "$DB" "SELECT json_extract(doc, '$.title.en') FROM cityatlas_scenarios WHERE id = 'kin-di-yu-di'")" \
    "Edited in the workshop" "re-import keeps the edited scenario"
expect_eq "$(reg "$DB" scenario-kin-di-yu-di-sketches version)" "$layer_version" \
    "re-import leaves the sketch layer alone"
run "$BIN" scenarios import --db "$DB" --replace "$SCENARIOS"
expect_rc 0 "import --replace"
expect_eq "$(sql "$DB" "SELECT json_extract(doc, '$.title.en') FROM cityatlas_scenarios WHERE id = 'kin-di-yu-di'")" \
    "$(jq -r '.scenarios[] | select(.id == "kin-di-yu-di") | .title.en' "$SCENARIOS")" \
    "--replace restores the file's scenario"
expect_int -gt "$(reg "$DB" scenario-kin-di-yu-di-sketches version)" "$layer_version" \
    "--replace writes the sketch layer again"

section "a broken file changes nothing"
BEFORE=$(db_fingerprint "$DB")
jq '.scenarios[2].sketches.features[1].geometry.coordinates = [120.5, 18.8]' "$SCENARIOS" >"$E2E_TMP/broken.json"
run "$BIN" scenarios import --db "$DB" --replace "$E2E_TMP/broken.json"
expect_rc 2 "broken coordinates"
expect_contains "$RUN_ERR" "broken.json: scenarios[2] ('muang-on-la-man')" "the message names file and scenario"
expect_contains "$RUN_ERR" "sketches.features[1].geometry.coordinates: longitude 120.5 is outside" \
    "the message names the JSON path"
expect_unchanged "$DB" "$BEFORE" "a broken file"
jq '.scenarios[0].layers[0].collection = "no-such-layer"' "$SCENARIOS" >"$E2E_TMP/broken.json"
run "$BIN" scenarios import --db "$DB" --replace "$E2E_TMP/broken.json"
expect_rc 2 "unknown layer"
expect_contains "$RUN_ERR" "scenarios[0] ('kin-di-yu-di'): layers[0].collection: no layer 'no-such-layer'" \
    "unknown layer: message"
expect_unchanged "$DB" "$BEFORE" "an unknown layer"
jq '.scenarios[1].colour = "red"' "$SCENARIOS" >"$E2E_TMP/broken.json"
run "$BIN" scenarios import --db "$DB" "$E2E_TMP/broken.json"
expect_rc 2 "unknown member"
expect_contains "$RUN_ERR" "colour: unknown member" "unknown member: message"
expect_unchanged "$DB" "$BEFORE" "an unknown member"
run "$BIN" scenarios import --db "$DB" "$E2E_TMP/nothing.json"
expect_rc 3 "a missing file"
run "$BIN" scenarios import --db "$E2E_TMP/missing.sqlite" "$SCENARIOS"
expect_rc 5 "a missing database"
expect_file_absent "$E2E_TMP/missing.sqlite" "scenarios import creates no database"

section "a catalog re-import keeps scenarios and sketches"
run "$BIN" import --quiet --db "$DB" --catalog "$REPO/datasets/catalog.json"
expect_rc 0 "catalog re-import"
expect_eq "$(sql "$DB" "SELECT count(*) FROM cityatlas_scenarios")" 4 "scenarios after a catalog re-import"
expect_eq "$(reg "$DB" scenario-muang-panha-rum-rao-sketches feature_count)" \
    "$(jq '.scenarios[] | select(.id == "muang-panha-rum-rao") | .sketches.features | length' "$SCENARIOS")" \
    "sketches after a catalog re-import"
