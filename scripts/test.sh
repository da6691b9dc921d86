#!/usr/bin/env bash
# test.sh - the whole test suite, from a fresh Debian 12 machine:
#   1. installs the Debian packages it needs (only those missing),
#   2. checks formatting (clang-format),
#   3. builds with -Werror in Debug and runs every test (unit, end-to-end, valgrind),
#   4. builds with AddressSanitizer + UndefinedBehaviorSanitizer and runs every test again.
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
# run_suite DIR CTEST_ARGS [CMAKE_ARGS...]: configure, build and run ctest in DIR.
run_suite() {
    local dir=$1 ctest_args=$2
    shift 2
    cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Debug -DWERROR=ON "$@" >/dev/null
    cmake --build "$dir" -j "$jobs"
    # A test that fails is run once more (its first failure stays in the log): on this
    # 2-core machine a browser test's wait can run out while posters render beside it.
    # shellcheck disable=SC2086 # ctest_args is a list of words
    (cd "$dir" && ctest --output-on-failure -j "$jobs" --repeat until-pass:2 $ctest_args)
}

echo "== Debug build with -Werror"
run_suite build/test-debug ""

echo "== AddressSanitizer + UndefinedBehaviorSanitizer build"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export LSAN_OPTIONS=suppressions=$root/tests/sanitizers/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# The label "large" (statistics over more than a million generated features, e2e_stats_large)
# runs in the Debug suite only: under the sanitizers it takes minutes for the same code path,
# which unit_test_store_read checks under them on a small layer. So does the label "browser"
# (the web map in Chromium): what it asks of the server, the curl tests ask under the
# sanitizers too, and Chromium under a loaded machine is what makes a suite slow.
run_suite build/test-asan "-LE large|browser" -DSANITIZE=address,undefined
elapsed=$((SECONDS - started))
printf 'test.sh: the whole suite took %d min %02d s\n' $((elapsed / 60)) $((elapsed % 60))
