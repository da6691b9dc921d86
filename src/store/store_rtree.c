/* store_rtree.c - see store_rtree.h. */
#include "store/store_rtree.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "geo/hilbert.h"

#define RTREE_CELL_BYTES 24 /* 8-byte id + 4 x 4-byte float */
#define RTREE_HEADER_BYTES 4

struct rtree_cell {
    int64_t id;   /* feature fid in leaves, child node number above */
    float box[4]; /* xmin, xmax, ymin, ymax */
    int64_t n;    /* entries under the cell: 1 for an entry, its subtree's for a node */
};

struct rtree_builder {
    struct store *st;
    int node_bytes;
    int max_cells;
    int64_t next_node; /* node 1 is the root, written last */
    sqlite3_stmt *put_node, *put_rowid, *put_parent, *put_count;
    unsigned char *blob;
};

/* Boxes are stored as floats rounded outwards so they still contain the exact box,
 * as SQLite itself does when it converts doubles. */
static float round_down(double v)
{
    float f = (float)v;
    return (double)f > v ? nextafterf(f, -INFINITY) : f;
}

static float round_up(double v)
{
    float f = (float)v;
    return (double)f < v ? nextafterf(f, INFINITY) : f;
}

static void put_u16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)(v >> 8);
    p[1] = (unsigned char)v;
}

static void put_u64(unsigned char *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--) {
        p[i] = (unsigned char)v;
        v >>= 8;
    }
}

static void put_float(unsigned char *p, float f)
{
    uint32_t bits;
    memcpy(&bits, &f, sizeof(bits));
    p[0] = (unsigned char)(bits >> 24);
    p[1] = (unsigned char)(bits >> 16);
    p[2] = (unsigned char)(bits >> 8);
    p[3] = (unsigned char)bits;
}

static void union_box(float *acc, const float *box, int first)
{
    if (first) {
        memcpy(acc, box, 4 * sizeof(float));
        return;
    }
    acc[0] = box[0] < acc[0] ? box[0] : acc[0];
    acc[1] = box[1] > acc[1] ? box[1] : acc[1];
    acc[2] = box[2] < acc[2] ? box[2] : acc[2];
    acc[3] = box[3] > acc[3] ? box[3] : acc[3];
}

static int step_done(struct rtree_builder *b, sqlite3_stmt *s, struct err *err)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? ERR_OK : store_db_error(b->st, "writing the spatial index", err);
}

/* Writes one node of n cells and its entry count; `parent_of` receives (node, box) for
 * the level above. is_leaf decides whether cells' ids go to %_rowid (entries) or %_parent
 * (children). Returns the node's entry count in *n_entries. */
static int write_node(struct rtree_builder *b, int64_t node, int depth,
                      const struct rtree_cell *cells, int n, int is_leaf, float *box,
                      int64_t *n_entries, struct err *err)
{
    *n_entries = 0;
    memset(b->blob, 0, (size_t)b->node_bytes);
    put_u16(b->blob, node == 1 ? (unsigned)depth : 0);
    put_u16(b->blob + 2, (unsigned)n);
    for (int i = 0; i < n; i++) {
        unsigned char *c = b->blob + RTREE_HEADER_BYTES + i * RTREE_CELL_BYTES;
        put_u64(c, (uint64_t)cells[i].id);
        for (int k = 0; k < 4; k++) {
            put_float(c + 8 + 4 * k, cells[i].box[k]);
        }
        union_box(box, cells[i].box, i == 0);
        *n_entries += cells[i].n;
        sqlite3_stmt *s = is_leaf ? b->put_rowid : b->put_parent;
        sqlite3_bind_int64(s, 1, cells[i].id);
        sqlite3_bind_int64(s, 2, node);
        int rc = step_done(b, s, err);
        if (rc != ERR_OK) {
            return rc;
        }
    }
    sqlite3_bind_int64(b->put_count, 1, node);
    sqlite3_bind_int64(b->put_count, 2, *n_entries);
    int rc = step_done(b, b->put_count, err);
    if (rc != ERR_OK) {
        return rc;
    }
    sqlite3_bind_int64(b->put_node, 1, node);
    sqlite3_bind_blob(b->put_node, 2, b->blob, b->node_bytes, SQLITE_STATIC);
    return step_done(b, b->put_node, err);
}

/* How many cells node i of a level gets: n cells spread evenly over the fewest nodes. */
static int cells_in_node(int64_t n, int max_cells, int64_t node_index)
{
    int64_t n_nodes = (n + max_cells - 1) / max_cells;
    int64_t base = n / n_nodes;
    return (int)(base + (node_index < n % n_nodes ? 1 : 0));
}

/* Packs the level's cells into nodes; returns the parent level's cells in *up (or, when
 * they fit in one node, writes the root and sets *up to NULL). */
static int build_level(struct rtree_builder *b, struct rtree_cell *level, int64_t n, int depth,
                       int is_leaf, struct rtree_cell **up, int64_t *n_up, struct err *err)
{
    *up = NULL;
    *n_up = 0;
    if (n <= b->max_cells) {
        float box[4];
        int64_t n_entries = 0;
        return write_node(b, 1, depth, level, (int)n, is_leaf, box, &n_entries, err);
    }
    int64_t n_nodes = (n + b->max_cells - 1) / b->max_cells;
    struct rtree_cell *parents = xcalloc((size_t)n_nodes, sizeof(*parents));
    int64_t at = 0;
    for (int64_t i = 0; i < n_nodes; i++) {
        int count = cells_in_node(n, b->max_cells, i);
        parents[i].id = b->next_node++;
        int rc = write_node(b, parents[i].id, depth, level + at, count, is_leaf, parents[i].box,
                            &parents[i].n, err);
        if (rc != ERR_OK) {
            free(parents);
            return rc;
        }
        at += count;
    }
    *up = parents;
    *n_up = n_nodes;
    return ERR_OK;
}

/* Streams the sorted boxes into leaves, keeping only one leaf's cells in memory, and
 * returns the leaves' own cells for the level above. */
static int build_leaves(struct rtree_builder *b, sqlite3_stmt *sorted, int64_t n,
                        struct rtree_cell **up, int64_t *n_up, struct err *err)
{
    struct rtree_cell *leaf = xcalloc((size_t)b->max_cells, sizeof(*leaf));
    int64_t n_nodes = (n + b->max_cells - 1) / b->max_cells;
    struct rtree_cell *parents = n_nodes > 1 ? xcalloc((size_t)n_nodes, sizeof(*parents)) : NULL;
    int64_t node_index = 0, read = 0;
    int fill = 0, want = cells_in_node(n, b->max_cells, 0), rc = ERR_OK, step;
    while (rc == ERR_OK && (step = sqlite3_step(sorted)) == SQLITE_ROW) {
        if (read++ >= n) {
            rc = err_set(err, ERR_INTERNAL, "more boxes than features while indexing");
            break;
        }
        struct rtree_cell *c = &leaf[fill++];
        c->id = sqlite3_column_int64(sorted, 0);
        c->box[0] = round_down(sqlite3_column_double(sorted, 1));
        c->box[1] = round_up(sqlite3_column_double(sorted, 2));
        c->box[2] = round_down(sqlite3_column_double(sorted, 3));
        c->box[3] = round_up(sqlite3_column_double(sorted, 4));
        c->n = 1;
        if (fill == want && n_nodes > 1) {
            struct rtree_cell *p = &parents[node_index];
            p->id = b->next_node++;
            rc = write_node(b, p->id, 0, leaf, fill, 1, p->box, &p->n, err);
            node_index++;
            fill = 0;
            want = node_index < n_nodes ? cells_in_node(n, b->max_cells, node_index) : 0;
        }
    }
    if (rc == ERR_OK && read != n) {
        rc = err_set(err, ERR_INTERNAL, "indexed %lld boxes, expected %lld", (long long)read,
                     (long long)n);
    }
    if (rc == ERR_OK && n_nodes <= 1) {
        float box[4];
        int64_t n_entries = 0; /* the root is the only leaf */
        rc = write_node(b, 1, 0, leaf, fill, 1, box, &n_entries, err);
    }
    free(leaf);
    if (rc != ERR_OK) {
        free(parents);
        return rc;
    }
    *up = parents;
    *n_up = n_nodes > 1 ? n_nodes : 0;
    return ERR_OK;
}

static int prepare(struct store *st, const char *fmt, const char *name, sqlite3_stmt **out,
                   struct err *err)
{
    char *sql = sqlite3_mprintf(fmt, name);
    int rc = sqlite3_prepare_v2(st->db, sql, -1, out, NULL) == SQLITE_OK
                 ? ERR_OK
                 : store_db_error(st, "preparing the spatial index build", err);
    sqlite3_free(sql);
    return rc;
}

static int read_node_size(struct store *st, const char *rtree, int *out, struct err *err)
{
    char *sql = sqlite3_mprintf("SELECT length(data) FROM \"%w_node\" WHERE nodeno = 1", rtree);
    int64_t size = 0;
    int rc = store_query_int(st, sql, &size, err);
    sqlite3_free(sql);
    if (rc == ERR_OK && (size < RTREE_HEADER_BYTES + 2 * RTREE_CELL_BYTES || size > 65536)) {
        rc = err_set(err, ERR_INTERNAL, "unexpected R*Tree node size %lld", (long long)size);
    }
    *out = (int)size;
    return rc;
}

/* Empties the R*Tree (SQLite made an empty root node) and prepares the node, entry and
 * parent inserts. */
static int prepare_writes(struct rtree_builder *b, const char *rtree, struct err *err)
{
    char *sql = sqlite3_mprintf("DELETE FROM \"%w_node\"", rtree);
    int rc = store_exec(b->st, sql, err);
    sqlite3_free(sql);
    if (rc == ERR_OK) {
        rc = prepare(b->st, "INSERT INTO \"%w_node\" (nodeno, data) VALUES (?, ?)", rtree,
                     &b->put_node, err);
    }
    if (rc == ERR_OK) {
        rc = prepare(b->st, "INSERT INTO \"%w_rowid\" (rowid, nodeno) VALUES (?, ?)", rtree,
                     &b->put_rowid, err);
    }
    if (rc == ERR_OK) {
        rc = prepare(b->st, "INSERT INTO \"%w_parent\" (nodeno, parentnode) VALUES (?, ?)", rtree,
                     &b->put_parent, err);
    }
    if (rc == ERR_OK) {
        sql = sqlite3_mprintf("DROP TABLE IF EXISTS \"%w" STORE_RTREE_COUNT_SUFFIX "\";"
                              "CREATE TABLE \"%w" STORE_RTREE_COUNT_SUFFIX "\""
                              " (nodeno INTEGER PRIMARY KEY, n INTEGER NOT NULL)",
                              rtree, rtree);
        rc = store_exec(b->st, sql, err);
        sqlite3_free(sql);
    }
    if (rc == ERR_OK) {
        rc = prepare(b->st,
                     "INSERT INTO \"%w" STORE_RTREE_COUNT_SUFFIX "\" (nodeno, n) VALUES (?, ?)",
                     rtree, &b->put_count, err);
    }
    return rc;
}

/* Builds rtree from the boxes sorted_sql returns (id, min x, max x, min y, max y: exactly
 * n_entries rows, in the order the leaves are to hold them). */
static int bulk_load(struct store *st, const char *sorted_sql, const char *rtree, int64_t n_entries,
                     struct err *err)
{
    struct rtree_builder b = {.st = st, .next_node = 2};
    sqlite3_stmt *sorted = NULL;
    struct rtree_cell *level = NULL;
    int64_t n_level = 0;
    int rc = read_node_size(st, rtree, &b.node_bytes, err);
    if (rc != ERR_OK) {
        return rc;
    }
    b.max_cells = (b.node_bytes - RTREE_HEADER_BYTES) / RTREE_CELL_BYTES;
    b.blob = xmalloc((size_t)b.node_bytes);
    rc = prepare_writes(&b, rtree, err);
    if (rc == ERR_OK && sqlite3_prepare_v2(st->db, sorted_sql, -1, &sorted, NULL) != SQLITE_OK) {
        rc = store_db_error(st, "preparing the spatial index build", err);
    }
    if (rc == ERR_OK && n_entries == 0) {
        float box[4];
        int64_t n_none = 0; /* an empty root, as SQLite makes */
        rc = write_node(&b, 1, 0, NULL, 0, 1, box, &n_none, err);
    } else if (rc == ERR_OK) {
        rc = build_leaves(&b, sorted, n_entries, &level, &n_level, err);
    }
    for (int depth = 1; rc == ERR_OK && level != NULL; depth++) {
        struct rtree_cell *up = NULL;
        int64_t n_up = 0;
        rc = build_level(&b, level, n_level, depth, 0, &up, &n_up, err);
        free(level);
        level = up;
        n_level = n_up;
    }
    free(level);
    sqlite3_finalize(sorted);
    sqlite3_finalize(b.put_node);
    sqlite3_finalize(b.put_rowid);
    sqlite3_finalize(b.put_parent);
    sqlite3_finalize(b.put_count);
    free(b.blob);
    return rc;
}

int store_rtree_bulk_load(struct store *st, const char *table, const char *rtree,
                          const struct store_rtree_extent *extent, int64_t n_entries,
                          struct err *err)
{
    /* SQLite sorts with bounded memory, spilling to temporary files for huge layers. */
    char *q =
        sqlite3_mprintf("SELECT fid, MbrMinX(geom), MbrMaxX(geom), MbrMinY(geom), MbrMaxY(geom)"
                        " FROM \"%w\" WHERE geom IS NOT NULL"
                        " ORDER BY cityatlas_hilbert((MbrMinX(geom) + MbrMaxX(geom)) / 2,"
                        " (MbrMinY(geom) + MbrMaxY(geom)) / 2, %.17g, %.17g, %.17g, %.17g)",
                        table, extent->min_x, extent->min_y, extent->max_x, extent->max_y);
    int rc = bulk_load(st, q, rtree, n_entries, err);
    sqlite3_free(q);
    return rc;
}

int store_rtree_bulk_load_in_order(struct store *st, const char *table, const char *key,
                                   const char *rtree, int64_t n_entries, struct err *err)
{
    char *q = sqlite3_mprintf("SELECT \"%w\", MbrMinX(geom), MbrMaxX(geom), MbrMinY(geom),"
                              " MbrMaxY(geom) FROM \"%w\" WHERE geom IS NOT NULL ORDER BY \"%w\"",
                              key, table, key);
    int rc = bulk_load(st, q, rtree, n_entries, err);
    sqlite3_free(q);
    return rc;
}

static void sql_hilbert(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    double v[6];
    for (int i = 0; i < 6; i++) {
        v[i] = sqlite3_value_double(argv[i]);
    }
    uint32_t x = hilbert_grid(v[0], v[2], v[4]);
    uint32_t y = hilbert_grid(v[1], v[3], v[5]);
    sqlite3_result_int64(ctx, (sqlite3_int64)hilbert_index(x, y));
}

int store_rtree_register_functions(struct store *st, struct err *err)
{
    if (sqlite3_create_function(st->db, "cityatlas_hilbert", 6,
                                SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
                                sql_hilbert, NULL, NULL) != SQLITE_OK) {
        return store_db_error(st, "registering SQL functions", err);
    }
    return ERR_OK;
}
