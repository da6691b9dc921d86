/* reproject.h - source CRS -> EPSG:4326 in lon,lat order, through PROJ.
 * The only place that talks to PROJ, and the only place where axis order is decided:
 * proj_normalize_for_visualization() makes input and output x=east/lon, y=north/lat,
 * matching how OGR hands us coordinates and how GeoJSON (RFC 7946) wants them. */
#ifndef CITYATLAS_IMPORT_REPROJECT_H
#define CITYATLAS_IMPORT_REPROJECT_H

#include <stdbool.h>

#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "base/err.h"

struct reproject; /* opaque; one per layer, used by one thread */

/* Builds the transformation from src (as OGR read it from the source) to EPSG:4326.
 * When src is already WGS 84 geographic the transformation is the identity and geometry
 * is left untouched. *out is freed with reproject_free(). */
int reproject_new(OGRSpatialReferenceH src, struct reproject **out, struct err *err) WARN_UNUSED;
void reproject_free(struct reproject *rp); /* NULL is fine */

/* A short name of the source CRS for reports: "EPSG:24047" when it has or matches an
 * EPSG code, otherwise its name. Borrowed; lives as long as rp. */
const char *reproject_source_name(const struct reproject *rp);
bool reproject_is_identity(const struct reproject *rp);

/* Transforms every coordinate of g in place. Fails with ERR_INVALID when PROJ cannot
 * transform a point (outside the CRS's domain). */
int reproject_geometry(struct reproject *rp, OGRGeometryH g, struct err *err) WARN_UNUSED;

/* Parses a user CRS ("EPSG:32647", WKT, PROJ string) into a new OGR SRS with traditional
 * GIS axis order. ERR_INVALID names the text when it is not a CRS. */
int reproject_parse_crs(const char *text, OGRSpatialReferenceH *out, struct err *err) WARN_UNUSED;

#endif
