/* geom_check.c - see geom_check.h. */
#include "import/geom_check.h"

#include <math.h>
#include <stdio.h>

#include "import/gdal_errors.h"

static int dimension_of(OGRwkbGeometryType type)
{
    switch (wkbFlatten(type)) {
    case wkbPoint:
    case wkbMultiPoint:
        return 0;
    case wkbLineString:
    case wkbMultiLineString:
        return 1;
    case wkbPolygon:
    case wkbMultiPolygon:
        return 2;
    default:
        return -1;
    }
}

static int finite_envelope(OGRGeometryH g)
{
    OGREnvelope env;
    OGR_G_GetEnvelope(g, &env);
    return isfinite(env.MinX) && isfinite(env.MaxX) && isfinite(env.MinY) && isfinite(env.MaxY);
}

/* Keeps the parts of a GEOMETRYCOLLECTION with dimension dim, as a multi geometry. NULL
 * when there are none. */
static OGRGeometryH keep_dimension(OGRGeometryH collection, int dim)
{
    static const OGRwkbGeometryType multi_of[] = {wkbMultiPoint, wkbMultiLineString,
                                                  wkbMultiPolygon};
    OGRGeometryH out = OGR_G_CreateGeometry(multi_of[dim]);
    int n = OGR_G_GetGeometryCount(collection);
    for (int i = 0; i < n; i++) {
        OGRGeometryH part = OGR_G_GetGeometryRef(collection, i);
        OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(part));
        if (dimension_of(t) != dim) {
            continue;
        }
        if (t == wkbMultiPoint || t == wkbMultiLineString || t == wkbMultiPolygon) {
            for (int j = 0; j < OGR_G_GetGeometryCount(part); j++) {
                OGR_G_AddGeometry(out, OGR_G_GetGeometryRef(part, j));
            }
        } else {
            OGR_G_AddGeometry(out, part);
        }
    }
    if (OGR_G_GetGeometryCount(out) == 0) {
        OGR_G_DestroyGeometry(out);
        return NULL;
    }
    return out;
}

static enum geom_verdict repair(OGRGeometryH *g, int dim, const char *why, char *reason, size_t cap)
{
    struct gdal_errors ge;
    gdal_errors_begin(&ge);
    OGRGeometryH fixed = OGR_G_MakeValid(*g);
    gdal_errors_end(&ge);
    if (fixed != NULL && wkbFlatten(OGR_G_GetGeometryType(fixed)) == wkbGeometryCollection) {
        OGRGeometryH kept = keep_dimension(fixed, dim);
        OGR_G_DestroyGeometry(fixed);
        fixed = kept;
    }
    if (fixed == NULL || OGR_G_IsEmpty(fixed) ||
        dimension_of(OGR_G_GetGeometryType(fixed)) != dim) {
        snprintf(reason, cap, "invalid geometry that cannot be repaired without %s: %s",
                 dim == 2 ? "losing its area" : "losing its length", why);
        if (fixed != NULL) {
            OGR_G_DestroyGeometry(fixed);
        }
        return GEOM_REJECTED;
    }
    snprintf(reason, cap, "repaired invalid geometry: %s", why);
    OGR_G_DestroyGeometry(*g);
    *g = fixed;
    return GEOM_REPAIRED;
}

enum geom_verdict geom_check(OGRGeometryH *g, char *reason, size_t cap)
{
    reason[0] = '\0';
    if (*g == NULL || OGR_G_IsEmpty(*g)) {
        return GEOM_EMPTY;
    }
    OGRwkbGeometryType type = OGR_G_GetGeometryType(*g);
    if (OGR_GT_IsNonLinear(type)) {
        OGRGeometryH linear = OGR_G_GetLinearGeometry(*g, 0, NULL);
        if (linear == NULL) {
            snprintf(reason, cap, "curved geometry that cannot be linearised");
            return GEOM_REJECTED;
        }
        OGR_G_DestroyGeometry(*g);
        *g = linear;
        type = OGR_G_GetGeometryType(*g);
    }
    if (OGR_GT_HasZ(type) || OGR_GT_HasM(type)) {
        OGR_G_FlattenTo2D(*g);
    }
    if (!finite_envelope(*g)) {
        snprintf(reason, cap, "a coordinate is not a finite number");
        return GEOM_REJECTED;
    }
    int dim = dimension_of(OGR_G_GetGeometryType(*g));
    if (dim < 0) {
        snprintf(reason, cap, "unsupported geometry type %s (collections of mixed types)",
                 OGRGeometryTypeToName(OGR_G_GetGeometryType(*g)));
        return GEOM_REJECTED;
    }
    if (dim == 0) {
        return GEOM_OK; /* finite points are always valid */
    }
    struct gdal_errors ge;
    gdal_errors_begin(&ge);
    int valid = OGR_G_IsValid(*g);
    gdal_errors_end(&ge);
    if (valid) {
        return GEOM_OK;
    }
    const char *why = ge.last_message[0] != '\0' ? ge.last_message : "not valid";
    return repair(g, dim, why, reason, cap);
}

int geom_check_lonlat_range(const OGREnvelope *env, char *reason, size_t cap)
{
    if (env->MinX < -180.0 || env->MaxX > 180.0 || env->MinY < -90.0 || env->MaxY > 90.0) {
        snprintf(reason, cap,
                 "coordinates (%.6g, %.6g) are outside longitude/latitude range after "
                 "reprojection: is the source CRS right? (--s-srs)",
                 env->MinX, env->MinY);
        return 0;
    }
    return 1;
}
