/* check_featured.h - `cityatlas check --catalog`: the catalog's featured statistics checked
 * against the layers the import would produce, so a statistic that would fail on the
 * server is found before anything is written. */
#ifndef CITYATLAS_CLI_CHECK_FEATURED_H
#define CITYATLAS_CLI_CHECK_FEATURED_H

#include <stddef.h>

#include "config/catalog.h"
#include "import/import.h"

/* Checks every statistic of cat against the layers read by the dry run (report) and, for
 * ids the run did not read, the layers of the database at db (NULL: none). Each problem,
 * "featured statistic 'ID': PARAMETER: reason", is appended to report->errors. Returns
 * the number of problems. */
size_t check_featured(const struct catalog *cat, const char *db, struct import_report *report);

#endif
