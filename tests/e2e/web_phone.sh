#!/usr/bin/env bash
# web_phone.sh BINARY - the web map on a phone (tests/browser/phone.mjs, Debian's Chromium
# driven by playwright-core) against `cityatlas serve` on the bundled catalog: the esbuild
# bundle's hashed files and cache headers, the first view on a throttled phone (figures
# printed), retries and the "try again" notice, a reload offline through the service
# worker, and the phone layout at 360x740 (zoom and "my location" clear of the search box
# and the panel, the search list closing on a tap elsewhere, scale bar, legend).
# Screenshots go to $CITYATLAS_ARTIFACTS/web_phone. Needs the bundle (web/dist/, built by
# install_web_deps.sh and the CMake target web_bundle), chromium and playwright-core.
ARTIFACTS=${CITYATLAS_ARTIFACTS:-$PWD/artifacts}/web_phone
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/e2e/serve_lib.sh
source "$(dirname "$0")/serve_lib.sh"
# shellcheck source=tests/e2e/browser_lib.sh
source "$(dirname "$0")/browser_lib.sh"

[[ -f $REPO/web/dist/index.html ]] || fail "no web/dist/index.html: run scripts/install_web_deps.sh"
DB=$E2E_TMP/city.sqlite
bundled_db "$DB"
serve_start "$DB"

section "the bundled map on a phone"
run_browser_test phone.mjs "$ARTIFACTS" phone-throttled phone-retry-notice phone-offline \
    phone-panel phone-located
expect_serve_alive "after the browser"
serve_stop "the server"
