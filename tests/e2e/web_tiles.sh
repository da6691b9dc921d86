#!/usr/bin/env bash
# web_tiles.sh BINARY - the web map's vector tiles in a real browser: `cityatlas serve` on the
# bundled catalog, read by Debian's Chromium driven by playwright-core
# (tests/browser/map_tiles.mjs): every road SQL finds in the first view is drawn, a pan asks
# only for new tiles, failed tiles are retried, a tap on a tiled road shows its popup, the
# "N of M shown" chip carries the tiles' own counts, labels never overlap and Thai labels
# equal the browser's fillText of the same text, and 200,000 generated points show in every
# quadrant of the view at z10 and z15. Screenshots go to $CITYATLAS_ARTIFACTS
# (default: artifacts/web_tiles under the directory ctest runs in).
# Before lib.sh, which moves into a temporary folder removed at exit.
ARTIFACTS=${CITYATLAS_ARTIFACTS:-$PWD/artifacts}/web_tiles
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/e2e/serve_lib.sh
source "$(dirname "$0")/serve_lib.sh"
# shellcheck source=tests/e2e/browser_lib.sh
source "$(dirname "$0")/browser_lib.sh"

DB=$E2E_TMP/city.sqlite
bundled_db "$DB"
# A dense layer for the points-per-quadrant check: 200,000 generated points (about 40 s
# to generate and import in a Debug build on a loaded machine).
run python3 "$REPO/scripts/gen_synthetic.py" points --count 200000 --seed 11 -o "$E2E_TMP/points.geojson"
run "$BIN" import --quiet --db "$DB" --id synthetic-points "$E2E_TMP/points.geojson"
expect_rc 0 "import of 200,000 generated points"
rm -f "$E2E_TMP/points.geojson"
serve_start "$DB"

section "vector tiles on the web map in Chromium"
POINTS_LAYER=synthetic-points run_browser_test map_tiles.mjs "$ARTIFACTS" tiles-first-view \
    tiles-after-retries tiles-popup tiles-labels tiles-points-z10 tiles-points-z15
expect_serve_alive "after the browser"
serve_stop "the server"
