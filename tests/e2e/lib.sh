# lib.sh - shared by the end-to-end scripts; sourced as the first thing they do:
#
#   source "$(dirname "$0")/lib.sh"     # with the script's own arguments: $1 = cityatlas binary
#
# Gives every script:
#   BIN, REPO, DATA        the binary under test, the repository, tests/data
#   E2E_TMP                a private temporary folder (the current directory), removed on exit
#   run CMD...             runs CMD with a time limit; sets RUN_RC, RUN_OUT, RUN_ERR, RUN_ALL
#                          (stdout + stderr), RUN_SECONDS and RUN_CMD for the expect_* helpers
#   expect_*               assertions: on failure they print what was expected, what came
#                          instead, the file:line of the check and the last command's output,
#                          then exit 1 (the first failed assertion ends the script)
#   sql DB QUERY           sqlite3 (SpatiaLite loaded when the query needs it), '|' separated
#   db_fingerprint DB      sha256 of `sqlite3 DB .dump`: the database's whole logical content
#   check_layer ...        the registry row, table and spatial index of one layer agree
#   bundled_db DB [scenarios]  the bundled catalog (and scenarios) in DB: a copy of the
#                          database ctest's fixture e2e_fixture_bundled imported once
#
# Only tests/data/ and datasets/ of the repository are read: CI has nothing else.
# shellcheck disable=SC2034 # the variables set here are read by the scripts
set -Eeuo pipefail
export LC_ALL=C.UTF-8

E2E_NAME=$(basename "${BASH_SOURCE[1]:-$0}" .sh)
if [[ $# -lt 1 || ! -x $1 ]]; then
    echo "usage: $E2E_NAME.sh PATH/TO/cityatlas (got '${1:-}')" >&2
    exit 2
fi
BIN=$(realpath "$1")
REPO=${CITYATLAS_REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
DATA=$REPO/tests/data
[[ -d $DATA && -f $REPO/datasets/catalog.json ]] || {
    echo "$E2E_NAME: no tests/data or datasets/catalog.json under CITYATLAS_REPO=$REPO" >&2
    exit 2
}
# Seconds one command may take before it counts as hung (ASan builds are 3-5x slower).
E2E_CMD_TIMEOUT=${E2E_CMD_TIMEOUT:-240}

E2E_TMP=$(mktemp -d "${TMPDIR:-/tmp}/cityatlas-e2e-$E2E_NAME.XXXXXX")
E2E_PIDS=() # background processes this script started; killed on exit
E2E_STARTED=$SECONDS
E2E_CHECKS=0

e2e_cleanup() {
    local rc=$?
    local pid
    for pid in "${E2E_PIDS[@]}"; do
        if kill -0 "$pid" 2>/dev/null; then
            kill -9 "$pid" 2>/dev/null || true
            wait "$pid" 2>/dev/null || true
        fi
    done
    cd /
    rm -rf "$E2E_TMP"
    if [[ $rc -eq 0 ]]; then
        echo "PASS $E2E_NAME: $E2E_CHECKS checks in $((SECONDS - E2E_STARTED)) s"
    else
        echo "FAIL $E2E_NAME (exit $rc) after $E2E_CHECKS passed checks, $((SECONDS - E2E_STARTED)) s" >&2
    fi
    exit "$rc"
}
trap e2e_cleanup EXIT
# A command that fails outside an assertion (setup, sqlite3, ...) also ends the script.
trap 'e2e_on_error $? "$BASH_COMMAND" "${BASH_SOURCE[0]}" "$LINENO"' ERR
e2e_on_error() {
    echo "ERROR $(basename "$3"):$4: command failed with exit $1: $2" >&2
}
cd "$E2E_TMP"

# Where the failing check is: the innermost line in a test script, plus the helper's line.
e2e_where() {
    local i via=""
    for ((i = 1; i < ${#BASH_SOURCE[@]}; i++)); do
        local f=${BASH_SOURCE[i]} line=${BASH_LINENO[i - 1]} fn=${FUNCNAME[i]:-}
        if [[ $f != "${BASH_SOURCE[0]}" ]]; then
            echo "$(basename "$f"):$line${via:+ (in $via)}"
            return
        fi
        case $fn in
        fail | expect_* | e2e_*) ;;
        *) via="$fn at lib.sh:$line" ;;
        esac
    done
    echo "lib.sh${via:+ ($via)}"
}

section() {
    echo "--- $*"
}

ok() {
    E2E_CHECKS=$((E2E_CHECKS + 1))
}

fail() {
    {
        echo "FAIL $(e2e_where): $*"
        if [[ -n ${RUN_CMD:-} ]]; then
            echo "  last command: $RUN_CMD"
            echo "  exit code: ${RUN_RC:-?}"
            echo "  stdout:"
            head -c 4000 "$RUN_OUT_FILE" | sed 's/^/    | /'
            echo "  stderr:"
            head -c 4000 "$RUN_ERR_FILE" | sed 's/^/    | /'
        fi
    } >&2
    exit 1
}

# run CMD... : runs CMD (stdin from /dev/null) under a time limit and records the result.
RUN_N=0
run() {
    RUN_N=$((RUN_N + 1))
    RUN_CMD=$(printf '%q ' "$@")
    RUN_OUT_FILE=$E2E_TMP/.run$RUN_N.out
    RUN_ERR_FILE=$E2E_TMP/.run$RUN_N.err
    local t0=$SECONDS
    RUN_RC=0
    if declare -F "$1" >/dev/null; then # a shell function (no time limit)
        "$@" <"/dev/null" >"$RUN_OUT_FILE" 2>"$RUN_ERR_FILE" || RUN_RC=$?
    else
        timeout --kill-after=10 "$E2E_CMD_TIMEOUT" "$@" <"/dev/null" >"$RUN_OUT_FILE" \
            2>"$RUN_ERR_FILE" || RUN_RC=$?
    fi
    RUN_SECONDS=$((SECONDS - t0))
    RUN_OUT=$(cat "$RUN_OUT_FILE")
    RUN_ERR=$(cat "$RUN_ERR_FILE")
    RUN_ALL=$RUN_OUT$'\n'$RUN_ERR
    if [[ $RUN_RC -eq 124 || $RUN_RC -eq 137 ]]; then
        fail "command timed out after $E2E_CMD_TIMEOUT s (exit $RUN_RC)"
    fi
}

e2e_show() { # a value as text, and its bytes when it is short and not plain ASCII
    printf "'%s'" "$1"
    if [[ ${#1} -le 80 && $1 == *[![:ascii:]]* ]]; then
        printf ' (bytes %s)' "$(printf '%s' "$1" | od -An -tx1 | tr -s ' \n' ' ')"
    fi
}

# expect_eq ACTUAL EXPECTED WHAT
expect_eq() {
    if [[ "$1" != "$2" ]]; then
        fail "$3: expected $(e2e_show "$2"), got $(e2e_show "$1")"
    fi
    ok
}

expect_ne() {
    if [[ "$1" == "$2" ]]; then
        fail "$3: expected anything but $(e2e_show "$2"), got exactly that"
    fi
    ok
}

# expect_contains HAYSTACK NEEDLE WHAT
expect_contains() {
    if [[ "$1" != *"$2"* ]]; then
        fail "$3: expected to contain $(e2e_show "$2"), got:"$'\n'"$1"
    fi
    ok
}

expect_not_contains() {
    if [[ "$1" == *"$2"* ]]; then
        fail "$3: expected NOT to contain $(e2e_show "$2"), got:"$'\n'"$1"
    fi
    ok
}

# expect_match HAYSTACK REGEX WHAT: extended regular expression, case-insensitive.
expect_match() {
    if ! grep -Eiq -- "$2" <<<"$1"; then
        fail "$3: expected to match /$2/ (case-insensitive), got:"$'\n'"$1"
    fi
    ok
}

# expect_rc CODE WHAT: the exit code of the last `run`.
expect_rc() {
    if [[ ${RUN_RC:-} != "$1" ]]; then
        fail "$2: expected exit code $1, got ${RUN_RC:-none}"
    fi
    ok
}

# expect_near ACTUAL EXPECTED TOLERANCE WHAT (decimal numbers)
expect_near() {
    if ! [[ $1 =~ ^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$ ]] ||
        ! awk -v a="$1" -v e="$2" -v t="$3" 'BEGIN { d = a - e; if (d < 0) d = -d; exit !(d <= t) }'; then
        fail "$4: expected $2 (within $3), got '$1'"
    fi
    ok
}

# expect_int OP ACTUAL BOUND WHAT, e.g. expect_int -gt "$n" 0 "rows"
expect_int() {
    if ! [[ $2 =~ ^-?[0-9]+$ ]] || ! test "$2" "$1" "$3"; then
        fail "$4: expected a number $1 $3, got '$2'"
    fi
    ok
}

expect_file_absent() {
    if [[ -e $1 || -L $1 ]]; then
        fail "$2: expected no file $1, but it exists ($(ls -la "$1" 2>&1))"
    fi
    ok
}

expect_file_exists() {
    if [[ ! -e $1 ]]; then
        fail "$2: expected the file $1 to exist"
    fi
    ok
}

# expect_no_db_files DB WHAT: neither the database nor its -wal/-shm/-journal exists.
expect_no_db_files() {
    local s
    for s in "" -wal -shm -journal; do
        expect_file_absent "$1$s" "$2"
    done
}

# sql DB QUERY: prints the result rows, columns separated by '|'. SpatiaLite is loaded
# only when the query uses it (loading it costs more than most queries here).
sql() {
    [[ -f $1 ]] || fail "sql: no database file $1 (sqlite3 would create an empty one)"
    local load=()
    if [[ ${2^^} =~ ST_|MBR|GEOMETRY|SPATIAL|ASTEXT ]]; then
        load=(-cmd '.load mod_spatialite')
    fi
    sqlite3 -init /dev/null -bail -batch -noheader "${load[@]}" "$1" "$2"
}

# db_fingerprint DB: prints the sha256 of the database's full logical content.
db_fingerprint() {
    [[ -f $1 ]] || fail "db_fingerprint: no database file $1"
    local out
    out=$(sqlite3 -init /dev/null -bail -batch "$1" .dump | sha256sum) ||
        fail "db_fingerprint: sqlite3 $1 .dump failed"
    echo "${out%% *}"
}

# expect_unchanged DB FINGERPRINT WHAT
expect_unchanged() {
    local now
    now=$(db_fingerprint "$1")
    if [[ $now != "$2" ]]; then
        fail "$3: the database changed (fingerprint $2 before, $now after)"
    fi
    ok
}

# reg DB ID COLUMN-EXPRESSION: one value of a layer's registry row (the row must exist).
reg() {
    local out
    out=$(sql "$1" "SELECT (SELECT count(*) FROM cityatlas_layers WHERE id = '$2') || '|' || coalesce((SELECT $3 FROM cityatlas_layers WHERE id = '$2'), '')")
    [[ ${out%%|*} == 1 ]] || fail "layer '$2' is not in the registry of $1"
    printf '%s\n' "${out#*|}"
}

# layer_ids DB: the ids in the registry, one line, sorted, space separated.
layer_ids() {
    sql "$1" "SELECT coalesce(group_concat(id, ' '), '') FROM (SELECT id FROM cityatlas_layers ORDER BY id)"
}

# check_layer DB ID COUNT GEOMETRY_TYPE [MINX MINY MAXX MAXY]
# The registry row, the layer's table and its spatial index agree with each other and with
# COUNT / GEOMETRY_TYPE (empty: attribute-only table). With a bbox: querying it through the
# R*Tree gives the same features as a brute-force scan, and neither none nor all of them
# (so the comparison means something). Sets LAYER_TABLE.
check_layer() {
    local db=$1 id=$2 count=$3 gtype=$4
    local row t reg_count reg_gtype reg_ext
    row=$(reg "$db" "$id" "table_name || '|' || feature_count || '|' || coalesce(geometry_type, '') || '|' || printf('%.9f %.9f %.9f %.9f', min_lon, min_lat, max_lon, max_lat)")
    IFS='|' read -r t reg_count reg_gtype reg_ext <<<"$row"
    LAYER_TABLE=$t
    expect_eq "$reg_count" "$count" "$id: registry feature_count"
    expect_eq "$reg_gtype" "$gtype" "$id: registry geometry_type"
    local rows with_geom cols gcols
    row=$(sql "$db" "SELECT (SELECT count(*) FROM \"$t\"), (SELECT group_concat(name, ',') FROM pragma_table_info('$t') WHERE cid < 2), (SELECT count(*) FROM geometry_columns WHERE f_table_name = '$t')")
    IFS='|' read -r rows cols gcols <<<"$row"
    expect_eq "$rows" "$count" "$id: rows in table $t"
    if [[ -z $gtype ]]; then
        expect_eq "$gcols" 0 "$id: geometry_columns rows of an attribute-only table"
        return
    fi
    expect_eq "$cols" "fid,geom" "$id: first columns of $t"
    local idx="idx_${t}_geom"
    local gc bad ext rtree idx_rows check_idx
    row=$(sql "$db" "SELECT (SELECT srid || ' ' || spatial_index_enabled FROM geometry_columns WHERE f_table_name = '$t' AND f_geometry_column = 'geom'), (SELECT count(*) FROM \"$t\" WHERE geom IS NOT NULL AND (ST_SRID(geom) <> 4326 OR upper(GeometryType(geom)) <> '$gtype')), (SELECT count(*) FROM \"$t\" WHERE geom IS NOT NULL), (SELECT printf('%.9f %.9f %.9f %.9f', min(MbrMinX(geom)), min(MbrMinY(geom)), max(MbrMaxX(geom)), max(MbrMaxY(geom))) FROM \"$t\"), rtreecheck('$idx'), (SELECT count(*) FROM \"$idx\")")
    IFS='|' read -r gc bad with_geom ext rtree idx_rows <<<"$row"
    expect_eq "$gc" "4326 1" "$id: geometry_columns row (srid, spatial index) of $t"
    expect_eq "$bad" 0 "$id: features whose geometry is not a $gtype in EPSG:4326"
    expect_eq "$reg_ext" "$ext" "$id: registry extent vs the table's"
    expect_eq "$rtree" ok "$id: rtreecheck('$idx')"
    expect_eq "$idx_rows" "$with_geom" "$id: index entries vs features with a geometry"
    # SpatiaLite's own check (it logs to spatialite_history: not where fingerprints matter).
    check_idx=$(sql "$db" "SELECT CheckSpatialIndex('$t', 'geom')")
    expect_eq "$check_idx" 1 "$id: CheckSpatialIndex('$t', 'geom')"
    if [[ $# -ge 8 ]]; then
        # MbrIntersects(NULL, box) is -1 (true in SQL): rows without geometry are left out.
        local x0=$5 y0=$6 x1=$7 y1=$8 by_index brute hits
        local box="BuildMbr($x0, $y0, $x1, $y1)"
        row=$(sql "$db" "SELECT (SELECT group_concat(fid) FROM (SELECT fid FROM \"$t\" WHERE fid IN (SELECT pkid FROM \"$idx\" WHERE xmin <= $x1 AND xmax >= $x0 AND ymin <= $y1 AND ymax >= $y0) AND MbrIntersects(geom, $box) ORDER BY fid)), (SELECT group_concat(fid) FROM (SELECT fid FROM \"$t\" WHERE geom IS NOT NULL AND MbrIntersects(geom, $box) ORDER BY fid)), (SELECT count(*) FROM \"$t\" WHERE geom IS NOT NULL AND MbrIntersects(geom, $box))")
        IFS='|' read -r by_index brute hits <<<"$row"
        expect_eq "$by_index" "$brute" "$id: features in bbox $x0 $y0 $x1 $y1 through the index vs brute force"
        expect_int -gt "$hits" 0 "$id: features in the test bbox"
        expect_int -lt "$hits" "$count" "$id: features in the test bbox (must be a strict subset)"
    fi
}

# first_vertex DB TABLE WHERE: "lon lat" of the first exterior-ring vertex of a (multi)polygon.
first_vertex() {
    sql "$1" "SELECT printf('%.10f %.10f', ST_X(p), ST_Y(p)) FROM (SELECT ST_PointN(ST_ExteriorRing(CASE WHEN GeometryType(geom) LIKE 'MULTI%' THEN ST_GeometryN(geom, 1) ELSE geom END), 1) AS p FROM \"$2\" WHERE $3)"
}

# point_of DB TABLE WHERE: "lon lat" of a point feature.
point_of() {
    sql "$1" "SELECT printf('%.10f %.10f', ST_X(geom), ST_Y(geom)) FROM \"$2\" WHERE $3"
}

# expect_lonlat "LON LAT" EXPECTED_LON EXPECTED_LAT WHAT: both within 1e-6 degrees.
expect_lonlat() {
    local lon=${1% *} lat=${1#* }
    [[ -n $1 ]] || fail "$4: no such feature (empty coordinate)"
    expect_near "$lon" "$2" 0.000001 "$4 (longitude)"
    expect_near "$lat" "$3" 0.000001 "$4 (latitude)"
}

# import_fresh DB ARGS...: a successful import into a new database.
import_fresh() {
    local db=$1
    shift
    rm -f "$db" "$db-wal" "$db-shm"
    run "$BIN" import --db "$db" "$@"
    expect_rc 0 "import $*"
    expect_eq "$RUN_ERR" "" "stderr of a successful import (not a terminal: no progress)"
}

# bundled_import DB [scenarios]: imports the bundled catalog (and the bundled scenarios)
# into DB, checked.
bundled_import() {
    run "$BIN" import --quiet --db "$1" --catalog "$REPO/datasets/catalog.json"
    expect_rc 0 "import of the bundled catalog"
    if [[ ${2:-} == scenarios ]]; then
        bundled_scenarios_import "$1"
    fi
}

bundled_scenarios_import() {
    run "$BIN" scenarios import --db "$1" "$REPO/datasets/scenarios.json"
    expect_rc 0 "import of the bundled scenarios"
}

# bundled_db DB [scenarios]: DB holds the bundled catalog (and the bundled scenarios), as
# bundled_import makes it. Under ctest (E2E_FIXTURES set) it is a copy of the database the
# fixture test e2e_fixture_bundled imported once for the whole run with the same binary
# (bundled_fixture.sh): importing it again in each of two dozen scripts was minutes of a
# suite run. A script run by hand imports it itself.
bundled_db() {
    local db=$1 kind=catalog
    if [[ ${2:-} == scenarios ]]; then
        kind=scenarios
    fi
    if [[ -z ${E2E_FIXTURES:-} ]]; then
        bundled_import "$db" "${2:-}"
        return
    fi
    local fixture=$E2E_FIXTURES/bundled-$kind.sqlite
    [[ -f $fixture ]] || fail "no $fixture: the ctest fixture e2e_fixture_bundled makes it"
    rm -f "$db" "$db-wal" "$db-shm" "$db-journal"
    cp "$fixture" "$db"
}
