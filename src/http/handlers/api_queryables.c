/* api_queryables.c - "/collections/{collectionId}/queryables" (OGC API - Features Part 3:
 * the properties a filter and the name=value parameters may use), ".../sortables" (Part 5:
 * the properties sortby may use) and ".../schema" (Part 5 style: the properties of the
 * features as returned), all JSON Schema 2020-12 documents
 * derived from the layer's fields, or a small HTML table of them in Thai or English.
 *
 * BLOB fields cannot be compared in a filter, so the queryables leave them out; the items
 * write them as null (binary has no JSON form), which the schema says with type "null". */
#include "http/handlers/api.h"

#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "http/transport/api_common.h"
#include "http/documents/html_layout.h"
#include "http/transport/response.h"

/* The name filters use for a layer's geometry (S_INTERSECTS(geometry, ...)). */
#define QUERYABLES_GEOMETRY "geometry"

enum doc_kind { DOC_QUERYABLES, DOC_SORTABLES, DOC_SCHEMA };

static const char *tr(enum http_lang lang, const char *en, const char *th)
{
    return lang == HTTP_LANG_TH ? th : en;
}

static const char *doc_segment(enum doc_kind kind)
{
    static const char *const segments[] = {
        [DOC_QUERYABLES] = "queryables", [DOC_SORTABLES] = "sortables", [DOC_SCHEMA] = "schema"};
    return segments[kind];
}

/* The JSON Schema type of a field, or NULL for BLOBs. */
static const char *schema_type(enum store_type type)
{
    switch (type) {
    case STORE_INTEGER:
        return "integer";
    case STORE_REAL:
        return "number";
    case STORE_TEXT:
        return "string";
    case STORE_BLOB:
        break;
    }
    return NULL;
}

/* OGR keeps dates as ISO 8601 text; the source type says which kind. */
static const char *date_format(const char *source_type)
{
    if (source_type == NULL) {
        return NULL;
    }
    if (strcmp(source_type, "Date") == 0) {
        return "date";
    }
    return strcmp(source_type, "DateTime") == 0 ? "date-time" : NULL;
}

/* Part 5's geometry formats, from the registry's geometry type. */
static const char *geometry_format(const char *geometry_type)
{
    static const struct {
        const char *type, *format;
    } formats[] = {
        {"POINT", "geometry-point"},
        {"LINESTRING", "geometry-linestring"},
        {"POLYGON", "geometry-polygon"},
        {"MULTIPOINT", "geometry-multipoint"},
        {"MULTILINESTRING", "geometry-multilinestring"},
        {"MULTIPOLYGON", "geometry-multipolygon"},
        {"GEOMETRYCOLLECTION", "geometry-geometrycollection"},
    };
    for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
        if (strcmp(geometry_type, formats[i].type) == 0) {
            return formats[i].format;
        }
    }
    return "geometry-any"; /* "GEOMETRY": the layer mixes types */
}

static json_t *blob_json(const char *name, enum http_lang lang)
{
    return json_pack("{s:s, s:s, s:s}", "title", name, "type", "null", "description",
                     tr(lang, "Binary data, which has no JSON form: always null.",
                        "ข้อมูลไบนารี ซึ่งไม่มีรูปแบบใน JSON: มีค่าเป็น null เสมอ"));
}

static json_t *properties_json(const struct store_layer *layer, enum doc_kind kind,
                               enum http_lang lang)
{
    json_t *props = json_object();
    if (kind == DOC_SCHEMA) {
        json_object_set_new(
            props, "fid",
            json_pack("{s:s, s:s, s:s}", "title", "fid", "type", "integer", "x-ogc-role", "id"));
    }
    for (size_t i = 0; i < layer->n_fields; i++) {
        const struct store_field_info *f = &layer->fields[i];
        const char *type = schema_type(f->type);
        if (type == NULL) {
            if (kind == DOC_SCHEMA) {
                json_object_set_new(props, f->name, blob_json(f->name, lang));
            }
            continue;
        }
        json_t *p = json_pack("{s:s, s:s}", "title", f->name, "type", type);
        const char *format = date_format(f->source_type);
        if (format != NULL) {
            json_object_set_new(p, "format", json_string(format));
        }
        json_object_set_new(props, f->name, p);
    }
    /* A field that happens to be called "geometry" keeps its name: filters on it stay
     * possible, and the layer's geometry is still reachable through bbox. Features are not
     * sorted by geometry. */
    if (kind != DOC_SORTABLES && layer->geometry_type != NULL &&
        json_object_get(props, QUERYABLES_GEOMETRY) == NULL) {
        json_object_set_new(props, QUERYABLES_GEOMETRY,
                            json_pack("{s:s, s:s, s:s}", "title", QUERYABLES_GEOMETRY, "format",
                                      geometry_format(layer->geometry_type), "x-ogc-role",
                                      "primary-geometry"));
    }
    return props;
}

static json_t *schema_json(const struct request *req, const struct store_layer *layer,
                           enum doc_kind kind, enum http_lang lang)
{
    char *id = xasprintf("%s/collections/%s/%s", req->base_url, layer->id, doc_segment(kind));
    json_t *doc = json_pack("{s:s, s:s, s:s, s:s, s:o, s:b}", "$schema",
                            "https://json-schema.org/draft/2020-12/schema", "$id", id, "type",
                            "object", "title", api_layer_title(layer, lang), "properties",
                            properties_json(layer, kind, lang), "additionalProperties", 0);
    free(id);
    return doc;
}

/* The HTML page */

/* "integer" -> a word a reader knows, with the JSON Schema name beside it. */
static const char *type_label(const char *type, enum http_lang lang)
{
    if (type == NULL) {
        return tr(lang, "geometry", "รูปทรงเรขาคณิต");
    }
    if (strcmp(type, "null") == 0) {
        return tr(lang, "always empty (binary data)", "ว่างเสมอ (ข้อมูลไบนารี)");
    }
    if (strcmp(type, "integer") == 0) {
        return tr(lang, "whole number", "จำนวนเต็ม");
    }
    return strcmp(type, "number") == 0 ? tr(lang, "number", "ตัวเลข") : tr(lang, "text", "ข้อความ");
}

static void page_cell(struct html_page *p, const char *value)
{
    html_page_raw(p, "<td>");
    html_page_text(p, value);
    html_page_raw(p, "</td>");
}

/* "geometry-point, primary-geometry": the format and role of a property, either may be
 * absent. Free with free(). */
static char *format_and_role(json_t *prop)
{
    const char *format = json_string_value(json_object_get(prop, "format"));
    const char *role = json_string_value(json_object_get(prop, "x-ogc-role"));
    return xasprintf("%s%s%s", format != NULL ? format : "",
                     format != NULL && role != NULL ? ", " : "", role != NULL ? role : "");
}

/* One table row per property of the JSON document, so the page and the JSON agree. */
static void page_properties(struct html_page *p, json_t *props, enum http_lang lang)
{
    html_page_raw(p, "<div class=\"scroll\"><table><thead><tr><th>");
    html_page_text(p, tr(lang, "Property", "คุณสมบัติ"));
    html_page_raw(p, "</th><th>");
    html_page_text(p, tr(lang, "Type", "ชนิด"));
    html_page_raw(p, "</th><th>");
    html_page_text(p, tr(lang, "Format and role", "รูปแบบและบทบาท"));
    html_page_raw(p, "</th></tr></thead>\n<tbody>\n");
    const char *name;
    json_t *prop;
    json_object_foreach(props, name, prop)
    {
        const char *type = json_string_value(json_object_get(prop, "type"));
        char *details = format_and_role(prop);
        html_page_raw(p, "<tr>");
        page_cell(p, name);
        html_page_raw(p, "<td>");
        html_page_text(p, type_label(type, lang));
        if (type != NULL) {
            html_page_raw(p, " <small class=\"muted\">");
            html_page_text(p, type);
            html_page_raw(p, "</small>");
        }
        html_page_raw(p, "</td>");
        page_cell(p, details);
        html_page_raw(p, "</tr>\n");
        free(details);
    }
    html_page_raw(p, "</tbody></table></div>\n");
}

static const char *page_intro(enum doc_kind kind, enum http_lang lang)
{
    if (kind == DOC_SORTABLES) {
        return tr(lang,
                  "The properties you can sort the features by: sortby=name (ascending) or "
                  "sortby=-name (descending), several separated by commas.",
                  "คุณสมบัติที่ใช้เรียงรายการข้อมูลได้: sortby=ชื่อ (น้อยไปมาก) หรือ sortby=-ชื่อ "
                  "(มากไปน้อย) หลายรายการคั่นด้วยจุลภาค");
    }
    if (kind == DOC_QUERYABLES) {
        return tr(lang,
                  "The properties you can filter the features on: in a CQL2 text filter "
                  "(filter=), or as name=value parameters of the items.",
                  "คุณสมบัติที่ใช้กรองรายการข้อมูลได้ ทั้งในตัวกรอง CQL2 text (filter=) "
                  "และเป็นพารามิเตอร์ชื่อ=ค่า ของรายการข้อมูล");
    }
    return tr(lang, "The properties of each feature, as the items return them.",
              "คุณสมบัติของข้อมูลแต่ละรายการ ตามที่ส่งกลับในรายการข้อมูล");
}

/* Links: this document as JSON Schema, the collection and its items as web pages. */
static void page_doc_links(struct html_page *p, const struct request *req,
                           const struct store_layer *layer, enum doc_kind kind, enum http_lang lang)
{
    char *base = xasprintf("/collections/%s", layer->id);
    char *items = xasprintf("%s/items", base);
    char *self = xasprintf("%s/%s", base, doc_segment(kind));
    char *json = html_layout_href(req, self, NULL);
    char *items_html = html_layout_href(req, items, "html");
    html_page_raw(p, "<ul class=\"links\"><li>");
    html_page_link(p, json, tr(lang, "This document as JSON Schema", "เอกสารนี้ในรูปแบบ JSON Schema"),
                   " type=\"" RESPONSE_TYPE_SCHEMA "\"");
    html_page_raw(p, "</li><li>");
    html_page_link(p, items_html, tr(lang, "The features", "รายการข้อมูล"), NULL);
    html_page_raw(p, "</li></ul>\n");
    free(base);
    free(items);
    free(self);
    free(json);
    free(items_html);
}

/* Home / Collections / <layer> / this page. */
static int page_begin(struct buf *out, const struct request *req, const struct store_layer *layer,
                      const char *title, enum http_lang lang, struct err *err)
{
    char *collection_path = xasprintf("/collections/%s", layer->id);
    char *home = html_layout_href(req, "/", "html");
    char *collections = html_layout_href(req, "/collections", "html");
    char *collection = html_layout_href(req, collection_path, "html");
    const struct html_crumb crumbs[] = {
        {tr(lang, "Home", "หน้าแรก"), home},
        {tr(lang, "Collections", "ชุดข้อมูล"), collections},
        {api_layer_title(layer, lang), collection},
        {title, NULL},
    };
    int rc = html_layout_begin(out, req, lang, title, crumbs, 4, err);
    free(collection_path);
    free(home);
    free(collections);
    free(collection);
    return rc;
}

static int schema_html(const struct request *req, const struct store_layer *layer,
                       enum doc_kind kind, enum http_lang lang, struct buf *out, struct err *err)
{
    const char *title = kind == DOC_QUERYABLES  ? tr(lang, "Queryable properties", "คุณสมบัติที่ใช้ค้นหาได้")
                        : kind == DOC_SORTABLES ? tr(lang, "Sortable properties", "คุณสมบัติที่ใช้เรียงได้")
                                                : tr(lang, "Feature properties", "คุณสมบัติของข้อมูล");
    struct html_page p;
    html_page_init(&p, out, err);
    p.rc = page_begin(out, req, layer, title, lang, err);
    json_t *props = properties_json(layer, kind, lang);
    html_page_raw(&p, "<p>");
    html_page_text(&p, page_intro(kind, lang));
    html_page_raw(&p, "</p>\n");
    page_properties(&p, props, lang);
    page_doc_links(&p, req, layer, kind, lang);
    json_decref(props);
    return p.rc == ERR_OK ? html_layout_end(out, req, lang, err) : p.rc;
}

static int answer(struct request *req, struct response *resp, enum doc_kind kind, struct err *err)
{
    enum http_format format;
    enum http_lang lang;
    struct store_read *rd = NULL;
    const struct store_layer *layer = NULL;
    int rc = api_begin_layer_document(req, &format, &lang, &rd, &layer, err);
    if (rc != ERR_OK) {
        return rc;
    }
    const struct store_catalog *cat = store_read_catalog(rd);
    api_describe_document(resp, req, cat->generation, layer->imported_at, format, lang);
    if (format == HTTP_FORMAT_HTML) {
        resp->content_type = RESPONSE_TYPE_HTML;
        return schema_html(req, layer, kind, lang, &resp->body, err);
    }
    return response_set_json(resp, schema_json(req, layer, kind, lang), RESPONSE_TYPE_SCHEMA, err);
}

int api_queryables(struct request *req, struct response *resp, struct err *err)
{
    return answer(req, resp, DOC_QUERYABLES, err);
}

int api_sortables(struct request *req, struct response *resp, struct err *err)
{
    return answer(req, resp, DOC_SORTABLES, err);
}

int api_schema(struct request *req, struct response *resp, struct err *err)
{
    return answer(req, resp, DOC_SCHEMA, err);
}
