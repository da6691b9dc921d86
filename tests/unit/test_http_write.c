/* test_http_write.c - http/ for writes, without a socket: the capped request body, the
 * methods each route answers (405 with Allow, OPTIONS per route) and server_handle's
 * refusals before any handler runs; then the scenario API on a real database: the token
 * rules, Content-Type, 413, creating (201, 409), replacing and deleting scenarios, adding,
 * moving and deleting sketches, reads seeing each write's generation, and nothing changed
 * by any refused write. */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "http/handlers/api_auth.h"
#include "http/transport/response.h"
#include "http/server/router.h"
#include "http/server/dispatch.h"
#include "http/server/server.h"
#include "scenario/token.h"
#include "store/store.h"
#include "store/store_read.h"
#include "store/store_scenario.h"

#include "unit_fixtures.h"
#include "unit_support.c"

static struct request make_request(const char *path, enum http_method method, const char *name)
{
    struct request req;
    memset(&req, 0, sizeof(req));
    req.path = path;
    req.method = method;
    req.method_name = name;
    req.raw_query = "";
    req.base_url = "http://test";
    return req;
}

static void clear_request(struct request *req)
{
    request_free_path_params(req);
}

static void body_under_the_cap_is_kept_whole(void **state)
{
    (void)state;
    struct request_body b;
    request_body_init(&b);
    request_body_add(&b, "{\"type\":", 8);
    request_body_add(&b, "", 0);
    request_body_add(&b, "\"Feature\"}", 10);
    struct request req;
    memset(&req, 0, sizeof(req));
    request_body_attach(&b, &req);
    assert_false(req.is_body_too_large);
    assert_int_equal(req.body_len, 18);
    assert_string_equal(req.body, "{\"type\":\"Feature\"}");
    request_body_clear(&b);
}

static void body_past_one_mebibyte_is_dropped_and_flagged(void **state)
{
    (void)state;
    size_t piece_len = 256 * 1024;
    char *piece = malloc(piece_len);
    memset(piece, 'x', piece_len);
    struct request_body b;
    request_body_init(&b);
    for (int i = 0; i < 4; i++) {
        request_body_add(&b, piece, piece_len);
    }
    assert_false(b.is_too_large); /* exactly 1 MiB still fits */
    assert_int_equal(b.buf.len, REQUEST_MAX_BODY);
    request_body_add(&b, "y", 1);
    assert_true(b.is_too_large);
    assert_int_equal(b.buf.len, 0);
    /* What comes after is drained, not kept. */
    request_body_add(&b, piece, piece_len);
    assert_int_equal(b.buf.len, 0);
    struct request req;
    memset(&req, 0, sizeof(req));
    request_body_attach(&b, &req);
    assert_true(req.is_body_too_large);
    assert_null(req.body);
    request_body_clear(&b);
    free(piece);
}

static void write_methods_are_told_apart(void **state)
{
    (void)state;
    assert_true(http_method_is_write(HTTP_POST));
    assert_true(http_method_is_write(HTTP_PUT));
    assert_true(http_method_is_write(HTTP_PATCH));
    assert_true(http_method_is_write(HTTP_DELETE));
    assert_false(http_method_is_write(HTTP_GET));
    assert_false(http_method_is_write(HTTP_HEAD));
    assert_false(http_method_is_write(HTTP_OPTIONS));
    assert_false(http_method_is_write(HTTP_OTHER));
}

static void allow_header_lists_methods_in_order_with_options(void **state)
{
    (void)state;
    char out[80];
    assert_int_equal(router_allow_header(HTTP_METHODS_READ, out, sizeof(out)), 18);
    assert_string_equal(out, "GET, HEAD, OPTIONS");
    router_allow_header(HTTP_METHOD_BIT(HTTP_DELETE) | HTTP_METHODS_READ |
                            HTTP_METHOD_BIT(HTTP_PUT),
                        out, sizeof(out));
    assert_string_equal(out, "GET, HEAD, PUT, DELETE, OPTIONS");
    char small[12];
    router_allow_header(HTTP_METHODS_READ, small, sizeof(small));
    assert_string_equal(small, "GET, HEAD");
}

static void write_to_a_read_only_route_is_405_with_allow(void **state)
{
    (void)state;
    const char *names[] = {"POST", "PUT", "PATCH", "DELETE", "TRACE"};
    enum http_method methods[] = {HTTP_POST, HTTP_PUT, HTTP_PATCH, HTTP_DELETE, HTTP_OTHER};
    for (size_t i = 0; i < 5; i++) {
        struct request req = make_request("/collections/cm-tambon/items", methods[i], names[i]);
        struct response resp;
        response_init(&resp);
        server_handle(&req, &resp);
        assert_int_equal(resp.status, 405);
        assert_string_equal(unit_header(&resp, "Allow"), "GET, HEAD, OPTIONS");
        assert_non_null(strstr(resp.body.data, names[i]));
        assert_non_null(strstr(resp.body.data, "\"MethodNotAllowed\""));
        clear_request(&req);
        response_clear(&resp);
    }
}

static void a_large_body_to_a_read_only_route_is_still_405(void **state)
{
    (void)state;
    struct request req = make_request("/collections", HTTP_POST, "POST");
    req.is_body_too_large = true;
    struct response resp;
    response_init(&resp);
    server_handle(&req, &resp);
    assert_int_equal(resp.status, 405);
    clear_request(&req);
    response_clear(&resp);
}

static void options_answers_per_route_and_allows_the_write_headers(void **state)
{
    (void)state;
    struct request req = make_request("/collections/cm-tambon/items/", HTTP_OPTIONS, "OPTIONS");
    struct response resp;
    response_init(&resp);
    server_handle(&req, &resp);
    assert_int_equal(resp.status, 204);
    assert_string_equal(unit_header(&resp, "Allow"), "GET, HEAD, OPTIONS");
    assert_string_equal(unit_header(&resp, "Access-Control-Allow-Methods"), "GET, HEAD, OPTIONS");
    const char *headers = unit_header(&resp, "Access-Control-Allow-Headers");
    assert_non_null(strstr(headers, "Authorization"));
    assert_non_null(strstr(headers, "Content-Type"));
    assert_non_null(strstr(headers, "If-None-Match"));
    clear_request(&req);
    response_clear(&resp);

    req = make_request("/no/such/thing", HTTP_OPTIONS, "OPTIONS");
    response_init(&resp);
    server_handle(&req, &resp);
    assert_int_equal(resp.status, 404);
    assert_null(unit_header(&resp, "Allow"));
    clear_request(&req);
    response_clear(&resp);
}

static void router_reports_the_methods_of_a_path(void **state)
{
    (void)state;
    struct request req = make_request("/styles/cm-tambon", HTTP_DELETE, "DELETE");
    api_handler_fn handler = NULL;
    unsigned allowed = 0;
    assert_int_equal(router_match_methods(&req, &handler, &allowed), ROUTER_METHOD_NOT_ALLOWED);
    assert_int_equal(allowed, HTTP_METHODS_READ);
    clear_request(&req);
    req = make_request("/nope", HTTP_GET, "GET");
    assert_int_equal(router_match_methods(&req, &handler, &allowed), ROUTER_NOT_FOUND);
    assert_int_equal(allowed, 0);
}

/* The scenario API on a database: one point layer, scenario "alpha", an active and a
 * revoked token. */

static char dir_path[128];
static char db_path[256];
static struct http_app app;
static char active_auth[TOKEN_TEXT_LEN + 16];
static char revoked_auth[TOKEN_TEXT_LEN + 16];

#define DOC_ALPHA                                                                                  \
    "{\"id\": \"alpha\", \"title\": {\"th\": \"ทดสอบ\", \"en\": \"Test\"}, "             \
    "\"narrative\": {\"th\": \"ตัวอย่าง\", \"en\": \"An example\"}, "              \
    "\"extent\": [98.95, 18.76, 99.02, 18.82], \"layers\": [{\"collection\": \"points\"}]}"

#define POINT_FEATURE(lon, kind)                                                                   \
    "{\"type\": \"Feature\", \"geometry\": {\"type\": \"Point\", \"coordinates\": [" lon           \
    ", 18.79]}, \"properties\": {\"kind\": \"" kind "\", \"note\": \"ทางเท้า\"}}"

static int write_points(struct store *st, struct err *e)
{
    static const struct store_field fields[] = {
        {.name = "name", .type = STORE_TEXT, .source_type = "String"}};
    struct store_layer_writer *w = NULL;
    int rc = store_layer_begin(st, "points", "points", NULL, false, fields, 1, true, &w, e);
    unsigned char wkb[21] = {1, 1, 0, 0, 0};
    double xy[2] = {98.98, 18.79};
    memcpy(wkb + 5, xy, 16);
    struct store_value v = {.ptr = "a", .len = 1};
    if (rc == ERR_OK) {
        rc = store_layer_add(w, &v, wkb, sizeof(wkb), e);
    }
    if (rc == ERR_OK) {
        struct store_layer_meta meta = {.id = "points", .title_en = "Points", .source_path = "p"};
        rc = store_layer_finish(w, &meta, e);
    }
    store_layer_writer_free(w);
    return rc;
}

static int add_token(struct store *st, const char *name, char *auth, size_t cap, struct err *e)
{
    char token[TOKEN_TEXT_LEN + 1], hash[TOKEN_HASH_HEX_LEN + 1];
    int rc = token_generate(token, e);
    if (rc == ERR_OK) {
        token_hash(token, strlen(token), hash);
        rc = store_token_create(st, name, hash, e);
    }
    snprintf(auth, cap, "Bearer %s", token);
    return rc;
}

static int make_database(struct err *e)
{
    struct store *st = NULL;
    int rc = store_open(db_path, STORE_READ_WRITE, &st, e);
    if (rc == ERR_OK) {
        rc = store_import_begin(st, e);
    }
    if (rc == ERR_OK) {
        rc = write_points(st, e);
    }
    if (rc == ERR_OK) {
        /* The city's extent: sketches and scenario extents outside it are refused. */
        rc = store_city_replace(st,
                                "{\"id\":\"testtown\",\"title\":{\"en\":\"Testtown\"},"
                                "\"extent\":[98,18,100,20]}",
                                e);
    }
    if (rc == ERR_OK) {
        rc = store_import_commit(st, e);
    }
    if (rc == ERR_OK) {
        rc = store_scenario_put(st, "alpha", DOC_ALPHA, true, NULL, e);
    }
    if (rc == ERR_OK) {
        rc = add_token(st, "facilitator", active_auth, sizeof(active_auth), e);
    }
    if (rc == ERR_OK) {
        rc = add_token(st, "former", revoked_auth, sizeof(revoked_auth), e);
    }
    if (rc == ERR_OK) {
        rc = store_token_revoke(st, "former", e);
    }
    store_close(st);
    return rc;
}

static int db_setup(void **state)
{
    (void)state;
    unit_temp_db(dir_path, sizeof(dir_path), db_path, sizeof(db_path));
    struct err e;
    if (make_database(&e) != ERR_OK || store_pool_open(db_path, 4, &app.pool, &e) != ERR_OK) {
        fprintf(stderr, "test database: %s\n", e.msg);
        return -1;
    }
    app.base_url = "http://test";
    app.max_limit = 5000;
    app.default_limit = 100;
    app.db_path = db_path;
    return 0;
}

static int db_teardown(void **state)
{
    (void)state;
    store_pool_close(app.pool);
    return unit_remove_dir(dir_path);
}

/* One request through server_handle, as server.c makes it. */
struct call {
    struct request req;
    struct response resp;
    json_t *json; /* the body parsed, when it is JSON */
};

static void call(struct call *c, enum http_method method, const char *path, const char *auth,
                 const char *content_type, const char *body)
{
    static const char *const names[] = {"GET", "HEAD",  "OPTIONS", "POST",
                                        "PUT", "PATCH", "DELETE",  "TRACE"};
    memset(c, 0, sizeof(*c));
    c->req.app = &app;
    c->req.method = method;
    c->req.method_name = names[method];
    c->req.path = path;
    c->req.raw_query = "";
    c->req.base_url = "http://test";
    c->req.authorization = auth;
    c->req.content_type = content_type;
    c->req.body = body;
    c->req.body_len = body != NULL ? strlen(body) : 0;
    response_init(&c->resp);
    server_handle(&c->req, &c->resp);
    if (c->resp.body.len > 0) {
        c->json = json_loads(c->resp.body.data, 0, NULL);
    }
}

static void call_end(struct call *c)
{
    json_decref(c->json);
    response_clear(&c->resp);
    store_read_end(c->req.rd);
    clear_request(&c->req);
}

static const char *description(const struct call *c)
{
    const char *d = json_string_value(json_object_get(c->json, "description"));
    return d != NULL ? d : "";
}

/* Everything a write could change: each scenario (document, times, sketch count) and each
 * layer's version, read on a fresh connection. Free with free(). */
static char *db_state(void)
{
    struct err e;
    struct store *st = NULL;
    struct store_scenario *list = NULL;
    struct store_layer_info *layers = NULL;
    size_t n = 0, n_layers = 0;
    assert_int_equal(store_open(db_path, STORE_READ_ONLY, &st, &e), ERR_OK);
    assert_int_equal(store_scenarios_list_db(st, &list, &n, &e), ERR_OK);
    assert_int_equal(store_layers_list(st, &layers, &n_layers, &e), ERR_OK);
    struct buf b;
    buf_init(&b, 16 * 1024 * 1024);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(buf_printf(&b, &e, "%s|%s|%s|%lld\n", list[i].id, list[i].doc,
                                    list[i].updated_at, (long long)list[i].n_sketches),
                         ERR_OK);
    }
    for (size_t i = 0; i < n_layers; i++) {
        assert_int_equal(buf_printf(&b, &e, "%s|%lld|%lld\n", layers[i].id,
                                    (long long)layers[i].version,
                                    (long long)layers[i].feature_count),
                         ERR_OK);
    }
    store_scenarios_free(list, n);
    store_layer_infos_free(layers, n_layers);
    store_close(st);
    return buf_take(&b);
}

static void expect_refusal(enum http_method method, const char *path, const char *auth,
                           const char *type, const char *body, int status, const char *words)
{
    char *before = db_state();
    struct call c;
    call(&c, method, path, auth, type, body);
    if (c.resp.status != status) {
        fail_msg("%s %s: status %d, not %d (%s)", c.req.method_name, path, c.resp.status, status,
                 description(&c));
    }
    assert_non_null(c.json);
    assert_int_equal(json_integer_value(json_object_get(c.json, "status")), status);
    if (strstr(description(&c), words) == NULL) {
        fail_msg("%s %s: '%s' does not say '%s'", c.req.method_name, path, description(&c), words);
    }
    assert_string_equal(unit_header(&c.resp, "Cache-Control"), "no-store");
    if (status == 401) {
        assert_string_equal(unit_header(&c.resp, "WWW-Authenticate"), API_AUTH_CHALLENGE);
    }
    call_end(&c);
    char *after = db_state();
    assert_string_equal(after, before);
    free(before);
    free(after);
}

static const struct {
    enum http_method method;
    const char *path;
    const char *body;
} write_routes[] = {
    {HTTP_POST, "/scenarios", DOC_ALPHA},
    {HTTP_PUT, "/scenarios/alpha", DOC_ALPHA},
    {HTTP_DELETE, "/scenarios/alpha", NULL},
    {HTTP_POST, "/scenarios/alpha/sketches", POINT_FEATURE("98.98", "proposal")},
    {HTTP_PUT, "/scenarios/alpha/sketches/1", POINT_FEATURE("98.98", "proposal")},
    {HTTP_DELETE, "/scenarios/alpha/sketches/1", NULL},
};
#define N_WRITE_ROUTES (sizeof(write_routes) / sizeof(write_routes[0]))

static void every_write_refuses_a_missing_bad_unknown_or_revoked_token(void **state)
{
    (void)state;
    const char *unknown = "Bearer cat_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    for (size_t i = 0; i < N_WRITE_ROUTES; i++) {
        enum http_method m = write_routes[i].method;
        const char *path = write_routes[i].path, *body = write_routes[i].body;
        expect_refusal(m, path, NULL, "application/json", body, 401, "token");
        expect_refusal(m, path, "Bearer", "application/json", body, 401, "token");
        expect_refusal(m, path, "Basic YTpi", "application/json", body, 401, "token");
        expect_refusal(m, path, unknown, "application/json", body, 401, "not known");
        expect_refusal(m, path, revoked_auth, "application/json", body, 403, "revoked");
    }
}

static void bearer_header_is_read_strictly(void **state)
{
    (void)state;
    const char *token = NULL;
    size_t len = 0;
    assert_true(api_auth_bearer("Bearer cat_x", &token, &len));
    assert_int_equal(len, 5);
    assert_true(api_auth_bearer("bearer   cat_x  ", &token, &len));
    assert_int_equal(len, 5);
    assert_false(api_auth_bearer("Bearer", &token, &len));
    assert_false(api_auth_bearer("Bearer ", &token, &len));
    assert_false(api_auth_bearer("Bearercat_x", &token, &len));
    assert_false(api_auth_bearer("Bearer a b", &token, &len));
    assert_false(api_auth_bearer("Basic cat_x", &token, &len));
    assert_true(api_auth_is_json_type("application/geo+json; charset=utf-8"));
    assert_true(api_auth_is_json_type("Application/JSON"));
    assert_false(api_auth_is_json_type("application/jsonx"));
    assert_false(api_auth_is_json_type("text/plain"));
    assert_false(api_auth_is_json_type(NULL));
}

static void a_body_needs_a_json_type_and_at_most_one_mebibyte(void **state)
{
    (void)state;
    const char *body = POINT_FEATURE("98.98", "proposal");
    expect_refusal(HTTP_POST, "/scenarios/alpha/sketches", active_auth, "text/plain", body, 415,
                   "Content-Type");
    expect_refusal(HTTP_POST, "/scenarios/alpha/sketches", active_auth, NULL, body, 415,
                   "Content-Type");
    /* server.c sets the flag when the body passed REQUEST_MAX_BODY. */
    char *before = db_state();
    struct call c;
    memset(&c, 0, sizeof(c));
    c.req = make_request("/scenarios/alpha/sketches", HTTP_POST, "POST");
    c.req.app = &app;
    c.req.authorization = active_auth;
    c.req.is_body_too_large = true;
    response_init(&c.resp);
    server_handle(&c.req, &c.resp);
    assert_int_equal(c.resp.status, 413);
    assert_non_null(strstr(c.resp.body.data, "larger than 1 MiB"));
    call_end(&c);
    char *after = db_state();
    assert_string_equal(after, before);
    free(before);
    free(after);
}

static void bad_documents_and_sketches_are_400_naming_the_problem(void **state)
{
    (void)state;
    const char *a = active_auth, *json = "application/json";
    expect_refusal(HTTP_POST, "/scenarios", a, json, "{\"id\": ", 400, "");
    expect_refusal(HTTP_PUT, "/scenarios/alpha", a, json,
                   "{\"id\": \"beta\", \"title\": {\"th\": \"ก\", \"en\": \"b\"}}", 400, "id");
    char doc[1024];
    snprintf(doc, sizeof(doc), "%s", DOC_ALPHA);
    char *at = strstr(doc, "\"points\"");
    memcpy(at, "\"nopnts\"", 8);
    expect_refusal(HTTP_PUT, "/scenarios/alpha", a, json, doc, 400, "nopnts");
    const char *sk = "/scenarios/alpha/sketches";
    expect_refusal(
        HTTP_POST, sk, a, json, POINT_FEATURE("120.5", "proposal"), 400,
        "geometry.coordinates: longitude 120.5 is outside the extent of Testtown (98 to 100)");
    expect_refusal(HTTP_POST, sk, a, json, POINT_FEATURE("98.98", "spaceship"), 400, "spaceship");
    expect_refusal(HTTP_POST, sk, a, json,
                   "{\"type\": \"FeatureCollection\", \"features\": [" POINT_FEATURE(
                       "98.98", "proposal") ", " POINT_FEATURE("98.98", "ufo") "]}",
                   400, "features[1]");
    expect_refusal(HTTP_POST, sk, a, json,
                   "{\"type\": \"Feature\", \"geometry\": {\"type\": \"Polygon\", "
                   "\"coordinates\": [[[98.98, 18.78], [98.99, 18.79], [98.99, 18.78], "
                   "[98.98, 18.79], [98.98, 18.78]]]}, \"properties\": {\"kind\": \"problem\"}}",
                   400, "geometry");
    expect_refusal(HTTP_POST, "/scenarios/nope/sketches", a, json,
                   POINT_FEATURE("98.98", "proposal"), 404, "nope");
}

static const char *etag_of(const char *path)
{
    static char etag[128];
    struct call c;
    call(&c, HTTP_GET, path, NULL, NULL, NULL);
    assert_int_equal(c.resp.status, 200);
    snprintf(etag, sizeof(etag), "%s", c.resp.etag);
    call_end(&c);
    return etag;
}

static void scenarios_are_created_replaced_and_deleted(void **state)
{
    (void)state;
    char before[128];
    snprintf(before, sizeof(before), "%s", etag_of("/scenarios"));
    char doc[1024];
    snprintf(doc, sizeof(doc), "%s", DOC_ALPHA);
    memcpy(strstr(doc, "alpha"), "gamma", 5);
    struct call c;
    call(&c, HTTP_POST, "/scenarios", active_auth, "application/json", doc);
    assert_int_equal(c.resp.status, 201);
    assert_string_equal(unit_header(&c.resp, "Location"), "http://test/scenarios/gamma");
    call_end(&c);
    /* The write moved the generation: the list's ETag moves and it shows the new one. */
    assert_string_not_equal(etag_of("/scenarios"), before);
    call(&c, HTTP_GET, "/scenarios", NULL, NULL, NULL);
    assert_int_equal(json_array_size(json_object_get(c.json, "scenarios")), 2);
    call_end(&c);
    expect_refusal(HTTP_POST, "/scenarios", active_auth, "application/json", doc, 409, "gamma");

    call(&c, HTTP_PUT, "/scenarios/gamma", active_auth, "application/json",
         "{\"title\": {\"th\": \"ใหม่\", \"en\": \"New\"}, \"narrative\": {\"th\": \"ก\", "
         "\"en\": \"n\"}, \"extent\": [98.95, 18.76, 99.02, 18.82], \"layers\": []}");
    assert_int_equal(c.resp.status, 200);
    call_end(&c);
    call(&c, HTTP_GET, "/scenarios/gamma", NULL, NULL, NULL);
    assert_int_equal(c.resp.status, 200);
    assert_string_equal(json_string_value(json_object_get(json_object_get(c.json, "title"), "en")),
                        "New");
    call_end(&c);
    call(&c, HTTP_DELETE, "/scenarios/gamma", active_auth, NULL, NULL);
    assert_int_equal(c.resp.status, 204);
    call_end(&c);
    call(&c, HTTP_GET, "/scenarios/gamma", NULL, NULL, NULL);
    assert_int_equal(c.resp.status, 404);
    call_end(&c);
    expect_refusal(HTTP_DELETE, "/scenarios/gamma", active_auth, NULL, NULL, 404, "gamma");
    expect_refusal(HTTP_PUT, "/scenarios/gamma", active_auth, "application/json", doc, 404,
                   "gamma");
}

static json_int_t sketch_lon_x1000(const char *path)
{
    struct call c;
    call(&c, HTTP_GET, path, NULL, NULL, NULL);
    assert_int_equal(c.resp.status, 200);
    json_t *coords = json_object_get(json_object_get(c.json, "geometry"), "coordinates");
    json_int_t lon = (json_int_t)(json_number_value(json_array_get(coords, 0)) * 1000 + 0.5);
    call_end(&c);
    return lon;
}

static void sketches_are_added_moved_and_deleted(void **state)
{
    (void)state;
    struct call c;
    call(&c, HTTP_POST, "/scenarios/alpha/sketches", active_auth, "application/geo+json",
         POINT_FEATURE("98.98", "proposal"));
    assert_int_equal(c.resp.status, 201);
    json_int_t id = json_integer_value(json_object_get(c.json, "id"));
    assert_true(id >= 1);
    char item[128], sketch[128];
    snprintf(item, sizeof(item), "/collections/scenario-alpha-sketches/items/%lld", (long long)id);
    snprintf(sketch, sizeof(sketch), "/scenarios/alpha/sketches/%lld", (long long)id);
    char location[160];
    snprintf(location, sizeof(location), "http://test%s", item);
    assert_string_equal(unit_header(&c.resp, "Location"), location);
    call_end(&c);
    assert_int_equal(sketch_lon_x1000(item), 98980);

    call(&c, HTTP_PUT, sketch, active_auth, "application/json", POINT_FEATURE("98.99", "asset"));
    assert_int_equal(c.resp.status, 200);
    call_end(&c);
    assert_int_equal(sketch_lon_x1000(item), 98990);
    assert_int_equal(sketch_lon_x1000(sketch), 98990);

    call(&c, HTTP_DELETE, sketch, active_auth, NULL, NULL);
    assert_int_equal(c.resp.status, 204);
    call_end(&c);
    call(&c, HTTP_GET, item, NULL, NULL, NULL);
    assert_int_equal(c.resp.status, 404);
    call_end(&c);
    expect_refusal(HTTP_DELETE, sketch, active_auth, NULL, NULL, 404, "");
}

static void a_write_waiting_past_another_writer_is_503_with_retry_after(void **state)
{
    (void)state;
    struct err e;
    struct store *holder = NULL;
    assert_int_equal(store_open(db_path, STORE_READ_WRITE, &holder, &e), ERR_OK);
    assert_int_equal(store_import_begin(holder, &e), ERR_OK); /* holds the write lock */
    char *before = db_state();
    struct call c;
    call(&c, HTTP_POST, "/scenarios/alpha/sketches", active_auth, "application/json",
         POINT_FEATURE("98.98", "proposal"));
    assert_int_equal(c.resp.status, 503);
    assert_string_equal(unit_header(&c.resp, "Retry-After"), "1");
    call_end(&c);
    store_import_rollback(holder);
    store_close(holder);
    char *after = db_state();
    assert_string_equal(after, before);
    free(before);
    free(after);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(body_under_the_cap_is_kept_whole),
        cmocka_unit_test(body_past_one_mebibyte_is_dropped_and_flagged),
        cmocka_unit_test(write_methods_are_told_apart),
        cmocka_unit_test(allow_header_lists_methods_in_order_with_options),
        cmocka_unit_test(write_to_a_read_only_route_is_405_with_allow),
        cmocka_unit_test(a_large_body_to_a_read_only_route_is_still_405),
        cmocka_unit_test(options_answers_per_route_and_allows_the_write_headers),
        cmocka_unit_test(router_reports_the_methods_of_a_path),
        cmocka_unit_test(bearer_header_is_read_strictly),
    };
    const struct CMUnitTest db_tests[] = {
        cmocka_unit_test(every_write_refuses_a_missing_bad_unknown_or_revoked_token),
        cmocka_unit_test(a_body_needs_a_json_type_and_at_most_one_mebibyte),
        cmocka_unit_test(bad_documents_and_sketches_are_400_naming_the_problem),
        cmocka_unit_test(scenarios_are_created_replaced_and_deleted),
        cmocka_unit_test(sketches_are_added_moved_and_deleted),
        cmocka_unit_test(a_write_waiting_past_another_writer_is_503_with_retry_after),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    return failed + cmocka_run_group_tests(db_tests, db_setup, db_teardown);
}
