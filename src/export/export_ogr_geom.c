/* export_ogr_geom.c - see export_ogr_geom.h. The blob is walked with the bounds-checked
 * reader of encode/geom_blob.h, in the order its layout nests, and each point sequence is
 * copied into the matching OGR line or ring: no WKB or text in between, so coordinates
 * arrive bit for bit. */
#include "export/export_ogr_geom.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "encode/geom_blob.h"

#define XY_BATCH 64 /* points decoded from the blob per call */

/* Copies a point sequence into an OGR line string or linear ring. */
static int fill_sequence(const struct geom_blob_points *pts, OGRGeometryH line, struct err *err)
{
    if (pts->n_points > INT32_MAX) {
        return err_set(err, ERR_INVALID, "geometry: %u points in one sequence is too many",
                       (unsigned)pts->n_points);
    }
    OGR_G_SetPointCount(line, (int)pts->n_points);
    struct geom_blob_points_cursor cursor;
    geom_blob_points_begin(pts, &cursor);
    double xy[2 * XY_BATCH];
    int next = 0;
    size_t n;
    while ((n = geom_blob_points_read_xy(pts, &cursor, xy, XY_BATCH)) > 0) {
        for (size_t k = 0; k < n; k++) {
            OGR_G_SetPoint_2D(line, next++, xy[2 * k], xy[2 * k + 1]);
        }
    }
    return ERR_OK;
}

static int read_point(struct geom_blob_reader *r, OGRGeometryH *out, struct err *err)
{
    struct geom_blob_points pts;
    int rc = geom_blob_read_point(r, &pts, err);
    if (rc != ERR_OK) {
        return rc;
    }
    struct geom_blob_points_cursor cursor;
    geom_blob_points_begin(&pts, &cursor);
    double xy[2];
    if (geom_blob_points_read_xy(&pts, &cursor, xy, 1) != 1) {
        return err_set(err, ERR_INVALID, "geometry: a point without coordinates");
    }
    *out = OGR_G_CreateGeometry(wkbPoint);
    OGR_G_SetPoint_2D(*out, 0, xy[0], xy[1]);
    return ERR_OK;
}

static int read_line(struct geom_blob_reader *r, bool is_compressed, OGRwkbGeometryType type,
                     OGRGeometryH *out, struct err *err)
{
    struct geom_blob_points pts;
    int rc = geom_blob_read_points(r, is_compressed, &pts, err);
    if (rc != ERR_OK) {
        return rc;
    }
    OGRGeometryH line = OGR_G_CreateGeometry(type);
    rc = fill_sequence(&pts, line, err);
    if (rc != ERR_OK) {
        OGR_G_DestroyGeometry(line);
        return rc;
    }
    *out = line;
    return ERR_OK;
}

static int read_polygon(struct geom_blob_reader *r, bool is_compressed, OGRGeometryH *out,
                        struct err *err)
{
    uint32_t n_rings;
    int rc = geom_blob_read_count(r, &n_rings, err);
    if (rc != ERR_OK) {
        return rc;
    }
    OGRGeometryH polygon = OGR_G_CreateGeometry(wkbPolygon);
    for (uint32_t i = 0; rc == ERR_OK && i < n_rings; i++) {
        OGRGeometryH ring = NULL;
        rc = read_line(r, is_compressed, wkbLinearRing, &ring, err);
        if (rc == ERR_OK && OGR_G_AddGeometryDirectly(polygon, ring) != OGRERR_NONE) {
            rc = err_set(err, ERR_INVALID, "geometry: ring %u does not fit its polygon", i);
        }
    }
    if (rc != ERR_OK) {
        OGR_G_DestroyGeometry(polygon);
        return rc;
    }
    *out = polygon;
    return ERR_OK;
}

/* The body of a POINT, LINESTRING or POLYGON (alone or as a collection's member). */
static int read_simple(struct geom_blob_reader *r, enum geom_blob_kind kind, bool is_compressed,
                       OGRGeometryH *out, struct err *err)
{
    switch (kind) {
    case GEOM_BLOB_POINT:
        return read_point(r, out, err);
    case GEOM_BLOB_LINESTRING:
        return read_line(r, is_compressed, wkbLineString, out, err);
    case GEOM_BLOB_POLYGON:
        return read_polygon(r, is_compressed, out, err);
    default:
        return err_set(err, ERR_INVALID, "geometry: class %d is not a simple geometry", (int)kind);
    }
}

static OGRwkbGeometryType collection_type(enum geom_blob_kind kind)
{
    switch (kind) {
    case GEOM_BLOB_MULTIPOINT:
        return wkbMultiPoint;
    case GEOM_BLOB_MULTILINESTRING:
        return wkbMultiLineString;
    case GEOM_BLOB_MULTIPOLYGON:
        return wkbMultiPolygon;
    default:
        return wkbGeometryCollection;
    }
}

static int read_collection(struct geom_blob_reader *r, enum geom_blob_kind kind, OGRGeometryH *out,
                           struct err *err)
{
    uint32_t n;
    int rc = geom_blob_read_count(r, &n, err);
    if (rc != ERR_OK) {
        return rc;
    }
    OGRGeometryH collection = OGR_G_CreateGeometry(collection_type(kind));
    for (uint32_t i = 0; rc == ERR_OK && i < n; i++) {
        enum geom_blob_kind member;
        bool is_compressed;
        OGRGeometryH part = NULL;
        rc = geom_blob_read_entity(r, kind, &member, &is_compressed, err);
        if (rc == ERR_OK) {
            rc = read_simple(r, member, is_compressed, &part, err);
        }
        if (rc == ERR_OK && OGR_G_AddGeometryDirectly(collection, part) != OGRERR_NONE) {
            rc = err_set(err, ERR_INVALID, "geometry: member %u does not fit its collection", i);
        }
    }
    if (rc != ERR_OK) {
        OGR_G_DestroyGeometry(collection);
        return rc;
    }
    *out = collection;
    return ERR_OK;
}

int export_ogr_geom_from_blob(const unsigned char *blob, size_t len, OGRGeometryH *out,
                              struct err *err)
{
    *out = NULL;
    struct geom_blob_reader r;
    struct geom_blob_header header;
    int rc = geom_blob_reader_open(&r, blob, len, &header, err);
    if (rc != ERR_OK) {
        return rc;
    }
    OGRGeometryH g = NULL;
    if (header.kind <= GEOM_BLOB_POLYGON) {
        rc = read_simple(&r, header.kind, header.is_compressed, &g, err);
    } else {
        rc = read_collection(&r, header.kind, &g, err);
    }
    if (rc == ERR_OK) {
        rc = geom_blob_reader_close(&r, err);
    }
    if (rc != ERR_OK) {
        OGR_G_DestroyGeometry(g);
        return rc;
    }
    *out = g;
    return ERR_OK;
}

OGRwkbGeometryType export_ogr_geom_layer_type(const char *store_geometry_type)
{
    if (store_geometry_type == NULL) {
        return wkbNone;
    }
    /* SpatiaLite's names, as geometry_columns reports them; a Z or M suffix changes
     * nothing here since only x and y are written. */
    static const struct {
        const char *prefix;
        OGRwkbGeometryType type;
    } types[] = {
        {"MULTIPOINT", wkbMultiPoint},           {"POINT", wkbPoint},
        {"MULTILINESTRING", wkbMultiLineString}, {"LINESTRING", wkbMultiLineString},
        {"MULTIPOLYGON", wkbMultiPolygon},       {"POLYGON", wkbMultiPolygon},
    };
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        size_t n = strlen(types[i].prefix);
        const char *rest = store_geometry_type + n;
        if (strncasecmp(store_geometry_type, types[i].prefix, n) == 0 &&
            (*rest == '\0' || *rest == ' ' || *rest == 'Z' || *rest == 'M')) {
            return types[i].type;
        }
    }
    return wkbUnknown;
}

OGRGeometryH export_ogr_geom_rectangle(const double box[4])
{
    OGRGeometryH ring = OGR_G_CreateGeometry(wkbLinearRing);
    OGR_G_AddPoint_2D(ring, box[0], box[1]);
    OGR_G_AddPoint_2D(ring, box[2], box[1]);
    OGR_G_AddPoint_2D(ring, box[2], box[3]);
    OGR_G_AddPoint_2D(ring, box[0], box[3]);
    OGR_G_AddPoint_2D(ring, box[0], box[1]);
    OGRGeometryH polygon = OGR_G_CreateGeometry(wkbPolygon);
    OGR_G_AddGeometryDirectly(polygon, ring);
    return polygon;
}

static bool envelope_inside(OGRGeometryH g, OGRGeometryH clip)
{
    OGREnvelope e, c;
    OGR_G_GetEnvelope(g, &e);
    OGR_G_GetEnvelope(clip, &c);
    return e.MinX >= c.MinX && e.MaxX <= c.MaxX && e.MinY >= c.MinY && e.MaxY <= c.MaxY;
}

static bool is_collection(OGRwkbGeometryType flat)
{
    return flat == wkbMultiPoint || flat == wkbMultiLineString || flat == wkbMultiPolygon ||
           flat == wkbGeometryCollection;
}

/* Adds copies of g's non-empty parts of type part to multi, looking inside collections
 * (GEOS returns a GEOMETRYCOLLECTION when a clip leaves parts of several dimensions). */
static void gather(OGRGeometryH g, OGRwkbGeometryType part, OGRGeometryH multi)
{
    OGRwkbGeometryType flat = wkbFlatten(OGR_G_GetGeometryType(g));
    if (flat == part) {
        if (!OGR_G_IsEmpty(g)) {
            OGR_G_AddGeometry(multi, g);
        }
        return;
    }
    if (is_collection(flat)) {
        for (int i = 0; i < OGR_G_GetGeometryCount(g); i++) {
            gather(OGR_G_GetGeometryRef(g, i), part, multi);
        }
    }
}

static OGRGeometryH shape(OGRGeometryH g, OGRwkbGeometryType layer_type)
{
    OGRwkbGeometryType part;
    switch (layer_type) {
    case wkbPoint:
        return wkbFlatten(OGR_G_GetGeometryType(g)) == wkbPoint && !OGR_G_IsEmpty(g)
                   ? OGR_G_Clone(g)
                   : NULL;
    case wkbMultiPoint:
        part = wkbPoint;
        break;
    case wkbMultiLineString:
        part = wkbLineString;
        break;
    case wkbMultiPolygon:
        part = wkbPolygon;
        break;
    default:
        return OGR_G_IsEmpty(g) ? NULL : OGR_G_Clone(g);
    }
    OGRGeometryH multi = OGR_G_CreateGeometry(layer_type);
    gather(g, part, multi);
    if (OGR_G_GetGeometryCount(multi) == 0) {
        OGR_G_DestroyGeometry(multi);
        return NULL;
    }
    return multi;
}

int export_ogr_geom_fit(OGRGeometryH g, OGRGeometryH clip, OGRwkbGeometryType layer_type,
                        OGRGeometryH *out, struct err *err)
{
    *out = NULL;
    OGRGeometryH clipped = NULL;
    if (clip != NULL && !envelope_inside(g, clip)) {
        clipped = OGR_G_Intersection(g, clip);
        if (clipped == NULL) {
            return err_set(err, ERR_INVALID, "clipping the geometry to the extent failed");
        }
    }
    *out = shape(clipped != NULL ? clipped : g, layer_type);
    OGR_G_DestroyGeometry(clipped);
    return ERR_OK;
}
