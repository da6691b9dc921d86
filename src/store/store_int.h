/* store_int.h - internals shared by the store_*.c files; nothing outside store/ includes it. */
#ifndef CITYATLAS_STORE_STORE_INT_H
#define CITYATLAS_STORE_STORE_INT_H

#include <sqlite3.h>

#include "store/store.h"

#define STORE_SCHEMA_VERSION 1

/* The longest SQL text a layer's statements may build (its DDL names every field). */
#define STORE_SQL_CAP (4u << 20)

struct store {
    sqlite3 *db;
    void *spatialite_cache; /* spatialite_alloc_connection(); one per connection */
    enum store_mode mode;
    int in_transaction; /* 1 between store_import_begin and commit/rollback */
    char *path;
    /* Set on the server's shared writer (store_writer.c): a sketch write marks its
     * scenario's sketch layer stale here, and the layer is written once per batch, just
     * before the batch commits, instead of once per write (store_scenario_int.h). */
    bool defers_sketch_layers;
    char **stale_sketch_layers; /* scenario ids, each once */
    size_t n_stale_sketch_layers;
};

/* Converts the connection's last error into err with a prefix naming the action. */
int store_db_error(struct store *st, const char *action, struct err *err);

/* A copy of a text column's value (the caller frees it), or NULL when it is NULL. */
char *store_column_dup(sqlite3_stmt *stmt, int col);

/* Runs SQL that returns no rows (or ignores them). */
int store_exec(struct store *st, const char *sql, struct err *err) WARN_UNUSED;

/* The stable view of a layer (store_layer_edit.c): a view named after the layer id over
 * its current table, registered as spatial (views_geometry_columns) when it has geometry,
 * so QGIS and GDAL open it under the same name across re-imports. */
int store_layer_view_write(struct store *st, const char *id, const char *table, bool has_geometry,
                           struct err *err) WARN_UNUSED;
int store_layer_view_drop(struct store *st, const char *id, struct err *err) WARN_UNUSED;

/* Runs a SELECT of one integer value (e.g. "SELECT CreateSpatialIndex(...)" returning 1). */
int store_query_int(struct store *st, const char *sql, int64_t *out, struct err *err) WARN_UNUSED;

/* Moves the registry generation inside an import transaction, so servers reload what
 * they keep per generation (featured statistics, the city profile) (store_featured.c). */
int store_generation_move(struct store *st, struct err *err) WARN_UNUSED;

/* Creates the spatial metadata and the registry if missing and checks the schema version.
 * Must run inside the import transaction. */
int store_schema_ensure(struct store *st, struct err *err) WARN_UNUSED;

/* Fails with ERR_INVALID unless the database holds a cityatlas registry of a known version. */
int store_schema_check(struct store *st, struct err *err) WARN_UNUSED;

/* Writes "\"name\"" with embedded quotes doubled into out; identifiers are always quoted
 * because source field names may contain anything. Returns false if it does not fit. */
int store_quote_ident(const char *name, char *out, size_t cap);

#endif
