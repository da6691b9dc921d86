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
# shellcheck source=tests/e2e/browser_lib.sh
source "$(dirname "$0")/browser_lib.sh"

DB=$E2E_TMP/city.sqlite
bundled_db "$DB"
serve_start "$DB"

section "the map in Chromium (phone and desktop)"
run_browser_test web_map.mjs "$ARTIFACTS" phone-first-view phone-popup desktop-statistic \
    desktop-reloaded desktop-search desktop-first-view
section "the map follows Chiang Mai's city profile (city_profile.mjs; Hat Yai: city_hatyai.sh)"
CITY_SEARCH=ศรีภูมิ run_browser_test city_profile.mjs "$ARTIFACTS-city" city-first-view
expect_serve_alive "after the browser"
serve_stop "the server"
