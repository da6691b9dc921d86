/* test_http.c - http/: routing, content negotiation, CRS names, link building and the
 * Accept-Encoding check, without a socket. */
#include "unit.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "http/transport/api_common.h"
#include "http/handlers/api_maps.h"
#include "http/server/routes.h"
#include "http/transport/compress.h"
#include "http/transport/response.h"
#include "http/server/router.h"
#include "http/server/server_int.h"

#include "unit_support.c"

static struct request make_request(const char *path, enum http_method method)
{
    struct request req;
    memset(&req, 0, sizeof(req));
    req.path = path;
    req.method = method;
    req.method_name = method == HTTP_GET ? "GET" : "POST";
    req.raw_query = "";
    req.base_url = "http://test";
    return req;
}

static void add_param(struct request *req, const char *name, const char *value)
{
    req->params[req->n_params].name = name;
    req->params[req->n_params].value = value;
    req->n_params++;
}

static void clear_route(struct request *req)
{
    request_free_path_params(req); /* every path parameter: ids and the tile path's parts */
}

static void router_captures_collection_and_feature_ids(void **state)
{
    (void)state;
    struct request req = make_request("/collections/cm-districts/items/42", HTTP_GET);
    api_handler_fn handler = NULL;
    assert_int_equal(router_match(&req, &handler), ROUTER_MATCHED);
    assert_ptr_equal(handler, api_item);
    assert_string_equal(request_path_param(&req, "collectionId"), "cm-districts");
    assert_string_equal(request_path_param(&req, "featureId"), "42");
    clear_route(&req);

    req = make_request("/collections/cm-districts/queryables", HTTP_HEAD);
    assert_int_equal(router_match(&req, &handler), ROUTER_MATCHED);
    assert_ptr_equal(handler, api_queryables);
    assert_string_equal(request_path_param(&req, "collectionId"), "cm-districts");
    assert_null(request_path_param(&req, "featureId"));
    clear_route(&req);
}

/* Each {..} segment is a path parameter under the pattern's name: a scenario's id is
 * never read as a collection's. */
static void router_names_path_params_as_the_pattern_does(void **state)
{
    (void)state;
    api_handler_fn handler = NULL;
    struct request req = make_request("/scenarios/s1.gpkg", HTTP_GET);
    assert_int_equal(router_match(&req, &handler), ROUTER_MATCHED);
    assert_string_equal(request_path_param(&req, "scenarioId"), "s1");
    assert_null(request_path_param(&req, "collectionId"));
    clear_route(&req);

    req = make_request("/stats/featured/density/share.png", HTTP_GET);
    assert_int_equal(router_match(&req, &handler), ROUTER_MATCHED);
    assert_string_equal(request_path_param(&req, "statisticId"), "density");
    assert_int_equal(req.n_path_params, 1);
    clear_route(&req);

    req = make_request("/join/AB12CD", HTTP_GET);
    assert_int_equal(router_match(&req, &handler), ROUTER_MATCHED);
    assert_string_equal(request_path_param(&req, "code"), "AB12CD");
    clear_route(&req);

    req = make_request("/collections/roads/tiles/WebMercatorQuad/12/1800/3200", HTTP_GET);
    assert_int_equal(router_match(&req, &handler), ROUTER_MATCHED);
    assert_string_equal(request_path_param(&req, "collectionId"), "roads");
    assert_string_equal(request_path_param(&req, "tileMatrixSetId"), "WebMercatorQuad");
    assert_string_equal(request_path_param(&req, "tileMatrix"), "12");
    assert_string_equal(request_path_param(&req, "tileRow"), "1800");
    assert_string_equal(request_path_param(&req, "tileCol"), "3200");

    /* A handler serving its route as another's replaces or adds a name. */
    request_set_path_param(&req, "collectionId", "scenario-s1-sketches");
    assert_string_equal(request_path_param(&req, "collectionId"), "scenario-s1-sketches");
    assert_int_equal(req.n_path_params, 5);
    request_set_path_param(&req, "featureId", "7");
    request_set_path_param(&req, "one-too-many", "x");
    assert_int_equal(req.n_path_params, REQUEST_MAX_PATH_PARAMS);
    assert_null(request_path_param(&req, "one-too-many"));
    clear_route(&req);
    assert_int_equal(req.n_path_params, 0);

    /* Every pattern fits the request's list of path parameters. */
    for (size_t i = 0; i < api_n_routes; i++) {
        size_t n = 0;
        for (const char *c = api_routes[i].pattern; *c != '\0'; c++) {
            n += *c == '{';
        }
        assert_true(n <= REQUEST_MAX_PATH_PARAMS);
    }
}

static void router_matches_every_row_of_the_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < api_n_routes; i++) {
        char path[256];
        const char *src = api_routes[i].pattern;
        size_t n = 0;
        while (*src != '\0' && n + 8 < sizeof(path)) {
            if (*src == '{') {
                memcpy(path + n, "abc", 3);
                n += 3;
                src = strchr(src, '}') + 1;
            } else if (*src == '*') { /* a prefix row: any file below it */
                memcpy(path + n, "abc", 3);
                n += 3;
                src++;
            } else {
                path[n++] = *src++;
            }
        }
        path[n] = '\0';
        /* Each row with the first method it answers: the row's own handler answers. */
        enum http_method method = HTTP_GET;
        while (!(api_routes[i].methods & HTTP_METHOD_BIT(method))) {
            method++;
        }
        struct request req = make_request(path, method);
        api_handler_fn handler = NULL;
        assert_int_equal(router_match(&req, &handler), ROUTER_MATCHED);
        assert_ptr_equal(handler, api_routes[i].handler);
        assert_ptr_equal(req.route, &api_routes[i]);
        clear_route(&req);
    }
}

/* The path parameters of each row are its pattern's {..} captures, in order: /api documents
 * exactly the segments the router captures. */
static void route_path_params_are_the_pattern_captures(void **state)
{
    (void)state;
    for (size_t i = 0; i < api_n_routes; i++) {
        const struct api_route *row = &api_routes[i];
        const char *p = row->pattern;
        size_t k = 0;
        while ((p = strchr(p, '{')) != NULL) {
            const char *close = strchr(p, '}');
            while (row->params[k] != NULL && row->params[k]->in != ROUTE_PARAM_PATH) {
                k++;
            }
            assert_non_null(row->params[k]);
            assert_int_equal(strlen(row->params[k]->name), (size_t)(close - p - 1));
            assert_memory_equal(row->params[k]->name, p + 1, (size_t)(close - p - 1));
            k++;
            p = close + 1;
        }
        for (; row->params[k] != NULL; k++) {
            assert_int_equal(row->params[k]->in, ROUTE_PARAM_QUERY); /* no extra path one */
        }
        assert_true((row->flags & ROUTE_NOT_API) || row->operation_id != NULL);
    }
}

static void only_metadata_documents_are_cacheable(void **state)
{
    (void)state;
    assert_true(router_is_document(api_collections));
    assert_true(router_is_document(api_openapi));
    assert_true(router_is_document(api_queryables));
    assert_false(router_is_document(api_items));
    assert_false(router_is_document(api_item));
}

static void router_ignores_one_trailing_slash_only(void **state)
{
    (void)state;
    api_handler_fn handler = NULL;
    struct request req = make_request("/collections/", HTTP_GET);
    assert_int_equal(router_match(&req, &handler), ROUTER_MATCHED);
    assert_ptr_equal(handler, api_collections);
    req = make_request("/collections//", HTTP_GET);
    assert_int_equal(router_match(&req, &handler), ROUTER_NOT_FOUND);
    req = make_request("/", HTTP_GET);
    assert_int_equal(router_match(&req, &handler), ROUTER_MATCHED);
    assert_ptr_equal(handler, api_landing);
}

static void router_refuses_unknown_paths_and_other_methods(void **state)
{
    (void)state;
    api_handler_fn handler = NULL;
    const char *unknown[] = {
        "/nope",        "/collections/a/items/1/extra", "/collections//items", "/api/x", "//",
        "/conformance/"};
    for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
        struct request req = make_request(unknown[i], HTTP_GET);
        enum router_match_result r = router_match(&req, &handler);
        /* "/conformance/" is "/conformance": the only one that matches. */
        assert_int_equal(r, i == 5 ? ROUTER_MATCHED : ROUTER_NOT_FOUND);
        clear_route(&req);
    }
    struct request post = make_request("/collections", HTTP_OTHER);
    assert_int_equal(router_match(&post, &handler), ROUTER_METHOD_NOT_ALLOWED);
}

static void format_comes_from_f_then_accept_then_json(void **state)
{
    (void)state;
    unsigned all = (1u << HTTP_FORMAT_JSON) | (1u << HTTP_FORMAT_HTML) | (1u << HTTP_FORMAT_CSV);
    enum http_format f;
    struct err err;
    struct request req = make_request("/collections", HTTP_GET);
    assert_int_equal(request_format(&req, all, &f, &err), ERR_OK);
    assert_int_equal(f, HTTP_FORMAT_JSON);
    req.accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    assert_int_equal(request_format(&req, all, &f, &err), ERR_OK);
    assert_int_equal(f, HTTP_FORMAT_HTML);
    req.accept = "application/json;q=0.5, text/csv";
    assert_int_equal(request_format(&req, all, &f, &err), ERR_OK);
    assert_int_equal(f, HTTP_FORMAT_CSV);
    req.accept = "text/csv";
    assert_int_equal(request_format(&req, (1u << HTTP_FORMAT_JSON), &f, &err), ERR_OK);
    assert_int_equal(f, HTTP_FORMAT_JSON);
    add_param(&req, "f", "html");
    assert_int_equal(request_format(&req, all, &f, &err), ERR_OK);
    assert_int_equal(f, HTTP_FORMAT_HTML);
    req.params[0].value = "xml";
    assert_int_equal(request_format(&req, all, &f, &err), ERR_INVALID);
    assert_non_null(strstr(err.msg, "f: unknown format 'xml'"));
    req.params[0].value = "csv";
    assert_int_equal(request_format(&req, (1u << HTTP_FORMAT_JSON), &f, &err), ERR_INVALID);
}

static void language_comes_from_lang_then_accept_language(void **state)
{
    (void)state;
    enum http_lang lang;
    struct err err;
    struct request req = make_request("/", HTTP_GET);
    assert_int_equal(request_lang(&req, &lang, &err), ERR_OK);
    assert_int_equal(lang, HTTP_LANG_EN);
    req.accept_language = "th-TH,th;q=0.9,en-US;q=0.8,en;q=0.7";
    assert_int_equal(request_lang(&req, &lang, &err), ERR_OK);
    assert_int_equal(lang, HTTP_LANG_TH);
    req.accept_language = "en-GB, th;q=0.5";
    assert_int_equal(request_lang(&req, &lang, &err), ERR_OK);
    assert_int_equal(lang, HTTP_LANG_EN);
    req.accept_language = "thx, fr";
    assert_int_equal(request_lang(&req, &lang, &err), ERR_OK);
    assert_int_equal(lang, HTTP_LANG_EN);
    add_param(&req, "lang", "th");
    assert_int_equal(request_lang(&req, &lang, &err), ERR_OK);
    assert_int_equal(lang, HTTP_LANG_TH);
    req.params[0].value = "de";
    assert_int_equal(request_lang(&req, &lang, &err), ERR_INVALID);
}

/* One typed value of route's parameter p checked alone (as dispatch.c does); *err says why. */
static int check_one(const struct api_route *route, const struct route_param *p, const char *value,
                     struct err *err)
{
    static const struct http_app app = {.max_limit = 500, .default_limit = 10};
    struct request req = make_request("/", HTTP_GET);
    req.app = &app;
    add_param(&req, p->name, value);
    return api_route_check_values(route, &req, err);
}

/* The refusal of value names the parameter first and the bound. */
static void assert_refused(const struct api_route *route, const struct route_param *p,
                           const char *value, const char *bound)
{
    struct err err;
    char head[80];
    snprintf(head, sizeof(head), "%s: ", p->name);
    assert_int_equal(check_one(route, p, value, &err), ERR_INVALID);
    assert_int_equal(strncmp(err.msg, head, strlen(head)), 0);
    assert_non_null(strstr(err.msg, bound));
}

static void assert_integer_bounds(const struct api_route *route, const struct route_param *p)
{
    struct err err;
    char text[32], bound[32];
    snprintf(bound, sizeof(bound), "%lld", (long long)p->min);
    snprintf(text, sizeof(text), "%lld", (long long)p->min - 1);
    assert_refused(route, p, text, bound);
    assert_int_equal(check_one(route, p, bound, &err), ERR_OK);
    if (p->max < INT64_MAX && !(p->flags & ROUTE_PARAM_PAGE_SIZE)) {
        snprintf(bound, sizeof(bound), "%lld", (long long)p->max);
        snprintf(text, sizeof(text), "%lld", (long long)p->max + 1);
        assert_refused(route, p, text, bound);
        assert_int_equal(check_one(route, p, bound, &err), ERR_OK);
    }
}

static void assert_enum_values(const struct api_route *route, const struct route_param *p)
{
    struct err err;
    bool has_default = p->fallback == NULL;
    for (size_t i = 0; p->values[i] != NULL; i++) {
        assert_int_equal(check_one(route, p, p->values[i], &err), ERR_OK);
        has_default = has_default || strcmp(p->values[i], p->fallback) == 0;
    }
    assert_true(has_default);
    assert_refused(route, p, "zz", "is not one of");
}

/* Every typed parameter of the table takes its default and its bounds, and refuses a value
 * just past them with a message naming it and the bound. */
static void table_parameters_check_their_own_bounds(void **state)
{
    (void)state;
    size_t n_checked = 0;
    for (size_t i = 0; i < api_n_routes; i++) {
        const struct api_route *route = &api_routes[i];
        for (size_t k = 0; route->params[k] != NULL; k++) {
            const struct route_param *p = route->params[k];
            struct err err;
            if (p->in != ROUTE_PARAM_QUERY || (p->flags & ROUTE_PARAM_NEGOTIATED)) {
                continue;
            }
            if (p->fallback != NULL) {
                assert_int_equal(check_one(route, p, p->fallback, &err), ERR_OK);
            }
            if (p->type == ROUTE_TYPE_INTEGER) {
                assert_integer_bounds(route, p);
            } else if (p->type == ROUTE_TYPE_NUMBER) {
                char text[32];
                snprintf(text, sizeof(text), "%g", p->min_number - 0.5);
                assert_refused(route, p, text, "out of range");
            } else if (p->type == ROUTE_TYPE_ENUM) {
                assert_enum_values(route, p);
            } else if (p->type == ROUTE_TYPE_BOOLEAN) {
                assert_refused(route, p, "yes", "true or false");
            } else if (p->type == ROUTE_TYPE_CRS || p->type == ROUTE_TYPE_CRS84) {
                assert_refused(route, p, "EPSG:9999", "CRS");
            } else {
                continue;
            }
            n_checked++;
        }
    }
    assert_true(n_checked >= 60);
}

/* The getters give the checked value, the default when absent, and cut a page size. */
static void typed_getters_read_values_and_defaults(void **state)
{
    (void)state;
    static const struct http_app app = {.max_limit = 500, .default_limit = 10};
    struct request req = make_request("/collections/x/items", HTTP_GET);
    req.app = &app;
    req.route = api_route_of(api_items, HTTP_GET);
    struct err err;
    int64_t limit = 0, offset = -1, zoom = -1;
    bool skip = true;
    assert_int_equal(api_query_int(&req, "limit", &limit, &err), ERR_OK);
    assert_int_equal(limit, 10);
    assert_int_equal(api_query_int(&req, "offset", &offset, &err), ERR_OK);
    assert_int_equal(offset, 0);
    assert_int_equal(api_query_int(&req, "zoom", &zoom, &err), ERR_OK);
    assert_int_equal(zoom, -1); /* no default: left as it was */
    assert_int_equal(api_query_bool(&req, "skipGeometry", &skip, &err), ERR_OK);
    assert_false(skip);
    add_param(&req, "limit", "99999999999999999999999");
    assert_int_equal(api_query_int(&req, "limit", &limit, &err), ERR_OK);
    assert_int_equal(limit, 500);
    assert_int_equal(api_query_int(&req, "paper", &limit, &err), ERR_INTERNAL);
    req.route = api_route_of(api_scenario_map_png, HTTP_GET);
    add_param(&req, "paper", "a4");
    const char *paper = NULL;
    assert_int_equal(api_query_enum(&req, "paper", &paper, &err), ERR_OK);
    assert_string_equal(paper, "A4");
}

static void crs_names_in_every_accepted_form(void **state)
{
    (void)state;
    assert_int_equal(api_crs_find(API_CRS84)->srid, 4326);
    assert_false(api_crs_find("CRS84")->is_lat_lon);
    assert_true(api_crs_find("EPSG:4326")->is_lat_lon);
    assert_int_equal(api_crs_find("http://www.opengis.net/def/crs/EPSG/0/32647")->srid, 32647);
    assert_int_equal(api_crs_find("[EPSG:24047]")->srid, 24047);
    assert_int_equal(api_crs_find("EPSG:3857")->srid, 3857);
    assert_null(api_crs_find("EPSG:2000"));
    assert_null(api_crs_find(""));
    assert_null(api_crs_find("http://www.opengis.net/def/crs/EPSG/0/"));
    assert_null(api_crs_find(NULL));
}

static void query_edits_keep_order_and_encode(void **state)
{
    (void)state;
    struct request req = make_request("/collections/x/items", HTTP_GET);
    add_param(&req, "limit", "10");
    add_param(&req, "filter", "name LIKE 'วัด%'");
    add_param(&req, "offset", "20");
    struct api_param_edit edits[2] = {{"offset", "30"}, {"f", "html"}};
    char *q = api_query_edit(&req, edits, 2);
    assert_string_equal(q, "limit=10&filter=name%20LIKE%20%27%E0%B8%A7%E0%B8%B1%E0%B8%94%25%27"
                           "&offset=30&f=html");
    free(q);
    edits[0].value = NULL;
    char *href = api_href_edit(&req, edits, 1);
    assert_string_equal(href, "http://test/collections/x/items?limit=10&filter=name%20LIKE%20%27"
                              "%E0%B8%A7%E0%B8%B1%E0%B8%94%25%27");
    free(href);
}

static void gzip_is_used_only_when_accepted(void **state)
{
    (void)state;
    assert_true(server_body_accepts_gzip("gzip, deflate, br"));
    assert_true(server_body_accepts_gzip("GZIP"));
    assert_true(server_body_accepts_gzip("br;q=1, gzip;q=0.5"));
    assert_false(server_body_accepts_gzip("gzip;q=0"));
    assert_false(server_body_accepts_gzip("identity"));
    assert_false(server_body_accepts_gzip(NULL));
}

/* zlib's inflate (another implementation than igzip's) with a gzip wrapper. */
static size_t gunzip(const struct buf *in, char *out, size_t cap)
{
    z_stream z;
    memset(&z, 0, sizeof(z));
    assert_int_equal(inflateInit2(&z, 16 + 15), Z_OK);
    z.next_in = (Bytef *)in->data;
    z.avail_in = (uInt)in->len;
    z.next_out = (Bytef *)out;
    z.avail_out = (uInt)cap;
    assert_int_equal(inflate(&z, Z_FINISH), Z_STREAM_END);
    assert_int_equal(z.avail_in, 0); /* one member, nothing after it */
    size_t n = cap - z.avail_out;
    inflateEnd(&z);
    return n;
}

static void gzip_bodies_decode_to_the_same_bytes(void **state)
{
    (void)state;
    enum { BIG = 300 * 1024 };
    char *plain = malloc(BIG), *back = malloc(BIG + 1);
    size_t len = 0;
    for (unsigned i = 0; len + 80 < BIG; i++) { /* GeoJSON-like, repetitive text */
        len += (size_t)snprintf(plain + len, BIG - len,
                                "{\"type\":\"Feature\",\"id\":%u,\"geometry\":[98.%06u,18.%06u]},",
                                i, (i * 7919u) % 1000000u, (i * 104729u) % 1000000u);
    }
    uint32_t x = 12345; /* then bytes that do not compress */
    for (size_t i = len; i < BIG; i++) {
        x = x * 1103515245u + 12345u;
        plain[i] = (char)(x >> 24);
    }
    size_t sizes[] = {0, 1, 600, len, BIG};
    for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
        struct buf z;
        struct err e;
        buf_init(&z, 2 * BIG);
        assert_int_equal(buf_append(&z, "x", 1, &e), ERR_OK); /* appends after what is there */
        size_t before = z.len;
        assert_int_equal(compress_gzip(plain, sizes[k], &z, &e), ERR_OK);
        struct buf member = {z.data + before, z.len - before, 0, 0};
        assert_int_equal(gunzip(&member, back, BIG + 1), sizes[k]);
        assert_memory_equal(back, plain, sizes[k]);
        assert_int_equal(z.data[0], 'x');
        if (sizes[k] == len) {
            assert_true(member.len < len / 4); /* text compresses */
        }
        buf_clear(&z);
    }
    struct buf small;
    struct err e;
    buf_init(&small, 100);
    assert_int_equal(compress_gzip(plain, len, &small, &e), ERR_TOO_LARGE);
    assert_int_equal(small.len, 0);
    buf_clear(&small);
    free(plain);
    free(back);
}

/* Each thread keeps its own compressor (compress.c): threads compressing different bodies at
 * once each get their own bytes back, and the compressors go with the threads (ASan's leak
 * check fails the test otherwise). No cmocka asserts off the main thread: a job says is_ok. */
struct gzip_job {
    char text[64 * 1024];
    char back[64 * 1024 + 1];
    size_t len;
    bool is_ok;
};

static bool gunzip_matches(const struct buf *z, struct gzip_job *job)
{
    z_stream inflater;
    memset(&inflater, 0, sizeof(inflater));
    if (inflateInit2(&inflater, 16 + 15) != Z_OK) {
        return false;
    }
    inflater.next_in = (Bytef *)z->data;
    inflater.avail_in = (uInt)z->len;
    inflater.next_out = (Bytef *)job->back;
    inflater.avail_out = (uInt)sizeof(job->back);
    bool is_end = inflate(&inflater, Z_FINISH) == Z_STREAM_END;
    size_t n = sizeof(job->back) - inflater.avail_out;
    inflateEnd(&inflater);
    return is_end && n == job->len && memcmp(job->back, job->text, n) == 0;
}

static void *gzip_job_run(void *arg)
{
    struct gzip_job *job = arg;
    job->is_ok = true;
    for (int round = 0; round < 20 && job->is_ok; round++) {
        struct buf z;
        struct err e;
        buf_init(&z, 2 * sizeof(job->text));
        job->is_ok =
            compress_gzip(job->text, job->len, &z, &e) == ERR_OK && gunzip_matches(&z, job);
        buf_clear(&z);
    }
    return NULL;
}

static void gzip_threads_keep_their_own_compressor(void **state)
{
    (void)state;
    static struct gzip_job jobs[4];
    pthread_t threads[4];
    for (int t = 0; t < 4; t++) {
        jobs[t].len = 0;
        for (unsigned i = 0; jobs[t].len + 80 < sizeof(jobs[t].text); i++) {
            jobs[t].len +=
                (size_t)snprintf(jobs[t].text + jobs[t].len, sizeof(jobs[t].text) - jobs[t].len,
                                 "{\"thread\":%d,\"id\":%u,\"x\":%u},", t, i,
                                 (i * 7919u + (unsigned)t * 104729u) % 1000000u);
        }
        assert_int_equal(pthread_create(&threads[t], NULL, gzip_job_run, &jobs[t]), 0);
    }
    for (int t = 0; t < 4; t++) {
        assert_int_equal(pthread_join(threads[t], NULL), 0);
        assert_true(jobs[t].is_ok);
    }
}

static void hosts_with_markup_do_not_reach_links(void **state)
{
    (void)state;
    assert_string_equal(server_body_safe_host("127.0.0.1:8080"), "127.0.0.1:8080");
    assert_string_equal(server_body_safe_host("[::1]:8080"), "[::1]:8080");
    assert_string_equal(server_body_safe_host("evil\"><script>"), "localhost");
    assert_string_equal(server_body_safe_host(NULL), "localhost");
}

/* The description of an error body as jansson reads it back, or NULL. Free with free(). */
static char *error_description(const struct response *resp, int status)
{
    assert_int_equal(resp->status, status);
    assert_non_null(resp->body.data);
    json_error_t jerr;
    json_t *doc = json_loadb(resp->body.data, resp->body.len, 0, &jerr);
    assert_non_null(doc);
    assert_int_equal(json_integer_value(json_object_get(doc, "status")), status);
    char *d = strdup(json_string_value(json_object_get(doc, "description")));
    json_decref(doc);
    return d;
}

static void error_bodies_survive_invalid_utf8(void **state)
{
    (void)state;
    struct response resp;
    response_init(&resp);
    /* "%.60s" used to cut the third Thai character after its second byte. */
    struct err e;
    err_set(&e, ERR_INVALID, "sortby: 'กข\xE0\xB8' is not a property");
    response_set_error(&resp, &e);
    char *d = error_description(&resp, 400);
    assert_string_equal(d, "sortby: 'กข\xEF\xBF\xBD\xEF\xBF\xBD' is not a property");
    free(d);
    response_set_status_error(&resp, 415, "UnsupportedMediaType", "not '\xFF'");
    d = error_description(&resp, 415);
    assert_string_equal(d, "not '\xEF\xBF\xBD'");
    free(d);
    response_clear(&resp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(router_captures_collection_and_feature_ids),
        cmocka_unit_test(router_names_path_params_as_the_pattern_does),
        cmocka_unit_test(router_matches_every_row_of_the_table),
        cmocka_unit_test(route_path_params_are_the_pattern_captures),
        cmocka_unit_test(only_metadata_documents_are_cacheable),
        cmocka_unit_test(router_ignores_one_trailing_slash_only),
        cmocka_unit_test(router_refuses_unknown_paths_and_other_methods),
        cmocka_unit_test(format_comes_from_f_then_accept_then_json),
        cmocka_unit_test(language_comes_from_lang_then_accept_language),
        cmocka_unit_test(table_parameters_check_their_own_bounds),
        cmocka_unit_test(typed_getters_read_values_and_defaults),
        cmocka_unit_test(crs_names_in_every_accepted_form),
        cmocka_unit_test(query_edits_keep_order_and_encode),
        cmocka_unit_test(gzip_is_used_only_when_accepted),
        cmocka_unit_test(gzip_bodies_decode_to_the_same_bytes),
        cmocka_unit_test(gzip_threads_keep_their_own_compressor),
        cmocka_unit_test(hosts_with_markup_do_not_reach_links),
        cmocka_unit_test(error_bodies_survive_invalid_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
