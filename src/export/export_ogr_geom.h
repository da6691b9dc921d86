/* export_ogr_geom.h - geometries on their way out through OGR: a SpatiaLite geometry BLOB
 * (encode/geom_blob.h) turned into an OGR geometry, and that geometry clipped to an extent
 * and shaped to fit the type its output layer declares.
 *
 * Only x and y are kept (Z and M are dropped), as everywhere else the server writes
 * geometries. Threads: no shared state; OGR geometries belong to their caller. */
#ifndef CITYATLAS_EXPORT_EXPORT_OGR_GEOM_H
#define CITYATLAS_EXPORT_EXPORT_OGR_GEOM_H

#include <stddef.h>

#include <ogr_api.h>

#include "base/err.h"

/* Builds the OGR geometry a blob holds, in the blob's own coordinates. *out is the new
 * geometry (free with OGR_G_DestroyGeometry); ERR_INVALID, naming the problem, when the
 * blob is truncated, corrupt or of an unsupported class (then *out is NULL). */
int export_ogr_geom_from_blob(const unsigned char *blob, size_t len, OGRGeometryH *out,
                              struct err *err) WARN_UNUSED;

/* The geometry type an output layer declares for a store layer's geometry type (e.g.
 * "LINESTRING"): lines and polygons become their MULTI types, because clipping can cut one
 * part into several; points stay points (a clipped point is the point or nothing);
 * MULTIPOINT stays; anything else (GEOMETRY, collections, mixed sketches) is wkbUnknown.
 * NULL (a table without geometry) gives wkbNone. */
OGRwkbGeometryType export_ogr_geom_layer_type(const char *store_geometry_type);

/* The part of g inside the rectangle clip (an axis-aligned polygon made by
 * export_ogr_geom_rectangle; NULL: no clipping), shaped to fit layer_type:
 *   wkbPoint: the point itself; wkbMultiPoint, wkbMultiLineString, wkbMultiPolygon: the
 *   points, lines or polygons of the clipped result gathered into one MULTI geometry
 *   (lower-dimensional leftovers, such as the point where a line only touches the edge,
 *   are dropped); wkbUnknown: the clipped result as GEOS made it.
 * A geometry whose envelope lies inside the rectangle is not clipped (it is kept exactly).
 * Returns 0 with *out the new geometry, or NULL when nothing of the layer's dimension is
 * left inside (the feature is left out). ERR_INVALID when GEOS cannot intersect g (err
 * holds GDAL's message only if the caller captures it; here it says the clip failed).
 * g is not modified. */
int export_ogr_geom_fit(OGRGeometryH g, OGRGeometryH clip, OGRwkbGeometryType layer_type,
                        OGRGeometryH *out, struct err *err) WARN_UNUSED;

/* A polygon covering box[4] = min_x, min_y, max_x, max_y (free with
 * OGR_G_DestroyGeometry). */
OGRGeometryH export_ogr_geom_rectangle(const double box[4]);

#endif
