#!/usr/bin/env bash
# serve_ogc_conformance.sh BINARY - a conformance probe of `cityatlas serve`, organised by
# the requirement ids of the OGC abstract test suites: OGC API - Features Part 1 (17-069r4,
# /req/core/...), Part 2 (18-058r1, /req/crs/...), Part 3 (19-079r2, /req/filter/...,
# /req/queryables...), the drafts of Part 5 (sortables), Part 6 (property selection) and
# Part 8 (sorting), and the CQL2 classes declared (21-065r2). Every expected count comes
# from SpatiaLite directly, never from the server. The bundled catalog plus the layer
# "events" of tests/data/ogc/ (times with and without fractions and offsets, features
# without a time and without a geometry) are served with --max-limit 100.
# The OpenAPI document is linted with redocly (web/node_modules, installed by
# scripts/install_web_deps.sh --dev) in its strictest ruleset; without it that check SKIPs.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/e2e/serve_lib.sh
source "$(dirname "$0")/serve_lib.sh"
# shellcheck source=tests/e2e/ogc_lib.sh
source "$(dirname "$0")/ogc_lib.sh"

# tests/data/ogc/events.geojson: 6 features; 2 without a time, 1 without a geometry; the
# same instant written three ways (Z, fraction, +07:00).
ogc_serve 100
MAX=100

# count ID WHERE: features of a layer matching an SQL condition, straight from SpatiaLite.
count() {
    local t
    t=$(reg "$DB" "$1" table_name)
    sql "$DB" "SELECT count(*) FROM \"$t\" WHERE $2"
}
# matched PATH WHAT: numberMatched of a 200 answer.
matched() {
    get "$1"
    expect_status 200 "$2"
    jqb .numberMatched
}
# expect_matched PATH EXPECTED WHAT
expect_matched() {
    local n
    n=$(matched "$1" "$3")
    expect_eq "$n" "$2" "$3: numberMatched"
}
# expect_400 PATH WORD WHAT: a JSON 400 whose description names WORD.
expect_400() {
    get "$1"
    expect_json_error 400 "$3"
    expect_contains "$(jqb .description)" "$2" "$3: the message names the problem"
}
# untyped_links: how many link objects (rel and href) of the last body have no type.
untyped_links() {
    jqb '[.. | objects | select(has("rel") and has("href")) | select(has("type") | not)] | length'
}
ids=$(layer_ids "$DB")

section "Part 1 /req/core/root-success, /req/core/conformance-success"
get /
expect_status 200 "landing page"
for rel in service-desc service-doc conformance data; do
    expect_contains "$(jqb '[.links[].rel] | join(" ")')" "$rel" "/req/core/root-success: a $rel link"
done
get /conformance
expect_status 200 "/conformance"
classes=$(jqb '.conformsTo | join(" ")')
for c in ogcapi-features-1/1.0/conf/core ogcapi-features-1/1.0/conf/oas30 \
    ogcapi-features-1/1.0/conf/geojson ogcapi-features-1/1.0/conf/html \
    ogcapi-features-2/1.0/conf/crs ogcapi-features-3/1.0/conf/queryables \
    ogcapi-features-3/1.0/conf/queryables-query-parameters ogcapi-features-3/1.0/conf/filter \
    ogcapi-features-3/1.0/conf/features-filter ogcapi-features-5/1.0/conf/schemas \
    ogcapi-features-5/1.0/conf/sortables ogcapi-features-6/1.0/conf/property-selection \
    ogcapi-features-8/1.0/conf/sorting cql2/1.0/conf/cql2-text cql2/1.0/conf/basic-cql2 \
    cql2/1.0/conf/advanced-comparison-operators cql2/1.0/conf/basic-spatial-functions \
    cql2/1.0/conf/basic-spatial-functions-plus; do
    expect_contains "$classes" "http://www.opengis.net/spec/$c" "/req/core/conformance-success: $c"
done

section "Part 1 /req/core/fc-rel-type, /req/core/f-links: every link has rel and type"
for path in / /conformance /collections "/collections/cm-districts" \
    "/collections/cm-districts/items?limit=2" "/collections/cm-districts/items/1"; do
    get "$path"
    expect_status 200 "$path"
    expect_eq "$(untyped_links)" 0 "$path: links without a type"
done

section "Part 1 /req/core/fc-md-items, /req/core/rc-md-extent: collections and their extents"
get /collections
expect_eq "$(jqb '[.collections[].id] | sort | join(" ")')" "$ids" "every layer is a collection"
t=$(reg "$DB" cm-districts table_name)
first=$(sql "$DB" "SELECT min(strftime('%Y-%m-%dT%H:%M:%fZ', date)) FROM \"$t\"")
last=$(sql "$DB" "SELECT max(strftime('%Y-%m-%dT%H:%M:%fZ', date)) FROM \"$t\"")
get /collections/cm-districts
expect_eq "$(jqb '.extent.temporal.interval[0] | join("/")')" "$first/$last" \
    "/req/core/rc-md-extent: the temporal extent of cm-districts is its date field's"
expect_eq "$(jqb '.extent.temporal.trs')" "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian" \
    "temporal extent's reference system"
get /collections/events
expect_eq "$(jqb '.extent.temporal.interval[0] | join("/")')" \
    "2019-02-18T00:00:00.000Z/2020-06-01T12:00:00.000Z" "events: extent over times written 3 ways"
get /collections/cm-cbd-pois
expect_eq "$(jqb '.extent | has("temporal")')" false "a layer without a time has no temporal extent"

section "Part 1 /req/core/fc-limit-response-1: a limit above the maximum is served, cut to it"
pois=$(reg "$DB" cm-cbd-pois feature_count)
get "/collections/cm-cbd-pois/items?limit=20000"
expect_status 200 "limit=20000 (maximum $MAX) is no error"
expect_eq "$(jqb .numberReturned)" "$MAX" "the page holds the maximum"
expect_eq "$(jqb .numberMatched)" "$pois" "numberMatched is the whole layer"
next=$(jqb '.links[] | select(.rel == "next") | .href')
expect_contains "$next" "offset=$MAX" "a next link leads on"
get "$next"
expect_status 200 "the next page"
expect_eq "$(jqb .numberReturned)" "$MAX" "the next page is cut to the maximum too"
get "/collections/cm-cbd-pois/items?limit=99999999999999999999999"
expect_status 200 "a limit past 64 bits is more than the maximum too"
expect_eq "$(jqb .numberReturned)" "$MAX" "a limit past 64 bits: a page of the maximum"
expect_400 "/collections/cm-cbd-pois/items?limit=0" limit "/req/core/query-param-invalid: limit=0"
expect_400 "/collections/cm-cbd-pois/items?limit=000" limit "limit=000"
expect_400 "/collections/cm-cbd-pois/items?limit=2&limit=3" "given twice" \
    "/req/core/query-param-invalid: a repeated parameter"
expect_400 "/collections/cm-cbd-pois/items/1?crs=a&crs=b" "given twice" \
    "a repeated parameter of one feature"

section "Part 1 /req/core/fc-bbox-response: intersecting features, and those without geometry"
box="98.9,18.7,99.0,18.8"
in_box="geom IS NULL OR ST_Intersects(geom, BuildMbr(98.9, 18.7, 99.0, 18.8, 4326))"
for id in tambon-centroids-postcodes cm-cbd-pois events; do
    expect_matched "/collections/$id/items?bbox=$box" "$(count "$id" "$in_box")" "$id bbox"
done
nulls=$(count tambon-centroids-postcodes "geom IS NULL")
expect_int -gt "$nulls" 0 "tambon-centroids-postcodes has features without geometry"
get "/collections/tambon-centroids-postcodes/items?bbox=170,-11,-179,-9&limit=$MAX"
expect_eq "$(jqb '[.features[] | select(.geometry == null)] | length')" "$nulls" \
    "/req/core/fc-bbox-response C: features without geometry are in the result"
table=cm-district-population
expect_matched "/collections/$table/items?bbox=98,18,99,19" "$(reg "$DB" $table feature_count)" \
    "a collection without geometry: bbox matches every feature"

section "Part 1 /req/core/fc-bbox-definition: a box across the antimeridian (west > east)"
expect_matched "/collections/cm-cbd-pois/items?bbox=170,-90,100,90" "$pois" \
    "170..180 and -180..100 hold every point of Chiang Mai"
expect_matched "/collections/cm-cbd-pois/items?bbox=100,-90,-170,90" 0 \
    "100..180 and -180..-170 hold none"
expect_matched "/collections/events/items?bbox=170,-11,-179,-9" 2 \
    "events: the point at 170.5 and the feature without geometry"
expect_400 "/collections/cm-cbd-pois/items?bbox=500000,2000000,400000,2100000&bbox-crs=http://www.opengis.net/def/crs/EPSG/0/32647" \
    bbox "/req/crs/fc-bbox-crs-action: a projected box must not be inverted"

section "Part 1 /req/core/fc-time-definition: datetime is in the API definition"
get /api
expect_status 200 /api
expect_eq "$(jqb '.components.parameters.datetime | [.name, .in, .schema.type, .style, .explode] | map(tostring) | join(" ")')" \
    "datetime query string form false" "the datetime parameter as /req/core/fc-time-definition gives it"
expect_contains "$(jqb '.paths["/collections/{collectionId}/items"].get.parameters | map(."$ref") | join(" ")')" \
    "#/components/parameters/datetime" "the items operation takes datetime"
expect_contains "$(jqb '.paths["/collections/cm-districts/items"].get.parameters | map(."$ref" // "") | join(" ")')" \
    "#/components/parameters/datetime" "each collection's items operation takes datetime"

section "Part 1 /req/core/fc-time-response: instants, intervals, features without a time"
n=$(count cm-districts "date IS NOT NULL")
for v in 2019-02-18T00:00:00Z 2019-02-18T00:00:00.000Z 2019-02-18T07:00:00%2B07:00 \
    2019-02-18T00:00:00.000000000z 2019-02-18 2019-02-01T00:00:00Z/2019-03-01T00:00:00Z \
    ../2019-02-18T00:00:00Z 2019-02-18T00:00:00Z/.. /2019-02-18T00:00:00Z 2019-02-18T00:00:00Z/; do
    expect_matched "/collections/cm-districts/items?datetime=$v" "$n" "cm-districts datetime=$v"
done
expect_matched "/collections/cm-districts/items?datetime=2019-02-18T00:00:01Z/.." 0 \
    "an interval after every date"
# events: a, b are the same instant, c half a second later; d in 2020; e, f without a time.
expect_matched "/collections/events/items?datetime=2019-02-18T00:00:00Z" 4 \
    "an instant: a, b (the same instant at +07:00) and e, f without a time"
expect_matched "/collections/events/items?datetime=2019-02-18" 5 "a date: the whole day (a, b, c), e, f"
expect_matched "/collections/events/items?datetime=2019-02-18T00:00:00.1Z/.." 4 "open end: c, d, e, f"
expect_matched "/collections/events/items?datetime=../2019-02-17T23:59:59.999Z" 2 \
    "before every time: only e, f (/req/core/fc-time-response C)"
expect_matched "/collections/events/items?datetime=2020-01-01T00:00:00Z/2021-01-01T00:00:00Z&bbox=$box" 2 \
    "datetime with bbox: d (no geometry) and e (no time) in the box"
expect_matched "/collections/cm-cbd-pois/items?datetime=2019-02-18T00:00:00Z" "$pois" \
    "a collection without a time: every feature"
expect_matched "/collections/events/items?datetime=2019-02-18T07:00:00%2B07:00/2019-02-18T00:00:00Z" 4 \
    "an interval of one instant written two ways: a, b, e, f"
expect_matched "/collections/events/items?datetime=2019-02-18/2019-02-18" 5 "a one-day interval"
for bad in 2019-02-30 2019-02-18T24:00:00Z 2019-02-18T00:00Z yesterday / ../.. \
    2019-02-18T00:00:00Z/2019-02-19/x 2019-02-19/2019-02-18 \
    2019-02-18T00:00:00Z/2019-02-18T06:59:59%2B07:00; do
    expect_400 "/collections/cm-districts/items?datetime=$bad" datetime "datetime=$bad"
done
expect_400 "/collections/cm-cbd-pois/items?datetime=soon" datetime \
    "a malformed datetime on a collection without a time"

section "Part 3 /req/filter, /conf/basic-cql2: timestamps compare as instants"
n=$(count cm-districts "date = '2019-02-18T00:00:00Z'")
for ts in 2019-02-18T00:00:00.000Z 2019-02-18T00:00:00Z 2019-02-18T00:00:00.0Z; do
    get "/collections/cm-districts/items" -G --data-urlencode "filter=date = TIMESTAMP('$ts')"
    expect_status 200 "TIMESTAMP('$ts')"
    expect_eq "$(jqb .numberMatched)" "$n" "date = TIMESTAMP('$ts')"
done
expect_matched "/collections/cm-districts/items?date=2019-02-18T00:00:00.000Z" "$n" \
    "/req/queryables-query-parameters: date=...000Z on a DateTime field"
get "/collections/events/items" -G --data-urlencode "filter=at BETWEEN TIMESTAMP('2019-02-18T00:00:00Z') AND TIMESTAMP('2019-02-18T00:00:00.4Z')"
expect_eq "$(jqb '[.features[].properties.name] | sort | join(",")')" "a,b" "BETWEEN instants"

section "CQL2 /conf/basic-cql2: escaped quotes"
n=$(count cm-cbd-pois "name = 'Pat''s Klangviang'")
expect_eq "$n" 1 "the fixture has Pat's Klangviang"
for f in "name = 'Pat\\'s Klangviang'" "name = 'Pat''s Klangviang'" "name LIKE 'Pat\\'s%'"; do
    get "/collections/cm-cbd-pois/items" -G --data-urlencode "filter=$f"
    expect_status 200 "$f"
    expect_eq "$(jqb .numberMatched)" "$n" "$f"
done

section "Thai text compares after Unicode normalisation (NFC)"
typed=$'\u0e1b\u0e48\u0e38\u0e21' # ปุ่ม, tone mark before the below-vowel, as a phone may type it
nfc=$'\u0e1b\u0e38\u0e48\u0e21'   # the same word in NFC
t=$(reg "$DB" events table_name)
expect_eq "$(sql "$DB" "SELECT lower(hex(place)) FROM \"$t\" WHERE name = 'a'")" \
    e0b89be0b8b8e0b988e0b8a1 "the import stored the fixture's place in NFC"
for v in "$typed" "$nfc"; do
    get "/collections/events/items" -G --data-urlencode "filter=place = '$v'"
    expect_eq "$(jqb '[.features[].properties.name] | join(",")')" a "filter=place = '$v'"
    get "/collections/events/items" -G --data-urlencode "place=$v"
    expect_eq "$(jqb '[.features[].properties.name] | join(",")')" a "place=$v"
    get "/collections/events/items" -G --data-urlencode "filter=place LIKE '%$v%'"
    expect_eq "$(jqb '[.features[].properties.name] | join(",")')" a "place LIKE '%$v%'"
done

section "CQL2 /conf/basic-spatial-functions: 6-number BBOX and 3-D WKT"
n=$(count cm-cbd-pois "ST_Intersects(geom, BuildMbr(98.98, 18.78, 99.0, 18.8, 4326))")
for g in "BBOX(98.98, 18.78, 99.0, 18.8)" "BBOX(98.98, 18.78, -50, 99.0, 18.8, 3000)" \
    "POLYGON Z((98.98 18.78 0, 99.0 18.78 0, 99.0 18.8 10, 98.98 18.8 10, 98.98 18.78 0))"; do
    get "/collections/cm-cbd-pois/items" -G --data-urlencode "filter=S_INTERSECTS(geometry, $g)"
    expect_status 200 "S_INTERSECTS with $g"
    expect_eq "$(jqb .numberMatched)" "$n" "S_INTERSECTS(geometry, $g)"
done
get "/collections/events/items" -G --data-urlencode "filter=S_INTERSECTS(geometry, POINT Z(98.98 18.79 310))"
expect_eq "$(jqb '[.features[].properties.name] | join(",")')" a "POINT Z finds the point"
deep=$(printf '(%.0s' $(seq 1 100))"name = 'a'"$(printf ')%.0s' $(seq 1 100))
get "/collections/cm-cbd-pois/items" -G --data-urlencode "filter=$deep"
expect_json_error 400 "nesting past the limit is a mistake (400), not a large body (413)"

section "Part 5 sortables, Part 8 /req/sorting, Part 6 properties"
get /collections/cm-cbd-pois/sortables
expect_status 200 /sortables
expect_match "$(header Content-Type)" '^application/schema\+json' "/sortables is JSON Schema"
expect_eq "$(jqb '.properties | keys | sort | join(",")')" "category,name,purpose" \
    "every non-binary property is sortable; the geometry is not"
get /collections/cm-cbd-pois
expect_contains "$(jqb '[.links[].rel] | join(" ")')" "http://www.opengis.net/def/rel/ogc/1.0/sortables" \
    "the collection links its sortables"
get "/collections/cm-cbd-pois?f=html"
expect_contains "$(body)" "/collections/cm-cbd-pois/sortables?f=html" \
    "/req/html/content: the collection's page links its sortables too"
get "/collections/cm-cbd-pois/sortables?f=html"
expect_status 200 "the sortables page"
t=$(reg "$DB" cm-cbd-pois table_name)
last_name=$(sql "$DB" "SELECT name FROM \"$t\" ORDER BY name DESC, fid LIMIT 1")
get "/collections/cm-cbd-pois/items?sortby=-name&limit=1"
expect_eq "$(jqb '.features[0].properties.name')" "$last_name" "sortby=-name"
get "/collections/cm-cbd-pois/items?properties=name&limit=1"
expect_eq "$(jqb '.features[0].properties | keys | join(",")')" name "properties=name"

section "Part 1 /req/oas30/oas-definition-2: a strict OpenAPI linter accepts /api"
redocly=$REPO/web/node_modules/.bin/redocly
if [[ -x $redocly ]] && command -v node >/dev/null; then
    for lang in en th; do
        get "/api?lang=$lang"
        cp "$HTTP_BODY" "$E2E_TMP/api-$lang.json"
        run env REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true "$redocly" lint \
            --extends=recommended-strict --format=stylish "$E2E_TMP/api-$lang.json"
        expect_rc 0 "redocly lint (recommended-strict) of /api?lang=$lang"
    done
else
    echo "SKIP redocly lint: $redocly not installed (scripts/install_web_deps.sh --dev)"
fi
get /api
for code in 400 413 414; do
    expect_eq "$(jqb ".paths[\"/collections/{collectionId}/items\"].get.responses | has(\"$code\")")" \
        true "/req/oas30/completeness: the items operation documents $code"
done
expect_eq "$(jqb '[.. | objects | select(.nullable == true) | select(has("type") | not)] | length')" 0 \
    "every nullable schema has a type"
expect_eq "$(jqb '.paths["/collections/events/items"].get.parameters | map(select(.name == "at")) | .[0].schema.format')" \
    date-time "a DateTime property's name=value parameter is format: date-time"

section "errors asked for by a browser are HTML pages in its language"
get "/collections/nope/items?f=html&lang=th"
expect_status 404 "unknown collection, f=html"
expect_match "$(header Content-Type)" '^text/html' "the error is a page"
expect_eq "$(header Content-Language)" th "in Thai"
expect_contains "$(body)" "ข้อผิดพลาด 404" "the status, in Thai"
get "/collections/cm-districts/items?datetime=nope" -H 'Accept: text/html,application/xhtml+xml;q=0.9,*/*;q=0.8' \
    -H 'Accept-Language: en-GB,en;q=0.9'
expect_status 400 "a browser's bad datetime"
expect_match "$(header Content-Type)" '^text/html' "HTML by Accept"
expect_contains "$(body)" "datetime: &#39;nope&#39; is not an RFC 3339" "the server's description"
get "/collections/cm-districts/items?datetime=nope" -H 'Accept: */*'
expect_json_error 400 "a script's bad datetime stays JSON"

serve_stop "stopping the server"
