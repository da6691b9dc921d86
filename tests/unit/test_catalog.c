/* test_catalog.c - config/catalog: the bundled catalog loads; mistakes are named with
 * the file and the JSON path; featured statistics keep their query in order, numbers as
 * their shortest text, and may only name datasets of the catalog. */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/catalog.h"

#include "unit_support.c"

static const char *write_catalog(const char *dir, const char *json)
{
    static char path[256];
    snprintf(path, sizeof(path), "%s/catalog.json", dir);
    FILE *f = fopen(path, "w");
    fputs(json, f);
    fclose(f);
    return path;
}

static const char *write_data_file(const char *dir)
{
    static char path[256];
    snprintf(path, sizeof(path), "%s/a.geojson", dir);
    FILE *f = fopen(path, "w");
    fputs("{\"type\":\"FeatureCollection\",\"features\":[]}", f);
    fclose(f);
    return path;
}

#define HEAD                                                                                       \
    "{\"format\":\"cityatlas-catalog/1\",\"city\":{\"id\":\"cm\",\"title\":{\"en\":\"CM\"}},"
#define DATASET(extra)                                                                             \
    "{\"id\":\"a\",\"title\":{\"en\":\"A\",\"th\":\"ก\"},\"theme\":\"health\",\"source\":\"s\"," \
    "\"license\":\"ODbL-1.0\",\"attribution\":\"x\",\"path\":\"a.geojson\"" extra "}"

/* Loads json and keeps the catalog (NULL on failure) for the caller to free. */
static int load_keep(const char *json, struct catalog **cat, struct err *e)
{
    const char *dir = unit_temp_dir();
    const char *data = write_data_file(dir);
    const char *path = write_catalog(dir, json);
    int rc = catalog_load(path, cat, e);
    unlink(path);
    unlink(data);
    rmdir(dir);
    return rc;
}

static int load(const char *json, struct err *e)
{
    struct catalog *cat = NULL;
    int rc = load_keep(json, &cat, e);
    catalog_free(cat);
    return rc;
}

#define DATASET_B                                                                                  \
    "{\"id\":\"b\",\"title\":{\"en\":\"B\"},\"theme\":\"boundaries\",\"source\":\"s\","            \
    "\"license\":\"ODbL-1.0\",\"attribution\":\"x\",\"path\":\"a.geojson\"}"
#define WITH_STATS(stats)                                                                          \
    HEAD "\"datasets\":[" DATASET("") "," DATASET_B "],\"statistics\":[" stats "]}"
/* A valid statistic whose members can be swapped out one at a time. */
#define STAT_PARTS(id, title, extra, query)                                                        \
    "{\"id\":" id ",\"title\":" title ",\"question\":{\"th\":\"ที่ไหน\",\"en\":\"Where?\"}" extra    \
    ",\"query\":" query "}"
#define TITLE_OK "{\"th\":\"ระยะทาง\",\"en\":\"Distance\"}"
#define QUERY_OK "{\"layer\":\"a\",\"by\":\"b\"}"
#define STAT_WITH_QUERY(query) STAT_PARTS("\"s1\"", TITLE_OK, "", query)

static void statistics_keep_query_order_and_number_text(void **state)
{
    (void)state;
    struct catalog *cat = NULL;
    struct err e;
    const char *json = WITH_STATS(
        STAT_PARTS("\"near\"", TITLE_OK, ",\"note\":{\"th\":\"หมายเหตุ\",\"en\":\"Note\"}",
                   "{\"layer\":\"a\",\"filter\":\"province_code = 50\",\"by\":\"b\","
                   "\"metric\":\"nearest\",\"to\":\"a\",\"beyond\":10,\"share\":0.5,"
                   "\"tiny\":1e-7,\"big\":1.5E+300,\"tenth\":0.1,\"exact\":true,"
                   "\"raw\":false}") "," STAT_PARTS("\"plain\"", TITLE_OK, "",
                                                    "{\"layer\":\"b\",\"population-from\":\"a\"}"));
    int rc = load_keep(json, &cat, &e);
    if (rc != ERR_OK) {
        fail_msg("%s", e.msg);
    }
    assert_int_equal(cat->n_statistics, 2);
    const struct catalog_statistic *s = &cat->statistics[0];
    assert_string_equal(s->id, "near");
    assert_string_equal(s->title_th, "ระยะทาง");
    assert_string_equal(s->title_en, "Distance");
    assert_string_equal(s->question_th, "ที่ไหน");
    assert_string_equal(s->note_th, "หมายเหตุ");
    assert_string_equal(s->note_en, "Note");
    const char *want[][2] = {{"layer", "a"},     {"filter", "province_code = 50"},
                             {"by", "b"},        {"metric", "nearest"},
                             {"to", "a"},        {"beyond", "10"},
                             {"share", "0.5"},   {"tiny", "1e-7"},
                             {"big", "1.5e300"}, {"tenth", "0.1"},
                             {"exact", "true"},  {"raw", "false"}};
    assert_int_equal(s->n_params, sizeof(want) / sizeof(want[0]));
    for (size_t i = 0; i < s->n_params; i++) {
        assert_string_equal(s->params[i].name, want[i][0]);
        assert_string_equal(s->params[i].value, want[i][1]);
    }
    assert_non_null(strstr(s->json, "\"query\":{\"layer\":\"a\",\"filter\":\"province_code = 50\","
                                    "\"by\":\"b\",\"metric\":\"nearest\""));
    assert_non_null(strstr(s->json, "\"id\":\"near\""));
    assert_null(cat->statistics[1].note_en);
    assert_null(cat->statistics[1].note_th);
    assert_string_equal(cat->statistics[1].params[1].value, "a");
    catalog_free(cat);
}

static void catalog_without_statistics_has_none(void **state)
{
    (void)state;
    struct catalog *cat = NULL;
    struct err e;
    int rc = load_keep(HEAD "\"datasets\":[" DATASET("") "]}", &cat, &e);
    if (rc != ERR_OK) {
        fail_msg("%s", e.msg);
    }
    assert_int_equal(cat->n_statistics, 0);
    catalog_free(cat);
}

/* The catalog fails with code, and the message holds each of the texts. */
static void expect_failure(const char *json, int code, const char *text1, const char *text2)
{
    struct err e;
    struct catalog *cat = NULL;
    int rc = load_keep(json, &cat, &e);
    assert_null(cat);
    if (rc != code || strstr(e.msg, text1) == NULL ||
        (text2 != NULL && strstr(e.msg, text2) == NULL)) {
        fail_msg("expected code %d naming '%s' and '%s'; got %d: %s", code, text1,
                 text2 != NULL ? text2 : "", rc, e.msg);
    }
    assert_non_null(strstr(e.msg, "catalog.json"));
}

static void malformed_statistics_are_named_with_their_path(void **state)
{
    (void)state;
    expect_failure(WITH_STATS(STAT_PARTS("\"s1\"", "{\"th\":\"ก\"}", "", QUERY_OK)), ERR_INVALID,
                   "statistics[0].title.en", NULL);
    expect_failure(WITH_STATS(STAT_PARTS("\"s1\"", "{\"en\":\"A\"}", "", QUERY_OK)), ERR_INVALID,
                   "statistics[0].title.th", NULL);
    expect_failure(WITH_STATS(STAT_PARTS("\"s1\"", TITLE_OK, ",\"note\":{\"en\":\"N\"}", QUERY_OK)),
                   ERR_INVALID, "statistics[0].note.th", NULL);
    expect_failure(WITH_STATS(STAT_PARTS("\"s1\"", TITLE_OK, ",\"sumary\":\"x\"", QUERY_OK)),
                   ERR_INVALID, "statistics[0]", "sumary");
    expect_failure(WITH_STATS(STAT_PARTS("\"Bad Id\"", TITLE_OK, "", QUERY_OK)), ERR_INVALID,
                   "statistics[0].id", "Bad Id");
    expect_failure(WITH_STATS(STAT_WITH_QUERY(QUERY_OK) "," STAT_WITH_QUERY(QUERY_OK)), ERR_INVALID,
                   "statistics[1].id", "repeats");
    expect_failure(WITH_STATS("{\"id\":\"s1\",\"title\":" TITLE_OK
                              ",\"question\":{\"th\":\"ก\",\"en\":\"Q\"}}"),
                   ERR_INVALID, "statistics[0].query", "required");
    expect_failure(HEAD "\"datasets\":[" DATASET("") "],\"statistics\":{}}", ERR_INVALID,
                   "statistics must be an array", NULL);
    expect_failure(WITH_STATS("\"s1\""), ERR_INVALID, "statistics[0]", "object");
}

static void query_values_must_be_strings_numbers_or_booleans(void **state)
{
    (void)state;
    const char *bad_values[] = {"{\"x\":1}", "[1,2]", "null"};
    for (size_t i = 0; i < sizeof(bad_values) / sizeof(bad_values[0]); i++) {
        char json[1024];
        snprintf(json, sizeof(json), WITH_STATS(STAT_WITH_QUERY("{\"layer\":\"a\",\"filter\":%s}")),
                 bad_values[i]);
        expect_failure(json, ERR_INVALID, "statistics[0].query.filter", NULL);
    }
    expect_failure(WITH_STATS(STAT_WITH_QUERY("{\"layer\":\"a\",\"filter\":\"\"}")), ERR_INVALID,
                   "statistics[0].query.filter", "empty");
    expect_failure(WITH_STATS(STAT_WITH_QUERY("{}")), ERR_INVALID, "statistics[0].query",
                   "non-empty");
    static char json[2 * CATALOG_PARAM_VALUE_MAX];
    char value[CATALOG_PARAM_VALUE_MAX + 2];
    memset(value, 'x', sizeof(value) - 1);
    value[sizeof(value) - 1] = '\0';
    snprintf(json, sizeof(json), WITH_STATS(STAT_WITH_QUERY("{\"layer\":\"a\",\"filter\":\"%s\"}")),
             value);
    expect_failure(json, ERR_TOO_LARGE, "statistics[0].query.filter", "4000");
    value[CATALOG_PARAM_VALUE_MAX] = '\0';
    snprintf(json, sizeof(json), WITH_STATS(STAT_WITH_QUERY("{\"layer\":\"a\",\"filter\":\"%s\"}")),
             value);
    struct catalog *cat = NULL;
    struct err e;
    if (load_keep(json, &cat, &e) != ERR_OK) {
        fail_msg("a value of exactly %d bytes: %s", CATALOG_PARAM_VALUE_MAX, e.msg);
    }
    assert_int_equal(strlen(cat->statistics[0].params[1].value), CATALOG_PARAM_VALUE_MAX);
    catalog_free(cat);
}

static void query_layers_must_be_datasets_of_the_catalog(void **state)
{
    (void)state;
    expect_failure(WITH_STATS(STAT_WITH_QUERY("{\"layer\":\"nope\"}")), ERR_INVALID,
                   "statistics[0].query.layer", "'nope'");
    expect_failure(WITH_STATS(STAT_WITH_QUERY("{\"layer\":\"a\",\"by\":\"districts\"}")),
                   ERR_INVALID, "statistics[0].query.by", "'districts'");
    expect_failure(WITH_STATS(STAT_WITH_QUERY("{\"layer\":\"a\",\"to\":\"hospitals\"}")),
                   ERR_INVALID, "statistics[0].query.to", "'hospitals'");
    expect_failure(WITH_STATS(STAT_WITH_QUERY("{\"layer\":\"a\",\"population-from\":\"pop\"}")),
                   ERR_INVALID, "statistics[0].query.population-from", "'pop'");
    expect_failure(WITH_STATS(STAT_WITH_QUERY(QUERY_OK) "," STAT_PARTS(
                       "\"s2\"", TITLE_OK, "", "{\"layer\":\"b\",\"to\":5}")),
                   ERR_INVALID, "statistics[1].query.to", "'5'");
}

static void query_parameter_names_are_checked(void **state)
{
    (void)state;
    const char *bad_names[] = {"Layer", "1st", "by filter",
                               "_x",    "",    "a23456789012345678901234567890123456789012"};
    for (size_t i = 0; i < sizeof(bad_names) / sizeof(bad_names[0]); i++) {
        char json[1024];
        snprintf(json, sizeof(json), WITH_STATS(STAT_WITH_QUERY("{\"layer\":\"a\",\"%s\":\"x\"}")),
                 bad_names[i]);
        expect_failure(json, ERR_INVALID, "statistics[0].query", "parameter name");
    }
    struct catalog *cat = NULL;
    struct err e;
    /* 40 characters, digits, '_' and '-' are fine. */
    const char *ok = WITH_STATS(STAT_WITH_QUERY(
        "{\"layer\":\"a\",\"a2345678901234567890123456789012345678_-\":\"x\",\"per_1k\":1}"));
    if (load_keep(ok, &cat, &e) != ERR_OK) {
        fail_msg("%s", e.msg);
    }
    catalog_free(cat);
}

static void bundled_catalog_loads_with_titles_and_hints(void **state)
{
    (void)state;
    struct catalog *cat = NULL;
    struct err e;
    int rc = catalog_load(unit_repo_path("datasets/catalog.json"), &cat, &e);
    if (rc != ERR_OK) {
        fail_msg("%s", e.msg);
    }
    assert_true(cat->n_datasets >= 10);
    /* The profile names the example scenarios, resolved inside the catalog's folder, and
     * keeps that path out of what the server is given. */
    assert_non_null(cat->city_scenarios);
    assert_non_null(strstr(cat->city_scenarios, "datasets/scenarios.json"));
    assert_null(strstr(cat->city_json, "scenarios"));
    int found = 0;
    for (size_t i = 0; i < cat->n_datasets; i++) {
        const struct catalog_dataset *d = &cat->datasets[i];
        assert_true(catalog_is_theme(d->theme));
        assert_non_null(d->license);
        assert_non_null(d->attribution);
        assert_non_null(d->title_th);
        if (strcmp(d->id, "cm-districts") == 0) {
            found = 1;
            assert_string_equal(d->hints.name_column, "ADM2_TH");
            assert_non_null(strstr(d->path, "/datasets/boundaries/chiangmai_districts.geojson"));
        }
    }
    assert_true(found);
    catalog_free(cat);
}

static void minimal_catalog_loads(void **state)
{
    (void)state;
    struct err e;
    int rc = load(HEAD "\"datasets\":[" DATASET(",\"import\":{\"encoding\":\"CP874\"}") "]}", &e);
    if (rc != ERR_OK) {
        fail_msg("%s", e.msg);
    }
}

static void unknown_keys_are_reported_with_their_path(void **state)
{
    (void)state;
    struct err e;
    assert_int_equal(load(HEAD "\"datasets\":[" DATASET(",\"licence\":\"x\"") "]}", &e),
                     ERR_INVALID);
    assert_non_null(strstr(e.msg, "datasets[0]"));
    assert_non_null(strstr(e.msg, "licence"));
    assert_int_equal(load(HEAD "\"datasets\":[" DATASET(",\"import\":{\"srs\":\"x\"}") "]}", &e),
                     ERR_INVALID);
    assert_non_null(strstr(e.msg, "datasets[0].import"));
}

#define CITY(members)                                                                              \
    "{\"format\":\"cityatlas-catalog/1\",\"city\":{\"id\":\"hy\",\"title\":{\"en\":\"Hat "         \
    "Yai\"}" members "},\"datasets\":[" DATASET("") "]}"

/* The city profile: every mistake named with its JSON path; a full profile is kept as
 * compact JSON for the import to store. */
static void city_profile_is_checked_with_its_path(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {CITY(",\"colour\":1"), "city: unknown key 'colour'"},
        {CITY(",\"home\":{\"lon\":100.5,\"lat\":7}"), "city.home.zoom is required"},
        {CITY(",\"home\":{\"lon\":200,\"lat\":7,\"zoom\":3}"), "city.home.lon must be a number"},
        {CITY(",\"extent\":[101,6,100,7]"), "city.extent must be [min_lon"},
        {CITY(",\"extent\":{\"layer\":\"b\"}"), "city.extent.layer 'b' is not the id of a dataset"},
        {CITY(",\"extent\":{\"layer\":\"a\",\"margin\":9}"), "city.extent.margin must be a number"},
        {CITY(",\"boundaries\":[{\"layer\":\"a\",\"label\":{\"en\":\"x\"}}]"),
         "city.boundaries[0].name_field is required"},
        {CITY(",\"gazetteer\":[{\"layer\":\"a\",\"name_field\":\"n\",\"label\":{\"en\":\"x\"},"
              "\"icon\":1}]"),
         "city.gazetteer[0]: unknown key 'icon'"},
        {CITY(",\"boundaries\":[{\"layer\":\"a\",\"name_field\":\"n\",\"label\":{\"en\":\"x\"},"
              "\"population\":{\"from\":\"zz\",\"join\":\"k\",\"field\":\"p\"}}]"),
         "city.boundaries[0].population.from 'zz' is not the id"},
        {CITY(",\"boundaries\":[{\"layer\":\"a\",\"name_field\":\"n\",\"label\":{\"en\":\"x\"},"
              "\"population\":{\"from\":\"a\",\"join\":\"k\"}}]"),
         "city.boundaries[0].population.field is required"},
        {CITY(",\"boundaries\":[{\"layer\":\"a\",\"name_field\":\"n\",\"label\":{\"en\":\"x\"},"
              "\"population\":\"a\"}]"),
         "city.boundaries[0].population must be {"},
        {CITY(",\"default_layers\":[\"a\",\"zz\"]"), "city.default_layers[1] 'zz' is not the id"},
        {CITY(",\"branding\":{\"name\":{\"en\":\"x\"},\"url\":\"ftp://x\"}"),
         "city.branding.url must start with"},
        {CITY(",\"scenarios\":\"..\""), "city.scenarios"},
    };
    struct err e;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        if (load(cases[i][0], &e) != ERR_INVALID || strstr(e.msg, cases[i][1]) == NULL) {
            fail_msg("case %zu: '%s', want '%s'", i, e.msg, cases[i][1]);
        }
    }
    struct catalog *cat = NULL;
    assert_int_equal(load_keep(CITY(",\"home\":{\"lon\":100.47,\"lat\":7.0,\"zoom\":13},"
                                    "\"extent\":{\"layer\":\"a\",\"margin\":0.05},"
                                    "\"default_layers\":[\"a\"],"
                                    "\"boundaries\":[{\"layer\":\"a\",\"name_field\":\"n\","
                                    "\"label\":{\"en\":\"x\"},\"population\":{\"from\":\"a\","
                                    "\"join\":\"k:j\",\"field\":\"p\"}}]"),
                               &cat, &e),
                     ERR_OK);
    assert_string_equal(cat->city_title_en, "Hat Yai");
    assert_null(cat->city_scenarios);
    assert_non_null(strstr(cat->city_json, "\"extent\":{\"layer\":\"a\",\"margin\":0.05}"));
    assert_non_null(strstr(cat->city_json, "\"population\":{\"from\":\"a\",\"join\":\"k:j\""));
    catalog_free(cat);
}

static void bad_values_are_named(void **state)
{
    (void)state;
    struct err e;
    const char *bad_theme = HEAD "\"datasets\":[{\"id\":\"a\",\"title\":{\"en\":\"A\"},"
                                 "\"theme\":\"sport\",\"source\":\"s\",\"license\":\"l\","
                                 "\"attribution\":\"x\",\"path\":\"a.geojson\"}]}";
    assert_int_equal(load(bad_theme, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "datasets[0].theme"));
    const char *bad_id = HEAD "\"datasets\":[{\"id\":\"Bad Id\",\"title\":{\"en\":\"A\"},"
                              "\"theme\":\"health\",\"source\":\"s\",\"license\":\"l\","
                              "\"attribution\":\"x\",\"path\":\"a.geojson\"}]}";
    assert_int_equal(load(bad_id, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "datasets[0].id"));
    assert_int_equal(load(HEAD "\"datasets\":[" DATASET("") "," DATASET("") "]}", &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "repeats"));
    assert_int_equal(load(HEAD "\"datasets\":[]}", &e), ERR_INVALID);
    assert_int_equal(load("{\"format\":\"other\"}", &e), ERR_INVALID);
    assert_int_equal(load("{not json", &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, ":1:"));
}

static void paths_outside_the_catalog_folder_are_refused(void **state)
{
    (void)state;
    struct err e;
    const char *escape = HEAD "\"datasets\":[{\"id\":\"a\",\"title\":{\"en\":\"A\"},"
                              "\"theme\":\"health\",\"source\":\"s\",\"license\":\"l\","
                              "\"attribution\":\"x\",\"path\":\"../../etc/passwd\"}]}";
    assert_int_equal(load(escape, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "outside"));
    const char *missing = HEAD "\"datasets\":[{\"id\":\"a\",\"title\":{\"en\":\"A\"},"
                               "\"theme\":\"health\",\"source\":\"s\",\"license\":\"l\","
                               "\"attribution\":\"x\",\"path\":\"nope.shp\"}]}";
    assert_int_equal(load(missing, &e), ERR_NOT_FOUND);
    assert_non_null(strstr(e.msg, "nope.shp"));
}

static void missing_catalog_file_is_not_found(void **state)
{
    (void)state;
    struct catalog *cat = NULL;
    struct err e;
    assert_int_equal(catalog_load("/nonexistent/catalog.json", &cat, &e), ERR_NOT_FOUND);
    assert_null(cat);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bundled_catalog_loads_with_titles_and_hints),
        cmocka_unit_test(minimal_catalog_loads),
        cmocka_unit_test(unknown_keys_are_reported_with_their_path),
        cmocka_unit_test(city_profile_is_checked_with_its_path),
        cmocka_unit_test(bad_values_are_named),
        cmocka_unit_test(paths_outside_the_catalog_folder_are_refused),
        cmocka_unit_test(missing_catalog_file_is_not_found),
        cmocka_unit_test(statistics_keep_query_order_and_number_text),
        cmocka_unit_test(catalog_without_statistics_has_none),
        cmocka_unit_test(malformed_statistics_are_named_with_their_path),
        cmocka_unit_test(query_values_must_be_strings_numbers_or_booleans),
        cmocka_unit_test(query_layers_must_be_datasets_of_the_catalog),
        cmocka_unit_test(query_parameter_names_are_checked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
