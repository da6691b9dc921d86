/* api_styles.c - "/styles" and "/styles/{collectionId}": the look of each layer with
 * geometry, in the style format of styles/README.md (a subset of the MapLibre style
 * specification), for the web map. The styles were loaded at startup (style_set.h); a
 * layer without a valid file gets the default for its geometry type. "/styles?collections=
 * a,b" lists only the layers named, each with its style inline. */
#include "http/handlers/api.h"

#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/parse.h"
#include "http/transport/api_common.h"
#include "http/transport/response.h"
#include "styles/style_set.h"

/* The media type MapLibre and OGC API - Styles use for this format. */
#define API_STYLE_TYPE "application/vnd.mapbox.style+json"

/* The documents also depend on the style files read at startup, which may differ from one
 * start to the next with the same database: their digest joins the ETag. */
static void describe(struct response *resp, const struct request *req, int64_t version,
                     const char *updated_at, enum http_lang lang)
{
    api_describe_document(resp, req, version, updated_at, HTTP_FORMAT_JSON, lang);
    size_t len = resp->etag != NULL ? strlen(resp->etag) : 0;
    if (len > 0 && resp->etag[len - 1] == '"') {
        char *etag = xasprintf("%.*s-%016llx\"", (int)(len - 1), resp->etag,
                               (unsigned long long)style_set_digest(req->app->styles));
        free(resp->etag);
        resp->etag = etag;
    }
}

static json_t *style_entry(const struct request *req, const struct store_layer *layer,
                           enum http_lang lang, bool is_default)
{
    char *href = xasprintf("%s/styles/%s", req->base_url, layer->id);
    json_t *entry = json_pack(
        "{s:s, s:s, s:[o], s:b}", "id", layer->id, "title", api_layer_title(layer, lang), "links",
        api_link(href, "stylesheet", API_STYLE_TYPE, NULL), "is_default", is_default);
    free(href);
    return entry;
}

/* The style of layer (is_default: the default for its geometry type), or ERR_NOT_FOUND for a
 * table without geometry. */
static int layer_style(const struct request *req, const struct store_layer *layer, json_t **style,
                       bool *is_default, struct err *err)
{
    *style = style_set_resolve(req->app->styles, layer->id, layer->geometry_type,
                               layer->name_column, is_default);
    return *style != NULL
               ? ERR_OK
               : err_set(err, ERR_NOT_FOUND,
                         "layer '%s' is a table without geometry: it has no style", layer->id);
}

static bool is_listed(const json_t *list, const char *id)
{
    for (size_t i = 0; i < json_array_size(list); i++) {
        const json_t *entry = json_array_get(list, i);
        if (strcmp(json_string_value(json_object_get(entry, "id")), id) == 0) {
            return true;
        }
    }
    return false;
}

/* At most this many names in collections=: far more layers than a map shows at once. */
#define STYLES_MAX_NAMED 256

/* The layers named by collections=a,b (in that order, each once), each with its style
 * inline: the web map's first view asks for its layers' styles in one request, since a
 * phone's browser opens six connections to a server and a request per style took all of
 * them for a round trip. A name that is not a layer with geometry is refused. */
static int named_styles(const struct request *req, const struct store_read *rd, const char *names,
                        enum http_lang lang, json_t *list, struct err *err)
{
    if (*names == '\0') {
        return err_set(err, ERR_INVALID,
                       "collections: name at least one collection, comma-separated");
    }
    char *ids[STYLES_MAX_NAMED + 1];
    size_t n = 0;
    int rc = parse_comma_list("collections", names, STYLES_MAX_NAMED, "names", ids, &n, err);
    for (size_t i = 0; rc == ERR_OK && i < n; i++) {
        const struct store_layer *layer = NULL;
        json_t *style = NULL;
        bool is_default = false;
        rc = api_layer_named(rd, ids[i], &layer, err);
        if (rc == ERR_OK && !is_listed(list, layer->id)) {
            rc = layer_style(req, layer, &style, &is_default, err);
        }
        if (style != NULL) {
            json_t *entry = style_entry(req, layer, lang, is_default);
            json_object_set_new(entry, "style", style);
            json_array_append_new(list, entry);
        }
    }
    parse_free_parts(ids, n);
    return rc;
}

/* Every layer with geometry, each linked to its style. */
static void all_styles(const struct request *req, const struct store_catalog *cat,
                       enum http_lang lang, json_t *list)
{
    for (size_t i = 0; i < cat->n_layers; i++) {
        const struct store_layer *layer = &cat->layers[i];
        bool is_default = false;
        json_t *style = style_set_resolve(req->app->styles, layer->id, layer->geometry_type,
                                          layer->name_column, &is_default);
        if (style != NULL) {
            json_array_append_new(list, style_entry(req, layer, lang, is_default));
            json_decref(style);
        }
    }
}

int api_styles(struct request *req, struct response *resp, struct err *err)
{
    enum http_lang lang;
    struct store_read *rd = NULL;
    int rc = api_negotiate_json_document(req, &lang, err);
    if (rc == ERR_OK) {
        rc = request_store(req, &rd, err);
    }
    if (rc != ERR_OK) {
        return rc;
    }
    const struct store_catalog *cat = store_read_catalog(rd);
    json_t *list = json_array();
    const char *names = request_param(req, "collections");
    if (names == NULL) {
        all_styles(req, cat, lang, list);
    } else if ((rc = named_styles(req, rd, names, lang, list, err)) != ERR_OK) {
        json_decref(list);
        return rc;
    }
    char *self = xasprintf("%s/styles", req->base_url);
    json_t *doc =
        json_pack("{s:[o], s:o}", "links", api_link(self, "self", RESPONSE_TYPE_JSON, "the styles"),
                  "styles", list);
    free(self);
    describe(resp, req, cat->generation, cat->updated_at, lang);
    return response_set_json(resp, doc, RESPONSE_TYPE_JSON, err);
}

int api_style(struct request *req, struct response *resp, struct err *err)
{
    enum http_lang lang;
    struct store_read *rd = NULL;
    const struct store_layer *layer = NULL;
    int rc = api_negotiate_json_document(req, &lang, err);
    if (rc == ERR_OK) {
        rc = api_find_layer(req, &rd, &layer, err);
    }
    if (rc != ERR_OK) {
        return rc;
    }
    bool is_default = false;
    json_t *style = NULL;
    rc = layer_style(req, layer, &style, &is_default, err);
    if (rc != ERR_OK) {
        return rc;
    }
    describe(resp, req, layer->version, layer->imported_at, lang);
    return response_set_json(resp, style, API_STYLE_TYPE, err);
}
