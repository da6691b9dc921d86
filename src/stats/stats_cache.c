/* stats_cache.c - see stats_cache.h. A doubly linked list in recency order (few entries:
 * a city has dozens of statistics people look at, not millions), a mutex, and reference
 * counts so a result can be rendered outside the lock. */
#include "stats/stats_cache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"

struct stats_cache_ref {
    struct stats_result *result;
    size_t bytes;
    int refs; /* holders, plus one while the entry is in the list */
    bool is_listed;
    struct stats_cache_ref *prev, *next; /* prev: more recently used */
};

struct stats_cache {
    pthread_mutex_t lock;
    size_t max_bytes, bytes;
    struct stats_cache_ref *head, *tail;
};

struct stats_cache *stats_cache_new(size_t max_bytes)
{
    struct stats_cache *c = xcalloc(1, sizeof(*c));
    pthread_mutex_init(&c->lock, NULL);
    c->max_bytes = max_bytes;
    return c;
}

static void unlink_entry(struct stats_cache *c, struct stats_cache_ref *e)
{
    if (e->prev != NULL) {
        e->prev->next = e->next;
    } else {
        c->head = e->next;
    }
    if (e->next != NULL) {
        e->next->prev = e->prev;
    } else {
        c->tail = e->prev;
    }
    e->prev = e->next = NULL;
}

static void push_front(struct stats_cache *c, struct stats_cache_ref *e)
{
    e->prev = NULL;
    e->next = c->head;
    if (c->head != NULL) {
        c->head->prev = e;
    }
    c->head = e;
    if (c->tail == NULL) {
        c->tail = e;
    }
}

/* Called with the lock held; frees the entry when nobody holds it any more. */
static void drop_ref(struct stats_cache_ref *e)
{
    if (--e->refs == 0) {
        stats_result_free(e->result);
        free(e);
    }
}

static size_t result_bytes(const struct stats_result *r)
{
    size_t bytes = sizeof(*r) + r->n_cells * sizeof(*r->cells) + r->n_areas * sizeof(*r->areas);
    for (size_t i = 0; i < r->n_areas; i++) {
        bytes += r->areas[i].geom_len + 128;
    }
    return bytes + (r->n_groups + r->n_periods) * 32 + 4096;
}

/* With the lock held: the entry for key, moved to the front and referenced, or NULL. */
static struct stats_cache_ref *find_locked(struct stats_cache *c, const char *key)
{
    struct stats_cache_ref *e = c->head;
    while (e != NULL && strcmp(e->result->key, key) != 0) {
        e = e->next;
    }
    if (e != NULL) {
        unlink_entry(c, e);
        push_front(c, e);
        e->refs++;
    }
    return e;
}

struct stats_cache_ref *stats_cache_get(struct stats_cache *c, const char *key)
{
    pthread_mutex_lock(&c->lock);
    struct stats_cache_ref *e = find_locked(c, key);
    pthread_mutex_unlock(&c->lock);
    return e;
}

static void evict(struct stats_cache *c)
{
    while (c->bytes > c->max_bytes && c->tail != NULL) {
        struct stats_cache_ref *old = c->tail;
        unlink_entry(c, old);
        old->is_listed = false;
        c->bytes -= old->bytes;
        drop_ref(old);
    }
}

struct stats_cache_ref *stats_cache_put(struct stats_cache *c, struct stats_result *r)
{
    pthread_mutex_lock(&c->lock);
    struct stats_cache_ref *same = find_locked(c, r->key);
    if (same != NULL) {
        pthread_mutex_unlock(&c->lock);
        stats_result_free(r);
        return same;
    }
    struct stats_cache_ref *e = xcalloc(1, sizeof(*e));
    e->result = r;
    e->bytes = result_bytes(r);
    e->refs = 2; /* the list's and the caller's */
    e->is_listed = true;
    push_front(c, e);
    c->bytes += e->bytes;
    evict(c); /* a result larger than the cap is dropped at once but still returned */
    pthread_mutex_unlock(&c->lock);
    return e;
}

const struct stats_result *stats_cache_result(const struct stats_cache_ref *ref)
{
    return ref->result;
}

void stats_cache_release(struct stats_cache *c, struct stats_cache_ref *ref)
{
    if (ref == NULL) {
        return;
    }
    pthread_mutex_lock(&c->lock);
    drop_ref(ref);
    pthread_mutex_unlock(&c->lock);
}

void stats_cache_free(struct stats_cache *c)
{
    if (c == NULL) {
        return;
    }
    while (c->head != NULL) {
        struct stats_cache_ref *e = c->head;
        unlink_entry(c, e);
        drop_ref(e);
    }
    pthread_mutex_destroy(&c->lock);
    free(c);
}
