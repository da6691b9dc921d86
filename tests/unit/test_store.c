/* test_store.c - store/: layers are written atomically with a registry row, a valid
 * bulk-loaded spatial index, version numbers that never repeat, and clean refusals. */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>
#include <spatialite.h>

#include "store/store.h"

#include "unit_support.c"

static char db_path[256];

static int setup(void **state)
{
    (void)state;
    snprintf(db_path, sizeof(db_path), "%s/city.sqlite", unit_temp_dir());
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    const char *suffixes[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        char p[300];
        snprintf(p, sizeof(p), "%s%s", db_path, suffixes[i]);
        unlink(p);
    }
    char *slash = strrchr(db_path, '/');
    *slash = '\0';
    rmdir(db_path);
    return 0;
}

/* Little-endian ISO WKB of a 2D point. */
static void point_wkb(double x, double y, unsigned char out[21])
{
    out[0] = 1;
    uint32_t type = 1;
    memcpy(out + 1, &type, 4);
    memcpy(out + 5, &x, 8);
    memcpy(out + 13, &y, 8);
}

static const struct store_field fields[] = {
    {.name = "name", .type = STORE_TEXT, .source_type = "String"},
    {.name = "n", .type = STORE_INTEGER, .source_type = "Integer"},
};

/* Point i of n lies on a deterministic scatter over the Chiang Mai box. */
static void point_at(int i, double *x, double *y)
{
    *x = 98.8 + 0.4 * (double)(((int64_t)i * 7919) % 10007) / 10007.0;
    *y = 18.6 + 0.35 * (double)(((int64_t)i * 104729) % 10009) / 10009.0;
}

static int write_points(const char *id, const char *source, int n, bool allow_replace,
                        struct err *e)
{
    struct store *st = NULL;
    int rc = store_open(db_path, STORE_READ_WRITE, &st, e);
    if (rc != ERR_OK) {
        return rc;
    }
    struct store_layer_writer *w = NULL;
    rc = store_import_begin(st, e);
    if (rc == ERR_OK) {
        rc = store_layer_begin(st, id, source, NULL, allow_replace, fields, 2, true, &w, e);
    }
    for (int i = 0; rc == ERR_OK && i < n; i++) {
        unsigned char wkb[21];
        double x, y;
        point_at(i, &x, &y);
        point_wkb(x, y, wkb);
        char name[32];
        snprintf(name, sizeof(name), "จุด %d", i);
        struct store_value v[2] = {{.ptr = name, .len = strlen(name)}, {.i = i}};
        rc = store_layer_add(w, v, wkb, sizeof(wkb), e);
    }
    if (rc == ERR_OK) {
        struct store_layer_meta meta = {.id = id,
                                        .title_en = "Points",
                                        .source_path = source,
                                        .has_extent = true,
                                        .min_lon = 98.8,
                                        .min_lat = 18.6,
                                        .max_lon = 99.2,
                                        .max_lat = 18.95};
        rc = store_layer_finish(w, &meta, e);
    }
    store_layer_writer_free(w);
    if (rc == ERR_OK) {
        rc = store_import_commit(st, e);
    }
    store_close(st);
    return rc;
}

/* Opens the file directly with SpatiaLite, as a GIS tool would (read-write: SpatiaLite's
 * CheckSpatialIndex() records each check in its spatialite_history table). */
static sqlite3 *open_raw(void **cache)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    *cache = spatialite_alloc_connection();
    spatialite_init_ex(db, *cache, 0);
    return db;
}

static void close_raw(sqlite3 *db, void *cache)
{
    sqlite3_close(db);
    spatialite_cleanup_ex(cache);
}

static int64_t query_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    }
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

static char *query_text(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    }
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    const unsigned char *t = sqlite3_column_text(s, 0);
    char *copy = strdup(t != NULL ? (const char *)t : "(null)");
    sqlite3_finalize(s);
    return copy;
}

static void check_layer(const char *table, int n)
{
    void *cache = NULL;
    sqlite3 *db = open_raw(&cache);
    char sql[512];
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM \"%s\"", table);
    assert_int_equal(query_int(db, sql), n);
    snprintf(sql, sizeof(sql), "SELECT rtreecheck('idx_%s_geom')", table);
    char *check = query_text(db, sql);
    assert_string_equal(check, "ok");
    free(check);
    snprintf(sql, sizeof(sql), "SELECT CheckSpatialIndex('%s', 'geom')", table);
    assert_int_equal(query_int(db, sql), 1);
    /* The index must answer a box query exactly as a scan of every row does. */
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM \"%s\" WHERE fid IN (SELECT pkid FROM \"idx_%s_geom\""
             " WHERE xmax >= 98.95 AND xmin <= 99.05 AND ymax >= 18.75 AND ymin <= 18.85)"
             " AND X(geom) BETWEEN 98.95 AND 99.05 AND Y(geom) BETWEEN 18.75 AND 18.85",
             table, table);
    int64_t by_index = query_int(db, sql);
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM \"%s\" WHERE X(geom) BETWEEN 98.95 AND 99.05"
             " AND Y(geom) BETWEEN 18.75 AND 18.85",
             table);
    assert_int_equal(by_index, query_int(db, sql));
    close_raw(db, cache);
}

/* Sizes around the node capacity (51 cells) and across several tree levels. */
static void layers_of_any_size_get_a_valid_index(void **state)
{
    (void)state;
    const int sizes[] = {1, 2, 51, 52, 2601, 2602, 30000};
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        char id[32];
        snprintf(id, sizeof(id), "pts-%d", sizes[i]);
        struct err e;
        if (write_points(id, id, sizes[i], false, &e) != ERR_OK) {
            fail_msg("%s", e.msg);
        }
        struct store *st = NULL;
        assert_int_equal(store_open(db_path, STORE_READ_ONLY, &st, &e), ERR_OK);
        struct store_layer_info *infos = NULL;
        size_t n = 0;
        assert_int_equal(store_layers_list(st, &infos, &n, &e), ERR_OK);
        assert_int_equal(n, i + 1);
        const struct store_layer_info *li = NULL;
        for (size_t k = 0; k < n; k++) {
            li = strcmp(infos[k].id, id) == 0 ? &infos[k] : li;
        }
        assert_non_null(li);
        assert_int_equal(li->feature_count, sizes[i]);
        assert_string_equal(li->geometry_type, "POINT");
        check_layer(li->table_name, sizes[i]);
        store_layer_infos_free(infos, n);
        store_close(st);
    }
}

static void reimport_replaces_the_table_and_bumps_the_version(void **state)
{
    (void)state;
    struct err e;
    assert_int_equal(write_points("a", "/data/a.geojson", 10, false, &e), ERR_OK);
    assert_int_equal(write_points("b", "/data/b.geojson", 5, false, &e), ERR_OK);
    assert_int_equal(write_points("a", "/data/a.geojson", 20, false, &e), ERR_OK);
    void *cache = NULL;
    sqlite3 *db = open_raw(&cache);
    assert_int_equal(query_int(db, "SELECT version FROM cityatlas_layers WHERE id='a'"), 3);
    assert_int_equal(query_int(db, "SELECT feature_count FROM cityatlas_layers WHERE id='a'"), 20);
    assert_int_equal(query_int(db, "SELECT count(*) FROM sqlite_master WHERE name='ly_a_v1'"), 0);
    assert_int_equal(query_int(db, "SELECT count(*) FROM sqlite_master WHERE name LIKE "
                                   "'idx_ly_a_v1%'"),
                     0);
    assert_int_equal(query_int(db, "SELECT count(*) FROM geometry_columns WHERE "
                                   "f_table_name='ly_a_v1'"),
                     0);
    assert_int_equal(query_int(db, "SELECT count(*) FROM ly_b_v2"), 5);
    close_raw(db, cache);
    check_layer("ly_a_v3", 20);
}

static void an_id_from_another_source_is_refused_unless_replacing(void **state)
{
    (void)state;
    struct err e;
    assert_int_equal(write_points("roads", "/data/roads.shp", 3, false, &e), ERR_OK);
    assert_int_equal(write_points("roads", "/other/roads.geojson", 4, false, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "/data/roads.shp"));
    assert_non_null(strstr(e.msg, "--replace"));
    assert_int_equal(write_points("roads", "/other/roads.geojson", 4, true, &e), ERR_OK);
}

static void a_rolled_back_import_leaves_no_trace(void **state)
{
    (void)state;
    struct err e;
    assert_int_equal(write_points("keep", "/data/keep.geojson", 7, false, &e), ERR_OK);
    struct store *st = NULL;
    assert_int_equal(store_open(db_path, STORE_READ_WRITE, &st, &e), ERR_OK);
    assert_int_equal(store_import_begin(st, &e), ERR_OK);
    struct store_layer_writer *w = NULL;
    assert_int_equal(store_layer_begin(st, "gone", "/x", NULL, false, fields, 2, true, &w, &e),
                     ERR_OK);
    unsigned char wkb[21];
    point_wkb(99.0, 18.8, wkb);
    struct store_value v[2] = {{.ptr = "x", .len = 1}, {.i = 1}};
    assert_int_equal(store_layer_add(w, v, wkb, sizeof(wkb), &e), ERR_OK);
    store_layer_writer_free(w);
    store_import_rollback(st);
    store_close(st);
    void *cache = NULL;
    sqlite3 *db = open_raw(&cache);
    assert_int_equal(query_int(db, "SELECT count(*) FROM cityatlas_layers"), 1);
    assert_int_equal(query_int(db, "SELECT count(*) FROM sqlite_master WHERE name LIKE "
                                   "'%gone%'"),
                     0);
    assert_int_equal(query_int(db, "SELECT value FROM cityatlas_meta WHERE key='last_version'"), 1);
    close_raw(db, cache);
}

static void tables_without_geometry_are_kept_as_tables(void **state)
{
    (void)state;
    struct err e;
    struct store *st = NULL;
    assert_int_equal(store_open(db_path, STORE_READ_WRITE, &st, &e), ERR_OK);
    assert_int_equal(store_import_begin(st, &e), ERR_OK);
    struct store_layer_writer *w = NULL;
    assert_int_equal(store_layer_begin(st, "pop", "/p.csv", NULL, false, fields, 2, false, &w, &e),
                     ERR_OK);
    struct store_value v[2] = {{.ptr = "เมืองเชียงใหม่", .len = strlen("เมืองเชียงใหม่")}, {.i = 223363}};
    assert_int_equal(store_layer_add(w, v, NULL, 0, &e), ERR_OK);
    struct store_layer_meta meta = {.id = "pop", .source_path = "/p.csv"};
    assert_int_equal(store_layer_finish(w, &meta, &e), ERR_OK);
    store_layer_writer_free(w);
    assert_int_equal(store_import_commit(st, &e), ERR_OK);
    store_close(st);
    void *cache = NULL;
    sqlite3 *db = open_raw(&cache);
    assert_int_equal(query_int(db, "SELECT n FROM ly_pop_v1"), 223363);
    assert_int_equal(query_int(db, "SELECT geometry_type IS NULL FROM cityatlas_layers"), 1);
    char *name = query_text(db, "SELECT name FROM ly_pop_v1");
    assert_string_equal(name, "เมืองเชียงใหม่");
    free(name);
    close_raw(db, cache);
}

static void read_only_open_refuses_missing_and_foreign_files(void **state)
{
    (void)state;
    struct store *st = NULL;
    struct err e;
    assert_int_equal(store_open(db_path, STORE_READ_ONLY, &st, &e), ERR_NOT_FOUND);
    assert_non_null(strstr(e.msg, "cityatlas import"));
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE other(x)", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(store_open(db_path, STORE_READ_ONLY, &st, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "not a cityatlas database"));
    assert_null(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(layers_of_any_size_get_a_valid_index, setup, teardown),
        cmocka_unit_test_setup_teardown(reimport_replaces_the_table_and_bumps_the_version, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(an_id_from_another_source_is_refused_unless_replacing,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(a_rolled_back_import_leaves_no_trace, setup, teardown),
        cmocka_unit_test_setup_teardown(tables_without_geometry_are_kept_as_tables, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(read_only_open_refuses_missing_and_foreign_files, setup,
                                        teardown),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    spatialite_shutdown();
    return rc;
}
