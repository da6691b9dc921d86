/* columns.h - which source columns of a table become what: coordinate columns (lon/lat or
 * projected x/y, by the user's names or well-known ones, Thai included) become a point
 * geometry, and codes with leading zeros ("0101", หมู่ "01") that GDAL's CSV type detection
 * would turn into numbers stay text. Used for tables GDAL reads without geometry (CSV,
 * XLSX, ODS, ...). */
#ifndef CITYATLAS_IMPORT_COLUMNS_H
#define CITYATLAS_IMPORT_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>

#include <ogr_api.h>

#include "base/err.h"
#include "config/catalog.h"

/* Suffix of the untyped twin column GDAL's CSV driver adds with KEEP_SOURCE_COLUMNS=YES. */
#define COLUMNS_TWIN_SUFFIX "_original"

struct columns {
    int x, y;       /* OGR field indexes of the coordinate columns; -1 when none */
    int n;          /* fields of the layer */
    bool *skip;     /* per field: not stored (coordinate columns, untyped twins) */
    int *text_from; /* per field: the twin to store as text instead, or -1 */
};

/* Plans the columns of layer. Coordinate columns are looked for only when the layer has
 * no geometry of its own; x_name/y_name (may be NULL) must then exist, else ERR_INVALID
 * naming the fields there are. Reads the layer once when it has untyped twins (to find
 * leading zeros) and rewinds it. Clear with columns_clear(). */
int columns_plan(OGRLayerH layer, const struct catalog_hints *h, struct columns *out,
                 struct err *err) WARN_UNUSED;
void columns_clear(struct columns *c);

/* The point of feature f from its coordinate columns, in the source CRS; NULL when the
 * row has none, with the reason (naming the column and value) in reason. */
OGRGeometryH columns_point(const struct columns *c, OGRFeatureH f, char *reason, size_t cap);

#endif
