/* geom_text.c - see geom_text.h. GeoJSON and WKT nest alike: a list of positions in
 * brackets, lists of those for rings and parts, a type in front. So one walker writes
 * both, following the blob with a geom_blob_reader and taking its punctuation from a
 * table. Each position is formatted on the stack and copied into the buf with one
 * reservation: this loop is what a million-feature response spends its time in. */
#include "encode/geom_text.h"

#include <math.h>
#include <string.h>

#include "encode/geom_blob.h"
#include "encode/number_text.h"

#define XY_BATCH 64 /* points decoded from the blob per call */

struct syntax {
    /* Lists of rings, of parts, of collection members */
    const char *open;
    const char *close;
    const char *sep;
    const char *empty;
    /* Positions inside a point sequence: lead, x, coord_sep, y, tail; close after the last */
    const char *first_lead;
    const char *next_lead;
    const char *tail;
    char coord_sep;
    /* The body of a POINT (also a MULTIPOINT member) */
    const char *point_open;
    const char *point_close;
    /* A geometry with its type: prefix[kind], body, suffix */
    const char *prefix[GEOM_BLOB_GEOMETRYCOLLECTION + 1];
    const char *suffix;
};

static const struct syntax GEOJSON = {
    .open = "[",
    .close = "]",
    .sep = ",",
    .empty = "[]",
    .first_lead = "[[",
    .next_lead = ",[",
    .tail = "]",
    .coord_sep = ',',
    .point_open = "[",
    .point_close = "]",
    .prefix =
        {
            [GEOM_BLOB_POINT] = "{\"type\":\"Point\",\"coordinates\":",
            [GEOM_BLOB_LINESTRING] = "{\"type\":\"LineString\",\"coordinates\":",
            [GEOM_BLOB_POLYGON] = "{\"type\":\"Polygon\",\"coordinates\":",
            [GEOM_BLOB_MULTIPOINT] = "{\"type\":\"MultiPoint\",\"coordinates\":",
            [GEOM_BLOB_MULTILINESTRING] = "{\"type\":\"MultiLineString\",\"coordinates\":",
            [GEOM_BLOB_MULTIPOLYGON] = "{\"type\":\"MultiPolygon\",\"coordinates\":",
            [GEOM_BLOB_GEOMETRYCOLLECTION] = "{\"type\":\"GeometryCollection\",\"geometries\":",
        },
    .suffix = "}",
};

/* MULTIPOINT members are parenthesised, "MULTIPOINT ((1 2), (3 4))": the form OGC 06-103r4
 * defines; readers also accept it where they accept the bare "(1 2, 3 4)". */
static const struct syntax WKT = {
    .open = "(",
    .close = ")",
    .sep = ", ",
    .empty = "EMPTY",
    .first_lead = "(",
    .next_lead = ", ",
    .tail = "",
    .coord_sep = ' ',
    .point_open = "(",
    .point_close = ")",
    .prefix =
        {
            [GEOM_BLOB_POINT] = "POINT ",
            [GEOM_BLOB_LINESTRING] = "LINESTRING ",
            [GEOM_BLOB_POLYGON] = "POLYGON ",
            [GEOM_BLOB_MULTIPOINT] = "MULTIPOINT ",
            [GEOM_BLOB_MULTILINESTRING] = "MULTILINESTRING ",
            [GEOM_BLOB_MULTIPOLYGON] = "MULTIPOLYGON ",
            [GEOM_BLOB_GEOMETRYCOLLECTION] = "GEOMETRYCOLLECTION ",
        },
    .suffix = "",
};

struct writer {
    struct buf *b;
    struct geom_blob_reader r;
    const struct syntax *syn;
    const struct geom_format *fmt;
    struct err *err;
};

static int put(struct writer *w, const char *s)
{
    return buf_append(w->b, s, strlen(s), w->err);
}

/* Appends lead, the position, tail. */
static int put_position(struct writer *w, const char *lead, double x, double y, const char *tail)
{
    if (!isfinite(x) || !isfinite(y)) {
        return err_set(w->err, ERR_INVALID, "the geometry has a coordinate that is not a number");
    }
    /* No CRS served comes near (EPSG:3857 stays within 2.1e7 m): such a value is a damaged
     * blob, and written out whole (hundreds of digits, no point) it is an integer that
     * JSON readers such as jansson refuse. Found by tests/fuzz/fuzz_geom_blob.c. */
    if (fabs(x) > GEOM_TEXT_MAX_COORD || fabs(y) > GEOM_TEXT_MAX_COORD) {
        return err_set(w->err, ERR_INVALID, "the geometry has a coordinate beyond %g",
                       GEOM_TEXT_MAX_COORD);
    }
    char first[NUMBER_TEXT_FIXED_CAP];
    char second[NUMBER_TEXT_FIXED_CAP];
    size_t n_first = number_text_fixed(w->fmt->swap_axes ? y : x, w->fmt->precision, first);
    size_t n_second = number_text_fixed(w->fmt->swap_axes ? x : y, w->fmt->precision, second);
    size_t n_lead = strlen(lead);
    size_t n_tail = strlen(tail);
    size_t n = n_lead + n_first + 1 + n_second + n_tail;
    int rc = buf_reserve(w->b, n, w->err);
    if (rc != ERR_OK) {
        return rc;
    }
    char *o = w->b->data + w->b->len;
    memcpy(o, lead, n_lead);
    o += n_lead;
    memcpy(o, first, n_first);
    o += n_first;
    *o++ = w->syn->coord_sep;
    memcpy(o, second, n_second);
    o += n_second;
    memcpy(o, tail, n_tail);
    w->b->len += n;
    w->b->data[w->b->len] = '\0';
    return ERR_OK;
}

static int write_sequence(struct writer *w, const struct geom_blob_points *pts)
{
    if (pts->n_points == 0) {
        return put(w, w->syn->empty);
    }
    struct geom_blob_points_cursor cursor;
    geom_blob_points_begin(pts, &cursor);
    double xy[2 * XY_BATCH];
    size_t n;
    bool is_first = true;
    while ((n = geom_blob_points_read_xy(pts, &cursor, xy, XY_BATCH)) > 0) {
        for (size_t i = 0; i < n; i++) {
            const char *lead = is_first ? w->syn->first_lead : w->syn->next_lead;
            int rc = put_position(w, lead, xy[2 * i], xy[2 * i + 1], w->syn->tail);
            if (rc != ERR_OK) {
                return rc;
            }
            is_first = false;
        }
    }
    return put(w, w->syn->close);
}

static int write_point(struct writer *w)
{
    struct geom_blob_points pts;
    int rc = geom_blob_read_point(&w->r, &pts, w->err);
    if (rc != ERR_OK) {
        return rc;
    }
    struct geom_blob_points_cursor cursor;
    geom_blob_points_begin(&pts, &cursor);
    double xy[2];
    (void)geom_blob_points_read_xy(&pts, &cursor, xy, 1);
    return put_position(w, w->syn->point_open, xy[0], xy[1], w->syn->point_close);
}

static int write_line(struct writer *w, bool is_compressed)
{
    struct geom_blob_points pts;
    int rc = geom_blob_read_points(&w->r, is_compressed, &pts, w->err);
    return rc != ERR_OK ? rc : write_sequence(w, &pts);
}

/* Opens a list of n items: the empty spelling when there are none. */
static int open_list(struct writer *w, uint32_t n)
{
    return put(w, n == 0 ? w->syn->empty : w->syn->open);
}

static int close_list(struct writer *w, uint32_t n)
{
    return n == 0 ? ERR_OK : put(w, w->syn->close);
}

static int write_polygon(struct writer *w, bool is_compressed)
{
    uint32_t n_rings;
    int rc = geom_blob_read_count(&w->r, &n_rings, w->err);
    if (rc == ERR_OK) {
        rc = open_list(w, n_rings);
    }
    for (uint32_t i = 0; rc == ERR_OK && i < n_rings; i++) {
        if (i > 0) {
            rc = put(w, w->syn->sep);
        }
        if (rc == ERR_OK) {
            rc = write_line(w, is_compressed);
        }
    }
    return rc != ERR_OK ? rc : close_list(w, n_rings);
}

static int write_body(struct writer *w, enum geom_blob_kind kind, bool is_compressed);
static int write_typed(struct writer *w, enum geom_blob_kind kind, bool is_compressed);

/* The members of a MULTI* (their bodies) or of a GEOMETRYCOLLECTION (typed geometries). */
static int write_members(struct writer *w, enum geom_blob_kind container)
{
    uint32_t n;
    int rc = geom_blob_read_count(&w->r, &n, w->err);
    if (rc == ERR_OK) {
        rc = open_list(w, n);
    }
    for (uint32_t i = 0; rc == ERR_OK && i < n; i++) {
        enum geom_blob_kind kind;
        bool is_compressed;
        if (i > 0) {
            rc = put(w, w->syn->sep);
        }
        if (rc == ERR_OK) {
            rc = geom_blob_read_entity(&w->r, container, &kind, &is_compressed, w->err);
        }
        if (rc == ERR_OK) {
            rc = container == GEOM_BLOB_GEOMETRYCOLLECTION ? write_typed(w, kind, is_compressed)
                                                           : write_body(w, kind, is_compressed);
        }
    }
    return rc != ERR_OK ? rc : close_list(w, n);
}

static int write_body(struct writer *w, enum geom_blob_kind kind, bool is_compressed)
{
    switch (kind) {
    case GEOM_BLOB_POINT:
        return write_point(w);
    case GEOM_BLOB_LINESTRING:
        return write_line(w, is_compressed);
    case GEOM_BLOB_POLYGON:
        return write_polygon(w, is_compressed);
    default:
        return write_members(w, kind);
    }
}

/* A whole geometry: its type, then its body. Members of a collection are simple
 * (geom_blob_read_entity refuses nested collections), so this recurses at most once. */
static int write_typed(struct writer *w, enum geom_blob_kind kind, bool is_compressed)
{
    int rc = put(w, w->syn->prefix[kind]);
    if (rc == ERR_OK) {
        rc = write_body(w, kind, is_compressed);
    }
    return rc != ERR_OK ? rc : put(w, w->syn->suffix);
}

static int append_geometry(struct buf *b, const unsigned char *blob, size_t len,
                           const struct geom_format *fmt, const struct syntax *syn, struct err *err)
{
    if (fmt->precision < 0 || fmt->precision > NUMBER_TEXT_MAX_PRECISION) {
        return err_set(err, ERR_INVALID, "a coordinate precision of %d is outside 0..%d",
                       fmt->precision, NUMBER_TEXT_MAX_PRECISION);
    }
    size_t start_len = b->len;
    struct writer w = {.b = b, .syn = syn, .fmt = fmt, .err = err};
    struct geom_blob_header header;
    int rc = geom_blob_reader_open(&w.r, blob, len, &header, err);
    if (rc == ERR_OK) {
        rc = write_typed(&w, header.kind, header.is_compressed);
    }
    if (rc == ERR_OK) {
        rc = geom_blob_reader_close(&w.r, err);
    }
    if (rc != ERR_OK) { /* no half-written geometry */
        b->len = start_len;
        if (b->data != NULL) {
            b->data[start_len] = '\0';
        }
    }
    return rc;
}

int geom_text_append_geojson(struct buf *b, const unsigned char *blob, size_t len,
                             const struct geom_format *fmt, struct err *err)
{
    return append_geometry(b, blob, len, fmt, &GEOJSON, err);
}

int geom_text_append_wkt(struct buf *b, const unsigned char *blob, size_t len,
                         const struct geom_format *fmt, struct err *err)
{
    return append_geometry(b, blob, len, fmt, &WKT, err);
}
