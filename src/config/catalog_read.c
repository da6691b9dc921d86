/* catalog_read.c - what both parts of the catalog parser (catalog.c, catalog_city.c) use
 * to read the file: checked JSON members and references to datasets, each error naming
 * the file and the JSON path (catalog_int.h). Kept apart from catalog.c so that the city
 * profile's parser depends on these readers only, not on the datasets' parser that calls
 * it. */
#include "config/catalog_int.h"

#include <stdio.h>
#include <string.h>

#include "base/alloc.h"

int catalog_check_keys(json_t *obj, const char *const *allowed, const char *where, const char *file,
                       struct err *err)
{
    const char *key;
    json_t *value;
    json_object_foreach(obj, key, value)
    {
        (void)value;
        bool known = false;
        for (size_t i = 0; allowed[i] != NULL; i++) {
            known = known || strcmp(allowed[i], key) == 0;
        }
        if (!known) {
            return err_set(err, ERR_INVALID, "%s: %s: unknown key '%s'", file, where, key);
        }
    }
    return ERR_OK;
}

int catalog_get_string(json_t *obj, const char *key, bool required, const char *where,
                       const char *file, char **out, struct err *err)
{
    json_t *v = json_object_get(obj, key);
    if (v == NULL || json_is_null(v)) {
        if (required) {
            return err_set(err, ERR_INVALID, "%s: %s.%s is required", file, where, key);
        }
        return ERR_OK;
    }
    if (!json_is_string(v) || json_string_length(v) == 0) {
        return err_set(err, ERR_INVALID, "%s: %s.%s must be a non-empty string", file, where, key);
    }
    *out = xstrdup(json_string_value(v));
    return ERR_OK;
}

int catalog_get_text_pair(json_t *obj, const char *key, bool required, const char *where,
                          const char *file, char **en, char **th, struct err *err)
{
    json_t *v = json_object_get(obj, key);
    if (v == NULL) {
        return required ? err_set(err, ERR_INVALID, "%s: %s.%s is required", file, where, key)
                        : ERR_OK;
    }
    char sub[128];
    snprintf(sub, sizeof(sub), "%s.%s", where, key);
    if (!json_is_object(v)) {
        return err_set(err, ERR_INVALID, "%s: %s must be an object like {\"th\": ..., \"en\": ...}",
                       file, sub);
    }
    static const char *const keys[] = {"th", "en", NULL};
    int rc = catalog_check_keys(v, keys, sub, file, err);
    if (rc == ERR_OK) {
        rc = catalog_get_string(v, "en", true, sub, file, en, err);
    }
    if (rc == ERR_OK) {
        rc = catalog_get_string(v, "th", false, sub, file, th, err);
    }
    return rc;
}

bool catalog_has_dataset(const struct catalog *cat, const char *id)
{
    for (size_t i = 0; i < cat->n_datasets; i++) {
        if (strcmp(cat->datasets[i].id, id) == 0) {
            return true;
        }
    }
    return false;
}
