/* store.h - read and write city layers in the SpatiaLite database.
 * Owns every SQLite/SpatiaLite call; callers never see SQL or sqlite3 types.
 *
 * Layout of the database: a registry table (cityatlas_layers) with one row per layer,
 * and one table per layer version holding the features (fid, geom, attributes). A
 * re-import writes a new table and swaps the registry row in the same transaction,
 * so readers (WAL mode) see either the old layer or the new one, never half of it.
 *
 * Threads: a struct store is one connection; use it from one thread at a time. */
#ifndef CITYATLAS_STORE_STORE_H
#define CITYATLAS_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

struct store; /* opaque */

enum store_mode {
    STORE_READ_ONLY,  /* the file must exist and hold a cityatlas database */
    STORE_READ_WRITE, /* created when missing; the schema is made on first import */
};

/* Opening and closing */

/* Opens (or, read-write, creates) the database at path. On failure *out is NULL and
 * err says why (ERR_NOT_FOUND: no such database; ERR_INVALID: not a cityatlas database
 * or a newer schema; ERR_DB: SQLite/SpatiaLite failed). */
int store_open(const char *path, enum store_mode mode, struct store **out,
               struct err *err) WARN_UNUSED;
void store_close(struct store *st); /* NULL is fine */

/* ERR_READ_ONLY with one sentence naming the cause when the database at path could not be
 * written: the file (or its -wal or -shm) is read-only, or its folder is, where SQLite
 * creates the -wal and -shm of a write. ERR_OK otherwise. Asks the file system (access(2),
 * which also reports read-only mounts); nothing is written. */
int store_check_writable(const char *path, struct err *err) WARN_UNUSED;

/* Transactions for imports: everything between begin and commit is one atomic change.
 * begin takes the write lock (waits up to a few seconds for another writer: ERR_BUSY). */
int store_import_begin(struct store *st, struct err *err) WARN_UNUSED;
int store_import_commit(struct store *st, struct err *err) WARN_UNUSED;
void store_import_rollback(struct store *st); /* safe when no transaction is open */

/* Writing one layer */

enum store_type { STORE_INTEGER, STORE_REAL, STORE_TEXT, STORE_BLOB };

struct store_field {
    const char *name; /* column name as stored (already unique, not fid/geom) */
    enum store_type type;
    const char *source_type; /* e.g. "Integer64", "Date", for the registry */
    const char *source_name; /* name in the source when renamed, else NULL */
};

struct store_value {
    enum store_type type; /* reading: the stored value's type; writing: ignored */
    bool is_null;
    int64_t i;       /* STORE_INTEGER */
    double d;        /* STORE_REAL */
    const char *ptr; /* STORE_TEXT (UTF-8) and STORE_BLOB; borrowed for the call */
    size_t len;
};

/* Everything the registry records about a layer besides its contents.
 * Strings are borrowed; NULL means unknown. */
struct store_layer_meta {
    const char *id;
    const char *title_en, *title_th;
    const char *description_en, *description_th;
    const char *theme;
    const char *source; /* who produced the data */
    const char *source_url;
    const char *license, *attribution;
    const char *name_column;
    const char *source_path; /* the file read (canonical path or /vsizip/ path) */
    const char *source_layer;
    const char *source_format;   /* GDAL driver short name */
    const char *source_crs;      /* e.g. "EPSG:24047", or NULL for tables */
    const char *source_encoding; /* e.g. "CP874 (detected)" */
    const char *source_checksum; /* SHA-256 hex of the source files */
    const char *catalog_json;    /* the catalog entry, or NULL */
    double import_seconds;
    int64_t rejected_count;
    bool has_extent;
    double min_lon, min_lat, max_lon, max_lat; /* EPSG:4326 degrees */
};

struct store_layer_writer; /* opaque */

/* Starts writing layer `id` (a slug) inside an open import transaction. The layer's
 * previous version, if any, stays visible to readers until commit. Fails with ERR_INVALID
 * when id is taken by a layer imported from another source (path and layer name), unless
 * allow_replace. source_layer may be NULL. */
int store_layer_begin(struct store *st, const char *id, const char *source_path,
                      const char *source_layer, bool allow_replace,
                      const struct store_field *fields, size_t n_fields, bool has_geometry,
                      struct store_layer_writer **out, struct err *err) WARN_UNUSED;

/* Adds one feature: values[n_fields] in field order, and the geometry as 2D ISO WKB in
 * EPSG:4326 lon/lat (wkb NULL for no geometry). */
int store_layer_add(struct store_layer_writer *w, const struct store_value *values,
                    const unsigned char *wkb, size_t wkb_len, struct err *err) WARN_UNUSED;

/* The same with the feature id given: fid (>= 1, unique in the layer) instead of the next
 * number. For layers whose ids are owned elsewhere (a scenario's sketch ids). */
int store_layer_add_fid(struct store_layer_writer *w, int64_t fid, const struct store_value *values,
                        const unsigned char *wkb, size_t wkb_len, struct err *err) WARN_UNUSED;

/* --append: copies the rows of the layer's current version into the new one right after
 * store_layer_begin (which must then be told allow_replace), so the features added next
 * join them in one new version. ERR_NOT_FOUND when the layer does not exist, ERR_INVALID
 * when its fields (names and types, in order) or geometry differ from the writer's. */
int store_layer_append_previous(struct store_layer_writer *w, struct err *err) WARN_UNUSED;

/* Registers the geometry column, builds the spatial index in one pass, writes the
 * registry row (new version number) and drops the previous version's table. */
int store_layer_finish(struct store_layer_writer *w, const struct store_layer_meta *meta,
                       struct err *err) WARN_UNUSED;

/* Frees the writer; an unfinished layer is undone by store_import_rollback. */
void store_layer_writer_free(struct store_layer_writer *w);

/* Removes layer id (its registry row and its table) inside an open import transaction and
 * moves the registry generation. ERR_NOT_FOUND when there is no such layer. */
int store_layer_delete(struct store *st, const char *id, struct err *err) WARN_UNUSED;

/* Registry metadata a researcher edits without re-importing; NULL leaves a value as is. */
struct store_layer_edit {
    const char *title_en, *title_th;
    const char *description_en, *description_th;
    const char *theme;
    const char *source, *source_url, *license, *attribution;
};

/* Sets the given metadata of layer id inside an open import transaction and moves the
 * registry generation (servers reload their catalog). ERR_NOT_FOUND when there is no such
 * layer. */
int store_layer_edit(struct store *st, const char *id, const struct store_layer_edit *e,
                     struct err *err) WARN_UNUSED;

/* Gives layer id the id new_id (its table and contents stay) inside an open import
 * transaction and moves the registry generation. ERR_NOT_FOUND when id does not exist,
 * ERR_INVALID when new_id is taken. */
int store_layer_rename(struct store *st, const char *id, const char *new_id,
                       struct err *err) WARN_UNUSED;

/* Sets *unchanged when layer id was imported from the same source layer with the same
 * checksum and catalog entry (either may be NULL), so importing it again would change
 * nothing but its version. */
int store_layer_unchanged(struct store *st, const char *id, const char *source_layer,
                          const char *checksum, const char *catalog_json, bool *unchanged,
                          struct err *err) WARN_UNUSED;

/* What store_layer_begin would say about importing layer id from source_path /
 * source_layer, for dry runs against a database: ERR_INVALID when another source holds
 * the id and allow_replace is false. */
int store_layer_claim_check(struct store *st, const char *id, const char *source_path,
                            const char *source_layer, bool allow_replace,
                            struct err *err) WARN_UNUSED;

/* Featured statistics: the catalog's list of questions with their statistics queries,
 * stored for the server, which never reads the catalog. */

struct store_featured_def {
    const char *id;         /* slug, unique in the list; borrowed */
    const char *definition; /* the catalog entry as compact JSON; borrowed */
};

/* Replaces the stored featured statistics with defs[n] (n may be 0), in this order, inside
 * an open import transaction. Each definition is checked as the server will read it: an
 * object with this id, title and question {"en", "th"}, an optional note, and a query
 * object of strings, numbers and booleans (ERR_INVALID naming the id otherwise); ids must
 * be distinct. When the list differs from the stored one, the registry generation moves
 * (struct store_catalog.generation), so servers load the new list even when no layer was
 * imported; an identical list leaves the database as it was. */
int store_featured_replace(struct store *st, const struct store_featured_def *defs, size_t n,
                           struct err *err) WARN_UNUSED;

/* Stores the catalog's city profile (config/catalog.h; compact JSON, checked by the
 * catalog parser) inside an open import transaction, replacing the stored one; the
 * server reads it with the registry (store_read.h, struct store_city). A changed profile
 * moves the registry generation; the same one leaves the database as it was. ERR_INVALID
 * when json is not an object with an "id" and a "title". */
int store_city_replace(struct store *st, const char *json, struct err *err) WARN_UNUSED;

/* The stored featured statistics as written (id, definition JSON), in their order: *ids
 * and *definitions get n owned strings each (none for a database made before they
 * existed); free with store_strings_free. For edits that rewrite them
 * (`cityatlas layers rename`). */
int store_featured_read_defs(struct store *st, char ***ids, char ***definitions, size_t *n,
                             struct err *err) WARN_UNUSED;
void store_strings_free(char **list, size_t n);

/* The extent a city profile gives (config/catalog_city.c): a box, or a layer's extent plus
 * a margin, which the reader resolves (store_city_extent_box). */
struct store_city_extent {
    bool has_box;
    double box[4]; /* min lon, min lat, max lon, max lat (EPSG:4326) */
    char *layer;   /* without a box: the layer whose extent it is, plus margin degrees */
    double margin;
    char *name_en; /* the city's English name, for messages; NULL when it has none */
};
/* Reads the extent of a city profile's JSON text (NULL: none); false when it gives none.
 * Clear with store_city_extent_clear either way. */
bool store_city_extent_parse(const char *city_json, struct store_city_extent *out);
/* The box of e: its own, or layer_box (the extent of e->layer; NULL when unknown) plus the
 * margin. False when there is none. */
bool store_city_extent_box(const struct store_city_extent *e, const double *layer_box,
                           double out[4]);
void store_city_extent_clear(struct store_city_extent *e);

/* The stored city profile's JSON text as written, or *json NULL when there is none. */
int store_city_read_json(struct store *st, char **json, struct err *err) WARN_UNUSED;

/* How many featured statistics the database holds (0 for a database made before they
 * existed). */
int store_featured_count(struct store *st, size_t *n, struct err *err) WARN_UNUSED;

/* Reading the registry */

struct store_layer_info {
    char *id;
    char *title_en, *title_th, *theme;
    char *geometry_type; /* NULL for attribute-only tables */
    char *source_path, *source_layer, *source_crs, *source_encoding;
    char *imported_at; /* ISO 8601 UTC */
    char *table_name;
    int64_t feature_count, rejected_count, version;
    bool has_extent;
    double min_lon, min_lat, max_lon, max_lat; /* EPSG:4326 degrees */
};

/* Lists every layer ordered by theme then id. Free with store_layer_infos_free(). */
int store_layers_list(struct store *st, struct store_layer_info **out, size_t *n_out,
                      struct err *err) WARN_UNUSED;
void store_layer_infos_free(struct store_layer_info *infos, size_t n);

#endif
