/* style_default.c - the style a layer gets when it has no (valid) style file: one look
 * per geometry type, in the same format as the files so the web map and the renderer
 * need no second code path. Colours are from the Okabe-Ito palette (blue #0072B2 and
 * vermillion #D55E00 on a light base), as in the bundled styles. */
#include "styles/style_set.h"

#include <string.h>

enum geom_family { GEOM_POINT = 1, GEOM_LINE = 2, GEOM_POLYGON = 4 };

/* "POINT", "MULTIPOINT", "LINESTRING", "MULTIPOLYGON", ...: which families to draw. */
static unsigned families_of(const char *geometry_type)
{
    const char *t = strncmp(geometry_type, "MULTI", 5) == 0 ? geometry_type + 5 : geometry_type;
    if (strcmp(t, "POINT") == 0) {
        return GEOM_POINT;
    }
    if (strcmp(t, "LINESTRING") == 0) {
        return GEOM_LINE;
    }
    if (strcmp(t, "POLYGON") == 0) {
        return GEOM_POLYGON;
    }
    return GEOM_POINT | GEOM_LINE | GEOM_POLYGON;
}

static json_t *point_layer(void)
{
    return json_pack("{s:s, s:s, s:{s:s, s:f, s:s, s:f}}", "id", "points", "type", "circle",
                     "paint", "circle-color", "#D55E00", "circle-radius", 4.0,
                     "circle-stroke-color", "#ffffff", "circle-stroke-width", 1.0);
}

static json_t *line_layer(const char *id, const char *color, double width)
{
    return json_pack("{s:s, s:s, s:{s:s, s:f}, s:{s:s, s:s}}", "id", id, "type", "line", "paint",
                     "line-color", color, "line-width", width, "layout", "line-cap", "round",
                     "line-join", "round");
}

static json_t *fill_layer(void)
{
    return json_pack("{s:s, s:s, s:{s:s, s:f}}", "id", "fill", "type", "fill", "paint",
                     "fill-color", "#0072B2", "fill-opacity", 0.12);
}

/* Labels from the name column, from zoom 13, where they stop crowding each other. */
static json_t *label_layer(const char *name_column)
{
    return json_pack("{s:s, s:s, s:f, s:{s:[s,s], s:f}, s:{s:s, s:s, s:f}}", "id", "labels", "type",
                     "symbol", "minzoom", 13.0, "layout", "text-field", "get", name_column,
                     "text-size", 12.0, "paint", "text-color", "#222222", "text-halo-color",
                     "#ffffff", "text-halo-width", 1.5);
}

json_t *style_default(const char *layer_id, const char *geometry_type, const char *name_column)
{
    if (geometry_type == NULL) {
        return NULL;
    }
    unsigned families = families_of(geometry_type);
    json_t *layers = json_array();
    if (families & GEOM_POLYGON) {
        json_array_append_new(layers, fill_layer());
        json_array_append_new(layers, line_layer("outline", "#0072B2", 1.0));
    }
    if (families & GEOM_LINE) {
        json_array_append_new(layers, line_layer("lines", "#555555", 1.5));
    }
    if (families & GEOM_POINT) {
        json_array_append_new(layers, point_layer());
    }
    if (name_column != NULL && *name_column != '\0') {
        json_array_append_new(layers, label_layer(name_column));
    }
    json_t *doc =
        json_pack("{s:i, s:s, s:{s:s, s:b}, s:o}", "version", 8, "name", layer_id, "metadata",
                  "cityatlas:layer", layer_id, "cityatlas:default", 1, "layers", layers);
    return doc;
}
