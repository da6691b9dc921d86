/* store_tokens.c - facilitator tokens in cityatlas_tokens: name, SHA-256 of the token,
 * created_at, revoked_at. The token itself is never stored: a stolen database file gives
 * no one the right to write. */
#include "store/store_scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "store/store_read_int.h"
#include "store/store_scenario_int.h"

static bool is_hash_hex(const char *s)
{
    size_t n = 0;
    for (; s != NULL && s[n] != '\0'; n++) {
        if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f'))) {
            return false;
        }
    }
    return n == 64;
}

static bool is_token_name(const char *name)
{
    size_t len = name != NULL ? strlen(name) : 0;
    if (len == 0 || len > STORE_TOKEN_NAME_MAX) {
        return false;
    }
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c < 0x20 || c == 0x7F) {
            return false;
        }
    }
    return true;
}

/* Sets *state to "active", "revoked" or "" (none) for the token named name. */
static int name_state(struct store *st, const char *name, const char **state, struct err *err)
{
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(st->db, "SELECT revoked_at IS NULL FROM cityatlas_tokens WHERE name = ?",
                           -1, &stmt, NULL) != SQLITE_OK) {
        return store_db_error(st, "reading tokens", err);
    }
    sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
    int step = sqlite3_step(stmt);
    *state = step != SQLITE_ROW ? "" : sqlite3_column_int(stmt, 0) ? "active" : "revoked";
    sqlite3_finalize(stmt);
    return step == SQLITE_ROW || step == SQLITE_DONE ? ERR_OK
                                                     : store_db_error(st, "reading tokens", err);
}

static int insert_token(struct store *st, const char *name, const char *sha256_hex, struct err *err)
{
    char now[32];
    store_scenario_now(now);
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(st->db,
                           "INSERT OR REPLACE INTO cityatlas_tokens (name, sha256, created_at,"
                           " revoked_at) VALUES (?, ?, ?, NULL)",
                           -1, &stmt, NULL) != SQLITE_OK) {
        return store_db_error(st, "storing a token", err);
    }
    sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, sha256_hex, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 3, now, -1, SQLITE_STATIC);
    int rc =
        sqlite3_step(stmt) == SQLITE_DONE ? ERR_OK : store_db_error(st, "storing a token", err);
    sqlite3_finalize(stmt);
    return rc;
}

int store_token_create(struct store *st, const char *name, const char *sha256_hex, struct err *err)
{
    if (!is_token_name(name)) {
        return err_set(err, ERR_INVALID,
                       "a token name is 1 to %d bytes of text without control characters",
                       STORE_TOKEN_NAME_MAX);
    }
    if (!is_hash_hex(sha256_hex)) {
        return err_set(err, ERR_INVALID, "a token hash is 64 lowercase hex digits");
    }
    bool is_owned = false;
    int rc = store_scenario_tx_begin(st, &is_owned, err);
    if (rc != ERR_OK) {
        return rc;
    }
    const char *state = "";
    rc = name_state(st, name, &state, err);
    if (rc == ERR_OK && strcmp(state, "active") == 0) {
        rc = err_set(err, ERR_INVALID,
                     "a token named '%s' already exists; revoke it first or choose another name",
                     name);
    }
    if (rc == ERR_OK) {
        rc = insert_token(st, name, sha256_hex, err);
    }
    return store_scenario_tx_end(st, is_owned, rc, err);
}

int store_token_revoke(struct store *st, const char *name, struct err *err)
{
    bool is_owned = false;
    int rc = store_scenario_tx_begin(st, &is_owned, err);
    if (rc != ERR_OK) {
        return rc;
    }
    const char *state = "";
    rc = name_state(st, name, &state, err);
    if (rc == ERR_OK && strcmp(state, "active") != 0) {
        rc = err_set(err, ERR_NOT_FOUND, "no active token named '%s'", name);
    }
    char now[32];
    store_scenario_now(now);
    char *sql =
        sqlite3_mprintf("UPDATE cityatlas_tokens SET revoked_at = %Q WHERE name = %Q", now, name);
    if (rc == ERR_OK) {
        rc = store_exec(st, sql, err);
    }
    sqlite3_free(sql);
    return store_scenario_tx_end(st, is_owned, rc, err);
}

static int scope_count(struct store *st, const char *name, const char *scenario_id, int64_t *count,
                       struct err *err);

int store_token_lookup(struct store *st, const char *sha256_hex, struct store_token_state *out,
                       struct err *err)
{
    memset(out, 0, sizeof(*out));
    out->status = STORE_TOKEN_UNKNOWN;
    bool exists = false;
    int rc = store_scenario_table_exists(st, "cityatlas_tokens", &exists, err);
    if (rc != ERR_OK || !exists || !is_hash_hex(sha256_hex)) {
        return rc;
    }
    /* An index lookup by the hash: the timing of the comparison can only tell an attacker
     * about the SHA-256 of their own guess, never about a stored token. */
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT name, revoked_at IS NULL FROM cityatlas_tokens WHERE sha256 = ?",
                           -1, &stmt, NULL) != SQLITE_OK) {
        return store_db_error(st, "reading tokens", err);
    }
    sqlite3_bind_text(stmt, 1, sha256_hex, -1, SQLITE_STATIC);
    int step = sqlite3_step(stmt);
    if (step == SQLITE_ROW) {
        const unsigned char *name = sqlite3_column_text(stmt, 0);
        snprintf(out->name, sizeof(out->name), "%s", name != NULL ? (const char *)name : "");
        out->status = sqlite3_column_int(stmt, 1) ? STORE_TOKEN_ACTIVE : STORE_TOKEN_REVOKED;
    }
    sqlite3_finalize(stmt);
    if (step != SQLITE_ROW && step != SQLITE_DONE) {
        return store_db_error(st, "reading tokens", err);
    }
    int64_t n_scopes = 0;
    rc = step == SQLITE_ROW ? scope_count(st, out->name, NULL, &n_scopes, err) : ERR_OK;
    out->is_admin = step == SQLITE_ROW && n_scopes == 0;
    return rc;
}

/* Sets *count to the number of scenario rows of token name (only scenario_id's when not
 * NULL); 0 in a database made before scopes. */
static int scope_count(struct store *st, const char *name, const char *scenario_id, int64_t *count,
                       struct err *err)
{
    *count = 0;
    bool exists = false;
    int rc = store_scenario_table_exists(st, "cityatlas_token_scenarios", &exists, err);
    if (rc != ERR_OK || !exists) {
        return rc;
    }
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT count(*) FROM cityatlas_token_scenarios WHERE token_name = ?"
                           " AND (?2 IS NULL OR scenario_id = ?2)",
                           -1, &stmt, NULL) != SQLITE_OK) {
        return store_db_error(st, "reading tokens", err);
    }
    sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, scenario_id, -1, SQLITE_STATIC);
    int step = sqlite3_step(stmt);
    *count = step == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
    sqlite3_finalize(stmt);
    return step == SQLITE_ROW ? ERR_OK : store_db_error(st, "reading tokens", err);
}

int store_token_covers(struct store *st, const char *name, const char *scenario_id, bool *covers,
                       struct err *err)
{
    int64_t all = 0, this_one = 0;
    int rc = scope_count(st, name, NULL, &all, err);
    if (rc == ERR_OK && all > 0) {
        rc = scope_count(st, name, scenario_id, &this_one, err);
    }
    *covers = rc == ERR_OK && (all == 0 || this_one > 0);
    return rc;
}

int store_token_set_scenarios(struct store *st, const char *name, const char *const *scenario_ids,
                              size_t n, struct err *err)
{
    bool is_owned = false;
    int rc = store_scenario_tx_begin(st, &is_owned, err);
    if (rc != ERR_OK) {
        return rc;
    }
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(st->db, "DELETE FROM cityatlas_token_scenarios WHERE token_name = ?", -1,
                           &stmt, NULL) != SQLITE_OK) {
        rc = store_db_error(st, "storing a token", err);
    } else {
        sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
        rc =
            sqlite3_step(stmt) == SQLITE_DONE ? ERR_OK : store_db_error(st, "storing a token", err);
        sqlite3_finalize(stmt);
    }
    for (size_t i = 0; rc == ERR_OK && i < n; i++) {
        bool exists = false;
        rc = store_scenario_exists(st, scenario_ids[i], &exists, err);
        if (rc == ERR_OK && !exists) {
            rc = err_set(err, ERR_NOT_FOUND, "there is no scenario '%s' to give the token",
                         scenario_ids[i]);
        }
        if (rc == ERR_OK && sqlite3_prepare_v2(st->db,
                                               "INSERT OR IGNORE INTO cityatlas_token_scenarios"
                                               " (token_name, scenario_id) VALUES (?, ?)",
                                               -1, &stmt, NULL) != SQLITE_OK) {
            rc = store_db_error(st, "storing a token", err);
        } else if (rc == ERR_OK) {
            sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
            sqlite3_bind_text(stmt, 2, scenario_ids[i], -1, SQLITE_STATIC);
            rc = sqlite3_step(stmt) == SQLITE_DONE ? ERR_OK
                                                   : store_db_error(st, "storing a token", err);
            sqlite3_finalize(stmt);
        }
    }
    return store_scenario_tx_end(st, is_owned, rc, err);
}

int store_read_token_lookup(struct store_read *rd, const char *sha256_hex,
                            struct store_token_state *out, struct err *err)
{
    return store_token_lookup(rd->conn->st, sha256_hex, out, err);
}

/* The scenario ids of token t. */
static int read_scopes(struct store *st, struct store_token_info *t, struct err *err)
{
    bool exists = false;
    int rc = store_scenario_table_exists(st, "cityatlas_token_scenarios", &exists, err);
    if (rc != ERR_OK || !exists) {
        return rc;
    }
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT scenario_id FROM cityatlas_token_scenarios WHERE token_name = ?"
                           " ORDER BY scenario_id",
                           -1, &stmt, NULL) != SQLITE_OK) {
        return store_db_error(st, "reading tokens", err);
    }
    sqlite3_bind_text(stmt, 1, t->name, -1, SQLITE_STATIC);
    int step;
    while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
        t->scenarios = xreallocarray(t->scenarios, t->n_scenarios + 1, sizeof(*t->scenarios));
        t->scenarios[t->n_scenarios++] = store_column_dup(stmt, 0);
    }
    sqlite3_finalize(stmt);
    return step == SQLITE_DONE ? ERR_OK : store_db_error(st, "reading tokens", err);
}

int store_tokens_list(struct store *st, struct store_token_info **out, size_t *n, struct err *err)
{
    *out = NULL;
    *n = 0;
    bool exists = false;
    int rc = store_scenario_table_exists(st, "cityatlas_tokens", &exists, err);
    if (rc != ERR_OK || !exists) {
        return rc;
    }
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(
            st->db, "SELECT name, created_at, revoked_at FROM cityatlas_tokens ORDER BY name", -1,
            &stmt, NULL) != SQLITE_OK) {
        return store_db_error(st, "reading tokens", err);
    }
    size_t cap = 0;
    int step;
    while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap * 2 + 8;
            *out = xreallocarray(*out, cap, sizeof(**out));
        }
        struct store_token_info *t = &(*out)[(*n)++];
        t->name = store_column_dup(stmt, 0);
        t->created_at = store_column_dup(stmt, 1);
        t->revoked_at = store_column_dup(stmt, 2);
        t->scenarios = NULL;
        t->n_scenarios = 0;
    }
    sqlite3_finalize(stmt);
    if (step != SQLITE_DONE) {
        store_token_infos_free(*out, *n);
        *out = NULL;
        *n = 0;
        return store_db_error(st, "reading tokens", err);
    }
    for (size_t i = 0; rc == ERR_OK && i < *n; i++) {
        rc = read_scopes(st, &(*out)[i], err);
    }
    return rc;
}

void store_token_infos_free(struct store_token_info *infos, size_t n)
{
    for (size_t i = 0; infos != NULL && i < n; i++) {
        free(infos[i].name);
        free(infos[i].created_at);
        free(infos[i].revoked_at);
        for (size_t k = 0; k < infos[i].n_scenarios; k++) {
            free(infos[i].scenarios[k]);
        }
        free(infos[i].scenarios);
    }
    free(infos);
}
