#!/usr/bin/env bash
# stats_large.sh BINARY - statistics count every feature of a layer larger than the store's
# largest page (STORE_MAX_LIMIT, 1,000,000): generated layers of 1,060,000 points and
# 1,050,000 lines and polygons, counted by a grid of six 1-degree cells. Count, sum, per
# capita (CLI and /stats), nearest, length and area each see every feature, equal to
# SpatiaLite SQL; feature ids stay the source order. Before the fix every scan stopped at
# 1,000,000 rows and answered a smaller number with nothing said. Points never fall on a
# cell's border, so a point's cell is its integer degrees and the reference needs no
# spatial join.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/e2e/serve_lib.sh
source "$(dirname "$0")/serve_lib.sh"

DB=$E2E_TMP/big.sqlite
export CITYATLAS_LOG=warning
N_IN=1050000 # points inside the grid, and lines and polygons
N_OUT=10000  # points east of the grid: unassigned

section "generate and import"
# The grid: cells (i, j) over lon 98+i..99+i, lat 18+j..19+j; population 1000 * (1 + i + 3j).
cells=""
for j in 0 1; do
    for i in 0 1 2; do
        x=$((98 + i)) y=$((18 + j))
        ring="[$x,$y],[$((x + 1)),$y],[$((x + 1)),$((y + 1))],[$x,$((y + 1))],[$x,$y]"
        cells+="${cells:+,}{\"type\":\"Feature\",\"properties\":{\"code\":\"c$i$j\",\"pop\":$((1000 * (1 + i + 3 * j)))},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[$ring]]}}"
    done
done
echo "{\"type\":\"FeatureCollection\",\"features\":[$cells]}" >grid.geojson
# Coordinates keep 0.001 degrees from every cell border (6 decimals never round onto one).
awk -v n="$N_IN" -v out="$N_OUT" 'BEGIN { srand(7); print "id,lon,lat,v"
    for (i = 0; i < n; i++) printf "%d,%.6f,%.6f,%d\n", i, 98 + int(rand() * 3) + 0.001 + rand() * 0.998, 18 + int(rand() * 2) + 0.001 + rand() * 0.998, i % 97
    for (i = 0; i < out; i++) printf "%d,%.6f,%.6f,%d\n", n + i, 101.2 + rand() * 0.7, 18.5 + rand(), 1 }' >pts.csv
awk -v n="$N_IN" 'BEGIN { srand(11); print "id,WKT"
    for (i = 0; i < n; i++) { x = 98 + int(rand() * 3) + 0.001 + rand() * 0.9; y = 18.001 + rand() * 1.9
        printf "%d,\"LINESTRING (%.6f %.6f,%.6f %.6f)\"\n", i, x, y, x + 0.05 + rand() * 0.3, y + rand() * 0.05 } }' >lines.csv
awk -v n="$N_IN" 'BEGIN { srand(13); print "id,WKT"
    for (i = 0; i < n; i++) { x = 98 + int(rand() * 3) + 0.001 + rand() * 0.98; y = 18.001 + rand() * 1.98; d = 0.001 + rand() * 0.01
        printf "%d,\"POLYGON ((%.6f %.6f,%.6f %.6f,%.6f %.6f,%.6f %.6f,%.6f %.6f))\"\n", i, x, y, x + d, y, x + d, y + d, x, y + d, x, y } }' >polys.csv
echo '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"hub"},"geometry":{"type":"Point","coordinates":[99.5,18.5]}}]}' >hub.geojson

run "$BIN" import --quiet --db "$DB" --id grid --theme boundaries --name-column code grid.geojson
expect_rc 0 "import of the grid"
run "$BIN" import --quiet --db "$DB" --id hub --theme health hub.geojson
expect_rc 0 "import of the hub"
run "$BIN" import --quiet --db "$DB" --id pts --theme economy pts.csv
expect_rc 0 "import of the points"
for kind in lines polys; do
    run "$BIN" import --quiet --db "$DB" --id "$kind" --theme transport --s-srs EPSG:4326 "$kind.csv"
    expect_rc 0 "import of the $kind"
done
PTS=$(reg "$DB" pts table_name)
expect_eq "$(reg "$DB" pts feature_count)" $((N_IN + N_OUT)) "points imported"
expect_int -gt "$N_IN" 1000000 "a layer larger than STORE_MAX_LIMIT"

# jq over a stats JSON file: "cell n value per_capita" per row, by the cell's code.
rows() {
    jq -r '.rows[] | "\(.area_name) \(.n) \(.value) \(.per_capita)"' "$1" | sort
}

section "count, sum and per capita by cell, CLI vs SQL"
ref=$(sql "$DB" "SELECT 'c' || (CAST(ST_X(geom) AS INTEGER) - 98) || (CAST(ST_Y(geom) AS INTEGER) - 18),
    count(*), sum(v) FROM \"$PTS\" WHERE ST_X(geom) < 101 GROUP BY 1 ORDER BY 1")
expect_eq "$(wc -l <<<"$ref")" 6 "cells in the reference"
run "$BIN" stats --db "$DB" --layer pts --by grid --population pop --format json -o count.json
expect_rc 0 "stats count"
expect_eq "$(jq -r '.total.n' count.json)" "$N_IN" "total count (every point in the grid)"
expect_eq "$(jq -r '.unassigned' count.json)" "$N_OUT" "unassigned (the points east of it)"
expect_eq "$(rows count.json | awk '{ print $1 "|" $2 }')" "$(cut -d'|' -f1,2 <<<"$ref")" \
    "points per cell vs SQL"
# per capita per 10,000 residents: n / pop * 10000, as printed (4 decimals)
per=$(rows count.json | awk '{ c = substr($1, 2); pop = 1000 * (1 + substr(c, 1, 1) + 3 * substr(c, 2, 1));
    d = $4 - $2 / pop * 10000; if (d < 0) d = -d; if (d > 0.0001) print "off: " $0 }')
expect_eq "$per" "" "per capita per cell from the counts"
run "$BIN" stats --db "$DB" --layer pts --by grid --metric sum --field v --format json -o sum.json
expect_rc 0 "stats sum"
expect_eq "$(rows sum.json | awk '{ print $1 "|" $2 "|" $3 }')" "$ref" "count and sum per cell vs SQL"

section "the same count over HTTP"
serve_start "$DB"
get "/stats?layer=pts&by=grid&f=json"
expect_status 200 "/stats of the large layer"
expect_eq "$(jqb '.total.n') $(jqb '.unassigned')" "$N_IN $N_OUT" "/stats total and unassigned"
# Feature ids are the source order (the CSV's id column is 0-based), past the millionth
# feature and in a box's page too, whose rows come in the spatial index's order.
get "/collections/pts/items?offset=$((N_IN - 2))&limit=3"
expect_eq "$(jqb '[.features[] | .id - .properties.id] | unique | join(" ")')" 1 "ids past 1M = source order"
expect_eq "$(jqb '.features[0].id')" $((N_IN - 1)) "the id at offset $((N_IN - 2))"
get "/collections/pts/items?bbox=99.2,18.2,99.4,18.4&limit=500"
expect_eq "$(jqb '[.features[] | .id - .properties.id] | unique | join(" ")')" 1 "ids in a box = source order"
expect_eq "$(jqb '.features | length')" 500 "a full page in the box"
serve_stop "server"

section "nearest, length and area over every feature vs SQL"
run "$BIN" stats --db "$DB" --layer pts --metric nearest --to hub --unit m --format json -o near.json
expect_rc 0 "stats nearest"
ref=$(sql "$DB" "SELECT count(*), avg(ST_Distance(p.geom, h.geom, 1)) FROM \"$PTS\" p,
    \"$(reg "$DB" hub table_name)\" h")
expect_eq "$(jq -r '.total.n' near.json)" "${ref%%|*}" "nearest: features measured"
expect_near "$(jq -r '.total.value' near.json)" "${ref#*|}" 0.01 "nearest: mean distance (m)"

run "$BIN" stats --db "$DB" --layer lines --metric length --unit m --format json -o length.json
expect_rc 0 "stats length"
ref=$(sql "$DB" "SELECT count(*), sum(ST_Length(geom, 1)) FROM \"$(reg "$DB" lines table_name)\"")
expect_eq "$(jq -r '.total.n' length.json)" "${ref%%|*}" "length: features measured"
expect_near "$(jq -r '.total.value' length.json)" "${ref#*|}" 100 "length: total (m, of 2.2e10)"
# By cell the lines are clipped: each starts inside the grid, so every one is counted once.
run "$BIN" stats --db "$DB" --layer lines --by grid --metric length --format json -o clip.json
expect_rc 0 "stats length by cell"
expect_eq "$(jq -r '"\(.total.n) \(.unassigned)"' clip.json)" "$N_IN 0" "clipped lines counted"

run "$BIN" stats --db "$DB" --layer polys --by grid --metric area --unit m2 --format json -o area.json
expect_rc 0 "stats area"
ref=$(sql "$DB" "SELECT count(*), sum(ST_Area(geom, 1)) FROM \"$(reg "$DB" polys table_name)\"")
expect_eq "$(jq -r '"\(.total.n) \(.unassigned)"' area.json)" "${ref%%|*} 0" "area: polygons counted"
expect_near "$(jq -r '.total.value' area.json)" "${ref#*|}" 5000 "area: total (m2, of 5.4e11)"
