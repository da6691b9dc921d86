#!/usr/bin/env bash
# Regenerate tests/data/inputs/: the files researchers bring (GPX, XLSX/ODS, CSV saved by
# Thai Excel, CSV with WKT or projected X/Y columns, Thai headers and file names, shapefiles
# with a missing .dbf or an "ANSI" CP874 .dbf), made from the open files in datasets/.
# See tests/data/README.md, section 6, for sources, licences and the values tests assert.
#
# Reads only <repo>/datasets/; writes only tests/data/inputs/. Idempotent: timestamps GDAL
# would embed are pinned, so a re-run gives the same files.
#
# Needs: bash, GDAL >= 3.6 (ogr2ogr, ogrinfo), python3, iconv, xxd, dd.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SRC="$ROOT/datasets"
OUT="$ROOT/tests/data/inputs"

LANDMARKS="$SRC/poi/cm_cbd_osm_landmarks.geojson"                  # ODbL (OpenStreetMap)
POIS="$SRC/poi/cm_cbd_osm_pois.geojson"                            # ODbL (OpenStreetMap)
TAMBON="$SRC/boundaries/chiangmai_tambon.geojson"                  # CC BY-IGO (HDX COD-AB)
CENTROIDS="$SRC/tables/tambon_centroids_postcodes_cm_lp_cr_sk.csv" # MIT (thailand-geodata)

for f in "$LANDMARKS" "$POIS" "$TAMBON" "$CENTROIDS"; do
    [[ -f "$f" ]] || { echo "make_input_fixtures: missing source $f" >&2; exit 1; }
done
for tool in ogr2ogr ogrinfo python3 iconv xxd dd; do
    command -v "$tool" >/dev/null || { echo "make_input_fixtures: '$tool' not found" >&2; exit 1; }
done

export TZ=UTC
export OGR_CURRENT_DATE="2026-01-01T00:00:00.000Z"
pin_dbf_date() { printf '\x7e\x01\x01' | dd of="$1" bs=1 seek=1 conv=notrunc status=none; }
die() { echo "make_input_fixtures: CHECK FAILED: $*" >&2; exit 1; }
count_features() { ogrinfo -ro -so "$@" 2>/dev/null | awk -F': ' '/^Feature Count:/{print $2; exit}'; }

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
rm -rf "$OUT"
mkdir -p "$OUT"

# 1. GPX: 46 landmarks as waypoints (routes, tracks and their points stay empty), in a
#    folder beside a GeoJSON so that a folder import meets both.
mkdir -p "$OUT/gpx_folder"
ogr2ogr -f GPX "$OUT/gpx_folder/cm_landmarks.gpx" "$LANDMARKS" -nln waypoints -select name
ogr2ogr -f GeoJSON -lco RFC7946=YES -where "adm2_pcode='TH5001'" -select adm3_pcode,adm3_th \
    "$OUT/gpx_folder/tambon_mueang.geojson" "$TAMBON"
[[ "$(count_features "$OUT/gpx_folder/cm_landmarks.gpx" waypoints)" == 46 ]] || die "gpx: 46 waypoints"

# 2. CSV variants of the 204 Chiang Mai tambon centres (python: exact control of bytes).
python3 - "$CENTROIDS" "$OUT" <<'EOF'
import csv, sys
src, out = sys.argv[1], sys.argv[2]
rows = [r for r in csv.DictReader(open(src, encoding="utf-8")) if r["province_code"] == "50"]
assert len(rows) == 204, len(rows)
def write(name, header, make, encoding="utf-8", newline="\n"):
    with open(f"{out}/{name}", "w", encoding=encoding, newline="") as f:
        w = csv.writer(f, lineterminator=newline)
        w.writerow(header)
        for r in rows:
            w.writerow(make(r))
# Thai Excel's "CSV (comma delimited)": CP874 bytes, CRLF; moo keeps its leading zero.
write("tambon_cp874.csv", ["tambon_code", "moo", "tambon_th", "tambon_en", "amphoe_th", "lat", "lon"],
      lambda r: [r["tambon_code"], r["tambon_code"][4:], r["tambon_th"], r["tambon_en"],
                 r["amphoe_th"], r["lat"], r["lon"]], encoding="cp874", newline="\r\n")
# Thai headers; two rows lose their coordinates (an empty cell and a note instead).
def thai(r):
    lat, lon = r["lat"], r["lon"]
    if r["tambon_code"] == "500102":
        lat = ""
    if r["tambon_code"] == "500103":
        lon = "ไม่ทราบ"
    return [r["tambon_code"], r["tambon_th"], lat, lon]
write("tambon_thai_headers.csv", ["รหัสตำบล", "ชื่อตำบล", "ละติจูด", "ลองจิจูด"], thai)
# The same reports dated in the Buddhist era (Thai offices) and in the Common Era: 2566 BE =
# 2023 CE. Half the tambon in January, half in February of the next year.
def reported(r, be):
    first = int(r["tambon_code"]) % 2 == 0
    year = (2566 if first else 2567) - (0 if be else 543)
    return f"{year}-{'01-15' if first else '02-01'}"
write("reports_be.csv", ["tambon_code", "reported", "lat", "lon"],
      lambda r: [r["tambon_code"], reported(r, True), r["lat"], r["lon"]])
write("reports_ce.csv", ["tambon_code", "reported", "lat", "lon"],
      lambda r: [r["tambon_code"], reported(r, False), r["lat"], r["lon"]])
# The source for the projected and WKT variants (made with GDAL below).
write("latlon.csv", ["tambon_code", "tambon_en", "lat", "lon"],
      lambda r: [r["tambon_code"], r["tambon_en"], r["lat"], r["lon"]])
EOF
mv "$OUT/latlon.csv" "$TMP/latlon.csv"
LATLON_OO=(-oo X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat -oo KEEP_GEOM_COLUMNS=NO)
# X/Y in WGS 84 / UTM 47N metres, columns x,y (needs --s-srs EPSG:32647).
ogr2ogr -f CSV -s_srs EPSG:4326 -t_srs EPSG:32647 -lco GEOMETRY=AS_XY "${LATLON_OO[@]}" \
    "$TMP/utm.csv" "$TMP/latlon.csv"
sed '1s/^X,Y,/x,y,/' "$TMP/utm.csv" > "$OUT/tambon_utm47n_xy.csv"
# QGIS's "Save Features As" CSV with geometry AS_WKT names the column wkt_geom.
ogr2ogr -f CSV -lco GEOMETRY=AS_WKT "${LATLON_OO[@]}" "$TMP/wkt.csv" "$TMP/latlon.csv"
sed '1s/^WKT,/wkt_geom,/' "$TMP/wkt.csv" > "$OUT/tambon_wkt_geom.csv"
sed '1s/^WKT,/geometry,/' "$TMP/wkt.csv" > "$OUT/tambon_geometry.csv"
# The same with cells GDAL cannot read as WKT, as hand edits leave them: data row 2 cut
# short, row 4 with decimal commas, row 6 empty, row 8 a Thai note ("unknown").
awk 'BEGIN { FS = OFS = "," }
     NR == 3 { $1 = "\"POINT (98.985\"" }
     NR == 5 { $1 = "\"POINT (98,996 18,796)\"" }
     NR == 7 { $1 = "" }
     NR == 9 { $1 = "ไม่ทราบ" }
     { print }' "$OUT/tambon_wkt_geom.csv" > "$OUT/tambon_wkt_bad.csv"
[[ "$(head -c 3 "$OUT/tambon_cp874.csv" | xxd -p)" == "74616d" ]] || die "cp874 csv header"
LC_ALL=C grep -q -a -F "$(printf '\xc8\xc3\xd5\xc0\xd9\xc1\xd4')" "$OUT/tambon_cp874.csv" \
    || die "tambon_cp874.csv does not hold ศรีภูมิ as CP874"

# 3. XLSX and ODS with lat/lon columns (the same 204 rows, from the UTF-8 CSV).
ogr2ogr -f XLSX -oo AUTODETECT_TYPE=YES "$OUT/tambon_latlon.xlsx" "$TMP/latlon.csv" -nln tambon
ogr2ogr -f ODS -oo AUTODETECT_TYPE=YES "$OUT/tambon_latlon.ods" "$TMP/latlon.csv" -nln tambon \
    -sql "SELECT tambon_code, tambon_en, lat AS northing_deg, lon AS easting_deg FROM latlon"
[[ "$(count_features "$OUT/tambon_latlon.xlsx" tambon)" == 204 ]] || die "xlsx: 204 rows"

# 4. A shapefile whose .dbf was left behind.
mkdir -p "$OUT/shp_no_dbf"
ogr2ogr -f "ESRI Shapefile" -lco ENCODING=UTF-8 -where "adm2_pcode='TH5001'" -nln tambon \
    "$OUT/shp_no_dbf/tambon.shp" "$TAMBON"
rm "$OUT/shp_no_dbf/tambon.dbf" "$OUT/shp_no_dbf/tambon.cpg"

# 5. CP874 .dbf with language driver 0x57 ("ANSI", what GDAL and ArcGIS write) and no .cpg;
#    2,200 POIs whose first 2,100 names are ASCII or empty and the last 100 Thai, so the
#    Thai text only appears after feature 2,000.
mkdir -p "$OUT/shp_ansi_cp874"
ogr2ogr -f "ESRI Shapefile" -lco ENCODING=CP874 -lco RESIZE=YES -nln pois \
    -dialect sqlite -sql "SELECT geometry, substr(name, 1, 24) AS name FROM (
        SELECT * FROM (SELECT geometry, name FROM cm_cbd_osm_pois
                       WHERE name IS NULL OR name NOT GLOB '*[^ -~]*' ORDER BY rowid LIMIT 2100)
        UNION ALL
        SELECT * FROM (SELECT geometry, name FROM cm_cbd_osm_pois
                       WHERE name GLOB '*[ก-๙]*' AND name NOT GLOB '*[^ -~ก-๙]*'
                       ORDER BY rowid LIMIT 100))" \
    "$OUT/shp_ansi_cp874/pois.shp" "$POIS"
rm -f "$OUT/shp_ansi_cp874/pois.cpg"
printf '\x57' | dd of="$OUT/shp_ansi_cp874/pois.dbf" bs=1 seek=29 conv=notrunc status=none
pin_dbf_date "$OUT/shp_ansi_cp874/pois.dbf"
[[ "$(count_features "$OUT/shp_ansi_cp874/pois.shp" pois)" == 2200 ]] || die "ansi: 2200 features"

# 6. Thai file names: one name with no Latin letter, two that differ only before " 2566".
mkdir -p "$OUT/thai_names"
ogr2ogr -f GeoJSON -lco RFC7946=YES -limit 5 -select name "$OUT/thai_names/โรงพยาบาล.geojson" "$LANDMARKS"
ogr2ogr -f GeoJSON -lco RFC7946=YES -limit 3 -select name "$OUT/thai_names/ถนน 2566.geojson" "$LANDMARKS"
ogr2ogr -f GeoJSON -lco RFC7946=YES -limit 4 -select name "$OUT/thai_names/แม่น้ำ 2566.geojson" "$LANDMARKS"
# Two names that romanise alike (a space and an underscore).
mkdir -p "$OUT/thai_collide"
cp "$OUT/thai_names/แม่น้ำ 2566.geojson" "$OUT/thai_collide/แม่น้ำ 2566.geojson"
ogr2ogr -f GeoJSON -lco RFC7946=YES -limit 2 -select name "$OUT/thai_collide/แม่น้ำ_2566.geojson" "$LANDMARKS"

# 7. A KML as Google My Maps exports it: one Document, Thai-named Folders (LIBKML).
ogr2ogr -f LIBKML -where "kind = 'bus'" -select name -nln "สถานีขนส่ง" "$OUT/my_maps_thai.kml" "$LANDMARKS"
ogr2ogr -f LIBKML -update -where "kind = 'monument'" -select name -nln "อนุสาวรีย์" \
    "$OUT/my_maps_thai.kml" "$LANDMARKS"

# 8. Polygons in single and multi parts, as ArcGIS writes a zone layer: the 16 Mueang tambon
#    as a shapefile, Si Phum joined with distant Nong Pa Khrang (TH500114) into one feature.
mkdir -p "$OUT/shp_mixed_multi"
ogr2ogr -f "ESRI Shapefile" -lco ENCODING=UTF-8 -nln zones -dialect sqlite -sql \
    "SELECT adm3_pcode, adm3_en, CASE WHEN adm3_pcode = 'TH500101' THEN ST_Union(geometry,
       (SELECT geometry FROM chiangmai_tambon WHERE adm3_pcode = 'TH500114')) ELSE geometry END
       AS geometry FROM chiangmai_tambon
     WHERE adm2_pcode = 'TH5001' AND adm3_pcode <> 'TH500114'" \
    "$OUT/shp_mixed_multi/zones.shp" "$TAMBON"
pin_dbf_date "$OUT/shp_mixed_multi/zones.dbf"
[[ "$(ogrinfo -ro -q -where "adm3_pcode = 'TH500101'" "$OUT/shp_mixed_multi/zones.shp" zones \
    | grep -c MULTIPOLYGON)" == 1 ]] || die "zones: TH500101 is not a MultiPolygon"

# 9. Lon/lat points in a shapefile whose .prj was lost.
mkdir -p "$OUT/shp_lonlat_noprj"
ogr2ogr -f "ESRI Shapefile" -lco ENCODING=UTF-8 -limit 5 -select name -nln points \
    "$OUT/shp_lonlat_noprj/points.shp" "$LANDMARKS"
rm "$OUT/shp_lonlat_noprj/points.prj"
pin_dbf_date "$OUT/shp_lonlat_noprj/points.dbf"

# 10. Points, lines and polygons in one GeoJSON (a field survey's export): 3 landmarks,
#     2 roads, 2 city-wall polygons.
python3 - "$LANDMARKS" "$SRC/roads/cm_cbd_osm_road_network.geojson" \
    "$SRC/landuse/cm_old_city_walls_osm.geojson" "$OUT/survey_mixed.geojson" <<'PYEOF'
import json, sys
feats = []
for path, n in zip(sys.argv[1:4], (3, 2, 2)):
    for f in json.load(open(path, encoding="utf-8"))["features"][:n]:
        feats.append({"type": "Feature", "properties": {"name": f["properties"].get("name")},
                      "geometry": f["geometry"]})
with open(sys.argv[4], "w", encoding="utf-8") as out:
    json.dump({"type": "FeatureCollection", "features": feats}, out, ensure_ascii=False)
    out.write("\n")
PYEOF

while IFS= read -r -d '' f; do
    [[ $(stat -c %s "$f") -lt 307200 ]] || die "$f is 300 KB or larger"
done < <(find "$OUT" -type f -print0)
echo "make_input_fixtures: fixtures written under ${OUT#"$ROOT"/}"
