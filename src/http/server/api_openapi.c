/* api_openapi.c - "/api": the OpenAPI 3.0.3 description of every route of the router and
 * every parameter the handlers accept, built for this server's base URL, limits and
 * collections. GDAL's OAPIF driver reads the page size from the limit parameter that
 * /collections/<id>/items references (its schema's default and maximum), and takes the
 * query parameters of that path that name fields as server-side filters; so each
 * collection gets its own items path with its queryable properties as parameters.
 * f=html renders the same document as a page for people, so the two cannot disagree.
 * The statistics routes are described in api_openapi_stats.c. */
#include "http/handlers/api.h"

#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "http/documents/html_layout.h"
#include "http/server/routes.h"
#include "http/server/api_openapi_int.h"
#include "http/transport/api_common.h"
#include "http/transport/response.h"

static const char *tr(enum http_lang lang, const char *en, const char *th)
{
    return lang == HTTP_LANG_TH ? th : en;
}

/* Parameters (components/parameters) */

static void add_path_params(json_t *params, const struct store_catalog *cat, enum http_lang lang)
{
    json_t *schema = openapi_typed("string");
    if (cat->n_layers > 0) { /* an enum must not be empty */
        json_t *ids = json_array();
        for (size_t i = 0; i < cat->n_layers; i++) {
            json_array_append_new(ids, json_string(cat->layers[i].id));
        }
        json_object_set_new(schema, "enum", ids);
    }
    json_object_set_new(params, "collectionId",
                        json_pack("{s:s, s:s, s:b, s:s, s:o}", "name", "collectionId", "in", "path",
                                  "required", 1, "description",
                                  tr(lang, "The id of a collection; /collections lists them.",
                                     "รหัสของชุดข้อมูล ดูรายการได้ที่ /collections"),
                                  "schema", schema));
    json_t *feature_id = json_pack(
        "{s:s, s:s, s:b, s:s}", "name", "featureId", "in", "path", "required", 1, "description",
        tr(lang, "The id of a feature: the id member of its GeoJSON, a whole number from 1.",
           "รหัสของข้อมูลหนึ่งรายการ: ค่า id ใน GeoJSON ซึ่งเป็นจำนวนเต็มตั้งแต่ 1"));
    json_object_set_new(feature_id, "schema",
                        openapi_param_schema(api_route_param_of("featureId"), NULL));
    json_object_set_new(params, "featureId", feature_id);
}

static json_t *parameters_json(const struct http_app *app, const struct store_catalog *cat,
                               enum http_lang lang)
{
    json_t *params = json_object();
    add_path_params(params, cat, lang);
    openapi_table_params(params, app, lang);
    return params;
}

/* Schemas (components/schemas): the documents the handlers write, as they write them. */

/* Paths */

/* What the document says about one route of the table (routes.c), by its operationId. */
struct route_doc {
    const char *operation_id;
    const char *summary_en, *summary_th;
    const char *description_en, *description_th;
    const char *body_type;   /* media type of the JSON form of the answer */
    const char *body_schema; /* its schema in components/schemas */
    bool is_features;        /* CSV too, and a Content-Crs header */
};

static const struct route_doc route_docs[] = {
    {"getLandingPage", "Landing page", "หน้าแรก",
     "What this server offers, with links to the API definition, the conformance classes and "
     "the collections.",
     "สิ่งที่เซิร์ฟเวอร์นี้ให้บริการ พร้อมลิงก์ไปยังคำอธิบาย API มาตรฐานที่รองรับ และชุดข้อมูล", RESPONSE_TYPE_JSON,
     "landingPage", false},
    {"getConformance", "Conformance classes", "มาตรฐานที่รองรับ",
     "The OGC conformance classes this server implements.",
     "รายการ conformance class ของมาตรฐาน OGC ที่เซิร์ฟเวอร์นี้รองรับ", RESPONSE_TYPE_JSON, "confClasses",
     false},
    {"getApi", "API definition", "คำอธิบาย API",
     "This document, in OpenAPI 3.0; f=html gives a page for people.",
     "เอกสารนี้ในรูปแบบ OpenAPI 3.0 ใช้ f=html เพื่อดูเป็นหน้าเว็บ", RESPONSE_TYPE_OPENAPI, "openapi", false},
    {"getCollections", "Collections", "ชุดข้อมูลทั้งหมด",
     "Every layer of city data, with its extent, its CRS list and links. A layer of mixed "
     "geometry (and every scenario's sketches) is also offered by shape, as collections "
     "<id>-points, <id>-lines and <id>-polygons (cityatlas.shapeOf names the layer), for "
     "clients that show one geometry type per layer.",
     "ชั้นข้อมูลของเมืองทุกชั้น พร้อมขอบเขต ระบบพิกัดที่ใช้ได้ และลิงก์ ชั้นข้อมูลที่มีรูปทรงหลายชนิด "
     "(และภาพร่างของทุกฉากทัศน์) มีชุดข้อมูลแยกตามรูปทรงด้วย คือ <id>-points, <id>-lines และ "
     "<id>-polygons (cityatlas.shapeOf บอกชั้นข้อมูลต้นทาง)",
     RESPONSE_TYPE_JSON, "collections", false},
    {"describeCollection", "Collection", "ชุดข้อมูล",
     "One layer: title, description, source, licence, extent, CRS list and links.",
     "ข้อมูลหนึ่งชั้น: ชื่อ คำอธิบาย แหล่งที่มา สัญญาอนุญาต ขอบเขต ระบบพิกัด และลิงก์", RESPONSE_TYPE_JSON,
     "collection", false},
    {"getFeatures", "Features", "รายการข้อมูล",
     "The features of a collection, a page at a time (the next link leads on). The queryable "
     "properties also work as name=value filters; any other parameter is refused with 400.",
     "รายการข้อมูลของชุดข้อมูลทีละหน้า (ลิงก์ next นำไปยังหน้าถัดไป) คุณสมบัติที่ใช้ค้นหาได้ "
     "ใช้กรองแบบชื่อ=ค่า ได้ด้วย พารามิเตอร์อื่นนอกจากนี้จะได้คำตอบ 400",
     RESPONSE_TYPE_GEOJSON, "featureCollectionGeoJSON", true},
    {"getFeature", "Feature", "ข้อมูลหนึ่งรายการ", "One feature by its id.", "ข้อมูลหนึ่งรายการตามรหัส",
     RESPONSE_TYPE_GEOJSON, "featureGeoJSON", true},
    {"getQueryables", "Queryable properties", "คุณสมบัติที่ใช้ค้นหาได้",
     "The properties that filter and the name=value parameters can use, as JSON Schema.",
     "คุณสมบัติที่ใช้ได้ใน filter และเป็นพารามิเตอร์ชื่อ=ค่า ในรูปแบบ JSON Schema", RESPONSE_TYPE_SCHEMA,
     "jsonSchema", false},
    {"getSchema", "Feature properties", "คุณสมบัติของข้อมูล",
     "The properties of the features as returned, as JSON Schema.",
     "คุณสมบัติของรายการข้อมูลตามที่ส่งกลับ ในรูปแบบ JSON Schema", RESPONSE_TYPE_SCHEMA, "jsonSchema", false},
    {"getSortables", "Sortable properties", "คุณสมบัติที่ใช้เรียงได้",
     "The properties that sortby can use, as JSON Schema.",
     "คุณสมบัติที่ใช้ได้ใน sortby ในรูปแบบ JSON Schema", RESPONSE_TYPE_SCHEMA, "jsonSchema", false},
    {"getStyles", "Layer styles", "รูปแบบการแสดงผลของชั้นข้อมูล",
     "The style of every layer with geometry, each linked as a MapLibre-style document; "
     "is_default says the layer has no style file and gets the default for its geometry. "
     "With collections, only the layers named, each with its style inline.",
     "รูปแบบการแสดงผลของชั้นข้อมูลทุกชั้นที่มีรูปทรง พร้อมลิงก์ไปยังเอกสารรูปแบบ "
     "is_default บอกว่าชั้นนั้นไม่มีไฟล์รูปแบบ จึงใช้รูปแบบตั้งต้นตามชนิดรูปทรง "
     "ถ้าระบุ collections จะได้เฉพาะชั้นที่ระบุ พร้อมรูปแบบในตัว",
     RESPONSE_TYPE_JSON, "styleList", false},
    {"getStyle", "Layer style", "รูปแบบการแสดงผลของชั้นข้อมูล",
     "How the web map and the exported maps draw one layer: a documented subset of the "
     "MapLibre style specification (see styles/README.md in the repository).",
     "วิธีที่แผนที่บนเว็บและแผนที่ส่งออกวาดชั้นข้อมูลหนึ่งชั้น ตามส่วนย่อยของข้อกำหนด "
     "MapLibre style ที่บันทึกไว้ใน styles/README.md",
     "application/vnd.mapbox.style+json", "style", false},
};

#define N_ROUTE_DOCS (sizeof(route_docs) / sizeof(route_docs[0]))

static const struct route_doc *route_doc_find(const char *operation_id)
{
    return openapi_doc_of(route_docs, N_ROUTE_DOCS, sizeof(route_docs[0]), operation_id);
}

static json_t *success_response(const struct route_doc *doc, enum http_lang lang)
{
    json_t *content = json_object();
    json_object_set_new(content, doc->body_type,
                        json_pack("{s:o}", "schema", openapi_ref("schemas", doc->body_schema)));
    json_object_set_new(content, "text/html", json_pack("{s:{s:s}}", "schema", "type", "string"));
    if (doc->is_features) {
        json_object_set_new(content, "text/csv",
                            json_pack("{s:{s:s}}", "schema", "type", "string"));
    }
    json_t *ok = json_pack("{s:s, s:o}", "description", tr(lang, doc->summary_en, doc->summary_th),
                           "content", content);
    if (doc->is_features) {
        json_object_set_new(ok, "headers",
                            json_pack("{s:{s:s, s:{s:s}}}", "Content-Crs", "description",
                                      tr(lang, "The CRS of the geometries, as <URI>.",
                                         "ระบบพิกัดของรูปทรงเรขาคณิต ในรูปแบบ <URI>"),
                                      "schema", "type", "string"));
    }
    return ok;
}

static json_t *operation_responses(const struct route_doc *doc, const char *pattern,
                                   enum http_lang lang)
{
    json_t *r = openapi_read_responses(success_response(doc, lang), pattern, "NotFound");
    if (doc->is_features && strchr(pattern, '{') != NULL &&
        strstr(pattern, "{featureId}") == NULL) {
        json_object_set_new(r, "413", openapi_ref("responses", "FilterTooLarge"));
    }
    return r;
}

json_t *openapi_route_params(const struct api_route *route)
{
    json_t *refs = json_array();
    for (size_t i = 0; route->params[i] != NULL; i++) {
        json_array_append_new(refs, openapi_ref("parameters", route->params[i]->component));
    }
    if (route->flags & ROUTE_STATISTIC) {
        openapi_stats_param_refs(refs);
    }
    return refs;
}

/* The operation of a document route (landing, collections, items...); a route added to
 * the table before it is described here still appears, as a JSON document. */
static json_t *document_operation(const struct api_route *route, enum http_lang lang)
{
    static const struct route_doc generic = {NULL, "Document",         "เอกสาร",  "",
                                             "",   RESPONSE_TYPE_JSON, "openapi", false};
    const struct route_doc *doc = route_doc_find(route->operation_id);
    doc = doc != NULL ? doc : &generic;
    return json_pack("{s:s, s:s, s:s, s:o}", "operationId", route->operation_id, "summary",
                     tr(lang, doc->summary_en, doc->summary_th), "description",
                     tr(lang, doc->description_en, doc->description_th), "responses",
                     operation_responses(doc, route->pattern, lang));
}

/* Every API row of the route table, one operation per method it answers (HEAD is GET's);
 * the statistics, scenario, map and tile routes are described in their own files. */
static void add_route_paths(json_t *paths, enum http_lang lang)
{
    static const struct {
        enum http_method method;
        const char *key;
    } methods[] = {
        {HTTP_GET, "get"}, {HTTP_POST, "post"}, {HTTP_PUT, "put"}, {HTTP_DELETE, "delete"}};
    for (size_t i = 0; i < api_n_routes; i++) {
        const struct api_route *route = &api_routes[i];
        if (route->flags & ROUTE_NOT_API) {
            continue;
        }
        json_t *item = json_object_get(paths, route->pattern);
        if (item == NULL) {
            item = json_object();
            json_object_set_new(paths, route->pattern, item);
        }
        json_t *op = openapi_stats_operation(route, lang);
        op = op != NULL ? op : openapi_scenarios_operation(route, lang);
        op = op != NULL ? op : openapi_maps_operation(route, lang);
        op = op != NULL ? op : openapi_tiles_operation(route, lang);
        op = op != NULL ? op : document_operation(route, lang);
        json_object_set_new(op, "parameters", openapi_route_params(route));
        for (size_t m = 0; m < sizeof(methods) / sizeof(methods[0]); m++) {
            if (route->methods & HTTP_METHOD_BIT(methods[m].method)) {
                json_object_set(item, methods[m].key, op);
            }
        }
        json_decref(op);
    }
}

/* True when a standard parameter of the items already has this name: the handler takes
 * the standard meaning, so the property cannot be a name=value filter. */
static bool is_standard_param(const char *name)
{
    return api_route_takes(api_route_of(api_items, HTTP_GET), name);
}

static json_t *property_param(const struct store_field_info *field, enum http_lang lang)
{
    const char *type = field->type == STORE_INTEGER ? "integer"
                       : field->type == STORE_REAL  ? "number"
                                                    : "string";
    char *text = xasprintf("%s%s%s", tr(lang, "Only features whose ", "เฉพาะรายการที่ "), field->name,
                           tr(lang, " equals this value.", " เท่ากับค่านี้"));
    json_t *schema = json_pack("{s:s}", "type", type);
    /* A Date or DateTime field compares instants (store_property_filter). */
    if (field->source_type != NULL && strcmp(field->source_type, "DateTime") == 0) {
        json_object_set_new(schema, "format", json_string("date-time"));
    } else if (field->source_type != NULL && strcmp(field->source_type, "Date") == 0) {
        json_object_set_new(schema, "format", json_string("date"));
    }
    json_t *param = openapi_query_param(field->name, text, schema);
    free(text);
    return param;
}

/* /collections/<id>/items: the shared parameters, then one per queryable property. */
static json_t *collection_items_path(const struct store_layer *layer, enum http_lang lang)
{
    const struct api_route *route = api_route_of(api_items, HTTP_GET);
    const struct route_doc *doc = route_doc_find(route->operation_id);
    const char *title = api_layer_title(layer, lang);
    char *operation_id = xasprintf("getFeatures-%s", layer->id);
    char *summary = xasprintf("%s%s", tr(lang, "Features of ", "รายการข้อมูลของ "), title);
    /* Still a 404 without {collectionId}: a re-import may have removed the collection
     * since this document was read. */
    json_t *params = openapi_route_params(route);
    json_array_remove(params, 0); /* {collectionId}: this path names the collection */
    json_t *path =
        json_pack("{s:{s:s, s:s, s:s, s:O, s:o}}", "get", "operationId", operation_id, "summary",
                  summary, "description", api_layer_description(layer, lang), "parameters", params,
                  "responses", operation_responses(doc, route->pattern, lang));
    json_decref(params);
    for (size_t i = 0; i < layer->n_fields; i++) {
        const struct store_field_info *f = &layer->fields[i];
        if (f->type != STORE_BLOB && !is_standard_param(f->name)) {
            json_array_append_new(params, property_param(f, lang));
        }
    }
    free(operation_id);
    free(summary);
    return path;
}

/* The fixed parts (openapi_fixed.json) with what the table and the data decide merged
 * in: the title (the city's), the server's URL, the parameters, the schemas and responses
 * the other parts describe, and the paths. */
static int openapi_json(const struct request *req, const struct store_read *rd, enum http_lang lang,
                        json_t **out, struct err *err)
{
    json_t *doc = NULL;
    int rc = openapi_fixed(lang, &doc, err);
    if (rc != ERR_OK) {
        return rc;
    }
    const struct store_catalog *cat = store_read_catalog(rd);
    json_t *components = json_object_get(doc, "components");
    json_object_set_new(components, "parameters", parameters_json(req->app, cat, lang));
    openapi_stats_components(components, rd, lang);
    openapi_scenarios_components(components, lang);
    openapi_tiles_components(components, lang);
    json_t *paths = json_object();
    add_route_paths(paths, lang);
    for (size_t i = 0; i < cat->n_layers; i++) {
        char *key = xasprintf("/collections/%s/items", cat->layers[i].id);
        json_object_set_new(paths, key, collection_items_path(&cat->layers[i], lang));
        free(key);
    }
    json_object_set_new(doc, "paths", paths);
    /* The city's name comes from its profile (store_read_city), never from this file. */
    char *title = html_layout_city_title(store_read_city(rd), lang);
    json_object_set_new(json_object_get(doc, "info"), "title", json_string(title));
    free(title);
    json_object_set_new(doc, "servers", json_pack("[{s:s}]", "url", req->base_url));
    *out = doc;
    return ERR_OK;
}

/* The HTML page: the same document, path by path. */

/* A JSON scalar as a reader would write it: strings without quotes. Free with free(). */
static char *scalar_text(json_t *value)
{
    if (json_is_string(value)) {
        return xstrdup(json_string_value(value));
    }
    char *text = json_dumps(value, JSON_ENCODE_ANY);
    return text != NULL ? text : xstrdup("");
}

static void page_values(struct html_page *p, json_t *values)
{
    size_t i;
    json_t *value;
    json_array_foreach(values, i, value)
    {
        char *text = scalar_text(value);
        html_page_raw(p, i > 0 ? ", <code>" : "<code>");
        html_page_text(p, text);
        html_page_raw(p, "</code>");
        free(text);
    }
}

/* "integer, from 1 to 10000, default 100" / "one of: json, html". */
static void page_schema(struct html_page *p, json_t *schema, enum http_lang lang)
{
    const char *type = json_string_value(json_object_get(schema, "type"));
    json_t *items = json_object_get(schema, "items");
    html_page_text(p, type);
    if (items != NULL) {
        html_page_text(p, tr(lang, " of ", " ของ "));
        html_page_text(p, json_string_value(json_object_get(items, "type")));
        html_page_text(p, tr(lang, ", comma-separated", " คั่นด้วยจุลภาค"));
    }
    const struct {
        const char *key, *en, *th;
    } facets[] = {{"enum", "; one of: ", "; ค่าใดค่าหนึ่งใน: "},
                  {"minimum", "; from ", "; ตั้งแต่ "},
                  {"maximum", " to ", " ถึง "},
                  {"default", "; default ", "; ค่าเริ่มต้น "}};
    for (size_t i = 0; i < sizeof(facets) / sizeof(facets[0]); i++) {
        json_t *value = json_object_get(schema, facets[i].key);
        if (value == NULL) {
            continue;
        }
        html_page_text(p, tr(lang, facets[i].en, facets[i].th));
        json_t *list = json_is_array(value) ? json_incref(value) : json_pack("[O]", value);
        page_values(p, list);
        json_decref(list);
    }
}

static json_t *resolve(json_t *doc, json_t *node)
{
    const char *target = json_string_value(json_object_get(node, "$ref"));
    if (target == NULL || strncmp(target, "#/components/", 13) != 0) {
        return node;
    }
    const char *section = target + 13, *slash = strchr(section, '/');
    if (slash == NULL) {
        return node;
    }
    char *name = xstrndup(section, (size_t)(slash - section));
    json_t *found =
        json_object_get(json_object_get(json_object_get(doc, "components"), name), slash + 1);
    free(name);
    return found != NULL ? found : node;
}

static void page_param_row(struct html_page *p, json_t *param, enum http_lang lang)
{
    html_page_raw(p, "<tr><td><code>");
    html_page_text(p, json_string_value(json_object_get(param, "name")));
    html_page_raw(p, "</code></td><td>");
    const char *where = json_string_value(json_object_get(param, "in"));
    html_page_text(p, where != NULL && strcmp(where, "path") == 0 ? tr(lang, "path", "ในเส้นทาง")
                                                                  : tr(lang, "query", "ในคำค้น"));
    html_page_raw(p, "</td><td>");
    page_schema(p, json_object_get(param, "schema"), lang);
    html_page_raw(p, "</td><td>");
    html_page_text(p, json_string_value(json_object_get(param, "description")));
    html_page_raw(p, "</td></tr>\n");
}

/* The parameters of an operation. A collection's own items path lists only its property
 * parameters: the shared ones are in the table of the generic path just above. */
static void page_params(struct html_page *p, json_t *doc, json_t *params, bool is_concrete,
                        enum http_lang lang)
{
    static const char *const heads[][2] = {{"Parameter", "พารามิเตอร์"},
                                           {"Where", "ตำแหน่ง"},
                                           {"Values", "ค่าที่รับ"},
                                           {"Meaning", "ความหมาย"}};
    if (is_concrete) {
        html_page_raw(p, "<p>");
        html_page_text(p, tr(lang,
                             "Takes every parameter of /collections/{collectionId}/items, and "
                             "these property filters:",
                             "รับพารามิเตอร์ทุกตัวของ /collections/{collectionId}/items "
                             "และตัวกรองตามคุณสมบัติต่อไปนี้:"));
        html_page_raw(p, "</p>\n");
    }
    html_page_raw(p, "<div class=\"scroll\"><table><thead><tr>");
    for (size_t i = 0; i < 4; i++) {
        html_page_raw(p, "<th>");
        html_page_text(p, tr(lang, heads[i][0], heads[i][1]));
        html_page_raw(p, "</th>");
    }
    html_page_raw(p, "</tr></thead>\n<tbody>\n");
    size_t i;
    json_t *param;
    json_array_foreach(params, i, param)
    {
        if (!is_concrete || json_object_get(param, "$ref") == NULL) {
            page_param_row(p, resolve(doc, param), lang);
        }
    }
    html_page_raw(p, "</tbody></table></div>\n");
}

static void page_responses(struct html_page *p, json_t *doc, json_t *responses, enum http_lang lang)
{
    html_page_raw(p, "<p>");
    html_page_text(p, tr(lang, "Answers:", "คำตอบ:"));
    html_page_raw(p, "</p>\n<ul>\n");
    const char *status;
    json_t *response;
    json_object_foreach(responses, status, response)
    {
        json_t *resolved = resolve(doc, response);
        html_page_raw(p, "<li><strong>");
        html_page_text(p, status);
        html_page_raw(p, "</strong> ");
        html_page_text(p, json_string_value(json_object_get(resolved, "description")));
        const char *type;
        json_t *media;
        json_object_foreach(json_object_get(resolved, "content"), type, media)
        {
            html_page_raw(p, " <code>");
            html_page_text(p, type);
            html_page_raw(p, "</code>");
        }
        html_page_raw(p, "</li>\n");
    }
    html_page_raw(p, "</ul>\n");
}

static void page_path(struct html_page *p, json_t *doc, const char *path, json_t *item,
                      enum http_lang lang)
{
    json_t *op = json_object_get(item, "get");
    html_page_raw(p, "<h2><code>GET ");
    html_page_text(p, path);
    html_page_raw(p, "</code></h2>\n<p><strong>");
    html_page_text(p, json_string_value(json_object_get(op, "summary")));
    html_page_raw(p, "</strong> ");
    html_page_text(p, json_string_value(json_object_get(op, "description")));
    html_page_raw(p, "</p>\n");
    page_params(p, doc, json_object_get(op, "parameters"),
                strchr(path, '{') == NULL && strncmp(path, "/collections/", 13) == 0, lang);
    page_responses(p, doc, json_object_get(op, "responses"), lang);
}

static int openapi_html(const struct request *req, json_t *doc, enum http_lang lang,
                        struct buf *out, struct err *err)
{
    char *home = html_layout_href(req, "/", "html");
    char *json = html_layout_href(req, "/api", NULL);
    const char *title = tr(lang, "API documentation", "เอกสารประกอบ API");
    const struct html_crumb crumbs[] = {{tr(lang, "Home", "หน้าแรก"), home}, {title, NULL}};
    struct html_page p;
    html_page_init(&p, out, err);
    p.rc = html_layout_begin(out, req, lang, title, crumbs, 2, err);
    html_page_raw(&p, "<p>");
    html_page_text(&p,
                   tr(lang, "Every path of this server with its parameters. Paths are relative to ",
                      "ทุกเส้นทางของเซิร์ฟเวอร์นี้พร้อมพารามิเตอร์ เส้นทางทั้งหมดต่อจาก "));
    html_page_raw(&p, "<code>");
    html_page_text(&p, req->base_url);
    html_page_raw(&p, "</code>");
    html_page_text(&p, tr(lang, ". ", " "));
    html_page_link(&p, json,
                   tr(lang, "The same as OpenAPI 3.0 JSON, for software.",
                      "เนื้อหาเดียวกันในรูปแบบ OpenAPI 3.0 JSON สำหรับโปรแกรม"),
                   " type=\"" RESPONSE_TYPE_OPENAPI "\"");
    html_page_raw(&p, "</p>\n");
    const char *path;
    json_t *item;
    json_object_foreach(json_object_get(doc, "paths"), path, item)
    {
        page_path(&p, doc, path, item, lang);
    }
    free(home);
    free(json);
    return p.rc == ERR_OK ? html_layout_end(out, req, lang, err) : p.rc;
}

int api_openapi(struct request *req, struct response *resp, struct err *err)
{
    enum http_format format;
    enum http_lang lang;
    struct store_read *rd = NULL;
    int rc = api_begin_catalog_document(req, resp, &format, &lang, &rd, err);
    if (rc != ERR_OK) {
        return rc;
    }
    json_t *doc = NULL;
    rc = openapi_json(req, rd, lang, &doc, err);
    if (rc != ERR_OK) {
        return rc;
    }
    if (format == HTTP_FORMAT_HTML) {
        rc = openapi_html(req, doc, lang, &resp->body, err);
        json_decref(doc);
        return rc;
    }
    return response_set_json(resp, doc, RESPONSE_TYPE_OPENAPI, err);
}
