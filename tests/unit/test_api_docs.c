/* test_api_docs.c - the service documents of the HTTP API (http/handlers/api_landing.c,
 * api_openapi.c, api_queryables.c), called through server_handle() on a real database:
 * landing page, conformance, OpenAPI document (with the statistics routes checked against
 * the parser of their parameters and the documents they answer), queryables and schema, in
 * JSON and HTML, English and Thai, with their errors and validators. */
#include "unit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <sqlite3.h>
#include <spatialite.h>

#include "http/server/routes.h"
#include "http/transport/request.h"
#include "http/transport/response.h"
#include "http/server/dispatch.h"
#include "http/server/server.h"
#include "stats/stats.h"
#include "stats/stats_cache.h"
#include "store/store.h"
#include "store/store_read.h"

#include "unit_fixtures.h"
#include "unit_support.c"

#define HOSTILE_TITLE "<script>alert('x')</script> & \"co\""

static char dir_path[128];
static char db_path[256];
static struct http_app app;

static const struct store_field point_fields[] = {
    {.name = "name", .type = STORE_TEXT, .source_type = "String"},
    {.name = "n", .type = STORE_INTEGER, .source_type = "Integer64"},
    {.name = "score", .type = STORE_REAL, .source_type = "Real"},
    {.name = "day", .type = STORE_TEXT, .source_type = "Date"},
    {.name = "seen", .type = STORE_TEXT, .source_type = "DateTime"},
    {.name = "raw", .type = STORE_BLOB, .source_type = "Binary"},
    /* Same name as a standard items parameter: it cannot also be a property filter. */
    {.name = "limit", .type = STORE_INTEGER, .source_type = "Integer"},
};
#define N_POINT_FIELDS (sizeof(point_fields) / sizeof(point_fields[0]))

static const struct store_field table_fields[] = {
    {.name = "label", .type = STORE_TEXT, .source_type = "String"},
};

/* Little-endian ISO WKB of a 2D point. */
static void point_wkb(double x, double y, unsigned char out[21])
{
    out[0] = 1;
    uint32_t type = 1;
    memcpy(out + 1, &type, 4);
    memcpy(out + 5, &x, 8);
    memcpy(out + 13, &y, 8);
}

static int add_points(struct store_layer_writer *w, struct err *e)
{
    int rc = ERR_OK;
    for (int i = 0; rc == ERR_OK && i < 3; i++) {
        unsigned char wkb[21];
        point_wkb(98.98 + 0.01 * i, 18.79, wkb);
        struct store_value v[N_POINT_FIELDS] = {
            {.ptr = "วัด", .len = strlen("วัด")},
            {.i = i},
            {.d = 1.5 * i},
            {.ptr = "2026-01-01", .len = 10},
            {.ptr = "2026-01-01T10:00:00Z", .len = 20},
            {.ptr = "\x01\x02", .len = 2},
            {.i = i},
        };
        rc = store_layer_add(w, v, wkb, sizeof(wkb), e);
    }
    return rc;
}

static int add_rows(struct store_layer_writer *w, struct err *e)
{
    struct store_value v[1] = {{.ptr = "a", .len = 1}};
    return store_layer_add(w, v, NULL, 0, e);
}

static int write_layer(struct store *st, const char *id, const char *title_en, const char *title_th,
                       const struct store_field *fields, size_t n_fields, bool has_geometry,
                       struct err *e)
{
    struct store_layer_writer *w = NULL;
    int rc = store_layer_begin(st, id, id, NULL, false, fields, n_fields, has_geometry, &w, e);
    if (rc == ERR_OK) {
        rc = has_geometry ? add_points(w, e) : add_rows(w, e);
    }
    if (rc == ERR_OK) {
        struct store_layer_meta meta = {.id = id,
                                        .title_en = title_en,
                                        .title_th = title_th,
                                        .source_path = id,
                                        .has_extent = has_geometry,
                                        .min_lon = 98.98,
                                        .min_lat = 18.79,
                                        .max_lon = 99.0,
                                        .max_lat = 18.79};
        rc = store_layer_finish(w, &meta, e);
    }
    store_layer_writer_free(w);
    return rc;
}

#define CITY_PROFILE                                                                               \
    "{\"id\":\"testtown\",\"title\":{\"th\":\"ทดสอบ\",\"en\":\"Testtown\"},"             \
    "\"extent\":{\"layer\":\"points\",\"margin\":0.5},\"default_layers\":[\"points\"],"            \
    "\"branding\":{\"name\":{\"en\":\"Testtown data\"}}}"

static int make_database(struct err *e)
{
    struct store *st = NULL;
    int rc = store_open(db_path, STORE_READ_WRITE, &st, e);
    if (rc == ERR_OK) {
        rc = store_import_begin(st, e);
    }
    if (rc == ERR_OK) {
        rc = write_layer(st, "points", "Points", "จุด", point_fields, N_POINT_FIELDS, true, e);
    }
    if (rc == ERR_OK) {
        rc = write_layer(st, "table", HOSTILE_TITLE, NULL, table_fields, 1, false, e);
    }
    if (rc == ERR_OK) {
        /* The extent comes from the layer "points" plus the margin. */
        rc = store_city_replace(st, CITY_PROFILE, e);
    }
    if (rc == ERR_OK) {
        rc = store_import_commit(st, e);
    }
    store_close(st);
    return rc;
}

static int group_setup(void **state)
{
    (void)state;
    unit_temp_db(dir_path, sizeof(dir_path), db_path, sizeof(db_path));
    struct err e;
    if (make_database(&e) != ERR_OK || store_pool_open(db_path, 2, &app.pool, &e) != ERR_OK) {
        fprintf(stderr, "test database: %s\n", e.msg);
        return -1;
    }
    app.base_url = "http://test";
    app.max_limit = 5000;
    app.default_limit = 100;
    app.stats_cache = stats_cache_new(16 * 1024 * 1024);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    stats_cache_free(app.stats_cache);
    store_pool_close(app.pool);
    return unit_remove_dir(dir_path);
}

/* One request through server_handle, as server.c makes it, without a socket. */
struct call {
    struct request req;
    struct response resp;
    char *query; /* the parameters point into this copy */
    const char *body;
    json_t *json; /* the body parsed, when it is JSON */
};

static void split_query(struct call *c)
{
    for (char *p = c->query; *p != '\0' && c->req.n_params < REQUEST_MAX_PARAMS;) {
        char *amp = strchr(p, '&');
        char *end = amp != NULL ? amp : p + strlen(p);
        char *eq = memchr(p, '=', (size_t)(end - p));
        struct http_param *param = &c->req.params[c->req.n_params++];
        param->name = p;
        param->value = eq != NULL ? eq + 1 : end;
        if (eq != NULL) {
            *eq = '\0';
        }
        p = amp != NULL ? amp + 1 : end;
        *end = '\0';
    }
}

static void call_get(struct call *c, const char *path, const char *query, const char *if_none_match)
{
    memset(c, 0, sizeof(*c));
    c->req.app = &app;
    c->req.method = HTTP_GET;
    c->req.method_name = "GET";
    c->req.path = path;
    c->req.raw_query = query;
    c->req.if_none_match = if_none_match;
    c->req.base_url = strdup(app.base_url);
    c->query = strdup(query);
    split_query(c);
    response_init(&c->resp);
    server_handle(&c->req, &c->resp);
    c->body = c->resp.body.data != NULL ? c->resp.body.data : "";
    if (c->resp.body.len > 0 && strstr(c->resp.content_type, "json") != NULL) {
        json_error_t error;
        c->json = json_loads(c->body, 0, &error);
        if (c->json == NULL) {
            fail_msg("%s?%s: not JSON (%s): %.200s", path, query, error.text, c->body);
        }
    }
}

static void call_end(struct call *c)
{
    json_decref(c->json);
    response_clear(&c->resp);
    store_read_end(c->req.rd);
    free(c->req.base_url);
    request_free_path_params(&c->req);
    free(c->query);
}

static const char *str_at(json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

/* The link of rel in a links array, or NULL. */
static json_t *find_link(json_t *links, const char *rel)
{
    size_t i;
    json_t *link;
    json_array_foreach(links, i, link)
    {
        if (strcmp(str_at(link, "rel"), rel) == 0) {
            return link;
        }
    }
    return NULL;
}

static void landing_links_are_absolute_and_complete(void **state)
{
    (void)state;
    struct call c;
    call_get(&c, "/", "", NULL);
    assert_int_equal(c.resp.status, 200);
    assert_string_equal(c.resp.content_type, RESPONSE_TYPE_JSON);
    assert_string_equal(str_at(c.json, "title"), "cityatlas — Testtown city data");
    json_t *links = json_object_get(c.json, "links");
    const char *rels[] = {"self",        "alternate",   "service-desc",
                          "service-doc", "conformance", "data"};
    for (size_t i = 0; i < sizeof(rels) / sizeof(rels[0]); i++) {
        json_t *link = find_link(links, rels[i]);
        if (link == NULL) {
            fail_msg("no %s link", rels[i]);
        }
        assert_true(strncmp(str_at(link, "href"), "http://test/", 12) == 0);
        assert_non_null(str_at(link, "title"));
    }
    assert_string_equal(str_at(find_link(links, "service-desc"), "href"), "http://test/api");
    assert_string_equal(str_at(find_link(links, "service-desc"), "type"), RESPONSE_TYPE_OPENAPI);
    assert_string_equal(str_at(find_link(links, "service-doc"), "href"), "http://test/api?f=html");
    assert_string_equal(str_at(find_link(links, "data"), "href"), "http://test/collections");
    assert_string_equal(str_at(find_link(links, "self"), "type"), RESPONSE_TYPE_JSON);
    assert_string_equal(str_at(find_link(links, "alternate"), "type"), "text/html");
    call_end(&c);
}

static void landing_title_follows_the_language(void **state)
{
    (void)state;
    struct call c;
    call_get(&c, "/", "lang=th", NULL);
    assert_int_equal(c.resp.status, 200);
    assert_string_equal(str_at(c.json, "title"), "cityatlas — ข้อมูลเมืองทดสอบ");
    assert_string_equal(c.resp.content_language, "th");
    call_end(&c);
}

/* The landing document carries the stored city profile, its extent resolved from the
 * layer it names plus the margin, and the theme names the web map shows. */
static void landing_serves_the_city_profile_and_theme_names(void **state)
{
    (void)state;
    struct call c;
    call_get(&c, "/", "", NULL);
    assert_int_equal(c.resp.status, 200);
    json_t *city = json_object_get(c.json, "cityatlas:city");
    assert_string_equal(str_at(city, "id"), "testtown");
    json_t *extent = json_object_get(city, "extent");
    const double want[4] = {98.48, 18.29, 99.5, 19.29};
    for (size_t i = 0; i < 4; i++) {
        assert_true(fabs(json_number_value(json_array_get(extent, i)) - want[i]) < 1e-9);
    }
    assert_string_equal(
        json_string_value(json_array_get(json_object_get(city, "default_layers"), 0)), "points");
    json_t *themes = json_object_get(city, "themes");
    assert_true(json_array_size(themes) >= 13);
    assert_string_equal(str_at(json_array_get(themes, 1), "id"), "health");
    assert_string_equal(str_at(json_object_get(json_array_get(themes, 1), "title"), "th"), "สุขภาพ");
    json_t *kinds = json_object_get(city, "sketch_kinds");
    assert_int_equal(json_array_size(kinds), 3);
    assert_string_equal(str_at(json_array_get(kinds, 0), "id"), "proposal");
    call_end(&c);
    call_get(&c, "/", "f=html", NULL);
    assert_non_null(
        strstr(c.resp.body.data, "<title>cityatlas — Testtown city data · Testtown data"));
    call_end(&c);
}

static void landing_html_links_the_same_documents_and_the_other_language(void **state)
{
    (void)state;
    struct call c;
    call_get(&c, "/", "f=html&lang=th", NULL);
    assert_int_equal(c.resp.status, 200);
    assert_string_equal(c.resp.content_type, RESPONSE_TYPE_HTML);
    assert_non_null(strstr(c.body, "<html lang=\"th\">"));
    assert_non_null(strstr(c.body, "name=\"viewport\""));
    assert_non_null(strstr(c.body, "ข้อมูลเมืองทดสอบ"));
    /* The language switch keeps f=html; links to pages keep the chosen language. */
    assert_non_null(strstr(c.body, "href=\"http://test/?f=html&amp;lang=en\""));
    assert_non_null(strstr(c.body, "href=\"http://test/collections?f=html&amp;lang=th\""));
    const char *hrefs[] = {"\"http://test/api\"", "\"http://test/api?f=html\"",
                           "\"http://test/conformance\"", "\"http://test/collections\""};
    for (size_t i = 0; i < sizeof(hrefs) / sizeof(hrefs[0]); i++) {
        if (strstr(c.body, hrefs[i]) == NULL) {
            fail_msg("no link to %s", hrefs[i]);
        }
    }
    assert_null(strstr(c.body, "http://cdn"));
    assert_null(strstr(c.body, "<script"));
    call_end(&c);
}

static void landing_links_the_featured_statistics_not_bare_stats(void **state)
{
    (void)state;
    struct call c;
    call_get(&c, "/", "lang=th", NULL);
    json_t *links = json_object_get(c.json, "links");
    json_t *link = find_link(links, "related");
    assert_non_null(link);
    assert_string_equal(str_at(link, "href"), "http://test/stats/featured");
    assert_string_equal(str_at(link, "type"), RESPONSE_TYPE_JSON);
    assert_string_equal(str_at(link, "title"), "สถิติเด่น");
    /* "data" stays the collections' alone, and /stats (which needs parameters) is not linked. */
    size_t i;
    json_array_foreach(links, i, link)
    {
        const char *href = str_at(link, "href");
        assert_false(strcmp(str_at(link, "rel"), "data") == 0 &&
                     strcmp(href, "http://test/collections") != 0);
        assert_false(strcmp(href, "http://test/stats") == 0 ||
                     strncmp(href, "http://test/stats?", 18) == 0);
    }
    call_end(&c);
    call_get(&c, "/stats/featured", "", NULL);
    assert_int_equal(c.resp.status, 200);
    assert_string_equal(c.resp.content_type, RESPONSE_TYPE_JSON);
    call_end(&c);
    call_get(&c, "/", "f=html", NULL);
    assert_non_null(strstr(c.body, "href=\"http://test/stats/featured\">Featured statistics</a>"));
    call_end(&c);
}

static void conformance_lists_exactly_the_implemented_classes(void **state)
{
    (void)state;
    static const char *const expected[] = {
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
    size_t n = sizeof(expected) / sizeof(expected[0]);
    struct call c;
    call_get(&c, "/conformance", "", NULL);
    assert_int_equal(c.resp.status, 200);
    json_t *classes = json_object_get(c.json, "conformsTo");
    assert_int_equal(json_array_size(classes), n);
    for (size_t i = 0; i < n; i++) {
        bool is_listed = false;
        for (size_t k = 0; k < n; k++) {
            is_listed = is_listed ||
                        strcmp(json_string_value(json_array_get(classes, k)), expected[i]) == 0;
        }
        if (!is_listed) {
            fail_msg("conformsTo lacks %s", expected[i]);
        }
    }
    call_end(&c);
}

static void unknown_parameter_format_or_language_is_a_400_error(void **state)
{
    (void)state;
    const char *paths[] = {"/", "/conformance", "/api", "/collections/points/queryables",
                           "/collections/points/schema"};
    const char *queries[] = {"f=xml", "lang=fr", "f=csv", "limit=10", "F=json"};
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        for (size_t k = 0; k < sizeof(queries) / sizeof(queries[0]); k++) {
            struct call c;
            call_get(&c, paths[i], queries[k], NULL);
            if (c.resp.status != 400) {
                fail_msg("%s?%s: status %d", paths[i], queries[k], c.resp.status);
            }
            assert_string_equal(str_at(c.json, "code"), "InvalidParameterValue");
            assert_non_null(str_at(c.json, "description"));
            call_end(&c);
        }
    }
}

/* The OpenAPI document */

static json_t *openapi_get(struct call *c, const char *query)
{
    call_get(c, "/api", query, NULL);
    assert_int_equal(c->resp.status, 200);
    assert_string_equal(c->resp.content_type, RESPONSE_TYPE_OPENAPI);
    return c->json;
}

static void openapi_describes_every_route(void **state)
{
    (void)state;
    struct call c;
    json_t *doc = openapi_get(&c, "");
    assert_string_equal(str_at(doc, "openapi"), "3.0.3");
    assert_string_equal(str_at(json_array_get(json_object_get(doc, "servers"), 0), "url"),
                        "http://test");
    json_t *paths = json_object_get(doc, "paths");
    for (size_t i = 0; i < api_n_routes; i++) {
        const char *pattern = api_routes[i].pattern;
        bool is_first_row = i == 0 || strcmp(api_routes[i - 1].pattern, pattern) != 0;
        if (!is_first_row || (api_routes[i].flags & ROUTE_NOT_API)) {
            continue; /* a path's other rows (its writes), or not API (the web map) */
        }
        /* A route is read (GET), or only written (POST: a workshop's actions). */
        json_t *item = json_object_get(paths, pattern);
        json_t *get = json_object_get(item, "get");
        bool is_post_only = get == NULL;
        if (is_post_only) {
            get = json_object_get(item, "post");
        }
        if (get == NULL) {
            fail_msg("no GET or POST for %s", pattern);
        }
        /* A route described by the generic entry would be titled "Document". */
        assert_string_not_equal(str_at(get, "summary"), "Document");
        json_t *responses = json_object_get(get, "responses");
        const char *statuses[] = {"200", "400", "405", "500", "304"};
        size_t n_statuses = sizeof(statuses) / sizeof(statuses[0]) - (is_post_only ? 1 : 0);
        for (size_t k = 0; k < n_statuses; k++) {
            assert_non_null(json_object_get(responses, statuses[k]));
        }
        bool has_id = strchr(pattern, '{') != NULL;
        assert_int_equal(json_object_get(responses, "404") != NULL, has_id);
    }
    json_t *exception = json_object_get(
        json_object_get(json_object_get(doc, "components"), "schemas"), "exception");
    assert_int_equal(json_array_size(json_object_get(exception, "required")), 3);
    call_end(&c);
}

/* Follows a "#/a/b/c" reference: one member name per segment (none of ours has '~'). */
static json_t *follow(json_t *doc, const char *target)
{
    assert_true(strncmp(target, "#/", 2) == 0);
    json_t *node = doc;
    for (const char *p = target + 2; node != NULL && *p != '\0';) {
        const char *slash = strchr(p, '/');
        size_t len = slash != NULL ? (size_t)(slash - p) : strlen(p);
        char name[128];
        snprintf(name, sizeof(name), "%.*s", (int)len, p);
        node = json_object_get(node, name);
        p += len + (slash != NULL);
    }
    return node;
}

static size_t check_refs(json_t *doc, json_t *node)
{
    size_t n = 0;
    if (json_is_object(node)) {
        const char *key;
        json_t *value;
        json_object_foreach(node, key, value)
        {
            if (strcmp(key, "$ref") == 0) {
                if (follow(doc, json_string_value(value)) == NULL) {
                    fail_msg("unresolved $ref %s", json_string_value(value));
                }
                n++;
            } else {
                n += check_refs(doc, value);
            }
        }
    } else if (json_is_array(node)) {
        size_t i;
        json_t *value;
        json_array_foreach(node, i, value)
        {
            n += check_refs(doc, value);
        }
    }
    return n;
}

static void openapi_references_all_resolve(void **state)
{
    (void)state;
    struct call c;
    json_t *doc = openapi_get(&c, "");
    assert_true(check_refs(doc, doc) > 50);
    call_end(&c);
}

/* The parameter of a path's GET named name (following $ref), or NULL. */
static json_t *find_param(json_t *doc, const char *path, const char *name, bool *is_ref)
{
    json_t *get = json_object_get(json_object_get(json_object_get(doc, "paths"), path), "get");
    size_t i;
    json_t *param;
    json_array_foreach(json_object_get(get, "parameters"), i, param)
    {
        const char *target = str_at(param, "$ref");
        json_t *resolved = target != NULL ? follow(doc, target) : param;
        if (strcmp(str_at(resolved, "name"), name) == 0) {
            *is_ref = target != NULL;
            return resolved;
        }
    }
    return NULL;
}

/* GDAL reads the page size from the limit that /collections/<id>/items references. */
static void openapi_limit_carries_the_server_limits(void **state)
{
    (void)state;
    struct call c;
    json_t *doc = openapi_get(&c, "");
    bool is_ref = false;
    json_t *limit = find_param(doc, "/collections/points/items", "limit", &is_ref);
    assert_non_null(limit);
    assert_true(is_ref);
    json_t *schema = json_object_get(limit, "schema");
    assert_int_equal(json_integer_value(json_object_get(schema, "maximum")), 5000);
    assert_int_equal(json_integer_value(json_object_get(schema, "default")), 100);
    assert_int_equal(json_integer_value(json_object_get(schema, "minimum")), 1);
    json_t *bbox = find_param(doc, "/collections/{collectionId}/items", "bbox", &is_ref);
    assert_string_equal(str_at(bbox, "style"), "form");
    assert_false(json_is_true(json_object_get(bbox, "explode")));
    json_t *crs = find_param(doc, "/collections/{collectionId}/items/{featureId}", "crs", &is_ref);
    assert_string_equal(str_at(json_object_get(crs, "schema"), "default"),
                        "http://www.opengis.net/def/crs/OGC/1.3/CRS84");
    assert_int_equal(json_array_size(json_object_get(json_object_get(crs, "schema"), "enum")), 5);
    call_end(&c);
}

static void openapi_collection_paths_have_typed_property_parameters(void **state)
{
    (void)state;
    struct call c;
    json_t *doc = openapi_get(&c, "");
    const char *names[] = {"name", "n", "score", "day"};
    const char *types[] = {"string", "integer", "number", "string"};
    for (size_t i = 0; i < 4; i++) {
        bool is_ref = true;
        json_t *param = find_param(doc, "/collections/points/items", names[i], &is_ref);
        if (param == NULL) {
            fail_msg("no parameter %s", names[i]);
        }
        assert_false(is_ref);
        assert_string_equal(str_at(param, "in"), "query");
        assert_string_equal(str_at(json_object_get(param, "schema"), "type"), types[i]);
    }
    bool is_ref = false;
    assert_null(find_param(doc, "/collections/points/items", "raw", &is_ref));
    /* The field called limit does not add a second limit parameter. */
    json_t *get = json_object_get(
        json_object_get(json_object_get(doc, "paths"), "/collections/points/items"), "get");
    size_t n_limits = 0, i;
    json_t *param;
    json_array_foreach(json_object_get(get, "parameters"), i, param)
    {
        n_limits += str_at(param, "name") != NULL && strcmp(str_at(param, "name"), "limit") == 0;
    }
    assert_int_equal(n_limits, 0);
    assert_non_null(find_param(doc, "/collections/table/items", "label", &is_ref));
    assert_null(find_param(doc, "/collections/table/items", "collectionId", &is_ref));
    call_end(&c);
}

static void openapi_html_lists_paths_and_parameters_in_thai(void **state)
{
    (void)state;
    struct call c;
    call_get(&c, "/api", "f=html&lang=th", NULL);
    assert_int_equal(c.resp.status, 200);
    assert_string_equal(c.resp.content_type, RESPONSE_TYPE_HTML);
    assert_non_null(strstr(c.body, "<html lang=\"th\">"));
    assert_non_null(strstr(c.body, "GET /collections/{collectionId}/items</code>"));
    assert_non_null(strstr(c.body, "<code>limit</code>"));
    assert_non_null(strstr(c.body, "ตั้งแต่ <code>1</code> ถึง <code>5000</code>"));
    assert_non_null(strstr(c.body, "เอกสารประกอบ API"));
    /* The hostile collection title appears escaped only. */
    assert_null(strstr(c.body, "<script>"));
    assert_non_null(strstr(c.body, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; "
                                   "&quot;co&quot;"));
    call_end(&c);
}

/* The statistics routes in /api */

static bool is_statistic_param(const char *name)
{
    for (size_t i = 0; stats_param_names[i] != NULL; i++) {
        if (strcmp(stats_param_names[i], name) == 0) {
            return true;
        }
    }
    return false;
}

/* The names of the parameters of a path's GET, following $ref, as one "a b c" string. */
static void param_names(json_t *doc, const char *path, char *out, size_t cap)
{
    json_t *get = json_object_get(json_object_get(json_object_get(doc, "paths"), path), "get");
    size_t i, len = 0;
    json_t *param;
    out[0] = '\0';
    json_array_foreach(json_object_get(get, "parameters"), i, param)
    {
        const char *target = str_at(param, "$ref");
        json_t *resolved = target != NULL ? follow(doc, target) : param;
        len += (size_t)snprintf(out + len, cap - len, "%s%s", len > 0 ? " " : "",
                                str_at(resolved, "name"));
    }
}

static void openapi_documents_every_statistics_parameter(void **state)
{
    (void)state;
    struct call c;
    json_t *doc = openapi_get(&c, "");
    for (size_t i = 0; stats_param_names[i] != NULL; i++) {
        bool is_ref = false;
        json_t *param = find_param(doc, "/stats", stats_param_names[i], &is_ref);
        if (param == NULL) {
            fail_msg("/stats: parameter %s is not documented", stats_param_names[i]);
        }
        assert_true(is_ref);
        assert_string_equal(str_at(param, "in"), "query");
        assert_true(strlen(str_at(param, "description")) > 20);
        assert_non_null(str_at(json_object_get(param, "schema"), "type"));
        bool is_layer = strcmp(stats_param_names[i], "layer") == 0;
        assert_int_equal(json_is_true(json_object_get(param, "required")), is_layer);
    }
    /* Nothing is documented that the handler would not take. */
    json_t *get = json_object_get(json_object_get(json_object_get(doc, "paths"), "/stats"), "get");
    size_t i;
    json_t *param;
    json_array_foreach(json_object_get(get, "parameters"), i, param)
    {
        const char *name = str_at(follow(doc, str_at(param, "$ref")), "name");
        if (!is_statistic_param(name) && strcmp(name, "f") != 0 && strcmp(name, "lang") != 0) {
            fail_msg("/stats documents '%s', which is no statistic parameter", name);
        }
    }
    char names[256];
    param_names(doc, "/stats/featured/{statisticId}", names, sizeof(names));
    assert_string_equal(names, "statisticId f lang");
    param_names(doc, "/stats/featured", names, sizeof(names));
    assert_string_equal(names, "f lang");
    call_end(&c);
}

static bool is_one_of(const char *s, const char *const *words)
{
    for (size_t i = 0; words[i] != NULL; i++) {
        if (strcmp(words[i], s) == 0) {
            return true;
        }
    }
    return false;
}

/* Parses layer=points, name=value and what the value needs beside it (a field for a sum,
 * a time field for an interval, ...). */
static int parse_with(const char *name, const char *value, struct stats_spec *spec, struct err *err)
{
    static const char *const field_metrics[] = {"sum", "mean", "min", "max", "median", NULL};
    static const char *const length_units[] = {"m", "km", NULL};
    struct stats_param p[5] = {{"layer", "points"}};
    size_t n = 1;
    bool is_metric = strcmp(name, "metric") == 0;
    bool is_nearest = (is_metric && strcmp(value, "nearest") == 0) || strcmp(name, "beyond") == 0 ||
                      strcmp(name, "to") == 0;
    if (is_metric && is_one_of(value, field_metrics)) {
        p[n++] = (struct stats_param){"field", "n"};
    }
    if (is_nearest && strcmp(name, "to") != 0) {
        p[n++] = (struct stats_param){"to", "points"};
    }
    if (is_nearest && !is_metric) {
        p[n++] = (struct stats_param){"metric", "nearest"};
    }
    if (strcmp(name, "interval") == 0) {
        p[n++] = (struct stats_param){"time", "day"};
    }
    if (strcmp(name, "unit") == 0) {
        p[n++] = (struct stats_param){"metric", is_one_of(value, length_units) ? "length" : "area"};
    }
    if (strcmp(name, "population-from") == 0) {
        p[n++] = (struct stats_param){"population", "n"};
        p[n++] = (struct stats_param){"join", "name"};
        p[n++] = (struct stats_param){"by", "points"};
    }
    if (strcmp(name, "layer") == 0) {
        p[0].value = value;
    } else {
        p[n++] = (struct stats_param){name, value};
    }
    return stats_spec_parse(p, n, spec, err);
}

static void expect_parse(const char *name, const char *value, bool is_accepted)
{
    struct stats_spec spec;
    struct err err = {0};
    int rc = parse_with(name, value, &spec, &err);
    if ((rc == ERR_OK) != is_accepted) {
        fail_msg("%s=%s: documented as %s, but the parser says %s", name, value,
                 is_accepted ? "accepted" : "refused", rc == ERR_OK ? "fine" : err.msg);
    }
    if (rc == ERR_OK) {
        stats_spec_clear(&spec);
    }
}

/* Every word offered is one the parser takes; bounds are where the parser's are. */
static void check_statistics_schema(const char *name, json_t *schema)
{
    size_t i;
    json_t *word;
    json_array_foreach(json_object_get(schema, "enum"), i, word)
    {
        expect_parse(name, json_string_value(word), true);
    }
    json_t *min = json_object_get(schema, "minimum"), *max = json_object_get(schema, "maximum");
    if (min == NULL || max == NULL) {
        return;
    }
    bool is_integer = strcmp(str_at(schema, "type"), "integer") == 0;
    double step = is_integer ? 1 : 0.5;
    char text[64];
    const double values[] = {json_number_value(min), json_number_value(max),
                             json_number_value(min) - step,
                             json_number_value(max) * (is_integer ? 1 : 1.5) + step};
    for (size_t k = 0; k < 4; k++) {
        snprintf(text, sizeof(text), "%.17g", values[k]);
        expect_parse(name, text, k < 2);
    }
}

static void openapi_statistics_values_are_what_the_parser_takes(void **state)
{
    (void)state;
    struct call c;
    json_t *doc = openapi_get(&c, "");
    size_t n_enums = 0, n_ranges = 0;
    for (size_t i = 0; stats_param_names[i] != NULL; i++) {
        bool is_ref = false;
        json_t *schema =
            json_object_get(find_param(doc, "/stats", stats_param_names[i], &is_ref), "schema");
        check_statistics_schema(stats_param_names[i], schema);
        n_enums += json_object_get(schema, "enum") != NULL;
        n_ranges += json_object_get(schema, "maximum") != NULL;
    }
    /* filter-lang, layer, metric, interval, population-from, to, unit, classify,
     * classify-column; per, beyond, classes (by: the test database has no polygons). */
    assert_int_equal(n_enums, 9);
    assert_int_equal(n_ranges, 3);
    /* The defaults are the parser's. */
    struct stats_spec spec;
    struct err err;
    assert_int_equal(parse_with("layer", "points", &spec, &err), ERR_OK);
    bool is_ref = false;
    json_t *per = json_object_get(find_param(doc, "/stats", "per", &is_ref), "schema");
    assert_true(json_number_value(json_object_get(per, "default")) == spec.per);
    json_t *classes = json_object_get(find_param(doc, "/stats", "classes", &is_ref), "schema");
    assert_int_equal(json_integer_value(json_object_get(classes, "default")), spec.n_classes);
    json_t *metric = json_object_get(find_param(doc, "/stats", "metric", &is_ref), "schema");
    assert_string_equal(str_at(metric, "default"), stats_metric_name(spec.metric));
    json_t *method = json_object_get(find_param(doc, "/stats", "classify", &is_ref), "schema");
    assert_string_equal(str_at(method, "default"), stats_class_method_name(spec.class_method));
    stats_spec_clear(&spec);
    call_end(&c);
}

static json_t *operation_response(json_t *doc, const char *path, const char *status)
{
    json_t *get = json_object_get(json_object_get(json_object_get(doc, "paths"), path), "get");
    json_t *r = json_object_get(json_object_get(get, "responses"), status);
    const char *target = str_at(r, "$ref");
    return target != NULL ? follow(doc, target) : r;
}

static const char *content_schema(json_t *response, const char *type)
{
    json_t *media = json_object_get(json_object_get(response, "content"), type);
    return str_at(json_object_get(media, "schema"), "$ref");
}

static void openapi_statistics_answer_json_geojson_and_csv(void **state)
{
    (void)state;
    struct call c;
    json_t *doc = openapi_get(&c, "lang=th");
    const char *paths[] = {"/stats", "/stats/featured/{statisticId}"};
    for (size_t i = 0; i < 2; i++) {
        json_t *ok = operation_response(doc, paths[i], "200");
        assert_string_equal(content_schema(ok, "application/json"),
                            "#/components/schemas/statistics");
        assert_string_equal(content_schema(ok, "application/geo+json"),
                            "#/components/schemas/statisticsGeoJSON");
        assert_non_null(json_object_get(json_object_get(ok, "content"), "text/csv"));
        assert_null(json_object_get(json_object_get(ok, "content"), "text/html"));
        json_t *headers = json_object_get(ok, "headers");
        const char *names[] = {"X-Stats-Cache", "Server-Timing", "ETag", "Last-Modified"};
        for (size_t k = 0; k < 4; k++) {
            assert_non_null(json_object_get(headers, names[k]));
        }
        assert_non_null(operation_response(doc, paths[i], "413"));
    }
    json_t *list = operation_response(doc, "/stats/featured", "200");
    assert_string_equal(content_schema(list, "application/json"),
                        "#/components/schemas/featuredStatistics");
    assert_int_equal(json_object_size(json_object_get(list, "content")), 1);
    assert_non_null(strstr(
        str_at(operation_response(doc, "/stats/featured/{statisticId}", "404"), "description"),
        "สถิติเด่น"));
    json_t *get = json_object_get(json_object_get(json_object_get(doc, "paths"), "/stats"), "get");
    assert_string_equal(str_at(get, "summary"), "สถิติ");
    call_end(&c);
}

/* Every member of an object the server wrote is in the schema's properties, and every
 * required one is there. */
static void expect_members_documented(json_t *doc, const char *schema_name, json_t *object)
{
    char target[128];
    snprintf(target, sizeof(target), "#/components/schemas/%s", schema_name);
    json_t *schema = follow(doc, target);
    json_t *props = json_object_get(schema, "properties");
    const char *key;
    json_t *value;
    json_object_foreach(object, key, value)
    {
        if (json_object_get(props, key) == NULL) {
            fail_msg("%s: member '%s' is not documented", schema_name, key);
        }
    }
    size_t i;
    json_array_foreach(json_object_get(schema, "required"), i, value)
    {
        if (json_object_get(object, json_string_value(value)) == NULL) {
            fail_msg("%s: required member '%s' is missing", schema_name, json_string_value(value));
        }
    }
}

static void statistics_documents_have_the_documented_members(void **state)
{
    (void)state;
    static const char *const members[] = {
        "definition", "query",      "sources", "computed_at", "data_updated_at", "seconds",
        "population", "unassigned", "rows",    "total",       "classes",         "links"};
    struct call api;
    json_t *doc = openapi_get(&api, "");
    json_t *schema = follow(doc, "#/components/schemas/statistics");
    for (size_t i = 0; i < sizeof(members) / sizeof(members[0]); i++) {
        assert_non_null(json_object_get(json_object_get(schema, "properties"), members[i]));
    }
    struct call c;
    call_get(&c, "/stats", "layer=points&group=name", NULL);
    assert_int_equal(c.resp.status, 200);
    expect_members_documented(doc, "statistics", c.json);
    expect_members_documented(doc, "statisticsRow", json_object_get(c.json, "total"));
    expect_members_documented(doc, "statisticsRow",
                              json_array_get(json_object_get(c.json, "rows"), 0));
    expect_members_documented(doc, "statisticsDefinition", json_object_get(c.json, "definition"));
    expect_members_documented(doc, "statisticsSource",
                              json_array_get(json_object_get(c.json, "sources"), 0));
    call_end(&c);
    call_get(&c, "/stats", "layer=points&f=geojson", NULL);
    assert_int_equal(c.resp.status, 200);
    assert_string_equal(c.resp.content_type, RESPONSE_TYPE_GEOJSON);
    expect_members_documented(doc, "statisticsGeoJSON", c.json);
    call_end(&c);
    call_get(&c, "/stats/featured", "", NULL);
    assert_int_equal(c.resp.status, 200);
    expect_members_documented(doc, "featuredStatistics", c.json);
    call_end(&c);
    call_end(&api);
}

/* Queryables and schema */

static json_t *property(json_t *doc, const char *name)
{
    return json_object_get(json_object_get(doc, "properties"), name);
}

static void queryables_type_each_field_and_the_geometry(void **state)
{
    (void)state;
    struct call c;
    call_get(&c, "/collections/points/queryables", "", NULL);
    assert_int_equal(c.resp.status, 200);
    assert_string_equal(c.resp.content_type, RESPONSE_TYPE_SCHEMA);
    json_t *doc = c.json;
    assert_string_equal(str_at(doc, "$schema"), "https://json-schema.org/draft/2020-12/schema");
    assert_string_equal(str_at(doc, "$id"), "http://test/collections/points/queryables");
    assert_string_equal(str_at(doc, "type"), "object");
    assert_string_equal(str_at(doc, "title"), "Points");
    assert_true(json_is_false(json_object_get(doc, "additionalProperties")));
    assert_string_equal(str_at(property(doc, "name"), "type"), "string");
    assert_string_equal(str_at(property(doc, "name"), "title"), "name");
    assert_null(json_object_get(property(doc, "name"), "format"));
    assert_string_equal(str_at(property(doc, "n"), "type"), "integer");
    assert_string_equal(str_at(property(doc, "score"), "type"), "number");
    assert_string_equal(str_at(property(doc, "day"), "format"), "date");
    assert_string_equal(str_at(property(doc, "seen"), "format"), "date-time");
    assert_null(property(doc, "raw"));
    assert_null(property(doc, "fid"));
    json_t *geometry = property(doc, "geometry");
    assert_string_equal(str_at(geometry, "format"), "geometry-point");
    assert_string_equal(str_at(geometry, "x-ogc-role"), "primary-geometry");
    assert_int_equal(json_object_size(json_object_get(doc, "properties")), 7);
    call_end(&c);
}

static void queryables_of_an_attribute_table_have_no_geometry(void **state)
{
    (void)state;
    struct call c;
    call_get(&c, "/collections/table/queryables", "lang=th", NULL);
    assert_int_equal(c.resp.status, 200);
    assert_null(property(c.json, "geometry"));
    assert_string_equal(str_at(property(c.json, "label"), "type"), "string");
    /* No Thai title: the English one is used. */
    assert_string_equal(str_at(c.json, "title"), HOSTILE_TITLE);
    call_end(&c);
}

static void schema_names_the_feature_id_and_nulls_binary_fields(void **state)
{
    (void)state;
    struct call c;
    call_get(&c, "/collections/points/schema", "lang=th", NULL);
    assert_int_equal(c.resp.status, 200);
    assert_string_equal(str_at(c.json, "$id"), "http://test/collections/points/schema");
    assert_string_equal(str_at(c.json, "title"), "จุด");
    assert_string_equal(str_at(property(c.json, "fid"), "x-ogc-role"), "id");
    assert_string_equal(str_at(property(c.json, "fid"), "type"), "integer");
    assert_string_equal(str_at(property(c.json, "raw"), "type"), "null");
    assert_string_equal(str_at(property(c.json, "geometry"), "x-ogc-role"), "primary-geometry");
    assert_int_equal(json_object_size(json_object_get(c.json, "properties")), 9);
    call_end(&c);
}

static void unknown_collection_is_a_404(void **state)
{
    (void)state;
    const char *paths[] = {"/collections/nope/queryables", "/collections/nope/schema",
                           "/collections/nope/sortables"};
    for (size_t i = 0; i < 3; i++) {
        struct call c;
        call_get(&c, paths[i], "f=json", NULL);
        assert_int_equal(c.resp.status, 404);
        assert_string_equal(c.resp.content_type, RESPONSE_TYPE_JSON);
        assert_string_equal(str_at(c.json, "code"), "NotFound");
        assert_non_null(strstr(str_at(c.json, "description"), "nope"));
        call_end(&c);
    }
}

/* A browser asking for HTML gets the error as a page in its language, the status and the
 * server's description kept; f=json and other clients keep the JSON. */
static void errors_asked_for_as_html_are_pages_in_the_request_language(void **state)
{
    (void)state;
    struct call c;
    call_get(&c, "/collections/nope/queryables", "f=html&lang=th", NULL);
    assert_int_equal(c.resp.status, 404);
    assert_string_equal(c.resp.content_type, RESPONSE_TYPE_HTML);
    assert_string_equal(c.resp.content_language, "th");
    assert_non_null(strstr(c.body, "<html lang=\"th\">"));
    assert_non_null(strstr(c.body, "ข้อผิดพลาด 404"));
    assert_non_null(strstr(c.body, "collection &#39;nope&#39; does not exist"));
    call_end(&c);

    call_get(&c, "/collections/points/items", "f=html&limit=x", NULL);
    assert_int_equal(c.resp.status, 400);
    assert_string_equal(c.resp.content_type, RESPONSE_TYPE_HTML);
    assert_non_null(strstr(c.body, "Error 400"));
    assert_non_null(strstr(c.body, "limit: expected a whole number"));
    call_end(&c);

    call_get(&c, "/no/such/path", "f=html&lang=xx", NULL);
    assert_int_equal(c.resp.status, 404);
    assert_string_equal(c.resp.content_type, RESPONSE_TYPE_HTML);
    assert_non_null(strstr(c.body, "<html lang=\"en\">"));
    call_end(&c);
}

static void queryables_html_escapes_dataset_text(void **state)
{
    (void)state;
    struct call c;
    call_get(&c, "/collections/table/queryables", "f=html", NULL);
    assert_int_equal(c.resp.status, 200);
    assert_string_equal(c.resp.content_type, RESPONSE_TYPE_HTML);
    assert_null(strstr(c.body, "<script>"));
    assert_non_null(strstr(c.body, "&lt;script&gt;"));
    assert_non_null(strstr(c.body, "<td>label</td>"));
    call_end(&c);
    call_get(&c, "/collections/points/schema", "f=html&lang=th", NULL);
    assert_non_null(strstr(c.body, "<html lang=\"th\">"));
    assert_non_null(strstr(c.body, "geometry-point, primary-geometry"));
    assert_non_null(strstr(c.body, "จำนวนเต็ม"));
    assert_non_null(strstr(c.body, "href=\"http://test/collections/points/schema?f=html&amp;"
                                   "lang=en\""));
    call_end(&c);
}

/* Conditional requests */

static void documents_answer_304_to_their_etag(void **state)
{
    (void)state;
    const char *paths[] = {"/", "/conformance", "/api", "/collections/points/queryables",
                           "/collections/points/schema"};
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        struct call c;
        call_get(&c, paths[i], "f=html", NULL);
        assert_int_equal(c.resp.status, 200);
        assert_true(c.resp.is_cacheable);
        assert_non_null(c.resp.last_modified);
        char *etag = strdup(c.resp.etag);
        call_end(&c);
        call_get(&c, paths[i], "f=html", etag);
        assert_int_equal(c.resp.status, 304);
        assert_int_equal(c.resp.body.len, 0);
        call_end(&c);
        /* Another format is another document. */
        call_get(&c, paths[i], "f=json", etag);
        assert_int_equal(c.resp.status, 200);
        call_end(&c);
        free(etag);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(landing_links_are_absolute_and_complete),
        cmocka_unit_test(landing_title_follows_the_language),
        cmocka_unit_test(landing_serves_the_city_profile_and_theme_names),
        cmocka_unit_test(landing_html_links_the_same_documents_and_the_other_language),
        cmocka_unit_test(landing_links_the_featured_statistics_not_bare_stats),
        cmocka_unit_test(conformance_lists_exactly_the_implemented_classes),
        cmocka_unit_test(unknown_parameter_format_or_language_is_a_400_error),
        cmocka_unit_test(openapi_describes_every_route),
        cmocka_unit_test(openapi_references_all_resolve),
        cmocka_unit_test(openapi_limit_carries_the_server_limits),
        cmocka_unit_test(openapi_collection_paths_have_typed_property_parameters),
        cmocka_unit_test(openapi_html_lists_paths_and_parameters_in_thai),
        cmocka_unit_test(openapi_documents_every_statistics_parameter),
        cmocka_unit_test(openapi_statistics_values_are_what_the_parser_takes),
        cmocka_unit_test(openapi_statistics_answer_json_geojson_and_csv),
        cmocka_unit_test(statistics_documents_have_the_documented_members),
        cmocka_unit_test(queryables_type_each_field_and_the_geometry),
        cmocka_unit_test(queryables_of_an_attribute_table_have_no_geometry),
        cmocka_unit_test(schema_names_the_feature_id_and_nulls_binary_fields),
        cmocka_unit_test(unknown_collection_is_a_404),
        cmocka_unit_test(errors_asked_for_as_html_are_pages_in_the_request_language),
        cmocka_unit_test(queryables_html_escapes_dataset_text),
        cmocka_unit_test(documents_answer_304_to_their_etag),
    };
    int rc = cmocka_run_group_tests(tests, group_setup, group_teardown);
    spatialite_shutdown();
    return rc;
}
