/* store_layer.c - one catalog entry (struct store_layer): finding a field by name, and
 * freeing what the registry reader (store_catalog.c) and the shape views
 * (store_shape_views.c) fill in. Apart from store_catalog.c because the shape views make
 * entries too, and store_catalog.c calls them. */
#include "store/store_read.h"

#include <stdlib.h>
#include <string.h>

#include "store/store_read_int.h"

long store_layer_field_index(const struct store_layer *layer, const char *name)
{
    for (size_t i = 0; i < layer->n_fields; i++) {
        if (strcmp(layer->fields[i].name, name) == 0) {
            return (long)i;
        }
    }
    return -1;
}

void store_layer_clear(struct store_layer *layer)
{
    char *strings[] = {layer->id,
                       layer->table_name,
                       layer->title_en,
                       layer->title_th,
                       layer->description_en,
                       layer->description_th,
                       layer->theme,
                       layer->source,
                       layer->source_url,
                       layer->license,
                       layer->attribution,
                       layer->name_column,
                       layer->geometry_type,
                       layer->source_crs,
                       layer->imported_at};
    for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++) {
        free(strings[i]);
    }
    for (size_t i = 0; i < layer->n_fields; i++) {
        free(layer->fields[i].name);
        free(layer->fields[i].source_type);
    }
    free(layer->fields);
    free(layer->shape_of);
}
