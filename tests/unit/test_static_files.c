/* test_static_files.c - http/handlers/static_files.c: which paths may name a file, content types,
 * the /map routes, and files served from a temporary web root (symlinks leaving it,
 * folders, conditional requests, a root without node_modules), without a socket. */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http/transport/response.h"
#include "http/server/router.h"
#include "http/server/dispatch.h"
#include "http/server/server.h"
#include "http/handlers/static_files.h"

#include "unit_fixtures.h"
#include "unit_support.c"

static struct request make_request(const struct http_app *app, const char *path)
{
    struct request req;
    memset(&req, 0, sizeof(req));
    req.app = app;
    req.path = path;
    req.method = HTTP_GET;
    req.method_name = "GET";
    req.raw_query = "";
    req.base_url = "http://test";
    return req;
}

static void write_file(const char *dir, const char *rel, const char *text)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", dir, rel);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void safe_paths_are_plain_segments_below_the_root(void **state)
{
    (void)state;
    const char *good[] = {"index.html", "app.js", "node_modules/leaflet/dist/leaflet.js",
                          "a..b/c.d", "x-y_z~1.css"};
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        if (!static_files_is_safe_path(good[i])) {
            fail_msg("refused %s", good[i]);
        }
    }
    const char *bad[] = {
        "",       "..",           "../README.md", "a/../../etc/passwd", ".git/config",
        "a/.env", "./index.html", "a//b",         "/etc/passwd",        "a\\..\\b",
        "dir/",   "a\tb",         "a\x7f",        "node_modules/.bin/x"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (static_files_is_safe_path(bad[i])) {
            fail_msg("accepted '%s'", bad[i]);
        }
    }
}

static void mime_types_follow_the_extension(void **state)
{
    (void)state;
    assert_string_equal(static_files_mime_type("index.html"), "text/html; charset=utf-8");
    assert_string_equal(static_files_mime_type("a/b/leaflet.JS"), "text/javascript; charset=utf-8");
    assert_string_equal(static_files_mime_type("m.mjs"), "text/javascript; charset=utf-8");
    assert_string_equal(static_files_mime_type("leaflet.css"), "text/css; charset=utf-8");
    assert_string_equal(static_files_mime_type("leaflet.js.map"), "application/json");
    assert_string_equal(static_files_mime_type("i.svg"), "image/svg+xml");
    assert_string_equal(static_files_mime_type("i.png"), "image/png");
    assert_string_equal(static_files_mime_type("f.woff2"), "font/woff2");
    assert_string_equal(static_files_mime_type("LICENSE"), "application/octet-stream");
    assert_string_equal(static_files_mime_type("v1.2/LICENSE"), "application/octet-stream");
    assert_string_equal(static_files_mime_type("x.exe"), "application/octet-stream");
}

static void router_sends_map_paths_to_the_files_and_bare_map_to_a_redirect(void **state)
{
    (void)state;
    struct http_app app;
    memset(&app, 0, sizeof(app));
    api_handler_fn handler = NULL;
    const char *files[] = {"/map/", "/map/app.js", "/map/node_modules/leaflet/dist/leaflet.js",
                           "/map/../README.md", "/map/dir/"};
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        struct request req = make_request(&app, files[i]);
        assert_int_equal(router_match(&req, &handler), ROUTER_MATCHED);
        assert_ptr_equal(handler, static_files_serve);
    }
    struct request req = make_request(&app, "/map");
    assert_int_equal(router_match(&req, &handler), ROUTER_MATCHED);
    assert_ptr_equal(handler, static_files_redirect);
    const char *unknown[] = {"/mapx", "/maps/a.js", "/map//a.js", "/x/map/"};
    for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
        req = make_request(&app, unknown[i]);
        assert_int_equal(router_match(&req, &handler), ROUTER_NOT_FOUND);
    }
    req = make_request(&app, "/map/app.js");
    req.method = HTTP_OTHER;
    assert_int_equal(router_match(&req, &handler), ROUTER_METHOD_NOT_ALLOWED);
}

static void bare_map_redirects_with_its_query(void **state)
{
    (void)state;
    struct http_app app;
    memset(&app, 0, sizeof(app));
    struct request req = make_request(&app, "/map");
    req.raw_query = "lang=th";
    struct response resp;
    response_init(&resp);
    server_handle(&req, &resp);
    assert_int_equal(resp.status, 301);
    assert_string_equal(unit_header(&resp, "Location"), "http://test/map/?lang=th");
    response_clear(&resp);
}

/* A web root with index.html, app.js, a folder, node_modules, and a symlink to a file
 * outside it (next to the root, in the same temporary folder). */
static char *make_root(bool has_modules)
{
    const char *tmp = unit_temp_dir();
    char *root = malloc(strlen(tmp) + 8);
    assert_non_null(root);
    sprintf(root, "%s/web", tmp);
    assert_int_equal(mkdir(root, 0755), 0);
    write_file(root, "index.html", "<!doctype html><title>cityatlas</title>");
    write_file(root, "app.js", "'use strict';\n");
    write_file(tmp, "secret.txt", "outside the root\n");
    char path[4096], target[4096];
    snprintf(path, sizeof(path), "%s/dir", root);
    assert_int_equal(mkdir(path, 0755), 0);
    snprintf(path, sizeof(path), "%s/escape.txt", root);
    snprintf(target, sizeof(target), "%s/secret.txt", tmp);
    assert_int_equal(symlink(target, path), 0);
    snprintf(path, sizeof(path), "%s/inside.js", root);
    assert_int_equal(symlink("app.js", path), 0);
    if (has_modules) {
        snprintf(path, sizeof(path), "%s/node_modules", root);
        assert_int_equal(mkdir(path, 0755), 0);
    }
    return root;
}

/* Removes what make_root made (the folder above the root included). */
static void remove_root(char *root)
{
    *strrchr(root, '/') = '\0';
    assert_int_equal(unit_remove_dir(root), 0);
    free(root);
}

static int serve(const struct http_app *app, const char *path, const char *if_none_match,
                 struct response *resp)
{
    struct request req = make_request(app, path);
    req.if_none_match = if_none_match;
    response_init(resp);
    server_handle(&req, resp);
    return resp->status;
}

static void files_are_served_with_type_validators_and_cache_rules(void **state)
{
    (void)state;
    struct http_app app;
    memset(&app, 0, sizeof(app));
    char *root = make_root(true);
    app.web_dir = root;
    struct err err;
    assert_int_equal(static_files_check_root(root, &err), ERR_OK);

    struct response resp;
    assert_int_equal(serve(&app, "/map/", NULL, &resp), 200);
    assert_string_equal(resp.body.data, "<!doctype html><title>cityatlas</title>");
    assert_string_equal(resp.content_type, "text/html; charset=utf-8");
    assert_string_equal(unit_header(&resp, "Cache-Control"), "no-cache");
    assert_non_null(resp.last_modified);
    response_clear(&resp);

    assert_int_equal(serve(&app, "/map/app.js", NULL, &resp), 200);
    assert_string_equal(resp.content_type, "text/javascript; charset=utf-8");
    assert_string_equal(unit_header(&resp, "Cache-Control"), "public, max-age=3600");
    char *etag = strdup(resp.etag);
    response_clear(&resp);
    assert_int_equal(serve(&app, "/map/app.js", etag, &resp), 304);
    assert_int_equal(resp.body.len, 0);
    response_clear(&resp);
    free(etag);

    /* A symlink within the root is followed; one leading out of it is not. */
    assert_int_equal(serve(&app, "/map/inside.js", NULL, &resp), 200);
    assert_string_equal(resp.body.data, "'use strict';\n");
    response_clear(&resp);
    const char *missing[] = {"/map/escape.txt",    "/map/dir",     "/map/dir/",
                             "/map/../secret.txt", "/map/nope.js", "/map/node_modules"};
    for (size_t i = 0; i < sizeof(missing) / sizeof(missing[0]); i++) {
        assert_int_equal(serve(&app, missing[i], NULL, &resp), 404);
        assert_string_equal(resp.content_type, RESPONSE_TYPE_JSON);
        assert_null(strstr(resp.body.data, "outside the root"));
        response_clear(&resp);
    }
    remove_root(root);
}

/* Once web/build.mjs has written dist/: "/map/" is the bundled page, "/map/sw.js" the
 * worker, the hashed files are immutable; index.html stays the unbundled page. */
static void the_bundle_is_the_page_with_immutable_hashed_files(void **state)
{
    (void)state;
    struct http_app app;
    memset(&app, 0, sizeof(app));
    char *root = make_root(true);
    app.web_dir = root;
    char path[4096];
    snprintf(path, sizeof(path), "%s/dist", root);
    assert_int_equal(mkdir(path, 0755), 0);
    snprintf(path, sizeof(path), "%s/dist/assets", root);
    assert_int_equal(mkdir(path, 0755), 0);
    write_file(root, "dist/index.html", "<!doctype html><title>bundled</title>");
    write_file(root, "dist/sw.js", "self.x = 1;\n");
    write_file(root, "dist/assets/app-AB12.js", "'use strict';\n");

    struct response resp;
    assert_int_equal(serve(&app, "/map/", NULL, &resp), 200);
    assert_string_equal(resp.body.data, "<!doctype html><title>bundled</title>");
    assert_string_equal(unit_header(&resp, "Cache-Control"), "no-cache");
    assert_non_null(resp.etag);
    response_clear(&resp);
    assert_int_equal(serve(&app, "/map/index.html", NULL, &resp), 200);
    assert_string_equal(resp.body.data, "<!doctype html><title>cityatlas</title>");
    assert_string_equal(unit_header(&resp, "Cache-Control"), "no-cache");
    response_clear(&resp);
    assert_int_equal(serve(&app, "/map/sw.js", NULL, &resp), 200);
    assert_string_equal(resp.body.data, "self.x = 1;\n");
    assert_string_equal(resp.content_type, "text/javascript; charset=utf-8");
    assert_string_equal(unit_header(&resp, "Cache-Control"), "no-cache");
    response_clear(&resp);
    assert_int_equal(serve(&app, "/map/dist/assets/app-AB12.js", NULL, &resp), 200);
    assert_string_equal(unit_header(&resp, "Cache-Control"), "public, max-age=31536000, immutable");
    response_clear(&resp);
    /* Only the worker's own name is mapped: its neighbours stay unknown. */
    assert_int_equal(serve(&app, "/map/sw.jsx", NULL, &resp), 404);
    response_clear(&resp);
    remove_root(root);
}

static void a_root_without_node_modules_answers_503(void **state)
{
    (void)state;
    struct http_app app;
    memset(&app, 0, sizeof(app));
    char *root = make_root(false);
    app.web_dir = root;
    struct err err;
    assert_int_equal(static_files_check_root(root, &err), ERR_NOT_FOUND);
    assert_non_null(strstr(err.msg, "install_web_deps.sh"));
    struct response resp;
    assert_int_equal(serve(&app, "/map/", NULL, &resp), 503);
    assert_non_null(strstr(resp.body.data, "install_web_deps.sh"));
    response_clear(&resp);
    app.web_dir = NULL;
    assert_int_equal(serve(&app, "/map/app.js", NULL, &resp), 503);
    response_clear(&resp);
    remove_root(root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(safe_paths_are_plain_segments_below_the_root),
        cmocka_unit_test(mime_types_follow_the_extension),
        cmocka_unit_test(router_sends_map_paths_to_the_files_and_bare_map_to_a_redirect),
        cmocka_unit_test(bare_map_redirects_with_its_query),
        cmocka_unit_test(files_are_served_with_type_validators_and_cache_rules),
        cmocka_unit_test(the_bundle_is_the_page_with_immutable_hashed_files),
        cmocka_unit_test(a_root_without_node_modules_answers_503),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
