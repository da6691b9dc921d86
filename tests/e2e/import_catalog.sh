#!/usr/bin/env bash
# import_catalog.sh BINARY - `import --catalog datasets/catalog.json` loads all 16 bundled
# datasets with the counts of datasets/README.md and the catalog's metadata (Thai and
# English titles, theme, licence, ...) in the registry; `layers --json` lists them;
# `check --catalog` writes nothing; `--id` picks one dataset; a second run with --force
# bumps every version and keeps the counts; a run without --force on unchanged files
# changes no version; `check --catalog` reports featured statistics whose fields, filters
# or layers would fail (exit 3, naming the statistic and the parameter).
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"

CATALOG=$REPO/datasets/catalog.json
DB=$E2E_TMP/city.sqlite

# id count geometry_type (- for an attribute-only table), from datasets/README.md.
EXPECTED="
cm-province 1 POLYGON
cm-districts 25 POLYGON
cm-tambon 204 POLYGON
provinces-cm-lp-cr-sk 4 POLYGON
districts-lp-cr-sk 42 POLYGON
tambon-lp-cr-sk 302 POLYGON
tambon-centroids-postcodes 506 POINT
cm-cbd-pois 4557 POINT
cm-cbd-landmarks 46 POINT
cm-cbd-residential-places 22 POINT
cm-cbd-roads 12581 LINESTRING
rivers-wdbii 11 LINESTRING
cm-old-city-walls 14 POLYGON
cm-cbd-building-density 531 POLYGON
cm-district-population 22 -
cm-tambon-population 47 -
"
catalog_ids=$(jq -r '[.datasets[].id] | sort | join(" ")' "$CATALOG")
expect_eq "$(awk 'NF { print $1 }' <<<"$EXPECTED" | sort | tr '\n' ' ' | sed 's/ $//')" "$catalog_ids" \
    "the catalog lists the 16 datasets this test expects"

section "check --catalog writes nothing"
mkdir "$E2E_TMP/empty"
(cd "$E2E_TMP/empty" && env -u CITYATLAS_DB "$BIN" check --catalog "$CATALOG" >../check.out 2>../check.err) ||
    fail "check --catalog failed: $(cat "$E2E_TMP/check.out" "$E2E_TMP/check.err" | tail -5)"
ok
expect_eq "$(ls -A "$E2E_TMP/empty")" "" "files created by check --catalog (default database path)"
run "$BIN" check --db "$DB" --catalog "$CATALOG"
expect_rc 0 "check --db --catalog"
expect_no_db_files "$DB" "check --db --catalog"
expect_contains "$RUN_OUT" "12581" "check reports the road count"
expect_match "$RUN_OUT" "16 layers" "check reports 16 layers"

section "import --catalog: all 16 datasets"
run "$BIN" import --db "$DB" --catalog "$CATALOG"
expect_rc 0 "import --catalog"
expect_eq "$RUN_ERR" "" "stderr of the catalog import"
expect_eq "$(layer_ids "$DB")" "$catalog_ids" "registry ids"
BBOX=(98.975 18.775 98.995 18.795)
while read -r id count gtype; do
    [[ -n $id ]] || continue
    [[ $gtype != - ]] || gtype=""
    case $id in
    cm-tambon | cm-cbd-pois | cm-cbd-roads | cm-cbd-landmarks | cm-cbd-building-density)
        check_layer "$DB" "$id" "$count" "$gtype" "${BBOX[@]}"
        ;;
    *) check_layer "$DB" "$id" "$count" "$gtype" ;;
    esac
    expect_eq "$(reg "$DB" "$id" "rejected_count || '|' || source_path")" \
        "0|$(realpath "$REPO/datasets/$(jq -r --arg id "$id" '.datasets[] | select(.id == $id) | .path' "$CATALOG")")" \
        "$id: rejected_count and source_path"
done <<<"$EXPECTED"
# Registry metadata = the catalog entries (one normalized JSON line per dataset).
sqlite3 -init /dev/null -bail -batch -json "$DB" \
    "SELECT id, title_en, title_th, description_en, description_th, theme, source, source_url,
            license, attribution, name_column, catalog FROM cityatlas_layers ORDER BY id" |
    jq -S -c '.[] | .catalog |= fromjson' >registry_meta.txt
jq -S -c '.datasets | sort_by(.id) | .[] | {id, title_en: .title.en, title_th: .title.th,
    description_en: .description.en, description_th: .description.th, theme, source,
    source_url, license, attribution, name_column: .import.name_column, catalog: .}' \
    "$CATALOG" >catalog_meta.txt
expect_eq "$(wc -l <registry_meta.txt)" 16 "registry metadata rows"
if ! diff catalog_meta.txt registry_meta.txt >meta.diff; then
    fail "registry metadata differs from the catalog (< catalog, > registry):"$'\n'"$(head -c 3000 meta.diff)"
fi
ok
expect_eq "$(reg "$DB" cm-province title_th)" "ขอบเขตจังหวัดเชียงใหม่" "cm-province Thai title"
expect_eq "$(reg "$DB" cm-province title_en)" "Chiang Mai province boundary" "cm-province English title"
for id in cm-district-population cm-tambon-population; do
    expect_eq "$(reg "$DB" "$id" "coalesce(geometry_type, 'NULL') || '|' || coalesce(min_lon, 'NULL')")" \
        "NULL|NULL" "$id: an attribute-only table has no geometry type or extent"
done
t=$(reg "$DB" tambon-centroids-postcodes table_name)
expect_eq "$(sql "$DB" "SELECT count(*) FROM \"$t\" WHERE geom IS NULL")" 6 \
    "tambon-centroids-postcodes rows without a point (lat/lon 'None')"
t=$(reg "$DB" cm-tambon table_name)
expect_eq "$(sql "$DB" "SELECT adm3_th || '|' || adm3_en FROM \"$t\" WHERE adm3_pcode = 'TH500101'")" \
    "ศรีภูมิ|Si Phum" "cm-tambon TH500101"
expect_lonlat "$(first_vertex "$DB" "$t" "adm3_pcode = 'TH500101'")" 98.993255 18.787784 \
    "cm-tambon TH500101 first vertex"
# One table per layer: no layer of the bundled catalog is one of 10,000 points or more,
# which get their rows in place order beside it (src/store/store_place_order.h; the roads,
# 12,581 lines, get none).
layer_tables="SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name LIKE 'ly\_%' ESCAPE '\\' AND name NOT LIKE '%\_by\_place' ESCAPE '\\'"
place_copies="SELECT group_concat(name) FROM sqlite_master WHERE type = 'table' AND name LIKE 'ly\_%\_by\_place' ESCAPE '\\'"
expect_eq "$(sql "$DB" "$layer_tables")" 16 "layer tables"
expect_eq "$(sql "$DB" "$place_copies")" "" "no rows in place order beside lines, areas or few points"
expect_eq "$(sql "$DB" "PRAGMA integrity_check")" ok "integrity_check"

section "layers --json and layers"
run "$BIN" layers --db "$DB" --json
expect_rc 0 "layers --json"
json=$RUN_OUT
expect_eq "$(jq -r '[.[].id] | sort | join(" ")' <<<"$json")" "$catalog_ids" "layers --json ids"
while read -r id count gtype; do
    [[ -n $id ]] || continue
    [[ $gtype != - ]] || gtype=null
    entry=$(jq -c --arg id "$id" '.datasets[] | select(.id == $id)' "$CATALOG")
    expect_eq "$(jq -r --arg id "$id" '.[] | select(.id == $id) | [.feature_count, .geometry_type, .title_en, .title_th, .theme] | map(tostring) | join("|")' <<<"$json")" \
        "$count|$gtype|$(jq -r '[.title.en, .title.th, .theme] | join("|")' <<<"$entry")" \
        "layers --json entry of $id"
done <<<"$EXPECTED"
run "$BIN" layers --db "$DB"
expect_rc 0 "layers"
expect_contains "$RUN_OUT" "16 layers" "layers: the total"
expect_match "$RUN_OUT" "^cm-cbd-roads +transport +LINESTRING +12581 " "layers: the roads row"

section "check on an existing database changes nothing"
FP=$(db_fingerprint "$DB")
run "$BIN" check --db "$DB" --catalog "$CATALOG"
expect_rc 0 "check --catalog on the imported database"
expect_unchanged "$DB" "$FP" "check --catalog"

section "--catalog --id: one dataset"
ONE=$E2E_TMP/one.sqlite
run "$BIN" import --db "$ONE" --catalog "$CATALOG" --id cm-districts
expect_rc 0 "import --catalog --id cm-districts"
expect_eq "$(layer_ids "$ONE")" "cm-districts" "layers after --id cm-districts"
check_layer "$ONE" cm-districts 25 POLYGON
expect_eq "$(reg "$ONE" cm-districts title_th)" "ขอบเขตอำเภอ จังหวัดเชียงใหม่" "cm-districts Thai title"
run "$BIN" import --db "$E2E_TMP/none.sqlite" --catalog "$CATALOG" --id no-such-dataset
expect_rc 3 "import --catalog --id no-such-dataset"
expect_contains "$RUN_ALL" "no-such-dataset" "unknown --id: message names it"
expect_no_db_files "$E2E_TMP/none.sqlite" "unknown --id"

section "importing the catalog again with --force bumps every version and keeps the counts"
declare -A v1
for id in $catalog_ids; do v1[$id]=$(reg "$DB" "$id" version); done
max_v1=$(sql "$DB" "SELECT max(version) FROM cityatlas_layers")
run "$BIN" import --db "$DB" --catalog "$CATALOG" --force
expect_rc 0 "second import --catalog --force"
expect_eq "$(layer_ids "$DB")" "$catalog_ids" "registry ids after the second import"
while read -r id count gtype; do
    [[ -n $id ]] || continue
    expect_int -gt "$(reg "$DB" "$id" version)" "$max_v1" "$id: version after the second import (was ${v1[$id]})"
    expect_eq "$(reg "$DB" "$id" feature_count)" "$count" "$id: feature_count after the second import"
    t=$(reg "$DB" "$id" table_name)
    expect_eq "$(sql "$DB" "SELECT count(*) FROM \"$t\"")" "$count" "$id: rows after the second import"
done <<<"$EXPECTED"
expect_eq "$(sql "$DB" "$layer_tables")" 16 "layer tables after the second import (old versions dropped)"
expect_eq "$(sql "$DB" "SELECT count(DISTINCT version) FROM cityatlas_layers")" 16 "distinct versions"
check_layer "$DB" cm-cbd-roads 12581 LINESTRING "${BBOX[@]}"
expect_eq "$(sql "$DB" "PRAGMA integrity_check")" ok "integrity_check after the second import"

section "importing an unchanged catalog again changes no version (checksums match)"
versions=$(sql "$DB" "SELECT group_concat(id || ':' || version || ':' || table_name, ' ') FROM (SELECT * FROM cityatlas_layers ORDER BY id)")
run "$BIN" import --db "$DB" --catalog "$CATALOG"
expect_rc 0 "third import --catalog"
expect_eq "$(sql "$DB" "SELECT group_concat(id || ':' || version || ':' || table_name, ' ') FROM (SELECT * FROM cityatlas_layers ORDER BY id)")" \
    "$versions" "versions and tables after an unchanged catalog import"
expect_eq "$(grep -c 'unchanged: kept as it is' <<<"$RUN_OUT")" 16 "every layer reported unchanged"
# A copy of the catalog and its files (4 MB), then the same catalog with one entry's title
# changed: only that dataset is read again.
cp -r "$REPO/datasets" "$E2E_TMP/copy"
DB2=$E2E_TMP/copy.sqlite
run "$BIN" import --db "$DB2" --catalog "$E2E_TMP/copy/catalog.json"
expect_rc 0 "import of the copied catalog"
versions=$(sql "$DB2" "SELECT group_concat(id || ':' || version, ' ') FROM (SELECT * FROM cityatlas_layers ORDER BY id)")
jq '(.datasets[] | select(.id == "cm-cbd-landmarks") | .title.en) = "Landmarks"' \
    "$CATALOG" >"$E2E_TMP/copy/retitled.json"
run "$BIN" import --db "$DB2" --catalog "$E2E_TMP/copy/retitled.json"
expect_rc 0 "import of a catalog whose entry for one dataset changed"
expect_eq "$(grep -c 'unchanged: kept as it is' <<<"$RUN_OUT")" 15 "the other 15 are unchanged"
expect_eq "$(reg "$DB2" cm-cbd-landmarks title_en)" "Landmarks" "the changed entry is imported again"
expect_eq "$(sql "$DB2" "SELECT group_concat(id || ':' || version, ' ') FROM (SELECT * FROM cityatlas_layers WHERE id <> 'cm-cbd-landmarks' ORDER BY id)")" \
    "$(tr ' ' '\n' <<<"$versions" | grep -v '^cm-cbd-landmarks:' | paste -sd ' ')" "the others keep their versions"

section "check --catalog: featured statistics that would fail are problems (exit 3)"
# The bundled catalog's statistics check clean (the first section ran check on it).
expect_not_contains "$(cat "$E2E_TMP/check.out")" "featured statistic" "bundled catalog's statistics"
STAT=facilities-by-type-city-tambon # cm-cbd-pois by cm-tambon, grouped by category
# bad_stat NAME JQ-UPDATE: a copy of the catalog with one statistic's query changed.
bad_stat() {
    jq "(.statistics[] | select(.id == \"$STAT\") | .query) |= ($2)" "$CATALOG" \
        >"$E2E_TMP/copy/$1.json"
}
bad_stat field '.group = "categroy"'
bad_stat filter '.["by-filter"] = "adm3_pcod = 1"'
bad_stat syntax '.["by-filter"] = "adm3_pcode IN ("'
bad_stat points '.by = "cm-cbd-landmarks"'
bad_stat layer '.by = "cm-nowhere"'
expect_stat_problem() { # CATALOG-NAME TEXT WHAT [check options]
    run "$BIN" check --quiet "${@:4}" --catalog "$E2E_TMP/copy/$1.json"
    expect_rc 3 "$3"
    expect_contains "$RUN_OUT" "featured statistic '$STAT': $2" "$3"
}
expect_stat_problem field "group: 'categroy' is not a field of 'cm-cbd-pois'" "unknown group field"
expect_stat_problem filter "by-filter: filter: unknown property 'adm3_pcod'" "by-filter naming no field"
expect_stat_problem syntax "by-filter: " "by-filter that does not parse"
expect_stat_problem points "by: 'cm-cbd-landmarks' holds POINT" "by naming a layer of points"
expect_stat_problem field "group: 'categroy'" "unknown field, checked with --db" --db "$DB2"
run "$BIN" check --json --catalog "$E2E_TMP/copy/field.json"
expect_rc 3 "check --json with a bad statistic"
expect_contains "$(jq -r '.errors[]' <<<"$RUN_OUT")" "featured statistic '$STAT': group: " "--json errors"
# A layer that is no dataset of the catalog is refused when the catalog is read.
run "$BIN" check --catalog "$E2E_TMP/copy/layer.json"
expect_rc 3 "statistic naming an unknown layer"
expect_contains "$RUN_ERR" "statistics[2].query.by 'cm-nowhere' is not the id of a dataset" "unknown layer"
run "$BIN" check --db "$DB2" --catalog "$E2E_TMP/copy/catalog.json"
expect_rc 0 "check --db of the bundled catalog (copied)"
expect_not_contains "$RUN_OUT" "featured statistic" "bundled catalog against its database"
