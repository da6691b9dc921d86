/* tile_geom.c - a feature's geometry as vector tile commands (see tile_geom.h). The blob's
 * parts are first projected into the grid as doubles; only a feature reaching past the
 * buffered tile goes through GEOS (GEOSClipByRect), so the many small features inside a
 * tile cost one pass over their vertices. */
#include "tiles/tile_geom.h"

#include <geos_c.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "encode/geom_blob.h"

#define GRID_MIN (-(double)TILE_BUFFER)
#define GRID_MAX ((double)(TILE_EXTENT + TILE_BUFFER))

/* Command ids of the spec (4.3.3). */
enum { CMD_MOVE_TO = 1, CMD_LINE_TO = 2, CMD_CLOSE_PATH = 7 };

/* A point sequence in ctx->xy: a point run, a line or a ring; a polygon's exterior ring
 * is_shell and its holes follow it. */
struct part {
    size_t start, n;
    bool is_shell;
};

struct tile_geom_ctx {
    GEOSContextHandle_t geos;
    struct tile_grid grid;
    double *xy; /* the parts' points, grid units, x0 y0 x1 y1 ... */
    size_t n_points, cap_points;
    struct part *parts;
    size_t n_parts, cap_parts;
    double min_x, min_y, max_x, max_y; /* of every point read */
    int32_t *q;                        /* one part rounded to the grid */
    size_t cap_q;
    uint32_t *cmd;
    size_t n_cmd, cap_cmd;
    int32_t cursor_x, cursor_y; /* the pen, as the spec's commands move it */
    int32_t out_min_x, out_min_y, out_max_x, out_max_y; /* of what was written */
    bool has_out;
};

struct tile_geom_ctx *tile_geom_ctx_new(const struct tile_id *t)
{
    struct tile_geom_ctx *ctx = xcalloc(1, sizeof(*ctx));
    ctx->geos = GEOS_init_r();
    tile_grid_transform(t, &ctx->grid);
    return ctx;
}

void tile_geom_ctx_free(struct tile_geom_ctx *ctx)
{
    if (ctx == NULL) {
        return;
    }
    GEOS_finish_r(ctx->geos);
    free(ctx->xy);
    free(ctx->parts);
    free(ctx->q);
    free(ctx->cmd);
    free(ctx);
}

static void reserve_points(struct tile_geom_ctx *ctx, size_t extra)
{
    if (ctx->n_points + extra > ctx->cap_points) {
        size_t cap = ctx->cap_points * 2 > ctx->n_points + extra ? ctx->cap_points * 2
                                                                 : ctx->n_points + extra + 64;
        ctx->xy = xreallocarray(ctx->xy, cap, 2 * sizeof(double));
        ctx->cap_points = cap;
    }
}

static void add_part(struct tile_geom_ctx *ctx, size_t start, bool is_shell)
{
    if (ctx->n_parts == ctx->cap_parts) {
        ctx->cap_parts = ctx->cap_parts * 2 + 8;
        ctx->parts = xreallocarray(ctx->parts, ctx->cap_parts, sizeof(*ctx->parts));
    }
    ctx->parts[ctx->n_parts++] = (struct part){start, ctx->n_points - start, is_shell};
}

/* Appends a sequence of lon/lat points, projected into the grid, as one part. */
static void add_blob_points(struct tile_geom_ctx *ctx, const struct geom_blob_points *pts,
                            bool is_shell)
{
    size_t start = ctx->n_points;
    reserve_points(ctx, pts->n_points);
    struct geom_blob_points_cursor cursor;
    geom_blob_points_begin(pts, &cursor);
    size_t got = 0;
    while (got < pts->n_points) {
        size_t k = geom_blob_points_read_xy(pts, &cursor, ctx->xy + 2 * (start + got),
                                            pts->n_points - got);
        if (k == 0) {
            break;
        }
        got += k;
    }
    const struct tile_grid *g = &ctx->grid;
    for (size_t i = start; i < start + got; i++) {
        double mx, my;
        tile_lonlat_to_mercator(ctx->xy[2 * i], ctx->xy[2 * i + 1], &mx, &my);
        double gx = (mx - g->origin_x) * g->scale, gy = (g->origin_y - my) * g->scale;
        ctx->xy[2 * i] = gx;
        ctx->xy[2 * i + 1] = gy;
        ctx->min_x = fmin(ctx->min_x, gx);
        ctx->max_x = fmax(ctx->max_x, gx);
        ctx->min_y = fmin(ctx->min_y, gy);
        ctx->max_y = fmax(ctx->max_y, gy);
    }
    ctx->n_points = start + got;
    add_part(ctx, start, is_shell);
}

/* Reads one simple geometry's body; its parts are kept when keep (a collection's elements
 * of another dimension are read past, not kept). */
static int read_simple(struct tile_geom_ctx *ctx, struct geom_blob_reader *r,
                       enum geom_blob_kind kind, bool is_compressed, bool keep, struct err *err)
{
    struct geom_blob_points pts;
    if (kind == GEOM_BLOB_POINT || kind == GEOM_BLOB_LINESTRING) {
        int rc = kind == GEOM_BLOB_POINT ? geom_blob_read_point(r, &pts, err)
                                         : geom_blob_read_points(r, is_compressed, &pts, err);
        if (rc == ERR_OK && keep) {
            add_blob_points(ctx, &pts, false);
        }
        return rc;
    }
    uint32_t n_rings = 0;
    if (geom_blob_read_count(r, &n_rings, err) != ERR_OK) {
        return err->code;
    }
    for (uint32_t i = 0; i < n_rings; i++) {
        if (geom_blob_read_points(r, is_compressed, &pts, err) != ERR_OK) {
            return err->code;
        }
        if (keep) {
            add_blob_points(ctx, &pts, i == 0);
        }
    }
    return ERR_OK;
}

static enum tile_geom_type type_of(enum geom_blob_kind kind)
{
    switch (kind) {
    case GEOM_BLOB_POINT:
    case GEOM_BLOB_MULTIPOINT:
        return TILE_GEOM_POINT;
    case GEOM_BLOB_LINESTRING:
    case GEOM_BLOB_MULTILINESTRING:
        return TILE_GEOM_LINESTRING;
    case GEOM_BLOB_POLYGON:
    case GEOM_BLOB_MULTIPOLYGON:
        return TILE_GEOM_POLYGON;
    default:
        return TILE_GEOM_NONE;
    }
}

/* Reads the blob's parts into ctx; *type is their dimension. */
static int read_blob(struct tile_geom_ctx *ctx, const unsigned char *blob, size_t len,
                     enum tile_geom_type *type, struct err *err)
{
    struct geom_blob_reader r;
    struct geom_blob_header h;
    if (geom_blob_reader_open(&r, blob, len, &h, err) != ERR_OK) {
        return err->code;
    }
    *type = type_of(h.kind);
    if (h.kind <= GEOM_BLOB_POLYGON) {
        if (read_simple(ctx, &r, h.kind, h.is_compressed, true, err) != ERR_OK) {
            return err->code;
        }
        return geom_blob_reader_close(&r, err);
    }
    uint32_t n = 0;
    if (geom_blob_read_count(&r, &n, err) != ERR_OK) {
        return err->code;
    }
    for (uint32_t i = 0; i < n; i++) {
        enum geom_blob_kind kind;
        bool is_compressed;
        if (geom_blob_read_entity(&r, h.kind, &kind, &is_compressed, err) != ERR_OK) {
            return err->code;
        }
        if (*type == TILE_GEOM_NONE) {
            *type = type_of(kind);
        }
        if (read_simple(ctx, &r, kind, is_compressed, type_of(kind) == *type, err) != ERR_OK) {
            return err->code;
        }
    }
    return geom_blob_reader_close(&r, err);
}

/* Clipping through GEOS */

static GEOSGeometry *part_to_geos(struct tile_geom_ctx *ctx, const struct part *p, bool is_ring)
{
    if (p->n < (is_ring ? 4u : 2u)) {
        return NULL;
    }
    GEOSCoordSequence *seq =
        GEOSCoordSeq_copyFromBuffer_r(ctx->geos, ctx->xy + 2 * p->start, (unsigned)p->n, 0, 0);
    if (seq == NULL) {
        return NULL;
    }
    return is_ring ? GEOSGeom_createLinearRing_r(ctx->geos, seq)
                   : GEOSGeom_createLineString_r(ctx->geos, seq);
}

/* The polygon whose shell is parts[*i]; *i moves past its holes. NULL when the shell has
 * too few points. */
static GEOSGeometry *polygon_to_geos(struct tile_geom_ctx *ctx, size_t *i)
{
    GEOSGeometry *shell = part_to_geos(ctx, &ctx->parts[*i], true);
    size_t first_hole = ++*i;
    while (*i < ctx->n_parts && !ctx->parts[*i].is_shell) {
        ++*i;
    }
    if (shell == NULL) {
        return NULL;
    }
    GEOSGeometry **holes = xmalloc((*i - first_hole + 1) * sizeof(*holes));
    unsigned n_holes = 0;
    for (size_t k = first_hole; k < *i; k++) {
        GEOSGeometry *hole = part_to_geos(ctx, &ctx->parts[k], true);
        if (hole != NULL) {
            holes[n_holes++] = hole;
        }
    }
    GEOSGeometry *poly = GEOSGeom_createPolygon_r(ctx->geos, shell, holes, n_holes);
    free(holes);
    return poly;
}

static GEOSGeometry *parts_to_geos(struct tile_geom_ctx *ctx, enum tile_geom_type type)
{
    GEOSGeometry **geoms = xmalloc((ctx->n_parts + 1) * sizeof(*geoms));
    unsigned n = 0;
    for (size_t i = 0; i < ctx->n_parts;) {
        GEOSGeometry *g = type == TILE_GEOM_POLYGON ? polygon_to_geos(ctx, &i)
                                                    : part_to_geos(ctx, &ctx->parts[i++], false);
        if (g != NULL) {
            geoms[n++] = g;
        }
    }
    GEOSGeometry *all = GEOSGeom_createCollection_r(
        ctx->geos, type == TILE_GEOM_POLYGON ? GEOS_MULTIPOLYGON : GEOS_MULTILINESTRING, geoms, n);
    free(geoms);
    return all;
}

static void add_sequence(struct tile_geom_ctx *ctx, const GEOSCoordSequence *seq, bool is_shell)
{
    unsigned n = 0;
    if (seq == NULL || !GEOSCoordSeq_getSize_r(ctx->geos, seq, &n)) {
        return;
    }
    size_t start = ctx->n_points;
    reserve_points(ctx, n);
    if (GEOSCoordSeq_copyToBuffer_r(ctx->geos, seq, ctx->xy + 2 * start, 0, 0)) {
        ctx->n_points = start + n;
        add_part(ctx, start, is_shell);
    }
}

/* Appends the clipped geometry's parts of dimension type. */
static void geos_to_parts(struct tile_geom_ctx *ctx, const GEOSGeometry *g,
                          enum tile_geom_type type)
{
    int id = GEOSGeomTypeId_r(ctx->geos, g);
    if (id == GEOS_LINESTRING && type == TILE_GEOM_LINESTRING) {
        add_sequence(ctx, GEOSGeom_getCoordSeq_r(ctx->geos, g), false);
    } else if (id == GEOS_POLYGON && type == TILE_GEOM_POLYGON) {
        const GEOSGeometry *shell = GEOSGetExteriorRing_r(ctx->geos, g);
        add_sequence(ctx, GEOSGeom_getCoordSeq_r(ctx->geos, shell), true);
        int n_holes = GEOSGetNumInteriorRings_r(ctx->geos, g);
        for (int k = 0; k < n_holes; k++) {
            const GEOSGeometry *hole = GEOSGetInteriorRingN_r(ctx->geos, g, k);
            add_sequence(ctx, GEOSGeom_getCoordSeq_r(ctx->geos, hole), false);
        }
    } else if (id == GEOS_MULTILINESTRING || id == GEOS_MULTIPOLYGON ||
               id == GEOS_GEOMETRYCOLLECTION) {
        int n = GEOSGetNumGeometries_r(ctx->geos, g);
        for (int k = 0; k < n; k++) {
            geos_to_parts(ctx, GEOSGetGeometryN_r(ctx->geos, g, k), type);
        }
    }
}

/* Replaces ctx's parts by their intersection with the buffered tile. An input GEOS
 * refuses (a self-intersecting ring) is repaired with GEOSMakeValid first. */
static int clip_parts(struct tile_geom_ctx *ctx, enum tile_geom_type type, struct err *err)
{
    GEOSGeometry *in = parts_to_geos(ctx, type);
    if (in == NULL) {
        return err_set(err, ERR_INTERNAL, "GEOS could not build a geometry to clip");
    }
    GEOSGeometry *clipped = GEOSClipByRect_r(ctx->geos, in, GRID_MIN, GRID_MIN, GRID_MAX, GRID_MAX);
    if (clipped == NULL) {
        GEOSGeometry *valid = GEOSMakeValid_r(ctx->geos, in);
        if (valid != NULL) {
            clipped = GEOSClipByRect_r(ctx->geos, valid, GRID_MIN, GRID_MIN, GRID_MAX, GRID_MAX);
            GEOSGeom_destroy_r(ctx->geos, valid);
        }
    }
    GEOSGeom_destroy_r(ctx->geos, in);
    ctx->n_points = ctx->n_parts = 0;
    if (clipped != NULL) {
        geos_to_parts(ctx, clipped, type);
        GEOSGeom_destroy_r(ctx->geos, clipped);
    }
    return ERR_OK;
}

/* Commands */

static void push(struct tile_geom_ctx *ctx, uint32_t v)
{
    if (ctx->n_cmd == ctx->cap_cmd) {
        ctx->cap_cmd = ctx->cap_cmd * 2 + 32;
        ctx->cmd = xreallocarray(ctx->cmd, ctx->cap_cmd, sizeof(*ctx->cmd));
    }
    ctx->cmd[ctx->n_cmd++] = v;
}

static uint32_t command(unsigned id, size_t count)
{
    return (id & 7u) | ((uint32_t)count << 3);
}

static uint32_t zigzag(int32_t v)
{
    return ((uint32_t)v << 1) ^ (uint32_t)(v >> 31);
}

static void push_point(struct tile_geom_ctx *ctx, int32_t x, int32_t y)
{
    push(ctx, zigzag(x - ctx->cursor_x));
    push(ctx, zigzag(y - ctx->cursor_y));
    ctx->cursor_x = x;
    ctx->cursor_y = y;
    if (!ctx->has_out) {
        ctx->out_min_x = ctx->out_max_x = x;
        ctx->out_min_y = ctx->out_max_y = y;
        ctx->has_out = true;
    }
    ctx->out_min_x = x < ctx->out_min_x ? x : ctx->out_min_x;
    ctx->out_max_x = x > ctx->out_max_x ? x : ctx->out_max_x;
    ctx->out_min_y = y < ctx->out_min_y ? y : ctx->out_min_y;
    ctx->out_max_y = y > ctx->out_max_y ? y : ctx->out_max_y;
}

static bool in_grid(double x, double y)
{
    return x >= GRID_MIN && x <= GRID_MAX && y >= GRID_MIN && y <= GRID_MAX;
}

/* Rounds part p to the grid into ctx->q, merging repeated points; returns how many. */
static size_t quantise(struct tile_geom_ctx *ctx, const struct part *p)
{
    if (p->n > ctx->cap_q) {
        ctx->cap_q = p->n;
        ctx->q = xreallocarray(ctx->q, ctx->cap_q, 2 * sizeof(int32_t));
    }
    size_t n = 0;
    for (size_t i = 0; i < p->n; i++) {
        int32_t x = (int32_t)floor(ctx->xy[2 * (p->start + i)] + 0.5);
        int32_t y = (int32_t)floor(ctx->xy[2 * (p->start + i) + 1] + 0.5);
        if (n > 0 && ctx->q[2 * n - 2] == x && ctx->q[2 * n - 1] == y) {
            continue;
        }
        ctx->q[2 * n] = x;
        ctx->q[2 * n + 1] = y;
        n++;
    }
    return n;
}

static void encode_points(struct tile_geom_ctx *ctx)
{
    size_t n = 0;
    for (size_t i = 0; i < ctx->n_points; i++) {
        n += in_grid(ctx->xy[2 * i], ctx->xy[2 * i + 1]);
    }
    if (n == 0) {
        return;
    }
    push(ctx, command(CMD_MOVE_TO, n));
    for (size_t i = 0; i < ctx->n_points; i++) {
        if (in_grid(ctx->xy[2 * i], ctx->xy[2 * i + 1])) {
            push_point(ctx, (int32_t)floor(ctx->xy[2 * i] + 0.5),
                       (int32_t)floor(ctx->xy[2 * i + 1] + 0.5));
        }
    }
}

static void encode_lines(struct tile_geom_ctx *ctx)
{
    for (size_t k = 0; k < ctx->n_parts; k++) {
        size_t n = quantise(ctx, &ctx->parts[k]);
        if (n < 2) {
            continue; /* shorter than a grid unit at this zoom */
        }
        push(ctx, command(CMD_MOVE_TO, 1));
        push_point(ctx, ctx->q[0], ctx->q[1]);
        push(ctx, command(CMD_LINE_TO, n - 1));
        for (size_t i = 1; i < n; i++) {
            push_point(ctx, ctx->q[2 * i], ctx->q[2 * i + 1]);
        }
    }
}

/* Twice the signed area of ctx->q[n] (a ring without its closing point) by the surveyor's
 * formula in tile coordinates. */
static int64_t ring_area2(const int32_t *q, size_t n)
{
    int64_t sum = 0;
    for (size_t i = 0; i < n; i++) {
        size_t j = i + 1 == n ? 0 : i + 1;
        sum += (int64_t)q[2 * i] * q[2 * j + 1] - (int64_t)q[2 * j] * q[2 * i + 1];
    }
    return sum;
}

/* Writes part p as a ring, exterior (positive area) or hole (negative); false when it has
 * no area at this resolution. */
static bool encode_ring(struct tile_geom_ctx *ctx, const struct part *p, bool is_exterior)
{
    size_t n = quantise(ctx, p);
    if (n > 1 && ctx->q[0] == ctx->q[2 * n - 2] && ctx->q[1] == ctx->q[2 * n - 1]) {
        n--; /* ClosePath closes it */
    }
    int64_t area = n >= 3 ? ring_area2(ctx->q, n) : 0;
    if (area == 0) {
        return false;
    }
    bool reverse = (area > 0) != is_exterior;
    push(ctx, command(CMD_MOVE_TO, 1));
    size_t first = reverse ? n - 1 : 0;
    push_point(ctx, ctx->q[2 * first], ctx->q[2 * first + 1]);
    push(ctx, command(CMD_LINE_TO, n - 1));
    for (size_t i = 1; i < n; i++) {
        size_t k = reverse ? n - 1 - i : i;
        push_point(ctx, ctx->q[2 * k], ctx->q[2 * k + 1]);
    }
    push(ctx, command(CMD_CLOSE_PATH, 1));
    return true;
}

static void encode_polygons(struct tile_geom_ctx *ctx)
{
    bool shell_kept = false;
    for (size_t k = 0; k < ctx->n_parts; k++) {
        const struct part *p = &ctx->parts[k];
        if (p->is_shell) {
            shell_kept = encode_ring(ctx, p, true);
        } else if (shell_kept) {
            (void)encode_ring(ctx, p, false); /* a hole gone at this zoom leaves its shell */
        }
    }
}

static void reset(struct tile_geom_ctx *ctx)
{
    ctx->n_points = ctx->n_parts = ctx->n_cmd = 0;
    ctx->min_x = ctx->min_y = INFINITY;
    ctx->max_x = ctx->max_y = -INFINITY;
    ctx->cursor_x = ctx->cursor_y = 0;
    ctx->has_out = false;
}

/* The centre of the largest circle inside poly, into (*x, *y); false when GEOS fails. A
 * tolerance of 1/200 of the polygon's size bounds the work on a polygon many tiles wide
 * and still puts the label well inside it. */
static bool inscribed_centre(struct tile_geom_ctx *ctx, const GEOSGeometry *poly, double *x,
                             double *y)
{
    double size = fmax(ctx->max_x - ctx->min_x, ctx->max_y - ctx->min_y);
    /* The circle comes as its radius: a line from the centre to the nearest edge. */
    GEOSGeometry *radius = GEOSMaximumInscribedCircle_r(ctx->geos, poly, fmax(size / 200, 0.5));
    GEOSGeometry *centre = radius != NULL ? GEOSGeomGetStartPoint_r(ctx->geos, radius) : NULL;
    bool ok = centre != NULL && GEOSGeomGetX_r(ctx->geos, centre, x) == 1 &&
              GEOSGeomGetY_r(ctx->geos, centre, y) == 1;
    if (centre != NULL) {
        GEOSGeom_destroy_r(ctx->geos, centre);
    }
    if (radius != NULL) {
        GEOSGeom_destroy_r(ctx->geos, radius);
    }
    return ok;
}

int tile_geom_label(struct tile_geom_ctx *ctx, const unsigned char *blob, size_t len,
                    struct tile_geom *out, struct err *err)
{
    *out = (struct tile_geom){.type = TILE_GEOM_NONE};
    reset(ctx);
    enum tile_geom_type type = TILE_GEOM_NONE;
    if (read_blob(ctx, blob, len, &type, err) != ERR_OK) {
        return err->code;
    }
    if (type != TILE_GEOM_POLYGON || ctx->n_points == 0 || ctx->max_x < 0 ||
        ctx->min_x >= TILE_EXTENT || ctx->max_y < 0 || ctx->min_y >= TILE_EXTENT) {
        return ERR_OK;
    }
    GEOSGeometry *poly = parts_to_geos(ctx, type);
    if (poly == NULL) {
        return err_set(err, ERR_INTERNAL, "GEOS could not build a polygon to label");
    }
    double x, y;
    bool ok = inscribed_centre(ctx, poly, &x, &y);
    if (!ok) {
        /* A ring GEOS refuses (self-intersecting): its repaired shape has a centre. */
        GEOSGeometry *valid = GEOSMakeValid_r(ctx->geos, poly);
        ok = valid != NULL && inscribed_centre(ctx, valid, &x, &y);
        if (valid != NULL) {
            GEOSGeom_destroy_r(ctx->geos, valid);
        }
    }
    GEOSGeom_destroy_r(ctx->geos, poly);
    if (!ok || x < 0 || x >= TILE_EXTENT || y < 0 || y >= TILE_EXTENT) {
        return ERR_OK;
    }
    push(ctx, command(CMD_MOVE_TO, 1));
    push_point(ctx, (int32_t)floor(x + 0.5), (int32_t)floor(y + 0.5));
    out->type = TILE_GEOM_POINT;
    out->commands = xmalloc(ctx->n_cmd * sizeof(uint32_t));
    memcpy(out->commands, ctx->cmd, ctx->n_cmd * sizeof(uint32_t));
    out->n_commands = ctx->n_cmd;
    out->anchor_x = ctx->out_min_x;
    out->anchor_y = ctx->out_min_y;
    return ERR_OK;
}

int tile_geom_encode(struct tile_geom_ctx *ctx, const unsigned char *blob, size_t len,
                     struct tile_geom *out, struct err *err)
{
    *out = (struct tile_geom){.type = TILE_GEOM_NONE};
    reset(ctx);
    enum tile_geom_type type = TILE_GEOM_NONE;
    if (read_blob(ctx, blob, len, &type, err) != ERR_OK) {
        return err->code;
    }
    bool inside = ctx->min_x >= GRID_MIN && ctx->max_x <= GRID_MAX && ctx->min_y >= GRID_MIN &&
                  ctx->max_y <= GRID_MAX;
    bool outside = ctx->max_x < GRID_MIN || ctx->min_x > GRID_MAX || ctx->max_y < GRID_MIN ||
                   ctx->min_y > GRID_MAX;
    if (type == TILE_GEOM_NONE || ctx->n_points == 0 || outside) {
        return ERR_OK;
    }
    if (type != TILE_GEOM_POINT && !inside && clip_parts(ctx, type, err) != ERR_OK) {
        return err->code;
    }
    if (type == TILE_GEOM_POINT) {
        encode_points(ctx);
    } else if (type == TILE_GEOM_LINESTRING) {
        encode_lines(ctx);
    } else {
        encode_polygons(ctx);
    }
    if (ctx->n_cmd == 0) {
        return ERR_OK;
    }
    out->type = type;
    out->commands = xmalloc(ctx->n_cmd * sizeof(uint32_t));
    memcpy(out->commands, ctx->cmd, ctx->n_cmd * sizeof(uint32_t));
    out->n_commands = ctx->n_cmd;
    out->anchor_x = ctx->out_min_x + (ctx->out_max_x - ctx->out_min_x) / 2;
    out->anchor_y = ctx->out_min_y + (ctx->out_max_y - ctx->out_min_y) / 2;
    return ERR_OK;
}
