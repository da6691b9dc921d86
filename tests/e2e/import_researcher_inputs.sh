#!/usr/bin/env bash
# import_researcher_inputs.sh BINARY - every researcher-style input of tests/data imports
# into a fresh database with the right counts, Thai text (exact UTF-8), coordinates (to
# 1e-6 degrees), registry metadata and a valid spatial index. Expected values are the ones
# in tests/data/README.md (checked there with GDAL).
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"

# A bbox in central Chiang Mai that holds some, but not all, features of every layer here.
BBOX=(98.975 18.775 98.995 18.795)

section "Indian 1975 / UTM 47N shapefile in a zip, CP874 with .cpg"
db=tambon_indian.sqlite
import_fresh $db "$DATA/researcher/cm_tambon_indian1975_utm47n_cp874.zip"
id=cm-tambon-indian1975-utm47n-cp874
expect_eq "$(layer_ids $db)" "$id" "layer ids (from the zip's name)"
check_layer $db $id 204 POLYGON "${BBOX[@]}"
t=$LAYER_TABLE
expect_contains "$(reg $db $id source_crs)" "EPSG:24047" "source_crs"
expect_contains "$(reg $db $id source_encoding)" "CP874" "source_encoding"
expect_eq "$(reg $db $id source_layer)" "cm_tambon_indian1975_utm47n" "source_layer"
expect_eq "$(reg $db $id rejected_count)" 0 "rejected_count"
expect_eq "$(sql $db "SELECT adm3_en || '|' || adm3_th || '|' || adm2_th || '|' || adm1_th FROM \"$t\" WHERE adm3_pcode='TH500101'")" \
    "Si Phum|ศรีภูมิ|เมืองเชียงใหม่|เชียงใหม่" "TH500101 names"
# The Indian 1975 datum shift: read as WGS 84 this vertex lands at 98.998159 18.784595 (626 m off).
expect_lonlat "$(first_vertex $db "$t" "adm3_pcode='TH500101'")" 98.993255 18.787784 \
    "first vertex of TH500101 (Indian 1975 datum shift applied)"
expect_contains "$RUN_OUT" "EPSG:24047" "summary names the source CRS"
expect_contains "$RUN_OUT" "204" "summary gives the feature count"

section "--s-srs overrides the .prj (the wrong datum, on purpose)"
db=tambon_override.sqlite
import_fresh $db --s-srs EPSG:32647 "$DATA/researcher/cm_tambon_indian1975_utm47n_cp874.zip"
id=cm-tambon-indian1975-utm47n-cp874
t=$(reg $db $id table_name)
expect_contains "$(reg $db $id source_crs)" "EPSG:32647" "source_crs with --s-srs EPSG:32647"
# tests/data/README.md: read as WGS 84 / UTM 47N the vertex lands 626 m away.
expect_lonlat "$(first_vertex $db "$t" "adm3_pcode='TH500101'")" 98.998159 18.784595 \
    "first vertex of TH500101 with the .prj overridden by --s-srs EPSG:32647"

section "UTM 47N shapefile folder, CP874 without .cpg (encoding detected)"
db=tambon_nocpg.sqlite
import_fresh $db "$DATA/tambon_mueang_32647_cp874_nocpg"
id=tambon-mueang-32647-cp874-nocpg
expect_eq "$(layer_ids $db)" "$id" "layer ids (from the folder's name)"
check_layer $db $id 16 POLYGON "${BBOX[@]}"
t=$LAYER_TABLE
expect_contains "$(reg $db $id source_crs)" "EPSG:32647" "source_crs"
expect_contains "$(reg $db $id source_encoding)" "CP874" "source_encoding (detected: no .cpg, LDID 0)"
expect_eq "$(sql $db "SELECT adm3_en || '|' || adm3_th || '|' || adm2_th || '|' || adm1_th FROM \"$t\" WHERE adm3_pcode='TH500101'")" \
    "Si Phum|ศรีภูมิ|เมืองเชียงใหม่|เชียงใหม่" "TH500101 names"
expect_lonlat "$(first_vertex $db "$t" "adm3_pcode='TH500101'")" 98.993255 18.787784 \
    "first vertex of TH500101"
expect_eq "$(sql $db "SELECT group_concat(adm3_pcode, ',') FROM (SELECT adm3_pcode FROM \"$t\" ORDER BY adm3_pcode)")" \
    "TH500101,TH500102,TH500103,TH500104,TH500105,TH500106,TH500107,TH500108,TH500109,TH500110,TH500111,TH500112,TH500113,TH500114,TH500115,TH500116" \
    "the 16 tambon of Mueang Chiang Mai"

section "--encoding overrides the detection"
db=latin1.sqlite
import_fresh $db --encoding ISO-8859-1 "$DATA/tambon_mueang_32647_cp874_nocpg"
id=tambon-mueang-32647-cp874-nocpg
t=$(reg $db $id table_name)
latin1=$(sql $db "SELECT adm3_th FROM \"$t\" WHERE adm3_pcode='TH500101'")
# The CP874 bytes c8 c3 d5 c0 d9 c1 d4 read as ISO-8859-1.
expect_eq "$latin1" "ÈÃÕÀÙÁÔ" "adm3_th of TH500101 read as ISO-8859-1 (mojibake)"
expect_ne "$latin1" "ศรีภูมิ" "adm3_th read as ISO-8859-1"
expect_contains "$(reg $db $id source_encoding)" "ISO-8859-1" "source_encoding with --encoding ISO-8859-1"
db=cp874.sqlite
import_fresh $db --encoding CP874 "$DATA/tambon_mueang_32647_cp874_nocpg/tambon_mueang.shp"
id=tambon-mueang
t=$(reg $db $id table_name)
expect_eq "$(sql $db "SELECT adm3_th || '|' || adm2_th FROM \"$t\" WHERE adm3_pcode='TH500101'")" \
    "ศรีภูมิ|เมืองเชียงใหม่" "TH500101 names with --encoding CP874"
expect_contains "$(reg $db $id source_encoding)" "CP874" "source_encoding with --encoding CP874"

section "CSV with lon/lat columns: UTF-8, and UTF-8 with BOM and CRLF"
for variant in utf8 utf8bom_crlf; do
    db=csv_$variant.sqlite
    import_fresh $db "$DATA/researcher/cm_cbd_temples_schools_health_latlon_$variant.csv"
    id=cm-cbd-temples-schools-health-latlon-${variant//_/-}
    expect_eq "$(layer_ids $db)" "$id" "layer ids ($variant)"
    check_layer $db "$id" 458 POINT "${BBOX[@]}"
    t=$LAYER_TABLE
    expect_contains "$(reg $db "$id" source_crs)" "EPSG:4326" "source_crs ($variant)"
    expect_eq "$(sql $db "SELECT name || '|' || category FROM \"$t\" WHERE poi_id = 209")" \
        "วัดพระสิงห์|temple" "poi_id 209 ($variant)"
    expect_lonlat "$(point_of $db "$t" "poi_id = 209")" 98.981382 18.788585 "poi_id 209 ($variant)"
    expect_eq "$(sql $db "SELECT group_concat(poi_id, ',') FROM (SELECT poi_id FROM \"$t\" WHERE name = 'วัดเชียงมั่น' ORDER BY poi_id)")" \
        "160,216" "duplicate names kept ($variant)"
    expect_eq "$(sql $db "SELECT category || ':' || count(*) FROM \"$t\" GROUP BY category ORDER BY category" | tr '\n' ' ')" \
        "hospital:133 school:144 temple:181 " "rows per category ($variant)"
    # The first attribute column is exactly poi_id (no BOM bytes glued to it).
    expect_eq "$(sql $db "SELECT hex(name) FROM pragma_table_info('$t') WHERE cid = 2")" \
        "$(printf poi_id | od -An -tx1 | tr -d ' \n' | tr a-f A-F)" "first attribute column name bytes ($variant)"
    expect_eq "$(reg $db "$id" fields | jq -r '[.[].name] | join(",")')" "poi_id,name,category" \
        "registry fields ($variant)"
    expect_eq "$(reg $db "$id" "printf('%.6f %.6f %.6f %.6f', min_lon, min_lat, max_lon, max_lat)")" \
        "98.937651 18.750024 99.032870 18.829536" "registry extent ($variant)"
    sql $db "SELECT poi_id, name, category, ST_AsText(geom) FROM \"$t\" ORDER BY poi_id" >"rows_$variant.txt"
done
if ! cmp -s rows_utf8.txt rows_utf8bom_crlf.txt; then
    fail "the two CSV variants give different rows: $(diff rows_utf8.txt rows_utf8bom_crlf.txt | head -5)"
fi
ok

section "GeoPackage with two layers in two CRSs"
db=gpkg.sqlite
import_fresh $db "$DATA/two_layers.gpkg"
walls=two-layers-old-city-walls-utm47n
marks=two-layers-landmarks-wgs84
expect_eq "$(layer_ids $db)" "$marks $walls" "layer ids (<file>-<layer>)"
check_layer $db $walls 14 MULTIPOLYGON "${BBOX[@]}"
t=$LAYER_TABLE
expect_contains "$(reg $db $walls source_crs)" "EPSG:32647" "walls source_crs"
expect_eq "$(reg $db $walls source_layer)" "old_city_walls_utm47n" "walls source_layer"
expect_eq "$(sql $db "SELECT name_th || '|' || name_en FROM \"$t\" WHERE osm_way_id = 263459882")" \
    "แจ่งศรีภูมิ|Chaeng Siphum" "wall 263459882 names"
expect_lonlat "$(first_vertex $db "$t" "osm_way_id = 263459882")" 98.9930934 18.7952412 \
    "first vertex of wall 263459882 (from UTM 47N)"
expect_eq "$(sql $db "SELECT count(*) FROM \"$t\" WHERE name_th IS NULL")" 8 "walls without name_th"
check_layer $db $marks 46 POINT "${BBOX[@]}"
t=$LAYER_TABLE
expect_contains "$(reg $db $marks source_crs)" "EPSG:4326" "landmarks source_crs"
expect_eq "$(reg $db $marks source_layer)" "landmarks_wgs84" "landmarks source_layer"
expect_eq "$(sql $db "SELECT name || '|' || kind FROM \"$t\" ORDER BY fid LIMIT 1")" \
    "สถานีขนส่ง อาเขต (หมายเลข 2)|bus" "first landmark"
expect_lonlat "$(point_of $db "$t" "fid = (SELECT min(fid) FROM \"$t\")")" 99.017243 18.800791 "first landmark"
expect_eq "$(reg $db $marks "printf('%.6f %.6f %.6f %.6f', min_lon, min_lat, max_lon, max_lat)")" \
    "98.946133 18.750256 99.032720 18.813853" "landmarks registry extent"

section "KML (LIBKML): 46 placemarks"
db=kml.sqlite
import_fresh $db "$DATA/researcher/cm_cbd_landmarks.kml"
id=cm-cbd-landmarks
expect_eq "$(layer_ids $db)" "$id" "layer ids"
check_layer $db $id 46 POINT "${BBOX[@]}"
t=$LAYER_TABLE
expect_contains "$(reg $db $id source_crs)" "EPSG:4326" "source_crs"
expect_eq "$(sql $db "SELECT Name || '|' || description FROM \"$t\" ORDER BY fid LIMIT 1")" \
    "สถานีขนส่ง อาเขต (หมายเลข 2)|bus" "first placemark"
expect_lonlat "$(point_of $db "$t" "fid = (SELECT min(fid) FROM \"$t\")")" 99.017243 18.800791 "first placemark"

section "Shapefile without .prj, --s-srs EPSG:32647"
db=nocrs.sqlite
import_fresh $db --s-srs EPSG:32647 "$DATA/no_crs"
id=no-crs
expect_eq "$(layer_ids $db)" "$id" "layer ids"
check_layer $db $id 5 POINT "${BBOX[@]}"
t=$LAYER_TABLE
expect_contains "$(reg $db $id source_crs)" "EPSG:32647" "source_crs with --s-srs"
expect_eq "$(sql $db "SELECT name || '|' || kind FROM \"$t\" ORDER BY fid LIMIT 1")" \
    "สถานีขนส่ง อาเขต (หมายเลข 2)|bus" "first point"
expect_lonlat "$(point_of $db "$t" "fid = (SELECT min(fid) FROM \"$t\")")" 99.017243 18.800791 \
    "first point (EPSG:32647 -> 4326)"
expect_lonlat "$(point_of $db "$t" "name = 'Chang Phuak Bus Station'")" 98.986756 18.800138 "Chang Phuak Bus Station"
expect_lonlat "$(point_of $db "$t" "name = 'เชียงใหม่'")" 99.016823 18.783522 "Chiang Mai railway station"
expect_lonlat "$(point_of $db "$t" "name = 'อนุสาวรีย์ครูบาศรีวิชัย'")" 98.946133 18.812828 "Kruba Srivichai monument"
expect_lonlat "$(point_of $db "$t" "name = 'อนุสาวรีย์สามกษัตริย์'")" 98.987352 18.790230 "Three Kings monument"
