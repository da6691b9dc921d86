/* store_read.h - what the HTTP server reads: a pool of read-only connections, one
 * consistent snapshot per request, the layers' descriptions and feature queries.
 * Owns every SQLite call on the read side; callers never see SQL or sqlite3 types.
 *
 * Snapshots: store_read_begin opens a read transaction (WAL), so everything one request
 * reads comes from one version of the database. A re-import committed meanwhile is seen
 * by the next request; a request never sees half of it.
 *
 * Threads: the pool is shared by every thread. A struct store_read belongs to one request
 * and is used by one thread at a time (MHD may call a request's callbacks from the thread
 * that owns its connection only). */
#ifndef CITYATLAS_STORE_STORE_READ_H
#define CITYATLAS_STORE_STORE_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "store/store.h"

struct cql2_node;

/* Largest page a query may ask for; the HTTP layer documents and enforces its own limit
 * at or below this. */
#define STORE_MAX_LIMIT 1000000
/* A query's limit meaning every match: for scans that must see the whole result
 * (statistics, map drawing), never for a page a client asked for. A statistic that read
 * only the first STORE_MAX_LIMIT rows would answer a smaller number without saying so. */
#define STORE_LIMIT_ALL INT64_MAX

/* The pool */

struct store_pool; /* opaque */

/* Opens the database read-only and checks it is a cityatlas database (ERR_NOT_FOUND,
 * ERR_INVALID, ERR_DB as store_open). Connections are opened on demand, at most
 * max_connections at once. */
int store_pool_open(const char *path, size_t max_connections, struct store_pool **out,
                    struct err *err) WARN_UNUSED;
/* Closes every connection; all reads must have ended. NULL is fine. */
void store_pool_close(struct store_pool *pool);

/* Layers, as one snapshot sees them. Immutable; valid until that snapshot ends. */

struct store_field_info {
    char *name;
    enum store_type type;
    char *source_type; /* e.g. "String", "Integer64", "Date" */
};

/* A shape view: a layer's features of one dimension, offered as a layer of its own (a
 * collection "<id>-points", "-lines", "-polygons") for clients that take one geometry type
 * per layer, as QGIS's OGC API and GeoPackage readers do. */
enum store_shape {
    STORE_SHAPE_ALL = 0,  /* an ordinary layer */
    STORE_SHAPE_POINTS,   /* ST_Dimension 0 */
    STORE_SHAPE_LINES,    /* 1 */
    STORE_SHAPE_POLYGONS, /* 2 */
};

struct store_layer {
    char *id;
    char *table_name;     /* internal: the version's table */
    bool has_place_order; /* internal: its rows also in place order (store_place_order.h) */
    int64_t version;      /* never reused: a re-import gets a new one */
    char *title_en, *title_th, *description_en, *description_th;
    char *theme, *source, *source_url, *license, *attribution;
    char *name_column;   /* the field holding a feature's name, or NULL */
    char *geometry_type; /* e.g. "POINT", "MULTIPOLYGON"; NULL for attribute tables */
    char *source_crs;    /* CRS of the source before reprojection, or NULL */
    char *imported_at;   /* ISO 8601 UTC */
    int64_t feature_count;
    bool has_extent;
    double min_lon, min_lat, max_lon, max_lat; /* EPSG:4326 degrees */
    struct store_field_info *fields;
    size_t n_fields;
    /* Shape views (store_catalog.c makes one per shape for every layer of mixed geometry
     * and every scenario sketch layer, unless the id is taken): the shape, and the layer
     * viewed, whose table (and version) it shares; queries on it keep only features of
     * that dimension, and feature_count counts those. STORE_SHAPE_ALL and NULL otherwise. */
    enum store_shape shape;
    char *shape_of;
};

/* The city this database is about: the catalog's "city" profile (config/catalog.h),
 * stored by a catalog import, with its extent resolved against the snapshot's layers. */
struct store_city {
    char *id;                          /* slug; "" when the database has no profile */
    char *title_en, *title_th;         /* NULL when no profile; title_th may fall back to en */
    char *site_name_en, *site_name_th; /* branding name, or NULL */
    char *site_url;                    /* branding link, or NULL */
    bool has_extent;                   /* false: no profile, anywhere on Earth is accepted */
    double extent[4];                  /* min_lon, min_lat, max_lon, max_lat: EPSG:4326 degrees */
    char *json; /* the profile as compact JSON with "extent" resolved to [4 numbers]
                   (absent without one), "{}" without a profile */
};

struct store_catalog {
    const struct store_layer *layers; /* ordered by theme, then id */
    size_t n_layers;
    const struct store_city *city; /* never NULL */
    int64_t generation; /* changes whenever a layer is imported or the featured statistics
                           change: use in cache keys */
    char *updated_at;   /* newest imported_at, ISO 8601 UTC ("" when empty) */
};

/* One request's snapshot */

struct store_read; /* opaque */

/* Borrows a connection and starts a read transaction. ERR_BUSY when every connection
 * is lent out (the caller answers 503); ERR_DB when the database fails. */
int store_read_begin(struct store_pool *pool, struct store_read **out, struct err *err) WARN_UNUSED;

/* The snapshot's connection, for the store functions that read a plain connection (the
 * workshop's sessions, participants and sketch views: store_workshop.h). Valid until
 * store_read_end; reads see the snapshot. */
struct store *store_read_conn(struct store_read *rd);
/* Ends the transaction, closes any open cursor and returns the connection. NULL is fine. */
void store_read_end(struct store_read *rd);

/* Borrowed until store_read_end. */
const struct store_catalog *store_read_catalog(const struct store_read *rd);
/* The city profile of this snapshot (never NULL; an empty one without a profile).
 * Borrowed until store_read_end. */
const struct store_city *store_read_city(const struct store_read *rd);
/* Returns the layer with this id, or NULL. Borrowed until store_read_end. */
const struct store_layer *store_read_layer(const struct store_read *rd, const char *id);
/* A registry row that cannot be read (an invalid JSON value, a missing id or table: a
 * damaged database) is left out of the snapshot's catalog, or of its featured statistics
 * (is_featured), and logged once per generation, so everything else still serves. Returns
 * ERR_DB naming the row and the damage when id is such a row (the caller answers 500: the
 * server's data is at fault, not the client), else ERR_OK. */
int store_read_check_damaged(const struct store_read *rd, const char *id, bool is_featured,
                             struct err *err) WARN_UNUSED;
/* Index of the field named name in layer->fields, or -1. Case-sensitive. */
long store_layer_field_index(const struct store_layer *layer, const char *name);
/* True when features of this SRID can be produced (the database knows the CRS). */
bool store_read_has_srid(const struct store_read *rd, int srid);

/* Transforms a box given in srid (a projected CRS) to the longitude/latitude box that
 * covers it in EPSG:4326 (the envelope of the transformed rectangle). ERR_INVALID when the
 * box cannot be transformed (e.g. outside the CRS's area). */
int store_read_transform_bbox(struct store_read *rd, int srid, const double in[4], double out[4],
                              struct err *err) WARN_UNUSED;

/* Feature queries */

struct store_sort_key {
    size_t field; /* index into layer->fields */
    bool is_descending;
};

struct store_query {
    const struct store_layer *layer;
    bool has_fid; /* one feature by id */
    int64_t fid;
    bool has_bbox;  /* features whose geometry intersects the box (exact, not just index) */
    double bbox[4]; /* min_lon, min_lat, max_lon, max_lat: EPSG:4326 degrees; min_lon >
                       max_lon for a box across the antimeridian */
    /* Features without geometry match the bbox too, as OGC API - Features wants
     * (/req/core/fc-bbox-response C); a layer without geometry then ignores the bbox.
     * When false they are left out, and a bbox on such a layer is ERR_INVALID. */
    bool bbox_keeps_empty;
    const struct cql2_node *filter; /* NULL: no filter; checked against the layer */
    /* datetime: features whose time (layer->fields[time_field], a Date or DateTime field)
     * meets the interval [time_start, time_end], plus every feature without a time (OGC API
     * - Features /req/core/fc-time-response C). Bounds are RFC 3339 texts (a date-time, or a
     * date meaning that whole day); NULL is an open end. An instant has start = end. */
    bool has_time;
    size_t time_field;
    const char *time_start, *time_end;
    /* Which fields each row carries, in this order; NULL means all, in layer order. */
    const size_t *properties;
    size_t n_properties;
    const struct store_sort_key *sort; /* NULL/0: by fid, or index order with a bbox */
    size_t n_sort;
    int64_t limit; /* 0..STORE_MAX_LIMIT, or STORE_LIMIT_ALL */
    int64_t offset;
    int out_srid;              /* 4326 = longitude/latitude degrees; else a projected CRS */
    double simplify_tolerance; /* in out_srid units; 0 = geometry as stored */
    bool skip_geometry;        /* rows carry no geometry */
};

struct store_feature {
    int64_t fid;
    const unsigned char *geom; /* SpatiaLite geometry BLOB in out_srid; NULL if none */
    size_t geom_len;
    const struct store_value *values; /* n_values, in the query's property order */
    size_t n_values;
};

/* Checks the query against its layer (properties, filter names and types, ranges) without
 * running it: ERR_INVALID with a message naming what was wrong. */
int store_query_check(struct store_read *rd, const struct store_query *q,
                      struct err *err) WARN_UNUSED;

/* Checks filter against layer's fields alone (names, types, operators), as
 * store_query_check does, for a layer described but not (yet) stored: the dry run's
 * featured statistics. ERR_INVALID with a message naming what does not fit. */
int store_filter_check(const struct cql2_node *filter, const struct store_layer *layer,
                       struct err *err) WARN_UNUSED;

/* name=value on a field: an equality test typed by the field (a number for INTEGER and
 * REAL fields, ERR_INVALID when value is not one; text otherwise). Caller frees *out. */
int store_property_filter(const struct store_layer *layer, long field, const char *value,
                          struct cql2_node **out, struct err *err) WARN_UNUSED;

/* The field holding a layer's time (the first Date or DateTime field): what `datetime`
 * filters and what the temporal extent spans. -1 when the layer has none. */
long store_layer_time_field(const struct store_layer *layer);

/* The earliest and latest time of field (a Date or DateTime field) over the layer, as
 * UTC instants "YYYY-MM-DDTHH:MM:SS.SSSZ" (a Date's latest is the end of its day).
 * *min and *max are NULL when no feature has a time; else free both with free(). */
int store_time_extent(struct store_read *rd, const struct store_layer *layer, size_t field,
                      char **min, char **max, struct err *err) WARN_UNUSED;

/* How many features match (ignoring limit and offset). Exact. Counts are cached per
 * layer version and filter, so paging through a large result counts once. */
int store_features_count(struct store_read *rd, const struct store_query *q, int64_t *count,
                         struct err *err) WARN_UNUSED;

struct store_cursor; /* opaque */

/* Runs the query; rows come one at a time from store_cursor_next. The query (and what it
 * points at) must stay valid until the cursor is closed. A store_read has at most one
 * open cursor. */
int store_features_open(struct store_read *rd, const struct store_query *q,
                        struct store_cursor **out, struct err *err) WARN_UNUSED;
/* Returns 1 and sets *row (borrowed until the next call), 0 at the end, or an error. */
int store_cursor_next(struct store_cursor *cur, const struct store_feature **row,
                      struct err *err) WARN_UNUSED;
void store_cursor_close(struct store_cursor *cur); /* NULL is fine */

/* Featured statistics, as one snapshot sees them (loaded once per registry generation,
 * with the layers). Immutable; valid until that snapshot ends. */

struct store_featured_param {
    char *name, *value; /* numbers as their shortest JSON text, booleans "true"/"false" */
};

struct store_featured {
    char *id; /* slug */
    char *title_en, *title_th;
    char *question_en, *question_th;
    char *note_en, *note_th;             /* caveats for the reader; both NULL when absent */
    struct store_featured_param *params; /* the statistics query, in catalog order */
    size_t n_params;
};

/* The featured statistics of this snapshot in catalog order (*n of them; none for a
 * database made before they existed). Borrowed until store_read_end. */
const struct store_featured *store_read_featured(const struct store_read *rd, size_t *n);
/* The featured statistic with this id, or NULL. Borrowed until store_read_end. */
const struct store_featured *store_read_featured_find(const struct store_read *rd, const char *id);

#endif
