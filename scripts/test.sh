#!/usr/bin/env bash
# test.sh - the whole test suite, from a fresh Debian 12 machine:
#   1. installs the Debian packages it needs (only those missing),
#   2. checks formatting (clang-format),
#   3. builds with -Werror in Debug and runs there the tests a sanitizer build cannot or
#      need not run: valgrind, the labels large, browser and nocode, and the label bounds
#      (memory and latency figures, which only a plain build shows as a user gets them),
#   4. builds with AddressSanitizer + UndefinedBehaviorSanitizer (while the Debug tests run)
#      and runs every other test there: unit, end-to-end (bounds too), fuzz replays.
# Each test runs once, in the build that checks the most of it (bounds: in both).
# It ends with ctest's summary of the sanitizer run and the time the whole suite took.
set -euo pipefail
started=$SECONDS
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

bash scripts/install_deps.sh
bash scripts/install_web_deps.sh --dev

echo "== format check"
bash scripts/format.sh --check

jobs=$(nproc)
# ctest runs one test per core: a browser test keeps about a core busy (Chromium renders
# in software, beside node and the server), so more jobs would make them wait on each other. The slowest tests start
# first (COST) and the latency probes run alone (RUN_SERIAL): tests/e2e/CMakeLists.txt.
# CITYATLAS_TEST_JOBS overrides the count.
test_jobs=${CITYATLAS_TEST_JOBS:-$jobs}

# configure DIR [CMAKE_ARGS...]
configure() {
    local dir=$1
    shift
    cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Debug -DWERROR=ON "$@" >/dev/null
}

# run_tests DIR [CTEST_ARGS...]
run_tests() {
    local dir=$1
    shift
    # A test that fails is run once more (its first failure stays in the log): on this
    # 2-core machine a browser test's wait can run out while posters render beside it.
    (cd "$dir" && ctest --output-on-failure -j "$test_jobs" --repeat until-pass:2 "$@")
}

echo "== Debug build with -Werror"
configure build/test-debug
cmake --build build/test-debug -j "$jobs"

# The sanitizer build compiles beside the Debug tests at the lowest priority: it takes the
# cores only while the tests wait, so the tests' timings hardly change and its minutes of
# compiling mostly disappear from the suite's time.
echo "== AddressSanitizer + UndefinedBehaviorSanitizer build (beside the Debug tests)"
configure build/test-asan -DSANITIZE=address,undefined
asan_build_log=build/test-asan/build.log
# Its own session, so that leaving early (a failed Debug test) stops all of its compilers.
setsid nice -n 19 cmake --build build/test-asan -j "$jobs" >"$asan_build_log" 2>&1 &
asan_build=$!
trap 'kill -- -"$asan_build" 2>/dev/null || true' EXIT

# The tests of the sanitizer pass (below) run the same C code under stricter checks, so the
# Debug pass runs only what cannot run there: valgrind (no sanitizer build has it), and the
# labels large, browser and nocode (why: below); and the label bounds, whose memory and
# latency goals hold for a plain build (the sanitizers make requests 3-5x slower).
echo "== Debug tests (valgrind, large, browser, nocode, bounds)"
run_tests build/test-debug -L "valgrind|large|browser|nocode|bounds"
asan_build_rc=0
wait "$asan_build" || asan_build_rc=$?
trap - EXIT
cat "$asan_build_log"
if ((asan_build_rc != 0)); then
    echo "test.sh: the sanitizer build failed (exit $asan_build_rc)" >&2
    exit "$asan_build_rc"
fi

echo "== AddressSanitizer + UndefinedBehaviorSanitizer tests"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export LSAN_OPTIONS=suppressions=$root/tests/sanitizers/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# The label "large" (statistics over more than a million generated features, e2e_stats_large)
# runs in the Debug suite only: under the sanitizers it takes minutes for the same code path,
# which unit_test_store_read checks under them on a small layer. So does the label "browser"
# (the web map in Chromium): what it asks of the server, the curl tests ask under the
# sanitizers too, and Chromium under a loaded machine is what makes a suite slow. The label
# "nocode" (lint, the JavaScript unit tests, source scans) runs none of the C code: a
# sanitizer build cannot change what it finds.
run_tests build/test-asan -LE "valgrind|large|browser|nocode"
elapsed=$((SECONDS - started))
printf 'test.sh: the whole suite took %d min %02d s\n' $((elapsed / 60)) $((elapsed % 60))
