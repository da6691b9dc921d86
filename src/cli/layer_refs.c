/* layer_refs.c - see layer_refs.h. The shapes walked here are defined where they are
 * checked: featured statistics in config/catalog.c (catalog_layer_params), the city profile
 * in config/catalog_city.c, scenario documents in scenario/scenario_doc.h. */
#include "cli/layer_refs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/alloc.h"
#include "config/catalog.h"
#include "store/store_scenario.h"

/* Users named in a refusal; more are counted. */
#define LAYER_REFS_MAX_NAMED 8

/* Counts obj[key] when it is the string id, and makes it new_id when one is given. */
static size_t visit_member(json_t *obj, const char *key, const char *id, const char *new_id)
{
    const char *v = json_string_value(json_object_get(obj, key));
    if (v == NULL || strcmp(v, id) != 0) {
        return 0;
    }
    if (new_id != NULL) {
        json_object_set_new(obj, key, json_string(new_id));
    }
    return 1;
}

/* The same for each item of array arr: its member key, or the item itself (key NULL). */
static size_t visit_items(json_t *arr, const char *key, const char *id, const char *new_id)
{
    size_t n = 0;
    size_t i;
    json_t *item;
    json_array_foreach(arr, i, item)
    {
        if (key != NULL) {
            n += visit_member(item, key, id, new_id);
        } else if (json_is_string(item) && strcmp(json_string_value(item), id) == 0) {
            if (new_id != NULL) {
                json_array_set_new(arr, i, json_string(new_id));
            }
            n++;
        }
    }
    return n;
}

enum doc_kind { DOC_FEATURED, DOC_SCENARIO, DOC_CITY };

static size_t visit_doc(json_t *root, enum doc_kind kind, const char *id, const char *new_id)
{
    size_t n = 0;
    if (kind == DOC_FEATURED) {
        json_t *query = json_object_get(root, "query");
        for (size_t i = 0; catalog_layer_params[i] != NULL; i++) {
            n += visit_member(query, catalog_layer_params[i], id, new_id);
        }
    } else if (kind == DOC_SCENARIO) {
        n += visit_items(json_object_get(root, "layers"), "collection", id, new_id);
    } else {
        n += visit_member(json_object_get(root, "extent"), "layer", id, new_id);
        n += visit_items(json_object_get(root, "boundaries"), "layer", id, new_id);
        n += visit_items(json_object_get(root, "gazetteer"), "layer", id, new_id);
        n += visit_items(json_object_get(root, "default_layers"), NULL, id, new_id);
    }
    return n;
}

/* The document text with id replaced by new_id (new_id NULL: only counted), or NULL when
 * it does not name id (or is not JSON: then it names nothing we could follow). */
static char *follow(const char *text, enum doc_kind kind, const char *id, const char *new_id)
{
    json_t *root = json_loads(text, JSON_REJECT_DUPLICATES, NULL);
    char *out = NULL;
    if (root != NULL && visit_doc(root, kind, id, new_id) > 0) {
        /* The flags each writer uses, so an unchanged part keeps its text. */
        size_t flags = JSON_COMPACT | JSON_PRESERVE_ORDER;
        out = new_id != NULL
                  ? json_dumps(root, flags | (kind == DOC_CITY ? JSON_REAL_PRECISION(15) : 0))
                  : xstrdup("");
    }
    json_decref(root);
    return out;
}

struct user_list {
    char text[600];
    size_t n;
};

static void add_user(struct user_list *u, const char *what, const char *name)
{
    if (u->n++ >= LAYER_REFS_MAX_NAMED) {
        return;
    }
    size_t len = strlen(u->text);
    snprintf(u->text + len, sizeof(u->text) - len, "%s%s%s%s%s", len > 0 ? ", " : "", what,
             name != NULL ? " '" : "", name != NULL ? name : "", name != NULL ? "'" : "");
}

static int find_featured(struct store *st, const char *id, struct user_list *u, struct err *err)
{
    char **ids = NULL, **defs = NULL;
    size_t n = 0;
    int rc = store_featured_read_defs(st, &ids, &defs, &n, err);
    for (size_t i = 0; rc == ERR_OK && i < n; i++) {
        char *hit = follow(defs[i], DOC_FEATURED, id, NULL);
        if (hit != NULL) {
            add_user(u, "featured statistic", ids[i]);
        }
        free(hit);
    }
    store_strings_free(ids, n);
    store_strings_free(defs, n);
    return rc;
}

static int find_scenarios(struct store *st, const char *id, struct user_list *u,
                          struct layer_refs *refs, struct err *err)
{
    struct store_scenario *list = NULL;
    size_t n = 0;
    int rc = store_scenarios_list_db(st, &list, &n, err);
    for (size_t i = 0; rc == ERR_OK && i < n; i++) {
        if (strcmp(list[i].sketch_layer_id, id) == 0) {
            refs->sketches_of = xstrdup(list[i].id);
        }
        char *hit = follow(list[i].doc, DOC_SCENARIO, id, NULL);
        if (hit != NULL) {
            add_user(u, "scenario", list[i].id);
        }
        free(hit);
    }
    store_scenarios_free(list, n);
    return rc;
}

int layer_refs_find(struct store *st, const char *id, struct layer_refs *refs, struct err *err)
{
    memset(refs, 0, sizeof(*refs));
    struct user_list u = {.text = "", .n = 0};
    int rc = find_featured(st, id, &u, err);
    if (rc == ERR_OK) {
        rc = find_scenarios(st, id, &u, refs, err);
    }
    char *city = NULL;
    if (rc == ERR_OK) {
        rc = store_city_read_json(st, &city, err);
    }
    char *hit = city != NULL ? follow(city, DOC_CITY, id, NULL) : NULL;
    if (hit != NULL) {
        add_user(&u, "the city profile", NULL);
    }
    free(hit);
    free(city);
    if (rc == ERR_OK && u.n > 0) {
        refs->users = u.n > LAYER_REFS_MAX_NAMED
                          ? xasprintf("%s and %zu more", u.text, u.n - LAYER_REFS_MAX_NAMED)
                          : xstrdup(u.text);
    }
    if (rc != ERR_OK) {
        layer_refs_clear(refs);
    }
    return rc;
}

void layer_refs_clear(struct layer_refs *refs)
{
    free(refs->users);
    free(refs->sketches_of);
    memset(refs, 0, sizeof(*refs));
}

/* The whole list is written again (store_featured_replace keeps it when nothing changed). */
static int rename_featured(struct store *st, const char *id, const char *new_id, struct err *err)
{
    char **ids = NULL, **defs = NULL;
    size_t n = 0;
    int rc = store_featured_read_defs(st, &ids, &defs, &n, err);
    struct store_featured_def *list = xcalloc(n + 1, sizeof(*list));
    for (size_t i = 0; rc == ERR_OK && i < n; i++) {
        char *renamed = follow(defs[i], DOC_FEATURED, id, new_id);
        if (renamed != NULL) {
            free(defs[i]);
            defs[i] = renamed;
        }
        list[i] = (struct store_featured_def){.id = ids[i], .definition = defs[i]};
    }
    if (rc == ERR_OK && n > 0) {
        rc = store_featured_replace(st, list, n, err);
    }
    free(list);
    store_strings_free(ids, n);
    store_strings_free(defs, n);
    return rc;
}

static int rename_scenarios(struct store *st, const char *id, const char *new_id, struct err *err)
{
    struct store_scenario *list = NULL;
    size_t n = 0;
    int rc = store_scenarios_list_db(st, &list, &n, err);
    for (size_t i = 0; rc == ERR_OK && i < n; i++) {
        char *renamed = follow(list[i].doc, DOC_SCENARIO, id, new_id);
        if (renamed != NULL) {
            rc = store_scenario_put(st, list[i].id, renamed, false, NULL, err);
        }
        free(renamed);
    }
    store_scenarios_free(list, n);
    return rc;
}

int layer_refs_rename(struct store *st, const char *id, const char *new_id, struct err *err)
{
    int rc = rename_featured(st, id, new_id, err);
    if (rc == ERR_OK) {
        rc = rename_scenarios(st, id, new_id, err);
    }
    char *city = NULL;
    if (rc == ERR_OK) {
        rc = store_city_read_json(st, &city, err);
    }
    char *renamed = city != NULL ? follow(city, DOC_CITY, id, new_id) : NULL;
    if (rc == ERR_OK && renamed != NULL) {
        rc = store_city_replace(st, renamed, err);
    }
    free(renamed);
    free(city);
    return rc;
}
