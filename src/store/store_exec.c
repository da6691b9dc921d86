/* store_exec.c - running a statement and turning SQLite's errors into err, with the
 * causes SQLite leaves out (a full disk, a folder that cannot take the -wal and -shm
 * files). Every store_*.c file uses these, so they live apart from opening (store.c). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "base/alloc.h"
#include "base/path.h"
#include "store/store.h"
#include "store/store_int.h"

/* Why the folder of path cannot take the -wal and -shm files SQLite creates, or NULL. */
static const char *folder_problem(const char *path, char *folder, size_t cap)
{
    char *dir = path_dirname(path);
    snprintf(folder, cap, "%s", dir);
    free(dir);
    return access(folder, W_OK | X_OK) != 0 ? strerror(errno) : NULL;
}

int store_check_writable(const char *path, struct err *err)
{
    static const char *const suffixes[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < 3; i++) {
        char *p = xasprintf("%s%s", path, suffixes[i]);
        int rc = access(p, F_OK) == 0 && access(p, W_OK) != 0
                     ? err_set(err, ERR_READ_ONLY, "the file %s cannot be written (%s)", p,
                               strerror(errno))
                     : ERR_OK;
        free(p);
        if (rc != ERR_OK) {
            return rc;
        }
    }
    char folder[PATH_MAX];
    const char *why = folder_problem(path, folder, sizeof(folder));
    if (why != NULL) {
        return err_set(err, ERR_READ_ONLY,
                       "the folder %s of database %s cannot be written (%s), and SQLite creates "
                       "the database's -wal and -shm files there",
                       folder, path, why);
    }
    return ERR_OK;
}
int store_db_error(struct store *st, const char *action, struct err *err)
{
    int code = sqlite3_errcode(st->db);
    enum err_code ec = ERR_DB;
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED) {
        ec = ERR_BUSY;
    } else if (code == SQLITE_CANTOPEN) {
        ec = ERR_IO;
    }
    /* A full disk is the database's problem (ERR_DB: the CLI exits 5, not "bad input"),
     * and SQLite may call it a plain I/O error (a WAL or -shm write): errno says. */
    if (code == SQLITE_FULL || (code == SQLITE_IOERR && sqlite3_system_errno(st->db) == ENOSPC)) {
        return err_set(err, ERR_DB,
                       "%s: the disk holding database %s is full (%s); free some space and "
                       "try again",
                       action, st->path, sqlite3_errmsg(st->db));
    }
    char folder[PATH_MAX];
    const char *why =
        code == SQLITE_CANTOPEN ? folder_problem(st->path, folder, sizeof(folder)) : NULL;
    if (why != NULL) {
        /* "unable to open database file" alone hides the cause: a WAL database needs its
         * -shm file, which SQLite creates beside it, even to be read. */
        return err_set(err, ec,
                       "%s: %s (database %s): its folder %s is read-only (%s), and SQLite must "
                       "create %s-shm there even to read a WAL database; make the folder "
                       "writable or copy the database to one that is",
                       action, sqlite3_errmsg(st->db), st->path, folder, why, st->path);
    }
    return err_set(err, ec, "%s: %s (database %s)", action, sqlite3_errmsg(st->db), st->path);
}

int store_exec(struct store *st, const char *sql, struct err *err)
{
    char *msg = NULL;
    if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        int rc = store_db_error(st, "database statement failed", err);
        sqlite3_free(msg);
        return rc;
    }
    return ERR_OK;
}

int store_query_int(struct store *st, const char *sql, int64_t *out, struct err *err)
{
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL) != SQLITE_OK) {
        return store_db_error(st, "preparing a query", err);
    }
    int rc = sqlite3_step(stmt);
    if (rc != SQLITE_ROW) {
        int ret = rc == SQLITE_DONE ? err_set(err, ERR_INTERNAL, "query returned no row: %s", sql)
                                    : store_db_error(st, "running a query", err);
        sqlite3_finalize(stmt);
        return ret;
    }
    *out = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    return ERR_OK;
}
