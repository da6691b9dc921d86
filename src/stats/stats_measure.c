/* stats_measure.c - see stats_measure.h. */
#include "stats/stats_measure.h"

#include <math.h>
#include <pthread.h>
#include <stdbool.h>

#include <geodesic.h>

/* WGS84 as EPSG:7030 defines it. */
#define WGS84_A 6378137.0
#define WGS84_F (1.0 / 298.257223563)

static struct geod_geodesic wgs84;
static pthread_once_t wgs84_once = PTHREAD_ONCE_INIT;

static void wgs84_build(void)
{
    geod_init(&wgs84, WGS84_A, WGS84_F);
}

/* The ellipsoid's derived coefficients, computed by the first caller in any thread and read
 * only afterwards. */
static const struct geod_geodesic *ellipsoid(void)
{
    pthread_once(&wgs84_once, wgs84_build);
    return &wgs84;
}

static bool is_lon_lat(double lon, double lat)
{
    return isfinite(lon) && lat >= -90.0 && lat <= 90.0;
}

enum measure_kind { MEASURE_LENGTH, MEASURE_AREA };

/* Feeds the vertices of a LineString or LinearRing to p. A ring's closing vertex repeats its
 * first one, which geod_polygon closes by itself, so it is left out for rings. */
static int add_vertices(GEOSContextHandle_t h, const GEOSGeometry *line, bool is_ring,
                        struct geod_polygon *p, struct err *err)
{
    const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r(h, line);
    unsigned int size = 0;
    if (seq == NULL || GEOSCoordSeq_getSize_r(h, seq, &size) == 0) {
        return err_set(err, ERR_INVALID, "GEOS could not give the coordinates of a line");
    }
    double lon0 = 0.0, lat0 = 0.0;
    for (unsigned int i = 0; i < size; i++) {
        double lon = 0.0, lat = 0.0;
        if (GEOSCoordSeq_getXY_r(h, seq, i, &lon, &lat) == 0) {
            return err_set(err, ERR_INVALID, "GEOS could not give vertex %u of a line", i);
        }
        if (!is_lon_lat(lon, lat)) {
            return err_set(err, ERR_INVALID,
                           "vertex %u (%g %g) is not a longitude/latitude pair in degrees", i, lon,
                           lat);
        }
        if (i == 0) {
            lon0 = lon;
            lat0 = lat;
        } else if (is_ring && i == size - 1 && lon == lon0 && lat == lat0) {
            break;
        }
        geod_polygon_addpoint(ellipsoid(), p, lat, lon);
    }
    return ERR_OK;
}

static int line_length(GEOSContextHandle_t h, const GEOSGeometry *line, double *sum,
                       struct err *err)
{
    struct geod_polygon p;
    geod_polygon_init(&p, 1);
    int rc = add_vertices(h, line, false, &p, err);
    if (rc != ERR_OK) {
        return rc;
    }
    double length = 0.0;
    geod_polygon_compute(ellipsoid(), &p, 0, 1, NULL, &length);
    *sum += length;
    return ERR_OK;
}

/* Unsigned area of the smaller region the ring bounds: with sign = 1 a clockwise ring gives
 * minus its area instead of the area of the rest of the Earth. */
static int ring_area(GEOSContextHandle_t h, const GEOSGeometry *ring, double *area, struct err *err)
{
    *area = 0.0;
    if (ring == NULL) {
        return err_set(err, ERR_INVALID, "GEOS could not give a polygon's ring");
    }
    struct geod_polygon p;
    geod_polygon_init(&p, 0);
    int rc = add_vertices(h, ring, true, &p, err);
    if (rc != ERR_OK) {
        return rc;
    }
    double signed_area = 0.0;
    geod_polygon_compute(ellipsoid(), &p, 0, 1, &signed_area, NULL);
    *area = fabs(signed_area);
    return ERR_OK;
}

static int polygon_area(GEOSContextHandle_t h, const GEOSGeometry *polygon, double *sum,
                        struct err *err)
{
    double shell = 0.0;
    int rc = ring_area(h, GEOSGetExteriorRing_r(h, polygon), &shell, err);
    if (rc != ERR_OK) {
        return rc;
    }
    int n_holes = GEOSGetNumInteriorRings_r(h, polygon);
    if (n_holes < 0) {
        return err_set(err, ERR_INVALID, "GEOS could not count a polygon's holes");
    }
    double holes = 0.0;
    for (int i = 0; i < n_holes; i++) {
        double hole = 0.0;
        rc = ring_area(h, GEOSGetInteriorRingN_r(h, polygon, i), &hole, err);
        if (rc != ERR_OK) {
            return rc;
        }
        holes += hole;
    }
    *sum += shell > holes ? shell - holes : 0.0;
    return ERR_OK;
}

static int measure(GEOSContextHandle_t h, const GEOSGeometry *g, enum measure_kind kind, int depth,
                   double *sum, struct err *err);

static int measure_parts(GEOSContextHandle_t h, const GEOSGeometry *g, enum measure_kind kind,
                         int depth, double *sum, struct err *err)
{
    if (depth >= STATS_MEASURE_MAX_DEPTH) {
        return err_set(err, ERR_INVALID, "geometry collections nest more than %d levels deep",
                       STATS_MEASURE_MAX_DEPTH);
    }
    int n = GEOSGetNumGeometries_r(h, g);
    if (n < 0) {
        return err_set(err, ERR_INVALID, "GEOS could not count a collection's parts");
    }
    for (int i = 0; i < n; i++) {
        const GEOSGeometry *part = GEOSGetGeometryN_r(h, g, i);
        if (part == NULL) {
            return err_set(err, ERR_INVALID, "GEOS could not give part %d of a collection", i);
        }
        int rc = measure(h, part, kind, depth + 1, sum, err);
        if (rc != ERR_OK) {
            return rc;
        }
    }
    return ERR_OK;
}

/* Adds the measure of g's parts of the wanted dimension to *sum. */
static int measure(GEOSContextHandle_t h, const GEOSGeometry *g, enum measure_kind kind, int depth,
                   double *sum, struct err *err)
{
    int type = GEOSGeomTypeId_r(h, g);
    if (type < 0) {
        return err_set(err, ERR_INVALID, "GEOS could not tell a geometry's type");
    }
    if (GEOSisEmpty_r(h, g) == 1) {
        return ERR_OK;
    }
    switch (type) {
    case GEOS_LINESTRING:
    case GEOS_LINEARRING:
        return kind == MEASURE_LENGTH ? line_length(h, g, sum, err) : ERR_OK;
    case GEOS_POLYGON:
        return kind == MEASURE_AREA ? polygon_area(h, g, sum, err) : ERR_OK;
    case GEOS_MULTILINESTRING:
    case GEOS_MULTIPOLYGON:
    case GEOS_GEOMETRYCOLLECTION:
        return measure_parts(h, g, kind, depth, sum, err);
    default:
        return ERR_OK; /* points and multipoints have neither length nor area */
    }
}

static int measure_top(GEOSContextHandle_t h, const GEOSGeometry *g, enum measure_kind kind,
                       double *out, struct err *err)
{
    if (g == NULL) {
        return err_set(err, ERR_INVALID, "no geometry to measure");
    }
    double sum = 0.0;
    int rc = measure(h, g, kind, 0, &sum, err);
    if (rc == ERR_OK) {
        *out = sum;
    }
    return rc;
}

int stats_length_m(GEOSContextHandle_t h, const GEOSGeometry *g, double *out, struct err *err)
{
    return measure_top(h, g, MEASURE_LENGTH, out, err);
}

int stats_area_m2(GEOSContextHandle_t h, const GEOSGeometry *g, double *out, struct err *err)
{
    return measure_top(h, g, MEASURE_AREA, out, err);
}

double stats_distance_m(double lon1, double lat1, double lon2, double lat2)
{
    if (!is_lon_lat(lon1, lat1) || !is_lon_lat(lon2, lat2)) {
        return NAN;
    }
    double s12 = 0.0;
    geod_inverse(ellipsoid(), lat1, lon1, lat2, lon2, &s12, NULL, NULL);
    return s12;
}
