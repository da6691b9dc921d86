#!/usr/bin/env bash
# web_search.sh BINARY - finding "my tambon" in the web map, in a real browser
# (tests/browser/search_area.mjs: Debian's Chromium driven by playwright-core) against
# `cityatlas serve` on the bundled catalog: Thai and Latin queries typed as people type them
# (also Latin readings of names the data has only in Thai) give the right first result, also a named street of a layer outside the city profile, and
# a layer with more names than the search keeps says so;
# choosing ต.สุเทพ outlines it and counts what it holds, and
# the counts equal SpatiaLite's (a feature counts in the area covering its point on
# surface, as the statistics engine defines it), by category too. Screenshots go to
# $CITYATLAS_ARTIFACTS/web_search (default: artifacts/ under ctest's directory).
# Before lib.sh, which moves into a temporary folder removed at exit.
ARTIFACTS=${CITYATLAS_ARTIFACTS:-$PWD/artifacts}/web_search
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/e2e/serve_lib.sh
source "$(dirname "$0")/serve_lib.sh"
# shellcheck source=tests/e2e/browser_lib.sh
source "$(dirname "$0")/browser_lib.sh"

DB=$E2E_TMP/city.sqlite
serve_bundled_db "$DB"
# The bundled road network has no names: two named streets in a layer of their own, which
# the search must find by the name property the server reports (no profile entry).
cat >"$E2E_TMP/streets.geojson" <<'JSON'
{"type": "FeatureCollection", "features": [
 {"type": "Feature", "properties": {"name": "ถนนทดสอบค้นหา", "lanes": 4},
  "geometry": {"type": "LineString", "coordinates": [[98.960, 18.800], [98.970, 18.805]]}},
 {"type": "Feature", "properties": {"name": "Soi Search Test", "lanes": 2},
  "geometry": {"type": "LineString", "coordinates": [[98.980, 18.790], [98.985, 18.792]]}}]}
JSON
run "$BIN" import --quiet --db "$DB" --id test-streets --theme transport --title "Test streets" \
    --title-th "ถนนทดสอบ" --name-column name "$E2E_TMP/streets.geojson"
expect_rc 0 "import of the named streets"
# More named points than the search keeps of a layer (5,000): the results must say so.
python3 - "$E2E_TMP/pins.csv" <<'PY'
import sys
with open(sys.argv[1], "w", encoding="utf-8") as f:
    f.write("name,lon,lat\n")
    for i in range(1, 5101):
        f.write(f"หมุดทดสอบ {i},{98.95 + (i % 71) * 0.0005:.4f},{18.78 + (i // 71) * 0.0005:.4f}\n")
PY
run "$BIN" import --quiet --db "$DB" --id test-many-pins --theme city_planning --title "Many test pins" \
    --title-th "หมุดทดสอบจำนวนมาก" --name-column name "$E2E_TMP/pins.csv"
expect_rc 0 "import of 5,100 named points"
serve_start "$DB"

section "what ตำบลสุเทพ holds, by SpatiaLite"
TAMBON=$(reg "$DB" cm-tambon table_name)
area=$(sql "$DB" "SELECT fid FROM \"$TAMBON\" WHERE adm3_th = 'สุเทพ'")
[[ $area =~ ^[0-9]+$ ]] || fail "one tambon สุเทพ in cm-tambon (got '$area')"
# The layers the summary counts: every layer with geometry outside the boundaries theme.
get "/collections"
expect_status 200 "the collections"
mapfile -t counted < <(jqb '.collections[] | select(.cityatlas.geometryType != null and
    .cityatlas.theme != "boundaries" and (.cityatlas.shapeOf | not)) | .id')
((${#counted[@]} >= 5)) || fail "at least 5 layers to count (got ${#counted[@]})"
counts="{}"
for layer in "${counted[@]}"; do
    table=$(reg "$DB" "$layer" table_name)
    n=$(sql "$DB" "SELECT count(*) FROM \"$table\" f, \"$TAMBON\" t WHERE t.fid = $area AND f.geom IS NOT NULL AND ST_Covers(t.geom, ST_PointOnSurface(f.geom))")
    counts=$(jq -c --arg l "$layer" --argjson n "$n" '. + {($l): $n}' <<<"$counts")
done
groups="{}"
for pair in cm-cbd-pois:category cm-cbd-landmarks:kind; do
    layer=${pair%%:*} field=${pair#*:}
    table=$(reg "$DB" "$layer" table_name)
    g=$(sql "$DB" "SELECT json_group_object(g, n) FROM (SELECT f.\"$field\" AS g, count(*) AS n FROM \"$table\" f, \"$TAMBON\" t WHERE t.fid = $area AND f.\"$field\" IS NOT NULL AND ST_Covers(t.geom, ST_PointOnSurface(f.geom)) GROUP BY 1)")
    groups=$(jq -c --arg l "$layer" --argjson g "$g" '. + {($l): $g}' <<<"$groups")
done
echo "# counts: $counts"
echo "# groups: $groups"
[[ $(jq '."cm-cbd-pois"' <<<"$counts") -gt 100 ]] || fail "ตำบลสุเทพ holds more than 100 POIs ($counts)"
ok

section "search and the tambon summary in Chromium (desktop and phone)"
WANT_COUNTS=$counts WANT_GROUPS=$groups run_browser_test search_area.mjs "$ARTIFACTS" \
    desktop-tambon-summary phone-tambon-summary
expect_serve_alive "after the browser"
serve_stop "the server"
