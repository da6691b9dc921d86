#!/usr/bin/env bash
# scenario_outputs.sh BINARY - the outputs carry the people's words (issue 12), on a workshop
# scenario of 24 sketches (16 points in a crowd of a few dozen metres, 4 lines, 4 areas)
# added over HTTP, one point then hidden by the facilitator, read as readers' tools read
# them (the hidden sketch in none of them):
#   - the A4 portrait PDF poster (pdftotext): every public note is in its notes table, which
#     continues on further pages, the table's numbers are 1..23 in sketch order, and the
#     numbers drawn on the map (the numeric words above the table, pdftotext -bbox) are the
#     same 1..23;
#   - the comparison sheet with another scenario: each sketch kind's count row is printed
#     under both columns, as is the other scenario's statistic (a dash where one lacks it);
#   - the GeoPackage: the sketches in a points, a lines and a polygons table with the kind
#     titles beside the kind, and a layer_styles row per table whose QML and SLD parse;
#   - the sketches as CSV start with a UTF-8 BOM;
#   - the shape views /collections/scenario-<id>-sketches-points|lines|polygons read by
#     GDAL's OAPIF driver hold every sketch, and (when python3-qgis is there) QGIS loads
#     each view with all its features and opens the GeoPackage's tables with their styles.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/e2e/serve_lib.sh
source "$REPO/tests/e2e/serve_lib.sh"
# shellcheck source=tests/e2e/maps_lib.sh
source "$REPO/tests/e2e/maps_lib.sh"

DB=$E2E_TMP/city.sqlite
export CITYATLAS_LOG=warning
serve_bundled_db "$DB"
run "$BIN" token create --db "$DB" --name outputs-test
expect_rc 0 "token create"
TOKEN=$(grep -Eo 'cat_[A-Za-z0-9_-]{43}' <<<"$RUN_OUT" | head -1)
serve_start "$DB"
AUTH=(-H "Authorization: Bearer $TOKEN")
SID=people-words
OTHER=$(jq -r '.scenarios[0].id' "$REPO/datasets/scenarios.json")

section "a workshop's sketches"
# No digit in the title or narrative: the numbers above the notes table are the map's.
cat >scenario.json <<EOF
{"id": "$SID", "title": {"th": "เสียงของผู้คน", "en": "People's words"},
 "narrative": {"th": "ความคิดเห็นจากเวทีประชาคม", "en": "Ideas from the town hall"},
 "extent": [98.97, 18.77, 99.01, 18.81], "layers": [{"collection": "cm-cbd-landmarks"}]}
EOF
code=$(curl -sS -o post.json -w '%{http_code}' -X POST "$BASE/scenarios" "${AUTH[@]}" \
    -H 'Content-Type: application/json' --data @scenario.json)
expect_eq "$code" 201 "the scenario is created"
python3 - >sketches.json <<'PY'
import json
kinds = ["proposal", "problem", "asset"]
groups = ["ผู้สูงอายุ", "เยาวชน", "แม่ค้า"]
feats = []
for i in range(16):  # a crowd: 16 points within about 40 m
    feats.append(([98.99 + (i % 4) * 0.0001, 18.79 + (i // 4) * 0.0001], "Point"))
for i in range(4):
    y = 18.775 + i * 0.008
    feats.append(([[98.975, y], [98.985, y + 0.002], [98.995, y]], "LineString"))
for i in range(4):
    x = 98.973 + i * 0.009
    feats.append(([[[x, 18.8], [x + 0.005, 18.8], [x + 0.005, 18.805], [x, 18.8]]], "Polygon"))
out = []
for i, (coords, gtype) in enumerate(feats):
    out.append({"type": "Feature", "geometry": {"type": gtype, "coordinates": coords},
                "properties": {"kind": kinds[i % 3], "group_name": groups[i % 3],
                               "note": f"โน้ต{i + 1:02d} ทางเดินร่มรื่น note{i + 1:02d}"}})
print(json.dumps({"type": "FeatureCollection", "features": out}, ensure_ascii=False))
PY
code=$(curl -sS -o added.json -w '%{http_code}' -X POST "$BASE/scenarios/$SID/sketches" "${AUTH[@]}" \
    -H 'Content-Type: application/geo+json' --data @sketches.json)
expect_eq "$code" 201 "24 sketches are added"
# A facilitator hides one (a point): kept, but never shown, printed or exported.
HIDDEN_ID=$(jq -r '.features | sort_by(.properties.sketch_id)[4].properties.sketch_id' added.json)
HIDDEN_NOTE=$(jq -r '.features | sort_by(.properties.sketch_id)[4].properties.note' added.json)
code=$(curl -sS -o hidden.json -w '%{http_code}' -X POST "${AUTH[@]}" \
    "$BASE/scenarios/$SID/sketches/$HIDDEN_ID/hide")
expect_eq "$code" 200 "sketch $HIDDEN_ID is hidden"
get "/scenarios/$SID/sketches?limit=1000"
expect_status 200 "the public sketches"
cp "$HTTP_BODY" public.json
N=$(jq '.features | length' public.json)
expect_eq "$N" 23 "public sketches (the hidden one aside)"

section "the poster lists every note, numbered as on the map"
get "/scenarios/$SID/map.pdf?paper=A4&orientation=portrait&lang=en"
expect_status 200 "poster"
cp "$HTTP_BODY" poster.pdf
expect_int -ge "$(pdfinfo poster.pdf | awk '/^Pages:/ { print $2 }')" 2 "the notes continue on a second page"
TEXT=$(pdftotext poster.pdf - | tr -d ' \n')
while IFS= read -r note; do
    expect_contains "$TEXT" "$(tr -d ' \n' <<<"$note")" "the poster lists: $note"
done < <(jq -r '.features | sort_by(.properties.sketch_id)[] | .properties.note' public.json)
expect_not_contains "$TEXT" "$(tr -d ' \n' <<<"$HIDDEN_NOTE")" "the poster leaves out the hidden note"
# Notes in sketch order: each note comes after the one before it in the text.
cat >order.py <<'PY'
import json, sys
text, feats = sys.argv[1], json.load(open(sys.argv[2]))["features"]
notes = [f["properties"]["note"].replace(" ", "") for f in sorted(feats, key=lambda f: f["properties"]["sketch_id"])]
pos = [text.find(n) for n in notes]
print("in order" if all(a < b for a, b in zip(pos, pos[1:])) else f"out of order: {pos}")
PY
run python3 order.py "$TEXT" public.json
expect_eq "$RUN_OUT" "in order" "the table rows follow the sketch ids"
pdftotext -bbox poster.pdf words.html
cat >numbers.py <<'PY'
"""The numbers on the map (numeric words above the table's heading on page 1, the scale
bar's length aside) and in the table's first column (under "No." on every page)."""
import re, sys
pages, page = [], None
for line in open(sys.argv[1], encoding="utf-8"):
    if "<page" in line:
        page = []
        pages.append(page)
    m = re.search(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', line)
    if m and page is not None:
        page.append((float(m[1]), float(m[2]), float(m[3]), m[5]))
first = pages[0]
heading_y = min(y for x, y, _, w in first if w.startswith("Participants"))
on_map = set()
for i, (x, y, _, w) in enumerate(first):
    after = first[i + 1][3] if i + 1 < len(first) else ""
    if w.isdigit() and y < heading_y and after not in ("km", "m"):
        on_map.add(int(w))
in_table = []
for words in pages:
    heads = [x for x, y, _, w in words if w == "No."]
    if heads:
        in_table += [int(w) for i, (x, y, _, w) in enumerate(words)
                     if w.isdigit() and abs(x - heads[0]) < 3
                     and (i + 1 == len(words) or words[i + 1][3] != "more")]  # "14 more notes"
n = int(sys.argv[2])
print(sorted(on_map) == list(range(1, n + 1)), sorted(in_table) == list(range(1, n + 1)),
      len(in_table), sorted(on_map))
PY
run python3 numbers.py words.html "$N"
expect_contains "$RUN_OUT" "True True $N" "numbers 1..$N once each in the table and all on the map"
get "/scenarios/$SID/map.png?paper=A4&dpi=72"
expect_status 200 "the poster as PNG"

section "the comparison sheet: the same rows under every scenario"
get "/scenarios/compare.pdf?ids=$SID,$OTHER&lang=en"
expect_status 200 "compare"
cp "$HTTP_BODY" compare.pdf
CT=$(pdftotext compare.pdf - | tr -d ' \n')
for kind in Proposal Problem Asset; do
    expect_eq "$({ grep -o "Sketches:$kind" <<<"$CT" || true; } | wc -l)" 2 "the row of $kind sketches under both maps"
done
STAT=$(jq -r --arg id "$OTHER" '.scenarios[] | select(.id == $id) | .statistics[0] // empty' \
    "$REPO/datasets/scenarios.json")
if [[ -n $STAT ]]; then
    get "/stats/featured/$STAT?lang=en"
    # Its title's start: a long one is cut to two lines in a column.
    LABEL=$(jqb -r '.title.en' | tr -d ' \n' | cut -c1-30)
    expect_eq "$({ grep -o -F "$LABEL" <<<"$CT" || true; } | wc -l)" 2 \
        "$OTHER's statistic on its row under both maps (a dash under $SID)"
fi

section "the GeoPackage: a table per shape, kind titles, QGIS styles"
get "/scenarios/$SID.gpkg"
expect_status 200 "gpkg"
cp "$HTTP_BODY" bundle.gpkg
SK=scenario-$SID-sketches
declare -A WANT=([points]=15 [lines]=4 [polygons]=4) # the hidden point aside
declare -A GEOM=([points]="Multi Point" [lines]="Multi Line String" [polygons]="Multi Polygon")
for shape in points lines polygons; do
    run ogrinfo -ro -so bundle.gpkg "$SK-$shape"
    expect_rc 0 "ogrinfo $SK-$shape"
    expect_contains "$RUN_OUT" "Feature Count: ${WANT[$shape]}" "$shape: its sketches"
    expect_contains "$RUN_OUT" "Geometry: ${GEOM[$shape]}" "$shape: its geometry type"
    expect_contains "$RUN_OUT" "kind_title_en: String" "$shape: the kind's title beside it"
done
run ogrinfo -ro -q bundle.gpkg -sql "SELECT DISTINCT kind, kind_title_th, kind_title_en FROM \"$SK-points\" WHERE kind = 'problem'"
expect_contains "$RUN_OUT" "kind_title_en (String) = Problem" "the English title of a kind"
run ogrinfo -ro -q bundle.gpkg -sql "SELECT f_table_name, styleName, useAsDefault, styleQML, styleSLD FROM layer_styles ORDER BY f_table_name"
expect_rc 0 "layer_styles reads"
expect_eq "$(grep -c 'f_table_name (String) = ' <<<"$RUN_OUT")" 3 "a style per sketch table"
cat >styles.py <<'PY'
import sqlite3, sys, xml.etree.ElementTree as ET
db = sqlite3.connect(sys.argv[1])
for table, qml, sld, default in db.execute(
        "SELECT f_table_name, styleQML, styleSLD, useAsDefault FROM layer_styles ORDER BY 1"):
    root = ET.fromstring(qml.split("\n", 1)[1])  # after the DOCTYPE line
    cats = root.findall("./renderer-v2/categories/category")
    rules = ET.fromstring(sld.encode()).findall(".//{http://www.opengis.net/se}Rule")
    print(table, default, root.find("renderer-v2").get("type"), len(cats), len(rules),
          sorted(c.get("value") for c in cats))
PY
run python3 styles.py bundle.gpkg
expect_rc 0 "every QML and SLD parses as XML"
for shape in lines points polygons; do
    expect_contains "$RUN_OUT" "$SK-$shape 1 categorizedSymbol 3 3 ['asset', 'problem', 'proposal']" \
        "$shape: a default style, one category and one rule per kind"
done
run ogrinfo -ro -q bundle.gpkg -sql "SELECT count(*) AS n FROM \"$SK-points\" WHERE note = '$HIDDEN_NOTE'"
expect_contains "$RUN_OUT" "n (Integer) = 0" "the GeoPackage leaves out the hidden sketch"

section "CSV for spreadsheets"
get "/scenarios/$SID/sketches?f=csv&limit=1000"
expect_status 200 "sketches as CSV"
expect_eq "$(head -c 3 "$HTTP_BODY" | od -An -tx1 | tr -d ' ')" "efbbbf" "a UTF-8 BOM first (Excel reads Thai)"
expect_contains "$(cat "$HTTP_BODY")" "โน้ต01" "the Thai note in the CSV"
expect_not_contains "$(cat "$HTTP_BODY")" "$HIDDEN_NOTE" "not the hidden one"

section "one collection per shape: GDAL sees every sketch"
export NO_PROXY='*' no_proxy='*' GDAL_HTTP_TIMEOUT=$SERVE_CURL_MAX_TIME CPL_VSIL_CURL_USE_HEAD=NO
total=0
for shape in points lines polygons; do
    get "/collections/$SK-$shape"
    expect_status 200 "collection $SK-$shape"
    expect_eq "$(jqb -r .cityatlas.shapeOf)" "$SK" "$shape: a view of the sketches"
    run ogrinfo -ro -so "OAPIF:$BASE" "$SK-$shape"
    expect_rc 0 "ogrinfo OAPIF $SK-$shape"
    n=$(awk '/^Feature Count:/ { print $3 }' <<<"$RUN_OUT")
    expect_eq "$n" "${WANT[$shape]}" "$shape through GDAL"
    total=$((total + n))
    get "/collections/$SK-$shape/items?bbox=98.96,18.76,99.02,18.82"
    expect_eq "$(jqb .numberMatched)" "${WANT[$shape]}" "$shape: with a bbox"
done
expect_eq "$total" "$N" "the three shapes hold every sketch"

section "QGIS"
if /usr/bin/python3 -c 'import qgis.core' 2>/dev/null; then
    cat >qgis_probe.py <<'PY'
"""Loads the shape views over OGC API and the GeoPackage's sketch tables in QGIS."""
import json, os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from qgis.core import QgsApplication, QgsVectorLayer  # noqa: E402
base, sk, gpkg = sys.argv[1], sys.argv[2], sys.argv[3]
app = QgsApplication([], False)
app.initQgis()
out = {}
for shape in ("points", "lines", "polygons"):
    lyr = QgsVectorLayer(f"url='{base}/' typename='{sk}-{shape}'", shape, "OAPIF")
    out["oapif " + shape] = [lyr.isValid(), sum(1 for _ in lyr.getFeatures())]
    lyr = QgsVectorLayer(f"{gpkg}|layername={sk}-{shape}", shape, "ogr")
    renderer = lyr.renderer()
    out["gpkg " + shape] = [lyr.isValid(), lyr.featureCount(), renderer.type(),
                            sorted(c.label() for c in renderer.categories())
                            if renderer.type() == "categorizedSymbol" else []]
print(json.dumps(out, ensure_ascii=False), flush=True)
os._exit(0)  # QGIS 3.22 may crash in its teardown; the answer is out
PY
    run timeout "$E2E_CMD_TIMEOUT" /usr/bin/python3 qgis_probe.py "$BASE" "$SK" "$E2E_TMP/bundle.gpkg"
    expect_rc 0 "the QGIS probe"
    Q=$(grep '^{' <<<"$RUN_OUT")
    for shape in points lines polygons; do
        expect_eq "$(jq -c --arg k "oapif $shape" '.[$k]' <<<"$Q")" "[true,${WANT[$shape]}]" "QGIS OAPIF: every $shape sketch"
        expect_eq "$(jq -c --arg k "gpkg $shape" '.[$k]' <<<"$Q")" \
            "[true,${WANT[$shape]},\"categorizedSymbol\",[\"ข้อเสนอ / Proposal\",\"ทุนของเมือง / Asset\",\"ปัญหา / Problem\"]]" \
            "QGIS opens the $shape table with its style"
    done
else
    echo "note: python3-qgis missing: the QGIS checks are skipped (GDAL's above still ran)"
fi

serve_stop "the outputs server"
