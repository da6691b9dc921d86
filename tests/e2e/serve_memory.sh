#!/usr/bin/env bash
# serve_memory.sh BINARY - a 200,000-feature page (about 47 MB) streams from `cityatlas
# serve` in bounded memory: the server's own memory (RssAnon; VmRSS would also count the
# database pages SQLite maps read-only) stays under E2E_SERVE_RSS_MB while it sends the page,
# and the page holds every feature once. The default bound is 40 MB, below the answer's
# size, so a server that buffered the answer fails; 300 for an AddressSanitizer build, whose
# shadow memory and quarantine cost about 150 MB. Labelled `bounds`: scripts/test.sh runs it
# in the plain Debug build too, where the 40 MB holds as users get it.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/e2e/serve_lib.sh
source "$(dirname "$0")/serve_lib.sh"

BIG_DB=$E2E_TMP/big.sqlite
BIG_N=200000
# Not `ldd | grep -q`: with pipefail, grep quitting early makes ldd fail on SIGPIPE.
if [[ $(ldd "$BIN" 2>/dev/null) == *libasan* ]]; then
    RSS_MB=${E2E_SERVE_RSS_MB:-300}
else
    RSS_MB=${E2E_SERVE_RSS_MB:-40}
fi

section "a $BIG_N-feature page streams in bounded memory"
import_synthetic_points "$BIG_DB" big-points "$BIG_N" 5
serve_start "$BIG_DB" --max-limit 1000000
rss_kb() { awk '/^RssAnon:/ { print $2 }' "/proc/$SERVE_PID/status"; }
idle_kb=$(rss_kb)
curl -sS --noproxy '*' --max-time "$E2E_CMD_TIMEOUT" -o big_page.json \
    "$BASE/collections/big-points/items?limit=$BIG_N" 2>curl_big.err &
curl_pid=$!
E2E_PIDS+=("$curl_pid")
max_kb=$idle_kb samples=0
while kill -0 "$curl_pid" 2>/dev/null; do
    now_kb=$(rss_kb)
    ((now_kb > max_kb)) && max_kb=$now_kb
    samples=$((samples + 1))
    sleep 0.02
done
rc=0
wait "$curl_pid" || rc=$?
expect_eq "$rc" 0 "curl of the $BIG_N-feature page ($(cat curl_big.err))"
echo "    RssAnon: $((idle_kb / 1024)) MB idle, at most $((max_kb / 1024)) MB while sending $(($(stat -c %s big_page.json) / 1048576)) MB ($samples samples)"
expect_int -lt "$max_kb" $((RSS_MB * 1024)) "server RssAnon (kB) while streaming $BIG_N features"
counts=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
ids = {f["id"] for f in d["features"]}
print(len(d["features"]), len(ids), d["numberMatched"], d["numberReturned"])' big_page.json)
expect_eq "$counts" "$BIG_N $BIG_N $BIG_N $BIG_N" \
    "features, distinct ids, numberMatched, numberReturned of the large page"
rm -f big_page.json

serve_stop "server"
