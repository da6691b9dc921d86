#!/usr/bin/env bash
# serve_live.sh BINARY - live updates by Server-Sent Events (issue 12), with curl -N on the
# bundled data: GET /scenarios/{id}/events is text/event-stream with a retry: hint; a
# sketch's create, edit and delete arrive as events (id: = the history id, the changes
# feed's JSON) within 2 s; Last-Event-ID and ?after=H resume with exactly the changes feed's
# later entries (no loss, no duplicate); a bad Last-Event-ID is a 400; a moderated sketch
# stays out of the stream until approved; heartbeats keep a quiet stream past the idle
# timeout; the caps (--max-live-per-ip, --max-live) answer 503 JSON with Retry-After and a
# client that hangs up frees its place within 2 s; closing a session ends its streams
# (event "end"; also when the CLI closed it) and a closed session's stream is 410; deleting a scenario ends its streams;
# the server stops promptly with streams open.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/e2e/serve_lib.sh
source "$(dirname "$0")/serve_lib.sh"

DB=$E2E_TMP/city.sqlite
serve_bundled_db "$DB"
A=$(jq -r '.scenarios[0].id' "$REPO/datasets/scenarios.json")
B=$(jq -r '.scenarios[1].id' "$REPO/datasets/scenarios.json")
KIND=$(jq -r '.scenarios[0].sketches.features[0].properties.kind' "$REPO/datasets/scenarios.json")
read -r CX CY < <(jq -r '.scenarios[0].extent | "\((.[0]+.[2])/2) \((.[1]+.[3])/2)"' "$REPO/datasets/scenarios.json")
run "$BIN" token create --db "$DB" --name admin
expect_rc 0 "token create"
ADMIN=$(grep -Eo 'cat_[A-Za-z0-9_-]{43}' <<<"$RUN_OUT" | head -1)
AUTH=(-H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json')
point() { # point NOTE
    printf '{"type":"Feature","geometry":{"type":"Point","coordinates":[%s,%s]},"properties":{"kind":"%s","note":"%s"}}' "$CX" "$CY" "$KIND" "$1"
}

# stream NAME SECONDS ADDRESS PATH [CURL_ARGS...]: opens an event stream in the background
# from the loopback ADDRESS (the caps count per address); its body goes to NAME.out, its
# headers to NAME.hdr, curl's exit code to NAME.rc when it ends.
declare -A STREAM_PID
stream() {
    local name=$1 secs=$2 addr=$3 path=$4
    shift 4
    (
        rc=0
        curl -sN --max-time "$secs" --interface "$addr" -D "$E2E_TMP/$name.hdr" \
            -o "$E2E_TMP/$name.out" "$@" "$BASE$path" &
        echo $! >"$E2E_TMP/$name.pid"
        wait $! || rc=$?
        echo "$rc" >"$E2E_TMP/$name.rc"
    ) &
    E2E_PIDS+=("$!")
    until [[ -s $E2E_TMP/$name.pid ]]; do sleep 0.01; done
    STREAM_PID[$name]=$(cat "$E2E_TMP/$name.pid")
}
# stream_when_free NAME SECONDS ADDRESS PATH: opens a stream as stream does, and while the
# server answers 503 (places just given up are freed within about 1 s) tries again, as an
# EventSource would after Retry-After, for up to 3 s; then waits for the stream's retry: hint.
stream_when_free() {
    local name=$1 start
    start=$(date +%s%3N)
    while :; do
        rm -f "$E2E_TMP/$name.out" "$E2E_TMP/$name.hdr" "$E2E_TMP/$name.pid" "$E2E_TMP/$name.rc"
        stream "$@"
        until grep -Eq '^retry:|ServiceUnavailable' "$E2E_TMP/$name.out" 2>/dev/null; do
            (($(date +%s%3N) - start < 10000)) || break
            sleep 0.05
        done
        grep -q 'ServiceUnavailable' "$E2E_TMP/$name.out" 2>/dev/null || break
        # The refused curl has ended; its exit code must be written before the next try.
        until [[ -s $E2E_TMP/$name.rc ]]; do sleep 0.02; done
        (($(date +%s%3N) - start < 3000)) || fail "$name: places are still taken 3 s after their clients hung up"
        sleep 0.2
    done
    wait_for "$E2E_TMP/$name.out" '^retry:' 10 "$name stream open" >/dev/null
}
# hang_up NAME...: the client goes away (curl killed, its socket closed).
hang_up() {
    for name in "$@"; do
        kill "${STREAM_PID[$name]}" 2>/dev/null || true
    done
}
# wait_for FILE PATTERN SECONDS WHAT: the (extended) pattern appears in FILE in time;
# prints the milliseconds it took.
wait_for() {
    local file=$1 pattern=$2 limit_ms=$(($3 * 1000)) what=$4 start
    start=$(date +%s%3N)
    until grep -Eq -- "$pattern" "$file" 2>/dev/null; do
        if (($(date +%s%3N) - start > limit_ms)); then
            fail "$what: no /$pattern/ in $file after $3 s; it has:"$'\n'"$(tail -c 2000 "$file" 2>/dev/null)"
        fi
        sleep 0.05
    done
    ok
    echo $(($(date +%s%3N) - start))
}
# stream_ended NAME SECONDS WHAT: the stream's curl has exited in time; sets ENDED_RC.
stream_ended() {
    local start=$SECONDS
    while [[ ! -s $E2E_TMP/$1.rc ]]; do
        ((SECONDS - start <= $2)) || fail "$3: the stream $1 is still open after $2 s"
        sleep 0.05
    done
    ENDED_RC=$(cat "$E2E_TMP/$1.rc")
    ok
}
# event_ids FILE: the id: lines of a stream, one a line.
event_ids() {
    sed -n 's/^id: //p' "$1"
}

# A 2 s idle timeout: a heartbeat goes out every 666 ms, and a quiet stream must outlive it.
serve_start "$DB" --idle-timeout 2 --max-live 4 --max-live-per-ip 2

section "refusals"
get "/scenarios/no-such/events"
expect_json_error 404 "unknown scenario"
get "/scenarios/$A/events?after=-1"
expect_json_error 400 "negative after"
get "/scenarios/$A/events?colour=red"
expect_json_error 400 "unknown parameter"
get "/scenarios/$A/events" -H "Last-Event-ID: yesterday"
expect_json_error 400 "bad Last-Event-ID"
expect_contains "$(jqb .description)" "Last-Event-ID" "400 names Last-Event-ID"
get "/scenarios/$A/events?session=999999"
expect_json_error 404 "unknown session"
get "/scenarios/$A/events" -I
expect_status 200 "HEAD"
expect_match "$(header Content-Type)" '^text/event-stream' "HEAD content type"

section "a create, an edit and a delete arrive within 2 s"
get "/scenarios/$A/changes?after=0&limit=500"
START=$(jqb .last)
stream pub 60 127.0.0.1 "/scenarios/$A/events?after=$START"
wait_for "$E2E_TMP/pub.out" '^retry: [0-9]+' 10 "retry hint" >/dev/null
expect_match "$(grep -i '^content-type' "$E2E_TMP/pub.hdr" | tr -d '\r')" 'text/event-stream' "content type"
expect_contains "$(grep -i '^cache-control' "$E2E_TMP/pub.hdr")" "no-store" "not cached"
get "/scenarios/$A/sketches" -X POST "${AUTH[@]}" --data "$(point "live one")"
expect_status 201 "add"
S1=$(jqb .id)
E1=$(header ETag)
ms=$(wait_for "$E2E_TMP/pub.out" "\"action\":\"created\",\"sketch_id\":$S1," 2 "created event")
echo "    created: ${ms} ms"
get "/scenarios/$A/sketches/$S1" -X PUT "${AUTH[@]}" -H "If-Match: $E1" --data "$(point "live one, edited")"
expect_status 200 "edit"
ms=$(wait_for "$E2E_TMP/pub.out" "\"action\":\"updated\",\"sketch_id\":$S1," 2 "updated event")
echo "    updated: ${ms} ms"
expect_contains "$(cat "$E2E_TMP/pub.out")" '"note":"live one, edited"' "the event carries the feature"
get "/scenarios/$A/sketches/$S1" -X DELETE "${AUTH[@]}"
expect_status 204 "delete"
ms=$(wait_for "$E2E_TMP/pub.out" "\"action\":\"deleted\",\"sketch_id\":$S1," 2 "deleted event")
echo "    deleted: ${ms} ms"
# Each event's id is its history id, and the events are the changes feed's entries.
get "/scenarios/$A/changes?after=$START"
expect_eq "$(event_ids "$E2E_TMP/pub.out" | paste -sd,)" "$(jqb '[.changes[].id] | join(",")')" "event ids = the feed's ids"
expect_eq "$(sed -n 's/^data: //p' "$E2E_TMP/pub.out" | jq -sc '.')" "$(jqb -c '.changes')" "event data = the feed's changes"

section "Last-Event-ID and ?after resume without loss or duplicates"
FIRST=$(event_ids "$E2E_TMP/pub.out" | head -1)
stream resume 3 127.0.0.2 "/scenarios/$A/events?after=0" -H "Last-Event-ID: $FIRST"
stream_ended resume 10 "resume stream"
expect_eq "$ENDED_RC" 28 "the stream stays open until curl's --max-time"
expect_eq "$(event_ids "$E2E_TMP/resume.out" | paste -sd,)" "$(event_ids "$E2E_TMP/pub.out" | tail -n +2 | paste -sd,)" "Last-Event-ID: exactly the later events"
stream after 3 127.0.0.2 "/scenarios/$A/events?after=$FIRST"
stream_ended after 10 "?after stream"
expect_eq "$(event_ids "$E2E_TMP/after.out" | paste -sd,)" "$(event_ids "$E2E_TMP/resume.out" | paste -sd,)" "?after= resumes the same"

section "moderation: a pending sketch is absent until approved"
get "/scenarios/$A/sessions" -X POST "${AUTH[@]}" --data '{"mode":"moderated","minutes":30}'
expect_status 201 "moderated session"
MCODE=$(jqb .code)
get "/join/$MCODE" -X POST -H 'Content-Type: application/json' --data '{"name":"Nok"}'
expect_status 201 "join"
P=$(jqb .credential)
get "/scenarios/$A/sketches" -X POST -H "Authorization: Bearer $P" -H 'Content-Type: application/json' --data "$(point "wait for approval")"
expect_status 201 "pending sketch"
S2=$(jqb .id)
sleep 1.5
expect_not_contains "$(cat "$E2E_TMP/pub.out")" "\"sketch_id\":$S2," "pending sketch not streamed"
get "/scenarios/$A/sketches/$S2/approve" -X POST "${AUTH[@]}"
expect_status 200 "approve"
wait_for "$E2E_TMP/pub.out" "\"action\":\"created\",\"sketch_id\":$S2," 2 "approved sketch streamed" >/dev/null

section "heartbeats outlive the idle timeout"
LINES=$(wc -l <"$E2E_TMP/pub.out")
sleep 3
expect_serve_alive "after the quiet"
[[ ! -e $E2E_TMP/pub.rc ]] || fail "the public stream ended during a quiet spell of 3 s (idle timeout 2 s): curl $(cat "$E2E_TMP/pub.rc")"
expect_int -ge "$(tail -n +"$LINES" "$E2E_TMP/pub.out" | grep -c '^: ')" 2 "heartbeat comments while quiet"

section "caps: 503 JSON with Retry-After; a client that hangs up frees its place"
stream cap1 60 127.0.0.3 "/scenarios/$A/events"
stream cap2 60 127.0.0.3 "/scenarios/$A/events"
wait_for "$E2E_TMP/cap1.out" '^retry:' 10 "cap1 open" >/dev/null
wait_for "$E2E_TMP/cap2.out" '^retry:' 10 "cap2 open" >/dev/null
get "/scenarios/$A/events" --interface 127.0.0.3
expect_json_error 503 "past --max-live-per-ip"
expect_int -ge "$(header Retry-After)" 1 "Retry-After"
expect_contains "$(jqb .description)" "from your address" "503 names the per-address cap"
stream cap3 60 127.0.0.4 "/scenarios/$A/events"
wait_for "$E2E_TMP/cap3.out" '^retry:' 10 "cap3 open" >/dev/null
get "/scenarios/$A/events" --interface 127.0.0.5
expect_json_error 503 "past --max-live"
expect_contains "$(jqb .description)" "4 live streams" "503 names the cap"
get "/scenarios/$A/changes?after=0&limit=1"
expect_status 200 "ordinary requests still answered at the cap"
hang_up cap2
start=$(date +%s%3N)
while :; do
    # A stream that opens stays open: curl ends it at --max-time (exit 28).
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 0.5 --interface 127.0.0.3 "$BASE/scenarios/$A/events" || true)
    [[ $code == 503 ]] || break
    (($(date +%s%3N) - start < 2500)) || fail "a hung-up client's place is still taken after 2.5 s"
    sleep 0.2
done
expect_eq "$code" 200 "a new stream takes the freed place"
echo "    place freed after $(($(date +%s%3N) - start)) ms"

section "closing a session ends its streams"
get "/scenarios/$A/sessions" -X POST "${AUTH[@]}" --data '{"mode":"live","minutes":30}'
expect_status 201 "live session"
SID=$(jqb .id)
hang_up cap1 cap3
stream_when_free sess 30 127.0.0.6 "/scenarios/$A/events?session=$SID"
get "/scenarios/$A/sessions/$SID/close" -X POST "${AUTH[@]}"
expect_status 200 "close"
stream_ended sess 5 "session stream after the close"
expect_eq "$ENDED_RC" 0 "the stream ended cleanly"
expect_contains "$(cat "$E2E_TMP/sess.out")" $'event: end\ndata: {"reason":"session-closed"}' "final event"
[[ ! -e $E2E_TMP/pub.rc ]] || fail "the public stream ended with the session"
get "/scenarios/$A/events?session=$SID"
expect_json_error 410 "a closed session's stream"
expect_match "$(jqb .description_th)" 'ปิด' "410 in Thai too"
# Closed by the CLI (the server hears of no write): the stream notices at a heartbeat.
run "$BIN" session open --db "$DB" --scenario "$A" --minutes 30
expect_rc 0 "CLI session open"
CID=$(jq -r .id <<<"$RUN_OUT")
stream cli 30 127.0.0.6 "/scenarios/$A/events?session=$CID"
wait_for "$E2E_TMP/cli.out" '^retry:' 10 "CLI session stream open" >/dev/null
run "$BIN" session close --db "$DB" --scenario "$A" --id "$CID"
expect_rc 0 "CLI session close"
stream_ended cli 5 "CLI-closed session's stream"
expect_contains "$(cat "$E2E_TMP/cli.out")" '"reason":"session-closed"' "final event after a CLI close"

section "deleting a scenario ends its streams"
stream gone 30 127.0.0.6 "/scenarios/$B/events"
wait_for "$E2E_TMP/gone.out" '^retry:' 10 "B's stream open" >/dev/null
get "/scenarios/$B" -X DELETE "${AUTH[@]}"
expect_status 204 "delete B"
stream_ended gone 5 "B's stream after the delete"
expect_contains "$(cat "$E2E_TMP/gone.out")" '"reason":"scenario-deleted"' "final event"

section "stopping with a stream open"
serve_stop "stop with a live stream"
expect_int -le "$SERVE_STOP_SECONDS" 5 "stopped promptly"
stream_ended pub 5 "the public stream after the stop"
expect_contains "$(cat "$E2E_TMP/pub.out")" '"reason":"server-stopping"' "final event on stop"
