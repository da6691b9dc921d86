/* style_load.c - reading a style file and checking its document and layers against the
 * subset; expressions are checked in style_expr_check.c. */
#include "styles/style_load.h"

#include <errno.h>
#include <float.h>
#include <string.h>
#include <sys/stat.h>

#include "styles/style_int.h"

#define STYLE_MAX_ZOOM 24

enum prop_kind { PROP_COLOR, PROP_NUMBER, PROP_STRING, PROP_DASHES, PROP_ENUM };

struct style_prop {
    const char *name;
    const char *layer_type; /* the layer type it belongs to; NULL: every type */
    enum prop_kind kind;
    double min, max;            /* numbers */
    const char *const *choices; /* PROP_ENUM: NULL-terminated */
};

static const char *const visibility_choices[] = {"visible", "none", NULL};
static const char *const cap_choices[] = {"butt", "round", "square", NULL};
static const char *const join_choices[] = {"bevel", "round", "miter", NULL};

static const struct style_prop paint_props[] = {
    {"fill-color", "fill", PROP_COLOR, 0, 0, NULL},
    {"fill-opacity", "fill", PROP_NUMBER, 0, 1, NULL},
    {"fill-outline-color", "fill", PROP_COLOR, 0, 0, NULL},
    {"line-color", "line", PROP_COLOR, 0, 0, NULL},
    {"line-width", "line", PROP_NUMBER, 0, 100, NULL},
    {"line-opacity", "line", PROP_NUMBER, 0, 1, NULL},
    {"line-dasharray", "line", PROP_DASHES, 0, 100, NULL},
    {"circle-color", "circle", PROP_COLOR, 0, 0, NULL},
    {"circle-radius", "circle", PROP_NUMBER, 0, 100, NULL},
    {"circle-opacity", "circle", PROP_NUMBER, 0, 1, NULL},
    {"circle-stroke-color", "circle", PROP_COLOR, 0, 0, NULL},
    {"circle-stroke-width", "circle", PROP_NUMBER, 0, 100, NULL},
    {"text-color", "symbol", PROP_COLOR, 0, 0, NULL},
    {"text-halo-color", "symbol", PROP_COLOR, 0, 0, NULL},
    {"text-halo-width", "symbol", PROP_NUMBER, 0, 20, NULL},
    {NULL, NULL, PROP_NUMBER, 0, 0, NULL},
};

static const struct style_prop layout_props[] = {
    {"text-field", "symbol", PROP_STRING, 0, 0, NULL},
    {"text-size", "symbol", PROP_NUMBER, 1, 200, NULL},
    {"visibility", NULL, PROP_ENUM, 0, 0, visibility_choices},
    {"line-cap", "line", PROP_ENUM, 0, 0, cap_choices},
    {"line-join", "line", PROP_ENUM, 0, 0, join_choices},
    {NULL, NULL, PROP_NUMBER, 0, 0, NULL},
};

static int check_enum(struct style_check_ctx *c, const json_t *v, const char *const *choices)
{
    for (size_t i = 0; json_is_string(v) && choices[i] != NULL; i++) {
        if (strcmp(json_string_value(v), choices[i]) == 0) {
            return ERR_OK;
        }
    }
    char list[128] = "";
    for (size_t i = 0; choices[i] != NULL; i++) {
        strncat(list, i > 0 ? ", " : "", sizeof(list) - strlen(list) - 1);
        strncat(list, choices[i], sizeof(list) - strlen(list) - 1);
    }
    return style_fail(c, "expected one of: %s (a literal, not an expression)", list);
}

/* line-dasharray: a literal array of dash and gap lengths, in line widths. */
static int check_dashes(struct style_check_ctx *c, const json_t *v, double max)
{
    if (!json_is_array(v) || json_array_size(v) == 0 || json_array_size(v) > 16) {
        return style_fail(c, "expected an array of 1 to 16 dash and gap lengths");
    }
    size_t i;
    const json_t *item;
    json_array_foreach(v, i, item)
    {
        if (!json_is_number(item) || json_number_value(item) < 0 || json_number_value(item) > max) {
            style_path_index(c, i);
            return style_fail(c, "expected a length from 0 to %g", max);
        }
    }
    return ERR_OK;
}

static int check_prop_value(struct style_check_ctx *c, const struct style_prop *p, const json_t *v)
{
    switch (p->kind) {
    case PROP_COLOR:
        return style_check_value(c, v, STYLE_VALUE_COLOR, 0, 0);
    case PROP_NUMBER:
        return style_check_value(c, v, STYLE_VALUE_NUMBER, p->min, p->max);
    case PROP_STRING:
        return style_check_value(c, v, STYLE_VALUE_STRING, 0, 0);
    case PROP_DASHES:
        return check_dashes(c, v, p->max);
    case PROP_ENUM:
        return check_enum(c, v, p->choices);
    }
    return style_fail(c, "unknown property kind");
}

/* The "paint" or "layout" object of a layer of type `type`. */
static int check_props(struct style_check_ctx *c, const json_t *obj, const struct style_prop *table,
                       const char *type)
{
    if (!json_is_object(obj)) {
        return style_fail(c, "expected an object");
    }
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)obj, key, v)
    {
        size_t saved = style_path_key(c, key);
        const struct style_prop *p = table;
        while (p->name != NULL && strcmp(p->name, key) != 0) {
            p++;
        }
        if (p->name == NULL) {
            return style_fail(c,
                              "unsupported property (styles/README.md lists the supported ones)");
        }
        if (p->layer_type != NULL && strcmp(p->layer_type, type) != 0) {
            return style_fail(c, "belongs to %s layers, not %s layers", p->layer_type, type);
        }
        int rc = check_prop_value(c, p, v);
        if (rc != ERR_OK) {
            return rc;
        }
        style_path_pop(c, saved);
    }
    return ERR_OK;
}

static int check_zoom(struct style_check_ctx *c, const json_t *layer, const char *key)
{
    const json_t *v = json_object_get(layer, key);
    if (v == NULL) {
        return ERR_OK;
    }
    size_t saved = style_path_key(c, key);
    if (!json_is_number(v) || json_number_value(v) < 0 || json_number_value(v) > STYLE_MAX_ZOOM) {
        return style_fail(c, "expected a zoom level from 0 to %d", STYLE_MAX_ZOOM);
    }
    style_path_pop(c, saved);
    return ERR_OK;
}

static int check_layer_keys(struct style_check_ctx *c, const json_t *layer)
{
    static const char *const known[] = {"id",     "type",  "minzoom", "maxzoom",
                                        "filter", "paint", "layout",  NULL};
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)layer, key, v)
    {
        size_t i = 0;
        while (known[i] != NULL && strcmp(known[i], key) != 0) {
            i++;
        }
        if (known[i] == NULL) {
            style_path_key(c, key);
            return strcmp(key, "source") == 0 || strcmp(key, "source-layer") == 0
                       ? style_fail(c, "not supported: the source is implied (the features of "
                                       "the layer the file is named after)")
                       : style_fail(c, "unsupported key");
        }
    }
    return ERR_OK;
}

/* Checks layer.key when present: paint or layout properties from table, or a filter. */
static int check_member(struct style_check_ctx *c, const json_t *layer, const char *key,
                        const struct style_prop *table, const char *type)
{
    const json_t *v = json_object_get(layer, key);
    if (v == NULL) {
        return ERR_OK;
    }
    size_t saved = style_path_key(c, key);
    int rc = table != NULL ? check_props(c, v, table, type) : style_check_filter(c, v);
    if (rc == ERR_OK) {
        style_path_pop(c, saved);
    }
    return rc;
}

static int check_layer_type(struct style_check_ctx *c, const json_t *layer, const char **type)
{
    static const char *const types[] = {"fill", "line", "circle", "symbol", NULL};
    const char *t = json_string_value(json_object_get(layer, "type"));
    for (size_t i = 0; t != NULL && types[i] != NULL; i++) {
        if (strcmp(t, types[i]) == 0) {
            *type = t;
            return ERR_OK;
        }
    }
    style_path_key(c, "type");
    return style_fail(c, "expected one of: fill, line, circle, symbol");
}

static int check_layer(struct style_check_ctx *c, const json_t *layer)
{
    if (!json_is_object(layer)) {
        return style_fail(c, "expected a layer object");
    }
    const char *id = json_string_value(json_object_get(layer, "id"));
    const char *type = NULL;
    int rc = check_layer_keys(c, layer);
    if (rc == ERR_OK && (id == NULL || *id == '\0')) {
        style_path_key(c, "id");
        rc = style_fail(c, "expected a non-empty string");
    }
    if (rc == ERR_OK) {
        rc = check_layer_type(c, layer, &type);
    }
    if (rc == ERR_OK) {
        rc = check_zoom(c, layer, "minzoom");
    }
    if (rc == ERR_OK) {
        rc = check_zoom(c, layer, "maxzoom");
    }
    double minzoom = json_number_value(json_object_get(layer, "minzoom"));
    const json_t *maxzoom = json_object_get(layer, "maxzoom");
    if (rc == ERR_OK && maxzoom != NULL && json_number_value(maxzoom) <= minzoom) {
        style_path_key(c, "maxzoom");
        rc = style_fail(c, "must be above minzoom");
    }
    if (rc == ERR_OK) {
        rc = check_member(c, layer, "filter", NULL, type);
    }
    if (rc == ERR_OK) {
        rc = check_member(c, layer, "paint", paint_props, type);
    }
    if (rc == ERR_OK) {
        rc = check_member(c, layer, "layout", layout_props, type);
    }
    if (rc == ERR_OK && strcmp(type, "symbol") == 0 &&
        json_object_get(json_object_get(layer, "layout"), "text-field") == NULL) {
        style_path_key(c, "layout");
        rc = style_fail(c, "a symbol layer needs a text-field (icons are not supported)");
    }
    return rc;
}

static int check_layers(struct style_check_ctx *c, const json_t *layers)
{
    size_t saved = style_path_key(c, "layers");
    if (!json_is_array(layers) || json_array_size(layers) == 0) {
        return style_fail(c, "expected a non-empty array of layers");
    }
    if (json_array_size(layers) > STYLE_MAX_LAYERS) {
        return style_fail(c, "more than %d layers", STYLE_MAX_LAYERS);
    }
    for (size_t i = 0; i < json_array_size(layers); i++) {
        size_t at = style_path_index(c, i);
        int rc = check_layer(c, json_array_get(layers, i));
        if (rc != ERR_OK) {
            return rc;
        }
        const char *id = json_string_value(json_object_get(json_array_get(layers, i), "id"));
        for (size_t j = 0; j < i; j++) {
            const json_t *other = json_array_get(layers, j);
            if (strcmp(id, json_string_value(json_object_get(other, "id"))) == 0) {
                style_path_key(c, "id");
                return style_fail(c, "\"%s\" is also the id of layers[%zu]", id, j);
            }
        }
        style_path_pop(c, at);
    }
    style_path_pop(c, saved);
    return ERR_OK;
}

/* metadata: free-form, as in MapLibre, except the two keys cityatlas reads. */
static int check_metadata(struct style_check_ctx *c, const json_t *meta)
{
    size_t saved = style_path_key(c, "metadata");
    if (!json_is_object(meta)) {
        return style_fail(c, "expected an object with \"" STYLE_META_LAYER "\"");
    }
    const char *layer = json_string_value(json_object_get(meta, STYLE_META_LAYER));
    if (layer == NULL || *layer == '\0') {
        style_path_key(c, STYLE_META_LAYER);
        return style_fail(c, "expected the id of the layer this style is for");
    }
    const json_t *legend = json_object_get(meta, STYLE_META_LEGEND);
    if (legend != NULL) {
        style_path_key(c, STYLE_META_LEGEND);
        const char *key;
        const json_t *v;
        if (!json_is_object(legend)) {
            return style_fail(c, "expected {\"th\": \"...\", \"en\": \"...\"}");
        }
        json_object_foreach((json_t *)legend, key, v)
        {
            if ((strcmp(key, "th") != 0 && strcmp(key, "en") != 0) || !json_is_string(v)) {
                style_path_key(c, key);
                return style_fail(c, "expected \"th\" or \"en\" with a string");
            }
        }
    }
    style_path_pop(c, saved);
    return ERR_OK;
}

static int check_top_keys(struct style_check_ctx *c, const json_t *doc)
{
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)doc, key, v)
    {
        if (strcmp(key, "version") != 0 && strcmp(key, "name") != 0 &&
            strcmp(key, "metadata") != 0 && strcmp(key, "layers") != 0) {
            style_path_key(c, key);
            return strcmp(key, "sources") == 0
                       ? style_fail(c, "not supported: the source is implied (the features of "
                                       "the layer the file is named after)")
                       : style_fail(c, "unsupported key (a style has version, name, metadata "
                                       "and layers)");
        }
    }
    return ERR_OK;
}

int style_check(const json_t *doc, const char *file, struct err *err)
{
    struct style_check_ctx c = {.file = file, .err = err};
    if (!json_is_object(doc)) {
        return style_fail(&c, "expected a style object");
    }
    int rc = check_top_keys(&c, doc);
    const json_t *version = json_object_get(doc, "version");
    if (rc == ERR_OK && (!json_is_integer(version) || json_integer_value(version) != 8)) {
        style_path_key(&c, "version");
        rc = style_fail(&c, "expected 8 (the MapLibre style specification's version)");
    }
    const json_t *name = json_object_get(doc, "name");
    if (rc == ERR_OK && name != NULL && !json_is_string(name)) {
        style_path_key(&c, "name");
        rc = style_fail(&c, "expected a string");
    }
    if (rc == ERR_OK) {
        rc = check_metadata(&c, json_object_get(doc, "metadata"));
    }
    if (rc == ERR_OK) {
        rc = check_layers(&c, json_object_get(doc, "layers"));
    }
    return rc;
}

int style_load_file(const char *path, json_t **out, struct err *err)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        return err_set(err, ERR_IO, "%s: %s", path, strerror(errno));
    }
    if (st.st_size > STYLE_MAX_FILE_BYTES) {
        return err_set(err, ERR_TOO_LARGE, "%s: larger than %d bytes", path, STYLE_MAX_FILE_BYTES);
    }
    json_error_t jerr;
    json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (doc == NULL) {
        return err_set(err, ERR_INVALID, "%s: line %d column %d: %s", path, jerr.line, jerr.column,
                       jerr.text);
    }
    int rc = style_check(doc, path, err);
    if (rc != ERR_OK) {
        json_decref(doc);
        return rc;
    }
    *out = doc;
    return ERR_OK;
}
