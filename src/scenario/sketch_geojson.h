/* sketch_geojson.h - participants' sketches as they arrive over HTTP or in a scenarios
 * file: a GeoJSON Feature or FeatureCollection (RFC 7946) turned into store sketches.
 *
 * Accepted: geometry Point, LineString, Polygon, MultiPoint, MultiLineString or
 * MultiPolygon with [longitude, latitude] positions (finite longitudes and latitudes;
 * sketch_list_check_extent checks the city's extent); at most SKETCH_MAX_VERTICES positions per
 * feature and SKETCH_MAX_FEATURES features per request; lines of 2 or more positions; polygon rings
 * closed with 4 or more. Feature members: type, geometry, properties, id (ignored: the
 * store assigns ids). Properties: kind (required, one of the scenario's sketch kinds),
 * note (<= 2000 characters), group (<= 100 characters; "group_name", the name the
 * sketch layer serves, is taken as well), and the read-only sketch_id, created_at and
 * updated_at that the layer serves (ignored, so a feature read from /items can be sent
 * back). Anything else is refused. Errors are ERR_INVALID with the JSON path, e.g.
 * "features[3].properties.kind: ...".
 *
 * Owns no state; safe from any thread. */
#ifndef CITYATLAS_SCENARIO_SKETCH_GEOJSON_H
#define CITYATLAS_SCENARIO_SKETCH_GEOJSON_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "base/err.h"
#include "scenario/scenario_doc.h"
#include "store/store_scenario.h"

#define SKETCH_MAX_FEATURES 500
#define SKETCH_MAX_VERTICES 5000
#define SKETCH_NOTE_MAX 2000 /* characters (code points) */
#define SKETCH_GROUP_MAX 100 /* characters */

struct sketch_list {
    struct store_sketch *items; /* strings borrowed from json; wkb owned */
    size_t n;
    bool is_collection; /* the input was a FeatureCollection */
    json_t *json;       /* a reference to the input, keeping the strings alive */
};

/* Parses a Feature or (when allow_collection) a FeatureCollection of 1..SKETCH_MAX_FEATURES
 * features against doc's sketch kinds. On failure *out is empty. Free with
 * sketch_list_clear. Geometry validity (self-intersections, ...) needs the database:
 * sketch_list_check_valid. */
int sketch_geojson_parse(const json_t *root, const struct scenario_doc *doc, bool allow_collection,
                         struct sketch_list *out, struct err *err) WARN_UNUSED;

/* The same from JSON text (duplicate keys refused; a syntax error names its line and
 * column). */
int sketch_geojson_parse_text(const char *text, size_t len, const struct scenario_doc *doc,
                              bool allow_collection, struct sketch_list *out,
                              struct err *err) WARN_UNUSED;

/* Checks each geometry with store_geometry_check; ERR_INVALID naming the feature, e.g.
 * "features[1].geometry: Self-intersection[100.5 13.7]". */
int sketch_list_check_valid(struct store *st, const struct sketch_list *list,
                            struct err *err) WARN_UNUSED;

/* Checks every position against a scenario's extent (min_lon, min_lat, max_lon, max_lat)
 * grown by margin (a fraction of its width and height) on each side: ERR_INVALID naming the
 * position, e.g. "features[1].geometry.coordinates[0]: longitude 99.1 is outside the
 * scenario's extent with its margin (98.9 to 99.0)". */
int sketch_list_check_scenario_extent(const struct sketch_list *list, const double extent[4],
                                      double margin, struct err *err) WARN_UNUSED;

/* Checks every position against the city's extent (no check when the city has none):
 * ERR_INVALID naming the position, e.g. "features[3].geometry.coordinates[0][2]:
 * longitude 98.9 is outside the extent of Hat Yai (100.05 to 101.15)". */
int sketch_list_check_extent(const struct sketch_list *list, const struct store_city *city,
                             struct err *err) WARN_UNUSED;

void sketch_list_clear(struct sketch_list *list); /* an empty or cleared list is fine */

#endif
