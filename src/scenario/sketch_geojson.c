/* sketch_geojson.c - GeoJSON sketches to 2D ISO WKB (little-endian) and sketch properties,
 * each error naming its JSON path. */
#include "scenario/sketch_geojson.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "scenario/scenario_path.h"
#include "base/utf8.h"

enum wkb_type {
    WKB_POINT = 1,
    WKB_LINESTRING = 2,
    WKB_POLYGON = 3,
    WKB_MULTIPOINT = 4,
    WKB_MULTILINESTRING = 5,
    WKB_MULTIPOLYGON = 6
};

struct wkb {
    unsigned char *data;
    size_t len, cap;
    size_t n_positions; /* capped by SKETCH_MAX_VERTICES */
};

static void wkb_put(struct wkb *w, const void *bytes, size_t n)
{
    if (w->len + n > w->cap) {
        w->cap = (w->len + n) * 2;
        w->data = xreallocarray(w->data, w->cap, 1);
    }
    memcpy(w->data + w->len, bytes, n);
    w->len += n;
}

/* Little-endian, as the byte-order mark 1 says; built byte by byte so that the host's
 * order does not matter. */
static void wkb_u32(struct wkb *w, uint32_t v)
{
    unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    wkb_put(w, b, 4);
}

static void wkb_f64(struct wkb *w, double d)
{
    uint64_t v;
    memcpy(&v, &d, sizeof(v));
    unsigned char b[8];
    for (int i = 0; i < 8; i++) {
        b[i] = (unsigned char)(v >> (8 * i));
    }
    wkb_put(w, b, 8);
}

static void wkb_header(struct wkb *w, enum wkb_type type)
{
    unsigned char order = 1;
    wkb_put(w, &order, 1);
    wkb_u32(w, (uint32_t)type);
}

/* Coordinates */

/* Whether v is [lon, lat] or [lon, lat, altitude] (RFC 7946 3.1.1), all numbers. The
 * altitude is accepted (GPS apps and QGIS write it) and dropped: sketches are stored 2D,
 * drawn on a flat map, and no answer reads a height. */
static bool is_position(const json_t *v)
{
    size_t n = json_array_size(v);
    for (size_t i = 0; i < n; i++) {
        if (!json_is_number(json_array_get(v, i))) {
            return false;
        }
    }
    return json_is_array(v) && (n == 2 || n == 3);
}

static int put_position(struct scenario_path *p, const json_t *v, struct wkb *w, double xy[2])
{
    if (!is_position(v)) {
        return scenario_path_fail(p, "expected a position [longitude, latitude] or [longitude, "
                                     "latitude, altitude]");
    }
    if (++w->n_positions > SKETCH_MAX_VERTICES) {
        return scenario_path_fail(p, "the feature has more than %d positions", SKETCH_MAX_VERTICES);
    }
    xy[0] = json_number_value(json_array_get(v, 0));
    xy[1] = json_number_value(json_array_get(v, 1));
    if (!isfinite(xy[0]) || xy[0] < SCENARIO_SANE_MIN_LON || xy[0] > SCENARIO_SANE_MAX_LON) {
        return scenario_path_fail(p, "longitude %g is out of range (%g to %g)", xy[0],
                                  SCENARIO_SANE_MIN_LON, SCENARIO_SANE_MAX_LON);
    }
    if (!isfinite(xy[1]) || xy[1] < SCENARIO_SANE_MIN_LAT || xy[1] > SCENARIO_SANE_MAX_LAT) {
        return scenario_path_fail(p, "latitude %g is out of range (%g to %g)", xy[1],
                                  SCENARIO_SANE_MIN_LAT, SCENARIO_SANE_MAX_LAT);
    }
    wkb_f64(w, xy[0]);
    wkb_f64(w, xy[1]);
    return ERR_OK;
}

/* A line (min_points 2) or a ring (is_ring: 4 or more, first == last): count + points. */
static int put_points(struct scenario_path *p, const json_t *v, struct wkb *w, bool is_ring)
{
    size_t min_points = is_ring ? 4 : 2;
    if (!json_is_array(v) || json_array_size(v) < min_points) {
        return scenario_path_fail(p, "expected an array of %zu or more positions%s", min_points,
                                  is_ring ? " (a closed ring)" : "");
    }
    if (json_array_size(v) > SKETCH_MAX_VERTICES) {
        return scenario_path_fail(p, "the feature has more than %d positions", SKETCH_MAX_VERTICES);
    }
    wkb_u32(w, (uint32_t)json_array_size(v));
    double first[2] = {0, 0}, xy[2] = {0, 0};
    for (size_t i = 0; i < json_array_size(v); i++) {
        size_t saved = scenario_path_index(p, i);
        int rc = put_position(p, json_array_get(v, i), w, i == 0 ? first : xy);
        if (rc != ERR_OK) {
            return rc;
        }
        scenario_path_pop(p, saved);
    }
    if (is_ring && (first[0] != xy[0] || first[1] != xy[1])) {
        return scenario_path_fail(p, "the ring is not closed (its last position must repeat "
                                     "its first)");
    }
    return ERR_OK;
}

static int put_rings(struct scenario_path *p, const json_t *v, struct wkb *w)
{
    if (!json_is_array(v) || json_array_size(v) == 0) {
        return scenario_path_fail(p, "expected an array of rings (the outer ring first)");
    }
    wkb_u32(w, (uint32_t)json_array_size(v));
    for (size_t i = 0; i < json_array_size(v); i++) {
        size_t saved = scenario_path_index(p, i);
        int rc = put_points(p, json_array_get(v, i), w, true);
        if (rc != ERR_OK) {
            return rc;
        }
        scenario_path_pop(p, saved);
    }
    return ERR_OK;
}

/* One simple geometry's body (after its header). */
static int put_simple(struct scenario_path *p, enum wkb_type type, const json_t *coords,
                      struct wkb *w)
{
    double xy[2];
    switch (type) {
    case WKB_POINT:
        return put_position(p, coords, w, xy);
    case WKB_LINESTRING:
        return put_points(p, coords, w, false);
    default:
        return put_rings(p, coords, w);
    }
}

static int put_geometry(struct scenario_path *p, const json_t *geom, struct wkb *w)
{
    static const char *const names[] = {NULL,         "Point",           "LineString",  "Polygon",
                                        "MultiPoint", "MultiLineString", "MultiPolygon"};
    static const char *const keys[] = {"type", "coordinates", NULL};
    if (!json_is_object(geom)) {
        return scenario_path_fail(p, "expected a geometry object");
    }
    int rc = scenario_path_check_keys(p, geom, keys);
    const char *type_name = json_string_value(json_object_get(geom, "type"));
    int type = 1;
    while (type <= WKB_MULTIPOLYGON && (type_name == NULL || strcmp(names[type], type_name) != 0)) {
        type++;
    }
    if (rc == ERR_OK && type > WKB_MULTIPOLYGON) {
        size_t saved = scenario_path_key(p, "type");
        rc = scenario_path_fail(p, "expected Point, LineString, Polygon, MultiPoint, "
                                   "MultiLineString or MultiPolygon");
        scenario_path_pop(p, saved);
    }
    if (rc != ERR_OK) {
        return rc;
    }
    const json_t *coords = json_object_get(geom, "coordinates");
    size_t saved = scenario_path_key(p, "coordinates");
    wkb_header(w, (enum wkb_type)type);
    if (type <= WKB_POLYGON) {
        rc = put_simple(p, (enum wkb_type)type, coords, w);
    } else if (!json_is_array(coords) || json_array_size(coords) == 0) {
        rc = scenario_path_fail(p, "expected a non-empty array of parts");
    } else {
        wkb_u32(w, (uint32_t)json_array_size(coords));
        for (size_t i = 0; rc == ERR_OK && i < json_array_size(coords); i++) {
            size_t at = scenario_path_index(p, i);
            wkb_header(w, (enum wkb_type)(type - 3));
            rc = put_simple(p, (enum wkb_type)(type - 3), json_array_get(coords, i), w);
            if (rc == ERR_OK) {
                scenario_path_pop(p, at);
            }
        }
    }
    if (rc == ERR_OK) {
        scenario_path_pop(p, saved);
    }
    return rc;
}

/* Properties */

static int check_optional_text(struct scenario_path *p, const json_t *props, const char *key,
                               size_t max, const char **out)
{
    const json_t *v = json_object_get(props, key);
    if (v == NULL || json_is_null(v)) {
        return ERR_OK;
    }
    size_t saved = scenario_path_key(p, key);
    int rc = scenario_path_check_text(p, v, 0, max);
    scenario_path_pop(p, saved);
    *out = json_string_value(v);
    return rc;
}

static int check_kind(struct scenario_path *p, const json_t *props, const struct scenario_doc *doc,
                      struct store_sketch *s)
{
    size_t saved = scenario_path_key(p, "kind");
    const char *kind = json_string_value(json_object_get(props, "kind"));
    int rc = ERR_OK;
    if (kind == NULL) {
        rc = scenario_path_fail(p, "required: one of the scenario's sketch kinds");
    } else if (scenario_doc_kind(doc, kind) == NULL) {
        char list[200] = "";
        for (size_t i = 0; i < doc->n_kinds; i++) {
            strncat(list, i > 0 ? ", " : "", sizeof(list) - strlen(list) - 1);
            strncat(list, doc->kinds[i].id, sizeof(list) - strlen(list) - 1);
        }
        rc = scenario_path_fail(p, "'%s' is not a sketch kind of this scenario (%s)",
                                utf8_excerpt(kind, 60).text, list);
    }
    scenario_path_pop(p, saved);
    s->kind = kind;
    return rc;
}

static int put_properties(struct scenario_path *p, const json_t *props,
                          const struct scenario_doc *doc, struct store_sketch *s)
{
    /* The read-only members the workshop views add are taken and ignored as well. */
    static const char *const keys[] = {"kind",       "note",       "group",          "group_name",
                                       "sketch_id",  "created_at", "updated_at",     "created_by",
                                       "updated_by", "version",    "participant_id", "status",
                                       NULL};
    if (!json_is_object(props)) {
        return scenario_path_fail(p, "expected an object with at least \"kind\"");
    }
    int rc = scenario_path_check_keys(p, props, keys);
    if (rc == ERR_OK) {
        rc = check_kind(p, props, doc, s);
    }
    if (rc == ERR_OK) {
        rc = check_optional_text(p, props, "note", SKETCH_NOTE_MAX, &s->note);
    }
    if (rc == ERR_OK && json_object_get(props, "group") != NULL &&
        json_object_get(props, "group_name") != NULL) {
        rc = scenario_path_fail(p, "give \"group\" or \"group_name\", not both");
    }
    if (rc == ERR_OK) {
        rc = check_optional_text(p, props, "group", SKETCH_GROUP_MAX, &s->group_name);
    }
    if (rc == ERR_OK) {
        rc = check_optional_text(p, props, "group_name", SKETCH_GROUP_MAX, &s->group_name);
    }
    return rc;
}

/* Features */

static int put_feature(struct scenario_path *p, const json_t *f, const struct scenario_doc *doc,
                       struct store_sketch *s)
{
    static const char *const keys[] = {"type", "geometry", "properties", "id", NULL};
    if (!json_is_object(f)) {
        return scenario_path_fail(p, "expected a Feature object");
    }
    int rc = scenario_path_check_keys(p, f, keys);
    const char *type = json_string_value(json_object_get(f, "type"));
    if (rc == ERR_OK && (type == NULL || strcmp(type, "Feature") != 0)) {
        size_t saved = scenario_path_key(p, "type");
        rc = scenario_path_fail(p, "expected \"Feature\"");
        scenario_path_pop(p, saved);
    }
    struct wkb w = {0};
    size_t saved = scenario_path_key(p, "geometry");
    if (rc == ERR_OK) {
        rc = put_geometry(p, json_object_get(f, "geometry"), &w);
    }
    scenario_path_pop(p, saved);
    saved = scenario_path_key(p, "properties");
    if (rc == ERR_OK) {
        rc = put_properties(p, json_object_get(f, "properties"), doc, s);
    }
    scenario_path_pop(p, saved);
    if (rc != ERR_OK) {
        free(w.data);
        return rc;
    }
    s->wkb = w.data;
    s->wkb_len = w.len;
    return ERR_OK;
}

static int parse_collection(struct scenario_path *p, const json_t *root,
                            const struct scenario_doc *doc, struct sketch_list *out)
{
    static const char *const keys[] = {"type", "features", NULL};
    int rc = scenario_path_check_keys(p, root, keys);
    const json_t *features = json_object_get(root, "features");
    size_t saved = scenario_path_key(p, "features");
    if (rc == ERR_OK && (!json_is_array(features) || json_array_size(features) == 0 ||
                         json_array_size(features) > SKETCH_MAX_FEATURES)) {
        rc = scenario_path_fail(p, "expected an array of 1 to %d features", SKETCH_MAX_FEATURES);
    }
    if (rc != ERR_OK) {
        return rc;
    }
    out->items = xcalloc(json_array_size(features), sizeof(*out->items));
    for (size_t i = 0; rc == ERR_OK && i < json_array_size(features); i++) {
        size_t at = scenario_path_index(p, i);
        rc = put_feature(p, json_array_get(features, i), doc, &out->items[i]);
        if (rc == ERR_OK) {
            out->n++;
            scenario_path_pop(p, at);
        }
    }
    scenario_path_pop(p, saved);
    return rc;
}

int sketch_geojson_parse(const json_t *root, const struct scenario_doc *doc, bool allow_collection,
                         struct sketch_list *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    struct scenario_path p = {.err = err};
    const char *type = json_string_value(json_object_get(root, "type"));
    int rc = ERR_OK;
    if (!json_is_object(root) || type == NULL) {
        rc = scenario_path_fail(&p, "expected a GeoJSON Feature%s",
                                allow_collection ? " or FeatureCollection" : "");
    } else if (allow_collection && strcmp(type, "FeatureCollection") == 0) {
        out->is_collection = true;
        rc = parse_collection(&p, root, doc, out);
    } else if (strcmp(type, "Feature") == 0) {
        out->items = xcalloc(1, sizeof(*out->items));
        rc = put_feature(&p, root, doc, &out->items[0]);
        out->n = rc == ERR_OK ? 1 : 0;
    } else {
        scenario_path_key(&p, "type");
        rc = scenario_path_fail(&p, "expected \"Feature\"%s",
                                allow_collection ? " or \"FeatureCollection\"" : "");
    }
    if (rc != ERR_OK) {
        sketch_list_clear(out);
        return rc;
    }
    out->json = json_incref((json_t *)root);
    return ERR_OK;
}

int sketch_geojson_parse_text(const char *text, size_t len, const struct scenario_doc *doc,
                              bool allow_collection, struct sketch_list *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    json_error_t jerr;
    size_t bom = utf8_bom_len(text, len);
    json_t *root = json_loadb(text + bom, len - bom, JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL) {
        return err_set(err, ERR_INVALID, "not JSON: line %d column %d: %s", jerr.line, jerr.column,
                       jerr.text);
    }
    int rc = sketch_geojson_parse(root, doc, allow_collection, out, err);
    json_decref(root);
    return rc;
}

/* Checks one position (longitude, latitude) against what ctx describes; on failure sets
 * p->err naming p's path and returns its code. */
typedef int (*position_check_fn)(struct scenario_path *p, const double pos[2], const void *ctx);

/* Walks nested coordinate arrays; a position is an array whose first member is a number. */
static int walk_coords(struct scenario_path *p, const json_t *v, position_check_fn check,
                       const void *ctx)
{
    if (json_is_number(json_array_get(v, 0))) {
        double pos[2] = {json_number_value(json_array_get(v, 0)),
                         json_number_value(json_array_get(v, 1))};
        return check(p, pos, ctx);
    }
    for (size_t i = 0; i < json_array_size(v); i++) {
        size_t saved = scenario_path_index(p, i);
        int rc = walk_coords(p, json_array_get(v, i), check, ctx);
        if (rc != ERR_OK) {
            return rc;
        }
        scenario_path_pop(p, saved);
    }
    return ERR_OK;
}

/* Every position of every feature of list, through check, with the JSON path of a failure. */
static int check_positions(const struct sketch_list *list, position_check_fn check, const void *ctx,
                           struct err *err)
{
    struct scenario_path p = {.err = err};
    for (size_t i = 0; i < list->n; i++) {
        const json_t *feature = list->json;
        size_t saved = p.len;
        if (list->is_collection) {
            feature = json_array_get(json_object_get(list->json, "features"), i);
            scenario_path_key(&p, "features");
            scenario_path_index(&p, i);
        }
        scenario_path_key(&p, "geometry");
        scenario_path_key(&p, "coordinates");
        int rc = walk_coords(
            &p, json_object_get(json_object_get(feature, "geometry"), "coordinates"), check, ctx);
        if (rc != ERR_OK) {
            return rc;
        }
        scenario_path_pop(&p, saved);
    }
    return ERR_OK;
}

static int inside_city(struct scenario_path *p, const double pos[2], const void *ctx)
{
    for (size_t i = 0; i < 2; i++) {
        if (scenario_city_check(ctx, i == 0, pos[i], p->text, p->err) != ERR_OK) {
            return ERR_INVALID;
        }
    }
    return ERR_OK;
}

int sketch_list_check_extent(const struct sketch_list *list, const struct store_city *city,
                             struct err *err)
{
    return check_positions(list, inside_city, city, err);
}

/* ctx: the box {west, south, east, north} of the scenario's extent with its margin. */
static int inside_box(struct scenario_path *p, const double pos[2], const void *ctx)
{
    const double *box = ctx;
    for (size_t i = 0; i < 2; i++) {
        if (pos[i] < box[i] || pos[i] > box[i + 2]) {
            return scenario_path_fail(
                p, "%s %.6g is outside the scenario's extent with its margin (%.6g to %.6g)",
                i == 0 ? "longitude" : "latitude", pos[i], box[i], box[i + 2]);
        }
    }
    return ERR_OK;
}

int sketch_list_check_scenario_extent(const struct sketch_list *list, const double extent[4],
                                      double margin, struct err *err)
{
    double dx = (extent[2] - extent[0]) * margin, dy = (extent[3] - extent[1]) * margin;
    double box[4] = {extent[0] - dx, extent[1] - dy, extent[2] + dx, extent[3] + dy};
    return check_positions(list, inside_box, box, err);
}

int sketch_list_check_valid(struct store *st, const struct sketch_list *list, struct err *err)
{
    for (size_t i = 0; i < list->n; i++) {
        int rc = store_geometry_check(st, list->items[i].wkb, list->items[i].wkb_len, err);
        if (rc != ERR_OK) {
            return list->is_collection ? err_prefix(err, "features[%zu].geometry", i)
                                       : err_prefix(err, "geometry");
        }
    }
    return ERR_OK;
}

void sketch_list_clear(struct sketch_list *list)
{
    for (size_t i = 0; list->items != NULL && i < list->n; i++) {
        free((unsigned char *)list->items[i].wkb);
    }
    free(list->items);
    json_decref(list->json);
    memset(list, 0, sizeof(*list));
}
