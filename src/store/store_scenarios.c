/* store_scenarios.c - scenario documents in cityatlas_scenarios: the tables, the write
 * transactions every scenario, sketch and token write shares, reading documents on a
 * snapshot or a plain connection, creating, replacing and deleting them. */
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

/* The tables came after schema version 1 shipped. Adding them changes nothing older
 * binaries read, so the version stays 1 (as for cityatlas_featured): every write creates
 * them when missing and readers take a missing table for an empty one.
 * next_sketch_id is a counter so that a deleted sketch's id is never given to another
 * (a phone that was offline may still send an edit for it). */
static const char scenario_ddl[] = "CREATE TABLE IF NOT EXISTS cityatlas_scenarios ("
                                   "  id TEXT PRIMARY KEY,"
                                   "  doc TEXT NOT NULL,"        /* the document's JSON text */
                                   "  created_at TEXT NOT NULL," /* ISO 8601 UTC */
                                   "  updated_at TEXT NOT NULL,"
                                   "  next_sketch_id INTEGER NOT NULL DEFAULT 1);"
                                   "CREATE TABLE IF NOT EXISTS cityatlas_tokens ("
                                   "  name TEXT PRIMARY KEY,"
                                   "  sha256 TEXT NOT NULL UNIQUE," /* lowercase hex */
                                   "  created_at TEXT NOT NULL,"
                                   "  revoked_at TEXT);" /* NULL while active */
                                   /* A facilitator token's scenarios; none: an admin. */
                                   "CREATE TABLE IF NOT EXISTS cityatlas_token_scenarios ("
                                   "  token_name TEXT NOT NULL,"
                                   "  scenario_id TEXT NOT NULL,"
                                   "  PRIMARY KEY (token_name, scenario_id));" STORE_WORKSHOP_DDL;

/* Shared by the writers */

int store_scenario_tx_begin(struct store *st, bool *is_owned, struct err *err)
{
    *is_owned = false;
    if (st->mode != STORE_READ_WRITE) {
        return err_set(err, ERR_INTERNAL, "database %s is open read-only", st->path);
    }
    if (!st->in_transaction) {
        /* A sketch, a scenario or a token is typed by a person who was told "saved": FULL
         * makes each commit fsync the WAL, so an acknowledged write survives a power cut
         * (NORMAL, right for imports that can be run again, may lose the last commits).
         * One fsync per hand-made write costs nothing next to the request. Set before
         * BEGIN: SQLite applies it per connection, and this one stays for such writes. */
        int rc = store_exec(st, "PRAGMA synchronous = FULL", err);
        rc = rc == ERR_OK ? store_import_begin(st, err) : rc;
        if (rc != ERR_OK) {
            return rc;
        }
        *is_owned = true;
    }
    int rc = store_exec(st, scenario_ddl, err);
    if (rc != ERR_OK && *is_owned) {
        store_import_rollback(st);
        *is_owned = false;
    }
    return rc;
}

int store_scenario_tx_end(struct store *st, bool is_owned, int rc, struct err *err)
{
    if (!is_owned) {
        return rc;
    }
    if (rc != ERR_OK) {
        store_import_rollback(st);
        return rc;
    }
    return store_import_commit(st, err);
}

int store_scenario_table_exists(struct store *st, const char *name, bool *exists, struct err *err)
{
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
                           -1, &stmt, NULL) != SQLITE_OK) {
        return store_db_error(st, "reading the schema", err);
    }
    sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
    int step = sqlite3_step(stmt);
    *exists = step == SQLITE_ROW && sqlite3_column_int(stmt, 0) > 0;
    sqlite3_finalize(stmt);
    return step == SQLITE_ROW ? ERR_OK : store_db_error(st, "reading the schema", err);
}

void store_scenario_now(char out[32])
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int store_scenario_bump_generation(struct store *st, struct err *err)
{
    return store_exec(st,
                      "UPDATE cityatlas_meta SET value = CAST(value AS INTEGER) + 1"
                      " WHERE key = 'last_version'",
                      err);
}

void store_scenario_layer_id(const char *scenario_id, char *out, size_t cap)
{
    snprintf(out, cap, "scenario-%s-sketches", scenario_id);
}

/* The document as the store needs it: an object whose id is id, with a Thai and English
 * title (the sketch layer's title). The full check is scenario_doc.c's, before this. */
static int doc_titles(const char *id, const char *doc, char **title_th, char **title_en,
                      struct err *err)
{
    json_error_t jerr;
    json_t *root = json_loads(doc, JSON_REJECT_DUPLICATES, &jerr);
    const char *doc_id = json_string_value(json_object_get(root, "id"));
    const json_t *title = json_object_get(root, "title");
    const char *th = json_string_value(json_object_get(title, "th"));
    const char *en = json_string_value(json_object_get(title, "en"));
    int rc = ERR_OK;
    if (!json_is_object(root)) {
        rc = err_set(err, ERR_INVALID, "scenario '%s': the document is not a JSON object", id);
    } else if (doc_id == NULL || strcmp(doc_id, id) != 0) {
        rc = err_set(err, ERR_INVALID, "scenario '%s': the document's id is not '%s'", id, id);
    } else if (th == NULL || en == NULL) {
        rc = err_set(err, ERR_INVALID, "scenario '%s': the document needs title.th and title.en",
                     id);
    } else {
        *title_th = xstrdup(th);
        *title_en = xstrdup(en);
    }
    json_decref(root);
    return rc;
}

int store_scenario_row_read(struct store *st, const char *id, struct store_scenario_row *out,
                            struct err *err)
{
    memset(out, 0, sizeof(*out));
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT doc, next_sketch_id FROM cityatlas_scenarios WHERE id = ?", -1,
                           &stmt, NULL) != SQLITE_OK) {
        return store_db_error(st, "reading a scenario", err);
    }
    sqlite3_bind_text(stmt, 1, id, -1, SQLITE_STATIC);
    int step = sqlite3_step(stmt);
    int rc = ERR_OK;
    if (step == SQLITE_ROW) {
        out->doc = xstrdup((const char *)sqlite3_column_text(stmt, 0));
        out->next_sketch_id = sqlite3_column_int64(stmt, 1);
    } else if (step == SQLITE_DONE) {
        rc = err_set(err, ERR_NOT_FOUND, "no scenario '%s'", id);
    } else {
        rc = store_db_error(st, "reading a scenario", err);
    }
    sqlite3_finalize(stmt);
    if (rc == ERR_OK) {
        rc = doc_titles(id, out->doc, &out->title_th, &out->title_en, err);
    }
    if (rc != ERR_OK) {
        store_scenario_row_clear(out);
    }
    return rc;
}

void store_scenario_row_clear(struct store_scenario_row *row)
{
    free(row->doc);
    free(row->title_th);
    free(row->title_en);
    memset(row, 0, sizeof(*row));
}

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
    int rc = doc_titles(id, doc_json, &th, &en, err);
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
