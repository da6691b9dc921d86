/* store_features.c - feature queries for the server: one SQL shape per kind of request,
 * values bound, identifiers from the layer's schema; exact counts (cached); cursors that
 * hand rows out one at a time so that a response can stream without holding the result. */
#include "store/store_read.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "store/store_place_order.h"
#include "store/store_read_int.h"
#include "store/store_sql.h"

/* SQL text of a query is small; the cap only guards against a bug building it. */
#define QUERY_SQL_CAP (256 * 1024)

struct built_query {
    struct buf from_where; /* "FROM ... WHERE ..." */
    struct store_params params;
    size_t n_where_params; /* params[0..n) belong to from_where (the count uses them) */
};

struct store_cursor {
    struct store_read *rd;
    struct store_cached_stmt *cs;
    struct built_query built;
    struct store_value *values;
    size_t n_values;
    struct store_feature row;
};

static void built_clear(struct built_query *b)
{
    buf_clear(&b->from_where);
    store_params_clear(&b->params);
}

/* A box whose west edge lies east of its east edge crosses the antimeridian: it is the
 * union of [west, 180] and [-180, east] (allowed by OGC API - Features, /req/core/fc-bbox). */
static bool crosses_antimeridian(const struct store_query *q)
{
    return q->bbox[0] > q->bbox[2];
}

/* With bbox_keeps_empty a layer without geometry ignores the bbox (every feature
 * matches); without it store_query_check refuses the query. */
static bool uses_bbox(const struct store_query *q)
{
    return q->has_bbox && q->layer->geometry_type != NULL;
}

/* The query's box as bound parameters ?minx ?miny ?maxx ?maxy. */
struct bbox_params {
    size_t minx, miny, maxx, maxy;
};

static struct bbox_params add_bbox_params(struct store_params *p, const struct store_query *q)
{
    struct bbox_params b;
    b.minx = store_params_add_real(p, q->bbox[0]);
    b.miny = store_params_add_real(p, q->bbox[1]);
    b.maxx = store_params_add_real(p, q->bbox[2]);
    b.maxy = store_params_add_real(p, q->bbox[3]);
    return b;
}

/* The index test: entries of the R*Tree r whose box meets the query's. */
static int append_index_test(struct buf *sql, const struct store_query *q,
                             const struct bbox_params *b, struct err *err)
{
    return buf_printf(
        sql, err,
        crosses_antimeridian(q)
            ? "(r.xmin <= ?%zu OR r.xmax >= ?%zu) AND r.ymin <= ?%zu AND r.ymax >= ?%zu"
            : "r.xmin <= ?%zu AND r.xmax >= ?%zu AND r.ymin <= ?%zu AND r.ymax >= ?%zu",
        b->maxx, b->minx, b->maxy, b->miny);
}

/* The exact test of t.geom (not NULL) against the query's box. */
static int append_exact_test(struct buf *sql, const struct store_query *q,
                             const struct bbox_params *b, struct err *err)
{
    if (crosses_antimeridian(q)) {
        return buf_printf(sql, err,
                          "(ca_intersects_bbox(t.geom, ?%zu, ?%zu, 180, ?%zu) = 1"
                          " OR ca_intersects_bbox(t.geom, -180, ?%zu, ?%zu, ?%zu) = 1)",
                          b->minx, b->miny, b->maxy, b->miny, b->maxx, b->maxy);
    }
    return buf_printf(sql, err, "ca_intersects_bbox(t.geom, ?%zu, ?%zu, ?%zu, ?%zu) = 1", b->minx,
                      b->miny, b->maxx, b->maxy);
}

static int append_bbox(struct buf *sql, struct store_params *p, const struct store_query *q,
                       struct err *err)
{
    /* The R*Tree drives the scan (CROSS JOIN keeps it outermost), so a page stops after
     * limit + offset hits instead of sorting every match; the exact test follows. Rows
     * without geometry (not in the index) come after the index's hits when they match.
     * A layer with its rows also in place order is read from that copy, through its own
     * index, unless one feature is asked for by id (store_place_order.h): the copy's
     * key is the place on the curve, and its column fid the feature's id. */
    bool by_place = q->layer->has_place_order && !q->has_fid;
    const char *key = by_place ? STORE_PLACE_ORDER_KEY : "fid";
    struct bbox_params b = add_bbox_params(p, q);
    struct buf rtree, table;
    buf_init(&rtree, QUERY_SQL_CAP);
    buf_init(&table, QUERY_SQL_CAP);
    char *table_name = by_place ? xasprintf("%s" STORE_PLACE_ORDER_SUFFIX, q->layer->table_name)
                                : xstrdup(q->layer->table_name);
    char *rtree_name = xasprintf(by_place ? "idx_%s" : "idx_%s_geom", table_name);
    int rc = store_sql_append_ident(&rtree, rtree_name, err);
    free(rtree_name);
    rc = rc == ERR_OK ? store_sql_append_ident(&table, table_name, err) : rc;
    free(table_name);
    if (rc == ERR_OK) {
        rc = buf_printf(sql, err, "FROM (SELECT r.pkid AS k FROM %s AS r WHERE ", rtree.data);
    }
    rc = rc == ERR_OK ? append_index_test(sql, q, &b, err) : rc;
    if (rc == ERR_OK && q->bbox_keeps_empty) {
        rc = buf_printf(sql, err, " UNION ALL SELECT n.%s FROM %s AS n WHERE n.geom IS NULL", key,
                        table.data);
    }
    if (rc == ERR_OK) {
        rc = buf_printf(sql, err, ") AS s CROSS JOIN %s AS t ON t.%s = s.k WHERE (%s", table.data,
                        key, q->bbox_keeps_empty ? "t.geom IS NULL OR " : "");
    }
    rc = rc == ERR_OK ? append_exact_test(sql, q, &b, err) : rc;
    buf_clear(&rtree);
    buf_clear(&table);
    return rc == ERR_OK ? buf_append_str(sql, ")", err) : rc;
}

static int build_from_where(const struct store_query *q, struct built_query *b, struct err *err)
{
    buf_init(&b->from_where, QUERY_SQL_CAP);
    store_params_init(&b->params);
    struct buf *sql = &b->from_where;
    int rc;
    if (uses_bbox(q)) {
        rc = append_bbox(sql, &b->params, q, err);
    } else {
        rc = buf_append_str(sql, "FROM ", err);
        if (rc == ERR_OK) {
            rc = store_sql_append_ident(sql, q->layer->table_name, err);
        }
        if (rc == ERR_OK) {
            rc = buf_append_str(sql, " AS t WHERE 1", err);
        }
    }
    if (rc == ERR_OK && q->has_fid) {
        rc = buf_printf(sql, err, " AND t.fid = ?%zu", store_params_add_int(&b->params, q->fid));
    }
    if (rc == ERR_OK && q->filter != NULL) {
        rc = buf_append_str(sql, " AND ", err);
        if (rc == ERR_OK) {
            rc = store_filter_compile(q->filter, q->layer, "t", sql, &b->params, err);
        }
    }
    if (rc == ERR_OK && q->has_time) {
        rc = buf_append_str(sql, " AND ", err);
        rc = rc == ERR_OK ? store_time_append_filter(q, "t", sql, &b->params, err) : rc;
    }
    if (rc == ERR_OK && q->layer->shape != STORE_SHAPE_ALL) {
        /* A shape view (store_shape_views.c): its dimension, 0 points to 2 polygons. */
        rc = buf_printf(sql, err, " AND ST_Dimension(t.geom) = ?%zu",
                        store_params_add_int(&b->params, (int64_t)q->layer->shape - 1));
    }
    b->n_where_params = b->params.n;
    return rc;
}

static bool is_point_layer(const struct store_layer *layer)
{
    return layer->geometry_type != NULL && strstr(layer->geometry_type, "POINT") != NULL;
}

static int append_geometry_expr(struct buf *sql, const struct store_query *q,
                                struct store_params *p, struct err *err)
{
    if (q->skip_geometry || q->layer->geometry_type == NULL) {
        return buf_append_str(sql, "NULL", err);
    }
    bool simplify = q->simplify_tolerance > 0 && !is_point_layer(q->layer);
    int rc = ERR_OK;
    if (simplify) {
        rc = buf_append_str(sql, "ST_SimplifyPreserveTopology(", err);
    }
    if (rc == ERR_OK) {
        rc = q->out_srid == 4326 ? buf_append_str(sql, "t.geom", err)
                                 : buf_printf(sql, err, "ST_Transform(t.geom, ?%zu)",
                                              store_params_add_int(p, q->out_srid));
    }
    if (rc == ERR_OK && simplify) {
        rc = buf_printf(sql, err, ", ?%zu)", store_params_add_real(p, q->simplify_tolerance));
    }
    return rc;
}

static int append_order(struct buf *sql, const struct store_query *q, struct err *err)
{
    if (q->n_sort == 0) {
        /* With a bbox the R*Tree order is used: stable for a layer version, which is
         * all that paging needs, and it lets a page stop early. */
        return uses_bbox(q) ? ERR_OK : buf_append_str(sql, " ORDER BY t.fid", err);
    }
    int rc = buf_append_str(sql, " ORDER BY ", err);
    for (size_t i = 0; rc == ERR_OK && i < q->n_sort; i++) {
        rc = buf_append_str(sql, "t.", err);
        if (rc == ERR_OK) {
            rc = store_sql_append_ident(sql, q->layer->fields[q->sort[i].field].name, err);
        }
        if (rc == ERR_OK) {
            rc = buf_append_str(sql, q->sort[i].is_descending ? " DESC, " : " ASC, ", err);
        }
    }
    return rc == ERR_OK ? buf_append_str(sql, "t.fid", err) : rc;
}

static int build_select(const struct store_query *q, struct built_query *b, struct buf *sql,
                        struct err *err)
{
    int rc = buf_append_str(sql, "SELECT t.fid, ", err);
    if (rc == ERR_OK) {
        rc = append_geometry_expr(sql, q, &b->params, err);
    }
    size_t n = q->properties != NULL ? q->n_properties : q->layer->n_fields;
    for (size_t i = 0; rc == ERR_OK && i < n; i++) {
        size_t field = q->properties != NULL ? q->properties[i] : i;
        rc = buf_append_str(sql, ", t.", err);
        if (rc == ERR_OK) {
            rc = store_sql_append_ident(sql, q->layer->fields[field].name, err);
        }
    }
    if (rc == ERR_OK) {
        rc = buf_printf(sql, err, " %s", b->from_where.data);
    }
    if (rc == ERR_OK) {
        rc = append_order(sql, q, err);
    }
    if (rc == ERR_OK) {
        size_t limit = store_params_add_int(&b->params, q->limit);
        size_t offset = store_params_add_int(&b->params, q->offset);
        rc = buf_printf(sql, err, " LIMIT ?%zu OFFSET ?%zu", limit, offset);
    }
    return rc;
}

static int check_fields(const struct store_query *q, struct err *err)
{
    for (size_t i = 0; q->properties != NULL && i < q->n_properties; i++) {
        if (q->properties[i] >= q->layer->n_fields) {
            return err_set(err, ERR_INTERNAL, "property index %zu out of range", q->properties[i]);
        }
    }
    for (size_t i = 0; i < q->n_sort; i++) {
        if (q->sort[i].field >= q->layer->n_fields) {
            return err_set(err, ERR_INTERNAL, "sort index %zu out of range", q->sort[i].field);
        }
    }
    return ERR_OK;
}

int store_query_check(struct store_read *rd, const struct store_query *q, struct err *err)
{
    bool is_limit_ok =
        q->limit == STORE_LIMIT_ALL || (q->limit >= 0 && q->limit <= STORE_MAX_LIMIT);
    if (!is_limit_ok || q->offset < 0) {
        return err_set(err, ERR_INVALID, "limit must be 0 to %d and offset 0 or more",
                       STORE_MAX_LIMIT);
    }
    if (!store_read_has_srid(rd, q->out_srid)) {
        return err_set(err, ERR_INVALID,
                       "crs: EPSG:%d is not available in this database; re-import with this "
                       "version of cityatlas to add it",
                       q->out_srid);
    }
    if (q->has_bbox && q->layer->geometry_type == NULL && !q->bbox_keeps_empty) {
        return err_set(err, ERR_INVALID,
                       "bbox: collection '%s' is a table without geometry; drop the bbox",
                       q->layer->id);
    }
    int rc = check_fields(q, err);
    if (rc != ERR_OK) {
        return rc;
    }
    struct built_query b;
    rc = build_from_where(q, &b, err);
    built_clear(&b);
    return rc;
}

static int run_count(struct store_read *rd, const struct built_query *b, bool is_complete_sql,
                     int64_t *count, struct err *err)
{
    char *sql = is_complete_sql ? xstrdup(b->from_where.data)
                                : xasprintf("SELECT count(*) %s", b->from_where.data);
    struct store_cached_stmt *cs = NULL;
    int rc = store_conn_statement(rd->conn, sql, &cs, err);
    free(sql);
    if (rc != ERR_OK) {
        return rc;
    }
    rc = store_params_bind(&b->params, cs->stmt) == SQLITE_OK
             ? ERR_OK
             : store_db_error(rd->conn->st, "binding a count", err);
    if (rc == ERR_OK) {
        if (sqlite3_step(cs->stmt) == SQLITE_ROW) {
            *count = sqlite3_column_int64(cs->stmt, 0);
        } else {
            rc = store_db_error(rd->conn->st, "counting features", err);
        }
    }
    store_conn_release(cs);
    return rc;
}

/* A bbox-only count without visiting the table's geometries: index boxes are rounded outwards, so
 * an entry whose box lies inside the query box certainly intersects it; only the entries crossing
 * the box's edge need their geometry read and tested exactly. A large box (40,000 points in the old
 * city) counts in milliseconds instead of 40,000 row reads. Features without geometry are counted
 * too when they match (bbox_keeps_empty). */
static int build_bbox_count(const struct store_query *q, struct built_query *b, struct err *err)
{
    buf_init(&b->from_where, QUERY_SQL_CAP);
    store_params_init(&b->params);
    size_t minx = store_params_add_real(&b->params, q->bbox[0]);
    size_t miny = store_params_add_real(&b->params, q->bbox[1]);
    size_t maxx = store_params_add_real(&b->params, q->bbox[2]);
    size_t maxy = store_params_add_real(&b->params, q->bbox[3]);
    b->n_where_params = b->params.n;
    char *rtree = xasprintf("idx_%s_geom", q->layer->table_name);
    struct buf rtree_ident, table_ident;
    buf_init(&rtree_ident, QUERY_SQL_CAP);
    buf_init(&table_ident, QUERY_SQL_CAP);
    int rc = store_sql_append_ident(&rtree_ident, rtree, err);
    if (rc == ERR_OK) {
        rc = store_sql_append_ident(&table_ident, q->layer->table_name, err);
    }
    if (rc == ERR_OK) {
        const char *r = rtree_ident.data, *t = table_ident.data;
        rc = buf_printf(
            &b->from_where, err,
            "SELECT (SELECT count(*) FROM %s WHERE xmin >= ?%zu AND xmax <= ?%zu"
            " AND ymin >= ?%zu AND ymax <= ?%zu) + (SELECT count(*) FROM %s AS r CROSS JOIN %s"
            " AS t ON t.fid = r.pkid WHERE r.xmin <= ?%zu AND r.xmax >= ?%zu AND r.ymin <= ?%zu"
            " AND r.ymax >= ?%zu AND NOT (r.xmin >= ?%zu AND r.xmax <= ?%zu AND r.ymin >= ?%zu"
            " AND r.ymax <= ?%zu) AND ca_intersects_bbox(t.geom, ?%zu, ?%zu, ?%zu, ?%zu) = 1)"
            "%s%s%s",
            r, minx, maxx, miny, maxy, r, t, maxx, minx, maxy, miny, minx, maxx, miny, maxy, minx,
            miny, maxx, maxy, q->bbox_keeps_empty ? " + (SELECT count(*) FROM " : "",
            q->bbox_keeps_empty ? t : "", q->bbox_keeps_empty ? " WHERE geom IS NULL)" : "");
    }
    buf_clear(&rtree_ident);
    buf_clear(&table_ident);
    free(rtree);
    return rc;
}

int store_features_count(struct store_read *rd, const struct store_query *q, int64_t *count,
                         struct err *err)
{
    if (!uses_bbox(q) && !q->has_fid && q->filter == NULL && !q->has_time) {
        /* exact: a layer version never changes (a shape view's is counted by shape) */
        *count = q->layer->feature_count;
        return ERR_OK;
    }
    struct built_query b;
    bool is_bbox_only = uses_bbox(q) && !crosses_antimeridian(q) && !q->has_fid &&
                        q->filter == NULL && !q->has_time && q->layer->shape == STORE_SHAPE_ALL;
    int rc = is_bbox_only ? build_bbox_count(q, &b, err) : build_from_where(q, &b, err);
    struct buf key;
    buf_init(&key, QUERY_SQL_CAP * 2);
    if (rc == ERR_OK) {
        rc = buf_printf(&key, err, "%lld\n%s\n", (long long)q->layer->version, b.from_where.data);
    }
    if (rc == ERR_OK) {
        rc = store_params_append_key(&b.params, &key, err);
    }
    if (rc == ERR_OK && !store_count_cache_get(rd->pool->counts, key.data, count)) {
        rc = is_bbox_only
                 ? store_rtree_count(rd, q->layer, q->bbox, q->bbox_keeps_empty, count, err)
                 : ERR_NOT_FOUND;
        if (rc == ERR_NOT_FOUND) {
            rc = run_count(rd, &b, is_bbox_only, count, err);
        }
        if (rc == ERR_OK) {
            store_count_cache_put(rd->pool->counts, key.data, *count);
        }
    }
    buf_clear(&key);
    built_clear(&b);
    return rc;
}

int store_features_open(struct store_read *rd, const struct store_query *q,
                        struct store_cursor **out, struct err *err)
{
    *out = NULL;
    if (rd->cursor != NULL) {
        return err_set(err, ERR_INTERNAL, "a cursor is already open on this read");
    }
    struct store_cursor *cur = xcalloc(1, sizeof(*cur));
    cur->rd = rd;
    struct buf sql;
    buf_init(&sql, QUERY_SQL_CAP);
    int rc = build_from_where(q, &cur->built, err);
    if (rc == ERR_OK) {
        rc = build_select(q, &cur->built, &sql, err);
    }
    if (rc == ERR_OK) {
        rc = store_conn_statement(rd->conn, sql.data, &cur->cs, err);
    }
    buf_clear(&sql);
    if (rc == ERR_OK && store_params_bind(&cur->built.params, cur->cs->stmt) != SQLITE_OK) {
        rc = store_db_error(rd->conn->st, "binding a query", err);
    }
    if (rc != ERR_OK) {
        store_cursor_close(cur);
        return rc;
    }
    cur->n_values = q->properties != NULL ? q->n_properties : q->layer->n_fields;
    cur->values = xcalloc(cur->n_values > 0 ? cur->n_values : 1, sizeof(*cur->values));
    cur->row.values = cur->values;
    cur->row.n_values = cur->n_values;
    rd->cursor = cur;
    *out = cur;
    return ERR_OK;
}

static void read_value(sqlite3_stmt *stmt, int col, struct store_value *v)
{
    memset(v, 0, sizeof(*v));
    switch (sqlite3_column_type(stmt, col)) {
    case SQLITE_NULL:
        v->is_null = true;
        v->type = STORE_TEXT;
        break;
    case SQLITE_INTEGER:
        v->type = STORE_INTEGER;
        v->i = sqlite3_column_int64(stmt, col);
        break;
    case SQLITE_FLOAT:
        v->type = STORE_REAL;
        v->d = sqlite3_column_double(stmt, col);
        break;
    case SQLITE_BLOB:
        v->type = STORE_BLOB;
        v->ptr = sqlite3_column_blob(stmt, col);
        v->len = (size_t)sqlite3_column_bytes(stmt, col);
        break;
    default:
        v->type = STORE_TEXT;
        v->ptr = (const char *)sqlite3_column_text(stmt, col);
        v->len = (size_t)sqlite3_column_bytes(stmt, col);
        break;
    }
}

int store_cursor_next(struct store_cursor *cur, const struct store_feature **row, struct err *err)
{
    sqlite3_stmt *stmt = cur->cs->stmt;
    int step = sqlite3_step(stmt);
    if (step == SQLITE_DONE) {
        return 0;
    }
    if (step != SQLITE_ROW) {
        return store_db_error(cur->rd->conn->st, "reading features", err);
    }
    cur->row.fid = sqlite3_column_int64(stmt, 0);
    if (sqlite3_column_type(stmt, 1) == SQLITE_BLOB) {
        cur->row.geom = sqlite3_column_blob(stmt, 1);
        cur->row.geom_len = (size_t)sqlite3_column_bytes(stmt, 1);
    } else {
        cur->row.geom = NULL;
        cur->row.geom_len = 0;
    }
    for (size_t i = 0; i < cur->n_values; i++) {
        read_value(stmt, (int)i + 2, &cur->values[i]);
    }
    *row = &cur->row;
    return 1;
}

/* The pool notes at open which of the CRSs a query may ask for its database defines;
 * only features queries ask. */
bool store_read_has_srid(const struct store_read *rd, int srid)
{
    switch (srid) {
    case 4326:
        return true;
    case 32647:
        return rd->pool->has_srid_32647;
    case 24047:
        return rd->pool->has_srid_24047;
    case 3857:
        return rd->pool->has_srid_3857;
    default:
        return false;
    }
}

void store_cursor_close(struct store_cursor *cur)
{
    if (cur == NULL) {
        return;
    }
    store_conn_release(cur->cs);
    if (cur->rd->cursor == cur) {
        cur->rd->cursor = NULL;
    }
    built_clear(&cur->built);
    free(cur->values);
    free(cur);
}

/* Points per edge of a projected box: the edges of a UTM box are curves in degrees
 * (northings bulge at the central meridian), so the corners alone would give a box that
 * misses a strip along the edge; 32 points per edge keep that well under a centimetre
 * for any box inside a UTM zone. */
#define TRANSFORM_EDGE_POINTS 32

static int box_ring_wkt(const double in[4], struct buf *wkt, struct err *err)
{
    const double corners[5][2] = {
        {in[0], in[1]}, {in[2], in[1]}, {in[2], in[3]}, {in[0], in[3]}, {in[0], in[1]}};
    int rc = buf_append_str(wkt, "POLYGON((", err);
    for (int edge = 0; rc == ERR_OK && edge < 4; edge++) {
        for (int i = 0; rc == ERR_OK && i < TRANSFORM_EDGE_POINTS; i++) {
            double f = (double)i / TRANSFORM_EDGE_POINTS;
            double x = corners[edge][0] + f * (corners[edge + 1][0] - corners[edge][0]);
            double y = corners[edge][1] + f * (corners[edge + 1][1] - corners[edge][1]);
            rc = buf_printf(wkt, err, "%.17g %.17g,", x, y);
        }
    }
    return rc == ERR_OK ? buf_printf(wkt, err, "%.17g %.17g))", in[0], in[1]) : rc;
}

static bool is_lon_lat_box(const double b[4])
{
    for (int i = 0; i < 4; i++) {
        if (!isfinite(b[i])) {
            return false;
        }
    }
    return b[0] >= -180 && b[2] <= 180 && b[1] >= -90 && b[3] <= 90 && b[0] <= b[2] && b[1] <= b[3];
}

int store_read_transform_bbox(struct store_read *rd, int srid, const double in[4], double out[4],
                              struct err *err)
{
    if (!store_read_has_srid(rd, srid)) {
        return err_set(err, ERR_INVALID, "bbox-crs: EPSG:%d is not available in this database",
                       srid);
    }
    struct buf wkt;
    buf_init(&wkt, 64 * 1024);
    struct store_cached_stmt *cs = NULL;
    int rc = box_ring_wkt(in, &wkt, err);
    if (rc == ERR_OK) {
        rc = store_conn_statement(rd->conn,
                                  "SELECT MbrMinX(g), MbrMinY(g), MbrMaxX(g), MbrMaxY(g) FROM "
                                  "(SELECT ST_Transform(GeomFromText(?1, ?2), 4326) AS g)",
                                  &cs, err);
    }
    if (rc == ERR_OK) {
        sqlite3_bind_text(cs->stmt, 1, wkt.data, (int)wkt.len, SQLITE_STATIC);
        sqlite3_bind_int(cs->stmt, 2, srid);
        bool has_row =
            sqlite3_step(cs->stmt) == SQLITE_ROW && sqlite3_column_type(cs->stmt, 0) != SQLITE_NULL;
        for (int i = 0; has_row && i < 4; i++) {
            out[i] = sqlite3_column_double(cs->stmt, i);
        }
        if (!has_row || !is_lon_lat_box(out)) {
            rc = err_set(err, ERR_INVALID,
                         "bbox: the box is outside the area of EPSG:%d and cannot be transformed",
                         srid);
        }
        store_conn_release(cs);
    }
    buf_clear(&wkt);
    return rc;
}
