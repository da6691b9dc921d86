/* store_rtree_count.c - how many features of a layer intersect a box, from the R*Tree's
 * nodes and the entry counts the import wrote beside them (store_rtree.h).
 *
 * SQL counts a box by visiting every index entry inside it: 40,000 entries for a box in
 * the old city, every time a map view asks for a box it has not asked before. Here a node
 * whose box lies inside the query box adds its subtree's count without being read, so
 * only the nodes along the box's edge are read. The answer is the SQL's to the entry:
 * boxes are compared as SQLite compares them (its 32-bit floats widened to double), an
 * entry whose box lies inside counts, and an entry crossing the edge counts when its
 * geometry intersects the box exactly (ca_intersects_bbox). */
#include "store/store_read_int.h"

#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "store/store_rtree.h"

#define RTREE_CELL_BYTES 24 /* 8-byte id + 4 x 4-byte float */
#define RTREE_HEADER_BYTES 4

struct walk {
    struct store_read *rd;
    sqlite3_stmt *node, *count, *exact; /* borrowed from the connection's cache */
    const double *box;                  /* min x, min y, max x, max y */
    int64_t total;
};

struct pending {
    int64_t node;
    int depth; /* 0 for leaves */
};

static uint64_t get_u64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) {
        v = v << 8 | p[i];
    }
    return v;
}

static double get_float(const unsigned char *p)
{
    uint32_t bits = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
    float f;
    memcpy(&f, &bits, sizeof(f));
    return (double)f;
}

/* One int64 column of the first row of stmt, bound to id (and the box for the exact test). */
static int step_int(struct walk *w, sqlite3_stmt *stmt, int64_t id, int64_t *out, struct err *err)
{
    sqlite3_bind_int64(stmt, 1, id);
    int step = sqlite3_step(stmt);
    *out = step == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
    sqlite3_reset(stmt);
    if (step != SQLITE_ROW && step != SQLITE_DONE) {
        return store_db_error(w->rd->conn->st, "counting through the spatial index", err);
    }
    return ERR_OK;
}

/* Reads node's cells: adds those inside the box, pushes the nodes crossing its edge,
 * tests the entries crossing it. */
static int visit(struct walk *w, struct pending at, struct pending **stack, size_t *n_stack,
                 struct err *err)
{
    sqlite3_bind_int64(w->node, 1, at.node);
    if (sqlite3_step(w->node) != SQLITE_ROW) {
        sqlite3_reset(w->node);
        return store_db_error(w->rd->conn->st, "reading a spatial index node", err);
    }
    size_t len = (size_t)sqlite3_column_bytes(w->node, 0);
    unsigned char *blob = xmalloc(len > 0 ? len : 1);
    memcpy(blob, sqlite3_column_blob(w->node, 0), len);
    sqlite3_reset(w->node);
    size_t n_cells = len >= RTREE_HEADER_BYTES ? (size_t)(blob[2] << 8 | blob[3]) : 0;
    int rc = ERR_OK;
    const double *b = w->box;
    for (size_t i = 0; rc == ERR_OK && i < n_cells; i++) {
        const unsigned char *c = blob + RTREE_HEADER_BYTES + i * RTREE_CELL_BYTES;
        if (c + RTREE_CELL_BYTES > blob + len) {
            rc = err_set(err, ERR_DB, "a spatial index node is shorter than its cells");
            break;
        }
        int64_t id = (int64_t)get_u64(c);
        double xmin = get_float(c + 8), xmax = get_float(c + 12);
        double ymin = get_float(c + 16), ymax = get_float(c + 20);
        if (xmin > b[2] || xmax < b[0] || ymin > b[3] || ymax < b[1]) {
            continue;
        }
        bool is_inside = xmin >= b[0] && xmax <= b[2] && ymin >= b[1] && ymax <= b[3];
        int64_t n = 0;
        if (is_inside && at.depth == 0) {
            n = 1;
        } else if (is_inside) {
            rc = step_int(w, w->count, id, &n, err);
        } else if (at.depth == 0) {
            rc = step_int(w, w->exact, id, &n, err);
        } else {
            *stack = xreallocarray(*stack, *n_stack + 1, sizeof(**stack));
            (*stack)[(*n_stack)++] = (struct pending){id, at.depth - 1};
        }
        w->total += n;
    }
    free(blob);
    return rc;
}

static int walk_tree(struct walk *w, struct err *err)
{
    int64_t depth = 0;
    sqlite3_bind_int64(w->node, 1, 1);
    if (sqlite3_step(w->node) == SQLITE_ROW && sqlite3_column_bytes(w->node, 0) >= 2) {
        const unsigned char *root = sqlite3_column_blob(w->node, 0);
        depth = root[0] << 8 | root[1];
    }
    sqlite3_reset(w->node);
    struct pending *stack = xmalloc(sizeof(*stack));
    size_t n_stack = 1;
    stack[0] = (struct pending){1, (int)depth};
    int rc = ERR_OK;
    while (rc == ERR_OK && n_stack > 0) {
        struct pending at = stack[--n_stack];
        rc = visit(w, at, &stack, &n_stack, err);
    }
    free(stack);
    return rc;
}

static bool has_counts(struct store_read *rd, const char *rtree)
{
    char *name = xasprintf("%s" STORE_RTREE_COUNT_SUFFIX, rtree);
    struct store_cached_stmt *cs = NULL;
    struct err ignored;
    bool found = false;
    if (store_conn_statement(rd->conn,
                             "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1", &cs,
                             &ignored) == ERR_OK) {
        sqlite3_bind_text(cs->stmt, 1, name, -1, SQLITE_STATIC);
        found = sqlite3_step(cs->stmt) == SQLITE_ROW;
        store_conn_release(cs);
    }
    free(name);
    return found;
}

int store_rtree_count(struct store_read *rd, const struct store_layer *layer, const double box[4],
                      bool with_empty, int64_t *count, struct err *err)
{
    char *rtree = xasprintf("idx_%s_geom", layer->table_name);
    if (!has_counts(rd, rtree)) {
        free(rtree);
        return err_set(err, ERR_NOT_FOUND, "no entry counts beside the spatial index");
    }
    char *sql[3] = {
        sqlite3_mprintf("SELECT data FROM \"%w_node\" WHERE nodeno = ?1", rtree),
        sqlite3_mprintf("SELECT n FROM \"%w" STORE_RTREE_COUNT_SUFFIX "\" WHERE nodeno = ?1",
                        rtree),
        sqlite3_mprintf("SELECT ca_intersects_bbox(geom, ?2, ?3, ?4, ?5) = 1 FROM \"%w\""
                        " WHERE fid = ?1",
                        layer->table_name)};
    struct store_cached_stmt *cs[3] = {0};
    int rc = ERR_OK;
    for (int i = 0; i < 3 && rc == ERR_OK; i++) {
        rc = store_conn_statement(rd->conn, sql[i], &cs[i], err);
    }
    if (rc == ERR_OK) {
        for (int k = 0; k < 4; k++) {
            sqlite3_bind_double(cs[2]->stmt, k + 2, box[k]);
        }
        struct walk w = {rd, cs[0]->stmt, cs[1]->stmt, cs[2]->stmt, box, 0};
        rc = walk_tree(&w, err);
        /* The rows without geometry are those the index does not hold: the root (node 1)
         * counts every entry. Counting them in SQL read the whole table. */
        int64_t n_entries = 0;
        if (rc == ERR_OK && with_empty) {
            rc = step_int(&w, w.count, 1, &n_entries, err);
            w.total += layer->feature_count - n_entries;
        }
        *count = w.total;
    }
    for (int i = 0; i < 3; i++) {
        if (cs[i] != NULL) {
            store_conn_release(cs[i]);
        }
        sqlite3_free(sql[i]);
    }
    free(rtree);
    return rc;
}
