/* api_landing.c - "/" (the landing page: what this server is and where everything is)
 * and "/conformance" (the OGC conformance classes it implements), as JSON or as a small
 * HTML page in Thai or English. Both documents depend only on the catalog generation,
 * so the dispatcher caches them until the next import. */
#include "http/handlers/api.h"

#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "config/catalog.h"
#include "http/transport/api_common.h"
#include "http/documents/html_layout.h"
#include "http/transport/response.h"
#include "scenario/scenario_doc.h"

#define LINK_TYPE_HTML "text/html"

/* A link of a document. rel NULL means "self" when the link's type is the format of the
 * response (titled "this document") and "alternate" otherwise (titled en/th); html_path,
 * when set, is the HTML form of the target, which the HTML page offers beside it. */
struct doc_link {
    const char *path; /* appended to req->base_url */
    const char *rel;
    const char *type;
    const char *en, *th;
    const char *html_path;
};

static const struct doc_link landing_links[] = {
    {"/", NULL, RESPONSE_TYPE_JSON, "This document as JSON", "เอกสารนี้ในรูปแบบ JSON", NULL},
    {"/?f=html", NULL, LINK_TYPE_HTML, "This document as HTML", "เอกสารนี้ในรูปแบบ HTML", NULL},
    {"/api", "service-desc", RESPONSE_TYPE_OPENAPI, "The API definition (OpenAPI 3.0)",
     "คำอธิบาย API (OpenAPI 3.0)", NULL},
    {"/api?f=html", "service-doc", LINK_TYPE_HTML, "The API documentation: paths and parameters",
     "เอกสารประกอบ API: เส้นทางและพารามิเตอร์", NULL},
    {"/conformance", "conformance", RESPONSE_TYPE_JSON,
     "The OGC conformance classes this server implements",
     "มาตรฐาน OGC (conformance class) ที่เซิร์ฟเวอร์นี้รองรับ", "/conformance"},
    {"/collections", "data", RESPONSE_TYPE_JSON, "The collections of city data", "ชุดข้อมูลของเมือง",
     "/collections"},
    /* "related", not "data": OGC API - Features gives "data" to the collections, and a
     * second one would leave clients two places to look for them. Bare /stats is not
     * linked: it needs parameters (see /api). */
    {"/stats/featured", "related", RESPONSE_TYPE_JSON, "Featured statistics", "สถิติเด่น", NULL},
    /* OGC API - Tiles: the base map's vector tiles and the tile matrix set. */
    {"/tiles", "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector", RESPONSE_TYPE_JSON,
     "The base map as vector tiles", "แผนที่ฐานแบบไทล์เวกเตอร์", NULL},
    {"/tileMatrixSets", "http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes", RESPONSE_TYPE_JSON,
     "The tile matrix sets of the tiles", "ระบบตารางไทล์ของไทล์", NULL},
    {"/map/", "related", LINK_TYPE_HTML, "The city map: layers, search and statistics",
     "แผนที่เมือง: ชั้นข้อมูล ค้นหาสถานที่ และสถิติ", NULL},
};

static const struct doc_link conformance_links[] = {
    {"/conformance", NULL, RESPONSE_TYPE_JSON, "This document as JSON", "เอกสารนี้ในรูปแบบ JSON",
     NULL},
    {"/conformance?f=html", NULL, LINK_TYPE_HTML, "This document as HTML", "เอกสารนี้ในรูปแบบ HTML",
     NULL},
};

#define N_LINKS(a) (sizeof(a) / sizeof((a)[0]))

/* Exactly what the server implements: Features Part 1 (core, OpenAPI 3.0, HTML, GeoJSON),
 * Part 2 (other CRSs), Part 3 (queryables and CQL2 text filters), Part 5 (schema and
 * sortables documents), the drafts of Part 6 (properties=) and Part 8 (sortby=), and the
 * CQL2 classes of what src/cql2 parses; OGC API - Tiles Part 1 for vector tiles (Mapbox
 * Vector Tiles) of each collection and of the base map, in WebMercatorQuad, described by
 * tileset metadata, tilesets lists and the tile matrix set in its JSON encoding. */
static const char *const conformance_classes[] = {
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
    "http://www.opengis.net/spec/ogcapi-features-5/1.0/conf/schemas",
    "http://www.opengis.net/spec/ogcapi-features-5/1.0/conf/sortables",
    "http://www.opengis.net/spec/ogcapi-features-6/1.0/conf/property-selection",
    "http://www.opengis.net/spec/ogcapi-features-8/1.0/conf/sorting",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
    "http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions-plus",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tileset",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tilesets-list",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/geodata-tilesets",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/dataset-tilesets",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/tms/2.0/conf/tilematrixset",
    "http://www.opengis.net/spec/tms/2.0/conf/json-tilematrixset",
};

static const char *tr(enum http_lang lang, const char *en, const char *th)
{
    return lang == HTTP_LANG_TH ? th : en;
}

static const char *link_rel(const struct doc_link *link, enum http_format format)
{
    if (link->rel != NULL) {
        return link->rel;
    }
    bool is_html = strcmp(link->type, LINK_TYPE_HTML) == 0;
    return is_html == (format == HTTP_FORMAT_HTML) ? "self" : "alternate";
}

static const char *link_title(const struct doc_link *link, enum http_format format,
                              enum http_lang lang)
{
    if (strcmp(link_rel(link, format), "self") == 0) {
        return tr(lang, "This document", "เอกสารนี้");
    }
    return tr(lang, link->en, link->th);
}

static json_t *links_json(const struct request *req, const struct doc_link *links, size_t n,
                          enum http_format format, enum http_lang lang)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        char *href = xasprintf("%s%s", req->base_url, links[i].path);
        json_array_append_new(arr, api_link(href, link_rel(&links[i], format), links[i].type,
                                            link_title(&links[i], format, lang)));
        free(href);
    }
    return arr;
}

/* The document's links as a list: title (linked), media type, and the HTML form of the
 * target when it has one. */
static void page_links(struct html_page *p, const struct request *req, const struct doc_link *links,
                       size_t n, enum http_lang lang)
{
    html_page_raw(p, "<h2>");
    html_page_text(p, tr(lang, "Links", "ลิงก์"));
    html_page_raw(p, "</h2>\n<ul>\n");
    for (size_t i = 0; i < n; i++) {
        char *href = xasprintf("%s%s", req->base_url, links[i].path);
        html_page_raw(p, "<li>");
        html_page_link(p, href, link_title(&links[i], HTTP_FORMAT_HTML, lang), NULL);
        html_page_raw(p, " <small>");
        html_page_text(p, links[i].type);
        html_page_raw(p, "</small>");
        if (links[i].html_path != NULL) {
            char *html = html_layout_href(req, links[i].html_path, "html");
            html_page_raw(p, " · ");
            html_page_link(p, html, tr(lang, "web page", "หน้าเว็บ"), NULL);
            free(html);
        }
        html_page_raw(p, "</li>\n");
        free(href);
    }
    html_page_raw(p, "</ul>\n");
}

/* "/" */

/* "Open data about the city of Hat Yai, ..." (no city named without a profile). Free with
 * free(). */
static char *landing_description(const struct store_city *city, enum http_lang lang)
{
    bool has_city = city->title_en != NULL;
    if (lang == HTTP_LANG_TH) {
        return xasprintf("ข้อมูลเปิดของเมือง%s ให้บริการตามมาตรฐาน OGC API - Features: "
                         "GeoJSON สำหรับโปรแกรม GIS เช่น QGIS และ GDAL, CSV สำหรับโปรแกรมตารางคำนวณ "
                         "และหน้าเว็บสำหรับผู้ใช้ทั่วไป ทั้งภาษาไทยและภาษาอังกฤษ",
                         has_city ? city->title_th : "");
    }
    return xasprintf("Open data about %s%s, served as OGC API - Features: GeoJSON for GIS "
                     "software such as QGIS and GDAL, CSV for spreadsheets and web pages for "
                     "people, in Thai and English.",
                     has_city ? "the city of " : "the city", has_city ? city->title_en : "");
}

/* "cityatlas:city": the city profile as the catalog import stored it (extent resolved;
 * {} without one) and the vocabularies the web map shows (themes, default sketch kinds), so that
 * neither the city nor the theme names are written into the map's code. */
static json_t *city_json(const struct store_city *city)
{
    json_t *doc = json_loads(city->json, 0, NULL);
    if (!json_is_object(doc)) {
        json_decref(doc);
        doc = json_object();
    }
    json_t *themes = json_array();
    for (size_t i = 0; catalog_theme_labels[i].id != NULL; i++) {
        const struct catalog_theme_label *t = &catalog_theme_labels[i];
        json_array_append_new(themes, json_pack("{s:s, s:{s:s, s:s}}", "id", t->id, "title", "th",
                                                t->title_th, "en", t->title_en));
    }
    json_object_set_new(doc, "themes", themes);
    json_object_set_new(doc, "sketch_kinds", scenario_doc_default_kinds());
    return doc;
}

static int landing_html(const struct request *req, const struct store_city *city,
                        enum http_lang lang, struct buf *out, struct err *err)
{
    struct html_page p;
    html_page_init(&p, out, err);
    char *title = html_layout_city_title(city, lang);
    char *description = landing_description(city, lang);
    p.rc = html_layout_begin(out, req, lang, title, NULL, 0, err);
    free(title);
    char *data = html_layout_href(req, "/collections", "html");
    char *map = xasprintf("%s/map/", req->base_url);
    html_page_raw(&p, "<p>");
    html_page_text(&p, description);
    free(description);
    html_page_raw(&p, "</p>\n<p><strong>");
    html_page_link(&p, map, tr(lang, "Open the city map", "เปิดแผนที่เมือง"), NULL);
    free(map);
    html_page_raw(&p, "</strong></p>\n<p><strong>");
    html_page_link(&p, data, tr(lang, "Browse the collections of city data", "ดูชุดข้อมูลของเมือง"),
                   NULL);
    html_page_raw(&p, "</strong></p>\n");
    page_links(&p, req, landing_links, N_LINKS(landing_links), lang);
    free(data);
    return p.rc == ERR_OK ? html_layout_end(out, req, lang, err) : p.rc;
}

int api_landing(struct request *req, struct response *resp, struct err *err)
{
    enum http_format format;
    enum http_lang lang;
    struct store_read *rd = NULL;
    int rc = api_begin_catalog_document(req, resp, &format, &lang, &rd, err);
    if (rc != ERR_OK) {
        return rc;
    }
    const struct store_city *city = store_read_city(rd);
    if (format == HTTP_FORMAT_HTML) {
        return landing_html(req, city, lang, &resp->body, err);
    }
    char *title = html_layout_city_title(city, lang);
    char *description = landing_description(city, lang);
    json_t *doc =
        json_pack("{s:s, s:s, s:o, s:o}", "title", title, "description", description, "links",
                  links_json(req, landing_links, N_LINKS(landing_links), format, lang),
                  "cityatlas:city", city_json(city));
    free(title);
    free(description);
    return response_set_json(resp, doc, RESPONSE_TYPE_JSON, err);
}

/* "/conformance" */

static int conformance_html(const struct request *req, enum http_lang lang, struct buf *out,
                            struct err *err)
{
    char *home = html_layout_href(req, "/", "html");
    const char *title = tr(lang, "Conformance classes", "มาตรฐานที่รองรับ (conformance class)");
    const struct html_crumb crumbs[] = {{tr(lang, "Home", "หน้าแรก"), home}, {title, NULL}};
    struct html_page p;
    html_page_init(&p, out, err);
    p.rc = html_layout_begin(out, req, lang, title, crumbs, 2, err);
    free(home);
    html_page_raw(&p, "<p>");
    html_page_text(&p, tr(lang,
                          "The parts of the OGC API - Features and CQL2 standards this server "
                          "implements; GIS software reads this list to know what it may ask for.",
                          "ส่วนของมาตรฐาน OGC API - Features และ CQL2 ที่เซิร์ฟเวอร์นี้รองรับ "
                          "โปรแกรม GIS ใช้รายการนี้เพื่อรู้ว่าขอข้อมูลแบบใดได้บ้าง"));
    html_page_raw(&p, "</p>\n<ul>\n");
    for (size_t i = 0; i < N_LINKS(conformance_classes); i++) {
        html_page_raw(&p, "<li><code>");
        html_page_link(&p, conformance_classes[i], conformance_classes[i], NULL);
        html_page_raw(&p, "</code></li>\n");
    }
    html_page_raw(&p, "</ul>\n");
    page_links(&p, req, conformance_links, N_LINKS(conformance_links), lang);
    return p.rc == ERR_OK ? html_layout_end(out, req, lang, err) : p.rc;
}

int api_conformance(struct request *req, struct response *resp, struct err *err)
{
    enum http_format format;
    enum http_lang lang;
    struct store_read *rd = NULL;
    int rc = api_begin_catalog_document(req, resp, &format, &lang, &rd, err);
    if (rc != ERR_OK) {
        return rc;
    }
    if (format == HTTP_FORMAT_HTML) {
        return conformance_html(req, lang, &resp->body, err);
    }
    json_t *classes = json_array();
    for (size_t i = 0; i < N_LINKS(conformance_classes); i++) {
        json_array_append_new(classes, json_string(conformance_classes[i]));
    }
    json_t *doc =
        json_pack("{s:o, s:o}", "conformsTo", classes, "links",
                  links_json(req, conformance_links, N_LINKS(conformance_links), format, lang));
    return response_set_json(resp, doc, RESPONSE_TYPE_JSON, err);
}
