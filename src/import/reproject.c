/* reproject.c - see reproject.h. */
#include "import/reproject.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cpl_conv.h>
#include <proj.h>

#include "base/alloc.h"
#include "base/utf8.h"

/* Below this, OSRFindMatches' guess is not trusted to stand for the source CRS. */
#define REPROJECT_MIN_MATCH_CONFIDENCE 90

struct reproject {
    PJ_CONTEXT *ctx;
    PJ *op; /* NULL for the identity */
    char name[128];
    double *xs, *ys; /* scratch coordinates, cap entries */
    int cap;
};

/* "EPSG:24047" when the SRS carries or confidently matches an EPSG code. */
static bool epsg_name(OGRSpatialReferenceH srs, char *out, size_t cap)
{
    const char *auth = OSRGetAuthorityName(srs, NULL);
    const char *code = OSRGetAuthorityCode(srs, NULL);
    if (auth != NULL && code != NULL) {
        snprintf(out, cap, "%s:%s", auth, code);
        return true;
    }
    int n = 0;
    int *confidence = NULL;
    OGRSpatialReferenceH *matches = OSRFindMatches(srs, NULL, &n, &confidence);
    bool found = false;
    if (n > 0 && confidence[0] >= REPROJECT_MIN_MATCH_CONFIDENCE) {
        auth = OSRGetAuthorityName(matches[0], NULL);
        code = OSRGetAuthorityCode(matches[0], NULL);
        if (auth != NULL && code != NULL) {
            snprintf(out, cap, "%s:%s", auth, code);
            found = true;
        }
    }
    OSRFreeSRSArray(matches);
    CPLFree(confidence);
    return found;
}

static bool is_wgs84_geographic(OGRSpatialReferenceH srs)
{
    if (!OSRIsGeographic(srs)) {
        return false;
    }
    OGRSpatialReferenceH wgs84 = OSRNewSpatialReference(NULL);
    OSRSetWellKnownGeogCS(wgs84, "WGS84");
    bool same = OSRIsSameGeogCS(srs, wgs84);
    OSRDestroySpatialReference(wgs84);
    return same;
}

static int make_operation(struct reproject *rp, OGRSpatialReferenceH src, struct err *err)
{
    /* An EPSG code lets PROJ pick the registered datum transformation (e.g. Indian 1975 to
     * WGS 84 for EPSG:24047); otherwise PROJ works from the full WKT. */
    PJ *src_crs = NULL;
    if (strncmp(rp->name, "EPSG:", 5) == 0) {
        src_crs = proj_create(rp->ctx, rp->name);
    }
    if (src_crs == NULL) {
        char *wkt = NULL;
        const char *opts[] = {"FORMAT=WKT2_2019", NULL};
        if (OSRExportToWktEx(src, &wkt, opts) == OGRERR_NONE) {
            src_crs = proj_create(rp->ctx, wkt);
        }
        CPLFree(wkt);
    }
    PJ *dst_crs = proj_create(rp->ctx, "EPSG:4326");
    PJ *op = NULL;
    if (src_crs != NULL && dst_crs != NULL) {
        op = proj_create_crs_to_crs_from_pj(rp->ctx, src_crs, dst_crs, NULL, NULL);
    }
    if (op != NULL) {
        rp->op = proj_normalize_for_visualization(rp->ctx, op);
        proj_destroy(op);
    }
    proj_destroy(src_crs);
    proj_destroy(dst_crs);
    if (rp->op == NULL) {
        int e = proj_context_errno(rp->ctx);
        return err_set(err, ERR_INVALID, "no transformation from %s to EPSG:4326 (%s)", rp->name,
                       e != 0 ? proj_context_errno_string(rp->ctx, e) : "unknown CRS");
    }
    return ERR_OK;
}

int reproject_new(OGRSpatialReferenceH src, struct reproject **out, struct err *err)
{
    *out = NULL;
    struct reproject *rp = xcalloc(1, sizeof(*rp));
    if (!epsg_name(src, rp->name, sizeof(rp->name))) {
        const char *name = OSRGetName(src);
        snprintf(rp->name, sizeof(rp->name), "%s", name != NULL ? name : "unnamed CRS");
    }
    if (is_wgs84_geographic(src)) {
        *out = rp;
        return ERR_OK;
    }
    rp->ctx = proj_context_create();
    int rc = make_operation(rp, src, err);
    if (rc != ERR_OK) {
        reproject_free(rp);
        return rc;
    }
    *out = rp;
    return ERR_OK;
}

void reproject_free(struct reproject *rp)
{
    if (rp == NULL) {
        return;
    }
    proj_destroy(rp->op);
    if (rp->ctx != NULL) {
        proj_context_destroy(rp->ctx);
    }
    free(rp->xs);
    free(rp->ys);
    free(rp);
}

const char *reproject_source_name(const struct reproject *rp)
{
    return rp->name;
}

bool reproject_is_identity(const struct reproject *rp)
{
    return rp->op == NULL;
}

static int transform_points(struct reproject *rp, OGRGeometryH g, struct err *err)
{
    int n = OGR_G_GetPointCount(g);
    if (n <= 0) {
        return ERR_OK;
    }
    if (n > rp->cap) {
        rp->xs = xreallocarray(rp->xs, (size_t)n, sizeof(double));
        rp->ys = xreallocarray(rp->ys, (size_t)n, sizeof(double));
        rp->cap = n;
    }
    OGR_G_GetPoints(g, rp->xs, sizeof(double), rp->ys, sizeof(double), NULL, 0);
    proj_trans_generic(rp->op, PJ_FWD, rp->xs, sizeof(double), (size_t)n, rp->ys, sizeof(double),
                       (size_t)n, NULL, 0, 0, NULL, 0, 0);
    for (int i = 0; i < n; i++) {
        if (!isfinite(rp->xs[i]) || !isfinite(rp->ys[i]) || fabs(rp->xs[i]) > 1e10) {
            return err_set(err, ERR_INVALID, "a coordinate cannot be transformed from %s",
                           rp->name);
        }
    }
    if (OGR_G_GetGeometryType(g) == wkbPoint) {
        OGR_G_SetPoint_2D(g, 0, rp->xs[0], rp->ys[0]);
    } else {
        OGR_G_SetPoints(g, n, rp->xs, sizeof(double), rp->ys, sizeof(double), NULL, 0);
    }
    return ERR_OK;
}

int reproject_geometry(struct reproject *rp, OGRGeometryH g, struct err *err)
{
    if (rp->op == NULL || g == NULL) {
        return ERR_OK;
    }
    int n_parts = OGR_G_GetGeometryCount(g);
    if (n_parts == 0) {
        return transform_points(rp, g, err);
    }
    for (int i = 0; i < n_parts; i++) {
        int rc = reproject_geometry(rp, OGR_G_GetGeometryRef(g, i), err);
        if (rc != ERR_OK) {
            return rc;
        }
    }
    return ERR_OK;
}

int reproject_parse_crs(const char *text, OGRSpatialReferenceH *out, struct err *err)
{
    *out = NULL;
    OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
    CPLPushErrorHandler(CPLQuietErrorHandler);
    OGRErr e = OSRSetFromUserInput(srs, text);
    CPLPopErrorHandler();
    if (e != OGRERR_NONE) {
        OSRDestroySpatialReference(srs);
        return err_set(err, ERR_INVALID,
                       "unknown CRS '%s' (give an EPSG code such as EPSG:32647, or WKT)",
                       utf8_excerpt(text, 80).text);
    }
    OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
    *out = srs;
    return ERR_OK;
}
