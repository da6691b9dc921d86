/* store_sql.h - building read queries: bound parameters and the CQL2 filter compiler.
 * Internal to store/. No value from a request ever becomes SQL text: values are
 * appended to a store_params list and referred to as ?N; identifiers come from the
 * layer's schema (struct store_layer), never from the request. */
#ifndef CITYATLAS_STORE_STORE_SQL_H
#define CITYATLAS_STORE_STORE_SQL_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "base/buf.h"
#include "base/err.h"
#include "store/store_read.h"

struct cql2_node;

enum store_param_type { STORE_PARAM_INT, STORE_PARAM_REAL, STORE_PARAM_TEXT };

struct store_param {
    enum store_param_type type;
    int64_t i;
    double d;
    char *text; /* owned */
};

struct store_params {
    struct store_param *items;
    size_t n, cap;
};

void store_params_init(struct store_params *p);
void store_params_clear(struct store_params *p);
/* Each adds one value and returns its 1-based number N, to be written as "?N". */
size_t store_params_add_int(struct store_params *p, int64_t v);
size_t store_params_add_real(struct store_params *p, double v);
size_t store_params_add_text(struct store_params *p, const char *s, size_t len);
/* Binds every parameter to stmt (SQLITE_TRANSIENT is not needed: p outlives the step). */
int store_params_bind(const struct store_params *p, sqlite3_stmt *stmt);
/* Appends a canonical text form of the values to key (for cache keys). */
int store_params_append_key(const struct store_params *p, struct buf *key, struct err *err);

/* Appends "\"name\"" (quotes doubled) to sql: for identifiers taken from the schema. */
int store_sql_append_ident(struct buf *sql, const char *name, struct err *err) WARN_UNUSED;

/* Appends to sql one boolean SQL expression equivalent to filter over the layer's table,
 * whose columns are referred to as <alias>."column" (alias is a fixed string of ours,
 * e.g. "t"); the geometry column is <alias>.geom (SpatiaLite BLOB, SRID 4326). Values go
 * to params. Property names must be fields of the layer (case-sensitive) or "geometry"
 * (the geometry, only inside S_INTERSECTS). Fails with ERR_INVALID and a message naming
 * the property, operator or value that does not fit the layer's schema, e.g.
 * "filter: unknown property 'nmae'; queryable properties: name, category, population"
 * or "filter: property 'population' is a number and cannot be compared with a string".
 * Spatial tests use SpatiaLite's ST_Intersects(geom, GeomFromText(?N, 4326)) = 1 and,
 * for BBOX literals, ca_intersects_bbox(geom, ?minx, ?miny, ?maxx, ?maxy) = 1 (a function
 * this store registers on every read connection: exact, with the MBR as shortcut). */
int store_filter_compile(const struct cql2_node *filter, const struct store_layer *layer,
                         const char *alias, struct buf *sql, struct store_params *params,
                         struct err *err) WARN_UNUSED;

/* The start of an SQL call that turns a date or date-time into its instant as UTC text with
 * milliseconds, e.g. 2019-02-18T00:00:00.000Z: append the value (and any modifiers) and
 * ")". SQLite reads ISO 8601 dates and date-times with any number of fraction digits and
 * a Z or +hh:mm offset, so two such results compare as instants; text that is no time
 * gives NULL. Not a printf format: append it with "%s". */
#define STORE_SQL_INSTANT "strftime('%Y-%m-%dT%H:%M:%fZ', "

/* Appends the datetime test of q (q->has_time) as one boolean SQL expression over
 * <alias>."time field" (see struct store_query). */
int store_time_append_filter(const struct store_query *q, const char *alias, struct buf *sql,
                             struct store_params *params, struct err *err) WARN_UNUSED;

#endif
