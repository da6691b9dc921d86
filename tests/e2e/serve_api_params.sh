#!/usr/bin/env bash
# serve_api_params.sh BINARY - /api says what the server accepts (issue 19): for every GET
# operation of every path in /api (paths, operations and parameter lists all come from the
# route table, src/http/server/routes.c), api_params_probe.py sends each documented query
# parameter with a valid value (none may be refused by name, none may answer 5xx) and an
# undocumented one (400 naming it), and a value just outside each documented bound or
# enum (400 naming the parameter and the bound: checker and document agree), on the bundled data with a facilitator token (the
# workshop feeds need one) and an open session (for /join/{code}).
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/e2e/serve_lib.sh
source "$(dirname "$0")/serve_lib.sh"

DB=$E2E_TMP/city.sqlite
serve_bundled_db "$DB"
SCENARIO=$(jq -r '.scenarios[0].id' "$REPO/datasets/scenarios.json")
run "$BIN" token create --db "$DB" --name probe
expect_rc 0 "token create"
TOKEN=$(grep -Eo 'cat_[A-Za-z0-9_-]{43}' <<<"$RUN_OUT" | head -1)
serve_start "$DB"

get "/scenarios/$SCENARIO/sessions" -X POST -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' --data '{"mode":"live","minutes":60}'
expect_status 201 "a session to join"
CODE=$(jqb .code)

section "every documented parameter accepted, an undocumented one refused"
run python3 "$REPO/tests/e2e/api_params_probe.py" "$BASE" "$SCENARIO" "$TOKEN" "$CODE"
{ grep -E '^FAIL' <<<"$RUN_OUT" || true; grep -E '^  note' <<<"$RUN_OUT" || true; } | head -40
grep -E '^slowest' <<<"$RUN_OUT" || true
echo "    ${RUN_OUT##*$'\n'}"
expect_rc 0 "the probe (failures listed above)"
read -r _ n_routes _ n_documented _ n_accepted _ n_ok _ n_refused _ n_bounds _ n_values <<<"${RUN_OUT##*$'\n'}"
expect_int -ge "$n_routes" 40 "GET operations probed"
expect_int -ge "$n_documented" 150 "documented query parameters sent"
expect_eq "$n_accepted" "$n_documented" "documented parameters accepted"
expect_eq "$n_refused" "$n_routes" "operations refusing an undocumented parameter"
# limit, offset, zoom, precision, width, height, dpi, the feeds' after/limit/sketch/session,
# the enums (paper, orientation, size, layout, filter-lang, the CRSs) and the
# statistics' own.
expect_int -ge "$n_bounds" 100 "values outside a documented bound or enum refused, naming it"
# Every documented f and lang value past the first (html, csv, xlsx, th...) answered.
expect_int -ge "$n_values" 60 "documented formats and languages answered"
expect_serve_alive "after the probe"
ok
serve_stop "stopping the server"
