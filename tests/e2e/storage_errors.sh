#!/usr/bin/env bash
# storage_errors.sh BINARY - issue 18's silent failures: a disk that fills (a 2 MiB tmpfs,
# mounted when the test runs as root, else skipped) makes import, scenarios import and
# token create say that the disk is full and exit 5, leaving no new database and an
# existing one unchanged; a read-only database file is served for reading, the server
# says once in its log why it cannot write and answers writes with 503 and that reason;
# a read-only folder is refused by serve and import with a message naming the folder and
# the -shm file SQLite must create. Read-only is made with chattr +i as root (root ignores
# file modes) and with chmod otherwise.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/e2e/serve_lib.sh
source "$(dirname "$0")/serve_lib.sh"

IS_ROOT=false
[[ $(id -u) -eq 0 ]] && IS_ROOT=true
MOUNTED=""
LOCKED=() # paths made read-only, given back before the folder is removed
storage_undo() {
    local rc=$? p
    for p in "${LOCKED[@]}"; do
        if $IS_ROOT; then chattr -i "$p" 2>/dev/null || true; else chmod u+w "$p" 2>/dev/null || true; fi
    done
    [[ -z $MOUNTED ]] || umount "$MOUNTED" 2>/dev/null || umount -l "$MOUNTED" || true
    (exit "$rc")
    e2e_cleanup
}
trap storage_undo EXIT

# lock PATH: PATH can no longer be written (nor, for a folder, receive new files).
lock() {
    LOCKED+=("$1")
    if $IS_ROOT; then
        chattr +i "$1" || fail "chattr +i $1 (needs a file system with attributes, e.g. ext4)"
    else
        chmod a-w "$1"
    fi
}
unlock() {
    if $IS_ROOT; then chattr -i "$1"; else chmod u+w "$1"; fi
}

CATALOG=$REPO/datasets/catalog.json
DB=$E2E_TMP/city.sqlite
serve_bundled_db "$DB"

section "a full disk: every writer says so and exits 5"
mkdir small
if $IS_ROOT && mount -t tmpfs -o size=2m tmpfs small 2>/dev/null; then
    MOUNTED=$E2E_TMP/small
    # The whole catalog (about 4 MB) does not fit: the first import fails at its commit.
    run "$BIN" import --quiet --db small/city.sqlite --catalog "$CATALOG"
    expect_rc 5 "first import onto a full disk"
    expect_contains "$RUN_ALL" "the disk holding database small/city.sqlite is full" "the summary says the disk is full"
    expect_contains "$RUN_OUT" "Import failed (1 problem)" "the summary line"
    expect_no_db_files small/city.sqlite "a failed first import leaves no database"
    # An existing database, then the disk fills up: a re-import, scenarios and tokens.
    run "$BIN" import --quiet --db small/city.sqlite --catalog "$CATALOG" --id cm-districts
    expect_rc 0 "a small import that fits"
    before=$(db_fingerprint small/city.sqlite)
    head -c 3M /dev/zero >small/fill 2>/dev/null || true
    run "$BIN" import --quiet --db small/city.sqlite --catalog "$CATALOG" --id cm-cbd-roads
    expect_rc 5 "import when the disk is full"
    expect_contains "$RUN_ALL" "is full" "import: the disk is full"
    run "$BIN" scenarios import --db small/city.sqlite "$REPO/datasets/scenarios.json"
    expect_rc 5 "scenarios import when the disk is full"
    expect_contains "$RUN_ERR" "the disk holding database small/city.sqlite is full" "scenarios: the disk is full"
    run "$BIN" token create --db small/city.sqlite --name facilitator
    expect_rc 5 "token create when the disk is full"
    expect_contains "$RUN_ERR" "is full" "token: the disk is full"
    rm small/fill
    expect_unchanged small/city.sqlite "$before" "the database after the failed writes"
    # Nothing was left: a fresh disk takes the same import.
    run "$BIN" import --quiet --db small/city.sqlite --catalog "$CATALOG" --id cm-tambon
    expect_rc 0 "import after space was freed"
else
    echo "SKIP: a full disk needs root to mount a small tmpfs"
fi

section "a read-only database file: reads are served, writes get 503 with the reason"
run "$BIN" token create --db "$DB" --name facilitator
expect_rc 0 "token create"
TOKEN=$(grep -Eo 'cat_[A-Za-z0-9_-]{43}' <<<"$RUN_OUT" | head -1)
SID=$(jq -r '.scenarios[0].id' "$REPO/datasets/scenarios.json")
before=$(db_fingerprint "$DB")
lock "$DB"
serve_start "$DB" --quiet
expect_eq "$(grep -c 'cannot be written' "$SERVE_LOG")" 1 "one warning at start"
expect_contains "$(cat "$SERVE_LOG")" "warning: the file $DB cannot be written" "the warning names the file"
get "/collections/cm-districts/items?limit=2"
expect_status 200 "reads from a read-only database"
POINT='{"type":"Feature","geometry":{"type":"Point","coordinates":[98.9853,18.7883]},"properties":{"kind":"proposal"}}'
get "/scenarios/$SID/sketches" -X POST -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/geo+json' --data-binary "$POINT"
expect_json_error 503 "a sketch on a read-only database"
expect_contains "$(jqb .description)" "$DB cannot be written" "the 503 says why"
get "/scenarios/$SID" -X DELETE -H "Authorization: Bearer $TOKEN"
expect_json_error 503 "deleting a scenario on a read-only database"
serve_stop
unlock "$DB"
expect_unchanged "$DB" "$before" "the read-only database"

section "a read-only folder: the -shm file is named"
mkdir ro
cp "$DB" ro/city.sqlite
lock ro
run "$BIN" serve --db ro/city.sqlite --port 0 --threads 2
expect_rc 5 "serve from a read-only folder"
expect_contains "$RUN_ERR" "its folder ro is read-only" "serve names the folder"
expect_contains "$RUN_ERR" "ro/city.sqlite-shm" "serve names the -shm file"
run "$BIN" import --quiet --db ro/city.sqlite --catalog "$CATALOG" --id cm-districts
expect_rc 5 "import into a read-only folder"
expect_contains "$RUN_ERR" "-shm there" "import names the -shm file"
unlock ro
