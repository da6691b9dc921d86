/* store_catalog.c - reads the layer registry into struct store_catalog, with the featured
 * statistics, once per registry generation (the server shares it between requests until
 * an import). */
#include "store/store_read.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/alloc.h"
#include "base/parse.h"
#include "store/store_place_order.h"
#include "store/store_read_int.h"

static const char catalog_sql[] =
    "SELECT id, table_name, version, title_en, title_th, description_en, description_th,"
    " theme, source, source_url, license, attribution, name_column, geometry_type, source_crs,"
    " imported_at, feature_count, min_lon, min_lat, max_lon, max_lat, fields,"
    " EXISTS (SELECT 1 FROM sqlite_master m WHERE m.type = 'table'"
    " AND m.name = table_name || '" STORE_PLACE_ORDER_SUFFIX "')"
    " FROM cityatlas_layers ORDER BY theme, id";

static char *column_text(sqlite3_stmt *stmt, int col)
{
    const unsigned char *text = sqlite3_column_text(stmt, col);
    return text != NULL ? xstrdup((const char *)text) : NULL;
}

static enum store_type type_from_sql(const char *name)
{
    if (strcmp(name, "INTEGER") == 0) {
        return STORE_INTEGER;
    }
    if (strcmp(name, "REAL") == 0) {
        return STORE_REAL;
    }
    if (strcmp(name, "BLOB") == 0) {
        return STORE_BLOB;
    }
    return STORE_TEXT;
}

/* The registry's fields column: [{"name":..,"type":"INTEGER|REAL|TEXT|BLOB",
 * "source_type":..}], written by store_layers.c. */
static int parse_fields(struct store_layer *layer, const char *json, struct err *err)
{
    json_error_t jerr;
    json_t *arr = json_loads(json != NULL ? json : "[]", 0, &jerr);
    if (!json_is_array(arr)) {
        json_decref(arr);
        return err_set(err, ERR_DB, "layer '%s' has an unreadable field list in the registry",
                       layer->id);
    }
    size_t n = json_array_size(arr);
    layer->fields = xcalloc(n > 0 ? n : 1, sizeof(*layer->fields));
    for (size_t i = 0; i < n; i++) {
        json_t *f = json_array_get(arr, i);
        const char *name = json_string_value(json_object_get(f, "name"));
        const char *type = json_string_value(json_object_get(f, "type"));
        const char *source_type = json_string_value(json_object_get(f, "source_type"));
        if (name == NULL || type == NULL) {
            json_decref(arr);
            return err_set(err, ERR_DB, "layer '%s' has a field without name or type", layer->id);
        }
        layer->fields[i].name = xstrdup(name);
        layer->fields[i].type = type_from_sql(type);
        layer->fields[i].source_type = xstrdup(source_type != NULL ? source_type : "");
        layer->n_fields++;
    }
    json_decref(arr);
    return ERR_OK;
}

static int read_layer(sqlite3_stmt *stmt, struct store_layer *layer, struct err *err)
{
    int c = 0;
    layer->id = column_text(stmt, c++);
    layer->table_name = column_text(stmt, c++);
    layer->version = sqlite3_column_int64(stmt, c++);
    layer->title_en = column_text(stmt, c++);
    layer->title_th = column_text(stmt, c++);
    layer->description_en = column_text(stmt, c++);
    layer->description_th = column_text(stmt, c++);
    layer->theme = column_text(stmt, c++);
    layer->source = column_text(stmt, c++);
    layer->source_url = column_text(stmt, c++);
    layer->license = column_text(stmt, c++);
    layer->attribution = column_text(stmt, c++);
    layer->name_column = column_text(stmt, c++);
    layer->geometry_type = column_text(stmt, c++);
    layer->source_crs = column_text(stmt, c++);
    layer->imported_at = column_text(stmt, c++);
    layer->feature_count = sqlite3_column_int64(stmt, c++);
    layer->has_extent = sqlite3_column_type(stmt, c) != SQLITE_NULL;
    layer->min_lon = sqlite3_column_double(stmt, c++);
    layer->min_lat = sqlite3_column_double(stmt, c++);
    layer->max_lon = sqlite3_column_double(stmt, c++);
    layer->max_lat = sqlite3_column_double(stmt, c++);
    if (layer->id == NULL || !parse_is_slug(layer->id) || layer->table_name == NULL) {
        return err_set(err, ERR_DB, "a layer registry row has %s",
                       layer->id == NULL || !parse_is_slug(layer->id) ? "no valid id"
                                                                      : "no table name");
    }
    layer->has_place_order = sqlite3_column_int(stmt, c + 1) != 0;
    return parse_fields(layer, (const char *)sqlite3_column_text(stmt, c), err);
}

static int read_layers(struct store *st, struct store_catalog_ref *ref, size_t *cap,
                       struct err *err)
{
    struct store_catalog *cat = &ref->catalog;
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(st->db, catalog_sql, -1, &stmt, NULL) != SQLITE_OK) {
        return store_db_error(st, "reading the layer registry", err);
    }
    struct store_layer *layers = (struct store_layer *)cat->layers;
    int rc = ERR_OK;
    int step;
    while (rc == ERR_OK && (step = sqlite3_step(stmt)) == SQLITE_ROW) {
        if (cat->n_layers == *cap) {
            *cap = *cap * 2 + 8;
            layers = xreallocarray(layers, *cap, sizeof(*layers));
            cat->layers = layers;
        }
        struct store_layer *layer = &layers[cat->n_layers++];
        memset(layer, 0, sizeof(*layer));
        rc = read_layer(stmt, layer, err);
        if (rc == ERR_DB) { /* a damaged row: left out, so that the other layers serve */
            store_damage_add(&ref->damage, layer->id != NULL ? layer->id : "", false, err->msg);
            store_layer_clear(layer);
            cat->n_layers--;
            rc = ERR_OK;
            continue;
        }
        if (rc == ERR_OK &&
            (layer->imported_at != NULL && strcmp(layer->imported_at, cat->updated_at) > 0)) {
            free(cat->updated_at);
            cat->updated_at = xstrdup(layer->imported_at);
        }
    }
    if (rc == ERR_OK && step != SQLITE_DONE) {
        rc = store_db_error(st, "reading the layer registry", err);
    }
    sqlite3_finalize(stmt);
    return rc;
}

int store_catalog_load(struct store *st, int64_t generation, struct store_catalog_ref **out,
                       struct err *err)
{
    *out = NULL;
    struct store_catalog_ref *ref = xcalloc(1, sizeof(*ref));
    ref->catalog.generation = generation;
    ref->catalog.updated_at = xstrdup("");
    size_t cap = 0;
    int rc = read_layers(st, ref, &cap, err);
    if (rc == ERR_OK) {
        rc = store_shape_views_add(st, &ref->catalog, &cap, err);
    }
    if (rc == ERR_OK) {
        rc = store_featured_load(st, &ref->featured, &ref->n_featured, &ref->damage, err);
    }
    if (rc == ERR_OK) {
        rc = store_city_load(st, &ref->catalog, &ref->city, err);
        ref->catalog.city = &ref->city;
    }
    if (rc != ERR_OK) {
        store_catalog_free(ref);
        return rc;
    }
    *out = ref;
    return ERR_OK;
}

void store_catalog_free(struct store_catalog_ref *ref)
{
    if (ref == NULL) {
        return;
    }
    struct store_layer *layers = (struct store_layer *)ref->catalog.layers;
    for (size_t i = 0; i < ref->catalog.n_layers; i++) {
        store_layer_clear(&layers[i]);
    }
    free(layers);
    store_featured_list_free(ref->featured, ref->n_featured);
    store_city_clear(&ref->city);
    store_damage_clear(&ref->damage);
    free(ref->catalog.updated_at);
    free(ref);
}
