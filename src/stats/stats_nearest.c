/* stats_nearest.c - the distance from a point to the nearest feature of a layer (e.g. from
 * each village to the nearest hospital), through a spatial index: no all-pairs scan.
 *
 * The search runs in the UTM zone of the data (metres, through PROJ), where GEOS's STRtree
 * finds the nearest feature and the nearest point on it; the distance reported is the
 * geodesic one between those two points on the WGS84 ellipsoid. Within a UTM zone the
 * projection's scale error is below 0.1 %, so the feature found is the geodesically
 * nearest one except between near ties. */
#include "stats/stats_int.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <proj.h>

#include "base/alloc.h"
#include "stats/stats_measure.h"

struct stats_nearest {
    GEOSContextHandle_t h;
    PJ_CONTEXT *pj_ctx;
    PJ *to_utm; /* lon/lat degrees -> UTM metres (and back with PJ_INV) */
    GEOSSTRtree *tree;
    GEOSGeometry **geoms; /* in UTM; the tree's payloads point at them */
    size_t n;
};

static int to_utm_xy(double *x, double *y, void *userdata)
{
    PJ_COORD c = proj_coord(*x, *y, 0, 0);
    c = proj_trans((PJ *)userdata, PJ_FWD, c);
    if (!isfinite(c.xy.x) || !isfinite(c.xy.y)) {
        return 0;
    }
    *x = c.xy.x;
    *y = c.xy.y;
    return 1;
}

static int open_projection(struct stats_nearest *nn, double lon0, double lat0, struct err *err)
{
    int zone = (int)floor((lon0 + 180.0) / 6.0) + 1;
    zone = zone < 1 ? 1 : zone > 60 ? 60 : zone;
    char target[16];
    snprintf(target, sizeof(target), "EPSG:%d", (lat0 >= 0 ? 32600 : 32700) + zone);
    nn->pj_ctx = proj_context_create();
    PJ *raw = proj_create_crs_to_crs(nn->pj_ctx, "EPSG:4326", target, NULL);
    nn->to_utm = raw != NULL ? proj_normalize_for_visualization(nn->pj_ctx, raw) : NULL;
    proj_destroy(raw);
    if (nn->to_utm == NULL) {
        return err_set(err, ERR_INTERNAL, "PROJ could not set up EPSG:4326 -> %s", target);
    }
    return ERR_OK;
}

static int add_target(struct stats_nearest *nn, const struct store_feature *row, struct err *err)
{
    if (row->geom == NULL) {
        return ERR_OK;
    }
    GEOSGeometry *g = NULL;
    int rc = stats_geom_from_blob(nn->h, row->geom, row->geom_len, &g, err);
    if (rc != ERR_OK) {
        return rc;
    }
    GEOSGeometry *utm = GEOSGeom_transformXY_r(nn->h, g, to_utm_xy, nn->to_utm);
    GEOSGeom_destroy_r(nn->h, g);
    if (utm == NULL) {
        return err_set(err, ERR_INVALID, "to: feature %lld is outside the UTM zone's area",
                       (long long)row->fid);
    }
    nn->geoms = xreallocarray(nn->geoms, nn->n + 1, sizeof(*nn->geoms));
    nn->geoms[nn->n++] = utm;
    GEOSSTRtree_insert_r(nn->h, nn->tree, utm, utm);
    return ERR_OK;
}

int stats_nearest_open(struct store_read *rd, const struct stats_plan *plan, GEOSContextHandle_t h,
                       double lon0, double lat0, struct stats_nearest **out, struct err *err)
{
    struct stats_nearest *nn = xcalloc(1, sizeof(*nn));
    nn->h = h;
    *out = nn;
    int rc = open_projection(nn, lon0, lat0, err);
    if (rc != ERR_OK) {
        return rc;
    }
    nn->tree = GEOSSTRtree_create_r(h, 10);
    size_t no_fields = 0;
    struct store_query q = {.layer = plan->to,
                            .filter = plan->to_filter,
                            .properties = &no_fields,
                            .limit = STORE_LIMIT_ALL,
                            .out_srid = 4326};
    struct store_cursor *cur = NULL;
    rc = store_features_open(rd, &q, &cur, err);
    const struct store_feature *row = NULL;
    while (rc == ERR_OK && (rc = store_cursor_next(cur, &row, err)) == 1) {
        rc = add_target(nn, row, err);
    }
    store_cursor_close(cur);
    if (rc == ERR_OK && nn->n == 0) {
        rc = err_set(err, ERR_INVALID, "to: no feature of '%s' matches%s: nothing to measure to",
                     plan->to->id, plan->to_filter != NULL ? " to-filter" : "");
    }
    return rc < 0 ? rc : ERR_OK;
}

struct search {
    GEOSContextHandle_t h;
};

static int distance_between(const void *a, const void *b, double *distance, void *userdata)
{
    const struct search *s = userdata;
    return GEOSDistance_r(s->h, a, b, distance);
}

int stats_nearest_distance(struct stats_nearest *nn, double lon, double lat, double *metres,
                           struct err *err)
{
    double x = lon, y = lat;
    if (!to_utm_xy(&x, &y, nn->to_utm)) {
        return err_set(err, ERR_INVALID, "point %.6f %.6f is outside the UTM zone's area", lon,
                       lat);
    }
    GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(nn->h, x, y);
    struct search s = {nn->h};
    const GEOSGeometry *nearest =
        pt != NULL ? GEOSSTRtree_nearest_generic_r(nn->h, nn->tree, pt, pt, distance_between, &s)
                   : NULL;
    GEOSCoordSequence *pair = nearest != NULL ? GEOSNearestPoints_r(nn->h, nearest, pt) : NULL;
    GEOSGeom_destroy_r(nn->h, pt);
    if (pair == NULL) {
        return stats_geos_error("find the nearest feature", err);
    }
    double nx = 0, ny = 0;
    GEOSCoordSeq_getXY_r(nn->h, pair, 0, &nx, &ny);
    GEOSCoordSeq_destroy_r(nn->h, pair);
    PJ_COORD c = proj_trans(nn->to_utm, PJ_INV, proj_coord(nx, ny, 0, 0));
    *metres = stats_distance_m(lon, lat, c.xy.x, c.xy.y);
    return ERR_OK;
}

void stats_nearest_close(struct stats_nearest *nn)
{
    if (nn == NULL) {
        return;
    }
    if (nn->tree != NULL) {
        GEOSSTRtree_destroy_r(nn->h, nn->tree);
    }
    for (size_t i = 0; i < nn->n; i++) {
        GEOSGeom_destroy_r(nn->h, nn->geoms[i]);
    }
    free(nn->geoms);
    proj_destroy(nn->to_utm);
    proj_context_destroy(nn->pj_ctx);
    free(nn);
}
