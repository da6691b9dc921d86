#!/usr/bin/env bash
# fuzz.sh [SECONDS] - builds the libFuzzer targets of tests/fuzz with clang (-DFUZZ=ON in
# build/fuzz) and runs each for SECONDS (default 30), starting from its committed seed
# corpus (copied: the committed corpus changes only by hand) with its dictionary. Prints
# each target's executions and coverage (libFuzzer's final "cov:"), and exits 1 when a
# target crashed, leaked or timed out; the input that did so is kept in
# build/fuzz/artifacts/ and belongs in tests/fuzz/corpus/<target>/ once fixed.
# Environment: FUZZ_JOBS (parallel builds, default 2), FUZZ_TARGETS (default: all).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-30}
[[ $seconds =~ ^[0-9]+$ && $seconds -gt 0 ]] || {
    echo "usage: fuzz.sh [SECONDS]" >&2
    exit 2
}
command -v clang >/dev/null || {
    echo "fuzz.sh: clang is not installed (Debian: clang)" >&2
    exit 2
}
build=$root/build/fuzz
targets=${FUZZ_TARGETS:-$(sed -n 's/^set(FUZZ_TARGETS \(.*\))$/\1/p' "$root/tests/fuzz/CMakeLists.txt")}
launcher=()
if command -v ccache >/dev/null; then
    launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=clang -DFUZZ=ON \
    "${launcher[@]}" >/dev/null
# shellcheck disable=SC2086 # one word per target
nice cmake --build "$build" -j"${FUZZ_JOBS:-2}" --target $(printf 'fuzz_%s ' $targets) >/dev/null
mkdir -p "$build/artifacts" "$build/corpus"
cd "$root" # the catalog target resolves dataset paths in datasets/
failed=0
printf '%-16s %12s %8s %8s  %s\n' target executions cov ft result
for t in $targets; do
    work=$build/corpus/$t
    rm -rf "$work"
    cp -r "$root/tests/fuzz/corpus/$t" "$work"
    log=$build/fuzz_$t.log
    dict=()
    [[ -f $root/tests/fuzz/$t.dict ]] && dict=(-dict="$root/tests/fuzz/$t.dict")
    rc=0
    ASAN_OPTIONS=detect_leaks=1 "$build/tests/fuzz/fuzz_$t" "${dict[@]}" -max_total_time="$seconds" \
        -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
        -artifact_prefix="$build/artifacts/$t-" "$work" >"$log" 2>&1 || rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    cov=$({ grep -Eo 'cov: [0-9]+' "$log" || true; } | tail -1 | cut -d' ' -f2)
    ft=$({ grep -Eo 'ft: [0-9]+' "$log" || true; } | tail -1 | cut -d' ' -f2)
    result=ok
    if [[ $rc -ne 0 ]]; then
        result="FAILED (exit $rc; see $log)"
        failed=1
    fi
    printf '%-16s %12s %8s %8s  %s\n' "$t" "${runs:-?}" "${cov:-?}" "${ft:-?}" "$result"
done
exit "$failed"
