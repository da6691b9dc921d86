/* geom_check.h - what an imported geometry must be: 2D, linear, with finite
 * coordinates, and valid by OGC rules (GEOS through OGR). Invalid polygons and lines are
 * repaired with MakeValid when the repair keeps the geometry's dimension (a polygon stays
 * an area); otherwise the feature is rejected with GEOS's reason. */
#ifndef CITYATLAS_IMPORT_GEOM_CHECK_H
#define CITYATLAS_IMPORT_GEOM_CHECK_H

#include <stddef.h>

#include <ogr_api.h>

enum geom_verdict {
    GEOM_OK,       /* valid as it was */
    GEOM_EMPTY,    /* no geometry or an empty one: stored as NULL */
    GEOM_REPAIRED, /* *g was replaced by a valid geometry of the same dimension */
    GEOM_REJECTED, /* reason says why; *g is unchanged */
};

/* Checks *g (owned by the caller) and may replace it with a repaired geometry, destroying
 * the old one. reason (cap bytes) receives a sentence for REPAIRED and REJECTED. */
enum geom_verdict geom_check(OGRGeometryH *g, char *reason, size_t cap);

/* Checks that a geometry's envelope (after reprojection) lies within longitude/latitude
 * range; writes reason and returns 0 when it does not. */
int geom_check_lonlat_range(const OGREnvelope *env, char *reason, size_t cap);

#endif
