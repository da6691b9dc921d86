/* api_tiles_int.h - what the tile handlers (api_tiles.c) and the tileset documents
 * (api_tilesets.c) share: which collections a tileset holds and the token that names
 * their versions. */
#ifndef CITYATLAS_HTTP_API_TILES_INT_H
#define CITYATLAS_HTTP_API_TILES_INT_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "http/transport/request.h"
#include "store/store_read.h"

/* The media type of a Mapbox Vector Tile. */
#define API_TILE_TYPE "application/vnd.mapbox-vector-tile"
/* The response header naming, per layer of a tile, how many features of the buffered tile
 * it left out ("layer-id=N, other-id=M"); documented in the TileJSON and the OpenAPI. */
#define API_TILE_DROPPED_HEADER "X-Features-Dropped"

/* The layers of a tileset, borrowed from the request's snapshot. */
struct api_tileset {
    const struct store_layer **layers;
    size_t n;
    const char *id; /* the collection's id, or NULL for the base map */
    char *path;     /* "/collections/{id}/tiles" or "/tiles", owned */
};

/* The tileset of req: {collectionId}'s (ERR_NOT_FOUND when there is no such collection or
 * it has no geometry) or, for the "/tiles" routes, the base map's (ERR_NOT_FOUND when it
 * has no layers, unless allow_empty). Then checks {tileMatrixSetId} when the route has
 * one (ERR_NOT_FOUND unless WebMercatorQuad). */
int api_tileset_open(struct request *req, bool allow_empty, struct api_tileset *out,
                     struct err *err) WARN_UNUSED;
void api_tileset_clear(struct api_tileset *ts);

/* The layers' versions as a short token (the `v` parameter of tile URLs): it changes
 * whenever one of the layers is imported again. Free with free(). */
char *api_tileset_version(const struct api_tileset *ts);

/* The link to ts's tiles as a URL template ({tileMatrix}, {tileRow}, {tileCol}) carrying
 * the layers' version: rel "item", templated, the MVT media type. A collection links it too,
 * so a client that read the catalog asks for tiles without fetching a tileset first. */
json_t *api_tile_item_link(const struct request *req, const struct api_tileset *ts);

#endif
