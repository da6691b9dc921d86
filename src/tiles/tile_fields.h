/* tile_fields.h - which attributes a collection's features carry in a tile. Every
 * feature carries its id (the tile feature's id, so a tap can fetch /items/{id}); at
 * TILE_ALL_FIELDS_ZOOM and deeper all its text and number fields (what a popup shows);
 * above it only what the map draws: the name field and every field its style reads
 * (["get", "field"] anywhere in the style's layers), keeping low-zoom tiles small. */
#ifndef CITYATLAS_TILES_TILE_FIELDS_H
#define CITYATLAS_TILES_TILE_FIELDS_H

#include <stddef.h>

#include <jansson.h>

#include "store/store_read.h"

#define TILE_ALL_FIELDS_ZOOM 14

/* The fields of layer that tiles of zoom z carry, given its style (NULL: none), as
 * indexes into layer->fields in layer order: *n of them in a new array (free()). */
size_t *tile_fields_for(const struct store_layer *layer, const json_t *style, int z, size_t *n);

#endif
