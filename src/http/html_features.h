/* html_features.h - the HTML pages of the feature resources (collections, one collection,
 * items, one item): readable pages a person can browse on a phone, in Thai or English.
 * Self-contained (inline CSS, no scripts or fonts from elsewhere: the server works
 * offline). Every text from the database or the request is HTML-escaped. */
#ifndef CITYATLAS_HTTP_HTML_FEATURES_H
#define CITYATLAS_HTTP_HTML_FEATURES_H

#include <stdint.h>

#include "base/buf.h"
#include "http/request.h"
#include "store/store_read.h"

/* "/collections": every layer grouped by theme, with title, description, feature count,
 * geometry type and links to its page, its items (HTML, GeoJSON, CSV). */
int html_collections_page(const struct request *req, const struct store_catalog *cat,
                          enum http_lang lang, struct buf *out, struct err *err) WARN_UNUSED;

/* "/collections/{id}": title, description, source, licence, attribution, extent, feature
 * count, the fields (name and type), the CRS list, and links (items in each format,
 * queryables, schema). */
int html_collection_page(const struct request *req, const struct store_layer *layer,
                         enum http_lang lang, struct buf *out, struct err *err) WARN_UNUSED;

/* What an items page shows besides the rows. */
struct html_items_info {
    int64_t number_matched;
    int64_t number_returned; /* rows that will follow */
    int64_t offset, limit;
    const char *next_href; /* absolute URLs (HTML format), or NULL */
    const char *prev_href;
    const char *json_href; /* the same page as GeoJSON, and as CSV */
    const char *csv_href;
    const size_t *properties; /* the fields shown, as in the query (NULL: all) */
    size_t n_properties;
};

/* "/collections/{id}/items" as HTML, streamed: begin writes the page head, a summary
 * ("features 101-200 of 5,412"), paging links and the table header; row writes one table
 * row per feature (fid linked to its item page, the values, the geometry type); end closes
 * the table and repeats the paging links. */
int html_items_begin(const struct request *req, const struct store_layer *layer,
                     const struct html_items_info *info, enum http_lang lang, struct buf *out,
                     struct err *err) WARN_UNUSED;
int html_items_row(const struct request *req, const struct store_layer *layer,
                   const struct html_items_info *info, const struct store_feature *row,
                   struct buf *out, struct err *err) WARN_UNUSED;
int html_items_end(const struct request *req, const struct store_layer *layer,
                   const struct html_items_info *info, enum http_lang lang, struct buf *out,
                   struct err *err) WARN_UNUSED;

/* "/collections/{id}/items/{fid}": the feature's properties as a two-column table, its
 * geometry as WKT (shortened past a few hundred characters, with the GeoJSON link for the
 * whole), and links to the collection and the GeoJSON. */
int html_item_page(const struct request *req, const struct store_layer *layer,
                   const struct store_feature *row, enum http_lang lang, struct buf *out,
                   struct err *err) WARN_UNUSED;

#endif
