/* html_features.c - see html_features.h. Pages are written with html_layout.h's page
 * writer: its sticky error lets each page read as a straight sequence of appends, checked
 * once at the end. */
#include "http/documents/html_features.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "config/catalog.h"
#include "encode/geom_blob.h"
#include "encode/geom_text.h"
#include "encode/number_text.h"
#include "http/transport/api_common.h"
#include "http/documents/html_layout.h"

/* Past this many characters an item page shows the start of the WKT only: a district
 * outline can run to megabytes, which helps nobody reading on a phone. */
#define HTML_WKT_SHOWN 400

/* Fixed text, English then Thai. */
enum text_id {
    T_HOME,
    T_COLLECTIONS,
    T_ITEMS,
    T_INTRO_PRE,
    T_INTRO_ONE,
    T_INTRO_MANY,
    T_CATALOG_EMPTY,
    T_OTHER_THEME,
    T_FEATURE_ONE,
    T_FEATURE_MANY,
    T_BROWSE,
    T_DOWNLOAD,
    T_PAGE_AS,
    T_ABOUT,
    T_SOURCE,
    T_LICENSE,
    T_ATTRIBUTION,
    T_N_FEATURES,
    T_GEOMETRY,
    T_EXTENT,
    T_SOURCE_CRS,
    T_IMPORTED,
    T_IDENTIFIER,
    T_FIELDS,
    T_FIELD_NAME,
    T_FIELD_TYPE,
    T_FIELD_SOURCE_TYPE,
    T_CRS_LIST,
    T_LINKS,
    T_QUERYABLES,
    T_SCHEMA,
    T_SORTABLES,
    T_COLLECTION_JSON,
    T_NO_GEOMETRY_LAYER,
    T_WEST,
    T_SOUTH,
    T_EAST,
    T_NORTH,
    T_DEGREES,
    T_SUMMARY_ONE,
    T_SUMMARY_MANY,
    T_SUMMARY_OF,
    T_SUMMARY_UNIT,
    T_NONE_MATCH,
    T_EMPTY_PAGE,
    T_IN_ALL_PRE,
    T_IN_ALL_POST,
    T_PAGES,
    T_PREV,
    T_NEXT,
    T_ID,
    T_FEATURE_TITLE,
    T_IN_COLLECTION,
    T_PROPERTY,
    T_VALUE,
    T_NO_GEOMETRY,
    T_WKT_SHORTENED,
    T_WKT_WHOLE,
    T_COORDS_IN,
    T_BACK_TO_TABLE,
    T_FEATURE_JSON,
    T_INTEGER,
    T_REAL,
    T_TEXT,
    T_BLOB,
};

static const struct {
    const char *en, *th;
} texts[] = {
    [T_HOME] = {"Home", "หน้าแรก"},
    [T_COLLECTIONS] = {"Collections", "ชุดข้อมูล"},
    [T_ITEMS] = {"Items", "รายการข้อมูล"},
    [T_INTRO_PRE] = {"", "ชุดข้อมูลทั้งหมด "},
    [T_INTRO_ONE] = {" collection, grouped by theme.", " ชุด แบ่งตามหมวดหมู่"},
    [T_INTRO_MANY] = {" collections, grouped by theme.", " ชุด แบ่งตามหมวดหมู่"},
    [T_CATALOG_EMPTY] = {"No data has been imported yet.", "ยังไม่มีข้อมูลที่นำเข้า"},
    [T_OTHER_THEME] = {"Other", "อื่น ๆ"},
    [T_FEATURE_ONE] = {" feature", " รายการ"},
    [T_FEATURE_MANY] = {" features", " รายการ"},
    [T_BROWSE] = {"Browse the data as a table", "ดูข้อมูลเป็นตาราง"},
    [T_DOWNLOAD] = {"Download:", "ดาวน์โหลด:"},
    [T_PAGE_AS] = {"Download this page:", "ดาวน์โหลดหน้านี้:"},
    [T_ABOUT] = {"About this data", "เกี่ยวกับข้อมูลชุดนี้"},
    [T_SOURCE] = {"Source", "แหล่งที่มา"},
    [T_LICENSE] = {"Licence", "สัญญาอนุญาต"},
    [T_ATTRIBUTION] = {"Credit", "การอ้างอิงที่มา"},
    [T_N_FEATURES] = {"Features", "จำนวนรายการ"},
    [T_GEOMETRY] = {"Geometry", "รูปทรง"},
    [T_EXTENT] = {"Extent", "ขอบเขตพื้นที่"},
    [T_SOURCE_CRS] = {"Original coordinate system", "ระบบพิกัดของข้อมูลต้นฉบับ"},
    [T_IMPORTED] = {"Imported", "นำเข้าเมื่อ"},
    [T_IDENTIFIER] = {"Identifier", "รหัสชุดข้อมูล"},
    [T_FIELDS] = {"Fields", "ฟิลด์ข้อมูล"},
    [T_FIELD_NAME] = {"Name", "ชื่อ"},
    [T_FIELD_TYPE] = {"Type", "ชนิด"},
    [T_FIELD_SOURCE_TYPE] = {"Type in the source", "ชนิดในข้อมูลต้นฉบับ"},
    [T_CRS_LIST] = {"Coordinate systems offered", "ระบบพิกัดที่ให้บริการ"},
    [T_LINKS] = {"Links", "ลิงก์"},
    [T_QUERYABLES] = {"Fields you can filter on", "ฟิลด์ที่ใช้กรองข้อมูลได้"},
    [T_SCHEMA] = {"Schema (JSON Schema)", "โครงสร้างข้อมูล (JSON Schema)"},
    [T_SORTABLES] = {"Fields you can sort by", "ฟิลด์ที่ใช้เรียงข้อมูลได้"},
    [T_COLLECTION_JSON] = {"This collection as JSON", "ชุดข้อมูลนี้ในรูปแบบ JSON"},
    [T_NO_GEOMETRY_LAYER] = {"None (a table)", "ไม่มี (ข้อมูลตาราง)"},
    [T_WEST] = {"west ", "ตะวันตก "},
    [T_SOUTH] = {", south ", ", ใต้ "},
    [T_EAST] = {", east ", ", ตะวันออก "},
    [T_NORTH] = {", north ", ", เหนือ "},
    [T_DEGREES] = {" (degrees, WGS 84)", " (องศา, WGS 84)"},
    [T_SUMMARY_ONE] = {"Feature ", "รายการที่ "},
    [T_SUMMARY_MANY] = {"Features ", "รายการที่ "},
    [T_SUMMARY_OF] = {" of ", " จากทั้งหมด "},
    [T_SUMMARY_UNIT] = {"", " รายการ"},
    [T_NONE_MATCH] = {"No features match.", "ไม่พบข้อมูลที่ตรงกับเงื่อนไข"},
    [T_EMPTY_PAGE] = {"No features on this page", "ไม่มีข้อมูลในหน้านี้"},
    [T_IN_ALL_PRE] = {" (", " (ทั้งหมด "},
    [T_IN_ALL_POST] = {" in all)", " รายการ)"},
    [T_PAGES] = {"Pages", "หน้า"},
    [T_PREV] = {"← Previous page", "← หน้าก่อนหน้า"},
    [T_NEXT] = {"Next page →", "หน้าถัดไป →"},
    [T_ID] = {"ID", "รหัส"},
    [T_FEATURE_TITLE] = {"Feature ", "ข้อมูลหมายเลข "},
    [T_IN_COLLECTION] = {" in ", " ในชุดข้อมูล "},
    [T_PROPERTY] = {"Field", "ฟิลด์"},
    [T_VALUE] = {"Value", "ค่า"},
    [T_NO_GEOMETRY] = {"This feature has no geometry.", "ข้อมูลนี้ไม่มีรูปทรง"},
    [T_WKT_SHORTENED] = {"Shortened. The whole geometry:", "แสดงเพียงบางส่วน รูปทรงทั้งหมด:"},
    [T_WKT_WHOLE] = {"GeoJSON", "GeoJSON"},
    [T_COORDS_IN] = {"Coordinates in ", "พิกัดในระบบ "},
    [T_BACK_TO_TABLE] = {"All features of this collection", "ข้อมูลทั้งหมดในชุดนี้"},
    [T_FEATURE_JSON] = {"This feature as GeoJSON", "ข้อมูลนี้ในรูปแบบ GeoJSON"},
    [T_INTEGER] = {"Integer", "จำนวนเต็ม"},
    [T_REAL] = {"Decimal number", "ทศนิยม"},
    [T_TEXT] = {"Text", "ข้อความ"},
    [T_BLOB] = {"Binary", "ข้อมูลไบนารี"},
};

static const char *tr(enum http_lang lang, enum text_id id)
{
    return lang == HTTP_LANG_TH ? texts[id].th : texts[id].en;
}

static const char *theme_label(const char *theme, enum http_lang lang)
{
    if (theme == NULL || *theme == '\0') {
        return tr(lang, T_OTHER_THEME);
    }
    /* The one list of theme names (config/catalog.h), which the web map shows too. */
    const struct catalog_theme_label *label = catalog_theme_label(theme);
    if (label != NULL) {
        return lang == HTTP_LANG_TH ? label->title_th : label->title_en;
    }
    return theme;
}

/* Geometry kinds in geom_blob order: the registry's name, GeoJSON's, and readers' words. */
static const struct {
    const char *registry, *geojson, *en, *th;
} kinds[] = {
    {"POINT", "Point", "Points", "จุด"},
    {"LINESTRING", "LineString", "Lines", "เส้น"},
    {"POLYGON", "Polygon", "Polygons", "รูปหลายเหลี่ยม"},
    {"MULTIPOINT", "MultiPoint", "Groups of points", "กลุ่มจุด"},
    {"MULTILINESTRING", "MultiLineString", "Groups of lines", "กลุ่มเส้น"},
    {"MULTIPOLYGON", "MultiPolygon", "Groups of polygons", "กลุ่มรูปหลายเหลี่ยม"},
    {"GEOMETRYCOLLECTION", "GeometryCollection", "Mixed geometries", "รูปทรงหลายแบบ"},
};

static const char *layer_geometry_label(const struct store_layer *layer, enum http_lang lang)
{
    if (layer->geometry_type == NULL) {
        return tr(lang, T_NO_GEOMETRY_LAYER);
    }
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        if (strcmp(kinds[i].registry, layer->geometry_type) == 0) {
            return lang == HTTP_LANG_TH ? kinds[i].th : kinds[i].en;
        }
    }
    return layer->geometry_type;
}

static const char *field_type_label(enum store_type type, enum http_lang lang)
{
    switch (type) {
    case STORE_INTEGER:
        return tr(lang, T_INTEGER);
    case STORE_REAL:
        return tr(lang, T_REAL);
    case STORE_TEXT:
        return tr(lang, T_TEXT);
    case STORE_BLOB:
        return tr(lang, T_BLOB);
    }
    return "";
}

/* An absolute link to base + "/collections/" + id + rest (e.g. "/items"). Free with free(). */
static char *layer_href(const struct request *req, const struct store_layer *layer,
                        const char *rest, const char *format)
{
    char *path = xasprintf("/collections/%s%s", layer->id, rest);
    char *href = html_layout_href(req, path, format);
    free(path);
    return href;
}

static char *item_href(const struct request *req, const struct store_layer *layer, int64_t fid,
                       const char *format)
{
    char rest[40];
    snprintf(rest, sizeof(rest), "/items/%" PRId64, fid);
    return layer_href(req, layer, rest, format);
}

/* Breadcrumbs Home / Collections / <layer> / Items / <here>: the first depth steps,
 * the last of them unlinked. Frees nothing: the hrefs go to hrefs[] for the caller. */
static size_t make_crumbs(const struct request *req, const struct store_layer *layer,
                          enum http_lang lang, const char *here, size_t depth,
                          struct html_crumb crumbs[5], char *hrefs[4])
{
    hrefs[0] = html_layout_href(req, "/", "html");
    hrefs[1] = html_layout_href(req, "/collections", "html");
    hrefs[2] = layer != NULL ? layer_href(req, layer, "", "html") : NULL;
    hrefs[3] = layer != NULL ? layer_href(req, layer, "/items", "html") : NULL;
    const char *labels[5] = {tr(lang, T_HOME), tr(lang, T_COLLECTIONS),
                             layer != NULL ? api_layer_title(layer, lang) : "", tr(lang, T_ITEMS),
                             here};
    for (size_t i = 0; i < depth; i++) {
        crumbs[i].label = labels[i];
        crumbs[i].href = i + 1 < depth ? hrefs[i] : NULL;
    }
    return depth;
}

static void free_hrefs(char *hrefs[4])
{
    for (size_t i = 0; i < 4; i++) {
        free(hrefs[i]);
    }
}

/* Writes the skeleton's top with the trail cut at depth (see make_crumbs). */
static int begin_page(const struct request *req, const struct store_layer *layer,
                      enum http_lang lang, const char *title, const char *here, size_t depth,
                      struct buf *out, struct err *err)
{
    struct html_crumb crumbs[5];
    char *hrefs[4];
    size_t n = make_crumbs(req, layer, lang, here, depth, crumbs, hrefs);
    int rc = html_layout_begin(out, req, lang, title, crumbs, n, err);
    free_hrefs(hrefs);
    return rc;
}

/* "5,412 features" */
static void write_feature_count(struct html_page *p, int64_t n, enum http_lang lang)
{
    html_page_count(p, n);
    html_page_raw(p, tr(lang, n == 1 ? T_FEATURE_ONE : T_FEATURE_MANY));
}

/* "Browse the data as a table · Download: GeoJSON CSV" for a layer's items. */
static void write_items_links(struct html_page *p, const struct request *req,
                              const struct store_layer *layer, enum http_lang lang)
{
    char *table = layer_href(req, layer, "/items", "html");
    char *geojson = layer_href(req, layer, "/items", "json");
    char *csv = layer_href(req, layer, "/items", "csv");
    html_page_raw(p, "<p class=\"links\">");
    html_page_link(p, table, tr(lang, T_BROWSE), NULL);
    html_page_raw(p, " · ");
    html_page_text(p, tr(lang, T_DOWNLOAD));
    html_page_raw(p, " ");
    html_page_link(p, geojson, "GeoJSON", " type=\"application/geo+json\"");
    html_page_raw(p, " ");
    html_page_link(p, csv, "CSV", " type=\"text/csv\"");
    html_page_raw(p, "</p>\n");
    free(table);
    free(geojson);
    free(csv);
}

/* Collections */

static void write_layer_card(struct html_page *p, const struct request *req,
                             const struct store_layer *layer, enum http_lang lang)
{
    char *page = layer_href(req, layer, "", "html");
    const char *description = api_layer_description(layer, lang);
    html_page_raw(p, "<li><h3>");
    html_page_link(p, page, api_layer_title(layer, lang), NULL);
    html_page_raw(p, "</h3>\n");
    if (*description != '\0') {
        html_page_raw(p, "<p>");
        html_page_text(p, description);
        html_page_raw(p, "</p>\n");
    }
    html_page_raw(p, "<p class=\"muted\">");
    write_feature_count(p, layer->feature_count, lang);
    html_page_raw(p, " · ");
    html_page_text(p, layer_geometry_label(layer, lang));
    html_page_raw(p, "</p>\n");
    write_items_links(p, req, layer, lang);
    html_page_raw(p, "</li>\n");
    free(page);
}

static bool same_theme(const char *a, const char *b)
{
    return strcmp(a != NULL ? a : "", b != NULL ? b : "") == 0;
}

/* The layers come ordered by theme, so a new heading starts wherever the theme changes. */
static void write_layer_groups(struct html_page *p, const struct request *req,
                               const struct store_catalog *cat, enum http_lang lang)
{
    for (size_t i = 0; i < cat->n_layers; i++) {
        const struct store_layer *layer = &cat->layers[i];
        if (i == 0 || !same_theme(layer->theme, cat->layers[i - 1].theme)) {
            html_page_raw(p, i == 0 ? "<h2>" : "</ul>\n<h2>");
            html_page_text(p, theme_label(layer->theme, lang));
            html_page_raw(p, "</h2>\n<ul class=\"cards\">\n");
        }
        write_layer_card(p, req, layer, lang);
    }
    if (cat->n_layers > 0) {
        html_page_raw(p, "</ul>\n");
    }
}

int html_collections_page(const struct request *req, const struct store_catalog *cat,
                          enum http_lang lang, struct buf *out, struct err *err)
{
    const char *title = tr(lang, T_COLLECTIONS);
    int rc = begin_page(req, NULL, lang, title, title, 2, out, err);
    if (rc != ERR_OK) {
        return rc;
    }
    struct html_page p;
    html_page_init(&p, out, err);
    html_page_raw(&p, "<p>");
    if (cat->n_layers == 0) {
        html_page_text(&p, tr(lang, T_CATALOG_EMPTY));
    } else {
        html_page_text(&p, tr(lang, T_INTRO_PRE));
        html_page_count(&p, (int64_t)cat->n_layers);
        html_page_text(&p, tr(lang, cat->n_layers == 1 ? T_INTRO_ONE : T_INTRO_MANY));
    }
    html_page_raw(&p, "</p>\n");
    write_layer_groups(&p, req, cat, lang);
    if (p.rc != ERR_OK) {
        return p.rc;
    }
    return html_layout_end(out, req, lang, err);
}

/* One collection */

/* <dt>label</dt><dd>value</dd>, left out when the registry has no value. */
static void write_fact(struct html_page *p, enum http_lang lang, enum text_id label,
                       const char *value)
{
    if (value == NULL || *value == '\0') {
        return;
    }
    html_page_raw(p, "<dt>");
    html_page_text(p, tr(lang, label));
    html_page_raw(p, "</dt><dd>");
    html_page_text(p, value);
    html_page_raw(p, "</dd>\n");
}

/* The source, linked only to http(s) URLs: a dataset's source_url must not become a
 * javascript: or data: link. */
static void write_source(struct html_page *p, const struct store_layer *layer, enum http_lang lang)
{
    const char *url = layer->source_url;
    bool is_web =
        url != NULL && (strncmp(url, "https://", 8) == 0 || strncmp(url, "http://", 7) == 0);
    const char *label = layer->source != NULL && *layer->source != '\0' ? layer->source : url;
    if (label == NULL || *label == '\0') {
        return;
    }
    html_page_raw(p, "<dt>");
    html_page_text(p, tr(lang, T_SOURCE));
    html_page_raw(p, "</dt><dd>");
    if (is_web) {
        html_page_link(p, url, label, " rel=\"external\"");
    } else {
        html_page_text(p, label);
    }
    html_page_raw(p, "</dd>\n");
}

static void write_extent(struct html_page *p, const struct store_layer *layer, enum http_lang lang)
{
    if (!layer->has_extent) {
        return;
    }
    char text[4][NUMBER_TEXT_FIXED_CAP];
    const double values[4] = {layer->min_lon, layer->min_lat, layer->max_lon, layer->max_lat};
    const enum text_id names[4] = {T_WEST, T_SOUTH, T_EAST, T_NORTH};
    html_page_raw(p, "<dt>");
    html_page_text(p, tr(lang, T_EXTENT));
    html_page_raw(p, "</dt><dd>");
    for (size_t i = 0; i < 4; i++) {
        number_text_fixed(values[i], 6, text[i]);
        html_page_text(p, tr(lang, names[i]));
        html_page_raw(p, text[i]);
    }
    html_page_text(p, tr(lang, T_DEGREES));
    html_page_raw(p, "</dd>\n");
}

/* "2026-11-22T10:00:00Z" read as "2026-11-22 10:00 UTC"; other text as it is. */
static void write_imported(struct html_page *p, const struct store_layer *layer,
                           enum http_lang lang)
{
    const char *iso = layer->imported_at;
    char text[32];
    if (iso != NULL && strlen(iso) == 20 && iso[10] == 'T' && iso[19] == 'Z') {
        snprintf(text, sizeof(text), "%.10s %.5s UTC", iso, iso + 11);
        iso = text;
    }
    write_fact(p, lang, T_IMPORTED, iso);
}

static void write_facts(struct html_page *p, const struct store_layer *layer, enum http_lang lang)
{
    html_page_raw(p, "<h2>");
    html_page_text(p, tr(lang, T_ABOUT));
    html_page_raw(p, "</h2>\n<dl>\n");
    write_source(p, layer, lang);
    write_fact(p, lang, T_LICENSE, layer->license);
    write_fact(p, lang, T_ATTRIBUTION, layer->attribution);
    html_page_raw(p, "<dt>");
    html_page_text(p, tr(lang, T_N_FEATURES));
    html_page_raw(p, "</dt><dd>");
    html_page_count(p, layer->feature_count);
    html_page_raw(p, "</dd>\n");
    write_fact(p, lang, T_GEOMETRY, layer_geometry_label(layer, lang));
    write_extent(p, layer, lang);
    write_fact(p, lang, T_SOURCE_CRS, layer->source_crs);
    write_imported(p, layer, lang);
    write_fact(p, lang, T_IDENTIFIER, layer->id);
    html_page_raw(p, "</dl>\n");
}

/* <thead> of a table with these column headings. */
static void write_table_head(struct html_page *p, const char *const *headings, size_t n)
{
    html_page_raw(p, "<div class=\"scroll\"><table>\n<thead><tr>");
    for (size_t i = 0; i < n; i++) {
        html_page_raw(p, "<th scope=\"col\">");
        html_page_text(p, headings[i]);
        html_page_raw(p, "</th>");
    }
    html_page_raw(p, "</tr></thead>\n<tbody>\n");
}

static void write_fields(struct html_page *p, const struct store_layer *layer, enum http_lang lang)
{
    const char *headings[3] = {tr(lang, T_FIELD_NAME), tr(lang, T_FIELD_TYPE),
                               tr(lang, T_FIELD_SOURCE_TYPE)};
    html_page_raw(p, "<h2>");
    html_page_text(p, tr(lang, T_FIELDS));
    html_page_raw(p, "</h2>\n");
    write_table_head(p, headings, 3);
    for (size_t i = 0; i < layer->n_fields; i++) {
        const struct store_field_info *f = &layer->fields[i];
        html_page_raw(p, "<tr><td>");
        html_page_text(p, f->name);
        html_page_raw(p, "</td><td>");
        html_page_text(p, field_type_label(f->type, lang));
        html_page_raw(p, "</td><td>");
        html_page_text(p, f->source_type);
        html_page_raw(p, "</td></tr>\n");
    }
    html_page_raw(p, "</tbody></table></div>\n");
}

static void write_crs_list(struct html_page *p, enum http_lang lang)
{
    html_page_raw(p, "<h2>");
    html_page_text(p, tr(lang, T_CRS_LIST));
    html_page_raw(p, "</h2>\n<ul>\n");
    for (size_t i = 0; i < api_n_crs; i++) {
        html_page_raw(p, "<li>");
        html_page_text(p, api_crs_list[i].label);
        html_page_raw(p, "<br><code>");
        html_page_text(p, api_crs_list[i].uri);
        html_page_raw(p, "</code></li>\n");
    }
    html_page_raw(p, "</ul>\n");
}

/* The other documents about this collection: its queryables and sortables (which have HTML
 * pages), its schema and itself as JSON. */
static void write_collection_links(struct html_page *p, const struct request *req,
                                   const struct store_layer *layer, enum http_lang lang)
{
    char *queryables = layer_href(req, layer, "/queryables", "html");
    char *schema = layer_href(req, layer, "/schema", "json");
    char *sortables = layer_href(req, layer, "/sortables", "html");
    char *self_json = layer_href(req, layer, "", "json");
    html_page_raw(p, "<h2>");
    html_page_text(p, tr(lang, T_LINKS));
    html_page_raw(p, "</h2>\n<ul class=\"links\">\n<li>");
    html_page_link(p, queryables, tr(lang, T_QUERYABLES), NULL);
    html_page_raw(p, "</li>\n<li>");
    html_page_link(p, sortables, tr(lang, T_SORTABLES), NULL);
    html_page_raw(p, "</li>\n<li>");
    html_page_link(p, schema, tr(lang, T_SCHEMA), " type=\"application/schema+json\"");
    html_page_raw(p, "</li>\n<li>");
    html_page_link(p, self_json, tr(lang, T_COLLECTION_JSON), " type=\"application/json\"");
    html_page_raw(p, "</li>\n</ul>\n");
    free(queryables);
    free(schema);
    free(sortables);
    free(self_json);
}

int html_collection_page(const struct request *req, const struct store_layer *layer,
                         enum http_lang lang, struct buf *out, struct err *err)
{
    const char *title = api_layer_title(layer, lang);
    int rc = begin_page(req, layer, lang, title, NULL, 3, out, err);
    if (rc != ERR_OK) {
        return rc;
    }
    struct html_page p;
    html_page_init(&p, out, err);
    const char *description = api_layer_description(layer, lang);
    if (*description != '\0') {
        html_page_raw(&p, "<p>");
        html_page_text(&p, description);
        html_page_raw(&p, "</p>\n");
    }
    write_items_links(&p, req, layer, lang);
    write_facts(&p, layer, lang);
    write_fields(&p, layer, lang);
    write_crs_list(&p, lang);
    write_collection_links(&p, req, layer, lang);
    if (p.rc != ERR_OK) {
        return p.rc;
    }
    return html_layout_end(out, req, lang, err);
}

/* Items */

/* How many values each row carries, and the layer field shown in column i. */
static size_t n_columns(const struct store_layer *layer, const struct html_items_info *info)
{
    return info->properties != NULL ? info->n_properties : layer->n_fields;
}

static size_t column_field(const struct html_items_info *info, size_t i)
{
    return info->properties != NULL ? info->properties[i] : i;
}

static int check_columns(const struct store_layer *layer, const struct html_items_info *info,
                         struct err *err)
{
    for (size_t i = 0; info->properties != NULL && i < info->n_properties; i++) {
        if (info->properties[i] >= layer->n_fields) {
            return err_set(err, ERR_INTERNAL, "property %zu of the items page is not a field",
                           info->properties[i]);
        }
    }
    return ERR_OK;
}

/* "Features 101–200 of 5,412", or why the page is empty. */
static void write_summary(struct html_page *p, const struct html_items_info *info,
                          enum http_lang lang)
{
    int64_t matched = info->number_matched;
    html_page_raw(p, "<p class=\"summary\">");
    if (info->number_returned > 0) {
        int64_t first = info->offset + 1, last = info->offset + info->number_returned;
        html_page_text(p, tr(lang, last > first ? T_SUMMARY_MANY : T_SUMMARY_ONE));
        html_page_count(p, first);
        if (last > first) {
            html_page_raw(p, "–");
            html_page_count(p, last);
        }
        if (matched >= 0) {
            html_page_text(p, tr(lang, T_SUMMARY_OF));
            html_page_count(p, matched);
            html_page_text(p, tr(lang, T_SUMMARY_UNIT));
        }
    } else if (matched == 0) {
        html_page_text(p, tr(lang, T_NONE_MATCH));
    } else {
        html_page_text(p, tr(lang, T_EMPTY_PAGE));
        if (matched > 0) {
            html_page_text(p, tr(lang, T_IN_ALL_PRE));
            html_page_count(p, matched);
            html_page_text(p, tr(lang, T_IN_ALL_POST));
        }
    }
    html_page_raw(p, "</p>\n");
}

static void write_page_downloads(struct html_page *p, const struct html_items_info *info,
                                 enum http_lang lang)
{
    if (info->json_href == NULL && info->csv_href == NULL) {
        return;
    }
    html_page_raw(p, "<p class=\"links\">");
    html_page_text(p, tr(lang, T_PAGE_AS));
    if (info->json_href != NULL) {
        html_page_raw(p, " ");
        html_page_link(p, info->json_href, "GeoJSON", " type=\"application/geo+json\"");
    }
    if (info->csv_href != NULL) {
        html_page_raw(p, " ");
        html_page_link(p, info->csv_href, "CSV", " type=\"text/csv\"");
    }
    html_page_raw(p, "</p>\n");
}

static void write_pager(struct html_page *p, const struct html_items_info *info,
                        enum http_lang lang)
{
    if (info->prev_href == NULL && info->next_href == NULL) {
        return;
    }
    html_page_raw(p, "<nav class=\"pager\" aria-label=\"");
    html_page_text(p, tr(lang, T_PAGES));
    html_page_raw(p, "\">");
    if (info->prev_href != NULL) {
        html_page_link(p, info->prev_href, tr(lang, T_PREV), " rel=\"prev\"");
    } else {
        html_page_raw(p, "<span></span>"); /* keeps "next" on the right */
    }
    if (info->next_href != NULL) {
        html_page_link(p, info->next_href, tr(lang, T_NEXT), " rel=\"next\"");
    }
    html_page_raw(p, "</nav>\n");
}

static void write_th(struct html_page *p, const char *heading)
{
    html_page_raw(p, "<th scope=\"col\">");
    html_page_text(p, heading);
    html_page_raw(p, "</th>");
}

static void write_items_head(struct html_page *p, const struct store_layer *layer,
                             const struct html_items_info *info, enum http_lang lang)
{
    html_page_raw(p, "<div class=\"scroll\"><table>\n<thead><tr>");
    write_th(p, tr(lang, T_ID));
    for (size_t i = 0; i < n_columns(layer, info); i++) {
        write_th(p, layer->fields[column_field(info, i)].name);
    }
    if (layer->geometry_type != NULL) {
        write_th(p, tr(lang, T_GEOMETRY));
    }
    html_page_raw(p, "</tr></thead>\n<tbody>\n");
}

int html_items_begin(const struct request *req, const struct store_layer *layer,
                     const struct html_items_info *info, enum http_lang lang, struct buf *out,
                     struct err *err)
{
    int rc = check_columns(layer, info, err);
    if (rc != ERR_OK) {
        return rc;
    }
    char *title = xasprintf("%s – %s", api_layer_title(layer, lang), tr(lang, T_ITEMS));
    rc = begin_page(req, layer, lang, title, NULL, 4, out, err);
    free(title);
    if (rc != ERR_OK) {
        return rc;
    }
    struct html_page p;
    html_page_init(&p, out, err);
    write_summary(&p, info, lang);
    write_page_downloads(&p, info, lang);
    write_pager(&p, info, lang);
    write_items_head(&p, layer, info, lang);
    return p.rc;
}

/* One <td>: numbers right-aligned as written in JSON (no separators: codes and years must
 * read as they are stored), text escaped, null as a dash the stylesheet greys out. */
static void write_value_cell(struct html_page *p, const struct store_value *v)
{
    char text[NUMBER_TEXT_REAL_CAP];
    if (v->is_null) {
        html_page_raw(p, "<td class=\"null\">—</td>");
        return;
    }
    switch (v->type) {
    case STORE_INTEGER:
        number_text_int64(v->i, text);
        html_page_raw(p, "<td class=\"num\">");
        html_page_raw(p, text);
        break;
    case STORE_REAL:
        if (number_text_real(v->d, text) == 0) {
            snprintf(text, sizeof(text), "%g", v->d); /* inf or nan: JSON has no spelling */
        }
        html_page_raw(p, "<td class=\"num\">");
        html_page_raw(p, text);
        break;
    case STORE_TEXT:
        html_page_raw(p, "<td>");
        html_page_text_len(p, v->ptr, v->len);
        break;
    case STORE_BLOB:
        html_page_raw(p, "<td class=\"null\">BLOB · ");
        html_page_count(p, (int64_t)v->len);
        html_page_raw(p, " B");
        break;
    }
    html_page_raw(p, "</td>");
}

/* The GeoJSON name of the row's geometry type, or NULL when the row has none. A blob that
 * is not a geometry is a damaged database, the server's fault: ERR_DB naming the layer and
 * the fid (a page then shows the feature without its geometry, as items_writer.h says). */
static int row_geometry_kind(const struct store_layer *layer, const struct store_feature *row,
                             const char **name, struct err *err)
{
    *name = NULL;
    if (row->geom == NULL) {
        return ERR_OK;
    }
    struct geom_blob_header header;
    struct err blob_err;
    if (geom_blob_header(row->geom, row->geom_len, &header, &blob_err) != ERR_OK) {
        return err_set(err, ERR_DB,
                       "damaged database: layer '%s' feature %" PRId64
                       " has a geometry that does not decode: %s",
                       layer->id, row->fid, blob_err.msg);
    }
    *name = kinds[header.kind - 1].geojson;
    return ERR_OK;
}

int html_items_row(const struct request *req, const struct store_layer *layer,
                   const struct html_items_info *info, const struct store_feature *row,
                   struct buf *out, struct err *err)
{
    if (row->n_values != n_columns(layer, info)) {
        return err_set(err, ERR_INTERNAL, "feature %" PRId64 " has %zu values for %zu columns",
                       row->fid, row->n_values, n_columns(layer, info));
    }
    const char *kind = NULL;
    int rc = layer->geometry_type != NULL ? row_geometry_kind(layer, row, &kind, err) : ERR_OK;
    if (rc != ERR_OK) {
        return rc;
    }
    struct html_page p;
    html_page_init(&p, out, err);
    char fid[NUMBER_TEXT_INT_CAP];
    number_text_int64(row->fid, fid);
    char *href = item_href(req, layer, row->fid, "html");
    html_page_raw(&p, "<tr><td class=\"num\">");
    html_page_link(&p, href, fid, NULL);
    html_page_raw(&p, "</td>");
    free(href);
    for (size_t i = 0; i < row->n_values; i++) {
        write_value_cell(&p, &row->values[i]);
    }
    if (layer->geometry_type != NULL) {
        html_page_raw(&p, kind != NULL ? "<td>" : "<td class=\"null\">—");
        html_page_raw(&p, kind != NULL ? kind : "");
        html_page_raw(&p, "</td>");
    }
    html_page_raw(&p, "</tr>\n");
    return p.rc;
}

int html_items_end(const struct request *req, const struct store_layer *layer,
                   const struct html_items_info *info, enum http_lang lang, struct buf *out,
                   struct err *err)
{
    (void)layer;
    struct html_page p;
    html_page_init(&p, out, err);
    html_page_raw(&p, "</tbody></table></div>\n");
    write_pager(&p, info, lang);
    if (p.rc != ERR_OK) {
        return p.rc;
    }
    return html_layout_end(out, req, lang, err);
}

/* One item */

/* The feature's name (the layer's name_column) as a new string, or NULL when it has none.
 * Free with free(). */
static char *feature_name(const struct store_layer *layer, const struct store_feature *row)
{
    for (size_t i = 0; layer->name_column != NULL && i < layer->n_fields; i++) {
        const struct store_value *v = &row->values[i];
        if (strcmp(layer->fields[i].name, layer->name_column) == 0 && !v->is_null &&
            v->type == STORE_TEXT && v->len > 0) {
            return xstrndup(v->ptr, v->len);
        }
    }
    return NULL;
}

static void write_properties(struct html_page *p, const struct store_layer *layer,
                             const struct store_feature *row, enum http_lang lang)
{
    const char *headings[2] = {tr(lang, T_PROPERTY), tr(lang, T_VALUE)};
    write_table_head(p, headings, 2);
    for (size_t i = 0; i < layer->n_fields; i++) {
        html_page_raw(p, "<tr><th scope=\"row\">");
        html_page_text(p, layer->fields[i].name);
        html_page_raw(p, "</th>");
        write_value_cell(p, &row->values[i]);
        html_page_raw(p, "</tr>\n");
    }
    html_page_raw(p, "</tbody></table></div>\n");
}

/* The start of the WKT, cut after a whole coordinate pair, and the GeoJSON link for the
 * whole geometry. */
static void write_wkt(struct html_page *p, const char *wkt, size_t len, const char *whole_href,
                      enum http_lang lang)
{
    size_t shown = len;
    if (len > HTML_WKT_SHOWN) {
        shown = HTML_WKT_SHOWN;
        while (shown > 0 && wkt[shown] != ',') {
            shown--;
        }
        shown = shown > 0 ? shown : HTML_WKT_SHOWN;
    }
    html_page_raw(p, "<pre class=\"wkt\">");
    html_page_text_len(p, wkt, shown);
    html_page_raw(p, shown < len ? ", …</pre>\n" : "</pre>\n");
    if (shown < len) {
        html_page_raw(p, "<p>");
        html_page_text(p, tr(lang, T_WKT_SHORTENED));
        html_page_raw(p, " ");
        html_page_link(p, whole_href, tr(lang, T_WKT_WHOLE), " type=\"application/geo+json\"");
        html_page_raw(p, "</p>\n");
    }
}

/* The geometry in the request's crs= (CRS84 when absent), in that CRS's axis order and
 * precision, as the GeoJSON form of the same request writes it. */
static int write_geometry(struct html_page *p, const struct request *req,
                          const struct store_layer *layer, const struct store_feature *row,
                          enum http_lang lang)
{
    html_page_raw(p, "<h2>");
    html_page_text(p, tr(lang, T_GEOMETRY));
    html_page_raw(p, "</h2>\n");
    if (row->geom == NULL) {
        html_page_raw(p, "<p>");
        html_page_text(p, tr(lang, T_NO_GEOMETRY));
        html_page_raw(p, "</p>\n");
        return p->rc;
    }
    const struct api_crs *crs = api_crs_find(request_param(req, "crs"));
    crs = crs != NULL ? crs : &api_crs_list[0];
    struct geom_format fmt = {crs->precision, crs->is_lat_lon};
    struct buf wkt;
    buf_init(&wkt, RESPONSE_BODY_CAP);
    struct err geom_err;
    int rc = geom_text_append_wkt(&wkt, row->geom, row->geom_len, &fmt, &geom_err);
    if (rc == ERR_OK) {
        char *whole = item_href(req, layer, row->fid, "json");
        write_wkt(p, wkt.data, wkt.len, whole, lang);
        free(whole);
        html_page_raw(p, "<p class=\"muted\">");
        html_page_text(p, tr(lang, T_COORDS_IN));
        html_page_text(p, crs->label);
        html_page_raw(p, "</p>\n");
        rc = p->rc;
    } else {
        rc = err_set(p->err, rc == ERR_INVALID ? ERR_DB : rc,
                     "damaged database: layer '%s' feature %" PRId64
                     " has a geometry that does not decode: %s",
                     layer->id, row->fid, geom_err.msg);
    }
    buf_clear(&wkt);
    return rc;
}

static void write_item_links(struct html_page *p, const struct request *req,
                             const struct store_layer *layer, const struct store_feature *row,
                             enum http_lang lang)
{
    char *items = layer_href(req, layer, "/items", "html");
    char *geojson = item_href(req, layer, row->fid, "json");
    html_page_raw(p, "<h2>");
    html_page_text(p, tr(lang, T_LINKS));
    html_page_raw(p, "</h2>\n<ul class=\"links\">\n<li>");
    html_page_link(p, items, tr(lang, T_BACK_TO_TABLE), NULL);
    html_page_raw(p, "</li>\n<li>");
    html_page_link(p, geojson, tr(lang, T_FEATURE_JSON), " type=\"application/geo+json\"");
    html_page_raw(p, "</li>\n</ul>\n");
    free(items);
    free(geojson);
}

/* "Feature 42 in <collection>", below a title that names the feature. */
static void write_item_intro(struct html_page *p, const struct request *req,
                             const struct store_layer *layer, const char *id_label,
                             enum http_lang lang)
{
    char *collection = layer_href(req, layer, "", "html");
    html_page_raw(p, "<p class=\"muted\">");
    html_page_text(p, id_label);
    html_page_text(p, tr(lang, T_IN_COLLECTION));
    html_page_link(p, collection, api_layer_title(layer, lang), NULL);
    html_page_raw(p, "</p>\n");
    free(collection);
}

int html_item_page(const struct request *req, const struct store_layer *layer,
                   const struct store_feature *row, enum http_lang lang, struct buf *out,
                   struct err *err)
{
    if (row->n_values != layer->n_fields) {
        if (request_param(req, "properties") != NULL) {
            return err_set(err, ERR_INVALID,
                           "properties: the HTML page of a feature shows "
                           "every property; use f=json to choose some");
        }
        return err_set(err, ERR_INTERNAL, "feature %" PRId64 " has %zu values for %zu fields",
                       row->fid, row->n_values, layer->n_fields);
    }
    char *id_label = xasprintf("%s%" PRId64, tr(lang, T_FEATURE_TITLE), row->fid);
    char *name = feature_name(layer, row);
    const char *title = name != NULL ? name : id_label;
    int rc = begin_page(req, layer, lang, title, title, 5, out, err);
    struct html_page p;
    html_page_init(&p, out, err);
    p.rc = rc;
    write_item_intro(&p, req, layer, id_label, lang);
    write_properties(&p, layer, row, lang);
    if (p.rc == ERR_OK && layer->geometry_type != NULL) {
        p.rc = write_geometry(&p, req, layer, row, lang);
    }
    write_item_links(&p, req, layer, row, lang);
    free(name);
    free(id_label);
    if (p.rc != ERR_OK) {
        return p.rc;
    }
    return html_layout_end(out, req, lang, err);
}
