#!/usr/bin/env bash
# bench_peers.sh - cityatlas beside the peers on their best backends: PostGIS, MapServer 8
# on PostGIS and QGIS Server 3 on SpatiaLite and on PostGIS, over the same data, on
# 127.0.0.1 and a unix socket only.
#
#   scripts/bench_peers.sh [--points N] [--duration S] [--seed S] [--out DIR]
#                          [--cityatlas PATH] [--no-qgis] [--servers LIST] [--only LIST]
#
# Defaults: 1000000 points, 10 s per wrk run, seed 42, DIR=bench-out/peers under the
# repository root (git-ignored), PATH=$CITYATLAS or build/release/src/cityatlas (never
# built here: exit 2 when missing). The data is bench_serve.sh's, cached in
# bench-out/serve/data (scripts/bench_lib.sh bench_dataset).
# --servers LIST (comma-separated, cityatlas among them; default cityatlas,mapserver_pg,
# qgis_sqlite,qgis_pg) and --only LIST (of random_bbox,random_bbox_gz,bbox_gz,mixed,whole;
# default all) run a part, e.g. `--servers cityatlas --only random_bbox_gz` takes a minute
# while tuning; PostGIS is set up only when a peer or `whole` needs it. Ratios are printed
# only for the servers of the same run.
#
# 1. PostGIS: a private PostgreSQL 15 cluster in a temporary folder, run as an
#    unprivileged user on a unix socket only (pg_start in bench_lib.sh), stopped and
#    removed on exit. The layers `points` and `districts` copied with ogr2ogr (fid kept
#    as the key), a GiST index on geom, the points table CLUSTERed on it (rows in the
#    index's order, as a PostGIS user tuning for map views does) and ANALYZEd. Checked:
#    the same row count, and the same count in the old-city box, as SQLite.
# 2. Servers: `cityatlas serve`; Debian's mapserv on the PostGIS tables
#    (scripts/bench_serve/city_postgis.map.in) and QGIS Server (qgis_mapserv.fcgi, a
#    project written by scripts/bench_serve/qgis_project.py with each layer through the
#    SpatiaLite and the PostGIS provider), each as 4 FastCGI workers under spawn-fcgi
#    behind nginx, which gzips at level 1 (cityatlas gzips at level 1 too).
# 3. Checks before any load (exit 1 on a mismatch): a small box and a district by id
#    asked of every server. A peer may return points that lie outside the box by less
#    than a float's rounding (PostGIS's && and SQLite's R*Tree compare float32 boxes,
#    rounded outwards; 1 ulp of a float near 99 degrees is 7.6e-6 degrees); such extras
#    are counted and reported, anything else (a missing point, one farther out, another
#    district) is a mismatch.
# 4. Load, wrk -t2 -c16 -dS --latency after a 2 s warm-up, every server in turn, waiting
#    for its processes to go idle after each run: a new random 0.02-degree box per
#    request with limit=1000 (scripts/bench_serve/random_bbox.lua, seeded: the same
#    boxes on every server), plain and with `Accept-Encoding: gzip`; the old-city box,
#    repeated, with gzip; then a mixed load at 64 connections: 56 asking for one
#    district by id (cheap) while 8 ask for random boxes with limit=10000 (slow),
#    reporting the cheap requests' p99.
# 5. The whole points layer as GeoJSON: cityatlas `items?limit=N` beside PostGIS
#    `COPY (SELECT ST_AsGeoJSON(t.*) FROM points t) TO STDOUT` through psql (one Feature
#    per line, no collection around them), one warm-up each, then one timed run.
# 6. Prints query | cityatlas | each peer | ratio to the best peer | goal, and writes
#    DIR/summary.txt and the raw DIR/runs.tsv. Goal (issue 20): random boxes with gzip
#    >= 10x the best peer with p99 < 30 ms. Beside each 16-connection run: the servers' CPU
#    per request (user + system time of cityatlas; of a peer's FastCGI workers, nginx and
#    the PostgreSQL processes running when the run starts), which other jobs on the machine
#    disturb much less than latency.
#
# Exit status: 0 when the benchmark ran (goals met or not: it is a report), 1 on an error
# or a mismatch, 2 when the cityatlas binary is missing. Installs missing tools with
# scripts/install_bench_deps.sh (apt-get); otherwise touches only DIR, bench-out/serve/data,
# its temporary folder and 127.0.0.1.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
python=/usr/bin/python3
templates=$repo_root/scripts/bench_serve
mapserv_cgi=/usr/lib/cgi-bin/mapserv
qgis_cgi=/usr/lib/cgi-bin/qgis_mapserv.fcgi

n_points=1000000
n_districts=928
duration=10
seed=42
out_dir=$repo_root/bench-out/peers
data_dir=$repo_root/bench-out/serve/data
cityatlas=${CITYATLAS:-$repo_root/build/release/src/cityatlas}
with_qgis=1
server_list=''
only_list=random_bbox,random_bbox_gz,bbox_gz,mixed,whole
ms_workers=4
qgis_workers=4
warmup=2
idle_cap=120
bbox=98.98,18.78,99.0,18.80
small_box=98.981,18.781,98.984,18.784
view_deg=0.02
view_box=(98.8 18.6 99.2 18.95)
float_slack=0.00001 # more than a float32 ulp near 99 degrees (7.6e-6)

usage() {
    sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
}

BENCH_NAME=bench_peers
# shellcheck source=scripts/bench_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/bench_lib.sh"

while (($#)); do
    case $1 in
        --points) need_arg "$@"; n_points=$2; shift 2 ;;
        --duration) need_arg "$@"; duration=$2; shift 2 ;;
        --seed) need_arg "$@"; seed=$2; shift 2 ;;
        --out) (($# >= 2)) || die "option --out needs a value"; out_dir=$2; shift 2 ;;
        --cityatlas) (($# >= 2)) || die "option --cityatlas needs a value"; cityatlas=$2; shift 2 ;;
        --no-qgis) with_qgis=0; shift ;;
        --servers) (($# >= 2)) || die "option --servers needs a value"; server_list=$2; shift 2 ;;
        --only) (($# >= 2)) || die "option --only needs a value"; only_list=$2; shift 2 ;;
        -h | --help) usage; exit 0 ;;
        *) die "unknown argument '$1' (see --help)" ;;
    esac
done
n_points=$((10#$n_points)) duration=$((10#$duration)) seed=$((10#$seed))
((n_points >= 1)) || die "--points must be >= 1"
((duration >= 1)) || die "--duration must be >= 1"
max_limit=$((n_points > 1000000 ? n_points : 1000000))
all_servers=(cityatlas mapserver_pg qgis_sqlite qgis_pg)
((with_qgis)) || all_servers=(cityatlas mapserver_pg)
[[ -n $server_list ]] || server_list=$(IFS=,; echo "${all_servers[*]}")
declare -A wanted=() part=()
for s in ${server_list//,/ }; do
    [[ " ${all_servers[*]} " == *" $s "* ]] || die "--servers: unknown or excluded server '$s' (${all_servers[*]})"
    wanted[$s]=1
done
[[ -n ${wanted[cityatlas]:-} ]] || die "--servers must include cityatlas (the peers are checked against it)"
for q in ${only_list//,/ }; do
    [[ " random_bbox random_bbox_gz bbox_gz mixed whole " == *" $q "* ]] || die "--only: unknown part '$q'"
    part[$q]=1
done
((${#part[@]})) || die "--only needs at least one part"
[[ -n ${wanted[qgis_sqlite]:-}${wanted[qgis_pg]:-} ]] || with_qgis=0
# PostGIS serves every peer (QGIS's project names both providers) and the whole-layer export
need_pg=0
[[ -n ${wanted[mapserver_pg]:-}${wanted[qgis_sqlite]:-}${wanted[qgis_pg]:-}${part[whole]:-} ]] && need_pg=1

if [[ ! -f $cityatlas || ! -x $cityatlas ]] || ! "$cityatlas" serve --help >/dev/null 2>&1; then
    note "cityatlas binary not found or without 'serve': $cityatlas (pass --cityatlas PATH)"
    exit 2
fi
cityatlas=$(cd "$(dirname "$cityatlas")" && pwd)/$(basename "$cityatlas")

bash "$repo_root/scripts/install_bench_deps.sh" >&2 || die "scripts/install_bench_deps.sh failed"
for tool in wrk curl spawn-fcgi nginx ogr2ogr sqlite3 psql sha256sum; do
    command -v "$tool" >/dev/null || die "'$tool' not found (run scripts/install_bench_deps.sh)"
done
[[ -z ${wanted[mapserver_pg]:-} || -x $mapserv_cgi ]] || die "$mapserv_cgi not found (Debian package cgi-mapserver)"
((!need_pg)) || [[ -f /usr/share/postgresql/15/extension/postgis.control ]] ||
    die "PostGIS for PostgreSQL 15 not found (Debian package postgresql-15-postgis-3)"
if ((with_qgis)); then
    [[ -x $qgis_cgi ]] || die "$qgis_cgi not found (Debian package qgis-server; or pass --no-qgis)"
fi
/usr/bin/time --version 2>&1 | grep -q GNU || die "GNU time not found (Debian package time)"

mkdir -p "$out_dir" "$data_dir"
out_dir=$(cd "$out_dir" && pwd)
data_dir=$(cd "$data_dir" && pwd)
run_dir=$out_dir/run
raw=$out_dir/runs.tsv
rm -rf -- "$run_dir"
mkdir -p "$run_dir/wrk" "$run_dir/responses" "$run_dir/qgis-home"

# --- processes and files we make, removed on exit whatever happens ---
ca_pid='' ms_pids=() ms_nginx='' qgis_pids=() qgis_nginx='' slow_pid='' pg_dir='' pg_started=0
cleanup() {
    stop_pids 50 "$slow_pid" "$ca_pid" "$ms_nginx" "$qgis_nginx"
    # libfcgi workers only act on SIGTERM once their accept() returns
    stop_pids 5 "${ms_pids[@]}" "${qgis_pids[@]}"
    pg_stop
    [[ -z $pg_dir ]] || rm -rf -- "$pg_dir"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# --- data ---
bench_dataset "$n_points" "$n_districts"
sql() { sqlite3 -batch -bail "$db" "$@"; }
sql_spatial() { sqlite3 -batch -bail -cmd '.load mod_spatialite' "$db" "$@"; }
points_table=$(table_of points)
districts_table=$(table_of districts)
extent_of() { # LAYER-ID: "minx miny maxx maxy" as cityatlas recorded it
    sql "SELECT min_lon || ' ' || min_lat || ' ' || max_lon || ' ' || max_lat FROM cityatlas_layers WHERE id='$1'"
}
IFS=, read -r bx0 by0 bx1 by1 <<<"$bbox"
bbox_sql=$(sql_spatial "SELECT count(*) FROM $points_table WHERE ST_X(geom) BETWEEN $bx0 AND $bx1 AND ST_Y(geom) BETWEEN $by0 AND $by1")

# --- PostGIS ---
if ((need_pg)); then
pg_start "$(mktemp -d "${TMPDIR:-/tmp}/bench-peers-pg.XXXXXX")"
"${psql_cmd[@]}" -c "CREATE EXTENSION postgis" >/dev/null
note "PostgreSQL + PostGIS on the socket in $pg_dir; copying the layers (not timed)"
for pair in "points:$points_table" "districts:$districts_table"; do
    ogr2ogr -f PostgreSQL "PG:$pg_conn" "$db" "${pair#*:}" -nln "${pair%%:*}" -preserve_fid \
        -lco FID=fid -lco GEOMETRY_NAME=geom -lco SPATIAL_INDEX=NONE --config PG_USE_COPY YES \
        >>"$run_dir/ogr2ogr-pg.log" 2>&1 || { tail -n 20 "$run_dir/ogr2ogr-pg.log" >&2; die "ogr2ogr into PostGIS failed"; }
    "${psql_cmd[@]}" -c "CREATE INDEX ${pair%%:*}_geom_idx ON ${pair%%:*} USING gist (geom)" >/dev/null
done
"${psql_cmd[@]}" -c "CLUSTER points USING points_geom_idx" -c "ANALYZE" >/dev/null
n_pg=$("${psql_cmd[@]}" -Atc "SELECT count(*) FROM points")
bbox_pg=$("${psql_cmd[@]}" -Atc "SELECT count(*) FROM points WHERE ST_Intersects(geom, ST_MakeEnvelope($bx0, $by0, $bx1, $by1, 4326))")
[[ $n_pg == "$n_points" ]] || die "PostGIS holds $n_pg points, the cityatlas layer $n_points"
[[ $bbox_pg == "$bbox_sql" ]] || die "box $bbox: PostGIS counts $bbox_pg points, SQLite $bbox_sql"
note "PostGIS holds the $n_points points, $bbox_pg of them in $bbox as in SQLite"
fi

# --- servers ---
start_cityatlas "$run_dir/cityatlas.log" --db "$db" --max-limit "$max_limit"
ca_pid=$started_pid
read -r ms_port ms_fcgi qgis_port qgis_fcgi <<<"$(free_ports 4)"
servers=(cityatlas)
declare -A base=([cityatlas]=$started_url)
if [[ -n ${wanted[mapserver_pg]:-} ]]; then
    ms_base=http://127.0.0.1:$ms_port/mapserv/citypg/ogcapi
    fill_template "$templates/city_postgis.map.in" "$run_dir/city_postgis.map" "BASE_URL=$ms_base" \
        "PG_CONNECTION=$pg_conn" "POINTS_EXTENT=$(extent_of points)" "DISTRICTS_EXTENT=$(extent_of districts)"
    start_mapserv "$ms_port" "$ms_fcgi" "    \"citypg\" \"$run_dir/city_postgis.map\""
    ms_nginx=$nginx_pid
    servers+=(mapserver_pg)
    base[mapserver_pg]=$ms_base
fi
if ((with_qgis)); then
    QT_QPA_PLATFORM=offscreen HOME=$run_dir/qgis-home "$python" "$templates/qgis_project.py" \
        "$run_dir/city.qgs" "$db" "$pg_conn" "$points_table" "$districts_table" \
        >"$run_dir/qgis_project.log" 2>&1 || { tail -n 20 "$run_dir/qgis_project.log" >&2; die "qgis_project.py failed"; }
    start_fcgi qgis "$qgis_port" "$qgis_fcgi" "$qgis_workers" "QGIS_PROJECT_FILE=$run_dir/city.qgs" \
        "QT_QPA_PLATFORM=offscreen" "HOME=$run_dir/qgis-home" "QGIS_SERVER_LOG_LEVEL=2" \
        "QGIS_SERVER_LOG_FILE=$run_dir/qgis/server.log" "QGIS_SERVER_PARALLEL_RENDERING=0" -- "$qgis_cgi"
    qgis_pids=("${fcgi_pids[@]}") qgis_nginx=$fcgi_nginx_pid
    for s in qgis_sqlite qgis_pg; do [[ -z ${wanted[$s]:-} ]] || servers+=("$s"); done
    base[qgis_sqlite]=http://127.0.0.1:$qgis_port/qgis/wfs3
    base[qgis_pg]=${base[qgis_sqlite]}
fi
note "servers: ${servers[*]}"

url_of() { # SERVER KIND ARG: the URL of a page of points in box ARG (KIND box, box10000) or district ARG
    local s=$1 kind=$2 arg=$3 b=${base[$1]} suffix=''
    local points=points districts=districts limit=1000
    [[ $kind == box10000 ]] && limit=10000
    case $s in
        cityatlas) ;;
        mapserver_pg) suffix='f=json' ;;
        qgis_sqlite) points=points_sqlite districts=districts_sqlite ;;
        qgis_pg) points=points_pg districts=districts_pg ;;
    esac
    case $kind in
        district)
            if [[ $s == qgis_* ]]; then echo "$b/collections/$districts/items/$arg.json"
            else echo "$b/collections/$districts/items/$arg${suffix:+?$suffix}"; fi ;;
        *)
            if [[ $s == qgis_* ]]; then echo "$b/collections/$points/items.json?bbox=$arg&limit=$limit"
            else echo "$b/collections/$points/items?bbox=$arg&limit=$limit${suffix:+&$suffix}"; fi ;;
    esac
}

pg_pids() { # the private cluster's postmaster and its backends
    local pm
    pm=$(head -n 1 "$pg_dir/data/postmaster.pid")
    echo "$pm $(pgrep -d ' ' -P "$pm" || true)"
}

server_pids() { # SERVER
    case $1 in
        cityatlas) echo "$ca_pid" ;;
        mapserver_pg) echo "${ms_pids[*]} $ms_nginx $(pg_pids)" ;;
        qgis_*) echo "${qgis_pids[*]} $qgis_nginx $(pg_pids)" ;;
    esac
}

# --- checks ---
fetch() { # SERVER URL NAME: GET into responses/SERVER-NAME.json, 200 only
    local out=$run_dir/responses/$1-$3.json code
    code=$(curl -sS -o "$out" -w '%{http_code}' --max-time 300 "$2") || die "$1: GET $2 failed"
    [[ $code == 200 ]] || die "$1: GET $2 answered HTTP $code: $(head -c 300 "$out")"
    echo "$out"
}

note "checking that every server gives the same answers"
ca_box=$(fetch cityatlas "$(url_of cityatlas box "$small_box")" small-box)
box_extras=()
for s in "${servers[@]:1}"; do
    file=$(fetch "$s" "$(url_of "$s" box "$small_box")" small-box)
    # prints "same extras max-outside" or fails with the reason
    verdict=$("$python" - "$ca_box" "$file" "$small_box" "$float_slack" <<'PY'
import json, sys
ref, peer = (json.load(open(p, encoding="utf-8"))["features"] for p in sys.argv[1:3])
x0, y0, x1, y1 = map(float, sys.argv[3].split(","))
slack = float(sys.argv[4])
def key(f):
    return str(f["id"])
def outside(f):
    x, y = f["geometry"]["coordinates"][:2]
    return max(x0 - x, x - x1, y0 - y, y - y1, 0.0)
mine = {key(f): f for f in ref}
theirs = {key(f): f for f in peer}
if any(outside(f) > 0 for f in ref):
    sys.exit("cityatlas returns points outside the box")
missing = sorted(set(mine) - set(theirs))
if missing:
    sys.exit("the peer misses %d points inside the box (ids %s)" % (len(missing), ", ".join(missing[:5])))
extras = [theirs[k] for k in set(theirs) - set(mine)]
far = [key(f) for f in extras if outside(f) > slack]
if far:
    sys.exit("the peer returns %d points farther than %g degrees outside the box (ids %s)"
             % (len(far), slack, ", ".join(far[:5])))
for k in mine:
    a, b = mine[k]["geometry"]["coordinates"][:2], theirs[k]["geometry"]["coordinates"][:2]
    if abs(a[0] - b[0]) > 1e-6 or abs(a[1] - b[1]) > 1e-6:
        sys.exit("feature %s lies at %s on cityatlas and %s on the peer" % (k, a, b))
print(len(mine), len(extras), "%.2g" % max([outside(f) for f in extras] or [0]))
PY
    ) || die "MISMATCH: $s and cityatlas answer the box $small_box differently"
    read -r same extras far <<<"$verdict"
    box_extras+=("$s: $same points as cityatlas + $extras just outside the box (at most $far degrees)")
    note "  box $small_box: ${box_extras[-1]}"
done
for id in 1 "$n_districts"; do
    for s in "${servers[@]}"; do
        file=$(fetch "$s" "$(url_of "$s" district "$id")" "district$id")
        got=$("$python" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["properties"].get("id", d.get("id")))' "$file")
        [[ $got == "$id" ]] || die "MISMATCH: $s answers district $id with the feature of id '$got'"
    done
done
note "  districts 1 and $n_districts: the same feature on ${servers[*]}"

# --- load ---
printf 'query\tserver\treq_s\tp50_ms\tp99_ms\trequests\ttimeouts\tnon2xx\tcpu_ms\n' >"$raw"
clk_tck=$(getconf CLK_TCK)

wrk_args() { # SECONDS SERVER QUERY CONNECTIONS: the wrk command in the array cmd
    local s=$2 q=$3 u kind=box script=random_bbox.lua more=("$view_deg" "$seed" "${view_box[@]}")
    cmd=(wrk -t2 "-c$4" "-d${1}s" --timeout 60s --latency)
    [[ $q == *_gz ]] && cmd+=(-H 'Accept-Encoding: gzip')
    if [[ $q == bbox_gz ]]; then
        cmd+=("$(url_of "$s" box "$bbox")")
        return 0
    fi
    [[ $q == slow ]] && kind=box10000
    [[ $q == district ]] && kind=district script=random_id.lua more=("$n_districts" "$seed")
    # the scripts ask for PREFIX<random box or id>SUFFIX
    u=$(url_of "$s" "$kind" 424242)
    [[ $u =~ ^(http://[^/]+)(/.*)424242(.*)$ ]] || die "cannot split $u"
    cmd+=(-s "$templates/$script" "${BASH_REMATCH[1]}/" -- "${BASH_REMATCH[2]}" "${BASH_REMATCH[3]:--}" "${more[@]}")
}

record() { # SERVER QUERY FILE [TICKS]: TICKS, the servers' CPU in the run, becomes ms a request
    local fields rps p50 p99 n to bad cpu=NA
    fields=$(parse_wrk "$3") || die "cannot parse wrk output $3"
    read -r rps p50 p99 n to bad <<<"$fields"
    [[ -z ${4:-} ]] || ((n == 0)) || cpu=$(awk -v t="$4" -v hz="$clk_tck" -v n="$n" 'BEGIN { printf "%.2f", t * 1000 / hz / n }')
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$2" "$1" "$rps" "$p50" "$p99" "$n" "$to" "$bad" "$cpu" >>"$raw"
    printf '  %-14s %-14s %10s req/s  p50 %8s ms  p99 %8s ms  CPU %6s ms/req%s\n' "$2" "$1" "$rps" "$p50" "$p99" "$cpu" \
        "$( ((to + bad == 0)) || echo "  ($to timeouts, $bad non-2xx)")" >&2
}

run_wrk() { # SERVER QUERY
    local s=$1 q=$2 out=$run_dir/wrk/$2-$1.txt
    wrk_warm_measure "$out" "$(server_pids "$s")" wrk_args "$s" "$q" 16
    record "$s" "$q" "$out" "$measured_ticks"
}

run_mixed() { # SERVER: 56 connections of one district each beside 8 of random 10,000-point boxes
    local s=$1 out=$run_dir/wrk/mixed-$1.txt
    wrk_args "$((duration + 2))" "$s" slow 8
    "${cmd[@]}" >"$out.slow" 2>&1 &
    slow_pid=$!
    sleep 1 # the slow requests are under way before the cheap ones start
    wrk_args "$duration" "$s" district 56
    "${cmd[@]}" >"$out" 2>&1 || die "wrk failed: ${cmd[*]}: $(tail -n 3 "$out")"
    wait "$slow_pid" || die "wrk (slow) failed: $(tail -n 3 "$out.slow")"
    slow_pid=''
    record "$s" mixed_cheap "$out"
    record "$s" mixed_slow "$out.slow"
    # shellcheck disable=SC2046
    wait_idle $(server_pids "$s")
}

cat "$db" >/dev/null # so that no server pays for a cold page cache
note "load: wrk -t2 -c16 -d${duration}s after a ${warmup} s warm-up, one server at a time"
for q in random_bbox random_bbox_gz bbox_gz; do
    [[ -z ${part[$q]:-} ]] || for s in "${servers[@]}"; do run_wrk "$s" "$q"; done
done
if [[ -n ${part[mixed]:-} ]]; then
    note "mixed load at 64 connections: 56 cheap (one district), 8 slow (random boxes, limit=10000)"
    for s in "${servers[@]}"; do run_mixed "$s"; done
fi

# --- the whole layer ---
whole_ca() {
    curl -sS -o /dev/null -w '%{time_total} %{size_download}' --max-time 600 \
        "${base[cityatlas]}/collections/points/items?limit=$n_points"
}
whole_pg() {
    local bytes
    bytes=$(/usr/bin/time -f '%e' -o "$run_dir/.time" "${psql_cmd[@]}" \
        -c "COPY (SELECT ST_AsGeoJSON(t.*) FROM points t) TO STDOUT" | wc -c)
    echo "$(tail -n 1 "$run_dir/.time") $bytes"
}
if [[ -n ${part[whole]:-} ]]; then
    note "whole layer: $n_points points as GeoJSON"
    whole_ca >/dev/null
    whole_pg >/dev/null
    read -r ca_whole ca_bytes <<<"$(whole_ca)"
    read -r pg_whole pg_bytes <<<"$(whole_pg)"
    note "  cityatlas $ca_whole s ($ca_bytes bytes), PostGIS ST_AsGeoJSON(t.*) $pg_whole s ($pg_bytes bytes)"
fi

# --- report ---
{
    echo "bench_peers: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end," \
        "$n_points points (seed $seed) + $n_districts districts, wrk -t2 -d${duration}s, one run"
    echo "cityatlas: $cityatlas ($(git -C "$repo_root" describe --always --dirty 2>/dev/null || echo '?'))"
    echo "servers: ${servers[*]}; parts: $only_list"
    [[ -z ${wanted[mapserver_pg]:-} ]] || echo "MapServer: $(mapserv -v | cut -d' ' -f1-3) as $ms_workers FastCGI workers"
    ((!with_qgis)) || echo "QGIS Server $(dpkg-query -W -f '${Version}' qgis-server 2>/dev/null) as $qgis_workers FastCGI workers"
    ((!need_pg)) || echo "peers behind $(nginx -v 2>&1 | sed 's/.*: //'); $(psql --version)"
    echo "bbox $bbox: $bbox_sql points by SQL$( ((need_pg)) && echo " and by PostGIS")"
    for line in "${box_extras[@]}"; do echo "box $small_box, $line"; done
    [[ -z ${part[whole]:-} ]] ||
        echo "whole layer: cityatlas $ca_whole s ($ca_bytes bytes, a FeatureCollection); PostGIS COPY ST_AsGeoJSON(t.*)" \
            "$pg_whole s ($pg_bytes bytes, Features one per line): ratio $(awk -v a="$pg_whole" -v b="$ca_whole" 'BEGIN { printf "%.1fx", a / b }')"
} >"$out_dir/summary.txt"
"$python" - "$raw" "${servers[@]}" <<'PY' >>"$out_dir/summary.txt"
import csv, sys
raw, servers = sys.argv[1], sys.argv[2:]
rows = {}
with open(raw, newline="") as f:
    for r in csv.DictReader(f, delimiter="\t"):
        rows[(r["query"], r["server"])] = r
LABELS = [
    ("random_bbox", "random 0.02-degree box, limit=1000"),
    ("random_bbox_gz", "same, Accept-Encoding: gzip"),
    ("bbox_gz", "old-city box repeated, limit=1000, gzip"),
    ("mixed_cheap", "64 conns mixed: cheap (one district)"),
    ("mixed_slow", "64 conns mixed: slow (10,000-point box)"),
]
def cell(q, s):
    r = rows.get((q, s))
    if r is None:
        return "-", None
    rps = float(r["req_s"])
    txt = "%.1f (%s/%s)" % (rps, r["p50_ms"], r["p99_ms"])
    if r.get("cpu_ms", "NA") != "NA":
        txt += " %s" % r["cpu_ms"]
    if int(r["non2xx"]) or int(r["timeouts"]):
        txt += " %s non-2xx, %s timeouts" % (r["non2xx"], r["timeouts"])
    return txt, r
head = ["query"] + ["%s req/s (p50/p99 ms) CPU ms/req" % s for s in servers] + ["ratio to best peer", "goal"]
lines = []
for q, label in LABELS:
    cells, ca = [], None
    best = None
    for s in servers:
        txt, r = cell(q, s)
        cells.append(txt)
        if s == "cityatlas":
            ca = r
        elif r is not None and (best is None or float(r["req_s"]) > float(best["req_s"])):
            best = r
    ratio = "-"
    if ca is not None and best is not None and float(best["req_s"]) > 0:
        ratio = "%.1fx" % (float(ca["req_s"]) / float(best["req_s"]))
    goal = "-"
    if q == "random_bbox_gz" and ca is not None and best is not None:
        p99 = float(ca["p99_ms"]) if ca["p99_ms"] != "NA" else float("inf")
        ok = float(ca["req_s"]) >= 10 * float(best["req_s"]) and p99 < 30
        goal = ">= 10x, p99 < 30 ms: %s" % ("met" if ok else "NOT met")
    if q == "mixed_cheap" and ca is not None:
        goal = "p99 < 100 ms: %s" % ("met" if ca["p99_ms"] != "NA" and float(ca["p99_ms"]) < 100 else "NOT met")
    if any(c != "-" for c in cells):  # a part left out by --only gets no line
        lines.append([label] + cells + [ratio, goal])
widths = [max(len(l[i]) for l in lines + [head]) for i in range(len(head))]
for l in [head] + lines:
    print("  ".join(c.ljust(w) for c, w in zip(l, widths)).rstrip())
PY
echo >&2
cat "$out_dir/summary.txt"
note "raw: $raw; logs, configs and wrk outputs: $run_dir/"
