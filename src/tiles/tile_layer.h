/* tile_layer.h - the features of one collection in one tile, gathered before the tile is
 * packed: their commands (tile_geom.c), ids and attributes (deduplicated keys and values,
 * as the spec's layer tables want), and where each stands, so tile_pack can thin them by
 * density (one feature per grid cell, tippecanoe's drop-densest-as-needed) when a tile
 * would be too large, keeping the picture of where features are.
 *
 * Threads: a builder belongs to one thread. */
#ifndef CITYATLAS_TILES_TILE_LAYER_H
#define CITYATLAS_TILES_TILE_LAYER_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"
#include "store/store.h"
#include "tiles/tile_geom.h"

struct tile_layer;

/* A layer named name whose features carry the attributes keys[n_keys] (copied). */
struct tile_layer *tile_layer_new(const char *name, const char *const *keys, size_t n_keys);
void tile_layer_free(struct tile_layer *layer); /* NULL is fine */

/* Adds a feature: id, its geometry (g->type not TILE_GEOM_NONE; commands copied) and
 * values[n_keys] in the order of the keys (null values and blobs are left out). */
void tile_layer_add(struct tile_layer *layer, uint64_t id, const struct tile_geom *g,
                    const struct store_value *values);

/* The same with a rank: thinning keeps, in each cell, the feature of the lowest rank
 * (ties: the first added), so a road layer ranked by class keeps its main roads when a
 * tile must drop some. tile_layer_add adds rank 0. */
void tile_layer_add_ranked(struct tile_layer *layer, uint64_t id, const struct tile_geom *g,
                           const struct store_value *values, uint32_t rank);

/* How many features were added. */
size_t tile_layer_count(const struct tile_layer *layer);

/* A thinning: keep the first feature (by rank, then in the order added) of each
 * cell_size x cell_size cell of the grid; 0 keeps every feature, TILE_KEEP_NONE none. */
#define TILE_KEEP_NONE UINT32_MAX
/* How many features cell_size keeps. */
size_t tile_layer_kept(const struct tile_layer *layer, uint32_t cell_size);

/* Packs layers[n] as one Mapbox Vector Tile (protobuf-c) into out (replacing its
 * content), each thinned by cell_sizes[i]; kept[i] gets how many features layer i kept.
 * ERR_TOO_LARGE when the tile does not fit out's cap. */
int tile_pack(struct tile_layer *const *layers, const uint32_t *cell_sizes, size_t n, size_t *kept,
              struct buf *out, struct err *err) WARN_UNUSED;

#endif
