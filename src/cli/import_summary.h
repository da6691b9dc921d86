/* import_summary.h - prints an import report as a table per layer, then the rejected
 * features and warnings, then one line saying what changed in the database. */
#ifndef CITYATLAS_CLI_IMPORT_SUMMARY_H
#define CITYATLAS_CLI_IMPORT_SUMMARY_H

#include <stdio.h>

#include "import/import.h"

void import_summary_print(FILE *out, const struct import_report *r, const char *db_path,
                          double seconds);

#endif
