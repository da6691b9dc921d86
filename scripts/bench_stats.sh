#!/usr/bin/env bash
# bench_stats.sh - counting 1,000,000 points by the polygons of the 25 districts and of
# the 204 subdistricts (tambon) of Chiang Mai, and by 928 synthetic districts (as many as
# Thailand has): cityatlas's statistics (`/stats` cold and
# cached, `cityatlas stats`) beside the same counts in plain SpatiaLite SQL through the
# R*Tree, in one run, on 127.0.0.1.
#
#   scripts/bench_stats.sh [--points N] [--runs R] [--requests M] [--duration S]
#                          [--seed S] [--out DIR] [--cityatlas PATH | --no-build]
#
# Defaults: 1000000 points, 3 runs, 200 cached requests, 5 s of wrk, seed 42,
# DIR=bench-out/stats under the repository root (git-ignored). The binary is
# PATH, else $CITYATLAS, else build/release/src/cityatlas, which is configured
# and built first (cmake Release, -j2) unless --no-build is given. Exit 2 when
# the binary cannot be built or has no `stats` command.
#
# 1. Data, cached in DIR/data/ (keyed by count, seed, a hash of the generator,
#    of datasets/ and of the binary): the bundled datasets imported with
#    `cityatlas import --catalog datasets/catalog.json` (the real districts
#    `cm-districts` and tambon `cm-tambon`), N seeded points from
#    scripts/gen_synthetic.py (60 % uniform over the Chiang Mai box, 40 %
#    around the old city) imported with `--id points`, and its 928 seeded
#    districts tiling that box (`--id districts`), into one SpatiaLite file.
#    Not timed.
# 2. R runs; in each, for each query (points by cm-districts, cm-tambon, districts):
#    - SQL: a fresh sqlite3 with mod_spatialite runs
#        SELECT b.fid, count(*) FROM BOUNDARIES b JOIN POINTS p ON p.ROWID IN
#          (SELECT ROWID FROM SpatialIndex WHERE f_table_name = 'POINTS'
#           AND search_frame = b.geom) AND ST_Intersects(b.geom, p.geom)
#        GROUP BY b.fid
#      timed by its own `.timer` (the query alone: no process start, no
#      extension load), wall and CPU (user + system) time;
#    - CLI: `cityatlas stats --layer points --by ID --format csv`, wall time of
#      the process;
#    - cold: a freshly started `cityatlas serve --port 0` (its result cache is
#      in memory, so empty) answers GET /stats?layer=points&by=ID, timed by
#      curl's time_total; the response's "seconds" (the engine's own time) is
#      recorded too, and the server's CPU time during the request (from
#      /proc/PID/stat); its X-Stats-Cache header must say miss.
#    Every answer's per-area counts must equal the SQL's (areas without points
#    left out of the comparison: the SQL's join has no row for them), cityatlas
#    must answer one row for every area (an empty one with n 0), and its total
#    plus its unassigned points must be N: exit 1 on any difference.
# 3. Cached: on one more server, after a first request, M sequential requests of
#    the same URL on one keep-alive connection (curl, time_total of each), and
#    `wrk -t1 -c1 -dS --latency` when wrk is installed; p50 in ms. Each curl
#    request must say X-Stats-Cache: hit.
# 4. Prints query | SpatiaLite SQL s (CPU s) | cityatlas cold s (engine s, CPU s) |
#    ratio cold/SQL | ratio CPU | CLI s | cached p50 ms | met? from the medians of the
#    R runs; writes
#    DIR/summary.txt, the raw DIR/runs.tsv, and responses and logs in DIR/run/.
#
# Goals (issue 20, point 4): cold at most 0.5x the SpatiaLite SQL's time, cached under 1 ms.
# The cold goal is judged on CPU times: on a shared machine wall times vary 3x from run to
# run with the other processes' load; both ratios are printed.
#
# Exit status: 0 when the benchmark ran (goals met or not: it is a report), 1 on
# an error or a count mismatch, 2 when the binary is missing or lacks `stats`,
# or when its server has no /stats route (then SQL and CLI are still measured
# and reported). Installs missing tools through scripts/install_deps.sh
# (apt-get); otherwise touches only DIR, build/release and 127.0.0.1.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
python=/usr/bin/python3
generator=$repo_root/scripts/gen_synthetic.py
catalog=$repo_root/datasets/catalog.json

n_points=1000000
runs=3
requests=200
duration=5
seed=42
out_dir=$repo_root/bench-out/stats
cityatlas=${CITYATLAS:-}
build=1
goal_ratio=0.5
goal_cached_ms=1
build_dir=$repo_root/build/release
queries=(cm-districts cm-tambon districts)

usage() {
    sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
}

BENCH_NAME=bench_stats
# shellcheck source=scripts/bench_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/bench_lib.sh"

while (($#)); do
    case $1 in
        --points) need_arg "$@"; n_points=$2; shift 2 ;;
        --runs) need_arg "$@"; runs=$2; shift 2 ;;
        --requests) need_arg "$@"; requests=$2; shift 2 ;;
        --duration) need_arg "$@"; duration=$2; shift 2 ;;
        --seed) need_arg "$@"; seed=$2; shift 2 ;;
        --out) (($# >= 2)) || die "option --out needs a value"; out_dir=$2; shift 2 ;;
        --cityatlas) (($# >= 2)) || die "option --cityatlas needs a value"; cityatlas=$2; shift 2 ;;
        --no-build) build=0; shift ;;
        -h | --help) usage; exit 0 ;;
        *) die "unknown argument '$1' (see --help)" ;;
    esac
done
# strip leading zeros so bash arithmetic does not read them as octal
n_points=$((10#$n_points)) runs=$((10#$runs)) requests=$((10#$requests))
duration=$((10#$duration)) seed=$((10#$seed))
((n_points >= 1)) || die "--points must be >= 1"
((runs >= 1)) || die "--runs must be >= 1"
((requests >= 1)) || die "--requests must be >= 1"
((duration >= 1)) || die "--duration must be >= 1"

# --- tools (before the build: cmake and the compiler come with the build deps) ---
bash "$repo_root/scripts/install_deps.sh" >&2 || die "scripts/install_deps.sh failed"
bash "$repo_root/scripts/install_deps.sh" sqlite3 libsqlite3-mod-spatialite curl wrk python3 >&2 ||
    die "scripts/install_deps.sh sqlite3 libsqlite3-mod-spatialite curl wrk python3 failed"
for tool in sqlite3 curl sha256sum timeout cmake; do
    command -v "$tool" >/dev/null || die "'$tool' not found (run scripts/install_deps.sh)"
done
[[ -x $python ]] || die "$python not found (run scripts/install_deps.sh)"
have_wrk=0
command -v wrk >/dev/null && have_wrk=1

# --- the binary under test ---
resolve_cityatlas stats
# the info lines (registry generation, ...) would only mix into the timings' output
export CITYATLAS_LOG=warning

mkdir -p "$out_dir"
out_dir=$(cd "$out_dir" && pwd)
data_dir=$out_dir/data
run_dir=$out_dir/run
raw=$out_dir/runs.tsv
mkdir -p "$data_dir"
rm -rf -- "$run_dir"
mkdir -p "$run_dir/responses"

# --- servers we start, stopped on exit whatever happens ---
server_pid=''

stop_server() { # stops server_pid (TERM, then KILL after 5 s)
    local i
    [[ -n $server_pid ]] || return 0
    kill -TERM "$server_pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=''
}
trap stop_server EXIT
trap 'exit 1' INT TERM

# --- data (cached) ---
gen_hash=$(sha256sum "$generator" | cut -c1-10)
bin_hash=$(sha256sum "$cityatlas" | cut -c1-10)
# every bundled file and the catalog: the boundaries and what the catalog imports
set_hash=$(cd "$repo_root" && find datasets -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-10)

points_dir=$data_dir/points-n$n_points-s$seed-g$gen_hash
for stale in "$data_dir"/points-n*-s*-g*; do
    if [[ -d $stale && $stale != *-g"$gen_hash" ]]; then rm -rf -- "$stale"; fi
done
points_json=$points_dir/points.geojson
districts_json=$points_dir/districts.geojson
if [[ ! -s $points_json ]]; then
    mkdir -p "$points_dir"
    note "generating $n_points points (seed $seed)"
    timeout 3600 "$python" "$generator" points --count "$n_points" --seed "$seed" -o "$points_json" >&2 ||
        die "gen_synthetic.py points failed"
fi
if [[ ! -s $districts_json ]]; then
    timeout 600 "$python" "$generator" districts --count 928 --seed "$seed" -o "$districts_json" >&2 ||
        die "gen_synthetic.py districts failed"
fi

db=$data_dir/stats-n$n_points-s$seed-g$gen_hash-d$set_hash-b$bin_hash.sqlite
if [[ ! -f $db.ok ]]; then
    # databases of the same points from another generator, data set or binary are stale
    rm -f "$data_dir/stats-n$n_points-s$seed"-*.sqlite*
    note "importing the catalog and the points into $(basename "$db") (not timed)"
    if ! timeout 600 "$cityatlas" import --quiet --db "$db" --catalog "$catalog" >"$run_dir/import.log" 2>&1; then
        tail -n 20 "$run_dir/import.log" >&2
        die "cityatlas import --catalog $catalog failed"
    fi
    if ! timeout 1800 "$cityatlas" import --quiet --db "$db" --id points "$points_json" >>"$run_dir/import.log" 2>&1; then
        tail -n 20 "$run_dir/import.log" >&2
        die "cityatlas import of $points_json failed"
    fi
    if ! timeout 600 "$cityatlas" import --quiet --db "$db" --id districts --theme boundaries \
        "$districts_json" >>"$run_dir/import.log" 2>&1; then
        tail -n 20 "$run_dir/import.log" >&2
        die "cityatlas import of $districts_json failed"
    fi
    touch "$db.ok"
fi

sql() { timeout 600 sqlite3 -batch -bail "$db" "$@"; }

declare -A table
for layer in points "${queries[@]}"; do table[$layer]=$(table_of "$layer"); done
n=$(sql "SELECT count(*) FROM ${table[points]}")
[[ $n == "$n_points" ]] || die "${table[points]} holds $n rows, expected $n_points"
declare -A n_areas
for q in "${queries[@]}"; do n_areas[$q]=$(sql "SELECT count(*) FROM ${table[$q]}"); done
note "points: ${table[points]} ($n_points rows); $(for q in "${queries[@]}"; do printf '%s: %s areas; ' "$q" "${n_areas[$q]}"; done)"
cat "$db" >/dev/null # so that no contender pays for a cold page cache

# --- the contenders ---
printf 'query\tcontender\trun\tseconds\n' >"$raw"

record() { # QUERY CONTENDER RUN SECONDS
    printf '%s\t%s\t%d\t%s\n' "$@" >>"$raw"
}

# counts_of FORMAT FILE [N_AREAS]: "fid count" per area with points, by fid; for
# cityatlas (csv, json) checks that every one of the N_AREAS areas is a row (an empty one
# with n 0) and that its total and unassigned points add up to n_points
counts_of() {
    "$python" - "$1" "$2" "$n_points" "${3:-0}" <<'PY'
import csv, json, sys

fmt, path, n_points, n_areas = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
counts, total, unassigned = {}, None, None
if fmt == "sql":
    with open(path) as f:
        for line in f:
            fid, n = line.strip().split("|")
            counts[int(fid)] = int(n)
elif fmt == "csv":
    # utf-8-sig: the CSV starts with a byte order mark (for spreadsheets), which would
    # otherwise stick to the first column's name
    with open(path, newline="", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            if row["area_id"] == "total":
                total = int(row["n"])
            else:
                counts[int(row["area_id"])] = int(row["n"])
else:
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    counts = {int(r["area_id"]): int(r["n"]) for r in doc["rows"]}
    total, unassigned = int(doc["total"]["n"]), int(doc["unassigned"])
if fmt != "sql":
    if len(counts) != n_areas:
        sys.exit("%s: %d area rows, expected one for each of the %d areas" % (path, len(counts), n_areas))
    if total is None or total != sum(counts.values()):
        sys.exit("%s: the total row (%s) is not the sum of the areas (%d)" % (path, total, sum(counts.values())))
    if unassigned is not None and total + unassigned != n_points:
        sys.exit("%s: %d counted + %d unassigned points, expected %d" % (path, total, unassigned, n_points))
for fid in sorted(counts):
    if counts[fid]:
        print(fid, counts[fid])
PY
}

check_counts() { # WHAT FORMAT FILE QUERY: WHAT's counts equal the SQL's, or exit 1
    local what=$1 fmt=$2 file=$3 q=$4 got
    got=$run_dir/responses/$q-$what.counts
    counts_of "$fmt" "$file" "${n_areas[$q]}" >"$got" || die "MISMATCH: cannot read $what's counts from $file"
    if ! cmp -s "$got" "$run_dir/responses/$q-sql.counts"; then
        diff "$run_dir/responses/$q-sql.counts" "$got" | head -n 20 >&2 || true
        die "MISMATCH: $what counts points by $q differently from SpatiaLite SQL (above: < SQL, > $what)"
    fi
}

elapsed() { # T0 T1 (EPOCHREALTIME values): seconds between them
    awk -v a="$1" -v b="$2" 'BEGIN { printf "%.6f\n", b - a }'
}

run_sql() { # QUERY RUN
    local q=$1 r=$2 out=$run_dir/responses/$1-sql.txt t secs cpu
    t=${table[$q]}
    printf '%s\n' '.load mod_spatialite' '.timer on' \
        "SELECT b.fid, count(*) FROM $t b JOIN ${table[points]} p ON p.ROWID IN (SELECT ROWID FROM SpatialIndex WHERE f_table_name = '${table[points]}' AND search_frame = b.geom) AND ST_Intersects(b.geom, p.geom) GROUP BY b.fid;" |
        timeout 600 sqlite3 -batch -bail "$db" >"$out.all" 2>&1 ||
        { tail -n 5 "$out.all" >&2; die "sqlite3 failed on the query by $q"; }
    grep -v '^Run Time:' "$out.all" >"$out" || true
    secs=$(sed -n 's/^Run Time: real \([0-9.]*\) .*/\1/p' "$out.all" | tail -n 1)
    [[ $secs =~ ^[0-9.]+$ ]] || die "no '.timer' line in sqlite3's output ($out.all)"
    cpu=$(awk '/^Run Time:/ { c = $6 + $8 } END { printf "%.6f\n", c }' "$out.all")
    if ((r == 1)); then
        counts_of sql "$out" >"$run_dir/responses/$q-sql.counts" || die "cannot read the SQL counts in $out"
    elif ! counts_of sql "$out" | cmp -s - "$run_dir/responses/$q-sql.counts"; then
        die "SQL counts by $q differ between runs"
    fi
    record "$q" sql "$r" "$secs"
    record "$q" sql_cpu "$r" "$cpu"
    printf '  run %d %-13s SpatiaLite SQL  %8.3f s  (CPU %.3f s)\n' "$r" "$q" "$secs" "$cpu" >&2
}

run_cli() { # QUERY RUN
    local q=$1 r=$2 out=$run_dir/responses/$1-cli.csv t0 t1 secs
    t0=$EPOCHREALTIME
    timeout 600 "$cityatlas" stats --db "$db" --layer points --by "$q" --format csv >"$out" 2>"$out.err" ||
        { tail -n 5 "$out.err" >&2; die "cityatlas stats --layer points --by $q failed"; }
    t1=$EPOCHREALTIME
    secs=$(elapsed "$t0" "$t1")
    check_counts cli csv "$out" "$q"
    record "$q" cli "$r" "$secs"
    printf '  run %d %-13s cityatlas stats %8.3f s\n' "$r" "$q" "$secs" >&2
}

# The CPU time a process has used (user + system, in clock ticks): on a loaded machine
# wall times measure the scheduler as much as the work, CPU times measure the work.
clk_tck=$(getconf CLK_TCK)
cpu_ticks() { # PID
    awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"
}

server_url=''
start_server() { # LOG: a fresh `cityatlas serve`; sets server_pid and server_url
    local log=$1 i
    stop_server
    # made here: the child below opens it only once it runs, maybe after the first sed
    : >"$log"
    "$cityatlas" serve --db "$db" --bind 127.0.0.1 --port 0 --quiet >"$log" 2>&1 &
    server_pid=$! server_url=''
    for ((i = 0; i < 600; i++)); do
        server_url=$(sed -n 's|.*listening on \(http://127\.0\.0\.1:[0-9][0-9]*\)/.*|\1|p' "$log" | head -n 1)
        [[ -n $server_url ]] && return 0
        kill -0 "$server_pid" 2>/dev/null || { tail -n 20 "$log" >&2; die "cityatlas serve exited while starting"; }
        sleep 0.1
    done
    die "cityatlas serve printed no 'listening on' line within 60 s (see $log)"
}

stats_path() { echo "/stats?layer=points&by=$1"; }

run_cold() { # QUERY RUN
    local q=$1 r=$2 out=$run_dir/responses/$1-http.json res code secs cache engine cpu0 cpu1
    start_server "$run_dir/serve-cold.log"
    cpu0=$(cpu_ticks "$server_pid")
    res=$(curl -sS -o "$out" -w '%{http_code} %{time_total} %header{x-stats-cache}' --max-time 600 \
        "$server_url$(stats_path "$q")") || die "GET $(stats_path "$q") failed"
    cpu1=$(cpu_ticks "$server_pid")
    stop_server
    read -r code secs cache <<<"$res"
    [[ $code == 200 ]] || die "GET $(stats_path "$q") answered HTTP $code: $(head -c 300 "$out")"
    [[ $cache == miss ]] || die "the first GET $(stats_path "$q") of a fresh server says X-Stats-Cache: '$cache', expected miss"
    check_counts http json "$out" "$q"
    engine=$("$python" -c 'import json, sys; print("%.6f" % json.load(open(sys.argv[1]))["seconds"])' "$out") ||
        die "no \"seconds\" in the response of $(stats_path "$q")"
    record "$q" cold "$r" "$secs"
    record "$q" engine "$r" "$engine"
    record "$q" cold_cpu "$r" "$(awk -v a="$cpu0" -v b="$cpu1" -v hz="$clk_tck" 'BEGIN { printf "%.6f\n", (b - a) / hz }')"
    printf '  run %d %-13s /stats cold     %8.3f s  (engine %.3f s, server CPU %.2f s)\n' "$r" "$q" "$secs" \
        "$engine" "$(awk -v a="$cpu0" -v b="$cpu1" -v hz="$clk_tck" 'BEGIN { print (b - a) / hz }')" >&2
}

# Does this build serve /stats? Without parameters the route answers 400; 404 means
# there is no such route.
have_http=1
start_server "$run_dir/serve-probe.log"
probe=$(curl -sS -o /dev/null -w '%{http_code}' --max-time 60 "$server_url/stats") || die "GET /stats failed"
stop_server
if [[ $probe == 404 ]]; then
    have_http=0
    note "this build's server has no /stats route (GET /stats answered 404): measuring SQL and the CLI only"
fi

note "$runs run(s) of: SpatiaLite SQL, cityatlas stats, /stats on a fresh server; for each query"
for ((r = 1; r <= runs; r++)); do
    for q in "${queries[@]}"; do
        run_sql "$q" "$r"
        run_cli "$q" "$r"
        if ((have_http)); then run_cold "$q" "$r"; fi
    done
done

# --- cached ---
parse_wrk_p50() { # FILE: p50 in ms and the non-2xx count ("NA" without a latency line)
    awk '
        function ms(v) {
            if (v ~ /us$/) return v / 1000
            if (v ~ /ms$/) return v + 0
            if (v ~ /s$/) return v * 1000
            return -1
        }
        /^ +50%/ { p50 = ms($2) }
        /Non-2xx or 3xx responses:/ { bad = $NF }
        END { printf "%s %d\n", (p50 == "" ? "NA" : p50), bad }' "$1"
}

run_cached() { # QUERY
    local q=$1 url i args=() codes med p50 bad
    url=$server_url$(stats_path "$q")
    curl -sS -o /dev/null --max-time 600 "$url" || die "GET $(stats_path "$q") failed"
    for ((i = 0; i < requests; i++)); do args+=(-o /dev/null "$url"); done
    timeout 600 curl -sS --max-time 60 -w '%{http_code} %{time_total} %header{x-stats-cache}\n' "${args[@]}" \
        >"$run_dir/cached-$q.txt" || die "$requests cached requests of $(stats_path "$q") failed"
    codes=$(awk '$1 != 200 || $3 != "hit"' "$run_dir/cached-$q.txt" | wc -l)
    ((codes == 0)) || die "$codes of $requests cached requests of $(stats_path "$q") were not a 200 from the cache (X-Stats-Cache: hit)"
    med=$(awk '{ print $2 * 1000 }' "$run_dir/cached-$q.txt" | sort -g |
        awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
    record "$q" cached_curl 1 "$med"
    printf '  %-13s cached, %d sequential curl requests: p50 %.3f ms\n' "$q" "$requests" "$med" >&2
    if ((have_wrk)); then
        timeout $((duration + 60)) wrk -t1 -c1 "-d${duration}s" --latency "$url" >"$run_dir/wrk-$q.txt" 2>&1 ||
            die "wrk failed: $(tail -n 3 "$run_dir/wrk-$q.txt")"
        read -r p50 bad <<<"$(parse_wrk_p50 "$run_dir/wrk-$q.txt")"
        [[ $p50 != NA ]] || die "cannot parse wrk's output $run_dir/wrk-$q.txt"
        ((bad == 0)) || die "wrk: $bad non-2xx answers to $(stats_path "$q")"
        record "$q" cached_wrk 1 "$p50"
        printf '  %-13s cached, wrk -t1 -c1 -d%ds: p50 %.3f ms\n' "$q" "$duration" "$p50" >&2
    fi
}

if ((have_http)); then
    start_server "$run_dir/serve-cached.log"
    note "cached: $requests sequential requests$( ((have_wrk)) && echo ", then wrk -t1 -c1 -d${duration}s") per query"
    for q in "${queries[@]}"; do run_cached "$q"; done
    stop_server
fi

# --- report ---
{
    echo "bench_stats: $(nproc) cores, $n_points points (seed $seed) counted by polygons, $runs run(s), medians"
    echo "cityatlas: $cityatlas (repository at $(git -C "$repo_root" describe --always --dirty 2>/dev/null || echo '?'))"
    echo "SpatiaLite SQL: sqlite3 $(sqlite3 --version | cut -d' ' -f1) with mod_spatialite" \
        "$(echo "SELECT spatialite_version();" | sqlite3 -batch -cmd '.load mod_spatialite' ':memory:' 2>/dev/null || echo '?'),"\
        "through the SpatialIndex virtual table (the query alone, .timer)"
    agree="SQL and cityatlas stats"
    ((have_http)) && agree="SQL, cityatlas stats and /stats"
    for q in "${queries[@]}"; do
        awk -v q="$q" -v areas="${n_areas[$q]}" -v n="$n_points" -v agree="$agree" \
            '{ s += $2 } END { printf "by %s: %s count the same %d points in %d of %d areas; %d outside every area\n", q, agree, s, NR, areas, n - s }' \
            "$run_dir/responses/$q-sql.counts"
    done
} >"$out_dir/summary.txt"

"$python" - "$raw" "$have_http" "$goal_ratio" "$goal_cached_ms" \
    $(for q in "${queries[@]}"; do echo "$q=${n_areas[$q]}"; done) <<'PY' >>"$out_dir/summary.txt"
import csv, statistics, sys

raw, have_http = sys.argv[1], sys.argv[2] == "1"
goal_ratio, goal_ms = float(sys.argv[3]), float(sys.argv[4])
queries = [a.split("=") for a in sys.argv[5:]]
vals = {}
with open(raw, newline="") as f:
    for row in csv.DictReader(f, delimiter="\t"):
        vals.setdefault((row["query"], row["contender"]), []).append(float(row["seconds"]))


def med(q, c):
    v = vals.get((q, c))
    return statistics.median(v) if v else None


head = ("query", "SpatiaLite SQL s (CPU s)", "cityatlas cold s (engine s, CPU s)", "ratio cold/SQL",
        "ratio CPU", "CLI s", "cached p50 ms", "met?")
lines = []
for q, n in queries:
    sql, cold, engine, cli = med(q, "sql"), med(q, "cold"), med(q, "engine"), med(q, "cli")
    sql_cpu, cold_cpu = med(q, "sql_cpu"), med(q, "cold_cpu")
    cached = med(q, "cached_wrk")
    if cached is None:
        cached = med(q, "cached_curl")
    cold_txt = "-" if cold is None else "%.3f (%.3f, %.2f)" % (cold, engine, cold_cpu)
    ratio = "-" if cold is None else "%.2f" % (cold / sql)
    cpu_ratio = None if cold is None or not sql_cpu else cold_cpu / sql_cpu
    met = "-"
    if cold is not None:
        why = []
        if cpu_ratio is None or cpu_ratio > goal_ratio:
            why.append("cold")
        if cached is None or cached >= goal_ms:
            why.append("cached")
        met = "yes" if not why else "NO (%s)" % ", ".join(why)
    lines.append(("points by %s (%s areas)" % (q, n), "%.3f (%.3f)" % (sql, sql_cpu), cold_txt, ratio,
                  "-" if cpu_ratio is None else "%.2f" % cpu_ratio, "%.3f" % cli,
                  "-" if cached is None else "%.3f" % cached, met))
widths = [max(len(str(l[i])) for l in lines + [head]) for i in range(len(head))]
for l in [head] + lines:
    print("  ".join(str(c).ljust(w) for c, w in zip(l, widths)).rstrip())
print("goals: cold <= %.1fx the SQL's time, cached p50 < %g ms; met? judges the CPU times (user + "
      "system: the query's by sqlite3's .timer, the server's by /proc during the request), which "
      "a loaded machine does not blur as it does wall times" % (goal_ratio, goal_ms))
print("cold: the first request to a fresh server, curl's time_total; engine: the response's "
      "\"seconds\"; CLI: wall time of the process")
for q, _ in queries:
    if med(q, "cached_wrk") is not None:
        print("cached %s: wrk -t1 -c1 p50 %.3f ms; sequential curl on one connection p50 %.3f ms"
              % (q, med(q, "cached_wrk"), med(q, "cached_curl")))
    elif med(q, "cached_curl") is not None:
        print("cached %s: sequential curl on one connection p50 %.3f ms" % (q, med(q, "cached_curl")))
if not have_http:
    print("this build's server has no /stats route: cold and cached not measured")
PY
echo >&2
cat "$out_dir/summary.txt"
note "raw runs: $raw; responses and logs: $run_dir/"
if ((!have_http)); then exit 2; fi
