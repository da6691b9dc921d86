/* api_basemap.c - what the base map ("/tiles") holds, read from the city profile of the
 * catalog (never from code): each layer's kind, the zooms it is drawn and labelled from,
 * its name fields and, for roads, the class field and its ranking (see api_tiles_int.h).
 *
 * With "base_map" in the profile, its layers in its order. Without it, the profile's
 * default layers, boundaries and gazetteer layers, ordered by kind (landuse, water,
 * boundaries, roads, places: what lies under what); their kind from where the profile
 * lists them (boundaries, gazetteer) or the dataset's theme and geometry. A database
 * without a profile offers every layer with geometry. */
#include "http/handlers/api_tiles_int.h"

#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "config/catalog.h"

/* Default zooms: a coarse boundary level is drawn from zoom 0 and each finer one from
 * BOUNDARY_STEP zooms later; boundary labels from BOUNDARY_LABEL_ZOOM, again a step later
 * for each finer level; places from PLACE_ZOOM, one zoom later for each further
 * gazetteer layer (the catalog lists the most telling first); roads and landuse from
 * DETAIL_ZOOM, where a city's streets separate. */
#define BOUNDARY_STEP 2
#define BOUNDARY_LABEL_ZOOM 8
#define BOUNDARY_LABEL_STEP 3
#define PLACE_ZOOM 13
#define PLACE_MAX_ZOOM 16
#define DETAIL_ZOOM 12
#define NO_LABELS 99

static const char *known_kind(const char *kind)
{
    for (size_t i = 0; kind != NULL && catalog_base_map_kinds[i] != NULL; i++) {
        if (strcmp(kind, catalog_base_map_kinds[i]) == 0) {
            return catalog_base_map_kinds[i];
        }
    }
    return NULL;
}

static size_t kind_order(const char *kind)
{
    size_t i = 0;
    while (catalog_base_map_kinds[i] != NULL && strcmp(catalog_base_map_kinds[i], kind) != 0) {
        i++;
    }
    return i;
}

/* The index of the profile's entry naming layer id in list (boundaries, gazetteer), or
 * -1. */
static long listed_at(json_t *list, const char *id)
{
    size_t i;
    json_t *item;
    json_array_foreach(list, i, item)
    {
        const char *layer = json_string_value(json_object_get(item, "layer"));
        if (layer != NULL && strcmp(layer, id) == 0) {
            return (long)i;
        }
    }
    return -1;
}

static bool has_text_field(const struct store_layer *layer, const char *name)
{
    long i = name != NULL ? store_layer_field_index(layer, name) : -1;
    return i >= 0 && layer->fields[i].type == STORE_TEXT;
}

/* A kind for a layer the profile does not give one: from where it is listed, else its
 * theme and geometry. */
static const char *derived_kind(const struct store_layer *layer, long boundary, long place)
{
    bool is_point = strstr(layer->geometry_type, "POINT") != NULL;
    bool is_polygon = strstr(layer->geometry_type, "POLYGON") != NULL;
    if (boundary >= 0) {
        return "boundary";
    }
    if (place >= 0 || is_point) {
        return "place";
    }
    const char *theme = layer->theme != NULL ? layer->theme : "";
    if (strcmp(theme, "transport") == 0) {
        return "road";
    }
    if (strcmp(theme, "environment") == 0) {
        return "water";
    }
    return is_polygon ? "landuse" : "other";
}

/* Fills b for layer from the profile's lists and the optional base_map entry. */
static void describe(struct api_base_layer *b, const struct store_layer *layer, json_t *city,
                     json_t *entry)
{
    json_t *boundaries = json_object_get(city, "boundaries");
    json_t *gazetteer = json_object_get(city, "gazetteer");
    long boundary = listed_at(boundaries, layer->id), place = listed_at(gazetteer, layer->id);
    json_t *named = boundary >= 0 ? json_array_get(boundaries, (size_t)boundary)
                                  : json_array_get(gazetteer, (size_t)place);
    b->layer = layer;
    b->kind = known_kind(json_string_value(json_object_get(entry, "kind")));
    if (b->kind == NULL) {
        b->kind = derived_kind(layer, boundary, place);
    }
    const char *name = json_string_value(json_object_get(named, "name_field"));
    const char *name_en = json_string_value(json_object_get(named, "name_field_en"));
    b->name_field = has_text_field(layer, name)                 ? name
                    : has_text_field(layer, layer->name_column) ? layer->name_column
                                                                : NULL;
    b->name_field_en = has_text_field(layer, name_en) ? name_en : NULL;
    int min_zoom = 0, label_zoom = NO_LABELS;
    if (strcmp(b->kind, "boundary") == 0 && boundary >= 0) {
        min_zoom = (int)boundary * BOUNDARY_STEP;
        label_zoom = BOUNDARY_LABEL_ZOOM + (int)boundary * BOUNDARY_LABEL_STEP;
    } else if (strcmp(b->kind, "place") == 0) {
        min_zoom = PLACE_ZOOM + (int)(place > 0 ? place : 0);
        min_zoom = min_zoom > PLACE_MAX_ZOOM ? PLACE_MAX_ZOOM : min_zoom;
        label_zoom = min_zoom;
    } else if (strcmp(b->kind, "road") == 0 || strcmp(b->kind, "landuse") == 0) {
        min_zoom = DETAIL_ZOOM;
    }
    json_t *z = json_object_get(entry, "min_zoom");
    b->min_zoom = json_is_number(z) ? (int)json_number_value(z) : min_zoom;
    z = json_object_get(entry, "label_min_zoom");
    b->label_min_zoom = json_is_number(z) ? (int)json_number_value(z) : label_zoom;
    if (b->name_field == NULL) {
        b->label_min_zoom = NO_LABELS;
    }
    b->label_points = b->label_min_zoom != NO_LABELS && strstr(layer->geometry_type, "POLYGON");
    const char *class_field = json_string_value(json_object_get(entry, "class_field"));
    json_t *classes = json_object_get(entry, "classes");
    if (has_text_field(layer, class_field) && json_array_size(classes) > 0) {
        b->class_field = class_field;
        b->n_classes = json_array_size(classes);
        b->classes = xcalloc(b->n_classes + 1, sizeof(char *));
        for (size_t i = 0; i < b->n_classes; i++) {
            b->classes[i] = json_string_value(json_array_get(classes, i));
        }
    }
    /* Label priority: finer boundaries first (tambon over districts), then the gazetteer
     * in its order, then anything else named. */
    long n_boundaries = (long)json_array_size(boundaries);
    b->label_priority = boundary >= 0 ? (int)(n_boundaries - 1 - boundary)
                        : place >= 0  ? (int)(n_boundaries + place)
                                      : (int)(n_boundaries + (long)json_array_size(gazetteer));
}

static bool already(const struct api_tileset *ts, const struct store_layer *layer)
{
    for (size_t i = 0; i < ts->n; i++) {
        if (ts->layers[i] == layer) {
            return true;
        }
    }
    return false;
}

static void add(struct api_tileset *ts, struct store_read *rd, const char *id, json_t *city,
                json_t *entry)
{
    const struct store_layer *layer = id != NULL ? store_read_layer(rd, id) : NULL;
    if (layer == NULL || layer->geometry_type == NULL || already(ts, layer)) {
        return;
    }
    describe(&ts->base[ts->n], layer, city, entry);
    ts->layers[ts->n++] = layer;
}

static int by_kind(const void *a, const void *b)
{
    const struct api_base_layer *x = a, *y = b;
    size_t kx = kind_order(x->kind), ky = kind_order(y->kind);
    if (kx != ky) {
        return kx < ky ? -1 : 1;
    }
    return x->order < y->order ? -1 : (x->order > y->order);
}

void api_basemap_open(struct store_read *rd, struct api_tileset *ts)
{
    const struct store_catalog *cat = store_read_catalog(rd);
    ts->city = json_loads(cat->city->json, 0, NULL);
    ts->layers = xcalloc(cat->n_layers + 1, sizeof(*ts->layers));
    ts->base = xcalloc(cat->n_layers + 1, sizeof(*ts->base));
    json_t *city = ts->city;
    size_t i;
    json_t *item;
    json_t *explicit = json_object_get(city, "base_map");
    if (json_is_array(explicit)) {
        json_array_foreach(explicit, i, item)
        {
            add(ts, rd, json_string_value(json_object_get(item, "layer")), city, item);
        }
        return;
    }
    json_array_foreach(json_object_get(city, "default_layers"), i, item)
    {
        add(ts, rd, json_string_value(item), city, NULL);
    }
    static const char *const lists[] = {"boundaries", "gazetteer"};
    for (size_t k = 0; k < 2; k++) {
        json_array_foreach(json_object_get(city, lists[k]), i, item)
        {
            add(ts, rd, json_string_value(json_object_get(item, "layer")), city, NULL);
        }
    }
    if (json_object_size(city) == 0) {
        for (i = 0; i < cat->n_layers; i++) {
            add(ts, rd, cat->layers[i].id, city, NULL);
        }
    }
    /* What lies under what: the kinds in their vocabulary's order, stable within one. */
    for (i = 0; i < ts->n; i++) {
        ts->base[i].order = i;
    }
    qsort(ts->base, ts->n, sizeof(*ts->base), by_kind);
    for (i = 0; i < ts->n; i++) {
        ts->layers[i] = ts->base[i].layer;
    }
}

size_t *api_basemap_fields(const struct api_base_layer *b, int z, size_t *n)
{
    const char *names[] = {z >= b->label_min_zoom ? b->name_field : NULL,
                           z >= b->label_min_zoom ? b->name_field_en : NULL, b->class_field};
    size_t *fields = xcalloc(4, sizeof(size_t));
    *n = 0;
    for (size_t i = 0; i < 3; i++) {
        long at = names[i] != NULL ? store_layer_field_index(b->layer, names[i]) : -1;
        if (at >= 0) {
            fields[(*n)++] = (size_t)at;
        }
    }
    return fields;
}

void api_basemap_clear(struct api_tileset *ts)
{
    for (size_t i = 0; ts->base != NULL && i < ts->n; i++) {
        free(ts->base[i].classes);
    }
    free(ts->base);
    json_decref(ts->city);
}
