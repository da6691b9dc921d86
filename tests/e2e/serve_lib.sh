# serve_lib.sh - running `cityatlas serve` and talking to it over HTTP; sourced by the
# serve_*.sh scripts right after lib.sh:
#
#   source "$(dirname "$0")/lib.sh"
#   source "$(dirname "$0")/serve_lib.sh"
#
# Gives:
#   serve_start DB [ARGS...]   runs `$BIN serve --db DB --port 0 --threads 2 ARGS...` in the
#                              background (its pid joins E2E_PIDS), waits (bounded) for the
#                              "listening on http://127.0.0.1:PORT/" line in its log, and sets
#                              SERVE_PID, SERVE_LOG (its stderr), PORT and BASE
#                              (http://127.0.0.1:PORT, no trailing slash)
#   serve_bundled_db DB        the bundled catalog and scenarios in DB (bundled_db of lib.sh)
#   serve_stop [WHAT]          SIGTERM; the server must exit 0 within SERVE_STOP_TIMEOUT
#   serve_alive                true while the server runs (a zombie counts as exited)
#   expect_serve_alive WHAT    fails with the log's tail when the server has died
#   get PATH|URL [CURL_ARGS...] one request with curl (a time limit, 127.0.0.1 only); sets
#                              HTTP_STATUS, HTTP_BODY and HTTP_HEADERS (files), and RUN_* so
#                              that a failed check prints the body (as "stdout") and the
#                              response headers (as "stderr")
#   header NAME                a header of the last response (the last one of that name)
#   body                       the last response's body
#   jqb FILTER [JQ_ARGS...]    jq -r FILTER on the last body
#   expect_status CODE WHAT
#   expect_json_error CODE WHAT  CODE, a JSON content type and an {code, description,
#                              status} body whose status is CODE
# A URL argument must start with $BASE: nothing here talks to another host.
# shellcheck shell=bash disable=SC2034 # the variables set here are read by the scripts

# Seconds the server may take to print its address, and to exit after SIGTERM (it lets
# requests in flight run for up to 10 s first).
SERVE_START_TIMEOUT=${E2E_SERVE_START_TIMEOUT:-60}
SERVE_STOP_TIMEOUT=${E2E_SERVE_STOP_TIMEOUT:-30}
# Seconds one HTTP request may take (ASan builds are 3-5x slower).
SERVE_CURL_MAX_TIME=${E2E_CURL_MAX_TIME:-60}

SERVE_PID=""
SERVE_N=0
GET_N=0

serve_alive() {
    local stat
    [[ -n $SERVE_PID ]] || return 1
    stat=$(cat "/proc/$SERVE_PID/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    [[ ${stat%% *} != Z ]]
}

serve_start() {
    local db=$1
    shift
    [[ -z $SERVE_PID ]] || fail "serve_start: a server (pid $SERVE_PID) is already running"
    SERVE_N=$((SERVE_N + 1))
    SERVE_LOG=$E2E_TMP/serve$SERVE_N.log
    "$BIN" serve --db "$db" --port 0 --threads 2 "$@" >"$E2E_TMP/serve$SERVE_N.out" \
        2>"$SERVE_LOG" &
    SERVE_PID=$!
    E2E_PIDS+=("$SERVE_PID")
    local start=$SECONDS line=""
    while :; do
        line=$(grep -Eo -m1 'listening on http://127\.0\.0\.1:[0-9]+/' "$SERVE_LOG" || true)
        [[ -z $line ]] || break
        if ! serve_alive; then
            local rc=0
            wait "$SERVE_PID" || rc=$?
            SERVE_PID=""
            fail "serve_start: the server exited (code $rc) before listening; its log:"$'\n'"$(head -c 3000 "$SERVE_LOG")"
        fi
        if ((SECONDS - start > SERVE_START_TIMEOUT)); then
            fail "serve_start: no 'listening on' line after $SERVE_START_TIMEOUT s; log:"$'\n'"$(head -c 3000 "$SERVE_LOG")"
        fi
        sleep 0.05
    done
    PORT=${line##*:}
    PORT=${PORT%/}
    BASE=http://127.0.0.1:$PORT
    RUN_CMD=""
    ok
}

expect_serve_alive() {
    if ! serve_alive; then
        local rc=0
        wait "$SERVE_PID" || rc=$?
        fail "$1: the server (pid $SERVE_PID) is gone (exit $rc); the end of its log:"$'\n'"$(tail -c 3000 "$SERVE_LOG")"
    fi
    ok
}

# serve_stop [WHAT]: SIGTERM, then the exit code must be 0 within SERVE_STOP_TIMEOUT.
# Sets SERVE_STOP_SECONDS.
serve_stop() {
    local what=${1:-serve_stop} start=$SECONDS rc=0
    [[ -n $SERVE_PID ]] || fail "$what: no server to stop"
    expect_serve_alive "$what (before SIGTERM)"
    kill -TERM "$SERVE_PID"
    while serve_alive && ((SECONDS - start <= SERVE_STOP_TIMEOUT)); do
        sleep 0.05
    done
    if serve_alive; then
        kill -9 "$SERVE_PID" 2>/dev/null || true
        wait "$SERVE_PID" 2>/dev/null || true
        SERVE_PID=""
        fail "$what: the server did not exit within $SERVE_STOP_TIMEOUT s of SIGTERM"
    fi
    wait "$SERVE_PID" || rc=$?
    SERVE_STOP_SECONDS=$((SECONDS - start))
    local pid=$SERVE_PID
    SERVE_PID=""
    if [[ $rc -ne 0 ]]; then
        fail "$what: the server (pid $pid) exited with $rc after SIGTERM; the end of its log:"$'\n'"$(tail -c 3000 "$SERVE_LOG")"
    fi
    ok
}

# get PATH|URL [CURL_ARGS...]
get() {
    local target=$1 url
    shift
    if [[ $target == http://* || $target == https://* ]]; then
        [[ $target == "$BASE" || $target == "$BASE"/* || $target == "$BASE"\?* ]] ||
            fail "get: $target is not on this server ($BASE)"
        url=$target
    else
        [[ $target == /* ]] || fail "get: '$target' is neither a path nor a URL on $BASE"
        url=$BASE$target
    fi
    GET_N=$((GET_N + 1))
    HTTP_BODY=$E2E_TMP/.http$GET_N.body
    HTTP_HEADERS=$E2E_TMP/.http$GET_N.headers
    : >"$HTTP_BODY"
    : >"$HTTP_HEADERS"
    local curl=(curl -sS --noproxy '*' --max-time "$SERVE_CURL_MAX_TIME" -o "$HTTP_BODY"
        -D "$HTTP_HEADERS" -w '%{http_code}' "$@" "$url")
    RUN_CMD=$(printf '%q ' "${curl[@]}")
    RUN_OUT_FILE=$HTTP_BODY
    RUN_ERR_FILE=$HTTP_HEADERS
    RUN_RC=0
    HTTP_STATUS=$("${curl[@]}" 2>"$E2E_TMP/.http$GET_N.curlerr") || RUN_RC=$?
    if [[ $RUN_RC -ne 0 ]]; then
        fail "get $url: curl failed with exit $RUN_RC: $(cat "$E2E_TMP/.http$GET_N.curlerr")"
    fi
}

# header NAME: the value of the last header called NAME (case-insensitive), without CR.
header() {
    awk -v name="$1" 'BEGIN { name = tolower(name) }
        { sub(/\r$/, "") }
        /^HTTP\// { value = ""; found = 0; next }
        { i = index($0, ":"); if (i > 0 && tolower(substr($0, 1, i - 1)) == name) {
              value = substr($0, i + 1); sub(/^[ \t]+/, "", value); found = 1 } }
        END { if (found) print value }' "$HTTP_HEADERS"
}

body() {
    cat "$HTTP_BODY"
}

jqb() {
    local filter=$1
    shift
    jq -r "$@" "$filter" "$HTTP_BODY" || fail "jq '$filter' failed on the body"
}

expect_status() {
    expect_eq "$HTTP_STATUS" "$1" "$2: HTTP status"
}

expect_json_error() {
    expect_status "$1" "$2"
    expect_match "$(header Content-Type)" '^application/(problem\+)?json' "$2: Content-Type of the error"
    local row
    row=$(jq -r '[(.code | type), (.description | type), (.status | tostring)] | join(" ")' \
        "$HTTP_BODY" 2>/dev/null) || fail "$2: the error body is not JSON"
    expect_eq "$row" "string string $1" "$2: error body (types of code and description, status)"
}

# expect_html_error STATUS WHAT: the last answer is STATUS as an HTML error page (what a
# browser gets for f=html or an Accept preferring HTML), naming the status in its title.
expect_html_error() {
    expect_status "$1" "$2"
    expect_match "$(header Content-Type)" '^text/html' "$2: Content-Type of the error"
    expect_contains "$(body)" "<title>Error $1" "$2: the page names the status"
}

# serve_bundled_db DB: the bundled catalog and scenarios in DB (bundled_db in lib.sh).
serve_bundled_db() {
    bundled_db "$1" scenarios
}

# import_synthetic_points DB ID N SEED: N seeded synthetic points (scripts/gen_synthetic.py)
# imported into DB as the layer ID.
import_synthetic_points() {
    local db=$1 id=$2 n=$3 seed=$4
    run python3 "$REPO/scripts/gen_synthetic.py" points --count "$n" --seed "$seed" -o "synthetic-$id.geojson"
    expect_rc 0 "generating $n points"
    run "$BIN" import --quiet --db "$db" --id "$id" "synthetic-$id.geojson"
    expect_rc 0 "import of $n points as $id"
    rm -f "synthetic-$id.geojson"
}
