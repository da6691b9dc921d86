#!/usr/bin/env bash
# web_base_map.sh BINARY - the web map's base map in a real browser (tests/browser/base_map.mjs
# in Debian's Chromium): on the bundled catalog with no layer ticked, tambon and landmark
# names are placed labels (tambon names inside their polygons, none overlapping, English
# with the English UI) and the river is drawn; on tests/data/road_classes (one road per
# OSM highway class, ranked in the catalog) a primary road is drawn wider than a
# residential one at z15, and the residential one not yet at z11. Screenshots go to
# $CITYATLAS_ARTIFACTS (default: artifacts/web_base_map under the directory ctest runs in).
# Before lib.sh, which moves into a temporary folder removed at exit.
ARTIFACTS=${CITYATLAS_ARTIFACTS:-$PWD/artifacts}/web_base_map
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/e2e/serve_lib.sh
source "$(dirname "$0")/serve_lib.sh"
# shellcheck source=tests/e2e/browser_lib.sh
source "$(dirname "$0")/browser_lib.sh"

DB=$E2E_TMP/city.sqlite
run "$BIN" import --quiet --db "$DB" --catalog "$REPO/datasets/catalog.json"
expect_rc 0 "import of the bundled catalog"
serve_start "$DB"
section "the base map of the bundled city in Chromium"
BASE_MODE=city run_browser_test base_map.mjs "$ARTIFACTS/city" base-city base-city-en
expect_serve_alive "after the browser"
serve_stop "the server"

ROADS_DB=$E2E_TMP/roads.sqlite
run "$BIN" import --quiet --db "$ROADS_DB" --catalog "$REPO/tests/data/road_classes/catalog.json"
expect_rc 0 "import of the road-class fixture"
serve_start "$ROADS_DB"
section "roads drawn by their class in Chromium"
BASE_MODE=roads run_browser_test base_map.mjs "$ARTIFACTS/roads" base-roads-z15
expect_serve_alive "after the browser"
serve_stop "the server"
