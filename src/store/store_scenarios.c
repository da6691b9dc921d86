/* store_scenarios.c - scenario documents in cityatlas_scenarios: reading them on a
 * snapshot or a plain connection, creating, replacing and deleting them. The tables and
 * the write transaction are in store_scenario_write.c. */
#include "store/store_scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "base/alloc.h"
#include "base/parse.h"
#include "base/buf.h"
#include "store/store_read_int.h"
#include "store/store_sql.h"
#include "store/store_scenario_int.h"
#include "base/utf8.h"

/* Reading */

static const char list_sql[] =
    "SELECT s.id, s.doc, s.created_at, s.updated_at, l.feature_count"
    " FROM cityatlas_scenarios s"
    " LEFT JOIN cityatlas_layers l ON l.id = 'scenario-' || s.id || '-sketches'";

static char *column_dup(sqlite3_stmt *stmt, int col)
{
    const unsigned char *t = sqlite3_column_text(stmt, col);
    return xstrdup(t != NULL ? (const char *)t : "");
}

static void read_scenario(sqlite3_stmt *stmt, struct store_scenario *s)
{
    s->id = column_dup(stmt, 0);
    s->doc = column_dup(stmt, 1);
    s->created_at = column_dup(stmt, 2);
    s->updated_at = column_dup(stmt, 3);
    s->n_sketches = sqlite3_column_int64(stmt, 4);
    s->sketch_layer_id = xasprintf("scenario-%s-sketches", s->id);
}

/* Rows of list_sql + where (bound to id when not NULL). */
static int query_scenarios(struct store *st, const char *where, const char *id,
                           struct store_scenario **out, size_t *n, struct err *err)
{
    *out = NULL;
    *n = 0;
    bool exists = false;
    int rc = store_scenario_table_exists(st, "cityatlas_scenarios", &exists, err);
    if (rc != ERR_OK || !exists) {
        return rc;
    }
    char *sql = xasprintf("%s%s ORDER BY s.id", list_sql, where);
    sqlite3_stmt *stmt = NULL;
    rc = sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL) == SQLITE_OK
             ? ERR_OK
             : store_db_error(st, "reading scenarios", err);
    free(sql);
    if (rc != ERR_OK) {
        return rc;
    }
    if (id != NULL) {
        sqlite3_bind_text(stmt, 1, id, -1, SQLITE_STATIC);
    }
    size_t cap = 0;
    int step;
    while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap * 2 + 4;
            *out = xreallocarray(*out, cap, sizeof(**out));
        }
        read_scenario(stmt, &(*out)[(*n)++]);
    }
    sqlite3_finalize(stmt);
    if (step != SQLITE_DONE) {
        store_scenarios_free(*out, *n);
        *out = NULL;
        *n = 0;
        return store_db_error(st, "reading scenarios", err);
    }
    return ERR_OK;
}

int store_scenarios_list(struct store_read *rd, struct store_scenario **out, size_t *n,
                         struct err *err)
{
    return query_scenarios(rd->conn->st, "", NULL, out, n, err);
}

int store_scenarios_list_db(struct store *st, struct store_scenario **out, size_t *n,
                            struct err *err)
{
    return query_scenarios(st, "", NULL, out, n, err);
}

int store_scenario_get(struct store_read *rd, const char *id, struct store_scenario *out,
                       struct err *err)
{
    memset(out, 0, sizeof(*out));
    struct store_scenario *list = NULL;
    size_t n = 0;
    int rc = query_scenarios(rd->conn->st, " WHERE s.id = ?1", id, &list, &n, err);
    if (rc == ERR_OK && n == 0) {
        rc = err_set(err, ERR_NOT_FOUND, "no scenario '%s'", id);
    }
    if (rc == ERR_OK) {
        *out = list[0];
        free(list);
        return ERR_OK;
    }
    store_scenarios_free(list, n);
    return rc;
}

void store_scenario_clear(struct store_scenario *s)
{
    free(s->id);
    free(s->doc);
    free(s->created_at);
    free(s->updated_at);
    free(s->sketch_layer_id);
    memset(s, 0, sizeof(*s));
}

void store_scenarios_free(struct store_scenario *list, size_t n)
{
    for (size_t i = 0; list != NULL && i < n; i++) {
        store_scenario_clear(&list[i]);
    }
    free(list);
}

/* Writing */

static bool is_scenario_id(const char *id)
{
    return id != NULL && strlen(id) <= STORE_SCENARIO_ID_MAX && parse_is_slug(id);
}

int store_scenario_exists(struct store *st, const char *id, bool *exists, struct err *err)
{
    *exists = false;
    bool has_table = false;
    int rc = store_scenario_table_exists(st, "cityatlas_scenarios", &has_table, err);
    if (rc != ERR_OK || !has_table) {
        return rc;
    }
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(st->db, "SELECT 1 FROM cityatlas_scenarios WHERE id = ?", -1, &stmt,
                           NULL) != SQLITE_OK) {
        return store_db_error(st, "reading a scenario", err);
    }
    sqlite3_bind_text(stmt, 1, id, -1, SQLITE_STATIC);
    int step = sqlite3_step(stmt);
    *exists = step == SQLITE_ROW;
    sqlite3_finalize(stmt);
    return step == SQLITE_ROW || step == SQLITE_DONE
               ? ERR_OK
               : store_db_error(st, "reading a scenario", err);
}

static int write_doc(struct store *st, const char *id, const char *doc, bool is_new,
                     struct err *err)
{
    char now[32];
    store_scenario_now(now);
    const char *sql = is_new ? "INSERT INTO cityatlas_scenarios (id, doc, created_at, updated_at)"
                               " VALUES (?1, ?2, ?3, ?3)"
                             : "UPDATE cityatlas_scenarios SET doc = ?2, updated_at = ?3"
                               " WHERE id = ?1";
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL) != SQLITE_OK) {
        return store_db_error(st, "storing a scenario", err);
    }
    sqlite3_bind_text(stmt, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, doc, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 3, now, -1, SQLITE_STATIC);
    int rc =
        sqlite3_step(stmt) == SQLITE_DONE ? ERR_OK : store_db_error(st, "storing a scenario", err);
    sqlite3_finalize(stmt);
    return rc;
}

static int put_in_tx(struct store *st, const char *id, const char *doc_json, bool must_create,
                     bool *created, struct err *err)
{
    bool exists = false;
    int rc = store_scenario_exists(st, id, &exists, err);
    if (rc == ERR_OK && exists && must_create) {
        rc = err_set(err, ERR_INVALID, "scenario '%s' already exists", id);
    }
    if (rc == ERR_OK) {
        rc = write_doc(st, id, doc_json, !exists, err);
    }
    struct store_scenario_row row = {0};
    if (rc == ERR_OK) {
        rc = store_scenario_row_read(st, id, &row, err);
    }
    /* Writing the sketch layer (empty on create, the same sketches under the new title on
     * replace) also moves the registry generation. */
    if (rc == ERR_OK) {
        rc = store_sketch_layer_refresh(st, id, &row, err);
    }
    store_scenario_row_clear(&row);
    if (rc == ERR_OK && created != NULL) {
        *created = !exists;
    }
    return rc;
}

int store_scenario_put(struct store *st, const char *id, const char *doc_json, bool must_create,
                       bool *created, struct err *err)
{
    if (!is_scenario_id(id)) {
        return err_set(err, ERR_INVALID,
                       "scenario id '%s' is not a slug of 1 to %d characters a-z, 0-9, '-'",
                       utf8_excerpt(id != NULL ? id : "", 60).text, STORE_SCENARIO_ID_MAX);
    }
    if (strlen(doc_json) > STORE_SCENARIO_DOC_MAX) {
        return err_set(err, ERR_TOO_LARGE, "scenario '%s': the document is larger than %d bytes",
                       id, STORE_SCENARIO_DOC_MAX);
    }
    char *th = NULL, *en = NULL;
    int rc = store_scenario_doc_titles(id, doc_json, &th, &en, err);
    free(th);
    free(en);
    if (rc != ERR_OK) {
        return rc;
    }
    bool is_owned = false;
    rc = store_scenario_tx_begin(st, &is_owned, err);
    if (rc != ERR_OK) {
        return rc;
    }
    rc = put_in_tx(st, id, doc_json, must_create, created, err);
    return store_scenario_tx_end(st, is_owned, rc, err);
}

int store_scenario_delete(struct store *st, const char *id, struct err *err)
{
    bool is_owned = false;
    int rc = store_scenario_tx_begin(st, &is_owned, err);
    if (rc != ERR_OK) {
        return rc;
    }
    bool exists = false;
    rc = store_scenario_exists(st, id, &exists, err);
    if (rc == ERR_OK && !exists) {
        rc = err_set(err, ERR_NOT_FOUND, "no scenario '%s'", id);
    }
    /* Its sketches, their history and its sessions go with it (a scenario made again with
     * this id starts afresh); token scopes naming it stay, so that a facilitator token
     * never widens into an admin one. */
    char *sql = sqlite3_mprintf("DELETE FROM cityatlas_scenarios WHERE id = %Q;"
                                "DELETE FROM cityatlas_sketches WHERE scenario_id = %Q;"
                                "DELETE FROM cityatlas_sketch_history WHERE scenario_id = %Q;"
                                "DELETE FROM cityatlas_participants WHERE session_id IN"
                                " (SELECT id FROM cityatlas_sessions WHERE scenario_id = %Q);"
                                "DELETE FROM cityatlas_sessions WHERE scenario_id = %Q",
                                id, id, id, id, id);
    if (rc == ERR_OK) {
        rc = store_exec(st, sql, err);
    }
    sqlite3_free(sql);
    char layer_id[STORE_SCENARIO_ID_MAX + 32];
    store_scenario_layer_id(id, layer_id, sizeof(layer_id));
    if (rc == ERR_OK) {
        rc = store_layer_delete(st, layer_id, err);
        /* A scenario whose layer someone removed by hand still goes. */
        if (rc == ERR_NOT_FOUND) {
            rc = store_scenario_bump_generation(st, err);
        }
    }
    return store_scenario_tx_end(st, is_owned, rc, err);
}

int store_layer_filter_check(const struct store_layer *layer, const struct cql2_node *filter,
                             struct err *err)
{
    struct buf sql;
    struct store_params params;
    buf_init(&sql, 1u << 20);
    store_params_init(&params);
    int rc = store_filter_compile(filter, layer, "t", &sql, &params, err);
    buf_clear(&sql);
    store_params_clear(&params);
    return rc;
}
