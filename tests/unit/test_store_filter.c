/* test_store_filter.c - store/store_filter.c and store_params.c: CQL2 trees compile to SQL
 * that SQLite + SpatiaLite run with CQL2's meaning (checked on a real table: LIKE case,
 * BETWEEN bounds, IN, NULLs under NOT, S_INTERSECTS), names and types are checked against
 * the layer, every value is a bound parameter, and the parameter list binds and keys. */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>
#include <spatialite.h>

#include "base/buf.h"
#include "base/err.h"
#include "cql2/cql2.h"
#include "store/store_sql.h"

#include "unit_support.c"

static sqlite3 *db;
static void *spatialite_cache;
static sqlite3_stmt *bbox_stmt; /* used by the test's ca_intersects_bbox */

static struct store_field_info place_fields[] = {
    {"name", STORE_TEXT, "String"},
    {"category", STORE_TEXT, "String"},
    {"population", STORE_INTEGER, "Integer"},
    {"area", STORE_REAL, "Real"},
    {"opened", STORE_TEXT, "Date"},
    {"updated", STORE_TEXT, "DateTime"},
    {"is_open", STORE_INTEGER, "Integer"},
    {"photo", STORE_BLOB, "Binary"},
    {"ชื่อ", STORE_TEXT, "String"},
    {"odd \"name\"", STORE_TEXT, "String"},
};

static const struct store_layer places = {
    .id = "places",
    .table_name = "places",
    .geometry_type = "GEOMETRY",
    .fields = place_fields,
    .n_fields = sizeof(place_fields) / sizeof(place_fields[0]),
};

static const char *const setup_sql[] = {
    "SELECT InitSpatialMetadata(1, 'WGS84')",
    "CREATE TABLE places (fid INTEGER PRIMARY KEY, geom BLOB, name TEXT, category TEXT,"
    " population INTEGER, area REAL, opened TEXT, updated TEXT, is_open INTEGER, photo BLOB,"
    " \"ชื่อ\" TEXT, \"odd \"\"name\"\"\" TEXT)",
    "INSERT INTO places VALUES (1, GeomFromText('POINT(98.98 18.79)', 4326), 'Wat Phra Singh',"
    " 'temple', 100, 1.5, '2020-01-15', '2024-03-01T08:00:00Z', 1, X'00', 'วัดพระสิงห์', 'a')",
    "INSERT INTO places VALUES (2, GeomFromText('POINT(98.99 18.80)', 4326), 'wat chedi luang',"
    " 'temple', 250, 2.25, '2021-06-30', '2024-03-01T09:30:00Z', 0, NULL, 'วัดเจดีย์หลวง', NULL)",
    "INSERT INTO places VALUES (3, GeomFromText('POINT(99.00 18.70)', 4326), 'Night Bazaar',"
    " 'market', NULL, 10.0, NULL, NULL, NULL, NULL, 'ไนท์บาซาร์', NULL)",
    "INSERT INTO places VALUES (4, NULL, 'Doi Suthep*', NULL, 0, NULL, '2019-12-31',"
    " '2023-12-31T23:59:59Z', 1, NULL, NULL, NULL)",
    "INSERT INTO places VALUES (5, GeomFromText('POLYGON((98.9 18.7, 99.1 18.7, 99.1 18.9,"
    " 98.9 18.9, 98.9 18.7))', 4326), 'Old [City]', 'district', 5000, 3.0, '2020-01-01',"
    " '2024-03-01T08:30:00Z', 1, NULL, 'เมืองเก่า', NULL)",
    "INSERT INTO places VALUES (6, GeomFromText('POINT(100.5 13.7)', 4326), '50% off_sale',"
    " 'shop', 1, 0.5, '2022-02-02', '2024-01-01T00:00:00Z', 0, NULL, 'ลดราคา', NULL)",
};

/* The store's ca_intersects_bbox is exact; MBR semantics give the same answers for the
 * points and the rectangle in this table. */
static void test_intersects_bbox(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    for (int i = 0; i < argc; i++) {
        sqlite3_bind_value(bbox_stmt, i + 1, argv[i]);
    }
    if (sqlite3_step(bbox_stmt) == SQLITE_ROW) {
        sqlite3_result_value(ctx, sqlite3_column_value(bbox_stmt, 0));
    } else {
        sqlite3_result_error(ctx, "MbrIntersects failed", -1);
    }
    sqlite3_reset(bbox_stmt);
}

static int group_setup(void **state)
{
    (void)state;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    spatialite_cache = spatialite_alloc_connection();
    spatialite_init_ex(db, spatialite_cache, 0);
    for (size_t i = 0; i < sizeof(setup_sql) / sizeof(setup_sql[0]); i++) {
        char *msg = NULL;
        if (sqlite3_exec(db, setup_sql[i], NULL, NULL, &msg) != SQLITE_OK) {
            fprintf(stderr, "setup: %s\n", msg);
            sqlite3_free(msg);
            return -1;
        }
    }
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT MbrIntersects(?1, BuildMbr(?2, ?3, ?4, ?5))",
                                        -1, &bbox_stmt, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_create_function_v2(db, "ca_intersects_bbox", 5, SQLITE_UTF8, NULL,
                                                test_intersects_bbox, NULL, NULL, NULL),
                     SQLITE_OK);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    sqlite3_finalize(bbox_stmt);
    sqlite3_close(db);
    spatialite_cleanup_ex(spatialite_cache);
    spatialite_shutdown();
    return 0;
}

static struct cql2_node *parse(const char *filter)
{
    struct cql2_node *tree = NULL;
    struct err e = {0};
    if (cql2_parse(filter, &tree, &e) != ERR_OK) {
        fail_msg("cql2_parse(\"%s\"): %s", filter, e.msg);
    }
    return tree;
}

/* Compiles filter against layer; returns the code and leaves the message in e. */
static int compile(const char *filter, const struct store_layer *layer, struct buf *sql,
                   struct store_params *params, struct err *e)
{
    struct cql2_node *tree = parse(filter);
    err_clear(e);
    int rc = store_filter_compile(tree, layer, "t", sql, params, e);
    cql2_free(tree);
    return rc;
}

/* Runs "SELECT fid ... WHERE <filter>" on the table; returns the fids as "1,2,5". A filter
 * that compiled must also prepare and run: SQLite failing is a test failure. */
static const char *run_sql(const char *filter, const struct buf *sql,
                           const struct store_params *params)
{
    static char fids[256];
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(db, sql->data, -1, &stmt, NULL) != SQLITE_OK) {
        fail_msg("%s: SQL %s does not prepare: %s", filter, sql->data, sqlite3_errmsg(db));
    }
    assert_int_equal(store_params_bind(params, stmt), SQLITE_OK);
    size_t len = 0;
    fids[0] = '\0';
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        len += (size_t)snprintf(fids + len, sizeof(fids) - len, "%s%lld", len > 0 ? "," : "",
                                (long long)sqlite3_column_int64(stmt, 0));
    }
    if (rc != SQLITE_DONE) {
        fail_msg("%s: SQL %s fails: %s", filter, sql->data, sqlite3_errmsg(db));
    }
    sqlite3_finalize(stmt);
    return fids;
}

static const char *run(const char *filter)
{
    struct buf sql;
    struct store_params params;
    struct err e;
    buf_init(&sql, 1 << 20);
    store_params_init(&params);
    assert_int_equal(buf_append_str(&sql, "SELECT fid FROM places AS t WHERE ", &e), ERR_OK);
    if (compile(filter, &places, &sql, &params, &e) != ERR_OK) {
        fail_msg("%s: %s", filter, e.msg);
    }
    assert_int_equal(buf_append_str(&sql, " ORDER BY fid", &e), ERR_OK);
    const char *fids = run_sql(filter, &sql, &params);
    buf_clear(&sql);
    store_params_clear(&params);
    return fids;
}

/* Expects compiling filter against layer to fail with ERR_INVALID; returns the message. */
static const char *compile_fails(const char *filter, const struct store_layer *layer)
{
    static struct err e;
    struct buf sql;
    struct store_params params;
    buf_init(&sql, 1 << 20);
    store_params_init(&params);
    int rc = compile(filter, layer, &sql, &params, &e);
    buf_clear(&sql);
    store_params_clear(&params);
    if (rc != ERR_INVALID) {
        fail_msg("%s: compiled with %d, expected ERR_INVALID", filter, rc);
    }
    assert_true(strncmp(e.msg, "filter: ", 8) == 0);
    return e.msg;
}

struct expectation {
    const char *filter, *fids;
};

static void check_all(const struct expectation *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *got = run(cases[i].filter);
        if (strcmp(got, cases[i].fids) != 0) {
            fail_msg("%s: got rows [%s], expected [%s]", cases[i].filter, got, cases[i].fids);
        }
    }
}

#define CHECK_ALL(cases) check_all(cases, sizeof(cases) / sizeof(cases[0]))

/* Semantics, on data */

static void comparisons_select_the_right_rows(void **state)
{
    (void)state;
    static const struct expectation cases[] = {
        {"name = 'Wat Phra Singh'", "1"},
        {"population > 100", "2,5"},
        {"population >= 100", "1,2,5"},
        {"population < 100", "4,6"},
        {"population <= 100", "1,4,6"},
        {"population <> 100", "2,4,5,6"},
        {"area = 1.5", "1"},
        {"area > 2", "2,3,5"},
        {"population > area", "1,2,5,6"},
        {"100 = population", "1"},
        {"name = name", "1,2,3,4,5,6"},
        {"ชื่อ = name", ""},
        {"ชื่อ = 'วัดเจดีย์หลวง'", "2"},
        {"\"odd \"\"name\"\"\" = 'a'", "1"},
        {"name = '''; DROP TABLE places; --'", ""},
    };
    CHECK_ALL(cases);
}

static void dates_timestamps_and_booleans_compare_as_stored(void **state)
{
    (void)state;
    static const struct expectation cases[] = {
        {"opened >= DATE('2020-01-01')", "1,2,5,6"},
        {"opened < DATE('2020-01-01')", "4"},
        {"opened BETWEEN DATE('2020-01-01') AND DATE('2020-12-31')", "1,5"},
        {"updated > TIMESTAMP('2024-03-01T08:30:00Z')", "2"},
        {"updated >= TIMESTAMP('2024-03-01T08:30:00Z')", "2,5"},
        {"is_open = TRUE", "1,4,5"},
        {"is_open = false", "2,6"},
        {"is_open <> TRUE", "2,6"},
    };
    CHECK_ALL(cases);
}

/* Times are instants, not text: a fraction of zeros, more or fewer digits, are the same
 * time as the stored "...00Z" (as text '...00.000Z' < '...00Z' and nothing would match). */
static void timestamps_compare_as_instants(void **state)
{
    (void)state;
    static const struct expectation cases[] = {
        {"updated = TIMESTAMP('2024-03-01T08:00:00.000Z')", "1"},
        {"updated = TIMESTAMP('2024-03-01T08:00:00.0Z')", "1"},
        {"updated <> TIMESTAMP('2024-03-01T08:00:00.000000000Z')", "2,4,5,6"},
        {"updated <= TIMESTAMP('2024-03-01T08:30:00.000Z')", "1,4,5,6"},
        {"updated BETWEEN TIMESTAMP('2024-03-01T08:00:00.000Z') AND "
         "TIMESTAMP('2024-03-01T08:30:00.000Z')",
         "1,5"},
        {"updated IN (TIMESTAMP('2024-03-01T09:30:00.00Z'), TIMESTAMP('2024-01-01T00:00:00.5Z'))",
         "2"},
        {"opened = DATE('2020-01-15')", "1"},
        {"opened < TIMESTAMP('2020-01-15T00:00:00.001Z')", "1,4,5"},
        /* A string against a time property, as GDAL and QGIS write it, is an instant too. */
        {"updated = '2024-03-01T08:00:00.000Z'", "1"},
        {"'2024-03-01T08:00:00.000Z' = updated", "1"},
        {"updated IN ('2024-03-01T08:00:00.0Z', '2024-01-01T00:00:00Z')", "1,6"},
        {"updated = 'not a time'", ""},
        {"name = 'Wat Phra Singh'", "1"},
    };
    CHECK_ALL(cases);
}

/* name=value on a Date or DateTime field (the query parameter) compares instants too. */
static void property_filter_on_a_time_field_compares_instants(void **state)
{
    (void)state;
    static const struct {
        long field;
        const char *value, *fids;
    } cases[] = {
        {5, "2024-03-01T08:00:00.000Z", "1"},
        {5, "2024-03-01T15:00:00+07:00", "1"},
        {5, "2024-03-01T08:00:00Z", "1"},
        {4, "2020-01-15", "1"},
        {5, "not a time", ""},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct cql2_node *node = NULL;
        struct err e = {0};
        assert_int_equal(store_property_filter(&places, cases[i].field, cases[i].value, &node, &e),
                         ERR_OK);
        struct buf sql;
        struct store_params params;
        buf_init(&sql, 1 << 20);
        store_params_init(&params);
        assert_int_equal(buf_append_str(&sql, "SELECT fid FROM places AS t WHERE ", &e), ERR_OK);
        assert_int_equal(store_filter_compile(node, &places, "t", &sql, &params, &e), ERR_OK);
        assert_int_equal(buf_append_str(&sql, " ORDER BY fid", &e), ERR_OK);
        assert_string_equal(run_sql(cases[i].value, &sql, &params), cases[i].fids);
        buf_clear(&sql);
        store_params_clear(&params);
        cql2_free(node);
    }
}

static void like_is_case_sensitive_with_cql2_wildcards(void **state)
{
    (void)state;
    static const struct expectation cases[] = {
        {"name LIKE 'Wat%'", "1"},
        {"name LIKE 'wat%'", "2"},
        {"name LIKE 'WAT%'", ""},
        {"name LIKE 'Wat Phra Sing_'", "1"},
        {"name LIKE 'Wat Phra Sing'", ""},
        {"name LIKE '%a%'", "1,2,3,6"},
        {"ชื่อ LIKE 'วัด%'", "1,2"},
        /* '_' is one character: ห and the mark ์ are two code points. */
        {"ชื่อ LIKE 'วัดพระสิง__'", "1"},
        {"ชื่อ LIKE 'วัดพระสิง_'", ""},
        {"category NOT LIKE 't%'", "3,5,6"},
        {"NOT category LIKE 't%'", "3,5,6"},
    };
    CHECK_ALL(cases);
}

static void like_escapes_and_glob_characters_are_literal(void **state)
{
    (void)state;
    static const struct expectation cases[] = {
        {"name LIKE 'Doi Suthep*'", "4"},
        {"name LIKE '%*'", "4"},
        {"name LIKE 'Doi Suthep?'", ""},
        {"name LIKE 'Doi Suthep_'", "4"},
        {"name LIKE 'Old [City]'", "5"},
        {"name LIKE 'Old [C%'", "5"},
        {"name LIKE 'Old [Ci]'", ""},
        {"name LIKE '50\\%%'", "6"},
        {"name LIKE '5\\%%'", ""},
        {"name LIKE '50\\% off\\_sale'", "6"},
        {"name LIKE '%\\_%'", "6"},
        {"name LIKE 'Wat Phra Singh\\\\'", ""},
        {"'a\\b' LIKE 'a\\\\b'", "1,2,3,4,5,6"},
    };
    CHECK_ALL(cases);
}

static void between_is_inclusive_and_in_matches_lists(void **state)
{
    (void)state;
    static const struct expectation cases[] = {
        {"population BETWEEN 100 AND 250", "1,2"},
        {"population NOT BETWEEN 100 AND 250", "4,5,6"},
        {"area BETWEEN 1.5 AND 3", "1,2,5"},
        {"population BETWEEN 250 AND 100", ""},
        {"category IN ('temple', 'shop')", "1,2,6"},
        {"category NOT IN ('temple', 'shop')", "3,5"},
        {"population IN (0, 5000)", "4,5"},
        {"population IN (1, 2.5)", "6"},
        {"ชื่อ IN ('เมืองเก่า')", "5"},
    };
    CHECK_ALL(cases);
}

static void nulls_follow_sql_three_valued_logic(void **state)
{
    (void)state;
    static const struct expectation cases[] = {
        {"population IS NULL", "3"},
        {"population IS NOT NULL", "1,2,4,5,6"},
        {"geometry IS NULL", "4"},
        {"photo IS NOT NULL", "1"},
        {"NOT (population = 100)", "2,4,5,6"},
        {"NOT (population <> 100)", "1"},
        {"NOT (category = 'temple' OR population > 1000)", "6"},
        {"NOT NOT (population = 100)", "1"},
        {"population = 100 OR population IS NULL", "1,3"},
    };
    CHECK_ALL(cases);
}

static void precedence_and_constants_hold_in_sql(void **state)
{
    (void)state;
    static const struct expectation cases[] = {
        {"category = 'temple' OR category = 'market' AND population > 1000", "1,2"},
        {"(category = 'temple' OR category = 'market') AND area >= 2.25", "2,3"},
        {"NOT category = 'temple' AND area > 1", "3,5"},
        {"TRUE", "1,2,3,4,5,6"},
        {"FALSE", ""},
        {"NOT TRUE", ""},
        {"1 = 1", "1,2,3,4,5,6"},
        {"'a' = 'b'", ""},
        {"TRUE = TRUE", "1,2,3,4,5,6"},
        {"2 BETWEEN 1 AND 3", "1,2,3,4,5,6"},
        {"DATE('2020-01-01') < DATE('2021-01-01')", "1,2,3,4,5,6"},
        {"'abc' LIKE 'a%'", "1,2,3,4,5,6"},
    };
    CHECK_ALL(cases);
    /* Unknown names fail even where the result would not depend on them. */
    assert_non_null(strstr(compile_fails("FALSE AND nope IS NULL", &places), "unknown property"));
}

static void s_intersects_tests_geometries_and_boxes(void **state)
{
    (void)state;
    static const struct expectation cases[] = {
        {"S_INTERSECTS(geometry, POLYGON((98.95 18.75, 99.05 18.75, 99.05 18.85, 98.95 18.85,"
         " 98.95 18.75)))",
         "1,2,5"},
        {"S_INTERSECTS(POLYGON((98.95 18.75, 99.05 18.75, 99.05 18.85, 98.95 18.85,"
         " 98.95 18.75)), geom)",
         "1,2,5"},
        /* Row 4 has no geometry: unknown, so NOT does not select it either. */
        {"NOT S_INTERSECTS(geometry, POLYGON((98.95 18.75, 99.05 18.75, 99.05 18.85,"
         " 98.95 18.85, 98.95 18.75)))",
         "3,6"},
        {"S_INTERSECTS(geometry, POINT(100.5 13.7))", "6"},
        {"S_INTERSECTS(geometry, MULTIPOINT((100.5 13.7), (0 0)))", "6"},
        {"S_INTERSECTS(geometry, GEOMETRYCOLLECTION(POINT(100.5 13.7),"
         " LINESTRING(98.98 18.79, 98.98 18.6)))",
         "1,5,6"},
        {"S_INTERSECTS(geometry, BBOX(98.97, 18.78, 98.985, 18.795))", "1,5"},
        {"S_INTERSECTS(BBOX(98.97, 18.78, 98.985, 18.795), geometry)", "1,5"},
        {"NOT S_INTERSECTS(geometry, BBOX(98.97, 18.78, 98.985, 18.795))", "2,3,6"},
        {"S_INTERSECTS(geometry, BBOX(98, 18, 100, 19)) AND category = 'temple'", "1,2"},
        {"S_INTERSECTS(geometry, BBOX(-180, -90, 180, 90))", "1,2,3,5,6"},
    };
    CHECK_ALL(cases);
}

/* SQL shape and parameters */

static void every_value_becomes_a_numbered_parameter(void **state)
{
    (void)state;
    struct buf sql;
    struct store_params params;
    struct err e;
    buf_init(&sql, 4096);
    store_params_init(&params);
    assert_int_equal(store_params_add_int(&params, 7), 1); /* the caller's own parameter */
    assert_int_equal(compile("name LIKE 'A*%' AND NOT area < 2.5", &places, &sql, &params, &e),
                     ERR_OK);
    assert_string_equal(sql.data, "((t.\"name\" GLOB ?2) AND (NOT (t.\"area\" < ?3)))");
    assert_int_equal(params.n, 3);
    assert_int_equal(params.items[1].type, STORE_PARAM_TEXT);
    assert_string_equal(params.items[1].text, "A[*]*");
    assert_int_equal(params.items[2].type, STORE_PARAM_REAL);
    assert_true(params.items[2].d == 2.5);
    buf_clear(&sql);
    store_params_clear(&params);

    assert_int_equal(compile("name = '''); DROP TABLE places; --'", &places, &sql, &params, &e),
                     ERR_OK);
    assert_string_equal(sql.data, "(t.\"name\" = ?1)");
    assert_string_equal(params.items[0].text, "'); DROP TABLE places; --");
    buf_clear(&sql);
    store_params_clear(&params);

    assert_int_equal(
        compile("S_INTERSECTS(geometry, BBOX(1, 2, 3, 4)) OR TRUE", &places, &sql, &params, &e),
        ERR_OK);
    assert_string_equal(sql.data, "((CASE WHEN t.geom IS NULL THEN NULL ELSE ca_intersects_bbox("
                                  "t.geom, ?1, ?2, ?3, ?4) = 1 END) OR (?5 = 1))");
    assert_int_equal(params.items[4].type, STORE_PARAM_INT);
    assert_int_equal(params.items[4].i, 1);
    buf_clear(&sql);
    store_params_clear(&params);

    assert_int_equal(
        compile("category IN ('a', 'b') AND population IS NOT NULL", &places, &sql, &params, &e),
        ERR_OK);
    assert_string_equal(sql.data,
                        "((t.\"category\" IN (?1, ?2)) AND (t.\"population\" IS NOT NULL))");
    buf_clear(&sql);
    store_params_clear(&params);
}

static void sql_over_its_cap_fails_cleanly(void **state)
{
    (void)state;
    struct buf sql;
    struct store_params params;
    struct err e;
    buf_init(&sql, 12);
    store_params_init(&params);
    assert_int_equal(compile("population = 1 AND name = 'x'", &places, &sql, &params, &e),
                     ERR_TOO_LARGE);
    buf_clear(&sql);
    store_params_clear(&params);
}

/* Schema checks */

static void unknown_properties_list_what_can_be_queried(void **state)
{
    (void)state;
    assert_string_equal(compile_fails("nmae = 'x'", &places),
                        "filter: unknown property 'nmae'; queryable properties: name, category, "
                        "population, area, opened, updated, is_open, photo, ชื่อ, odd \"name\"");
    assert_string_equal(compile_fails("Name = 'x'", &places),
                        "filter: unknown property 'Name'; did you mean 'name'? (names are "
                        "case-sensitive)");
    assert_non_null(strstr(compile_fails("ชื่อเล่น IS NULL", &places), "unknown property 'ชื่อเล่น'"));
    assert_non_null(strstr(compile_fails("category IN ('a', nope)", &places), "'nope'"));

    struct store_field_info many[25];
    char names[25][8];
    for (int i = 0; i < 25; i++) {
        snprintf(names[i], sizeof(names[i]), "f%02d", i);
        many[i] = (struct store_field_info){names[i], STORE_TEXT, "String"};
    }
    struct store_layer wide = {.id = "wide", .fields = many, .n_fields = 25};
    const char *msg = compile_fails("x = 1", &wide);
    assert_non_null(strstr(msg, "f00, f01,"));
    assert_non_null(strstr(msg, "f19, and 5 more"));
    assert_null(strstr(msg, "f20"));

    struct store_layer bare = {.id = "bare"};
    assert_string_equal(compile_fails("x = 1", &bare),
                        "filter: unknown property 'x'; layer 'bare' has no properties");
}

static void type_mismatches_name_the_property_and_types(void **state)
{
    (void)state;
    static const struct {
        const char *filter, *msg;
    } cases[] = {
        {"population = 'x'",
         "filter: property 'population' is a number and cannot be compared with a string"},
        {"'x' = population",
         "filter: property 'population' is a number and cannot be compared with a string"},
        {"name = 5", "filter: property 'name' is text and cannot be compared with a number"},
        {"name = population", "filter: property 'name' is text and cannot be compared with "
                              "property 'population', which is a number"},
        {"1 = 'a'", "filter: a number cannot be compared with a string"},
        {"TRUE = 1", "filter: a boolean cannot be compared with a number"},
        {"area = TRUE", "filter: property 'area' is a number and cannot be compared with a "
                        "boolean"},
        {"name = TRUE", "filter: property 'name' is text and cannot be compared with a boolean"},
        {"population < DATE('2020-01-01')",
         "filter: property 'population' is a number and cannot be compared with a date"},
        {"area > TIMESTAMP('2020-01-01T00:00:00Z')",
         "filter: property 'area' is a number and cannot be compared with a timestamp"},
        {"population BETWEEN 1 AND 'z'",
         "filter: property 'population' is a number and cannot be compared with a string"},
        {"category IN ('a', 1)",
         "filter: property 'category' is text and cannot be compared with a number"},
        {"photo = 'x'",
         "filter: property 'photo' is binary data and cannot be compared with a string"},
        {"population LIKE '1%'", "filter: LIKE needs text, but property 'population' is a number"},
        {"5 LIKE '5'", "filter: LIKE needs text, not a number"},
        {"geometry = 'x'", "filter: property 'geometry' is the geometry; use it in S_INTERSECTS"},
        {"S_INTERSECTS(name, POINT(1 2))", "filter: S_INTERSECTS needs the geometry, named "
                                           "'geometry'; property 'name' is not a geometry"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_string_equal(compile_fails(cases[i].filter, &places), cases[i].msg);
    }
    assert_non_null(
        strstr(compile_fails("S_INTERSECTS(shape, POINT(1 2))", &places), "unknown property"));
}

static void layers_without_geometry_refuse_spatial_filters(void **state)
{
    (void)state;
    struct store_layer table = places;
    table.id = "budget";
    table.geometry_type = NULL;
    assert_string_equal(compile_fails("S_INTERSECTS(geometry, BBOX(0, 0, 1, 1))", &table),
                        "filter: layer 'budget' has no geometry, so S_INTERSECTS cannot apply");
    assert_non_null(strstr(compile_fails("geometry IS NULL", &table), "unknown property"));
}

static void trees_from_query_parameters_compile(void **state)
{
    (void)state;
    struct cql2_operand temple = {.kind = CQL2_STRING, .text = "temple"};
    struct cql2_operand big = {
        .kind = CQL2_NUMBER, .is_integer = true, .integer = 250, .number = 250};
    struct cql2_node *tree =
        cql2_new_and(cql2_new_equals("category", &temple), cql2_new_equals("population", &big));
    struct buf sql;
    struct store_params params;
    struct err e;
    buf_init(&sql, 4096);
    store_params_init(&params);
    assert_int_equal(buf_append_str(&sql, "SELECT fid FROM places AS t WHERE ", &e), ERR_OK);
    assert_int_equal(store_filter_compile(tree, &places, "t", &sql, &params, &e), ERR_OK);
    assert_string_equal(run_sql("query parameters", &sql, &params), "2");
    cql2_free(tree);
    buf_clear(&sql);
    store_params_clear(&params);
}

/* Parameter lists and identifiers */

static void params_key_is_canonical_and_unambiguous(void **state)
{
    (void)state;
    struct store_params p;
    struct buf key;
    struct err e;
    store_params_init(&p);
    buf_init(&key, 1024);
    assert_int_equal(store_params_add_int(&p, 42), 1);
    assert_int_equal(store_params_add_real(&p, 1.5), 2);
    assert_int_equal(store_params_add_text(&p, "hello world", 5), 3);
    assert_int_equal(store_params_add_text(&p, "a|b", 3), 4);
    assert_int_equal(store_params_add_text(&p, "ถนน", strlen("ถนน")), 5);
    assert_int_equal(store_params_add_real(&p, 0.1), 6);
    assert_int_equal(store_params_append_key(&p, &key, &e), ERR_OK);
    assert_string_equal(key.data, "i:42|r:1.5|t:5:hello|t:3:a|b|t:9:ถนน|r:0.10000000000000001|");
    buf_clear(&key);
    store_params_clear(&p);

    /* A text holding "|t:1:x" must not read like two values. */
    struct store_params one, two;
    struct buf k1, k2;
    store_params_init(&one);
    store_params_init(&two);
    buf_init(&k1, 64);
    buf_init(&k2, 64);
    store_params_add_text(&one, "a|t:1:b", 7);
    store_params_add_text(&two, "a", 1);
    store_params_add_text(&two, "b", 1);
    assert_int_equal(store_params_append_key(&one, &k1, &e), ERR_OK);
    assert_int_equal(store_params_append_key(&two, &k2, &e), ERR_OK);
    assert_string_not_equal(k1.data, k2.data);
    buf_init(&key, 4);
    assert_int_equal(store_params_append_key(&one, &key, &e), ERR_TOO_LARGE);
    buf_clear(&key);
    buf_clear(&k1);
    buf_clear(&k2);
    store_params_clear(&one);
    store_params_clear(&two);
}

static void params_grow_and_bind_in_order(void **state)
{
    (void)state;
    struct store_params p;
    store_params_init(&p);
    for (int i = 0; i < 100; i++) {
        assert_int_equal(store_params_add_int(&p, i * 3), (size_t)i + 1);
    }
    assert_int_equal(store_params_add_real(&p, -2.5), 101);
    assert_int_equal(store_params_add_text(&p, "ไนท์บาซาร์!", strlen("ไนท์บาซาร์")), 102);
    sqlite3_stmt *stmt = NULL;
    /* More parameters than the statement has: SQLite's range error comes back. */
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT ?1", -1, &stmt, NULL), SQLITE_OK);
    assert_int_equal(store_params_bind(&p, stmt), SQLITE_RANGE);
    sqlite3_finalize(stmt);
    assert_int_equal(
        sqlite3_prepare_v2(db, "SELECT ?1, ?50, ?100, ?101, ?102, typeof(?101)", -1, &stmt, NULL),
        SQLITE_OK);
    assert_int_equal(store_params_bind(&p, stmt), SQLITE_OK);
    assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int64(stmt, 0), 0);
    assert_int_equal(sqlite3_column_int64(stmt, 1), 147);
    assert_int_equal(sqlite3_column_int64(stmt, 2), 297);
    assert_true(sqlite3_column_double(stmt, 3) == -2.5);
    assert_string_equal((const char *)sqlite3_column_text(stmt, 4), "ไนท์บาซาร์");
    assert_string_equal((const char *)sqlite3_column_text(stmt, 5), "real");
    sqlite3_finalize(stmt);
    store_params_clear(&p);
    assert_int_equal(p.n, 0);
    assert_null(p.items);
}

static void identifiers_are_quoted_with_doubled_quotes(void **state)
{
    (void)state;
    struct buf sql;
    struct err e;
    buf_init(&sql, 64);
    assert_int_equal(store_sql_append_ident(&sql, "name", &e), ERR_OK);
    assert_int_equal(store_sql_append_ident(&sql, "a\"b\"\"", &e), ERR_OK);
    assert_int_equal(store_sql_append_ident(&sql, "", &e), ERR_OK);
    assert_int_equal(store_sql_append_ident(&sql, "ชื่อ", &e), ERR_OK);
    assert_string_equal(sql.data, "\"name\"\"a\"\"b\"\"\"\"\"\"\"\"ชื่อ\"");
    buf_clear(&sql);
    buf_init(&sql, 5);
    assert_int_equal(store_sql_append_ident(&sql, "abcdef", &e), ERR_TOO_LARGE);
    buf_clear(&sql);
}

/* Fuzz: whatever parses and compiles must be SQL that SQLite prepares and runs. */

static uint64_t rng_state = 0x2545F4914F6CDD1Du;

static uint32_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 16);
}

#define PICK(array) (array)[rng() % (sizeof(array) / sizeof((array)[0]))]

static void random_predicate(char *out, size_t cap)
{
    static const char *const props[] = {
        "name",  "category", "population",           "area",    "opened", "is_open",
        "photo", "ชื่อ",       "\"odd \"\"name\"\"\"", "geometry"};
    static const char *const values[] = {"'Wat%'",
                                         "'x'",
                                         "'ไนท์%'",
                                         "1",
                                         "-2.5",
                                         "1e2",
                                         "TRUE",
                                         "FALSE",
                                         "DATE('2020-01-01')",
                                         "TIMESTAMP('2024-03-01T08:30:00Z')",
                                         "name",
                                         "population",
                                         "area",
                                         "'a\\_b\\%c*?['"};
    static const char *const ops[] = {"=", "<>", "<", "<=", ">", ">="};
    static const char *const geoms[] = {
        "BBOX(98, 18, 100, 19)", "POINT(100.5 13.7)", "POLYGON((98 18,100 18,100 19,98 18))",
        "LINESTRING(98.98 18.79, 98.98 18.6)", "MULTIPOINT(1 2, 3 4)"};
    switch (rng() % 7) {
    case 0:
        snprintf(out, cap, "%s %s %s", PICK(props), PICK(ops), PICK(values));
        break;
    case 1:
        snprintf(out, cap, "%s %sLIKE %s", PICK(props), rng() % 2 ? "NOT " : "", PICK(values));
        break;
    case 2:
        snprintf(out, cap, "%s %sBETWEEN %s AND %s", PICK(props), rng() % 2 ? "NOT " : "",
                 PICK(values), PICK(values));
        break;
    case 3:
        snprintf(out, cap, "%s %sIN (%s, %s)", PICK(props), rng() % 2 ? "NOT " : "", PICK(values),
                 PICK(values));
        break;
    case 4:
        snprintf(out, cap, "%s IS %sNULL", PICK(props), rng() % 2 ? "NOT " : "");
        break;
    case 5:
        snprintf(out, cap, "S_INTERSECTS(%s, %s)", rng() % 4 ? "geometry" : PICK(props),
                 PICK(geoms));
        break;
    default:
        snprintf(out, cap, "%s", PICK(values));
        break;
    }
}

static void random_filter(char *out, size_t cap, int depth)
{
    if (depth > 3 || rng() % 3 == 0) {
        random_predicate(out, cap);
        return;
    }
    char left[512], right[512];
    random_filter(left, sizeof(left), depth + 1);
    random_filter(right, sizeof(right), depth + 1);
    static const char *const joins[][3] = {
        {"", " AND ", ""}, {"", " OR ", ""}, {"NOT (", ") OR ", ""}, {"(", ") AND NOT (", ")"}};
    const char *const *j = joins[rng() % (sizeof(joins) / sizeof(joins[0]))];
    snprintf(out, cap, "%s%s%s%s%s", j[0], left, j[1], right, j[2]);
}

static void whatever_compiles_runs_in_sqlite(void **state)
{
    (void)state;
    size_t n_compiled = 0;
    for (int i = 0; i < 3000; i++) {
        char filter[2048];
        random_filter(filter, sizeof(filter), 0);
        struct cql2_node *tree = NULL;
        struct err e;
        if (cql2_parse(filter, &tree, &e) != ERR_OK) {
            continue; /* truncated by the buffer, or a value the parser refuses */
        }
        struct buf sql;
        struct store_params params;
        buf_init(&sql, 1 << 20);
        store_params_init(&params);
        assert_int_equal(buf_append_str(&sql, "SELECT fid FROM places AS t WHERE ", &e), ERR_OK);
        int rc = store_filter_compile(tree, &places, "t", &sql, &params, &e);
        if (rc == ERR_OK) {
            run_sql(filter, &sql, &params);
            n_compiled++;
        } else {
            assert_int_equal(rc, ERR_INVALID);
            assert_true(strncmp(e.msg, "filter: ", 8) == 0);
        }
        cql2_free(tree);
        buf_clear(&sql);
        store_params_clear(&params);
    }
    assert_true(n_compiled > 100);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(comparisons_select_the_right_rows),
        cmocka_unit_test(dates_timestamps_and_booleans_compare_as_stored),
        cmocka_unit_test(timestamps_compare_as_instants),
        cmocka_unit_test(property_filter_on_a_time_field_compares_instants),
        cmocka_unit_test(like_is_case_sensitive_with_cql2_wildcards),
        cmocka_unit_test(like_escapes_and_glob_characters_are_literal),
        cmocka_unit_test(between_is_inclusive_and_in_matches_lists),
        cmocka_unit_test(nulls_follow_sql_three_valued_logic),
        cmocka_unit_test(precedence_and_constants_hold_in_sql),
        cmocka_unit_test(s_intersects_tests_geometries_and_boxes),
        cmocka_unit_test(every_value_becomes_a_numbered_parameter),
        cmocka_unit_test(sql_over_its_cap_fails_cleanly),
        cmocka_unit_test(unknown_properties_list_what_can_be_queried),
        cmocka_unit_test(type_mismatches_name_the_property_and_types),
        cmocka_unit_test(layers_without_geometry_refuse_spatial_filters),
        cmocka_unit_test(trees_from_query_parameters_compile),
        cmocka_unit_test(params_key_is_canonical_and_unambiguous),
        cmocka_unit_test(params_grow_and_bind_in_order),
        cmocka_unit_test(identifiers_are_quoted_with_doubled_quotes),
        cmocka_unit_test(whatever_compiles_runs_in_sqlite),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
