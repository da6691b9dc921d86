/* geom_blob.c - see geom_blob.h. Multi-byte values are assembled from bytes with shifts:
 * no alignment or host byte order assumptions, and compilers turn the little-endian case
 * into a plain load. */
#include "encode/geom_blob.h"

#include <inttypes.h>
#include <string.h>

#define MARK_START 0x00
#define MARK_MBR 0x7C
#define MARK_ENTITY 0x69
#define MARK_END 0xFE
#define ORDER_BIG 0x00
#define ORDER_LITTLE 0x01
#define TINY_ORDER_BIG 0x80
#define TINY_ORDER_LITTLE 0x81

#define OFFSET_SRID 2
#define OFFSET_MBR 6
#define OFFSET_MBR_MARK 38
#define OFFSET_CLASS 39
#define HEADER_LEN 43      /* everything before the body */
#define TINY_OFFSET_TYPE 6 /* TinyPoint: the dimensions byte */
#define TINY_HEADER_LEN 7
#define CLASS_COMPRESSED 1000000
#define ENTITY_HEADER_LEN 5 /* marker and class */

static uint32_t load_u32(const unsigned char *p, bool is_big_endian)
{
    if (is_big_endian) {
        return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
    }
    return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static double load_f64(const unsigned char *p, bool is_big_endian)
{
    uint64_t hi = load_u32(p + (is_big_endian ? 0 : 4), is_big_endian);
    uint64_t lo = load_u32(p + (is_big_endian ? 4 : 0), is_big_endian);
    uint64_t bits = hi << 32 | lo;
    double v;
    memcpy(&v, &bits, sizeof(v));
    return v;
}

static float load_f32(const unsigned char *p, bool is_big_endian)
{
    uint32_t bits = load_u32(p, is_big_endian);
    float v;
    memcpy(&v, &bits, sizeof(v));
    return v;
}

static bool has_z(enum geom_blob_dims dims)
{
    return dims == GEOM_BLOB_XYZ || dims == GEOM_BLOB_XYZM;
}

static bool has_m(enum geom_blob_dims dims)
{
    return dims == GEOM_BLOB_XYM || dims == GEOM_BLOB_XYZM;
}

/* Bytes of a point stored as doubles. */
static size_t full_point_len(enum geom_blob_dims dims)
{
    return 8 * (2 + (size_t)has_z(dims) + (size_t)has_m(dims));
}

/* Bytes of an inner point of a compressed sequence: float deltas, m as a double. */
static size_t delta_point_len(enum geom_blob_dims dims)
{
    return 4 * (2 + (size_t)has_z(dims)) + 8 * (size_t)has_m(dims);
}

static uint64_t sequence_len(uint32_t n, enum geom_blob_dims dims, bool is_compressed)
{
    if (!is_compressed || n < 2) {
        return (uint64_t)n * full_point_len(dims);
    }
    return 2 * (uint64_t)full_point_len(dims) + (uint64_t)(n - 2) * delta_point_len(dims);
}

/* Splits a class code; false for codes SpatiaLite does not define. */
static bool decode_class(uint32_t code, enum geom_blob_kind *kind, enum geom_blob_dims *dims,
                         bool *is_compressed)
{
    *is_compressed = code >= CLASS_COMPRESSED;
    if (*is_compressed) {
        code -= CLASS_COMPRESSED;
    }
    uint32_t d = code / 1000;
    uint32_t k = code % 1000;
    if (d > 3 || k < GEOM_BLOB_POINT || k > GEOM_BLOB_GEOMETRYCOLLECTION) {
        return false;
    }
    if (*is_compressed && k != GEOM_BLOB_LINESTRING && k != GEOM_BLOB_POLYGON) {
        return false;
    }
    *kind = (enum geom_blob_kind)k;
    *dims = (enum geom_blob_dims)d;
    return true;
}

static int invalid(struct err *err, const char *what)
{
    return err_set(err, ERR_INVALID, "not a valid SpatiaLite geometry BLOB: %s", what);
}

static int parse_tiny_point(const unsigned char *blob, size_t len, struct geom_blob_header *h,
                            struct err *err)
{
    bool is_big_endian = blob[1] == TINY_ORDER_BIG;
    if (len <= TINY_OFFSET_TYPE || blob[TINY_OFFSET_TYPE] < 1 || blob[TINY_OFFSET_TYPE] > 4) {
        return invalid(err, "a TinyPoint with an unknown type");
    }
    memset(h, 0, sizeof(*h));
    h->kind = GEOM_BLOB_POINT;
    h->dims = (enum geom_blob_dims)(blob[TINY_OFFSET_TYPE] - 1);
    if (len != TINY_HEADER_LEN + full_point_len(h->dims) + 1 || blob[len - 1] != MARK_END) {
        return invalid(err, "a TinyPoint of the wrong length");
    }
    h->srid = (int32_t)load_u32(blob + OFFSET_SRID, is_big_endian);
    h->min_x = h->max_x = load_f64(blob + TINY_HEADER_LEN, is_big_endian);
    h->min_y = h->max_y = load_f64(blob + TINY_HEADER_LEN + 8, is_big_endian);
    return ERR_OK;
}

int geom_blob_header(const unsigned char *blob, size_t len, struct geom_blob_header *out,
                     struct err *err)
{
    if (blob == NULL || len < 2 || blob[0] != MARK_START) {
        return invalid(err, "no start marker");
    }
    if (blob[1] == TINY_ORDER_LITTLE || blob[1] == TINY_ORDER_BIG) {
        return parse_tiny_point(blob, len, out, err);
    }
    if (blob[1] != ORDER_LITTLE && blob[1] != ORDER_BIG) {
        return invalid(err, "unknown byte order");
    }
    if (len < HEADER_LEN + 1) {
        return invalid(err, "shorter than its header");
    }
    if (blob[OFFSET_MBR_MARK] != MARK_MBR || blob[len - 1] != MARK_END) {
        return invalid(err, "missing MBR or end marker");
    }
    bool is_big_endian = blob[1] == ORDER_BIG;
    uint32_t code = load_u32(blob + OFFSET_CLASS, is_big_endian);
    if (!decode_class(code, &out->kind, &out->dims, &out->is_compressed)) {
        return err_set(err, ERR_INVALID,
                       "not a valid SpatiaLite geometry BLOB: unsupported class %" PRIu32, code);
    }
    out->srid = (int32_t)load_u32(blob + OFFSET_SRID, is_big_endian);
    out->min_x = load_f64(blob + OFFSET_MBR, is_big_endian);
    out->min_y = load_f64(blob + OFFSET_MBR + 8, is_big_endian);
    out->max_x = load_f64(blob + OFFSET_MBR + 16, is_big_endian);
    out->max_y = load_f64(blob + OFFSET_MBR + 24, is_big_endian);
    return ERR_OK;
}

int geom_blob_reader_open(struct geom_blob_reader *r, const unsigned char *blob, size_t len,
                          struct geom_blob_header *header, struct err *err)
{
    int rc = geom_blob_header(blob, len, header, err);
    if (rc != ERR_OK) {
        return rc;
    }
    bool is_tiny = blob[1] == TINY_ORDER_LITTLE || blob[1] == TINY_ORDER_BIG;
    r->pos = blob + (is_tiny ? TINY_HEADER_LEN : HEADER_LEN);
    r->end = blob + len - 1;
    r->is_big_endian = blob[1] == ORDER_BIG || blob[1] == TINY_ORDER_BIG;
    r->dims = header->dims;
    return ERR_OK;
}

static size_t remaining(const struct geom_blob_reader *r)
{
    return (size_t)(r->end - r->pos);
}

static int truncated(struct err *err)
{
    return invalid(err, "the body is truncated");
}

int geom_blob_read_count(struct geom_blob_reader *r, uint32_t *n, struct err *err)
{
    if (remaining(r) < 4) {
        return truncated(err);
    }
    uint32_t v = load_u32(r->pos, r->is_big_endian);
    r->pos += 4;
    if (v > INT32_MAX || (uint64_t)v * 4 > remaining(r)) {
        return err_set(err, ERR_INVALID,
                       "not a valid SpatiaLite geometry BLOB: %" PRIu32
                       " items cannot fit in the %zu bytes left",
                       v, remaining(r));
    }
    *n = v;
    return ERR_OK;
}

static bool may_contain(enum geom_blob_kind container, enum geom_blob_kind kind)
{
    switch (container) {
    case GEOM_BLOB_MULTIPOINT:
        return kind == GEOM_BLOB_POINT;
    case GEOM_BLOB_MULTILINESTRING:
        return kind == GEOM_BLOB_LINESTRING;
    case GEOM_BLOB_MULTIPOLYGON:
        return kind == GEOM_BLOB_POLYGON;
    case GEOM_BLOB_GEOMETRYCOLLECTION:
        return kind <= GEOM_BLOB_POLYGON;
    default:
        return false;
    }
}

int geom_blob_read_entity(struct geom_blob_reader *r, enum geom_blob_kind container,
                          enum geom_blob_kind *kind, bool *is_compressed, struct err *err)
{
    if (remaining(r) < ENTITY_HEADER_LEN) {
        return truncated(err);
    }
    if (r->pos[0] != MARK_ENTITY) {
        return invalid(err, "a collection member lacks its marker");
    }
    uint32_t code = load_u32(r->pos + 1, r->is_big_endian);
    r->pos += ENTITY_HEADER_LEN;
    enum geom_blob_dims dims;
    if (!decode_class(code, kind, &dims, is_compressed) || dims != r->dims ||
        !may_contain(container, *kind)) {
        return err_set(err, ERR_INVALID,
                       "not a valid SpatiaLite geometry BLOB: class %" PRIu32
                       " cannot be a member of class %d",
                       code, (int)container + 1000 * (int)r->dims);
    }
    return ERR_OK;
}

int geom_blob_read_point(struct geom_blob_reader *r, struct geom_blob_points *out, struct err *err)
{
    size_t len = full_point_len(r->dims);
    if (remaining(r) < len) {
        return truncated(err);
    }
    out->data = r->pos;
    out->n_points = 1;
    out->dims = r->dims;
    out->is_compressed = false;
    out->is_big_endian = r->is_big_endian;
    r->pos += len;
    return ERR_OK;
}

int geom_blob_read_points(struct geom_blob_reader *r, bool is_compressed,
                          struct geom_blob_points *out, struct err *err)
{
    if (remaining(r) < 4) {
        return truncated(err);
    }
    uint32_t n = load_u32(r->pos, r->is_big_endian);
    r->pos += 4;
    uint64_t len = sequence_len(n, r->dims, is_compressed);
    if (n > INT32_MAX || len > remaining(r)) {
        return err_set(err, ERR_INVALID,
                       "not a valid SpatiaLite geometry BLOB: %" PRIu32
                       " points cannot fit in the %zu bytes left",
                       n, remaining(r));
    }
    out->data = r->pos;
    out->n_points = n;
    out->dims = r->dims;
    out->is_compressed = is_compressed;
    out->is_big_endian = r->is_big_endian;
    r->pos += len;
    return ERR_OK;
}

int geom_blob_reader_close(const struct geom_blob_reader *r, struct err *err)
{
    if (r->pos != r->end) {
        return err_set(err, ERR_INVALID,
                       "not a valid SpatiaLite geometry BLOB: %zu bytes follow the geometry",
                       remaining(r));
    }
    return ERR_OK;
}

void geom_blob_points_begin(const struct geom_blob_points *pts,
                            struct geom_blob_points_cursor *cursor)
{
    cursor->pos = pts->data;
    cursor->next = 0;
    cursor->last_x = 0;
    cursor->last_y = 0;
}

/* The compressed case, one point at a time: the first and last points are doubles, the
 * ones between are float deltas from the point before (as gg_wkb.c decodes them). */
static size_t read_compressed_xy(const struct geom_blob_points *pts,
                                 struct geom_blob_points_cursor *cursor, double *xy,
                                 size_t max_points)
{
    size_t full_len = full_point_len(pts->dims);
    size_t delta_len = delta_point_len(pts->dims);
    size_t count = 0;
    while (count < max_points && cursor->next < pts->n_points) {
        const unsigned char *p = cursor->pos;
        double x, y;
        if (cursor->next == 0 || cursor->next == pts->n_points - 1) {
            x = load_f64(p, pts->is_big_endian);
            y = load_f64(p + 8, pts->is_big_endian);
            cursor->pos += full_len;
        } else {
            x = cursor->last_x + load_f32(p, pts->is_big_endian);
            y = cursor->last_y + load_f32(p + 4, pts->is_big_endian);
            cursor->pos += delta_len;
        }
        cursor->last_x = x;
        cursor->last_y = y;
        xy[2 * count] = x;
        xy[2 * count + 1] = y;
        cursor->next++;
        count++;
    }
    return count;
}

size_t geom_blob_points_read_xy(const struct geom_blob_points *pts,
                                struct geom_blob_points_cursor *cursor, double *xy,
                                size_t max_points)
{
    if (pts->is_compressed) {
        return read_compressed_xy(pts, cursor, xy, max_points);
    }
    size_t left = pts->n_points - cursor->next;
    size_t count = left < max_points ? left : max_points;
    size_t stride = full_point_len(pts->dims);
    const unsigned char *p = cursor->pos;
    for (size_t i = 0; i < count; i++) {
        xy[2 * i] = load_f64(p, pts->is_big_endian);
        xy[2 * i + 1] = load_f64(p + 8, pts->is_big_endian);
        p += stride;
    }
    cursor->pos = p;
    cursor->next += (uint32_t)count;
    return count;
}
