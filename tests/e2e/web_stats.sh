#!/usr/bin/env bash
# web_stats.sh BINARY - the web map's statistics panel and builder in a real browser
# (tests/browser/stats_panel.mjs: Debian's Chromium driven by playwright-core, phone
# 390x844 and desktop 1280x800) against `cityatlas serve` on the bundled catalog: units,
# Thai definitions, a tapped area's value and rank, a per-capita statistic built from
# category values with its "no data" areas and share image, captions copied. Screenshots
# go to $CITYATLAS_ARTIFACTS/web_stats (default: artifacts/ under ctest's directory).
# Before lib.sh, which moves into a temporary folder removed at exit.
ARTIFACTS=${CITYATLAS_ARTIFACTS:-$PWD/artifacts}/web_stats
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/e2e/serve_lib.sh
source "$(dirname "$0")/serve_lib.sh"
# shellcheck source=tests/e2e/browser_lib.sh
source "$(dirname "$0")/browser_lib.sh"

DB=$E2E_TMP/city.sqlite
serve_bundled_db "$DB"
serve_start "$DB"

section "the statistics panel in Chromium (phone and desktop)"
run_browser_test stats_panel.mjs "$ARTIFACTS" desktop-units-en phone-units-th desktop-by-type \
    phone-area-popup desktop-built-per-capita
expect_serve_alive "after the browser"
serve_stop "the server"
