/* store_layer_edit.c - registry edits that change no layer contents: metadata (title,
 * theme, licence, ...) and the layer id. Each moves the registry generation, so running
 * servers reload their catalog at their next request. Also the registry question a
 * catalog re-import asks before reading a file again: is it unchanged? */
#include "store/store.h"

#include <stdint.h>
#include <stdio.h>

#include <sqlite3.h>

#include "store/store_int.h"

int store_layer_view_drop(struct store *st, const char *id, struct err *err)
{
    char *sql = sqlite3_mprintf("DROP VIEW IF EXISTS \"%w\";"
                                "DELETE FROM views_geometry_columns WHERE view_name = lower(%Q);",
                                id, id);
    int rc = store_exec(st, sql, err);
    sqlite3_free(sql);
    return rc;
}

int store_layer_view_write(struct store *st, const char *id, const char *table, bool has_geometry,
                           struct err *err)
{
    int rc = store_layer_view_drop(st, id, err);
    char *sql = sqlite3_mprintf("CREATE VIEW \"%w\" AS SELECT * FROM \"%w\"", id, table);
    if (rc == ERR_OK) {
        rc = store_exec(st, sql, err);
    }
    sqlite3_free(sql);
    if (rc == ERR_OK && has_geometry) {
        sql = sqlite3_mprintf("INSERT INTO views_geometry_columns (view_name, view_geometry,"
                              " view_rowid, f_table_name, f_geometry_column, read_only)"
                              " VALUES (lower(%Q), 'geom', 'fid', lower(%Q), 'geom', 1)",
                              id, table);
        rc = store_exec(st, sql, err);
        sqlite3_free(sql);
    }
    return rc;
}

static int bump_generation(struct store *st, struct err *err)
{
    return store_exec(st,
                      "UPDATE cityatlas_meta SET value = CAST(value AS INTEGER) + 1 "
                      "WHERE key = 'last_version'",
                      err);
}

/* Prepares sql with id bound as ?1. */
static int prepare_for(struct store *st, const char *sql, const char *id, sqlite3_stmt **s,
                       struct err *err)
{
    if (sqlite3_prepare_v2(st->db, sql, -1, s, NULL) != SQLITE_OK) {
        return store_db_error(st, "preparing a registry statement", err);
    }
    sqlite3_bind_text(*s, 1, id, -1, SQLITE_STATIC);
    return ERR_OK;
}

static int layer_exists(struct store *st, const char *id, bool *exists, struct err *err)
{
    sqlite3_stmt *s = NULL;
    if (prepare_for(st, "SELECT count(*) FROM cityatlas_layers WHERE id = ?1", id, &s, err) !=
        ERR_OK) {
        return ERR_DB;
    }
    int rc = sqlite3_step(s) == SQLITE_ROW ? ERR_OK
                                           : store_db_error(st, "reading the layer registry", err);
    *exists = rc == ERR_OK && sqlite3_column_int(s, 0) > 0;
    sqlite3_finalize(s);
    return rc;
}

static int check_editable(struct store *st, const char *id, struct err *err)
{
    if (!st->in_transaction) {
        return err_set(err, ERR_INTERNAL, "layer edit outside an import transaction");
    }
    bool exists = false;
    int rc = layer_exists(st, id, &exists, err);
    if (rc == ERR_OK && !exists) {
        rc = err_set(err, ERR_NOT_FOUND, "no layer '%s' (see 'cityatlas layers')", id);
    }
    return rc;
}

int store_layer_edit(struct store *st, const char *id, const struct store_layer_edit *e,
                     struct err *err)
{
    int rc = check_editable(st, id, err);
    if (rc != ERR_OK) {
        return rc;
    }
    static const char sql[] =
        "UPDATE cityatlas_layers SET title_en = coalesce(?2, title_en),"
        " title_th = coalesce(?3, title_th), description_en = coalesce(?4, description_en),"
        " description_th = coalesce(?5, description_th), theme = coalesce(?6, theme),"
        " source = coalesce(?7, source), source_url = coalesce(?8, source_url),"
        " license = coalesce(?9, license), attribution = coalesce(?10, attribution)"
        " WHERE id = ?1";
    sqlite3_stmt *s = NULL;
    if (prepare_for(st, sql, id, &s, err) != ERR_OK) {
        return ERR_DB;
    }
    const char *values[] = {
        id,       e->title_en, e->title_th,   e->description_en, e->description_th,
        e->theme, e->source,   e->source_url, e->license,        e->attribution};
    for (int i = 1; i < (int)(sizeof(values) / sizeof(values[0])); i++) {
        if (values[i] != NULL) {
            sqlite3_bind_text(s, i + 1, values[i], -1, SQLITE_STATIC);
        }
    }
    rc = sqlite3_step(s) == SQLITE_DONE ? ERR_OK : store_db_error(st, "updating the registry", err);
    sqlite3_finalize(s);
    return rc == ERR_OK ? bump_generation(st, err) : rc;
}

static int move_view(struct store *st, const char *id, const char *new_id, struct err *err)
{
    sqlite3_stmt *s = NULL;
    if (prepare_for(st,
                    "SELECT table_name, geometry_type IS NOT NULL FROM cityatlas_layers"
                    " WHERE id = ?1",
                    id, &s, err) != ERR_OK) {
        return ERR_DB;
    }
    int rc = sqlite3_step(s) == SQLITE_ROW ? ERR_OK
                                           : store_db_error(st, "reading the layer registry", err);
    if (rc == ERR_OK) {
        rc = store_layer_view_drop(st, id, err);
    }
    if (rc == ERR_OK) {
        rc = store_layer_view_write(st, new_id, (const char *)sqlite3_column_text(s, 0),
                                    sqlite3_column_int(s, 1) != 0, err);
    }
    sqlite3_finalize(s);
    return rc;
}

int store_layer_rename(struct store *st, const char *id, const char *new_id, struct err *err)
{
    int rc = check_editable(st, id, err);
    bool taken = false;
    if (rc == ERR_OK) {
        rc = layer_exists(st, new_id, &taken, err);
    }
    if (rc == ERR_OK && taken) {
        rc = err_set(err, ERR_INVALID, "layer id '%s' is already taken", new_id);
    }
    sqlite3_stmt *s = NULL;
    if (rc == ERR_OK) {
        rc = prepare_for(st, "UPDATE cityatlas_layers SET id = ?2 WHERE id = ?1", id, &s, err);
    }
    if (rc == ERR_OK) {
        rc = move_view(st, id, new_id, err);
    }
    if (rc == ERR_OK) {
        sqlite3_bind_text(s, 2, new_id, -1, SQLITE_STATIC);
        rc = sqlite3_step(s) == SQLITE_DONE ? ERR_OK
                                            : store_db_error(st, "updating the registry", err);
    }
    sqlite3_finalize(s);
    return rc == ERR_OK ? bump_generation(st, err) : rc;
}

int store_layer_unchanged(struct store *st, const char *id, const char *source_layer,
                          const char *checksum, const char *catalog_json, bool *unchanged,
                          struct err *err)
{
    *unchanged = false;
    sqlite3_stmt *s = NULL;
    if (prepare_for(st,
                    "SELECT count(*) FROM cityatlas_layers WHERE id = ?1 AND source_layer IS ?2"
                    " AND source_checksum IS ?3 AND catalog IS ?4",
                    id, &s, err) != ERR_OK) {
        return ERR_DB;
    }
    const char *values[] = {source_layer, checksum, catalog_json};
    for (int i = 0; i < 3; i++) {
        if (values[i] != NULL) {
            sqlite3_bind_text(s, i + 2, values[i], -1, SQLITE_STATIC);
        }
    }
    int rc = sqlite3_step(s) == SQLITE_ROW ? ERR_OK
                                           : store_db_error(st, "reading the layer registry", err);
    *unchanged = rc == ERR_OK && sqlite3_column_int(s, 0) == 1;
    sqlite3_finalize(s);
    return rc;
}

int store_layer_claim_check(struct store *st, const char *id, const char *source_path,
                            const char *source_layer, bool allow_replace, struct err *err)
{
    sqlite3_stmt *s = NULL;
    if (prepare_for(st,
                    "SELECT source_path, source_layer, source_path IS ?2 AND source_layer IS ?3"
                    " FROM cityatlas_layers WHERE id = ?1",
                    id, &s, err) != ERR_OK) {
        return ERR_DB;
    }
    sqlite3_bind_text(s, 2, source_path, -1, SQLITE_STATIC);
    if (source_layer != NULL) {
        sqlite3_bind_text(s, 3, source_layer, -1, SQLITE_STATIC);
    }
    int step = sqlite3_step(s);
    int rc = step == SQLITE_ROW || step == SQLITE_DONE
                 ? ERR_OK
                 : store_db_error(st, "reading the layer registry", err);
    if (step == SQLITE_ROW && !allow_replace && sqlite3_column_int(s, 2) == 0) {
        const char *old_layer = (const char *)sqlite3_column_text(s, 1);
        rc = err_set(err, ERR_INVALID,
                     "layer id '%s' is already used by a layer imported from %s (layer %s); "
                     "choose another id with --id, or pass --replace to replace it",
                     id, (const char *)sqlite3_column_text(s, 0),
                     old_layer != NULL ? old_layer : "-");
    }
    sqlite3_finalize(s);
    return rc;
}
