#!/usr/bin/env bash
# Regenerate the generated importer test fixtures in tests/data/ from the open
# (redistributable) datasets bundled in datasets/.  See tests/data/README.md for
# what each fixture is for and the values tests can assert.
#
# Reads only from <repo>/datasets/.  Writes only the generated fixtures listed
# below (tests/data/researcher/ and tests/data/README.md are NOT touched: the
# researcher files are byte-for-byte copies made by hand, see the README).
#
# Idempotent and reproducible: every run deletes and rewrites the same files,
# and the timestamps GDAL/zip would embed (DBF "last update" date, GeoPackage
# last_change, zip member times) are pinned, so re-running on another day gives
# byte-identical output and no git diff.
#
# Needs: bash, GDAL >= 3.6 (ogr2ogr, ogrinfo), zip, unzip, truncate, dd, xxd.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SRC="$ROOT/datasets"
OUT="$ROOT/tests/data"

TAMBON="$SRC/boundaries/chiangmai_tambon.geojson"            # CC BY-IGO (HDX COD-AB via mapthai, MIT)
WALLS="$SRC/landuse/cm_old_city_walls_osm.geojson"           # ODbL (OpenStreetMap)
LANDMARKS="$SRC/poi/cm_cbd_osm_landmarks.geojson"            # ODbL (OpenStreetMap)

for f in "$TAMBON" "$WALLS" "$LANDMARKS"; do
  [[ -f "$f" ]] || { echo "make_test_fixtures: missing source $f" >&2; exit 1; }
done
for tool in ogr2ogr ogrinfo zip unzip truncate dd xxd; do
  command -v "$tool" >/dev/null || { echo "make_test_fixtures: '$tool' not found" >&2; exit 1; }
done

# Pinned timestamps (reproducible output).
export TZ=UTC
export OGR_CURRENT_DATE="2026-01-01T00:00:00.000Z"   # GeoPackage gpkg_contents.last_change
FIXED_TOUCH="2026-01-01 00:00:00"                    # zip member mtimes
# DBF header bytes 1..3 = last update YY(since 1900) MM DD -> 2026-01-01
pin_dbf_date() { printf '\x7e\x01\x01' | dd of="$1" bs=1 seek=1 conv=notrunc status=none; }

die() { echo "make_test_fixtures: CHECK FAILED: $*" >&2; exit 1; }
count_features() {  # count_features <datasource> [layer]; no layer = all layers (-al)
  local args=("$@")
  [[ $# -ge 2 ]] || args=(-al "$1")
  ogrinfo -ro -so "${args[@]}" 2>/dev/null | awk -F': ' '/^Feature Count:/{print $2; exit}'
}

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

MUEANG_WHERE="adm2_pcode='TH5001'"   # Mueang Chiang Mai district: 16 tambon

# ---------------------------------------------------------------------------
# 1. Shapefile in EPSG:32647, CP874 DBF, no .cpg (LDID byte 0)
# ---------------------------------------------------------------------------
D="$OUT/tambon_mueang_32647_cp874_nocpg"
rm -rf "$D"; mkdir -p "$D"
ogr2ogr -f "ESRI Shapefile" -t_srs EPSG:32647 -lco ENCODING=CP874 \
  -where "$MUEANG_WHERE" -nln tambon_mueang \
  "$D/tambon_mueang.shp" "$TAMBON"
rm -f "$D/tambon_mueang.cpg"
pin_dbf_date "$D/tambon_mueang.dbf"
[[ "$(xxd -s 29 -l 1 -p "$D/tambon_mueang.dbf")" == "00" ]] || die "tambon_mueang.dbf LDID byte is not 0"
LC_ALL=C grep -q -a -F "$(printf '\xc8\xc3\xd5\xc0\xd9\xc1\xd4')" "$D/tambon_mueang.dbf" \
  || die "tambon_mueang.dbf does not hold ศรีภูมิ as CP874 bytes c8 c3 d5 c0 d9 c1 d4"
[[ "$(count_features "$D/tambon_mueang.shp")" == 16 ]] || die "tambon_mueang: expected 16 features"

# ---------------------------------------------------------------------------
# 2. GeoPackage with two layers in two CRSs
# ---------------------------------------------------------------------------
G="$OUT/two_layers.gpkg"
rm -f "$G"
ogr2ogr -f GPKG -t_srs EPSG:32647 -nlt MULTIPOLYGON -nln old_city_walls_utm47n \
  "$G" "$WALLS"
ogr2ogr -f GPKG -update -nln landmarks_wgs84 "$G" "$LANDMARKS"
[[ "$(count_features "$G" old_city_walls_utm47n)" == 14 ]] || die "two_layers.gpkg: expected 14 walls"
[[ "$(count_features "$G" landmarks_wgs84)" == 46 ]] || die "two_layers.gpkg: expected 46 landmarks"

# ---------------------------------------------------------------------------
# 3. Points in EPSG:32647 coordinates with NO .prj
#    (.cpg UTF-8 is kept on purpose so only the CRS is missing, not the encoding)
# ---------------------------------------------------------------------------
D="$OUT/no_crs"
rm -rf "$D"; mkdir -p "$D"
ogr2ogr -f "ESRI Shapefile" -t_srs EPSG:32647 -lco ENCODING=UTF-8 -limit 5 \
  -nln points_no_crs "$D/points_no_crs.shp" "$LANDMARKS"
rm -f "$D/points_no_crs.prj"
pin_dbf_date "$D/points_no_crs.dbf"
[[ "$(count_features "$D/points_no_crs.shp")" == 5 ]] || die "points_no_crs: expected 5 features"

# ---------------------------------------------------------------------------
# 4. Broken inputs
# ---------------------------------------------------------------------------
B="$OUT/broken"
rm -rf "$B"; mkdir -p "$B"

# A valid 16-tambon UTF-8 polygon shapefile (EPSG:4326) used as the base.
mk_tambon_utf8() {  # mk_tambon_utf8 <out.shp> <layer name> [extra ogr2ogr args]
  local out="$1" name="$2"; shift 2
  ogr2ogr -f "ESRI Shapefile" -lco ENCODING=UTF-8 -where "$MUEANG_WHERE" \
    -nln "$name" "$@" "$out" "$TAMBON"
  pin_dbf_date "${out%.shp}.dbf"
}

# 4a. truncated/: .shp cut to half its length (.shx still indexes all 16 records)
mkdir -p "$B/truncated"
mk_tambon_utf8 "$B/truncated/tambon_trunc.shp" tambon_trunc
full=$(stat -c %s "$B/truncated/tambon_trunc.shp")
truncate -s $((full / 2)) "$B/truncated/tambon_trunc.shp"

# 4b. dbf_count_mismatch/: 16-record .shp/.shx beside a 10-record .dbf
mkdir -p "$B/dbf_count_mismatch"
mk_tambon_utf8 "$B/dbf_count_mismatch/tambon_dbfmis.shp" tambon_dbfmis
mkdir -p "$TMP/first10"
mk_tambon_utf8 "$TMP/first10/tambon_dbfmis.shp" tambon_dbfmis -limit 10
cp "$TMP/first10/tambon_dbfmis.dbf" "$B/dbf_count_mismatch/tambon_dbfmis.dbf"
# DBF record count (bytes 4..7, little endian) must be 10
[[ "$(xxd -s 4 -l 4 -p "$B/dbf_count_mismatch/tambon_dbfmis.dbf")" == "0a000000" ]] \
  || die "tambon_dbfmis.dbf record count is not 10"

# 4c. corrupt.zip: a valid zipped shapefile with 64 bytes in the middle overwritten
mkdir -p "$TMP/zip"
mk_tambon_utf8 "$TMP/zip/tambon_zip.shp" tambon_zip
touch -d "$FIXED_TOUCH" "$TMP/zip"/tambon_zip.*
(cd "$TMP/zip" && zip -q -X -j "$TMP/tambon_zip.zip" tambon_zip.shp tambon_zip.shx tambon_zip.dbf tambon_zip.prj tambon_zip.cpg)
unzip -tq "$TMP/tambon_zip.zip" >/dev/null || die "base zip is not valid"
cp "$TMP/tambon_zip.zip" "$B/corrupt.zip"
zsize=$(stat -c %s "$B/corrupt.zip")
head -c 64 /dev/zero | tr '\0' '\377' \
  | dd of="$B/corrupt.zip" bs=1 seek=$((zsize / 2)) conv=notrunc status=none
if unzip -tq "$B/corrupt.zip" >/dev/null 2>&1; then die "corrupt.zip still passes unzip -t"; fi

# 4d. not JSON at all, 4e. an empty FeatureCollection
printf 'this is not json\n' > "$B/not_vector.geojson"
printf '{"type":"FeatureCollection","features":[]}\n' > "$B/empty.geojson"

# 4f. three polygons: valid, self-intersecting bow-tie, collapsed to a line.
#     Hand-written geometry (no source data), placed in central Chiang Mai.
cat > "$B/invalid_polygons.geojson" <<'EOF'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":1,"case":"valid","name":"แปลงสี่เหลี่ยมปกติ"},"geometry":{"type":"Polygon","coordinates":[[[98.96,18.78],[98.97,18.78],[98.97,18.79],[98.96,18.79],[98.96,18.78]]]}},
{"type":"Feature","properties":{"id":2,"case":"self_intersection","name":"แปลงรูปโบว์ไขว้ตัดกันเอง"},"geometry":{"type":"Polygon","coordinates":[[[98.98,18.78],[98.99,18.79],[98.99,18.78],[98.98,18.79],[98.98,18.78]]]}},
{"type":"Feature","properties":{"id":3,"case":"collapsed_to_line","name":"แปลงยุบเป็นเส้นตรง"},"geometry":{"type":"Polygon","coordinates":[[[99.0,18.78],[99.01,18.78],[99.005,18.78],[99.0,18.78]]]}}
]}
EOF
[[ "$(count_features "$B/invalid_polygons.geojson")" == 3 ]] || die "invalid_polygons: expected 3 features"

# ---------------------------------------------------------------------------
# Size guard: every fixture under 300 KB
# ---------------------------------------------------------------------------
while IFS= read -r -d '' f; do
  [[ $(stat -c %s "$f") -lt 307200 ]] || die "$f is 300 KB or larger"
done < <(find "$OUT" -type f -print0)

echo "make_test_fixtures: fixtures written under ${OUT#"$ROOT"/}"
