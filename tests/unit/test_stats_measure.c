/* test_stats_measure.c - stats/stats_measure: geodesic lengths, areas and distances agree with
 * SpatiaLite's own ellipsoidal ST_Length(g, 1), ST_Area(g, 1) and ST_Distance(a, b, 1) on
 * city-sized shapes around Chiang Mai, count only the parts of the right dimension, ignore
 * ring orientation, and refuse what is not longitude/latitude. */
#include "unit.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <geodesic.h>
#include <proj.h>
#include <sqlite3.h>
#include <spatialite.h>

#include "base/err.h"
#include "stats/stats_measure.h"

#include "unit_support.c"

static sqlite3 *db;
static void *spatialite_cache;
static GEOSContextHandle_t geos;

/* SpatiaLite's ST_Length(g, 1) and ST_Distance(a, b, 1) use the same geodesic routines as
 * the code under test (they agree to ~1e-15). */
#define LENGTH_REL_TOL 1e-6
/* ST_Area(g, 1) does not: SpatiaLite hands it to librttopo's spheroid area, a different and
 * less precise algorithm, which is off by ~1e-5 relative on the irregular districts below
 * (1.05e-5 on the first one). An independent reference, the same rings with their geodesic
 * edges densified and projected to an ellipsoidal Lambert azimuthal equal-area projection,
 * agrees with the code under test within 1e-9 (polygons_match_an_equal_area_projection).
 * So areas are held to SpatiaLite within 5e-5 (0.005 %), which still catches a spherical
 * Earth (~0.3 % off) or a forgotten hole, and to the projection within 1e-8. */
#define AREA_REL_TOL 5e-5
#define LAEA_REL_TOL 1e-8

/* Lengths of one degree at latitude 18.8 on WGS84 (the usual series in cos 2phi, 4phi and
 * cos phi, 3phi), to draw a square of 1 km by 1 km. */
#define KM_IN_DEG_LAT (1000.0 / 110689.7)
#define KM_IN_DEG_LON (1000.0 / 105417.3)

/* A walk across the old city, about 9 km. */
static const char *const line_wkt =
    "LINESTRING(98.95 18.78, 98.97 18.79, 98.983 18.7953, 98.99 18.80, 99.01 18.79, 99.03 18.81)";
static const char *const multiline_wkt = "MULTILINESTRING((98.95 18.78, 98.97 18.79, 98.99 18.80),"
                                         " (99.00 18.75, 99.00 18.77, 99.02 18.77, 99.05 18.74))";
/* Shell counter-clockwise and hole clockwise (the OGC order), then the other way round. */
static const char *const holed_ccw_wkt =
    "POLYGON((98.95 18.75, 99.05 18.75, 99.05 18.85, 98.95 18.85, 98.95 18.75),"
    " (98.98 18.78, 98.98 18.80, 99.00 18.80, 99.00 18.78, 98.98 18.78))";
static const char *const holed_cw_wkt =
    "POLYGON((98.95 18.75, 98.95 18.85, 99.05 18.85, 99.05 18.75, 98.95 18.75),"
    " (98.98 18.78, 99.00 18.78, 99.00 18.80, 98.98 18.80, 98.98 18.78))";
/* Two districts with an irregular outline, one drawn each way, the second with two holes. */
static const char *const multipolygon_wkt =
    "MULTIPOLYGON(((98.90 18.70, 98.96 18.69, 98.99 18.73, 98.97 18.77, 98.91 18.76,"
    " 98.90 18.70)),"
    " ((99.00 18.80, 99.00 18.90, 99.08 18.91, 99.10 18.84, 99.06 18.79, 99.00 18.80),"
    " (99.02 18.82, 99.04 18.82, 99.04 18.84, 99.02 18.84, 99.02 18.82),"
    " (99.06 18.86, 99.07 18.86, 99.07 18.87, 99.06 18.87, 99.06 18.86)))";

static int group_setup(void **state)
{
    (void)state;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    spatialite_cache = spatialite_alloc_connection();
    spatialite_init_ex(db, spatialite_cache, 0);
    /* ST_*(..., 1) read the ellipsoid of SRID 4326 from spatial_ref_sys. */
    char *msg = NULL;
    if (sqlite3_exec(db, "SELECT InitSpatialMetadata(1, 'WGS84')", NULL, NULL, &msg) != SQLITE_OK) {
        fprintf(stderr, "setup: %s\n", msg);
        sqlite3_free(msg);
        return -1;
    }
    geos = GEOS_init_r();
    return geos != NULL ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    GEOS_finish_r(geos);
    sqlite3_close(db);
    spatialite_cleanup_ex(spatialite_cache);
    spatialite_shutdown();
    return 0;
}

static GEOSGeometry *from_wkt(const char *wkt)
{
    GEOSWKTReader *reader = GEOSWKTReader_create_r(geos);
    GEOSGeometry *g = GEOSWKTReader_read_r(geos, reader, wkt);
    GEOSWKTReader_destroy_r(geos, reader);
    if (g == NULL) {
        fail_msg("GEOS could not read %s", wkt);
    }
    return g;
}

/* Runs "SELECT <sql>" with ?1 bound to wkt (or nothing) and returns the real it gives. */
static double spatialite_real(const char *sql, const char *wkt)
{
    sqlite3_stmt *stmt = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), SQLITE_OK);
    if (wkt != NULL) {
        sqlite3_bind_text(stmt, 1, wkt, -1, SQLITE_STATIC);
    }
    assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
    if (sqlite3_column_type(stmt, 0) == SQLITE_NULL) {
        fail_msg("SpatiaLite gave NULL for %s on %s", sql, wkt != NULL ? wkt : "-");
    }
    double v = sqlite3_column_double(stmt, 0);
    sqlite3_finalize(stmt);
    return v;
}

static double spatialite_length(const char *wkt)
{
    return spatialite_real("SELECT ST_Length(GeomFromText(?1, 4326), 1)", wkt);
}

static double spatialite_area(const char *wkt)
{
    return spatialite_real("SELECT ST_Area(GeomFromText(?1, 4326), 1)", wkt);
}

static double length_of(const char *wkt)
{
    GEOSGeometry *g = from_wkt(wkt);
    struct err err = {0};
    double m = -1.0;
    int rc = stats_length_m(geos, g, &m, &err);
    GEOSGeom_destroy_r(geos, g);
    if (rc != ERR_OK) {
        fail_msg("length of %s: %s", wkt, err.msg);
    }
    return m;
}

static double area_of(const char *wkt)
{
    GEOSGeometry *g = from_wkt(wkt);
    struct err err = {0};
    double m2 = -1.0;
    int rc = stats_area_m2(geos, g, &m2, &err);
    GEOSGeom_destroy_r(geos, g);
    if (rc != ERR_OK) {
        fail_msg("area of %s: %s", wkt, err.msg);
    }
    return m2;
}

static void assert_close(double expected, double actual, double rel_tol, const char *what)
{
    double rel = fabs(actual - expected) / fabs(expected);
    if (!(rel < rel_tol)) {
        fail_msg("%s: expected %.6f, got %.6f (relative difference %.3g, allowed %.3g)", what,
                 expected, actual, rel, rel_tol);
    }
}

static void lines_match_spatialite_lengths(void **state)
{
    (void)state;
    double line = length_of(line_wkt);
    assert_true(line > 9000.0 && line < 12000.0);
    assert_close(spatialite_length(line_wkt), line, LENGTH_REL_TOL, "linestring");
    assert_close(spatialite_length(multiline_wkt), length_of(multiline_wkt), LENGTH_REL_TOL,
                 "multilinestring");
}

static void a_linear_ring_has_the_length_of_its_line(void **state)
{
    (void)state;
    const char *ring = "LINEARRING(98.95 18.75, 99.05 18.75, 99.05 18.85, 98.95 18.75)";
    const char *line = "LINESTRING(98.95 18.75, 99.05 18.75, 99.05 18.85, 98.95 18.75)";
    assert_close(spatialite_length(line), length_of(ring), LENGTH_REL_TOL, "linear ring");
}

static void polygons_with_holes_match_spatialite_areas_in_both_orientations(void **state)
{
    (void)state;
    double ccw = area_of(holed_ccw_wkt);
    double cw = area_of(holed_cw_wkt);
    assert_close(spatialite_area(holed_ccw_wkt), ccw, AREA_REL_TOL, "polygon, OGC orientation");
    assert_close(spatialite_area(holed_cw_wkt), cw, AREA_REL_TOL, "polygon, reversed rings");
    assert_close(ccw, cw, 1e-12, "same polygon, either orientation");
    /* The hole counts: the shell alone is larger by the hole's area. */
    const char *shell =
        "POLYGON((98.95 18.75, 99.05 18.75, 99.05 18.85, 98.95 18.85, 98.95 18.75))";
    const char *hole = "POLYGON((98.98 18.78, 98.98 18.80, 99.00 18.80, 99.00 18.78, 98.98 18.78))";
    assert_close(area_of(shell) - area_of(hole), ccw, 1e-12, "shell minus hole");
}

static void multipolygons_match_spatialite_areas(void **state)
{
    (void)state;
    assert_close(spatialite_area(multipolygon_wkt), area_of(multipolygon_wkt), AREA_REL_TOL,
                 "multipolygon");
}

/* The independent reference: a ring's edges are densified along their geodesics, projected
 * to Lambert azimuthal equal-area on the WGS84 ellipsoid (areas are preserved exactly), and
 * measured with the shoelace formula. */
static double laea_ring_area(PJ *to_laea, const GEOSGeometry *ring)
{
    enum { STEPS = 1000 };
    struct geod_geodesic wgs84;
    geod_init(&wgs84, 6378137.0, 1.0 / 298.257223563);
    const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r(geos, ring);
    unsigned int size = 0;
    assert_int_equal(GEOSCoordSeq_getSize_r(geos, seq, &size), 1);
    double twice_area = 0.0, x0 = 0.0, y0 = 0.0, px = 0.0, py = 0.0;
    for (unsigned int i = 0; i + 1 < size; i++) {
        double lon1, lat1, lon2, lat2;
        assert_int_equal(GEOSCoordSeq_getXY_r(geos, seq, i, &lon1, &lat1), 1);
        assert_int_equal(GEOSCoordSeq_getXY_r(geos, seq, i + 1, &lon2, &lat2), 1);
        struct geod_geodesicline edge;
        geod_inverseline(&edge, &wgs84, lat1, lon1, lat2, lon2, 0);
        for (int step = 0; step < STEPS; step++) {
            double lat, lon;
            geod_position(&edge, edge.s13 * step / STEPS, &lat, &lon, NULL);
            PJ_COORD c = proj_trans(to_laea, PJ_FWD, proj_coord(lon, lat, 0, 0));
            if (i == 0 && step == 0) {
                x0 = c.xy.x;
                y0 = c.xy.y;
            } else {
                twice_area += px * c.xy.y - c.xy.x * py;
            }
            px = c.xy.x;
            py = c.xy.y;
        }
    }
    twice_area += px * y0 - x0 * py;
    return fabs(twice_area) / 2.0;
}

static double laea_area(PJ *to_laea, const char *wkt)
{
    GEOSGeometry *g = from_wkt(wkt);
    double area = 0.0;
    for (int p = 0; p < GEOSGetNumGeometries_r(geos, g); p++) {
        const GEOSGeometry *polygon = GEOSGetGeometryN_r(geos, g, p);
        area += laea_ring_area(to_laea, GEOSGetExteriorRing_r(geos, polygon));
        for (int r = 0; r < GEOSGetNumInteriorRings_r(geos, polygon); r++) {
            area -= laea_ring_area(to_laea, GEOSGetInteriorRingN_r(geos, polygon, r));
        }
    }
    GEOSGeom_destroy_r(geos, g);
    return area;
}

static void polygons_match_an_equal_area_projection(void **state)
{
    (void)state;
    PJ_CONTEXT *ctx = proj_context_create();
    PJ *to_laea =
        proj_create_crs_to_crs(ctx, "+proj=longlat +ellps=WGS84 +type=crs",
                               "+proj=laea +lat_0=18.8 +lon_0=99 +ellps=WGS84 +type=crs", NULL);
    assert_non_null(to_laea);
    assert_close(laea_area(to_laea, multipolygon_wkt), area_of(multipolygon_wkt), LAEA_REL_TOL,
                 "multipolygon against the projection");
    assert_close(laea_area(to_laea, holed_cw_wkt), area_of(holed_cw_wkt), LAEA_REL_TOL,
                 "polygon against the projection");
    proj_destroy(to_laea);
    proj_context_destroy(ctx);
}

static void a_one_kilometre_square_measures_a_million_square_metres(void **state)
{
    (void)state;
    char wkt[256];
    double x0 = 98.98, y0 = 18.8, x1 = x0 + KM_IN_DEG_LON, y1 = y0 + KM_IN_DEG_LAT;
    snprintf(wkt, sizeof(wkt), "POLYGON((%.9f %.9f, %.9f %.9f, %.9f %.9f, %.9f %.9f, %.9f %.9f))",
             x0, y0, x1, y0, x1, y1, x0, y1, x0, y0);
    double m2 = area_of(wkt);
    assert_close(1e6, m2, 0.005, "1 km square");
    assert_close(spatialite_area(wkt), m2, AREA_REL_TOL, "1 km square against SpatiaLite");
    assert_close(1000.0, stats_distance_m(x0, y0, x1, y0), 0.005, "1 km side along a parallel");
    assert_close(1000.0, stats_distance_m(x0, y0, x0, y1), 0.005, "1 km side along a meridian");
}

static void chiang_mai_to_bangkok_is_about_582_km(void **state)
{
    (void)state;
    /* Tha Phae Gate, Chiang Mai, and the Democracy Monument, Bangkok. */
    double cm_lon = 98.9931, cm_lat = 18.7877, bkk_lon = 100.5018, bkk_lat = 13.7567;
    double m = stats_distance_m(cm_lon, cm_lat, bkk_lon, bkk_lat);
    assert_true(m > 575e3 && m < 590e3);
    double expected = spatialite_real("SELECT ST_Distance(MakePoint(98.9931, 18.7877, 4326),"
                                      " MakePoint(100.5018, 13.7567, 4326), 1)",
                                      NULL);
    assert_close(expected, m, LENGTH_REL_TOL, "Chiang Mai - Bangkok");
    assert_close(m, stats_distance_m(bkk_lon, bkk_lat, cm_lon, cm_lat), 1e-12, "reversed");
    assert_true(stats_distance_m(cm_lon, cm_lat, cm_lon, cm_lat) == 0.0);
}

static void distance_is_nan_for_a_latitude_beyond_the_pole(void **state)
{
    (void)state;
    assert_true(isnan(stats_distance_m(98.9, 95.0, 98.9, 18.8)));
    assert_true(isnan(stats_distance_m(98.9, 18.8, NAN, 18.8)));
    assert_true(isnan(stats_distance_m(INFINITY, 18.8, 98.9, 18.8)));
}

static void empty_geometries_measure_zero(void **state)
{
    (void)state;
    static const char *const empties[] = {
        "LINESTRING EMPTY",
        "MULTILINESTRING EMPTY",
        "POLYGON EMPTY",
        "MULTIPOLYGON EMPTY",
        "POINT EMPTY",
        "GEOMETRYCOLLECTION EMPTY",
        "GEOMETRYCOLLECTION(LINESTRING EMPTY, POLYGON EMPTY)",
    };
    for (size_t i = 0; i < sizeof(empties) / sizeof(empties[0]); i++) {
        assert_true(length_of(empties[i]) == 0.0);
        assert_true(area_of(empties[i]) == 0.0);
    }
}

static void points_have_neither_length_nor_area(void **state)
{
    (void)state;
    assert_true(length_of("POINT(98.98 18.79)") == 0.0);
    assert_true(area_of("POINT(98.98 18.79)") == 0.0);
    assert_true(length_of("MULTIPOINT((98.98 18.79), (99.0 18.8))") == 0.0);
    assert_true(area_of("MULTIPOINT((98.98 18.79), (99.0 18.8))") == 0.0);
}

static void lines_have_no_area_and_polygon_boundaries_no_length(void **state)
{
    (void)state;
    assert_true(area_of(line_wkt) == 0.0);
    assert_true(area_of(multiline_wkt) == 0.0);
    assert_true(length_of(holed_ccw_wkt) == 0.0);
    assert_true(length_of(multipolygon_wkt) == 0.0);
}

static void a_collection_counts_each_part_by_its_dimension(void **state)
{
    (void)state;
    char wkt[2048];
    snprintf(wkt, sizeof(wkt),
             "GEOMETRYCOLLECTION(POINT(98.98 18.79), %s, %s, %s,"
             " GEOMETRYCOLLECTION(%s, MULTIPOINT((99 18.8), (99.1 18.9))))",
             line_wkt, holed_cw_wkt, multiline_wkt, multipolygon_wkt);
    double length = spatialite_length(line_wkt) + spatialite_length(multiline_wkt);
    double area = spatialite_area(holed_cw_wkt) + spatialite_area(multipolygon_wkt);
    assert_close(length, length_of(wkt), LENGTH_REL_TOL, "lines of a collection");
    assert_close(area, area_of(wkt), AREA_REL_TOL, "polygons of a collection");
}

static void a_hole_larger_than_its_shell_leaves_zero_area(void **state)
{
    (void)state;
    /* Invalid: the hole covers more than the shell. */
    const char *wkt = "POLYGON((98.98 18.78, 98.99 18.78, 98.99 18.79, 98.98 18.78),"
                      " (98.90 18.70, 99.10 18.70, 99.10 18.90, 98.90 18.90, 98.90 18.70))";
    assert_true(area_of(wkt) == 0.0);
}

static void coordinates_that_are_not_lon_lat_are_refused(void **state)
{
    (void)state;
    /* Projected metres (UTM 47N) mistaken for degrees. */
    GEOSGeometry *g = from_wkt("LINESTRING(498000 2078000, 499000 2079000)");
    struct err err = {0};
    double out = 42.0;
    assert_int_equal(stats_length_m(geos, g, &out, &err), ERR_INVALID);
    assert_non_null(strstr(err.msg, "longitude/latitude"));
    assert_true(out == 42.0);
    GEOSGeom_destroy_r(geos, g);

    g = from_wkt("POLYGON((98.9 18.7, 99.1 18.7, 99.1 91, 98.9 18.7))");
    err = (struct err){0};
    assert_int_equal(stats_area_m2(geos, g, &out, &err), ERR_INVALID);
    assert_non_null(strstr(err.msg, "vertex 2"));
    assert_true(out == 42.0);
    GEOSGeom_destroy_r(geos, g);
}

static void a_missing_geometry_is_refused(void **state)
{
    (void)state;
    struct err err = {0};
    double out = 0.0;
    assert_int_equal(stats_length_m(geos, NULL, &out, &err), ERR_INVALID);
    assert_int_equal(stats_area_m2(geos, NULL, &out, &err), ERR_INVALID);
    assert_true(err.msg[0] != '\0');
}

/* GEOMETRYCOLLECTION(GEOMETRYCOLLECTION(... LINESTRING ...)) with `levels` collections. */
static GEOSGeometry *nested_collection(int levels)
{
    GEOSGeometry *g = from_wkt("LINESTRING(98.98 18.78, 98.99 18.79)");
    for (int i = 0; i < levels; i++) {
        GEOSGeometry *parts[1] = {g};
        g = GEOSGeom_createCollection_r(geos, GEOS_GEOMETRYCOLLECTION, parts, 1);
        assert_non_null(g);
    }
    return g;
}

static void collections_nested_too_deep_are_refused(void **state)
{
    (void)state;
    struct err err = {0};
    double out = 0.0;
    GEOSGeometry *g = nested_collection(STATS_MEASURE_MAX_DEPTH);
    assert_int_equal(stats_length_m(geos, g, &out, &err), ERR_OK);
    assert_close(spatialite_length("LINESTRING(98.98 18.78, 98.99 18.79)"), out, LENGTH_REL_TOL,
                 "deepest allowed nesting");
    GEOSGeom_destroy_r(geos, g);

    g = nested_collection(STATS_MEASURE_MAX_DEPTH + 1);
    assert_int_equal(stats_length_m(geos, g, &out, &err), ERR_INVALID);
    assert_non_null(strstr(err.msg, "nest"));
    GEOSGeom_destroy_r(geos, g);
}

/* Each thread has its own GEOS context, as the server's request threads do; the first calls
 * race to build the ellipsoid. */
struct thread_run {
    double area_m2;
    int rc;
};

static void *measure_in_thread(void *arg)
{
    struct thread_run *run = arg;
    GEOSContextHandle_t h = GEOS_init_r();
    GEOSWKTReader *reader = GEOSWKTReader_create_r(h);
    GEOSGeometry *g = GEOSWKTReader_read_r(h, reader, multipolygon_wkt);
    struct err err = {0};
    run->rc = g != NULL ? ERR_OK : ERR_INTERNAL;
    for (int i = 0; i < 200 && run->rc == ERR_OK; i++) {
        run->rc = stats_area_m2(h, g, &run->area_m2, &err);
    }
    GEOSGeom_destroy_r(h, g);
    GEOSWKTReader_destroy_r(h, reader);
    GEOS_finish_r(h);
    return NULL;
}

static void threads_with_their_own_contexts_get_the_same_area(void **state)
{
    (void)state;
    enum { N_THREADS = 4 };
    pthread_t threads[N_THREADS];
    struct thread_run runs[N_THREADS] = {{0}};
    for (int i = 0; i < N_THREADS; i++) {
        assert_int_equal(pthread_create(&threads[i], NULL, measure_in_thread, &runs[i]), 0);
    }
    for (int i = 0; i < N_THREADS; i++) {
        assert_int_equal(pthread_join(threads[i], NULL), 0);
    }
    double expected = area_of(multipolygon_wkt);
    for (int i = 0; i < N_THREADS; i++) {
        assert_int_equal(runs[i].rc, ERR_OK);
        assert_true(runs[i].area_m2 == expected);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        /* Runs first, so its threads are the first to use the ellipsoid. */
        cmocka_unit_test(threads_with_their_own_contexts_get_the_same_area),
        cmocka_unit_test(lines_match_spatialite_lengths),
        cmocka_unit_test(a_linear_ring_has_the_length_of_its_line),
        cmocka_unit_test(polygons_with_holes_match_spatialite_areas_in_both_orientations),
        cmocka_unit_test(multipolygons_match_spatialite_areas),
        cmocka_unit_test(polygons_match_an_equal_area_projection),
        cmocka_unit_test(a_one_kilometre_square_measures_a_million_square_metres),
        cmocka_unit_test(chiang_mai_to_bangkok_is_about_582_km),
        cmocka_unit_test(distance_is_nan_for_a_latitude_beyond_the_pole),
        cmocka_unit_test(empty_geometries_measure_zero),
        cmocka_unit_test(points_have_neither_length_nor_area),
        cmocka_unit_test(lines_have_no_area_and_polygon_boundaries_no_length),
        cmocka_unit_test(a_collection_counts_each_part_by_its_dimension),
        cmocka_unit_test(a_hole_larger_than_its_shell_leaves_zero_area),
        cmocka_unit_test(coordinates_that_are_not_lon_lat_are_refused),
        cmocka_unit_test(a_missing_geometry_is_refused),
        cmocka_unit_test(collections_nested_too_deep_are_refused),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
