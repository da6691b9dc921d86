/* store_place_order.c - see store_place_order.h. */
#include "store/store_place_order.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "store/store_rtree.h"
#include "store/store_sql.h"

/* Runs sql (from sqlite3_mprintf) and frees it. */
static int exec_owned(struct store *st, char *sql, struct err *err)
{
    int rc = store_exec(st, sql, err);
    sqlite3_free(sql);
    return rc;
}

/* The copy's CREATE TABLE (cols: the table's column list, for the INSERT) from the
 * table's own columns; *usable is false when a column would take the key's name. */
static int copy_ddl(struct store *st, const char *table, const char *copy, struct buf *ddl,
                    struct buf *cols, bool *usable, struct err *err)
{
    *usable = true;
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(st->db, "SELECT name, type, pk FROM pragma_table_info(?)", -1, &stmt,
                           NULL) != SQLITE_OK) {
        return store_db_error(st, "reading a layer's columns", err);
    }
    sqlite3_bind_text(stmt, 1, table, -1, SQLITE_STATIC);
    int rc = buf_append_str(ddl, "CREATE TABLE ", err);
    rc = rc == ERR_OK ? store_sql_append_ident(ddl, copy, err) : rc;
    rc = rc == ERR_OK ? buf_append_str(ddl, " (" STORE_PLACE_ORDER_KEY " INTEGER PRIMARY KEY", err)
                      : rc;
    int step;
    while (rc == ERR_OK && (step = sqlite3_step(stmt)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(stmt, 0);
        const char *type = (const char *)sqlite3_column_text(stmt, 1);
        if (name == NULL || strcmp(name, STORE_PLACE_ORDER_KEY) == 0) {
            *usable = false;
            break;
        }
        /* The table's key (fid) is an ordinary column here: the feature's id. */
        bool is_key = sqlite3_column_int(stmt, 2) != 0;
        rc = buf_append_str(ddl, ", ", err);
        rc = rc == ERR_OK ? store_sql_append_ident(ddl, name, err) : rc;
        rc = rc == ERR_OK ? buf_printf(ddl, err, " %s%s",
                                       is_key ? "INTEGER"
                                       : type ? type
                                              : "",
                                       is_key ? " NOT NULL" : "")
                          : rc;
        rc = rc == ERR_OK && cols->len > 0 ? buf_append_str(cols, ", ", err) : rc;
        rc = rc == ERR_OK ? store_sql_append_ident(cols, name, err) : rc;
    }
    if (rc == ERR_OK && *usable && step != SQLITE_DONE) {
        rc = store_db_error(st, "reading a layer's columns", err);
    }
    sqlite3_finalize(stmt);
    return rc == ERR_OK ? buf_append_str(ddl, ")", err) : rc;
}

/* The rows with geometry in the order of the table's index (a walk of the R*Tree, whose
 * leaves the import built along the curve: store_rtree.c), then those without, by id. */
static int copy_rows(struct store *st, const char *table, const char *copy, const char *cols,
                     int64_t n_with_geometry, struct err *err)
{
    int rc =
        exec_owned(st,
                   sqlite3_mprintf("INSERT INTO \"%w\" (%s) SELECT %s FROM \"idx_%w_geom\" AS r"
                                   " CROSS JOIN \"%w\" AS t ON t.fid = r.pkid",
                                   copy, cols, cols, table, table),
                   err);
    if (rc == ERR_OK && sqlite3_changes64(st->db) != n_with_geometry) {
        rc = err_set(err, ERR_INTERNAL, "the spatial index of %s holds %lld rows, not %lld", table,
                     (long long)sqlite3_changes64(st->db), (long long)n_with_geometry);
    }
    if (rc == ERR_OK) {
        rc = exec_owned(st,
                        sqlite3_mprintf("INSERT INTO \"%w\" (%s) SELECT %s FROM \"%w\""
                                        " WHERE geom IS NULL ORDER BY fid",
                                        copy, cols, cols, table),
                        err);
    }
    return rc;
}

int store_place_order_write(struct store *st, const char *table, bool is_points,
                            int64_t n_with_geometry, struct err *err)
{
    if (!is_points || n_with_geometry < STORE_PLACE_ORDER_MIN) {
        return ERR_OK;
    }
    char *copy = xasprintf("%s" STORE_PLACE_ORDER_SUFFIX, table);
    struct buf ddl, cols;
    buf_init(&ddl, STORE_SQL_CAP);
    buf_init(&cols, STORE_SQL_CAP);
    bool usable = false;
    int rc = copy_ddl(st, table, copy, &ddl, &cols, &usable, err);
    if (rc == ERR_OK && usable) {
        rc = store_exec(st, ddl.data, err);
        rc = rc == ERR_OK ? copy_rows(st, table, copy, cols.data, n_with_geometry, err) : rc;
        if (rc == ERR_OK) {
            rc = exec_owned(st,
                            sqlite3_mprintf("CREATE VIRTUAL TABLE \"idx_%w\" USING"
                                            " rtree(pkid, xmin, xmax, ymin, ymax)",
                                            copy),
                            err);
        }
        if (rc == ERR_OK) {
            char *rtree = xasprintf("idx_%s", copy);
            rc = store_rtree_bulk_load_in_order(st, copy, STORE_PLACE_ORDER_KEY, rtree,
                                                n_with_geometry, err);
            free(rtree);
        }
    }
    buf_clear(&ddl);
    buf_clear(&cols);
    free(copy);
    return rc;
}

int store_place_order_drop(struct store *st, const char *table, struct err *err)
{
    /* The index (a virtual table: its shadow tables go with it), the entry counts the bulk
     * load writes beside every R*Tree, then the rows. */
    return exec_owned(
        st,
        sqlite3_mprintf(
            "DROP TABLE IF EXISTS \"idx_%w" STORE_PLACE_ORDER_SUFFIX "\";"
            "DROP TABLE IF EXISTS \"idx_%w" STORE_PLACE_ORDER_SUFFIX STORE_RTREE_COUNT_SUFFIX "\";"
            "DROP TABLE IF EXISTS \"%w" STORE_PLACE_ORDER_SUFFIX "\"",
            table, table, table),
        err);
}
