/* response_cache.c - a bounded map from request key to a copy of the response. */
#include "http/transport/response_cache.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "http/transport/response.h"
#include "store/store_read.h"

#define CACHE_BUCKETS 512

struct cached_response {
    char *key;
    int status;
    const char *content_type;
    char *body;
    size_t body_len;
    char *etag, *last_modified;
    const char *content_language;
    struct cached_response *next;
};

struct response_cache {
    pthread_mutex_t lock;
    struct cached_response *buckets[CACHE_BUCKETS];
    size_t n_entries, max_entries;
};

struct response_cache *response_cache_new(size_t max_entries)
{
    struct response_cache *cache = xcalloc(1, sizeof(*cache));
    pthread_mutex_init(&cache->lock, NULL);
    cache->max_entries = max_entries;
    return cache;
}

static void entry_free(struct cached_response *e)
{
    free(e->key);
    free(e->body);
    free(e->etag);
    free(e->last_modified);
    free(e);
}

static void empty_locked(struct response_cache *cache)
{
    for (size_t i = 0; i < CACHE_BUCKETS; i++) {
        while (cache->buckets[i] != NULL) {
            struct cached_response *next = cache->buckets[i]->next;
            entry_free(cache->buckets[i]);
            cache->buckets[i] = next;
        }
    }
    cache->n_entries = 0;
}

void response_cache_free(struct response_cache *cache)
{
    if (cache == NULL) {
        return;
    }
    empty_locked(cache);
    pthread_mutex_destroy(&cache->lock);
    free(cache);
}

static size_t hash_key(const char *key)
{
    uint64_t h = 1469598103934665603ull;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++) {
        h = (h ^ *p) * 1099511628211ull;
    }
    return (size_t)(h % CACHE_BUCKETS);
}

/* Orders parameters by name, keeping the order of a repeated name (handlers read the
 * first one). */
static int compare_params(const void *a, const void *b)
{
    const struct http_param *const *pa = a, *const *pb = b;
    int c = strcmp((*pa)->name, (*pb)->name);
    return c != 0 ? c : (*pa < *pb ? -1 : *pa > *pb);
}

/* The part of the key that comes from the request's headers, as classes handlers tell
 * apart: the language chosen (request_lang, and the share pages' Thai-unless-English
 * rule) and the format chosen (request_format, and the media types handlers look for).
 * A random Accept-Language or Accept lands in one of a few classes, not a new entry. */
static void header_classes(const struct request *req, char out[8])
{
    struct err err;
    enum http_lang lang = HTTP_LANG_EN;
    enum http_format format = HTTP_FORMAT_JSON;
    const char *al = req->accept_language, *accept = req->accept != NULL ? req->accept : "";
    bool has_lang = request_lang(req, &lang, &err) == ERR_OK;
    bool has_format = request_format(req,
                                     (1u << HTTP_FORMAT_JSON) | (1u << HTTP_FORMAT_HTML) |
                                         (1u << HTTP_FORMAT_CSV),
                                     &format, &err) == ERR_OK;
    out[0] = has_lang ? (char)('0' + lang) : '?';
    out[1] = al == NULL || strncmp(al, "en", 2) != 0 ? 't' : 'e';
    out[2] = has_format ? (char)('0' + format) : '?';
    out[3] = strstr(accept, "text/html") != NULL ? 'h' : '-';
    out[4] = strstr(accept, "application/geo+json") != NULL ? 'g' : '-';
    out[5] = strstr(accept, "text/csv") != NULL ? 'c' : '-';
    out[6] = '\0';
}

/* The key: database generation, base URL, path, header classes and the decoded query
 * parameters in name order, so that "?lang=t%68" is "?lang=th". NULL when the snapshot
 * cannot be opened (the handler will report why). */
static char *request_key(struct request *req)
{
    struct store_read *rd = NULL;
    struct err err;
    if (request_store(req, &rd, &err) != ERR_OK) {
        return NULL;
    }
    const struct http_param *sorted[REQUEST_MAX_PARAMS];
    for (size_t i = 0; i < req->n_params; i++) {
        sorted[i] = &req->params[i];
    }
    qsort(sorted, req->n_params, sizeof(sorted[0]), compare_params);
    char classes[8];
    header_classes(req, classes);
    struct buf key;
    buf_init(&key, RESPONSE_BODY_CAP);
    int rc =
        buf_printf(&key, &err, "%lld\n%s\n%s\n%s", (long long)store_read_catalog(rd)->generation,
                   req->base_url, req->path, classes);
    for (size_t i = 0; rc == ERR_OK && i < req->n_params; i++) {
        /* \x1f cannot come from a decoded parameter that any route accepts. */
        rc = buf_printf(&key, &err, "\n%s\x1f%s", sorted[i]->name, sorted[i]->value);
    }
    if (rc != ERR_OK) {
        buf_clear(&key);
        return NULL;
    }
    return buf_take(&key);
}

bool response_cache_get(struct response_cache *cache, struct request *req, struct response *resp)
{
    if (cache == NULL) {
        return false;
    }
    char *key = request_key(req);
    if (key == NULL) {
        return false;
    }
    bool found = false;
    pthread_mutex_lock(&cache->lock);
    for (struct cached_response *e = cache->buckets[hash_key(key)]; e != NULL; e = e->next) {
        if (strcmp(e->key, key) != 0) {
            continue;
        }
        struct err err;
        buf_clear(&resp->body);
        buf_init(&resp->body, RESPONSE_BODY_CAP);
        found = buf_append(&resp->body, e->body, e->body_len, &err) == ERR_OK;
        resp->status = e->status;
        resp->content_type = e->content_type;
        resp->etag = xstrdup(e->etag);
        resp->last_modified = xstrdup(e->last_modified);
        resp->content_language = e->content_language;
        break;
    }
    pthread_mutex_unlock(&cache->lock);
    free(key);
    return found;
}

void response_cache_put(struct response_cache *cache, struct request *req,
                        const struct response *resp)
{
    if (cache == NULL || resp->status != 200 || resp->stream.fill != NULL || resp->n_headers > 0) {
        return;
    }
    char *key = request_key(req);
    if (key == NULL) {
        return;
    }
    struct cached_response *e = xcalloc(1, sizeof(*e));
    e->key = key;
    e->status = resp->status;
    e->content_type = resp->content_type;
    e->body = xmalloc(resp->body.len + 1);
    memcpy(e->body, resp->body.data != NULL ? resp->body.data : "", resp->body.len);
    e->body_len = resp->body.len;
    e->etag = xstrdup(resp->etag);
    e->last_modified = xstrdup(resp->last_modified);
    e->content_language = resp->content_language;
    size_t b = hash_key(key);
    pthread_mutex_lock(&cache->lock);
    /* Emptying when full keeps memory bounded; the documents that are hot come back
     * after one render each. */
    if (cache->n_entries >= cache->max_entries) {
        empty_locked(cache);
    }
    e->next = cache->buckets[b];
    cache->buckets[b] = e;
    cache->n_entries++;
    pthread_mutex_unlock(&cache->lock);
}
