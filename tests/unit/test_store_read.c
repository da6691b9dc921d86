/* test_store_read.c - store/ read side (store_read.h), on small databases written with the
 * writer API: the pool refuses files that are not cityatlas databases and lends at most
 * max_connections; a read's catalog describes its own snapshot, which a re-import committed
 * meanwhile does not change; bbox queries, CQL2 S_INTERSECTS filters and their counts are
 * exact at the box's edge (closer than the index's float rounding) and counts are cached
 * per layer version; pages cover a result once in every order; properties, output CRS,
 * projected boxes and simplification; query checks; and reads on several threads while a
 * layer is re-imported. */
#include "unit.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>
#include <spatialite.h>

#include "cql2/cql2.h"
#include "store/store.h"
#include "store/store_place_order.h"
#include "store/store_read.h"

#include "unit_fixtures.h"
#include "unit_support.c"

/* ISO WKB (little-endian, 2D) built in a fixed buffer. */

struct wkb {
    unsigned char data[16384];
    size_t len;
};

static void wkb_bytes(struct wkb *w, const unsigned char *p, size_t n)
{
    assert_true(w->len + n <= sizeof(w->data));
    memcpy(w->data + w->len, p, n);
    w->len += n;
}

static void wkb_u32(struct wkb *w, uint32_t v)
{
    unsigned char b[4];
    for (int i = 0; i < 4; i++) {
        b[i] = (unsigned char)(v >> (8 * i));
    }
    wkb_bytes(w, b, 4);
}

static void wkb_f64(struct wkb *w, double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof(u));
    unsigned char b[8];
    for (int i = 0; i < 8; i++) {
        b[i] = (unsigned char)(u >> (8 * i));
    }
    wkb_bytes(w, b, 8);
}

static void wkb_start(struct wkb *w, uint32_t type)
{
    const unsigned char little_endian = 1;
    w->len = 0;
    wkb_bytes(w, &little_endian, 1);
    wkb_u32(w, type);
}

static void wkb_coords(struct wkb *w, const double *xy, size_t n)
{
    wkb_u32(w, (uint32_t)n);
    for (size_t i = 0; i < 2 * n; i++) {
        wkb_f64(w, xy[i]);
    }
}

static void make_point(struct wkb *w, double x, double y)
{
    wkb_start(w, 1);
    wkb_f64(w, x);
    wkb_f64(w, y);
}

static void make_line(struct wkb *w, const double *xy, size_t n)
{
    wkb_start(w, 2);
    wkb_coords(w, xy, n);
}

/* rings[i] holds n[i] closed x,y pairs; ring 0 is the exterior. */
static void make_polygon(struct wkb *w, const double *const *rings, const size_t *n, size_t n_rings)
{
    wkb_start(w, 3);
    wkb_u32(w, (uint32_t)n_rings);
    for (size_t i = 0; i < n_rings; i++) {
        wkb_coords(w, rings[i], n[i]);
    }
}

/* An axis-aligned rectangle as a closed ring of 5 points. */
static void rect_ring(double minx, double miny, double maxx, double maxy, double out[10])
{
    const double xy[10] = {minx, miny, maxx, miny, maxx, maxy, minx, maxy, minx, miny};
    memcpy(out, xy, sizeof(xy));
}

/* Reading the SpatiaLite BLOBs the cursor returns: 0x00, endianness, SRID, MBR, 0x7C,
 * class, body (a POINT's is x, y; a POLYGON's starts with rings, then the first ring's
 * point count). */

static uint32_t blob_u32(const unsigned char *blob, size_t at)
{
    bool is_little = blob[1] == 0x01;
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        v |= (uint32_t)blob[at + (size_t)(is_little ? i : 3 - i)] << (8 * i);
    }
    return v;
}

static double blob_f64(const unsigned char *blob, size_t at)
{
    bool is_little = blob[1] == 0x01;
    uint64_t u = 0;
    for (int i = 0; i < 8; i++) {
        u |= (uint64_t)blob[at + (size_t)(is_little ? i : 7 - i)] << (8 * i);
    }
    double d;
    memcpy(&d, &u, sizeof(d));
    return d;
}

static void blob_point(const struct store_feature *row, int srid, double *x, double *y)
{
    assert_non_null(row->geom);
    assert_true(row->geom_len >= 60);
    assert_int_equal(row->geom[0], 0x00);
    assert_int_equal(row->geom[38], 0x7C);
    assert_int_equal(blob_u32(row->geom, 2), srid);
    assert_int_equal(blob_u32(row->geom, 39), 1); /* POINT */
    *x = blob_f64(row->geom, 43);
    *y = blob_f64(row->geom, 51);
}

/* Vertices of a one-ring polygon's exterior ring. */
static uint32_t blob_ring_points(const struct store_feature *row, int srid)
{
    assert_non_null(row->geom);
    assert_true(row->geom_len >= 52);
    assert_int_equal(blob_u32(row->geom, 2), srid);
    assert_int_equal(blob_u32(row->geom, 39), 3); /* POLYGON */
    assert_int_equal(blob_u32(row->geom, 43), 1); /* one ring */
    return blob_u32(row->geom, 47);
}

/* Writing layers with the importer's API */

struct layer_def {
    const char *id;
    const char *theme;
    const struct store_field *fields;
    size_t n_fields;
    bool has_geometry;
    bool has_extent;
    double extent[4];
};

static struct store *writer_begin(void)
{
    struct store *st = NULL;
    struct err e;
    MUST(store_open(unit_db, STORE_READ_WRITE, &st, &e), &e);
    MUST(store_import_begin(st, &e), &e);
    return st;
}

static struct store_layer_writer *layer_begin(struct store *st, const struct layer_def *def)
{
    char source[128];
    snprintf(source, sizeof(source), "/data/%s.geojson", def->id);
    struct store_layer_writer *w = NULL;
    struct err e;
    MUST(store_layer_begin(st, def->id, source, NULL, false, def->fields, def->n_fields,
                           def->has_geometry, &w, &e),
         &e);
    return w;
}

static void layer_add(struct store_layer_writer *w, const struct store_value *values,
                      const struct wkb *geom)
{
    struct err e;
    MUST(store_layer_add(w, values, geom != NULL ? geom->data : NULL, geom != NULL ? geom->len : 0,
                         &e),
         &e);
}

/* Finishes the layer and frees w. */
static void layer_finish(struct store_layer_writer *w, const struct layer_def *def)
{
    char source[128], title[128];
    snprintf(source, sizeof(source), "/data/%s.geojson", def->id);
    snprintf(title, sizeof(title), "Layer %s", def->id);
    struct store_layer_meta meta = {
        .id = def->id,
        .title_en = title,
        .title_th = "ชั้นข้อมูล",
        .theme = def->theme,
        .source = "test fixtures",
        .license = "CC0-1.0",
        .attribution = "cityatlas tests",
        .name_column = "name",
        .source_path = source,
        .source_format = "GeoJSON",
        .source_crs = def->has_geometry ? "EPSG:4326" : NULL,
        .has_extent = def->has_extent,
        .min_lon = def->extent[0],
        .min_lat = def->extent[1],
        .max_lon = def->extent[2],
        .max_lat = def->extent[3],
    };
    struct err e;
    MUST(store_layer_finish(w, &meta, &e), &e);
    store_layer_writer_free(w);
}

static void writer_commit(struct store *st)
{
    struct err e;
    MUST(store_import_commit(st, &e), &e);
    store_close(st);
}

static void layer_commit(struct store *st, struct store_layer_writer *w,
                         const struct layer_def *def)
{
    layer_finish(w, def);
    writer_commit(st);
}

static const struct store_field point_fields[] = {
    {.name = "name", .type = STORE_TEXT, .source_type = "String"},
    {.name = "n", .type = STORE_INTEGER, .source_type = "Integer"},
    {.name = "rank", .type = STORE_REAL, .source_type = "Real"},
};

/* The scatter box of point_at, EPSG:4326 degrees. */
static const double scatter_box[4] = {98.8, 18.6, 99.2, 18.95};

/* Point i lies on a deterministic scatter over the Chiang Mai box; fid i + 1 holds it. */
static void point_at(int i, double *x, double *y)
{
    *x = 98.8 + 0.4 * (double)(((int64_t)i * 7919) % 10007) / 10007.0;
    *y = 18.6 + 0.35 * (double)(((int64_t)i * 104729) % 10009) / 10009.0;
}

static bool in_box(double x, double y, const double box[4])
{
    return x >= box[0] && x <= box[2] && y >= box[1] && y <= box[3];
}

/* How many of the first n scattered points lie in box. */
static int64_t scatter_count(int n, const double box[4])
{
    int64_t count = 0;
    for (int i = 0; i < n; i++) {
        double x, y;
        point_at(i, &x, &y);
        count += in_box(x, y, box);
    }
    return count;
}

/* The ids (i + 1) of the first n scattered points that lie in box, ascending, into want. */
static size_t scatter_ids(int n, const double box[4], int64_t *want)
{
    size_t n_want = 0;
    for (int i = 0; i < n; i++) {
        double x, y;
        point_at(i, &x, &y);
        if (in_box(x, y, box)) {
            want[n_want++] = i + 1;
        }
    }
    return n_want;
}

/* A pseudo-random number in [0, 1) from *seed, which it moves on. */
static double next_unit(uint32_t *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return (double)(*seed >> 8) / (double)(1u << 24);
}

/* Writes layer id in the open import st with the first n scattered points: name "จุด i",
 * n = i % 7 (ties for sorting), rank = i / 2. */
static void add_points(struct store *st, const char *id, int n)
{
    const struct layer_def def = {.id = id,
                                  .theme = "poi",
                                  .fields = point_fields,
                                  .n_fields = 3,
                                  .has_geometry = true,
                                  .has_extent = true,
                                  .extent = {98.8, 18.6, 99.2, 18.95}};
    struct store_layer_writer *w = layer_begin(st, &def);
    for (int i = 0; i < n; i++) {
        double x, y;
        point_at(i, &x, &y);
        struct wkb g;
        make_point(&g, x, y);
        char name[32];
        snprintf(name, sizeof(name), "จุด %d", i);
        struct store_value v[3] = {
            {.ptr = name, .len = strlen(name)}, {.i = i % 7}, {.d = i / 2.0}};
        layer_add(w, v, &g);
    }
    layer_finish(w, &def);
}

/* Imports (or re-imports) layer id with the first n scattered points, in one transaction. */
static void write_points(const char *id, int n)
{
    struct store *st = writer_begin();
    add_points(st, id, n);
    writer_commit(st);
}

/* Opening the file directly, as another tool would (read-write, with SpatiaLite loaded for
 * the triggers SpatiaLite put on the layer tables). */
static void raw_exec(const char *sql)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(unit_db, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    void *cache = spatialite_alloc_connection();
    spatialite_init_ex(db, cache, 0);
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        fail_msg("%s: %s", sql, msg);
    }
    sqlite3_close(db);
    spatialite_cleanup_ex(cache);
}

static int64_t raw_int(const char *sql)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(unit_db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    }
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return v;
}

/* Reading */

static struct store_pool *pool_open(size_t max_connections)
{
    struct store_pool *pool = NULL;
    struct err e;
    MUST(store_pool_open(unit_db, max_connections, &pool, &e), &e);
    return pool;
}

static struct store_read *read_begin(struct store_pool *pool)
{
    struct store_read *rd = NULL;
    struct err e;
    MUST(store_read_begin(pool, &rd, &e), &e);
    return rd;
}

static const struct store_layer *layer_of(const struct store_read *rd, const char *id)
{
    const struct store_layer *layer = store_read_layer(rd, id);
    if (layer == NULL) {
        fail_msg("layer '%s' is not in the catalog", id);
    }
    return layer;
}

static struct store_query query_all(const struct store_layer *layer)
{
    struct store_query q = {.layer = layer, .limit = STORE_MAX_LIMIT, .out_srid = 4326};
    return q;
}

static struct store_query query_bbox(const struct store_layer *layer, const double box[4])
{
    struct store_query q = query_all(layer);
    q.has_bbox = true;
    memcpy(q.bbox, box, sizeof(q.bbox));
    return q;
}

static int64_t count_of(struct store_read *rd, const struct store_query *q)
{
    int64_t count = -1;
    struct err e;
    MUST(store_query_check(rd, q, &e), &e);
    MUST(store_features_count(rd, q, &count, &e), &e);
    return count;
}

static struct cql2_node *parse_filter(const char *text)
{
    struct cql2_node *tree = NULL;
    struct err e;
    MUST(cql2_parse(text, &tree, &e), &e);
    return tree;
}

/* One row as the tests compare it: its fid and its "n" (values[1] when the query reads
 * every field of a points layer, else -1). */
struct row {
    int64_t fid;
    int64_t n;
};

static size_t read_rows(struct store_read *rd, const struct store_query *q, struct row *rows,
                        size_t cap)
{
    struct store_cursor *cur = NULL;
    struct err e;
    MUST(store_query_check(rd, q, &e), &e);
    MUST(store_features_open(rd, q, &cur, &e), &e);
    const struct store_feature *f = NULL;
    size_t n = 0;
    int rc;
    while ((rc = store_cursor_next(cur, &f, &e)) == 1) {
        assert_true(n < cap);
        rows[n].fid = f->fid;
        rows[n].n = f->n_values > 1 && f->values[1].type == STORE_INTEGER ? f->values[1].i : -1;
        n++;
    }
    if (rc != 0) {
        fail_msg("store_cursor_next failed with %d: %s", rc, e.msg);
    }
    store_cursor_close(cur);
    return n;
}

/* Opens q, returns its first row (the cursor stays open: close it with *cur). */
static const struct store_feature *first_row(struct store_read *rd, const struct store_query *q,
                                             struct store_cursor **cur)
{
    struct err e;
    MUST(store_query_check(rd, q, &e), &e);
    MUST(store_features_open(rd, q, cur, &e), &e);
    const struct store_feature *row = NULL;
    int rc = store_cursor_next(*cur, &row, &e);
    if (rc != 1) {
        fail_msg("no first row (%d): %s", rc, e.msg);
    }
    return row;
}

/* Reads q page by page (limit page, increasing offsets) into rows. */
static size_t read_pages(struct store_read *rd, struct store_query q, int64_t page,
                         struct row *rows, size_t cap)
{
    size_t total = 0;
    q.limit = page;
    for (q.offset = 0;; q.offset += page) {
        size_t n = read_rows(rd, &q, rows + total, cap - total);
        assert_true(n <= (size_t)page);
        total += n;
        if (n < (size_t)page) {
            return total;
        }
    }
}

static int compare_fid(const void *a, const void *b)
{
    int64_t x = ((const struct row *)a)->fid, y = ((const struct row *)b)->fid;
    return (x > y) - (x < y);
}

static int compare_int64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Sorts rows by fid and checks they are exactly the fids listed in want (ascending). */
static void expect_fids(struct row *rows, size_t n, const int64_t *want, size_t n_want)
{
    qsort(rows, n, sizeof(*rows), compare_fid);
    for (size_t i = 0; i < n && i < n_want; i++) {
        if (rows[i].fid != want[i]) {
            fail_msg("row %zu has fid %lld, expected %lld", i, (long long)rows[i].fid,
                     (long long)want[i]);
        }
    }
    assert_int_equal(n, n_want);
}

/* The pool */

static void pool_open_refuses_missing_and_foreign_files(void **state)
{
    (void)state;
    struct err e;
    struct store_pool *pool = (struct store_pool *)&e; /* must be reset to NULL */
    assert_int_equal(store_pool_open(unit_db, 2, &pool, &e), ERR_NOT_FOUND);
    assert_null(pool);
    assert_non_null(strstr(e.msg, unit_db));

    char other[300];
    snprintf(other, sizeof(other), "%s/other.sqlite", unit_dir);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(other, &db), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(db, "CREATE TABLE other(x); INSERT INTO other VALUES (1)", NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);
    pool = (struct store_pool *)&e;
    assert_int_equal(store_pool_open(other, 2, &pool, &e), ERR_INVALID);
    assert_null(pool);
    assert_non_null(strstr(e.msg, "not a cityatlas database"));

    /* Not SQLite at all: refused too, whichever code says so. */
    char text[300];
    snprintf(text, sizeof(text), "%s/text.sqlite", unit_dir);
    FILE *f = fopen(text, "w");
    assert_non_null(f);
    fputs("name,lon,lat\nWat Phra Singh,98.98,18.79\n", f);
    fclose(f);
    pool = (struct store_pool *)&e;
    assert_true(store_pool_open(text, 2, &pool, &e) < 0);
    assert_null(pool);
}

static void pool_open_refuses_a_newer_schema(void **state)
{
    (void)state;
    write_points("pts", 3);
    raw_exec("UPDATE cityatlas_meta SET value = '2' WHERE key = 'schema_version'");
    struct err e;
    struct store_pool *pool = (struct store_pool *)&e;
    assert_int_equal(store_pool_open(unit_db, 2, &pool, &e), ERR_INVALID);
    assert_null(pool);
    assert_non_null(strstr(e.msg, "schema version 2"));
}

static void pool_lends_at_most_max_connections(void **state)
{
    (void)state;
    write_points("pts", 3);
    struct store_pool *pool = pool_open(2);
    struct store_read *rd1 = read_begin(pool);
    struct store_read *rd2 = read_begin(pool);
    struct err e;
    struct store_read *rd3 = (struct store_read *)&e;
    assert_int_equal(store_read_begin(pool, &rd3, &e), ERR_BUSY);
    assert_null(rd3);
    assert_non_null(strstr(e.msg, "busy"));
    /* The busy reads still work. */
    assert_int_equal(count_of(rd2, &(struct store_query){.layer = layer_of(rd2, "pts"),
                                                         .limit = 10,
                                                         .out_srid = 4326}),
                     3);
    store_read_end(rd1);
    rd3 = read_begin(pool);
    struct store_query q = query_all(layer_of(rd3, "pts"));
    struct row rows[8];
    assert_int_equal(read_rows(rd3, &q, rows, 8), 3);
    assert_int_equal(store_read_begin(pool, &rd1, &e), ERR_BUSY);
    store_read_end(rd2);
    store_read_end(rd3);
    store_read_end(NULL);
    /* Every connection is back: two reads at once again. */
    rd1 = read_begin(pool);
    rd2 = read_begin(pool);
    store_read_end(rd1);
    store_read_end(rd2);
    store_pool_close(pool);
    store_pool_close(NULL);
}

/* The catalog */

static const struct store_field place_fields[] = {
    {.name = "name", .type = STORE_TEXT, .source_type = "String"},
    {.name = "visitors", .type = STORE_INTEGER, .source_type = "Integer64"},
    {.name = "height", .type = STORE_REAL, .source_type = "Real"},
    {.name = "opened", .type = STORE_TEXT, .source_type = "Date"},
    {.name = "photo", .type = STORE_BLOB, .source_type = "Binary"},
};

static const struct store_field road_fields[] = {
    {.name = "name", .type = STORE_TEXT, .source_type = "String"},
    {.name = "lanes", .type = STORE_INTEGER, .source_type = "Integer"},
};

static const struct store_field census_fields[] = {
    {.name = "tambon", .type = STORE_TEXT, .source_type = "String"},
    {.name = "population", .type = STORE_INTEGER, .source_type = "Integer"},
};

/* The one field of the edge, shapes and lines layers. */
static const struct store_field label_fields[] = {
    {.name = "label", .type = STORE_TEXT, .source_type = "String"}};

static void write_places(void)
{
    const struct layer_def def = {.id = "places",
                                  .theme = "poi",
                                  .fields = place_fields,
                                  .n_fields = 5,
                                  .has_geometry = true,
                                  .has_extent = true,
                                  .extent = {98.98, 18.78, 99.0, 18.8}};
    struct store *st = writer_begin();
    struct store_layer_writer *w = layer_begin(st, &def);
    for (int i = 0; i < 3; i++) {
        struct wkb g;
        make_point(&g, 98.98 + 0.01 * i, 18.78 + 0.01 * i);
        struct store_value v[5] = {{.ptr = "วัด", .len = strlen("วัด")},
                                   {.i = 1000 * i},
                                   {.d = 1.5 * i},
                                   {.ptr = "2020-01-15", .len = 10},
                                   {.is_null = true}};
        layer_add(w, v, &g);
    }
    layer_commit(st, w, &def);
}

static void write_roads_and_census(void)
{
    const struct layer_def roads = {.id = "roads",
                                    .theme = "transport",
                                    .fields = road_fields,
                                    .n_fields = 2,
                                    .has_geometry = true,
                                    .has_extent = true,
                                    .extent = {98.9, 18.7, 99.1, 18.9}};
    struct store *st = writer_begin();
    struct store_layer_writer *w = layer_begin(st, &roads);
    for (int i = 0; i < 2; i++) {
        const double xy[4] = {98.9, 18.7 + 0.1 * i, 99.1, 18.8 + 0.1 * i};
        struct wkb g;
        make_line(&g, xy, 2);
        struct store_value v[2] = {{.ptr = "ถนน", .len = strlen("ถนน")}, {.i = 2 + i}};
        layer_add(w, v, &g);
    }
    layer_commit(st, w, &roads);
    const struct layer_def census = {
        .id = "census", .theme = "admin", .fields = census_fields, .n_fields = 2};
    st = writer_begin();
    w = layer_begin(st, &census);
    for (int i = 0; i < 4; i++) {
        struct store_value v[2] = {{.ptr = "ศรีภูมิ", .len = strlen("ศรีภูมิ")}, {.i = 10000 + i}};
        layer_add(w, v, NULL);
    }
    layer_commit(st, w, &census);
}

static void expect_field(const struct store_layer *layer, size_t i, const char *name,
                         enum store_type type, const char *source_type)
{
    assert_string_equal(layer->fields[i].name, name);
    assert_int_equal(layer->fields[i].type, type);
    assert_string_equal(layer->fields[i].source_type, source_type);
    assert_int_equal(store_layer_field_index(layer, name), (long)i);
}

static void check_places(const struct store_layer *places)
{
    assert_string_equal(places->title_en, "Layer places");
    assert_string_equal(places->title_th, "ชั้นข้อมูล");
    assert_string_equal(places->license, "CC0-1.0");
    assert_string_equal(places->name_column, "name");
    assert_string_equal(places->source_crs, "EPSG:4326");
    assert_string_equal(places->geometry_type, "POINT");
    assert_int_equal(places->feature_count, 3);
    assert_true(places->has_extent);
    assert_true(places->min_lon == 98.98 && places->min_lat == 18.78);
    assert_true(places->max_lon == 99.0 && places->max_lat == 18.8);
    assert_int_equal(places->n_fields, 5);
    expect_field(places, 0, "name", STORE_TEXT, "String");
    expect_field(places, 1, "visitors", STORE_INTEGER, "Integer64");
    expect_field(places, 2, "height", STORE_REAL, "Real");
    expect_field(places, 3, "opened", STORE_TEXT, "Date");
    expect_field(places, 4, "photo", STORE_BLOB, "Binary");
    /* Names are case-sensitive; fid and geom are not fields. */
    assert_int_equal(store_layer_field_index(places, "Height"), -1);
    assert_int_equal(store_layer_field_index(places, "fid"), -1);
    assert_int_equal(store_layer_field_index(places, "geom"), -1);
    assert_int_equal(store_layer_field_index(places, ""), -1);
}

static void catalog_describes_layers_fields_extent_and_generation(void **state)
{
    (void)state;
    write_places();
    write_roads_and_census();
    struct store_pool *pool = pool_open(2);
    struct store_read *rd = read_begin(pool);
    const struct store_catalog *cat = store_read_catalog(rd);
    assert_int_equal(cat->n_layers, 3);
    /* Ordered by theme, then id: admin, poi, transport. */
    assert_string_equal(cat->layers[0].id, "census");
    assert_string_equal(cat->layers[1].id, "places");
    assert_string_equal(cat->layers[2].id, "roads");
    assert_ptr_equal(store_read_layer(rd, "roads"), &cat->layers[2]);
    assert_ptr_equal(store_read_layer(rd, "places"), &cat->layers[1]);
    assert_null(store_read_layer(rd, "Roads"));
    assert_null(store_read_layer(rd, "nope"));
    check_places(&cat->layers[1]);
    const struct store_layer *roads = &cat->layers[2], *census = &cat->layers[0];
    assert_string_equal(roads->geometry_type, "LINESTRING");
    assert_int_equal(roads->feature_count, 2);
    assert_int_equal(roads->n_fields, 2);
    expect_field(roads, 1, "lanes", STORE_INTEGER, "Integer");
    assert_null(census->geometry_type);
    assert_null(census->source_crs);
    assert_false(census->has_extent);
    assert_int_equal(census->feature_count, 4);
    expect_field(census, 0, "tambon", STORE_TEXT, "String");
    expect_field(census, 1, "population", STORE_INTEGER, "Integer");
    /* Versions never repeat; the table names follow them. */
    assert_true(cat->layers[0].version != cat->layers[1].version);
    assert_true(cat->layers[1].version != cat->layers[2].version);
    assert_true(cat->layers[0].version != cat->layers[2].version);
    assert_true(strcmp(cat->layers[0].table_name, cat->layers[2].table_name) != 0);
    /* updated_at is the newest imported_at. */
    const char *newest = "";
    for (size_t i = 0; i < cat->n_layers; i++) {
        assert_non_null(cat->layers[i].imported_at);
        newest =
            strcmp(cat->layers[i].imported_at, newest) > 0 ? cat->layers[i].imported_at : newest;
    }
    assert_string_equal(cat->updated_at, newest);
    int64_t generation = cat->generation;
    store_read_end(rd);
    /* A second read of the same database has the same generation. */
    rd = read_begin(pool);
    assert_int_equal(store_read_catalog(rd)->generation, generation);
    store_read_end(rd);
    store_pool_close(pool);
}

static void an_empty_database_has_an_empty_catalog(void **state)
{
    (void)state;
    struct store *st = writer_begin(); /* creates the registry, imports nothing */
    writer_commit(st);
    struct store_pool *pool = pool_open(1);
    struct store_read *rd = read_begin(pool);
    const struct store_catalog *cat = store_read_catalog(rd);
    assert_int_equal(cat->n_layers, 0);
    assert_string_equal(cat->updated_at, "");
    assert_null(store_read_layer(rd, "pts"));
    int64_t generation = cat->generation;
    store_read_end(rd);
    write_points("pts", 2);
    rd = read_begin(pool);
    assert_true(store_read_catalog(rd)->generation != generation);
    assert_int_equal(store_read_catalog(rd)->n_layers, 1);
    store_read_end(rd);
    store_pool_close(pool);
}

/* Snapshots */

static void check_old_snapshot(struct store_read *rd, int64_t generation, int64_t version)
{
    const struct store_catalog *cat = store_read_catalog(rd);
    assert_int_equal(cat->generation, generation);
    assert_int_equal(cat->n_layers, 1);
    assert_null(store_read_layer(rd, "extra"));
    const struct store_layer *pts = layer_of(rd, "pts");
    assert_int_equal(pts->version, version);
    assert_int_equal(pts->feature_count, 10);
    struct store_query all = query_all(pts);
    assert_int_equal(count_of(rd, &all), 10);
    struct store_query box = query_bbox(pts, scatter_box);
    assert_int_equal(count_of(rd, &box), 10);
    struct row rows[64];
    const int64_t want[10] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    size_t n = read_rows(rd, &all, rows, 64);
    expect_fids(rows, n, want, 10);
    n = read_rows(rd, &box, rows, 64);
    expect_fids(rows, n, want, 10);
}

static void check_new_snapshot(struct store_read *rd, int64_t old_generation, int64_t old_version)
{
    const struct store_catalog *cat = store_read_catalog(rd);
    assert_true(cat->generation != old_generation);
    assert_int_equal(cat->n_layers, 2);
    assert_non_null(store_read_layer(rd, "extra"));
    const struct store_layer *pts = layer_of(rd, "pts");
    assert_true(pts->version > old_version);
    assert_int_equal(pts->feature_count, 25);
    struct store_query all = query_all(pts);
    struct store_query box = query_bbox(pts, scatter_box);
    assert_int_equal(count_of(rd, &all), 25);
    assert_int_equal(count_of(rd, &box), 25);
    struct row rows[64];
    int64_t want[25];
    for (int i = 0; i < 25; i++) {
        want[i] = i + 1;
    }
    size_t n = read_rows(rd, &box, rows, 64);
    expect_fids(rows, n, want, 25);
    n = read_rows(rd, &all, rows, 64);
    expect_fids(rows, n, want, 25);
}

static void an_open_read_keeps_its_snapshot_across_a_reimport(void **state)
{
    (void)state;
    write_points("pts", 10);
    struct store_pool *pool = pool_open(4);
    struct store_read *old = read_begin(pool);
    int64_t generation = store_read_catalog(old)->generation;
    const struct store_layer *old_pts = layer_of(old, "pts");
    int64_t version = old_pts->version;
    char old_table[128];
    snprintf(old_table, sizeof(old_table), "%s", old_pts->table_name);
    check_old_snapshot(old, generation, version);

    /* A new version and a new layer, committed while `old` is open. (The commit's WAL
     * checkpoint waits for `old` until the busy timeout, about 5 s, and gives up.) */
    struct store *st = writer_begin();
    add_points(st, "pts", 25);
    add_points(st, "extra", 3);
    writer_commit(st);

    check_old_snapshot(old, generation, version);
    struct store_read *fresh = read_begin(pool);
    check_new_snapshot(fresh, generation, version);
    /* The old version's table is gone for new reads, though `old` still reads it. */
    struct store_query q = query_all(old_pts);
    struct store_cursor *cur = NULL;
    struct err e;
    assert_true(store_features_open(fresh, &q, &cur, &e) < 0);
    assert_null(cur);
    store_read_end(fresh);
    check_old_snapshot(old, generation, version);
    store_read_end(old);

    char sql[256];
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM sqlite_master WHERE name = '%s'", old_table);
    assert_int_equal(raw_int(sql), 0);
    fresh = read_begin(pool);
    check_new_snapshot(fresh, generation, version);
    store_read_end(fresh);
    store_pool_close(pool);
}

/* Exact bounding boxes */

#define N_EDGE_BOXES 3
#define N_EDGE_POINTS 16

/* Box 0's edges are not floats, box 1's are (the index's rounding is then exact at the
 * edges), box 2 lies south and west of 0 degrees (rounding outwards goes the other way). */
static const double edge_boxes[N_EDGE_BOXES][4] = {
    {98.95, 18.75, 99.05, 18.85}, {99.5, 19.0, 100.0, 19.5}, {-43.3, -22.95, -43.1, -22.85}};

struct edge_point {
    double x, y;
    bool is_inside; /* of its box */
};

/* Points on a box's edges and corners, and just outside them: by 1e-7 degrees (less than a
 * float's spacing here, about 8e-6 in longitude and 2e-6 in latitude) or by one double
 * ulp. In layer "edge", point i of box b has fid 16 * b + i + 1. */
static void edge_points(const double box[4], struct edge_point p[N_EDGE_POINTS])
{
    const double w = box[0], s = box[1], e = box[2], n = box[3];
    const double cx = (w + e) / 2, cy = (s + n) / 2;
    const struct edge_point list[N_EDGE_POINTS] = {
        {cx, cy, true},                   /* 1: centre */
        {w, cy, true},                    /* 2: on the west edge */
        {e, cy, true},                    /* 3: east edge */
        {cx, s, true},                    /* 4: south edge */
        {cx, n, true},                    /* 5: north edge */
        {w, s, true},                     /* 6: south-west corner */
        {e, n, true},                     /* 7: north-east corner */
        {w - 1e-7, cy, false},            /* 8 */
        {e + 1e-7, cy, false},            /* 9 */
        {cx, s - 1e-7, false},            /* 10 */
        {cx, n + 1e-7, false},            /* 11 */
        {e + 1e-7, n + 1e-7, false},      /* 12 */
        {e - 1e-7, cy, true},             /* 13: just inside */
        {e + 1.0, n + 1.0, false},        /* 14: far away */
        {nextafter(e, 200.0), cy, false}, /* 15: one ulp east */
        {cx, nextafter(n, 100.0), false}, /* 16: one ulp north */
    };
    memcpy(p, list, sizeof(list));
}

/* The fids of box b's points inside it (8 of them). */
static size_t edge_inside_fids(int b, int64_t *fids)
{
    struct edge_point p[N_EDGE_POINTS];
    edge_points(edge_boxes[b], p);
    size_t n = 0;
    for (int i = 0; i < N_EDGE_POINTS; i++) {
        if (p[i].is_inside) {
            fids[n++] = N_EDGE_POINTS * b + i + 1;
        }
    }
    return n;
}

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

/* True when the point's box, rounded outwards to floats as an R*Tree stores it, meets box:
 * the index alone would return the point. */
static bool index_box_meets(double x, double y, const double box[4])
{
    return round_down(x) <= box[2] && round_up(x) >= box[0] && round_down(y) <= box[3] &&
           round_up(y) >= box[1];
}

/* Layer "edge": the edge points of every box, then n_extra points inside box 0. */
static void write_edge_points(int n_extra)
{
    const struct layer_def def = {.id = "edge",
                                  .theme = "poi",
                                  .fields = label_fields,
                                  .n_fields = 1,
                                  .has_geometry = true,
                                  .has_extent = true,
                                  .extent = {-43.4, -23.0, 101.0, 20.5}};
    struct store *st = writer_begin();
    struct store_layer_writer *w = layer_begin(st, &def);
    struct store_value v = {.ptr = "p", .len = 1};
    struct wkb g;
    for (int b = 0; b < N_EDGE_BOXES; b++) {
        struct edge_point p[N_EDGE_POINTS];
        edge_points(edge_boxes[b], p);
        for (int i = 0; i < N_EDGE_POINTS; i++) {
            make_point(&g, p[i].x, p[i].y);
            layer_add(w, &v, &g);
        }
    }
    for (int i = 0; i < n_extra; i++) {
        make_point(&g, 99.01, 18.81);
        layer_add(w, &v, &g);
    }
    layer_commit(st, w, &def);
}

/* Reads q and checks rows and count are the expected fids. */
static void expect_bbox_result(struct store_read *rd, const struct store_query *q,
                               const int64_t *want, size_t n_want)
{
    struct row rows[64];
    size_t n = read_rows(rd, q, rows, 64);
    expect_fids(rows, n, want, n_want);
    assert_int_equal(count_of(rd, q), n_want);
    assert_int_equal(count_of(rd, q), n_want); /* again, from the cache */
}

/* Box b exactly, as a bbox, as a CQL2 BBOX filter, and 1e-7 wider to the east. */
static void check_edge_box(struct store_read *rd, const struct store_layer *edge, int b)
{
    const double *box = edge_boxes[b];
    int64_t inside[N_EDGE_POINTS];
    size_t n_inside = edge_inside_fids(b, inside);
    assert_int_equal(n_inside, 8);
    struct store_query q = query_bbox(edge, box);
    expect_bbox_result(rd, &q, inside, n_inside);
    char text[256];
    snprintf(text, sizeof(text), "S_INTERSECTS(geometry, BBOX(%.17g, %.17g, %.17g, %.17g))", box[0],
             box[1], box[2], box[3]);
    struct cql2_node *filter = parse_filter(text);
    q = query_all(edge);
    q.filter = filter;
    expect_bbox_result(rd, &q, inside, n_inside);
    cql2_free(filter);
    /* A box wider by 1e-7 (a different count key) takes in points 9 and 15 too. */
    q = query_bbox(edge, box);
    q.bbox[2] = box[2] + 1e-7;
    inside[n_inside++] = N_EDGE_POINTS * b + 9;
    inside[n_inside++] = N_EDGE_POINTS * b + 15;
    qsort(inside, n_inside, sizeof(inside[0]), compare_int64);
    expect_bbox_result(rd, &q, inside, n_inside);
}

static void bbox_points_closer_than_float_rounding_are_exact(void **state)
{
    (void)state;
    for (int b = 0; b < N_EDGE_BOXES; b++) {
        struct edge_point p[N_EDGE_POINTS];
        edge_points(edge_boxes[b], p);
        for (int i = 0; i < N_EDGE_POINTS; i++) {
            assert_int_equal(in_box(p[i].x, p[i].y, edge_boxes[b]), p[i].is_inside);
            /* Every point but the far one is a candidate of the index: the test needs the
             * exact check to reject the outside ones. */
            assert_true(i == 13 || index_box_meets(p[i].x, p[i].y, edge_boxes[b]));
        }
    }
    write_edge_points(0);
    struct store_pool *pool = pool_open(2);
    struct store_read *rd = read_begin(pool);
    const struct store_layer *edge = layer_of(rd, "edge");
    for (int b = 0; b < N_EDGE_BOXES; b++) {
        check_edge_box(rd, edge, b);
    }
    /* Limit and offset do not change the count. */
    struct store_query q = query_bbox(edge, edge_boxes[0]);
    q.limit = 3;
    q.offset = 1;
    struct row rows[16];
    assert_int_equal(read_rows(rd, &q, rows, 16), 3);
    assert_int_equal(count_of(rd, &q), 8);
    store_read_end(rd);
    store_pool_close(pool);
}

/* Counts are cached per layer version; a version never changes in a real database, so
 * editing the table behind the store's back makes a cached count visible as stale. A
 * re-import writes a new version table, whose count is computed afresh. */
static void bbox_counts_are_cached_per_layer_version(void **state)
{
    (void)state;
    write_edge_points(0);
    struct store_pool *pool = pool_open(2);
    struct store_read *rd = read_begin(pool);
    const struct store_layer *edge = layer_of(rd, "edge");
    struct store_query q = query_bbox(edge, edge_boxes[0]);
    assert_int_equal(count_of(rd, &q), 8);
    char sql[256];
    snprintf(sql, sizeof(sql), "DELETE FROM \"%s\" WHERE fid = 1", edge->table_name);
    store_read_end(rd);
    raw_exec(sql);

    rd = read_begin(pool);
    q = query_bbox(layer_of(rd, "edge"), edge_boxes[0]);
    struct row rows[64];
    assert_int_equal(read_rows(rd, &q, rows, 64), 7);
    assert_int_equal(count_of(rd, &q), 8); /* the cached count */
    store_read_end(rd);

    write_edge_points(2); /* both extra points lie inside box 0 */
    rd = read_begin(pool);
    q = query_bbox(layer_of(rd, "edge"), edge_boxes[0]);
    const int64_t inside[] = {1, 2, 3, 4, 5, 6, 7, 13, 49, 50};
    expect_bbox_result(rd, &q, inside, 10);
    store_read_end(rd);
    store_pool_close(pool);
}

/* Boxes are counted from the spatial index's nodes and the entry counts written beside it:
 * whole subtrees inside the box add their count unread. Every box's count is the points
 * really inside it, down to boxes of one point and boxes whose edge passes through a
 * point; a layer whose counts are missing (an older database) is counted in SQL. */
static void bbox_counts_add_whole_subtrees_of_the_index(void **state)
{
    (void)state;
    enum { N = 40000 }; /* more than 167 x 167: a root, inner nodes and leaves */
    write_points("pts", N);
    struct store_pool *pool = pool_open(2);
    struct store_read *rd = read_begin(pool);
    const struct store_layer *pts = layer_of(rd, "pts");
    char sql[256];
    snprintf(sql, sizeof(sql), "SELECT n FROM \"idx_%s_geom_count\" WHERE nodeno = 1",
             pts->table_name);
    assert_int_equal(raw_int(sql), N); /* the root holds every entry */
    uint32_t seed = 7;
    for (int k = 0; k < 300; k++) {
        double box[4];
        for (int i = 0; i < 4; i++) {
            double u = next_unit(&seed);
            box[i] = i % 2 == 0 ? 98.75 + 0.5 * u : 18.55 + 0.45 * u;
        }
        if (k % 3 == 0) { /* an edge through a point */
            point_at(k, &box[0], &box[1]);
        }
        double lo_x = box[0] < box[2] ? box[0] : box[2], hi_x = box[0] < box[2] ? box[2] : box[0];
        double lo_y = box[1] < box[3] ? box[1] : box[3], hi_y = box[1] < box[3] ? box[3] : box[1];
        const double sorted[4] = {lo_x, lo_y, hi_x, hi_y};
        struct store_query q = query_bbox(pts, sorted);
        assert_int_equal(count_of(rd, &q), scatter_count(N, sorted));
    }
    store_read_end(rd);
    /* Without the counts (a database imported before them), SQL counts the same. */
    snprintf(sql, sizeof(sql), "DROP TABLE \"idx_%s_geom_count\"", pts->table_name);
    raw_exec(sql);
    store_pool_close(pool);
    pool = pool_open(2);
    rd = read_begin(pool);
    const double box[4] = {98.9, 18.7, 99.05, 18.85};
    struct store_query q = query_bbox(layer_of(rd, "pts"), box);
    assert_int_equal(count_of(rd, &q), scatter_count(N, box));
    store_read_end(rd);
    store_pool_close(pool);
}

static const double shape_box[4] = {99.0, 18.8, 99.1, 18.9};

static void add_line(struct store_layer_writer *w, const double *xy, size_t n)
{
    struct wkb g;
    make_line(&g, xy, n);
    struct store_value v = {.ptr = "line", .len = 4};
    layer_add(w, &v, &g);
}

static void add_polygon(struct store_layer_writer *w, const double *const *rings, const size_t *n,
                        size_t n_rings)
{
    struct wkb g;
    make_polygon(&g, rings, n, n_rings);
    struct store_value v = {.ptr = "polygon", .len = 7};
    layer_add(w, &v, &g);
}

static void add_rect(struct store_layer_writer *w, double minx, double miny, double maxx,
                     double maxy)
{
    double ring[10];
    rect_ring(minx, miny, maxx, maxy, ring);
    const double *rings[1] = {ring};
    const size_t n[1] = {5};
    add_polygon(w, rings, n, 1);
}

/* Shapes around shape_box; fid = order of addition. */
static void write_shapes(void)
{
    const struct layer_def def = {.id = "shapes",
                                  .theme = "landuse",
                                  .fields = label_fields,
                                  .n_fields = 1,
                                  .has_geometry = true,
                                  .has_extent = true,
                                  .extent = {98.9, 18.7, 99.6, 19.0}};
    struct store *st = writer_begin();
    struct store_layer_writer *w = layer_begin(st, &def);
    const double l_shape[6] = {98.95, 18.85, 98.95, 18.75, 99.05, 18.75};
    add_line(w, l_shape, 3); /* 1: an L around the box's south-west corner: misses */
    const double crossing[4] = {98.95, 18.85, 99.15, 18.85};
    add_line(w, crossing, 2); /* 2: crosses the box */
    const double triangle[8] = {98.95, 18.75, 99.04, 18.75, 98.95, 18.84, 98.95, 18.75};
    const double *tri[1] = {triangle};
    const size_t tri_n[1] = {4};
    add_polygon(w, tri, tri_n, 1); /* 3: its hypotenuse passes south-west of the box */
    double outer[10], hole[10];
    rect_ring(98.9, 18.7, 99.2, 19.0, outer);
    rect_ring(98.99, 18.79, 99.11, 18.91, hole);
    const double *donut[2] = {outer, hole};
    const size_t donut_n[2] = {5, 5};
    add_polygon(w, donut, donut_n, 2);       /* 4: the box lies in its hole */
    add_rect(w, 99.02, 18.82, 99.04, 18.84); /* 5: inside the box */
    add_rect(w, 98.9, 18.7, 99.2, 19.0);     /* 6: covers the box */
    const double to_corner[4] = {98.95, 18.75, 99.0, 18.8};
    add_line(w, to_corner, 2); /* 7: ends on the box's south-west corner */
    const double far[4] = {99.5, 18.9, 99.6, 19.0};
    add_line(w, far, 2);                        /* 8: far away */
    add_rect(w, 99.1, 18.9, 99.2, 19.0);        /* 9: shares the box's north-east corner */
    add_rect(w, 99.1 + 1e-7, 18.8, 99.2, 18.9); /* 10: 1e-7 east of the box */
    struct store_value v = {.ptr = "none", .len = 4};
    layer_add(w, &v, NULL); /* 11: no geometry */
    layer_commit(st, w, &def);
}

static void bbox_lines_and_polygons_must_intersect_not_just_their_rectangles(void **state)
{
    (void)state;
    write_shapes();
    struct store_pool *pool = pool_open(2);
    struct store_read *rd = read_begin(pool);
    const struct store_layer *shapes = layer_of(rd, "shapes");
    assert_string_equal(shapes->geometry_type, "GEOMETRY");
    /* Without a box every row comes, the one without geometry too. */
    struct store_query all = query_all(shapes);
    all.out_srid = 32647;
    const int64_t every[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
    expect_bbox_result(rd, &all, every, 11);
    all.has_fid = true;
    all.fid = 11;
    struct store_cursor *cur = NULL;
    assert_null(first_row(rd, &all, &cur)->geom);
    store_cursor_close(cur);
    struct store_query q = query_bbox(shapes, shape_box);
    const int64_t hits[] = {2, 5, 6, 7, 9};
    expect_bbox_result(rd, &q, hits, 5);
    /* Paging in index order sees the same rows. */
    struct row rows[16];
    size_t n = read_pages(rd, q, 2, rows, 16);
    expect_fids(rows, n, hits, 5);
    /* As the API asks (bbox_keeps_empty), the row without geometry matches too: counted as
     * the layer's count less the index's entries, or in SQL where the import wrote no
     * entry counts (checked after them below). */
    q.bbox_keeps_empty = true;
    const int64_t hits_and_empty[] = {2, 5, 6, 7, 9, 11};
    expect_bbox_result(rd, &q, hits_and_empty, 6);
    /* A CQL2 S_INTERSECTS filter means the same, with a BBOX or with the box as a polygon. */
    const char *filters[] = {
        "S_INTERSECTS(geometry, BBOX(99.0, 18.8, 99.1, 18.9))",
        "S_INTERSECTS(geometry, POLYGON((99 18.8, 99.1 18.8, 99.1 18.9, 99 18.9, 99 18.8)))"};
    for (size_t i = 0; i < 2; i++) {
        struct cql2_node *filter = parse_filter(filters[i]);
        q = query_all(shapes);
        q.filter = filter;
        expect_bbox_result(rd, &q, hits, 5);
        cql2_free(filter);
    }
    char sql[256];
    snprintf(sql, sizeof(sql), "DROP TABLE \"idx_%s_geom_count\"", shapes->table_name);
    store_read_end(rd);
    store_pool_close(pool);
    raw_exec(sql);
    pool = pool_open(2);
    rd = read_begin(pool);
    q = query_bbox(layer_of(rd, "shapes"), shape_box);
    q.bbox_keeps_empty = true;
    expect_bbox_result(rd, &q, hits_and_empty, 6);
    store_read_end(rd);
    store_pool_close(pool);
}

/* Paging and sorting */

#define N_PAGED 300

static const double paging_box[4] = {98.9, 18.65, 99.1, 18.85};

static void expect_order(const struct row *rows, size_t n, bool is_descending)
{
    for (size_t i = 0; i + 1 < n; i++) {
        const struct row *a = &rows[i], *b = &rows[i + 1];
        bool is_ordered = is_descending ? a->n > b->n : a->n < b->n;
        if (!is_ordered && !(a->n == b->n && a->fid < b->fid)) {
            fail_msg("rows %zu (fid %lld, n %lld) and %zu (fid %lld, n %lld) are out of order", i,
                     (long long)a->fid, (long long)a->n, i + 1, (long long)b->fid, (long long)b->n);
        }
    }
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(rows[i].n, (rows[i].fid - 1) % 7);
    }
}

static void expect_same_rows(const struct row *a, const struct row *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (a[i].fid != b[i].fid) {
            fail_msg("row %zu: fid %lld paged, %lld in one query", i, (long long)a[i].fid,
                     (long long)b[i].fid);
        }
    }
}

/* Checks that pages of every size in sizes concatenate to the one-query result of q. */
static void expect_pages_match(struct store_read *rd, const struct store_query *q, size_t expected)
{
    static struct row whole[N_PAGED], paged[N_PAGED];
    assert_int_equal(read_rows(rd, q, whole, N_PAGED), expected);
    assert_int_equal(count_of(rd, q), expected);
    const int64_t sizes[] = {1, 7, 17, (int64_t)expected, (int64_t)expected + 1};
    for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
        assert_int_equal(read_pages(rd, *q, sizes[s], paged, N_PAGED), expected);
        expect_same_rows(paged, whole, expected);
    }
    /* No duplicates: after sorting by fid, fids strictly increase. */
    qsort(paged, expected, sizeof(*paged), compare_fid);
    for (size_t i = 0; i + 1 < expected; i++) {
        assert_true(paged[i].fid < paged[i + 1].fid);
    }
}

static void pages_cover_the_result_once_in_fid_order(void **state)
{
    (void)state;
    write_points("pts", N_PAGED);
    struct store_pool *pool = pool_open(2);
    struct store_read *rd = read_begin(pool);
    struct store_query q = query_all(layer_of(rd, "pts"));
    expect_pages_match(rd, &q, N_PAGED);
    static struct row rows[N_PAGED];
    assert_int_equal(read_pages(rd, q, 17, rows, N_PAGED), N_PAGED);
    for (size_t i = 0; i < N_PAGED; i++) {
        assert_int_equal(rows[i].fid, (int64_t)i + 1);
    }
    /* An offset past the end gives no rows. */
    q.offset = N_PAGED;
    assert_int_equal(read_rows(rd, &q, rows, N_PAGED), 0);
    store_read_end(rd);
    store_pool_close(pool);
}

static void pages_cover_the_result_once_in_index_order(void **state)
{
    (void)state;
    write_points("pts", N_PAGED);
    struct store_pool *pool = pool_open(2);
    struct store_read *rd = read_begin(pool);
    struct store_query q = query_bbox(layer_of(rd, "pts"), paging_box);
    int64_t expected = scatter_count(N_PAGED, paging_box);
    assert_true(expected > 40 && expected < N_PAGED - 40);
    expect_pages_match(rd, &q, (size_t)expected);
    /* The union of the pages is the set of points in the box. */
    static struct row rows[N_PAGED];
    size_t n = read_pages(rd, q, 7, rows, N_PAGED);
    static int64_t want[N_PAGED];
    size_t n_want = scatter_ids(N_PAGED, paging_box, want);
    expect_fids(rows, n, want, n_want);
    store_read_end(rd);
    store_pool_close(pool);
}

/* Imports layer id with n short lines from the first n scattered points. */
static void write_lines(const char *id, int n)
{
    const struct layer_def def = {.id = id,
                                  .theme = "roads",
                                  .fields = label_fields,
                                  .n_fields = 1,
                                  .has_geometry = true,
                                  .has_extent = true,
                                  .extent = {98.8, 18.6, 99.21, 18.96}};
    struct store *st = writer_begin();
    struct store_layer_writer *w = layer_begin(st, &def);
    for (int i = 0; i < n; i++) {
        double xy[4];
        point_at(i, &xy[0], &xy[1]);
        xy[2] = xy[0] + 0.001;
        xy[3] = xy[1] + 0.001;
        add_line(w, xy, 2);
    }
    layer_commit(st, w, &def);
}

/* The ids of a table's rows (column fid) in the order of its column key, at most cap. */
static size_t raw_fids(const char *table, const char *key, int64_t *out, size_t cap)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(unit_db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    char *sql = sqlite3_mprintf("SELECT fid FROM \"%w\" ORDER BY \"%w\"", table, key);
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    size_t n = 0;
    while (sqlite3_step(s) == SQLITE_ROW) {
        assert_true(n < cap);
        out[n++] = sqlite3_column_int64(s, 0);
    }
    sqlite3_finalize(s);
    sqlite3_free(sql);
    sqlite3_close(db);
    return n;
}

/* The mean distance between the scattered points of consecutive ids in fids[n]. */
static double mean_step(const int64_t *fids, size_t n)
{
    double sum = 0;
    for (size_t i = 1; i < n; i++) {
        double x0, y0, x1, y1;
        point_at((int)fids[i - 1] - 1, &x0, &y0);
        point_at((int)fids[i] - 1, &x1, &y1);
        sum += hypot(x1 - x0, y1 - y0);
    }
    return sum / (double)(n - 1);
}

/* A layer of STORE_PLACE_ORDER_MIN features or more also keeps its rows in place order
 * (store_place_order.h), with the same ids and values, neighbours on the curve next to each
 * other; its box pages come from there and cover the box's features once each. A smaller
 * layer has no such copy; a re-import and a removal drop the old one. */
static void big_layers_keep_their_rows_in_place_order_for_boxes(void **state)
{
    (void)state;
    enum { N = STORE_PLACE_ORDER_MIN + 500 };
    write_points("big", N);
    write_points("small", STORE_PLACE_ORDER_MIN - 1);
    write_lines("lines", N);
    struct store_pool *pool = pool_open(2);
    struct store_read *rd = read_begin(pool);
    const struct store_layer *big = layer_of(rd, "big");
    assert_true(big->has_place_order);
    assert_false(layer_of(rd, "small")->has_place_order);
    assert_false(layer_of(rd, "lines")->has_place_order); /* points only */
    char copy[128], sql[512];
    snprintf(copy, sizeof(copy), "%s" STORE_PLACE_ORDER_SUFFIX, big->table_name);
    snprintf(sql, sizeof(sql), "SELECT rtreecheck('idx_%s') = 'ok'", copy);
    assert_int_equal(raw_int(sql), 1);
    /* Every id once, and consecutive rows close on the map (the ids are scattered). */
    static int64_t by_place[N], by_id[N];
    assert_int_equal(raw_fids(copy, STORE_PLACE_ORDER_KEY, by_place, N), N);
    assert_int_equal(raw_fids(big->table_name, "fid", by_id, N), N);
    double step_by_place = mean_step(by_place, N), step_by_id = mean_step(by_id, N);
    qsort(by_place, N, sizeof(by_place[0]), compare_int64);
    for (int i = 0; i < N; i++) {
        assert_int_equal(by_place[i], i + 1);
    }
    if (!(step_by_place * 20 < step_by_id)) {
        fail_msg("rows not in place order: %g degrees between neighbours, %g in id order",
                 step_by_place, step_by_id);
    }
    /* Box pages: the box's features once each, with their own values (n = (fid - 1) % 7). */
    static struct row rows[N];
    static int64_t want[N];
    uint32_t seed = 11;
    for (int k = 0; k < 12; k++) {
        double box[4];
        for (int i = 0; i < 2; i++) {
            double u = next_unit(&seed);
            box[i] = i == 0 ? 98.8 + 0.33 * u : 18.6 + 0.28 * u;
            box[i + 2] = box[i] + 0.01 + 0.03 * (k % 3);
        }
        struct store_query q = query_bbox(big, box);
        size_t n = read_pages(rd, q, 97, rows, N);
        for (size_t i = 0; i < n; i++) {
            assert_int_equal(rows[i].n, (rows[i].fid - 1) % 7);
        }
        size_t n_want = scatter_ids(N, box, want);
        assert_true(n_want > 0);
        expect_fids(rows, n, want, n_want);
        assert_int_equal(count_of(rd, &q), (int64_t)n_want);
    }
    store_read_end(rd);
    /* The pages are read from the copy (marked here), one feature by id from the table. */
    snprintf(sql, sizeof(sql), "UPDATE \"%s\" SET n = n + 100", copy);
    raw_exec(sql);
    rd = read_begin(pool);
    big = layer_of(rd, "big");
    const double old_city[4] = {98.95, 18.75, 99.05, 18.85};
    struct store_query q = query_bbox(big, old_city);
    q.limit = 5;
    size_t n = read_rows(rd, &q, rows, N);
    assert_int_equal(n, 5);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(rows[i].n, (rows[i].fid - 1) % 7 + 100);
    }
    q.has_fid = true;
    q.fid = rows[0].fid;
    assert_int_equal(read_rows(rd, &q, rows + 1, N - 1), 1);
    assert_int_equal(rows[1].n, (rows[0].fid - 1) % 7);
    store_read_end(rd);
    store_pool_close(pool);
    /* A re-import replaces the copy with the new version's; removing the layer, both. */
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM sqlite_master WHERE name LIKE '%%%s%%'",
             STORE_PLACE_ORDER_SUFFIX);
    int64_t per_copy = raw_int(sql); /* the table, its R*Tree's, its entry counts */
    assert_true(per_copy >= 5);
    write_points("big", N);
    assert_int_equal(raw_int(sql), per_copy);
    struct store *st = writer_begin();
    struct err e;
    MUST(store_layer_delete(st, "big", &e), &e);
    writer_commit(st);
    assert_int_equal(raw_int(sql), 0);
}

static void sortby_orders_pages_with_ties_broken_by_fid(void **state)
{
    (void)state;
    write_points("pts", N_PAGED);
    struct store_pool *pool = pool_open(2);
    struct store_read *rd = read_begin(pool);
    const struct store_layer *pts = layer_of(rd, "pts");
    const struct store_sort_key asc = {.field = 1}, desc = {.field = 1, .is_descending = true};
    static struct row rows[N_PAGED];
    for (int with_bbox = 0; with_bbox < 2; with_bbox++) {
        for (int is_desc = 0; is_desc < 2; is_desc++) {
            struct store_query q = with_bbox ? query_bbox(pts, paging_box) : query_all(pts);
            q.sort = is_desc ? &desc : &asc;
            q.n_sort = 1;
            size_t expected = with_bbox ? (size_t)scatter_count(N_PAGED, paging_box) : N_PAGED;
            expect_pages_match(rd, &q, expected);
            assert_int_equal(read_pages(rd, q, 13, rows, N_PAGED), expected);
            expect_order(rows, expected, is_desc);
        }
    }
    store_read_end(rd);
    store_pool_close(pool);
}

/* Field names are identifiers from the source: anything, quoted in SQL. */
static void odd_field_names_work_in_properties_and_sortby(void **state)
{
    (void)state;
    static const struct store_field odd[] = {
        {.name = "order", .type = STORE_INTEGER, .source_type = "Integer"},
        {.name = "a \"quoted\" name", .type = STORE_TEXT, .source_type = "String"},
        {.name = "ชื่อ", .type = STORE_TEXT, .source_type = "String"},
    };
    const struct layer_def def = {
        .id = "odd", .theme = "poi", .fields = odd, .n_fields = 3, .has_geometry = true};
    struct store *st = writer_begin();
    struct store_layer_writer *w = layer_begin(st, &def);
    for (int i = 0; i < 5; i++) {
        struct wkb g;
        make_point(&g, 99.0 + 0.01 * i, 18.8);
        struct store_value v[3] = {{.i = i % 2}, {.ptr = "q", .len = 1}, {.ptr = "ท", .len = 3}};
        layer_add(w, v, &g);
    }
    layer_commit(st, w, &def);
    struct store_pool *pool = pool_open(1);
    struct store_read *rd = read_begin(pool);
    const struct store_layer *layer = layer_of(rd, "odd");
    assert_int_equal(store_layer_field_index(layer, "a \"quoted\" name"), 1);
    struct store_query q = query_bbox(layer, edge_boxes[0]);
    const size_t props[3] = {1, 2, 0};
    const struct store_sort_key sort = {.field = 0, .is_descending = true};
    q.properties = props;
    q.n_properties = 3;
    q.sort = &sort;
    q.n_sort = 1;
    struct store_cursor *cur = NULL;
    const struct store_feature *row = first_row(rd, &q, &cur);
    int64_t fids[5], n = 0;
    struct err e;
    do {
        assert_int_equal(row->n_values, 3);
        assert_memory_equal(row->values[0].ptr, "q", 1);
        assert_memory_equal(row->values[1].ptr, "ท", 3);
        fids[n++] = row->fid;
    } while (n < 5 && store_cursor_next(cur, &row, &e) == 1);
    store_cursor_close(cur);
    /* order = fid - 1 mod 2, descending, then fid: 2, 4, then 1, 3, 5. */
    const int64_t want[5] = {2, 4, 1, 3, 5};
    assert_int_equal(n, 5);
    assert_memory_equal(fids, want, sizeof(want));
    store_read_end(rd);
    store_pool_close(pool);
}

/* What rows carry */

static const struct store_field landmark_fields[] = {
    {.name = "name", .type = STORE_TEXT, .source_type = "String"},
    {.name = "height", .type = STORE_REAL, .source_type = "Real"},
    {.name = "floors", .type = STORE_INTEGER, .source_type = "Integer"},
};

#define LANDMARK_NAME "ประตูท่าแพ"
#define N_CIRCLE 360

/* Layer "landmark": one point at 99, 18.8; layer "circle": a 360-gon of radius 0.05 degrees
 * around it. */
static void write_landmark_and_circle(void)
{
    const struct layer_def landmark = {.id = "landmark",
                                       .theme = "poi",
                                       .fields = landmark_fields,
                                       .n_fields = 3,
                                       .has_geometry = true};
    struct store *st = writer_begin();
    struct store_layer_writer *w = layer_begin(st, &landmark);
    struct wkb g;
    make_point(&g, 99.0, 18.8);
    struct store_value v[3] = {
        {.ptr = LANDMARK_NAME, .len = strlen(LANDMARK_NAME)}, {.d = 12.5}, {.i = 3}};
    layer_add(w, v, &g);
    layer_commit(st, w, &landmark);

    const struct layer_def circle = {.id = "circle",
                                     .theme = "landuse",
                                     .fields = landmark_fields,
                                     .n_fields = 3,
                                     .has_geometry = true};
    st = writer_begin();
    w = layer_begin(st, &circle);
    static double ring[2 * (N_CIRCLE + 1)];
    for (int i = 0; i <= N_CIRCLE; i++) {
        double a = 2 * M_PI * (i % N_CIRCLE) / N_CIRCLE;
        ring[2 * i] = 99.0 + 0.05 * cos(a);
        ring[2 * i + 1] = 18.8 + 0.05 * sin(a);
    }
    const double *rings[1] = {ring};
    const size_t n[1] = {N_CIRCLE + 1};
    make_polygon(&g, rings, n, 1);
    layer_add(w, v, &g);
    layer_commit(st, w, &circle);
}

static void expect_point(struct store_read *rd, struct store_query q, int srid, double x, double y,
                         double tolerance)
{
    q.out_srid = srid;
    struct store_cursor *cur = NULL;
    double got_x, got_y;
    blob_point(first_row(rd, &q, &cur), srid, &got_x, &got_y);
    store_cursor_close(cur);
    if (fabs(got_x - x) > tolerance || fabs(got_y - y) > tolerance) {
        fail_msg("EPSG:%d: got %.4f %.4f, expected %.4f %.4f", srid, got_x, got_y, x, y);
    }
}

static void rows_carry_the_asked_properties_in_order(void **state)
{
    (void)state;
    write_landmark_and_circle();
    struct store_pool *pool = pool_open(2);
    struct store_read *rd = read_begin(pool);
    struct store_query q = query_all(layer_of(rd, "landmark"));
    const size_t props[2] = {2, 0}; /* floors, name */
    q.properties = props;
    q.n_properties = 2;
    struct store_cursor *cur = NULL;
    const struct store_feature *row = first_row(rd, &q, &cur);
    assert_int_equal(row->fid, 1);
    assert_int_equal(row->n_values, 2);
    assert_int_equal(row->values[0].type, STORE_INTEGER);
    assert_int_equal(row->values[0].i, 3);
    assert_int_equal(row->values[1].type, STORE_TEXT);
    assert_int_equal(row->values[1].len, strlen(LANDMARK_NAME));
    assert_memory_equal(row->values[1].ptr, LANDMARK_NAME, strlen(LANDMARK_NAME));
    double x, y;
    blob_point(row, 4326, &x, &y);
    assert_true(x == 99.0 && y == 18.8);
    struct err e;
    assert_int_equal(store_cursor_next(cur, &row, &e), 0);
    store_cursor_close(cur);

    q = query_all(layer_of(rd, "landmark"));
    q.skip_geometry = true;
    row = first_row(rd, &q, &cur);
    assert_null(row->geom);
    assert_int_equal(row->geom_len, 0);
    assert_int_equal(row->n_values, 3);
    assert_int_equal(row->values[1].type, STORE_REAL);
    assert_true(row->values[1].d == 12.5);
    store_cursor_close(cur);

    /* No properties at all: still one row, with no values. */
    q = query_all(layer_of(rd, "landmark"));
    q.properties = props;
    q.n_properties = 0;
    row = first_row(rd, &q, &cur);
    assert_int_equal(row->n_values, 0);
    store_cursor_close(cur);
    store_read_end(rd);
    store_pool_close(pool);
}

static void features_come_in_the_asked_crs(void **state)
{
    (void)state;
    write_landmark_and_circle();
    struct store_pool *pool = pool_open(2);
    struct store_read *rd = read_begin(pool);
    assert_true(store_read_has_srid(rd, 4326));
    assert_true(store_read_has_srid(rd, 32647));
    assert_true(store_read_has_srid(rd, 3857));
    assert_true(store_read_has_srid(rd, 24047));
    assert_false(store_read_has_srid(rd, 2154));
    struct store_query q = query_all(layer_of(rd, "landmark"));
    /* cs2cs EPSG:4326 -> EPSG:32647 / EPSG:3857 of 18.8 N 99 E. */
    expect_point(rd, q, 32647, 500000.0, 2078698.1313, 0.01);
    expect_point(rd, q, 3857, 11020629.5885, 2131403.2477, 0.01);
    expect_point(rd, q, 4326, 99.0, 18.8, 0.0);
    /* One feature by id, in a projected CRS. */
    q.has_fid = true;
    q.fid = 1;
    assert_int_equal(count_of(rd, &q), 1);
    expect_point(rd, q, 32647, 500000.0, 2078698.1313, 0.01);
    q.fid = 2;
    assert_int_equal(count_of(rd, &q), 0);
    store_read_end(rd);
    store_pool_close(pool);
}

static void projected_boxes_transform_to_covering_lon_lat_boxes(void **state)
{
    (void)state;
    write_landmark_and_circle();
    struct store_pool *pool = pool_open(2);
    struct store_read *rd = read_begin(pool);
    struct err e;
    const double utm[4] = {499000.0, 2077698.1313, 501000.0, 2079698.1313};
    double out[4];
    MUST(store_read_transform_bbox(rd, 32647, utm, out, &e), &e);
    /* 1 km is about 0.0095 degrees of longitude and 0.0090 of latitude here. */
    assert_true(out[0] > 98.989 && out[0] < 98.992);
    assert_true(out[2] > 99.008 && out[2] < 99.011);
    assert_true(out[1] > 18.790 && out[1] < 18.792);
    assert_true(out[3] > 18.808 && out[3] < 18.810);
    const double merc[4] = {11020529.5885, 2131303.2477, 11020729.5885, 2131503.2477};
    MUST(store_read_transform_bbox(rd, 3857, merc, out, &e), &e);
    assert_true(out[0] < 99.0 && out[2] > 99.0 && out[1] < 18.8 && out[3] > 18.8);
    assert_true(out[2] - out[0] < 0.002 && out[3] - out[1] < 0.002);
    /* The box found selects the landmark. */
    struct store_query q = query_bbox(layer_of(rd, "landmark"), out);
    assert_int_equal(count_of(rd, &q), 1);
    assert_int_equal(store_read_transform_bbox(rd, 2154, utm, out, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "2154"));
    store_read_end(rd);
    store_pool_close(pool);
}

/* A point 1 m inside the north edge of a 20 km EPSG:32647 box, at the zone's central
 * meridian (cs2cs EPSG:32647 -> EPSG:4326 of 500000 2089999). Lines of constant northing
 * bulge north there, so the corners of the box are not its northernmost points. */
#define NORTH_LAT 18.902135337805

static void transformed_boxes_cover_the_whole_projected_box(void **state)
{
    (void)state;
    static const struct store_field name[] = {
        {.name = "name", .type = STORE_TEXT, .source_type = "String"}};
    const struct layer_def def = {
        .id = "north", .theme = "poi", .fields = name, .n_fields = 1, .has_geometry = true};
    struct store *st = writer_begin();
    struct store_layer_writer *w = layer_begin(st, &def);
    struct wkb g;
    make_point(&g, 99.0, NORTH_LAT);
    struct store_value v = {.ptr = "n", .len = 1};
    layer_add(w, &v, &g);
    layer_commit(st, w, &def);

    struct store_pool *pool = pool_open(2);
    struct store_read *rd = read_begin(pool);
    const struct store_layer *north = layer_of(rd, "north");
    const double utm[4] = {490000.0, 2070000.0, 510000.0, 2090000.0};
    /* The point is inside the projected box... */
    expect_point(rd, query_all(north), 32647, 500000.0, 2089999.0, 0.01);
    double out[4];
    struct err e;
    MUST(store_read_transform_bbox(rd, 32647, utm, out, &e), &e);
    /* ...so the box that covers it must take it in, and a query by it finds it. */
    struct store_query q = query_bbox(north, out);
    int64_t count = count_of(rd, &q);
    store_read_end(rd);
    store_pool_close(pool);
    if (!in_box(99.0, NORTH_LAT, out) || count != 1) {
        fail_msg("EPSG:32647 box %.0f %.0f %.0f %.0f became %.9f %.9f %.9f %.9f, which leaves "
                 "out 99 %.9f (E 500000, N 2089999, inside the box): %lld features found",
                 utm[0], utm[1], utm[2], utm[3], out[0], out[1], out[2], out[3], NORTH_LAT,
                 (long long)count);
    }
}

static void transform_refuses_boxes_outside_the_crs_area(void **state)
{
    (void)state;
    write_landmark_and_circle();
    struct store_pool *pool = pool_open(2);
    struct store_read *rd = read_begin(pool);
    /* A million kilometres east of UTM zone 47's origin. */
    const double far[4] = {1e9, 1e9, 1e9 + 1000, 1e9 + 1000};
    double out[4] = {0};
    struct err e;
    err_clear(&e);
    int rc = store_read_transform_bbox(rd, 32647, far, out, &e);
    store_read_end(rd);
    store_pool_close(pool);
    if (rc != ERR_INVALID) {
        fail_msg("EPSG:32647 box 1e9 1e9 1e9+1000 1e9+1000 gave %d and %g %g %g %g, expected "
                 "ERR_INVALID",
                 rc, out[0], out[1], out[2], out[3]);
    }
}

static uint32_t ring_points(struct store_read *rd, int srid, double tolerance)
{
    struct store_query q = query_all(layer_of(rd, "circle"));
    q.out_srid = srid;
    q.simplify_tolerance = tolerance;
    struct store_cursor *cur = NULL;
    uint32_t n = blob_ring_points(first_row(rd, &q, &cur), srid);
    store_cursor_close(cur);
    return n;
}

static void simplify_tolerance_drops_vertices(void **state)
{
    (void)state;
    write_landmark_and_circle();
    struct store_pool *pool = pool_open(2);
    struct store_read *rd = read_begin(pool);
    assert_int_equal(ring_points(rd, 4326, 0), N_CIRCLE + 1);
    assert_int_equal(ring_points(rd, 32647, 0), N_CIRCLE + 1);
    /* A 0.005 degree (about 500 m) tolerance keeps a polygon of a few vertices. */
    uint32_t n = ring_points(rd, 4326, 0.005);
    assert_true(n >= 4 && n < 40);
    n = ring_points(rd, 32647, 500.0);
    assert_true(n >= 4 && n < 40);
    /* A tolerance far below the vertex spacing (about 0.0009 degrees) keeps them all. */
    assert_int_equal(ring_points(rd, 4326, 1e-9), N_CIRCLE + 1);
    /* Points have nothing to simplify. */
    struct store_query q = query_all(layer_of(rd, "landmark"));
    q.simplify_tolerance = 0.5;
    struct store_cursor *cur = NULL;
    double x, y;
    blob_point(first_row(rd, &q, &cur), 4326, &x, &y);
    assert_true(x == 99.0 && y == 18.8);
    store_cursor_close(cur);
    store_read_end(rd);
    store_pool_close(pool);
}

/* Query checks and cursors */

static void expect_invalid(struct store_read *rd, const struct store_query *q, const char *words)
{
    struct err e;
    err_clear(&e);
    int rc = store_query_check(rd, q, &e);
    if (rc != ERR_INVALID) {
        fail_msg("store_query_check gave %d, expected ERR_INVALID (%s)", rc, words);
    }
    if (strstr(e.msg, words) == NULL) {
        fail_msg("message \"%s\" does not say \"%s\"", e.msg, words);
    }
}

static void query_check_refuses_what_the_layer_cannot_answer(void **state)
{
    (void)state;
    write_points("pts", 20);
    write_roads_and_census();
    struct store_pool *pool = pool_open(2);
    struct store_read *rd = read_begin(pool);
    const struct store_layer *pts = layer_of(rd, "pts"), *census = layer_of(rd, "census");
    struct store_query q = query_bbox(census, scatter_box);
    expect_invalid(rd, &q, "without geometry");
    q = query_all(census);
    assert_int_equal(count_of(rd, &q), 4); /* the table itself is fine */
    q = query_all(pts);
    q.out_srid = 2154;
    expect_invalid(rd, &q, "EPSG:2154");
    q.out_srid = 0;
    expect_invalid(rd, &q, "EPSG:0");
    q = query_all(pts);
    q.limit = -1;
    expect_invalid(rd, &q, "limit");
    q.limit = STORE_MAX_LIMIT + 1;
    expect_invalid(rd, &q, "limit");
    q.limit = 10;
    q.offset = -1;
    expect_invalid(rd, &q, "offset");
    struct cql2_node *filter = parse_filter("nmae = 'x'");
    q = query_all(pts);
    q.filter = filter;
    expect_invalid(rd, &q, "nmae");
    cql2_free(filter);
    /* The ends of the ranges are allowed. */
    q = query_all(pts);
    q.limit = 0;
    struct row rows[32];
    assert_int_equal(read_rows(rd, &q, rows, 32), 0);
    assert_int_equal(count_of(rd, &q), 20);
    q.limit = STORE_MAX_LIMIT;
    assert_int_equal(read_rows(rd, &q, rows, 32), 20);
    q.limit = STORE_LIMIT_ALL; /* every match, for scans */
    assert_int_equal(read_rows(rd, &q, rows, 32), 20);
    q = query_bbox(pts, scatter_box);
    q.limit = STORE_LIMIT_ALL;
    assert_int_equal(read_rows(rd, &q, rows, 32), count_of(rd, &q));
    store_read_end(rd);
    store_pool_close(pool);
}

static void filtered_counts_match_the_rows(void **state)
{
    (void)state;
    write_points("pts", N_PAGED);
    struct store_pool *pool = pool_open(2);
    struct store_read *rd = read_begin(pool);
    const struct store_layer *pts = layer_of(rd, "pts");
    struct cql2_node *filter = parse_filter("n = 3 OR rank < 20");
    int64_t want_all = 0, want_box = 0;
    for (int i = 0; i < N_PAGED; i++) {
        double x, y;
        point_at(i, &x, &y);
        bool is_match = i % 7 == 3 || i / 2.0 < 20;
        want_all += is_match;
        want_box += is_match && in_box(x, y, paging_box);
    }
    static struct row rows[N_PAGED];
    for (int with_bbox = 0; with_bbox < 2; with_bbox++) {
        struct store_query q = with_bbox ? query_bbox(pts, paging_box) : query_all(pts);
        q.filter = filter;
        int64_t want = with_bbox ? want_box : want_all;
        assert_int_equal(count_of(rd, &q), want);
        assert_int_equal(count_of(rd, &q), want);
        assert_int_equal(read_rows(rd, &q, rows, N_PAGED), want);
        assert_int_equal(read_pages(rd, q, 9, rows, N_PAGED), want);
    }
    cql2_free(filter);
    store_read_end(rd);
    store_pool_close(pool);
}

static void a_read_has_one_cursor_and_closes_it_at_the_end(void **state)
{
    (void)state;
    write_points("pts", 5);
    struct store_pool *pool = pool_open(1);
    struct store_read *rd = read_begin(pool);
    struct store_query q = query_all(layer_of(rd, "pts"));
    struct store_cursor *cur = NULL, *second = NULL;
    const struct store_feature *row = first_row(rd, &q, &cur);
    assert_int_equal(row->fid, 1);
    struct err e;
    assert_true(store_features_open(rd, &q, &second, &e) < 0);
    assert_null(second);
    /* The first cursor is untouched by the refusal. */
    assert_int_equal(store_cursor_next(cur, &row, &e), 1);
    assert_int_equal(row->fid, 2);
    /* Ending the read closes the cursor (the sanitizer build checks nothing leaks) and
     * returns the only connection. */
    store_read_end(rd);
    rd = read_begin(pool);
    q = query_all(layer_of(rd, "pts"));
    struct row rows[8];
    assert_int_equal(read_rows(rd, &q, rows, 8), 5);
    store_read_end(rd);
    store_pool_close(pool);
}

/* Threads */

#define N_READERS 4
#define N_LOOPS 200
#define MAX_LOOPS 100000
#define N_VERSIONS 3

static const int version_sizes[N_VERSIONS] = {120, 180, 240};

struct reader {
    pthread_t thread;
    struct store_pool *pool;
    atomic_int *progress;      /* loops done by all readers */
    atomic_bool *is_importing; /* the main thread still has re-imports to do */
    atomic_int *running;       /* readers not yet returned */
    int loops;
    int seen[N_VERSIONS];            /* reads that saw each version */
    char failure[ERR_MSG_CAP + 128]; /* the first thing that went wrong, or "" */
};

/* Reads a whole result; returns the row count, or -1 with r->failure set. */
static int64_t reader_rows(struct reader *r, struct store_read *rd, const struct store_query *q,
                           int size)
{
    struct store_cursor *cur = NULL;
    struct err e;
    if (store_features_open(rd, q, &cur, &e) != ERR_OK) {
        snprintf(r->failure, sizeof(r->failure), "features_open: %s", e.msg);
        return -1;
    }
    const struct store_feature *row = NULL;
    int64_t n = 0;
    int rc;
    while ((rc = store_cursor_next(cur, &row, &e)) == 1) {
        if (row->fid < 1 || row->fid > size || row->values[1].i != (row->fid - 1) % 7) {
            snprintf(r->failure, sizeof(r->failure), "row fid %lld does not belong to %d points",
                     (long long)row->fid, size);
            rc = -1;
            break;
        }
        n++;
    }
    store_cursor_close(cur);
    if (rc < 0 && r->failure[0] == '\0') {
        snprintf(r->failure, sizeof(r->failure), "cursor_next: %s", e.msg);
    }
    return rc < 0 ? -1 : n;
}

/* One request: the layer's count and rows, with and without a box, must all belong to the
 * same version. Returns false with r->failure set. */
static bool reader_once(struct reader *r, int64_t *last_generation)
{
    struct store_read *rd = NULL;
    struct err e;
    if (store_read_begin(r->pool, &rd, &e) != ERR_OK) {
        snprintf(r->failure, sizeof(r->failure), "read_begin: %s", e.msg);
        return false;
    }
    bool is_ok = false;
    const struct store_catalog *cat = store_read_catalog(rd);
    const struct store_layer *pts = store_read_layer(rd, "pts");
    int k = 0;
    while (pts != NULL && k < N_VERSIONS && version_sizes[k] != pts->feature_count) {
        k++;
    }
    struct store_query all = {.layer = pts, .limit = STORE_MAX_LIMIT, .out_srid = 4326};
    struct store_query box = all;
    box.has_bbox = true;
    memcpy(box.bbox, paging_box, sizeof(box.bbox));
    int64_t count = -1;
    if (pts == NULL || k == N_VERSIONS) {
        snprintf(r->failure, sizeof(r->failure), "unexpected layer: %lld features",
                 pts != NULL ? (long long)pts->feature_count : -1LL);
    } else if (cat->generation < *last_generation) {
        snprintf(r->failure, sizeof(r->failure), "generation went back from %lld to %lld",
                 (long long)*last_generation, (long long)cat->generation);
    } else if (store_features_count(rd, &box, &count, &e) != ERR_OK) {
        snprintf(r->failure, sizeof(r->failure), "count: %s", e.msg);
    } else if (count != scatter_count(version_sizes[k], paging_box)) {
        snprintf(r->failure, sizeof(r->failure), "bbox count %lld in version of %d points",
                 (long long)count, version_sizes[k]);
    } else if (reader_rows(r, rd, &box, version_sizes[k]) == count &&
               reader_rows(r, rd, &all, version_sizes[k]) == version_sizes[k]) {
        is_ok = true;
        r->seen[k]++;
        *last_generation = cat->generation;
    } else if (r->failure[0] == '\0') {
        snprintf(r->failure, sizeof(r->failure), "row counts differ from the counts");
    }
    store_read_end(rd);
    return is_ok;
}

static void *reader_main(void *arg)
{
    struct reader *r = arg;
    int64_t generation = 0;
    while (r->loops < MAX_LOOPS && (r->loops < N_LOOPS || atomic_load(r->is_importing))) {
        if (!reader_once(r, &generation)) {
            break;
        }
        r->loops++;
        atomic_fetch_add(r->progress, 1);
    }
    /* A loaded machine may let the readers reach MAX_LOOPS before the last re-import
     * commits: one more read after it proves the newest version is seen. */
    while (r->failure[0] == '\0' && atomic_load(r->is_importing)) {
        usleep(1000);
    }
    if (r->failure[0] == '\0' && reader_once(r, &generation)) {
        r->loops++;
    }
    atomic_fetch_sub(r->running, 1);
    return NULL;
}

/* Waits until the readers made that much progress, or all of them stopped (failed). */
static void wait_for_progress(const atomic_int *progress, const atomic_int *running, int at_least)
{
    while (atomic_load(progress) < at_least && atomic_load(running) > 0) {
        usleep(1000);
    }
}

static void reads_on_threads_see_whole_versions_during_reimports(void **state)
{
    (void)state;
    write_points("pts", version_sizes[0]);
    struct store_pool *pool = pool_open(N_READERS);
    /* Static: a failing assertion here leaves the readers running, on valid memory. */
    static atomic_int progress, running;
    static atomic_bool is_importing;
    atomic_store(&progress, 0);
    atomic_store(&running, N_READERS);
    atomic_store(&is_importing, true);
    static struct reader readers[N_READERS];
    memset(readers, 0, sizeof(readers));
    for (int i = 0; i < N_READERS; i++) {
        readers[i].pool = pool;
        readers[i].progress = &progress;
        readers[i].is_importing = &is_importing;
        readers[i].running = &running;
        assert_int_equal(pthread_create(&readers[i].thread, NULL, reader_main, &readers[i]), 0);
    }
    /* Each re-import starts once the readers are well under way. */
    for (int v = 1; v < N_VERSIONS; v++) {
        wait_for_progress(&progress, &running, 100 * v);
        write_points("pts", version_sizes[v]);
    }
    atomic_store(&is_importing, false);
    int seen[N_VERSIONS] = {0};
    for (int i = 0; i < N_READERS; i++) {
        assert_int_equal(pthread_join(readers[i].thread, NULL), 0);
        if (readers[i].failure[0] != '\0') {
            fail_msg("reader %d, loop %d: %s", i, readers[i].loops, readers[i].failure);
        }
        assert_true(readers[i].loops >= N_LOOPS);
        for (int k = 0; k < N_VERSIONS; k++) {
            seen[k] += readers[i].seen[k];
        }
    }
    /* The readers overlapped both re-imports: the first and the last version were read. */
    assert_true(seen[0] > 0);
    assert_true(seen[N_VERSIONS - 1] > 0);
    store_pool_close(pool);
}

int main(void)
{
#define TEST(f) cmocka_unit_test_setup_teardown(f, unit_temp_db_setup, unit_temp_db_teardown)
    const struct CMUnitTest tests[] = {
        TEST(pool_open_refuses_missing_and_foreign_files),
        TEST(pool_open_refuses_a_newer_schema),
        TEST(pool_lends_at_most_max_connections),
        TEST(catalog_describes_layers_fields_extent_and_generation),
        TEST(an_empty_database_has_an_empty_catalog),
        TEST(an_open_read_keeps_its_snapshot_across_a_reimport),
        TEST(bbox_points_closer_than_float_rounding_are_exact),
        TEST(bbox_counts_are_cached_per_layer_version),
        TEST(bbox_counts_add_whole_subtrees_of_the_index),
        TEST(bbox_lines_and_polygons_must_intersect_not_just_their_rectangles),
        TEST(pages_cover_the_result_once_in_fid_order),
        TEST(pages_cover_the_result_once_in_index_order),
        TEST(big_layers_keep_their_rows_in_place_order_for_boxes),
        TEST(sortby_orders_pages_with_ties_broken_by_fid),
        TEST(odd_field_names_work_in_properties_and_sortby),
        TEST(rows_carry_the_asked_properties_in_order),
        TEST(features_come_in_the_asked_crs),
        TEST(projected_boxes_transform_to_covering_lon_lat_boxes),
        TEST(transformed_boxes_cover_the_whole_projected_box),
        TEST(transform_refuses_boxes_outside_the_crs_area),
        TEST(simplify_tolerance_drops_vertices),
        TEST(query_check_refuses_what_the_layer_cannot_answer),
        TEST(filtered_counts_match_the_rows),
        TEST(a_read_has_one_cursor_and_closes_it_at_the_end),
        TEST(reads_on_threads_see_whole_versions_during_reimports),
    };
#undef TEST
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    spatialite_shutdown();
    return rc;
}
