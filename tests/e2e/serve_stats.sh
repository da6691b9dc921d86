#!/usr/bin/env bash
# serve_stats.sh BINARY - statistics over HTTP on the bundled data: /stats counts and
# per-capita values against SpatiaLite SQL written here; JSON, CSV and GeoJSON agree (GDAL
# opens the GeoJSON, class breaks and colours fit the values); every featured statistic of
# the catalog answers in every format; the cache hits on a repeat, answers 304 to its ETag,
# survives the re-import of a layer the statistic does not read and misses after one it
# does; and bad input gets a 400/404 JSON error.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/e2e/serve_lib.sh
source "$(dirname "$0")/serve_lib.sh"

DB=$E2E_TMP/city.sqlite
bundled_db "$DB"
table_of() { reg "$DB" "$1" table_name; }
POIS=$(table_of cm-cbd-pois)
TAMBON=$(table_of cm-tambon)
DISTRICTS=$(table_of cm-districts)
CENTRES=$(table_of tambon-centroids-postcodes)
POPULATION=$(table_of cm-district-population)
serve_start "$DB"

section "count of POIs by tambon equals SpatiaLite"
get "/stats?layer=cm-cbd-pois&by=cm-tambon"
expect_status 200 "count by tambon"
expect_eq "$(header Content-Type)" "application/json" "content type"
expect_eq "$(header X-Stats-Cache)" "miss" "first request computes"
got=$(jqb '.rows[] | "\(.area_id)|\(.n)"' | sort -t'|' -k1,1n)
want=$(sql "$DB" "SELECT t.fid || '|' || count(p.fid) FROM \"$TAMBON\" t LEFT JOIN \"$POIS\" p ON ST_Covers(t.geom, p.geom) GROUP BY t.fid ORDER BY t.fid")
expect_eq "$got" "$want" "POIs per tambon (area_id|n)"
outside=$(sql "$DB" "SELECT count(*) FROM \"$POIS\" p WHERE NOT EXISTS (SELECT 1 FROM \"$TAMBON\" t WHERE ST_Covers(t.geom, p.geom))")
expect_eq "$(jqb .unassigned)" "$outside" "POIs outside every tambon"
expect_eq "$(jqb '.total.n')" "$((4557 - outside))" "total"
expect_eq "$(jqb '[.sources[].id] | join(" ")')" "cm-cbd-pois cm-tambon" "sources"
expect_match "$(jqb .definition.text.en)" "point lies in each area" "definition says what was counted"
expect_match "$(jqb .definition.text.th)" "จุดตั้งอยู่ในแต่ละพื้นที่" "the definition in Thai"
expect_eq "$(jqb '.sources[0].license')" "ODbL-1.0" "source licence"
expect_match "$(jqb .data_updated_at)" '^20[0-9]{2}-' "freshness"

section "CSV and JSON agree"
get "/stats?layer=cm-cbd-pois&by=cm-tambon&f=csv"
expect_status 200 "CSV"
expect_match "$(header Content-Type)" "^text/csv" "CSV content type"
csv_rows=$(python3 -c '
import csv, sys
for r in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig")):
    if r["area_id"] != "total":
        print(r["area_id"] + "|" + r["n"] + "|" + r["per_km2"])' "$HTTP_BODY" | sort -t'|' -k1,1n)
get "/stats?layer=cm-cbd-pois&by=cm-tambon"
json_rows=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
for r in d["rows"]:
    print("%s|%s|%s" % (r["area_id"], r["n"], "" if r["per_km2"] is None else format(r["per_km2"], ".4f").rstrip("0").rstrip(".")))' "$HTTP_BODY" | sort -t'|' -k1,1n)
expect_eq "$csv_rows" "$json_rows" "CSV rows equal JSON rows (area, n, per km²)"

section "per-capita values against the population table"
Q="layer=tambon-centroids-postcodes&province_code=50&by=cm-districts&population=population&population-from=cm-district-population&join=ADM2_PCODE:adm2_pcode"
get "/stats?$Q"
expect_status 200 "per capita"
checked=0
while IFS='|' read -r fid count population; do
    row=$(jqb '.rows[] | select(.area_id == $f) | "\(.n)|\(.per_capita)|\(.population)"' --argjson f "$fid")
    want_pc=$(python3 -c "print(round($count * 10000 / $population, 4))")
    expect_eq "$row" "$count|$want_pc|$population" "district $fid: n|per_capita|population"
    checked=$((checked + 1))
done < <(sql "$DB" "SELECT d.fid, (SELECT count(*) FROM \"$CENTRES\" c WHERE c.province_code = 50 AND c.geom IS NOT NULL AND ST_Covers(d.geom, c.geom)), p.population FROM \"$DISTRICTS\" d JOIN \"$POPULATION\" p ON p.adm2_pcode = d.ADM2_PCODE")
expect_eq "$checked" 22 "districts with a population figure"
expect_eq "$(jqb '[.rows[] | select(.population == null)] | length')" 3 "districts without a figure"
expect_eq "$(jqb '[.rows[] | select(.population == null and .per_capita == null and (.population_note | test("no population figure")))] | length')" 3 "missing figures have a null per-capita value and a note"
expect_eq "$(jqb '"\(.population.year_min)-\(.population.year_max)"')" "2005-2023" "denominator years"
expect_match "$(jqb .population.note)" "different years" "the mixed years are said"

section "GeoJSON for a choropleth, read by GDAL"
get "/stats?$Q&f=geojson"
expect_status 200 "GeoJSON"
expect_eq "$(header Content-Type)" "application/geo+json" "GeoJSON content type"
cp "$HTTP_BODY" choropleth.geojson
run ogrinfo -ro -al -so choropleth.geojson
expect_rc 0 "ogrinfo opens the GeoJSON"
expect_contains "$RUN_OUT" "Feature Count: 25" "one feature per district"
n_classes=$(jqb '.classes.breaks | length')
expect_int -ge "$n_classes" 3 "class breaks"
expect_eq "$(jqb '.classes.colors | length')" "$((n_classes - 1))" "a colour per class"
expect_eq "$(jqb '[.classes.breaks as $b | range(1; $b | length) | $b[.] >= $b[. - 1]] | all')" true "breaks ascend"
expect_eq "$(jqb '[.features[] | select(.properties.per_capita != null) | .properties.class as $c | .properties.color == $ARGS.named.doc.classes.colors[$c]] | all' --argjson doc "$(cat "$HTTP_BODY")")" true "each colour is its class's"
expect_eq "$(jqb '[.features[] | select(.properties.per_capita == null) | .properties.class] | unique')" '[
  null
]' "no class without a value"

section "featured statistics"
get "/stats/featured"
expect_status 200 "featured list"
ids=$(jqb '[.statistics[].id] | join(" ")')
expect_eq "$(wc -w <<<"$ids")" 5 "featured statistics in the catalog"
for id in $ids; do
    get "/stats/featured/$id"
    expect_status 200 "featured $id"
    expect_eq "$(jqb .id)" "$id" "$id: id"
    expect_eq "$(jqb .title.th)" "$(jq -r --arg id "$id" '.statistics[] | select(.id == $id) | .title.th' "$REPO/datasets/catalog.json")" "$id: Thai title, byte for byte"
    expect_ne "$(jqb .question.en)" "null" "$id: question"
    expect_int -ge "$(jqb '.rows | length')" 1 "$id: rows"
    get "/stats/featured/$id?f=csv&lang=th"
    expect_status 200 "featured $id as CSV"
    expect_eq "$(header Content-Language)" "th" "$id: Thai"
    get "/stats/featured/$id?f=geojson"
    expect_status 200 "featured $id as GeoJSON"
    expect_eq "$(jqb .type)" "FeatureCollection" "$id: GeoJSON"
done
get "/stats/featured/hospital-distance-by-district"
expect_eq "$(jqb '.rows | length')" 25 "distance: every district"
expect_eq "$(jqb '[.rows[] | .value <= .max and .share_beyond >= 0 and .share_beyond <= 1] | all')" true "distance summaries are consistent"
get "/stats/featured/hospitals-per-capita-mueang"
hospitals=$(sql "$DB" "SELECT count(*) FROM \"$POIS\" p, \"$DISTRICTS\" d WHERE d.ADM2_PCODE = 'TH5001' AND p.category = 'hospital' AND ST_Covers(d.geom, p.geom)")
expect_eq "$(jqb '.total.n')" "$hospitals" "hospitals in Mueang"
expect_eq "$(jqb '.total.per_capita')" "$(python3 -c "print(round($hospitals * 10000 / 223363, 4))")" "hospitals per 10,000 residents"

section "cache: repeat, 304, re-imports"
URL="/stats?layer=cm-cbd-pois&by=cm-tambon&metric=count&group=category"
get "$URL"
get "$URL"
expect_eq "$(header X-Stats-Cache)" "hit" "a repeat comes from the cache"
etag=$(header ETag)
get "$URL" -H "If-None-Match: $etag"
expect_status 304 "If-None-Match"
run "$BIN" import --quiet --db "$DB" --catalog "$REPO/datasets/catalog.json" --id rivers-wdbii
expect_rc 0 "re-import of a layer the statistic does not read"
get "$URL"
expect_eq "$(header X-Stats-Cache)" "hit" "still cached after an unrelated re-import"
expect_eq "$(header ETag)" "$etag" "same ETag after an unrelated re-import"
run "$BIN" import --quiet --db "$DB" --catalog "$REPO/datasets/catalog.json" --id cm-cbd-pois --force
expect_rc 0 "re-import of the layer counted"
get "$URL"
expect_eq "$(header X-Stats-Cache)" "miss" "recomputed after its layer was re-imported"
expect_ne "$(header ETag)" "$etag" "new ETag after its layer was re-imported"

section "bad input"
for q in "layer=nope" "layer=cm-cbd-pois&by=cm-cbd-roads" "layer=cm-cbd-pois&metric=sum" \
    "layer=cm-cbd-pois&metric=sum&field=category" "layer=cm-cbd-pois&metric=avg" \
    "layer=cm-cbd-pois&filter=category%20%3D" "layer=cm-cbd-pois&by=cm-districts&population=population&population-from=cm-district-population&join=ADM2_PCODE:name_en" \
    "layer=cm-cbd-pois&f=xml" "layer=cm-cbd-pois&colour=red" ""; do
    get "/stats?$q"
    expect_json_error 400 "/stats?$q"
done
get "/stats/featured/nope"
expect_json_error 404 "unknown featured statistic"
get "/stats/featured/hospital-distance-by-district?by=cm-tambon"
expect_json_error 400 "featured statistics take only f and lang"
expect_serve_alive "after the bad requests"
serve_stop
