/* test_reproject.c - import/reproject: Thai CRSs land where they really are, in lon/lat
 * order. Reference coordinates are from tests/data/README.md (read back with GDAL). */
#include "unit.h"

#include <math.h>
#include <string.h>

#include <cpl_conv.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <proj.h>

#include "import/reproject.h"

#include "unit_support.c"

/* One metre is about 9e-6 degrees here; 1e-6 is well under the datum shifts we test. */
#define DEG_TOLERANCE 1e-6

static void transform_point(const char *crs, double x, double y, double *lon, double *lat,
                            const char **name)
{
    OGRSpatialReferenceH srs = NULL;
    struct err e;
    assert_int_equal(reproject_parse_crs(crs, &srs, &e), ERR_OK);
    struct reproject *rp = NULL;
    assert_int_equal(reproject_new(srs, &rp, &e), ERR_OK);
    OGRGeometryH g = OGR_G_CreateGeometry(wkbPoint);
    OGR_G_SetPoint_2D(g, 0, x, y);
    assert_int_equal(reproject_geometry(rp, g, &e), ERR_OK);
    *lon = OGR_G_GetX(g, 0);
    *lat = OGR_G_GetY(g, 0);
    static char keep[64];
    strncpy(keep, reproject_source_name(rp), sizeof(keep) - 1);
    *name = keep;
    OGR_G_DestroyGeometry(g);
    reproject_free(rp);
    OSRDestroySpatialReference(srs);
}

/* Si Phum's vertex in Indian 1975 / UTM 47N; ignoring the datum would put it 626 m off. */
static void indian_1975_utm47n_uses_the_datum_shift(void **state)
{
    (void)state;
    double lon, lat;
    const char *name;
    transform_point("EPSG:24047", 499806.008, 2076993.674, &lon, &lat, &name);
    assert_string_equal(name, "EPSG:24047");
    assert_true(fabs(lon - 98.993255) < DEG_TOLERANCE);
    assert_true(fabs(lat - 18.787784) < DEG_TOLERANCE);
}

static void wgs84_utm47n_lands_on_the_same_vertex(void **state)
{
    (void)state;
    double lon, lat;
    const char *name;
    transform_point("EPSG:32647", 499289.194371, 2077346.501311, &lon, &lat, &name);
    assert_true(fabs(lon - 98.993255) < DEG_TOLERANCE);
    assert_true(fabs(lat - 18.787784) < DEG_TOLERANCE);
}

static void geographic_wgs84_is_left_untouched_in_lon_lat_order(void **state)
{
    (void)state;
    const char *crss[] = {"EPSG:4326", "OGC:CRS84"};
    for (int i = 0; i < 2; i++) {
        OGRSpatialReferenceH srs = NULL;
        struct err e;
        assert_int_equal(reproject_parse_crs(crss[i], &srs, &e), ERR_OK);
        struct reproject *rp = NULL;
        assert_int_equal(reproject_new(srs, &rp, &e), ERR_OK);
        assert_true(reproject_is_identity(rp));
        reproject_free(rp);
        OSRDestroySpatialReference(srs);
    }
}

static void projected_polygon_rings_are_all_transformed(void **state)
{
    (void)state;
    OGRSpatialReferenceH srs = NULL;
    struct err e;
    assert_int_equal(reproject_parse_crs("EPSG:32647", &srs, &e), ERR_OK);
    struct reproject *rp = NULL;
    assert_int_equal(reproject_new(srs, &rp, &e), ERR_OK);
    char *wkt = "MULTIPOLYGON(((499000 2077000,499100 2077000,499100 2077100,499000 2077000)),"
                "((500000 2078000,500100 2078000,500100 2078100,500000 2078000)))";
    OGRGeometryH g = NULL;
    assert_int_equal(OGR_G_CreateFromWkt(&wkt, NULL, &g), OGRERR_NONE);
    assert_int_equal(reproject_geometry(rp, g, &e), ERR_OK);
    OGREnvelope env;
    OGR_G_GetEnvelope(g, &env);
    assert_true(env.MinX > 98.9 && env.MaxX < 99.1);
    assert_true(env.MinY > 18.7 && env.MaxY < 18.9);
    OGR_G_DestroyGeometry(g);
    reproject_free(rp);
    OSRDestroySpatialReference(srs);
}

static void unknown_crs_text_is_refused_by_name(void **state)
{
    (void)state;
    OGRSpatialReferenceH srs = NULL;
    struct err e;
    assert_int_equal(reproject_parse_crs("EPSG:999999", &srs, &e), ERR_INVALID);
    assert_null(srs);
    assert_non_null(strstr(e.msg, "EPSG:999999"));
    assert_int_equal(reproject_parse_crs("not a crs", &srs, &e), ERR_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(indian_1975_utm47n_uses_the_datum_shift),
        cmocka_unit_test(wgs84_utm47n_lands_on_the_same_vertex),
        cmocka_unit_test(geographic_wgs84_is_left_untouched_in_lon_lat_order),
        cmocka_unit_test(projected_polygon_rings_are_all_transformed),
        cmocka_unit_test(unknown_crs_text_is_refused_by_name),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    OSRCleanup();
    proj_cleanup();
    return rc;
}
