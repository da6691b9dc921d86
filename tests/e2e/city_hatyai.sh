#!/usr/bin/env bash
# city_hatyai.sh BINARY - the second bundled city, Hat Yai (datasets/hatyai), served from
# its own database: the landing and API titles name Hat Yai in English and Thai; the
# landing document carries its profile (extent from the Songkhla districts plus the
# margin); a poster of its example scenario has Hat Yai in its footer, in both languages,
# and its share page names the city's site in og:site_name; a sketch inside Hat Yai is
# accepted, one in Chiang Mai refused with a message naming the extent, and so is a
# scenario whose extent lies outside; then the web map in Chromium (city_profile.mjs):
# title, home view, default layers, search finding a Songkhla tambon by its Thai name,
# and the statistic builder offering Songkhla's boundaries.
ARTIFACTS=${CITYATLAS_ARTIFACTS:-$PWD/artifacts}/city_hatyai
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/e2e/serve_lib.sh
source "$(dirname "$0")/serve_lib.sh"
# shellcheck source=tests/e2e/browser_lib.sh
source "$(dirname "$0")/browser_lib.sh"

DB=$E2E_TMP/hatyai.sqlite
CAT=$REPO/datasets/hatyai/catalog.json
export CITYATLAS_LOG=warning
run "$BIN" import --quiet --db "$DB" --catalog "$CAT"
expect_rc 0 "import of the Hat Yai catalog"
# The profile names the example scenarios file (city.scenarios).
run "$BIN" scenarios import --db "$DB" --catalog "$CAT"
expect_rc 0 "import of the Hat Yai scenarios named by the profile"
expect_contains "$RUN_OUT" "hat-yai-walkable-centre" "the example scenario"
run "$BIN" token create --db "$DB" --name facilitator
expect_rc 0 "token create"
TOKEN=$(grep -Eo 'cat_[A-Za-z0-9_-]{43}' <<<"$RUN_OUT" | head -1)
AUTH=(-H "Authorization: Bearer $TOKEN")
JSON=(-H 'Content-Type: application/json')
serve_start "$DB" --styles "$REPO/styles"

section "titles and the profile"
get /
expect_status 200 "landing"
expect_eq "$(jqb .title)" "cityatlas — Hat Yai city data" "landing title (English)"
expect_eq "$(jqb '."cityatlas:city".id')" "hat-yai" "the profile's id"
expect_eq "$(jqb '."cityatlas:city".boundaries | map(.layer) | join(",")')" \
    "songkhla-districts,songkhla-tambon" "the boundaries for statistics and search"
# Songkhla's districts span 100.05722-101.10362 E, 6.300424-7.931797 N; the margin is 0.05.
expect_eq "$(jqb '."cityatlas:city".extent | map(. * 1000 | round) | join(",")')" \
    "100007,6250,101154,7982" "the extent: the districts plus the margin"
expect_eq "$(jqb '[."cityatlas:city".themes[] | select(.id == "economy") | .title.th] | .[0]')" \
    "เศรษฐกิจ" "theme names come with the profile"
get "/?lang=th"
expect_eq "$(jqb .title)" "cityatlas — ข้อมูลเมืองหาดใหญ่" "landing title (Thai)"
get /api
expect_eq "$(jqb .info.title)" "cityatlas — Hat Yai city data" "API title"
get "/?f=html&lang=th"
expect_contains "$(body)" "ข้อมูลเมืองหาดใหญ่" "the HTML pages' site name"
expect_not_contains "$(body)" "เชียงใหม่" "no Chiang Mai on the landing page"

section "the example scenario's poster and share page"
SID=hat-yai-walkable-centre
get "/scenarios/$SID/map.pdf"
expect_status 200 "A3 poster"
cp "$HTTP_BODY" "$E2E_TMP/th.pdf"
expect_contains "$(pdftotext "$E2E_TMP/th.pdf" - | tr -d ' \n')" "หาดใหญ่·" "the Thai poster's footer names Hat Yai"
get "/scenarios/$SID/map.pdf?paper=A4&lang=en"
expect_status 200 "A4 poster in English"
cp "$HTTP_BODY" "$E2E_TMP/en.pdf"
expect_match "$(pdftotext "$E2E_TMP/en.pdf" -)" "Hat Yai · [0-9]+ [A-Z][a-z]+ 20[0-9][0-9]" "the English footer: Hat Yai and the date"
get "/scenarios/$SID?f=html&lang=en"
expect_contains "$(body)" '<meta property="og:site_name" content="Hat Yai city data">' "og:site_name"

section "sketches and scenarios inside and outside the city"
SK=/scenarios/$SID/sketches
printf '%s' '{"type":"Feature","geometry":{"type":"Point","coordinates":[100.475,7.005]},"properties":{"kind":"proposal","note":"ok"}}' >in.json
get "$SK" -X POST "${AUTH[@]}" "${JSON[@]}" --data-binary @in.json
expect_status 201 "a sketch in Hat Yai"
FP=$(db_fingerprint "$DB")
printf '%s' '{"type":"Feature","geometry":{"type":"Point","coordinates":[98.985,18.788]},"properties":{"kind":"proposal"}}' >out.json
get "$SK" -X POST "${AUTH[@]}" "${JSON[@]}" --data-binary @out.json
expect_json_error 400 "a sketch in Chiang Mai"
expect_eq "$(jqb .description)" \
    "geometry.coordinates: longitude 98.985 is outside the extent of Hat Yai (100.007 to 101.154)" \
    "the refusal names the extent"
jq '.extent = [98.9, 18.7, 99.1, 18.9] | del(.sketches)' \
    <(jq '.scenarios[0]' "$REPO/datasets/hatyai/scenarios.json") >scn.json
get "/scenarios/$SID" -X PUT "${AUTH[@]}" "${JSON[@]}" --data-binary @scn.json
expect_json_error 400 "a scenario extent in Chiang Mai"
expect_match "$(jqb .description)" "^extent\[0\]: longitude 98.9 is outside the extent of Hat Yai" "names the extent"
expect_eq "$(db_fingerprint "$DB")" "$FP" "the refusals changed nothing"

section "the web map follows the profile (Chromium)"
CITY_SEARCH=คอหงส์ run_browser_test city_profile.mjs "$ARTIFACTS" city-first-view
expect_serve_alive "after the browser"
serve_stop "the server"
