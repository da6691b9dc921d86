#!/usr/bin/env bash
# import_atomic.sh BINARY - an import is one transaction:
#   (a) re-importing a source replaces its layer (new version and table, old table gone)
#       and leaves every other layer byte for byte as it was;
#   (b) kill -9 in the middle of a large import leaves the database exactly as it was, and
#       it keeps working;
#   (c) readers are never blocked by an import and never see half a layer: while a large
#       re-import runs, `cityatlas layers --json` and a sqlite3 count of the layer's table
#       succeed and give the old complete count until the commit, then the new one.
# E2E_BIG_POINTS (default 150000) sizes the large import: about 2 s in a Debug build,
# 12-15 s with ASan. At least 150000: a smaller import can keep its pages in the 16 MB page
# cache until the commit, and its write-ahead log then never shows it mid-way. Nothing here
# depends on timing finer than the poll loops.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"

N=${E2E_BIG_POINTS:-150000}
M=$((N / 10)) # size of the layer that (c) replaces
# The large import is "demonstrably mid-way" once its write-ahead log holds this much
# (a finished import of N points leaves ~200 bytes per point in it).
WAL_MIDWAY=$((N * 60))
DB=$E2E_TMP/city.sqlite

wal_size() {
    if [[ -f $DB-wal ]]; then stat -c %s "$DB-wal"; else echo 0; fi
}

# alive PID: the process exists and has not exited (a zombie counts as exited).
alive() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    [[ ${stat%% *} != Z ]]
}

# wait_midway PID WHAT: polls until the WAL passes WAL_MIDWAY while PID still runs.
wait_midway() {
    local pid=$1 start=$SECONDS
    while alive "$pid" && (($(wal_size) < WAL_MIDWAY)); do
        if ((SECONDS - start > E2E_CMD_TIMEOUT)); then
            fail "$2: the WAL stayed under $WAL_MIDWAY bytes for $E2E_CMD_TIMEOUT s"
        fi
        sleep 0.1
    done
    if ! alive "$pid"; then
        fail "$2: the import ended before its WAL reached $WAL_MIDWAY bytes; raise E2E_BIG_POINTS (now $N)"
    fi
    echo "    $2: import mid-way (WAL $(wal_size) bytes after $((SECONDS - start)) s)"
}

# layer_dump ID: everything the database holds about one layer (registry row, geometry
# column row, table, triggers, R*Tree), for before/after comparisons.
layer_dump() {
    local t
    t=$(reg "$DB" "$1" table_name)
    sqlite3 -init /dev/null -bail -batch "$DB" \
        "SELECT * FROM cityatlas_layers WHERE id = '$1';" \
        "SELECT * FROM geometry_columns WHERE f_table_name = '$t';" \
        ".dump '$t'" ".dump 'idx_${t}_geom%'"
}

section "(a) re-importing the same source replaces only that layer"
run "$BIN" import --db "$DB" "$DATA/researcher/cm_tambon_indian1975_utm47n_cp874.zip" \
    "$DATA/researcher/cm_cbd_landmarks.kml" "$DATA/two_layers.gpkg"
expect_rc 0 "first import of three sources"
tambon=cm-tambon-indian1975-utm47n-cp874
others=(cm-cbd-landmarks two-layers-old-city-walls-utm47n two-layers-landmarks-wgs84)
expect_eq "$(layer_ids "$DB")" "${others[0]} $tambon ${others[2]} ${others[1]}" "layers after the first import"
for id in "${others[@]}"; do
    layer_dump "$id" >"before_$id.txt"
    expect_int -gt "$(wc -l <"before_$id.txt")" 3 "dump of $id"
done
old_table=$(reg "$DB" $tambon table_name)
old_version=$(reg "$DB" $tambon version)
max_version=$(sql "$DB" "SELECT max(version) FROM cityatlas_layers")
run "$BIN" import --db "$DB" "$DATA/researcher/cm_tambon_indian1975_utm47n_cp874.zip"
expect_rc 0 "re-import of the same zip (no --replace needed)"
new_table=$(reg "$DB" $tambon table_name)
expect_int -gt "$(reg "$DB" $tambon version)" "$max_version" "version after the re-import"
expect_ne "$new_table" "$old_table" "table of the new version"
check_layer "$DB" $tambon 204 POLYGON 98.975 18.775 98.995 18.795
expect_eq "$(sql "$DB" "SELECT count(*) FROM sqlite_master WHERE name = '$old_table' OR name LIKE 'idx_${old_table}_geom%' OR tbl_name = '$old_table'")" \
    0 "objects of the old table $old_table left in sqlite_master"
expect_eq "$(sql "$DB" "SELECT count(*) FROM geometry_columns WHERE f_table_name = '$old_table'")" \
    0 "geometry_columns rows of the old table"
expect_eq "$(sql "$DB" "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN (SELECT table_name FROM cityatlas_layers)")" \
    4 "layer tables in the registry that exist"
expect_eq "$(sql "$DB" "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name LIKE 'ly\_%' ESCAPE '\\'")" \
    4 "layer tables in the database (no leftovers)"
for id in "${others[@]}"; do
    layer_dump "$id" >"after_$id.txt"
    if ! cmp -s "before_$id.txt" "after_$id.txt"; then
        fail "layer $id changed when $tambon was re-imported: $(diff "before_$id.txt" "after_$id.txt" | head -c 600)"
    fi
    ok
done
expect_eq "$(sql "$DB" "PRAGMA integrity_check")" ok "integrity_check after (a)"
echo "    re-import: $tambon v$old_version ($old_table) -> v$(reg "$DB" $tambon version) ($new_table)"

section "(b) kill -9 in the middle of an import of $N points"
run python3 "$REPO/scripts/gen_synthetic.py" points --count "$N" --seed 7 -o "$E2E_TMP/big.geojson"
expect_rc 0 "generating $N points"
expect_eq "$(wal_size)" 0 "WAL size before the import (all connections closed)"
FP=$(db_fingerprint "$DB")
ids_before=$(layer_ids "$DB")
"$BIN" import --db "$DB" "$E2E_TMP/big.geojson" >big_b.out 2>big_b.err &
pid=$!
E2E_PIDS+=("$pid")
wait_midway "$pid" "(b)"
kill -9 "$pid"
rc=0
wait "$pid" 2>/dev/null || rc=$? # (no "Killed" job notice)
if [[ $rc -ne 137 ]]; then
    fail "(b): the import was not killed mid-way (exit $rc): $(cat big_b.out big_b.err | head -c 600)"
fi
ok
expect_unchanged "$DB" "$FP" "after kill -9 of the import"
expect_eq "$(sql "$DB" "PRAGMA integrity_check")" ok "integrity_check after kill -9"
expect_eq "$(layer_ids "$DB")" "$ids_before" "layers after kill -9"
run "$BIN" layers --db "$DB" --json
expect_rc 0 "layers after kill -9"
expect_eq "$(jq -r '[.[].id] | sort | join(" ")' <<<"$RUN_OUT")" "$ids_before" "layers --json after kill -9"
run "$BIN" import --db "$DB" --s-srs EPSG:32647 "$DATA/no_crs"
expect_rc 0 "an import after kill -9"
check_layer "$DB" no-crs 5 POINT 98.975 18.775 98.995 18.795
expect_eq "$(sql "$DB" "PRAGMA integrity_check")" ok "integrity_check after the next import"
expect_eq "$(sql "$DB" "SELECT count(*) FROM sqlite_master WHERE name LIKE '%big%'")" 0 \
    "no trace of the killed import"

section "(c) readers during a re-import ($M points -> $N points)"
run python3 "$REPO/scripts/gen_synthetic.py" points --count "$M" --seed 8 -o "$E2E_TMP/x.geojson"
expect_rc 0 "generating $M points"
run "$BIN" import --db "$DB" "$E2E_TMP/x.geojson"
expect_rc 0 "import of layer x ($M points)"
check_layer "$DB" x "$M" POINT
x_old_table=$(reg "$DB" x table_name)
# The same source file, now with N points.
mv "$E2E_TMP/big.geojson" "$E2E_TMP/x.geojson"
expect_eq "$(wal_size)" 0 "WAL size before the re-import"

# read_x: one snapshot read with the sqlite3 shell: the registry's count for x and a count
# of the table the registry points at, in one read transaction. Prints "registry|rows|table".
read_x() {
    sqlite3 -init /dev/null -bail -batch "$DB" <<EOF
.timeout 3000
BEGIN;
.once $E2E_TMP/count_x.sql
SELECT 'SELECT feature_count, (SELECT count(*) FROM "' || table_name || '"), table_name FROM cityatlas_layers WHERE id = ''x'';' FROM cityatlas_layers WHERE id = 'x';
.read $E2E_TMP/count_x.sql
COMMIT;
EOF
}

"$BIN" import --db "$DB" "$E2E_TMP/x.geojson" >big_c.out 2>big_c.err &
pid=$!
E2E_PIDS+=("$pid")
wait_midway "$pid" "(c)"
reads=0 old_reads_while_importing=0 saw_new=0 seen=""
# check_read SOURCE COUNT: COUNT is M or N, and never M again once N was seen.
check_read() {
    if [[ $2 != "$M" && $2 != "$N" ]]; then
        fail "(c) $1 read $2 features of x: neither the old $M nor the new $N (half a layer?)"
    fi
    if [[ $2 == "$N" ]]; then
        saw_new=1
    elif ((saw_new)); then
        fail "(c) $1 read the old count $M after the new $N had been seen"
    fi
    ok
}
while alive "$pid"; do
    run "$BIN" layers --db "$DB" --json
    expect_rc 0 "(c) layers --json during the import (read $reads)"
    c1=$(jq -r '.[] | select(.id == "x") | .feature_count' <<<"$RUN_OUT")
    check_read "layers --json" "$c1"
    run read_x
    expect_rc 0 "(c) sqlite3 snapshot read during the import (read $reads)"
    IFS='|' read -r reg_count rows table <<<"$RUN_OUT"
    expect_eq "$rows" "$reg_count" "(c) rows in $table vs the registry's count, same snapshot"
    check_read "sqlite3" "$rows"
    if [[ $c1 == "$M" && $rows == "$M" ]] && alive "$pid"; then
        old_reads_while_importing=$((old_reads_while_importing + 1))
    fi
    reads=$((reads + 1))
    seen+="$c1/$rows "
done
rc=0
wait "$pid" || rc=$?
if [[ $rc -ne 0 ]]; then
    fail "(c) the re-import failed (exit $rc): $(cat big_c.out big_c.err | head -c 600)"
fi
ok
expect_eq "$(cat big_c.err)" "" "(c) stderr of the re-import"
echo "    (c) $reads reads while importing (layers/sqlite3): $(tr ' ' '\n' <<<"$seen" | sed '/^$/d' | uniq -c | tr -s ' \n' ' ')"
expect_int -ge "$old_reads_while_importing" 1 \
    "(c) reads that completed with the old complete count while the import was running"
run "$BIN" layers --db "$DB" --json
expect_rc 0 "(c) layers --json after the import"
expect_eq "$(jq -r '.[] | select(.id == "x") | .feature_count' <<<"$RUN_OUT")" "$N" "(c) layers --json after the commit"
run read_x
expect_rc 0 "(c) sqlite3 read after the import"
expect_eq "$(cut -d'|' -f1,2 <<<"$RUN_OUT")" "$N|$N" "(c) registry and table after the commit"
check_layer "$DB" x "$N" POINT 98.975 18.775 98.995 18.795
expect_eq "$(sql "$DB" "SELECT count(*) FROM sqlite_master WHERE name = '$x_old_table'")" 0 \
    "(c) the old table of x was dropped"
expect_eq "$(sql "$DB" "PRAGMA integrity_check")" ok "integrity_check at the end"
