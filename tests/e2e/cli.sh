#!/usr/bin/env bash
# cli.sh BINARY - the command line itself: every --help exits 0 on stdout and lists its
# options and the exit codes; bad command lines exit 2 with a message on stderr; the
# progress display appears on a terminal only (stderr is empty when it is not one).
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"

# expect_exit_code_list TEXT WHAT: the exit codes 0, 2, 3, 4, 5 are each explained.
expect_exit_code_list() {
    expect_match "$1" "exit codes" "$2: an exit code section"
    local code
    for code in 0 2 3 4 5; do
        expect_match "$1" "^ *$code +[a-z]" "$2: exit code $code explained"
    done
}

# expect_help WHAT ARGS...: ARGS prints help on stdout, nothing on stderr, exit 0.
expect_help() {
    local what=$1
    shift
    run "$BIN" "$@"
    expect_rc 0 "$what"
    expect_eq "$RUN_ERR" "" "$what: stderr"
    expect_match "$RUN_OUT" "usage: cityatlas" "$what: usage line"
    expect_exit_code_list "$RUN_OUT" "$what"
}

section "cityatlas --help"
for flag in --help -h help; do
    expect_help "cityatlas $flag" "$flag"
    for cmd in import check layers; do
        expect_match "$RUN_OUT" "^ +$cmd +[a-z]" "cityatlas $flag: the $cmd command"
    done
done
run "$BIN" --version
expect_rc 0 "cityatlas --version"
expect_match "$RUN_OUT" "^cityatlas [0-9]+\.[0-9]+\.[0-9]+$" "cityatlas --version"

section "import --help and check --help"
import_options=(--db --catalog --id --title --title-th --description --theme --license
    --attribution --s-srs --encoding --layer --name-column --x-column --y-column --replace
    --strict --quiet --help)
for flag in --help -h; do
    expect_help "import $flag" import "$flag"
    for opt in "${import_options[@]}"; do
        expect_match "$RUN_OUT" -- "(^|[ ,])$opt( |,|$)" "import $flag: option $opt"
    done
    for theme in $(jq -r '[.datasets[].theme] | unique | join(" ")' "$REPO/datasets/catalog.json"); do
        expect_contains "$RUN_OUT" "$theme" "import $flag: theme $theme listed"
    done
    expect_contains "$RUN_OUT" "EPSG:24047" "import $flag: --s-srs example for Indian 1975"
    expect_contains "$RUN_OUT" "CP874" "import $flag: --encoding example"
done
expect_help "check --help" check --help
for opt in --catalog --id --s-srs --encoding --layer --x-column --y-column; do
    expect_match "$RUN_OUT" -- "(^|[ ,])$opt( |,|$)" "check --help: option $opt"
done
expect_match "$(tr '\n' ' ' <<<"$RUN_OUT")" "without +writing|nothing is written|not write" \
    "check --help: says it writes nothing"

section "layers --help"
expect_help "layers --help" layers --help
for opt in --db --json --help; do
    expect_match "$RUN_OUT" -- "(^|[ ,])$opt( |,|$)" "layers --help: option $opt"
done

section "bad command lines: exit 2, message on stderr, nothing on stdout"
usage_error() { # usage_error WHAT NEEDLE ARGS...
    local what=$1 needle=$2
    shift 2
    run "$BIN" "$@"
    expect_rc 2 "$what"
    expect_contains "$RUN_ERR" "$needle" "$what: stderr names the problem"
    expect_eq "$RUN_OUT" "" "$what: stdout"
}
usage_error "unknown command" "frobnicate" frobnicate
usage_error "no command" "Usage: cityatlas"
usage_error "import: unknown option" "--frobnicate" import --frobnicate "$DATA/two_layers.gpkg"
usage_error "import: no SOURCE" "SOURCE" import --db "$E2E_TMP/x.sqlite"
usage_error "import: bad --id" "--id" import --db "$E2E_TMP/x.sqlite" --id "UPPER_case" "$DATA/two_layers.gpkg"
usage_error "import: bad --theme" "--theme" import --db "$E2E_TMP/x.sqlite" --theme parks "$DATA/two_layers.gpkg"
usage_error "import: option without its value" "--db" import --db
usage_error "check: unknown option" "--frobnicate" check --frobnicate "$DATA/two_layers.gpkg"
usage_error "layers: unknown option" "--frobnicate" layers --frobnicate
usage_error "layers: extra argument" "extra" layers --db "$E2E_TMP/x.sqlite" extra
expect_no_db_files "$E2E_TMP/x.sqlite" "usage errors create no database"

section "progress display: only on a terminal"
DB=$E2E_TMP/city.sqlite
ROADS=$REPO/datasets/roads/cm_cbd_osm_road_network.geojson
run "$BIN" import --db "$DB" "$ROADS"
expect_rc 0 "import with stderr not a terminal"
expect_eq "$RUN_ERR" "" "stderr of an import when it is not a terminal"
expect_not_contains "$RUN_OUT" $'\r' "stdout of the import: no carriage returns (progress redraws)"
expect_not_contains "$RUN_OUT" $'\e[' "stdout of the import: no terminal escapes"
expect_contains "$RUN_OUT" "12581" "the summary gives the feature count"
run "$BIN" check "$ROADS"
expect_rc 0 "check with stderr not a terminal"
expect_eq "$RUN_ERR" "" "stderr of check when it is not a terminal"
run "$BIN" layers --db "$DB"
expect_rc 0 "layers"
expect_eq "$RUN_ERR" "" "stderr of layers"
# The control: on a terminal (script(1) gives the command a pty) the progress bar is drawn,
# so the empty stderr above is the display switching itself off, not a display that is missing.
if command -v script >/dev/null; then
    run script -qec "$(printf '%q ' "$BIN" import --db "$E2E_TMP/tty.sqlite" "$ROADS")" /dev/null
    expect_rc 0 "import on a terminal"
    expect_match "$RUN_OUT" "cm-cbd-osm-road-network.*features" "import on a terminal: progress line"
    expect_contains "$RUN_OUT" $'\r\e[K' "import on a terminal: progress redraws"
    run script -qec "$(printf '%q ' "$BIN" import --quiet --db "$E2E_TMP/tty.sqlite" "$ROADS")" /dev/null
    expect_rc 0 "import --quiet on a terminal"
    expect_not_contains "$RUN_OUT" $'\e[K' "import --quiet on a terminal: no progress"
else
    echo "    (script(1) not installed: skipping the terminal control)"
fi
