/* tile_layer.c - a tile's layers gathered and packed with protobuf-c (see tile_layer.h).
 * Commands and tags of every feature live in two growing pools per layer rather than one
 * allocation each: a low-zoom tile may gather a million points. */
#include "tiles/tile_layer.h"

#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "tiles/vector_tile.pb-c.h"

enum value_kind { VALUE_INT, VALUE_DOUBLE, VALUE_STRING };

/* A value of the layer's table, kept as the protobuf-c message packing writes, so that a
 * pack points at the table instead of copying it. */
struct value {
    enum value_kind kind;
    VectorTile__Tile__Value pb; /* string_value owned, NUL-terminated */
    size_t len;                 /* of the string */
};

struct feature {
    uint64_t id;
    enum tile_geom_type type;
    size_t cmd_at, n_cmd; /* in the layer's cmd pool */
    size_t tag_at, n_tag; /* in the tag pool: key index, value index, ... */
    int32_t anchor_x, anchor_y;
    uint32_t rank;
};

struct tile_layer {
    char *name;
    char **keys;
    size_t n_keys;
    struct value *values;
    size_t n_values, cap_values;
    size_t *slots; /* open-addressing table of value index + 1 (0: empty) */
    size_t n_slots;
    struct feature *features;
    size_t n_features, cap_features;
    uint32_t *cmd, *tags;
    size_t n_cmd, cap_cmd, n_tags, cap_tags;
    uint32_t max_rank; /* of every feature added */
};

struct tile_layer *tile_layer_new(const char *name, const char *const *keys, size_t n_keys)
{
    struct tile_layer *layer = xcalloc(1, sizeof(*layer));
    layer->name = xstrdup(name);
    layer->keys = xcalloc(n_keys + 1, sizeof(char *));
    for (size_t i = 0; i < n_keys; i++) {
        layer->keys[i] = xstrdup(keys[i]);
    }
    layer->n_keys = n_keys;
    return layer;
}

void tile_layer_free(struct tile_layer *layer)
{
    if (layer == NULL) {
        return;
    }
    for (size_t i = 0; i < layer->n_keys; i++) {
        free(layer->keys[i]);
    }
    for (size_t i = 0; i < layer->n_values; i++) {
        free(layer->values[i].pb.string_value);
    }
    free(layer->keys);
    free(layer->values);
    free(layer->slots);
    free(layer->features);
    free(layer->cmd);
    free(layer->tags);
    free(layer->name);
    free(layer);
}

size_t tile_layer_count(const struct tile_layer *layer)
{
    return layer->n_features;
}

/* FNV-1a over the value's kind and bytes, its bits then mixed (splitmix64's finaliser) so
 * that the low bits the table uses spread numbers that differ only in high bytes. */
static uint64_t value_hash(const struct value *v)
{
    uint64_t h = 1469598103934665603ULL ^ (uint64_t)v->kind;
    const unsigned char *p;
    size_t n;
    if (v->kind == VALUE_STRING) {
        p = (const unsigned char *)v->pb.string_value;
        n = v->len;
    } else if (v->kind == VALUE_INT) {
        p = (const unsigned char *)&v->pb.int_value;
        n = sizeof(v->pb.int_value);
    } else {
        p = (const unsigned char *)&v->pb.double_value;
        n = sizeof(v->pb.double_value);
    }
    for (size_t i = 0; i < n; i++) {
        h = (h ^ p[i]) * 1099511628211ULL;
    }
    h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
    h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
    return h ^ (h >> 31);
}

static bool value_equal(const struct value *a, const struct value *b)
{
    if (a->kind != b->kind) {
        return false;
    }
    if (a->kind == VALUE_STRING) {
        return a->len == b->len && memcmp(a->pb.string_value, b->pb.string_value, a->len) == 0;
    }
    return a->kind == VALUE_INT
               ? a->pb.int_value == b->pb.int_value
               : memcmp(&a->pb.double_value, &b->pb.double_value, sizeof(double)) == 0;
}

static void grow_slots(struct tile_layer *layer)
{
    size_t n_slots = layer->n_slots ? layer->n_slots * 2 : 256;
    size_t *slots = xcalloc(n_slots, sizeof(size_t));
    for (size_t i = 0; i < layer->n_values; i++) {
        size_t at = value_hash(&layer->values[i]) & (n_slots - 1);
        while (slots[at] != 0) {
            at = (at + 1) & (n_slots - 1);
        }
        slots[at] = i + 1;
    }
    free(layer->slots);
    layer->slots = slots;
    layer->n_slots = n_slots;
}

/* The index of v in the layer's values, added (strings copied) when new. */
static uint32_t value_index(struct tile_layer *layer, const struct value *v)
{
    if ((layer->n_values + 1) * 2 > layer->n_slots) {
        grow_slots(layer);
    }
    size_t at = value_hash(v) & (layer->n_slots - 1);
    while (layer->slots[at] != 0) {
        size_t i = layer->slots[at] - 1;
        if (value_equal(&layer->values[i], v)) {
            return (uint32_t)i;
        }
        at = (at + 1) & (layer->n_slots - 1);
    }
    if (layer->n_values == layer->cap_values) {
        layer->cap_values = layer->cap_values * 2 + 64;
        layer->values = xreallocarray(layer->values, layer->cap_values, sizeof(struct value));
    }
    struct value copy = *v;
    if (v->kind == VALUE_STRING) {
        copy.pb.string_value = xstrndup(v->pb.string_value, v->len);
    }
    layer->values[layer->n_values] = copy;
    layer->slots[at] = ++layer->n_values;
    return (uint32_t)(layer->n_values - 1);
}

static void pool_add(uint32_t **pool, size_t *n, size_t *cap, const uint32_t *items, size_t k)
{
    if (*n + k > *cap) {
        *cap = *cap * 2 > *n + k ? *cap * 2 : *n + k + 1024;
        *pool = xreallocarray(*pool, *cap, sizeof(uint32_t));
    }
    memcpy(*pool + *n, items, k * sizeof(uint32_t));
    *n += k;
}

void tile_layer_add(struct tile_layer *layer, uint64_t id, const struct tile_geom *g,
                    const struct store_value *values)
{
    tile_layer_add_ranked(layer, id, g, values, 0);
}

void tile_layer_add_ranked(struct tile_layer *layer, uint64_t id, const struct tile_geom *g,
                           const struct store_value *values, uint32_t rank)
{
    if (layer->n_features == layer->cap_features) {
        layer->cap_features = layer->cap_features * 2 + 256;
        layer->features =
            xreallocarray(layer->features, layer->cap_features, sizeof(struct feature));
    }
    struct feature *f = &layer->features[layer->n_features++];
    *f = (struct feature){.id = id,
                          .type = g->type,
                          .cmd_at = layer->n_cmd,
                          .n_cmd = g->n_commands,
                          .tag_at = layer->n_tags,
                          .anchor_x = g->anchor_x,
                          .anchor_y = g->anchor_y,
                          .rank = rank};
    layer->max_rank = rank > layer->max_rank ? rank : layer->max_rank;
    pool_add(&layer->cmd, &layer->n_cmd, &layer->cap_cmd, g->commands, g->n_commands);
    for (size_t k = 0; k < layer->n_keys; k++) {
        const struct store_value *sv = &values[k];
        struct value v = {.pb = VECTOR_TILE__TILE__VALUE__INIT};
        if (sv->is_null || sv->type == STORE_BLOB) {
            continue;
        }
        if (sv->type == STORE_INTEGER) {
            v.kind = VALUE_INT;
            v.pb.has_int_value = 1;
            v.pb.int_value = sv->i;
        } else if (sv->type == STORE_REAL) {
            v.kind = VALUE_DOUBLE;
            v.pb.has_double_value = 1;
            v.pb.double_value = sv->d;
        } else {
            v.kind = VALUE_STRING;
            v.pb.string_value = (char *)sv->ptr; /* copied when new to the table */
            v.len = sv->len;
        }
        uint32_t pair[2] = {(uint32_t)k, value_index(layer, &v)};
        pool_add(&layer->tags, &layer->n_tags, &layer->cap_tags, pair, 2);
        f->n_tag += 2;
    }
}

/* Marks the features of one rank that are the first in their cell of seen[]. */
static size_t thin_rank(const struct tile_layer *layer, uint32_t rank, uint32_t cell_size,
                        size_t side, unsigned char *seen, bool *keep)
{
    size_t span = TILE_EXTENT + 2 * TILE_BUFFER + 1;
    size_t kept = 0;
    for (size_t i = 0; i < layer->n_features; i++) {
        const struct feature *f = &layer->features[i];
        if (f->rank != rank) {
            continue;
        }
        int64_t ax = (int64_t)f->anchor_x + TILE_BUFFER, ay = (int64_t)f->anchor_y + TILE_BUFFER;
        ax = ax < 0 ? 0 : (ax >= (int64_t)span ? (int64_t)span - 1 : ax);
        ay = ay < 0 ? 0 : (ay >= (int64_t)span ? (int64_t)span - 1 : ay);
        size_t cell = ((size_t)ay / cell_size) * side + (size_t)ax / cell_size;
        bool is_new = !(seen[cell / 8] & (1u << (cell % 8)));
        seen[cell / 8] |= (unsigned char)(1u << (cell % 8));
        kept += is_new;
        if (keep != NULL) {
            keep[i] = is_new;
        }
    }
    return kept;
}

/* Marks which features cell_size keeps into keep[] (when not NULL); returns how many. */
static size_t thin(const struct tile_layer *layer, uint32_t cell_size, bool *keep)
{
    if (cell_size == TILE_KEEP_NONE || cell_size == 0) {
        bool all = cell_size == 0;
        for (size_t i = 0; keep != NULL && i < layer->n_features; i++) {
            keep[i] = all;
        }
        return all ? layer->n_features : 0;
    }
    /* The grid's anchors lie within the buffered tile, -TILE_BUFFER..EXTENT+TILE_BUFFER. */
    size_t span = TILE_EXTENT + 2 * TILE_BUFFER + 1;
    size_t side = (span + cell_size - 1) / cell_size;
    unsigned char *seen = xcalloc((side * side + 7) / 8, 1);
    size_t kept = 0;
    /* One pass per rank (a handful of road classes at most), lowest first: a cell goes
     * to the most important feature in it. */
    for (uint32_t rank = 0; rank <= layer->max_rank; rank++) {
        kept += thin_rank(layer, rank, cell_size, side, seen, keep);
    }
    free(seen);
    return kept;
}

size_t tile_layer_kept(const struct tile_layer *layer, uint32_t cell_size)
{
    return thin(layer, cell_size, NULL);
}

/* The protobuf-c structures of one layer, pointing into its pools and value table;
 * *kept features. */
struct packed_layer {
    VectorTile__Tile__Layer pb;
    VectorTile__Tile__Feature *features;
    VectorTile__Tile__Feature **feature_ptrs;
    VectorTile__Tile__Value **value_ptrs;
    uint32_t *tags; /* remapped to the kept values; NULL when every feature is kept */
};

static void packed_layer_fill(struct packed_layer *p, const struct tile_layer *layer,
                              uint32_t cell_size, size_t *kept)
{
    bool *keep = xmalloc((layer->n_features + 1) * sizeof(bool));
    *kept = thin(layer, cell_size, keep);
    bool keeps_all = *kept == layer->n_features;
    p->features = xmalloc((*kept + 1) * sizeof(*p->features));
    p->feature_ptrs = xmalloc((*kept + 1) * sizeof(*p->feature_ptrs));
    p->value_ptrs = xmalloc((layer->n_values + 1) * sizeof(*p->value_ptrs));
    p->tags = NULL;
    size_t n_features = 0, n_values = 0, n_tags = 0;
    uint32_t *new_index = NULL;
    if (keeps_all) {
        /* Every value is used: the table goes out as it is. */
        for (size_t i = 0; i < layer->n_values; i++) {
            p->value_ptrs[i] = (VectorTile__Tile__Value *)&layer->values[i].pb;
        }
        n_values = layer->n_values;
    } else {
        /* Only the values the kept features use go in the layer, renumbered. */
        new_index = xmalloc((layer->n_values + 1) * sizeof(uint32_t));
        memset(new_index, 0xff, (layer->n_values + 1) * sizeof(uint32_t));
        p->tags = xmalloc((layer->n_tags + 1) * sizeof(uint32_t));
    }
    for (size_t i = 0; i < layer->n_features; i++) {
        if (!keep[i]) {
            continue;
        }
        const struct feature *f = &layer->features[i];
        VectorTile__Tile__Feature *pf = &p->features[n_features];
        vector_tile__tile__feature__init(pf);
        pf->has_id = 1;
        pf->id = f->id;
        pf->has_type = 1;
        pf->type = (VectorTile__Tile__GeomType)f->type;
        pf->n_geometry = f->n_cmd;
        pf->geometry = layer->cmd + f->cmd_at;
        pf->n_tags = f->n_tag;
        pf->tags = layer->tags + f->tag_at;
        if (!keeps_all) {
            pf->tags = p->tags + n_tags;
            for (size_t t = 0; t < f->n_tag; t += 2) {
                uint32_t key = layer->tags[f->tag_at + t], old = layer->tags[f->tag_at + t + 1];
                if (new_index[old] == UINT32_MAX) {
                    p->value_ptrs[n_values] = (VectorTile__Tile__Value *)&layer->values[old].pb;
                    new_index[old] = (uint32_t)n_values++;
                }
                p->tags[n_tags++] = key;
                p->tags[n_tags++] = new_index[old];
            }
        }
        p->feature_ptrs[n_features++] = pf;
    }
    vector_tile__tile__layer__init(&p->pb);
    p->pb.version = 2;
    p->pb.name = layer->name;
    p->pb.has_extent = 1;
    p->pb.extent = TILE_EXTENT;
    p->pb.n_keys = layer->n_keys;
    p->pb.keys = layer->keys;
    p->pb.n_values = n_values;
    p->pb.values = p->value_ptrs;
    p->pb.n_features = n_features;
    p->pb.features = p->feature_ptrs;
    free(new_index);
    free(keep);
}

static void packed_layer_clear(struct packed_layer *p)
{
    free(p->features);
    free(p->feature_ptrs);
    free(p->value_ptrs);
    free(p->tags);
}

int tile_pack(struct tile_layer *const *layers, const uint32_t *cell_sizes, size_t n, size_t *kept,
              struct buf *out, struct err *err)
{
    struct packed_layer *packed = xcalloc(n + 1, sizeof(*packed));
    VectorTile__Tile__Layer **ptrs = xcalloc(n + 1, sizeof(*ptrs));
    for (size_t i = 0; i < n; i++) {
        packed_layer_fill(&packed[i], layers[i], cell_sizes[i], &kept[i]);
        ptrs[i] = &packed[i].pb;
    }
    VectorTile__Tile tile = VECTOR_TILE__TILE__INIT;
    tile.n_layers = n;
    tile.layers = ptrs;
    size_t size = vector_tile__tile__get_packed_size(&tile);
    buf_truncate(out, 0);
    int rc = buf_reserve(out, size + 1, err);
    if (rc == ERR_OK) {
        out->len = vector_tile__tile__pack(&tile, (uint8_t *)out->data);
        out->data[out->len] = '\0';
    }
    for (size_t i = 0; i < n; i++) {
        packed_layer_clear(&packed[i]);
    }
    free(packed);
    free(ptrs);
    return rc;
}
