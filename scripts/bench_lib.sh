# bench_lib.sh - what the benchmark scripts share; sourced after each sets BENCH_NAME
# (the prefix of its messages) and, for table_of, defines sql (its own sqlite3 wrapper) and db.
# shellcheck shell=bash

die() {
    echo "$BENCH_NAME: $*" >&2
    exit 1
}

note() {
    echo "$BENCH_NAME: $*" >&2
}

need_arg() { # OPTION VALUE...: VALUE must be there and be a non-negative integer
    (($# >= 2)) || die "option $1 needs a value"
    [[ $2 =~ ^[0-9]+$ ]] || die "option $1 wants a non-negative integer, got '$2'"
}

table_of() { # LAYER-ID: the table cityatlas imported it into
    local t
    t=$(sql "SELECT table_name FROM cityatlas_layers WHERE id='$1'") || die "cannot read cityatlas_layers in $db"
    [[ $t =~ ^[A-Za-z0-9_]+$ ]] || die "layer '$1' has no usable table in $db (got '$t')"
    echo "$t"
}

# --- servers: what bench_serve.sh and bench_render.sh both start ---
# These expect from the caller: python (a python3), run_dir (configs, pid files and logs),
# cityatlas (the binary), mapserv_cgi and ms_workers (for start_mapserv).

stop_pids() { # TENTHS PID...: ask processes of ours to stop, KILL what is left after TENTHS/10 s
    local tenths=$1 pid alive i
    shift
    for pid; do [[ -z $pid ]] || kill -TERM "$pid" 2>/dev/null || true; done
    for ((i = 0; i <= tenths; i++)); do
        alive=()
        for pid; do [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null && alive+=("$pid"); done
        ((${#alive[@]})) || return 0
        ((i == tenths)) || sleep 0.1
    done
    kill -KILL "${alive[@]}" 2>/dev/null || true
}

free_ports() { # N: N distinct free TCP ports on 127.0.0.1
    "$python" -c '
import socket, sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))' "$1"
}

fill_template() { # TEMPLATE OUT NAME=VALUE...: TEMPLATE with each NAME between at signs replaced
    local in=$1 out=$2 kv text
    text=$(<"$in")
    shift 2
    for kv; do text=${text//@${kv%%=*}@/${kv#*=}}; done
    [[ $text != *@[A-Z_]*@* ]] || die "$in: a field was left unfilled"
    printf '%s\n' "$text" >"$out"
}

start_cityatlas() { # LOG SERVE-ARG...: `cityatlas serve` on a free 127.0.0.1 port; sets started_pid, started_url
    local log=$1 i
    shift
    : >"$log" # exists before the first sed below, whenever the child gets to open it
    "$cityatlas" serve --bind 127.0.0.1 --port 0 --quiet "$@" >"$log" 2>&1 &
    started_pid=$! started_url=''
    for ((i = 0; i < 600; i++)); do
        started_url=$(sed -n 's|.*listening on \(http://127\.0\.0\.1:[0-9][0-9]*\)/.*|\1|p' "$log" | head -n 1)
        [[ -n $started_url ]] && return 0
        kill -0 "$started_pid" 2>/dev/null || { tail -n 20 "$log" >&2; die "cityatlas serve exited while starting"; }
        sleep 0.1
    done
    die "cityatlas serve printed no 'listening on' line within 60 s (see $log)"
}

# start_fcgi NAME HTTP-PORT FCGI-PORT WORKERS [ENV=VALUE...] -- PROGRAM: PROGRAM as WORKERS
# FastCGI processes under spawn-fcgi (with those variables in their environment) behind a
# private nginx (scripts/bench_serve/nginx.conf.in, gzip at level 1) answering
# http://127.0.0.1:HTTP-PORT/NAME/... with PATH_INFO=/...; its files go to run_dir/NAME.
# Sets fcgi_pids and fcgi_nginx_pid.
start_fcgi() {
    local name=$1 http_port=$2 fcgi_port=$3 workers=$4 user_line='' i dir templates envs=()
    shift 4
    while (($#)) && [[ $1 != -- ]]; do envs+=("$1"); shift; done
    (($# >= 2)) || die "start_fcgi $name: no program after --"
    shift
    dir=$run_dir/$name
    templates=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/bench_serve
    # a root master would hand the workers to "nobody", who cannot write run_dir
    [[ $(id -u) -ne 0 ]] || user_line="user root root;"
    mkdir -p "$dir/nginx-tmp"
    fill_template "$templates/nginx.conf.in" "$dir/nginx.conf" "RUN_DIR=$dir" "PREFIX=$name" \
        "HTTP_PORT=$http_port" "FCGI_PORT=$fcgi_port" "USER_LINE=$user_line"
    env "${envs[@]}" spawn-fcgi -a 127.0.0.1 -p "$fcgi_port" -F "$workers" -P "$dir/spawn-fcgi.pid" \
        -- "$@" >"$dir/spawn-fcgi.log" 2>&1 || { cat "$dir/spawn-fcgi.log" >&2; die "spawn-fcgi $name failed"; }
    mapfile -t fcgi_pids <"$dir/spawn-fcgi.pid"
    ((${#fcgi_pids[@]} == workers)) || die "spawn-fcgi started ${#fcgi_pids[@]} $name workers, expected $workers"
    nginx -p "$dir" -e "$dir/nginx-error.log" -c "$dir/nginx.conf" >"$dir/nginx.log" 2>&1 &
    fcgi_nginx_pid=$!
    for ((i = 0; i < 100; i++)); do
        curl -s -o /dev/null "http://127.0.0.1:$http_port/" && return 0
        kill -0 "$fcgi_nginx_pid" 2>/dev/null || { cat "$dir/nginx-error.log" >&2; die "nginx exited while starting"; }
        sleep 0.1
    done
    die "nginx did not answer on port $http_port within 10 s"
}

# start_mapserv HTTP-PORT FCGI-PORT MAPS-LINES: Debian's mapserv as ms_workers FastCGI
# workers (start_fcgi) on http://127.0.0.1:HTTP-PORT/mapserv/<alias>/...; MAPS-LINES are the
# `"alias" "path"` lines of the MAPS block of MAPSERVER_CONFIG_FILE. Sets ms_pids and nginx_pid.
start_mapserv() {
    local templates
    templates=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/bench_serve
    mkdir -p "$run_dir/mapserv"
    fill_template "$templates/mapserver.conf.in" "$run_dir/mapserv/mapserver.conf" \
        "RUN_DIR=$run_dir/mapserv" "MAPS=$3"
    start_fcgi mapserv "$1" "$2" "$ms_workers" "MAPSERVER_CONFIG_FILE=$run_dir/mapserv/mapserver.conf" \
        -- "$mapserv_cgi"
    ms_pids=("${fcgi_pids[@]}")
    nginx_pid=$fcgi_nginx_pid
}

# --- load: wrk's report, and waiting for a server to go idle after it ---

parse_wrk() { # FILE: "req_s p50_ms p99_ms requests timeouts non2xx" (NA: no latency)
    awk '
        function ms(v) {
            if (v ~ /us$/) return v / 1000
            if (v ~ /ms$/) return v + 0
            if (v ~ /s$/) return v * 1000
            if (v ~ /m$/) return v * 60000
            if (v ~ /h$/) return v * 3600000
            return -1
        }
        /^ +50%/ { p50 = ms($2) }
        /^ +99%/ { p99 = ms($2) }
        / requests in / { n = $1 }
        /Socket errors:/ { to = $NF }
        /Non-2xx or 3xx responses:/ { bad = $NF }
        /^Requests\/sec:/ { rps = $2 }
        END {
            if (rps == "" || n == "") exit 1
            if (n - to <= 0) { p50 = "NA"; p99 = "NA" }
            printf "%s %s %s %d %d %d\n", rps, p50, p99, n, to, bad
        }' "$1"
}

cpu_ticks() { # PID...: user+system clock ticks used so far by these processes
    local pid stat sum=0 f
    for pid; do
        stat=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
        read -ra f <<<"${stat##*) }"
        sum=$((sum + f[11] + f[12]))
    done
    echo "$sum"
}

wait_idle() { # PID...: until they use under 4 % of a core for a full second (at most idle_cap s)
    local t0=$SECONDS quiet=0 a b cap=${idle_cap:-300}
    a=$(cpu_ticks "$@")
    while ((quiet < 2)); do
        sleep 0.5
        b=$(cpu_ticks "$@")
        if ((b - a <= 2)); then quiet=$((quiet + 1)); else quiet=0; fi
        a=$b
        if ((SECONDS - t0 > cap)); then
            note "WARNING: processes $* still busy after ${cap} s; going on"
            return 0
        fi
    done
    (((SECONDS - t0) < 5)) || note "  waited $((SECONDS - t0)) s for idle workers"
}

# wrk_warm_measure OUT PIDS BUILD ARG...: `BUILD SECONDS ARG...` sets the array cmd to a wrk
# command line for that many seconds. Runs it for $warmup s (output OUT.warmup), waits until
# the server processes PIDS (one word, space-separated) are idle, runs it for $duration s
# into OUT, and waits until they are idle again, so the next run starts on a quiet server.
# Sets measured_ticks: the clock ticks (1/$(getconf CLK_TCK) s) PIDS used from the measured
# run's start until idle again, which the machine's other load inflates far less than it
# does latency (processes PIDS fork later, such as new PostgreSQL backends, are not counted).
wrk_warm_measure() {
    local out=$1 pids=$2 build=$3 before
    shift 3
    "$build" "$warmup" "$@"
    "${cmd[@]}" >"$out.warmup" 2>&1 || die "wrk warm-up failed: $(tail -n 3 "$out.warmup")"
    # shellcheck disable=SC2086 # one PID a word
    wait_idle $pids
    "$build" "$duration" "$@"
    # shellcheck disable=SC2086
    before=$(cpu_ticks $pids)
    "${cmd[@]}" >"$out" 2>&1 || die "wrk failed: ${cmd[*]}: $(tail -n 3 "$out")"
    # shellcheck disable=SC2086
    wait_idle $pids
    # shellcheck disable=SC2086
    measured_ticks=$(($(cpu_ticks $pids) - before))
}

# --- data: seeded synthetic layers imported by the binary under test, cached ---

# bench_dataset N-POINTS N-DISTRICTS: N seeded points (scripts/gen_synthetic.py) and
# N synthetic districts tiling their box, imported by $cityatlas as the layers `points`
# and `districts` of one database in $data_dir, made only when missing (keyed by count,
# $seed, the generator's and the binary's hashes; stale ones are removed). Expects
# python, seed, data_dir and cityatlas; writes import.log to run_dir. Sets db.
bench_dataset() {
    local n_points=$1 n_districts=$2 generator gen_hash bin_hash points_json districts_json layer
    generator=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/gen_synthetic.py
    gen_hash=$(sha256sum "$generator" | cut -c1-10)
    bin_hash=$(sha256sum "$cityatlas" | cut -c1-10)
    points_json=$(bench_generate "$generator" "$gen_hash" points "$n_points")
    districts_json=$(bench_generate "$generator" "$gen_hash" districts "$n_districts")
    db=$data_dir/city-n$n_points-s$seed-g$gen_hash-b$bin_hash.sqlite
    [[ ! -f $db.ok ]] || return 0
    # databases of the same data from another generator or binary are stale
    rm -f "$data_dir/city-n$n_points-s$seed"-*.sqlite*
    note "importing into $(basename "$db") (not timed)"
    for layer in "points:$points_json" "districts:$districts_json"; do
        if ! "$cityatlas" import --db "$db" --id "${layer%%:*}" "${layer#*:}" >>"$run_dir/import.log" 2>&1; then
            tail -n 20 "$run_dir/import.log" >&2
            die "cityatlas import of ${layer#*:} failed"
        fi
    done
    touch "$db.ok"
}

bench_generate() { # GENERATOR HASH KIND COUNT: the path of KIND.geojson, generated when missing
    local dir stale
    dir=$data_dir/$3-n$4-s$seed-g$2
    for stale in "$data_dir/$3"-n*-s*-g*; do
        if [[ -d $stale && $stale != *-g"$2" ]]; then rm -rf -- "$stale"; fi
    done
    mkdir -p "$dir"
    if [[ ! -s $dir/$3.geojson ]]; then
        "$python" "$1" "$3" --count "$4" --seed "$seed" -o "$dir/$3.geojson" >&2 ||
            die "gen_synthetic.py $3 failed"
    fi
    echo "$dir/$3.geojson"
}

# --- PostgreSQL: a private cluster for a PostGIS peer ---

# pg_start DIR: a throw-away PostgreSQL 15 cluster in DIR (a fresh temporary folder), run as
# the unprivileged user nobody when the script runs as root (PostgreSQL refuses root),
# listening only on a unix socket in DIR; durability off, JIT off, 1 GB of shared buffers.
# Sets pg_conn (a libpq connection string) and psql_cmd; pg_stop stops it (call it from the
# caller's EXIT trap).
pg_start() {
    local bin=/usr/lib/postgresql/15/bin
    pg_dir=$1
    as_unprivileged() { if [[ $(id -u) -eq 0 ]]; then runuser -u nobody -- "$@"; else "$@"; fi; }
    chmod 755 "$pg_dir"
    [[ $(id -u) -ne 0 ]] || chown nobody "$pg_dir"
    as_unprivileged "$bin/initdb" -D "$pg_dir/data" -U bench --auth=trust -E UTF8 --no-sync \
        >"$pg_dir/initdb.log" 2>&1 || die "initdb failed: $(tail -n 5 "$pg_dir/initdb.log")"
    as_unprivileged "$bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 120 \
        -o "-k $pg_dir -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=1GB -c jit=off -c max_connections=200" \
        start >/dev/null || die "PostgreSQL did not start: $(tail -n 5 "$pg_dir/server.log")"
    pg_started=1
    pg_conn="host=$pg_dir user=bench dbname=postgres"
    psql_cmd=(psql -X -q -v ON_ERROR_STOP=1 "$pg_conn")
}

pg_stop() {
    if ((${pg_started:-0})); then
        as_unprivileged /usr/lib/postgresql/15/bin/pg_ctl -D "$pg_dir/data" -m fast -w stop >/dev/null 2>&1 || true
        pg_started=0
    fi
}

# COMMAND: settles the binary under test, in the caller's $cityatlas: given (--cityatlas,
# CITYATLAS), else $build_dir/src/cityatlas, built there (Release) first when $build is 1.
# Exits 2, before any slow work, when it is missing or has no COMMAND; makes it absolute.
resolve_cityatlas() {
    local command=$1
    if [[ -z $cityatlas ]]; then
        cityatlas=$build_dir/src/cityatlas
        if ((build)); then
            note "building $cityatlas (Release)"
            # configured every time: the source lists take files once they exist
            timeout 600 cmake -S "$repo_root" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release >&2 ||
                { note "cmake configure of $build_dir failed"; exit 2; }
            timeout 1800 cmake --build "$build_dir" -j 2 --target cityatlas >&2 ||
                { note "the build in $build_dir failed"; exit 2; }
        fi
    fi
    if [[ ! -f $cityatlas || ! -x $cityatlas ]]; then
        note "cityatlas binary not found or not executable: $cityatlas"
        note "(pass --cityatlas PATH, set CITYATLAS=PATH, or drop --no-build)"
        exit 2
    fi
    cityatlas=$(cd "$(dirname "$cityatlas")" && pwd)/$(basename "$cityatlas")
    if ! timeout 10 "$cityatlas" "$command" --help >/dev/null 2>&1; then
        note "$cityatlas has no '$command' command (cityatlas $command --help failed)"
        exit 2
    fi
}
