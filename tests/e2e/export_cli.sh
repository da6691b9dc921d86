#!/usr/bin/env bash
# export_cli.sh BINARY - `cityatlas export` on the bundled data and scenarios, read back as a
# reader's tools would: an A3 PDF at 300 dpi is 1191x842 points (portrait 842x1191, A4
# 842x595) with the Thai title as text, a Thai font embedded and the OpenStreetMap credit;
# a PNG has the size its paper and --dpi make (or --width x --height) and many colours; an
# SVG is XML; a GeoPackage opens with ogrinfo with the scenario's layers, its sketches and
# the scenario table. Bad options and an unknown scenario exit 2 naming the problem; a
# missing database exits 5; -o into a missing folder exits 2 and leaves no file.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/e2e/maps_lib.sh
source "$REPO/tests/e2e/maps_lib.sh"

DB=$E2E_TMP/city.sqlite
export CITYATLAS_LOG=warning
bundled_db "$DB" scenarios
ID=kin-di-yu-di
TITLE_TH=$(jq -r ".scenarios[] | select(.id == \"$ID\") | .title.th" "$REPO/datasets/scenarios.json")
TITLE_EN=$(jq -r ".scenarios[] | select(.id == \"$ID\") | .title.en" "$REPO/datasets/scenarios.json")

section "help"
run "$BIN" --help
expect_match "$RUN_OUT" "^ +export +[a-z]" "cityatlas --help lists export"
run "$BIN" export --help
expect_rc 0 "export --help"
expect_contains "$RUN_OUT" "--format" "export --help: --format"

section "PDF"
run "$BIN" export "$ID" --db "$DB" --format pdf --paper A3 -o "$E2E_TMP/a3.pdf" \
    --base-url https://atlas.example
expect_rc 0 "A3 PDF"
expect_eq "$(pdf_page_size "$E2E_TMP/a3.pdf")" "1191x842" "A3 landscape page in points"
TEXT=$(pdftotext "$E2E_TMP/a3.pdf" -)
expect_contains "$TEXT" "$TITLE_TH" "the Thai title is text in the PDF"
expect_contains "$TEXT" "OpenStreetMap" "the OpenStreetMap credit"
expect_contains "$TEXT" "พ.ศ. 25" "the date in the Buddhist era"
expect_ne "$(pdf_thai_font "$E2E_TMP/a3.pdf")" "" "a Thai font is embedded (no boxes)"
run "$BIN" export "$ID" --db "$DB" -o "$E2E_TMP/a3p.pdf" --orientation portrait --lang en
expect_rc 0 "A3 portrait PDF in English (format from the extension)"
expect_eq "$(pdf_page_size "$E2E_TMP/a3p.pdf")" "842x1191" "A3 portrait page"
expect_contains "$(pdftotext "$E2E_TMP/a3p.pdf" -)" "$TITLE_EN" "the English title"
run "$BIN" export "$ID" --db "$DB" -o "$E2E_TMP/a4.pdf" --paper a4
expect_rc 0 "A4 PDF"
expect_eq "$(pdf_page_size "$E2E_TMP/a4.pdf")" "842x595" "A4 landscape page"

section "PNG and SVG"
run "$BIN" export "$ID" --db "$DB" --format png --paper A4 --dpi 100 -o "$E2E_TMP/a4.png"
expect_rc 0 "A4 PNG at 100 dpi"
read -r W H COLOURS < <(png_info "$E2E_TMP/a4.png")
expect_eq "${W}x$H" "1169x827" "A4 landscape at 100 dpi"
expect_int -gt "$COLOURS" 20 "distinct colours of the poster (not blank)"
run "$BIN" export "$ID" --db "$DB" --format png --width 900 --height 700 -o "$E2E_TMP/px.png"
expect_rc 0 "PNG by pixels"
read -r W H COLOURS < <(png_info "$E2E_TMP/px.png")
expect_eq "${W}x$H" "900x700" "--width x --height"
run "$BIN" export "$ID" --db "$DB" --format svg -o "$E2E_TMP/a3.svg"
expect_rc 0 "SVG"
expect_match "$(head -c 400 "$E2E_TMP/a3.svg")" "^<\?xml|<svg" "the SVG is XML"
expect_contains "$(head -c 600 "$E2E_TMP/a3.svg")" "<svg" "the SVG has its <svg> element"

section "GeoPackage"
run "$BIN" export "$ID" --db "$DB" --format gpkg -o "$E2E_TMP/k.gpkg"
expect_rc 0 "GeoPackage"
run ogrinfo -so -al "$E2E_TMP/k.gpkg"
expect_rc 0 "ogrinfo opens the bundle"
for layer in $(jq -r ".scenarios[] | select(.id == \"$ID\") | .layers[].collection" \
    "$REPO/datasets/scenarios.json"); do
    expect_contains "$RUN_OUT" "Layer name: $layer" "bundle layer $layer"
done
N_SKETCHES=$(jq ".scenarios[] | select(.id == \"$ID\") | .sketches.features | length" \
    "$REPO/datasets/scenarios.json")
# The sketches come in a table per shape (points, lines, polygons): together, every one.
SKETCH_COUNT=$(awk '/^Layer name: / { f = ($3 ~ /^scenario-'"$ID"'-sketches-(points|lines|polygons)$/) }
    f && /^Feature Count:/ { n += $3 } END { print n + 0 }' <<<"$RUN_OUT")
expect_eq "$SKETCH_COUNT" "$N_SKETCHES" "the sketch tables hold every sketch"
expect_contains "$RUN_OUT" "Layer name: scenario"$'\n' "the scenario metadata table"
run ogrinfo -q "$E2E_TMP/k.gpkg" -sql "SELECT value FROM scenario WHERE key = 'title_th'"
expect_contains "$RUN_OUT" "$TITLE_TH" "the scenario table holds the Thai title"

section "refusals"
run "$BIN" export "$ID" --db "$DB" --format tiff -o "$E2E_TMP/x.tiff"
expect_rc 2 "an unknown format"
expect_contains "$RUN_ERR" "--format" "an unknown format: message"
run "$BIN" export "$ID" --db "$DB" -o "$E2E_TMP/x.pdf" --paper B5
expect_rc 2 "an unknown paper"
run "$BIN" export "$ID" --db "$DB" -o "$E2E_TMP/x.png" --dpi 5000
expect_rc 2 "dpi out of range"
expect_contains "$RUN_ERR" "--dpi" "dpi out of range: message"
run "$BIN" export "$ID" --db "$DB" -o "$E2E_TMP/x.png" --width 500
expect_rc 2 "--width without --height"
run "$BIN" export "$ID" --db "$DB" -o "$E2E_TMP/x.pdf" --dpi 300
expect_rc 2 "--dpi on a PDF"
run "$BIN" export "$ID" --db "$DB"
expect_rc 2 "no -o"
run "$BIN" export "$ID" --db "$DB" -o "$E2E_TMP/x.doc"
expect_rc 2 "no --format and an unknown extension"
run "$BIN" export no-such-scenario --db "$DB" -o "$E2E_TMP/x.pdf"
expect_rc 2 "an unknown scenario"
expect_contains "$RUN_ERR" "no-such-scenario" "an unknown scenario is named"
run "$BIN" export "$ID" --db "$E2E_TMP/missing.sqlite" -o "$E2E_TMP/x.pdf"
expect_rc 5 "a missing database"
expect_file_absent "$E2E_TMP/missing.sqlite" "export creates no database"
for ext in pdf gpkg; do
    run "$BIN" export "$ID" --db "$DB" -o "$E2E_TMP/no/such/folder/x.$ext"
    expect_rc 2 "-o into a missing folder ($ext)"
    expect_contains "$RUN_ERR" "does not exist" "-o into a missing folder ($ext): message"
    expect_file_absent "$E2E_TMP/no" "-o into a missing folder ($ext) leaves nothing"
done
expect_file_absent "$E2E_TMP/x.pdf" "no refused export left a file"
expect_eq "$(find "$E2E_TMP" -maxdepth 1 -name '*.XXXXXX' -o -maxdepth 1 -name '*.pdf.*' | wc -l)" "0" \
    "no temporary files are left"
