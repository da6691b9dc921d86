/* test_http_write.c - http/ for writes, without a socket: the capped request body, the
 * methods each route answers (405 with Allow, OPTIONS per route) and server_handle's
 * refusals before any handler runs. */
#include "unit.h"

#include <stdlib.h>
#include <string.h>

#include "http/response.h"
#include "http/router.h"
#include "http/server.h"

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
    free(req->collection_id);
    free(req->feature_id);
    req->collection_id = req->feature_id = NULL;
}

static const char *find_header(const struct response *resp, const char *name)
{
    for (size_t i = 0; i < resp->n_headers; i++) {
        if (strcmp(resp->headers[i].name, name) == 0) {
            return resp->headers[i].value;
        }
    }
    return NULL;
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
        assert_string_equal(find_header(&resp, "Allow"), "GET, HEAD, OPTIONS");
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
    assert_string_equal(find_header(&resp, "Allow"), "GET, HEAD, OPTIONS");
    assert_string_equal(find_header(&resp, "Access-Control-Allow-Methods"), "GET, HEAD, OPTIONS");
    const char *headers = find_header(&resp, "Access-Control-Allow-Headers");
    assert_non_null(strstr(headers, "Authorization"));
    assert_non_null(strstr(headers, "Content-Type"));
    assert_non_null(strstr(headers, "If-None-Match"));
    clear_request(&req);
    response_clear(&resp);

    req = make_request("/no/such/thing", HTTP_OPTIONS, "OPTIONS");
    response_init(&resp);
    server_handle(&req, &resp);
    assert_int_equal(resp.status, 404);
    assert_null(find_header(&resp, "Allow"));
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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
