/* geom_text.h - a SpatiaLite geometry BLOB written as a GeoJSON geometry object or as WKT,
 * straight from the blob (geom_blob.h) into a buf, with no intermediate geometry.
 *
 * Only x and y are written: Z and M are dropped. Empty parts stay valid: GeoJSON writes
 * "coordinates":[] (or "geometries":[]), WKT writes EMPTY (e.g. "GEOMETRYCOLLECTION EMPTY",
 * "MULTIPOLYGON (EMPTY, ((...)))").
 *
 * Both functions append to b and return 0; ERR_INVALID when the blob is truncated, corrupt,
 * of an unsupported class or holds a NaN or infinite coordinate (which neither format can
 * spell), or when fmt->precision is out of range; ERR_TOO_LARGE past b's cap. On failure b
 * is left as it was. Threads: no shared state. */
#ifndef CITYATLAS_ENCODE_GEOM_TEXT_H
#define CITYATLAS_ENCODE_GEOM_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "base/err.h"

/* Largest coordinate magnitude written; beyond it a geometry is refused as damaged. */
#define GEOM_TEXT_MAX_COORD 1e15

struct geom_format {
    int precision;  /* decimals written, 0..15; trailing zeros are trimmed */
    bool swap_axes; /* write y before x (EPSG:4326 as latitude, longitude) */
};

/* Appends the geometry as a GeoJSON geometry object, e.g.
 * {"type":"Point","coordinates":[100.4747,7.0086]}. */
int geom_text_append_geojson(struct buf *b, const unsigned char *blob, size_t len,
                             const struct geom_format *fmt, struct err *err) WARN_UNUSED;

/* Appends the geometry as WKT (OGC 06-103r4), e.g. POINT (100.4747 7.0086),
 * MULTIPOINT ((1 2), (3 4)), MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0))). */
int geom_text_append_wkt(struct buf *b, const unsigned char *blob, size_t len,
                         const struct geom_format *fmt, struct err *err) WARN_UNUSED;

#endif
