/* stats_measure.h - lengths, areas and distances on the WGS84 ellipsoid for geometries in
 * EPSG:4326 (x = longitude, y = latitude, degrees), so per-km² figures are true everywhere
 * instead of shrinking with the cosine of the latitude as planar degree² would.
 * Owns the calls to PROJ's geodesic routines (Karney's algorithms, accurate to nanometres);
 * reads GEOS geometries through the caller's context handle only. Pure computation: every
 * function may run in any thread at once (the ellipsoid is built once and then read only). */
#ifndef CITYATLAS_STATS_STATS_MEASURE_H
#define CITYATLAS_STATS_STATS_MEASURE_H

/* The server is multi-threaded: only the reentrant GEOS API, which takes a context handle. */
#ifndef GEOS_USE_ONLY_R_API
#define GEOS_USE_ONLY_R_API
#endif
#include <geos_c.h>

#include "base/err.h"

/* Collections nested deeper than this are refused rather than walked: the walk recurses. */
#define STATS_MEASURE_MAX_DEPTH 32

/* Geodesic length in metres of the linear parts of g: LineStrings and LinearRings, alone or
 * inside MultiLineStrings and GeometryCollections. Polygon boundaries are not counted and
 * points count 0; an empty geometry measures 0. Writes *out only on success.
 * Returns ERR_OK, or ERR_INVALID when g is NULL, GEOS fails to give a part or a coordinate,
 * a vertex is not a longitude/latitude pair (latitude outside [-90, 90], or not finite),
 * or collections nest deeper than STATS_MEASURE_MAX_DEPTH; err says which. */
int stats_length_m(GEOSContextHandle_t h, const GEOSGeometry *g, double *out,
                   struct err *err) WARN_UNUSED;

/* Geodesic area in square metres of the polygonal parts of g: Polygons, alone or inside
 * MultiPolygons and GeometryCollections. A polygon counts its shell's area minus its holes'
 * areas, floored at 0 (an invalid polygon whose holes outgrow the shell counts 0). A ring
 * bounds the smaller of the two regions it splits the Earth into, so the result is the same
 * whatever the ring orientation (no city ring encloses half the planet). Other parts count 0.
 * Writes *out only on success; returns and fails as stats_length_m. */
int stats_area_m2(GEOSContextHandle_t h, const GEOSGeometry *g, double *out,
                  struct err *err) WARN_UNUSED;

/* Geodesic (shortest path on the ellipsoid) distance in metres between two points given as
 * longitude/latitude in degrees. Latitudes must lie in [-90, 90] and all four numbers must be
 * finite; otherwise the result is NaN. */
double stats_distance_m(double lon1, double lat1, double lon2, double lat2);

#endif
