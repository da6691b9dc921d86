#!/usr/bin/env bash
# web_scenario_builder.sh BINARY - facilitators build scenarios in the web map without writing
# JSON (tests/browser/scenario_builder.mjs: Debian's Chromium driven by playwright-core)
# against `cityatlas serve` on the bundled catalog and scenarios, with an admin token made by
# `cityatlas token create`. Screenshots go to $CITYATLAS_ARTIFACTS/web_scenario_builder
# (default: artifacts/ under ctest's directory).
# Before lib.sh, which moves into a temporary folder removed at exit.
ARTIFACTS=${CITYATLAS_ARTIFACTS:-$PWD/artifacts}/web_scenario_builder
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/e2e/serve_lib.sh
source "$(dirname "$0")/serve_lib.sh"
# shellcheck source=tests/e2e/browser_lib.sh
source "$(dirname "$0")/browser_lib.sh"

DB=$E2E_TMP/city.sqlite
serve_bundled_db "$DB"
admin=$("$BIN" token create --db "$DB" --name workshop-lead 2>/dev/null)
serve_start "$DB"

section "the scenario builder in Chromium (a facilitator on a laptop and on a phone)"
ADMIN_TOKEN=$admin run_browser_test scenario_builder.mjs "$ARTIFACTS" \
    desktop-builder-deleted phone-builder
expect_serve_alive "after the browser"
serve_stop "the server"
