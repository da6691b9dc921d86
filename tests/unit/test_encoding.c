/* test_encoding.c - import/encoding: Thai TIS-620/CP874 bytes are told apart from UTF-8
 * and Latin-1, and declared encodings are left to GDAL. */
#include "unit.h"

#include <string.h>

#include <gdal.h>

#include "import/encoding.h"
#include "import/shapefile.h"
#include "import/text_recode.h"
#include "import/translit.h"

#include <cpl_vsi.h>

#include "unit_support.c"

/* ศรีภูมิ and เมืองเชียงใหม่ in CP874 (tests/data/README.md lists the bytes). */
static const char si_phum_cp874[] = "\xc8\xc3\xd5\xc0\xd9\xc1\xd4";
static const char mueang_cp874[] = "\xe0\xc1\xd7\xcd\xa7\xe0\xaa\xd5\xc2\xa7\xe3\xcb\xc1\xe8";

static void utf8_text_is_recognised(void **state)
{
    (void)state;
    const char *samples[] = {"ศรีภูมิ", "Si Phum", "ถนนสุเทพ"};
    int guess = 1;
    assert_string_equal(encoding_classify(samples, 3, &guess), "UTF-8");
    assert_int_equal(guess, 0);
}

static void thai_single_byte_text_is_cp874(void **state)
{
    (void)state;
    const char *samples[] = {si_phum_cp874, mueang_cp874, "ROAD 1"};
    int guess = 1;
    assert_string_equal(encoding_classify(samples, 3, &guess), "CP874");
    assert_int_equal(guess, 0);
}

static void latin_text_falls_back_with_a_warning(void **state)
{
    (void)state;
    const char *samples[] = {"Caf\xe9", "Stra\xdf"
                                        "e"};
    int guess = 0;
    assert_string_equal(encoding_classify(samples, 2, &guess), "ISO-8859-1");
    assert_int_equal(guess, 1);
}

static void shapefile_without_cpg_is_detected_from_its_bytes(void **state)
{
    (void)state;
    const char *shp =
        unit_repo_path("tests/data/tambon_mueang_32647_cp874_nocpg/tambon_mueang.shp");
    struct shapefile_info info;
    struct err e;
    assert_int_equal(shapefile_inspect(shp, "fixture", &info, &e), ERR_OK);
    assert_int_equal(info.has_cpg, 0);
    assert_int_equal(info.language_driver, 0);
    assert_int_equal(info.n_shapes, 16);
    assert_int_equal(info.n_records, 16);
    struct encoding_choice c;
    assert_int_equal(encoding_for_shapefile(shp, &info, NULL, &c, &e), ERR_OK);
    assert_string_equal(c.name, "CP874");
    assert_int_equal(c.origin, ENCODING_DETECTED);
}

static void user_encoding_wins_and_is_checked(void **state)
{
    (void)state;
    struct shapefile_info info = {0};
    struct encoding_choice c;
    struct err e;
    assert_int_equal(encoding_for_shapefile("x.shp", &info, "TIS-620", &c, &e), ERR_OK);
    assert_string_equal(c.name, "TIS-620");
    assert_int_equal(c.origin, ENCODING_FROM_USER);
    assert_int_equal(encoding_for_shapefile("x.shp", &info, "KLINGON-9", &c, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "KLINGON-9"));
}

static void mismatched_dbf_is_refused_before_reading(void **state)
{
    (void)state;
    struct shapefile_info info;
    struct err e;
    const char *shp = unit_repo_path("tests/data/broken/dbf_count_mismatch/tambon_dbfmis.shp");
    assert_int_equal(shapefile_inspect(shp, "tambon_dbfmis.shp", &info, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "10 records"));
    assert_non_null(strstr(e.msg, "16 shapes"));
    shp = unit_repo_path("tests/data/broken/truncated/tambon_trunc.shp");
    assert_int_equal(shapefile_inspect(shp, "tambon_trunc.shp", &info, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "truncated"));
}

static void thai_names_are_romanised_and_ascii_kept(void **state)
{
    (void)state;
    char out[64];
    assert_true(translit_to_ascii("โรงพยาบาล", out, sizeof(out)));
    assert_string_equal(out, "rong phyabal");
    assert_true(translit_to_ascii("ถนน 2566", out, sizeof(out)));
    assert_string_equal(out, "thnn 2566");
    assert_true(translit_to_ascii("Roads 2566", out, sizeof(out)));
    assert_string_equal(out, "Roads 2566");
    assert_true(translit_to_ascii("โรงพยาบาล", out, 5)); /* cut, still terminated */
    assert_int_equal(strlen(out), 4);
}

/* A CP874 CSV whose Thai text starts only in its last slice is still detected, and the
 * copy GDAL reads is UTF-8. */
static void csv_encoding_is_detected_through_the_file(void **state)
{
    (void)state;
    size_t ascii = 400000, len = ascii + 64;
    char *text = malloc(len + 1);
    for (size_t i = 0; i < ascii; i++) {
        text[i] = i % 20 == 19 ? '\n' : 'a';
    }
    snprintf(text + ascii, len + 1 - ascii, "%s,%s\n", si_phum_cp874, mueang_cp874);
    VSILFILE *f = VSIFileFromMemBuffer("/vsimem/t.csv", (GByte *)text, strlen(text), FALSE);
    VSIFCloseL(f);
    struct text_recode t;
    struct err e;
    assert_int_equal(text_recode_prepare("/vsimem/t.csv", "t.csv", NULL, &t, &e), ERR_OK);
    assert_string_equal(t.enc.name, "CP874");
    assert_non_null(t.mem_path);
    vsi_l_offset n = 0;
    GByte *copy = VSIGetMemFileBuffer(t.mem_path, &n, FALSE);
    assert_non_null(strstr((const char *)copy + ascii, "ศรีภูมิ,เมืองเชียงใหม่"));
    text_recode_clear(&t);
    assert_int_equal(text_recode_prepare("/vsimem/t.csv", "t.csv", "UTF-8", &t, &e), ERR_OK);
    assert_null(t.mem_path);
    text_recode_clear(&t);
    VSIUnlink("/vsimem/t.csv");
    free(text);
}

int main(void)
{
    GDALAllRegister();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(utf8_text_is_recognised),
        cmocka_unit_test(thai_single_byte_text_is_cp874),
        cmocka_unit_test(latin_text_falls_back_with_a_warning),
        cmocka_unit_test(shapefile_without_cpg_is_detected_from_its_bytes),
        cmocka_unit_test(user_encoding_wins_and_is_checked),
        cmocka_unit_test(mismatched_dbf_is_refused_before_reading),
        cmocka_unit_test(thai_names_are_romanised_and_ascii_kept),
        cmocka_unit_test(csv_encoding_is_detected_through_the_file),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    GDALDestroyDriverManager();
    return rc;
}
