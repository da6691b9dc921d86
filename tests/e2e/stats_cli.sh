#!/usr/bin/env bash
# stats_cli.sh BINARY - `cityatlas stats` on the bundled data: the count of cm-cbd-pois by
# cm-tambon equals SpatiaLite SQL written here (ST_Covers, a point on a shared border going
# to the first tambon by id, as the engine defines it); --format table, csv and json give
# the same rows and numbers; per-capita values by district are exact to the digits shown
# and the districts without a population figure say why; -o replaces a file whole; bad
# statistics (unknown layer or field, sum without a field, a text field, a boundary layer
# that is not polygons) exit 2 naming the problem with nothing on stdout; every area is a
# row, one holding no point and one without a shape too (n 0), in JSON, CSV and the table.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"

DB=$E2E_TMP/city.sqlite
CATALOG=$REPO/datasets/catalog.json
export CITYATLAS_LOG=warning

for id in cm-tambon cm-cbd-pois cm-districts cm-district-population tambon-centroids-postcodes; do
    run "$BIN" import --quiet --db "$DB" --catalog "$CATALOG" --id "$id"
    expect_rc 0 "import of $id"
done
TAMBON=$(reg "$DB" cm-tambon table_name)
POIS=$(reg "$DB" cm-cbd-pois table_name)
STATS=("$BIN" stats --db "$DB")

section "help"
run "${STATS[@]}" --help
expect_rc 0 "stats --help"
expect_eq "$RUN_ERR" "" "stats --help: stderr"
expect_match "$RUN_OUT" "usage: cityatlas stats" "stats --help: usage line"
for opt in --db --layer --by --metric --field --filter --where --by-filter --group --time \
    --interval --population --population-from --join --population-year --population-source \
    --per --to --to-filter --beyond --unit --classify --classes --classify-column --format \
    --lang --output --help; do
    expect_match "$RUN_OUT" -- "(^|[ ,])$opt( |,|$)" "stats --help: option $opt"
done
expect_match "$RUN_OUT" "^ *5 +the database" "stats --help: exit codes"
run "$BIN" --help
expect_match "$RUN_OUT" "^ +stats +[a-z]" "cityatlas --help lists stats"

section "count of cm-cbd-pois by cm-tambon vs SpatiaLite SQL"
# Each point goes to the first tambon (by fid) covering it; candidates through the R*Tree.
covering="SELECT min(t.fid) FROM \"$TAMBON\" t WHERE t.fid IN (SELECT pkid FROM \"idx_${TAMBON}_geom\"
          WHERE xmin <= ST_X(p.geom) AND xmax >= ST_X(p.geom) AND ymin <= ST_Y(p.geom)
          AND ymax >= ST_Y(p.geom)) AND ST_Covers(t.geom, p.geom)"
expected=$(sql "$DB" "SELECT t.fid || ' ' || coalesce(c.n, 0) FROM \"$TAMBON\" t LEFT JOIN
    (SELECT a, count(*) AS n FROM (SELECT ($covering) AS a FROM \"$POIS\" p) GROUP BY a) c
    ON c.a = t.fid ORDER BY t.fid")
expected_unassigned=$(sql "$DB" "SELECT count(*) FROM \"$POIS\" p WHERE ($covering) IS NULL")
expected_total=$(sql "$DB" "SELECT count(*) FROM \"$POIS\" p WHERE ($covering) IS NOT NULL")
expect_eq "$(wc -l <<<"$expected")" 204 "tambon in the reference"
expect_int -gt "$(awk '$2 > 0' <<<"$expected" | wc -l)" 20 "tambon holding points (reference)"

run "${STATS[@]}" --layer cm-cbd-pois --by cm-tambon --format json
expect_rc 0 "stats --format json"
expect_eq "$RUN_ERR" "" "stats --format json: stderr"
printf '%s\n' "$RUN_OUT" >count.json
expect_eq "$(jq -r '.rows[] | "\(.area_id) \(.n)"' count.json | sort -n)" "$expected" \
    "points per tambon (JSON) vs SQL"
expect_eq "$(jq -r '.total.n' count.json)" "$expected_total" "total (JSON) vs SQL"
expect_eq "$(jq -r '.unassigned' count.json)" "$expected_unassigned" "unassigned (JSON) vs SQL"
expect_eq "$(jq -r '.definition.metric + " " + .definition.unit' count.json)" "count features" \
    "definition"
expect_eq "$(jq -r '[.sources[].id] | join(" ")' count.json)" "cm-cbd-pois cm-tambon" "sources"
expect_eq "$(jq -r '.sources[0].version' count.json)" "$(reg "$DB" cm-cbd-pois version)" \
    "version of the source"
expect_eq "$(jq -r '.query.layer + " " + .query.by' count.json)" "cm-cbd-pois cm-tambon" "query"
expect_eq "$(jq -r '.rows[] | select(.area_id == 1) | .area_name' count.json)" \
    "$(sql "$DB" "SELECT adm3_th FROM \"$TAMBON\" WHERE fid = 1")" "a Thai name byte for byte"

run "${STATS[@]}" --layer cm-cbd-pois --by cm-tambon --format csv
expect_rc 0 "stats --format csv"
printf '%s' "$RUN_OUT" >count.csv
run "${STATS[@]}" --layer cm-cbd-pois --by cm-tambon --format table --lang th
expect_rc 0 "stats --format table"
printf '%s\n' "$RUN_OUT" >count.txt

# The CSV's numbers are the JSON's digits; the table's rows are the CSV's, in order.
cat >agree.py <<'EOF'
import csv, json, sys
doc = json.load(open(sys.argv[1]), parse_float=str)
rows = list(csv.DictReader(open(sys.argv[2], newline="", encoding="utf-8-sig")))
table = open(sys.argv[3], encoding="utf-8").read().split("\n")
def text(v):
    return "" if v is None else str(v)
assert rows[-1]["area_id"] == "total", rows[-1]
body, total = rows[:-1], rows[-1]
assert len(body) == len(doc["rows"]), (len(body), len(doc["rows"]))
for c, j in zip(rows, doc["rows"] + [doc["total"]]):
    for k in ("area_id", "area_name", "area_km2", "n", "value", "per_km2", "share"):
        if c["area_id"] == "total" and k == "area_id":
            continue
        assert c[k] == text(j[k]), (k, c[k], j[k])
rules = [i for i, line in enumerate(table) if line and set(line) == {"-"}]
assert len(rules) == 2, rules
lines = table[rules[0] + 1 : rules[1]] + [table[rules[1] + 1]]
assert len(lines) == len(rows), (len(lines), len(rows))
for line, c in zip(lines, rows):
    name, n, value, per_km2, share = line.rsplit(None, 4)
    assert n == c["n"] and value == c["value"] and per_km2 == (c["per_km2"] or "-"), (line, c)
    assert abs(float(share) - float(c["share"]) * 100) <= 0.01, (line, c)
    assert c["area_id"] == "total" or name.strip() == c["area_name"], (name, c)
assert lines[-1].startswith("รวม "), lines[-1]
EOF
run python3 agree.py count.json count.csv count.txt
expect_rc 0 "JSON, CSV and table agree: $RUN_ERR"
expect_contains "$(cat count.txt)" "Sources: cm-cbd-pois v" "table: the sources"
expect_contains "$(cat count.txt)" "Computed " "table: when it was computed"

section "per capita by district: exact to the digits shown, missing figures named"
# The tambon centre points spread over every district (the city's points stay in one).
run "${STATS[@]}" --layer tambon-centroids-postcodes --by cm-districts --population population \
    --population-from cm-district-population --join ADM2_PCODE:adm2_pcode --format csv
expect_rc 0 "per capita --format csv"
printf '%s' "$RUN_OUT" >pop.csv
cat >per_capita.py <<'EOF'
import csv, sys
from decimal import Decimal, ROUND_HALF_EVEN
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8-sig")))[:-1]
missing = [r for r in rows if r["population"] == ""]
assert len(missing) == 3, missing
assert sum(1 for r in rows if r["per_capita"] not in ("", "0")) >= 19, rows
for r in missing:
    assert r["per_capita"] == "" and r["note"] != "" and r["population_year"] == "", r
for r in rows:
    if r["population"] == "":
        continue
    want = (Decimal(r["n"]) / Decimal(r["population"]) * 10000).quantize(
        Decimal("0.0001"), rounding=ROUND_HALF_EVEN).normalize()
    want = "0" if want == 0 else format(want, "f")
    assert r["per_capita"] == want, (r["area_name"], r["per_capita"], want)
EOF
run python3 per_capita.py pop.csv
expect_rc 0 "per-capita values: $RUN_ERR"
run "${STATS[@]}" --layer tambon-centroids-postcodes --by cm-districts --population population \
    --population-from cm-district-population --join ADM2_PCODE:adm2_pcode --format json
expect_rc 0 "per capita --format json"
printf '%s\n' "$RUN_OUT" >pop.json
expect_eq "$(jq '[.rows[] | select(.per_capita == null and .per_capita_note != null and .population_note != null)] | length' pop.json)" \
    3 "districts without a figure: null per capita with notes"
expect_eq "$(jq -r '.population.year_min, .population.year_max' pop.json | tr '\n' ' ')" \
    "2005 2023 " "population years"
expect_match "$(jq -r '.population.note' pop.json)" "different years \(2005 to 2023\)" \
    "population note on mixed years"
expect_eq "$(jq '.population.areas_without_figure' pop.json)" 3 "areas without a figure"
run "${STATS[@]}" --layer tambon-centroids-postcodes --by cm-districts --population population \
    --population-from cm-district-population --join ADM2_PCODE:adm2_pcode
expect_eq "$(grep -c '^  no figure for ' <<<"$RUN_OUT")" 3 "table: a line per missing figure"

section "GeoJSON for a choropleth"
run "${STATS[@]}" --layer cm-cbd-pois --by cm-tambon --format geojson --classes 4
expect_rc 0 "stats --format geojson"
printf '%s\n' "$RUN_OUT" >count.geojson
expect_eq "$(jq '.features | length' count.geojson)" 204 "a feature per tambon"
expect_eq "$(jq -r '.classes.column + " " + (.classes.breaks | length | tostring)' count.geojson)" \
    "value 5" "classes: the column and 4 classes' breaks"
expect_eq "$(jq '.classes as $c | [.features[].properties
    | select(.class != null and .value >= $c.breaks[.class] and .value <= $c.breaks[.class + 1]
             and .color == $c.colors[.class])] | length' count.geojson)" \
    204 "every feature's class and colour fit the breaks"

section "every area is a row: an empty one, and one without a shape, with n 0"
# Two halves of the points' box, between them a boundary without a shape, and last a box
# beyond every point.
read -r x0 y0 x1 y1 <<<"$(sql "$DB" "SELECT min(ST_X(geom)), min(ST_Y(geom)), max(ST_X(geom)),
    max(ST_Y(geom)) FROM \"$POIS\"" | tr '|' ' ')"
mid=$(awk -v a="$x0" -v b="$x1" 'BEGIN { printf "%.6f", (a + b) / 2 }')
far=$(awk -v a="$x1" 'BEGIN { printf "%.6f", a + 1 }')
box() { # X0 Y0 X1 Y1: a GeoJSON polygon
    printf '{"type":"Polygon","coordinates":[[[%s,%s],[%s,%s],[%s,%s],[%s,%s],[%s,%s]]]}' \
        "$1" "$2" "$3" "$2" "$3" "$4" "$1" "$4" "$1" "$2"
}
{
    printf '{"type": "FeatureCollection", "features": [\n'
    printf '{"type": "Feature", "properties": {"name": "west"}, "geometry": %s},\n' \
        "$(box "$x0" "$y0" "$mid" "$y1")"
    printf '{"type": "Feature", "properties": {"name": "shapeless"}, "geometry": null},\n'
    printf '{"type": "Feature", "properties": {"name": "east"}, "geometry": %s},\n' \
        "$(box "$mid" "$y0" "$x1" "$y1")"
    printf '{"type": "Feature", "properties": {"name": "beyond"}, "geometry": %s}\n]}\n' \
        "$(box "$far" "$y0" "$far.5" "$y1")"
} >halves.geojson
run "$BIN" import --quiet --db "$DB" --id halves --theme boundaries halves.geojson
expect_rc 0 "import of the halves"
n_pois=$(sql "$DB" "SELECT count(*) FROM \"$POIS\"")
run "${STATS[@]}" --layer cm-cbd-pois --by halves --format json
expect_rc 0 "stats by halves --format json"
printf '%s\n' "$RUN_OUT" >halves.json
expect_eq "$(jq -r '[.rows[] | "\(.area_id):\(.n)"] | .[1], .[3]' halves.json)" $'2:0\n4:0' \
    "JSON: the shapeless and the empty area are rows with n 0"
expect_eq "$(jq '.rows | length' halves.json)" 4 "JSON: a row per area"
expect_eq "$(jq '.rows[0].n + .rows[2].n + .unassigned' halves.json)" "$n_pois" \
    "JSON: the two halves and the unassigned hold every point"
expect_int -gt "$(jq '.rows[0].n' halves.json)" 0 "JSON: points in the west half"
run "${STATS[@]}" --layer cm-cbd-pois --by halves --format csv
expect_rc 0 "stats by halves --format csv"
expect_eq "$(tr -d '\r' <<<"$RUN_OUT" | awk -F, 'NR > 1 { print $1 ":" $8 }' | sed -n '2p;4p')" \
    $'2:0\n4:0' "CSV: the shapeless and the empty area are rows with n 0"
expect_eq "$(tr -d '\r' <<<"$RUN_OUT" | wc -l)" 6 "CSV: a header, a row per area and the total"
run "${STATS[@]}" --layer cm-cbd-pois --by halves
expect_rc 0 "stats by halves (table)"
expect_match "$RUN_OUT" $'\n#2 +0 +0 ' "table: the shapeless area's row"
expect_match "$RUN_OUT" $'\n#4 +0 +0 ' "table: the empty area's row"

section "-o FILE"
mkdir out
run "${STATS[@]}" --layer cm-cbd-pois --by cm-tambon --format csv -o out/count.csv
expect_rc 0 "stats -o"
expect_eq "$RUN_OUT" "" "stats -o: stdout"
expect_eq "$(cat out/count.csv)" "$(cat count.csv)" "-o writes what stdout shows"
expect_eq "$(ls out)" "count.csv" "no temporary file left beside it"
run "${STATS[@]}" --layer no-such-layer --by cm-tambon -o out/count.csv
expect_rc 2 "stats -o with a bad layer"
expect_eq "$(cat out/count.csv)" "$(cat count.csv)" "a failed run leaves -o FILE as it was"
run "${STATS[@]}" --layer cm-cbd-pois -o "$E2E_TMP/no-dir/x.csv"
expect_rc 2 "stats -o into a missing folder"
expect_contains "$RUN_ERR" "no-dir/x.csv" "stats -o into a missing folder: names the file"

section "bad statistics: exit 2, the problem on stderr, nothing on stdout"
bad() { # bad WHAT NEEDLE ARGS...
    local what=$1 needle=$2
    shift 2
    run "${STATS[@]}" "$@"
    expect_rc 2 "$what"
    expect_match "$RUN_ERR" "^cityatlas: stats: " "$what: message prefix"
    expect_contains "$RUN_ERR" "$needle" "$what: stderr names the problem"
    expect_eq "$RUN_OUT" "" "$what: stdout"
}
bad "unknown layer" "no-such-layer" --layer no-such-layer --by cm-tambon
bad "unknown boundary layer" "no-such-area" --layer cm-cbd-pois --by no-such-area
bad "unknown field" "no_such_field" --layer cm-cbd-pois --by cm-tambon --group no_such_field
bad "unknown --where field" "no_such_field" --layer cm-cbd-pois --where no_such_field=1
bad "sum without a field" "field" --layer cm-cbd-pois --by cm-tambon --metric sum
bad "sum of a text field" "category" --layer cm-cbd-pois --by cm-tambon --metric sum --field category
bad "boundaries that are points" "polygons" --layer cm-cbd-pois --by cm-cbd-pois
bad "unknown metric" "metric" --layer cm-cbd-pois --metric average
bad "unknown format" "--format" --layer cm-cbd-pois --format xml
bad "no layer" "layer" --by cm-tambon
bad "--where without =" "--where" --layer cm-cbd-pois --where category
run "$BIN" stats --db "$E2E_TMP/missing.sqlite" --layer cm-cbd-pois
expect_rc 5 "missing database"
expect_eq "$RUN_OUT" "" "missing database: stdout"
expect_file_absent "$E2E_TMP/missing.sqlite" "missing database: not created"
