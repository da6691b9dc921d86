#!/usr/bin/env bash
# bench_workshop.sh - a workshop of 30 and of 300 participants against `cityatlas serve`
# on 127.0.0.1 (scripts/bench_workshop/workshop_client.py): each participant joins a live
# session by code and adds point sketches while a projector client polls the public changes
# feed. Prints, per size, writes, writes/s, the write-to-projector latency (median, p99),
# and lost, duplicated and unexpected sketches; then p99 against the goal (2 s at 300
# participants, none lost). There is no peer to run: open-source map servers have no
# participation sessions (Maptionnaire, the reference, is a hosted service).
#
#   scripts/bench_workshop.sh [--writes N] [--sizes "30 300"] [--out DIR]
#
# Defaults: 3 sketches per participant, workshops of 30 and 300 participants,
# DIR=bench-out/workshop under the repository root.
# The binary is $CITYATLAS (default build/release/src/cityatlas, else build/debug); it is
# never built here (exit 2 if missing). The database is the bundled catalog and scenarios
# imported once into DIR. Exit 0 when it ran (goal met or not: it is a report), 1 on error.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
writes=3
sizes="30 300"
out=$repo_root/bench-out/workshop
while [[ $# -gt 0 ]]; do
    case $1 in
    --writes) writes=$2; shift 2 ;;
    --sizes) sizes=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "bench_workshop.sh: unknown option $1" >&2; exit 1 ;;
    esac
done
bin=${CITYATLAS:-$repo_root/build/release/src/cityatlas}
[[ -x $bin ]] || bin=$repo_root/build/debug/src/cityatlas
[[ -x $bin ]] || { echo "bench_workshop.sh: no cityatlas binary (set CITYATLAS)" >&2; exit 2; }
mkdir -p "$out"
db=$out/workshop.sqlite
rm -f "$db" "$db-wal" "$db-shm"
"$bin" import --quiet --db "$db" --catalog "$repo_root/datasets/catalog.json"
"$bin" scenarios import --db "$db" "$repo_root/datasets/scenarios.json" >/dev/null
token=$("$bin" token create --db "$db" --name bench 2>/dev/null)
scenario=$(jq -r '.scenarios[0].id' "$repo_root/datasets/scenarios.json")

# All participants share 127.0.0.1 here, as a venue's hotspot would: the per-address limit
# is raised; the per-participant one stays above what each adds.
"$bin" serve --db "$db" --port 0 --quiet --participant-writes-per-minute 120 \
    --address-writes-per-minute 100000 --address-joins-per-minute 100000 --max-connections-per-ip 1000 2>"$out/serve.log" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true' EXIT
port=""
for _ in $(seq 1 300); do
    port=$(grep -Eo 'listening on http://127\.0\.0\.1:[0-9]+' "$out/serve.log" | grep -Eo '[0-9]+$' || true)
    [[ -n $port ]] && break
    sleep 0.2
done
[[ -n $port ]] || { echo "bench_workshop.sh: the server did not start" >&2; cat "$out/serve.log" >&2; exit 1; }
base=http://127.0.0.1:$port

# Everything else running on the machine moves these figures: say how busy it was.
echo "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) CPUs)"
printf '%-13s %7s %9s %10s %8s %5s %6s %6s %5s\n' participants writes "writes/s" "median s" "p99 s" lost dupl unexp 503s
: >"$out/results.jsonl"
for n in $sizes; do
    line=$(python3 "$repo_root/scripts/bench_workshop/workshop_client.py" "$base" "$scenario" "$token" "$n" "$writes")
    echo "$line" >>"$out/results.jsonl"
    jq -r '"\(.participants)\t\(.writes)\t\(.writes_per_s)\t\(.latency_median_s)\t\(.latency_p99_s)\t\(.lost)\t\(.duplicated)\t\(.unexpected)\t\(.retries_503)"' <<<"$line" |
        awk -F'\t' '{ printf "%-13s %7s %9s %10s %8s %5s %6s %6s %5s\n", $1, $2, $3, $4, $5, $6, $7, $8, $9 }'
done
jq -rs '.[] | select(.participants == 300) |
    "goal at 300 participants: p99 \(.latency_p99_s) s / 2 s = \((.latency_p99_s / 2 * 100 | round) / 100) (goal <= 1.00); lost \(.lost), duplicated \(.duplicated) (goal 0): \(if .latency_p99_s < 2 and .lost == 0 and .duplicated == 0 then "met" else "NOT met" end)"' "$out/results.jsonl"
