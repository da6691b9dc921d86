#!/usr/bin/env bash
# import_errors.sh BINARY - every bad input is refused with the right exit code and a
# message that names the file (and layer or feature) and says what is wrong, and the
# database is exactly as it was (fingerprint of its full .dump). A failed first import
# leaves no database file behind.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"

DB=$E2E_TMP/city.sqlite

# A database holding one good layer.
run "$BIN" import --db "$DB" "$DATA/researcher/cm_cbd_landmarks.kml"
expect_rc 0 "preparing the database"
FP=$(db_fingerprint "$DB")

# refused CODE WHAT IMPORT-ARGS...: `import --db $DB ARGS` exits CODE and changes nothing.
refused() {
    local code=$1 what=$2
    shift 2
    run "$BIN" import --db "$DB" "$@"
    expect_rc "$code" "$what"
    expect_unchanged "$DB" "$FP" "$what"
}

section "missing file"
refused 3 "missing file" "$E2E_TMP/no/such/file.geojson"
expect_contains "$RUN_ALL" "$E2E_TMP/no/such/file.geojson" "missing file: message names it"
expect_match "$RUN_ALL" "no such file|not found|does not exist" "missing file: says what is wrong"

section "folder without vector files"
mkdir -p "$E2E_TMP/notes"
printf 'field notes\n' >"$E2E_TMP/notes/readme.txt"
refused 3 "folder with no vector files" "$E2E_TMP/notes"
expect_contains "$RUN_ALL" "$E2E_TMP/notes" "empty folder: message names it"
expect_match "$RUN_ALL" "no vector" "empty folder: says what is wrong"

section "not a vector file"
refused 3 "not_vector.geojson" "$DATA/broken/not_vector.geojson"
expect_contains "$RUN_ALL" "not_vector.geojson" "not_vector: message names the file"
expect_match "$RUN_ALL" "not a vector|unsupported|cannot (be )?read|corrupt|unable to open" \
    "not_vector: says what is wrong"

section "GeoJSON without features"
refused 3 "empty.geojson" "$DATA/broken/empty.geojson"
expect_contains "$RUN_ALL" "empty.geojson" "empty: message names the file"
expect_match "$RUN_ALL" "no features|0 features|empty" "empty: says what is wrong"

section "truncated shapefile (GDAL itself only warns)"
refused 3 "truncated .shp" "$DATA/broken/truncated"
expect_contains "$RUN_ALL" "tambon_trunc.shp" "truncated: message names the .shp"
expect_match "$RUN_ALL" "truncated|cut|short|incomplete" "truncated: says what is wrong"

section ".dbf with fewer records than the .shp has shapes (GDAL is silent)"
refused 3 "dbf_count_mismatch" "$DATA/broken/dbf_count_mismatch"
expect_contains "$RUN_ALL" "tambon_dbfmis" "dbf mismatch: message names the shapefile"
expect_match "$RUN_ALL" "\b10\b.*\b16\b|\b16\b.*\b10\b" "dbf mismatch: gives both counts (10 records, 16 shapes)"
expect_contains "$RUN_ALL" ".dbf" "dbf mismatch: names the .dbf"

section "corrupt zip"
refused 3 "corrupt.zip" "$DATA/broken/corrupt.zip"
expect_contains "$RUN_ALL" "corrupt.zip" "corrupt zip: message names the zip"
expect_match "$RUN_ALL" "corrupt|damaged|bad zip|cannot (be )?read" "corrupt zip: says what is wrong"

section "zip bomb (300 MB of zeros in ~300 KB)"
# Streamed into the zip by python3 (as `head -c 300000000 /dev/zero` would be), so the
# 300 MB never touch the disk.
python3 - "$E2E_TMP/bomb.zip" <<'EOF'
import sys, zipfile
left, chunk = 300_000_000, bytes(1 << 20)
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    with z.open("zeros.geojson", "w") as f:
        while left:
            f.write(chunk[: min(left, len(chunk))])
            left -= min(left, len(chunk))
EOF
expect_eq "$(unzip -Z -t "$E2E_TMP/bomb.zip" | grep -Eo '^[0-9]+ file, [0-9]+ bytes uncompressed')" \
    "1 file, 300000000 bytes uncompressed" "the zip bomb as made"
refused 3 "zip bomb" "$E2E_TMP/bomb.zip"
expect_contains "$RUN_ALL" "bomb.zip" "zip bomb: message names the zip"
expect_match "$RUN_ALL" "zip bomb|unpacks to|too large|compress" "zip bomb: says what is wrong"
expect_int -le "$RUN_SECONDS" 10 "zip bomb: seconds to refuse (it must not unpack it)"

section "symlink in a folder leading outside it"
mkdir -p "$E2E_TMP/survey" "$E2E_TMP/elsewhere"
cp "$DATA/broken/invalid_polygons.geojson" "$E2E_TMP/elsewhere/private.geojson"
cp "$REPO/datasets/poi/cm_cbd_osm_residential_places.geojson" "$E2E_TMP/survey/villages.geojson"
ln -s ../elsewhere/private.geojson "$E2E_TMP/survey/parcels.geojson"
refused 3 "symlink leading outside the folder" "$E2E_TMP/survey"
expect_contains "$RUN_ALL" "parcels.geojson" "symlink: message names the link"
expect_match "$RUN_ALL" "outside" "symlink: says it leads outside the folder"

section "catalogs: path outside the catalog's folder, unknown key, bad theme"
mkdir -p "$E2E_TMP/cat"
cp "$REPO/datasets/poi/cm_cbd_osm_residential_places.geojson" "$E2E_TMP/cat/villages.geojson"
write_catalog() { # write_catalog FILE PATH THEME [EXTRA-JSON-MEMBERS]
    cat >"$1" <<EOF
{
  "format": "cityatlas-catalog/1",
  "city": {"id": "chiang-mai", "title": {"th": "เชียงใหม่", "en": "Chiang Mai"}},
  "datasets": [
    {
      "id": "villages",
      "title": {"th": "หมู่บ้าน", "en": "Villages"},
      "theme": "$3",
      "description": {"th": "ทดสอบ", "en": "test"},
      "source": "OpenStreetMap",
      "license": "ODbL-1.0",
      "attribution": "© OpenStreetMap contributors",
      "path": "$2"${4:-}
    }
  ]
}
EOF
}
# The control: this catalog is fine (check writes nothing).
write_catalog "$E2E_TMP/cat/good.json" villages.geojson land_housing
run "$BIN" check --catalog "$E2E_TMP/cat/good.json"
expect_rc 0 "check of the control catalog"
expect_unchanged "$DB" "$FP" "check of the control catalog"

write_catalog "$E2E_TMP/cat/outside.json" ../elsewhere/private.geojson land_housing
refused 3 "catalog path outside its folder" --catalog "$E2E_TMP/cat/outside.json"
expect_contains "$RUN_ALL" "outside.json" "catalog outside: message names the catalog"
expect_contains "$RUN_ALL" "datasets[0].path" "catalog outside: names the JSON path"
expect_match "$RUN_ALL" "outside" "catalog outside: says what is wrong"

write_catalog "$E2E_TMP/cat/unknown_key.json" villages.geojson land_housing ', "colour": "red"'
refused 3 "catalog with an unknown key" --catalog "$E2E_TMP/cat/unknown_key.json"
expect_contains "$RUN_ALL" "unknown_key.json" "catalog unknown key: message names the catalog"
expect_contains "$RUN_ALL" "datasets[0]" "catalog unknown key: names the JSON path"
expect_contains "$RUN_ALL" "colour" "catalog unknown key: names the key"
expect_match "$RUN_ALL" "unknown|unexpected|not allowed" "catalog unknown key: says what is wrong"

write_catalog "$E2E_TMP/cat/bad_theme.json" villages.geojson parks
refused 3 "catalog with a bad theme" --catalog "$E2E_TMP/cat/bad_theme.json"
expect_contains "$RUN_ALL" "bad_theme.json" "catalog bad theme: message names the catalog"
expect_contains "$RUN_ALL" "datasets[0].theme" "catalog bad theme: names the JSON path"
expect_contains "$RUN_ALL" "parks" "catalog bad theme: names the value"

section "CRS problems"
refused 3 "no_crs without --s-srs" "$DATA/no_crs"
expect_contains "$RUN_ALL" "points_no_crs" "no CRS: message names the file/layer"
expect_contains "$RUN_ALL" "--s-srs" "no CRS: says to give --s-srs"
refused 3 "--s-srs EPSG:999999" --s-srs EPSG:999999 "$DATA/no_crs"
expect_contains "$RUN_ALL" "EPSG:999999" "unknown CRS: names it"
expect_match "$RUN_ALL" "unknown|invalid|not a valid|not found" "unknown CRS: says what is wrong"

section "--layer that does not exist"
refused 3 "--layer nope" --layer nope "$DATA/two_layers.gpkg"
expect_contains "$RUN_ALL" "two_layers.gpkg" "--layer: message names the file"
expect_contains "$RUN_ALL" "nope" "--layer: names the missing layer"
expect_contains "$RUN_ALL" "old_city_walls_utm47n" "--layer: lists the layers (1)"
expect_contains "$RUN_ALL" "landmarks_wgs84" "--layer: lists the layers (2)"

section "invalid polygons with --strict"
refused 3 "invalid_polygons --strict" --strict "$DATA/broken/invalid_polygons.geojson"
expect_contains "$RUN_ALL" "invalid_polygons.geojson" "--strict: message names the file"
expect_match "$RUN_ALL" "feature 3\b" "--strict: names the rejected feature"
expect_contains "$RUN_ALL" "--strict" "--strict: says why the import failed"

section "one bad source among good ones: nothing at all is imported"
refused 3 "good + bad sources" "$DATA/two_layers.gpkg" "$DATA/broken/not_vector.geojson"
expect_contains "$RUN_ALL" "not_vector.geojson" "good + bad: names the bad file"

section "usage errors (exit 2)"
refused 2 "no SOURCE"
expect_match "$RUN_ERR" "source" "no SOURCE: says a source is needed"
refused 2 "unknown option" --bogus-option "$DATA/two_layers.gpkg"
expect_contains "$RUN_ERR" "bogus-option" "unknown option: names it"
refused 2 "bad --id" --id "Bad_ID!" "$DATA/two_layers.gpkg"
expect_contains "$RUN_ERR" "--id" "bad --id: names the option"
refused 2 "bad --theme" --theme parks "$DATA/two_layers.gpkg"
expect_contains "$RUN_ERR" "--theme" "bad --theme: names the option"
refused 2 "--x-column without --y-column" --x-column lon "$DATA/two_layers.gpkg"
refused 2 "SOURCE and --catalog together" --catalog "$E2E_TMP/cat/good.json" "$DATA/two_layers.gpkg"

section "database problems (exit 5)"
run "$BIN" layers --db /nonexistent
expect_rc 5 "layers --db /nonexistent"
expect_contains "$RUN_ERR" "/nonexistent" "layers --db /nonexistent: message names the database"
expect_file_absent /nonexistent "layers must not create a database"
sqlite3 "$E2E_TMP/other.sqlite" "CREATE TABLE t (a); INSERT INTO t VALUES (1);"
other_fp=$(db_fingerprint "$E2E_TMP/other.sqlite")
run "$BIN" layers --db "$E2E_TMP/other.sqlite"
expect_rc 5 "layers on a SQLite file that is not a cityatlas database"
expect_contains "$RUN_ERR" "other.sqlite" "layers on a foreign database: names it"
expect_unchanged "$E2E_TMP/other.sqlite" "$other_fp" "layers on a foreign database"
run "$BIN" import --db "$E2E_TMP/no/such/dir/city.sqlite" "$DATA/two_layers.gpkg"
expect_rc 5 "import into a database in a missing folder"
expect_contains "$RUN_ALL" "$E2E_TMP/no/such/dir/city.sqlite" "unopenable database: named"

section "a failed first import leaves no database file"
first_import_fails() { # first_import_fails CODE WHAT ARGS...
    local code=$1 what=$2 db=$E2E_TMP/first.sqlite
    shift 2
    run "$BIN" import --db "$db" "$@"
    expect_rc "$code" "first import: $what"
    expect_no_db_files "$db" "first import: $what"
}
first_import_fails 3 "missing file" "$E2E_TMP/no/such/file.geojson"
first_import_fails 3 "not a vector file" "$DATA/broken/not_vector.geojson"
first_import_fails 3 "no CRS" "$DATA/no_crs"
first_import_fails 3 "truncated shapefile" "$DATA/broken/truncated"
first_import_fails 3 "--strict with a rejected feature" --strict "$DATA/broken/invalid_polygons.geojson"
first_import_fails 3 "good + bad sources" "$DATA/two_layers.gpkg" "$DATA/broken/empty.geojson"
first_import_fails 3 "catalog with a bad theme" --catalog "$E2E_TMP/cat/bad_theme.json"
first_import_fails 2 "usage error" --theme parks "$DATA/two_layers.gpkg"
CITYATLAS_DB=$E2E_TMP/first.sqlite run "$BIN" import "$DATA/broken/empty.geojson"
expect_rc 3 "first import through \$CITYATLAS_DB"
expect_no_db_files "$E2E_TMP/first.sqlite" "first import through \$CITYATLAS_DB"
run "$BIN" check --db "$E2E_TMP/first.sqlite" "$DATA/two_layers.gpkg"
expect_rc 0 "check of a good file"
expect_no_db_files "$E2E_TMP/first.sqlite" "check never creates a database"

section "id clash with another source, then --replace"
CLASH=$E2E_TMP/clash.sqlite
run "$BIN" import --db "$CLASH" --id same "$DATA/researcher/cm_cbd_landmarks.kml"
expect_rc 0 "import the KML as 'same'"
clash_fp=$(db_fingerprint "$CLASH")
v1=$(reg "$CLASH" same version)
run "$BIN" import --db "$CLASH" --id same --layer landmarks_wgs84 "$DATA/two_layers.gpkg"
expect_rc 3 "same id from another source"
expect_unchanged "$CLASH" "$clash_fp" "id clash"
expect_contains "$RUN_ALL" "'same'" "id clash: names the id"
expect_contains "$RUN_ALL" "cm_cbd_landmarks.kml" "id clash: names the other source"
expect_contains "$RUN_ALL" "--replace" "id clash: says how to replace it"
run "$BIN" import --db "$CLASH" --id same --layer landmarks_wgs84 --replace "$DATA/two_layers.gpkg"
expect_rc 0 "same id from another source with --replace"
expect_eq "$(reg "$CLASH" same "source_layer || '|' || feature_count")" "landmarks_wgs84|46" \
    "after --replace: the layer comes from the GeoPackage"
expect_contains "$(reg "$CLASH" same source_path)" "two_layers.gpkg" "after --replace: source_path"
expect_int -gt "$(reg "$CLASH" same version)" "$v1" "after --replace: version"
expect_eq "$(layer_ids "$CLASH")" "same" "after --replace: still one layer"

section "invalid polygons: one repaired, one rejected (exit 4)"
run "$BIN" import --db "$DB" "$DATA/broken/invalid_polygons.geojson"
expect_rc 4 "invalid_polygons.geojson"
expect_contains "$RUN_ALL" "invalid_polygons.geojson" "rejected: names the file"
expect_match "$RUN_ALL" "feature 3\b.*self-intersection" "rejected: feature number and GEOS reason"
expect_match "$RUN_ALL" "\b2\b.*imported|imported.*\b2\b" "rejected: says 2 were imported"
expect_match "$RUN_ALL" "\b1\b.*rejected" "rejected: says 1 was rejected"
t=$(reg "$DB" invalid-polygons table_name)
expect_eq "$(reg "$DB" invalid-polygons "feature_count || '|' || rejected_count")" "2|1" \
    "registry: 2 imported, 1 rejected"
expect_eq "$(sql "$DB" "SELECT group_concat(\"case\", ',') FROM (SELECT \"case\" FROM \"$t\" ORDER BY id)")" \
    "valid,self_intersection" "the features kept"
expect_eq "$(sql "$DB" "SELECT count(*) FROM \"$t\" WHERE NOT ST_IsValid(geom)")" 0 "no invalid geometry stored"
expect_eq "$(sql "$DB" "SELECT name || '|' || ST_NumGeometries(geom) || '|' || printf('%.6f', ST_Area(geom)) FROM \"$t\" WHERE \"case\" = 'self_intersection'")" \
    "แปลงรูปโบว์ไขว้ตัดกันเอง|2|0.000050" "the bow-tie became two triangles"
expect_eq "$(reg "$DB" cm-cbd-landmarks feature_count)" 46 "the earlier layer is still there"

section "zip entries that point outside the archive"
# The importer must refuse such an archive itself and say which entry and why (as
# zip_entries in src/import/source_files.c sets out to: "points outside the archive"),
# not call it corrupt, and not import the archive's other entries without a word.
# Made with python3's zipfile, which writes the name as given.
python3 - "$E2E_TMP" <<'EOF'
import sys, zipfile
fc = ('{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"x"},'
      '"geometry":{"type":"Point","coordinates":[98.99,18.79]}}]}')
with zipfile.ZipFile(sys.argv[1] + "/evil.zip", "w") as z:
    z.writestr("../evil.geojson", fc)
with zipfile.ZipFile(sys.argv[1] + "/mixed.zip", "w") as z:
    z.writestr("good.geojson", fc)
    z.writestr("../evil.geojson", fc)
with zipfile.ZipFile(sys.argv[1] + "/absolute.zip", "w") as z:
    z.writestr("/tmp/evil.geojson", fc)
EOF
FP=$(db_fingerprint "$DB")
refused 3 "zip with an entry ../evil.geojson" "$E2E_TMP/evil.zip"
expect_contains "$RUN_ALL" "evil.zip" "../ entry: message names the zip"
expect_contains "$RUN_ALL" "../evil.geojson" "../ entry: message names the entry"
expect_match "$RUN_ALL" "outside" "../ entry: says it points outside the archive"
refused 3 "zip with a good entry and ../evil.geojson" "$E2E_TMP/mixed.zip"
expect_contains "$RUN_ALL" "../evil.geojson" "good + ../ entry: message names the bad entry"
refused 3 "zip with an entry /tmp/evil.geojson (absolute path)" "$E2E_TMP/absolute.zip"
expect_contains "$RUN_ALL" "/tmp/evil.geojson" "absolute entry: message names the entry"
expect_match "$RUN_ALL" "outside" "absolute entry: says it points outside the archive"
