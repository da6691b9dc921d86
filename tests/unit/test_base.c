/* test_base.c - base/: strict parsing, slugs, the capped buffer, errors and paths. */
#include "unit.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/parse.h"
#include "base/path.h"
#include "base/utf8.h"

#include "unit_support.c"

static void parse_int64_accepts_whole_numbers_in_range(void **state)
{
    (void)state;
    struct err e;
    int64_t v = 0;
    assert_int_equal(parse_int64("42", 0, 100, "limit", &v, &e), ERR_OK);
    assert_int_equal(v, 42);
    assert_int_equal(parse_int64("-7", -10, 10, "x", &v, &e), ERR_OK);
    assert_int_equal(v, -7);
}

static void parse_int64_rejects_junk_and_range(void **state)
{
    (void)state;
    struct err e;
    int64_t v = 0;
    assert_int_equal(parse_int64("12abc", 0, 100, "limit", &v, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "limit"));
    assert_int_equal(parse_int64("", 0, 100, "limit", &v, &e), ERR_INVALID);
    assert_int_equal(parse_int64(" 5", 0, 100, "limit", &v, &e), ERR_INVALID);
    assert_int_equal(parse_int64("101", 0, 100, "limit", &v, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "out of range"));
    assert_int_equal(parse_int64("99999999999999999999", 0, INT64_MAX, "n", &v, &e), ERR_INVALID);
}

static void parse_double_rejects_inf_nan_and_hex(void **state)
{
    (void)state;
    struct err e;
    double d = 0;
    assert_int_equal(parse_double("18.788585", "lat", &d, &e), ERR_OK);
    assert_true(d > 18.788584 && d < 18.788586);
    assert_int_equal(parse_double("nan", "lat", &d, &e), ERR_INVALID);
    assert_int_equal(parse_double("inf", "lat", &d, &e), ERR_INVALID);
    assert_int_equal(parse_double("0x10", "lat", &d, &e), ERR_INVALID);
    assert_int_equal(parse_double("1e999", "lat", &d, &e), ERR_INVALID);
}

static void slugs_are_url_safe(void **state)
{
    (void)state;
    assert_true(parse_is_slug("cm-districts"));
    assert_true(parse_is_slug("a1"));
    assert_false(parse_is_slug("-lead"));
    assert_false(parse_is_slug("Upper"));
    assert_false(parse_is_slug("under_score"));
    assert_false(parse_is_slug("../x"));
    assert_false(parse_is_slug(""));
    char long_id[100];
    memset(long_id, 'a', 64);
    long_id[64] = '\0';
    assert_false(parse_is_slug(long_id));
}

static void make_slug_folds_names_and_refuses_thai_only(void **state)
{
    (void)state;
    char out[64];
    assert_true(parse_make_slug("Mueang_CM Roads (UTM47N).shp", out, sizeof(out)));
    assert_string_equal(out, "mueang-cm-roads-utm47n-shp");
    assert_false(parse_make_slug("ถนน", out, sizeof(out)));
    assert_true(parse_make_slug("ถนน 2", out, sizeof(out)));
    assert_string_equal(out, "2");
}

static void buf_refuses_to_grow_past_its_cap(void **state)
{
    (void)state;
    struct buf b;
    struct err e;
    buf_init(&b, 10);
    assert_int_equal(buf_append_str(&b, "hello", &e), ERR_OK);
    assert_int_equal(buf_printf(&b, &e, "%d", 1234), ERR_OK);
    assert_string_equal(b.data, "hello1234");
    assert_int_equal(buf_append_str(&b, "xx", &e), ERR_TOO_LARGE);
    assert_string_equal(b.data, "hello1234");
    char *taken = buf_take(&b);
    assert_string_equal(taken, "hello1234");
    assert_int_equal(b.len, 0);
    free(taken);
    buf_clear(&b);
}

static void err_prefix_keeps_code_and_caps_length(void **state)
{
    (void)state;
    struct err e;
    err_set(&e, ERR_NOT_FOUND, "no layer '%s'", "x");
    assert_int_equal(err_prefix(&e, "file %s", "a.gpkg"), ERR_NOT_FOUND);
    assert_string_equal(e.msg, "file a.gpkg: no layer 'x'");
    char big[2000];
    memset(big, 'p', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    err_prefix(&e, "%s", big);
    assert_int_equal(strlen(e.msg), ERR_MSG_CAP - 1);
}

static void paths_split_into_folder_stem_and_extension(void **state)
{
    (void)state;
    char *d = path_dirname("a/b/roads.shp");
    char *s = path_stem("a/b/Roads.SHP");
    char ext[8];
    assert_string_equal(d, "a/b");
    assert_string_equal(s, "Roads");
    assert_string_equal(path_extension("a/b/Roads.SHP", ext, sizeof(ext)), "shp");
    assert_string_equal(path_extension("noext", ext, sizeof(ext)), "");
    free(d);
    free(s);
}

static void resolve_within_refuses_escapes(void **state)
{
    (void)state;
    const char *dir = unit_temp_dir();
    char inner[256], outside[256], link[256];
    snprintf(inner, sizeof(inner), "%s/in", dir);
    mkdir(inner, 0700);
    snprintf(outside, sizeof(outside), "%s/secret.txt", dir);
    FILE *f = fopen(outside, "w");
    fputs("x", f);
    fclose(f);
    snprintf(link, sizeof(link), "%s/in/link.txt", dir);
    assert_int_equal(symlink(outside, link), 0);
    char *out = NULL;
    struct err e;
    assert_int_equal(path_resolve_within(inner, "../secret.txt", &out, &e), ERR_INVALID);
    assert_int_equal(path_resolve_within(inner, "link.txt", &out, &e), ERR_INVALID);
    assert_int_equal(path_resolve_within(inner, "missing.txt", &out, &e), ERR_NOT_FOUND);
    assert_int_equal(path_resolve_within(dir, "in/../secret.txt", &out, &e), ERR_OK);
    assert_non_null(strstr(out, "secret.txt"));
    free(out);
    assert_true(path_is_within("/a/b", "/a/b/c"));
    assert_false(path_is_within("/a/b", "/a/bc"));
    unlink(link);
    unlink(outside);
    rmdir(inner);
    rmdir(dir);
}

/* Twenty Thai letters (3 bytes each), as a client might send in sortby=. */
static const char THAI20[] = "กขฃคฅฆงจฉชซฌญฎฏฐฑฒณด";

static void utf8_excerpt_cuts_whole_characters_with_an_ellipsis(void **state)
{
    (void)state;
    struct utf8_excerpt x = utf8_excerpt(THAI20, 5);
    assert_string_equal(x.text, "กขฃคฅ…");
    assert_string_equal(utf8_excerpt(THAI20, 20).text, THAI20);
    assert_string_equal(utf8_excerpt("abc", 3).text, "abc");
    assert_string_equal(utf8_excerpt("abcd", 3).text, "abc…");
    assert_string_equal(utf8_excerpt(NULL, 10).text, "");
    assert_string_equal(utf8_excerpt("x", 0).text, "…");
    /* A 4-byte character is kept whole. */
    assert_string_equal(utf8_excerpt("a😀b", 2).text, "a😀…");
}

static void utf8_excerpt_replaces_invalid_bytes(void **state)
{
    (void)state;
    /* A Thai character cut after 2 of its 3 bytes, a stray continuation byte, an overlong
     * slash, a surrogate and 0xFF each become U+FFFD. */
    assert_string_equal(utf8_excerpt("a\xE0\xB8", 10).text, "a\xEF\xBF\xBD\xEF\xBF\xBD");
    assert_string_equal(utf8_excerpt("\x80z", 10).text, "\xEF\xBF\xBDz");
    assert_string_equal(utf8_excerpt("\xC0\xAF", 10).text, "\xEF\xBF\xBD\xEF\xBF\xBD");
    assert_int_equal(utf8_sequence_len("\xED\xA0\x80"), 0);
    assert_int_equal(utf8_sequence_len("\xF4\x90\x80\x80"), 0);
    assert_int_equal(utf8_sequence_len("\xFF"), 0);
    assert_int_equal(utf8_sequence_len("ก"), 3);
    assert_int_equal(utf8_sequence_len(""), 0);
    /* The cap: at most UTF8_EXCERPT_MAX_CHARS characters of 4 bytes fit. */
    char big[UTF8_EXCERPT_MAX_CHARS * 4 + 9];
    for (size_t i = 0; i + 4 < sizeof(big); i += 4) {
        memcpy(big + i, "😀", 4);
    }
    big[sizeof(big) - 5] = '\0';
    struct utf8_excerpt x = utf8_excerpt(big, 1000);
    assert_int_equal(strlen(x.text), UTF8_EXCERPT_MAX_CHARS * 4 + 3);
}

static void utf8_valid_copy_keeps_valid_text_and_repairs_the_rest(void **state)
{
    (void)state;
    char *c = utf8_valid_copy(THAI20);
    assert_string_equal(c, THAI20);
    free(c);
    c = utf8_valid_copy("sortby: 'ก\xE0\xB8' x");
    assert_string_equal(c, "sortby: 'ก\xEF\xBF\xBD\xEF\xBF\xBD' x");
    free(c);
}

static void utf8_trim_partial_drops_a_cut_character_only(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"abก", "abก"}, {"ab\xE0\xB8", "ab"}, {"ab\xF0\x9F\x98", "ab"},
        {"", ""},       {"a\x80", "a\x80"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char s[16];
        snprintf(s, sizeof(s), "%s", cases[i][0]);
        utf8_trim_partial(s);
        assert_string_equal(s, cases[i][1]);
    }
}

static void err_set_never_ends_inside_a_character(void **state)
{
    (void)state;
    struct err e;
    char thai[ERR_MSG_CAP * 2];
    thai[0] = '\0';
    for (size_t i = 0; i < 50; i++) {
        strcat(thai, "ก"); /* 150 bytes: the message below goes past the 512-byte cap */
    }
    /* "xy" shifts the characters so that the cap falls inside one. */
    err_set(&e, ERR_INVALID, "xy%s%s%s%s", thai, thai, thai, thai);
    char *valid = utf8_valid_copy(e.msg);
    assert_string_equal(valid, e.msg);
    free(valid);
    assert_true(strlen(e.msg) > ERR_MSG_CAP - 4);
    err_set(&e, ERR_INVALID, "%s", thai);
    err_prefix(&e, "y%s%s%s", thai, thai, thai);
    valid = utf8_valid_copy(e.msg);
    assert_string_equal(valid, e.msg);
    free(valid);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parse_int64_accepts_whole_numbers_in_range),
        cmocka_unit_test(parse_int64_rejects_junk_and_range),
        cmocka_unit_test(parse_double_rejects_inf_nan_and_hex),
        cmocka_unit_test(slugs_are_url_safe),
        cmocka_unit_test(make_slug_folds_names_and_refuses_thai_only),
        cmocka_unit_test(buf_refuses_to_grow_past_its_cap),
        cmocka_unit_test(err_prefix_keeps_code_and_caps_length),
        cmocka_unit_test(paths_split_into_folder_stem_and_extension),
        cmocka_unit_test(resolve_within_refuses_escapes),
        cmocka_unit_test(utf8_excerpt_cuts_whole_characters_with_an_ellipsis),
        cmocka_unit_test(utf8_excerpt_replaces_invalid_bytes),
        cmocka_unit_test(utf8_valid_copy_keeps_valid_text_and_repairs_the_rest),
        cmocka_unit_test(utf8_trim_partial_drops_a_cut_character_only),
        cmocka_unit_test(err_set_never_ends_inside_a_character),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
