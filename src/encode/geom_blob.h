/* geom_blob.h - reads SpatiaLite's internal geometry BLOB (what its geometry columns hold;
 * not WKB) in place: no allocation, no copy, every read bounds-checked, so a truncated or
 * corrupt blob is ERR_INVALID and never an over-read. Knows the byte layout and nothing of
 * output formats: geom_text.c walks geometries with the reader below, and the store reads
 * MBRs with geom_blob_header.
 *
 * Layout (byte order as byte 1 says: 0x01 little-endian, 0x00 big-endian), as written by
 * gaiaToSpatiaLiteBlobWkb and read by gaiaFromSpatiaLiteBlobWkb in SpatiaLite's gg_wkb.c:
 *   0x00 | order | srid int32 | min_x min_y max_x max_y double | 0x7C | class int32 | body | 0xFE
 *   class: 1..7 (POINT .. GEOMETRYCOLLECTION) + 1000 for Z, 2000 for M, 3000 for ZM
 *   POINT body: x y [z] [m]             LINESTRING body: n int32, n points
 *   POLYGON body: n_rings int32, per ring n int32 and n points
 *   MULTI* and GEOMETRYCOLLECTION body: n int32, per entity 0x69, class int32, body
 * Entities are simple (POINT, LINESTRING, POLYGON) with the container's dimensions.
 * Compressed classes (1000002 LINESTRING, 1000003 POLYGON, plus 1000/2000/3000) keep the
 * first and last point of each sequence as doubles and store the others as float32 deltas
 * of x, y (and z) from the previous point; m stays a double.
 * A TinyPoint blob (SpatiaLite 5, when enabled): 0x00 | 0x81 or 0x80 | srid int32 |
 * type byte 1..4 (XY, XYZ, XYM, XYZM) | x y [z] [m] | 0xFE: a POINT with no stored MBR.
 *
 * Threads: no shared state. */
#ifndef CITYATLAS_ENCODE_GEOM_BLOB_H
#define CITYATLAS_ENCODE_GEOM_BLOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

enum geom_blob_kind {
    GEOM_BLOB_POINT = 1,
    GEOM_BLOB_LINESTRING = 2,
    GEOM_BLOB_POLYGON = 3,
    GEOM_BLOB_MULTIPOINT = 4,
    GEOM_BLOB_MULTILINESTRING = 5,
    GEOM_BLOB_MULTIPOLYGON = 6,
    GEOM_BLOB_GEOMETRYCOLLECTION = 7,
};

enum geom_blob_dims {
    GEOM_BLOB_XY = 0,
    GEOM_BLOB_XYZ = 1,
    GEOM_BLOB_XYM = 2,
    GEOM_BLOB_XYZM = 3,
};

struct geom_blob_header {
    enum geom_blob_kind kind;
    enum geom_blob_dims dims;
    bool is_compressed; /* a compressed LINESTRING or POLYGON class */
    int32_t srid;
    /* The MBR as stored, in the SRID's units (for EPSG:4326: x = longitude, y = latitude
     * in degrees). A TinyPoint's MBR is its point. */
    double min_x, min_y, max_x, max_y;
};

/* Header only */

/* Reads the class, SRID and MBR in constant time: checks the markers, the byte order and
 * the class, not the body (geom_blob_reader_open and the reads do that). ERR_INVALID,
 * naming the problem, when blob is not a SpatiaLite geometry BLOB of a supported class. */
int geom_blob_header(const unsigned char *blob, size_t len, struct geom_blob_header *out,
                     struct err *err) WARN_UNUSED;

/* Walking the body
 *
 * A reader moves through the body in order, exactly as the layout above nests:
 *   POINT: read_point. LINESTRING: read_points. POLYGON: read_count(rings), then read_points
 *   per ring. MULTI* and GEOMETRYCOLLECTION: read_count(entities), then per entity
 *   read_entity and that entity's own body. Then geom_blob_reader_close.
 * Every function returns 0 or ERR_INVALID (the blob is truncated or corrupt, err says
 * where); after a failure the reader must not be used again. */

struct geom_blob_reader {
    const unsigned char *pos; /* the next byte to read */
    const unsigned char *end; /* the end marker: the body must stop exactly here */
    bool is_big_endian;
    enum geom_blob_dims dims;
};

/* A sequence of points in a blob (a point, a linestring or a ring), already checked to lie
 * inside it. Borrowed: valid while the blob is. */
struct geom_blob_points {
    const unsigned char *data;
    uint32_t n_points;
    enum geom_blob_dims dims;
    bool is_compressed;
    bool is_big_endian;
};

/* Where the next geom_blob_points_read_xy continues; set by geom_blob_points_begin. */
struct geom_blob_points_cursor {
    const unsigned char *pos;
    uint32_t next;         /* index of the next point */
    double last_x, last_y; /* the point before it: compressed points are deltas from it */
};

/* Checks the header as geom_blob_header does (filling *header) and positions r at the
 * start of the body. */
int geom_blob_reader_open(struct geom_blob_reader *r, const unsigned char *blob, size_t len,
                          struct geom_blob_header *header, struct err *err) WARN_UNUSED;

/* Reads a count of entities or rings. Refuses counts that could not fit in what is left
 * of the body (each item takes at least 4 bytes), so loops over them stay bounded. */
int geom_blob_read_count(struct geom_blob_reader *r, uint32_t *n, struct err *err) WARN_UNUSED;

/* Reads an entity header of a collection of kind container: the 0x69 marker and a class
 * that such a collection may hold (the element kind for MULTI*, any simple kind for a
 * GEOMETRYCOLLECTION) with the reader's dimensions. */
int geom_blob_read_entity(struct geom_blob_reader *r, enum geom_blob_kind container,
                          enum geom_blob_kind *kind, bool *is_compressed,
                          struct err *err) WARN_UNUSED;

/* Reads a POINT body as a sequence of one point. */
int geom_blob_read_point(struct geom_blob_reader *r, struct geom_blob_points *out,
                         struct err *err) WARN_UNUSED;

/* Reads a LINESTRING body or a polygon ring: a count and that many points. */
int geom_blob_read_points(struct geom_blob_reader *r, bool is_compressed,
                          struct geom_blob_points *out, struct err *err) WARN_UNUSED;

/* Succeeds when the whole body has been read, up to the end marker. */
int geom_blob_reader_close(const struct geom_blob_reader *r, struct err *err) WARN_UNUSED;

/* Reading coordinates: cursor at point 0, then read_xy decodes up to max_points of the
 * following points into xy as x0, y0, x1, y1, ... (Z and M are skipped) and returns how
 * many it decoded (0 at the end). Points are read in order because a compressed point
 * depends on the one before it. */
void geom_blob_points_begin(const struct geom_blob_points *pts,
                            struct geom_blob_points_cursor *cursor);
size_t geom_blob_points_read_xy(const struct geom_blob_points *pts,
                                struct geom_blob_points_cursor *cursor, double *xy,
                                size_t max_points);

#endif
