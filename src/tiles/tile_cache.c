/* tile_cache.c - an LRU of tiles (see tile_cache.h): a chained hash table for lookups and
 * a doubly linked list in order of use for eviction. */
#include "tiles/tile_cache.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"

#define N_BUCKETS 4096

struct entry {
    char *key, *note;
    unsigned char *data;
    size_t len;
    struct entry *next_in_bucket;
    struct entry *newer, *older;
};

struct tile_cache {
    pthread_mutex_t lock;
    size_t max_bytes, bytes, count;
    struct entry *buckets[N_BUCKETS];
    struct entry *newest, *oldest;
};

static size_t entry_bytes(const struct entry *e)
{
    return e->len + strlen(e->key) + strlen(e->note) + sizeof(*e);
}

static size_t bucket_of(const char *key)
{
    uint64_t h = 1469598103934665603ULL;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++) {
        h = (h ^ *p) * 1099511628211ULL;
    }
    return (size_t)(h % N_BUCKETS);
}

struct tile_cache *tile_cache_new(size_t max_bytes)
{
    struct tile_cache *c = xcalloc(1, sizeof(*c));
    pthread_mutex_init(&c->lock, NULL);
    c->max_bytes = max_bytes;
    return c;
}

static void entry_free(struct entry *e)
{
    free(e->key);
    free(e->note);
    free(e->data);
    free(e);
}

void tile_cache_free(struct tile_cache *c)
{
    if (c == NULL) {
        return;
    }
    for (struct entry *e = c->newest, *next; e != NULL; e = next) {
        next = e->older;
        entry_free(e);
    }
    pthread_mutex_destroy(&c->lock);
    free(c);
}

static void unlink_lru(struct tile_cache *c, struct entry *e)
{
    if (e->newer != NULL) {
        e->newer->older = e->older;
    } else {
        c->newest = e->older;
    }
    if (e->older != NULL) {
        e->older->newer = e->newer;
    } else {
        c->oldest = e->newer;
    }
    e->newer = e->older = NULL;
}

static void push_newest(struct tile_cache *c, struct entry *e)
{
    e->older = c->newest;
    e->newer = NULL;
    if (c->newest != NULL) {
        c->newest->newer = e;
    }
    c->newest = e;
    if (c->oldest == NULL) {
        c->oldest = e;
    }
}

/* Finds key; *link points at the pointer to it (for removal). */
static struct entry *find(struct tile_cache *c, const char *key, struct entry ***link)
{
    struct entry **at = &c->buckets[bucket_of(key)];
    while (*at != NULL && strcmp((*at)->key, key) != 0) {
        at = &(*at)->next_in_bucket;
    }
    *link = at;
    return *at;
}

static void remove_entry(struct tile_cache *c, struct entry *e)
{
    struct entry **link;
    if (find(c, e->key, &link) == e) {
        *link = e->next_in_bucket;
    }
    unlink_lru(c, e);
    c->bytes -= entry_bytes(e);
    c->count--;
    entry_free(e);
}

bool tile_cache_get(struct tile_cache *c, const char *key, struct buf *data, char **note)
{
    pthread_mutex_lock(&c->lock);
    struct entry **link;
    struct entry *e = find(c, key, &link);
    bool hit = false;
    if (e != NULL) {
        struct err err;
        buf_truncate(data, 0);
        hit = buf_append(data, e->data, e->len, &err) == ERR_OK;
        if (hit) {
            *note = xstrdup(e->note);
            unlink_lru(c, e);
            push_newest(c, e);
        }
    }
    pthread_mutex_unlock(&c->lock);
    return hit;
}

void tile_cache_put(struct tile_cache *c, const char *key, const void *data, size_t len,
                    const char *note)
{
    if (len > c->max_bytes / 8) {
        return;
    }
    struct entry *e = xcalloc(1, sizeof(*e));
    e->key = xstrdup(key);
    e->note = xstrdup(note);
    e->data = xmalloc(len + 1);
    memcpy(e->data, data, len);
    e->len = len;
    pthread_mutex_lock(&c->lock);
    struct entry **link;
    struct entry *old = find(c, key, &link);
    if (old != NULL) {
        remove_entry(c, old);
    }
    while (c->oldest != NULL && c->bytes + entry_bytes(e) > c->max_bytes) {
        remove_entry(c, c->oldest);
    }
    (void)find(c, key, &link);
    *link = e;
    push_newest(c, e);
    c->bytes += entry_bytes(e);
    c->count++;
    pthread_mutex_unlock(&c->lock);
}

size_t tile_cache_bytes(struct tile_cache *c)
{
    pthread_mutex_lock(&c->lock);
    size_t n = c->bytes;
    pthread_mutex_unlock(&c->lock);
    return n;
}

size_t tile_cache_count(struct tile_cache *c)
{
    pthread_mutex_lock(&c->lock);
    size_t n = c->count;
    pthread_mutex_unlock(&c->lock);
    return n;
}
