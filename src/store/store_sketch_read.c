/* store_sketch_read.c - the workshop views of sketches: every sketch with its status (a
 * facilitator's), the visible ones plus a participant's own, one sketch with its version
 * (the ETag of If-Match), and the history. Geometries come out as GeoJSON from SpatiaLite.
 * A database made before issue 12 has none of these tables: every read is then empty. */
#include "store/store_workshop.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "store/store_scenario_int.h"

/* Columns 0..11 of an info, as INFO_COLUMNS(table alias) lists them. */
#define INFO_COLUMNS                                                                               \
    "sketch_id, version, participant_id, kind, note, group_name, created_at, updated_at,"          \
    " created_by, %s, status, AsGeoJSON(GeomFromWKB(wkb, 4326))"

static void read_info(sqlite3_stmt *stmt, int at, struct store_sketch_info *s)
{
    s->id = sqlite3_column_int64(stmt, at + 0);
    s->version = sqlite3_column_int64(stmt, at + 1);
    s->participant_id = sqlite3_column_int64(stmt, at + 2);
    s->kind = store_column_dup(stmt, at + 3);
    s->note = store_column_dup(stmt, at + 4);
    s->group_name = store_column_dup(stmt, at + 5);
    s->created_at = store_column_dup(stmt, at + 6);
    s->updated_at = store_column_dup(stmt, at + 7);
    s->created_by = store_column_dup(stmt, at + 8);
    s->updated_by = store_column_dup(stmt, at + 9);
    s->status = store_column_dup(stmt, at + 10);
    s->geometry = store_column_dup(stmt, at + 11);
    if (s->geometry == NULL) {
        s->geometry = xstrdup("null");
    }
}

void store_sketch_info_clear(struct store_sketch_info *s)
{
    free(s->kind);
    free(s->note);
    free(s->group_name);
    free(s->created_at);
    free(s->updated_at);
    free(s->created_by);
    free(s->updated_by);
    free(s->status);
    free(s->geometry);
    memset(s, 0, sizeof(*s));
}

void store_sketch_infos_free(struct store_sketch_info *list, size_t n)
{
    for (size_t i = 0; list != NULL && i < n; i++) {
        store_sketch_info_clear(&list[i]);
    }
    free(list);
}

static int prepare(struct store *st, const char *sql, sqlite3_stmt **stmt, struct err *err)
{
    return sqlite3_prepare_v2(st->db, sql, -1, stmt, NULL) == SQLITE_OK
               ? ERR_OK
               : store_db_error(st, "reading sketches", err);
}

int store_sketch_infos_list(struct store *st, const char *scenario_id, bool all, int64_t own_id,
                            struct store_sketch_info **out, size_t *n, struct err *err)
{
    *out = NULL;
    *n = 0;
    bool exists = false;
    int rc = store_scenario_table_exists(st, "cityatlas_sketches", &exists, err);
    if (rc != ERR_OK || !exists) {
        return rc;
    }
    char *sql = xasprintf("SELECT " INFO_COLUMNS " FROM cityatlas_sketches WHERE scenario_id = ?"
                          " AND (? OR status = 'visible' OR participant_id = ?)"
                          " ORDER BY sketch_id",
                          "updated_by");
    sqlite3_stmt *stmt = NULL;
    rc = prepare(st, sql, &stmt, err);
    free(sql);
    if (rc != ERR_OK) {
        return rc;
    }
    sqlite3_bind_text(stmt, 1, scenario_id, -1, SQLITE_STATIC);
    sqlite3_bind_int(stmt, 2, all ? 1 : 0);
    sqlite3_bind_int64(stmt, 3, own_id > 0 ? own_id : -1);
    size_t cap = 0;
    int step;
    while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap * 2 + 16;
            *out = xreallocarray(*out, cap, sizeof(**out));
        }
        memset(&(*out)[*n], 0, sizeof(**out));
        read_info(stmt, 0, &(*out)[(*n)++]);
    }
    sqlite3_finalize(stmt);
    if (step != SQLITE_DONE) {
        store_sketch_infos_free(*out, *n);
        *out = NULL;
        *n = 0;
        return store_db_error(st, "reading sketches", err);
    }
    return ERR_OK;
}

int store_sketch_info_get(struct store *st, const char *scenario_id, int64_t sketch_id,
                          struct store_sketch_info *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    bool exists = false;
    int rc = store_scenario_table_exists(st, "cityatlas_sketches", &exists, err);
    if (rc != ERR_OK) {
        return rc;
    }
    if (!exists) {
        return err_set(err, ERR_NOT_FOUND, "scenario '%s' has no sketch %lld", scenario_id,
                       (long long)sketch_id);
    }
    char *sql = xasprintf("SELECT " INFO_COLUMNS " FROM cityatlas_sketches WHERE scenario_id = ?"
                          " AND sketch_id = ?",
                          "updated_by");
    sqlite3_stmt *stmt = NULL;
    rc = prepare(st, sql, &stmt, err);
    free(sql);
    if (rc != ERR_OK) {
        return rc;
    }
    sqlite3_bind_text(stmt, 1, scenario_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 2, sketch_id);
    int step = sqlite3_step(stmt);
    if (step == SQLITE_ROW) {
        read_info(stmt, 0, out);
    } else if (step == SQLITE_DONE) {
        rc = err_set(err, ERR_NOT_FOUND, "scenario '%s' has no sketch %lld", scenario_id,
                     (long long)sketch_id);
    } else {
        rc = store_db_error(st, "reading sketches", err);
    }
    sqlite3_finalize(stmt);
    return rc;
}

/* Entry columns: id, action, at, actor, actor_group, participant_id, is_deleted, then the
 * state after (INFO_COLUMNS with the entry's actor as updated_by), then the previous
 * entry's state (same shape, NULL when none) and whether it was a delete. */
static const char history_sql[] =
    "SELECT h.id, h.action, h.at, h.actor, h.actor_group, h.participant_id, h.is_deleted,"
    " h.sketch_id, h.version, h.participant_id, h.kind, h.note, h.group_name, h.created_at,"
    " h.updated_at, h.created_by, h.actor, h.status, AsGeoJSON(GeomFromWKB(h.wkb, 4326)),"
    " p.sketch_id, p.version, p.participant_id, p.kind, p.note, p.group_name, p.created_at,"
    " p.updated_at, p.created_by, p.actor, p.status, AsGeoJSON(GeomFromWKB(p.wkb, 4326)),"
    " p.is_deleted"
    " FROM cityatlas_sketch_history h LEFT JOIN cityatlas_sketch_history p ON p.id ="
    "  (SELECT max(q.id) FROM cityatlas_sketch_history q WHERE q.scenario_id = h.scenario_id"
    "   AND q.sketch_id = h.sketch_id AND q.id < h.id)"
    " WHERE h.scenario_id = ? AND h.id > ? AND (? = 0 OR h.sketch_id = ?)"
    " ORDER BY h.id LIMIT ?";

static void read_entry(sqlite3_stmt *stmt, struct store_history_entry *h)
{
    memset(h, 0, sizeof(*h));
    h->id = sqlite3_column_int64(stmt, 0);
    h->action = store_column_dup(stmt, 1);
    h->at = store_column_dup(stmt, 2);
    h->actor = store_column_dup(stmt, 3);
    h->actor_group = store_column_dup(stmt, 4);
    h->participant_id = sqlite3_column_int64(stmt, 5);
    read_info(stmt, 7, &h->after);
    h->sketch_id = h->after.id;
    h->version = h->after.version;
    h->has_after = sqlite3_column_int(stmt, 6) == 0;
    if (!h->has_after) {
        store_sketch_info_clear(&h->after);
    }
    h->has_before =
        sqlite3_column_type(stmt, 19) != SQLITE_NULL && sqlite3_column_int(stmt, 31) == 0;
    if (h->has_before) {
        read_info(stmt, 19, &h->before);
    }
}

int store_sketch_history_list(struct store *st, const char *scenario_id, int64_t after_id,
                              int64_t sketch_id, size_t limit, struct store_history_entry **out,
                              size_t *n, struct err *err)
{
    *out = NULL;
    *n = 0;
    bool exists = false;
    int rc = store_scenario_table_exists(st, "cityatlas_sketch_history", &exists, err);
    if (rc != ERR_OK || !exists) {
        return rc;
    }
    sqlite3_stmt *stmt = NULL;
    rc = prepare(st, history_sql, &stmt, err);
    if (rc != ERR_OK) {
        return rc;
    }
    sqlite3_bind_text(stmt, 1, scenario_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 2, after_id);
    sqlite3_bind_int64(stmt, 3, sketch_id);
    sqlite3_bind_int64(stmt, 4, sketch_id);
    sqlite3_bind_int64(
        stmt, 5, (sqlite3_int64)(limit < STORE_HISTORY_MAX_PAGE ? limit : STORE_HISTORY_MAX_PAGE));
    *out = xcalloc(limit > 0 && limit < STORE_HISTORY_MAX_PAGE ? limit : STORE_HISTORY_MAX_PAGE,
                   sizeof(**out));
    int step;
    while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
        read_entry(stmt, &(*out)[(*n)++]);
    }
    sqlite3_finalize(stmt);
    if (step != SQLITE_DONE) {
        store_history_entries_free(*out, *n);
        *out = NULL;
        *n = 0;
        return store_db_error(st, "reading the history", err);
    }
    return ERR_OK;
}

void store_history_entries_free(struct store_history_entry *list, size_t n)
{
    for (size_t i = 0; list != NULL && i < n; i++) {
        free(list[i].action);
        free(list[i].at);
        free(list[i].actor);
        free(list[i].actor_group);
        store_sketch_info_clear(&list[i].before);
        store_sketch_info_clear(&list[i].after);
    }
    free(list);
}
