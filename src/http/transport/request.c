/* request.c - reading a request: parameters, the body, content negotiation (format and
 * language), the lazily opened database snapshot and the connection a write opens. */
#include "http/transport/request.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/alloc.h"
#include "store/store.h"
#include "store/store_read.h"
#include "store/store_writer.h"
#include "base/utf8.h"

bool http_method_is_write(enum http_method method)
{
    return method == HTTP_POST || method == HTTP_PUT || method == HTTP_PATCH ||
           method == HTTP_DELETE;
}

void request_body_init(struct request_body *b)
{
    buf_init(&b->buf, REQUEST_MAX_BODY);
    b->is_too_large = false;
}

void request_body_add(struct request_body *b, const char *data, size_t len)
{
    struct err err;
    if (b->is_too_large || len == 0) {
        return;
    }
    if (buf_append(&b->buf, data, len, &err) != ERR_OK) {
        /* Past the cap (or out of the buffer's room): keep nothing, answer 413. */
        buf_clear(&b->buf);
        buf_init(&b->buf, REQUEST_MAX_BODY);
        b->is_too_large = true;
    }
}

void request_body_attach(const struct request_body *b, struct request *req)
{
    req->body = b->buf.data;
    req->body_len = b->buf.len;
    req->is_body_too_large = b->is_too_large;
}

void request_body_clear(struct request_body *b)
{
    buf_clear(&b->buf);
}

int request_open_writer(const struct request *req, struct store **out, struct err *err)
{
    *out = NULL;
    if (req->app == NULL || req->app->db_path == NULL) {
        return err_set(err, ERR_INTERNAL, "the server has no database path to write to");
    }
    if (req->app->read_only_reason != NULL) {
        return err_set(err, ERR_READ_ONLY, "this server can only read: %s",
                       req->app->read_only_reason);
    }
    if (req->app->writer != NULL) {
        return store_writer_begin(req->app->writer, out, err);
    }
    return store_open(req->app->db_path, STORE_READ_WRITE, out, err);
}

int request_end_write(const struct request *req, struct store *st, bool keep, int rc,
                      struct err *err)
{
    if (st == NULL) {
        return rc;
    }
    if (req->app->writer == NULL) {
        store_close(st); /* the store's write functions committed their own transactions */
        return rc;
    }
    struct err end_err;
    err_clear(&end_err);
    if (store_writer_end(req->app->writer, keep, &end_err) != ERR_OK && rc == ERR_OK) {
        *err = end_err;
        rc = end_err.code;
    }
    return rc;
}

const char *request_param(const struct request *req, const char *name)
{
    for (size_t i = 0; i < req->n_params; i++) {
        if (strcmp(req->params[i].name, name) == 0) {
            return req->params[i].value;
        }
    }
    return NULL;
}

const char *request_path_param(const struct request *req, const char *name)
{
    for (size_t i = 0; i < req->n_path_params; i++) {
        if (strcmp(req->path_params[i].name, name) == 0) {
            return req->path_params[i].value;
        }
    }
    return NULL;
}

void request_set_path_param(struct request *req, const char *name, const char *value)
{
    size_t i = 0;
    while (i < req->n_path_params && strcmp(req->path_params[i].name, name) != 0) {
        i++;
    }
    if (i == REQUEST_MAX_PATH_PARAMS) {
        return;
    }
    if (i == req->n_path_params) {
        req->path_params[i].name = xstrdup(name);
        req->n_path_params++;
    } else {
        free(req->path_params[i].value);
    }
    req->path_params[i].value = xstrdup(value);
}

void request_free_path_params(struct request *req)
{
    for (size_t i = 0; i < req->n_path_params; i++) {
        free(req->path_params[i].name);
        free(req->path_params[i].value);
    }
    req->n_path_params = 0;
}

int request_store(struct request *req, struct store_read **out, struct err *err)
{
    if (req->rd == NULL) {
        int rc = store_read_begin(req->app->pool, &req->rd, err);
        if (rc != ERR_OK) {
            return rc;
        }
    }
    *out = req->rd;
    return ERR_OK;
}

void response_add_header(struct response *resp, const char *name, const char *value)
{
    if (resp->n_headers < RESPONSE_MAX_HEADERS) {
        resp->headers[resp->n_headers].name = name;
        resp->headers[resp->n_headers].value = xstrdup(value);
        resp->n_headers++;
    }
}

/* Calls fn for each comma-separated element of an Accept-style header with its q value
 * (1 when absent). The token is the part before ';', trimmed. */
static void each_weighted(const char *header,
                          void (*fn)(const char *token, size_t len, double q, void *ctx), void *ctx)
{
    const char *p = header;
    while (p != NULL && *p != '\0') {
        const char *end = strchr(p, ',');
        size_t len = end != NULL ? (size_t)(end - p) : strlen(p);
        while (len > 0 && isspace((unsigned char)*p)) {
            p++;
            len--;
        }
        const char *semi = memchr(p, ';', len);
        size_t token_len = semi != NULL ? (size_t)(semi - p) : len;
        while (token_len > 0 && isspace((unsigned char)p[token_len - 1])) {
            token_len--;
        }
        double q = 1.0;
        const char *qp = semi != NULL ? strstr(semi, "q=") : NULL;
        if (qp != NULL && qp < p + len) {
            q = strtod(qp + 2, NULL);
        }
        fn(p, token_len, q, ctx);
        p = end != NULL ? end + 1 : NULL;
    }
}

struct format_choice {
    unsigned allowed;
    double best_q;
    enum http_format best;
};

static void consider_media_type(const char *token, size_t len, double q, void *ctx)
{
    static const struct {
        const char *type;
        enum http_format format;
    } types[] = {
        {"application/geo+json", HTTP_FORMAT_JSON},
        {"application/json", HTTP_FORMAT_JSON},
        {"text/html", HTTP_FORMAT_HTML},
        {"application/xhtml+xml", HTTP_FORMAT_HTML},
        {"text/csv", HTTP_FORMAT_CSV},
    };
    struct format_choice *choice = ctx;
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        if (strlen(types[i].type) == len && strncasecmp(token, types[i].type, len) == 0 &&
            (choice->allowed & (1u << types[i].format)) && q > choice->best_q) {
            choice->best_q = q;
            choice->best = types[i].format;
        }
    }
}

int request_format(const struct request *req, unsigned allowed, enum http_format *out,
                   struct err *err)
{
    static const struct {
        const char *name;
        enum http_format format;
    } names[] = {{"json", HTTP_FORMAT_JSON},
                 {"geojson", HTTP_FORMAT_JSON},
                 {"html", HTTP_FORMAT_HTML},
                 {"csv", HTTP_FORMAT_CSV}};
    const char *f = request_param(req, "f");
    if (f != NULL) {
        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
            if (strcmp(f, names[i].name) == 0 && (allowed & (1u << names[i].format))) {
                *out = names[i].format;
                return ERR_OK;
            }
        }
        static const char *const offers[] = {"json", "json and html", "json, html and csv"};
        size_t which = (allowed & (1u << HTTP_FORMAT_CSV))    ? 2
                       : (allowed & (1u << HTTP_FORMAT_HTML)) ? 1
                                                              : 0;
        return err_set(err, ERR_INVALID, "f: unknown format '%s'; this resource offers %s",
                       utf8_excerpt(f, 40).text, offers[which]);
    }
    struct format_choice choice = {allowed, 0.0, HTTP_FORMAT_JSON};
    if (req->accept != NULL) {
        each_weighted(req->accept, consider_media_type, &choice);
    }
    *out = choice.best;
    return ERR_OK;
}

struct lang_choice {
    double th_q, en_q;
};

static void consider_language(const char *token, size_t len, double q, void *ctx)
{
    struct lang_choice *choice = ctx;
    if (len >= 2 && strncasecmp(token, "th", 2) == 0 && (len == 2 || token[2] == '-')) {
        choice->th_q = q > choice->th_q ? q : choice->th_q;
    } else if (len >= 2 && strncasecmp(token, "en", 2) == 0 && (len == 2 || token[2] == '-')) {
        choice->en_q = q > choice->en_q ? q : choice->en_q;
    }
}

int request_lang(const struct request *req, enum http_lang *out, struct err *err)
{
    const char *lang = request_param(req, "lang");
    if (lang != NULL) {
        if (strcmp(lang, "th") == 0 || strcmp(lang, "en") == 0) {
            *out = lang[0] == 't' ? HTTP_LANG_TH : HTTP_LANG_EN;
            return ERR_OK;
        }
        return err_set(err, ERR_INVALID, "lang: unknown language '%s'; use th or en",
                       utf8_excerpt(lang, 20).text);
    }
    struct lang_choice choice = {0, 0};
    if (req->accept_language != NULL) {
        each_weighted(req->accept_language, consider_language, &choice);
    }
    *out = choice.th_q > choice.en_q ? HTTP_LANG_TH : HTTP_LANG_EN;
    return ERR_OK;
}
