/* test_html_features.c - http/documents/html_features.c and http/documents/html_layout.c: the HTML
 * pages of the collections and their features, from layers, catalogs and rows built by hand (no
 * database). Every page goes through a small well-formedness check: tags known and
 * balanced, so data can neither open a tag nor leave one unclosed. */
#include "unit.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "http/documents/html_features.h"
#include "http/documents/html_layout.h"
#include "http/transport/request.h"
#include "store/store_read.h"

#include "unit_support.c"

#define PAGE_CAP (8u << 20)
#define HOSTILE "<script>alert(\"x\")</script> & 'q'"

/* Requests */

static char g_base_url[] = "http://test";

static void init_request(struct request *req, const char *path)
{
    memset(req, 0, sizeof(*req));
    req->method = HTTP_GET;
    req->method_name = "GET";
    req->path = path;
    req->raw_query = "";
    req->base_url = g_base_url;
}

static void add_param(struct request *req, const char *name, const char *value)
{
    assert_true(req->n_params < REQUEST_MAX_PARAMS);
    req->params[req->n_params].name = name;
    req->params[req->n_params].value = value;
    req->n_params++;
}

/* Layers */

static struct store_field_info g_fields[] = {
    {"name", STORE_TEXT, "String"},
    {"population", STORE_INTEGER, "Integer64"},
    {"area_km2", STORE_REAL, "Real"},
};

static struct store_layer district_layer(void)
{
    struct store_layer layer = {
        .id = "cm-districts",
        .version = 3,
        .title_en = "Chiang Mai districts",
        .title_th = "อำเภอในจังหวัดเชียงใหม่",
        .description_en = "The 25 districts.",
        .description_th = "ขอบเขต 25 อำเภอ",
        .theme = "boundaries",
        .source = "Royal Thai Survey Department",
        .source_url = "https://example.org/source",
        .license = "CC-BY-IGO-3.0",
        .attribution = "RTSD via HDX",
        .name_column = "name",
        .geometry_type = "MULTIPOLYGON",
        .source_crs = "EPSG:4326",
        .imported_at = "2026-11-22T10:00:00Z",
        .feature_count = 5412,
        .has_extent = true,
        .min_lon = 98.0,
        .min_lat = 17.25,
        .max_lon = 99.5,
        .max_lat = 20.125,
        .fields = g_fields,
        .n_fields = 3,
    };
    return layer;
}

static struct store_layer road_layer(void)
{
    struct store_layer layer = district_layer();
    layer.id = "cm-roads";
    layer.title_en = "Roads";
    layer.title_th = "ถนน";
    layer.theme = "transport";
    layer.geometry_type = "LINESTRING";
    layer.feature_count = 1;
    return layer;
}

/* Geometry blobs in SpatiaLite's layout (geom_blob.h), in the host's byte order. */

struct blob {
    unsigned char bytes[8192];
    size_t len;
};

static void put(struct blob *b, const void *p, size_t n)
{
    assert_true(b->len + n <= sizeof(b->bytes));
    memcpy(b->bytes + b->len, p, n);
    b->len += n;
}

static void put_i32(struct blob *b, int32_t v)
{
    put(b, &v, sizeof(v));
}

static void put_f64(struct blob *b, double v)
{
    put(b, &v, sizeof(v));
}

/* class 1 (POINT) with one point, or class 2 (LINESTRING) with n_points. */
static void make_blob(struct blob *b, int32_t class_code, const double *xy, size_t n_points)
{
    const uint16_t one = 1;
    unsigned char head[2] = {0x00, *(const unsigned char *)&one == 1 ? 0x01 : 0x00};
    b->len = 0;
    put(b, head, 2);
    put_i32(b, 4326);
    for (size_t i = 0; i < 4; i++) {
        put_f64(b, xy[i % 2]); /* an MBR the reader does not check against the body */
    }
    unsigned char marker = 0x7C, end = 0xFE;
    put(b, &marker, 1);
    put_i32(b, class_code);
    if (class_code == 2) {
        put_i32(b, (int32_t)n_points);
    }
    for (size_t i = 0; i < n_points * 2; i++) {
        put_f64(b, xy[i]);
    }
    put(b, &end, 1);
}

/* Rows */

static struct store_value text_value(const char *s)
{
    struct store_value v = {.type = STORE_TEXT, .ptr = s, .len = strlen(s)};
    return v;
}

static struct store_value int_value(int64_t i)
{
    struct store_value v = {.type = STORE_INTEGER, .i = i};
    return v;
}

static struct store_value real_value(double d)
{
    struct store_value v = {.type = STORE_REAL, .d = d};
    return v;
}

static struct store_value null_value(enum store_type type)
{
    struct store_value v = {.type = type, .is_null = true};
    return v;
}

/* Checking pages */

static size_t count_of(const char *haystack, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(haystack, needle); p != NULL; p = strstr(p + 1, needle)) {
        n++;
    }
    return n;
}

static void assert_contains(const char *html, const char *needle)
{
    if (strstr(html, needle) == NULL) {
        fail_msg("page lacks \"%s\"", needle);
    }
}

static void assert_lacks(const char *html, const char *needle)
{
    if (strstr(html, needle) != NULL) {
        fail_msg("page has \"%s\"", needle);
    }
}

static bool is_one_of(const char *name, size_t len, const char *const *list)
{
    for (size_t i = 0; list[i] != NULL; i++) {
        if (strlen(list[i]) == len && strncmp(list[i], name, len) == 0) {
            return true;
        }
    }
    return false;
}

/* Every '<' opens or closes a tag this code writes, and the tags nest. An escaped '<' from
 * the data would be "&lt;"; a raw one would show up here as an unknown or unbalanced tag. */
static void assert_well_formed(const char *html)
{
    static const char *const known[] = {
        "html",   "head", "meta", "title", "style", "body",  "a",  "header", "nav",
        "ol",     "li",   "main", "h1",    "h2",    "h3",    "p",  "ul",     "dl",
        "dt",     "dd",   "div",  "table", "thead", "tbody", "tr", "th",     "td",
        "footer", "pre",  "code", "span",  "br",    NULL};
    static const char *const empty[] = {"meta", "br", NULL};
    const char *open[64];
    size_t open_len[64], depth = 0;
    assert_true(strncmp(html, "<!doctype html>\n", 16) == 0);
    for (const char *p = strchr(html + 16, '<'); p != NULL; p = strchr(p, '<')) {
        bool is_closing = p[1] == '/';
        const char *name = p + 1 + is_closing;
        size_t len = strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789");
        if (!is_one_of(name, len, known)) {
            fail_msg("unknown tag at \"%.40s\"", p);
        }
        const char *end = strchr(p, '>');
        assert_non_null(end);
        if (!is_closing && len == 5 && strncmp(name, "style", 5) == 0) {
            p = strstr(end, "</style>") + 8; /* CSS is no markup */
            continue;
        }
        if (is_closing) {
            assert_true(depth > 0);
            depth--;
            if (open_len[depth] != len || strncmp(open[depth], name, len) != 0) {
                fail_msg("</%.*s> closes <%.*s>", (int)len, name, (int)open_len[depth],
                         open[depth]);
            }
        } else if (!is_one_of(name, len, empty)) {
            assert_true(depth < 64);
            open[depth] = name;
            open_len[depth++] = len;
        }
        p = end + 1;
    }
    assert_int_equal(depth, 0);
}

/* Runs a page function into a fresh buf and checks the result is well formed. */
static char *take_page(struct buf *b, int rc, const struct err *err)
{
    if (rc != ERR_OK) {
        fail_msg("page failed (%d): %s", rc, err->msg);
    }
    char *html = buf_take(b);
    assert_well_formed(html);
    return html;
}

static char *collections_page(const struct request *req, const struct store_layer *layers, size_t n,
                              enum http_lang lang)
{
    struct store_catalog cat = {
        .layers = layers, .n_layers = n, .generation = 1, .updated_at = "2026-11-22T10:00:00Z"};
    struct buf b;
    buf_init(&b, PAGE_CAP);
    struct err err;
    return take_page(&b, html_collections_page(req, &cat, lang, &b, &err), &err);
}

static char *collection_page(const struct request *req, const struct store_layer *layer,
                             enum http_lang lang)
{
    struct buf b;
    buf_init(&b, PAGE_CAP);
    struct err err;
    return take_page(&b, html_collection_page(req, layer, lang, &b, &err), &err);
}

static char *items_page(const struct request *req, const struct store_layer *layer,
                        const struct html_items_info *info, const struct store_feature *rows,
                        size_t n_rows, enum http_lang lang)
{
    struct buf b;
    buf_init(&b, PAGE_CAP);
    struct err err;
    int rc = html_items_begin(req, layer, info, lang, &b, &err);
    for (size_t i = 0; rc == ERR_OK && i < n_rows; i++) {
        rc = html_items_row(req, layer, info, &rows[i], &b, &err);
    }
    if (rc == ERR_OK) {
        rc = html_items_end(req, layer, info, lang, &b, &err);
    }
    return take_page(&b, rc, &err);
}

static char *item_page(const struct request *req, const struct store_layer *layer,
                       const struct store_feature *row, enum http_lang lang)
{
    struct buf b;
    buf_init(&b, PAGE_CAP);
    struct err err;
    return take_page(&b, html_item_page(req, layer, row, lang, &b, &err), &err);
}

/* Layout */

static void counts_have_thousands_separators(void **state)
{
    (void)state;
    char text[HTML_LAYOUT_COUNT_CAP];
    const struct {
        int64_t n;
        const char *text;
    } cases[] = {{0, "0"},
                 {7, "7"},
                 {999, "999"},
                 {1000, "1,000"},
                 {5412, "5,412"},
                 {1234567, "1,234,567"},
                 {-1234, "-1,234"},
                 {-999, "-999"},
                 {INT64_MAX, "9,223,372,036,854,775,807"},
                 {INT64_MIN, "-9,223,372,036,854,775,808"}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t len = html_layout_count(cases[i].n, text);
        assert_string_equal(text, cases[i].text);
        assert_int_equal(len, strlen(cases[i].text));
    }
}

static void links_are_absolute_and_keep_the_chosen_language(void **state)
{
    (void)state;
    struct request req;
    init_request(&req, "/collections");
    char *href = html_layout_href(&req, "/collections/a b\"<", "html");
    assert_string_equal(href, "http://test/collections/a%20b%22%3C?f=html");
    free(href);
    add_param(&req, "lang", "th");
    href = html_layout_href(&req, "/collections", "html");
    assert_string_equal(href, "http://test/collections?f=html&lang=th");
    free(href);
    href = html_layout_href(&req, "/collections", "json");
    assert_string_equal(href, "http://test/collections?f=json");
    free(href);
}

static void language_switch_keeps_the_query_and_swaps_lang(void **state)
{
    (void)state;
    struct request req;
    init_request(&req, "/collections/cm-districts/items");
    add_param(&req, "f", "html");
    add_param(&req, "limit", "10");
    struct store_layer layer = district_layer();
    char *html = collection_page(&req, &layer, HTTP_LANG_EN);
    assert_contains(html, "href=\"http://test/collections/cm-districts/items?f=html&amp;limit=10"
                          "&amp;lang=th\" class=\"lang\" hreflang=\"th\" lang=\"th\">ภาษาไทย</a>");
    free(html);
    add_param(&req, "lang", "th");
    html = collection_page(&req, &layer, HTTP_LANG_TH);
    assert_contains(html, "<html lang=\"th\">");
    assert_contains(html, "f=html&amp;limit=10&amp;lang=en\" class=\"lang\" hreflang=\"en\" "
                          "lang=\"en\">English</a>");
    free(html);
}

static void page_skeleton_is_phone_ready_and_self_contained(void **state)
{
    (void)state;
    struct request req;
    init_request(&req, "/collections");
    struct store_layer layer = district_layer();
    char *html = collections_page(&req, &layer, 1, HTTP_LANG_EN);
    assert_contains(html, "<html lang=\"en\">");
    assert_contains(html, "<meta charset=\"utf-8\">");
    assert_contains(html, "<meta name=\"viewport\" content=\"width=device-width, "
                          "initial-scale=1\">");
    assert_contains(html, "\"Noto Sans Thai\"");
    assert_contains(html, "\"Sarabun\"");
    assert_contains(html, "overflow-x:auto");
    assert_contains(html, "min-height:44px");
    assert_contains(html, "<footer>");
    assert_contains(html, "href=\"http://test/collections?f=json\"");
    assert_lacks(html, "<script");
    assert_lacks(html, "src=");
    assert_lacks(html, "@import");
    assert_int_equal(count_of(html, "<h1>"), 1);
    free(html);
}

/* Collections */

static void collections_are_grouped_by_theme_with_counts_and_links(void **state)
{
    (void)state;
    struct request req;
    init_request(&req, "/collections");
    struct store_layer layers[3] = {district_layer(), district_layer(), road_layer()};
    layers[1].id = "cm-province";
    layers[1].feature_count = 1;
    layers[1].geometry_type = NULL;
    char *html = collections_page(&req, layers, 3, HTTP_LANG_EN);
    assert_int_equal(count_of(html, "<h2>"), 2);
    const char *boundaries = strstr(html, "<h2>Boundaries</h2>");
    const char *transport = strstr(html, "<h2>Transport</h2>");
    assert_non_null(boundaries);
    assert_non_null(transport);
    assert_true(boundaries < transport);
    assert_int_equal(count_of(html, "<li><h3>"), 3);
    assert_contains(html, "3 collections, grouped by theme.");
    assert_contains(html, "5,412 features · Groups of polygons");
    assert_contains(html, "1 feature · None (a table)");
    assert_contains(html, "1 feature · Lines");
    assert_contains(html, "<a href=\"http://test/collections/cm-districts?f=html\">Chiang Mai "
                          "districts</a>");
    assert_contains(html, "href=\"http://test/collections/cm-districts/items?f=html\"");
    assert_contains(html, "href=\"http://test/collections/cm-districts/items?f=json\"");
    assert_contains(html, "href=\"http://test/collections/cm-roads/items?f=csv\"");
    assert_contains(html, "<li><a href=\"http://test/?f=html\">Home</a></li>"
                          "<li aria-current=\"page\">Collections</li>");
    free(html);
}

static void collections_page_speaks_thai(void **state)
{
    (void)state;
    struct request req;
    init_request(&req, "/collections");
    struct store_layer layers[2] = {district_layer(), road_layer()};
    char *html = collections_page(&req, layers, 2, HTTP_LANG_TH);
    assert_contains(html, "<html lang=\"th\">");
    assert_contains(html, "<h1>ชุดข้อมูล</h1>");
    assert_contains(html, "<h2>ขอบเขตการปกครอง</h2>");
    assert_contains(html, "<h2>การคมนาคม</h2>");
    assert_contains(html, ">อำเภอในจังหวัดเชียงใหม่</a>");
    assert_contains(html, "<p>ขอบเขต 25 อำเภอ</p>");
    assert_contains(html, "5,412 รายการ");
    assert_contains(html, "ดาวน์โหลด:");
    assert_contains(html, "ชุดข้อมูลทั้งหมด 2 ชุด");
    assert_lacks(html, "Chiang Mai districts");
    free(html);
}

static void collections_page_says_when_nothing_is_imported(void **state)
{
    (void)state;
    struct request req;
    init_request(&req, "/collections");
    char *html = collections_page(&req, NULL, 0, HTTP_LANG_EN);
    assert_contains(html, "No data has been imported yet.");
    assert_int_equal(count_of(html, "<h2>"), 0);
    free(html);
}

static void hostile_catalog_text_is_escaped(void **state)
{
    (void)state;
    struct request req;
    init_request(&req, "/collections");
    struct store_layer layer = district_layer();
    layer.title_en = HOSTILE;
    layer.description_en = HOSTILE;
    layer.theme = HOSTILE;
    char *html = collections_page(&req, &layer, 1, HTTP_LANG_EN);
    assert_lacks(html, "<script");
    assert_lacks(html, "'q'");
    assert_contains(html, "<h2>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; "
                          "&#39;q&#39;</h2>");
    assert_contains(html, "<title>Collections · cityatlas</title>");
    free(html);
}

/* One collection */

static void collection_page_lists_metadata_fields_crs_and_links(void **state)
{
    (void)state;
    struct request req;
    init_request(&req, "/collections/cm-districts");
    struct store_layer layer = district_layer();
    char *html = collection_page(&req, &layer, HTTP_LANG_EN);
    assert_contains(html, "<h1>Chiang Mai districts</h1>");
    assert_contains(html, "<p>The 25 districts.</p>");
    assert_contains(html, "<dt>Source</dt><dd><a href=\"https://example.org/source\" "
                          "rel=\"external\">Royal Thai Survey Department</a></dd>");
    assert_contains(html, "<dt>Licence</dt><dd>CC-BY-IGO-3.0</dd>");
    assert_contains(html, "<dt>Credit</dt><dd>RTSD via HDX</dd>");
    assert_contains(html, "<dt>Features</dt><dd>5,412</dd>");
    assert_contains(html, "west 98, south 17.25, east 99.5, north 20.125 (degrees, WGS 84)");
    assert_contains(html, "<dt>Imported</dt><dd>2026-11-22 10:00 UTC</dd>");
    /* header row + one row per field */
    assert_int_equal(count_of(html, "<tr>"), 1 + 3);
    assert_contains(html, "<tr><td>population</td><td>Integer</td><td>Integer64</td></tr>");
    assert_contains(html, "<code>http://www.opengis.net/def/crs/EPSG/0/32647</code>");
    assert_contains(html, "href=\"http://test/collections/cm-districts/queryables?f=html\"");
    assert_contains(html, "href=\"http://test/collections/cm-districts/schema?f=json\"");
    assert_contains(html, "href=\"http://test/collections/cm-districts/items?f=html\"");
    assert_contains(html, "<li><a href=\"http://test/collections?f=html\">Collections</a></li>"
                          "<li aria-current=\"page\">Chiang Mai districts</li>");
    free(html);
}

static void collection_page_in_thai_keeps_thai_metadata(void **state)
{
    (void)state;
    struct request req;
    init_request(&req, "/collections/cm-districts");
    add_param(&req, "lang", "th");
    struct store_layer layer = district_layer();
    layer.attribution = "กรมแผนที่ทหาร";
    char *html = collection_page(&req, &layer, HTTP_LANG_TH);
    assert_contains(html, "<h1>อำเภอในจังหวัดเชียงใหม่</h1>");
    assert_contains(html, "<dd>กรมแผนที่ทหาร</dd>");
    assert_contains(html, "<dt>จำนวนรายการ</dt>");
    assert_contains(html, "<td>จำนวนเต็ม</td>");
    assert_contains(html, "href=\"http://test/collections/cm-districts/items?f=html&amp;lang=th\"");
    free(html);
}

static void collection_source_links_only_to_web_addresses(void **state)
{
    (void)state;
    struct request req;
    init_request(&req, "/collections/cm-districts");
    struct store_layer layer = district_layer();
    layer.source_url = "javascript:alert(1)";
    layer.source = NULL;
    layer.license = NULL;
    layer.has_extent = false;
    char *html = collection_page(&req, &layer, HTTP_LANG_EN);
    assert_lacks(html, "href=\"javascript");
    assert_contains(html, "<dt>Source</dt><dd>javascript:alert(1)</dd>");
    assert_lacks(html, "<dt>Licence</dt>");
    assert_lacks(html, "<dt>Extent</dt>");
    free(html);
}

static void hostile_field_names_and_ids_are_escaped(void **state)
{
    (void)state;
    struct request req;
    init_request(&req, "/collections/x");
    struct store_field_info fields[1] = {{HOSTILE, STORE_TEXT, HOSTILE}};
    struct store_layer layer = district_layer();
    layer.id = "a\"b <c>";
    layer.fields = fields;
    layer.n_fields = 1;
    layer.source = HOSTILE;
    layer.license = HOSTILE;
    char *html = collection_page(&req, &layer, HTTP_LANG_EN);
    assert_lacks(html, "<script");
    assert_lacks(html, "<c>");
    assert_contains(html, "http://test/collections/a%22b%20%3Cc%3E?f=json");
    assert_contains(html, "<dd>a&quot;b &lt;c&gt;</dd>");
    free(html);
}

/* Items */

static void items_page_has_a_row_per_feature_and_paging_links(void **state)
{
    (void)state;
    struct request req;
    init_request(&req, "/collections/cm-districts/items");
    struct store_layer layer = district_layer();
    struct store_value values[3][3] = {
        {text_value("Mueang"), int_value(234837), real_value(152.5)},
        {text_value("Hang Dong"), int_value(91000), real_value(0.1)},
        {text_value("ฝาง"), int_value(-3), real_value(1e20)},
    };
    struct store_feature rows[3];
    for (size_t i = 0; i < 3; i++) {
        rows[i] =
            (struct store_feature){.fid = 101 + (int64_t)i, .values = values[i], .n_values = 3};
    }
    struct html_items_info info = {
        .number_matched = 5412,
        .number_returned = 3,
        .offset = 100,
        .limit = 3,
        .next_href = "http://test/collections/cm-districts/items?f=html&offset=103",
        .prev_href = "http://test/collections/cm-districts/items?f=html&offset=97",
        .json_href = "http://test/collections/cm-districts/items?f=json&offset=100",
        .csv_href = "http://test/collections/cm-districts/items?f=csv&offset=100"};
    char *html = items_page(&req, &layer, &info, rows, 3, HTTP_LANG_EN);
    assert_int_equal(count_of(html, "<tr>"), 3 + 1);
    assert_contains(html, "Features 101–103 of 5,412");
    assert_int_equal(count_of(html, "rel=\"next\""), 2);
    assert_int_equal(count_of(html, "rel=\"prev\""), 2);
    assert_contains(html, "<a href=\"http://test/collections/cm-districts/items?f=html&amp;"
                          "offset=103\" rel=\"next\">Next page →</a>");
    assert_contains(html, "items?f=csv&amp;offset=100\" type=\"text/csv\">CSV</a>");
    assert_contains(html, "<thead><tr><th scope=\"col\">ID</th><th scope=\"col\">name</th>"
                          "<th scope=\"col\">population</th><th scope=\"col\">area_km2</th>"
                          "<th scope=\"col\">Geometry</th></tr></thead>");
    assert_contains(html, "<tr><td class=\"num\"><a href=\"http://test/collections/"
                          "cm-districts/items/101?f=html\">101</a></td><td>Mueang</td>"
                          "<td class=\"num\">234837</td><td class=\"num\">152.5</td>");
    assert_contains(html, "<td>ฝาง</td><td class=\"num\">-3</td><td class=\"num\">1e+20</td>");
    assert_contains(html, "<title>Chiang Mai districts – Items · cityatlas</title>");
    assert_contains(html, "<li><a href=\"http://test/collections/cm-districts?f=html\">Chiang "
                          "Mai districts</a></li><li aria-current=\"page\">Items</li>");
    free(html);
}

static void item_links_keep_lang_only_when_the_request_named_it(void **state)
{
    (void)state;
    struct request req;
    init_request(&req, "/collections/cm-districts/items");
    add_param(&req, "lang", "th");
    struct store_layer layer = district_layer();
    struct store_value values[3] = {text_value("x"), int_value(1), real_value(2)};
    struct store_feature row = {.fid = 7, .values = values, .n_values = 3};
    struct html_items_info info = {.number_matched = 1, .number_returned = 1, .limit = 10};
    char *html = items_page(&req, &layer, &info, &row, 1, HTTP_LANG_TH);
    assert_contains(html, "href=\"http://test/collections/cm-districts/items/7?f=html&amp;"
                          "lang=th\">7</a>");
    assert_contains(html, "รายการที่ 1 จากทั้งหมด 1 รายการ");
    assert_contains(html, "<th scope=\"col\">รหัส</th>");
    assert_lacks(html, "rel=\"next\"");
    free(html);
    init_request(&req, "/collections/cm-districts/items");
    html = items_page(&req, &layer, &info, &row, 1, HTTP_LANG_TH);
    assert_contains(html, "href=\"http://test/collections/cm-districts/items/7?f=html\">7</a>");
    assert_lacks(html, "lang=th&");
    free(html);
}

static void items_show_only_the_chosen_properties_in_their_order(void **state)
{
    (void)state;
    struct request req;
    init_request(&req, "/collections/cm-districts/items");
    struct store_layer layer = district_layer();
    const size_t properties[2] = {2, 0};
    struct store_value values[2] = {real_value(3.25), text_value("Mae Rim")};
    struct store_feature row = {.fid = 1, .values = values, .n_values = 2};
    struct html_items_info info = {.number_matched = 1,
                                   .number_returned = 1,
                                   .limit = 10,
                                   .properties = properties,
                                   .n_properties = 2};
    char *html = items_page(&req, &layer, &info, &row, 1, HTTP_LANG_EN);
    assert_contains(html, "<th scope=\"col\">ID</th><th scope=\"col\">area_km2</th>"
                          "<th scope=\"col\">name</th><th scope=\"col\">Geometry</th>");
    assert_lacks(html, "population");
    assert_contains(html, "<td class=\"num\">3.25</td><td>Mae Rim</td>");
    free(html);
}

static void null_values_and_missing_geometry_show_as_dashes(void **state)
{
    (void)state;
    struct request req;
    init_request(&req, "/collections/cm-districts/items");
    struct store_layer layer = district_layer();
    struct store_value values[3] = {null_value(STORE_TEXT), null_value(STORE_INTEGER),
                                    null_value(STORE_REAL)};
    struct store_feature row = {.fid = 9, .values = values, .n_values = 3};
    struct html_items_info info = {.number_matched = 1, .number_returned = 1, .limit = 10};
    char *html = items_page(&req, &layer, &info, &row, 1, HTTP_LANG_EN);
    assert_int_equal(count_of(html, "<td class=\"null\">—</td>"), 4);
    free(html);
}

static void rows_name_their_geometry_type(void **state)
{
    (void)state;
    struct request req;
    init_request(&req, "/collections/cm-roads/items");
    struct store_layer layer = road_layer();
    const double line[4] = {98.98, 18.78, 99.0, 18.8};
    struct blob b;
    make_blob(&b, 2, line, 2);
    struct store_value values[3] = {text_value("Nimman"), int_value(0), real_value(0)};
    struct store_feature row = {
        .fid = 1, .geom = b.bytes, .geom_len = b.len, .values = values, .n_values = 3};
    struct html_items_info info = {.number_matched = 1, .number_returned = 1, .limit = 10};
    char *html = items_page(&req, &layer, &info, &row, 1, HTTP_LANG_EN);
    assert_contains(html, "<td class=\"num\">0</td><td>LineString</td></tr>");
    free(html);
}

static void hostile_values_and_property_names_are_escaped_in_rows(void **state)
{
    (void)state;
    struct request req;
    init_request(&req, "/collections/cm-districts/items");
    struct store_field_info fields[2] = {{HOSTILE, STORE_TEXT, "String"},
                                         {"note", STORE_TEXT, "String"}};
    struct store_layer layer = district_layer();
    layer.fields = fields;
    layer.n_fields = 2;
    layer.geometry_type = NULL;
    struct store_value values[2] = {text_value(HOSTILE), text_value("a<b>c\"d'e&f")};
    struct store_feature row = {.fid = 1, .values = values, .n_values = 2};
    struct html_items_info info = {.number_matched = 1, .number_returned = 1, .limit = 10};
    char *html = items_page(&req, &layer, &info, &row, 1, HTTP_LANG_EN);
    assert_lacks(html, "<script");
    assert_lacks(html, "<b>");
    assert_contains(html, "<td>a&lt;b&gt;c&quot;d&#39;e&amp;f</td>");
    assert_int_equal(count_of(html, "&lt;script&gt;alert(&quot;x&quot;)"), 2);
    assert_lacks(html, ">Geometry</th>"); /* an attribute table has no geometry column */
    free(html);
}

static void empty_pages_say_why(void **state)
{
    (void)state;
    struct request req;
    init_request(&req, "/collections/cm-districts/items");
    struct store_layer layer = district_layer();
    struct html_items_info none = {.number_matched = 0, .number_returned = 0, .limit = 10};
    char *html = items_page(&req, &layer, &none, NULL, 0, HTTP_LANG_EN);
    assert_contains(html, "No features match.");
    assert_int_equal(count_of(html, "<tr>"), 1);
    free(html);
    html = items_page(&req, &layer, &none, NULL, 0, HTTP_LANG_TH);
    assert_contains(html, "ไม่พบข้อมูลที่ตรงกับเงื่อนไข");
    free(html);
    struct html_items_info past_end = {
        .number_matched = 5412, .number_returned = 0, .offset = 9000, .limit = 10};
    html = items_page(&req, &layer, &past_end, NULL, 0, HTTP_LANG_EN);
    assert_contains(html, "No features on this page (5,412 in all)");
    free(html);
    struct html_items_info uncounted = {.number_matched = -1, .number_returned = 2, .limit = 2};
    struct store_value values[3] = {text_value("x"), int_value(1), real_value(2)};
    struct store_feature rows[2] = {{.fid = 1, .values = values, .n_values = 3},
                                    {.fid = 2, .values = values, .n_values = 3}};
    html = items_page(&req, &layer, &uncounted, rows, 2, HTTP_LANG_EN);
    assert_contains(html, "<p class=\"summary\">Features 1–2</p>");
    free(html);
}

static void rows_that_do_not_match_their_columns_are_refused(void **state)
{
    (void)state;
    struct request req;
    init_request(&req, "/collections/cm-districts/items");
    struct store_layer layer = district_layer();
    struct store_value values[2] = {text_value("x"), int_value(1)};
    struct store_feature row = {.fid = 1, .values = values, .n_values = 2};
    struct html_items_info info = {.number_matched = 1, .number_returned = 1, .limit = 10};
    struct buf b;
    buf_init(&b, PAGE_CAP);
    struct err err;
    assert_int_equal(html_items_row(&req, &layer, &info, &row, &b, &err), ERR_INTERNAL);
    const size_t bad[1] = {3};
    info.properties = bad;
    info.n_properties = 1;
    assert_int_equal(html_items_begin(&req, &layer, &info, HTTP_LANG_EN, &b, &err), ERR_INTERNAL);
    unsigned char junk[16] = {0};
    struct store_value all[3] = {text_value("x"), int_value(1), real_value(2)};
    struct store_feature broken = {
        .fid = 5, .geom = junk, .geom_len = sizeof(junk), .values = all, .n_values = 3};
    info.properties = NULL;
    /* A damaged geometry is the database's fault, named with its layer and fid. */
    assert_int_equal(html_items_row(&req, &layer, &info, &broken, &b, &err), ERR_DB);
    assert_non_null(strstr(err.msg, "feature 5"));
    assert_non_null(strstr(err.msg, "damaged database: layer '"));
    buf_clear(&b);
}

static void pages_past_the_cap_fail_as_too_large(void **state)
{
    (void)state;
    struct request req;
    init_request(&req, "/collections");
    struct store_layer layer = district_layer();
    struct store_catalog cat = {.layers = &layer, .n_layers = 1};
    struct buf b;
    buf_init(&b, 512);
    struct err err;
    assert_int_equal(html_collections_page(&req, &cat, HTTP_LANG_EN, &b, &err), ERR_TOO_LARGE);
    buf_clear(&b);
    buf_init(&b, 512);
    assert_int_equal(html_collection_page(&req, &layer, HTTP_LANG_TH, &b, &err), ERR_TOO_LARGE);
    buf_clear(&b);
}

/* One item */

static void item_page_shows_properties_geometry_and_links(void **state)
{
    (void)state;
    struct request req;
    init_request(&req, "/collections/cm-districts/items/42");
    struct store_layer layer = district_layer();
    const double point[2] = {98.9853, 18.7883};
    struct blob b;
    make_blob(&b, 1, point, 1);
    struct store_value values[3] = {text_value("เมืองเชียงใหม่"), null_value(STORE_INTEGER),
                                    real_value(152.5)};
    struct store_feature row = {
        .fid = 42, .geom = b.bytes, .geom_len = b.len, .values = values, .n_values = 3};
    char *html = item_page(&req, &layer, &row, HTTP_LANG_EN);
    assert_contains(html, "<h1>เมืองเชียงใหม่</h1>");
    assert_contains(html, "<p class=\"muted\">Feature 42 in <a href=\"http://test/collections/"
                          "cm-districts?f=html\">Chiang Mai districts</a></p>");
    assert_int_equal(count_of(html, "<tr>"), 1 + 3);
    assert_contains(html, "<tr><th scope=\"row\">population</th><td class=\"null\">—</td></tr>");
    assert_contains(html, "<pre class=\"wkt\">POINT (98.9853 18.7883)</pre>");
    assert_contains(html, "Coordinates in WGS 84 longitude/latitude (CRS84)");
    assert_contains(html, "href=\"http://test/collections/cm-districts/items/42?f=json\"");
    assert_contains(html, "<li><a href=\"http://test/collections/cm-districts/items?f=html\">"
                          "Items</a></li><li aria-current=\"page\">เมืองเชียงใหม่</li>");
    assert_lacks(html, "…");
    free(html);
}

static void item_page_without_a_name_is_titled_by_its_id_in_thai(void **state)
{
    (void)state;
    struct request req;
    init_request(&req, "/collections/cm-districts/items/42");
    add_param(&req, "lang", "th");
    struct store_layer layer = district_layer();
    struct store_value values[3] = {null_value(STORE_TEXT), int_value(5), real_value(1)};
    struct store_feature row = {.fid = 42, .values = values, .n_values = 3};
    char *html = item_page(&req, &layer, &row, HTTP_LANG_TH);
    assert_contains(html, "<h1>ข้อมูลหมายเลข 42</h1>");
    assert_contains(html, "<h2>รูปทรง</h2>\n<p>ข้อมูลนี้ไม่มีรูปทรง</p>");
    assert_contains(html, "href=\"http://test/collections/cm-districts/items?f=html&amp;"
                          "lang=th\">ข้อมูลทั้งหมดในชุดนี้</a>");
    free(html);
}

static void long_geometries_are_shortened_with_a_link_to_the_whole(void **state)
{
    (void)state;
    struct request req;
    init_request(&req, "/collections/cm-roads/items/3");
    struct store_layer layer = road_layer();
    double line[400];
    for (size_t i = 0; i < 200; i++) {
        line[2 * i] = 98.0 + (double)i * 0.001234567;
        line[2 * i + 1] = 18.0 + (double)i * 0.000987654;
    }
    struct blob b;
    make_blob(&b, 2, line, 200);
    struct store_value values[3] = {text_value("Long road"), int_value(0), real_value(0)};
    struct store_feature row = {
        .fid = 3, .geom = b.bytes, .geom_len = b.len, .values = values, .n_values = 3};
    char *html = item_page(&req, &layer, &row, HTTP_LANG_EN);
    const char *pre = strstr(html, "<pre class=\"wkt\">LINESTRING (98 18, ");
    assert_non_null(pre);
    const char *end = strstr(pre, "</pre>");
    assert_non_null(end);
    assert_true(end - pre < 450);
    /* cut after a whole coordinate pair, then the ellipsis */
    const char *ellipsis = ", …";
    size_t ellipsis_len = strlen(ellipsis);
    assert_memory_equal(end - ellipsis_len, ellipsis, ellipsis_len);
    assert_true(end[-ellipsis_len - 1] >= '0' && end[-ellipsis_len - 1] <= '9');
    assert_contains(html, "Shortened. The whole geometry: <a href=\"http://test/collections/"
                          "cm-roads/items/3?f=json\" type=\"application/geo+json\">GeoJSON</a>");
    free(html);
}

static void item_geometry_follows_the_requested_crs_axis_order(void **state)
{
    (void)state;
    struct request req;
    init_request(&req, "/collections/cm-districts/items/1");
    add_param(&req, "crs", "http://www.opengis.net/def/crs/EPSG/0/4326");
    struct store_layer layer = district_layer();
    const double point[2] = {98.9853, 18.7883};
    struct blob b;
    make_blob(&b, 1, point, 1);
    struct store_value values[3] = {text_value("x"), int_value(1), real_value(2)};
    struct store_feature row = {
        .fid = 1, .geom = b.bytes, .geom_len = b.len, .values = values, .n_values = 3};
    char *html = item_page(&req, &layer, &row, HTTP_LANG_EN);
    assert_contains(html, "POINT (18.7883 98.9853)");
    assert_contains(html, "WGS 84 latitude/longitude (EPSG:4326)");
    free(html);
}

static void item_page_refuses_a_subset_of_properties(void **state)
{
    (void)state;
    struct request req;
    init_request(&req, "/collections/cm-districts/items/1");
    struct store_layer layer = district_layer();
    struct store_value values[1] = {text_value("x")};
    struct store_feature row = {.fid = 1, .values = values, .n_values = 1};
    struct buf b;
    buf_init(&b, PAGE_CAP);
    struct err err;
    assert_int_equal(html_item_page(&req, &layer, &row, HTTP_LANG_EN, &b, &err), ERR_INTERNAL);
    add_param(&req, "properties", "name");
    assert_int_equal(html_item_page(&req, &layer, &row, HTTP_LANG_EN, &b, &err), ERR_INVALID);
    assert_non_null(strstr(err.msg, "properties"));
    buf_clear(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(counts_have_thousands_separators),
        cmocka_unit_test(links_are_absolute_and_keep_the_chosen_language),
        cmocka_unit_test(language_switch_keeps_the_query_and_swaps_lang),
        cmocka_unit_test(page_skeleton_is_phone_ready_and_self_contained),
        cmocka_unit_test(collections_are_grouped_by_theme_with_counts_and_links),
        cmocka_unit_test(collections_page_speaks_thai),
        cmocka_unit_test(collections_page_says_when_nothing_is_imported),
        cmocka_unit_test(hostile_catalog_text_is_escaped),
        cmocka_unit_test(collection_page_lists_metadata_fields_crs_and_links),
        cmocka_unit_test(collection_page_in_thai_keeps_thai_metadata),
        cmocka_unit_test(collection_source_links_only_to_web_addresses),
        cmocka_unit_test(hostile_field_names_and_ids_are_escaped),
        cmocka_unit_test(items_page_has_a_row_per_feature_and_paging_links),
        cmocka_unit_test(item_links_keep_lang_only_when_the_request_named_it),
        cmocka_unit_test(items_show_only_the_chosen_properties_in_their_order),
        cmocka_unit_test(null_values_and_missing_geometry_show_as_dashes),
        cmocka_unit_test(rows_name_their_geometry_type),
        cmocka_unit_test(hostile_values_and_property_names_are_escaped_in_rows),
        cmocka_unit_test(empty_pages_say_why),
        cmocka_unit_test(rows_that_do_not_match_their_columns_are_refused),
        cmocka_unit_test(pages_past_the_cap_fail_as_too_large),
        cmocka_unit_test(item_page_shows_properties_geometry_and_links),
        cmocka_unit_test(item_page_without_a_name_is_titled_by_its_id_in_thai),
        cmocka_unit_test(long_geometries_are_shortened_with_a_link_to_the_whole),
        cmocka_unit_test(item_geometry_follows_the_requested_crs_axis_order),
        cmocka_unit_test(item_page_refuses_a_subset_of_properties),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
