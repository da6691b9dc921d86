/* store_time.c - the time of features: which field holds it, the `datetime` test over it
 * and its extent. Times are stored as ISO 8601 text (import/import_layer.c), with or
 * without fraction digits and offsets, so they are compared as instants through SQLite's
 * strftime (STORE_SQL_INSTANT), never as text: 2019-02-18T00:00:00.000Z and
 * 2019-02-18T07:00:00+07:00 are the same instant. */
#include "store/store_read.h"

#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "store/store_read_int.h"
#include "store/store_sql.h"

long store_layer_time_field(const struct store_layer *layer)
{
    for (size_t i = 0; i < layer->n_fields; i++) {
        const char *type = layer->fields[i].source_type;
        if (type != NULL && (strcmp(type, "DateTime") == 0 || strcmp(type, "Date") == 0)) {
            return (long)i;
        }
    }
    return -1;
}

static bool is_date_field(const struct store_field_info *f)
{
    return f->source_type != NULL && strcmp(f->source_type, "Date") == 0;
}

/* Appends the first and the last instant of a feature's time: a date-time is one instant,
 * a date spans its whole day. */
static int append_time_bounds(struct buf *sql, const char *alias, const struct store_field_info *f,
                              bool is_last, struct err *err)
{
    int rc = buf_printf(sql, err, "%s%s.", STORE_SQL_INSTANT, alias);
    if (rc == ERR_OK) {
        rc = store_sql_append_ident(sql, f->name, err);
    }
    if (rc == ERR_OK && is_last && is_date_field(f)) {
        rc = buf_append_str(sql, ", '+1 day', '-0.001 seconds'", err);
    }
    return rc == ERR_OK ? buf_append_str(sql, ")", err) : rc;
}

/* A bound of the interval asked for: a date as a start is its first instant, as an end its
 * last, so that datetime=2019-02-18 is the whole day. */
static int append_query_bound(struct buf *sql, struct store_params *params, const char *bound,
                              bool is_end, struct err *err)
{
    size_t n = store_params_add_text(params, bound, strlen(bound));
    bool is_date = strchr(bound, 'T') == NULL;
    return buf_printf(sql, err, "%s?%zu%s)", STORE_SQL_INSTANT, n,
                      is_date && is_end ? ", '+1 day', '-0.001 seconds'" : "");
}

int store_time_append_filter(const struct store_query *q, const char *alias, struct buf *sql,
                             struct store_params *params, struct err *err)
{
    if (q->time_field >= q->layer->n_fields) {
        return err_set(err, ERR_INTERNAL, "time field %zu out of range", q->time_field);
    }
    const struct store_field_info *f = &q->layer->fields[q->time_field];
    /* Without a time a feature matches (/req/core/fc-time-response C); with one, its span
     * must meet the interval: it starts before the interval ends and ends after it starts. */
    int rc = buf_append_str(sql, "(", err);
    rc = rc == ERR_OK ? append_time_bounds(sql, alias, f, false, err) : rc;
    rc = rc == ERR_OK ? buf_append_str(sql, " IS NULL OR (1", err) : rc;
    if (rc == ERR_OK && q->time_end != NULL) {
        rc = buf_append_str(sql, " AND ", err);
        rc = rc == ERR_OK ? append_time_bounds(sql, alias, f, false, err) : rc;
        rc = rc == ERR_OK ? buf_append_str(sql, " <= ", err) : rc;
        rc = rc == ERR_OK ? append_query_bound(sql, params, q->time_end, true, err) : rc;
    }
    if (rc == ERR_OK && q->time_start != NULL) {
        rc = buf_append_str(sql, " AND ", err);
        rc = rc == ERR_OK ? append_time_bounds(sql, alias, f, true, err) : rc;
        rc = rc == ERR_OK ? buf_append_str(sql, " >= ", err) : rc;
        rc = rc == ERR_OK ? append_query_bound(sql, params, q->time_start, false, err) : rc;
    }
    return rc == ERR_OK ? buf_append_str(sql, "))", err) : rc;
}

static char *column_text(sqlite3_stmt *stmt, int col)
{
    const unsigned char *text = sqlite3_column_text(stmt, col);
    return text != NULL ? xstrdup((const char *)text) : NULL;
}

int store_time_extent(struct store_read *rd, const struct store_layer *layer, size_t field,
                      char **min, char **max, struct err *err)
{
    *min = NULL;
    *max = NULL;
    if (field >= layer->n_fields) {
        return err_set(err, ERR_INTERNAL, "time field %zu out of range", field);
    }
    struct buf sql;
    buf_init(&sql, 4096);
    int rc = buf_append_str(&sql, "SELECT min(", err);
    rc = rc == ERR_OK ? append_time_bounds(&sql, "t", &layer->fields[field], false, err) : rc;
    rc = rc == ERR_OK ? buf_append_str(&sql, "), max(", err) : rc;
    rc = rc == ERR_OK ? append_time_bounds(&sql, "t", &layer->fields[field], true, err) : rc;
    rc = rc == ERR_OK ? buf_append_str(&sql, ") FROM ", err) : rc;
    rc = rc == ERR_OK ? store_sql_append_ident(&sql, layer->table_name, err) : rc;
    rc = rc == ERR_OK ? buf_append_str(&sql, " AS t", err) : rc;
    struct store_cached_stmt *cs = NULL;
    if (rc == ERR_OK) {
        rc = store_conn_statement(rd->conn, sql.data, &cs, err);
    }
    buf_clear(&sql);
    if (rc != ERR_OK) {
        return rc;
    }
    if (sqlite3_step(cs->stmt) == SQLITE_ROW) {
        *min = column_text(cs->stmt, 0);
        *max = column_text(cs->stmt, 1);
    } else {
        rc = store_db_error(rd->conn->st, "reading the time extent", err);
    }
    store_conn_release(cs);
    if (rc == ERR_OK && (*min == NULL || *max == NULL)) {
        free(*min);
        free(*max);
        *min = NULL;
        *max = NULL;
    }
    return rc;
}
