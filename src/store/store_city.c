/* store_city.c - the city profile in the database: a catalog import stores it as one row
 * of cityatlas_meta (key 'city') in its transaction (store_city_replace); the server reads
 * it once per registry generation, with the layers, and resolves its extent against them
 * (store_city_load), so a re-imported boundary layer moves the extent with it. */
#include "store/store_read.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/alloc.h"
#include "store/store_read_int.h"

static const char city_sql[] = "SELECT value FROM cityatlas_meta WHERE key = 'city'";

/* Reading (the server's snapshot) */

static char *pair_text(json_t *obj, const char *key, const char *lang)
{
    const char *text = json_string_value(json_object_get(json_object_get(obj, key), lang));
    return text != NULL ? xstrdup(text) : NULL;
}

/* The extent member's shape (config/catalog_city.c checks it): four numbers, or a layer
 * and a margin. */
static void read_extent(json_t *v, const char *name_en, struct store_city_extent *e)
{
    memset(e, 0, sizeof(*e));
    e->name_en = name_en != NULL ? xstrdup(name_en) : NULL;
    if (json_is_array(v) && json_array_size(v) == 4) {
        for (size_t i = 0; i < 4; i++) {
            e->box[i] = json_number_value(json_array_get(v, i));
        }
        e->has_box = true;
        return;
    }
    const char *layer = json_string_value(json_object_get(v, "layer"));
    e->layer = layer != NULL ? xstrdup(layer) : NULL;
    e->margin = json_number_value(json_object_get(v, "margin"));
}

bool store_city_extent_box(const struct store_city_extent *e, const double *layer_box,
                           double out[4])
{
    if (e->has_box) {
        memcpy(out, e->box, sizeof(e->box));
        return true;
    }
    if (e->layer == NULL || layer_box == NULL) {
        return false;
    }
    double m = e->margin > 0 ? e->margin : 0;
    out[0] = fmax(-180, layer_box[0] - m);
    out[1] = fmax(-90, layer_box[1] - m);
    out[2] = fmin(180, layer_box[2] + m);
    out[3] = fmin(90, layer_box[3] + m);
    return true;
}

bool store_city_extent_parse(const char *city_json, struct store_city_extent *out)
{
    memset(out, 0, sizeof(*out));
    json_t *root = city_json != NULL ? json_loads(city_json, JSON_REJECT_DUPLICATES, NULL) : NULL;
    json_t *v = json_object_get(root, "extent");
    if (v != NULL) {
        read_extent(v, json_string_value(json_object_get(json_object_get(root, "title"), "en")),
                    out);
    }
    json_decref(root);
    return out->has_box || out->layer != NULL;
}

void store_city_extent_clear(struct store_city_extent *e)
{
    free(e->layer);
    free(e->name_en);
    memset(e, 0, sizeof(*e));
}

/* The extent as the profile gives it: four numbers, or a layer's extent plus a margin.
 * Absent, or a layer the snapshot lacks, leaves has_extent false (no check). */
static void resolve_extent(json_t *v, const struct store_catalog *cat, struct store_city *c)
{
    struct store_city_extent e;
    read_extent(v, NULL, &e);
    const double *layer_box = NULL;
    double box[4];
    for (size_t i = 0; e.layer != NULL && i < cat->n_layers; i++) {
        const struct store_layer *l = &cat->layers[i];
        if (strcmp(l->id, e.layer) == 0 && l->has_extent) {
            box[0] = l->min_lon;
            box[1] = l->min_lat;
            box[2] = l->max_lon;
            box[3] = l->max_lat;
            layer_box = box;
        }
    }
    c->has_extent = v != NULL && store_city_extent_box(&e, layer_box, c->extent);
    store_city_extent_clear(&e);
}

/* Fills c from the stored profile; false when it does not have the shape the import
 * checked (not an object, or no id and English title). */
static bool city_parse(const char *text, const struct store_catalog *cat, struct store_city *c)
{
    memset(c, 0, sizeof(*c));
    json_t *root = json_loads(text, JSON_REJECT_DUPLICATES, NULL);
    const char *id = json_string_value(json_object_get(root, "id"));
    char *title_en = pair_text(root, "title", "en");
    if (!json_is_object(root) || id == NULL || title_en == NULL) {
        free(title_en);
        json_decref(root);
        return false;
    }
    c->id = xstrdup(id);
    c->title_en = title_en;
    c->title_th = pair_text(root, "title", "th");
    if (c->title_th == NULL) {
        c->title_th = xstrdup(title_en);
    }
    json_t *branding = json_object_get(root, "branding");
    c->site_name_en = pair_text(branding, "name", "en");
    c->site_name_th = pair_text(branding, "name", "th");
    if (c->site_name_th == NULL && c->site_name_en != NULL) {
        c->site_name_th = xstrdup(c->site_name_en);
    }
    const char *url = json_string_value(json_object_get(branding, "url"));
    c->site_url = url != NULL ? xstrdup(url) : NULL;
    resolve_extent(json_object_get(root, "extent"), cat, c);
    if (c->has_extent) {
        json_object_set_new(
            root, "extent",
            json_pack("[f, f, f, f]", c->extent[0], c->extent[1], c->extent[2], c->extent[3]));
    } else {
        json_object_del(root, "extent");
    }
    c->json = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
    json_decref(root);
    return true;
}

int store_city_load(struct store *st, const struct store_catalog *cat, struct store_city *out,
                    struct err *err)
{
    memset(out, 0, sizeof(*out));
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(st->db, city_sql, -1, &stmt, NULL) != SQLITE_OK) {
        return store_db_error(st, "reading the city profile", err);
    }
    int rc = ERR_OK;
    int step = sqlite3_step(stmt);
    if (step == SQLITE_ROW) {
        const char *text = (const char *)sqlite3_column_text(stmt, 0);
        if (!city_parse(text != NULL ? text : "", cat, out)) {
            store_city_clear(out);
            rc = err_set(err, ERR_DB, "the city profile in %s is unreadable", st->path);
        }
    } else if (step != SQLITE_DONE) {
        rc = store_db_error(st, "reading the city profile", err);
    }
    sqlite3_finalize(stmt);
    if (rc == ERR_OK && out->id == NULL) {
        out->id = xstrdup("");
        out->json = xstrdup("{}");
    }
    return rc;
}

void store_city_clear(struct store_city *c)
{
    char *strs[] = {c->id,           c->title_en, c->title_th, c->site_name_en,
                    c->site_name_th, c->site_url, c->json};
    for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
        free(strs[i]);
    }
    memset(c, 0, sizeof(*c));
}

const struct store_city *store_read_city(const struct store_read *rd)
{
    return &rd->catalog->city;
}

/* Writing (an import's transaction) */

static int stored_text(struct store *st, char **out, struct err *err)
{
    *out = NULL;
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(st->db, city_sql, -1, &stmt, NULL) != SQLITE_OK) {
        return store_db_error(st, "reading the city profile", err);
    }
    int step = sqlite3_step(stmt);
    if (step == SQLITE_ROW && sqlite3_column_text(stmt, 0) != NULL) {
        *out = xstrdup((const char *)sqlite3_column_text(stmt, 0));
    }
    int rc = step == SQLITE_ROW || step == SQLITE_DONE
                 ? ERR_OK
                 : store_db_error(st, "reading the city profile", err);
    sqlite3_finalize(stmt);
    return rc;
}

int store_city_read_json(struct store *st, char **json, struct err *err)
{
    return stored_text(st, json, err);
}

static int write_text(struct store *st, const char *json, struct err *err)
{
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(st->db,
                           "INSERT OR REPLACE INTO cityatlas_meta (key, value) VALUES ('city', ?)",
                           -1, &stmt, NULL) != SQLITE_OK) {
        return store_db_error(st, "storing the city profile", err);
    }
    sqlite3_bind_text(stmt, 1, json, -1, SQLITE_STATIC);
    int rc = sqlite3_step(stmt) == SQLITE_DONE
                 ? ERR_OK
                 : store_db_error(st, "storing the city profile", err);
    sqlite3_finalize(stmt);
    return rc;
}

int store_city_replace(struct store *st, const char *json, struct err *err)
{
    if (!st->in_transaction) {
        return err_set(err, ERR_INTERNAL, "store_city_replace outside an import transaction");
    }
    struct store_catalog none = {0};
    struct store_city check;
    if (!city_parse(json, &none, &check)) {
        return err_set(err, ERR_INVALID, "the city profile needs an \"id\" and a \"title\"");
    }
    store_city_clear(&check);
    char *stored = NULL;
    int rc = stored_text(st, &stored, err);
    bool same = rc == ERR_OK && stored != NULL && strcmp(stored, json) == 0;
    free(stored);
    if (rc != ERR_OK || same) {
        return rc;
    }
    rc = write_text(st, json, err);
    return rc == ERR_OK ? store_generation_move(st, err) : rc;
}
