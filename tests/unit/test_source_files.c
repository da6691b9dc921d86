/* test_source_files.c - import/source_files: what a named file, folder or zip expands to. */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gdal.h>

#include "import/source_files.h"

#include "unit_support.c"

static void touch(const char *dir, const char *name)
{
    char p[512];
    snprintf(p, sizeof(p), "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    fputs("x", f);
    fclose(f);
}

static void folders_expand_to_sorted_vector_files_only(void **state)
{
    (void)state;
    const char *dir = unit_temp_dir();
    char sub[300];
    snprintf(sub, sizeof(sub), "%s/sub", dir);
    mkdir(sub, 0700);
    const char *names[] = {"zeta.geojson",    "alpha.shp", "alpha.dbf",
                           "alpha.shx",       "alpha.prj", "mid.GPKG",
                           ".hidden.geojson", "notes.txt", "sub/beta.kml"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        touch(dir, names[i]);
    }
    struct source_files sf;
    struct err e;
    assert_int_equal(source_files_expand(dir, &sf, &e), ERR_OK);
    assert_int_equal(sf.is_container, 1);
    assert_int_equal(sf.n, 4);
    const char *expected[] = {"alpha", "mid", "sub/beta", "zeta"};
    for (size_t i = 0; i < sf.n; i++) {
        const char *rel = sf.files[i].display_path + strlen(dir) + 1;
        assert_true(strncmp(rel, expected[i], strlen(expected[i])) == 0);
    }
    assert_string_equal(sf.files[0].stem, "alpha");
    source_files_clear(&sf);
    char cmd[400];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

static void a_folder_without_vector_files_is_refused(void **state)
{
    (void)state;
    const char *dir = unit_temp_dir();
    touch(dir, "readme.txt");
    struct source_files sf;
    struct err e;
    assert_int_equal(source_files_expand(dir, &sf, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "no vector data"));
    char p[300];
    snprintf(p, sizeof(p), "%s/readme.txt", dir);
    unlink(p);
    rmdir(dir);
}

static void a_missing_path_is_not_found(void **state)
{
    (void)state;
    struct source_files sf;
    struct err e;
    assert_int_equal(source_files_expand("/nonexistent/roads.shp", &sf, &e), ERR_NOT_FOUND);
    assert_non_null(strstr(e.msg, "/nonexistent/roads.shp"));
}

static void a_zip_lists_its_shapefile_through_vsizip(void **state)
{
    (void)state;
    const char *zip = unit_repo_path("tests/data/researcher/cm_tambon_indian1975_utm47n_cp874.zip");
    struct source_files sf;
    struct err e;
    assert_int_equal(source_files_expand(zip, &sf, &e), ERR_OK);
    assert_int_equal(sf.n, 1);
    assert_true(strncmp(sf.files[0].gdal_path, "/vsizip/", 8) == 0);
    assert_non_null(strstr(sf.files[0].gdal_path, "cm_tambon_indian1975_utm47n.shp"));
    assert_string_equal(sf.named_stem, "cm_tambon_indian1975_utm47n_cp874");
    source_files_clear(&sf);
}

static void a_corrupt_zip_is_refused(void **state)
{
    (void)state;
    const char *dir = unit_temp_dir();
    char p[300];
    snprintf(p, sizeof(p), "%s/fake.zip", dir);
    FILE *f = fopen(p, "w");
    fputs("PK\x03\x04 this is not really a zip archive", f);
    fclose(f);
    struct source_files sf;
    struct err e;
    assert_int_equal(source_files_expand(p, &sf, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "zip"));
    unlink(p);
    rmdir(dir);
}

int main(void)
{
    GDALAllRegister();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(folders_expand_to_sorted_vector_files_only),
        cmocka_unit_test(a_folder_without_vector_files_is_refused),
        cmocka_unit_test(a_missing_path_is_not_found),
        cmocka_unit_test(a_zip_lists_its_shapefile_through_vsizip),
        cmocka_unit_test(a_corrupt_zip_is_refused),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    GDALDestroyDriverManager();
    return rc;
}
