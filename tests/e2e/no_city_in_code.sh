#!/usr/bin/env bash
# no_city_in_code.sh BINARY - nothing of one particular city is written in the code: no
# Chiang Mai name (English or Thai), no "cm-" layer id and no coordinate pair in the Chiang
# Mai area may appear in src/ or web/ (the map's own files). The city lives in its catalog's
# profile (datasets/, served by the server), styles in styles/, examples in tests/.
# BINARY is unused: the check reads the source tree.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"

PATTERN='Chiang|Chiangmai|เชียงใหม่|\bcm-[a-z]|\b(9[7-9]|10[01])\.[0-9]+[ ,]+1[6-9]\.[0-9]+|\b1[6-9]\.[0-9]+[ ,/]+(9[7-9]|10[01])\.[0-9]+'
section "src/ and web/ name no city"
found=$(cd "$REPO" && grep -rnIE "$PATTERN" src web --exclude-dir=node_modules || true)
expect_eq "$found" "" "Chiang Mai names, cm- ids or coordinates in the code"

section "the check can fail"
probe=$E2E_TMP/probe.c
printf '/* home: 18.7883, 98.9853 */\nstatic const char *id = "cm-districts";\n' >"$probe"
expect_ne "$(grep -cE "$PATTERN" "$probe" || true)" "0" "the pattern finds a planted name and coordinate"
