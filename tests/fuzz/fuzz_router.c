/* fuzz_router.c - the router and the request parameters every route reads. The input is
 * "METHOD PATH?QUERY" (then optional lines "Accept: ..." and "Accept-Language: ..."):
 * the route is matched (with its Allow list) and f= and lang= are negotiated, as
 * dispatch.c does before any handler runs; nothing crashes and route ids are freed. */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "http/transport/request.h"
#include "http/server/router.h"

static enum http_method method_of(const char *name)
{
    static const char *const names[] = {"GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcmp(names[i], name) == 0) {
            return (enum http_method)i;
        }
    }
    return HTTP_OTHER;
}

/* Reads "Accept: " and "Accept-Language: " lines after the request line. */
static void add_headers(struct request *req, char *lines)
{
    for (char *line = lines; line != NULL;) {
        char *next = strchr(line, '\n');
        if (next != NULL) {
            *next++ = '\0';
        }
        if (strncmp(line, "Accept: ", 8) == 0) {
            req->accept = line + 8;
        } else if (strncmp(line, "Accept-Language: ", 17) == 0) {
            req->accept_language = line + 17;
        }
        line = next;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    struct request req;
    memset(&req, 0, sizeof(req));
    char *nl = strchr(text, '\n');
    if (nl != NULL) {
        *nl = '\0';
        add_headers(&req, nl + 1);
    }
    char *space = strchr(text, ' ');
    char *path = space != NULL ? space + 1 : text;
    if (space != NULL) {
        *space = '\0';
    }
    req.method_name = space != NULL ? text : "GET";
    req.method = method_of(req.method_name);
    char *query = strchr(path, '?');
    if (query != NULL) {
        *query++ = '\0';
    }
    req.raw_query = query != NULL ? query : "";
    req.path = path;
    fuzz_add_params(&req, query);
    api_handler_fn handler = NULL;
    unsigned allowed = 0;
    if (router_match_methods(&req, &handler, &allowed) == ROUTER_MATCHED) {
        char allow[128];
        router_allow_header(allowed, allow, sizeof(allow));
        enum http_format format;
        enum http_lang lang;
        struct err err;
        (void)!request_format(&req, 0x7, &format, &err);
        (void)!request_lang(&req, &lang, &err);
    }
    request_free_path_params(&req);
    free(text);
    return 0;
}
