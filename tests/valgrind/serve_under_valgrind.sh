#!/usr/bin/env bash
# serve_under_valgrind.sh BINARY - runs `cityatlas serve` under valgrind on the bundled
# catalog, sends ~30 varied requests (pages, filters, CRSs, CSV, HTML, gzip, 304s, errors,
# a streamed page, one cut short by the client, statistics, posters, share images, a
# GeoPackage and a share page), stops it with SIGTERM and fails on any
# memory error, any definite or indirect leak, or an exit code other than 0.
# GDAL, PROJ, SpatiaLite and libmicrohttpd leave only "still reachable" blocks at exit,
# which are not counted; the one suppression (fontconfig.supp) is fontconfig's
# configuration, which only FcFini frees.
set -euo pipefail
bin=$1
repo=${CITYATLAS_REPO:?}
work=$(mktemp -d)
server=""
cleanup() {
    if [[ -n $server ]] && kill -0 "$server" 2>/dev/null; then
        kill -9 "$server" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
die() {
    echo "serve_under_valgrind: $*" >&2
    if [[ -f $work/vg.log ]]; then
        echo "--- valgrind log:" >&2
        tail -c 20000 "$work/vg.log" >&2
    fi
    exit 1
}

"$bin" import --quiet --db "$work/city.sqlite" --catalog "$repo/datasets/catalog.json" >/dev/null ||
    die "the import of the catalog failed"
"$bin" scenarios import --db "$work/city.sqlite" "$repo/datasets/scenarios.json" >/dev/null 2>&1 ||
    die "the import of the bundled scenarios failed"

valgrind --quiet --leak-check=full --show-leak-kinds=definite,indirect \
    --errors-for-leak-kinds=definite,indirect --error-exitcode=99 --track-origins=no \
    --suppressions="$repo/tests/valgrind/fontconfig.supp" \
    --log-file="$work/vg.log" \
    "$bin" serve --db "$work/city.sqlite" --port 0 --threads 2 2>"$work/serve.log" &
server=$!
base=""
for _ in $(seq 1 1200); do # up to 120 s: valgrind starts GDAL and PROJ slowly
    line=$(grep -Eo -m1 'listening on http://127\.0\.0\.1:[0-9]+/' "$work/serve.log" || true)
    if [[ -n $line ]]; then
        base=${line#listening on }
        base=${base%/}
        break
    fi
    kill -0 "$server" 2>/dev/null || die "the server exited before listening: $(cat "$work/serve.log")"
    sleep 0.1
done
[[ -n $base ]] || die "the server did not print its address within 120 s"

n=0
# req EXPECTED-STATUS PATH [CURL_ARGS...]
req() {
    local want=$1 path=$2 got
    shift 2
    got=$(curl -s --noproxy '*' --max-time 120 -o "$work/body" -w '%{http_code}' "$@" "$base$path") ||
        die "curl failed on $path"
    [[ $got == "$want" ]] || die "$path: status $got, expected $want: $(head -c 300 "$work/body")"
    n=$((n + 1))
}
req 200 /
req 200 /conformance
req 200 /api
req 200 /collections
req 200 "/collections?f=html&lang=th"
req 200 /collections/cm-tambon -H 'Accept-Language: th'
req 200 "/collections/cm-tambon/items?limit=20&offset=40&sortby=-adm3_en"
req 200 "/collections/cm-cbd-pois/items?bbox=98.98,18.78,99.0,18.80&limit=50"
req 200 /collections/cm-cbd-pois/items -G --data-urlencode "filter=category IN ('school','temple') AND name LIKE 'วัด%'"
req 200 /collections/cm-cbd-pois/items -G --data-urlencode "filter=S_INTERSECTS(geometry, POLYGON((98.98 18.78, 99.0 18.79, 98.985 18.80, 98.98 18.78)))"
req 200 "/collections/cm-cbd-pois/items?category=school&properties=name&skipGeometry=true"
req 200 "/collections/cm-tambon/items?crs=EPSG:32647&zoom=10&limit=30"
req 200 "/collections/cm-cbd-pois/items?bbox=497000,2076000,500000,2079000&bbox-crs=EPSG:32647"
req 200 "/collections/cm-cbd-pois/items?f=csv&limit=500"
req 200 "/collections/cm-tambon/items?f=html&limit=10"
req 200 /collections/cm-tambon/items/5
req 200 "/collections/cm-tambon/items/5?f=html&crs=EPSG:4326"
req 200 /collections/cm-tambon/queryables
req 200 /collections/cm-tambon/schema
req 200 "/collections/cm-cbd-roads/items?limit=10000" -H 'Accept-Encoding: gzip'
req 200 "/collections/cm-cbd-roads/items?limit=10000&f=csv"
etag=$(curl -s --noproxy '*' --max-time 120 -o /dev/null -D - "$base/collections/cm-tambon/items?limit=3" |
    tr -d '\r' | sed -n 's/^[Ee][Tt][Aa][Gg]: //p')
req 304 "/collections/cm-tambon/items?limit=3" -H "If-None-Match: $etag"
req 200 /collections -I
# statistics: every metric family, the cache (the second request is a hit), GeoJSON and CSV
req 200 "/stats?layer=cm-cbd-pois&by=cm-tambon&group=category&f=geojson"
req 200 "/stats?layer=cm-cbd-pois&by=cm-tambon&group=category&f=geojson"
req 200 "/stats?layer=cm-cbd-roads&by=cm-tambon&metric=length&f=csv"
req 200 "/stats?layer=cm-cbd-building-density&by=cm-tambon&metric=area&unit=ha"
req 200 "/stats?layer=cm-cbd-building-density&by=cm-tambon&metric=median&field=building_count"
req 200 /stats/featured
req 200 /stats/featured/hospital-distance-by-district
req 200 "/stats/featured/hospitals-per-capita-mueang?f=csv&lang=th"
req 400 "/stats?layer=cm-cbd-pois&metric=sum&field=category"
req 404 /stats/featured/nope
req 400 "/collections/cm-cbd-pois/items?bbox=1,2,3"
req 400 /collections/cm-cbd-pois/items -G --data-urlencode "filter=name = "
req 400 "/collections/cm-cbd-pois/items?limit=0&frob=1"
req 404 /collections/nope/items
req 404 /collections/cm-tambon/items/abc
req 405 /collections -X POST --data-binary '{"a":1}'
req 414 "/collections?x=$(head -c 9000 /dev/zero | tr '\0' a)"
# exported maps (cairo, pango, fontconfig, libqrencode, GDAL's GeoPackage driver) and pages
req 200 "/scenarios/kin-di-yu-di/map.pdf?paper=A4"
req 200 "/scenarios/kin-di-yu-di/map.png?width=600&height=400&lang=en"
req 200 /scenarios/kin-di-yu-di/share.png
req 200 "/stats/featured/road-length-per-km2-city-tambon/share.png?size=1080x1080"
req 200 "/scenarios/compare.pdf?ids=kin-di-yu-di,muang-on-la-man&paper=A4"
req 200 /scenarios/kin-di-yu-di.gpkg
req 200 /scenarios/kin-di-yu-di -H 'Accept: text/html'
req 400 "/scenarios/kin-di-yu-di/map.pdf?paper=B4"
req 404 /scenarios/nope/share.png
# A client that goes away in the middle of a streamed page.
curl -s --noproxy '*' --max-time 120 "$base/collections/cm-cbd-roads/items?limit=10000" 2>/dev/null |
    head -c 1000 >/dev/null || true
n=$((n + 1))
req 200 /collections/cm-tambon/items/1

kill -TERM "$server"
rc=0
for _ in $(seq 1 600); do # valgrind's leak check takes a while
    kill -0 "$server" 2>/dev/null || break
    sleep 0.1
done
wait "$server" || rc=$?
server=""
if [[ $rc -eq 99 ]]; then
    die "valgrind found errors after $n requests"
elif [[ $rc -ne 0 ]]; then
    die "the server exited with $rc after SIGTERM (log: $(tail -c 1000 "$work/serve.log"))"
fi
if [[ -s $work/vg.log ]]; then
    die "valgrind reported something (with --quiet it prints only problems)"
fi
echo "ok: $n requests under valgrind, clean exit"
