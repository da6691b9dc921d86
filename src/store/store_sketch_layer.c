/* store_sketch_layer.c - a scenario's sketch layer edited in place, one sketch at a time.
 *
 * Writing the layer again as a new version for every change (a new table, its spatial
 * index, a schema change that makes every reader's connection parse the schema again)
 * cost a workshop of 300 phones most of its time. A change instead deletes the sketch's
 * row from the layer's current table and inserts its new state; SpatiaLite's triggers on
 * the table keep its R*Tree in step. The registry row then gets a new version, so that
 * everything keyed by version or generation (tiles, counts, ETags, the catalog) moves,
 * and the feature count and extent the table now has. The entry counts the import keeps
 * beside the R*Tree (store_rtree.h) would no longer be true: they are dropped with the
 * first edit, and counts over the layer use SQL until it is written whole again. A copy of
 * the rows in place order (store_place_order.h) would go stale the same way, but a sketch
 * layer never holds enough features to get one (asserted below). */
#include <stdlib.h>
#include <string.h>

#include "encode/nfc_text.h"
#include "store/store_place_order.h"
#include "store/store_rtree.h"
#include "store/store_scenario_int.h"

_Static_assert(STORE_SCENARIO_MAX_SKETCHES < STORE_PLACE_ORDER_MIN,
               "a sketch layer edited in place must never have its rows in place order");

/* WKB type codes (2D): 1-3 Point, LineString, Polygon; 4-6 their Multi forms; 0 (in
 * geometry_columns) any. */
#define WKB_MULTI_OFFSET 3

/* The WKB type of a geometry, or 0 when unreadable. */
static unsigned wkb_type(const unsigned char *wkb, size_t len)
{
    if (len < 5) {
        return 0;
    }
    return wkb[0] == 1 ? (unsigned)wkb[1] | (unsigned)wkb[2] << 8
                       : (unsigned)wkb[4] | (unsigned)wkb[3] << 8;
}

/* The layer's current table and the geometry type SpatiaLite allows in it. */
struct layer_table {
    char *name;
    int type_code;
};

static int table_of(struct store *st, const char *layer_id, struct layer_table *t, struct err *err)
{
    memset(t, 0, sizeof(*t));
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT l.table_name, g.geometry_type FROM cityatlas_layers l"
                           " JOIN geometry_columns g ON g.f_table_name = lower(l.table_name)"
                           " AND g.f_geometry_column = 'geom' WHERE l.id = ?",
                           -1, &stmt, NULL) != SQLITE_OK) {
        return store_db_error(st, "reading the layer registry", err);
    }
    sqlite3_bind_text(stmt, 1, layer_id, -1, SQLITE_STATIC);
    int step = sqlite3_step(stmt);
    if (step == SQLITE_ROW) {
        t->name = store_column_dup(stmt, 0);
        t->type_code = sqlite3_column_int(stmt, 1);
    }
    sqlite3_finalize(stmt);
    if (step == SQLITE_DONE) {
        return err_set(err, ERR_NOT_FOUND, "layer '%s' is not written yet", layer_id);
    }
    return step == SQLITE_ROW ? ERR_OK : store_db_error(st, "reading the layer registry", err);
}

/* Runs sql (one statement, %w: the table's name) with no result. */
static int exec_on(struct store *st, const char *fmt, const char *table, struct err *err)
{
    char *sql = sqlite3_mprintf(fmt, table);
    int rc = store_exec(st, sql, err);
    sqlite3_free(sql);
    return rc;
}

/* Drops the R*Tree's entry counts once: an edit makes them wrong. */
static int drop_counts(struct store *st, const char *table, struct err *err)
{
    char *name = sqlite3_mprintf("idx_%s_geom" STORE_RTREE_COUNT_SUFFIX, table);
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2(st->db, "SELECT 1 FROM sqlite_master WHERE name = ?", -1, &stmt,
                                NULL) == SQLITE_OK
                 ? ERR_OK
                 : store_db_error(st, "reading the schema", err);
    bool exists = false;
    if (rc == ERR_OK) {
        sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
        exists = sqlite3_step(stmt) == SQLITE_ROW;
    }
    sqlite3_finalize(stmt);
    if (rc == ERR_OK && exists) {
        rc = exec_on(st, "DROP TABLE \"%w\"", name, err);
    }
    sqlite3_free(name);
    return rc;
}

/* Lets the table take any geometry type when it takes none of row's (a first area in a
 * layer of points): the registry then says GEOMETRY, as for a layer written mixed. */
static int allow_type(struct store *st, const char *layer_id, struct layer_table *t, unsigned type,
                      bool *as_multi, struct err *err)
{
    *as_multi = false;
    if (t->type_code == 0 || (unsigned)t->type_code == type) {
        return ERR_OK;
    }
    if (type >= 1 && type <= 3 && (unsigned)t->type_code == type + WKB_MULTI_OFFSET) {
        *as_multi = true; /* the layer writer made them Multi: so is this one */
        return ERR_OK;
    }
    int rc = exec_on(st,
                     "UPDATE geometry_columns SET geometry_type = 0"
                     " WHERE f_table_name = lower('%q') AND f_geometry_column = 'geom'",
                     t->name, err);
    sqlite3_stmt *stmt = NULL;
    if (rc == ERR_OK &&
        sqlite3_prepare_v2(st->db,
                           "UPDATE cityatlas_layers SET geometry_type = 'GEOMETRY' WHERE id = ?",
                           -1, &stmt, NULL) != SQLITE_OK) {
        rc = store_db_error(st, "updating the registry", err);
    }
    if (rc == ERR_OK) {
        sqlite3_bind_text(stmt, 1, layer_id, -1, SQLITE_STATIC);
        rc = sqlite3_step(stmt) == SQLITE_DONE ? ERR_OK
                                               : store_db_error(st, "updating the registry", err);
    }
    sqlite3_finalize(stmt);
    t->type_code = 0;
    return rc;
}

/* Binds text as the layer writer stores it: Unicode NFC (store_layers.c). */
static void bind_layer_text(sqlite3_stmt *stmt, int col, const char *text)
{
    if (text == NULL) {
        sqlite3_bind_null(stmt, col);
        return;
    }
    size_t len = strlen(text), nfc_len = 0;
    char *nfc = nfc_text_may_change(text, len) ? nfc_text_new(text, len, &nfc_len) : NULL;
    if (nfc != NULL) {
        sqlite3_bind_text(stmt, col, nfc, (int)nfc_len, free);
    } else {
        sqlite3_bind_text(stmt, col, text, (int)len, SQLITE_TRANSIENT);
    }
}

static int insert_row(struct store *st, const struct layer_table *t, bool as_multi,
                      const struct store_sketch_layer_row *row, struct err *err)
{
    char *sql = sqlite3_mprintf(
        "INSERT INTO \"%w\" (fid, geom, sketch_id, kind, note, group_name, created_at,"
        " updated_at, created_by, updated_by) VALUES (?1, %s, ?1, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        t->name, as_multi ? "CastToMulti(GeomFromWKB(?2, 4326))" : "GeomFromWKB(?2, 4326)");
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL) == SQLITE_OK
                 ? ERR_OK
                 : store_db_error(st, "writing the sketch layer", err);
    sqlite3_free(sql);
    if (rc == ERR_OK) {
        sqlite3_bind_int64(stmt, 1, row->id);
        sqlite3_bind_blob(stmt, 2, row->wkb, (int)row->wkb_len, SQLITE_STATIC);
        const char *texts[] = {row->kind,       row->note,       row->group_name, row->created_at,
                               row->updated_at, row->created_by, row->updated_by};
        for (int i = 0; i < 7; i++) {
            bind_layer_text(stmt, 3 + i, texts[i]);
        }
        rc = sqlite3_step(stmt) == SQLITE_DONE
                 ? ERR_OK
                 : store_db_error(st, "writing the sketch layer", err);
    }
    sqlite3_finalize(stmt);
    return rc;
}

/* A new version for the layer, with the count and extent its table has now. The extent is
 * the R*Tree's: its boxes are rounded outwards to 32-bit floats, so it holds every
 * sketch, widened by at most a few centimetres. */
static int registry_update(struct store *st, const char *layer_id, const char *table,
                           struct err *err)
{
    int rc = store_scenario_bump_generation(st, err);
    int64_t version = 0;
    if (rc == ERR_OK) {
        rc = store_query_int(
            st, "SELECT CAST(value AS INTEGER) FROM cityatlas_meta WHERE key = 'last_version'",
            &version, err);
    }
    char *sql = sqlite3_mprintf(
        "UPDATE cityatlas_layers SET version = ?1,"
        " feature_count = (SELECT count(*) FROM \"%w\"),"
        " min_lon = e.x0, min_lat = e.y0, max_lon = e.x1, max_lat = e.y1,"
        " imported_at = strftime('%%Y-%%m-%%dT%%H:%%M:%%fZ', 'now')"
        " FROM (SELECT min(xmin) AS x0, min(ymin) AS y0, max(xmax) AS x1, max(ymax) AS y1"
        " FROM \"idx_%w_geom\") AS e WHERE id = ?2",
        table, table);
    sqlite3_stmt *stmt = NULL;
    if (rc == ERR_OK && sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL) != SQLITE_OK) {
        rc = store_db_error(st, "updating the registry", err);
    }
    sqlite3_free(sql);
    if (rc == ERR_OK) {
        sqlite3_bind_int64(stmt, 1, version);
        sqlite3_bind_text(stmt, 2, layer_id, -1, SQLITE_STATIC);
        rc = sqlite3_step(stmt) == SQLITE_DONE ? ERR_OK
                                               : store_db_error(st, "updating the registry", err);
    }
    sqlite3_finalize(stmt);
    return rc;
}

int store_sketch_layer_edit(struct store *st, const char *scenario_id, int64_t id,
                            const struct store_sketch_layer_row *row, struct err *err)
{
    char layer_id[STORE_SCENARIO_ID_MAX + 32];
    store_scenario_layer_id(scenario_id, layer_id, sizeof(layer_id));
    struct layer_table t;
    int rc = table_of(st, layer_id, &t, err);
    if (rc == ERR_OK) {
        rc = drop_counts(st, t.name, err);
    }
    sqlite3_stmt *stmt = NULL;
    if (rc == ERR_OK) {
        char *sql = sqlite3_mprintf("DELETE FROM \"%w\" WHERE fid = ?", t.name);
        if (sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL) != SQLITE_OK) {
            rc = store_db_error(st, "writing the sketch layer", err);
        }
        sqlite3_free(sql);
    }
    if (rc == ERR_OK) {
        sqlite3_bind_int64(stmt, 1, id);
        rc = sqlite3_step(stmt) == SQLITE_DONE
                 ? ERR_OK
                 : store_db_error(st, "writing the sketch layer", err);
    }
    sqlite3_finalize(stmt);
    bool as_multi = false;
    if (rc == ERR_OK && row != NULL) {
        rc = allow_type(st, layer_id, &t, wkb_type(row->wkb, row->wkb_len), &as_multi, err);
    }
    if (rc == ERR_OK && row != NULL) {
        rc = insert_row(st, &t, as_multi, row, err);
    }
    if (rc == ERR_OK) {
        rc = registry_update(st, layer_id, t.name, err);
    }
    free(t.name);
    return rc;
}
