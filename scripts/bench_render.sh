#!/usr/bin/env bash
# bench_render.sh - how fast cityatlas draws maps (issue 6): an A3 300 dpi PDF poster, a
# 1200x630 share image and map PNGs of a bundled scenario, beside MapServer 8's WMS GetMap
# of the same layers at the same pixel size and extent, in one run, on 127.0.0.1.
#
#   scripts/bench_render.sh [--runs N] [--scenario ID] [--large] [--points N]
#                           [--polygons N] [--seed S] [--sources "sqlite gpkg"]
#                           [--out DIR] [--cityatlas PATH | --no-build]
#
# Defaults: 5 runs, scenario khai-muan-khai-man (POIs, landmarks, the 12,581 road
# segments, the walls and its sketches: the heaviest bundled one), MapServer reading both
# sources, DIR=bench-out/render under the repository root (git-ignored). The binary is
# PATH, else $CITYATLAS, else build/release/src/cityatlas, configured and built first
# (cmake Release, -j2) unless --no-build is given.
#
# 1. A fresh database in DIR/run/: datasets/catalog.json imported with `cityatlas
#    import --catalog`, datasets/scenarios.json with `cityatlas scenarios import`.
#    Not timed.
# 2. cityatlas: `cityatlas serve` on it; each case is one GET timed by curl's
#    time_total, and the PDF poster also as `cityatlas export ID --format pdf --paper A3
#    -o FILE` (wall time of the process, which opens the database and loads the styles):
#      poster  /scenarios/ID/map.pdf?paper=A3 (A3 landscape, 1191x842 pt; a PDF is
#              vector, so the server and the CLI refuse a dpi for it)
#      poster_png  /scenarios/ID/map.png?paper=A3&dpi=300 (4961x3508 pixels)
#      share   /scenarios/ID/share.png?size=1200x630
#      map     /scenarios/ID/map.png?width=1024&height=1024, and 4961x3508 (A3 at 300 dpi):
#              the sheet (title, legend, statistics... around a map filling part of it),
#              and with layout=map the map alone over the whole image, as GetMap draws it
#    Every answer is checked before timing: HTTP 200, the PDF's page size (pdfinfo), the
#    PNG's size from its header. Each request carries its own Accept q-value so that the
#    server's response cache (which keeps share images) never answers: every one renders.
# 3. MapServer: scripts/bench_render/mapfile.py writes a mapfile per pixel size from the
#    scenario's layers, filters and style overrides and styles/*.json evaluated at the
#    zoom cityatlas draws that size at (labels included); WMS 1.1.1 GetMap in EPSG:3857
#    (the projection cityatlas draws in) of the scenario's extent fitted into the image as
#    cityatlas fits it, 24-bit PNG with unfiltered rows at zlib level 1, as cityatlas
#    writes them (src/render/render_png.c; MapServer never filters PNG rows, and its
#    COMPRESSION option is set to the same level); mapserv as 2 FastCGI workers under
#    spawn-fcgi behind nginx (scripts/bench_lib.sh start_mapserv, the set-up of
#    bench_serve.sh). Two sources,
#    both read through OGR with CLOSE_CONNECTION=DEFER:
#      sqlite  the cityatlas database itself (the tables named in cityatlas_layers);
#      gpkg    the same tables copied once with ogr2ogr into a GeoPackage (not timed).
#    Each GetMap answer must be an image/png of the requested size and not blank.
# 4. --large: N points and M polygons (default 1,000,000 and 200,000, seeded,
#    scripts/gen_synthetic.py) imported as the layers `points` and `polygons` with a
#    scenario over the whole Chiang Mai box (scripts/bench_render/large_scenarios.json,
#    styles in scripts/bench_render/styles/, served with --styles); map.png 1024x1024
#    (sheet and layout=map) beside GetMap 1024x1024. Data, database and GeoPackage are
#    cached in DIR/data/ (keyed by counts, seed, generator and binary); the first run
#    imports for minutes.
# 5. Each case: two warm-up requests per contender, then N runs, contenders in turn;
#    prints case | pixels | cityatlas ms | MapServer ms per source | ratio (cityatlas /
#    the faster MapServer) | ms per megapixel | goal | met? from the medians; writes
#    DIR/summary.txt, the raw DIR/runs.tsv, and responses, mapfiles and logs in DIR/run/.
#
# Goals (the issue): the A3 300 dpi poster under 3 s, the share image under 300 ms, and
# at least 2x MapServer's speed per pixel on the same layers (ratio <= 0.5).
#
# Exit status: 0 when the benchmark ran (goals met or not: it is a report), 1 on an
# error or a wrong answer, 2 when the binary is missing or cannot be built, or when it
# has no map endpoints or no `export` command (MapServer is then still measured and
# reported). Installs missing tools with scripts/install_bench_deps.sh (apt-get);
# otherwise touches only DIR, build/release and 127.0.0.1.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
python=/usr/bin/python3
helpers=$repo_root/scripts/bench_render
generator=$repo_root/scripts/gen_synthetic.py
mapserv_cgi=/usr/lib/cgi-bin/mapserv
ms_workers=2

runs=5
scenario=khai-muan-khai-man
large=0
n_points=1000000
n_polygons=200000
seed=42
sources="sqlite gpkg"
out_dir=$repo_root/bench-out/render
cityatlas=${CITYATLAS:-}
build=1
build_dir=$repo_root/build/release
large_id=bench-large
# zlib level of MapServer's PNGs: cityatlas's (render_png.c), so both compress alike
png_level=1
req_timeout=300

usage() {
    sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
}

BENCH_NAME=bench_render
# shellcheck source=scripts/bench_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/bench_lib.sh"

while (($#)); do
    case $1 in
        --runs) need_arg "$@"; runs=$2; shift 2 ;;
        --scenario) (($# >= 2)) || die "option --scenario needs a value"; scenario=$2; shift 2 ;;
        --large) large=1; shift ;;
        --points) need_arg "$@"; n_points=$2; shift 2 ;;
        --polygons) need_arg "$@"; n_polygons=$2; shift 2 ;;
        --seed) need_arg "$@"; seed=$2; shift 2 ;;
        --sources) (($# >= 2)) || die "option --sources needs a value"; sources=$2; shift 2 ;;
        --out) (($# >= 2)) || die "option --out needs a value"; out_dir=$2; shift 2 ;;
        --cityatlas) (($# >= 2)) || die "option --cityatlas needs a value"; cityatlas=$2; shift 2 ;;
        --no-build) build=0; shift ;;
        -h | --help) usage; exit 0 ;;
        *) die "unknown argument '$1' (see --help)" ;;
    esac
done
# strip leading zeros so bash arithmetic does not read them as octal
runs=$((10#$runs)) n_points=$((10#$n_points)) n_polygons=$((10#$n_polygons)) seed=$((10#$seed))
((runs >= 1)) || die "--runs must be >= 1"
((n_points >= 1 && n_polygons >= 1)) || die "--points and --polygons must be >= 1"
[[ $scenario =~ ^[a-z0-9-]+$ ]] || die "--scenario wants a scenario id, got '$scenario'"
read -ra source_list <<<"$sources"
((${#source_list[@]})) || die "--sources needs at least one of sqlite, gpkg"
for s in "${source_list[@]}"; do
    [[ $s == sqlite || $s == gpkg ]] || die "--sources: unknown source '$s' (sqlite, gpkg)"
done

# --- tools (before the build: cmake and the compiler come with the build deps) ---
bash "$repo_root/scripts/install_bench_deps.sh" >&2 || die "scripts/install_bench_deps.sh failed"
for tool in curl spawn-fcgi nginx ogr2ogr sqlite3 sha256sum timeout cmake fc-match pdfinfo; do
    command -v "$tool" >/dev/null || die "'$tool' not found (run scripts/install_deps.sh and scripts/install_bench_deps.sh)"
done
[[ -x $mapserv_cgi ]] || die "$mapserv_cgi not found (Debian package cgi-mapserver)"
[[ -x $python ]] || die "$python not found (run scripts/install_deps.sh)"
# MapServer's labels: Noto Sans, its Thai glyphs from Noto Sans Thai (fonts-noto-core)
font_latin=$(fc-match 'Noto Sans' --format '%{file}')
font_thai=$(fc-match 'Noto Sans Thai' --format '%{file}')
[[ -f $font_latin && -f $font_thai ]] || die "no Noto Sans / Noto Sans Thai for MapServer's labels (fc-match gave '$font_latin', '$font_thai')"

# --- the binary under test ---
resolve_cityatlas scenarios
have_export=1
timeout 10 "$cityatlas" export --help >/dev/null 2>&1 || have_export=0
export CITYATLAS_LOG=warning

mkdir -p "$out_dir"
out_dir=$(cd "$out_dir" && pwd)
data_dir=$out_dir/data
run_dir=$out_dir/run
raw=$out_dir/runs.tsv
mkdir -p "$data_dir"
rm -rf -- "$run_dir"
mkdir -p "$run_dir/responses"

# --- processes we start, stopped on exit whatever happens ---
ca_pid='' large_pid='' nginx_pid='' ms_pids=()
cleanup() {
    stop_pids 50 "$ca_pid" "$large_pid" "$nginx_pid"
    # mapserv (libfcgi) only acts on SIGTERM once its accept() returns
    stop_pids 5 "${ms_pids[@]}"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# --- the bundled data, fresh ---
db=$run_dir/bundled.sqlite
note "importing datasets/catalog.json and datasets/scenarios.json (not timed)"
timeout 600 "$cityatlas" import --quiet --db "$db" --catalog "$repo_root/datasets/catalog.json" \
    >"$run_dir/import.log" 2>&1 || { tail -n 20 "$run_dir/import.log" >&2; die "cityatlas import --catalog failed"; }
timeout 600 "$cityatlas" scenarios import --db "$db" "$repo_root/datasets/scenarios.json" \
    >>"$run_dir/import.log" 2>&1 || { tail -n 20 "$run_dir/import.log" >&2; die "cityatlas scenarios import failed"; }
sql() { timeout 60 sqlite3 -batch -bail "$db" "$@"; }
[[ $(sql "SELECT count(*) FROM cityatlas_scenarios WHERE id='$scenario'") == 1 ]] ||
    die "no scenario '$scenario' in datasets/scenarios.json"

# scenario_tables FILE ID: the tables of the scenario's layers and of its sketches
scenario_tables() {
    local lid
    for lid in $("$python" -c '
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
s = next(s for s in doc["scenarios"] if s["id"] == sys.argv[2])
print(" ".join([l["collection"] for l in s["layers"]] + ["scenario-%s-sketches" % s["id"]]))' "$1" "$2"); do
        if [[ $(sql "SELECT count(*) FROM cityatlas_layers WHERE id='$lid'") == 1 ]]; then table_of "$lid"; fi
    done
}

to_gpkg() { # DB GPKG TABLE...: the tables copied into a GeoPackage (spatial index included)
    local from=$1 to=$2
    shift 2
    rm -f "$to"
    timeout 1800 ogr2ogr -f GPKG "$to" "$from" "$@" -gt 65536 >>"$run_dir/ogr2ogr.log" 2>&1 ||
        { tail -n 20 "$run_dir/ogr2ogr.log" >&2; die "ogr2ogr -f GPKG $to failed"; }
}

mapfile -t bundled_tables < <(scenario_tables "$repo_root/datasets/scenarios.json" "$scenario")
bundled_gpkg=$run_dir/bundled.gpkg
[[ " ${source_list[*]} " != *" gpkg "* ]] || to_gpkg "$db" "$bundled_gpkg" "${bundled_tables[@]}"

# --- the large synthetic data (cached) ---
if ((large)); then
    gen_hash=$(sha256sum "$generator" | cut -c1-10)
    bin_hash=$(sha256sum "$cityatlas" | cut -c1-10)
    set_hash=$(cat "$helpers/large_scenarios.json" "$helpers"/styles/*.json | sha256sum | cut -c1-10)
    generate() { # KIND COUNT: the path of KIND.geojson with COUNT features, generated when missing
        local kind=$1 count=$2 dir
        dir=$data_dir/$kind-n$count-s$seed-g$gen_hash
        mkdir -p "$dir"
        if [[ ! -s $dir/$kind.geojson ]]; then
            note "generating $count $kind (seed $seed)"
            timeout 3600 "$python" "$generator" "$kind" --count "$count" --seed "$seed" \
                -o "$dir/$kind.geojson" >&2 || die "gen_synthetic.py $kind failed"
        fi
        echo "$dir/$kind.geojson"
    }
    points_json=$(generate points "$n_points")
    polygons_json=$(generate polygons "$n_polygons")
    large_db=$data_dir/large-p$n_points-q$n_polygons-s$seed-g$gen_hash-b$bin_hash-d$set_hash.sqlite
    if [[ ! -f $large_db.ok ]]; then
        rm -f "$data_dir"/large-*.sqlite* "$data_dir"/large-*.gpkg
        note "importing $n_points points and $n_polygons polygons into $(basename "$large_db") (not timed)"
        for layer in "points:$points_json" "polygons:$polygons_json"; do
            timeout 3600 "$cityatlas" import --quiet --db "$large_db" --id "${layer%%:*}" "${layer#*:}" \
                >>"$run_dir/import.log" 2>&1 || { tail -n 20 "$run_dir/import.log" >&2; die "import of ${layer#*:} failed"; }
        done
        timeout 600 "$cityatlas" scenarios import --db "$large_db" "$helpers/large_scenarios.json" \
            >>"$run_dir/import.log" 2>&1 || { tail -n 20 "$run_dir/import.log" >&2; die "scenarios import of the large scenario failed"; }
        if [[ " ${source_list[*]} " == *" gpkg "* ]]; then
            note "copying the large tables into a GeoPackage (not timed)"
            large_tables=$(db=$large_db scenario_tables "$helpers/large_scenarios.json" "$large_id")
            # shellcheck disable=SC2086
            to_gpkg "$large_db" "${large_db%.sqlite}.gpkg" $large_tables
        fi
        touch "$large_db.ok"
    fi
    large_gpkg=${large_db%.sqlite}.gpkg
    cat "$large_db" >/dev/null # so that no server pays for a cold page cache
fi

# --- cases ---
# id | what cityatlas is asked | width height of the peer's GetMap (0: no peer of its own)
extent_of() { # SCENARIOS-FILE ID: the scenario's extent "min_lon min_lat max_lon max_lat"
    "$python" -c '
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
print(*next(s for s in doc["scenarios"] if s["id"] == sys.argv[2])["extent"])' "$1" "$2"
}

view_of() { # W H MIN_LON MIN_LAT MAX_LON MAX_LAT: "zoom minx miny maxx maxy" in EPSG:3857
    # the extent fitted into W x H keeping its aspect, centred, as render_frame_fit does
    "$python" -c '
import math, sys
w, h, x0, y0, x1, y1 = map(float, sys.argv[1:])
R = 6378137.0
mx = lambda lon: R * math.radians(lon)
my = lambda lat: R * math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
ax, ay, bx, by = mx(x0), my(y0), mx(x1), my(y1)
scale = min(w / (bx - ax), h / (by - ay))
cx, cy = (ax + bx) / 2, (ay + by) / 2
zoom = math.log2(2 * math.pi * R / 256 * scale)
print("%.4f %.3f %.3f %.3f %.3f" % (zoom, cx - w / 2 / scale, cy - h / 2 / scale,
                                  cx + w / 2 / scale, cy + h / 2 / scale))' "$@"
}

cases=(poster cli poster_png share map1024 map1024_map map_a3px map_a3px_map)
((large)) && cases+=(large1024 large1024_map)
declare -A ca_path=(
    [poster]="/scenarios/$scenario/map.pdf?paper=A3"
    [poster_png]="/scenarios/$scenario/map.png?paper=A3&dpi=300"
    [share]="/scenarios/$scenario/share.png?size=1200x630"
    [map1024]="/scenarios/$scenario/map.png?width=1024&height=1024"
    [map1024_map]="/scenarios/$scenario/map.png?width=1024&height=1024&layout=map"
    [map_a3px]="/scenarios/$scenario/map.png?width=4961&height=3508"
    [map_a3px_map]="/scenarios/$scenario/map.png?width=4961&height=3508&layout=map"
    [large1024]="/scenarios/$large_id/map.png?width=1024&height=1024"
    [large1024_map]="/scenarios/$large_id/map.png?width=1024&height=1024&layout=map"
)
# the pixels each case stands for (the poster: A3 landscape at 300 dpi)
declare -A size=([poster]="4961 3508" [cli]="4961 3508" [poster_png]="4961 3508" [share]="1200 630" [map1024]="1024 1024"
    [map1024_map]="1024 1024" [map_a3px]="4961 3508" [map_a3px_map]="4961 3508" [large1024]="1024 1024"
    [large1024_map]="1024 1024")
declare -A label=(
    [poster]="A3 PDF poster, GET map.pdf"
    [cli]="A3 PDF poster, cityatlas export"
    [poster_png]="A3 300 dpi PNG poster, GET map.png"
    [share]="share PNG 1200x630"
    [map1024]="sheet PNG 1024x1024"
    [map1024_map]="map alone PNG 1024x1024 (layout=map)"
    [map_a3px]="sheet PNG 4961x3508 (A3 at 300 dpi)"
    [map_a3px_map]="map alone PNG 4961x3508 (layout=map)"
    [large1024]="$n_points points + $n_polygons polygons, sheet PNG 1024x1024"
    [large1024_map]="$n_points points + $n_polygons polygons, map alone PNG 1024x1024"
)
# the peer's GetMap that each case is compared with
declare -A peer_of=([poster]=map_a3px [cli]=map_a3px [poster_png]=map_a3px [share]=share [map1024]=map1024
    [map1024_map]=map1024 [map_a3px]=map_a3px [map_a3px_map]=map_a3px [large1024]=large1024
    [large1024_map]=large1024)
peer_cases=(share map1024 map_a3px)
((large)) && peer_cases+=(large1024)

# --- MapServer ---
read -r -a bundled_extent <<<"$(extent_of "$repo_root/datasets/scenarios.json" "$scenario")"
((large)) && read -r -a large_extent <<<"$(extent_of "$helpers/large_scenarios.json" "$large_id")"
declare -A ms_query
maps_lines=''
for c in "${peer_cases[@]}"; do
    read -r w h <<<"${size[$c]}"
    if [[ $c == large1024 ]]; then
        view=$(view_of "$w" "$h" "${large_extent[@]}")
        from_db=$large_db from_gpkg=$large_gpkg scn_file=$helpers/large_scenarios.json scn_id=$large_id
        styles=$helpers/styles
    else
        view=$(view_of "$w" "$h" "${bundled_extent[@]}")
        from_db=$db from_gpkg=$bundled_gpkg scn_file=$repo_root/datasets/scenarios.json scn_id=$scenario
        styles=$repo_root/styles
    fi
    read -r zoom bx0 by0 bx1 by1 <<<"$view"
    ms_query[$c]="SERVICE=WMS&VERSION=1.1.1&REQUEST=GetMap&LAYERS=map&STYLES=&SRS=EPSG:3857&BBOX=$bx0,$by0,$bx1,$by1&WIDTH=$w&HEIGHT=$h&FORMAT=image/png"
    for s in "${source_list[@]}"; do
        data=$from_db
        [[ $s == gpkg ]] && data=$from_gpkg
        "$python" "$helpers/mapfile.py" --compression "$png_level" --db "$from_db" --scenarios "$scn_file" --id "$scn_id" \
            --styles "$styles" --zoom "$zoom" --source "$s" --data "$data" \
            --font-latin "$font_latin" --font-thai "$font_thai" \
            -o "$run_dir/$c-$s.map" || die "mapfile.py failed for $c ($s)"
        maps_lines+="    \"$c-$s\" \"$run_dir/$c-$s.map\""$'\n'
    done
    note "$c: ${w}x$h at zoom $zoom, EPSG:3857 box $bx0,$by0,$bx1,$by1"
done
ports=$(free_ports 2)
read -r http_port fcgi_port <<<"$ports"
start_mapserv "$http_port" "$fcgi_port" "${maps_lines%$'\n'}"
ms_base=http://127.0.0.1:$http_port/mapserv/
note "MapServer: $ms_workers mapserv workers (pids ${ms_pids[*]}) behind nginx (pid $nginx_pid)"

# --- cityatlas ---
start_cityatlas "$run_dir/cityatlas.log" --db "$db"
ca_pid=$started_pid ca_url=$started_url
note "cityatlas serve (pid $ca_pid) at $ca_url/"
if ((large)); then
    start_cityatlas "$run_dir/cityatlas-large.log" --db "$large_db" --styles "$helpers/styles"
    large_pid=$started_pid large_url=$started_url
    note "cityatlas serve for the large case (pid $large_pid) at $large_url/"
fi

# --- checks and timing ---
png_size() { # FILE: "width height" from the PNG header, or nothing when it is no PNG
    "$python" -c '
import struct, sys
d = open(sys.argv[1], "rb").read(24)
if d[:8] == b"\x89PNG\r\n\x1a\n" and d[12:16] == b"IHDR":
    print(*struct.unpack(">II", d[16:24]))' "$1"
}

check_answer() { # CASE CONTENDER FILE: the file is what CASE asks for, or exit 1
    local c=$1 who=$2 file=$3 got w h bytes
    if [[ $c == poster || $c == cli ]]; then
        got=$(pdfinfo "$file" 2>/dev/null | sed -n 's/^Page size: *\([0-9.]*\) x \([0-9.]*\) pts.*/\1 \2/p')
        read -r w h <<<"$got"
        # A3 landscape: 420 x 297 mm = 1190.55 x 841.89 pt
        [[ ${w%.*} == 1190 && ${h%.*} == 841 ]] || die "$who: $c is not an A3 landscape PDF (pdfinfo page size '$got'; see $file)"
        return 0
    fi
    got=$(png_size "$file")
    [[ $got == "${size[$c]}" ]] || die "$who: $c is not a ${size[$c]/ /x} PNG (got '${got:-no PNG}': $(head -c 300 "$file" | tr -c '[:print:]' ' '))"
    bytes=$(stat -c %s "$file")
    # a blank 1024x1024 RGB PNG deflates to a few kB; every map here draws much more
    ((bytes > 10000)) || die "$who: $c is a PNG of only $bytes bytes: a blank map? ($file)"
}

contenders_of() { # CASE: who draws it
    case $1 in
        poster | cli | poster_png | *_map) echo cityatlas ;;
        *) echo cityatlas "${source_list[@]/#/mapserver-}" ;;
    esac
}

url_of() { # CASE CONTENDER
    case $2 in
        cityatlas) if [[ $1 == large1024* ]]; then echo "$large_url${ca_path[$1]}"; else echo "$ca_url${ca_path[$1]}"; fi ;;
        mapserver-*) echo "$ms_base?map=$1-${2#mapserver-}&${ms_query[$1]}" ;;
    esac
}

elapsed() { # T0 T1 (EPOCHREALTIME values): seconds between them
    awk -v a="$1" -v b="$2" 'BEGIN { printf "%.6f\n", b - a }'
}

time_one() { # CASE CONTENDER RUN: one request (or export) timed; RUN 0 is a warm-up, checked
    local c=$1 who=$2 r=$3 out res code secs t0 t1 ext=png
    [[ $c == poster || $c == cli ]] && ext=pdf
    out=$run_dir/responses/$c-$who.$ext
    if [[ $c == cli ]]; then
        t0=$EPOCHREALTIME
        timeout "$req_timeout" "$cityatlas" export "$scenario" --db "$db" --format pdf --paper A3 \
            -o "$out" >"$run_dir/export.log" 2>&1 ||
            { tail -n 5 "$run_dir/export.log" >&2; die "cityatlas export $scenario --format pdf failed"; }
        t1=$EPOCHREALTIME
        secs=$(elapsed "$t0" "$t1")
    else
        # The server's response cache keys on Accept (share images are cached): a new
        # q-value each time makes every request a render, as MapServer's are
        req_seq=$((req_seq + 1))
        res=$(curl -sS -o "$out" -w '%{http_code} %{time_total}' --max-time "$req_timeout" \
            -H "Accept: image/png, */*;q=0.$(printf %03d $((req_seq % 1000)))" "$(url_of "$c" "$who")") ||
            die "$who: GET for $c failed"
        read -r code secs <<<"$res"
        [[ $code == 200 ]] || die "$who: $c answered HTTP $code: $(head -c 300 "$out" | tr -c '[:print:]' ' ')"
    fi
    if ((r == 0)); then
        check_answer "$c" "$who" "$out"
        return 0
    fi
    printf '%s\t%s\t%d\t%s\t%s\n' "$c" "$who" "$r" "$secs" "$(stat -c %s "$out")" >>"$raw"
    printf '  run %d %-10s %-17s %8.1f ms\n' "$r" "$c" "$who" "$(awk -v s="$secs" 'BEGIN { print s * 1000 }')" >&2
}

# Does this build draw scenario maps? An unknown scenario answers 404 either way: ask a
# real one, and take 404 (no route) as "not yet".
have_maps=1
probe=$(curl -sS -o "$run_dir/responses/probe" -w '%{http_code}' --max-time "$req_timeout" \
    "$ca_url${ca_path[map1024]}") || die "GET ${ca_path[map1024]} failed"
if [[ $probe == 404 ]]; then
    have_maps=0
    note "this build's server has no /scenarios/{id}/map.png (404): measuring MapServer alone"
fi
((have_export)) || note "this build has no 'cityatlas export': the poster through the CLI is not measured"

req_seq=0
printf 'case\tcontender\trun\tseconds\tbytes\n' >"$raw"
timed=()
for c in "${cases[@]}"; do
    for who in $(contenders_of "$c"); do
        if [[ $who == cityatlas ]]; then
            if [[ $c == cli ]]; then ((have_export)) || continue; else ((have_maps)) || continue; fi
        fi
        timed+=("$c:$who")
    done
done
note "warm-up and checks: two requests each"
for t in "${timed[@]}"; do
    time_one "${t%%:*}" "${t#*:}" 0
    time_one "${t%%:*}" "${t#*:}" 0
done
note "$runs run(s); in each, every case by every contender in turn"
for ((r = 1; r <= runs; r++)); do
    for t in "${timed[@]}"; do time_one "${t%%:*}" "${t#*:}" "$r"; done
done

# --- report ---
{
    echo "bench_render: $(nproc) cores, scenario $scenario, $runs run(s) after 2 warm-ups, medians"
    echo "cityatlas: $cityatlas ($(git -C "$repo_root" describe --always --dirty 2>/dev/null || echo '?')), serve with default threads"
    echo "MapServer: $(mapserv -v | cut -d' ' -f1-3), WMS 1.1.1 GetMap in EPSG:3857, AGG 24-bit PNG unfiltered zlib $png_level as cityatlas's," \
        "$ms_workers FastCGI workers (spawn-fcgi) behind $(nginx -v 2>&1 | sed 's/.*: //'); sources: ${source_list[*]}"
} >"$out_dir/summary.txt"

cases_arg=()
for c in "${cases[@]}"; do cases_arg+=("$c=${size[$c]// /x}=${peer_of[$c]}=${label[$c]}"); done
"$python" - "$raw" "$have_maps" "$have_export" "${source_list[*]}" "${cases_arg[@]}" <<'PY' >>"$out_dir/summary.txt"
import csv, statistics, sys

raw, have_maps, have_export, sources = sys.argv[1], sys.argv[2] == "1", sys.argv[3] == "1", sys.argv[4].split()
cases = [a.split("=", 3) for a in sys.argv[5:]]
vals = {}
with open(raw, newline="") as f:
    for row in csv.DictReader(f, delimiter="\t"):
        vals.setdefault((row["case"], row["contender"]), []).append(float(row["seconds"]) * 1000)


def med(c, who):
    v = vals.get((c, who))
    return statistics.median(v) if v else None


GOAL_MS = {"poster": 3000, "cli": 3000, "poster_png": 3000, "share": 300}
head = ["case", "pixels", "cityatlas ms"] + ["MapServer %s ms" % s for s in sources] + [
    "ratio", "cityatlas ms/MP", "MapServer ms/MP", "goal", "met?"]
lines = []
for c, px, peer, label in cases:
    w, h = map(int, px.split("x"))
    mp = w * h / 1e6
    ours = med(c, "cityatlas")
    peers = [med(peer, "mapserver-" + s) for s in sources]
    known = [p for p in peers if p is not None]
    best = min(known) if known else None
    ratio = "-" if ours is None or best is None else "%.2f" % (ours / best)
    goals, why = [], []
    if c in GOAL_MS:
        goals.append("< %d ms" % GOAL_MS[c])
        if ours is not None and ours >= GOAL_MS[c]:
            why.append("time")
    if c not in ("poster", "cli", "poster_png"):
        goals.append("ratio <= 0.5")
        if ours is not None and best is not None and ours / best > 0.5:
            why.append("ratio")
    met = "-" if ours is None else ("yes" if not why else "NO (%s)" % ", ".join(why))
    lines.append([label, "%dx%d" % (w, h), "-" if ours is None else "%.0f" % ours]
                 + ["-" if p is None else "%.0f" % p for p in peers]
                 + [ratio, "-" if ours is None else "%.1f" % (ours / mp),
                    "-" if best is None else "%.1f" % (best / mp), ", ".join(goals), met])
widths = [max(len(str(l[i])) for l in lines + [head]) for i in range(len(head))]
for l in [head] + lines:
    print("  ".join(str(x).ljust(wd) for x, wd in zip(l, widths)).rstrip())
print("ratio: cityatlas ms / the faster MapServer source's ms at the same pixel size (the posters "
      "beside MapServer's 4961x3508 PNG, the PDF's A3 at 300 dpi); <= 0.5 is at least 2x MapServer "
      "per pixel")
print("ms/MP: milliseconds per megapixel drawn; cityatlas's posters and share images also draw "
      "their title, legend, scale bar, statistics, sources and QR code")
if not have_maps:
    print("this build's server has no scenario map endpoints: cityatlas not measured")
if not have_export:
    print("this build has no 'cityatlas export': the CLI poster not measured")
PY
echo >&2
cat "$out_dir/summary.txt"
note "raw runs: $raw; responses, mapfiles and logs: $run_dir/"
if ((!have_maps || !have_export)); then exit 2; fi
