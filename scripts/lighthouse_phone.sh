#!/usr/bin/env bash
# lighthouse_phone.sh [BINARY] - Lighthouse's mobile performance audit (npm lighthouse, a
# dev dependency of web/, run with Debian's chromium) of the web map on the bundled data,
# served by `cityatlas serve` on 127.0.0.1: the bundled page /map/ side by side with its
# peer in the same run, the unbundled page /map/index.html (the same app as separate
# modules). Prints the score and the metrics of each, and their ratios. Too slow for ctest
# (about a minute per page); the goal is a score of at least 90.
# LIGHTHOUSE_REPORTS=DIR keeps both reports' JSON there.
# BINARY defaults to build/release/src/cityatlas, else build/debug/src/cityatlas. Needs
# scripts/install_web_deps.sh --dev (lighthouse, and the bundle in web/dist/).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
BENCH_NAME=lighthouse_phone
# shellcheck source=scripts/bench_lib.sh
source "$root/scripts/bench_lib.sh"

bin=${1:-}
if [[ -z $bin ]]; then
    for b in "$root/build/release/src/cityatlas" "$root/build/debug/src/cityatlas"; do
        [[ -x $b ]] && bin=$b && break
    done
fi
[[ -n $bin && -x $bin ]] || die "no cityatlas binary: build it (scripts/run.sh) or name it"
lighthouse=$root/web/node_modules/lighthouse/cli/index.js
[[ -f $lighthouse ]] || die "no lighthouse in web/node_modules: run scripts/install_web_deps.sh --dev"
[[ -f $root/web/dist/index.html ]] || die "no web/dist/: run scripts/install_web_deps.sh"
[[ -x /usr/bin/chromium ]] || die "no /usr/bin/chromium: run scripts/install_deps.sh"

run_dir=$(mktemp -d)
server=""
cleanup() {
    [[ -z $server ]] || stop_pids 30 "$server"
    rm -rf "$run_dir"
}
trap cleanup EXIT

db=$run_dir/city.sqlite
"$bin" import --quiet --db "$db" --catalog "$root/datasets/catalog.json" >/dev/null
"$bin" serve --db "$db" --port 0 --threads 2 >/dev/null 2>"$run_dir/serve.log" &
server=$!
base=""
for _ in $(seq 1 300); do
    base=$(grep -Eo -m1 'http://127\.0\.0\.1:[0-9]+' "$run_dir/serve.log" || true)
    [[ -z $base ]] || break
    kill -0 "$server" 2>/dev/null || die "the server exited: $(head -c 2000 "$run_dir/serve.log")"
    sleep 0.1
done
[[ -n $base ]] || die "the server did not say where it listens"

audit() { # NAME PATH: Lighthouse's mobile preset (simulated slow 4G, 4x CPU) into NAME.json
    HOME=$run_dir CHROME_PATH=/usr/bin/chromium node "$lighthouse" "$base$2" --quiet \
        --only-categories=performance --form-factor=mobile --output=json \
        --output-path="$run_dir/$1.json" \
        --chrome-flags="--headless=new --no-sandbox --disable-gpu --no-first-run" >/dev/null ||
        die "lighthouse failed on $2"
}

metric() { # NAME JQ-PATH
    jq -r "$2" "$run_dir/$1.json"
}

note "auditing $base/map/ (bundled) and $base/map/index.html (unbundled peer)"
audit bundled /map/
audit unbundled /map/index.html
# The ratio is how many times better the bundle does (above 1: better, below 1: worse):
# bundled/unbundled for the score, unbundled/bundled for times and sizes.
printf '%-28s %12s %12s %8s\n' "" "bundled" "unbundled" "better x"
row() { # LABEL JQ-PATH up|down (is a higher value better or worse?)
    local a b
    a=$(metric bundled "$2")
    b=$(metric unbundled "$2")
    printf '%-28s %12s %12s %8s\n' "$1" "$a" "$b" "$(awk -v a="$a" -v b="$b" -v dir="$3" 'BEGIN {
        if (dir == "up" && b > 0) printf "%.2f", a / b
        else if (dir == "down" && a > 0) printf "%.2f", b / a
        else print "-" }')"
}
row "performance score" '.categories.performance.score * 100 | round' up
row "first contentful paint ms" '.audits["first-contentful-paint"].numericValue | round' down
row "largest contentful paint ms" '.audits["largest-contentful-paint"].numericValue | round' down
row "speed index ms" '.audits["speed-index"].numericValue | round' down
row "total blocking time ms" '.audits["total-blocking-time"].numericValue | round' down
row "time to interactive ms" '.audits["interactive"].numericValue | round' down
row "transfer kB" '.audits["total-byte-weight"].numericValue / 1024 | round' down
row "requests" '.audits["network-requests"].details.items | length' down
row "main-thread work ms" '.audits["mainthread-work-breakdown"].numericValue | round' down
row "long tasks" '.audits["long-tasks"].details.items | length' down
# Lighthouse scales the main thread's observed work by 4: on a machine busy with other work
# each task is observed longer, so the run queue is said beside the figures.
echo "machine load (1 min) per core: $(awk -v n="$(nproc)" '{ printf "%.2f", $1 / n }' /proc/loadavg)"
if [[ -n ${LIGHTHOUSE_REPORTS:-} ]]; then
    mkdir -p "$LIGHTHOUSE_REPORTS"
    cp "$run_dir/bundled.json" "$run_dir/unbundled.json" "$LIGHTHOUSE_REPORTS/"
    note "the reports (LCP, TBT, the waterfall) are in $LIGHTHOUSE_REPORTS"
fi
score=$(metric bundled '.categories.performance.score * 100 | round')
echo "lighthouse mobile performance of the bundled map: $score (goal >= 90)"
