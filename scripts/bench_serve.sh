#!/usr/bin/env bash
# bench_serve.sh - OGC API - Features throughput and latency of `cityatlas serve`
# beside MapServer 8 (the peer) over the same SpatiaLite database, on 127.0.0.1.
#
#   scripts/bench_serve.sh [--points N] [--runs R] [--duration S] [--seed S]
#                          [--out DIR] [--cityatlas PATH]
#                          [--only-cityatlas | --only-peer]
#
# Defaults: 1000000 points, 3 runs, 10 s per wrk run, seed 42, DIR=bench-out/serve
# under the repository root (git-ignored), PATH=$CITYATLAS or
# build/release/src/cityatlas. The binary is never built here: exit 2 when it
# is missing, or has no `serve` command while cityatlas is to be measured
# (--only-peer still needs it, to import the data).
#
# 1. Data, cached in DIR/data/ (keyed by count, seed and a hash of the
#    generator and of the cityatlas binary): N seeded points from
#    scripts/gen_synthetic.py (60 % uniform over the Chiang Mai box, 40 %
#    around the old city) and 928 seeded SYNTHETIC district polygons tiling the
#    box (gen_synthetic.py districts; Thailand's real districts are not in the
#    project's datasets), imported with `cityatlas import` as the layers
#    `points` and `districts` of one database. SQL (mod_spatialite) counts the
#    points in the bbox 98.98,18.78,99.0,18.80 (39,735 with 1M points and seed
#    42; PEERS.md's 39,660 came from other data) and checks that each row's
#    `id` equals its fid.
# 2. Servers, both reading that database, on free 127.0.0.1 ports:
#    `cityatlas serve --max-limit 1000000 --quiet` (default threads), and
#    Debian's mapserv, 4 FastCGI workers under spawn-fcgi behind nginx, set up
#    from the templates in scripts/bench_serve/ (OGR layers with
#    CLOSE_CONNECTION=DEFER, each layer's extent as ows_extent, a MAPS alias
#    in MAPSERVER_CONFIG_FILE, f=json).
#    Configs, pid files and logs go to DIR/run/; every process is stopped on exit.
# 3. Checks before any load (exit 1 on a mismatch): each query answers 200 on
#    both servers with the same number of features; the bbox query's
#    numberMatched and cityatlas's full bbox answer equal the SQL count; the
#    whole layer streamed by cityatlas holds N features.
# 4. Load, R runs, the server that goes first alternating per run:
#      items?limit=100 (first page), bbox in the old city with limit=1000, one
#      district by id (random ids, scripts/bench_serve/random_id.lua), /collections;
#      map views: a new random 0.02-degree box per request with limit=1000
#      (scripts/bench_serve/random_bbox.lua, seeded: the same boxes for both
#      servers), plain and with `Accept-Encoding: gzip` as browsers send it (the
#      old-city bbox with gzip too; nginx gzips MapServer's JSON at level 1, so
#      both compress); and the cheap requests (/collections, one district) again
#      at 64 connections, for their p99
#    each a 2 s wrk warm-up, then `wrk -t2 -c16 -dS --timeout 60s --latency`
#    (-c64 for the *_c64 queries);
#    after each wrk the script waits until the server's processes are idle
#    (MapServer workers finish the requests wrk gave up on). Then, timed with
#    curl, one items?limit=10000 request per server and run; and the whole
#    points layer, items?limit=N from a freshly started cityatlas, beside
#    `ogr2ogr -f GeoJSON /vsistdout/ DB TABLE` under GNU time. cityatlas's
#    VmRSS and RssAnon are sampled from /proc/PID/status during the load and
#    the streams (DIR/rss.tsv).
# 5. Prints query | cityatlas req/s (p50/p99 ms) | MapServer | ratio | goal |
#    met? from the medians of the R runs, and the server's RSS before, at its
#    peak and after the load; writes DIR/summary.txt and the raw DIR/runs.tsv.
#
# Goals (the issue): items?limit=100 >= 5,000 req/s, bbox >= 500, one district
# >= 10,000, /collections >= 10,000, each with p99 < 20 ms at 16 connections;
# limit=10000 in <= 0.03 s; the whole layer in <= 2.5 s with memory flat (the
# server's RssAnon, i.e. VmRSS less the database pages it maps, grows less than
# 64 MiB during a stream); VmRSS flat under load (growth from the end of run 1
# to the end of the last run <= 16 MiB). VmRSS, VmHWM and RssAnon are reported.
#
# Exit status: 0 when the benchmark ran (goals met or not: it is a report), 1
# on an error or a mismatch between the servers, 2 when the cityatlas binary is
# missing. Installs the missing tools with scripts/install_bench_deps.sh
# (apt-get); otherwise touches only DIR and 127.0.0.1.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
python=/usr/bin/python3
templates=$repo_root/scripts/bench_serve
mapserv_cgi=/usr/lib/cgi-bin/mapserv

n_points=1000000
n_districts=928
runs=3
duration=10
seed=42
out_dir=$repo_root/bench-out/serve
cityatlas=${CITYATLAS:-$repo_root/build/release/src/cityatlas}
only=both
bbox=98.98,18.78,99.0,18.80
ms_workers=4
wrk_timeout=60
warmup=2
idle_cap=300

usage() {
    sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
}

BENCH_NAME=bench_serve
# shellcheck source=scripts/bench_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/bench_lib.sh"

while (($#)); do
    case $1 in
        --points) need_arg "$@"; n_points=$2; shift 2 ;;
        --runs) need_arg "$@"; runs=$2; shift 2 ;;
        --duration) need_arg "$@"; duration=$2; shift 2 ;;
        --seed) need_arg "$@"; seed=$2; shift 2 ;;
        --out) (($# >= 2)) || die "option --out needs a value"; out_dir=$2; shift 2 ;;
        --cityatlas) (($# >= 2)) || die "option --cityatlas needs a value"; cityatlas=$2; shift 2 ;;
        --only-cityatlas) only=cityatlas; shift ;;
        --only-peer) only=peer; shift ;;
        -h | --help) usage; exit 0 ;;
        *) die "unknown argument '$1' (see --help)" ;;
    esac
done
# strip leading zeros so bash arithmetic does not read them as octal
n_points=$((10#$n_points)) runs=$((10#$runs)) duration=$((10#$duration)) seed=$((10#$seed))
((n_points >= 1)) || die "--points must be >= 1"
((runs >= 1)) || die "--runs must be >= 1"
((duration >= 1)) || die "--duration must be >= 1"
max_limit=$((n_points > 1000000 ? n_points : 1000000))
run_ca=1 run_ms=1
[[ $only == peer ]] && run_ca=0
[[ $only == cityatlas ]] && run_ms=0

# --- the binary under test (checked first: exit 2, before any slow work) ---
if [[ ! -f $cityatlas || ! -x $cityatlas ]]; then
    note "cityatlas binary not found or not executable: $cityatlas"
    note "build it with: cmake -S '$repo_root' -B '$repo_root/build/release' -DCMAKE_BUILD_TYPE=Release && cmake --build '$repo_root/build/release' -j 2"
    note "(or pass --cityatlas PATH, or set CITYATLAS=PATH)"
    exit 2
fi
cityatlas=$(cd "$(dirname "$cityatlas")" && pwd)/$(basename "$cityatlas")
if ((run_ca)) && ! "$cityatlas" serve --help >/dev/null 2>&1; then
    note "$cityatlas has no 'serve' command yet (cityatlas serve --help failed); use --only-peer to run MapServer alone"
    exit 2
fi

# --- tools ---
bash "$repo_root/scripts/install_bench_deps.sh" >&2 || die "scripts/install_bench_deps.sh failed"
for tool in wrk curl spawn-fcgi nginx ogr2ogr sqlite3 sha256sum; do
    command -v "$tool" >/dev/null || die "'$tool' not found (run scripts/install_bench_deps.sh)"
done
[[ -x $mapserv_cgi ]] || die "$mapserv_cgi not found (Debian package cgi-mapserver)"
[[ -x $python ]] || die "$python not found (run scripts/install_deps.sh)"
/usr/bin/time --version 2>&1 | grep -q GNU || die "GNU time not found (Debian package time)"

mkdir -p "$out_dir"
out_dir=$(cd "$out_dir" && pwd)
data_dir=$out_dir/data
run_dir=$out_dir/run
raw=$out_dir/runs.tsv
mkdir -p "$data_dir"

# --- processes we start, stopped on exit whatever happens ---
ca_pid='' stream_pid='' nginx_pid='' sampler_pid='' ms_pids=()

cleanup() {
    stop_pids 50 "$sampler_pid" "$ca_pid" "$stream_pid" "$nginx_pid"
    # mapserv (libfcgi) only acts on SIGTERM once its accept() returns
    stop_pids 5 "${ms_pids[@]}"
    rm -f "$run_dir/.time"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

rm -rf -- "$run_dir"
mkdir -p "$run_dir/wrk" "$run_dir/responses"
time_file=$run_dir/.time

# --- data (cached) ---
bench_dataset "$n_points" "$n_districts"

sql() { sqlite3 -batch -bail "$db" "$@"; }
sql_spatial() { sqlite3 -batch -bail -cmd '.load mod_spatialite' "$db" "$@"; }

points_table=$(table_of points)
districts_table=$(table_of districts)

extent_of() { # LAYER-ID: "minx miny maxx maxy" as cityatlas recorded it
    sql "SELECT min_lon || ' ' || min_lat || ' ' || max_lon || ' ' || max_lat FROM cityatlas_layers WHERE id='$1'"
}
points_extent=$(extent_of points)
districts_extent=$(extent_of districts)

for t in "$points_table:$n_points" "$districts_table:$n_districts"; do
    counts=$(sql "SELECT count(*) || ' ' || sum(id IS NOT fid) FROM ${t%%:*}")
    read -r n bad <<<"$counts"
    [[ $n == "${t#*:}" ]] || die "${t%%:*} holds $n rows, expected ${t#*:}"
    # MapServer names features by the id column, cityatlas by fid
    [[ $bad == 0 ]] || die "${t%%:*}: $bad rows whose id differs from their fid"
done
IFS=, read -r bx0 by0 bx1 by1 <<<"$bbox"
bbox_sql=$(sql_spatial "SELECT count(*) FROM $points_table WHERE ST_X(geom) BETWEEN $bx0 AND $bx1 AND ST_Y(geom) BETWEEN $by0 AND $by1") ||
    die "cannot count the bbox with mod_spatialite: $bbox_sql"
note "bbox $bbox holds $bbox_sql of the $n_points points (SQL on $points_table)"
if ((n_points == 1000000 && seed == 42 && bbox_sql != 39660)); then
    # counted in gen_synthetic.py's GeoJSON too (39,735): PEERS.md's data was other
    note "note: PEERS.md counts 39,660 there for 1M points and seed 42; the servers are held to the SQL count"
fi
cat "$db" >/dev/null # so that no server pays for a cold page cache

# --- servers ---
start_mapserver() { # sets ms_url, ms_pids, nginx_pid
    local http_port fcgi_port ports
    ports=$(free_ports 2)
    read -r http_port fcgi_port <<<"$ports"
    ms_url=http://127.0.0.1:$http_port/mapserv/city/ogcapi
    fill_template "$templates/city.map.in" "$run_dir/city.map" "BASE_URL=$ms_url" "DB=$db" \
        "POINTS_TABLE=$points_table" "DISTRICTS_TABLE=$districts_table" \
        "POINTS_EXTENT=$points_extent" "DISTRICTS_EXTENT=$districts_extent"
    start_mapserv "$http_port" "$fcgi_port" "    \"city\" \"$run_dir/city.map\""
}

ca_url='' ms_url='' stream_url=''
if ((run_ca)); then
    start_cityatlas "$run_dir/cityatlas.log" --db "$db" --max-limit "$max_limit"
    ca_pid=$started_pid ca_url=$started_url
    note "cityatlas serve (pid $ca_pid) at $ca_url/"
fi
if ((run_ms)); then
    start_mapserver
    note "MapServer: $ms_workers mapserv workers (pids ${ms_pids[*]}) behind nginx (pid $nginx_pid) at $ms_url/"
fi

# --- queries ---
queries=(limit100 bbox1000 bbox1000_gz random_bbox random_bbox_gz district collections
    district_c64 collections_c64)
declare -A path=(
    [limit100]="/collections/points/items?limit=100"
    [bbox1000]="/collections/points/items?bbox=$bbox&limit=1000"
    [bbox1000_gz]="/collections/points/items?bbox=$bbox&limit=1000"
    [district]="/collections/districts/items/"
    [district_c64]="/collections/districts/items/"
    [collections]="/collections"
    [collections_c64]="/collections"
    [limit10000]="/collections/points/items?limit=10000"
)
# map views: random boxes of this many degrees inside gen_synthetic.py's box
view_deg=0.02
view_box=(98.8 18.6 99.2 18.95)

url_of() { # SERVER QUERY-PATH: the full URL (MapServer answers HTML unless f=json)
    case $1 in
        cityatlas) echo "$ca_url$2" ;;
        stream) echo "$stream_url$2" ;; # the second cityatlas, for the whole layer
        mapserver) if [[ $2 == *\?* ]]; then echo "$ms_url$2&f=json"; else echo "$ms_url$2?f=json"; fi ;;
    esac
}

servers=()
((run_ca)) && servers+=(cityatlas)
((run_ms)) && servers+=(mapserver)

# --- checks: both servers give the same answers before anything is timed ---
fetch() { # SERVER QUERY-PATH NAME: GET into responses/SERVER-NAME.json, 200 only
    local out=$run_dir/responses/$1-$3.json code
    code=$(curl -sS -o "$out" -w '%{http_code}' --max-time 600 "$(url_of "$1" "$2")") ||
        die "$1: GET $2 failed"
    [[ $code == 200 ]] || die "$1: GET $2 answered HTTP $code: $(head -c 300 "$out")"
    echo "$out"
}

summarize() { # FILE: "features matched ids-inside-bbox first-id" of a response
    "$python" - "$1" "$bbox" <<'PY'
import json, sys
with open(sys.argv[1], encoding="utf-8") as f:
    doc = json.load(f)
x0, y0, x1, y1 = map(float, sys.argv[2].split(","))
if "collections" in doc:
    ids = sorted(c["id"] for c in doc["collections"])
    print(len(ids), "-", "-", ",".join(ids))
elif doc.get("type") == "Feature":
    g = doc["geometry"]
    n = sum(len(r) for r in g["coordinates"]) if g["type"] == "Polygon" else 1
    print(1, "-", n, doc["properties"]["id"])
else:
    feats = doc["features"]
    inside = sum(1 for f in feats
                 if f["geometry"]["type"] == "Point"
                 and x0 <= f["geometry"]["coordinates"][0] <= x1
                 and y0 <= f["geometry"]["coordinates"][1] <= y1)
    print(len(feats), doc.get("numberMatched", "-"), inside, "-")
PY
}

check_query() { # NAME QUERY-PATH EXPECTED-FEATURES: same count on every server
    local name=$1 q=$2 want=$3 s file sum n matched inside extra
    for s in "${servers[@]}"; do
        file=$(fetch "$s" "$q" "$name")
        sum=$(summarize "$file")
        read -r n matched inside extra <<<"$sum"
        [[ $n == "$want" ]] || die "MISMATCH: $s answers $q with $n features, expected $want"
        if [[ $name == bbox1000 ]]; then
            [[ $inside == "$n" ]] || die "MISMATCH: $s answers $q with $((n - inside)) points outside the bbox"
            [[ $matched == - || $matched == "$bbox_sql" ]] ||
                die "MISMATCH: $s reports numberMatched $matched for $q, SQL counts $bbox_sql"
            [[ $s == mapserver ]] && ms_matched=$matched
        fi
        if [[ $name == collections ]]; then
            [[ ,$extra, == *,points,* && ,$extra, == *,districts,* ]] ||
                die "MISMATCH: $s lists the collections '$extra', expected points and districts"
        fi
        printf '  %-10s %-12s %7s features%s\n' "$s" "$name" "$n" \
            "$([[ $matched != - ]] && echo ", numberMatched $matched")" >&2
    done
}

ms_matched=- ca_bbox_all=-
note "checking that both servers give the same answers"
check_query collections "${path[collections]}" 2
check_query limit100 "${path[limit100]}" $((n_points < 100 ? n_points : 100))
check_query bbox1000 "${path[bbox1000]}" $((bbox_sql < 1000 ? bbox_sql : 1000))
check_query limit10000 "${path[limit10000]}" $((n_points < 10000 ? n_points : 10000))
for s in "${servers[@]}"; do # gzip, as the *_gz queries ask: the same features once decoded
    gz=$run_dir/responses/$s-bbox1000.json.gz
    curl -sS --max-time 600 -H 'Accept-Encoding: gzip' -D "$gz.headers" -o "$gz" \
        "$(url_of "$s" "${path[bbox1000]}")" || die "$s: GET ${path[bbox1000]} with gzip failed"
    grep -qi '^content-encoding: *gzip' "$gz.headers" || die "$s: no gzip for Accept-Encoding: gzip"
    gunzip -c <"$gz" >"$gz.json" || die "$s: the gzip answer to ${path[bbox1000]} does not decode"
    [[ $(summarize "$gz.json") == "$(summarize "$run_dir/responses/$s-bbox1000.json")" ]] ||
        die "MISMATCH: $s answers ${path[bbox1000]} differently with gzip"
    note "  $s: bbox1000 with gzip, $(stat -c %s "$gz") bytes, decodes to the plain answer's features"
done
for id in 1 $(((n_districts + 1) / 2)) "$n_districts"; do
    ring_sizes=()
    for s in "${servers[@]}"; do
        file=$(fetch "$s" "${path[district]}$id" "district$id")
        sum=$(summarize "$file")
        read -r n _ vertices got <<<"$sum"
        [[ $n == 1 && $got == "$id" ]] || die "MISMATCH: $s answers district $id with the feature of id '$got'"
        ring_sizes+=("$vertices")
    done
    [[ ${ring_sizes[0]} == "${ring_sizes[-1]}" ]] ||
        die "MISMATCH: district $id has ${ring_sizes[*]} vertices on ${servers[*]}"
done
note "  district 1, $(((n_districts + 1) / 2)) and $n_districts: the same feature on ${servers[*]}"
if ((run_ca)); then
    # the whole bbox, past MapServer's cap of 10,000 (and its ignored offset)
    file=$(fetch cityatlas "/collections/points/items?bbox=$bbox&limit=$max_limit" bbox-all)
    sum=$(summarize "$file")
    read -r ca_bbox_all _ inside _ <<<"$sum"
    [[ $ca_bbox_all == "$bbox_sql" && $inside == "$bbox_sql" ]] ||
        die "MISMATCH: cityatlas returns $ca_bbox_all features ($inside inside) for the whole bbox, SQL counts $bbox_sql"
    note "  bbox $bbox: cityatlas returns all $ca_bbox_all points, as SQL counts"
fi

# --- load ---
printf 'query\tserver\trun\treq_s\tp50_ms\tp99_ms\trequests\ttimeouts\tnon2xx\tseconds\tbytes\tbase_kb\tpeak_kb\thwm_kb\tanon_base_kb\tanon_peak_kb\n' >"$raw"

server_pids() { # SERVER
    case $1 in
        cityatlas) echo "$ca_pid" ;;
        mapserver) echo "${ms_pids[*]} $nginx_pid" ;;
    esac
}

wrk_cmd() { # SECONDS SERVER QUERY: the wrk command line, in the array cmd
    local secs=$1 s=$2 q=$3 prefix suffix=- conns=16
    [[ $q == *_c64 ]] && conns=64
    cmd=(wrk -t2 "-c$conns" "-d${secs}s" --timeout "${wrk_timeout}s" --latency)
    [[ $q == *_gz ]] && cmd+=(-H 'Accept-Encoding: gzip')
    if [[ $q == district* ]]; then
        prefix=${path[district]}
        if [[ $s == mapserver ]]; then prefix=/mapserv/city/ogcapi$prefix suffix='?f=json'; fi
        cmd+=(-s "$templates/random_id.lua" "$(url_of "$s" /)" -- "$prefix" "$suffix" "$n_districts" "$seed")
    elif [[ $q == random_bbox* ]]; then
        prefix=/collections/points/items?bbox= suffix='&limit=1000'
        if [[ $s == mapserver ]]; then prefix=/mapserv/city/ogcapi$prefix suffix+='&f=json'; fi
        cmd+=(-s "$templates/random_bbox.lua" "$(url_of "$s" /)" -- "$prefix" "$suffix" "$view_deg"
            "$seed" "${view_box[@]}")
    else
        cmd+=("$(url_of "$s" "${path[$q]}")")
    fi
}

run_wrk() { # SERVER QUERY RUN
    local s=$1 q=$2 r=$3 out=$run_dir/wrk/$2-$1-r$3.txt fields
    wrk_warm_measure "$out" "$(server_pids "$s")" wrk_cmd "$s" "$q"
    fields=$(parse_wrk "$out") || die "cannot parse wrk output $out"
    read -r rps p50 p99 n to bad <<<"$fields"
    printf '%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\tNA\tNA\tNA\tNA\tNA\tNA\tNA\n' "$q" "$s" "$r" "$rps" "$p50" "$p99" "$n" "$to" "$bad" >>"$raw"
    printf '  run %d %-12s %-10s %10s req/s  p50 %8s ms  p99 %8s ms%s\n' "$r" "$q" "$s" "$rps" "$p50" "$p99" \
        "$( ((to + bad == 0)) || echo "  ($to timeouts, $bad non-2xx)")" >&2
}

time_request() { # SERVER QUERY RUN: one GET timed by curl
    local s=$1 q=$2 r=$3 res code secs bytes
    res=$(curl -sS -o /dev/null -w '%{http_code} %{time_total} %{size_download}' --max-time 600 \
        "$(url_of "$s" "${path[$q]}")") || die "$s: GET ${path[$q]} failed"
    read -r code secs bytes <<<"$res"
    [[ $code == 200 ]] || die "$s: GET ${path[$q]} answered HTTP $code"
    printf '%s\t%s\t%d\tNA\tNA\tNA\t1\t0\t0\t%s\t%s\tNA\tNA\tNA\tNA\tNA\n' "$q" "$s" "$r" "$secs" "$bytes" >>"$raw"
    printf '  run %d %-12s %-10s %8.3f s  %s bytes\n' "$r" "$q" "$s" "$secs" "$bytes" >&2
}

mem_kb() { # PID: "VmRSS VmHWM RssAnon" in kB (RssAnon: VmRSS less mapped files)
    awk '$1 == "VmRSS:" { r = $2 } $1 == "VmHWM:" { h = $2 } $1 == "RssAnon:" { a = $2 }
         END { if (r != "") print r, h, a }' "/proc/$1/status" 2>/dev/null
}

sample_mem() { # PID FILE SECONDS: appends mem_kb every SECONDS while PID lives
    while mem_kb "$1" >>"$2"; do sleep "$3"; done
}

peaks_of() { # FILE: the largest VmRSS and the largest RssAnon sampled
    awk 'BEGIN { r = 0; a = 0 } $1 > r { r = $1 } $3 > a { a = $3 } END { print r, a }' "$1"
}

log_mem() { # MOMENT PID: one line of rss.tsv
    local m
    m=$(mem_kb "$2")
    printf '%s\t%s\n' "$1" "${m// /$'\t'}" >>"$rss_log"
}

rss_log=$out_dir/rss.tsv
if ((run_ca)); then
    printf 'moment\tvmrss_kb\tvmhwm_kb\trssanon_kb\n' >"$rss_log"
    log_mem "before load" "$ca_pid"
    : >"$run_dir/mem-load.txt"
    sample_mem "$ca_pid" "$run_dir/mem-load.txt" 0.25 &
    sampler_pid=$!
fi

note "load: ${#queries[@]} queries, wrk -t2 -c16 -d${duration}s after a ${warmup} s warm-up, $runs run(s), servers alternating"
for ((r = 1; r <= runs; r++)); do
    order=("${servers[@]}")
    if ((r % 2 == 0 && ${#servers[@]} == 2)); then order=("${servers[1]}" "${servers[0]}"); fi
    for q in "${queries[@]}"; do
        for s in "${order[@]}"; do run_wrk "$s" "$q" "$r"; done
    done
    for s in "${order[@]}"; do time_request "$s" limit10000 "$r"; done
    if ((run_ca)); then log_mem "after run $r" "$ca_pid"; fi
done
if ((run_ca)); then
    stop_pids 50 "$sampler_pid"
    sampler_pid=''
    read -r peak peak_anon <<<"$(peaks_of "$run_dir/mem-load.txt")"
    printf 'peak during load\t%s\tNA\t%s\n' "$peak" "$peak_anon" >>"$rss_log"
fi

# --- the whole points layer in one response ---
note "whole layer: $n_points points as GeoJSON, $runs run(s) each"
whole_q="/collections/points/items?limit=$n_points"
if ((run_ca)); then
    # checked on the load server, so that the stream server below starts cold
    file=$(fetch cityatlas "$whole_q" whole)
    sum=$(summarize "$file")
    rm -f "$file"
    read -r n _ _ _ <<<"$sum"
    [[ $n == "$n_points" ]] || die "MISMATCH: cityatlas streams $n features of the whole layer, expected $n_points"
    note "  cityatlas streams all $n features"
    # a fresh server, so that its memory and VmHWM belong to the streams alone
    start_cityatlas "$run_dir/cityatlas-stream.log" --db "$db" --max-limit "$max_limit"
    stream_pid=$started_pid stream_url=$started_url
    log_mem "stream server, fresh" "$stream_pid"
fi
for ((r = 1; r <= runs; r++)); do
    if ((run_ca)); then
        read -r base _ base_anon <<<"$(mem_kb "$stream_pid")"
        : >"$run_dir/mem-stream.txt"
        sample_mem "$stream_pid" "$run_dir/mem-stream.txt" 0.05 &
        sampler_pid=$!
        res=$(curl -sS -o /dev/null -w '%{http_code} %{time_total} %{size_download}' --max-time 600 \
            "$stream_url$whole_q") || die "cityatlas: GET $whole_q failed"
        stop_pids 50 "$sampler_pid"
        sampler_pid=''
        read -r code secs bytes <<<"$res"
        [[ $code == 200 ]] || die "cityatlas: GET $whole_q answered HTTP $code"
        read -r peak peak_anon <<<"$(peaks_of "$run_dir/mem-stream.txt")"
        read -r _ hwm _ <<<"$(mem_kb "$stream_pid")"
        printf 'whole\tcityatlas\t%d\tNA\tNA\tNA\t1\t0\t0\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
            "$r" "$secs" "$bytes" "$base" "$peak" "$hwm" "$base_anon" "$peak_anon" >>"$raw"
        printf '  run %d whole        cityatlas  %8.3f s  %s bytes, VmRSS %d -> %d kB (RssAnon %d -> %d), VmHWM %d kB\n' \
            "$r" "$secs" "$bytes" "$base" "$peak" "$base_anon" "$peak_anon" "$hwm" >&2
        log_mem "stream server, after run $r" "$stream_pid"
    fi
    if ((run_ms)); then
        bytes=$(/usr/bin/time -f '%e %M' -o "$time_file" ogr2ogr -f GeoJSON /vsistdout/ "$db" "$points_table" | wc -c) ||
            die "ogr2ogr -f GeoJSON /vsistdout/ $db $points_table failed"
        read -r secs kb < <(tail -n 1 "$time_file")
        [[ $secs =~ ^[0-9.]+$ && $kb =~ ^[0-9]+$ ]] || die "cannot parse GNU time output: $(cat "$time_file")"
        printf 'whole\togr2ogr\t%d\tNA\tNA\tNA\t1\t0\t0\t%s\t%s\tNA\t%s\tNA\tNA\tNA\n' "$r" "$secs" "$bytes" "$kb" >>"$raw"
        printf '  run %d whole        ogr2ogr    %8.3f s  %s bytes, peak RSS %d kB\n' "$r" "$secs" "$bytes" "$kb" >&2
    fi
done

# --- report ---
{
    echo "bench_serve: $(nproc) cores, $n_points points (seed $seed) + $n_districts synthetic districts," \
        "$runs run(s), wrk -t2 -c16 -d${duration}s --timeout ${wrk_timeout}s, medians"
    if ((run_ca)); then
        echo "cityatlas: $cityatlas ($(git -C "$repo_root" describe --always --dirty 2>/dev/null || echo '?')), serve --max-limit $max_limit, default threads (one per CPU)"
    fi
    if ((run_ms)); then
        echo "MapServer: $(mapserv -v | cut -d' ' -f1-3), OGR/SpatiaLite, $ms_workers FastCGI workers (spawn-fcgi)" \
            "behind $(nginx -v 2>&1 | sed 's/.*: //'); $(ogr2ogr --version | cut -d, -f1)"
    fi
    echo "bbox $bbox: $bbox_sql points by SQL; cityatlas returns $ca_bbox_all; MapServer numberMatched $ms_matched"
} >"$out_dir/summary.txt"

"$python" - "$raw" "$rss_log" "$run_ca" "$n_points" <<'PY' >>"$out_dir/summary.txt"
import csv, statistics, sys

raw, rss_log, run_ca, n_points = sys.argv[1], sys.argv[2], sys.argv[3] == "1", int(sys.argv[4])
rows = {}
with open(raw, newline="") as f:
    for row in csv.DictReader(f, delimiter="\t"):
        rows.setdefault((row["query"], row["server"]), []).append(row)


def med(key, col):
    vals = [float(r[col]) for r in rows.get(key, []) if r[col] != "NA"]
    return statistics.median(vals) if vals else None


def total(key, col):
    return sum(int(r[col]) for r in rows.get(key, []))


def fmt_ms(v):
    if v is None:
        return "-"
    return "%.2f" % v if v < 10 else "%.0f" % v


def wrk_cell(q, s):
    rps = med((q, s), "req_s")
    if rps is None:
        return "-", None
    txt = "%.1f (%s/%s)" % (rps, fmt_ms(med((q, s), "p50_ms")), fmt_ms(med((q, s), "p99_ms")))
    bad = total((q, s), "non2xx")
    if bad:
        txt += " %d non-2xx!" % bad
    if rps == 0:
        txt = "~0 (none done)"
    return txt, rps


WRK = [  # query, label, goal req/s
    ("limit100", "items?limit=100, first page", 5000),
    ("bbox1000", "bbox old city, limit=1000", 500),
    ("bbox1000_gz", "bbox old city, limit=1000, gzip", 500),
    ("random_bbox", "random 0.02-degree box, limit=1000", 500),
    ("random_bbox_gz", "random 0.02-degree box, limit=1000, gzip", 500),
    ("district", "one district by id", 10000),
    ("collections", "/collections", 10000),
    ("district_c64", "one district by id, 64 connections", 10000),
    ("collections_c64", "/collections, 64 connections", 10000),
]
P99_GOAL = 20.0
lines = []
head = ("query", "cityatlas req/s (p50/p99 ms)", "MapServer req/s (p50/p99 ms)", "ratio", "goal", "met?")
for q, label, goal in WRK:
    ca_txt, ca = wrk_cell(q, "cityatlas")
    ms_txt, ms = wrk_cell(q, "mapserver")
    ratio = "-"
    if ca is not None and ms is not None:
        ratio = "%.0fx" % (ca / ms) if ms > 0 else "peer ~0"
    met = "-"
    if ca is not None:
        p99 = med((q, "cityatlas"), "p99_ms")
        why = []
        if ca < goal:
            why.append("req/s")
        if p99 is None or p99 >= P99_GOAL:
            why.append("p99")
        if total((q, "cityatlas"), "non2xx"):
            why.append("errors")
        met = "yes" if not why else "NO (%s)" % ", ".join(why)
    lines.append((label, ca_txt, ms_txt, ratio, ">= %d, p99 < %.0f ms" % (goal, P99_GOAL), met))

# one request of 10,000 items
ca = med(("limit10000", "cityatlas"), "seconds")
ms = med(("limit10000", "mapserver"), "seconds")
ratio = "%.0fx" % (ms / ca) if ca and ms else "-"
met = "-" if ca is None else ("yes" if ca <= 0.03 else "NO")
lines.append(("limit=10000, one request", "-" if ca is None else "%.3f s" % ca,
              "-" if ms is None else "%.3f s" % ms, ratio, "<= 0.03 s", met))

# the whole layer
ca = med(("whole", "cityatlas"), "seconds")
og = med(("whole", "ogr2ogr"), "seconds")
ca_txt = og_txt = "-"
met = "-"
MIB = 1024.0
if ca is not None:
    rs = rows[("whole", "cityatlas")]
    mb = statistics.median(float(r["bytes"]) for r in rs) / 1e6
    anon = max(int(r["anon_peak_kb"]) - int(r["anon_base_kb"]) for r in rs) / MIB
    ca_txt = "%.2f s, %.0f MB/s, VmRSS %.0f->%.0f MiB, RssAnon %+.1f MiB" % (
        ca, mb / ca, int(rs[0]["base_kb"]) / MIB, max(int(r["peak_kb"]) for r in rs) / MIB, anon)
    why = []
    if ca > 2.5:
        why.append("time")
    if anon >= 64:
        why.append("memory")
    met = "yes" if not why else "NO (%s)" % ", ".join(why)
if og is not None:
    rs = rows[("whole", "ogr2ogr")]
    mb = statistics.median(float(r["bytes"]) for r in rs) / 1e6
    og_txt = "ogr2ogr %.2f s, %.0f MB/s, %.0f MiB" % (og, mb / og, max(int(r["peak_kb"]) for r in rs) / MIB)
ratio = "%.1fx" % (og / ca) if ca and og else "-"
lines.append(("whole %s-point layer" % f"{n_points:,}", ca_txt, og_txt, ratio,
              "<= 2.5 s, memory flat", met))

widths = [max(len(str(l[i])) for l in lines + [head]) for i in range(len(head))]
for l in [head] + lines:
    print("  ".join(str(c).ljust(w) for c, w in zip(l, widths)).rstrip())
print("ratio: cityatlas req/s / MapServer req/s; for single requests, peer time / cityatlas time")

if run_ca:
    rss, anon = {}, {}
    with open(rss_log, newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            rss[row["moment"]] = int(row["vmrss_kb"]) / 1024
            anon[row["moment"]] = int(row["rssanon_kb"]) / 1024
    afters = [k for k in rss if k.startswith("after run")]  # in file order
    first, last = afters[0], afters[-1]
    growth = rss[last] - rss[first]
    if len(afters) < 2:
        verdict = "growth between runs not measured: one run"
    else:
        verdict = "growth %+.1f MiB from the end of run 1: %s" % (
            growth, "flat" if growth <= 16 else "NOT flat (> 16 MiB)")
    print("cityatlas VmRSS under load: %.1f MiB before, peak %.1f, %.1f after run 1, %.1f after "
          "the last run (%s)" % (rss["before load"], rss["peak during load"], rss[first], rss[last], verdict))
    print("  of which RssAnon (the server's own memory, not the database pages it maps): "
          "%.1f MiB before, peak %.1f, %.1f after the last run"
          % (anon["before load"], anon["peak during load"], anon[last]))
    streams = [k for k in rss if k.startswith("stream server, after")]
    if streams:
        print("whole layer, fresh server: VmRSS %.1f MiB fresh, %.1f after the streams; RssAnon %.1f "
              "fresh, %.1f after; memory flat means RssAnon grows < 64 MiB during a stream"
              % (rss["stream server, fresh"], rss[streams[-1]],
                 anon["stream server, fresh"], anon[streams[-1]]))
for q, label, _ in WRK:
    for s in ("cityatlas", "mapserver"):
        to, bad = total((q, s), "timeouts"), total((q, s), "non2xx")
        if to or bad:
            print("note: %s on %s: %d requests over the wrk timeout, %d non-2xx answers (all runs)"
                  % (label, s, to, bad))
PY
echo >&2
cat "$out_dir/summary.txt"
note "raw runs: $raw; RSS: $rss_log; logs and configs: $run_dir/"
