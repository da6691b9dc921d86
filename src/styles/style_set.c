/* style_set.c - loading a folder of style files at startup. */
#include "styles/style_set.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/log.h"
#include "base/path.h"
#include "styles/style_load.h"

struct style_entry {
    char *layer_id;
    json_t *doc;
};

struct style_set {
    struct style_entry *entries;
    size_t n, cap;
    size_t n_refused;
    uint64_t digest;
};

static bool has_json_suffix(const char *name)
{
    size_t len = strlen(name);
    return len > 5 && strcmp(name + len - 5, ".json") == 0 && name[0] != '.';
}

/* The *.json names in dir, sorted. ERR_IO when dir cannot be read. */
static int list_files(const char *dir, char ***out, size_t *n_out, struct err *err)
{
    DIR *d = opendir(dir);
    if (d == NULL) {
        return err_set(err, ERR_IO, "styles folder %s: %s", dir, strerror(errno));
    }
    char **names = NULL;
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (!has_json_suffix(de->d_name)) {
            continue;
        }
        if (n == STYLE_SET_MAX_FILES) {
            log_warn("styles: %s has more than %d style files; the rest are not read", dir,
                     STYLE_SET_MAX_FILES);
            break;
        }
        names = xreallocarray(names, n + 1, sizeof(*names));
        names[n++] = xasprintf("%s/%s", dir, de->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof(*names), path_compare);
    *out = names;
    *n_out = n;
    return ERR_OK;
}

static uint64_t fnv1a(uint64_t h, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        h = (h ^ *p) * 1099511628211ull;
    }
    return (h ^ 0xff) * 1099511628211ull;
}

/* Loads one file into set, or logs why not. */
static void load_one(struct style_set *set, const char *path)
{
    struct err err;
    json_t *doc = NULL;
    char *layer_id = path_stem(path);
    if (style_load_file(path, &doc, &err) != ERR_OK) {
        log_warn("styles: %s (the layer gets the default style)", err.msg);
        set->n_refused++;
        free(layer_id);
        return;
    }
    const char *named =
        json_string_value(json_object_get(json_object_get(doc, "metadata"), STYLE_META_LAYER));
    if (strcmp(named, layer_id) != 0) {
        log_warn("styles: %s: metadata." STYLE_META_LAYER ": \"%s\" is not the layer the file "
                 "is named after (\"%s\"); the file is skipped",
                 path, named, layer_id);
        set->n_refused++;
        free(layer_id);
        json_decref(doc);
        return;
    }
    char *text = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
    set->digest = fnv1a(fnv1a(set->digest, layer_id), text != NULL ? text : "");
    free(text);
    if (set->n == set->cap) {
        set->cap = set->cap > 0 ? set->cap * 2 : 16;
        set->entries = xreallocarray(set->entries, set->cap, sizeof(*set->entries));
    }
    set->entries[set->n++] = (struct style_entry){layer_id, doc};
}

int style_set_load(const char *dir, struct style_set **out, struct err *err)
{
    char **files = NULL;
    size_t n_files = 0;
    int rc = list_files(dir, &files, &n_files, err);
    if (rc != ERR_OK) {
        return rc;
    }
    struct style_set *set = xcalloc(1, sizeof(*set));
    set->digest = 1469598103934665603ull;
    for (size_t i = 0; i < n_files; i++) {
        load_one(set, files[i]);
        free(files[i]);
    }
    free(files);
    *out = set;
    return ERR_OK;
}

void style_set_free(struct style_set *set)
{
    if (set == NULL) {
        return;
    }
    for (size_t i = 0; i < set->n; i++) {
        free(set->entries[i].layer_id);
        json_decref(set->entries[i].doc);
    }
    free(set->entries);
    free(set);
}

size_t style_set_count(const struct style_set *set)
{
    return set != NULL ? set->n : 0;
}

size_t style_set_n_refused(const struct style_set *set)
{
    return set != NULL ? set->n_refused : 0;
}

uint64_t style_set_digest(const struct style_set *set)
{
    return set != NULL ? set->digest : 0;
}

json_t *style_set_resolve(const struct style_set *set, const char *layer_id,
                          const char *geometry_type, const char *name_column, bool *is_default)
{
    *is_default = false;
    if (geometry_type == NULL) {
        return NULL;
    }
    for (size_t i = 0; set != NULL && i < set->n; i++) {
        if (strcmp(set->entries[i].layer_id, layer_id) == 0) {
            return json_incref(set->entries[i].doc);
        }
    }
    *is_default = true;
    return style_default(layer_id, geometry_type, name_column);
}
