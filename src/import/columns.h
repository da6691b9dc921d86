/* columns.h - which source columns of a table become what: coordinate columns (lon/lat or
 * projected x/y, by the user's names or well-known ones, Thai included) become a point
 * geometry, a CSV's geometry text column (WKT) is kept aside to say why a cell gave no
 * geometry, and codes with leading zeros ("0101", หมู่ "01") that GDAL's CSV type detection
 * would turn into numbers stay text. Used for tables (CSV, XLSX, ODS, ...). */
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
    int geom_text;  /* the CSV column GDAL parsed the geometry from (WKT); -1 when none */
    int n;          /* fields of the layer */
    bool *skip;     /* per field: not stored (coordinate columns, untyped twins) */
    int *text_from; /* per field: the twin to store as text instead, or -1 */
};

/* Plans the columns of layer. Coordinate columns are looked for only when the layer has
 * no geometry of its own; x_name/y_name (may be NULL) must then exist, else ERR_INVALID
 * naming the fields there are. has_geometry_text: the layer is a CSV opened with its
 * geometry column kept as text (KEEP_GEOM_COLUMNS=YES), which is then not stored. Reads the
 * layer once when it has untyped twins (to find leading zeros) and rewinds it. Clear with
 * columns_clear(). */
int columns_plan(OGRLayerH layer, const struct catalog_hints *h, bool has_geometry_text,
                 struct columns *out, struct err *err) WARN_UNUSED;
void columns_clear(struct columns *c);

/* The point of feature f from its coordinate columns, in the source CRS; NULL when the
 * row has none, with the reason (naming the column and value) in reason and *unreadable
 * set when a cell held text that is not a number (false: a cell is empty). */
OGRGeometryH columns_point(const struct columns *c, OGRFeatureH f, bool *unreadable, char *reason,
                           size_t cap);

/* For a feature GDAL gave no geometry although the layer has a geometry text column: the
 * reason, naming the column and an excerpt of its cell ("'wkt_geom' is 'POINT (98.9', not
 * WKT: it ends too early"). Returns true when the cell held text that could not be read,
 * false when it is empty. */
bool columns_geometry_text_problem(const struct columns *c, OGRFeatureH f, char *reason,
                                   size_t cap);

#endif
