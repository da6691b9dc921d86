#!/usr/bin/env bash
# web_workshop.sh BINARY - a whole workshop in real browsers (tests/browser/workshop.mjs:
# Debian's Chromium driven by playwright-core, several contexts at once) against
# `cityatlas serve` on the bundled catalog and scenarios, with an admin token made by
# `cityatlas token create`: the facilitator builds a scenario and opens sessions from the map,
# participants join by the link on phones and draw, the projector view follows, moderation,
# history restore, a stale edit's 412, a closed session and the rate limit. Screenshots go to
# $CITYATLAS_ARTIFACTS/web_workshop (default: artifacts/ under ctest's directory).
# Before lib.sh, which moves into a temporary folder removed at exit.
ARTIFACTS=${CITYATLAS_ARTIFACTS:-$PWD/artifacts}/web_workshop
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/e2e/serve_lib.sh
source "$(dirname "$0")/serve_lib.sh"
# shellcheck source=tests/e2e/browser_lib.sh
source "$(dirname "$0")/browser_lib.sh"

DB=$E2E_TMP/city.sqlite
serve_bundled_db "$DB"
admin=$("$BIN" token create --db "$DB" --name workshop-lead 2>/dev/null)
# One write a 10 s past the burst, so the rate-limit step cannot race a refill.
serve_start "$DB" --participant-writes-per-minute 6

section "a workshop in Chromium (a facilitator, a projector, four participants on phones)"
ADMIN_TOKEN=$admin run_browser_test workshop.mjs "$ARTIFACTS" \
    desktop-session-open projector-live phone-stale-edit desktop-moderation phone-live-notes
expect_serve_alive "after the browser"
serve_stop "the server"
