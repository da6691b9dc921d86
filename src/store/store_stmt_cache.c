/* store_stmt_cache.c - a pooled connection's cache of prepared statements
 * (store_read_int.h): the features query, the R*Tree count and the time filter borrow
 * their statements here. Apart from store_pool.c, which closes the snapshot's open cursor
 * (store_features.c), so that those readers do not depend on the pool that depends on
 * them. */
#include "store/store_read_int.h"

#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"

int store_conn_statement(struct store_conn *conn, const char *sql, struct store_cached_stmt **out,
                         struct err *err)
{
    struct store_cached_stmt *victim = NULL;
    conn->use_clock++;
    for (size_t i = 0; i < STORE_STMT_CACHE_SIZE; i++) {
        struct store_cached_stmt *cs = &conn->stmts[i];
        if (cs->sql != NULL && !cs->is_in_use && strcmp(cs->sql, sql) == 0) {
            cs->last_used = conn->use_clock;
            cs->is_in_use = 1;
            *out = cs;
            return ERR_OK;
        }
        if (!cs->is_in_use && (victim == NULL || cs->last_used < victim->last_used)) {
            victim = cs;
        }
    }
    if (victim == NULL) {
        return err_set(err, ERR_INTERNAL, "every cached statement is in use");
    }
    sqlite3_finalize(victim->stmt);
    free(victim->sql);
    victim->sql = NULL;
    victim->stmt = NULL;
    if (sqlite3_prepare_v3(conn->st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &victim->stmt, NULL) !=
        SQLITE_OK) {
        int rc = store_db_error(conn->st, "preparing a query", err);
        sqlite3_finalize(victim->stmt);
        victim->stmt = NULL;
        return rc;
    }
    victim->sql = xstrdup(sql);
    victim->last_used = conn->use_clock;
    victim->is_in_use = 1;
    *out = victim;
    return ERR_OK;
}

void store_conn_release(struct store_cached_stmt *cs)
{
    if (cs == NULL) {
        return;
    }
    sqlite3_reset(cs->stmt);
    sqlite3_clear_bindings(cs->stmt);
    cs->is_in_use = 0;
}

void store_conn_statements_clear(struct store_conn *conn)
{
    for (size_t i = 0; i < STORE_STMT_CACHE_SIZE; i++) {
        sqlite3_finalize(conn->stmts[i].stmt);
        free(conn->stmts[i].sql);
        conn->stmts[i] = (struct store_cached_stmt){0};
    }
}
