/* tile_math.h - the WebMercatorQuad tile matrix set (OGC 17-083r4, EPSG:3857): which tile
 * a {tileMatrix}/{tileRow}/{tileCol} names, its box in metres and in longitude/latitude,
 * and the projection of a longitude/latitude into a tile's 0..TILE_EXTENT grid.
 * Pure arithmetic: no state, safe from any thread. */
#ifndef CITYATLAS_TILES_TILE_MATH_H
#define CITYATLAS_TILES_TILE_MATH_H

#include <stdint.h>

#include "base/err.h"
#include "geo/web_mercator.h"

/* The grid of a Mapbox Vector Tile: coordinates 0..TILE_EXTENT across a tile. */
#define TILE_EXTENT 4096
/* Geometry is kept this far outside the tile (in grid units), so lines and fills drawn
 * across tile edges join without seams and symbols near an edge are not cut. */
#define TILE_BUFFER 64
/* Deepest tile matrix served: about 4 cm per grid unit, finer than any city layer. */
#define TILE_MAX_ZOOM 22
/* Half the width of the EPSG:3857 world in metres. */
#define TILE_WORLD_HALF WEB_MERCATOR_HALF_WORLD
/* The matrix set's identifier and definition URI. */
#define TILE_MATRIX_SET_ID "WebMercatorQuad"
#define TILE_MATRIX_SET_URI "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad"
#define TILE_CRS_URI "http://www.opengis.net/def/crs/EPSG/0/3857"

struct tile_id {
    int z;         /* tile matrix (zoom), 0..TILE_MAX_ZOOM */
    uint32_t x, y; /* column and row, 0..2^z-1, row 0 at the north */
};

/* Parses the three path segments. ERR_INVALID when one is not a base-10 integer;
 * ERR_NOT_FOUND when the matrix is outside 0..TILE_MAX_ZOOM or the row or column outside
 * it (no such tile in the set). */
int tile_id_parse(const char *tile_matrix, const char *tile_row, const char *tile_col,
                  struct tile_id *out, struct err *err) WARN_UNUSED;

/* The tile's box in EPSG:3857 metres: min_x, min_y, max_x, max_y. */
void tile_bounds_mercator(const struct tile_id *t, double out[4]);

/* The longitude/latitude box (EPSG:4326 degrees) of the tile grown by buffer grid units on
 * every side, clamped to the matrix set's latitude range. */
void tile_bbox_lonlat(const struct tile_id *t, double buffer, double out[4]);

/* Projects longitude/latitude degrees to EPSG:3857 metres (latitude clamped to the
 * matrix set's +-85.0511 degrees). */
void tile_lonlat_to_mercator(double lon, double lat, double *x, double *y);

/* Maps EPSG:3857 metres into the tile's grid: 0..TILE_EXTENT left to right, top to
 * bottom. scale and origin come from tile_grid_transform. */
struct tile_grid {
    double origin_x, origin_y; /* the tile's top-left corner in metres */
    double scale;              /* grid units per metre */
};
void tile_grid_transform(const struct tile_id *t, struct tile_grid *out);

#endif
