/* store_scenario_write.c - what every write of a scenario, its sketches, its sketch layer
 * or a token shares (store_scenario_int.h): the tables, created when missing, the write
 * transaction, the clock, the generation bump, the sketch layer's id and a scenario's row.
 * Apart from store_scenarios.c because that file refreshes sketch layers through
 * store_sketches.c, and the sketch writers need these. */
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

int store_scenario_doc_titles(const char *id, const char *doc, char **title_th, char **title_en,
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
        rc = store_scenario_doc_titles(id, out->doc, &out->title_th, &out->title_en, err);
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
