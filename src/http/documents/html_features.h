/* html_features.h - the HTML pages of the feature resources (collections, one collection,
 * items, one item): readable pages a person can browse on a phone, in Thai or English.
 * Self-contained (inline CSS, no scripts or fonts from elsewhere: the server works
 * offline). Every text from the database or the request is HTML-escaped.
 *
 * Links are absolute (req->base_url + path). Links to HTML pages carry f=html and, when the
 * request had lang=, the same lang=, so a reader who chose a language keeps it.
 * Every function appends to out and returns 0, ERR_TOO_LARGE past out's cap, or
 * ERR_INTERNAL when its input breaks the contract below (a row whose values do not match
 * its columns, a geometry blob that cannot be read). After a failure out may hold part of
 * the page. Threads: no shared state. */
#ifndef CITYATLAS_HTTP_HTML_FEATURES_H
#define CITYATLAS_HTTP_HTML_FEATURES_H

#include <stdint.h>

#include "base/buf.h"
#include "http/transport/request.h"
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
 * ("features 101-200 of 5,412"; a negative number_matched leaves out the total), paging
 * links and the table header; row writes one table row per feature (fid linked to its item
 * page, the values, the geometry type); end closes the table and repeats the paging links.
 * A row's values are info->properties' fields in that order (all fields in layer order
 * when properties is NULL), as the store query with the same properties returns them. */
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
 * whole), and links to the collection and the GeoJSON. row carries every field in layer
 * order (a query with properties NULL; otherwise ERR_INVALID when the request named
 * properties=, ERR_INTERNAL when it did not); its geometry is in the CRS of the request's crs=
 * (CRS84 when absent), which the page names, with that CRS's axis order and precision.
 * The title is the feature's name (layer->name_column) when it has one. */
int html_item_page(const struct request *req, const struct store_layer *layer,
                   const struct store_feature *row, enum http_lang lang, struct buf *out,
                   struct err *err) WARN_UNUSED;

#endif
