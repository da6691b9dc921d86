/* store_count_cache.c - counts of matching features, shared by all connections.
 * numberMatched must be exact, and counting a large match (say 40,000 points in a
 * box) costs more than serving a page of it; a client paging through a result asks
 * the same count once per page. Keys name the layer's version (a re-import, or an edit of
 * a sketch layer in place, makes a new one), so a count is never stale: the old keys are
 * simply never asked again. */
#include "store/store_read_int.h"

#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"

#define COUNT_CACHE_BUCKETS 1024

struct count_entry {
    char *key;
    int64_t count;
    struct count_entry *next;
};

struct store_count_cache {
    pthread_mutex_t lock;
    struct count_entry *buckets[COUNT_CACHE_BUCKETS];
    size_t n_entries, max_entries;
};

/* FNV-1a: keys are short and this is not exposed to chosen-collision attacks that matter
 * (a collision only lengthens one chain, and the cache is emptied when it fills). */
static size_t hash_key(const char *key)
{
    uint64_t h = 1469598103934665603ull;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++) {
        h = (h ^ *p) * 1099511628211ull;
    }
    return (size_t)(h % COUNT_CACHE_BUCKETS);
}

struct store_count_cache *store_count_cache_new(size_t max_entries)
{
    struct store_count_cache *cache = xcalloc(1, sizeof(*cache));
    pthread_mutex_init(&cache->lock, NULL);
    cache->max_entries = max_entries;
    return cache;
}

static void empty_locked(struct store_count_cache *cache)
{
    for (size_t i = 0; i < COUNT_CACHE_BUCKETS; i++) {
        struct count_entry *e = cache->buckets[i];
        while (e != NULL) {
            struct count_entry *next = e->next;
            free(e->key);
            free(e);
            e = next;
        }
        cache->buckets[i] = NULL;
    }
    cache->n_entries = 0;
}

void store_count_cache_free(struct store_count_cache *cache)
{
    if (cache == NULL) {
        return;
    }
    empty_locked(cache);
    pthread_mutex_destroy(&cache->lock);
    free(cache);
}

bool store_count_cache_get(struct store_count_cache *cache, const char *key, int64_t *count)
{
    size_t b = hash_key(key);
    bool found = false;
    pthread_mutex_lock(&cache->lock);
    for (struct count_entry *e = cache->buckets[b]; e != NULL; e = e->next) {
        if (strcmp(e->key, key) == 0) {
            *count = e->count;
            found = true;
            break;
        }
    }
    pthread_mutex_unlock(&cache->lock);
    return found;
}

void store_count_cache_put(struct store_count_cache *cache, const char *key, int64_t count)
{
    size_t b = hash_key(key);
    pthread_mutex_lock(&cache->lock);
    for (struct count_entry *e = cache->buckets[b]; e != NULL; e = e->next) {
        if (strcmp(e->key, key) == 0) {
            e->count = count;
            pthread_mutex_unlock(&cache->lock);
            return;
        }
    }
    /* Emptying everything when full is crude but bounded and cheap; the counts that
     * matter (the pages being read now) come back after one recount each. */
    if (cache->n_entries >= cache->max_entries) {
        empty_locked(cache);
    }
    struct count_entry *e = xmalloc(sizeof(*e));
    e->key = xstrdup(key);
    e->count = count;
    e->next = cache->buckets[b];
    cache->buckets[b] = e;
    cache->n_entries++;
    pthread_mutex_unlock(&cache->lock);
}
