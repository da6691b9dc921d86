#!/usr/bin/env bash
# serve_http.sh BINARY - how `cityatlas serve` behaves as an HTTP server:
#   gzip (buffered and streamed bodies); ETag / If-None-Match and Last-Modified /
#   If-Modified-Since -> 304 without a body; CORS headers and the OPTIONS preflight; HEAD;
#   405 (with Allow), 414, 431 and every kind of 400 and 404 as JSON documents; keep-alive;
#   a 20-way concurrent burst; hostile requests never get a 5xx and never kill the server;
#   a layer re-imported while the server runs is served in its new version at once; SIGTERM
#   during a long download lets it finish and the server exits 0; one log line per request,
#   none with --quiet.
# The memory a large page streams in: serve_memory.sh.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/e2e/serve_lib.sh
source "$(dirname "$0")/serve_lib.sh"

DB=$E2E_TMP/city.sqlite
BIG_DB=$E2E_TMP/big.sqlite
BIG_N=30000 # the layer that a re-import of 100,000 points replaces while it is read

bundled_db "$DB"
serve_start "$DB"

# strip_stamp FILE: the JSON without the response's timeStamp (it changes every second).
strip_stamp() {
    jq -S 'del(.timeStamp)' "$1"
}

# raw_answer REQUEST: sends REQUEST (printf format) on a new connection to the server and
# prints everything it answers until it closes the connection (at most RAW_WAIT seconds,
# default 10).
raw_answer() {
    # shellcheck disable=SC2016 # expanded by the inner bash
    timeout "${RAW_WAIT:-10}" bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$0" && printf "$1" >&3 && cat <&3' "$PORT" "$1" || true
}

section "gzip"
get /collections
cp "$HTTP_BODY" plain_collections.json
expect_eq "$(header Content-Encoding)" "" "Content-Encoding without Accept-Encoding"
get /collections -H 'Accept-Encoding: gzip'
expect_status 200 "/collections with Accept-Encoding: gzip"
expect_eq "$(header Content-Encoding)" gzip "Content-Encoding for Accept-Encoding: gzip"
expect_contains "$(header Vary)" Accept-Encoding "Vary"
expect_eq "$(header Content-Length)" "$(stat -c %s "$HTTP_BODY")" "Content-Length of the gzip body"
gunzip -c <"$HTTP_BODY" >gunzipped.json || fail "the gzip body of /collections does not gunzip"
if ! cmp -s gunzipped.json plain_collections.json; then
    fail "the gunzipped /collections differs from the plain one: $(cmp gunzipped.json plain_collections.json)"
fi
ok
expect_int -lt "$(stat -c %s "$HTTP_BODY")" "$(($(stat -c %s plain_collections.json) / 2))" \
    "gzip body size vs half the plain size"
# A page larger than the server buffers: streamed (chunked) and compressed on the way.
get "/collections/cm-cbd-roads/items?limit=10000"
cp "$HTTP_BODY" plain_roads.json
get "/collections/cm-cbd-roads/items?limit=10000" -H 'Accept-Encoding: deflate, gzip;q=0.8'
expect_status 200 "a streamed page with gzip"
expect_eq "$(header Content-Encoding)" gzip "Content-Encoding of a streamed page"
gunzip -c <"$HTTP_BODY" >gunzipped_roads.json || fail "the streamed gzip body does not gunzip"
expect_eq "$(strip_stamp gunzipped_roads.json | sha256sum)" "$(strip_stamp plain_roads.json | sha256sum)" \
    "gunzipped streamed page vs the plain page (timeStamp aside)"
expect_eq "$(jq '.features | length' gunzipped_roads.json)" 10000 "features in the gunzipped page"
get "/collections/cm-cbd-pois/items?f=csv&limit=10000" -H 'Accept-Encoding: gzip'
expect_eq "$(header Content-Encoding)" gzip "Content-Encoding of CSV"
expect_eq "$(gunzip -c <"$HTTP_BODY" | python3 -c 'import csv, sys; print(sum(1 for _ in csv.reader(sys.stdin)))')" \
    4558 "records of the gunzipped CSV (header + 4557)"
get /collections -H 'Accept-Encoding: gzip;q=0, identity'
expect_eq "$(header Content-Encoding)" "" "Content-Encoding for gzip;q=0"
expect_eq "$(jq -r '.collections | length' "$HTTP_BODY")" 16 "plain body for gzip;q=0"

section "ETag, Last-Modified and 304"
for path in /collections /collections/cm-tambon "/collections/cm-tambon/items?limit=3" \
    /collections/cm-tambon/items/7 "/collections/cm-cbd-roads/items?limit=10000"; do
    get "$path"
    expect_status 200 "$path"
    etag=$(header ETag)
    modified=$(header Last-Modified)
    expect_match "$etag" '^(W/)?"[^"]+"$' "$path: ETag"
    expect_match "$modified" '^[A-Z][a-z]{2}, [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT$' \
        "$path: Last-Modified"
    get "$path" -H "If-None-Match: $etag"
    expect_status 304 "$path with If-None-Match: its ETag"
    expect_eq "$(stat -c %s "$HTTP_BODY")" 0 "$path: bytes of the 304 body"
    expect_eq "$(header ETag)" "$etag" "$path: ETag of the 304"
    get "$path" -H "If-None-Match: \"nope\", $etag"
    expect_status 304 "$path with its ETag second in If-None-Match"
    get "$path" -H 'If-None-Match: *'
    expect_status 304 "$path with If-None-Match: *"
    get "$path" -H 'If-None-Match: "nope"'
    expect_status 200 "$path with another ETag"
    expect_int -gt "$(stat -c %s "$HTTP_BODY")" 0 "$path: body with another ETag"
    get "$path" -H "If-Modified-Since: $modified"
    expect_status 304 "$path with If-Modified-Since: its Last-Modified"
    expect_eq "$(stat -c %s "$HTTP_BODY")" 0 "$path: bytes of the 304 body (If-Modified-Since)"
    get "$path" -H "If-Modified-Since: $(date -u -d '2099-01-01' '+%a, %d %b %Y %H:%M:%S GMT')"
    expect_status 304 "$path with If-Modified-Since in the future"
    get "$path" -H "If-Modified-Since: $(date -u -d "$modified - 1 day" '+%a, %d %b %Y %H:%M:%S GMT')"
    expect_status 200 "$path with If-Modified-Since a day earlier"
    # If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2).
    get "$path" -H 'If-None-Match: "nope"' -H "If-Modified-Since: $modified"
    expect_status 200 "$path with a stale ETag and a current If-Modified-Since"
done
get "/collections/cm-tambon/items?limit=3"
e1=$(header ETag)
get "/collections/cm-tambon/items?limit=4"
expect_ne "$(header ETag)" "$e1" "ETag of another query"
get "/collections/cm-tambon/items?limit=3&lang=th"
expect_ne "$(header ETag)" "$e1" "ETag in another language"
get "/collections/cm-tambon/items?limit=3" -H 'Accept: text/csv'
expect_ne "$(header ETag)" "$e1" "ETag of another format (Accept)"
get "/collections/cm-tambon/items?limit=3" -H "If-None-Match: $(header ETag)"
expect_status 200 "the CSV ETag does not validate the GeoJSON page"

section "CORS, OPTIONS, HEAD"
get /collections -H 'Origin: https://example.org'
expect_eq "$(header Access-Control-Allow-Origin)" "*" "Access-Control-Allow-Origin on GET"
expect_contains "$(header Access-Control-Expose-Headers)" ETag "Access-Control-Expose-Headers"
get /no/such/thing -H 'Origin: https://example.org'
expect_eq "$(header Access-Control-Allow-Origin)" "*" "Access-Control-Allow-Origin on a 404"
get /collections/cm-tambon/items -X OPTIONS -H 'Origin: https://example.org' \
    -H 'Access-Control-Request-Method: GET' -H 'Access-Control-Request-Headers: If-None-Match'
expect_status 204 "OPTIONS preflight"
expect_eq "$(stat -c %s "$HTTP_BODY")" 0 "bytes of the preflight body"
expect_eq "$(header Access-Control-Allow-Origin)" "*" "Access-Control-Allow-Origin of the preflight"
expect_contains "$(header Access-Control-Allow-Methods)" GET "Access-Control-Allow-Methods"
expect_contains "$(header Access-Control-Allow-Headers)" If-None-Match "Access-Control-Allow-Headers"
for path in /collections "/collections/cm-cbd-roads/items?limit=10000" /collections/cm-tambon/items/3 \
    /collections/nope; do
    get "$path"
    want_status=$HTTP_STATUS want_type=$(header Content-Type) want_etag=$(header ETag)
    get "$path" --head
    expect_status "$want_status" "HEAD $path"
    expect_eq "$(header Content-Type)" "$want_type" "HEAD $path: Content-Type"
    expect_eq "$(header ETag)" "$want_etag" "HEAD $path: ETag"
    # curl --head cannot show a body that should not be there: read the raw answer.
    raw_answer "HEAD $path HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n" >head_raw.txt
    expect_match "$(head -1 head_raw.txt)" "^HTTP/1\.1 $want_status " "HEAD $path: raw status line"
    expect_eq "$(python3 -c 'import sys; d = open(sys.argv[1], "rb").read(); print(len(d.split(b"\r\n\r\n", 1)[1]) if b"\r\n\r\n" in d else "no end of headers")' head_raw.txt)" \
        0 "HEAD $path: bytes after the headers"
done

section "405, 414, 431"
for method in POST PUT DELETE PATCH; do
    for path in /collections /collections/cm-tambon/items /collections/cm-tambon/items/1; do
        get "$path" -X "$method"
        expect_json_error 405 "$method $path (no body)"
        expect_contains "$(header Allow)" GET "$method $path: Allow"
        get "$path" -X "$method" -H 'Content-Type: application/json' --data-binary '{"type":"Feature"}'
        expect_json_error 405 "$method $path with a JSON body"
        expect_contains "$(header Allow)" GET "$method $path with a body: Allow"
    done
done
long=$(head -c 9000 /dev/zero | tr '\0' a)
get "/collections/cm-tambon/items?name=$long"
expect_json_error 414 "a 9 KB request target"
get "/collections?$(head -c 30000 /dev/zero | tr '\0' b)=1"
expect_json_error 414 "a 30 KB request target"
get "/collections/cm-cbd-pois/items?name=$(head -c 8000 /dev/zero | tr '\0' a)"
expect_status 200 "an 8000-byte request target is still served"
big_header=$(head -c 9000 /dev/zero | tr '\0' x)
get /collections -H "X-One: $big_header" -H "X-Two: $big_header"
expect_json_error 431 "18 KB of request headers"
get /collections -H "X-One: $(head -c 6000 /dev/zero | tr '\0' x)"
expect_status 200 "6 KB of request headers are fine"

section "400s: every bad parameter is named in a JSON error"
# bad400 PATH-AND-QUERY PARAMETER-NAMED-IN-THE-MESSAGE
bad400() {
    get "$1"
    expect_json_error 400 "$1"
    expect_contains "$(jqb .description)" "$2" "$1: the message names the problem"
    expect_not_contains "$(jqb .description)" "$2: $2:" "$1: the message says its subject once"
}
items=/collections/cm-cbd-pois/items
bad400 "$items?bbox=98.9,18.7,99.0" bbox
bad400 "$items?bbox=98.9,18.7,99.0,18.8,1" bbox
bad400 "$items?bbox=a,b,c,d" bbox
bad400 "$items?bbox=500000,2000000,400000,2100000&bbox-crs=http://www.opengis.net/def/crs/EPSG/0/32647" bbox
bad400 "$items?bbox=98.9,18.8,99.0,18.7" bbox
bad400 "$items?bbox=" bbox
bad400 "$items?bbox=98.9,18.7,99.0,nan" bbox
bad400 "$items?bbox=-200,18.7,99.0,18.8" bbox
bad400 "$items?limit=0" limit
bad400 "$items?limit=2&limit=3" limit
bad400 "$items?limit=abc" limit
bad400 "$items?limit=-5" limit
bad400 "$items?limit=1e3" limit
bad400 "$items?offset=-1" offset
bad400 "$items?frobnicate=1" frobnicate
bad400 "$items?properties=name,nope" nope
bad400 "$items?sortby=-nope" nope
bad400 "$items?filter=nope%20%3D%201" nope
bad400 "$items?filter=name%20%3D" filter
bad400 "$items?filter=name%20%3D%20'unterminated" filter
bad400 "$items?filter=(name%20%3D%20'a'" filter
bad400 "$items?filter=S_WITHIN(geometry,%20POINT(1%202))" filter
bad400 "$items?filter-lang=cql2-json&filter=%7B%22op%22%3A%22%3D%22%7D" cql2-json
bad400 "$items?crs=EPSG:9999" crs
bad400 "$items?crs=http://www.opengis.net/def/crs/EPSG/0/2154" crs
bad400 "$items?bbox=1,2,3,4&bbox-crs=EPSG:9999" bbox-crs
bad400 "$items?bbox=1e9,1e9,2e9,2e9&bbox-crs=EPSG:32647" bbox
bad400 "$items?f=xml" xml
bad400 "$items?lang=fr" fr
bad400 "$items?skipGeometry=yes" skipGeometry
bad400 "$items?zoom=23" zoom
bad400 "$items?precision=16" precision
bad400 "/collections/cm-cbd-pois/items/1?limit=2" limit
bad400 "/collections/cm-cbd-pois/items/1?crs=EPSG:1" crs
bad400 "/collections?f=csv" csv
bad400 "/collections?lang=de" de
bad400 "/collections/cm-tambon?f=xml" xml
# A table without geometry: its features match any bbox (/req/core/fc-bbox-response C).
get "/collections/cm-district-population/items?bbox=98,18,99,19&limit=1"
expect_status 200 "bbox on a table without geometry"
expect_eq "$(jqb .numberMatched)" "$(reg "$DB" cm-district-population feature_count)" \
    "bbox on a table without geometry matches every feature"

section "404s"
for path in /nope /collections/cm-tambon/nope /collections/cm-tambon/items/1/nope /collectionsx \
    /collections/nope /collections/nope/items /collections/nope/items/1 /collections/cm-tambon/items/abc \
    /collections/CM-TAMBON /api/nope; do
    get "$path"
    expect_json_error 404 "$path"
done

section "keep-alive"
# keepalive_count URL...: how many times curl re-used its one connection for the URLs.
keepalive_count() {
    local args=() u
    for u in "$@"; do args+=(-o /dev/null "$BASE$u"); done
    run curl -sv --noproxy '*' --max-time "$SERVE_CURL_MAX_TIME" "${args[@]}"
    expect_rc 0 "curl with ${#@} URLs on one connection"
    grep -c 'Re-using existing connection' <<<"$RUN_ERR" || true
}
expect_eq "$(keepalive_count /collections /collections/cm-tambon)" 1 "connection re-used for the second URL"
expect_eq "$(keepalive_count "/collections/cm-cbd-roads/items?limit=10000" /collections/nope \
    "/collections/cm-tambon/items?limit=abc" /collections/cm-tambon/items/3)" 3 \
    "connection re-used after a streamed page, a 404 and a 400"

section "a 20-way concurrent burst"
{
    for i in $(seq 1 20); do
        echo "$BASE/collections"
        echo "$BASE/collections/cm-cbd-pois/items?limit=$((i * 50))&offset=$i"
        echo "$BASE/collections/cm-tambon/items?bbox=98.9,18.7,99.0,18.8&limit=$i"
        echo "$BASE/collections/cm-cbd-pois/items?filter=category%3D'school'&sortby=-name&limit=$i"
        echo "$BASE/collections/cm-cbd-roads/items?f=csv&limit=$((i * 100))"
    done
} >burst_urls.txt
run bash -c "xargs -d '\\n' -P 20 -n 1 curl -s --noproxy '*' --max-time $SERVE_CURL_MAX_TIME -o /dev/null -w '%{http_code}\n' <burst_urls.txt"
expect_rc 0 "the burst (xargs)"
expect_eq "$(sort <<<"$RUN_OUT" | uniq -c | tr -s ' ' | sed 's/^ //')" "100 200" \
    "statuses of 100 requests, 20 at a time"
expect_serve_alive "after the burst"

section "hostile requests: never a 5xx, never a crash"
# hostile PATH [CURL_ARGS...]: any status but 5xx (and an answer at all).
hostile() {
    get "$@"
    if [[ ! $HTTP_STATUS =~ ^[1-4][0-9][0-9]$ ]]; then
        fail "hostile request $1: status $HTTP_STATUS"
    fi
    ok
}
deep=$(printf '(%.0s' $(seq 1 200))"name = 'a'"$(printf ')%.0s' $(seq 1 200))
hostile "$items" -G --data-urlencode "filter=$deep"
expect_json_error 400 "a filter nested 200 deep (past the parser's depth cap: a mistake, not a large body)"
in_list="category IN ($(seq -s, 1 1500))"
hostile "$items" -G --data-urlencode "filter=$in_list"
hostile "$items" -G --data-urlencode "filter=name = 'x'' OR 1=1 --'"
expect_eq "$(jqb .numberMatched)" 0 "a filter with a quote in its string matches nothing"
hostile "$items" -G --data-urlencode "filter=name = 'x'); DROP TABLE cityatlas_layers; --"
hostile "$items" -G --data-urlencode 'filter="name" = "category"'
hostile "$items" -G --data-urlencode "filter=$(printf 'name = %s AND ' $(seq 1 2000))name = 1"
hostile "$items?filter=%ff%fe%00"
hostile "$items?name=%ff%fe"
hostile "$items?name=a%00b"
hostile "$items?sortby=$(printf 'name,%.0s' $(seq 1 20))name"
hostile "$items?properties=$(printf 'name,%.0s' $(seq 1 400))name"
hostile "$items?$(seq -s '&' -f 'p%g=1' 1 80)"
expect_eq "$HTTP_STATUS" 400 "80 query parameters"
hostile "$items?limit=99999999999999999999999"
hostile "$items?offset=4611686018427387903"
hostile "$items?offset=4611686018427387904"
hostile "$items?bbox=1e999,1,2,3"
hostile "$items?bbox=-0,-0,0,0"
hostile "$items?bbox=98.9,18.7,99.0,18.8&bbox-crs=EPSG:3857"
hostile "$items?crs=%5BEPSG:4326"
hostile "$items?zoom=0&precision=0&crs=EPSG:3857"
hostile "$items?f=csv&f=html&f=json"
hostile "$items?limit=1&limit=2"
hostile "/collections/..%2F..%2Fetc%2Fpasswd/items" --path-as-is
hostile "/collections/../../../etc/passwd" --path-as-is
hostile "/collections/cm-tambon%00/items"
hostile "/collections/$(head -c 5000 /dev/zero | tr '\0' z)/items"
hostile "/collections/cm-tambon/items/1e3"
hostile "/collections/cm-tambon/items/0x10"
hostile "/collections/cm-tambon/items/%20"
hostile "/collections" -H 'Accept-Language: th;q=NaN, en;q=-1, *;q=1e999'
hostile "/collections" -H "Accept: $(printf 'text/x-%s;q=0.1, ' $(seq 1 300))*/*"
hostile "/collections" -H 'Accept-Encoding: gzip;q=nan'
hostile "/collections" -H 'If-Modified-Since: yesterday'
hostile "/collections" -H 'If-None-Match: W/'
hostile "/collections" -H 'If-None-Match: "'
hostile "/collections" -H 'Host: <script>alert(1)</script>'
expect_not_contains "$(body)" "<script>" "a hostile Host header in links"
hostile "/collections" -H 'Host:'
hostile "/collections" -H 'Range: bytes=0-10'
hostile "/collections" --http1.0
hostile "/collections" -X TRACE
hostile "/collections" -X CONNECT
hostile "/" -X 'FOO'
# raw REQUEST [STATUS-REGEX]: a malformed request on a raw socket; the server may close the
# connection or answer with a status matching STATUS-REGEX (default: any but 5xx).
raw() {
    local reply
    reply=$(raw_answer "$1" 2>/dev/null | head -c 200 | tr -d '\r' | head -1 || true)
    if [[ -n $reply && ! $reply =~ ^HTTP/1\.[01]\ ${2:-[1-4][0-9][0-9]}\  ]]; then
        fail "raw request $(printf %q "$1"): status line '$reply'"
    fi
    ok
}
raw 'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\nConnection: close\r\n\r\n'
raw 'GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n'
raw 'GET /collections HTTP/9.9\r\nHost: x\r\nConnection: close\r\n\r\n' '(400|505)'
raw 'GET\r\n\r\n'
RAW_WAIT=2 raw '\x00\x01\x02\x03\xff\xfe\r\n\r\n' # the server waits for a request line
raw 'GET /collections?f=json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
raw 'GET http://127.0.0.1/collections HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
raw 'GET /collections HTTP/1.1\r\nHost: x\r\n X-Folded: a\r\nConnection: close\r\n\r\n'
expect_serve_alive "after the hostile requests"
get /collections
expect_status 200 "a normal request after the hostile ones"
if grep -E ' 5[0-9][0-9] [0-9]+ [0-9.]+ms' "$SERVE_LOG" >/dev/null; then
    fail "the log shows 5xx answers: $(grep -E ' 5[0-9][0-9] [0-9]+ [0-9.]+ms' "$SERVE_LOG" | head -3 | cut -c1-300)"
fi
ok
serve_stop "stopping the first server"

section "log lines: one per request; none with --quiet"
# five_requests: five requests whose log lines are predictable.
five_requests() {
    get /collections
    bytes_collections=$(stat -c %s "$HTTP_BODY")
    get /collections/nope
    bytes_404=$(stat -c %s "$HTTP_BODY")
    get /collections/cm-tambon --head
    get "/collections/cm-tambon/items?limit=abc"
    bytes_400=$(stat -c %s "$HTTP_BODY")
    get "/collections/cm-tambon/items?f=csv&limit=7"
    bytes_csv=$(stat -c %s "$HTTP_BODY")
}
serve_start "$DB"
five_requests
serve_stop "stopping the logging server"
line_re='^cityatlas: info: (GET|HEAD) /[^ ]* [0-9]{3} [0-9]+ [0-9.]+ms$'
grep -E "$line_re" "$SERVE_LOG" >request_lines.txt || true
expect_eq "$(wc -l <request_lines.txt)" 5 "request lines in the log (one per request)"
expect_eq "$(cut -d' ' -f3-6 request_lines.txt | tr '\n' ';')" \
    "GET /collections 200 $bytes_collections;GET /collections/nope 404 $bytes_404;HEAD /collections/cm-tambon 200 0;GET /collections/cm-tambon/items?limit=abc 400 $bytes_400;GET /collections/cm-tambon/items?f=csv&limit=7 200 $bytes_csv;" \
    "method, path, status and bytes of each request line"
serve_start "$DB" --quiet
five_requests
serve_stop "stopping the quiet server"
expect_eq "$(grep -cE "$line_re" "$SERVE_LOG" || true)" 0 "request lines with --quiet"

section "--base-url: links for a server behind a proxy"
public=https://maps.example.org/atlas
serve_start "$DB" --base-url "$public/"
for path in / /collections "/collections/cm-tambon/items?limit=2&offset=2" /collections/cm-tambon/items/3 \
    "/collections?f=html" "/collections/cm-tambon/items?f=html&limit=2"; do
    get "$path"
    expect_status 200 "$path with --base-url"
    expect_not_contains "$(body)" "127.0.0.1" "$path with --base-url: the listening address in the body"
done
get "/collections/cm-tambon/items?limit=2&offset=2"
expect_eq "$(jqb '[.links[] | select(.rel == "next" or .rel == "prev") | .href] | join(" ")')" \
    "$public/collections/cm-tambon/items?limit=2&offset=4&f=json $public/collections/cm-tambon/items?limit=2&f=json" \
    "next and prev links with --base-url"
get /
expect_eq "$(jqb '[.links[].href | select(startswith("'"$public"'/") | not)] | length')" 0 \
    "landing page links outside --base-url"
serve_stop "stopping the --base-url server"

section "a served layer of $BIG_N features, and one re-imported later"
import_synthetic_points "$BIG_DB" big-points "$BIG_N" 5
run python3 "$REPO/scripts/gen_synthetic.py" points --count 300 --seed 1 -o small_a.geojson
run python3 "$REPO/scripts/gen_synthetic.py" points --count 700 --seed 2 -o small_b.geojson
run "$BIN" import --quiet --db "$BIG_DB" --id synth small_a.geojson
expect_rc 0 "import of the layer that is re-imported later"
serve_start "$BIG_DB" --max-limit 1000000

section "re-import while serving"
get "/collections/synth/items?limit=1"
expect_eq "$(jqb .numberMatched)" 300 "synth before the re-import"
etag_items=$(header ETag)
get /collections/synth
etag_collection=$(header ETag)
get /collections
etag_collections=$(header ETag)
run "$BIN" import --quiet --db "$BIG_DB" --id synth --replace small_b.geojson
expect_rc 0 "re-import of synth while the server runs"
get "/collections/synth/items?limit=1"
expect_eq "$(jqb .numberMatched)" 700 "synth after the re-import (no restart)"
expect_ne "$(header ETag)" "$etag_items" "ETag of the items after the re-import"
get "/collections/synth/items?limit=1" -H "If-None-Match: $etag_items"
expect_status 200 "the old ETag no longer validates"
get /collections/synth
expect_eq "$(jqb .cityatlas.featureCount)" 700 "featureCount after the re-import"
expect_ne "$(header ETag)" "$etag_collection" "ETag of the collection after the re-import"
get /collections -H "If-None-Match: $etag_collections"
expect_status 200 "/collections with its old ETag after the re-import"
expect_eq "$(jqb '.collections[] | select(.id == "synth") | .cityatlas.featureCount')" 700 \
    "/collections after the re-import"
walk_total=0
url="$BASE/collections/synth/items?limit=300"
while [[ -n $url ]]; do
    get "$url"
    walk_total=$((walk_total + $(jqb '.features | length')))
    url=$(jqb '[.links[] | select(.rel == "next") | .href] | join("")')
done
expect_eq "$walk_total" 700 "features of synth over all pages after the re-import"

section "requests during a large re-import see the old layer, then the new one"
run python3 "$REPO/scripts/gen_synthetic.py" points --count 100000 --seed 6 -o big_b.geojson
expect_rc 0 "generating the replacement of big-points"
"$BIN" import --quiet --db "$BIG_DB" --id big-points --replace big_b.geojson >reimport.out 2>&1 &
import_pid=$!
E2E_PIDS+=("$import_pid")
reads=0 old_reads=0 saw_new=0
while kill -0 "$import_pid" 2>/dev/null || ((reads == 0)); do
    get "/collections/big-points/items?limit=2&bbox=98.9,18.7,99.1,18.9"
    expect_status 200 "a bbox page during the re-import (read $reads)"
    get "/collections/big-points/items?limit=1&offset=5"
    expect_status 200 "a page during the re-import (read $reads)"
    m=$(jqb .numberMatched)
    case $m in
    "$BIG_N") ((saw_new == 0)) || fail "the old count came back after the new one (read $reads)"
        kill -0 "$import_pid" 2>/dev/null && old_reads=$((old_reads + 1)) ;;
    100000) saw_new=1 ;;
    *) fail "numberMatched $m during the re-import: neither $BIG_N nor 100000 (half a layer?)" ;;
    esac
    ok
    reads=$((reads + 1))
    sleep 0.2 # a few reads a second show it; more only take a core from the import
done
rc=0
wait "$import_pid" || rc=$?
expect_eq "$rc" 0 "the re-import of big-points ($(cat reimport.out))"
echo "    $reads reads during the re-import, $old_reads of the old layer while it ran"
expect_int -ge "$old_reads" 1 "reads served from the old layer while the import ran"
get "/collections/big-points/items?limit=1"
expect_eq "$(jqb .numberMatched)" 100000 "big-points after the re-import"
rm -f big_b.geojson
# A layer of 10,000 points or more keeps its rows in place order beside its table
# (src/store/store_place_order.h): the new version has them, the replaced one's are gone,
# and a box's pages, read from them, hold the box's points once each, as SQL finds them.
table=$(reg "$BIG_DB" big-points table_name)
expect_eq "$(sql "$BIG_DB" "SELECT group_concat(name) FROM sqlite_master WHERE type = 'table' AND name LIKE 'ly\_%\_by\_place' ESCAPE '\\'")" \
    "${table}_by_place" "rows in place order: the new version's only"
box=98.95,18.75,99.02,18.82
want=$(sql "$BIG_DB" "SELECT group_concat(fid) FROM (SELECT fid FROM \"$table\" WHERE MbrMinX(geom) >= 98.95 AND MbrMaxX(geom) <= 99.02 AND MbrMinY(geom) >= 18.75 AND MbrMaxY(geom) <= 18.82 ORDER BY fid)")
ids=()
url="$BASE/collections/big-points/items?bbox=$box&limit=1000&properties="
while [[ -n $url ]]; do
    get "$url"
    mapfile -t -O "${#ids[@]}" ids < <(jqb '.features[].id')
    url=$(jqb '[.links[] | select(.rel == "next") | .href] | join("")')
done
expect_int -ge "${#ids[@]}" 2000 "points in the box (pages of 1,000)"
expect_eq "$(printf '%s\n' "${ids[@]}" | sort -n | paste -sd ,)" "$want" \
    "the pages of a box of big-points: SQL's points, once each"

section "SIGTERM during a long download"
# All 100,000 features, about 25 MB, at 8 MB/s: ~3 s, well inside the 10 s grace period.
curl -sS --noproxy '*' --max-time "$E2E_CMD_TIMEOUT" --limit-rate 8M -o slow_page.json \
    "$BASE/collections/big-points/items?limit=100000" 2>curl_slow.err &
curl_pid=$!
E2E_PIDS+=("$curl_pid")
start=$SECONDS
while [[ ! -s slow_page.json || $(stat -c %s slow_page.json) -lt 2000000 ]]; do
    kill -0 "$curl_pid" 2>/dev/null || fail "the slow download ended early: $(cat curl_slow.err)"
    ((SECONDS - start < E2E_CMD_TIMEOUT)) || fail "the slow download did not start"
    sleep 0.05
done
serve_stop "SIGTERM during the download"
rc=0
wait "$curl_pid" || rc=$?
expect_eq "$rc" 0 "curl exit code of the download that SIGTERM interrupted ($(cat curl_slow.err))"
expect_int -le "$SERVE_STOP_SECONDS" 15 "seconds from SIGTERM to exit"
expect_eq "$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["features"]))' slow_page.json)" \
    100000 "features of the download that SIGTERM interrupted"
expect_eq "$(grep -cE '^cityatlas: info: GET /collections/big-points/items\?limit=100000 200 [0-9]+ [0-9.]+ms$' "$SERVE_LOG")" \
    1 "log line of the interrupted download (complete, not cut)"
expect_contains "$(cat "$SERVE_LOG")" "stopped" "the server's last words"
