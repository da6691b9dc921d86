#!/usr/bin/env bash
# serve_api.sh BINARY - what `cityatlas serve` answers, checked against the database it
# serves (SpatiaLite SQL through sqlite3 is the reference for every count and id list):
#   /collections (ids, titles in English, Thai by lang=th and by Accept-Language, extents,
#   CRS lists, links) and /collections/{id}; paging by following `next` links to the end
#   (every feature exactly once); bbox exactness on points and polygons, bbox-crs; CQL2
#   filters and name=value filters; sortby; properties; skipGeometry; output CRSs (axis
#   order of EPSG:4326, Content-Crs); zoom and precision; CSV; single features and their
#   404s; Thai text byte for byte.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/e2e/serve_lib.sh
source "$(dirname "$0")/serve_lib.sh"

DB=$E2E_TMP/city.sqlite
CRS84=http://www.opengis.net/def/crs/OGC/1.3/CRS84
EPSG=http://www.opengis.net/def/crs/EPSG/0
# The output CRSs, in jq's sort order.
CRS_SORTED="$EPSG/24047 $EPSG/32647 $EPSG/3857 $EPSG/4326 $CRS84"

bundled_db "$DB"
IDS=$(layer_ids "$DB")
expect_eq "$(wc -w <<<"$IDS")" 16 "layers in the database"
# A seeded synthetic layer with integer, real, text and ISO date properties, for the typed
# filters; it joins after IDS was taken, so the catalog checks still see the 16 layers.
run python3 "$REPO/scripts/gen_synthetic.py" points --count 3000 --seed 3 -o synthetic.geojson
expect_rc 0 "generating the synthetic points"
run "$BIN" import --quiet --db "$DB" --id synthetic synthetic.geojson
expect_rc 0 "import of the synthetic points"
ALL_IDS=$(layer_ids "$DB")
table_of() { reg "$DB" "$1" table_name; }
POIS=$(table_of cm-cbd-pois)
TAMBON=$(table_of cm-tambon)
PLACES=$(table_of cm-cbd-residential-places)
SYN=$(table_of synthetic)
serve_start "$DB"

# sql_ids TABLE WHERE [ORDER]: the fids of TABLE's rows matching WHERE, space separated.
sql_ids() {
    sql "$DB" "SELECT coalesce(group_concat(fid, ' '), '') FROM (SELECT fid FROM \"$1\" WHERE $2 ORDER BY ${3:-fid})"
}

# items COLLECTION [CURL_ARGS...]: one page with limit=10000 (curl -G args add parameters);
# sets ITEMS_MATCHED, ITEMS_RETURNED and ITEMS_IDS (the ids in the order served).
items() {
    local c=$1 n
    shift
    get "/collections/$c/items" -G --data-urlencode limit=10000 "$@"
    expect_status 200 "items of $c with $*"
    { read -r ITEMS_MATCHED ITEMS_RETURNED n && read -r ITEMS_IDS; } < <(jqb \
        '"\(.numberMatched) \(.numberReturned) \(.features | length)", ([.features[].id | tostring] | join(" "))')
    expect_eq "$ITEMS_RETURNED" "$n" "$c $*: numberReturned vs features"
}

# expect_items COLLECTION TABLE WHERE ORDER WHAT [CURL_ARGS...]: the served ids (in order;
# ORDER "any" compares them as a set: a bbox query pages in R*Tree order) and numberMatched
# equal those of the SQL WHERE on TABLE, which must select some rows and, unless WHERE is 1
# (all rows, to check an order), not all (so that the comparison means something).
expect_items() {
    local c=$1 t=$2 where=$3 order=$4 what=$5
    shift 5
    local want n total
    want=$(sql_ids "$t" "$where" "${order/#any/fid}")
    n=$(wc -w <<<"$want")
    total=$(sql "$DB" "SELECT count(*) FROM \"$t\"")
    expect_int -gt "$n" 0 "$what: rows the reference SQL selects"
    if [[ $where != 1 ]]; then
        expect_int -lt "$n" "$total" "$what: rows the reference SQL selects (must be a strict subset)"
    fi
    items "$c" "$@"
    expect_eq "$ITEMS_MATCHED" "$n" "$what: numberMatched vs SQL ($where)"
    if [[ $order == any ]]; then
        ITEMS_IDS=$(tr ' ' '\n' <<<"$ITEMS_IDS" | sort -n | tr '\n' ' ' | sed 's/ $//')
    fi
    expect_eq "$ITEMS_IDS" "$want" "$what: ids vs SQL ($where ORDER BY $order)"
}

section "/collections: ids, titles, extents, CRS lists, links"
get /collections
expect_status 200 "/collections"
expect_match "$(header Content-Type)" '^application/json' "/collections Content-Type"
expect_eq "$(header Content-Language)" en "/collections Content-Language by default"
cp "$HTTP_BODY" collections_en.json
expect_eq "$(jq -r '[.collections[].id] | sort | join(" ")' collections_en.json)" "$ALL_IDS" \
    "collection ids vs the registry"
expect_eq "$(jq -r '[.collections[].id] | unique | length' collections_en.json)" 17 "distinct collection ids"
expect_eq "$(jq -r '[.links[] | select(.rel == "self") | .href] | join(" ")' collections_en.json)" \
    "$BASE/collections" "/collections self link"
expect_eq "$(jq -r '[.crs[]] | sort | join(" ")' collections_en.json)" \
    "$CRS_SORTED" "/collections crs list"
get /collections -G --data-urlencode lang=th
expect_status 200 "/collections?lang=th"
expect_eq "$(header Content-Language)" th "/collections?lang=th Content-Language"
cp "$HTTP_BODY" collections_th.json
get /collections -H 'Accept-Language: th-TH,th;q=0.9,en;q=0.5'
expect_status 200 "/collections with Accept-Language: th"
expect_eq "$(header Content-Language)" th "Content-Language for Accept-Language: th"
cp "$HTTP_BODY" collections_th_header.json
get /collections -H 'Accept-Language: en;q=0.9,th;q=0.3'
expect_eq "$(header Content-Language)" en "Content-Language for Accept-Language: en first"
# One line per collection, fields separated by US (0x1f, not whitespace: empty fields stay): id, title, featureCount, sorted crs list, extent, extent CRS, the
# GeoJSON items link and the self link.
summary='.collections[] | [.id, .title, (.cityatlas.featureCount | tostring), ([.crs[]] | sort | join(" ")),
    (.extent.spatial.bbox[0] // [] | map(tostring) | join(" ")), (.extent.spatial.crs // ""),
    ([.links[] | select(.rel == "items" and .type == "application/geo+json") | .href] | join(" ")),
    ([.links[] | select(.rel == "self") | .href] | join(" "))] | join("\u001f")'
declare -A en th th_header
while IFS=$'\x1f' read -r id rest; do en[$id]=$rest; done < <(jq -r "$summary" collections_en.json)
while IFS=$'\x1f' read -r id title _; do th[$id]=$title; done < <(jq -r "$summary" collections_th.json)
while IFS=$'\x1f' read -r id title _; do th_header[$id]=$title; done < <(jq -r "$summary" collections_th_header.json)
n_th=0
for id in $IDS; do
    row=$(reg "$DB" "$id" "coalesce(nullif(title_en, ''), nullif(title_th, ''), id) || '|' || coalesce(nullif(title_th, ''), nullif(title_en, ''), id) || '|' || feature_count || '|' || coalesce(geometry_type, '') || '|' || coalesce(printf('%.9f %.9f %.9f %.9f', min_lon, min_lat, max_lon, max_lat), '')")
    IFS='|' read -r title_en title_th count gtype extent <<<"$row"
    IFS=$'\x1f' read -r title got_count crs got_extent extent_crs items_href self_href <<<"${en[$id]}"
    expect_eq "$title" "$title_en" "$id: English title"
    expect_eq "${th[$id]}" "$title_th" "$id: Thai title (lang=th)"
    expect_eq "${th_header[$id]}" "$title_th" "$id: Thai title (Accept-Language: th)"
    [[ $title_th == *[![:ascii:]]* ]] && n_th=$((n_th + 1))
    expect_eq "$got_count" "$count" "$id: featureCount"
    expect_eq "$crs" "$CRS_SORTED" "$id: crs list"
    if [[ -n $gtype ]]; then
        expect_eq "$(awk '{ printf "%.8f %.8f %.8f %.8f", $1, $2, $3, $4 }' <<<"$got_extent")" \
            "$(awk '{ printf "%.8f %.8f %.8f %.8f", $1, $2, $3, $4 }' <<<"$extent")" "$id: extent vs the registry"
        expect_eq "$extent_crs" "$CRS84" "$id: extent CRS"
    else
        expect_eq "$got_extent" "" "$id: a table without geometry has no spatial extent"
    fi
    expect_eq "$items_href" "$BASE/collections/$id/items" "$id: items link"
    expect_eq "$self_href" "$BASE/collections/$id" "$id: self link"
    # /collections/{id} is the same document as the list's entry.
    get "/collections/$id"
    expect_status 200 "/collections/$id"
    expect_eq "$(jq -S . "$HTTP_BODY")" "$(jq -S ".collections[] | select(.id == \"$id\")" collections_en.json)" \
        "/collections/$id vs its entry in /collections"
    get "/collections/$id?lang=th"
    expect_eq "$(jqb .title)" "$title_th" "/collections/$id?lang=th title"
done
expect_int -ge "$n_th" 16 "collections whose Thai title is in Thai script"
get /collections/no-such-layer
expect_json_error 404 "unknown collection"
get /collections/no-such-layer/items
expect_json_error 404 "items of an unknown collection"

section "paging: following next links to the end"
# walk COLLECTION LIMIT [PARAMS]: follows `next` from the first page; every page has the
# same numberMatched, numberReturned = its feature count, and no id comes twice. Sets
# WALK_IDS (sorted numerically, one line), WALK_PAGES and WALK_MATCHED.
walk() {
    local c=$1 limit=$2 params=${3:-} url pages=0 matched="" seen=$E2E_TMP/walk_ids.txt
    url="$BASE/collections/$c/items?limit=$limit${params:+&$params}"
    : >"$seen"
    while [[ -n $url ]]; do
        pages=$((pages + 1))
        ((pages <= 2000)) || fail "walk $c: more than 2000 pages"
        get "$url"
        expect_status 200 "walk $c page $pages"
        local m r n next next_type n_prev
        jqb '"\(.numberMatched) \(.numberReturned) \(.features | length) \([.links[] | select(.rel == "prev")] | length)",
             ([.links[] | select(.rel == "next") | .href] | join(" ")),
             ([.links[] | select(.rel == "next") | .type] | join(" ")), .features[].id' >page.txt
        { read -r m r n n_prev && read -r next && read -r next_type; } <page.txt
        tail -n +4 page.txt >>"$seen"
        expect_eq "$r" "$n" "walk $c page $pages: numberReturned vs features"
        [[ -z $matched ]] && matched=$m
        expect_eq "$m" "$matched" "walk $c page $pages: numberMatched stays the same"
        if [[ -n $next ]]; then
            expect_eq "$n" "$limit" "walk $c page $pages: a page with a next link is full"
            expect_eq "$next_type" application/geo+json "walk $c page $pages: type of the next link"
        fi
        expect_eq "$n_prev" "$((pages > 1 ? 1 : 0))" "walk $c page $pages: prev links"
        url=$next
    done
    WALK_PAGES=$pages
    WALK_MATCHED=$matched
    local dups
    dups=$(sort -n "$seen" | uniq -d | head -5 | tr '\n' ' ')
    expect_eq "$dups" "" "walk $c ($params): ids served twice"
    WALK_IDS=$(sort -n "$seen" | tr '\n' ' ' | sed 's/ $//')
}
for spec in cm-tambon:50 tambon-centroids-postcodes:100 cm-cbd-pois:1000 cm-cbd-roads:5000 \
    cm-district-population:7 cm-province:10; do
    c=${spec%%:*} limit=${spec##*:}
    t=$(table_of "$c")
    count=$(reg "$DB" "$c" feature_count)
    walk "$c" "$limit"
    expect_eq "$WALK_MATCHED" "$count" "$c: numberMatched vs the registry feature_count"
    expect_eq "$WALK_IDS" "$(sql_ids "$t" 1)" "$c: union of the pages vs the table's fids"
    expect_eq "$WALK_PAGES" "$(((count + limit - 1) / limit))" "$c: pages of $limit"
    echo "    $c: $count features in $WALK_PAGES pages of $limit"
done
# With a bbox the server pages in R*Tree order rather than by fid.
box="98.975,18.78,98.995,18.80"
walk cm-cbd-pois 250 "bbox=$box"
want=$(sql_ids "$POIS" "ST_Intersects(geom, BuildMbr(98.975, 18.78, 98.995, 18.80, 4326)) = 1" fid)
expect_eq "$WALK_IDS" "$want" "cm-cbd-pois bbox=$box: union of the pages vs SQL"
expect_eq "$WALK_MATCHED" "$(wc -w <<<"$want")" "cm-cbd-pois bbox=$box: numberMatched vs SQL"
expect_int -gt "$WALK_PAGES" 2 "pages of the bbox walk"
get "/collections/cm-tambon/items?limit=50&offset=200"
expect_eq "$(jqb '.numberReturned')" 4 "the last, partial page (offset 200 of 204)"
expect_eq "$(jqb '[.links[] | select(.rel == "next")] | length')" 0 "no next link on the last page"
get "/collections/cm-tambon/items?offset=100000"
expect_status 200 "offset past the end"
expect_eq "$(jqb '[.numberMatched, .numberReturned, (.features | length)] | join(" ")')" \
    "204 0 0" "offset past the end: counts"
get "/collections/cm-tambon/items"
expect_eq "$(jqb '.numberReturned')" 100 "the default limit"

section "bbox: exact on points (corners on features) and on polygons"
# Corners that are the exact coordinates of features: the box is closed, so they count.
read -r x0 y0 x1 y1 <<<"$(sql "$DB" "SELECT printf('%!.17g %!.17g', (SELECT ST_X(geom) FROM \"$POIS\" WHERE geom IS NOT NULL ORDER BY ST_X(geom) LIMIT 1 OFFSET 1500), (SELECT ST_Y(geom) FROM \"$POIS\" WHERE geom IS NOT NULL ORDER BY ST_Y(geom) LIMIT 1 OFFSET 1500)) || ' ' || printf('%!.17g %!.17g', (SELECT ST_X(geom) FROM \"$POIS\" WHERE geom IS NOT NULL ORDER BY ST_X(geom) LIMIT 1 OFFSET 3000), (SELECT ST_Y(geom) FROM \"$POIS\" WHERE geom IS NOT NULL ORDER BY ST_Y(geom) LIMIT 1 OFFSET 3000))")"
for box in "$x0,$y0,$x1,$y1" "98.98,18.785,98.99,18.795" "98.9,18.7,99.1,18.9" "98.9931,18.7905,98.9933,18.7906"; do
    IFS=, read -r bx0 by0 bx1 by1 <<<"$box"
    where="ST_Intersects(geom, BuildMbr($bx0, $by0, $bx1, $by1, 4326)) = 1"
    want=$(sql_ids "$POIS" "$where" fid)
    expect_eq "$want" "$(sql_ids "$POIS" "ST_X(geom) BETWEEN $bx0 AND $bx1 AND ST_Y(geom) BETWEEN $by0 AND $by1")" \
        "reference SQL: ST_Intersects vs coordinates for bbox $box"
    items cm-cbd-pois --data-urlencode "bbox=$box"
    expect_eq "$ITEMS_MATCHED" "$(wc -w <<<"$want")" "cm-cbd-pois bbox=$box: numberMatched vs SQL"
    expect_eq "$(tr ' ' '\n' <<<"$ITEMS_IDS" | sort -n | tr '\n' ' ' | sed 's/ $//')" "$want" \
        "cm-cbd-pois bbox=$box: ids vs SQL"
    # shellcheck disable=SC2016 # jq variables
    outside=$(jqb '($b | split(",") | map(tonumber)) as $q | [.features[] | select(.geometry.coordinates[0] < $q[0] or .geometry.coordinates[0] > $q[2] or .geometry.coordinates[1] < $q[1] or .geometry.coordinates[1] > $q[3]) | .id | tostring] | join(" ")' --arg b "$box")
    expect_eq "$outside" "" "cm-cbd-pois bbox=$box: returned points outside the box"
    echo "    bbox $box: $ITEMS_MATCHED points"
done
expect_int -gt "$(sql "$DB" "SELECT count(*) FROM \"$POIS\" WHERE ST_X(geom) = $x0 OR ST_Y(geom) = $y0 OR ST_X(geom) = $x1 OR ST_Y(geom) = $y1")" 0 \
    "points lying on the edge of the first box"
for box in "98.95,18.75,99.0,18.80" "98.99,18.79,98.991,18.791"; do
    IFS=, read -r bx0 by0 bx1 by1 <<<"$box"
    expect_items cm-tambon "$TAMBON" "ST_Intersects(geom, BuildMbr($bx0, $by0, $bx1, $by1, 4326)) = 1" any \
        "cm-tambon (polygons) bbox=$box" --data-urlencode "bbox=$box"
done
# Six numbers: the heights are ignored.
expect_items cm-cbd-pois "$POIS" "ST_Intersects(geom, BuildMbr(98.98, 18.785, 98.99, 18.795, 4326)) = 1" any \
    "bbox with six numbers (heights ignored)" --data-urlencode "bbox=98.98,18.785,0,98.99,18.795,100"

section "bbox-crs"
# EPSG:4326 takes latitude first; the same box must select the same features.
items cm-cbd-pois --data-urlencode "bbox=98.98,18.785,98.99,18.795"
plain=$ITEMS_IDS
items cm-cbd-pois --data-urlencode "bbox=18.785,98.98,18.795,98.99" --data-urlencode "bbox-crs=$EPSG/4326"
expect_eq "$ITEMS_IDS" "$plain" "bbox-crs=EPSG:4326 (lat,lon order) vs the CRS84 box"
items cm-cbd-pois --data-urlencode "bbox=98.98,18.785,98.99,18.795" --data-urlencode "bbox-crs=$CRS84"
expect_eq "$ITEMS_IDS" "$plain" "bbox-crs=CRS84 vs no bbox-crs"
# A projected box selects what lies in the longitude/latitude envelope of the whole box:
# its edges are curves in degrees, so the reference densifies them (128 points per edge).
dense_box_wkt() { # X0 Y0 X1 Y1
    awk -v x0="$1" -v y0="$2" -v x1="$3" -v y1="$4" 'BEGIN {
        n = 128; cx[0] = x0; cy[0] = y0; cx[1] = x1; cy[1] = y0; cx[2] = x1; cy[2] = y1
        cx[3] = x0; cy[3] = y1; cx[4] = x0; cy[4] = y0; out = "POLYGON(("
        for (e = 0; e < 4; e++) for (i = 0; i < n; i++) {
            f = i / n; out = out sprintf("%.10f %.10f,", cx[e] + f * (cx[e + 1] - cx[e]), cy[e] + f * (cy[e + 1] - cy[e]))
        }
        printf "%s%.10f %.10f))", out, x0, y0 }'
}
env_where="geom IS NOT NULL AND ST_X(geom) BETWEEN (SELECT MbrMinX(g) FROM b) AND (SELECT MbrMaxX(g) FROM b) AND ST_Y(geom) BETWEEN (SELECT MbrMinY(g) FROM b) AND (SELECT MbrMaxY(g) FROM b)"
for srid in 32647 3857 24047; do
    read -r ux0 uy0 ux1 uy1 <<<"$(sql "$DB" "SELECT printf('%.2f %.2f %.2f %.2f', MbrMinX(g), MbrMinY(g), MbrMaxX(g), MbrMaxY(g)) FROM (SELECT ST_Transform(BuildMbr(98.98, 18.785, 98.99, 18.795, 4326), $srid) AS g)")"
    want=$(sql "$DB" "WITH b AS (SELECT ST_Transform(GeomFromText('$(dense_box_wkt "$ux0" "$uy0" "$ux1" "$uy1")', $srid), 4326) AS g) SELECT coalesce(group_concat(fid, ' '), '') FROM (SELECT fid FROM \"$POIS\" WHERE $env_where ORDER BY fid)")
    expect_int -gt "$(wc -w <<<"$want")" 0 "reference SQL for the EPSG:$srid box"
    items cm-cbd-pois --data-urlencode "bbox=$ux0,$uy0,$ux1,$uy1" --data-urlencode "bbox-crs=$EPSG/$srid"
    expect_eq "$(tr ' ' '\n' <<<"$ITEMS_IDS" | sort -n | tr '\n' ' ' | sed 's/ $//')" "$want" \
        "bbox-crs=EPSG:$srid: ids vs the box's envelope in SQL"
done

section "filter (CQL2 text) vs the same condition in SQL"
# check_filter COLLECTION TABLE CQL2 SQL-WHERE
check_filter() {
    expect_items "$1" "$2" "$4" fid "filter $3" --data-urlencode "filter=$3"
}
check_filter cm-cbd-pois "$POIS" "category = 'school'" "category = 'school'"
check_filter cm-cbd-pois "$POIS" "category <> 'school'" "category <> 'school'"
check_filter cm-cbd-pois "$POIS" "name LIKE 'วัด%'" "name GLOB 'วัด*'"
check_filter cm-cbd-pois "$POIS" "name LIKE '%Coffee%'" "name GLOB '*Coffee*'"
check_filter cm-cbd-pois "$POIS" "name LIKE '%coffee%'" "name GLOB '*coffee*'"
check_filter cm-cbd-pois "$POIS" "name NOT LIKE '%a%'" "name NOT GLOB '*a*'"
check_filter cm-cbd-pois "$POIS" "category IN ('school', 'hospital', 'clinic')" \
    "category IN ('school', 'hospital', 'clinic')"
check_filter cm-cbd-pois "$POIS" "category NOT IN ('school', 'attraction')" \
    "category NOT IN ('school', 'attraction')"
check_filter cm-cbd-pois "$POIS" "name IS NULL" "name IS NULL"
check_filter cm-cbd-pois "$POIS" "name IS NOT NULL" "name IS NOT NULL"
check_filter cm-cbd-pois "$POIS" "category = 'school' AND name IS NOT NULL" \
    "category = 'school' AND name IS NOT NULL"
check_filter cm-cbd-pois "$POIS" "category = 'school' OR purpose = 'health'" \
    "category = 'school' OR purpose = 'health'"
check_filter cm-cbd-pois "$POIS" "NOT (category = 'school') AND (purpose = 'work' OR name LIKE 'ร้าน%')" \
    "NOT (category = 'school') AND (purpose = 'work' OR name GLOB 'ร้าน*')"
check_filter cm-cbd-residential-places "$PLACES" "weight BETWEEN 25 AND 30" "weight BETWEEN 25 AND 30"
check_filter cm-cbd-residential-places "$PLACES" "weight NOT BETWEEN 25 AND 30" "weight NOT BETWEEN 25 AND 30"
check_filter cm-cbd-residential-places "$PLACES" "weight >= 26 AND weight < 60" "weight >= 26 AND weight < 60"
check_filter cm-cbd-building-density "$(table_of cm-cbd-building-density)" \
    "building_count BETWEEN 100 AND 200 OR (poi_edu > 2 AND NOT poi_temple = 0)" \
    "building_count BETWEEN 100 AND 200 OR (poi_edu > 2 AND NOT poi_temple = 0)"
poly="POLYGON((98.98 18.78, 99.0 18.79, 98.985 18.80, 98.98 18.78))"
check_filter cm-cbd-pois "$POIS" "S_INTERSECTS(geometry, $poly)" \
    "ST_Intersects(geom, GeomFromText('$poly', 4326)) = 1"
check_filter cm-cbd-pois "$POIS" "S_INTERSECTS(geometry, BBOX(98.98, 18.785, 98.99, 18.795))" \
    "ST_Intersects(geom, BuildMbr(98.98, 18.785, 98.99, 18.795, 4326)) = 1"
check_filter cm-cbd-pois "$POIS" "S_INTERSECTS(geometry, BBOX(98.98, 18.785, 98.99, 18.795)) AND category = 'restaurant'" \
    "ST_Intersects(geom, BuildMbr(98.98, 18.785, 98.99, 18.795, 4326)) = 1 AND category = 'restaurant'"
check_filter cm-tambon "$TAMBON" "S_INTERSECTS(geometry, $poly)" \
    "ST_Intersects(geom, GeomFromText('$poly', 4326)) = 1"
check_filter cm-tambon "$TAMBON" "adm2_en = 'Mueang Chiang Mai' OR adm3_th LIKE 'แม่%'" \
    "adm2_en = 'Mueang Chiang Mai' OR adm3_th GLOB 'แม่*'"
# filter and bbox together
expect_items cm-cbd-pois "$POIS" "category = 'school' AND ST_Intersects(geom, BuildMbr(98.9, 18.7, 98.99, 18.8, 4326)) = 1" any \
    "filter with bbox" --data-urlencode "filter=category = 'school'" --data-urlencode "bbox=98.9,18.7,98.99,18.8"

section "typed filters (integer, real, ISO date text) vs SQL"
check_filter synthetic "$SYN" "date > DATE('2021-06-01')" "date > '2021-06-01'"
check_filter synthetic "$SYN" "date >= '2021-06-01' AND date < '2022-01-01'" \
    "date >= '2021-06-01' AND date < '2022-01-01'"
check_filter synthetic "$SYN" "NOT (date < DATE('2022-01-01')) AND category <> 'school'" \
    "NOT (date < '2022-01-01') AND category <> 'school'"
check_filter synthetic "$SYN" "value < 500.5 AND count BETWEEN 100 AND 2000" \
    "value < 500.5 AND count BETWEEN 100 AND 2000"
check_filter synthetic "$SYN" "value > 1e2 AND value <= 2.5E3" "value > 100 AND value <= 2500"
check_filter synthetic "$SYN" "count = 4227.0 OR id IN (1, 2, 3, 2999)" "count = 4227 OR id IN (1, 2, 3, 2999)"
check_filter synthetic "$SYN" "name LIKE '%5' AND category IN ('temple', 'market')" \
    "name GLOB '*5' AND category IN ('temple', 'market')"
check_filter synthetic "$SYN" "name LIKE 'ท่ารถ%' OR name LIKE '_ลาด%'" \
    "name GLOB 'ท่ารถ*' OR name GLOB '?ลาด*'"
check_filter synthetic "$SYN" "id <> 7 AND FALSE OR id = 7" "(id <> 7 AND 0) OR id = 7"
expect_items synthetic "$SYN" 1 fid "filter TRUE" --data-urlencode "filter=TRUE"
read -r syn_date syn_value syn_count <<<"$(sql "$DB" "SELECT date, value, count FROM \"$SYN\" WHERE fid = 17" | tr '|' ' ')"
expect_items synthetic "$SYN" "date = '$syn_date'" fid "date=$syn_date" --data-urlencode "date=$syn_date"
expect_items synthetic "$SYN" "value = $syn_value" fid "value=$syn_value (real)" --data-urlencode "value=$syn_value"
expect_items synthetic "$SYN" "count = $syn_count" fid "count=$syn_count (integer)" --data-urlencode "count=$syn_count"
expect_items synthetic "$SYN" 1 "date DESC, value ASC, fid" "sortby=-date,value" --data-urlencode "sortby=-date,value"
get "/collections/synthetic/items?count=abc"
expect_json_error 400 "count=abc on an integer property"

section "name=value property filters"
expect_items cm-cbd-pois "$POIS" "category = 'school'" fid "category=school" --data-urlencode category=school
expect_items cm-cbd-pois "$POIS" "category = 'school' AND purpose = 'edu'" fid \
    "category=school&purpose=edu" --data-urlencode category=school --data-urlencode purpose=edu
weight=$(sql "$DB" "SELECT weight FROM \"$PLACES\" GROUP BY weight ORDER BY count(*) DESC LIMIT 1")
expect_items cm-cbd-residential-places "$PLACES" "weight = $weight" fid "weight=$weight (integer)" \
    --data-urlencode "weight=$weight"
thai=$(sql "$DB" "SELECT name FROM \"$POIS\" WHERE name GLOB 'วัด*' GROUP BY name ORDER BY count(*) DESC, name LIMIT 1")
expect_items cm-cbd-pois "$POIS" "name = '$thai'" fid "name=$thai (Thai)" --data-urlencode "name=$thai"

section "sortby"
expect_items cm-cbd-residential-places "$PLACES" 1 "weight DESC, fid" "sortby=-weight" \
    --data-urlencode "sortby=-weight"
expect_items cm-cbd-residential-places "$PLACES" 1 "weight ASC, fid" "sortby=+weight" \
    --data-urlencode "sortby=+weight"
expect_items cm-cbd-pois "$POIS" "category = 'school'" "name ASC, fid" "sortby=name (filtered)" \
    --data-urlencode "sortby=name" --data-urlencode "filter=category = 'school'"
expect_items cm-cbd-pois "$POIS" "purpose = 'health'" "category ASC, name DESC, fid" "sortby=category,-name" \
    --data-urlencode "sortby=category,-name" --data-urlencode "purpose=health"
# A '+' left unencoded in the URL arrives as a space.
get "/collections/cm-cbd-residential-places/items?sortby=+weight&limit=100"
expect_status 200 "sortby=+weight with a raw '+'"
expect_eq "$(jqb '[.features[].id | tostring] | join(" ")')" "$(sql_ids "$PLACES" 1 "weight ASC, fid")" \
    "sortby=+weight with a raw '+' vs SQL"
# Paging keeps the sort order across pages.
walk cm-cbd-residential-places 5 "sortby=-weight"
expect_eq "$WALK_IDS" "$(sql_ids "$PLACES" 1)" "pages of sortby=-weight: every feature once"

section "properties= and skipGeometry"
get "/collections/cm-cbd-pois/items?properties=name&limit=50"
expect_status 200 "properties=name"
expect_eq "$(jqb '[.features[].properties | keys_unsorted | join(",")] | unique | join(" ")')" name \
    "property names with properties=name"
expect_eq "$(jqb '[.features[] | select(.geometry.type != "Point")] | length')" 0 \
    "geometry kept with properties=name"
get "/collections/cm-old-city-walls/items?properties=name_en,osm_way_id"
expect_eq "$(jqb '[.features[].properties | keys_unsorted | join(",")] | unique | join(" ")')" \
    "name_en,osm_way_id" "property names (in the requested order) with properties=name_en,osm_way_id"
expect_eq "$(jqb '[.features[] | [.id, .properties.name_en, .properties.osm_way_id] | map(tostring) | join("|")] | join(";")')" \
    "$(sql "$DB" "SELECT group_concat(fid || '|' || coalesce(name_en, 'null') || '|' || coalesce(osm_way_id, 'null'), ';') FROM (SELECT * FROM \"$(table_of cm-old-city-walls)\" ORDER BY fid)")" \
    "values with properties=name_en,osm_way_id vs SQL"
get "/collections/cm-cbd-pois/items?properties=&limit=5"
expect_status 200 "properties= (empty)"
expect_eq "$(jqb '[.features[].properties | length] | add')" 0 "properties with properties= (none)"
# A list past the bound is refused, not cut (the names past it were dropped unchecked).
get "/collections/cm-cbd-pois/items?properties=$(printf 'name,%.0s' {1..256})no-such-field"
expect_json_error 400 "properties= of 257 names"
expect_contains "$(jqb .description)" "properties: at most 256 names" "the refusal says the bound"
get "/collections/cm-tambon/items?skipGeometry=true&limit=20"
expect_status 200 "skipGeometry=true"
expect_eq "$(jqb '[.features[] | select(.geometry != null)] | length')" 0 "geometries with skipGeometry=true"
expect_eq "$(jqb '[.features[].properties | length] | min')" \
    "$(reg "$DB" cm-tambon "json_array_length(fields)")" "properties kept with skipGeometry=true"
get "/collections/cm-tambon/items?skipGeometry=false&limit=20"
expect_eq "$(jqb '[.features[] | select(.geometry.type == "Polygon" or .geometry.type == "MultiPolygon")] | length')" \
    20 "geometries with skipGeometry=false"

section "output CRS (crs=) and Content-Crs"
fid=$(sql "$DB" "SELECT fid FROM \"$POIS\" WHERE name GLOB 'วัด*' ORDER BY fid LIMIT 1")
get "/collections/cm-cbd-pois/items/$fid"
expect_status 200 "feature $fid"
expect_eq "$(header Content-Crs)" "<$CRS84>" "Content-Crs by default"
lonlat=$(jqb '.geometry.coordinates | map(tostring) | join(" ")')
read -r lon lat <<<"$(point_of "$DB" "$POIS" "fid = $fid")"
expect_lonlat "$lonlat" "$lon" "$lat" "feature $fid in CRS84"
get "/collections/cm-cbd-pois/items/$fid?crs=$EPSG/4326"
expect_status 200 "feature $fid in EPSG:4326"
expect_eq "$(header Content-Crs)" "<$EPSG/4326>" "Content-Crs for EPSG:4326"
expect_eq "$(jqb '.geometry.coordinates | reverse | map(tostring) | join(" ")')" "$lonlat" \
    "EPSG:4326 gives latitude, longitude: the CRS84 pair swapped"
for srid in 32647 24047 3857; do
    for spelling in "EPSG:$srid" "$EPSG/$srid" "[EPSG:$srid]"; do
        get "/collections/cm-cbd-pois/items/$fid" -G --data-urlencode "crs=$spelling"
        expect_status 200 "feature $fid with crs=$spelling"
        expect_eq "$(header Content-Crs)" "<$EPSG/$srid>" "Content-Crs for crs=$spelling"
    done
    read -r ex ey <<<"$(sql "$DB" "SELECT printf('%.4f %.4f', ST_X(g), ST_Y(g)) FROM (SELECT ST_Transform(geom, $srid) AS g FROM \"$POIS\" WHERE fid = $fid)")"
    expect_near "$(jqb '.geometry.coordinates[0]')" "$ex" 0.006 "feature $fid x in EPSG:$srid"
    expect_near "$(jqb '.geometry.coordinates[1]')" "$ey" 0.006 "feature $fid y in EPSG:$srid"
    # A page in that CRS: every point matches SpatiaLite's transform.
    get "/collections/cm-cbd-pois/items?limit=200&crs=EPSG:$srid"
    expect_eq "$(header Content-Crs)" "<$EPSG/$srid>" "Content-Crs of a page in EPSG:$srid"
    jqb '.features[] | "\(.id) \(.geometry.coordinates[0]) \(.geometry.coordinates[1])"' >api_xy.txt
    sql "$DB" "SELECT fid || ' ' || printf('%.4f %.4f', ST_X(g), ST_Y(g)) FROM (SELECT fid, ST_Transform(geom, $srid) AS g FROM \"$POIS\" ORDER BY fid LIMIT 200)" | tr '|' ' ' >sql_xy.txt
    bad=$(awk 'NR == FNR { x[$1] = $2; y[$1] = $3; next }
        { d = $2 - x[$1]; e = $3 - y[$1]; if (!($1 in x) || d > 0.006 || d < -0.006 || e > 0.006 || e < -0.006) print $1 }' \
        sql_xy.txt api_xy.txt | head -3 | tr '\n' ' ')
    expect_eq "$(wc -l <api_xy.txt) $bad" "200 " "points of a page in EPSG:$srid vs ST_Transform (ids off by > 6 mm)"
done
get "/collections/cm-tambon/items?limit=5&crs=EPSG:4326"
# shellcheck disable=SC2016 # jq variables
get4326=$(jqb '[.features[].geometry.coordinates | flatten] | flatten | . as $v | [range(0; length; 2) | $v[. + 1], $v[.]] | map(tostring) | join(" ")')
get "/collections/cm-tambon/items?limit=5"
get84=$(jqb '[.features[].geometry.coordinates | flatten] | flatten | map(tostring) | join(" ")')
expect_eq "$get4326" "$get84" "polygons in EPSG:4326: every vertex is the CRS84 vertex swapped"
get "/collections/cm-tambon/items?limit=1&crs=EPSG:4326&bbox=18.78,98.97,18.80,98.99&bbox-crs=$EPSG/4326"
expect_status 200 "crs and bbox-crs both EPSG:4326"

section "zoom and precision"
vertices='[.features[].geometry.coordinates | .. | arrays | select(length == 2 and (.[0] | type) == "number")] | length'
get "/collections/cm-tambon/items?limit=204"
full=$(jqb "$vertices")
get "/collections/cm-tambon/items?limit=204&zoom=8"
expect_status 200 "zoom=8"
z8=$(jqb "$vertices")
get "/collections/cm-tambon/items?limit=204&zoom=14"
z14=$(jqb "$vertices")
expect_int -lt "$z8" "$full" "vertices at zoom=8 vs unsimplified"
expect_int -le "$z8" "$z14" "vertices at zoom=8 vs zoom=14"
expect_int -le "$z14" "$full" "vertices at zoom=14 vs unsimplified"
expect_eq "$(jqb '.features | length')" 204 "features at zoom=14"
echo "    cm-tambon vertices: $full unsimplified, $z14 at zoom 14, $z8 at zoom 8"
# max_decimals: the most digits after the point among the coordinates of the last body
# (read as text: a JSON parser would hide trailing digits).
max_decimals() {
    python3 -c '
import json, sys
doc = json.load(open(sys.argv[1]), parse_float=str)
feats = doc["features"] if "features" in doc else [doc]
best = 0
def walk(v):
    global best
    if isinstance(v, list):
        for x in v: walk(x)
    elif isinstance(v, str) and "." in v:
        best = max(best, len(v.split(".")[1]))
for f in feats:
    if f.get("geometry"): walk(f["geometry"]["coordinates"])
print(best)' "$HTTP_BODY"
}
get "/collections/cm-tambon/items?limit=50"
expect_int -gt "$(max_decimals)" 4 "decimals by default (CRS84)"
expect_int -le "$(max_decimals)" 7 "decimals by default (CRS84)"
get "/collections/cm-tambon/items?limit=50&precision=3"
expect_status 200 "precision=3"
expect_eq "$(max_decimals)" 3 "decimals with precision=3"
get "/collections/cm-tambon/items?limit=50&zoom=6"
expect_int -lt "$(max_decimals)" 6 "decimals at zoom=6"
get "/collections/cm-tambon/items?limit=50&crs=EPSG:32647"
expect_int -le "$(max_decimals)" 2 "decimals in metres (EPSG:32647)"

section "CSV"
csv_rows() { # data rows (records after the header) of the last body, with the csv module
    python3 -c 'import csv, sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], newline="", encoding="utf-8-sig"))) - 1)' "$HTTP_BODY"
}
get "/collections/cm-cbd-pois/items?f=csv&limit=10000"
expect_status 200 "f=csv"
expect_match "$(header Content-Type)" '^text/csv' "Content-Type of f=csv"
expect_eq "$(head -c 3 "$HTTP_BODY" | od -An -tx1 | tr -d ' ')" "efbbbf" "CSV starts with a UTF-8 BOM (Excel reads Thai)"
expect_eq "$(head -1 "$HTTP_BODY" | tr -d '\r' | sed 's/^\xEF\xBB\xBF//')" "fid,name,category,purpose,wkt" "CSV header"
expect_eq "$(csv_rows)" "$(reg "$DB" cm-cbd-pois feature_count)" "CSV rows vs feature_count"
expect_eq "$(sed -n 2p "$HTTP_BODY" | grep -Eo '"POINT \([0-9.]+ [0-9.]+\)"' | wc -l)" 1 "WKT column of the first row"
row=$(python3 -c '
import csv, sys
for r in csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8-sig")):
    if r["fid"] == sys.argv[2]:
        print(r["name"] + "|" + r["category"] + "|" + r["wkt"])' "$HTTP_BODY" "$fid")
expect_eq "${row%|*}" "$(sql "$DB" "SELECT name || '|' || category FROM \"$POIS\" WHERE fid = $fid")" \
    "CSV row of feature $fid (Thai name and category)"
expect_match "${row##*|}" '^POINT \(98\.[0-9]+ 18\.[0-9]+\)$' "CSV WKT of feature $fid"
get "/collections/cm-cbd-pois/items?limit=10000" -H 'Accept: text/csv'
expect_status 200 "Accept: text/csv"
expect_match "$(header Content-Type)" '^text/csv' "Content-Type for Accept: text/csv"
expect_eq "$(csv_rows)" "$(reg "$DB" cm-cbd-pois feature_count)" "CSV rows for Accept: text/csv"
get "/collections/cm-district-population/items?f=csv"
expect_status 200 "CSV of a table without geometry"
expect_not_contains "$(head -1 "$HTTP_BODY")" wkt "CSV header of a table without geometry"
expect_eq "$(csv_rows)" 22 "CSV rows of cm-district-population"
get "/collections/cm-cbd-pois/items?f=csv&properties=category&skipGeometry=true&limit=3"
expect_eq "$(tr -d '\r' <"$HTTP_BODY" | head -1 | sed 's/^\xEF\xBB\xBF//')" "fid,category" "CSV header with properties=category&skipGeometry=true"
expect_eq "$(csv_rows)" 3 "CSV rows with limit=3"
items cm-cbd-pois --data-urlencode "filter=category = 'school'"
n_school=$ITEMS_MATCHED
get "/collections/cm-cbd-pois/items" -G --data-urlencode f=csv --data-urlencode limit=10000 --data-urlencode "filter=category = 'school'"
expect_eq "$(csv_rows)" "$n_school" "CSV rows with a filter"

section "single features, their 404s, Thai text"
for c in cm-tambon cm-cbd-pois cm-district-population tambon-centroids-postcodes; do
    t=$(table_of "$c")
    fid1=$(sql "$DB" "SELECT max(fid) FROM \"$t\"")
    get "/collections/$c/items/$fid1"
    expect_status 200 "$c/items/$fid1"
    expect_match "$(header Content-Type)" '^application/geo\+json' "$c/items/$fid1 Content-Type"
    expect_eq "$(jqb '[.type, (.id | tostring)] | join(" ")')" "Feature $fid1" "$c/items/$fid1 type and id"
    expect_ne "$(header ETag)" "" "$c/items/$fid1 ETag"
    get "/collections/$c/items/$((fid1 + 1))"
    expect_json_error 404 "$c/items/$((fid1 + 1)) (past the last fid)"
done
get /collections/cm-tambon/items/0
expect_json_error 404 "feature id 0"
get /collections/cm-tambon/items/abc
expect_json_error 404 "a non-numeric feature id"
get /collections/cm-tambon/items/1.5
expect_json_error 404 "a fractional feature id"
get /collections/cm-tambon/items/-3
expect_json_error 404 "a negative feature id"
get /collections/cm-tambon/items/99999999999999999999999
expect_json_error 404 "a feature id beyond 64 bits"
# Thai values: byte for byte what the database holds, by id and in lists.
for spec in "cm-tambon adm3_th" "cm-district-population name_th" "cm-old-city-walls name_th" \
    "tambon-centroids-postcodes tambon_th"; do
    read -r c col <<<"$spec"
    t=$(table_of "$c")
    read -r fid1 <<<"$(sql "$DB" "SELECT fid FROM \"$t\" WHERE \"$col\" GLOB '*[ก-๛]*' ORDER BY fid DESC LIMIT 1")"
    want=$(sql "$DB" "SELECT \"$col\" FROM \"$t\" WHERE fid = $fid1")
    get "/collections/$c/items/$fid1"
    expect_eq "$(jqb ".properties.$col")" "$want" "$c/items/$fid1 $col"
    expect_eq "$(jqb ".properties.$col" | od -An -tx1)" "$(printf '%s\n' "$want" | od -An -tx1)" \
        "$c/items/$fid1 $col bytes"
done
get "/collections/cm-tambon/items?limit=500"
jqb '.features[] | "\(.id)|\(.properties.adm3_th)|\(.properties.adm2_th)"' >api_thai.txt
sql "$DB" "SELECT fid || '|' || adm3_th || '|' || adm2_th FROM \"$TAMBON\" ORDER BY fid" >sql_thai.txt
if ! cmp -s api_thai.txt sql_thai.txt; then
    fail "Thai names of cm-tambon differ from the database: $(diff sql_thai.txt api_thai.txt | head -5)"
fi
ok
get "/collections/cm-tambon/items/1?properties=adm3_th,adm3_en&crs=EPSG:32647&f=json"
expect_status 200 "single feature with properties, crs and f=json"
expect_eq "$(jqb '.properties | keys_unsorted | join(",")')" "adm3_th,adm3_en" "single feature properties="
expect_eq "$(header Content-Crs)" "<$EPSG/32647>" "single feature Content-Crs"
get "/collections/cm-tambon/items/1?limit=5"
expect_json_error 400 "limit on a single feature"

expect_serve_alive "after all the requests"
if grep -E ' 5[0-9][0-9] [0-9]+ ' "$SERVE_LOG" >/dev/null; then
    fail "the server answered 5xx: $(grep -E ' 5[0-9][0-9] [0-9]+ ' "$SERVE_LOG" | head -5)"
fi
ok

section "self links lead back to the same document"
# Last in the script: it fails on a server bug reported to the lead (a feature's self link
# drops the query, so crs= and properties= are lost).
for path in "/collections/cm-tambon/items?limit=3&offset=6&crs=EPSG:32647&properties=adm3_th" \
    "/collections/cm-tambon/items/3?crs=EPSG:32647&properties=adm3_th"; do
    get "$path"
    expect_status 200 "$path"
    jq -S 'del(.timeStamp)' "$HTTP_BODY" >first.json
    self=$(jqb '[.links[] | select(.rel == "self") | .href] | join(" ")')
    get "$self"
    expect_status 200 "the self link of $path ($self)"
    expect_eq "$(jq -S 'del(.timeStamp)' "$HTTP_BODY" | sha256sum)" "$(sha256sum <first.json)" \
        "$path: the document at its self link ($self)"
done
serve_stop "stopping the server"
