/* store_sessions.c - participation sessions (cityatlas_sessions) and their participants
 * (cityatlas_participants: the SHA-256 of each credential, never the credential). Whether a
 * session is open is decided by the database's clock reading at each request, so closing
 * or the end time takes effect on the next request. */
#include "store/store_workshop.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "store/store_scenario_int.h"

/* Columns of a session starting at 0; ?1 in the statement is the time now. */
#define SESSION_COLUMNS                                                                            \
    "s.id, s.scenario_id, s.code, s.mode, s.groups, s.created_at, s.created_by, s.ends_at,"        \
    " s.closed_at, (s.closed_at IS NULL AND s.ends_at > ?1),"                                      \
    " (SELECT count(*) FROM cityatlas_participants p WHERE p.session_id = s.id)"

static void read_session(sqlite3_stmt *stmt, struct store_session *s)
{
    s->id = sqlite3_column_int64(stmt, 0);
    s->scenario_id = store_column_dup(stmt, 1);
    s->code = store_column_dup(stmt, 2);
    s->mode = store_column_dup(stmt, 3);
    s->groups = store_column_dup(stmt, 4);
    s->created_at = store_column_dup(stmt, 5);
    s->created_by = store_column_dup(stmt, 6);
    s->ends_at = store_column_dup(stmt, 7);
    s->closed_at = store_column_dup(stmt, 8);
    s->is_open = sqlite3_column_int(stmt, 9) != 0;
    s->n_participants = sqlite3_column_int64(stmt, 10);
}

void store_session_clear(struct store_session *s)
{
    free(s->scenario_id);
    free(s->code);
    free(s->mode);
    free(s->groups);
    free(s->created_at);
    free(s->created_by);
    free(s->ends_at);
    free(s->closed_at);
    memset(s, 0, sizeof(*s));
}

void store_sessions_free(struct store_session *list, size_t n)
{
    for (size_t i = 0; list != NULL && i < n; i++) {
        store_session_clear(&list[i]);
    }
    free(list);
}

void store_participant_clear(struct store_participant *p)
{
    free(p->name);
    free(p->group_id);
    store_session_clear(&p->session);
    memset(p, 0, sizeof(*p));
}

static int step_done(struct store *st, sqlite3_stmt *stmt, const char *what, struct err *err)
{
    int rc = sqlite3_step(stmt) == SQLITE_DONE ? ERR_OK : store_db_error(st, what, err);
    sqlite3_finalize(stmt);
    return rc;
}

int store_session_create(struct store *st, const struct store_session *s, int64_t *id,
                         struct err *err)
{
    bool is_owned = false;
    int rc = store_scenario_tx_begin(st, &is_owned, err);
    if (rc != ERR_OK) {
        return rc;
    }
    bool exists = false;
    rc = store_scenario_exists(st, s->scenario_id, &exists, err);
    if (rc == ERR_OK && !exists) {
        rc = err_set(err, ERR_NOT_FOUND, "there is no scenario '%s'", s->scenario_id);
    }
    struct store_session taken;
    memset(&taken, 0, sizeof(taken));
    if (rc == ERR_OK) {
        int found = store_session_by_code(st, s->code, &taken, err);
        rc = found == ERR_OK          ? err_set(err, ERR_INVALID, "code taken")
             : found == ERR_NOT_FOUND ? ERR_OK
                                      : found;
        store_session_clear(&taken);
    }
    char now[32];
    store_scenario_now(now);
    sqlite3_stmt *stmt = NULL;
    if (rc == ERR_OK &&
        sqlite3_prepare_v2(st->db,
                           "INSERT INTO cityatlas_sessions (scenario_id, code, mode, groups,"
                           " created_at, created_by, ends_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                           -1, &stmt, NULL) != SQLITE_OK) {
        rc = store_db_error(st, "storing a session", err);
    }
    if (rc == ERR_OK) {
        const char *texts[] = {s->scenario_id, s->code,   s->mode, s->groups, now,
                               s->created_by,  s->ends_at};
        for (int i = 0; i < 7; i++) {
            sqlite3_bind_text(stmt, i + 1, texts[i], -1, SQLITE_TRANSIENT);
        }
        rc = step_done(st, stmt, "storing a session", err);
        *id = sqlite3_last_insert_rowid(st->db);
    }
    return store_scenario_tx_end(st, is_owned, rc, err);
}

int store_session_close(struct store *st, const char *scenario_id, int64_t id, struct err *err)
{
    bool is_owned = false;
    int rc = store_scenario_tx_begin(st, &is_owned, err);
    if (rc != ERR_OK) {
        return rc;
    }
    struct store_session s;
    memset(&s, 0, sizeof(s));
    rc = store_session_get(st, scenario_id, id, &s, err);
    char now[32];
    store_scenario_now(now);
    sqlite3_stmt *stmt = NULL;
    if (rc == ERR_OK && s.closed_at == NULL) {
        if (sqlite3_prepare_v2(st->db, "UPDATE cityatlas_sessions SET closed_at = ? WHERE id = ?",
                               -1, &stmt, NULL) != SQLITE_OK) {
            rc = store_db_error(st, "closing a session", err);
        } else {
            sqlite3_bind_text(stmt, 1, now, -1, SQLITE_STATIC);
            sqlite3_bind_int64(stmt, 2, id);
            rc = step_done(st, stmt, "closing a session", err);
        }
    }
    store_session_clear(&s);
    return store_scenario_tx_end(st, is_owned, rc, err);
}

/* Runs a session query: ?2 is text when not NULL, else number; ?3 the scenario (NULL:
 * any). No row: ERR_NOT_FOUND. */
static int session_query(struct store *st, const char *where, const char *text, int64_t number,
                         const char *scenario_id, struct store_session *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    bool exists = false;
    int rc = store_scenario_table_exists(st, "cityatlas_sessions", &exists, err);
    if (rc != ERR_OK) {
        return rc;
    }
    if (!exists) {
        return err_set(err, ERR_NOT_FOUND, "there is no such session");
    }
    char *sql = xasprintf("SELECT " SESSION_COLUMNS " FROM cityatlas_sessions s WHERE %s"
                          " AND (?3 IS NULL OR s.scenario_id = ?3)",
                          where);
    sqlite3_stmt *stmt = NULL;
    rc = sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL) == SQLITE_OK
             ? ERR_OK
             : store_db_error(st, "reading sessions", err);
    free(sql);
    if (rc != ERR_OK) {
        return rc;
    }
    char now[32];
    store_scenario_now(now);
    sqlite3_bind_text(stmt, 1, now, -1, SQLITE_STATIC);
    if (text != NULL) {
        sqlite3_bind_text(stmt, 2, text, -1, SQLITE_STATIC);
    } else {
        sqlite3_bind_int64(stmt, 2, number);
    }
    sqlite3_bind_text(stmt, 3, scenario_id, -1, SQLITE_STATIC);
    int step = sqlite3_step(stmt);
    if (step == SQLITE_ROW) {
        read_session(stmt, out);
    } else if (step == SQLITE_DONE) {
        rc = err_set(err, ERR_NOT_FOUND, "there is no such session");
    } else {
        rc = store_db_error(st, "reading sessions", err);
    }
    sqlite3_finalize(stmt);
    return rc;
}

int store_session_get(struct store *st, const char *scenario_id, int64_t id,
                      struct store_session *out, struct err *err)
{
    return session_query(st, "s.id = ?2", NULL, id, scenario_id, out, err);
}

int store_session_by_code(struct store *st, const char *code, struct store_session *out,
                          struct err *err)
{
    return session_query(st, "s.code = ?2", code, 0, NULL, out, err);
}

int store_sessions_list(struct store *st, const char *scenario_id, struct store_session **out,
                        size_t *n, struct err *err)
{
    *out = NULL;
    *n = 0;
    bool exists = false;
    int rc = store_scenario_table_exists(st, "cityatlas_sessions", &exists, err);
    if (rc != ERR_OK || !exists) {
        return rc;
    }
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT " SESSION_COLUMNS " FROM cityatlas_sessions s"
                           " WHERE ?2 IS NULL OR s.scenario_id = ?2 ORDER BY s.id DESC",
                           -1, &stmt, NULL) != SQLITE_OK) {
        return store_db_error(st, "reading sessions", err);
    }
    char now[32];
    store_scenario_now(now);
    sqlite3_bind_text(stmt, 1, now, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, scenario_id, -1, SQLITE_STATIC);
    size_t cap = 0;
    int step;
    while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap * 2 + 8;
            *out = xreallocarray(*out, cap, sizeof(**out));
        }
        memset(&(*out)[*n], 0, sizeof(**out));
        read_session(stmt, &(*out)[(*n)++]);
    }
    sqlite3_finalize(stmt);
    if (step != SQLITE_DONE) {
        store_sessions_free(*out, *n);
        *out = NULL;
        *n = 0;
        return store_db_error(st, "reading sessions", err);
    }
    return ERR_OK;
}

int store_participant_add(struct store *st, int64_t session_id, const char *sha256_hex,
                          const char *name, const char *group_id, int64_t *id, struct err *err)
{
    bool is_owned = false;
    int rc = store_scenario_tx_begin(st, &is_owned, err);
    if (rc != ERR_OK) {
        return rc;
    }
    char now[32];
    store_scenario_now(now);
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(st->db,
                           "INSERT INTO cityatlas_participants (session_id, sha256, name, group_id,"
                           " created_at) VALUES (?, ?, ?, ?, ?)",
                           -1, &stmt, NULL) != SQLITE_OK) {
        rc = store_db_error(st, "storing a participant", err);
    } else {
        sqlite3_bind_int64(stmt, 1, session_id);
        sqlite3_bind_text(stmt, 2, sha256_hex, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 3, name, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 4, group_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 5, now, -1, SQLITE_STATIC);
        rc = step_done(st, stmt, "storing a participant", err);
        *id = sqlite3_last_insert_rowid(st->db);
    }
    return store_scenario_tx_end(st, is_owned, rc, err);
}

int store_participant_lookup(struct store *st, const char *sha256_hex,
                             struct store_participant *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    bool exists = false;
    int rc = store_scenario_table_exists(st, "cityatlas_participants", &exists, err);
    if (rc != ERR_OK) {
        return rc;
    }
    if (!exists) {
        return err_set(err, ERR_NOT_FOUND, "no such participant");
    }
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT p.id, p.name, p.group_id, p.session_id FROM"
                           " cityatlas_participants p WHERE p.sha256 = ?",
                           -1, &stmt, NULL) != SQLITE_OK) {
        return store_db_error(st, "reading participants", err);
    }
    sqlite3_bind_text(stmt, 1, sha256_hex, -1, SQLITE_STATIC);
    int step = sqlite3_step(stmt);
    int64_t session_id = 0;
    if (step == SQLITE_ROW) {
        out->id = sqlite3_column_int64(stmt, 0);
        out->name = store_column_dup(stmt, 1);
        out->group_id = store_column_dup(stmt, 2);
        session_id = sqlite3_column_int64(stmt, 3);
        rc = ERR_OK;
    } else if (step == SQLITE_DONE) {
        rc = err_set(err, ERR_NOT_FOUND, "no such participant");
    } else {
        rc = store_db_error(st, "reading participants", err);
    }
    sqlite3_finalize(stmt);
    if (rc == ERR_OK) {
        rc = store_session_get(st, NULL, session_id, &out->session, err);
    }
    if (rc != ERR_OK) {
        store_participant_clear(out);
    }
    return rc;
}
