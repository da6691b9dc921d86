#!/usr/bin/env bash
# bundled_fixture.sh BINARY OUTDIR - ctest's fixture e2e_fixture_bundled: imports the
# bundled catalog once per test run into OUTDIR/bundled-catalog.sqlite, and the catalog plus
# the bundled scenarios into OUTDIR/bundled-scenarios.sqlite. The scripts that only need
# those databases copy them (bundled_db in lib.sh) instead of importing them again; the
# import itself is checked here and, layer by layer, by import_catalog.sh.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"

OUT=${2:?usage: bundled_fixture.sh BINARY OUTDIR}
mkdir -p "$OUT"
# A run that fails here leaves no database of an older binary for the scripts to copy.
rm -f "$OUT"/bundled-*.sqlite

bundled_import catalog.sqlite
expect_eq "$(wc -w <<<"$(layer_ids catalog.sqlite)")" \
    "$(jq '.datasets | length' "$REPO/datasets/catalog.json")" "layers of the bundled catalog"
cp catalog.sqlite scenarios.sqlite
bundled_scenarios_import scenarios.sqlite

for kind in catalog scenarios; do
    # A copy of the main file alone must be the whole database.
    for suffix in -wal -shm -journal; do
        expect_file_absent "$kind.sqlite$suffix" "what the import left beside $kind.sqlite"
    done
    # Copied beside its final name, then renamed: a script never copies half a file.
    cp "$kind.sqlite" "$OUT/.bundled-$kind.sqlite.$$"
    mv -f "$OUT/.bundled-$kind.sqlite.$$" "$OUT/bundled-$kind.sqlite"
done
