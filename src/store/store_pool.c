/* store_pool.c - the server's read-only connections, lent one per request, and the
 * per-request snapshot (a read transaction) with the catalog that matches it. */
#include "store/store_read.h"

#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/log.h"
#include "store/store_read_int.h"

/* Counts cached across requests; one entry is a key of a few hundred bytes. */
#define STORE_COUNT_CACHE_ENTRIES 4096

/* Memory-mapped reads avoid copying pages into each connection's cache; the OS page
 * cache is shared by all of them. 1 GiB of address space per connection is free on
 * 64-bit systems, and SQLite maps only what the file has. */
#define STORE_READ_MMAP_BYTES "1073741824"

static int open_conn(struct store_pool *pool, struct store_conn **out, struct err *err)
{
    struct store *st = NULL;
    int rc = store_open(pool->path, STORE_READ_ONLY, &st, err);
    if (rc == ERR_OK) {
        rc = store_exec(
            st, "PRAGMA mmap_size = " STORE_READ_MMAP_BYTES "; PRAGMA cache_size = -8192", err);
    }
    if (rc == ERR_OK) {
        rc = store_bbox_fn_register(st, err);
    }
    if (rc != ERR_OK) {
        store_close(st);
        return rc;
    }
    struct store_conn *conn = xcalloc(1, sizeof(*conn));
    conn->st = st;
    *out = conn;
    return ERR_OK;
}

static void close_conn(struct store_conn *conn)
{
    store_conn_statements_clear(conn);
    store_close(conn->st);
    free(conn);
}

static bool has_srid(struct store *st, int srid)
{
    sqlite3_stmt *stmt = NULL;
    bool found = false;
    if (sqlite3_prepare_v2(st->db, "SELECT 1 FROM spatial_ref_sys WHERE srid = ?", -1, &stmt,
                           NULL) == SQLITE_OK) {
        sqlite3_bind_int(stmt, 1, srid);
        found = sqlite3_step(stmt) == SQLITE_ROW;
    }
    sqlite3_finalize(stmt);
    return found;
}

int store_pool_open(const char *path, size_t max_connections, struct store_pool **out,
                    struct err *err)
{
    *out = NULL;
    struct store_pool *pool = xcalloc(1, sizeof(*pool));
    pool->path = xstrdup(path);
    pool->max_open = max_connections > 0 ? max_connections : 1;
    pthread_mutex_init(&pool->lock, NULL);
    pthread_cond_init(&pool->catalog_loaded, NULL);
    pool->counts = store_count_cache_new(STORE_COUNT_CACHE_ENTRIES);
    struct store_conn *first = NULL;
    int rc = open_conn(pool, &first, err);
    if (rc != ERR_OK) {
        store_pool_close(pool);
        return rc;
    }
    pool->has_srid_32647 = has_srid(first->st, 32647);
    pool->has_srid_24047 = has_srid(first->st, 24047);
    pool->has_srid_3857 = has_srid(first->st, 3857);
    pool->free_list = first;
    pool->n_open = 1;
    *out = pool;
    return ERR_OK;
}

void store_pool_close(struct store_pool *pool)
{
    if (pool == NULL) {
        return;
    }
    while (pool->free_list != NULL) {
        struct store_conn *next = pool->free_list->next_free;
        close_conn(pool->free_list);
        pool->free_list = next;
    }
    if (pool->current != NULL) {
        store_catalog_free(pool->current);
    }
    store_count_cache_free(pool->counts);
    pthread_cond_destroy(&pool->catalog_loaded);
    pthread_mutex_destroy(&pool->lock);
    free(pool->path);
    free(pool);
}

/* Takes an idle connection, or opens one while under max_open. */
static int borrow_conn(struct store_pool *pool, struct store_conn **out, struct err *err)
{
    pthread_mutex_lock(&pool->lock);
    struct store_conn *conn = pool->free_list;
    if (conn != NULL) {
        pool->free_list = conn->next_free;
        conn->next_free = NULL;
        pthread_mutex_unlock(&pool->lock);
        *out = conn;
        return ERR_OK;
    }
    if (pool->n_open >= pool->max_open) {
        pthread_mutex_unlock(&pool->lock);
        return err_set(err, ERR_BUSY, "all %zu database connections are busy", pool->max_open);
    }
    pool->n_open++;
    pthread_mutex_unlock(&pool->lock);
    int rc = open_conn(pool, out, err);
    if (rc != ERR_OK) {
        pthread_mutex_lock(&pool->lock);
        pool->n_open--;
        pthread_mutex_unlock(&pool->lock);
    }
    return rc;
}

static void return_conn(struct store_pool *pool, struct store_conn *conn)
{
    pthread_mutex_lock(&pool->lock);
    conn->next_free = pool->free_list;
    pool->free_list = conn;
    pthread_mutex_unlock(&pool->lock);
}

static void catalog_unref(struct store_pool *pool, struct store_catalog_ref *ref)
{
    pthread_mutex_lock(&pool->lock);
    bool is_last = --ref->refs == 0;
    pthread_mutex_unlock(&pool->lock);
    if (is_last) {
        store_catalog_free(ref);
    }
}

/* The generation of the registry in this snapshot: the version counter, which moves on
 * every layer import. Reading it also starts the snapshot. */
static int read_generation(struct store_conn *conn, int64_t *generation, struct err *err)
{
    struct store_cached_stmt *cs = NULL;
    int rc = store_conn_statement(
        conn, "SELECT CAST(value AS INTEGER) FROM cityatlas_meta WHERE key = 'last_version'", &cs,
        err);
    if (rc != ERR_OK) {
        return rc;
    }
    if (sqlite3_step(cs->stmt) == SQLITE_ROW) {
        *generation = sqlite3_column_int64(cs->stmt, 0);
    } else {
        rc = store_db_error(conn->st, "reading the layer registry", err);
    }
    store_conn_release(cs);
    return rc;
}

/* Finds the catalog of this snapshot's generation: the shared one when it matches,
 * else one loaded from this snapshot (and shared if it is the newest). While a snapshot
 * loads a generation, others of the same one wait for it: after a write, every request
 * under way would otherwise load the same catalog at once. */
static int attach_catalog(struct store_read *rd, struct err *err)
{
    struct store_pool *pool = rd->pool;
    int64_t generation = 0;
    int rc = read_generation(rd->conn, &generation, err);
    if (rc != ERR_OK) {
        return rc;
    }
    pthread_mutex_lock(&pool->lock);
    while (pool->is_loading && pool->loading_generation == generation &&
           (pool->current == NULL || pool->current->catalog.generation != generation)) {
        pthread_cond_wait(&pool->catalog_loaded, &pool->lock);
    }
    if (pool->current != NULL && pool->current->catalog.generation == generation) {
        pool->current->refs++;
        rd->catalog = pool->current;
        pthread_mutex_unlock(&pool->lock);
        return ERR_OK;
    }
    bool is_loader = !pool->is_loading;
    if (is_loader) {
        pool->is_loading = true;
        pool->loading_generation = generation;
    }
    pthread_mutex_unlock(&pool->lock);

    struct store_catalog_ref *loaded = NULL;
    rc = store_catalog_load(rd->conn->st, generation, &loaded, err);
    if (rc != ERR_OK) {
        if (is_loader) {
            pthread_mutex_lock(&pool->lock);
            pool->is_loading = false;
            pthread_cond_broadcast(&pool->catalog_loaded);
            pthread_mutex_unlock(&pool->lock);
        }
        return rc;
    }
    loaded->refs = 1;
    rd->catalog = loaded;
    pthread_mutex_lock(&pool->lock);
    if (is_loader) {
        pool->is_loading = false;
        pthread_cond_broadcast(&pool->catalog_loaded);
    }
    struct store_catalog_ref *replaced = NULL;
    if (pool->current == NULL || pool->current->catalog.generation < generation) {
        replaced = pool->current;
        pool->current = loaded;
        loaded->refs++;
        log_info("layer registry generation %lld: %zu layers", (long long)generation,
                 loaded->catalog.n_layers);
    }
    pthread_mutex_unlock(&pool->lock);
    if (replaced != NULL) {
        catalog_unref(pool, replaced);
    }
    return ERR_OK;
}

int store_read_begin(struct store_pool *pool, struct store_read **out, struct err *err)
{
    *out = NULL;
    struct store_conn *conn = NULL;
    int rc = borrow_conn(pool, &conn, err);
    if (rc != ERR_OK) {
        return rc;
    }
    struct store_read *rd = xcalloc(1, sizeof(*rd));
    rd->pool = pool;
    rd->conn = conn;
    rc = store_exec(conn->st, "BEGIN", err);
    if (rc == ERR_OK) {
        rc = attach_catalog(rd, err);
    }
    if (rc != ERR_OK) {
        store_read_end(rd);
        return rc;
    }
    *out = rd;
    return ERR_OK;
}

struct store *store_read_conn(struct store_read *rd)
{
    return rd->conn->st;
}

void store_read_end(struct store_read *rd)
{
    if (rd == NULL) {
        return;
    }
    store_cursor_close(rd->cursor);
    if (rd->catalog != NULL) {
        catalog_unref(rd->pool, rd->catalog);
    }
    /* Ending the read transaction lets the WAL be checkpointed past this snapshot. */
    if (!sqlite3_get_autocommit(rd->conn->st->db)) {
        sqlite3_exec(rd->conn->st->db, "COMMIT", NULL, NULL, NULL);
    }
    return_conn(rd->pool, rd->conn);
    free(rd);
}

const struct store_catalog *store_read_catalog(const struct store_read *rd)
{
    return &rd->catalog->catalog;
}

const struct store_layer *store_read_layer(const struct store_read *rd, const char *id)
{
    const struct store_catalog *cat = &rd->catalog->catalog;
    for (size_t i = 0; i < cat->n_layers; i++) {
        if (strcmp(cat->layers[i].id, id) == 0) {
            return &cat->layers[i];
        }
    }
    return NULL;
}

int store_read_check_damaged(const struct store_read *rd, const char *id, bool is_featured,
                             struct err *err)
{
    const struct store_damage_list *d = &rd->catalog->damage;
    for (size_t i = 0; i < d->n; i++) {
        if (d->items[i].is_featured == is_featured && strcmp(d->items[i].id, id) == 0) {
            return err_set(err, ERR_DB, "%s", d->items[i].reason);
        }
    }
    return ERR_OK;
}
