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

# start_mapserv HTTP-PORT FCGI-PORT MAPS-LINES: Debian's mapserv as ms_workers FastCGI
# workers under spawn-fcgi behind a private nginx (scripts/bench_serve/*.conf.in) on
# http://127.0.0.1:HTTP-PORT/mapserv/<alias>/...; MAPS-LINES are the `"alias" "path"`
# lines of the MAPS block of MAPSERVER_CONFIG_FILE. Sets ms_pids and nginx_pid.
start_mapserv() {
    local http_port=$1 fcgi_port=$2 maps=$3 user_line='' i
    local templates
    templates=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/bench_serve
    # a root master would hand the workers to "nobody", who cannot write run_dir
    [[ $(id -u) -ne 0 ]] || user_line="user root root;"
    mkdir -p "$run_dir/nginx-tmp"
    fill_template "$templates/mapserver.conf.in" "$run_dir/mapserver.conf" "RUN_DIR=$run_dir" "MAPS=$maps"
    fill_template "$templates/nginx.conf.in" "$run_dir/nginx.conf" "RUN_DIR=$run_dir" \
        "HTTP_PORT=$http_port" "FCGI_PORT=$fcgi_port" "USER_LINE=$user_line"
    MAPSERVER_CONFIG_FILE=$run_dir/mapserver.conf spawn-fcgi -a 127.0.0.1 -p "$fcgi_port" \
        -F "$ms_workers" -P "$run_dir/spawn-fcgi.pid" -- "$mapserv_cgi" >"$run_dir/spawn-fcgi.log" 2>&1 ||
        { cat "$run_dir/spawn-fcgi.log" >&2; die "spawn-fcgi failed"; }
    mapfile -t ms_pids <"$run_dir/spawn-fcgi.pid"
    ((${#ms_pids[@]} == ms_workers)) || die "spawn-fcgi started ${#ms_pids[@]} workers, expected $ms_workers"
    nginx -p "$run_dir" -e "$run_dir/nginx-error.log" -c "$run_dir/nginx.conf" >"$run_dir/nginx.log" 2>&1 &
    nginx_pid=$!
    for ((i = 0; i < 100; i++)); do
        curl -s -o /dev/null "http://127.0.0.1:$http_port/" && return 0
        kill -0 "$nginx_pid" 2>/dev/null || { cat "$run_dir/nginx-error.log" >&2; die "nginx exited while starting"; }
        sleep 0.1
    done
    die "nginx did not answer on port $http_port within 10 s"
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
