/* items_writer.h - one feature as GeoJSON or as a CSV row, written from a store row with
 * the encoders; shared by the items stream and the single-item handler. */
#ifndef CITYATLAS_HTTP_ITEMS_WRITER_H
#define CITYATLAS_HTTP_ITEMS_WRITER_H

#include "base/buf.h"
#include "encode/geom_text.h"
#include "store/store_read.h"

/* The property keys of a page's features ("name": after a comma but for the first),
 * JSON-escaped once for the page instead of once per feature. */
struct items_writer_keys {
    struct buf text; /* every key, one after another */
    size_t *ends;    /* key i is text.data[ends[i - 1] .. ends[i]), key 0 starts at 0 */
    size_t n;
};

/* The keys of the n fields a row carries: properties (NULL: all, in layer order). */
int items_writer_keys_init(struct items_writer_keys *keys, const struct store_layer *layer,
                           const size_t *properties, size_t n, struct err *err) WARN_UNUSED;
void items_writer_keys_clear(struct items_writer_keys *keys);

/* {"type":"Feature","id":fid,"geometry":...,"properties":{...}} without a closing brace
 * when is_open (the caller adds members such as links, then '}'). keys are the row's
 * properties' (items_writer_keys_init). A stored geometry that does not decode (a damaged
 * database) writes nothing and returns ERR_DB naming the layer and the fid; the caller may
 * write the row again without its geometry. */
int items_writer_geojson(struct buf *out, const struct store_layer *layer,
                         const struct items_writer_keys *keys, const struct store_feature *row,
                         const struct geom_format *fmt, bool is_open, struct err *err) WARN_UNUSED;

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
