#!/usr/bin/env bash
# bench_soak.sh - a soak of `cityatlas serve` under a hostile mix, on 127.0.0.1: does
# the server keep cheap routes fast and error-free, and its memory flat, while it also
# renders posters, computes statistics that miss the cache, sends large pages and has
# slow readers on large answers?
#
#   scripts/bench_soak.sh [--duration S] [--connections N] [--slow-readers N]
#                         [--out DIR] [--cityatlas PATH | --no-build]
#
# Defaults: 600 s, 64 wrk connections, 26 slow readers, DIR=bench-out/soak under the
# repository root (git-ignored). The binary is PATH, else $CITYATLAS, else
# build/release/src/cityatlas, configured and built first (cmake Release) unless
# --no-build is given. Exit 2 when the binary cannot be built or has no `serve`.
#
# 1. Data: the bundled catalog and scenarios, and 40,000 synthetic points (a 10 MB page),
#    imported into DIR/soak.sqlite. Not timed.
# 2. `cityatlas serve --threads 2 --max-limit 40000 --quiet` on a free port (with a
#    per-address cap above N + the slow readers: every client here is 127.0.0.1). For the whole
#    duration, at once:
#    - wrk -t2 -cN with scripts/bench_soak.lua: a mix of 70 % cheap requests (/,
#      /collections, pages of 10 features, a collection), 10 % A1 comparison posters and
#      A1 maps, 10 % statistics with a filter never asked before (a cache miss each), 10 %
#      pages of 10,000 features (spooled); 503s of slow routes past the queue count as
#      refusals, not errors;
#    - N slow readers (tests/e2e/load_clients.py slow-readers) on the 40,000-feature page,
#      reading 1 byte a second;
#    - a probe on its own keep-alive connection asking the cheap routes in turn
#      (load_clients.py probe): its errors, non-200 answers and p50/p99/max;
#    - the server's RssAnon from /proc every second into DIR/rss.tsv.
# 3. Prints and writes DIR/summary.txt: wrk's totals, the probe's figures, RssAnon at the
#    end of the warm-up (the first fifth) and at the end, and whether it stayed flat (the
#    end at most 10 % + 16 MB above the warm-up's maximum).
#
# Exit status: 0 when the soak ran (a report, whatever the figures), 1 on an error, 2 when
# the binary is missing. Touches only DIR, build/release and 127.0.0.1.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_NAME=bench_soak
# shellcheck source=scripts/bench_lib.sh
source "$repo_root/scripts/bench_lib.sh"

duration=600 connections=64 slow_readers=26 build=1
out=$repo_root/bench-out/soak
cityatlas=${CITYATLAS:-}
build_dir=$repo_root/build/release
while (($#)); do
    case $1 in
    --duration) need_arg "$@" && duration=$2 && shift 2 ;;
    --connections) need_arg "$@" && connections=$2 && shift 2 ;;
    --slow-readers) need_arg "$@" && slow_readers=$2 && shift 2 ;;
    --out) (($# >= 2)) || die "option --out needs a value" && out=$2 && shift 2 ;;
    --cityatlas) (($# >= 2)) || die "option --cityatlas needs a value" && cityatlas=$2 && shift 2 ;;
    --no-build) build=0 && shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' && exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
    esac
done
((duration >= 10)) || die "--duration must be at least 10 s"
for tool in wrk python3 jq; do
    command -v "$tool" >/dev/null || die "$tool is missing: run scripts/install_bench_deps.sh"
done
resolve_cityatlas serve
clients=$repo_root/tests/e2e/load_clients.py
mkdir -p "$out"
out=$(cd "$out" && pwd)
db=$out/soak.sqlite
pids=()
cleanup() { stop_pids 100 "${pids[@]}"; }
trap cleanup EXIT

note "importing the data into $db"
rm -f "$db" "$db"-wal "$db"-shm
"$cityatlas" import --quiet --db "$db" --catalog "$repo_root/datasets/catalog.json" >/dev/null
"$cityatlas" scenarios import --db "$db" "$repo_root/datasets/scenarios.json" >/dev/null
python3 "$repo_root/scripts/gen_synthetic.py" points --count 40000 --seed 5 -o "$out/big.geojson" 2>/dev/null
"$cityatlas" import --quiet --db "$db" --id big-points "$out/big.geojson" >/dev/null
rm -f "$out/big.geojson"
ids=$(jq -r '[.scenarios[].id][0:4] | join(",")' "$repo_root/datasets/scenarios.json")
first=${ids%%,*}

# wrk's connections, the slow readers and the probe all come from 127.0.0.1: the
# per-address cap (default 64) is raised so that it does not refuse them.
start_cityatlas "$out/serve.log" --db "$db" --threads 2 --max-limit 40000 \
    --max-connections-per-ip "$((connections + slow_readers + 16))"
pid=$started_pid port=${started_url##*:}
pids+=("$pid")
note "server pid $pid on $started_url; soaking for $duration s with $connections connections"

sed -e "s|@IDS@|$ids|g" -e "s|@FIRST@|$first|g" "$repo_root/scripts/bench_soak.lua" >"$out/mix.lua"
: >"$out/rss.tsv"
(
    for ((s = 0; s < duration; s++)); do
        printf '%d\t%s\n' "$s" "$(awk '/^RssAnon:/ { print $2 }' "/proc/$pid/status" 2>/dev/null)"
        sleep 1
    done
) >>"$out/rss.tsv" &
pids+=("$!")
python3 "$clients" slow-readers "$port" "$slow_readers" "/collections/big-points/items?limit=40000" \
    "$((duration - 5))" >"$out/slow.json" &
pids+=("$!")
sleep 2 # the slow readers' answers are spooled before wrk fills the slow queue
python3 "$clients" probe "$port" "$((duration - 2))" / /collections \
    "/collections/cm-tambon/items?limit=10" /collections/cm-districts >"$out/probe.json" &
probe_pid=$!
pids+=("$probe_pid")
wrk -t2 -c"$connections" -d"${duration}s" --timeout 60s -s "$out/mix.lua" "$started_url" \
    >"$out/wrk.txt" 2>&1 || note "wrk failed: $(tail -3 "$out/wrk.txt")"
wait "$probe_pid" || true
sleep 1

warm=$((duration / 5))
read -r rss_warm rss_end < <(awk -F'\t' -v w="$warm" '$2 != "" { if ($1 < w && $2 > m) m = $2; last = $2 }
    END { print m + 0, last + 0 }' "$out/rss.tsv")
flat=no
((rss_end <= rss_warm + rss_warm / 10 + 16384)) && flat=yes
{
    echo "bench_soak: $duration s, $connections wrk connections, $slow_readers slow readers, $(nproc) cores"
    echo "(a shared machine gives noisy figures; compare runs on the same machine)"
    echo "wrk: $(grep -E 'requests in' "$out/wrk.txt" | sed 's/^ *//')"
    echo "wrk: $(grep -E 'Requests/sec' "$out/wrk.txt" | sed 's/^ *//')"
    grep -E 'Non-2xx|Socket errors|^status' "$out/wrk.txt" | sed 's/^ */wrk: /' || true
    echo "cheap-route probe: $(jq -c '{requests: .n, errors, statuses, p50_ms, p99_ms, max_ms}' "$out/probe.json")"
    echo "slow readers: $(cat "$out/slow.json" 2>/dev/null || echo none)"
    echo "(RssAnon includes the statistics cache, up to 128 MB, which every uncached statistic adds to)"
    echo "RssAnon: max during warm-up (first $warm s) $((rss_warm / 1024)) MB, at the end $((rss_end / 1024)) MB: flat=$flat"
    echo "RssAnon MB every tenth of the run: $(awk -F'\t' -v step="$((duration / 10))" '$2 != "" && $1 % step == 0 { printf "%d ", $2 / 1024 }' "$out/rss.tsv")"
} | tee "$out/summary.txt"
