/* tile_build.c - from the store to a packed tile (see tile_build.h). */
#include "tiles/tile_build.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "tiles/tile_geom.h"
#include "tiles/tile_layer.h"

/* Below this zoom lines and polygons are simplified in the store to half a grid unit
 * before they reach the tile; from it on, rounding to the grid is all the simplification
 * a few metres of tile need. */
#define TILE_SIMPLIFY_BELOW_ZOOM 13

/* Half a grid unit of tile t in degrees of latitude at its centre (the smaller of the two
 * degree lengths there), for the store's simplification. */
static double half_unit_degrees(const struct tile_id *t)
{
    double b[4], box[4];
    tile_bounds_mercator(t, b);
    tile_bbox_lonlat(t, 0, box);
    double lat = (box[1] + box[3]) / 2 * M_PI / 180.0;
    double metres = (b[2] - b[0]) / TILE_EXTENT * cos(lat);
    return 0.5 * metres / 111320.0;
}

static bool is_point_layer(const struct store_layer *layer)
{
    return layer->geometry_type != NULL && strstr(layer->geometry_type, "POINT") != NULL;
}

/* A layer with more features than this in a buffered tile is thinned while it is read:
 * one feature per PRETHIN_CELL x PRETHIN_CELL cell of the grid (128 x 128 cells over the
 * tile, 4 pixels of a 512-pixel tile), before its attributes are gathered. It keeps the
 * picture of where features are, bounds the memory one tile takes (at most about 17,000
 * features a layer, whatever the zoom) and spares the work on features the size bound
 * would drop anyway. */
#define PRETHIN_FEATURES 16384
#define PRETHIN_CELL 32

/* Whether the feature anchored at (x, y) is the first of its cell in seen[] (a bitmap of
 * the prethinning grid over the buffered tile), marking it. */
static bool first_in_cell(unsigned char *seen, int32_t x, int32_t y)
{
    const int64_t span = TILE_EXTENT + 2 * TILE_BUFFER + 1, side = span / PRETHIN_CELL + 1;
    int64_t cx = ((int64_t)x + TILE_BUFFER) / PRETHIN_CELL,
            cy = ((int64_t)y + TILE_BUFFER) / PRETHIN_CELL;
    cx = cx < 0 ? 0 : (cx >= side ? side - 1 : cx);
    cy = cy < 0 ? 0 : (cy >= side ? side - 1 : cy);
    size_t cell = (size_t)(cy * side + cx);
    bool is_first = !(seen[cell / 8] & (1u << (cell % 8)));
    seen[cell / 8] |= (unsigned char)(1u << (cell % 8));
    return is_first;
}

/* A feature's rank by its value of the source's rank field (see struct tile_source). */
static uint32_t rank_of(const struct tile_source *src, const struct store_value *v)
{
    for (size_t i = 0; v->type == STORE_TEXT && !v->is_null && i < src->n_ranks; i++) {
        if (strlen(src->ranks[i]) == v->len && memcmp(src->ranks[i], v->ptr, v->len) == 0) {
            return (uint32_t)i;
        }
    }
    return (uint32_t)src->n_ranks;
}

/* Reads source's features into a new layer; *left_out counts those with nothing left at
 * this tile's resolution and those thinned while reading. */
static int gather(struct store_read *rd, const struct tile_id *t, struct tile_geom_ctx *ctx,
                  const struct tile_source *src, struct tile_layer **out, int64_t *left_out,
                  struct err *err)
{
    const char **keys = xcalloc(src->n_fields + 1, sizeof(char *));
    for (size_t i = 0; i < src->n_fields; i++) {
        keys[i] = src->layer->fields[src->fields[i]].name;
    }
    struct tile_layer *layer =
        tile_layer_new(src->name != NULL ? src->name : src->layer->id, keys, src->n_fields);
    long rank_at = -1;
    for (size_t i = 0; src->rank_field != NULL && i < src->n_fields; i++) {
        rank_at = strcmp(keys[i], src->rank_field) == 0 ? (long)i : rank_at;
    }
    free(keys);
    static const size_t no_fields[1] = {0};
    struct store_query q = {
        .layer = src->layer,
        .has_bbox = true,
        .bbox_keeps_empty = false,
        .properties = src->n_fields > 0 ? src->fields : no_fields,
        .n_properties = src->n_fields,
        .limit = STORE_LIMIT_ALL,
        .out_srid = 4326,
        .simplify_tolerance = t->z < TILE_SIMPLIFY_BELOW_ZOOM && !is_point_layer(src->layer)
                                  ? half_unit_degrees(t)
                                  : 0,
    };
    tile_bbox_lonlat(t, TILE_BUFFER, q.bbox);
    int64_t in_box = 0;
    int rc = store_features_count(rd, &q, &in_box, err);
    const size_t side = (TILE_EXTENT + 2 * TILE_BUFFER + 1) / PRETHIN_CELL + 1;
    unsigned char *seen =
        rc == ERR_OK && in_box > PRETHIN_FEATURES ? xcalloc((side * side + 7) / 8, 1) : NULL;
    struct store_cursor *cur = NULL;
    if (rc == ERR_OK) {
        rc = store_features_open(rd, &q, &cur, err);
    }
    const struct store_feature *row;
    while (rc == ERR_OK && (rc = store_cursor_next(cur, &row, err)) == 1) {
        rc = ERR_OK;
        if (row->geom == NULL) {
            continue;
        }
        struct tile_geom g;
        rc = src->label_points ? tile_geom_label(ctx, row->geom, row->geom_len, &g, err)
                               : tile_geom_encode(ctx, row->geom, row->geom_len, &g, err);
        if (rc == ERR_OK && src->label_points && g.type == TILE_GEOM_NONE) {
            continue; /* its label stands in another tile */
        }
        if (rc == ERR_OK && (g.type == TILE_GEOM_NONE ||
                             (seen != NULL && !first_in_cell(seen, g.anchor_x, g.anchor_y)))) {
            ++*left_out;
        } else if (rc == ERR_OK) {
            tile_layer_add_ranked(layer, (uint64_t)row->fid, &g, row->values,
                                  rank_at < 0 ? 0 : rank_of(src, &row->values[rank_at]));
        }
        free(g.commands);
    }
    store_cursor_close(cur);
    free(seen);
    if (rc < 0) {
        tile_layer_free(layer);
        return rc;
    }
    *out = layer;
    return ERR_OK;
}

/* The next coarser thinning after cell. */
static uint32_t coarser(uint32_t cell)
{
    if (cell == 0) {
        return 2;
    }
    return cell >= TILE_EXTENT + 2 * TILE_BUFFER ? TILE_KEEP_NONE : cell * 2;
}

/* Thins until the tile fits: layers over TILE_MAX_LAYER_FEATURES first (counting only),
 * then the layer keeping the most features. Packing is the costly step: after a tile too
 * large, the cell size of that layer grows (counting only) until it keeps about as many
 * fewer features as the excess bytes take at the tile's mean bytes per feature, then the
 * tile is packed again. */
static int pack_within_bound(struct tile_layer **layers, size_t n, struct buf *out, size_t *kept,
                             struct err *err)
{
    uint32_t *cells = xcalloc(n + 1, sizeof(uint32_t));
    for (size_t i = 0; i < n; i++) {
        while (tile_layer_kept(layers[i], cells[i]) > TILE_MAX_LAYER_FEATURES) {
            cells[i] = coarser(cells[i]);
        }
    }
    int rc;
    while ((rc = tile_pack(layers, cells, n, kept, out, err)) == ERR_OK &&
           out->len > TILE_MAX_BYTES) {
        size_t densest = n;
        for (size_t i = 0; i < n; i++) {
            if (kept[i] > 0 && (densest == n || kept[i] > kept[densest])) {
                densest = i;
            }
        }
        if (densest == n) {
            break; /* every layer is empty: the layer headers alone cannot be this large */
        }
        size_t total = 0;
        for (size_t i = 0; i < n; i++) {
            total += kept[i];
        }
        double per_feature = (double)out->len / (double)total;
        double excess = (double)out->len - 0.95 * TILE_MAX_BYTES;
        double want = (double)kept[densest] - excess / per_feature;
        size_t target = want > 0 ? (size_t)want : 0;
        do {
            cells[densest] = coarser(cells[densest]);
        } while (cells[densest] != TILE_KEEP_NONE &&
                 tile_layer_kept(layers[densest], cells[densest]) > target);
    }
    free(cells);
    return rc;
}

int tile_build(struct store_read *rd, const struct tile_id *t, const struct tile_source *sources,
               size_t n, struct buf *out, int64_t *dropped, struct err *err)
{
    struct tile_geom_ctx *ctx = tile_geom_ctx_new(t);
    struct tile_layer **layers = xcalloc(n + 1, sizeof(*layers));
    size_t *kept = xcalloc(n + 1, sizeof(size_t));
    int rc = ERR_OK;
    size_t n_built = 0;
    for (; rc == ERR_OK && n_built < n; n_built++) {
        dropped[n_built] = 0;
        rc = gather(rd, t, ctx, &sources[n_built], &layers[n_built], &dropped[n_built], err);
        if (rc != ERR_OK) {
            break;
        }
    }
    tile_geom_ctx_free(ctx);
    if (rc == ERR_OK) {
        rc = pack_within_bound(layers, n, out, kept, err);
    }
    for (size_t i = 0; i < n_built && i < n; i++) {
        if (rc == ERR_OK) {
            dropped[i] += (int64_t)(tile_layer_count(layers[i]) - kept[i]);
        }
        tile_layer_free(layers[i]);
    }
    free(layers);
    free(kept);
    return rc;
}
