/* tile_build.h - one Mapbox Vector Tile made from the store: for each collection asked
 * for, the features whose geometry meets the tile grown by its buffer (one bounded R*Tree
 * query of the request's snapshot), encoded by tile_geom.c and gathered by tile_layer.c,
 * then packed. A layer with very many features in the tile is thinned by density while it
 * is read; a tile larger than TILE_MAX_BYTES is thinned further, the layer with the most
 * features first, until it fits; each layer reports how many features it left out.
 *
 * Threads: one call per thread at a time with its own snapshot. */
#ifndef CITYATLAS_TILES_TILE_BUILD_H
#define CITYATLAS_TILES_TILE_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"
#include "store/store_read.h"
#include "tiles/tile_math.h"

/* The largest tile sent: what a phone decodes quickly. */
#define TILE_MAX_BYTES (500u * 1024)
/* A layer keeps at most this many features per tile before packing is even tried: more
 * points than this cannot fit TILE_MAX_BYTES anyway (about 8 bytes each at least). */
#define TILE_MAX_LAYER_FEATURES 65536u

/* One layer of the tile: a collection with geometry and the fields its features carry
 * (indexes into layer->fields, in this order). */
struct tile_source {
    const struct store_layer *layer;
    const size_t *fields;
    size_t n_fields;
    /* Optional (zero: off). The tile layer's name (NULL: the collection id). */
    const char *name;
    /* Polygons as one label point each (tile_geom_label): only the tile holding a
     * polygon's point carries it, and the others do not count it as left out. */
    bool label_points;
    /* The field (one of fields) whose text value ranks features for thinning: ranks[i]
     * is rank i (the most important first), any other value ranks after them all. */
    const char *rank_field;
    const char *const *ranks;
    size_t n_ranks;
};

/* Builds tile t from sources[n] (each becomes a layer named by its collection id, in this
 * order) into out (replacing its content; its cap must allow TILE_MAX_BYTES).
 * dropped[i] gets how many features of source i meet the buffered tile but are not in it:
 * thinned out, or smaller than the tile's grid at this zoom. ERR_DB when the store fails,
 * ERR_INVALID when a stored geometry does not decode. */
int tile_build(struct store_read *rd, const struct tile_id *t, const struct tile_source *sources,
               size_t n, struct buf *out, int64_t *dropped, struct err *err) WARN_UNUSED;

#endif
