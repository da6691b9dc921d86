# bench_lib.sh - what the benchmark scripts share; sourced after each sets BENCH_NAME
# (the prefix of its messages) and, for table_of, defines sql (its own sqlite3 wrapper) and db.
# shellcheck shell=bash

die() {
    echo "$BENCH_NAME: $*" >&2
    exit 1
}

note() {
    echo "$BENCH_NAME: $*" >&2
}

need_arg() { # OPTION VALUE...: VALUE must be there and be a non-negative integer
    (($# >= 2)) || die "option $1 needs a value"
    [[ $2 =~ ^[0-9]+$ ]] || die "option $1 wants a non-negative integer, got '$2'"
}

table_of() { # LAYER-ID: the table cityatlas imported it into
    local t
    t=$(sql "SELECT table_name FROM cityatlas_layers WHERE id='$1'") || die "cannot read cityatlas_layers in $db"
    [[ $t =~ ^[A-Za-z0-9_]+$ ]] || die "layer '$1' has no usable table in $db (got '$t')"
    echo "$t"
}
