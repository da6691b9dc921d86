/* api_tilesets.c - the documents of OGC API - Tiles that describe the tiles of
 * api_tiles.c: the tile matrix sets ("/tileMatrixSets", "/tileMatrixSets/{id}": only
 * WebMercatorQuad), a collection's or the base map's tilesets list (".../tiles"), tileset
 * metadata (".../tiles/WebMercatorQuad") and a TileJSON 3.0.0 document
 * (".../tiles/WebMercatorQuad/tilejson.json") for MapLibre, Leaflet plugins and QGIS.
 *
 * The base map ("/tiles") holds the layers the city profile of the catalog names for
 * orientation (api_basemap.c); its TileJSON says how to draw and label each one
 * ("cityatlas:base_map"). */
#include "http/handlers/api.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/utf8.h"
#include "http/transport/api_common.h"
#include "http/handlers/api_tiles_int.h"
#include "http/transport/response.h"
#include "tiles/tile_fields.h"
#include "tiles/tile_math.h"

#define TILEJSON_TYPE "application/vnd.mapbox.tile+json"
#define REL_TILING_SCHEME "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme"
#define REL_TILESETS_VECTOR "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector"
#define REL_GEODATA "http://www.opengis.net/def/rel/ogc/1.0/geodata"
/* OGC's definition of a standard pixel for scale denominators: 0.28 mm. */
#define STANDARD_PIXEL_METRES 0.00028
/* The tile size WebMercatorQuad's scales are defined for. */
#define TILE_PIXELS 256

int api_tileset_open(struct request *req, bool allow_empty, struct api_tileset *out,
                     struct err *err)
{
    const char *tile_matrix_set_id = request_path_param(req, "tileMatrixSetId");
    *out = (struct api_tileset){0};
    struct store_read *rd = NULL;
    int rc;
    if (request_path_param(req, "collectionId") != NULL) {
        const struct store_layer *layer = NULL;
        rc = api_find_layer(req, &rd, &layer, err);
        if (rc == ERR_OK && layer->geometry_type == NULL) {
            rc = err_set(err, ERR_NOT_FOUND,
                         "collection '%s' has no geometry, so it has no tiles; its features "
                         "are at /collections/%s/items",
                         layer->id, layer->id);
        }
        if (rc != ERR_OK) {
            return rc;
        }
        out->layers = xcalloc(1, sizeof(*out->layers));
        out->layers[0] = layer;
        out->n = 1;
        out->id = layer->id;
        out->path = xasprintf("/collections/%s/tiles", layer->id);
    } else {
        rc = request_store(req, &rd, err);
        if (rc != ERR_OK) {
            return rc;
        }
        api_basemap_open(rd, out);
        out->path = xstrdup("/tiles");
        if (out->n == 0 && !allow_empty) {
            api_tileset_clear(out);
            return err_set(err, ERR_NOT_FOUND,
                           "the base map has no layers: the database holds no layer with "
                           "geometry that the city profile names");
        }
    }
    if (tile_matrix_set_id != NULL && strcmp(tile_matrix_set_id, TILE_MATRIX_SET_ID) != 0) {
        rc = err_set(err, ERR_NOT_FOUND,
                     "tile matrix set '%s' is not offered; /tileMatrixSets lists the one "
                     "this server tiles in (" TILE_MATRIX_SET_ID ")",
                     utf8_excerpt(tile_matrix_set_id, 80).text);
        api_tileset_clear(out);
    }
    return rc;
}

void api_tileset_clear(struct api_tileset *ts)
{
    api_basemap_clear(ts);
    free(ts->layers);
    free(ts->path);
    *ts = (struct api_tileset){0};
}

char *api_tileset_version(const struct api_tileset *ts)
{
    if (ts->n == 1) {
        return xasprintf("%lld", (long long)ts->layers[0]->version);
    }
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < ts->n; i++) {
        char part[96];
        snprintf(part, sizeof(part), "%s@%lld;", ts->layers[i]->id,
                 (long long)ts->layers[i]->version);
        for (const unsigned char *p = (const unsigned char *)part; *p != '\0'; p++) {
            h = (h ^ *p) * 1099511628211ULL;
        }
    }
    return xasprintf("%012llx", (unsigned long long)(h & 0xffffffffffffULL));
}

/* What a tileset document starts with: JSON only (f=json or nothing) in the request's
 * language, the tileset (see api_tileset_open), and an ETag and Last-Modified from the
 * catalog generation (the layers' versions move it). */
static int begin_tileset_document(struct request *req, struct response *resp, bool allow_empty,
                                  enum http_lang *lang, struct api_tileset *ts, struct err *err)
{
    int rc = api_negotiate_json_document(req, lang, err);
    if (rc == ERR_OK) {
        rc = api_tileset_open(req, allow_empty, ts, err);
    }
    if (rc == ERR_OK) {
        const struct store_catalog *cat = store_read_catalog(req->rd);
        api_describe_document(resp, req, cat->generation,
                              cat->updated_at != NULL ? cat->updated_at : "", HTTP_FORMAT_JSON,
                              *lang);
    }
    return rc;
}

static const char *tileset_title(const struct api_tileset *ts, enum http_lang lang)
{
    if (ts->id != NULL) {
        return api_layer_title(ts->layers[0], lang);
    }
    return lang == HTTP_LANG_TH ? "แผนที่ฐาน" : "Base map";
}

/* The tile URL template of ts, with its version token. */
static char *tile_template(const struct request *req, const struct api_tileset *ts, const char *z,
                           const char *y, const char *x)
{
    char *version = api_tileset_version(ts);
    char *href = xasprintf("%s%s/" TILE_MATRIX_SET_ID "/%s/%s/%s?v=%s", req->base_url, ts->path, z,
                           y, x, version);
    free(version);
    return href;
}

json_t *api_tile_item_link(const struct request *req, const struct api_tileset *ts)
{
    char *tiles = tile_template(req, ts, "{tileMatrix}", "{tileRow}", "{tileCol}");
    json_t *item = api_link(tiles, "item", API_TILE_TYPE, "a tile of this tileset");
    json_object_set_new(item, "templated", json_true());
    free(tiles);
    return item;
}

static json_t *tileset_links(const struct request *req, const struct api_tileset *ts)
{
    char *self = xasprintf("%s%s/" TILE_MATRIX_SET_ID, req->base_url, ts->path);
    char *scheme = xasprintf("%s/tileMatrixSets/" TILE_MATRIX_SET_ID, req->base_url);
    char *tilejson = xasprintf("%s/tilejson.json", self);
    json_t *links = json_array();
    json_array_append_new(links, api_link(self, "self", RESPONSE_TYPE_JSON, "this tileset"));
    json_array_append_new(
        links, api_link(scheme, REL_TILING_SCHEME, RESPONSE_TYPE_JSON, "the tile matrix set"));
    json_array_append_new(
        links, api_link(tilejson, "alternate", TILEJSON_TYPE, "this tileset as TileJSON"));
    json_array_append_new(links, api_tile_item_link(req, ts));
    if (ts->id != NULL) {
        char *geodata = xasprintf("%s/collections/%s", req->base_url, ts->id);
        json_array_append_new(links,
                              api_link(geodata, REL_GEODATA, RESPONSE_TYPE_JSON, "the collection"));
        free(geodata);
    }
    free(self);
    free(scheme);
    free(tilejson);
    return links;
}

static int geometry_dimension(const struct store_layer *layer)
{
    if (strstr(layer->geometry_type, "POINT") != NULL) {
        return 0;
    }
    return strstr(layer->geometry_type, "LINE") != NULL ? 1 : 2;
}

/* The box of every layer of ts; false when none has an extent. */
static bool tileset_bounds(const struct api_tileset *ts, double out[4])
{
    bool any = false;
    for (size_t i = 0; i < ts->n; i++) {
        const struct store_layer *l = ts->layers[i];
        if (!l->has_extent) {
            continue;
        }
        double b[4] = {l->min_lon, l->min_lat, l->max_lon, l->max_lat};
        for (int k = 0; k < 4; k++) {
            out[k] = !any ? b[k] : (k < 2 ? fmin(out[k], b[k]) : fmax(out[k], b[k]));
        }
        any = true;
    }
    return any;
}

static json_t *tileset_summary(const struct request *req, const struct api_tileset *ts,
                               enum http_lang lang)
{
    json_t *links = json_array();
    char *self = xasprintf("%s%s/" TILE_MATRIX_SET_ID, req->base_url, ts->path);
    char *scheme = xasprintf("%s/tileMatrixSets/" TILE_MATRIX_SET_ID, req->base_url);
    json_array_append_new(links, api_link(self, "self", RESPONSE_TYPE_JSON, "the tileset"));
    json_array_append_new(
        links, api_link(scheme, REL_TILING_SCHEME, RESPONSE_TYPE_JSON, "the tile matrix set"));
    free(self);
    free(scheme);
    return json_pack("{s:s, s:s, s:s, s:s, s:o}", "title", tileset_title(ts, lang), "dataType",
                     "vector", "crs", TILE_CRS_URI, "tileMatrixSetURI", TILE_MATRIX_SET_URI,
                     "links", links);
}

/* A base map without layers has no tileset: its list is empty. */
int api_tilesets(struct request *req, struct response *resp, struct err *err)
{
    enum http_lang lang;
    struct api_tileset ts;
    int rc = begin_tileset_document(req, resp, true, &lang, &ts, err);
    if (rc != ERR_OK) {
        return rc;
    }
    char *self = xasprintf("%s%s", req->base_url, ts.path);
    json_t *tilesets = json_array();
    if (ts.n > 0) {
        json_array_append_new(tilesets, tileset_summary(req, &ts, lang));
    }
    json_t *doc = json_pack("{s:o, s:[o]}", "tilesets", tilesets, "links",
                            api_link(self, "self", RESPONSE_TYPE_JSON, "these tilesets"));
    free(self);
    api_tileset_clear(&ts);
    return response_set_json(resp, doc, RESPONSE_TYPE_JSON, err);
}

int api_tileset(struct request *req, struct response *resp, struct err *err)
{
    enum http_lang lang;
    struct api_tileset ts;
    int rc = begin_tileset_document(req, resp, false, &lang, &ts, err);
    if (rc != ERR_OK) {
        return rc;
    }
    char max_matrix[8];
    snprintf(max_matrix, sizeof(max_matrix), "%d", TILE_MAX_ZOOM);
    json_t *layers = json_array();
    for (size_t i = 0; i < ts.n; i++) {
        const struct store_layer *l = ts.layers[i];
        char *items = xasprintf("%s/collections/%s", req->base_url, l->id);
        char min_matrix[8];
        snprintf(min_matrix, sizeof(min_matrix), "%d", ts.base != NULL ? ts.base[i].min_zoom : 0);
        json_array_append_new(
            layers, json_pack("{s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:[o]}", "id", l->id, "title",
                              api_layer_title(l, lang), "dataType", "vector", "geometryDimension",
                              geometry_dimension(l), "featureType", l->id, "minTileMatrix",
                              min_matrix, "maxTileMatrix", max_matrix, "links",
                              api_link(items, REL_GEODATA, RESPONSE_TYPE_JSON, "the collection")));
        free(items);
    }
    json_t *doc =
        json_pack("{s:s, s:s, s:s, s:s, s:o, s:o}", "title", tileset_title(&ts, lang), "dataType",
                  "vector", "crs", TILE_CRS_URI, "tileMatrixSetURI", TILE_MATRIX_SET_URI, "layers",
                  layers, "links", tileset_links(req, &ts));
    double b[4];
    if (tileset_bounds(&ts, b)) {
        json_object_set_new(doc, "boundingBox",
                            json_pack("{s:[f,f], s:[f,f], s:s}", "lowerLeft", b[0], b[1],
                                      "upperRight", b[2], b[3], "crs", API_CRS84));
    }
    json_object_set_new(doc, "cityatlas:featuresDroppedHeader",
                        json_string(API_TILE_DROPPED_HEADER));
    api_tileset_clear(&ts);
    return response_set_json(resp, doc, RESPONSE_TYPE_JSON, err);
}

static const char *tilejson_field_type(enum store_type type)
{
    return type == STORE_TEXT ? "String" : "Number";
}

/* The base map's label layers ("{id}.label": a point inside each polygon) as TileJSON
 * vector layers. */
static void append_base_label_layers(const struct api_tileset *ts, json_t *vector_layers)
{
    for (size_t i = 0; i < ts->n; i++) {
        const struct api_base_layer *b = &ts->base[i];
        if (!b->label_points) {
            continue;
        }
        json_t *fields = json_pack("{s:s}", b->name_field, "String");
        if (b->name_field_en != NULL) {
            json_object_set_new(fields, b->name_field_en, json_string("String"));
        }
        char *id = xasprintf("%s" API_BASE_LABEL_SUFFIX, b->layer->id);
        json_array_append_new(vector_layers,
                              json_pack("{s:s, s:o, s:i, s:i, s:s}", "id", id, "fields", fields,
                                        "minzoom", b->label_min_zoom, "maxzoom", TILE_MAX_ZOOM,
                                        "description", "label points inside the polygons"));
        free(id);
    }
}

/* How the web map draws and labels each base layer, in drawing order: its kind, zooms,
 * name fields, the tile layer its labels come from, and road classes (most important
 * first) where the catalog ranks them. */
static json_t *base_map_description(const struct api_tileset *ts)
{
    json_t *list = json_array();
    for (size_t i = 0; i < ts->n; i++) {
        const struct api_base_layer *b = &ts->base[i];
        json_t *entry = json_pack("{s:s, s:s, s:s, s:i}", "id", b->layer->id, "kind", b->kind,
                                  "geometryType", b->layer->geometry_type, "minzoom", b->min_zoom);
        if (b->name_field != NULL && b->label_min_zoom <= TILE_MAX_ZOOM) {
            char *from = b->label_points ? xasprintf("%s" API_BASE_LABEL_SUFFIX, b->layer->id)
                                         : xstrdup(b->layer->id);
            json_t *label = json_pack("{s:s, s:s, s:i, s:i}", "layer", from, "field", b->name_field,
                                      "minzoom", b->label_min_zoom, "priority", b->label_priority);
            if (b->name_field_en != NULL) {
                json_object_set_new(label, "field_en", json_string(b->name_field_en));
            }
            json_object_set_new(entry, "label", label);
            free(from);
        }
        if (b->class_field != NULL) {
            json_t *ranking = json_array();
            for (size_t k = 0; k < b->n_classes; k++) {
                json_array_append_new(ranking, json_string(b->classes[k]));
            }
            json_object_set_new(
                entry, "classes",
                json_pack("{s:s, s:o}", "field", b->class_field, "ranking", ranking));
        }
        json_array_append_new(list, entry);
    }
    return list;
}

int api_tilejson(struct request *req, struct response *resp, struct err *err)
{
    enum http_lang lang;
    struct api_tileset ts;
    int rc = begin_tileset_document(req, resp, false, &lang, &ts, err);
    if (rc != ERR_OK) {
        return rc;
    }
    json_t *vector_layers = json_array();
    for (size_t i = 0; i < ts.n; i++) {
        const struct store_layer *l = ts.layers[i];
        json_t *fields = json_object();
        size_t n_fields;
        size_t *all = ts.base != NULL ? api_basemap_fields(&ts.base[i], TILE_MAX_ZOOM, &n_fields)
                                      : tile_fields_for(l, NULL, TILE_ALL_FIELDS_ZOOM, &n_fields);
        for (size_t k = 0; k < n_fields; k++) {
            json_object_set_new(fields, l->fields[all[k]].name,
                                json_string(tilejson_field_type(l->fields[all[k]].type)));
        }
        free(all);
        json_t *entry =
            json_pack("{s:s, s:o, s:i, s:i}", "id", l->id, "fields", fields, "minzoom",
                      ts.base != NULL ? ts.base[i].min_zoom : 0, "maxzoom", TILE_MAX_ZOOM);
        json_object_set_new(entry, "description", json_string(api_layer_title(l, lang)));
        json_array_append_new(vector_layers, entry);
    }
    if (ts.base != NULL) {
        append_base_label_layers(&ts, vector_layers);
    }
    char *tiles = tile_template(req, &ts, "{z}", "{y}", "{x}");
    json_t *doc = json_pack("{s:s, s:s, s:[s], s:s, s:i, s:i, s:o}", "tilejson", "3.0.0", "name",
                            tileset_title(&ts, lang), "tiles", tiles, "scheme", "xyz", "minzoom", 0,
                            "maxzoom", TILE_MAX_ZOOM, "vector_layers", vector_layers);
    free(tiles);
    double b[4];
    if (tileset_bounds(&ts, b)) {
        json_object_set_new(doc, "bounds", json_pack("[f,f,f,f]", b[0], b[1], b[2], b[3]));
    }
    const char *attribution = ts.id != NULL ? ts.layers[0]->attribution : NULL;
    if (attribution != NULL && *attribution != '\0') {
        json_object_set_new(doc, "attribution", json_string(attribution));
    }
    json_object_set_new(
        doc, "description",
        json_string("Mapbox Vector Tiles of " TILE_MATRIX_SET_ID ". A layer thinned by density "
                    "to keep a tile under 500 kB says how many features it left out in the "
                    "response header " API_TILE_DROPPED_HEADER " (layer-id=N, ...)."));
    json_object_set_new(doc, "cityatlas:featuresDroppedHeader",
                        json_string(API_TILE_DROPPED_HEADER));
    if (ts.base != NULL) {
        json_object_set_new(doc, "cityatlas:base_map", base_map_description(&ts));
    }
    api_tileset_clear(&ts);
    return response_set_json(resp, doc, TILEJSON_TYPE, err);
}

/* Tile matrix sets (OGC 17-083r4, JSON encoding) */

static json_t *matrix_set_summary(const struct request *req)
{
    char *href = xasprintf("%s/tileMatrixSets/" TILE_MATRIX_SET_ID, req->base_url);
    json_t *entry = json_pack("{s:s, s:s, s:s, s:s, s:[o]}", "id", TILE_MATRIX_SET_ID, "title",
                              "Google Maps Compatible for the World", "uri", TILE_MATRIX_SET_URI,
                              "crs", TILE_CRS_URI, "links",
                              api_link(href, "self", RESPONSE_TYPE_JSON, "the tile matrix set"));
    free(href);
    return entry;
}

int api_tile_matrix_sets(struct request *req, struct response *resp, struct err *err)
{
    enum http_lang lang;
    int rc = api_negotiate_json_document(req, &lang, err);
    if (rc != ERR_OK) {
        return rc;
    }
    api_describe_document(resp, req, 1, "", HTTP_FORMAT_JSON, lang);
    json_t *doc = json_pack("{s:[o]}", "tileMatrixSets", matrix_set_summary(req));
    return response_set_json(resp, doc, RESPONSE_TYPE_JSON, err);
}

int api_tile_matrix_set(struct request *req, struct response *resp, struct err *err)
{
    const char *tile_matrix_set_id = request_path_param(req, "tileMatrixSetId");
    enum http_lang lang;
    int rc = api_negotiate_json_document(req, &lang, err);
    if (rc == ERR_OK && strcmp(tile_matrix_set_id, TILE_MATRIX_SET_ID) != 0) {
        rc = err_set(err, ERR_NOT_FOUND,
                     "tile matrix set '%s' is not offered; /tileMatrixSets lists the one "
                     "this server tiles in (" TILE_MATRIX_SET_ID ")",
                     utf8_excerpt(tile_matrix_set_id, 80).text);
    }
    if (rc != ERR_OK) {
        return rc;
    }
    api_describe_document(resp, req, 1, "", HTTP_FORMAT_JSON, lang);
    json_t *matrices = json_array();
    for (int z = 0; z <= TILE_MAX_ZOOM; z++) {
        double cell = 2.0 * TILE_WORLD_HALF / TILE_PIXELS / (double)((int64_t)1 << z);
        char id[8];
        snprintf(id, sizeof(id), "%d", z);
        json_array_append_new(
            matrices,
            json_pack("{s:s, s:f, s:f, s:s, s:[f,f], s:i, s:i, s:I, s:I}", "id", id,
                      "scaleDenominator", cell / STANDARD_PIXEL_METRES, "cellSize", cell,
                      "cornerOfOrigin", "topLeft", "pointOfOrigin", -TILE_WORLD_HALF,
                      TILE_WORLD_HALF, "tileWidth", TILE_PIXELS, "tileHeight", TILE_PIXELS,
                      "matrixWidth", (json_int_t)1 << z, "matrixHeight", (json_int_t)1 << z));
    }
    json_t *doc = json_pack(
        "{s:s, s:s, s:s, s:s, s:[s,s], s:s, s:o}", "id", TILE_MATRIX_SET_ID, "title",
        "Google Maps Compatible for the World", "uri", TILE_MATRIX_SET_URI, "crs", TILE_CRS_URI,
        "orderedAxes", "X", "Y", "wellKnownScaleSet",
        "http://www.opengis.net/def/wkss/OGC/1.0/GoogleMapsCompatible", "tileMatrices", matrices);
    return response_set_json(resp, doc, RESPONSE_TYPE_JSON, err);
}
