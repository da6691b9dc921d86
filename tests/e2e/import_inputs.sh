#!/usr/bin/env bash
# import_inputs.sh BINARY - the files researchers bring (issue 15): GPX with empty standard
# layers, CSV saved by Thai Excel (CP874), CSV/XLSX/ODS coordinate columns, shapefiles with
# a missing .dbf or an "ANSI" CP874 .dbf, Thai file names. Fixtures: tests/data/inputs/,
# made by scripts/make_input_fixtures.sh; expected values in tests/data/README.md, section 6.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"

IN=$DATA/inputs
# A bbox in central Chiang Mai that holds some, but not all, features of the layers here.
BBOX=(98.9752 18.7752 98.9952 18.7952) # off the 0.001° grid of the tambon centres

section "GPX: the waypoints are imported, the empty standard layers skipped with a note"
db=gpx.sqlite
import_fresh $db "$IN/gpx_folder/cm_landmarks.gpx"
expect_eq "$(layer_ids $db)" "cm-landmarks" "layer ids (one non-empty layer: the file's name)"
check_layer $db cm-landmarks 46 POINT 98.98 18.79 99.02 18.81
t=$LAYER_TABLE
expect_eq "$(reg $db cm-landmarks source_layer)" "waypoints" "source_layer"
expect_eq "$(sql $db "SELECT name FROM \"$t\" ORDER BY fid LIMIT 1")" \
    "สถานีขนส่ง อาเขต (หมายเลข 2)" "first waypoint's name"
expect_lonlat "$(point_of $db "$t" "fid = (SELECT min(fid) FROM \"$t\")")" 99.017243 18.800791 "first waypoint"
for l in routes tracks route_points track_points; do
    expect_contains "$RUN_OUT" "cm_landmarks.gpx: layer '$l' is empty; skipped" "note for $l"
done

section "GPX in a folder beside a GeoJSON: the folder imports"
db=gpx_folder.sqlite
import_fresh $db "$IN/gpx_folder"
expect_eq "$(layer_ids $db)" "cm-landmarks tambon-mueang" "layer ids (the file names in a folder)"
check_layer $db cm-landmarks 46 POINT
check_layer $db tambon-mueang 16 POLYGON

section "A shapefile without its .dbf is refused, naming the file"
db=nodbf.sqlite
rm -f $db
run "$BIN" import --db $db "$IN/shp_no_dbf"
expect_rc 3 "import of a shapefile without .dbf"
expect_contains "$RUN_OUT" "shp_no_dbf/tambon.shp: the .dbf attribute table is missing" "message"
expect_no_db_files $db "after a refused first import"

section "CSV saved by Thai Excel (CP874, CRLF): every row kept, Thai decoded"
db=csv_cp874.sqlite
import_fresh $db "$IN/tambon_cp874.csv"
id=tambon-cp874
check_layer $db $id 204 POINT "${BBOX[@]}"
t=$LAYER_TABLE
expect_eq "$(reg $db $id source_encoding)" "CP874 (detected)" "source_encoding"
expect_eq "$(sql $db "SELECT tambon_th || '|' || tambon_en || '|' || amphoe_th FROM \"$t\" WHERE tambon_code = 500101")" \
    "ศรีภูมิ|Si Phum|เมืองเชียงใหม่" "tambon 500101"
expect_lonlat "$(point_of $db "$t" "tambon_code = 500101")" 98.985 18.796 "tambon 500101"
expect_eq "$(sql $db "SELECT count(*) FROM \"$t\" WHERE tambon_th GLOB '*[ก-๙]*'")" 204 "rows with Thai names"
expect_contains "$RUN_OUT" "CP874 (detected)" "summary names the encoding"

section "--encoding is honoured for CSV"
db=csv_latin1.sqlite
import_fresh $db --encoding ISO-8859-1 "$IN/tambon_cp874.csv"
t=$(reg $db tambon-cp874 table_name)
expect_eq "$(sql $db "SELECT tambon_th FROM \"$t\" WHERE tambon_code = 500101")" "ÈÃÕÀÙÁÔ" \
    "CP874 bytes read as ISO-8859-1 when asked"
expect_eq "$(reg $db tambon-cp874 source_encoding)" "ISO-8859-1 (given)" "source_encoding"
run "$BIN" check --encoding UTF-8 "$IN/tambon_cp874.csv"
expect_rc 3 "check with the wrong --encoding UTF-8"
expect_contains "$RUN_OUT" "feature 1 (source fid 1): field 'tambon_th' is not valid UTF-8 text" \
    "the first rejected row and its field"
run "$BIN" check --encoding KLINGON-9 "$IN/tambon_cp874.csv"
expect_rc 3 "check with an unknown encoding"
expect_contains "$RUN_OUT" "unknown encoding 'KLINGON-9'" "message"

section "CP874 .dbf whose header says ANSI (0x57), no .cpg, Thai only after feature 2,000"
db=ansi.sqlite
import_fresh $db "$IN/shp_ansi_cp874"
id=shp-ansi-cp874
check_layer $db $id 2200 POINT
t=$LAYER_TABLE
expect_eq "$(reg $db $id source_encoding)" "CP874 (detected; the DBF header says ANSI)" "source_encoding"
expect_eq "$(sql $db "SELECT name FROM \"$t\" WHERE fid = (SELECT min(fid) FROM \"$t\") + 2100")" \
    "ธนาคารไทยพาณิชย์" "feature 2100 (the first Thai name)"
expect_eq "$(sql $db "SELECT name FROM \"$t\" WHERE fid = (SELECT max(fid) FROM \"$t\")")" \
    "วัดหนองคำ" "the last feature (GDAL: -oo ENCODING=CP874 -fid 2199)"
expect_eq "$(sql $db "SELECT count(*) FROM \"$t\" WHERE name GLOB '*[ก-๙]*'")" 100 "Thai names"

section "check shows decoded sample values, so a dry run reveals the encoding chosen"
run "$BIN" check "$IN/shp_ansi_cp874"
expect_rc 0 "check"
expect_contains "$RUN_OUT" "shp-ansi-cp874: text as decoded (CP874 (detected; the DBF header says ANSI)):
  name = ธนาคารไทยพาณิชย์" "decoded samples in the summary"

section "Language driver 0: the sample is spread through the file, not its first 2,000 rows"
cp -r "$IN/shp_ansi_cp874" ldid0
printf '\x00' | dd of=ldid0/pois.dbf bs=1 seek=29 conv=notrunc status=none
run "$BIN" check ldid0
expect_rc 0 "check with LDID 0"
expect_contains "$RUN_OUT" "CP874 (detected)" "encoding detected from features after the 2,000th"

section "Thai file names make readable, distinct ids (ICU Thai-Latin)"
db=thai_names.sqlite
import_fresh $db "$IN/thai_names"
expect_eq "$(layer_ids $db)" "maena-2566 rong-phyabal thnn-2566" "ids of โรงพยาบาล, ถนน 2566, แม่น้ำ 2566"
check_layer $db rong-phyabal 5 POINT
check_layer $db thnn-2566 3 POINT
check_layer $db maena-2566 4 POINT

section "Names that romanise alike get a numbered id, with a note"
db=thai_collide.sqlite
import_fresh $db "$IN/thai_collide"
expect_eq "$(layer_ids $db)" "maena-2566 maena-2566-2" "ids"
check_layer $db maena-2566 4 POINT
check_layer $db maena-2566-2 2 POINT
expect_contains "$RUN_OUT" "แม่น้ำ_2566.geojson: its layer id is 'maena-2566-2', since another layer of this import was already called 'maena-2566'" "note"
run "$BIN" check --id rivers "$IN/thai_collide"
expect_rc 3 "a given id is never renumbered"
expect_contains "$RUN_OUT" "two layers in this import would both be called" "message"

section "KML with Thai folder (layer) names, as Google My Maps exports"
db=kml_thai.sqlite
import_fresh $db "$IN/my_maps_thai.kml"
expect_eq "$(layer_ids $db)" "my-maps-thai-sthani-khnsng my-maps-thai-xnusawriy" "ids from สถานีขนส่ง and อนุสาวรีย์"
check_layer $db my-maps-thai-sthani-khnsng 2 POINT
check_layer $db my-maps-thai-xnusawriy 8 POINT
expect_eq "$(reg $db my-maps-thai-xnusawriy source_layer)" "อนุสาวรีย์" "source_layer keeps the Thai name"

section "CSV codes with leading zeros stay text"
db=csv_cp874.sqlite
t=$(reg $db tambon-cp874 table_name)
expect_eq "$(sql $db "SELECT moo || '|' || typeof(moo) FROM \"$t\" WHERE tambon_code = 500101")" "01|text" "moo of 500101"
expect_eq "$(reg $db tambon-cp874 fields | jq -r '[.[] | .name + ":" + .type] | join(",")')" \
    "tambon_code:INTEGER,moo:TEXT,tambon_th:TEXT,tambon_en:TEXT,amphoe_th:TEXT" \
    "stored fields (no lat/lon, no untyped twins)"

section "CSV with Thai headers ละติจูด/ลองจิจูด; rows without a point are named with the reason"
db=csv_thai.sqlite
import_fresh $db "$IN/tambon_thai_headers.csv"
id=tambon-thai-headers
check_layer $db $id 204 POINT 98.9802 18.7902 99.0002 18.8002
t=$LAYER_TABLE
expect_lonlat "$(point_of $db "$t" "รหัสตำบล = 500101")" 98.985 18.796 "tambon 500101"
expect_eq "$(sql $db "SELECT count(*) FROM \"$t\" WHERE geom IS NULL")" 7 "rows without a point"
expect_contains "$RUN_OUT" "row 2: no point: 'ละติจูด' is empty" "the empty latitude"
expect_contains "$RUN_OUT" "row 3: no point: 'ลองจิจูด' is 'ไม่ทราบ', not a number" "the note instead of a longitude"
expect_contains "$RUN_OUT" "row 8: no point: 'ลองจิจูด' is 'None', not a number" "the source's own gaps"

section "CSV with X/Y in UTM 47N metres and --s-srs EPSG:32647 (made by GDAL from lon/lat)"
db=csv_utm.sqlite
import_fresh $db --s-srs EPSG:32647 "$IN/tambon_utm47n_xy.csv"
id=tambon-utm47n-xy
check_layer $db $id 204 POINT "${BBOX[@]}"
t=$LAYER_TABLE
expect_eq "$(reg $db $id source_crs)" "EPSG:32647 (given)" "source_crs"
expect_lonlat "$(point_of $db "$t" "tambon_code = 500101")" 98.985 18.796 "tambon 500101 back in lon/lat"
run "$BIN" check "$IN/tambon_utm47n_xy.csv"
expect_rc 4 "metres taken as degrees without --s-srs (rows rejected)"
expect_contains "$RUN_OUT" "outside longitude/latitude range after reprojection: is the source CRS right? (--s-srs)" "message"

section "CSV with a WKT column: QGIS's wkt_geom, and geometry"
for col in wkt_geom geometry; do
    db=csv_$col.sqlite
    import_fresh $db "$IN/tambon_$col.csv"
    id=tambon-${col//_/-}
    check_layer $db $id 204 POINT "${BBOX[@]}"
    t=$LAYER_TABLE
    expect_lonlat "$(point_of $db "$t" "tambon_code = '500101'")" 98.985 18.796 "tambon 500101 ($col)"
    expect_eq "$(reg $db $id fields | jq -r '[.[].name] | join(",")')" "tambon_code,tambon_en" "fields ($col)"
done

section "CSV WKT cells GDAL cannot read: each row named with why, kept without geometry; --strict fails"
db=csv_wkt_bad.sqlite
import_fresh $db "$IN/tambon_wkt_bad.csv"
id=tambon-wkt-bad
check_layer $db $id 204 POINT "${BBOX[@]}"
t=$LAYER_TABLE
expect_eq "$(sql $db "SELECT group_concat(tambon_code, ',') FROM (SELECT tambon_code FROM \"$t\" WHERE geom IS NULL ORDER BY fid)")" \
    "500102,500104,500106,500108,500905,500911,501007,501409" "rows kept without a geometry"
expect_eq "$(reg $db $id fields | jq -r '[.[].name] | join(",")')" "tambon_code,tambon_en" "the WKT column is not stored"
where="tambon-wkt-bad: notes on $IN/tambon_wkt_bad.csv (layer tambon_wkt_bad):"
expect_contains "$RUN_OUT" "$where
  row 2: no geometry: 'wkt_geom' is 'POINT (98.985', not WKT: it is not well-formed (brackets, commas or numbers)
  row 4: no geometry: 'wkt_geom' is 'POINT (98,996 18,796)', not WKT: it is not well-formed (brackets, commas or numbers)
  row 6: no geometry: 'wkt_geom' is empty
  row 8: no geometry: 'wkt_geom' is 'ไม่ทราบ', not WKT: it does not start with a geometry type (POINT, LINESTRING, POLYGON, ...)
  row 83: no geometry: 'wkt_geom' is empty" "each row without geometry: file, layer, row and why"
expect_contains "$RUN_OUT" "tambon-wkt-bad: 8 features have no geometry (kept without one), 3 of them from a cell that cannot be read" "counts"
run "$BIN" check --json "$IN/tambon_wkt_bad.csv"
expect_rc 0 "check --json"
expect_eq "$(jq -r '.layers[0] | [.features, .without_geometry, .unreadable_geometry, .notes[3]] | join("|")' <<<"$RUN_OUT")" \
    "204|8|3|row 8: no geometry: 'wkt_geom' is 'ไม่ทราบ', not WKT: it does not start with a geometry type (POINT, LINESTRING, POLYGON, ...)" "check --json counts and notes"
FP=$(db_fingerprint $db)
run "$BIN" import --db $db --strict "$IN/tambon_wkt_bad.csv"
expect_rc 3 "--strict with unreadable WKT cells"
expect_contains "$RUN_OUT" "tambon-wkt-bad: FAILED: $IN/tambon_wkt_bad.csv (layer tambon_wkt_bad): 3 rows have a geometry cell that cannot be read (see the notes: row and reason) and --strict was given" "message"
expect_unchanged $db "$FP" "a refused --strict import"
run "$BIN" import --db $db --strict --id wkt-good "$IN/tambon_wkt_geom.csv"
expect_rc 0 "--strict with empty WKT cells only (no cell that cannot be read)"
run "$BIN" check --strict "$IN/tambon_thai_headers.csv"
expect_rc 3 "--strict with coordinates that are not numbers"
expect_contains "$RUN_OUT" "tambon-thai-headers: FAILED: $IN/tambon_thai_headers.csv (layer tambon_thai_headers): 6 rows have a geometry cell that cannot be read" "message"

section "XLSX with lat/lon columns becomes points"
import_fresh xlsx.sqlite "$IN/tambon_latlon.xlsx"
check_layer xlsx.sqlite tambon-latlon 204 POINT "${BBOX[@]}"
expect_lonlat "$(point_of xlsx.sqlite "$LAYER_TABLE" "tambon_code = 500101")" 98.985 18.796 "tambon 500101"
expect_eq "$(reg xlsx.sqlite tambon-latlon source_format)" "XLSX" "source_format"

section "ODS with --x-column/--y-column (text cells)"
db=ods.sqlite
run "$BIN" import --db $db "$IN/tambon_latlon.ods"
expect_rc 0 "ODS without the column options: a table"
expect_eq "$(reg $db tambon-latlon "coalesce(geometry_type, 'none')")" none "no geometry without the options"
import_fresh $db --x-column easting_deg --y-column northing_deg "$IN/tambon_latlon.ods"
check_layer $db tambon-latlon 204 POINT "${BBOX[@]}"
t=$LAYER_TABLE
expect_lonlat "$(point_of $db "$t" "tambon_code = 500101")" 98.985 18.796 "tambon 500101"
run "$BIN" check --x-column easting --y-column northing_deg "$IN/tambon_latlon.ods"
expect_rc 3 "a coordinate column that does not exist"
expect_contains "$RUN_OUT" "coordinate column 'easting' is not a field of this layer (fields: tambon_code, tambon_en, northing_deg, easting_deg)" "message"

section "Single and multi polygons in one shapefile are stored as MULTIPOLYGON; statistics accept it"
db=mixed.sqlite
import_fresh $db "$IN/shp_mixed_multi"
id=shp-mixed-multi
check_layer $db $id 15 MULTIPOLYGON
t=$LAYER_TABLE
expect_contains "$RUN_OUT" "14 single Polygons stored as MultiPolygon, like the layer's other 1" "note"
expect_eq "$(sql $db "SELECT ST_NumGeometries(geom) FROM \"$t\" WHERE adm3_pcode = 'TH500101'")" 2 \
    "Si Phum with Nong Pa Khrang: two parts"
run "$BIN" stats --db $db --layer $id --metric area --unit km2 --format json
expect_rc 0 "stats --metric area on the promoted layer"
# SpatiaLite's geodesic area of the same file (ogrinfo -dialect sqlite ST_Area(geometry, 1)):
# 186.045442 km².
expect_near "$(jq -r '.total.value' <<<"$RUN_OUT")" 186.0454 0.01 "total area (km²)"

section "Buddhist-era dates become Common Era, and group with a CE series"
db=reports.sqlite
import_fresh $db "$IN/reports_be.csv" "$IN/reports_ce.csv"
expect_contains "$RUN_OUT" "field 'reported': 204 Buddhist-era dates (years 2400-2700) converted to the Common Era (minus 543 years)" "note"
expect_eq "$(sql $db "SELECT reported FROM \"$(reg $db reports-be table_name)\" WHERE tambon_code = 500102")" \
    "2023-01-15" "2566-01-15 stored as"
for id in reports-be reports-ce; do
    run "$BIN" stats --db $db --layer $id --time reported --interval year --format json
    expect_rc 0 "stats --time on $id"
    expect_eq "$(jq -r '[.rows[] | select(.period != null) | "\(.period):\(.n)"] | unique | join(",")' <<<"$RUN_OUT")" \
        "2023:96,2024:108" "reports per year in $id"
done

section "No .prj on lon/lat data: the hint says EPSG:4326; a wrong CRS lands far and is warned"
run "$BIN" check "$IN/shp_lonlat_noprj"
expect_rc 3 "lon/lat shapefile without .prj"
expect_contains "$RUN_OUT" "shp_lonlat_noprj/points.shp (layer points): has no coordinate reference system (a shapefile without .prj?); its coordinates (98.9461, 18.7835 .. 99.0172, 18.8128) look like longitude/latitude: give --s-srs EPSG:4326 (WGS 84)" "hint"
db=far.sqlite
import_fresh $db "$IN/shp_mixed_multi"
run "$BIN" import --db $db --s-srs EPSG:32647 "$IN/shp_lonlat_noprj"
expect_rc 0 "wrong CRS: imported (the user may mean it), with a warning"
expect_contains "$RUN_OUT" "the data lands far from the city: its extent (94.5121, 0.0002 .. 94.5121, 0.0002) is 18.7 degrees from the other layers' (98.8620, 18.6994 .. 99.0486, 18.8752); is the CRS right? (--s-srs)" "warning"
run "$BIN" import --db $db --s-srs EPSG:4326 "$IN/shp_lonlat_noprj"
expect_rc 0 "the right CRS"
expect_not_contains "$RUN_OUT" "lands far" "no warning with the right CRS"
expect_lonlat "$(point_of $db "$(reg $db shp-lonlat-noprj table_name)" "fid = 1")" 99.017243 18.800791 "first point"

section "--split-types: points, lines and polygons of one layer become one layer each"
db=split.sqlite
import_fresh $db "$IN/survey_mixed.geojson"
expect_eq "$(reg $db survey-mixed geometry_type)" "GEOMETRY" "without the option: one mixed layer"
import_fresh $db --split-types "$IN/survey_mixed.geojson"
expect_eq "$(layer_ids $db)" "survey-mixed-lines survey-mixed-points survey-mixed-polygons" "ids"
check_layer $db survey-mixed-points 3 POINT
check_layer $db survey-mixed-lines 2 LINESTRING
check_layer $db survey-mixed-polygons 2 POLYGON
expect_eq "$(sql $db "SELECT name FROM \"$(reg $db survey-mixed-points table_name)\" ORDER BY fid LIMIT 1")" \
    "สถานีขนส่ง อาเขต (หมายเลข 2)" "the first point keeps its attributes"
import_fresh $db --split-types "$IN/gpx_folder/cm_landmarks.gpx"
expect_eq "$(layer_ids $db)" "cm-landmarks" "a layer of one kind is not split"
