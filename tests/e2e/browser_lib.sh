# browser_lib.sh - running a browser test (tests/browser/*.mjs, Debian's Chromium driven by
# playwright-core) from an e2e script; sourced after lib.sh and serve_lib.sh.
#
#   run_browser_test SCRIPT ARTIFACTS SHOT...   runs tests/browser/SCRIPT against $BASE
#       with screenshots into ARTIFACTS (emptied first), prints its log, and fails when it
#       fails or when a SHOT.png is missing. Extra environment for the script is passed
#       through (e.g. GOOD_TOKEN=... run_browser_test ...).
# shellcheck shell=bash

run_browser_test() {
    local script=$1 artifacts=$2
    shift 2
    [[ -x /usr/bin/chromium ]] || fail "no /usr/bin/chromium: run scripts/install_deps.sh"
    [[ -d $REPO/web/node_modules/playwright-core ]] ||
        fail "no web/node_modules/playwright-core: run scripts/install_web_deps.sh --dev"
    rm -rf "$artifacts"
    # HOME inside the temporary folder: Chromium writes its profile and crash files there.
    if ! HOME=$E2E_TMP timeout 240 node "$REPO/tests/browser/$script" "$BASE" "$artifacts" \
        >"$E2E_TMP/browser.log" 2>&1; then
        cat "$E2E_TMP/browser.log" >&2
        fail "the browser test $script failed (log above)"
    fi
    cat "$E2E_TMP/browser.log"
    local shot
    for shot in "$@"; do
        [[ -s $artifacts/$shot.png ]] || fail "no screenshot $shot.png"
    done
    ok
}
