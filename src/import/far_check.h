/* far_check.h - the warning for data that lands far from the city, which has almost always
 * been given the wrong CRS (a UTM hint followed on lon/lat data puts points at 94.5°E,
 * 0°N). The city is the city profile's extent: the catalog's being imported, else the one
 * stored in the database; without either, the union of the layers already in the
 * database. A profile's extent taken from a boundary layer uses that layer as this import
 * read it, else as the database holds it. */
#ifndef CITYATLAS_IMPORT_FAR_CHECK_H
#define CITYATLAS_IMPORT_FAR_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "import/import.h"

/* Data landing farther than this from the city's extent (about 55 km). */
#define IMPORT_FAR_DEGREES 0.5

struct far_check {
    struct store_city_extent city; /* the profile's extent, when one gives it */
    bool has_city;
    bool has_union; /* without a profile's extent: the layers of the database */
    double layers_union[4];
    struct store_layer_info *db_layers;
    size_t n_db_layers;
};

/* Reads what the check compares with: city_json (a catalog's city profile, or NULL) and
 * db (may be NULL: a dry run without --db). Database trouble only leaves the check out;
 * the import itself reports it. */
void far_check_begin(struct far_check *fc, struct store *db, const char *city_json);
/* Adds the warning to each layer of rep that was read and lands far from the city. */
void far_check_report(const struct far_check *fc, struct import_report *rep);
void far_check_clear(struct far_check *fc);

#endif
