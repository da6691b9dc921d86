/* api_collections.c - "/collections" and "/collections/{collectionId}": what each layer
 * is (title and description in the request's language, theme, extent, CRS list,
 * licence, attribution) and where its features are. */
#include "http/handlers/api.h"

#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "http/handlers/api_tiles_int.h"
#include "http/transport/api_common.h"
#include "http/documents/html_features.h"
#include "http/transport/response.h"

static json_t *crs_array(void)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < api_n_crs; i++) {
        json_array_append_new(arr, json_string(api_crs_list[i].uri));
    }
    return arr;
}

static void add_string(json_t *obj, const char *key, const char *value)
{
    if (value != NULL && *value != '\0') {
        json_object_set_new(obj, key, json_string(value));
    }
}

static json_t *collection_links(const struct request *req, const struct store_layer *layer)
{
    char *base = xasprintf("%s/collections/%s", req->base_url, layer->id);
    char *items = xasprintf("%s/items", base);
    char *items_html = xasprintf("%s/items?f=html", base);
    char *items_csv = xasprintf("%s/items?f=csv", base);
    char *html = xasprintf("%s?f=html", base);
    char *queryables = xasprintf("%s/queryables", base);
    char *schema = xasprintf("%s/schema", base);
    char *sortables = xasprintf("%s/sortables", base);
    json_t *links = json_array();
    json_array_append_new(links, api_link(base, "self", RESPONSE_TYPE_JSON, "this collection"));
    json_array_append_new(links,
                          api_link(html, "alternate", "text/html", "this collection as HTML"));
    json_array_append_new(links, api_link(items, "items", RESPONSE_TYPE_GEOJSON, "the features"));
    json_array_append_new(links,
                          api_link(items_html, "items", "text/html", "the features as HTML"));
    json_array_append_new(links, api_link(items_csv, "items", "text/csv", "the features as CSV"));
    json_array_append_new(links,
                          api_link(queryables, "http://www.opengis.net/def/rel/ogc/1.0/queryables",
                                   RESPONSE_TYPE_SCHEMA, "the queryable properties"));
    json_array_append_new(links, api_link(schema, "http://www.opengis.net/def/rel/ogc/1.0/schema",
                                          RESPONSE_TYPE_SCHEMA, "the properties of the features"));
    json_array_append_new(links,
                          api_link(sortables, "http://www.opengis.net/def/rel/ogc/1.0/sortables",
                                   RESPONSE_TYPE_SCHEMA, "the properties sortby takes"));
    if (layer->geometry_type != NULL) {
        char *tiles = xasprintf("%s/tiles", base);
        json_array_append_new(
            links, api_link(tiles, "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector",
                            RESPONSE_TYPE_JSON, "the vector tilesets"));
        /* The web map reads its tiles' URL from here: one round trip less before the
         * first tiles on a phone. */
        const struct store_layer *one[] = {layer};
        struct api_tileset ts = {
            .layers = one, .n = 1, .id = layer->id, .path = tiles + strlen(req->base_url)};
        json_array_append_new(links, api_tile_item_link(req, &ts));
        free(tiles);
    }
    if (layer->source_url != NULL && *layer->source_url != '\0') {
        json_array_append_new(links, api_link(layer->source_url, "describedby", "text/html",
                                              "where the data comes from (a web page)"));
    }
    free(base);
    free(items);
    free(items_html);
    free(items_csv);
    free(html);
    free(queryables);
    free(schema);
    free(sortables);
    return links;
}

/* extent: the spatial box from the registry, and the interval of the layer's time field
 * (what datetime filters; /req/core/rc-md-extent) read from this snapshot. */
static int add_extent(json_t *c, struct store_read *rd, const struct store_layer *layer,
                      struct err *err)
{
    json_t *extent = json_object();
    if (layer->has_extent) {
        json_object_set_new(extent, "spatial",
                            json_pack("{s:[[f,f,f,f]], s:s}", "bbox", layer->min_lon,
                                      layer->min_lat, layer->max_lon, layer->max_lat, "crs",
                                      API_CRS84));
    }
    long field = store_layer_time_field(layer);
    char *min = NULL, *max = NULL;
    int rc = field >= 0 ? store_time_extent(rd, layer, (size_t)field, &min, &max, err) : ERR_OK;
    if (rc == ERR_OK && min != NULL) {
        json_object_set_new(extent, "temporal",
                            json_pack("{s:[[s,s]], s:s}", "interval", min, max, "trs",
                                      "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"));
    }
    free(min);
    free(max);
    if (json_object_size(extent) > 0) {
        json_object_set_new(c, "extent", extent);
    } else {
        json_decref(extent);
    }
    return rc;
}

static json_t *layer_facts(const struct store_layer *layer)
{
    json_t *about = json_pack("{s:I, s:I, s:s}", "featureCount", (json_int_t)layer->feature_count,
                              "version", (json_int_t)layer->version, "importedAt",
                              layer->imported_at != NULL ? layer->imported_at : "");
    json_object_set_new(about, "geometryType",
                        layer->geometry_type != NULL ? json_string(layer->geometry_type)
                                                     : json_null());
    add_string(about, "theme", layer->theme);
    add_string(about, "source", layer->source);
    add_string(about, "sourceCrs", layer->source_crs);
    add_string(about, "nameProperty", layer->name_column);
    add_string(about, "shapeOf", layer->shape_of); /* a shape view of that collection */
    return about;
}

/* The collection's document into *out (caller decrefs), or an error reading its extent. */
static int collection_json(const struct request *req, struct store_read *rd,
                           const struct store_layer *layer, enum http_lang lang, json_t **out,
                           struct err *err)
{
    json_t *c = json_object();
    json_object_set_new(c, "id", json_string(layer->id));
    json_object_set_new(c, "title", json_string(api_layer_title(layer, lang)));
    json_object_set_new(c, "description", json_string(api_layer_description(layer, lang)));
    if (layer->theme != NULL) {
        json_object_set_new(c, "keywords", json_pack("[s]", layer->theme));
    }
    json_object_set_new(c, "itemType", json_string("feature"));
    int rc = add_extent(c, rd, layer, err);
    json_object_set_new(c, "crs", crs_array());
    json_object_set_new(c, "storageCrs", json_string(API_CRS84));
    add_string(c, "license", layer->license);
    add_string(c, "attribution", layer->attribution);
    json_object_set_new(c, "cityatlas", layer_facts(layer));
    json_object_set_new(c, "links", collection_links(req, layer));
    if (rc != ERR_OK) {
        json_decref(c);
        c = NULL;
    }
    *out = c;
    return rc;
}

int api_collections(struct request *req, struct response *resp, struct err *err)
{
    enum http_format format;
    enum http_lang lang;
    struct store_read *rd = NULL;
    int rc = api_begin_catalog_document(req, resp, &format, &lang, &rd, err);
    if (rc != ERR_OK) {
        return rc;
    }
    const struct store_catalog *cat = store_read_catalog(rd);
    if (format == HTTP_FORMAT_HTML) {
        return html_collections_page(req, cat, lang, &resp->body, err);
    }
    json_t *list = json_array();
    for (size_t i = 0; i < cat->n_layers && rc == ERR_OK; i++) {
        json_t *c = NULL;
        rc = collection_json(req, rd, &cat->layers[i], lang, &c, err);
        if (rc == ERR_OK) {
            json_array_append_new(list, c);
        }
    }
    if (rc != ERR_OK) {
        json_decref(list);
        return rc;
    }
    char *self = xasprintf("%s/collections", req->base_url);
    char *html = xasprintf("%s/collections?f=html", req->base_url);
    json_t *doc = json_pack("{s:[o,o], s:o, s:o}", "links",
                            api_link(self, "self", RESPONSE_TYPE_JSON, "the collections"),
                            api_link(html, "alternate", "text/html", "the collections as HTML"),
                            "collections", list, "crs", crs_array());
    free(self);
    free(html);
    return response_set_json(resp, doc, RESPONSE_TYPE_JSON, err);
}

int api_collection(struct request *req, struct response *resp, struct err *err)
{
    enum http_format format;
    enum http_lang lang;
    struct store_read *rd = NULL;
    const struct store_layer *layer = NULL;
    int rc = api_begin_layer_document(req, &format, &lang, &rd, &layer, err);
    if (rc != ERR_OK) {
        return rc;
    }
    api_describe_document(resp, req, layer->version, layer->imported_at, format, lang);
    if (format == HTTP_FORMAT_HTML) {
        resp->content_type = RESPONSE_TYPE_HTML;
        return html_collection_page(req, layer, lang, &resp->body, err);
    }
    json_t *doc = NULL;
    rc = collection_json(req, rd, layer, lang, &doc, err);
    return rc == ERR_OK ? response_set_json(resp, doc, RESPONSE_TYPE_JSON, err) : rc;
}
