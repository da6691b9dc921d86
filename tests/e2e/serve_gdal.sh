#!/usr/bin/env bash
# serve_gdal.sh BINARY - `cityatlas serve` seen by real clients:
#   GDAL's OAPIF driver lists every collection (`ogrinfo OAPIF:`), copies every collection
#   to a GeoPackage with ogr2ogr (also with a page size of 7 to force many pages) with the
#   registry's feature count, the database's fids, attribute values (Thai text byte for
#   byte) and extent, and passes -where / -spat to the server as name=value / bbox with
#   counts equal to SpatiaLite's;
#   a crawler that starts at / and /collections follows every same-host "href" of the JSON
#   documents (bounded; item pages with limit=5) and gets 200 everywhere, HTML as text/html
#   and every answer in the media type its link announced;
#   /api is OpenAPI 3.0.x JSON with a path for every route of src/http/server/router.c and no
#   dangling $ref.
# Skips (exit 0 with a note) when ogr2ogr/ogrinfo are missing.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/e2e/serve_lib.sh
source "$(dirname "$0")/serve_lib.sh"

if ! command -v ogr2ogr >/dev/null || ! command -v ogrinfo >/dev/null; then
    echo "SKIP $E2E_NAME: ogr2ogr/ogrinfo (gdal-bin) not installed"
    exit 0
fi
DB=$E2E_TMP/city.sqlite
bundled_db "$DB"
IDS=$(layer_ids "$DB")
serve_start "$DB"
# GDAL's HTTP layer must not go through a proxy, and may take a while in ASan builds.
export NO_PROXY='*' no_proxy='*' GDAL_HTTP_TIMEOUT=$SERVE_CURL_MAX_TIME CPL_VSIL_CURL_USE_HEAD=NO

# gdal_type GEOMETRY_TYPE: how ogrinfo names a registry geometry type.
gdal_type() {
    case $1 in
    POINT) echo Point ;;
    LINESTRING) echo "Line String" ;;
    POLYGON) echo Polygon ;;
    MULTIPOINT) echo "Multi Point" ;;
    MULTILINESTRING) echo "Multi Line String" ;;
    MULTIPOLYGON) echo "Multi Polygon" ;;
    *) echo "$1" ;;
    esac
}

section "ogrinfo OAPIF: lists every collection"
run ogrinfo -ro -so "OAPIF:$BASE"
expect_rc 0 "ogrinfo OAPIF:$BASE"
listed=$(sed -nE 's/^[0-9]+: ([a-z0-9-]+) .*/\1/p' <<<"$RUN_OUT" | sort | tr '\n' ' ' | sed 's/ $//')
expect_eq "$listed" "$IDS" "collections ogrinfo lists"
for id in $IDS; do
    row=$(reg "$DB" "$id" "coalesce(title_en, '') || '|' || coalesce(geometry_type, '')")
    title=${row%|*} gtype=${row#*|}
    line=$(grep -E "^[0-9]+: $id " <<<"$RUN_OUT")
    expect_contains "$line" "(title: $title)" "$id: title in ogrinfo"
    if [[ -n $gtype ]]; then
        expect_contains "$line" "($(gdal_type "$gtype"))" "$id: geometry type in ogrinfo"
    fi
done

section "ogr2ogr copies every collection to a GeoPackage"
# text_column ID: the column compared value by value: the layer's name column, else its
# first text column, else its first column.
text_column() {
    local col
    col=$(reg "$DB" "$1" "coalesce(name_column, '')")
    if [[ -z $col ]]; then
        col=$(reg "$DB" "$1" "coalesce((SELECT json_extract(value, '\$.name') FROM json_each(fields) WHERE json_extract(value, '\$.type') = 'TEXT' LIMIT 1), json_extract(fields, '\$[0].name'))")
    fi
    echo "$col"
}
# copy_and_compare ID [OGR2OGR_ARGS...]: ogr2ogr the collection, then compare count, fids,
# one column's values and the extent with the database.
copy_and_compare() {
    local id=$1 out
    shift
    out=$E2E_TMP/$id.gpkg
    rm -f "$out"
    run ogr2ogr -f GPKG "$out" "OAPIF:$BASE/collections/$id" "$@"
    expect_rc 0 "ogr2ogr of $id $*"
    local t count gtype col
    t=$(reg "$DB" "$id" table_name)
    count=$(reg "$DB" "$id" feature_count)
    gtype=$(reg "$DB" "$id" "coalesce(geometry_type, '')")
    col=$(text_column "$id")
    expect_eq "$(sqlite3 -batch "$out" "SELECT count(*) FROM \"$id\"")" "$count" \
        "$id $*: features in the GeoPackage vs the registry"
    sqlite3 -batch "$out" "SELECT fid || '|' || coalesce(\"$col\", '') FROM \"$id\" ORDER BY fid" >"$id.gpkg.txt"
    sql "$DB" "SELECT fid || '|' || coalesce(\"$col\", '') FROM \"$t\" ORDER BY fid" >"$id.db.txt"
    if ! cmp -s "$id.gpkg.txt" "$id.db.txt"; then
        fail "$id $*: fid|$col in the GeoPackage differs from the database: $(diff "$id.db.txt" "$id.gpkg.txt" | head -6)"
    fi
    ok
    if [[ -n $gtype ]]; then
        local ext want
        ext=$(ogrinfo -ro -so -al "$out" | sed -nE 's/^Extent: \((.*), (.*)\) - \((.*), (.*)\)$/\1 \2 \3 \4/p')
        want=$(reg "$DB" "$id" "printf('%.9f %.9f %.9f %.9f', min_lon, min_lat, max_lon, max_lat)")
        # The server writes 7 decimals: the extents agree to 1e-6 degrees.
        local got_v want_v i
        read -r -a got_v <<<"$ext"
        read -r -a want_v <<<"$want"
        expect_eq "${#got_v[@]}" 4 "$id $*: numbers in the GeoPackage extent"
        for i in 0 1 2 3; do
            expect_near "${got_v[i]}" "${want_v[i]}" 0.000001 "$id $*: extent[$i] of the GeoPackage vs the registry"
        done
    fi
    COPY_COLUMN=$col
}
n_thai=0
for id in $IDS; do
    copy_and_compare "$id"
    if grep -qP '\p{Thai}' "$id.gpkg.txt"; then
        n_thai=$((n_thai + 1))
    fi
    echo "    $id: $(reg "$DB" "$id" feature_count) features, column $COPY_COLUMN"
done
expect_int -ge "$n_thai" 8 "collections whose compared column holds Thai text"
for id in cm-tambon tambon-centroids-postcodes cm-district-population; do
    copy_and_compare "$id" -oo PAGE_SIZE=7
done
expect_int -ge "$(grep -c 'items?limit=7&offset=' "$SERVE_LOG")" 100 "pages of 7 that GDAL asked for"

section "-where and -spat are sent to the server"
POIS=$(reg "$DB" cm-cbd-pois table_name)
# gdal_count ARGS...: features ogrinfo reads from cm-cbd-pois with ARGS.
gdal_count() {
    run ogrinfo -ro -al -q "OAPIF:$BASE/collections/cm-cbd-pois" "$@"
    expect_rc 0 "ogrinfo -al with $*"
    grep -c '^OGRFeature(' <<<"$RUN_OUT" || true
}
log_mark=$(wc -l <"$SERVE_LOG")
expect_eq "$(gdal_count -where "category = 'school'")" \
    "$(sql "$DB" "SELECT count(*) FROM \"$POIS\" WHERE category = 'school'")" "ogrinfo -where category = 'school'"
# GDAL sends either the name=value form or a CQL2 filter (%27 or ' around the value).
expect_int -gt "$(tail -n +"$((log_mark + 1))" "$SERVE_LOG" | grep -cE "items\?.*(category=school|filter=category(%20|\+)?%3D(%20|\+)?(%27|')school)")" 0 \
    "requests with category=school or that filter in the server log (the filter ran on the server)"
log_mark=$(wc -l <"$SERVE_LOG")
expect_eq "$(gdal_count -spat 98.98 18.785 98.99 18.795)" \
    "$(sql "$DB" "SELECT count(*) FROM \"$POIS\" WHERE ST_Intersects(geom, BuildMbr(98.98, 18.785, 98.99, 18.795, 4326)) = 1")" \
    "ogrinfo -spat 98.98 18.785 98.99 18.795"
expect_int -gt "$(tail -n +"$((log_mark + 1))" "$SERVE_LOG" | grep -c 'items?.*bbox=98\.98')" 0 \
    "requests with bbox= in the server log (the box ran on the server)"
expect_eq "$(gdal_count -where "category = 'temple'" -spat 98.98 18.78 99.0 18.80)" \
    "$(sql "$DB" "SELECT count(*) FROM \"$POIS\" WHERE category = 'temple' AND ST_Intersects(geom, BuildMbr(98.98, 18.78, 99.0, 18.80, 4326)) = 1")" \
    "ogrinfo -where category = 'temple' -spat ..."

section "every link of the JSON documents answers 200"
# The crawler prints one line per failure and a summary line "visited N json M html K other L".
cat >crawl.py <<'EOF'
import json, sys, urllib.error, urllib.parse, urllib.request
base = sys.argv[1]
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
MAX_URLS = 2000

def normal(url):
    """Item lists without a limit get limit=5, so that no page is huge."""
    parts = urllib.parse.urlsplit(url)
    query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    if parts.path.endswith("/items") and not any(k == "limit" for k, _ in query):
        query.append(("limit", "5"))
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))

def hrefs(doc):
    """(href, rel, type) of every link object in a JSON document."""
    if isinstance(doc, dict):
        for k, v in doc.items():
            if k == "href" and isinstance(v, str):
                # a URI template ("templated": true, as OGC API - Tiles links to its tiles)
                # is for a client to fill in, not to follow; serve_tiles.sh fetches tiles
                if doc.get("templated") is not True:
                    yield v, doc.get("rel", ""), doc.get("type", "")
            else:
                yield from hrefs(v)
    elif isinstance(doc, list):
        for v in doc:
            yield from hrefs(v)

def media(t):
    return t.split(";")[0].strip().lower()

queue = [normal(base + "/"), normal(base + "/collections")]
seen = set(queue)
declared = {}  # url -> the type a link gave it
counts = {"json": 0, "html": 0, "other": 0}
failures = 0
while queue:
    url = queue.pop(0)
    try:
        with opener.open(url, timeout=60) as r:
            status, ctype, body = r.status, r.headers.get("Content-Type", ""), r.read()
    except urllib.error.HTTPError as e:
        status, ctype, body = e.code, e.headers.get("Content-Type", ""), b""
    except Exception as e:  # a dropped connection, a timeout
        status, ctype, body = str(e), "", b""
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
    if status != 200:
        print(f"FAILED {url}: status {status}")
        failures += 1
        continue
    if declared.get(url) and media(declared[url]) != media(ctype):
        print(f"FAILED {url}: a link says {declared[url]}, the answer is {ctype}")
        failures += 1
    if query.get("f") == "html" or url.endswith("?f=html"):
        if not ctype.startswith("text/html"):
            print(f"FAILED {url}: HTML link answered with {ctype}")
            failures += 1
        counts["html"] += 1
        continue
    if "json" not in ctype:
        counts["other"] += 1
        continue
    counts["json"] += 1
    try:
        doc = json.loads(body)
    except ValueError as e:
        print(f"FAILED {url}: {ctype} body is not JSON ({e})")
        failures += 1
        continue
    # A page reached through paging is not paged further: one step each way is enough.
    is_paged = "offset" in query
    links = list(hrefs(doc))
    # Only items pages have their features at <path>/<id>: a statistic's GeoJSON does not.
    is_items = urllib.parse.urlsplit(url).path.endswith("/items")
    if is_items and doc.get("type") == "FeatureCollection" and doc.get("features") and not is_paged:
        first = doc["features"][0]["id"]
        item = urllib.parse.urlsplit(url).path + f"/{first}"
        links += [(base + item, "item", "application/geo+json"), (base + item + "?f=html", "item", "text/html")]
    for href, rel, ltype in links:
        if not href.startswith(base + "/") and href != base:
            continue  # other hosts (sources, licences) are not ours to test
        if is_paged and rel in ("next", "prev"):
            continue
        href = normal(href)
        if ltype and href not in declared:
            declared[href] = ltype
        if href not in seen and len(seen) < MAX_URLS:
            seen.add(href)
            queue.append(href)
print(f"visited {len(seen)} json {counts['json']} html {counts['html']} other {counts['other']} failures {failures}")
sys.exit(1 if failures else 0)
EOF
run python3 crawl.py "$BASE"
echo "    ${RUN_OUT##*$'\n'}"
expect_rc 0 "the crawl (failures listed above)"
read -r _ n_urls _ n_json _ n_html _ n_other _ <<<"${RUN_OUT##*$'\n'}"
expect_int -lt "$n_urls" 2000 "URLs the crawl found (it must finish, not hit its bound)"
expect_int -ge "$n_json" 100 "JSON documents crawled"
expect_int -ge "$n_html" 50 "HTML pages crawled"
expect_int -ge "$n_other" 16 "other documents crawled (CSV pages)"

section "/api: OpenAPI 3.0 with a path for every route"
get /api
expect_status 200 "/api"
expect_match "$(header Content-Type)" '^application/(vnd\.oai\.openapi\+)?json' "/api Content-Type"
expect_match "$(jqb .openapi)" '^3\.0\.[0-9]+$' "openapi version"
# the API rows of the route table (the web map's /map rows are not API)
patterns=$(sed -n '/api_routes\[\] = {/,/^};/p' "$REPO/src/http/server/routes.c" |
    grep -o '{"/[^"]*"' | sed 's/^{"//; s/"$//' | grep -v '^/map' | sort -u)
expect_int -ge "$(wc -l <<<"$patterns")" 9 "routes read from routes.c"
for p in $patterns; do
    # shellcheck disable=SC2016 # jq variables
    expect_eq "$(jqb '[.paths[$p] // {} | .[] | objects | .operationId] | length > 0' --arg p "$p")" \
        true "/api: an operation of $p"
done
# shellcheck disable=SC2016 # jq variables
dangling=$(jqb '. as $doc | [.. | objects | .["$ref"]? // empty | select(startswith("#/"))
    | select(. as $r | ($r[2:] | split("/")) as $path | ($doc | getpath($path)) == null)] | unique | join(" ")')
expect_eq "$dangling" "" "\$ref targets missing from /api"
expect_eq "$(jqb '[.paths[][] | .responses | keys[]] | map(select(. == "200")) | length > 0')" true \
    "/api operations describe their 200 responses"

expect_serve_alive "after GDAL and the crawl"
if grep -E ' 5[0-9][0-9] [0-9]+ [0-9.]+ms' "$SERVE_LOG" >/dev/null; then
    fail "the server answered 5xx: $(grep -E ' 5[0-9][0-9] [0-9]+ [0-9.]+ms' "$SERVE_LOG" | head -3)"
fi
ok
serve_stop "stopping the server"
