/* test_tiles.c - the vector tile module without a server: tile addresses, geometry
 * encoding (winding, clipping, degenerate parts) from hand-made SpatiaLite blobs, layer
 * tables and density thinning checked by unpacking with protobuf-c, and the tile cache. */
#include "unit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "tiles/tile_cache.h"
#include "tiles/tile_geom.h"
#include "tiles/tile_layer.h"
#include "tiles/tile_math.h"
#include "tiles/vector_tile.pb-c.h"
#include "unit_support.c"

/* A little-endian SpatiaLite blob of one POLYGON ring or one POINT, in EPSG:4326. */
struct blob {
    unsigned char data[4096];
    size_t len;
};

static void put(struct blob *b, const void *p, size_t n)
{
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

static void put_i32(struct blob *b, int32_t v)
{
    put(b, &v, 4);
}

static void put_f64(struct blob *b, double v)
{
    put(b, &v, 8);
}

static void blob_header(struct blob *b, const double *xy, size_t n, int32_t cls)
{
    double mbr[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY};
    for (size_t i = 0; i < n; i++) {
        mbr[0] = fmin(mbr[0], xy[2 * i]);
        mbr[1] = fmin(mbr[1], xy[2 * i + 1]);
        mbr[2] = fmax(mbr[2], xy[2 * i]);
        mbr[3] = fmax(mbr[3], xy[2 * i + 1]);
    }
    b->len = 0;
    unsigned char start[2] = {0x00, 0x01};
    put(b, start, 2);
    put_i32(b, 4326);
    for (int i = 0; i < 4; i++) {
        put_f64(b, mbr[i]);
    }
    unsigned char mark = 0x7C;
    put(b, &mark, 1);
    put_i32(b, cls);
}

static void blob_end(struct blob *b)
{
    unsigned char end = 0xFE;
    put(b, &end, 1);
}

static void polygon_blob(struct blob *b, const double *ring, size_t n)
{
    blob_header(b, ring, n, 3);
    put_i32(b, 1);
    put_i32(b, (int32_t)n);
    for (size_t i = 0; i < 2 * n; i++) {
        put_f64(b, ring[i]);
    }
    blob_end(b);
}

static void point_blob(struct blob *b, double lon, double lat)
{
    double xy[2] = {lon, lat};
    blob_header(b, xy, 1, 1);
    put_f64(b, lon);
    put_f64(b, lat);
    blob_end(b);
}

/* Decodes commands into absolute points; *n_rings counts ClosePaths. */
static size_t decode(const struct tile_geom *g, int32_t *xy, size_t cap, size_t *n_rings)
{
    size_t n = 0;
    int32_t x = 0, y = 0;
    *n_rings = 0;
    for (size_t i = 0; i < g->n_commands;) {
        uint32_t id = g->commands[i] & 7, count = g->commands[i] >> 3;
        i++;
        if (id == 7) {
            ++*n_rings;
            continue;
        }
        for (uint32_t k = 0; k < count; k++) {
            uint32_t dx = g->commands[i++], dy = g->commands[i++];
            x += (int32_t)((dx >> 1) ^ (~(dx & 1) + 1));
            y += (int32_t)((dy >> 1) ^ (~(dy & 1) + 1));
            if (n < cap) {
                xy[2 * n] = x;
                xy[2 * n + 1] = y;
            }
            n++;
        }
    }
    return n;
}

static int64_t area2(const int32_t *xy, size_t n)
{
    int64_t s = 0;
    for (size_t i = 0; i < n; i++) {
        size_t j = (i + 1) % n;
        s += (int64_t)xy[2 * i] * xy[2 * j + 1] - (int64_t)xy[2 * j] * xy[2 * i + 1];
    }
    return s;
}

static void tile_ids_parse_and_refuse(void **state)
{
    (void)state;
    struct tile_id t;
    struct err e;
    assert_int_equal(tile_id_parse("14", "7321", "12696", &t, &e), ERR_OK);
    assert_int_equal(t.z, 14);
    assert_int_equal(t.y, 7321);
    assert_int_equal(t.x, 12696);
    assert_int_equal(tile_id_parse("23", "0", "0", &t, &e), ERR_NOT_FOUND);
    assert_int_equal(tile_id_parse("3", "8", "0", &t, &e), ERR_NOT_FOUND);
    assert_int_equal(tile_id_parse("3", "0", "-1", &t, &e), ERR_NOT_FOUND);
    assert_int_equal(tile_id_parse("3", "x", "0", &t, &e), ERR_INVALID);
    assert_int_equal(tile_id_parse("3.5", "0", "0", &t, &e), ERR_INVALID);
    assert_int_equal(tile_id_parse("", "0", "0", &t, &e), ERR_INVALID);
    double box[4];
    t = (struct tile_id){0, 0, 0};
    tile_bbox_lonlat(&t, 0, box);
    assert_true(fabs(box[0] + 180) < 1e-9 && fabs(box[2] - 180) < 1e-9);
    assert_true(fabs(box[3] - 85.0511287798066) < 1e-9);
}

/* The lon/lat of grid point (gx, gy) of tile t. */
static void grid_lonlat(const struct tile_id *t, double gx, double gy, double *lon, double *lat)
{
    double n = (double)(1u << t->z);
    double mx = (t->x + gx / TILE_EXTENT) / n, my = (t->y + gy / TILE_EXTENT) / n;
    *lon = mx * 360 - 180;
    *lat = atan(sinh(M_PI * (1 - 2 * my))) * 180 / M_PI;
}

static void polygon_in(const struct tile_id *t, const double (*grid)[2], size_t n, struct blob *b)
{
    double ring[64];
    for (size_t i = 0; i < n; i++) {
        grid_lonlat(t, grid[i][0], grid[i][1], &ring[2 * i], &ring[2 * i + 1]);
    }
    polygon_blob(b, ring, n);
}

static void rings_are_wound_as_the_spec_wants(void **state)
{
    (void)state;
    struct tile_id t = {16, 50787, 29284};
    struct tile_geom_ctx *ctx = tile_geom_ctx_new(&t);
    /* The same square both ways round: the exterior ring comes out with positive area. */
    const double cw[5][2] = {{100, 100}, {200, 100}, {200, 200}, {100, 200}, {100, 100}};
    const double ccw[5][2] = {{100, 100}, {100, 200}, {200, 200}, {200, 100}, {100, 100}};
    const double(*rings[2])[2] = {cw, ccw};
    for (int k = 0; k < 2; k++) {
        struct blob b;
        polygon_in(&t, rings[k], 5, &b);
        struct tile_geom g;
        struct err e;
        assert_int_equal(tile_geom_encode(ctx, b.data, b.len, &g, &e), ERR_OK);
        assert_int_equal(g.type, TILE_GEOM_POLYGON);
        int32_t xy[16];
        size_t n_rings;
        size_t n = decode(&g, xy, 8, &n_rings);
        assert_int_equal(n, 4); /* the closing point is ClosePath's */
        assert_int_equal(n_rings, 1);
        assert_true(area2(xy, n) > 0);
        for (size_t i = 0; i < n; i++) {
            assert_true(xy[2 * i] == 100 || xy[2 * i] == 200);
            assert_true(xy[2 * i + 1] == 100 || xy[2 * i + 1] == 200);
        }
        assert_int_equal(g.anchor_x, 150);
        assert_int_equal(g.anchor_y, 150);
        free(g.commands);
    }
    tile_geom_ctx_free(ctx);
}

static void large_polygons_are_clipped_to_the_buffer_and_tiny_ones_vanish(void **state)
{
    (void)state;
    struct tile_id t = {16, 50787, 29284};
    struct tile_geom_ctx *ctx = tile_geom_ctx_new(&t);
    const double big[5][2] = {
        {-9000, -9000}, {9000, -9000}, {9000, 9000}, {-9000, 9000}, {-9000, -9000}};
    struct blob b;
    polygon_in(&t, big, 5, &b);
    struct tile_geom g;
    struct err e;
    assert_int_equal(tile_geom_encode(ctx, b.data, b.len, &g, &e), ERR_OK);
    assert_int_equal(g.type, TILE_GEOM_POLYGON);
    int32_t xy[64];
    size_t n_rings;
    size_t n = decode(&g, xy, 32, &n_rings);
    assert_true(n >= 4 && n <= 32);
    for (size_t i = 0; i < 2 * n; i++) {
        assert_true(xy[i] >= -TILE_BUFFER && xy[i] <= TILE_EXTENT + TILE_BUFFER);
    }
    assert_true(area2(xy, n) > 0);
    free(g.commands);
    /* Smaller than a grid unit: nothing left at this zoom. */
    const double tiny[4][2] = {{10.1, 10.1}, {10.3, 10.1}, {10.2, 10.3}, {10.1, 10.1}};
    polygon_in(&t, tiny, 4, &b);
    assert_int_equal(tile_geom_encode(ctx, b.data, b.len, &g, &e), ERR_OK);
    assert_int_equal(g.type, TILE_GEOM_NONE);
    assert_null(g.commands);
    /* Outside the buffered tile altogether. */
    const double away[4][2] = {{5000, 5000}, {5100, 5000}, {5100, 5100}, {5000, 5000}};
    polygon_in(&t, away, 4, &b);
    assert_int_equal(tile_geom_encode(ctx, b.data, b.len, &g, &e), ERR_OK);
    assert_int_equal(g.type, TILE_GEOM_NONE);
    /* A truncated blob is refused. */
    assert_int_equal(tile_geom_encode(ctx, b.data, b.len - 9, &g, &e), ERR_INVALID);
    tile_geom_ctx_free(ctx);
}

static void layers_share_values_and_thin_by_density(void **state)
{
    (void)state;
    struct tile_id t = {14, 12696, 7321};
    struct tile_geom_ctx *ctx = tile_geom_ctx_new(&t);
    const char *keys[] = {"name", "rank"};
    struct tile_layer *layer = tile_layer_new("places", keys, 2);
    /* 1,000 points in one corner cell of 64 units and one far away. */
    for (int i = 0; i <= 1000; i++) {
        double gx = i < 1000 ? 10 + (i % 40) : 4000, gy = i < 1000 ? 10 + (i / 40) : 4000;
        double lon, lat;
        grid_lonlat(&t, gx, gy, &lon, &lat);
        struct blob b;
        point_blob(&b, lon, lat);
        struct tile_geom g;
        struct err e;
        assert_int_equal(tile_geom_encode(ctx, b.data, b.len, &g, &e), ERR_OK);
        assert_int_equal(g.type, TILE_GEOM_POINT);
        struct store_value values[2] = {{.type = STORE_TEXT,
                                         .ptr = i % 2 ? "วัด" : "ตลาด",
                                         .len = strlen(i % 2 ? "วัด" : "ตลาด")},
                                        {.type = STORE_INTEGER, .i = i % 3, .is_null = i == 7}};
        tile_layer_add(layer, (uint64_t)i + 1, &g, values);
        free(g.commands);
    }
    assert_int_equal(tile_layer_count(layer), 1001);
    assert_int_equal(tile_layer_kept(layer, 0), 1001);
    assert_int_equal(tile_layer_kept(layer, 128), 2); /* one per occupied cell */
    assert_int_equal(tile_layer_kept(layer, TILE_KEEP_NONE), 0);
    struct buf out;
    buf_init(&out, 1u << 20);
    size_t kept;
    struct err e;
    uint32_t cells[2] = {0, 128};
    for (int pass = 0; pass < 2; pass++) {
        assert_int_equal(tile_pack(&layer, &cells[pass], 1, &kept, &out, &e), ERR_OK);
        VectorTile__Tile *tile =
            vector_tile__tile__unpack(NULL, out.len, (const uint8_t *)out.data);
        assert_non_null(tile);
        assert_int_equal(tile->n_layers, 1);
        const VectorTile__Tile__Layer *l = tile->layers[0];
        assert_string_equal(l->name, "places");
        assert_int_equal(l->version, 2);
        assert_int_equal(l->extent, TILE_EXTENT);
        assert_int_equal(l->n_features, pass == 0 ? 1001 : 2);
        assert_int_equal(kept, l->n_features);
        /* Two names and three ranks at most, each once in the table. */
        assert_true(l->n_values <= 5);
        assert_int_equal(l->features[0]->id, 1);
        assert_int_equal(l->features[l->n_features - 1]->id, 1001);
        vector_tile__tile__free_unpacked(tile, NULL);
    }
    buf_clear(&out);
    tile_layer_free(layer);
    tile_geom_ctx_free(ctx);
}

/* A C-shaped polygon, whose box centre (and centroid) lies in its notch: the label point
 * stands inside the shape; a polygon whose label point lies in the next tile gives none. */
static void labels_stand_inside_concave_polygons(void **state)
{
    (void)state;
    struct tile_id t = {16, 50787, 29284};
    struct tile_geom_ctx *ctx = tile_geom_ctx_new(&t);
    const double c_shape[9][2] = {{1000, 1000}, {3000, 1000}, {3000, 1400},
                                  {1400, 1400}, {1400, 2600}, {3000, 2600},
                                  {3000, 3000}, {1000, 3000}, {1000, 1000}};
    struct blob b;
    polygon_in(&t, c_shape, 9, &b);
    struct tile_geom g;
    struct err e;
    assert_int_equal(tile_geom_label(ctx, b.data, b.len, &g, &e), ERR_OK);
    assert_int_equal(g.type, TILE_GEOM_POINT);
    int32_t xy[2];
    size_t n_rings;
    assert_int_equal(decode(&g, xy, 1, &n_rings), 1);
    /* Inside the C's back (x 1000..1400) or one of its arms, not in the notch. */
    bool in_back = xy[0] > 1000 && xy[0] < 1400 && xy[1] > 1000 && xy[1] < 3000;
    bool in_arm = xy[0] > 1000 && xy[0] < 3000 &&
                  ((xy[1] > 1000 && xy[1] < 1400) || (xy[1] > 2600 && xy[1] < 3000));
    assert_true(in_back || in_arm);
    free(g.commands);
    /* A square from x 3900 to 4900: its centre (4400) is the next tile's. */
    const double across[5][2] = {{3900, 100}, {4900, 100}, {4900, 1100}, {3900, 1100}, {3900, 100}};
    polygon_in(&t, across, 5, &b);
    assert_int_equal(tile_geom_label(ctx, b.data, b.len, &g, &e), ERR_OK);
    assert_int_equal(g.type, TILE_GEOM_NONE);
    /* A point has no label point. */
    point_blob(&b, 98.98, 18.78);
    assert_int_equal(tile_geom_label(ctx, b.data, b.len, &g, &e), ERR_OK);
    assert_int_equal(g.type, TILE_GEOM_NONE);
    tile_geom_ctx_free(ctx);
}

/* Ranked features: thinning keeps the most important of each cell, whatever the order
 * they came in (a residential street first, the primary road crossing it second). */
static void thinning_keeps_the_most_important_rank_first(void **state)
{
    (void)state;
    struct tile_id t = {14, 12696, 7321};
    struct tile_geom_ctx *ctx = tile_geom_ctx_new(&t);
    struct tile_layer *layer = tile_layer_new("roads", NULL, 0);
    /* 40 features in one cell of 512 units: ids 1..39 rank 5, id 40 rank 0; and one
     * rank-3 feature alone in another cell. */
    for (int i = 1; i <= 41; i++) {
        double gx = i <= 40 ? 100 + i : 3000, gy = i <= 40 ? 100 + i : 3000, lon, lat;
        grid_lonlat(&t, gx, gy, &lon, &lat);
        struct blob b;
        point_blob(&b, lon, lat);
        struct tile_geom g;
        struct err e;
        assert_int_equal(tile_geom_encode(ctx, b.data, b.len, &g, &e), ERR_OK);
        tile_layer_add_ranked(layer, (uint64_t)i, &g, NULL, i == 40 ? 0 : (i == 41 ? 3 : 5));
        free(g.commands);
    }
    assert_int_equal(tile_layer_kept(layer, 512), 2);
    struct buf out;
    buf_init(&out, 1u << 20);
    size_t kept;
    struct err e;
    uint32_t cell = 512;
    assert_int_equal(tile_pack(&layer, &cell, 1, &kept, &out, &e), ERR_OK);
    VectorTile__Tile *tile = vector_tile__tile__unpack(NULL, out.len, (const uint8_t *)out.data);
    assert_non_null(tile);
    assert_int_equal(tile->layers[0]->n_features, 2);
    assert_int_equal(tile->layers[0]->features[0]->id, 40); /* the rank-0 one, not id 1 */
    assert_int_equal(tile->layers[0]->features[1]->id, 41);
    vector_tile__tile__free_unpacked(tile, NULL);
    buf_clear(&out);
    tile_layer_free(layer);
    tile_geom_ctx_free(ctx);
}

static void the_cache_keeps_recent_tiles_within_its_bytes(void **state)
{
    (void)state;
    struct tile_cache *c = tile_cache_new(80 * 1024);
    char data[8000];
    memset(data, 'x', sizeof(data));
    for (int i = 0; i < 20; i++) {
        char key[32];
        snprintf(key, sizeof(key), "14/%d/0|a@1", i);
        tile_cache_put(c, key, data, sizeof(data), "a=0");
        assert_true(tile_cache_bytes(c) <= 80 * 1024);
    }
    assert_true(tile_cache_count(c) < 20);
    struct buf got;
    buf_init(&got, 1u << 20);
    char *note = NULL;
    assert_false(tile_cache_get(c, "14/0/0|a@1", &got, &note));
    assert_true(tile_cache_get(c, "14/19/0|a@1", &got, &note));
    assert_int_equal(got.len, sizeof(data));
    assert_string_equal(note, "a=0");
    free(note);
    /* Too large for an eighth of the cap: not kept. */
    char *large = xcalloc(20 * 1024, 1);
    tile_cache_put(c, "big", large, 20 * 1024, "");
    assert_false(tile_cache_get(c, "big", &got, &note));
    free(large);
    buf_clear(&got);
    tile_cache_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tile_ids_parse_and_refuse),
        cmocka_unit_test(rings_are_wound_as_the_spec_wants),
        cmocka_unit_test(large_polygons_are_clipped_to_the_buffer_and_tiny_ones_vanish),
        cmocka_unit_test(layers_share_values_and_thin_by_density),
        cmocka_unit_test(labels_stand_inside_concave_polygons),
        cmocka_unit_test(thinning_keeps_the_most_important_rank_first),
        cmocka_unit_test(the_cache_keeps_recent_tiles_within_its_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
