/* test_catalog.c - config/catalog: the bundled catalog loads; mistakes are named with
 * the file and the JSON path. */
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

static int load(const char *json, struct err *e)
{
    const char *dir = unit_temp_dir();
    const char *data = write_data_file(dir);
    const char *path = write_catalog(dir, json);
    struct catalog *cat = NULL;
    int rc = catalog_load(path, &cat, e);
    catalog_free(cat);
    unlink(path);
    unlink(data);
    rmdir(dir);
    return rc;
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
        cmocka_unit_test(bad_values_are_named),
        cmocka_unit_test(paths_outside_the_catalog_folder_are_refused),
        cmocka_unit_test(missing_catalog_file_is_not_found),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
