/* tile_geom.h - one feature's geometry made into Mapbox Vector Tile commands (spec 4.3):
 * a SpatiaLite geometry BLOB in EPSG:4326 projected into the tile's grid, clipped to the
 * tile plus its buffer with GEOS (only when it reaches past that box), rounded to the
 * integer grid (which simplifies it to the tile's resolution: vertices that fall on the
 * same grid point merge), with parts that became degenerate dropped and rings wound as
 * the spec wants (exterior rings positive area in tile coordinates, holes negative).
 *
 * Threads: a struct tile_geom_ctx belongs to one thread (it holds a GEOS context). */
#ifndef CITYATLAS_TILES_TILE_GEOM_H
#define CITYATLAS_TILES_TILE_GEOM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "tiles/tile_math.h"

/* The geometry types of the spec (vector_tile.proto's GeomType). */
enum tile_geom_type {
    TILE_GEOM_NONE = 0, /* nothing left in the tile */
    TILE_GEOM_POINT = 1,
    TILE_GEOM_LINESTRING = 2,
    TILE_GEOM_POLYGON = 3,
};

struct tile_geom_ctx; /* opaque: scratch buffers and the GEOS context */

struct tile_geom_ctx *tile_geom_ctx_new(const struct tile_id *t);
void tile_geom_ctx_free(struct tile_geom_ctx *ctx); /* NULL is fine */

/* One feature's commands: owned by the caller (free(commands)). */
struct tile_geom {
    enum tile_geom_type type; /* TILE_GEOM_NONE: the feature shows nothing in this tile */
    uint32_t *commands;
    size_t n_commands;
    /* A grid point standing for the feature, inside the buffered tile: where density
     * thinning counts it: the centre of the box of what was written. */
    int32_t anchor_x, anchor_y;
};

/* Encodes blob (a SpatiaLite geometry BLOB in EPSG:4326). ERR_INVALID when the blob does
 * not decode; ERR_INTERNAL when GEOS fails. A GEOMETRYCOLLECTION keeps the parts of its
 * first element's dimension. */
int tile_geom_encode(struct tile_geom_ctx *ctx, const unsigned char *blob, size_t len,
                     struct tile_geom *out, struct err *err) WARN_UNUSED;

/* The point a polygon's label stands at, as a point geometry in out: the centre of the
 * largest circle inside the polygon (GEOS's maximum inscribed circle: inside a concave
 * shape, where the centroid may fall outside, and far from its edges), computed on the
 * whole polygon, not its piece in the tile, so exactly one tile of a zoom holds it. out
 * is TILE_GEOM_NONE when that point lies outside this tile (not counting its buffer) or
 * the blob is not a polygon. Errors as tile_geom_encode. */
int tile_geom_label(struct tile_geom_ctx *ctx, const unsigned char *blob, size_t len,
                    struct tile_geom *out, struct err *err) WARN_UNUSED;

#endif
