/* catalog_city.c - the catalog's "city" object (catalog.h has its shape): the one place
 * that says which city a database is about. Checked strictly here, where the file and the
 * JSON path can still be named; the import stores it as compact JSON and the server reads
 * it from the database (store/store_city.c), never from the catalog. */
#include "config/catalog_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/parse.h"
#include "base/path.h"
#include "base/utf8.h"

/* A number member in [lo, hi]; absent is an error only when required. */
static int get_number(json_t *obj, const char *key, double lo, double hi, const char *where,
                      const char *file, struct err *err)
{
    json_t *v = json_object_get(obj, key);
    if (v == NULL) {
        return err_set(err, ERR_INVALID, "%s: %s.%s is required", file, where, key);
    }
    double d = json_number_value(v);
    if (!json_is_number(v) || !isfinite(d) || d < lo || d > hi) {
        return err_set(err, ERR_INVALID, "%s: %s.%s must be a number from %g to %g", file, where,
                       key, lo, hi);
    }
    return ERR_OK;
}

static int check_layer_id(json_t *v, const char *where, const char *file, const struct catalog *cat,
                          struct err *err)
{
    if (!json_is_string(v)) {
        return err_set(err, ERR_INVALID, "%s: %s must be a dataset id (a string)", file, where);
    }
    if (!catalog_has_dataset(cat, json_string_value(v))) {
        return err_set(err, ERR_INVALID, "%s: %s '%s' is not the id of a dataset of this catalog",
                       file, where, utf8_excerpt(json_string_value(v), 100).text);
    }
    return ERR_OK;
}

static int check_home(json_t *home, const char *file, struct err *err)
{
    if (home == NULL) {
        return ERR_OK;
    }
    if (!json_is_object(home)) {
        return err_set(err, ERR_INVALID,
                       "%s: city.home must be {\"lon\": ..., \"lat\": ..., "
                       "\"zoom\": ...}",
                       file);
    }
    static const char *const keys[] = {"lon", "lat", "zoom", NULL};
    int rc = catalog_check_keys(home, keys, "city.home", file, err);
    if (rc == ERR_OK) {
        rc = get_number(home, "lon", -180, 180, "city.home", file, err);
    }
    if (rc == ERR_OK) {
        rc = get_number(home, "lat", -85, 85, "city.home", file, err);
    }
    if (rc == ERR_OK) {
        rc = get_number(home, "zoom", 0, 22, "city.home", file, err);
    }
    return rc;
}

static int check_extent_box(json_t *v, const char *file, struct err *err)
{
    double d[4];
    for (size_t i = 0; i < 4; i++) {
        json_t *n = json_array_get(v, i);
        double lim = i % 2 == 0 ? 180 : 90;
        d[i] = json_number_value(n);
        if (!json_is_number(n) || !isfinite(d[i]) || d[i] < -lim || d[i] > lim) {
            return err_set(err, ERR_INVALID, "%s: city.extent[%zu] must be a %s from %g to %g",
                           file, i, i % 2 == 0 ? "longitude" : "latitude", -lim, lim);
        }
    }
    if (d[0] >= d[2] || d[1] >= d[3]) {
        return err_set(err, ERR_INVALID,
                       "%s: city.extent must be [min_lon, min_lat, max_lon, max_lat] with each "
                       "minimum below its maximum",
                       file);
    }
    return ERR_OK;
}

static int check_extent(json_t *v, const char *file, const struct catalog *cat, struct err *err)
{
    if (v == NULL) {
        return ERR_OK; /* no extent: sketches anywhere are accepted */
    }
    if (json_is_array(v) && json_array_size(v) == 4) {
        return check_extent_box(v, file, err);
    }
    if (!json_is_object(v)) {
        return err_set(err, ERR_INVALID,
                       "%s: city.extent must be [min_lon, min_lat, max_lon, max_lat] or "
                       "{\"layer\": ..., \"margin\": ...}",
                       file);
    }
    static const char *const keys[] = {"layer", "margin", NULL};
    int rc = catalog_check_keys(v, keys, "city.extent", file, err);
    if (rc == ERR_OK) {
        rc = check_layer_id(json_object_get(v, "layer"), "city.extent.layer", file, cat, err);
    }
    if (rc == ERR_OK && json_object_get(v, "margin") != NULL) {
        rc = get_number(v, "margin", 0, CATALOG_CITY_MAX_MARGIN, "city.extent", file, err);
    }
    return rc;
}

/* A boundary's "population": {"from": TABLE, "join": "BOUNDARY_FIELD:TABLE_FIELD" (or one
 * name for both), "field": "population"}: the table the web map's statistic builder joins
 * for per-capita values of these areas. The fields are checked by the statistic itself
 * (a 400 naming the field), as for a featured statistic's query. */
static int check_population(json_t *v, const char *where, const char *file,
                            const struct catalog *cat, struct err *err)
{
    if (v == NULL) {
        return ERR_OK;
    }
    if (!json_is_object(v)) {
        return err_set(err, ERR_INVALID,
                       "%s: %s.population must be {\"from\": ..., \"join\": ..., \"field\": ...}",
                       file, where);
    }
    char sub[112];
    snprintf(sub, sizeof(sub), "%s.population", where);
    static const char *const keys[] = {"from", "join", "field", NULL};
    int rc = catalog_check_keys(v, keys, sub, file, err);
    if (rc == ERR_OK) {
        char from[128];
        snprintf(from, sizeof(from), "%s.from", sub);
        rc = check_layer_id(json_object_get(v, "from"), from, file, cat, err);
    }
    static const char *const fields[] = {"join", "field"};
    for (size_t i = 0; rc == ERR_OK && i < 2; i++) {
        char *text = NULL;
        rc = catalog_get_string(v, fields[i], true, sub, file, &text, err);
        free(text);
    }
    return rc;
}

/* {"layer", "name_field", "name_field_en", "detail_field", "label", "population"}: one
 * searchable layer (the web map reads "population" of the boundary layers). */
static int check_named_layer(json_t *v, const char *where, const char *file,
                             const struct catalog *cat, struct err *err)
{
    if (!json_is_object(v)) {
        return err_set(err, ERR_INVALID, "%s: %s must be an object", file, where);
    }
    static const char *const keys[] = {
        "layer", "name_field", "name_field_en", "detail_field", "label", "population", NULL};
    int rc = catalog_check_keys(v, keys, where, file, err);
    char sub[96];
    snprintf(sub, sizeof(sub), "%s.layer", where);
    if (rc == ERR_OK) {
        rc = check_layer_id(json_object_get(v, "layer"), sub, file, cat, err);
    }
    static const char *const fields[] = {"name_field", "name_field_en", "detail_field"};
    for (size_t i = 0; rc == ERR_OK && i < 3; i++) {
        char *text = NULL;
        rc = catalog_get_string(v, fields[i], i == 0, where, file, &text, err);
        free(text);
    }
    char *en = NULL, *th = NULL;
    if (rc == ERR_OK) {
        rc = catalog_get_text_pair(v, "label", true, where, file, &en, &th, err);
    }
    free(en);
    free(th);
    if (rc == ERR_OK) {
        rc = check_population(json_object_get(v, "population"), where, file, cat, err);
    }
    return rc;
}

/* An optional array of at most max items, each checked by check (layer ids or named
 * layers) under "city.<key>[i]". */
static int check_list(json_t *city, const char *key, size_t max, bool is_named, const char *file,
                      const struct catalog *cat, struct err *err)
{
    json_t *arr = json_object_get(city, key);
    if (arr == NULL) {
        return ERR_OK;
    }
    if (!json_is_array(arr) || json_array_size(arr) > max) {
        return err_set(err, ERR_INVALID, "%s: city.%s must be an array of at most %zu items", file,
                       key, max);
    }
    for (size_t i = 0; i < json_array_size(arr); i++) {
        char where[96];
        snprintf(where, sizeof(where), "city.%s[%zu]", key, i);
        json_t *item = json_array_get(arr, i);
        int rc = is_named ? check_named_layer(item, where, file, cat, err)
                          : check_layer_id(item, where, file, cat, err);
        if (rc != ERR_OK) {
            return rc;
        }
    }
    return ERR_OK;
}

/* In the order the base map draws them when the catalog leaves the order to it. */
const char *const catalog_base_map_kinds[] = {"landuse", "water", "other", "boundary",
                                              "road",    "place", NULL};

/* city.base_map[i].classes: the road classes, most important first, distinct strings. */
static int check_road_classes(json_t *v, const char *where, const char *file, struct err *err)
{
    if (!json_is_array(v) || json_array_size(v) == 0 ||
        json_array_size(v) > CATALOG_CITY_MAX_ROAD_CLASSES) {
        return err_set(err, ERR_INVALID,
                       "%s: %s.classes must be an array of 1 to %d class values, the most "
                       "important first",
                       file, where, CATALOG_CITY_MAX_ROAD_CLASSES);
    }
    for (size_t i = 0; i < json_array_size(v); i++) {
        const char *c = json_string_value(json_array_get(v, i));
        if (c == NULL || *c == '\0') {
            return err_set(err, ERR_INVALID, "%s: %s.classes[%zu] must be a non-empty string", file,
                           where, i);
        }
        for (size_t k = 0; k < i; k++) {
            if (strcmp(c, json_string_value(json_array_get(v, k))) == 0) {
                return err_set(err, ERR_INVALID, "%s: %s.classes[%zu] '%s' is listed twice", file,
                               where, i, utf8_excerpt(c, 60).text);
            }
        }
    }
    return ERR_OK;
}

/* One layer of city.base_map (catalog.h has its shape). */
static int check_base_layer(json_t *v, const char *where, const char *file,
                            const struct catalog *cat, struct err *err)
{
    if (!json_is_object(v)) {
        return err_set(err, ERR_INVALID, "%s: %s must be an object", file, where);
    }
    static const char *const keys[] = {"layer",       "kind",    "min_zoom", "label_min_zoom",
                                       "class_field", "classes", NULL};
    int rc = catalog_check_keys(v, keys, where, file, err);
    char sub[112];
    snprintf(sub, sizeof(sub), "%s.layer", where);
    if (rc == ERR_OK) {
        rc = check_layer_id(json_object_get(v, "layer"), sub, file, cat, err);
    }
    char *kind = NULL, *class_field = NULL;
    if (rc == ERR_OK) {
        rc = catalog_get_string(v, "kind", true, where, file, &kind, err);
    }
    bool known = false;
    for (size_t i = 0; rc == ERR_OK && catalog_base_map_kinds[i] != NULL; i++) {
        known = known || strcmp(kind, catalog_base_map_kinds[i]) == 0;
    }
    if (rc == ERR_OK && !known) {
        char list[96] = "";
        for (size_t i = 0; catalog_base_map_kinds[i] != NULL; i++) {
            size_t at = strlen(list);
            snprintf(list + at, sizeof(list) - at, "%s%s", i > 0 ? ", " : "",
                     catalog_base_map_kinds[i]);
        }
        rc = err_set(err, ERR_INVALID, "%s: %s.kind '%s' is not one of %s", file, where,
                     utf8_excerpt(kind, 60).text, list);
    }
    static const char *const zooms[] = {"min_zoom", "label_min_zoom"};
    for (size_t i = 0; rc == ERR_OK && i < 2; i++) {
        if (json_object_get(v, zooms[i]) != NULL) {
            rc = get_number(v, zooms[i], 0, 22, where, file, err);
        }
    }
    if (rc == ERR_OK) {
        rc = catalog_get_string(v, "class_field", false, where, file, &class_field, err);
    }
    bool has_classes = json_object_get(v, "classes") != NULL;
    if (rc == ERR_OK && (class_field != NULL) != has_classes) {
        rc = err_set(err, ERR_INVALID, "%s: %s.class_field and %s.classes go together", file, where,
                     where);
    }
    if (rc == ERR_OK && has_classes && strcmp(kind, "road") != 0) {
        rc = err_set(err, ERR_INVALID, "%s: %s.classes rank roads: kind must be \"road\"", file,
                     where);
    }
    if (rc == ERR_OK && has_classes) {
        rc = check_road_classes(json_object_get(v, "classes"), where, file, err);
    }
    free(kind);
    free(class_field);
    return rc;
}

static int check_base_map(json_t *v, const char *file, const struct catalog *cat, struct err *err)
{
    if (v == NULL) {
        return ERR_OK;
    }
    if (!json_is_array(v) || json_array_size(v) > CATALOG_CITY_MAX_BASE_MAP) {
        return err_set(err, ERR_INVALID, "%s: city.base_map must be an array of at most %d layers",
                       file, CATALOG_CITY_MAX_BASE_MAP);
    }
    for (size_t i = 0; i < json_array_size(v); i++) {
        char where[64];
        snprintf(where, sizeof(where), "city.base_map[%zu]", i);
        int rc = check_base_layer(json_array_get(v, i), where, file, cat, err);
        if (rc != ERR_OK) {
            return rc;
        }
    }
    return ERR_OK;
}

static int check_branding(json_t *v, const char *file, struct err *err)
{
    if (v == NULL) {
        return ERR_OK;
    }
    if (!json_is_object(v)) {
        return err_set(err, ERR_INVALID, "%s: city.branding must be an object", file);
    }
    static const char *const keys[] = {"name", "url", NULL};
    int rc = catalog_check_keys(v, keys, "city.branding", file, err);
    char *en = NULL, *th = NULL, *url = NULL;
    if (rc == ERR_OK) {
        rc = catalog_get_text_pair(v, "name", true, "city.branding", file, &en, &th, err);
    }
    if (rc == ERR_OK) {
        rc = catalog_get_string(v, "url", false, "city.branding", file, &url, err);
    }
    if (rc == ERR_OK && url != NULL && strncmp(url, "https://", 8) != 0 &&
        strncmp(url, "http://", 7) != 0) {
        rc = err_set(err, ERR_INVALID, "%s: city.branding.url must start with https:// or http://",
                     file);
    }
    free(en);
    free(th);
    free(url);
    return rc;
}

static int check_members(json_t *city, const char *file, const struct catalog *cat, struct err *err)
{
    int rc = check_home(json_object_get(city, "home"), file, err);
    if (rc == ERR_OK) {
        rc = check_extent(json_object_get(city, "extent"), file, cat, err);
    }
    if (rc == ERR_OK) {
        rc = check_list(city, "boundaries", CATALOG_CITY_MAX_BOUNDARIES, true, file, cat, err);
    }
    if (rc == ERR_OK) {
        rc = check_list(city, "gazetteer", CATALOG_CITY_MAX_GAZETTEER, true, file, cat, err);
    }
    if (rc == ERR_OK) {
        rc = check_list(city, "default_layers", CATALOG_CITY_MAX_DEFAULT_LAYERS, false, file, cat,
                        err);
    }
    if (rc == ERR_OK) {
        rc = check_base_map(json_object_get(city, "base_map"), file, cat, err);
    }
    if (rc == ERR_OK) {
        rc = check_branding(json_object_get(city, "branding"), file, err);
    }
    return rc;
}

/* "scenarios": the city's example scenarios file, relative to the catalog's folder. */
static int get_scenarios_path(json_t *city, const char *file, struct catalog *cat, struct err *err)
{
    char *rel = NULL;
    int rc = catalog_get_string(city, "scenarios", false, "city", file, &rel, err);
    if (rc == ERR_OK && rel != NULL) {
        char *dir = path_dirname(file);
        rc = path_resolve_within(dir, rel, &cat->city_scenarios, err);
        free(dir);
        if (rc != ERR_OK) {
            rc = err_prefix(err, "%s: city.scenarios", file);
        }
    }
    free(rel);
    return rc;
}

int catalog_city_parse(json_t *city, const char *file, struct catalog *cat, struct err *err)
{
    if (!json_is_object(city)) {
        return err_set(err, ERR_INVALID, "%s: city must be an object", file);
    }
    static const char *const keys[] = {"id",         "title",          "home",      "extent",
                                       "boundaries", "default_layers", "gazetteer", "base_map",
                                       "branding",   "scenarios",      NULL};
    int rc = catalog_check_keys(city, keys, "city", file, err);
    if (rc == ERR_OK) {
        rc = catalog_get_string(city, "id", true, "city", file, &cat->city_id, err);
    }
    if (rc == ERR_OK && !parse_is_slug(cat->city_id)) {
        rc = err_set(err, ERR_INVALID,
                     "%s: city.id '%s' must be 1-63 characters of a-z, 0-9 and '-'", file,
                     cat->city_id);
    }
    if (rc == ERR_OK) {
        rc = catalog_get_text_pair(city, "title", true, "city", file, &cat->city_title_en,
                                   &cat->city_title_th, err);
    }
    if (rc == ERR_OK) {
        rc = check_members(city, file, cat, err);
    }
    if (rc == ERR_OK) {
        rc = get_scenarios_path(city, file, cat, err);
    }
    if (rc == ERR_OK) {
        /* The scenarios file is the importer's business, not the server's. */
        json_object_del(city, "scenarios");
        /* 15 digits: 0.05 stays "0.05" (17 would write 0.050000000000000003). */
        cat->city_json =
            json_dumps(city, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
    }
    return rc;
}
