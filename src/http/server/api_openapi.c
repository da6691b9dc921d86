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

static json_t *crs_schema(bool is_crs84_only)
{
    const char *uris[8];
    size_t n = 0;
    for (size_t i = 0; i < api_n_crs && n < 8 && !(is_crs84_only && i > 0); i++) {
        uris[n++] = api_crs_list[i].uri;
    }
    json_t *schema = openapi_string_enum(uris, n, API_CRS84);
    json_object_set_new(schema, "format", json_string("uri"));
    return schema;
}

static json_t *int_schema(json_int_t minimum, json_int_t maximum)
{
    return json_pack("{s:s, s:I, s:I}", "type", "integer", "minimum", minimum, "maximum", maximum);
}

static void add_format_params(json_t *params, enum http_lang lang)
{
    static const char *const plain[] = {"json", "html"};
    static const char *const features[] = {"json", "html", "csv"};
    static const char *const langs[] = {"en", "th"};
    json_object_set_new(
        params, "f",
        openapi_query_param(
            "f",
            tr(lang,
               "The format of the response: json (the default) or html. Without f, the "
               "Accept header decides.",
               "รูปแบบของคำตอบ: json (ค่าเริ่มต้น) หรือ html ถ้าไม่ระบุ f "
               "จะเลือกตามส่วนหัว Accept"),
            openapi_string_enum(plain, 2, "json")));
    json_object_set_new(
        params, "f-features",
        openapi_query_param(
            "f",
            tr(lang,
               "The format of the response: json (GeoJSON, the default; geojson is "
               "accepted too), html, or csv (the properties, with the geometry as WKT). "
               "Without f, the Accept header decides.",
               "รูปแบบของคำตอบ: json (GeoJSON เป็นค่าเริ่มต้น ใช้ geojson ได้เช่นกัน) "
               "html หรือ csv (ค่าคุณสมบัติ พร้อมรูปทรงเรขาคณิตแบบ WKT) ถ้าไม่ระบุ f "
               "จะเลือกตามส่วนหัว Accept"),
            openapi_string_enum(features, 3, "json")));
    json_object_set_new(
        params, "lang",
        openapi_query_param(
            "lang",
            tr(lang,
               "The language of titles, descriptions and web pages: en or th. Without "
               "lang, the Accept-Language header decides, then English.",
               "ภาษาของชื่อ คำอธิบาย และหน้าเว็บ: en (อังกฤษ) หรือ th (ไทย) ถ้าไม่ระบุ "
               "lang จะเลือกตามส่วนหัว Accept-Language แล้วจึงใช้ภาษาอังกฤษ"),
            openapi_string_enum(langs, 2, NULL)));
}

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
    json_object_set_new(
        params, "featureId",
        json_pack("{s:s, s:s, s:b, s:s, s:{s:s, s:s, s:i}}", "name", "featureId", "in", "path",
                  "required", 1, "description",
                  tr(lang,
                     "The id of a feature: the id member of its GeoJSON, a whole number from 1.",
                     "รหัสของข้อมูลหนึ่งรายการ: ค่า id ใน GeoJSON ซึ่งเป็นจำนวนเต็มตั้งแต่ 1"),
                  "schema", "type", "integer", "format", "int64", "minimum", 1));
}

/* "The most features ... from 1 to <max>; <default> when not given ..." */
static char *limit_description(const struct http_app *app, enum http_lang lang)
{
    return xasprintf(
        "%s%lld%s%lld%s",
        tr(lang, "The most features in one response: from 1 to ",
           "จำนวนรายการมากที่สุดในหนึ่งคำตอบ: ตั้งแต่ 1 ถึง "),
        (long long)app->max_limit, tr(lang, "; ", " ถ้าไม่ระบุจะใช้ "), (long long)app->default_limit,
        tr(lang,
           " when not given. A larger limit is no error: the page holds the maximum, and the "
           "next link leads to the rest.",
           " ถ้าขอมากกว่าค่าสูงสุดจะได้เท่าค่าสูงสุด (ไม่ถือเป็นข้อผิดพลาด) ส่วนที่เหลือดูได้จากลิงก์ next"));
}

static void add_paging_params(json_t *params, const struct http_app *app, enum http_lang lang)
{
    char *limit_text = limit_description(app, lang);
    json_t *limit =
        json_pack("{s:s, s:I, s:I, s:I}", "type", "integer", "minimum", 1, "maximum",
                  (json_int_t)app->max_limit, "default", (json_int_t)app->default_limit);
    json_object_set_new(params, "limit", openapi_query_param("limit", limit_text, limit));
    free(limit_text);
    json_t *offset = json_pack("{s:s, s:i, s:i}", "type", "integer", "minimum", 0, "default", 0);
    json_object_set_new(
        params, "offset",
        openapi_query_param("offset",
                            tr(lang,
                               "How many matching features to skip before the first one returned.",
                               "จำนวนรายการที่ตรงเงื่อนไขซึ่งข้ามไปก่อนรายการแรกของคำตอบ"),
                            offset));
}

static json_t *bbox_schema(void)
{
    return json_pack("{s:s, s:[{s:i, s:i}, {s:i, s:i}], s:{s:s}}", "type", "array", "oneOf",
                     "minItems", 4, "maxItems", 4, "minItems", 6, "maxItems", 6, "items", "type",
                     "number");
}

static void add_crs_params(json_t *params, enum http_lang lang)
{
    json_object_set_new(
        params, "bbox",
        openapi_query_param(
            "bbox",
            tr(lang,
               "Only features whose geometry intersects this box: min x, min y, max x, "
               "max y in bbox-crs (longitude and latitude by default). Six numbers add "
               "heights, which are ignored.",
               "เฉพาะรายการที่รูปทรงตัดกับกรอบนี้: x ต่ำสุด, y ต่ำสุด, x สูงสุด, y สูงสุด "
               "ในระบบพิกัดตาม bbox-crs (ค่าเริ่มต้นคือลองจิจูดและละติจูด) ถ้าให้ 6 ค่า "
               "ค่าความสูงจะไม่ถูกใช้"),
            bbox_schema()));
    json_object_set_new(
        params, "bbox-crs",
        openapi_query_param("bbox-crs",
                            tr(lang, "The coordinate reference system of bbox (EPSG:n works too).",
                               "ระบบพิกัดอ้างอิงของ bbox (เขียนแบบ EPSG:n ได้)"),
                            crs_schema(false)));
    json_object_set_new(
        params, "crs",
        openapi_query_param(
            "crs",
            tr(lang,
               "The coordinate reference system of the returned geometries (EPSG:n works "
               "too); the Content-Crs header names it.",
               "ระบบพิกัดอ้างอิงของรูปทรงในคำตอบ (เขียนแบบ EPSG:n ได้) "
               "ส่วนหัว Content-Crs บอกว่าใช้ระบบใด"),
            crs_schema(false)));
    json_object_set_new(
        params, "filter-crs",
        openapi_query_param(
            "filter-crs",
            tr(lang, "The coordinate reference system of geometries in filter: CRS84 only.",
               "ระบบพิกัดของรูปทรงใน filter: รองรับเฉพาะ CRS84"),
            crs_schema(true)));
}

/* datetime is a string, not format: date-time, because an interval (a/b, ../b) is no
 * date-time: its schema is the one /req/core/fc-time-definition gives. */
static void add_time_param(json_t *params, enum http_lang lang)
{
    json_object_set_new(
        params, "datetime",
        openapi_query_param(
            "datetime",
            tr(lang,
               "Only features whose time (the first Date or DateTime property, see the "
               "collection's temporal extent) meets this instant or interval, plus features "
               "without a time. RFC 3339: an instant 2019-02-18T00:00:00Z, a date 2019-02-18 "
               "(the whole day), a closed interval a/b or an open one ../b, a/.. (an empty "
               "end is open too). Times compare as instants (time zones and fractions "
               "of seconds are taken into account).",
               "เฉพาะรายการที่เวลา (คุณสมบัติแบบ Date หรือ DateTime ตัวแรก ดูช่วงเวลาของชุดข้อมูล) "
               "ตรงกับเวลาหรือช่วงเวลานี้ รวมทั้งรายการที่ไม่มีเวลา ตาม RFC 3339: เวลาเดียว "
               "2019-02-18T00:00:00Z วันที่ 2019-02-18 (ทั้งวัน) ช่วงปิด a/b หรือช่วงเปิด ../b, "
               "a/.. (ปลายที่ว่างก็เป็นช่วงเปิด) เปรียบเทียบเป็นเวลาจริง (คำนึงถึงเขตเวลาและเศษวินาที)"),
            json_pack("{s:s}", "type", "string")));
}

static void add_geometry_params(json_t *params, enum http_lang lang)
{
    json_object_set_new(
        params, "skipGeometry",
        openapi_query_param("skipGeometry",
                            tr(lang, "true: the features come without their geometry.",
                               "true: ส่งรายการข้อมูลโดยไม่มีรูปทรงเรขาคณิต"),
                            json_pack("{s:s, s:b}", "type", "boolean", "default", 0)));
    json_object_set_new(
        params, "zoom",
        openapi_query_param(
            "zoom",
            tr(lang,
               "Simplify geometries to about one pixel at this web-map zoom level, and "
               "round coordinates to match: smaller answers for maps.",
               "ลดรายละเอียดรูปทรงให้เหลือประมาณหนึ่งพิกเซลที่ระดับซูมแผนที่เว็บนี้ "
               "และปัดพิกัดให้เข้ากัน ทำให้คำตอบเล็กลงสำหรับแผนที่"),
            int_schema(0, 22)));
    json_object_set_new(
        params, "precision",
        openapi_query_param(
            "precision",
            tr(lang,
               "Decimals of coordinates: by default 7 for degrees (about 1 cm) and 2 for "
               "metres.",
               "จำนวนทศนิยมของพิกัด: ค่าเริ่มต้น 7 สำหรับองศา (ราว 1 ซม.) และ 2 "
               "สำหรับเมตร"),
            int_schema(0, 15)));
}

static void add_selection_params(json_t *params, enum http_lang lang)
{
    /* cql-text is the pre-standard name GDAL 3.6 looks for before it sends a filter. */
    static const char *const filter_langs[] = {"cql2-text", "cql-text"};
    json_object_set_new(
        params, "properties",
        openapi_query_param("properties",
                            tr(lang,
                               "The properties to return, comma-separated (all when not given).",
                               "ชื่อคุณสมบัติที่ต้องการ คั่นด้วยจุลภาค (ถ้าไม่ระบุจะได้ทั้งหมด)"),
                            openapi_array_of(openapi_typed("string"))));
    json_object_set_new(
        params, "sortby",
        openapi_query_param("sortby",
                            tr(lang,
                               "Sort order: up to 8 property names, comma-separated, each after + "
                               "(ascending, the default; %2B in a URL) or - (descending).",
                               "ลำดับการเรียง: ชื่อคุณสมบัติไม่เกิน 8 ชื่อ คั่นด้วยจุลภาค นำหน้าด้วย + "
                               "(น้อยไปมาก เป็นค่าเริ่มต้น ในลิงก์เขียนเป็น %2B) หรือ - (มากไปน้อย)"),
                            openapi_array_of(openapi_typed("string"))));
    json_object_set_new(
        params, "filter",
        openapi_query_param(
            "filter",
            tr(lang,
               "A CQL2 text filter on the queryable properties (see the queryables of "
               "the collection), e.g. height > 10 AND name_en LIKE 'Wat%'.",
               "ตัวกรองแบบ CQL2 text บนคุณสมบัติที่ใช้ค้นหาได้ (ดู queryables "
               "ของชุดข้อมูล) เช่น height > 10 AND name_en LIKE 'Wat%'"),
            openapi_typed("string")));
    json_object_set_new(
        params, "filter-lang",
        openapi_query_param(
            "filter-lang",
            tr(lang, "The language of filter: cql2-text (cql-text is accepted as its older name).",
               "ภาษาของ filter: cql2-text (รับชื่อเดิม cql-text ด้วย)"),
            openapi_string_enum(filter_langs, 2, "cql2-text")));
}

static json_t *parameters_json(const struct http_app *app, const struct store_catalog *cat,
                               enum http_lang lang)
{
    json_t *params = json_object();
    add_format_params(params, lang);
    add_path_params(params, cat, lang);
    add_paging_params(params, app, lang);
    add_crs_params(params, lang);
    add_time_param(params, lang);
    add_geometry_params(params, lang);
    add_selection_params(params, lang);
    return params;
}

/* Schemas (components/schemas): the documents the handlers write, as they write them. */

static void add_document_schemas(json_t *schemas)
{
    static const char *const link_required[] = {"href", "rel", NULL};
    static const char *const exception_required[] = {"code", "description", "status", NULL};
    static const char *const links_required[] = {"links", NULL};
    static const char *const conformance_required[] = {"conformsTo", NULL};
    static const char *const schema_required[] = {"type", "properties", NULL};
    json_object_set_new(
        schemas, "link",
        openapi_object_schema(
            link_required, json_pack("{s:o, s:o, s:o, s:o}", "href", openapi_typed("string"), "rel",
                                     openapi_typed("string"), "type", openapi_typed("string"),
                                     "title", openapi_typed("string"))));
    json_object_set_new(schemas, "links", openapi_array_of(openapi_ref("schemas", "link")));
    json_object_set_new(
        schemas, "exception",
        openapi_object_schema(exception_required,
                              json_pack("{s:o, s:o, s:o}", "code", openapi_typed("string"),
                                        "description", openapi_typed("string"), "status",
                                        openapi_typed("integer"))));
    json_object_set_new(
        schemas, "landingPage",
        openapi_object_schema(links_required,
                              json_pack("{s:o, s:o, s:o}", "title", openapi_typed("string"),
                                        "description", openapi_typed("string"), "links",
                                        openapi_ref("schemas", "links"))));
    json_object_set_new(schemas, "confClasses",
                        openapi_object_schema(conformance_required,
                                              json_pack("{s:o, s:o}", "conformsTo",
                                                        openapi_array_of(openapi_typed("string")),
                                                        "links", openapi_ref("schemas", "links"))));
    json_object_set_new(
        schemas, "jsonSchema",
        openapi_object_schema(
            schema_required,
            json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "$schema", openapi_typed("string"), "$id",
                      openapi_typed("string"), "type", openapi_typed("string"), "title",
                      openapi_typed("string"), "properties", openapi_typed("object"),
                      "additionalProperties", openapi_typed("boolean"))));
    json_object_set_new(schemas, "openapi", openapi_typed("object"));
    /* A style: the documented subset of the MapLibre style specification (styles/README.md). */
    static const char *const style_required[] = {"version", "layers", NULL};
    json_object_set_new(
        schemas, "style",
        openapi_object_schema(style_required,
                              json_pack("{s:o, s:o, s:o, s:o}", "version", openapi_typed("integer"),
                                        "name", openapi_typed("string"), "metadata",
                                        openapi_typed("object"), "layers",
                                        openapi_array_of(openapi_typed("object")))));
    static const char *const styles_required[] = {"styles", "links", NULL};
    json_object_set_new(schemas, "styleList",
                        openapi_object_schema(styles_required,
                                              json_pack("{s:o, s:o}", "styles",
                                                        openapi_array_of(openapi_typed("object")),
                                                        "links", openapi_ref("schemas", "links"))));
}

static json_t *extent_schema(void)
{
    json_t *box = openapi_array_of(openapi_typed("number"));
    json_object_set_new(box, "minItems", json_integer(4));
    json_object_set_new(box, "maxItems", json_integer(4));
    json_t *spatial =
        openapi_object_schema(NULL, json_pack("{s:o, s:o}", "bbox", openapi_array_of(box), "crs",
                                              openapi_typed("string")));
    json_t *instant = openapi_nullable(openapi_typed("string"));
    json_object_set_new(instant, "format", json_string("date-time"));
    json_t *interval = openapi_array_of(instant);
    json_object_set_new(interval, "minItems", json_integer(2));
    json_object_set_new(interval, "maxItems", json_integer(2));
    json_t *temporal =
        openapi_object_schema(NULL, json_pack("{s:o, s:o}", "interval", openapi_array_of(interval),
                                              "trs", openapi_typed("string")));
    return openapi_object_schema(NULL,
                                 json_pack("{s:o, s:o}", "spatial", spatial, "temporal", temporal));
}

/* The "cityatlas" member of a collection: what the registry knows about the layer. */
static json_t *layer_facts_schema(void)
{
    json_t *props = json_object();
    const char *integers[] = {"featureCount", "version"};
    const char *strings[] = {"importedAt", "theme", "source", "sourceCrs", "nameProperty"};
    for (size_t i = 0; i < 2; i++) {
        json_object_set_new(props, integers[i], openapi_typed("integer"));
    }
    for (size_t i = 0; i < 5; i++) {
        json_object_set_new(props, strings[i], openapi_typed("string"));
    }
    json_object_set_new(props, "geometryType", openapi_nullable(openapi_typed("string")));
    return openapi_object_schema(NULL, props);
}

static void add_collection_schemas(json_t *schemas)
{
    static const char *const collection_required[] = {"id", "links", NULL};
    static const char *const collections_required[] = {"links", "collections", NULL};
    json_t *props = json_object();
    const char *strings[] = {"id",         "title",   "description", "itemType",
                             "storageCrs", "license", "attribution"};
    for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++) {
        json_object_set_new(props, strings[i], openapi_typed("string"));
    }
    json_object_set_new(props, "keywords", openapi_array_of(openapi_typed("string")));
    json_object_set_new(props, "crs", openapi_array_of(openapi_typed("string")));
    json_object_set_new(props, "extent", extent_schema());
    json_object_set_new(props, "cityatlas", layer_facts_schema());
    json_object_set_new(props, "links", openapi_ref("schemas", "links"));
    json_object_set_new(schemas, "collection", openapi_object_schema(collection_required, props));
    json_object_set_new(
        schemas, "collections",
        openapi_object_schema(collections_required,
                              json_pack("{s:o, s:o, s:o}", "links", openapi_ref("schemas", "links"),
                                        "collections",
                                        openapi_array_of(openapi_ref("schemas", "collection")),
                                        "crs", openapi_array_of(openapi_typed("string")))));
}

static void add_feature_schemas(json_t *schemas)
{
    static const char *const geometry_required[] = {"type", NULL};
    static const char *const feature_required[] = {"type", "geometry", "properties", NULL};
    static const char *const collection_required[] = {"type", "features", NULL};
    json_t *geometry_type =
        json_pack("{s:s, s:[s,s,s,s,s,s,s]}", "type", "string", "enum", "Point", "MultiPoint",
                  "LineString", "MultiLineString", "Polygon", "MultiPolygon", "GeometryCollection");
    json_object_set_new(
        schemas, "geometryGeoJSON",
        openapi_object_schema(
            geometry_required,
            json_pack("{s:o, s:o, s:o}", "type", geometry_type, "coordinates",
                      openapi_typed("array"), "geometries",
                      openapi_array_of(openapi_ref("schemas", "geometryGeoJSON")))));
    json_t *geometry = openapi_nullable_ref("geometryGeoJSON");
    json_object_set_new(
        schemas, "featureGeoJSON",
        openapi_object_schema(feature_required,
                              json_pack("{s:o, s:o, s:o, s:o, s:o}", "type",
                                        openapi_constant("Feature"), "id", openapi_typed("integer"),
                                        "geometry", geometry, "properties",
                                        openapi_nullable(openapi_typed("object")), "links",
                                        openapi_ref("schemas", "links"))));
    json_t *count = json_pack("{s:s, s:i}", "type", "integer", "minimum", 0);
    json_object_set_new(
        schemas, "featureCollectionGeoJSON",
        openapi_object_schema(
            collection_required,
            json_pack("{s:o, s:o, s:o, s:o, s:o, s:O}", "type",
                      openapi_constant("FeatureCollection"), "features",
                      openapi_array_of(openapi_ref("schemas", "featureGeoJSON")), "links",
                      openapi_ref("schemas", "links"), "timeStamp",
                      json_pack("{s:s, s:s}", "type", "string", "format", "date-time"),
                      "numberMatched", count, "numberReturned", count)));
}

static json_t *schemas_json(void)
{
    json_t *schemas = json_object();
    add_document_schemas(schemas);
    add_collection_schemas(schemas);
    add_feature_schemas(schemas);
    return schemas;
}

/* Responses (components/responses) */

static json_t *error_response(const char *description)
{
    return json_pack("{s:s, s:{s:{s:o}}}", "description", description, "content",
                     RESPONSE_TYPE_JSON, "schema", openapi_ref("schemas", "exception"));
}

static json_t *responses_json(enum http_lang lang)
{
    json_t *r = json_object();
    json_object_set_new(
        r, "NotModified",
        json_pack("{s:s}", "description",
                  tr(lang,
                     "Not modified: the ETag (If-None-Match) or the date (If-Modified-Since) "
                     "the client has is still current.",
                     "ไม่มีการเปลี่ยนแปลง: ETag (If-None-Match) หรือวันที่ (If-Modified-Since) "
                     "ที่ผู้เรียกมีอยู่ยังเป็นปัจจุบัน")));
    /* The error responses every route may give, one line each: name, English, Thai. */
    static const struct {
        const char *name, *en, *th;
    } errors[] = {
        {"InvalidParameter", "A parameter is unknown or invalid; the description says which.",
         "พารามิเตอร์ไม่รู้จักหรือไม่ถูกต้อง คำอธิบายในคำตอบบอกว่าตัวใด"},
        {"NotFound", "The collection or the feature does not exist.", "ไม่พบชุดข้อมูลหรือรายการข้อมูลนี้"},
        {"MethodNotAllowed", "Only GET and HEAD are answered.", "รองรับเฉพาะเมธอด GET และ HEAD"},
        {"URITooLong", "The request target (path and query) is longer than 8192 bytes.",
         "เป้าหมายของคำขอ (พาธและพารามิเตอร์) ยาวเกิน 8192 ไบต์"},
        {"HeadersTooLarge", "The request headers are larger than 16384 bytes.",
         "ส่วนหัวของคำขอใหญ่เกิน 16384 ไบต์"},
        {"FilterTooLarge",
         "The filter is too large: longer than 16384 bytes, more than 1000 values in an IN "
         "list, or more than 4096 conditions and values.",
         "ตัวกรองใหญ่เกินไป: ยาวเกิน 16384 ไบต์ มีค่าในรายการ IN เกิน 1000 ค่า "
         "หรือมีเงื่อนไขและค่ารวมเกิน 4096"},
        {"ServerError", "The server failed; the details are in its log.",
         "เซิร์ฟเวอร์ทำงานผิดพลาด รายละเอียดอยู่ในบันทึกของเซิร์ฟเวอร์"},
        {"ServiceUnavailable",
         "Every database connection is busy; retry after Retry-After seconds.",
         "การเชื่อมต่อฐานข้อมูลไม่ว่างทั้งหมด ลองใหม่หลังจำนวนวินาทีใน Retry-After"},
    };
    for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
        json_object_set_new(r, errors[i].name,
                            error_response(tr(lang, errors[i].en, errors[i].th)));
    }
    return r;
}

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
     "is_default says the layer has no style file and gets the default for its geometry.",
     "รูปแบบการแสดงผลของชั้นข้อมูลทุกชั้นที่มีรูปทรง พร้อมลิงก์ไปยังเอกสารรูปแบบ "
     "is_default บอกว่าชั้นนั้นไม่มีไฟล์รูปแบบ จึงใช้รูปแบบตั้งต้นตามชนิดรูปทรง",
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
    for (size_t i = 0; i < N_ROUTE_DOCS; i++) {
        if (strcmp(route_docs[i].operation_id, operation_id) == 0) {
            return &route_docs[i];
        }
    }
    return NULL;
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

static json_t *openapi_json(const struct request *req, const struct store_read *rd,
                            enum http_lang lang)
{
    const struct store_catalog *cat = store_read_catalog(rd);
    json_t *components =
        json_pack("{s:o, s:o, s:o}", "parameters", parameters_json(req->app, cat, lang), "schemas",
                  schemas_json(), "responses", responses_json(lang));
    openapi_stats_components(components, rd, lang);
    openapi_scenarios_components(components, lang);
    openapi_maps_components(components, lang);
    openapi_tiles_components(components, lang);
    json_t *paths = json_object();
    add_route_paths(paths, lang);
    for (size_t i = 0; i < cat->n_layers; i++) {
        char *key = xasprintf("/collections/%s/items", cat->layers[i].id);
        json_object_set_new(paths, key, collection_items_path(&cat->layers[i], lang));
        free(key);
    }
    /* The city's name comes from its profile (store_read_city), never from this file.
     * security: reads are public (an empty list says so); the scenario writes name the
     * facilitator token on their operations. The licence is the software's; each
     * collection carries its data's own. */
    char *title = html_layout_city_title(store_read_city(rd), lang);
    json_t *doc = json_pack(
        "{s:s, s:{s:s, s:s, s:{s:s, s:s}, s:s}, s:[{s:s}], s:[], s:o, s:o}", "openapi", "3.0.3",
        "info", "title", title, "version", "1.0.0", "license", "name", "MIT", "url",
        "https://opensource.org/licenses/MIT", "description",
        tr(lang,
           "Open city data as OGC API - Features (Part 1 core, Part 2 CRS, Part 3 filtering "
           "with CQL2 text): GeoJSON, CSV and web pages, in Thai and English.",
           "ข้อมูลเปิดของเมืองตามมาตรฐาน OGC API - Features (ส่วนที่ 1 หลัก ส่วนที่ 2 "
           "ระบบพิกัด ส่วนที่ 3 การกรองด้วย CQL2 text) ในรูปแบบ GeoJSON, CSV และหน้าเว็บ "
           "ทั้งภาษาไทยและภาษาอังกฤษ"),
        "servers", "url", req->base_url, "security", "paths", paths, "components", components);
    free(title);
    return doc;
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
    json_t *doc = openapi_json(req, rd, lang);
    if (format == HTTP_FORMAT_HTML) {
        rc = openapi_html(req, doc, lang, &resp->body, err);
        json_decref(doc);
        return rc;
    }
    return response_set_json(resp, doc, RESPONSE_TYPE_OPENAPI, err);
}
