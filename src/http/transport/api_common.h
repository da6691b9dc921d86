/* api_common.h - what the endpoint handlers share: links, titles in the request's
 * language, the collection lookup, the CRS list, ETags and HTTP dates. */
#ifndef CITYATLAS_HTTP_API_COMMON_H
#define CITYATLAS_HTTP_API_COMMON_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "http/transport/api_crs.h"
#include "http/transport/request.h"
#include "store/store_read.h"

/* ERR_INVALID naming the first query parameter that the matched route (req->route, the
 * table of routes.h) does not take: OGC API servers refuse parameters they do not define
 * rather than silently ignoring them. */
int api_check_params(const struct request *req, struct err *err) WARN_UNUSED;

/* The negotiation of a metadata document (landing, collections, /api, queryables...):
 * only f and lang are taken, the format is JSON or HTML. */
int api_negotiate_document(const struct request *req, enum http_format *format,
                           enum http_lang *lang, struct err *err) WARN_UNUSED;

/* The negotiation of a document offered in JSON only (styles, tilesets): f=json or
 * nothing, and lang; any other parameter is ERR_INVALID. */
int api_negotiate_json_document(const struct request *req, enum http_lang *lang,
                                struct err *err) WARN_UNUSED;

/* What a document about one collection (the route's {collectionId}) starts with:
 * negotiates format and language (api_negotiate_document) and finds the layer in the
 * request's snapshot (api_find_layer). */
int api_begin_layer_document(struct request *req, enum http_format *format, enum http_lang *lang,
                             struct store_read **rd, const struct store_layer **layer,
                             struct err *err) WARN_UNUSED;

/* What a document that depends on the whole catalog starts with: negotiates format and
 * language, opens the request's snapshot (*rd) and describes the response by the catalog's
 * generation (api_describe_document); an HTML answer gets its content type. */
int api_begin_catalog_document(struct request *req, struct response *resp, enum http_format *format,
                               enum http_lang *lang, struct store_read **rd,
                               struct err *err) WARN_UNUSED;

/* Sets what makes a metadata document cacheable: a weak ETag from version (a layer version
 * or the catalog generation), Last-Modified from updated_at (ISO 8601), the language. */
void api_describe_document(struct response *resp, const struct request *req, int64_t version,
                           const char *updated_at, enum http_format format, enum http_lang lang);

/* A link object {"href","rel","type","title"}; title and type may be NULL. */
json_t *api_link(const char *href, const char *rel, const char *type, const char *title);

/* Text in the request's language, falling back to the other language, then to fallback. */
const char *api_pick_lang(enum http_lang lang, const char *en, const char *th,
                          const char *fallback);
const char *api_layer_title(const struct store_layer *layer, enum http_lang lang);
const char *api_layer_description(const struct store_layer *layer, enum http_lang lang);

/* The layer id names in the snapshot rd: the damage error when its table is damaged,
 * ERR_NOT_FOUND naming it when there is no such layer. */
int api_layer_named(const struct store_read *rd, const char *id, const struct store_layer **out,
                    struct err *err) WARN_UNUSED;

/* Opens the snapshot and finds the route's {collectionId}: ERR_NOT_FOUND naming it otherwise. */
int api_find_layer(struct request *req, struct store_read **rd, const struct store_layer **out,
                   struct err *err) WARN_UNUSED;

/* True when the If-None-Match list header names etag (weak comparison, RFC 9110 13.1.2). */
bool api_etag_matches(const char *header, const char *etag);

/* A weak ETag for a document that depends on `version` (a layer version or the catalog
 * generation), the request's query, format and language. Free with free(). */
char *api_etag(int64_t version, const struct request *req, int format, int lang);

/* "2026-11-22T10:00:00Z" -> "Sun, 22 Nov 2026 10:00:00 GMT"; NULL if unreadable.
 * Free with free(). */
char *api_http_date(const char *iso);

/* "2026-11-22T10:00:00Z" now, in UTC, into out (cap >= 21). */
void api_now_iso(char *out, size_t cap);

/* The query string of req with parameter name set to value (or removed when value is
 * NULL), other parameters kept in order, re-encoded; for next/prev/alternate links.
 * Free with free(). */
char *api_query_with(const struct request *req, const char *name, const char *value);

/* Up to four parameter edits at once: value NULL removes the parameter. */
struct api_param_edit {
    const char *name;
    const char *value;
};
char *api_query_edit(const struct request *req, const struct api_param_edit *edits, size_t n_edits);
/* base_url + path + "?" + the edited query: an absolute link. Free with free(). */
char *api_href_edit(const struct request *req, const struct api_param_edit *edits, size_t n_edits);

/* Appends application/x-www-form-urlencoded text of s to a new string. Free with free(). */
char *api_url_encode(const char *s);

#endif
