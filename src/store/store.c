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
#include "store/store_int.h"
#include "store/store_rtree.h"

/* How long a writer waits for another writer's lock before giving up with ERR_BUSY. */
#define STORE_BUSY_TIMEOUT_MS 5000

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
