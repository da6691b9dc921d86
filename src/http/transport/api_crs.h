/* api_crs.h - the coordinate reference systems the API offers (crs=, bbox-crs=) and how
 * their names are read. Apart from api_common.h, so that the route table's checker
 * (route.c), which refuses an unknown CRS, needs nothing else of the handlers' helpers. */
#ifndef CITYATLAS_HTTP_API_CRS_H
#define CITYATLAS_HTTP_API_CRS_H

#include <stdbool.h>
#include <stddef.h>

/* Coordinate reference systems offered for output (crs=) and for bbox-crs. */
struct api_crs {
    const char *uri; /* OGC URI, e.g. "http://www.opengis.net/def/crs/EPSG/0/32647" */
    int srid;        /* SpatiaLite SRID used to transform */
    bool is_lat_lon; /* EPSG:4326 is latitude first; CRS84 is longitude first */
    int precision;   /* default decimals: degrees 7 (about 1 cm), metres 2 */
    const char *label;
};

#define API_CRS84 "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
extern const struct api_crs api_crs_list[];
extern const size_t api_n_crs;

/* The CRS named by uri (also accepted: "EPSG:n", "CRS84", "OGC:CRS84", and
 * "[EPSG:n]"-style safe CURIEs), or NULL. */
const struct api_crs *api_crs_find(const char *uri);

#endif
