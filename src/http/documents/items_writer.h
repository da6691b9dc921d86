/* items_writer.h - one feature as GeoJSON or as a CSV row, written from a store row with
 * the encoders; shared by the items stream and the single-item handler. */
#ifndef CITYATLAS_HTTP_ITEMS_WRITER_H
#define CITYATLAS_HTTP_ITEMS_WRITER_H

#include "base/buf.h"
#include "encode/geom_text.h"
#include "store/store_read.h"

/* {"type":"Feature","id":fid,"geometry":...,"properties":{...}} without a closing brace
 * when is_open (the caller adds members such as links, then '}'). properties lists the
 * fields the row carries (NULL: all, in layer order). A stored geometry that does not
 * decode (a damaged database) writes nothing and returns ERR_DB naming the layer and the
 * fid; the caller may write the row again without its geometry. */
int items_writer_geojson(struct buf *out, const struct store_layer *layer, const size_t *properties,
                         const struct store_feature *row, const struct geom_format *fmt,
                         bool is_open, struct err *err) WARN_UNUSED;

/* The CSV header line, after a UTF-8 byte order mark (so that Excel reads Thai): fid, the
 * properties, then "wkt" (when with_geometry). */
int items_writer_csv_header(struct buf *out, const struct store_layer *layer,
                            const size_t *properties, size_t n_values, bool with_geometry,
                            struct err *err) WARN_UNUSED;
/* One CSV line (RFC 4180, CRLF): fid, the values, the geometry as WKT. A damaged
 * geometry: as items_writer_geojson. */
int items_writer_csv_row(struct buf *out, const struct store_layer *layer,
                         const struct store_feature *row, bool with_geometry,
                         const struct geom_format *fmt, struct err *err) WARN_UNUSED;

#endif
