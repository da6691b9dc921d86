/* store.c - opening the database, connection settings and transactions. */
#include "store/store.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* sqlite3.h first: spatialite.h uses its types without including it. */
#include <sqlite3.h>
#include <spatialite.h>

#include "base/alloc.h"
#include "base/path.h"
#include "store/store_int.h"
#include "store/store_rtree.h"

/* How long a writer waits for another writer's lock before giving up with ERR_BUSY. */
#define STORE_BUSY_TIMEOUT_MS 5000

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

int store_quote_ident(const char *name, char *out, size_t cap)
{
    size_t n = 0;
    if (cap < 3) {
        return 0;
    }
    out[n++] = '"';
    for (const char *p = name; *p; p++) {
        size_t need = *p == '"' ? 2 : 1;
        if (n + need + 2 > cap) {
            return 0;
        }
        out[n++] = *p;
        if (*p == '"') {
            out[n++] = '"';
        }
    }
    out[n++] = '"';
    out[n] = '\0';
    return 1;
}

static int apply_pragmas(struct store *st, struct err *err)
{
    sqlite3_busy_timeout(st->db, STORE_BUSY_TIMEOUT_MS);
    if (st->mode == STORE_READ_ONLY) {
        return store_exec(st, "PRAGMA query_only = ON", err);
    }
    /* WAL lets a running server keep reading the old version of a layer while an import
     * writes the new one; synchronous=NORMAL is durable at checkpoints in WAL mode and
     * avoids an fsync per commit. The cache also bounds SQLite's sorter (used by the
     * spatial index build) before it spills to disk: 16 MB was as fast as 64 MB on 1M
     * points and keeps the importer's peak near 100 MB, whatever the input size. */
    int rc = store_exec(st, "PRAGMA journal_mode = WAL", err);
    if (rc == ERR_OK) {
        rc = store_exec(st, "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -16384", err);
    }
    return rc;
}

int store_open(const char *path, enum store_mode mode, struct store **out, struct err *err)
{
    *out = NULL;
    struct stat sb;
    if (mode == STORE_READ_ONLY && stat(path, &sb) != 0) {
        int saved = errno;
        return err_set(err, saved == ENOENT ? ERR_NOT_FOUND : ERR_IO,
                       "cannot open database %s: %s%s", path, strerror(saved),
                       saved == ENOENT ? " (load data first with 'cityatlas import')" : "");
    }
    struct store *st = xcalloc(1, sizeof(*st));
    st->mode = mode;
    st->path = xstrdup(path);
    int flags =
        mode == STORE_READ_ONLY ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    if (sqlite3_open_v2(path, &st->db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        int rc = st->db != NULL ? store_db_error(st, "cannot open database", err)
                                : err_set(err, ERR_DB, "cannot open database %s", path);
        store_close(st);
        return rc;
    }
    sqlite3_extended_result_codes(st->db, 0);
    st->spatialite_cache = spatialite_alloc_connection();
    spatialite_init_ex(st->db, st->spatialite_cache, 0);
    int rc = apply_pragmas(st, err);
    if (rc == ERR_OK) {
        rc = store_rtree_register_functions(st, err);
    }
    if (rc == ERR_OK && mode == STORE_READ_ONLY) {
        rc = store_schema_check(st, err);
    }
    if (rc != ERR_OK) {
        store_close(st);
        return rc;
    }
    *out = st;
    return ERR_OK;
}

void store_close(struct store *st)
{
    if (st == NULL) {
        return;
    }
    if (st->in_transaction) {
        store_import_rollback(st);
    }
    if (st->db != NULL) {
        sqlite3_close(st->db);
    }
    if (st->spatialite_cache != NULL) {
        spatialite_cleanup_ex(st->spatialite_cache);
    }
    for (size_t i = 0; i < st->n_stale_sketch_layers; i++) {
        free(st->stale_sketch_layers[i]);
    }
    free(st->stale_sketch_layers);
    free(st->path);
    free(st);
}

int store_import_begin(struct store *st, struct err *err)
{
    if (st->mode != STORE_READ_WRITE) {
        return err_set(err, ERR_INTERNAL, "database %s is open read-only", st->path);
    }
    /* IMMEDIATE takes the write lock now, so a second importer waits or fails here rather
     * than after minutes of work. */
    int rc = store_exec(st, "BEGIN IMMEDIATE", err);
    if (rc != ERR_OK) {
        return err_prefix(err, "another import may be running");
    }
    st->in_transaction = 1;
    rc = store_schema_ensure(st, err);
    if (rc != ERR_OK) {
        store_import_rollback(st);
    }
    return rc;
}

int store_import_commit(struct store *st, struct err *err)
{
    int rc = store_exec(st, "COMMIT", err);
    if (rc != ERR_OK) {
        store_import_rollback(st);
        return rc;
    }
    st->in_transaction = 0;
    /* Fold the WAL back into the database so it does not keep the size of the import.
     * Best effort: a busy reader only delays this until a later checkpoint. */
    sqlite3_busy_timeout(st->db, 0); /* a server's open snapshot must not make this wait */
    sqlite3_wal_checkpoint_v2(st->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
    sqlite3_busy_timeout(st->db, STORE_BUSY_TIMEOUT_MS);
    return ERR_OK;
}

void store_import_rollback(struct store *st)
{
    if (st->in_transaction) {
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
        st->in_transaction = 0;
    }
}

char *store_column_dup(sqlite3_stmt *stmt, int col)
{
    const unsigned char *t = sqlite3_column_text(stmt, col);
    return t != NULL ? xstrdup((const char *)t) : NULL;
}
