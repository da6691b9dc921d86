/* stats_cache.h - computed statistics kept in memory, keyed by the statistic and the
 * versions of every layer it read (stats_result_key). A re-import gives a layer a new
 * version, so exactly the results that read it stop matching; the others keep being
 * served. Old entries leave by least-recent use under a memory cap.
 *
 * Threads: every call is safe from any thread. A result handed out stays valid until its
 * reference is released, even if the cache drops it meanwhile. */
#ifndef CITYATLAS_STATS_STATS_CACHE_H
#define CITYATLAS_STATS_STATS_CACHE_H

#include <stddef.h>

#include "stats/stats.h"

struct stats_cache;
struct stats_cache_ref;

struct stats_cache *stats_cache_new(size_t max_bytes);
void stats_cache_free(struct stats_cache *c); /* every reference must be released; NULL ok */

/* A reference to the result stored under key, or NULL. */
struct stats_cache_ref *stats_cache_get(struct stats_cache *c, const char *key);
/* Stores r under r->key (the cache owns r from now on) and returns a reference to it. When
 * another thread stored the same key meanwhile, r is freed and that result is returned. */
struct stats_cache_ref *stats_cache_put(struct stats_cache *c, struct stats_result *r);
const struct stats_result *stats_cache_result(const struct stats_cache_ref *ref);
void stats_cache_release(struct stats_cache *c, struct stats_cache_ref *ref); /* NULL ok */

#endif
