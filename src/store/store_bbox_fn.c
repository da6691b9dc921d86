/* store_bbox_fn.c - the SQL function ca_intersects_bbox(geom, minx, miny, maxx, maxy).
 * The R*Tree stores boxes as 32-bit floats rounded outwards, so it returns a few
 * features just outside a box; bbox queries must be exact. This function answers from
 * the geometry BLOB's header whenever it can (a point, or a bounding rectangle fully
 * inside or fully outside the box) and asks GEOS only for the rest, which keeps the
 * exact check nearly free for points and small polygons. */
#include "store/store_read_int.h"

#include <stdint.h>
#include <string.h>

#include <spatialite/gaiageo.h>
#include <spatialite.h>

/* SpatiaLite BLOB layout: 0x00, endianness, SRID (int32), MBR (4 doubles), 0x7C,
 * class (int32), body. A POINT's body is x, y. */
#define BLOB_HEADER_LEN 43
#define BLOB_CLASS_POINT 1

static double read_double(const unsigned char *p, int is_little)
{
    unsigned char b[8];
    memcpy(b, p, 8);
    int host_little = 1;
    if ((*(unsigned char *)&host_little == 1) != (is_little != 0)) {
        for (int i = 0; i < 4; i++) {
            unsigned char t = b[i];
            b[i] = b[7 - i];
            b[7 - i] = t;
        }
    }
    double v;
    memcpy(&v, b, 8);
    return v;
}

static int32_t read_int32(const unsigned char *p, int is_little)
{
    uint32_t v =
        is_little
            ? (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24
            : (uint32_t)p[3] | (uint32_t)p[2] << 8 | (uint32_t)p[1] << 16 | (uint32_t)p[0] << 24;
    return (int32_t)v;
}

static gaiaGeomCollPtr box_geometry(const double box[4])
{
    gaiaGeomCollPtr g = gaiaAllocGeomColl();
    g->Srid = 4326;
    gaiaPolygonPtr pg = gaiaAddPolygonToGeomColl(g, 5, 0);
    gaiaRingPtr ring = pg->Exterior;
    gaiaSetPoint(ring->Coords, 0, box[0], box[1]);
    gaiaSetPoint(ring->Coords, 1, box[2], box[1]);
    gaiaSetPoint(ring->Coords, 2, box[2], box[3]);
    gaiaSetPoint(ring->Coords, 3, box[0], box[3]);
    gaiaSetPoint(ring->Coords, 4, box[0], box[1]);
    gaiaMbrGeometry(g);
    return g;
}

/* 1, 0, or -1 when GEOS must decide. */
static int answer_from_header(const unsigned char *blob, int len, const double box[4])
{
    int is_little = blob[1] == 0x01;
    double minx = read_double(blob + 6, is_little), miny = read_double(blob + 14, is_little);
    double maxx = read_double(blob + 22, is_little), maxy = read_double(blob + 30, is_little);
    if (maxx < box[0] || minx > box[2] || maxy < box[1] || miny > box[3]) {
        return 0;
    }
    if (minx >= box[0] && maxx <= box[2] && miny >= box[1] && maxy <= box[3]) {
        return 1;
    }
    if (read_int32(blob + 39, is_little) == BLOB_CLASS_POINT && len >= BLOB_HEADER_LEN + 16) {
        double x = read_double(blob + 43, is_little), y = read_double(blob + 51, is_little);
        return x >= box[0] && x <= box[2] && y >= box[1] && y <= box[3];
    }
    /* A rectangle crossing the box's edge may still miss it (an L-shaped road, say). */
    return -1;
}

static void intersects_bbox(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) != SQLITE_BLOB) {
        sqlite3_result_int(ctx, 0);
        return;
    }
    const unsigned char *blob = sqlite3_value_blob(argv[0]);
    int len = sqlite3_value_bytes(argv[0]);
    double box[4];
    for (int i = 0; i < 4; i++) {
        box[i] = sqlite3_value_double(argv[i + 1]);
    }
    if (len < BLOB_HEADER_LEN || blob[0] != 0x00 || blob[38] != 0x7C) {
        sqlite3_result_int(ctx, 0);
        return;
    }
    int answer = answer_from_header(blob, len, box);
    if (answer >= 0) {
        sqlite3_result_int(ctx, answer);
        return;
    }
    gaiaGeomCollPtr geom = gaiaFromSpatiaLiteBlobWkb(blob, (unsigned int)len);
    if (geom == NULL) {
        sqlite3_result_int(ctx, 0);
        return;
    }
    gaiaGeomCollPtr rect = box_geometry(box);
    int hit = gaiaGeomCollIntersects_r(sqlite3_user_data(ctx), geom, rect);
    gaiaFreeGeomColl(rect);
    gaiaFreeGeomColl(geom);
    sqlite3_result_int(ctx, hit == 1);
}

int store_bbox_fn_register(struct store *st, struct err *err)
{
    if (sqlite3_create_function_v2(st->db, "ca_intersects_bbox", 5,
                                   SQLITE_UTF8 | SQLITE_DETERMINISTIC, st->spatialite_cache,
                                   intersects_bbox, NULL, NULL, NULL) != SQLITE_OK) {
        return store_db_error(st, "registering ca_intersects_bbox", err);
    }
    return ERR_OK;
}
