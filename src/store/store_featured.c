/* store_featured.c - featured statistics in the database: an import replaces the list in
 * its transaction (store_featured_replace); the server reads it once per registry
 * generation, with the layer catalog (store_featured_load, store_read_featured).
 *
 * A row holds the catalog entry as JSON. Both sides parse it with the same function, so
 * a definition the server could not read is refused when it is written, rather than
 * failing every request of the generation that holds it. */
#include "store/store_read.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/alloc.h"
#include "base/utf8.h"
#include "store/store_read_int.h"

static const char featured_list_sql[] =
    "SELECT id, definition FROM cityatlas_featured ORDER BY position";

/* Parsing a definition */

static void featured_clear(struct store_featured *f)
{
    char *strs[] = {f->id,          f->title_en, f->title_th, f->question_en,
                    f->question_th, f->note_en,  f->note_th};
    for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
        free(strs[i]);
    }
    for (size_t i = 0; i < f->n_params; i++) {
        free(f->params[i].name);
        free(f->params[i].value);
    }
    free(f->params);
    memset(f, 0, sizeof(*f));
}

/* {"en": ..., "th": ...} with both as strings; a missing optional pair leaves both NULL.
 * Returns false when the member does not have that shape. */
static bool parse_pair(json_t *obj, const char *key, bool required, char **en, char **th)
{
    json_t *pair = json_object_get(obj, key);
    if (pair == NULL) {
        return !required;
    }
    const char *en_text = json_string_value(json_object_get(pair, "en"));
    const char *th_text = json_string_value(json_object_get(pair, "th"));
    if (en_text == NULL || th_text == NULL) {
        return false;
    }
    *en = xstrdup(en_text);
    *th = xstrdup(th_text);
    return true;
}

static const char *parse_query(json_t *query, struct store_featured *f)
{
    if (!json_is_object(query)) {
        return "its query is not an object";
    }
    f->params = xcalloc(json_object_size(query) + 1, sizeof(*f->params));
    const char *name;
    json_t *v;
    /* jansson keeps members in document order: the order the catalog gave. */
    json_object_foreach(query, name, v)
    {
        struct store_featured_param *p = &f->params[f->n_params++];
        p->name = xstrdup(name);
        p->value = json_is_string(v) ? xstrdup(json_string_value(v)) : NULL;
        if (p->value == NULL) {
            return "a query value is not text (the catalog import stores every value as text)";
        }
    }
    return NULL;
}

/* Fills f from the JSON text of a definition stored under id. Returns NULL, or what is
 * wrong with it (f then holds a part to be cleared). Members other than these are left
 * to newer servers. */
static const char *featured_parse(const char *id, const char *json, struct store_featured *f)
{
    memset(f, 0, sizeof(*f));
    json_error_t jerr;
    json_t *root = json_loads(json, JSON_REJECT_DUPLICATES, &jerr);
    const char *problem = NULL;
    if (!json_is_object(root)) {
        problem = "its definition is not a JSON object";
    } else if (json_string_value(json_object_get(root, "id")) == NULL ||
               strcmp(json_string_value(json_object_get(root, "id")), id) != 0) {
        problem = "its definition has another id";
    } else if (!parse_pair(root, "title", true, &f->title_en, &f->title_th)) {
        problem = "its title needs \"en\" and \"th\" strings";
    } else if (!parse_pair(root, "question", true, &f->question_en, &f->question_th)) {
        problem = "its question needs \"en\" and \"th\" strings";
    } else if (!parse_pair(root, "note", false, &f->note_en, &f->note_th)) {
        problem = "its note needs \"en\" and \"th\" strings";
    } else {
        problem = parse_query(json_object_get(root, "query"), f);
    }
    if (problem == NULL) {
        f->id = xstrdup(id);
    }
    json_decref(root);
    return problem;
}

/* Reading (the server's snapshot) */

static int table_exists(struct store *st, bool *exists, struct err *err)
{
    int64_t count = 0;
    int rc = store_query_int(st,
                             "SELECT count(*) FROM sqlite_master"
                             " WHERE type = 'table' AND name = 'cityatlas_featured'",
                             &count, err);
    *exists = count > 0;
    return rc;
}

/* Prepares featured_list_sql; *stmt stays NULL for a database made before featured
 * statistics existed (no table: an empty list). */
static int prepare_list(struct store *st, sqlite3_stmt **stmt, struct err *err)
{
    *stmt = NULL;
    bool exists = false;
    int rc = table_exists(st, &exists, err);
    if (rc != ERR_OK || !exists) {
        return rc;
    }
    if (sqlite3_prepare_v2(st->db, featured_list_sql, -1, stmt, NULL) != SQLITE_OK) {
        return store_db_error(st, "reading featured statistics", err);
    }
    return ERR_OK;
}

static int read_rows(struct store *st, sqlite3_stmt *stmt, struct store_featured **list, size_t *n,
                     struct store_damage_list *damage, struct err *err)
{
    size_t cap = 0;
    int step;
    while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(stmt, 0);
        const char *json = (const char *)sqlite3_column_text(stmt, 1);
        if (*n == cap) {
            cap = cap * 2 + 8;
            *list = xreallocarray(*list, cap, sizeof(**list));
        }
        const char *problem =
            featured_parse(id != NULL ? id : "", json != NULL ? json : "", &(*list)[*n]);
        if (problem != NULL) {
            featured_clear(&(*list)[*n]);
            struct err why;
            err_set(&why, ERR_DB, "featured statistic '%s' in %s is unreadable: %s",
                    utf8_excerpt(id, 60).text, st->path, problem);
            store_damage_add(damage, id != NULL ? id : "", true, why.msg);
            continue;
        }
        (*n)++;
    }
    return step == SQLITE_DONE ? ERR_OK : store_db_error(st, "reading featured statistics", err);
}

int store_featured_load(struct store *st, struct store_featured **out, size_t *n,
                        struct store_damage_list *damage, struct err *err)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *stmt = NULL;
    int rc = prepare_list(st, &stmt, err);
    if (rc != ERR_OK || stmt == NULL) {
        return rc;
    }
    rc = read_rows(st, stmt, out, n, damage, err);
    sqlite3_finalize(stmt);
    if (rc != ERR_OK) {
        store_featured_list_free(*out, *n);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

void store_featured_list_free(struct store_featured *list, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        featured_clear(&list[i]);
    }
    free(list);
}

const struct store_featured *store_read_featured(const struct store_read *rd, size_t *n)
{
    *n = rd->catalog->n_featured;
    return rd->catalog->featured;
}

const struct store_featured *store_read_featured_find(const struct store_read *rd, const char *id)
{
    for (size_t i = 0; i < rd->catalog->n_featured; i++) {
        if (strcmp(rd->catalog->featured[i].id, id) == 0) {
            return &rd->catalog->featured[i];
        }
    }
    return NULL;
}

/* Writing (an import's transaction) */

static int check_defs(const struct store_featured_def *defs, size_t n, struct err *err)
{
    for (size_t i = 0; i < n; i++) {
        struct store_featured f;
        const char *problem = featured_parse(defs[i].id, defs[i].definition, &f);
        featured_clear(&f);
        if (problem != NULL) {
            return err_set(err, ERR_INVALID, "featured statistic '%s': %s", defs[i].id, problem);
        }
        for (size_t j = 0; j < i; j++) {
            if (strcmp(defs[j].id, defs[i].id) == 0) {
                return err_set(err, ERR_INVALID, "featured statistic '%s' is listed twice",
                               defs[i].id);
            }
        }
    }
    return ERR_OK;
}

/* Sets *same when the stored list is defs[n], row for row. */
static int is_stored(struct store *st, const struct store_featured_def *defs, size_t n, bool *same,
                     struct err *err)
{
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(st->db, featured_list_sql, -1, &stmt, NULL) != SQLITE_OK) {
        return store_db_error(st, "reading featured statistics", err);
    }
    size_t i = 0;
    *same = true;
    int step = SQLITE_DONE;
    while (*same && (step = sqlite3_step(stmt)) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(stmt, 0);
        const char *json = (const char *)sqlite3_column_text(stmt, 1);
        *same = i < n && id != NULL && json != NULL && strcmp(id, defs[i].id) == 0 &&
                strcmp(json, defs[i].definition) == 0;
        i++;
    }
    int rc = ERR_OK;
    if (*same && step != SQLITE_DONE) {
        rc = store_db_error(st, "reading featured statistics", err);
    }
    *same = *same && i == n;
    sqlite3_finalize(stmt);
    return rc;
}

static int insert_defs(struct store *st, const struct store_featured_def *defs, size_t n,
                       struct err *err)
{
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(st->db,
                           "INSERT INTO cityatlas_featured (id, position, definition)"
                           " VALUES (?, ?, ?)",
                           -1, &stmt, NULL) != SQLITE_OK) {
        return store_db_error(st, "storing featured statistics", err);
    }
    int rc = ERR_OK;
    for (size_t i = 0; rc == ERR_OK && i < n; i++) {
        sqlite3_bind_text(stmt, 1, defs[i].id, -1, SQLITE_STATIC);
        sqlite3_bind_int64(stmt, 2, (sqlite3_int64)i);
        sqlite3_bind_text(stmt, 3, defs[i].definition, -1, SQLITE_STATIC);
        if (sqlite3_step(stmt) != SQLITE_DONE) {
            rc = store_db_error(st, "storing featured statistics", err);
        }
        sqlite3_reset(stmt);
    }
    sqlite3_finalize(stmt);
    return rc;
}

int store_featured_replace(struct store *st, const struct store_featured_def *defs, size_t n,
                           struct err *err)
{
    if (!st->in_transaction) {
        return err_set(err, ERR_INTERNAL, "store_featured_replace outside an import transaction");
    }
    int rc = check_defs(defs, n, err);
    bool same = false;
    if (rc == ERR_OK) {
        rc = is_stored(st, defs, n, &same, err);
    }
    if (rc != ERR_OK || same) {
        return rc;
    }
    rc = store_exec(st, "DELETE FROM cityatlas_featured", err);
    if (rc == ERR_OK) {
        rc = insert_defs(st, defs, n, err);
    }
    if (rc == ERR_OK) {
        rc = store_generation_move(st, err);
    }
    return rc;
}

int store_generation_move(struct store *st, struct err *err)
{
    /* The server reloads its catalog when the generation (the version counter) moves;
     * taking a number from the counter, as a layer import does, makes it move even when
     * this import wrote no layer. */
    return store_exec(st,
                      "UPDATE cityatlas_meta SET value = CAST(value AS INTEGER) + 1"
                      " WHERE key = 'last_version'",
                      err);
}

void store_strings_free(char **list, size_t n)
{
    for (size_t i = 0; list != NULL && i < n; i++) {
        free(list[i]);
    }
    free(list);
}

int store_featured_read_defs(struct store *st, char ***ids, char ***definitions, size_t *n,
                             struct err *err)
{
    *ids = *definitions = NULL;
    *n = 0;
    sqlite3_stmt *stmt = NULL;
    int rc = prepare_list(st, &stmt, err);
    if (rc != ERR_OK || stmt == NULL) {
        return rc;
    }
    int step;
    while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(stmt, 0);
        const char *json = (const char *)sqlite3_column_text(stmt, 1);
        *ids = xreallocarray(*ids, *n + 1, sizeof(char *));
        *definitions = xreallocarray(*definitions, *n + 1, sizeof(char *));
        (*ids)[*n] = xstrdup(id != NULL ? id : "");
        (*definitions)[*n] = xstrdup(json != NULL ? json : "");
        (*n)++;
    }
    sqlite3_finalize(stmt);
    if (step != SQLITE_DONE) {
        rc = store_db_error(st, "reading featured statistics", err);
        store_strings_free(*ids, *n);
        store_strings_free(*definitions, *n);
        *ids = *definitions = NULL;
        *n = 0;
    }
    return rc;
}

int store_featured_count(struct store *st, size_t *n, struct err *err)
{
    *n = 0;
    bool exists = false;
    int rc = table_exists(st, &exists, err);
    if (rc != ERR_OK || !exists) {
        return rc;
    }
    int64_t count = 0;
    rc = store_query_int(st, "SELECT count(*) FROM cityatlas_featured", &count, err);
    *n = (size_t)count;
    return rc;
}
