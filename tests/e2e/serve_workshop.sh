#!/usr/bin/env bash
# serve_workshop.sh BINARY - workshops where everyone takes part (issue 12), over HTTP with
# curl on the bundled data: a facilitator token limited to scenario A cannot touch B (403)
# nor create scenarios; the facilitator opens a live session (code, join URL, QR SVG), two
# participants join by code with a group; a participant adds a sketch (attributed to them),
# cannot edit without If-Match (428), cannot edit or delete another's (403), edits their own
# with the ETag; a stale If-Match gets 412 with the current feature; sketches outside the
# scenario's extent and margin are refused (400); past the rate limit 429 with Retry-After;
# the public changes feed lists the writes; a moderated session's sketch stays out of the
# public layer until approved, hidden ones leave it; history shows every change and a
# deleted sketch is restored; a closed session refuses joins and writes (403, Thai too);
# `token list` shows the scopes; `cityatlas session open|close|list` does the same as HTTP.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/e2e/serve_lib.sh
source "$(dirname "$0")/serve_lib.sh"

DB=$E2E_TMP/city.sqlite
serve_bundled_db "$DB"
A=$(jq -r '.scenarios[0].id' "$REPO/datasets/scenarios.json")
B=$(jq -r '.scenarios[1].id' "$REPO/datasets/scenarios.json")
KIND=$(jq -r '.scenarios[0].sketches.features[0].properties.kind' "$REPO/datasets/scenarios.json")
# The centre of A's extent, and a point far outside it (but a valid position).
read -r CX CY FX FY < <(jq -r '.scenarios[0].extent | "\((.[0]+.[2])/2) \((.[1]+.[3])/2) \(.[2] + (.[2]-.[0])) \(.[3])"' "$REPO/datasets/scenarios.json")

# new_token NAME [--scenario ID]...: prints the token.
new_token() {
    run "$BIN" token create --db "$DB" --name "$@"
    expect_rc 0 "token create --name $*"
    grep -Eo 'cat_[A-Za-z0-9_-]{43}' <<<"$RUN_OUT" | head -1
}
ADMIN=$(new_token admin)
FAC=$(new_token "facilitator of A" --scenario "$A")
run "$BIN" token create --db "$DB" --name nowhere --scenario no-such-scenario
expect_rc 2 "token for an unknown scenario"
run "$BIN" token list --db "$DB" --json
expect_rc 0 "token list"
expect_eq "$(jq -r '.[] | select(.name == "facilitator of A") | .scenarios | join(",")' <<<"$RUN_OUT")" "$A" "list shows the scope"
expect_eq "$(jq -r '.[] | select(.name == "admin") | .scenarios | length' <<<"$RUN_OUT")" "0" "admin has no scope"
JSON=(-H 'Content-Type: application/json')
FA=(-H "Authorization: Bearer $FAC")

serve_start "$DB" --participant-writes-per-minute 6

point() { # point LON LAT NOTE
    printf '{"type":"Feature","geometry":{"type":"Point","coordinates":[%s,%s]},"properties":{"kind":"%s","note":"%s"}}' "$1" "$2" "$KIND" "$3"
}

section "token scopes"
get "/scenarios/$B/sketches" -X POST "${FA[@]}" "${JSON[@]}" --data "$(point "$CX" "$CY" x)"
expect_json_error 403 "facilitator of A writes to B"
expect_contains "$(jqb .description)" "not for scenario '$B'" "403 names the scenario"
get "/scenarios/$B" -X DELETE "${FA[@]}"
expect_json_error 403 "facilitator of A deletes B"
get "/scenarios/$A/sessions" -X POST "${FA[@]}" "${JSON[@]}" --data '{"mode":"sideways"}'
expect_json_error 400 "bad mode"
expect_contains "$(jqb .description)" "mode" "400 names mode"
get "/scenarios/$A/sessions" -X POST "${FA[@]}" "${JSON[@]}" --data '{"minutes":5,"ends_at":"2030-01-01T00:00:00Z"}'
expect_json_error 400 "minutes and ends_at"

section "open a live session and join"
GROUP_LIST='[{"id":"elders","title":{"th":"ผู้สูงอายุ","en":"Elders"}},{"id":"youth","title":{"th":"เยาวชน"}}]'
get "/scenarios/$A/sessions" -X POST "${FA[@]}" "${JSON[@]}" --data "{\"mode\":\"live\",\"minutes\":60,\"groups\":$GROUP_LIST}"
expect_status 201 "open session"
SID=$(jqb .id)
CODE=$(jqb .code)
expect_match "$CODE" '^[ACDEFGHJKMNPQRTUVWXY34679]{6}$' "join code alphabet"
expect_eq "$(jqb .join_url)" "$BASE/map/#join=$CODE" "join URL"
expect_eq "$(jqb .open)" "true" "open"
expect_eq "$(jqb '.groups | length')" "2" "groups kept"
get "/join/$CODE/qr.svg"
expect_status 200 "QR code"
expect_match "$(header Content-Type)" '^image/svg\+xml' "QR content type"
expect_contains "$(body)" "<svg" "QR is SVG"
get "/join/${CODE,,}"
expect_status 200 "join info by lower-case code"
expect_eq "$(jqb .scenario.id)" "$A" "join info names the scenario"
get "/join/AAAAAA"
expect_json_error 404 "unknown code"
get "/join/$CODE" -X POST "${JSON[@]}" --data '{"name":"Somchai","group":"nobody"}'
expect_json_error 400 "unknown group"
get "/join/$CODE" -X POST "${JSON[@]}" --data '{"name":"Somchai","group":"elders"}'
expect_status 201 "join 1"
P1=$(jqb .credential)
expect_match "$P1" '^cap_[A-Za-z0-9_-]{43}$' "participant credential"
get "/join/$CODE" -X POST "${JSON[@]}" --data '{"group":"youth"}'
expect_status 201 "join 2"
P2=$(jqb .credential)
expect_eq "$(sql "$DB" "SELECT count(*) FROM cityatlas_participants WHERE sha256 LIKE 'cap_%'")" "0" "credentials stored only as hashes"
H1=(-H "Authorization: Bearer $P1")
H2=(-H "Authorization: Bearer $P2")

section "participants draw"
get "/scenarios/$A/sketches" -X POST "${H1[@]}" "${JSON[@]}" --data "$(point "$CX" "$CY" "bench under the trees")"
expect_status 201 "participant 1 adds"
S1=$(jqb .id)
expect_eq "$(jqb .properties.created_by)" "Somchai" "created_by"
expect_eq "$(jqb .properties.group_name)" "elders" "group from the join"
expect_eq "$(jqb .properties.status)" "visible" "live: visible"
E1=$(header ETag)
expect_eq "$E1" '"v1"' "ETag of a new sketch"
get "/scenarios/$A/sketches" -X POST "${H1[@]}" "${JSON[@]}" --data "$(point "$FX" "$FY" far)"
expect_json_error 400 "outside the scenario's extent"
expect_contains "$(jqb .description)" "outside the scenario's extent" "400 says why"
get "/scenarios/$B/sketches" -X POST "${H1[@]}" "${JSON[@]}" --data "$(point "$CX" "$CY" x)"
expect_json_error 403 "participant of A writes to B"
get "/scenarios/$A/sessions" -X POST "${H1[@]}" "${JSON[@]}" --data '{}'
expect_json_error 403 "participant opens a session"
get "/scenarios/$A/sketches/$S1" -X PUT "${H2[@]}" "${JSON[@]}" -H "If-Match: $E1" --data "$(point "$CX" "$CY" mine)"
expect_json_error 403 "participant 2 edits participant 1's"
expect_eq "$(jqb .code)" "NotYours" "NotYours"
get "/scenarios/$A/sketches/$S1" -X DELETE "${H2[@]}" -H "If-Match: $E1"
expect_json_error 403 "participant 2 deletes participant 1's"
get "/scenarios/$A/sketches/$S1" -X PUT "${H1[@]}" "${JSON[@]}" --data "$(point "$CX" "$CY" edited)"
expect_json_error 428 "participant edit without If-Match"
get "/scenarios/$A/sketches/$S1" -X PUT "${H1[@]}" "${JSON[@]}" -H "If-Match: $E1" --data "$(point "$CX" "$CY" "bench, shaded")"
expect_status 200 "participant 1 edits own"
expect_eq "$(header ETag)" '"v2"' "new ETag"
get "/scenarios/$A/sketches/$S1" -X PUT "${FA[@]}" "${JSON[@]}" -H "If-Match: $E1" --data "$(point "$CX" "$CY" stale)"
expect_json_error 412 "stale If-Match"
expect_eq "$(jqb .current.properties.note)" "bench, shaded" "412 carries the current feature"
expect_eq "$(jqb .current.properties.version)" "2" "412 current version"
get "/scenarios/$A/sketches/$S1"
expect_status 200 "public read of the sketch"
expect_eq "$(jqb .properties.note)" "bench, shaded" "public layer has the edit"

section "rate limit"
limited=""
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
    get "/scenarios/$A/sketches" -X POST "${H2[@]}" "${JSON[@]}" --data "$(point "$CX" "$CY" "n$i")"
    if [[ $HTTP_STATUS == 429 ]]; then limited=$i; break; fi
    expect_status 201 "participant 2 adds $i"
done
[[ -n $limited ]] || fail "participant 2 was never limited"
expect_json_error 429 "rate limit"
expect_int -ge "$(header Retry-After)" 1 "Retry-After"
expect_eq "$(jqb .retry_after)" "$(header Retry-After)" "retry_after in the body"
ok

section "changes feed"
get "/scenarios/$A/changes?after=0"
expect_status 200 "changes"
expect_eq "$(jqb "[.changes[] | select(.sketch_id == $S1) | .action] | join(\",\")")" "created,updated" "feed for S1"
LAST=$(jqb .last)
get "/scenarios/$A/changes?after=$LAST"
expect_eq "$(jqb '.changes | length')" "0" "nothing after the last"

section "moderated session"
get "/scenarios/$A/sessions" -X POST "${FA[@]}" "${JSON[@]}" --data '{"mode":"moderated","minutes":30}'
expect_status 201 "open moderated session"
MCODE=$(jqb .code)
get "/join/$MCODE" -X POST "${JSON[@]}" --data '{"name":"Nok"}'
P3=$(jqb .credential)
get "/scenarios/$A/sketches" -X POST -H "Authorization: Bearer $P3" "${JSON[@]}" --data "$(point "$CX" "$CY" "wait for approval")"
expect_status 201 "moderated add"
S3=$(jqb .id)
expect_eq "$(jqb .properties.status)" "pending" "pending"
get "/scenarios/$A/sketches/$S3"
expect_json_error 404 "pending not public"
get "/scenarios/$A/sketches" -H "Authorization: Bearer $P3"
expect_eq "$(jqb "[.features[] | select(.id == $S3)] | length")" "1" "the author sees their pending one"
get "/scenarios/$A/sketches" "${H1[@]}"
expect_eq "$(jqb "[.features[] | select(.id == $S3)] | length")" "0" "another participant does not"
# A workshop's view of sketches (with Authorization) is GeoJSON only: f=csv is refused, not
# answered in JSON; the public list offers csv.
get "/scenarios/$A/sketches?f=csv" "${FA[@]}"
expect_json_error 400 "the facilitator's view refuses f=csv"
expect_contains "$(jqb .description)" "offers json" "and says what it offers"
get "/scenarios/$A/sketches/$S3?f=html" "${FA[@]}"
expect_status 400 "the facilitator's view of one sketch refuses f=html (an error page, as html was asked)"
get "/scenarios/$A/sketches/$S3/approve" -X POST -H "Authorization: Bearer $P3"
expect_json_error 403 "a participant cannot approve"
get "/scenarios/$A/sketches/$S3/approve" -X POST "${FA[@]}"
expect_status 200 "approve"
expect_eq "$(jqb .properties.status)" "visible" "approved"
get "/scenarios/$A/sketches/$S3"
expect_status 200 "approved is public"
get "/scenarios/$A/sketches/$S3/hide" -X POST "${FA[@]}"
expect_eq "$(jqb .properties.status)" "hidden" "hidden"
get "/collections/scenario-$A-sketches/items/$S3"
expect_json_error 404 "hidden is out of the public layer"

section "history and restore"
get "/scenarios/$A/sketches/$S1" -X DELETE "${FA[@]}"
expect_status 204 "facilitator deletes S1"
get "/scenarios/$A/sketches/$S1"
expect_json_error 404 "S1 gone"
get "/scenarios/$A/history?sketch=$S1" "${FA[@]}"
expect_status 200 "history"
expect_eq "$(jqb '[.history[].action] | join(",")')" "create,edit,delete" "S1's history"
expect_eq "$(jqb '.history[1].by')" "Somchai" "who edited"
expect_eq "$(jqb '.history[1].before.properties.note')" "bench under the trees" "before"
HDEL=$(jqb '.history[2].id')
get "/scenarios/$A/history" "${H1[@]}"
expect_json_error 403 "participants do not read the history"
get "/scenarios/$A/sketches/$S1/restore" -X POST "${FA[@]}" "${JSON[@]}" --data "{\"history_id\":$HDEL}"
expect_status 200 "restore the deleted sketch"
expect_eq "$(jqb .properties.note)" "bench, shaded" "restored as it was"
expect_eq "$(jqb .properties.version)" "4" "restored at a new version"
get "/scenarios/$A/sketches/$S1"
expect_status 200 "restored is public again"

section "closing"
get "/scenarios/$A/sessions/$SID/close" -X POST "${FA[@]}"
expect_status 200 "close"
expect_eq "$(jqb .open)" "false" "closed"
get "/scenarios/$A/sketches" -X POST "${H1[@]}" "${JSON[@]}" --data "$(point "$CX" "$CY" late)"
expect_json_error 403 "write after close"
expect_eq "$(jqb .code)" "SessionClosed" "SessionClosed"
expect_match "$(jqb .description_th)" 'ปิด' "Thai message"
get "/join/$CODE" -X POST "${JSON[@]}" --data '{}'
expect_json_error 403 "join after close"
get "/scenarios/$A/sessions" "${FA[@]}"
expect_eq "$(jqb "[.sessions[] | select(.id == $SID) | .participants] | .[0]")" "2" "participants counted"

section "the session CLI"
run "$BIN" session open --db "$DB" --scenario "$A" --mode moderated --minutes 30 --group "youth=เยาวชน/Youth"
expect_rc 0 "session open"
CCODE=$(jq -r .code <<<"$RUN_OUT")
CID=$(jq -r .id <<<"$RUN_OUT")
expect_eq "$(jq -r '.groups[0].title.en' <<<"$RUN_OUT")" "Youth" "CLI group title"
run "$BIN" session open --db "$DB" --scenario "$A" --mode sideways
expect_rc 2 "CLI bad mode"
expect_contains "$RUN_ERR" "mode" "CLI names mode"
get "/join/$CCODE" -X POST "${JSON[@]}" --data '{"group":"youth"}'
expect_status 201 "join a CLI session over HTTP"
run "$BIN" session close --db "$DB" --scenario "$A" --id "$CID"
expect_rc 0 "session close"
get "/join/$CCODE" -X POST "${JSON[@]}" --data '{}'
expect_json_error 403 "join after the CLI closed it"
run "$BIN" session list --db "$DB" --scenario "$A" --json
expect_rc 0 "session list"
expect_eq "$(jq -r "[.[] | select(.id == $CID) | .open] | .[0]" <<<"$RUN_OUT")" "false" "CLI list shows it closed"

serve_stop
