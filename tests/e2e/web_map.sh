#!/usr/bin/env bash
# web_map.sh BINARY - the web map in a real browser: `cityatlas serve` on the bundled
# catalog, read by Debian's Chromium driven by playwright-core (tests/browser/web_map.mjs).
# Screenshots at phone (390x844) and desktop (1280x800) sizes are kept in
# $CITYATLAS_ARTIFACTS (default: artifacts/web_map under the directory ctest runs in),
# and the first view's transfer size and time to interactive are printed as figures.
# Needs chromium, node and web/node_modules with playwright-core (scripts/test.sh
# installs them: install_deps.sh and install_web_deps.sh --dev).
# Before lib.sh, which moves into a temporary folder removed at exit.
ARTIFACTS=${CITYATLAS_ARTIFACTS:-$PWD/artifacts}/web_map
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/e2e/serve_lib.sh
source "$(dirname "$0")/serve_lib.sh"

[[ -x /usr/bin/chromium ]] || fail "no /usr/bin/chromium: run scripts/install_deps.sh"
[[ -d $REPO/web/node_modules/playwright-core ]] ||
    fail "no web/node_modules/playwright-core: run scripts/install_web_deps.sh --dev"
rm -rf "$ARTIFACTS"

DB=$E2E_TMP/city.sqlite
run "$BIN" import --quiet --db "$DB" --catalog "$REPO/datasets/catalog.json"
expect_rc 0 "import of the bundled catalog"
serve_start "$DB"

section "the map in Chromium (phone and desktop)"
# HOME inside the temporary folder: Chromium writes its profile and crash files there.
if ! HOME=$E2E_TMP timeout 240 node "$REPO/tests/browser/web_map.mjs" "$BASE" "$ARTIFACTS" \
    >"$E2E_TMP/browser.log" 2>&1; then
    cat "$E2E_TMP/browser.log" >&2
    fail "the browser test failed (log above)"
fi
cat "$E2E_TMP/browser.log"
for shot in phone-first-view phone-popup desktop-statistic desktop-reloaded desktop-search \
    desktop-first-view; do
    [[ -s $ARTIFACTS/$shot.png ]] || fail "no screenshot $shot.png"
done
ok
expect_serve_alive "after the browser"
serve_stop "the server"
