/* tile_cache.h - hot tiles kept in memory, least recently used out first under a cap in
 * bytes. Keys name the tile and the version of every layer in it (api_tiles.c), so a
 * re-import, which gives its layer a new version, makes exactly the tiles holding that
 * layer stop matching; they age out while the others keep being served.
 *
 * Threads: every call is safe from any thread (one mutex). */
#ifndef CITYATLAS_TILES_TILE_CACHE_H
#define CITYATLAS_TILES_TILE_CACHE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "base/err.h"

struct tile_cache;

struct tile_cache *tile_cache_new(size_t max_bytes);
void tile_cache_free(struct tile_cache *c); /* NULL is fine */

/* On a hit, copies the tile into data (replacing its content) and its note (what
 * tile_cache_put stored with it) into *note (free()), and returns true. */
bool tile_cache_get(struct tile_cache *c, const char *key, struct buf *data, char **note);

/* Stores a copy of data[len] and note under key, replacing an entry of the same key; a
 * tile larger than an eighth of the cap is not kept. */
void tile_cache_put(struct tile_cache *c, const char *key, const void *data, size_t len,
                    const char *note);

/* Bytes held and entries, for tests and logs. */
size_t tile_cache_bytes(struct tile_cache *c);
size_t tile_cache_count(struct tile_cache *c);

#endif
