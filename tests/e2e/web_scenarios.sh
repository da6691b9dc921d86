#!/usr/bin/env bash
# web_scenarios.sh BINARY - the web map's scenario mode in a real browser
# (tests/browser/scenario_mode.mjs: Debian's Chromium driven by playwright-core) against
# `cityatlas serve` on the bundled catalog and scenarios, with one active and one revoked
# facilitator token made by `cityatlas token`. Screenshots go to
# $CITYATLAS_ARTIFACTS/web_scenarios (default: artifacts/ under ctest's directory).
# Before lib.sh, which moves into a temporary folder removed at exit.
ARTIFACTS=${CITYATLAS_ARTIFACTS:-$PWD/artifacts}/web_scenarios
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/e2e/serve_lib.sh
source "$(dirname "$0")/serve_lib.sh"
# shellcheck source=tests/e2e/browser_lib.sh
source "$(dirname "$0")/browser_lib.sh"

DB=$E2E_TMP/city.sqlite
bundled_db "$DB" scenarios
good=$("$BIN" token create --db "$DB" --name workshop 2>/dev/null)
revoked=$("$BIN" token create --db "$DB" --name former 2>/dev/null)
run "$BIN" token revoke --db "$DB" --name former
expect_rc 0 "token revoke"
serve_start "$DB"

section "scenario mode in Chromium (a reader on a phone, a facilitator on a laptop)"
GOOD_TOKEN=$good REVOKED_TOKEN=$revoked run_browser_test scenario_mode.mjs "$ARTIFACTS" \
    phone-scenario desktop-scenario-editing phone-refused-drawing
expect_serve_alive "after the browser"
serve_stop "the server"
