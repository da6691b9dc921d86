/* tile_fields.c - the attributes of a tile's features (see tile_fields.h). */
#include "tiles/tile_fields.h"

#include <stdbool.h>
#include <string.h>

#include "base/alloc.h"

/* Marks in used[] the fields that ["get", name] expressions in node read. */
static void mark_style_fields(const struct store_layer *layer, const json_t *node, bool *used)
{
    if (json_is_array(node)) {
        const json_t *op = json_array_get(node, 0), *name = json_array_get(node, 1);
        if (json_is_string(op) && strcmp(json_string_value(op), "get") == 0 &&
            json_is_string(name)) {
            long i = store_layer_field_index(layer, json_string_value(name));
            if (i >= 0) {
                used[i] = true;
            }
        }
        size_t k;
        const json_t *item;
        json_array_foreach(node, k, item)
        {
            mark_style_fields(layer, item, used);
        }
    } else if (json_is_object(node)) {
        const char *key;
        const json_t *value;
        json_object_foreach((json_t *)node, key, value)
        {
            mark_style_fields(layer, value, used);
        }
    }
}

size_t *tile_fields_for(const struct store_layer *layer, const json_t *style, int z, size_t *n)
{
    bool *used = xcalloc(layer->n_fields + 1, sizeof(bool));
    if (z >= TILE_ALL_FIELDS_ZOOM) {
        for (size_t i = 0; i < layer->n_fields; i++) {
            used[i] = true;
        }
    } else {
        if (layer->name_column != NULL) {
            long i = store_layer_field_index(layer, layer->name_column);
            if (i >= 0) {
                used[i] = true;
            }
        }
        if (style != NULL) {
            mark_style_fields(layer, json_object_get(style, "layers"), used);
        }
    }
    size_t *fields = xcalloc(layer->n_fields + 1, sizeof(size_t));
    *n = 0;
    for (size_t i = 0; i < layer->n_fields; i++) {
        if (used[i] && layer->fields[i].type != STORE_BLOB) {
            fields[(*n)++] = i;
        }
    }
    free(used);
    return fields;
}
