/* api_common.c - helpers shared by the endpoint handlers. */
#define _XOPEN_SOURCE 700 /* strptime */
#include "http/transport/api_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "http/transport/response.h"
#include "base/utf8.h"
#include "http/transport/route.h"

int api_check_params(const struct request *req, struct err *err)
{
    return api_route_check_query(req->route, req, req->path, err);
}

int api_negotiate_document(const struct request *req, enum http_format *format,
                           enum http_lang *lang, struct err *err)
{
    int rc = api_check_params(req, err);
    if (rc == ERR_OK) {
        rc = request_format(req, (1u << HTTP_FORMAT_JSON) | (1u << HTTP_FORMAT_HTML), format, err);
    }
    return rc == ERR_OK ? request_lang(req, lang, err) : rc;
}

void api_describe_document(struct response *resp, const struct request *req, int64_t version,
                           const char *updated_at, enum http_format format, enum http_lang lang)
{
    resp->etag = api_etag(version, req, (int)format, (int)lang);
    resp->last_modified = api_http_date(updated_at);
    resp->content_language = lang == HTTP_LANG_TH ? "th" : "en";
    resp->is_cacheable = true;
}

json_t *api_link(const char *href, const char *rel, const char *type, const char *title)
{
    json_t *link = json_pack("{s:s, s:s}", "href", href, "rel", rel);
    if (type != NULL) {
        json_object_set_new(link, "type", json_string(type));
    }
    if (title != NULL) {
        json_object_set_new(link, "title", json_string(title));
    }
    return link;
}

const char *api_pick_lang(enum http_lang lang, const char *en, const char *th, const char *fallback)
{
    const char *first = lang == HTTP_LANG_TH ? th : en;
    const char *second = lang == HTTP_LANG_TH ? en : th;
    if (first != NULL && *first != '\0') {
        return first;
    }
    return second != NULL && *second != '\0' ? second : fallback;
}

const char *api_layer_title(const struct store_layer *layer, enum http_lang lang)
{
    return api_pick_lang(lang, layer->title_en, layer->title_th, layer->id);
}

const char *api_layer_description(const struct store_layer *layer, enum http_lang lang)
{
    return api_pick_lang(lang, layer->description_en, layer->description_th, "");
}

int api_layer_named(const struct store_read *rd, const char *id, const struct store_layer **out,
                    struct err *err)
{
    *out = store_read_layer(rd, id);
    if (*out != NULL) {
        return ERR_OK;
    }
    int rc = store_read_check_damaged(rd, id, false, err);
    return rc != ERR_OK
               ? rc
               : err_set(err, ERR_NOT_FOUND,
                         "collection '%s' does not exist; /collections lists the collections",
                         utf8_excerpt(id, 80).text);
}

int api_find_layer(struct request *req, struct store_read **rd, const struct store_layer **out,
                   struct err *err)
{
    int rc = request_store(req, rd, err);
    return rc == ERR_OK ? api_layer_named(*rd, request_path_param(req, "collectionId"), out, err)
                        : rc;
}

/* True when the If-None-Match list names etag (weak comparison, RFC 9110 13.1.2). */
bool api_etag_matches(const char *header, const char *etag)
{
    const char *opaque = strncmp(etag, "W/", 2) == 0 ? etag + 2 : etag;
    size_t len = strlen(opaque);
    for (const char *p = header; *p != '\0';) {
        while (*p == ' ' || *p == ',' || *p == '\t') {
            p++;
        }
        if (*p == '*') {
            return true;
        }
        if (strncmp(p, "W/", 2) == 0) {
            p += 2;
        }
        if (strncmp(p, opaque, len) == 0 && (p[len] == '\0' || p[len] == ',' || p[len] == ' ')) {
            return true;
        }
        const char *comma = strchr(p, ',');
        if (comma == NULL) {
            break;
        }
        p = comma;
    }
    return false;
}

char *api_etag(int64_t version, const struct request *req, int format, int lang)
{
    /* FNV-1a over what else shapes the body: the query, the base URL (links) and the
     * negotiated format and language. */
    uint64_t h = 1469598103934665603ull;
    const char *parts[] = {req->raw_query, req->base_url, req->path};
    for (size_t i = 0; i < 3; i++) {
        for (const unsigned char *p = (const unsigned char *)parts[i]; p && *p; p++) {
            h = (h ^ *p) * 1099511628211ull;
        }
        h = (h ^ 0xff) * 1099511628211ull;
    }
    return xasprintf("W/\"%lld-%d%d-%016llx\"", (long long)version, format, lang,
                     (unsigned long long)h);
}

char *api_http_date(const char *iso)
{
    struct tm tm;
    memset(&tm, 0, sizeof(tm));
    if (iso == NULL || strptime(iso, "%Y-%m-%dT%H:%M:%S", &tm) == NULL) {
        return NULL;
    }
    char out[64];
    strftime(out, sizeof(out), "%a, %d %b %Y %H:%M:%S GMT", &tm);
    return xstrdup(out);
}

void api_now_iso(char *out, size_t cap)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(out, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

char *api_url_encode(const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t len = strlen(s);
    char *out = xmalloc(len * 3 + 1);
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("-_.~,:", *p) != NULL) {
            out[n++] = (char)*p;
        } else {
            out[n++] = '%';
            out[n++] = hex[*p >> 4];
            out[n++] = hex[*p & 15];
        }
    }
    out[n] = '\0';
    return out;
}

static void append_pair(struct buf *b, const char *name, const char *value)
{
    struct err err;
    char *n = api_url_encode(name), *v = api_url_encode(value);
    if (buf_printf(b, &err, "%s%s=%s", b->len > 0 ? "&" : "", n, v) != ERR_OK) {
        /* The cap is far above any query we accept (8 KiB URIs). */
        abort();
    }
    free(n);
    free(v);
}

char *api_query_edit(const struct request *req, const struct api_param_edit *edits, size_t n_edits)
{
    struct buf b;
    buf_init(&b, 1024 * 1024);
    bool is_done[4] = {false, false, false, false};
    for (size_t i = 0; i < req->n_params; i++) {
        size_t e = 0;
        while (e < n_edits && e < 4 && strcmp(req->params[i].name, edits[e].name) != 0) {
            e++;
        }
        if (e == n_edits || e == 4) {
            append_pair(&b, req->params[i].name, req->params[i].value);
        } else if (!is_done[e]) {
            if (edits[e].value != NULL) {
                append_pair(&b, edits[e].name, edits[e].value);
            }
            is_done[e] = true;
        }
    }
    for (size_t e = 0; e < n_edits && e < 4; e++) {
        if (!is_done[e] && edits[e].value != NULL) {
            append_pair(&b, edits[e].name, edits[e].value);
        }
    }
    return buf_take(&b);
}

char *api_query_with(const struct request *req, const char *name, const char *value)
{
    struct api_param_edit edit = {name, value};
    return api_query_edit(req, &edit, 1);
}

char *api_href_edit(const struct request *req, const struct api_param_edit *edits, size_t n_edits)
{
    char *query = api_query_edit(req, edits, n_edits);
    char *href = xasprintf("%s%s%s%s", req->base_url, req->path, *query ? "?" : "", query);
    free(query);
    return href;
}

int api_negotiate_json_document(const struct request *req, enum http_lang *lang, struct err *err)
{
    enum http_format format;
    int rc = api_check_params(req, err);
    if (rc == ERR_OK) {
        rc = request_format(req, 1u << HTTP_FORMAT_JSON, &format, err);
    }
    if (rc == ERR_OK) {
        rc = request_lang(req, lang, err);
    }
    return rc;
}

int api_begin_layer_document(struct request *req, enum http_format *format, enum http_lang *lang,
                             struct store_read **rd, const struct store_layer **layer,
                             struct err *err)
{
    int rc = api_negotiate_document(req, format, lang, err);
    return rc == ERR_OK ? api_find_layer(req, rd, layer, err) : rc;
}

int api_begin_catalog_document(struct request *req, struct response *resp, enum http_format *format,
                               enum http_lang *lang, struct store_read **rd, struct err *err)
{
    int rc = api_negotiate_document(req, format, lang, err);
    if (rc == ERR_OK) {
        rc = request_store(req, rd, err);
    }
    if (rc != ERR_OK) {
        return rc;
    }
    const struct store_catalog *cat = store_read_catalog(*rd);
    api_describe_document(resp, req, cat->generation, cat->updated_at, *format, *lang);
    if (*format == HTTP_FORMAT_HTML) {
        resp->content_type = RESPONSE_TYPE_HTML;
    }
    return ERR_OK;
}
