/* import_summary.h - prints an import report as a table per layer, then the rejected
 * features and warnings, then one line saying what changed in the database. */
#ifndef CITYATLAS_CLI_IMPORT_SUMMARY_H
#define CITYATLAS_CLI_IMPORT_SUMMARY_H

#include <stdio.h>

#include "import/import.h"

void import_summary_print(FILE *out, const struct import_report *r, const char *db_path,
                          double seconds);

/* The same report as one JSON object (for scripts: `check --json`, `import --json`):
 * dry_run, committed, database, layers[] (id, source, source_layer, format, crs_from,
 * encoding, features, rejected, repaired, without_geometry, unchanged, error, rejects[],
 * notes[], samples[], extent), notes[] and errors[]. */
void import_summary_print_json(FILE *out, const struct import_report *r, const char *db_path);

#endif
