/* test_featured.c - featured statistics from catalog to server: `cityatlas import --catalog`
 * stores the catalog's list in the import's transaction and the read side serves it in
 * catalog order with Thai text intact; a re-import with another list changes the list and
 * the registry generation; an import of one dataset (--id), of plain files, or one that
 * fails leaves the stored list alone; a database made before the table existed reads as
 * an empty list and takes a new import; the store refuses definitions the server could
 * not read, and a damaged row is left out and is a database error naming its id. */
#include "unit.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "cli/cli.h"
#include "store/store.h"
#include "store/store_read.h"

#include "unit_fixtures.h"
#include "unit_support.c"

static const char *in_dir(const char *name)
{
    static char path[300];
    snprintf(path, sizeof(path), "%s/%s", unit_dir, name);
    return path;
}

static void write_file(const char *name, const char *text)
{
    FILE *f = fopen(in_dir(name), "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* Two tiny layers (EPSG:4326 lon/lat) and catalogs over them */

static void write_sources(void)
{
    write_file("pts.geojson", "{\"type\":\"FeatureCollection\",\"features\":["
                              "{\"type\":\"Feature\",\"properties\":{\"name\":\"โรงพยาบาล\"},"
                              "\"geometry\":{\"type\":\"Point\",\"coordinates\":[98.98,18.79]}},"
                              "{\"type\":\"Feature\",\"properties\":{\"name\":\"วัด\"},"
                              "\"geometry\":{\"type\":\"Point\",\"coordinates\":[98.99,18.78]}}]}");
    write_file("areas.geojson",
               "{\"type\":\"FeatureCollection\",\"features\":["
               "{\"type\":\"Feature\",\"properties\":{\"code\":5001},"
               "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
               "[[[98.9,18.7],[99.1,18.7],[99.1,18.9],[98.9,18.9],[98.9,18.7]]]}}]}");
}

#define CATALOG_HEAD                                                                               \
    "{\"format\":\"cityatlas-catalog/1\",\"city\":{\"id\":\"cm\",\"title\":{\"en\":\"CM\"}},"      \
    "\"datasets\":["                                                                               \
    "{\"id\":\"pts\",\"title\":{\"en\":\"Points\"},\"theme\":\"health\",\"source\":\"s\","         \
    "\"license\":\"ODbL-1.0\",\"attribution\":\"x\",\"path\":\"pts.geojson\"},"                    \
    "{\"id\":\"areas\",\"title\":{\"en\":\"Areas\"},\"theme\":\"boundaries\",\"source\":\"s\","    \
    "\"license\":\"ODbL-1.0\",\"attribution\":\"x\",\"path\":\"%s\"}]"

#define TITLE_NEAR_TH "ระยะทางถึงโรงพยาบาลที่ใกล้ที่สุด"
#define QUESTION_NEAR_TH "บ้านแต่ละตำบลอยู่ไกลโรงพยาบาลแค่ไหน?"
#define NOTE_NEAR_TH "วัดเป็นเส้นตรง ไม่ใช่ระยะทางตามถนน"
#define FILTER_TH "name = 'โรงพยาบาล'"

static const char statistics_a[] =
    ",\"statistics\":["
    "{\"id\":\"hospital-distance\","
    "\"title\":{\"th\":\"" TITLE_NEAR_TH "\",\"en\":\"Distance to the nearest hospital\"},"
    "\"question\":{\"th\":\"" QUESTION_NEAR_TH "\",\"en\":\"How far is a hospital?\"},"
    "\"note\":{\"th\":\"" NOTE_NEAR_TH "\",\"en\":\"Straight-line distance\"},"
    "\"query\":{\"layer\":\"pts\",\"filter\":\"code = 50\",\"by\":\"areas\","
    "\"metric\":\"nearest\",\"to\":\"pts\",\"to-filter\":\"" FILTER_TH "\",\"beyond\":10,"
    "\"share\":0.5,\"exact\":true}},"
    "{\"id\":\"points-per-area\","
    "\"title\":{\"th\":\"จุดต่อพื้นที่\",\"en\":\"Points per area\"},"
    "\"question\":{\"th\":\"ที่ไหนมีจุดมากที่สุด?\",\"en\":\"Where are most points?\"},"
    "\"query\":{\"layer\":\"pts\",\"by\":\"areas\",\"metric\":\"count\"}}]}";

static const char statistics_b[] = ",\"statistics\":["
                                   "{\"id\":\"area-count\","
                                   "\"title\":{\"th\":\"จำนวนพื้นที่\",\"en\":\"Areas\"},"
                                   "\"question\":{\"th\":\"มีกี่พื้นที่?\",\"en\":\"How many areas?\"},"
                                   "\"query\":{\"layer\":\"areas\",\"metric\":\"count\"}}]}";

/* Writes name as a catalog whose "areas" dataset reads areas_file, with statistics
 * (a string starting with ",\"statistics\":..." and closing the object, or "}"). */
static void write_catalog(const char *name, const char *areas_file, const char *statistics)
{
    char head[2048];
    snprintf(head, sizeof(head), CATALOG_HEAD, areas_file);
    size_t len = strlen(head) + strlen(statistics) + 1;
    char *text = malloc(len);
    assert_non_null(text);
    snprintf(text, len, "%s%s", head, statistics);
    write_file(name, text);
    free(text);
}

/* Runs `cityatlas import --db DB --quiet ARGS...` (args NULL-terminated, at most 6) as
 * the command line does; returns its exit code. */
static int run_import(const char *const *args)
{
    char *argv[12] = {"import", "--db", unit_db, "--quiet"};
    int argc = 4;
    for (size_t i = 0; args[i] != NULL && argc < 10; i++) {
        argv[argc++] = (char *)args[i];
    }
    argv[argc] = NULL;
    return cmd_import(argc, argv);
}

static void import_catalog(const char *name)
{
    char path[300];
    snprintf(path, sizeof(path), "%s", in_dir(name));
    int code = run_import((const char *[]){"--catalog", path, NULL});
    if (code != CLI_EXIT_OK) {
        fail_msg("import --catalog %s exited with %d", name, code);
    }
}

/* Reading back through the server's API */

/* The ids of the snapshot's featured statistics joined with ',', and its generation. */
static void snapshot(struct store_pool *pool, char *ids, size_t cap, int64_t *generation)
{
    struct store_read *rd = NULL;
    struct err e;
    MUST(store_read_begin(pool, &rd, &e), &e);
    size_t n = 0;
    const struct store_featured *list = store_read_featured(rd, &n);
    ids[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(ids);
        snprintf(ids + len, cap - len, "%s%s", i > 0 ? "," : "", list[i].id);
        assert_ptr_equal(store_read_featured_find(rd, list[i].id), &list[i]);
    }
    *generation = store_read_catalog(rd)->generation;
    store_read_end(rd);
}

static void expect_ids(const char *want, int64_t *generation)
{
    struct store_pool *pool = NULL;
    struct err e;
    MUST(store_pool_open(unit_db, 2, &pool, &e), &e);
    char ids[512];
    int64_t g = 0;
    snapshot(pool, ids, sizeof(ids), &g);
    assert_string_equal(ids, want);
    if (generation != NULL) {
        *generation = g;
    }
    store_pool_close(pool);
}

static void expect_param(const struct store_featured *f, size_t i, const char *name,
                         const char *value)
{
    assert_true(i < f->n_params);
    assert_string_equal(f->params[i].name, name);
    assert_string_equal(f->params[i].value, value);
}

static void raw_sql(const char *sql)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(unit_db, &db), SQLITE_OK);
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        fail_msg("%s: %s", sql, msg);
    }
    sqlite3_close(db);
}

/* The tests */

static void catalog_import_stores_featured_statistics_in_catalog_order(void **state)
{
    (void)state;
    write_sources();
    write_catalog("catalog.json", "areas.geojson", statistics_a);
    import_catalog("catalog.json");
    struct store_pool *pool = NULL;
    struct store_read *rd = NULL;
    struct err e;
    MUST(store_pool_open(unit_db, 2, &pool, &e), &e);
    MUST(store_read_begin(pool, &rd, &e), &e);
    size_t n = 0;
    const struct store_featured *list = store_read_featured(rd, &n);
    assert_int_equal(n, 2);
    const struct store_featured *f = &list[0];
    assert_string_equal(f->id, "hospital-distance");
    assert_string_equal(f->title_th, TITLE_NEAR_TH);
    assert_string_equal(f->title_en, "Distance to the nearest hospital");
    assert_string_equal(f->question_th, QUESTION_NEAR_TH);
    assert_string_equal(f->question_en, "How far is a hospital?");
    assert_string_equal(f->note_th, NOTE_NEAR_TH);
    assert_string_equal(f->note_en, "Straight-line distance");
    assert_int_equal(f->n_params, 9);
    expect_param(f, 0, "layer", "pts");
    expect_param(f, 1, "filter", "code = 50");
    expect_param(f, 2, "by", "areas");
    expect_param(f, 3, "metric", "nearest");
    expect_param(f, 4, "to", "pts");
    expect_param(f, 5, "to-filter", FILTER_TH);
    expect_param(f, 6, "beyond", "10");
    expect_param(f, 7, "share", "0.5");
    expect_param(f, 8, "exact", "true");
    assert_string_equal(list[1].id, "points-per-area");
    assert_null(list[1].note_en);
    assert_null(list[1].note_th);
    assert_int_equal(list[1].n_params, 3);
    expect_param(&list[1], 2, "metric", "count");
    assert_ptr_equal(store_read_featured_find(rd, "points-per-area"), &list[1]);
    assert_null(store_read_featured_find(rd, "no-such-statistic"));
    assert_non_null(store_read_layer(rd, "areas"));
    store_read_end(rd);
    store_pool_close(pool);
}

static void reimport_with_other_statistics_changes_list_and_generation(void **state)
{
    (void)state;
    write_sources();
    write_catalog("catalog.json", "areas.geojson", statistics_a);
    write_catalog("other.json", "areas.geojson", statistics_b);
    import_catalog("catalog.json");
    /* One pool across the re-import, as a running server has. */
    struct store_pool *pool = NULL;
    struct err e;
    MUST(store_pool_open(unit_db, 2, &pool, &e), &e);
    char ids[512];
    int64_t before = 0, after = 0;
    snapshot(pool, ids, sizeof(ids), &before);
    assert_string_equal(ids, "hospital-distance,points-per-area");
    import_catalog("other.json");
    snapshot(pool, ids, sizeof(ids), &after);
    assert_string_equal(ids, "area-count");
    assert_true(after > before);
    /* A catalog without statistics empties the list. */
    write_catalog("other.json", "areas.geojson", "}");
    import_catalog("other.json");
    snapshot(pool, ids, sizeof(ids), &before);
    assert_string_equal(ids, "");
    assert_true(before > after);
    store_pool_close(pool);
}

static void import_of_one_dataset_or_of_files_keeps_featured(void **state)
{
    (void)state;
    write_sources();
    write_catalog("catalog.json", "areas.geojson", statistics_a);
    write_catalog("other.json", "areas.geojson", statistics_b);
    import_catalog("catalog.json");
    char path[300];
    snprintf(path, sizeof(path), "%s", in_dir("other.json"));
    assert_int_equal(run_import((const char *[]){"--catalog", path, "--id", "areas", NULL}),
                     CLI_EXIT_OK);
    expect_ids("hospital-distance,points-per-area", NULL);
    snprintf(path, sizeof(path), "%s", in_dir("pts.geojson"));
    assert_int_equal(run_import((const char *[]){"--id", "pts", path, NULL}), CLI_EXIT_OK);
    expect_ids("hospital-distance,points-per-area", NULL);
}

static void failed_import_keeps_featured(void **state)
{
    (void)state;
    write_sources();
    write_catalog("catalog.json", "areas.geojson", statistics_a);
    import_catalog("catalog.json");
    int64_t before = 0, after = 0;
    expect_ids("hospital-distance,points-per-area", &before);
    /* The areas' source is not a vector file: the layer fails after the points went in. */
    write_file("broken.geojson", "this is not GeoJSON");
    write_catalog("broken.json", "broken.geojson", statistics_b);
    char path[300];
    snprintf(path, sizeof(path), "%s", in_dir("broken.json"));
    assert_int_equal(run_import((const char *[]){"--catalog", path, NULL}), CLI_EXIT_INPUT);
    expect_ids("hospital-distance,points-per-area", &after);
    assert_int_equal(after, before);
    /* A catalog whose statistics name an unknown dataset fails before anything is read. */
    write_catalog("bad.json", "areas.geojson",
                  ",\"statistics\":[{\"id\":\"x\",\"title\":{\"th\":\"ก\",\"en\":\"X\"},"
                  "\"question\":{\"th\":\"ก\",\"en\":\"X?\"},\"query\":{\"layer\":\"roads\"}}]}");
    snprintf(path, sizeof(path), "%s", in_dir("bad.json"));
    assert_int_equal(run_import((const char *[]){"--catalog", path, NULL}), CLI_EXIT_INPUT);
    expect_ids("hospital-distance,points-per-area", &after);
    assert_int_equal(after, before);
}

static void database_without_the_table_reads_as_empty_and_takes_an_import(void **state)
{
    (void)state;
    write_sources();
    write_catalog("catalog.json", "areas.geojson", statistics_a);
    import_catalog("catalog.json");
    /* What a database made before featured statistics existed looks like. */
    raw_sql("DROP TABLE cityatlas_featured");
    int64_t before = 0, after = 0;
    expect_ids("", &before);
    struct store *st = NULL;
    struct err e;
    MUST(store_open(unit_db, STORE_READ_ONLY, &st, &e), &e);
    size_t count = 99;
    MUST(store_featured_count(st, &count, &e), &e);
    assert_int_equal(count, 0);
    store_close(st);
    import_catalog("catalog.json");
    expect_ids("hospital-distance,points-per-area", &after);
    assert_true(after > before);
}

/* The store's write API, without layers */

static int replace(const struct store_featured_def *defs, size_t n, struct err *e)
{
    struct store *st = NULL;
    MUST(store_open(unit_db, STORE_READ_WRITE, &st, e), e);
    MUST(store_import_begin(st, e), e);
    int rc = store_featured_replace(st, defs, n, e);
    if (rc == ERR_OK) {
        MUST(store_import_commit(st, e), e);
    }
    store_close(st);
    return rc;
}

#define DEF(id, query)                                                                             \
    "{\"id\":\"" id "\",\"title\":{\"en\":\"T\",\"th\":\"ท\"},"                                  \
    "\"question\":{\"en\":\"Q\",\"th\":\"ค\"},\"query\":" query "}"

static void replacing_the_list_alone_moves_the_generation_once(void **state)
{
    (void)state;
    struct err e;
    const struct store_featured_def one[] = {{"a", DEF("a", "{\"layer\":\"x\"}")}};
    MUST(replace(one, 1, &e), &e);
    int64_t g1 = 0, g2 = 0, g3 = 0;
    expect_ids("a", &g1);
    /* The same list again: nothing changes, caches stay valid. */
    MUST(replace(one, 1, &e), &e);
    expect_ids("a", &g2);
    assert_int_equal(g2, g1);
    const struct store_featured_def two[] = {{"b", DEF("b", "{\"layer\":\"y\",\"n\":\"2.5\"}")},
                                             {"a", DEF("a", "{\"layer\":\"x\"}")}};
    MUST(replace(two, 2, &e), &e);
    expect_ids("b,a", &g3);
    assert_true(g3 > g2);
    MUST(replace(two, 1, &e), &e);
    expect_ids("b", &g2);
    assert_true(g2 > g3);
}

static void store_refuses_definitions_the_server_could_not_read(void **state)
{
    (void)state;
    struct err e;
    const struct store_featured_def good[] = {{"a", DEF("a", "{\"layer\":\"x\"}")}};
    MUST(replace(good, 1, &e), &e);
    const struct store_featured_def bad[][1] = {
        {{"b", "not json"}},
        {{"b", DEF("other-id", "{\"layer\":\"x\"}")}},
        {{"b", "{\"id\":\"b\",\"title\":{\"en\":\"T\"},\"question\":{\"en\":\"Q\",\"th\":\"ค\"},"
               "\"query\":{}}"}},
        {{"b", DEF("b", "{\"layer\":null}")}},
        {{"b", DEF("b", "[1]")}},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(replace(bad[i], 1, &e), ERR_INVALID);
        assert_non_null(strstr(e.msg, "'b'"));
    }
    const struct store_featured_def twice[] = {good[0], good[0]};
    assert_int_equal(replace(twice, 2, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "'a'"));
    expect_ids("a", NULL);
}

static void damaged_stored_definition_is_a_database_error_naming_it(void **state)
{
    (void)state;
    struct err e;
    const struct store_featured_def good[] = {{"a", DEF("a", "{\"layer\":\"x\"}")},
                                              {"b", DEF("b", "{\"layer\":\"x\"}")}};
    MUST(replace(good, 2, &e), &e);
    raw_sql("UPDATE cityatlas_featured SET definition = '{\"id\":\"a\"' WHERE id = 'a'");
    struct store_pool *pool = NULL;
    MUST(store_pool_open(unit_db, 2, &pool, &e), &e);
    /* The damaged one is left out and named; the other one still serves. */
    struct store_read *rd = NULL;
    MUST(store_read_begin(pool, &rd, &e), &e);
    assert_null(store_read_featured_find(rd, "a"));
    assert_non_null(store_read_featured_find(rd, "b"));
    assert_int_equal(store_read_check_damaged(rd, "a", true, &e), ERR_DB);
    assert_non_null(strstr(e.msg, "'a'"));
    assert_int_equal(store_read_check_damaged(rd, "a", false, &e), ERR_OK);
    assert_int_equal(store_read_check_damaged(rd, "b", true, &e), ERR_OK);
    store_read_end(rd);
    store_pool_close(pool);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(catalog_import_stores_featured_statistics_in_catalog_order,
                                        unit_temp_db_setup, unit_temp_db_teardown),
        cmocka_unit_test_setup_teardown(reimport_with_other_statistics_changes_list_and_generation,
                                        unit_temp_db_setup, unit_temp_db_teardown),
        cmocka_unit_test_setup_teardown(import_of_one_dataset_or_of_files_keeps_featured,
                                        unit_temp_db_setup, unit_temp_db_teardown),
        cmocka_unit_test_setup_teardown(failed_import_keeps_featured, unit_temp_db_setup,
                                        unit_temp_db_teardown),
        cmocka_unit_test_setup_teardown(
            database_without_the_table_reads_as_empty_and_takes_an_import, unit_temp_db_setup,
            unit_temp_db_teardown),
        cmocka_unit_test_setup_teardown(replacing_the_list_alone_moves_the_generation_once,
                                        unit_temp_db_setup, unit_temp_db_teardown),
        cmocka_unit_test_setup_teardown(store_refuses_definitions_the_server_could_not_read,
                                        unit_temp_db_setup, unit_temp_db_teardown),
        cmocka_unit_test_setup_teardown(damaged_stored_definition_is_a_database_error_naming_it,
                                        unit_temp_db_setup, unit_temp_db_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
