#!/usr/bin/env bash
# bench_tiles.sh - vector tile generation of `cityatlas serve` beside PostGIS's ST_AsMVT
# and GDAL's MVT writer, on the same data, in one run.
#
#   scripts/bench_tiles.sh [--points N] [--polygons M] [--runs R] [--out DIR]
#                          [--cityatlas PATH]
#
# Defaults: 1000000 points, 200000 polygons, 3 runs, DIR=bench-out/tiles under the
# repository root (git-ignored), PATH=$CITYATLAS or build/release/src/cityatlas (never
# built here: exit 2 when missing).
#
# 1. Data, cached in DIR/data/ (keyed by the counts and a hash of the generator):
#    scripts/gen_synthetic.py points and polygons (seed 42; 40 % of each around the old
#    city), imported with `cityatlas import` as the layers `points` and `buildings`.
# 2. The tiles: the 3 x 3 block of z14 tiles around the old city (98.986, 18.788), the
#    densest of the data. Each is made with both layers and every attribute.
# 3. cityatlas: a fresh `cityatlas serve` per run (an empty tile cache; /collections asked
#    first, so the catalog is loaded), each tile of its base map
#    (/tiles/WebMercatorQuad/14/ROW/COL: without a city profile, every layer with geometry)
#    fetched once with curl: the time the server took to make it (its Server-Timing
#    header, comparable with PostGIS's query time) and curl's time_total over HTTP; then
#    each once more, from the tile cache.
# 4. PostGIS: a private PostgreSQL 15 cluster in a temporary folder (initdb, run as
#    `nobody` when the script runs as root), on a free 127.0.0.1 port and a socket in that
#    folder, stopped and removed at the end; the two tables loaded by ogr2ogr from the cityatlas database (EPSG:4326,
#    GiST indexes, ANALYZE). One query per tile makes the same tile: per layer
#    ST_AsMVT(ST_AsMVTGeom(ST_Transform(geom, 3857), ST_TileEnvelope(14, x, y), 4096, 64))
#    over the rows whose box meets the tile grown by 64/4096, every attribute, the fid as
#    the feature id; psql's \timing per query, each tile once per run.
# 5. GDAL: `ogr2ogr -f MVT` of the same two layers at zoom 14 restricted to the block
#    (-spat), its wall time divided by the tiles it wrote, once per run.
# 6. Prints per-tile milliseconds (median of the runs of the mean over the 9 tiles), the
#    sizes, and the ratios PostGIS / cityatlas and GDAL / cityatlas; the goal (the issue):
#    cityatlas at least 2x faster than PostGIS per tile, judged on the time to make a tile
#    (the HTTP round trip is printed beside it). cityatlas's tiles stop at 500 kB (dense
#    layers thinned, X-Features-Dropped): their sizes are printed too.
#    CPU time is measured too, from /proc/PID/stat (utime + stime) of the cityatlas
#    process and of the PostgreSQL backend before and after the 9 tiles: on a busy machine
#    wall times mostly measure waiting for a core, CPU seconds what each one spent.
#    DIR/summary.txt keeps the table.
#
# Packages: scripts/install_bench_deps.sh (postgresql-15-postgis-3, gdal-bin, curl, ...).
set -euo pipefail
BENCH_NAME=bench_tiles
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/bench_lib.sh
source "$root/scripts/bench_lib.sh"

points=1000000 polygons=200000 runs=3
out=$root/bench-out/tiles
cityatlas=${CITYATLAS:-$root/build/release/src/cityatlas}
while (($#)); do
    case $1 in
    --points) need_arg "$@"; points=$2; shift 2 ;;
    --polygons) need_arg "$@"; polygons=$2; shift 2 ;;
    --runs) need_arg "$@"; runs=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --cityatlas) cityatlas=$2; shift 2 ;;
    *) echo "usage: $0 [--points N] [--polygons M] [--runs R] [--out DIR] [--cityatlas PATH]" >&2; exit 2 ;;
    esac
done
[[ -x $cityatlas ]] || { echo "$BENCH_NAME: no cityatlas binary at $cityatlas (build it first)" >&2; exit 2; }
python=python3
pg_bin=/usr/lib/postgresql/15/bin
for tool in "$pg_bin/initdb" "$pg_bin/pg_ctl" psql ogr2ogr curl sqlite3; do
    command -v "$tool" >/dev/null || die "$tool is missing: run scripts/install_bench_deps.sh"
done
mkdir -p "$out/data"
out=$(cd "$out" && pwd)

# --- 1. data ---
key=$(cat "$root/scripts/gen_synthetic.py" | sha256sum | cut -c1-12)-$points-$polygons
db=$out/data/tiles-$key.sqlite
if [[ ! -f $db ]]; then
    note "generating $points points and $polygons polygons"
    "$python" "$root/scripts/gen_synthetic.py" points --count "$points" -o "$out/data/points.geojson"
    "$python" "$root/scripts/gen_synthetic.py" polygons --count "$polygons" -o "$out/data/polygons.geojson"
    rm -f "$db.tmp"
    "$cityatlas" import --quiet --db "$db.tmp" --id points --theme economy "$out/data/points.geojson"
    "$cityatlas" import --quiet --db "$db.tmp" --id buildings --theme land_housing "$out/data/polygons.geojson"
    mv "$db.tmp" "$db"
    rm -f "$out/data/points.geojson" "$out/data/polygons.geojson"
fi
sql() { sqlite3 -bail -batch -noheader "$db" "$1"; }
points_table=$(table_of points)
buildings_table=$(table_of buildings)

# --- 2. the tiles ---
read -r z row0 col0 < <("$python" -c '
import math
lon, lat, z = 98.986, 18.788, 14
n = 2 ** z
r = math.radians(lat)
print(z, int((1 - math.log(math.tan(r) + 1 / math.cos(r)) / math.pi) / 2 * n) - 1, int((lon + 180) / 360 * n) - 1)')
tiles=()
for dr in 0 1 2; do
    for dc in 0 1 2; do
        tiles+=("$((row0 + dr)) $((col0 + dc))")
    done
done
spat=$("$python" -c '
import math, sys
z, r0, c0 = map(int, sys.argv[1:])
n = 2 ** z
lon = lambda c: c / n * 360 - 180
lat = lambda r: math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * r / n))))
eps = 1e-7  # inside the block, so GDAL writes only its 9 tiles
print(lon(c0) + eps, lat(r0 + 3) + eps, lon(c0 + 3) - eps, lat(r0) - eps)' "$z" "$row0" "$col0")

run_dir=$out/run
rm -rf "$run_dir"
mkdir -p "$run_dir"
pids_to_stop=()
pg_started=0
pg_dir=$(mktemp -d "${TMPDIR:-/tmp}/bench-tiles-pg.XXXXXX")
cleanup() {
    stop_pids 50 "${pids_to_stop[@]}"
    if ((pg_started)); then as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null 2>&1 || true; fi
    rm -rf "$pg_dir"
}
trap cleanup EXIT

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
ticks_per_second=$(getconf CLK_TCK)
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
mean() { awk '{ s += $1 } END { printf "%.3f\n", s / NR }'; }

# --- 4. PostGIS setup (before the runs, so that loading is not measured) ---
as_pg() { if [[ $(id -u) -eq 0 ]]; then runuser -u nobody -- "$@"; else "$@"; fi; }
chmod 755 "$pg_dir"
[[ $(id -u) -ne 0 ]] || chown nobody "$pg_dir"
as_pg "$pg_bin/initdb" -D "$pg_dir/data" -U bench --auth=trust >"$run_dir/initdb.log" 2>&1 || die "initdb failed (see $run_dir/initdb.log)"
read -r pg_port < <(free_ports 1)
as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/pg.log" -w \
    -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c shared_buffers=256MB -c jit=off" start >/dev/null ||
    die "PostgreSQL did not start: $(tail -n 5 "$pg_dir/pg.log")"
pg_started=1
psql_cmd=(psql -X -q -h "$pg_dir" -p "$pg_port" -U bench -d postgres -v ON_ERROR_STOP=1)
"${psql_cmd[@]}" -c "CREATE EXTENSION postgis" >/dev/null
note "loading the layers into PostGIS"
for pair in "points:$points_table" "buildings:$buildings_table"; do
    ogr2ogr -f PostgreSQL "PG:host=$pg_dir port=$pg_port user=bench dbname=postgres" "$db" "${pair#*:}" \
        -nln "${pair%%:*}" -lco GEOMETRY_NAME=geom -lco FID=fid -lco SPATIAL_INDEX=GIST --config PG_USE_COPY YES
done
"${psql_cmd[@]}" -c "ANALYZE" >/dev/null
columns() { # TABLE: its attribute columns, comma separated
    "${psql_cmd[@]}" -At -c "SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position)
        FROM information_schema.columns WHERE table_name = '$1' AND column_name NOT IN ('fid', 'geom')"
}
point_cols=$(columns points)
building_cols=$(columns buildings)
pg_query() { # ROW COL: the SQL of one tile
    cat <<EOF
WITH b AS (SELECT ST_TileEnvelope($z, $2, $1) AS env,
                  ST_Transform(ST_TileEnvelope($z, $2, $1, margin => 64.0 / 4096), 4326) AS q)
SELECT length((SELECT ST_AsMVT(t, 'points', 4096, 'geom', 'fid') FROM (
    SELECT fid, $point_cols, ST_AsMVTGeom(ST_Transform(p.geom, 3857), b.env, 4096, 64, true) AS geom
    FROM points p, b WHERE p.geom && b.q) t)
 || (SELECT ST_AsMVT(t, 'buildings', 4096, 'geom', 'fid') FROM (
    SELECT fid, $building_cols, ST_AsMVTGeom(ST_Transform(g.geom, 3857), b.env, 4096, 64, true) AS geom
    FROM buildings g, b WHERE g.geom && b.q) t));
EOF
}

: >"$out/runs.tsv"
for ((run = 1; run <= runs; run++)); do
    note "run $run of $runs"
    # --- 3. cityatlas, cold cache then warm ---
    start_cityatlas "$run_dir/serve.log" --db "$db"
    pids_to_stop=("$started_pid")
    curl -s --noproxy '*' -o /dev/null "$started_url/collections"
    ca_cpu0=$(cpu_ticks "$started_pid")
    for t in "${tiles[@]}"; do
        read -r row col <<<"$t"
        curl -s --noproxy '*' -o "$run_dir/ca.pbf" -D "$run_dir/ca.headers" \
            -w '%{time_total} %{size_download} %{http_code}' \
            "$started_url/tiles/WebMercatorQuad/$z/$row/$col" >>"$run_dir/ca_cold.$run"
        made=$(sed -n 's/^Server-Timing: tile;dur=\([0-9.]*\).*/\1/p' "$run_dir/ca.headers" | tr -d '\r')
        dropped=$(sed -n 's/^X-Features-Dropped: //p' "$run_dir/ca.headers" | tr -d '\r' |
            awk -F', ' '{ for (i = 1; i <= NF; i++) { sub(/.*=/, "", $i); s += $i } } END { print s + 0 }')
        echo " ${made:-nan} $dropped" >>"$run_dir/ca_cold.$run"
    done
    ca_cpu1=$(cpu_ticks "$started_pid")
    for t in "${tiles[@]}"; do
        read -r row col <<<"$t"
        curl -s --noproxy '*' -o /dev/null -w '%{time_total}\n' \
            "$started_url/tiles/WebMercatorQuad/$z/$row/$col" >>"$run_dir/ca_warm.$run"
    done
    awk '$3 != 200 { exit 1 }' "$run_dir/ca_cold.$run" || die "cityatlas answered a tile with an error (see $run_dir/ca_cold.$run)"
    stop_pids 50 "$started_pid"
    pids_to_stop=()
    # --- 4. PostGIS ---
    # The backend's pid, then its CPU ticks before and after the tiles (psql's \! runs them).
    {
        echo "\\o $run_dir/pg_pid"
        echo 'SELECT pg_backend_pid();'
        echo '\o'
        echo "\\! awk '{ print \$14 + \$15 }' /proc/\$(cat $run_dir/pg_pid)/stat >$run_dir/pg_cpu.$run"
        echo '\timing on'
        for t in "${tiles[@]}"; do pg_query $t; done
        echo '\timing off'
        echo "\\! awk '{ print \$14 + \$15 }' /proc/\$(cat $run_dir/pg_pid)/stat >>$run_dir/pg_cpu.$run"
    } >"$run_dir/pg.sql"
    "${psql_cmd[@]}" -At -f "$run_dir/pg.sql" >"$run_dir/pg_out.$run"
    grep -o '^Time: [0-9.]*' "$run_dir/pg_out.$run" | awk '{ print $2 / 1000 }' >"$run_dir/pg_times.$run"
    grep -v '^Time:' "$run_dir/pg_out.$run" | grep -v '^Timing' >"$run_dir/pg_sizes.$run"
    [[ $(wc -l <"$run_dir/pg_cpu.$run") -eq 2 ]] || die "no CPU time of the PostgreSQL backend (see $run_dir/pg.sql)"
    [[ $(wc -l <"$run_dir/pg_times.$run") -eq ${#tiles[@]} ]] || die "PostGIS did not time every tile (see $run_dir/pg_out.$run)"
    # --- 5. GDAL ---
    rm -rf "$run_dir/gdal"
    read -r w s e n <<<"$spat"
    start=$(date +%s.%N)
    ogr2ogr -f MVT "$run_dir/gdal" "$db" "$points_table" "$buildings_table" -spat "$w" "$s" "$e" "$n" \
        -dsco MINZOOM=$z -dsco MAXZOOM=$z -dsco COMPRESS=NO -dsco FORMAT=DIRECTORY 2>"$run_dir/gdal.log"
    end=$(date +%s.%N)
    gdal_tiles=$(find "$run_dir/gdal/$z" -name '*.pbf' | wc -l)
    ((gdal_tiles > 0)) || die "GDAL wrote no tile (see $run_dir/gdal.log)"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$run" "$(awk '{ print $1 }' "$run_dir/ca_cold.$run" | mean)" \
        "$(mean <"$run_dir/ca_warm.$run")" "$(mean <"$run_dir/pg_times.$run")" \
        "$(awk -v a="$start" -v b="$end" -v n="$gdal_tiles" 'BEGIN { printf "%.3f\n", (b - a) / n }')" \
        "$gdal_tiles" "$(awk '{ print $4 / 1000 }' "$run_dir/ca_cold.$run" | mean)" \
        "$(awk -v a="$ca_cpu0" -v b="$ca_cpu1" -v hz="$ticks_per_second" -v n="${#tiles[@]}" 'BEGIN { printf "%.4f", (b - a) / hz / n }')" \
        "$(awk -v hz="$ticks_per_second" -v n="${#tiles[@]}" 'NR == 1 { a = $1 } NR == 2 { printf "%.4f", ($1 - a) / hz / n }' "$run_dir/pg_cpu.$run")" \
        >>"$out/runs.tsv"
done

ca_http=$(cut -f2 "$out/runs.tsv" | median)
ca=$(cut -f7 "$out/runs.tsv" | median)
ca_dropped=$(awk '{ s += $5 } END { print s + 0 }' "$run_dir/ca_cold.1")
ca_warm=$(cut -f3 "$out/runs.tsv" | median)
pg=$(cut -f4 "$out/runs.tsv" | median)
gd=$(cut -f5 "$out/runs.tsv" | median)
ca_cpu=$(cut -f8 "$out/runs.tsv" | median)
pg_cpu=$(cut -f9 "$out/runs.tsv" | median)
ca_bytes=$(awk '{ print $2 }' "$run_dir/ca_cold.1" | mean)
pg_bytes=$(mean <"$run_dir/pg_sizes.1")
gd_bytes=$(find "$run_dir/gdal/$z" -name '*.pbf' -printf '%s\n' | mean)
{
    echo "z$z tiles around the old city: ${#tiles[@]} (points: $points, polygons: $polygons), $runs runs"
    printf '%-34s %12s %12s\n' "per tile" "ms" "mean bytes"
    printf '%-34s %12.1f %12.0f\n' "cityatlas (made, Server-Timing)" "$(awk -v v="$ca" 'BEGIN { print v * 1000 }')" "$ca_bytes"
    printf '%-34s %12.1f\n' "cityatlas (over HTTP, curl)" "$(awk -v v="$ca_http" 'BEGIN { print v * 1000 }')"
    printf '%-34s %12.1f\n' "cityatlas (tile cache)" "$(awk -v v="$ca_warm" 'BEGIN { print v * 1000 }')"
    printf '%-34s %12.1f %12.0f\n' "PostGIS ST_AsMVT (SQL only)" "$(awk -v v="$pg" 'BEGIN { print v * 1000 }')" "$pg_bytes"
    printf '%-34s %12.1f %12.0f\n' "GDAL MVT writer" "$(awk -v v="$gd" 'BEGIN { print v * 1000 }')" "$gd_bytes"
    printf '%-34s %12.1f\n' "cityatlas CPU (whole process)" "$(awk -v v="$ca_cpu" 'BEGIN { print v * 1000 }')"
    printf '%-34s %12.1f\n' "PostGIS CPU (its backend)" "$(awk -v v="$pg_cpu" 'BEGIN { print v * 1000 }')"
    ratio=$(awk -v a="$pg" -v b="$ca" 'BEGIN { printf "%.2f", a / b }')
    cpu_ratio=$(awk -v a="$pg_cpu" -v b="$ca_cpu" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }')
    printf 'ratio PostGIS / cityatlas, time to make a tile: %sx (goal >= 2x: %s)\n' "$ratio" \
        "$(awk -v r="$ratio" 'BEGIN { print (r >= 2) ? "met" : "NOT met" }')"
    printf 'ratio PostGIS / cityatlas, CPU per tile: %sx (goal >= 2x: %s)\n' "$cpu_ratio" \
        "$(awk -v r="$cpu_ratio" 'BEGIN { print (r >= 2) ? "met" : "NOT met" }')"
    printf 'ratio PostGIS / cityatlas over HTTP: %sx\n' "$(awk -v a="$pg" -v b="$ca_http" 'BEGIN { printf "%.2f", a / b }')"
    printf 'ratio GDAL / cityatlas: %sx\n' "$(awk -v a="$gd" -v b="$ca" 'BEGIN { printf "%.2f", a / b }')"
    echo "cityatlas left out $ca_dropped features over the ${#tiles[@]} tiles to stay under 500 kB each (X-Features-Dropped)"
} | tee "$out/summary.txt"
