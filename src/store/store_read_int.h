/* store_read_int.h - internals of the read side (store_pool.c, store_catalog.c,
 * store_features.c, store_count_cache.c); nothing outside store/ includes it. */
#ifndef CITYATLAS_STORE_STORE_READ_INT_H
#define CITYATLAS_STORE_STORE_READ_INT_H

#include <pthread.h>
#include <stdint.h>

#include <sqlite3.h>

#include "store/store_int.h"
#include "store/store_read.h"

/* Prepared statements kept per connection, keyed by their SQL text. Queries are built
 * from a request's shape (which parameters it has), never from its values, so a few
 * dozen shapes cover the traffic and preparing is paid once per shape and connection. */
#define STORE_STMT_CACHE_SIZE 48

struct store_cached_stmt {
    char *sql; /* owned; NULL when the slot is free */
    sqlite3_stmt *stmt;
    uint64_t last_used;
    int is_in_use; /* lent to an open cursor: not to be handed out twice */
};

/* One read-only connection of the pool. */
struct store_conn {
    struct store *st;
    struct store_cached_stmt stmts[STORE_STMT_CACHE_SIZE];
    uint64_t use_clock;
    struct store_conn *next_free;
};

/* Registry rows of one generation that could not be read (store_catalog.c). */
struct store_damaged {
    char *id;     /* the layer's or featured statistic's id ("" when that is missing too) */
    char *reason; /* one sentence naming the row and what is wrong with it */
    bool is_featured;
};
struct store_damage_list {
    struct store_damaged *items;
    size_t n, cap;
};
/* Records and logs (as an error: it is logged under --quiet too) one damaged row
 * (store_damage.c). */
void store_damage_add(struct store_damage_list *d, const char *id, bool is_featured,
                      const char *reason);
/* Frees the rows and empties the list. */
void store_damage_clear(struct store_damage_list *d);

/* A catalog shared by the requests whose snapshot has its generation. */
struct store_catalog_ref {
    struct store_catalog catalog;
    struct store_featured *featured; /* the featured statistics of the same generation */
    struct store_city city;          /* the city profile of the same generation */
    size_t n_featured;
    struct store_damage_list damage; /* rows left out of catalog and featured */
    int refs;                        /* guarded by the pool's lock */
};

struct store_count_cache; /* store_count_cache.c */

struct store_pool {
    char *path;
    pthread_mutex_t lock;
    struct store_conn *free_list; /* idle connections */
    size_t n_open, max_open;
    struct store_catalog_ref *current; /* newest catalog seen; holds one ref */
    /* While is_loading, a snapshot loads the catalog of loading_generation: others of that
     * generation wait for it on catalog_loaded rather than load it again each. */
    bool is_loading;
    int64_t loading_generation;
    pthread_cond_t catalog_loaded;
    struct store_count_cache *counts;
    bool has_srid_24047, has_srid_3857, has_srid_32647;
};

struct store_read {
    struct store_pool *pool;
    struct store_conn *conn;
    struct store_catalog_ref *catalog;
    struct store_cursor *cursor; /* the open cursor, if any */
};

/* Statements (store_stmt_cache.c): borrow from the connection's cache (preparing on a
 * miss); give back with reset + clear. ERR_DB when the SQL does not prepare (a bug: our
 * SQL is fixed shapes). */
int store_conn_statement(struct store_conn *conn, const char *sql, struct store_cached_stmt **out,
                         struct err *err) WARN_UNUSED;
void store_conn_release(struct store_cached_stmt *cs);
/* Finalizes every cached statement (store_stmt_cache.c), before the connection closes. */
void store_conn_statements_clear(struct store_conn *conn);

/* Catalog loading (store_catalog.c): reads the registry through this connection's open
 * snapshot. */
int store_catalog_load(struct store *st, int64_t generation, struct store_catalog_ref **out,
                       struct err *err) WARN_UNUSED;
void store_catalog_free(struct store_catalog_ref *ref);

/* Frees a layer's strings and fields (store_layer.c). */
void store_layer_clear(struct store_layer *layer);

/* Adds the shape views of cat's layers (store_shape_views.c; struct store_layer.shape),
 * counting their features through st's open snapshot, and keeps cat ordered by theme, id.
 * *cap is the capacity of cat->layers, grown as needed. ERR_DB when counting fails. */
int store_shape_views_add(struct store *st, struct store_catalog *cat, size_t *cap,
                          struct err *err) WARN_UNUSED;

/* Featured statistics (store_featured.c): reads the stored list through the connection's
 * open snapshot, in catalog order; none when the table is missing (a database made
 * before they existed). A definition that does not parse is left out and added to damage
 * (naming its id): the others still serve. Free with store_featured_list_free. */
int store_featured_load(struct store *st, struct store_featured **out, size_t *n,
                        struct store_damage_list *damage, struct err *err) WARN_UNUSED;
void store_featured_list_free(struct store_featured *list, size_t n);

/* The city profile (store_city.c): reads the stored profile through the connection's open
 * snapshot and resolves its extent with cat's layers (already loaded). No profile (a
 * database made from plain files or before profiles existed) gives an empty one. ERR_DB
 * when the stored text is unreadable. Clear with store_city_clear. */
int store_city_load(struct store *st, const struct store_catalog *cat, struct store_city *out,
                    struct err *err) WARN_UNUSED;
void store_city_clear(struct store_city *city);

/* How many features of layer intersect box (min x, min y, max x, max y; EPSG:4326), exactly
 * as the bbox query finds them, from the R*Tree's nodes and their entry counts
 * (store_rtree_count.c); with_empty: plus the features without geometry, which the API's
 * bbox matches too (bbox_keeps_empty). ERR_NOT_FOUND when the layer's index has no counts
 * (imported by an older version, or a sketch layer edited in place): the caller counts in
 * SQL then. */
int store_rtree_count(struct store_read *rd, const struct store_layer *layer, const double box[4],
                      bool with_empty, int64_t *count, struct err *err) WARN_UNUSED;

/* The SQL function ca_intersects_bbox(geom, minx, miny, maxx, maxy) (store_bbox_fn.c). */
int store_bbox_fn_register(struct store *st, struct err *err) WARN_UNUSED;

/* Count cache (store_count_cache.c): thread-safe map from a query's key to its count. */
struct store_count_cache *store_count_cache_new(size_t max_entries);
void store_count_cache_free(struct store_count_cache *cache);
bool store_count_cache_get(struct store_count_cache *cache, const char *key, int64_t *count);
void store_count_cache_put(struct store_count_cache *cache, const char *key, int64_t count);

#endif
