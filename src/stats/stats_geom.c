/* stats_geom.c - SpatiaLite geometry BLOBs (read in place by encode/geom_blob.c) turned
 * into GEOS geometries for the statistics' spatial tests; only x and y are kept. */
#include "stats/stats_int.h"

#include <stdlib.h>

#include "base/alloc.h"
#include "encode/geom_blob.h"

int stats_geos_error(const char *what, struct err *err)
{
    return err_set(err, ERR_INTERNAL, "GEOS could not %s", what);
}

static GEOSCoordSequence *read_sequence(GEOSContextHandle_t h, const struct geom_blob_points *pts)
{
    size_t n = pts->n_points;
    double *xy = xmalloc((n > 0 ? n : 1) * 2 * sizeof(double));
    struct geom_blob_points_cursor cursor;
    geom_blob_points_begin(pts, &cursor);
    size_t got = 0;
    while (got < n) {
        size_t k = geom_blob_points_read_xy(pts, &cursor, xy + 2 * got, n - got);
        if (k == 0) {
            break;
        }
        got += k;
    }
    GEOSCoordSequence *seq = GEOSCoordSeq_copyFromBuffer_r(h, xy, (unsigned)got, 0, 0);
    free(xy);
    return seq;
}

static int read_line(GEOSContextHandle_t h, struct geom_blob_reader *r, bool is_compressed,
                     GEOSGeometry **out, struct err *err)
{
    struct geom_blob_points pts;
    if (geom_blob_read_points(r, is_compressed, &pts, err) != ERR_OK) {
        return err->code;
    }
    GEOSCoordSequence *seq = read_sequence(h, &pts);
    *out = seq != NULL ? GEOSGeom_createLineString_r(h, seq) : NULL;
    return *out != NULL ? ERR_OK : stats_geos_error("build a line", err);
}

static void destroy_all(GEOSContextHandle_t h, GEOSGeometry **geoms, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        GEOSGeom_destroy_r(h, geoms[i]);
    }
    free(geoms);
}

static int read_polygon(GEOSContextHandle_t h, struct geom_blob_reader *r, bool is_compressed,
                        GEOSGeometry **out, struct err *err)
{
    uint32_t n_rings = 0;
    if (geom_blob_read_count(r, &n_rings, err) != ERR_OK) {
        return err->code;
    }
    if (n_rings == 0) {
        *out = GEOSGeom_createEmptyPolygon_r(h);
        return ERR_OK;
    }
    GEOSGeometry **rings = xcalloc(n_rings, sizeof(*rings));
    for (uint32_t i = 0; i < n_rings; i++) {
        struct geom_blob_points pts;
        GEOSCoordSequence *seq = NULL;
        if (geom_blob_read_points(r, is_compressed, &pts, err) == ERR_OK) {
            seq = read_sequence(h, &pts);
        }
        rings[i] = seq != NULL ? GEOSGeom_createLinearRing_r(h, seq) : NULL;
        if (rings[i] == NULL) {
            destroy_all(h, rings, i);
            return err->code != ERR_OK ? err->code : stats_geos_error("build a ring", err);
        }
    }
    *out = GEOSGeom_createPolygon_r(h, rings[0], rings + 1, n_rings - 1);
    free(rings); /* the polygon owns the rings now */
    return *out != NULL ? ERR_OK : stats_geos_error("build a polygon", err);
}

static int read_simple(GEOSContextHandle_t h, struct geom_blob_reader *r, enum geom_blob_kind kind,
                       bool is_compressed, GEOSGeometry **out, struct err *err)
{
    if (kind == GEOM_BLOB_POINT) {
        struct geom_blob_points pts;
        if (geom_blob_read_point(r, &pts, err) != ERR_OK) {
            return err->code;
        }
        GEOSCoordSequence *seq = read_sequence(h, &pts);
        *out = seq != NULL ? GEOSGeom_createPoint_r(h, seq) : NULL;
        return *out != NULL ? ERR_OK : stats_geos_error("build a point", err);
    }
    if (kind == GEOM_BLOB_LINESTRING) {
        return read_line(h, r, is_compressed, out, err);
    }
    return read_polygon(h, r, is_compressed, out, err);
}

static int collection_type(enum geom_blob_kind kind)
{
    return kind == GEOM_BLOB_MULTIPOINT        ? GEOS_MULTIPOINT
           : kind == GEOM_BLOB_MULTILINESTRING ? GEOS_MULTILINESTRING
           : kind == GEOM_BLOB_MULTIPOLYGON    ? GEOS_MULTIPOLYGON
                                               : GEOS_GEOMETRYCOLLECTION;
}

static int read_collection(GEOSContextHandle_t h, struct geom_blob_reader *r,
                           enum geom_blob_kind kind, GEOSGeometry **out, struct err *err)
{
    uint32_t n = 0;
    if (geom_blob_read_count(r, &n, err) != ERR_OK) {
        return err->code;
    }
    GEOSGeometry **parts = xcalloc(n > 0 ? n : 1, sizeof(*parts));
    for (uint32_t i = 0; i < n; i++) {
        enum geom_blob_kind part_kind;
        bool is_compressed = false;
        int rc = geom_blob_read_entity(r, kind, &part_kind, &is_compressed, err);
        if (rc == ERR_OK) {
            rc = read_simple(h, r, part_kind, is_compressed, &parts[i], err);
        }
        if (rc != ERR_OK) {
            destroy_all(h, parts, i);
            return rc;
        }
    }
    *out = GEOSGeom_createCollection_r(h, collection_type(kind), parts, n);
    if (*out == NULL) {
        destroy_all(h, parts, n);
        return stats_geos_error("build a collection", err);
    }
    free(parts);
    return ERR_OK;
}

/* A stored blob that does not decode is damage in the database, not the client's fault. */
static int damaged(int rc, struct err *err)
{
    if (rc != ERR_INVALID) {
        return rc;
    }
    err_prefix(err, "damaged database: a stored geometry does not decode");
    err->code = ERR_DB;
    return ERR_DB;
}

int stats_geom_header(const unsigned char *blob, size_t len, struct geom_blob_header *out,
                      struct err *err)
{
    return damaged(geom_blob_header(blob, len, out, err), err);
}

int stats_geom_from_blob(GEOSContextHandle_t h, const unsigned char *blob, size_t len,
                         GEOSGeometry **out, struct err *err)
{
    struct geom_blob_reader r;
    struct geom_blob_header header;
    *out = NULL;
    int rc = geom_blob_reader_open(&r, blob, len, &header, err);
    if (rc != ERR_OK) {
        return damaged(rc, err);
    }
    if (header.kind <= GEOM_BLOB_POLYGON) {
        rc = read_simple(h, &r, header.kind, header.is_compressed, out, err);
    } else {
        rc = read_collection(h, &r, header.kind, out, err);
    }
    if (rc == ERR_OK) {
        rc = geom_blob_reader_close(&r, err);
    }
    if (rc != ERR_OK && *out != NULL) {
        GEOSGeom_destroy_r(h, *out);
        *out = NULL;
    }
    return damaged(rc, err);
}
