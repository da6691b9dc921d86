/* test_tokens.c - facilitator tokens: generated tokens have their documented shape and
 * differ; a created token's hash looks up as active under its name, a revoked one as
 * revoked, anything else as unknown; names are unique among active tokens; the table
 * holds the hash and never the token text. */
#include "unit.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "scenario/token.h"
#include "store/store.h"
#include "store/store_scenario.h"

#include "unit_fixtures.h"
#include "unit_support.c"

static struct store *open_rw(void)
{
    struct store *st = NULL;
    struct err e;
    MUST(store_open(unit_db, STORE_READ_WRITE, &st, &e), &e);
    return st;
}

static void generated_tokens_have_prefix_length_alphabet_and_differ(void **state)
{
    (void)state;
    char a[TOKEN_TEXT_LEN + 1], b[TOKEN_TEXT_LEN + 1];
    struct err e;
    MUST(token_generate(a, &e), &e);
    MUST(token_generate(b, &e), &e);
    assert_int_equal(strlen(a), TOKEN_TEXT_LEN);
    assert_memory_equal(a, "cat_", 4);
    assert_true(token_is_well_formed(a, strlen(a)));
    assert_string_not_equal(a, b);
    assert_int_equal(
        strspn(a + 4, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
        TOKEN_TEXT_LEN - 4);
    assert_false(token_is_well_formed("cat_short", 9));
    char bad[TOKEN_TEXT_LEN + 1];
    memcpy(bad, a, sizeof(bad));
    bad[10] = '+';
    assert_false(token_is_well_formed(bad, TOKEN_TEXT_LEN));
    bad[10] = a[10];
    bad[0] = 'x';
    assert_false(token_is_well_formed(bad, TOKEN_TEXT_LEN));
}

static void hash_is_sha256_hex_and_compares_equal_only_when_equal(void **state)
{
    (void)state;
    char h[TOKEN_HASH_HEX_LEN + 1];
    token_hash("abc", 3, h);
    /* FIPS 180-2 test vector. */
    assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    char g[TOKEN_HASH_HEX_LEN + 1];
    token_hash("abd", 3, g);
    assert_true(token_hash_equal(h, h));
    assert_false(token_hash_equal(h, g));
    memcpy(g, h, sizeof(g));
    g[63] = g[63] == '0' ? '1' : '0';
    assert_false(token_hash_equal(h, g));
}

static void created_token_is_active_then_revoked_and_others_unknown(void **state)
{
    (void)state;
    struct store *st = open_rw();
    struct err e;
    char token[TOKEN_TEXT_LEN + 1], hash[TOKEN_HASH_HEX_LEN + 1];
    MUST(token_generate(token, &e), &e);
    token_hash(token, strlen(token), hash);
    struct store_token_state s;
    /* Before any token (no table yet): unknown. */
    MUST(store_token_lookup(st, hash, &s, &e), &e);
    assert_int_equal(s.status, STORE_TOKEN_UNKNOWN);
    MUST(store_token_create(st, "ครูสมศรี facilitator", hash, &e), &e);
    MUST(store_token_lookup(st, hash, &s, &e), &e);
    assert_int_equal(s.status, STORE_TOKEN_ACTIVE);
    assert_string_equal(s.name, "ครูสมศรี facilitator");

    char other[TOKEN_HASH_HEX_LEN + 1];
    token_hash("cat_somethingelse", 17, other);
    MUST(store_token_lookup(st, other, &s, &e), &e);
    assert_int_equal(s.status, STORE_TOKEN_UNKNOWN);
    assert_string_equal(s.name, "");
    MUST(store_token_lookup(st, "not-a-hash", &s, &e), &e);
    assert_int_equal(s.status, STORE_TOKEN_UNKNOWN);

    /* The name is taken while the token is active. */
    assert_int_equal(store_token_create(st, "ครูสมศรี facilitator", other, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "already exists"));

    MUST(store_token_revoke(st, "ครูสมศรี facilitator", &e), &e);
    MUST(store_token_lookup(st, hash, &s, &e), &e);
    assert_int_equal(s.status, STORE_TOKEN_REVOKED);
    assert_int_equal(store_token_revoke(st, "ครูสมศรี facilitator", &e), ERR_NOT_FOUND);
    assert_int_equal(store_token_revoke(st, "nobody", &e), ERR_NOT_FOUND);

    /* A revoked name can be given a new token; the old one is then unknown. */
    MUST(store_token_create(st, "ครูสมศรี facilitator", other, &e), &e);
    MUST(store_token_lookup(st, other, &s, &e), &e);
    assert_int_equal(s.status, STORE_TOKEN_ACTIVE);
    MUST(store_token_lookup(st, hash, &s, &e), &e);
    assert_int_equal(s.status, STORE_TOKEN_UNKNOWN);

    struct store_token_info *list = NULL;
    size_t n = 0;
    MUST(store_token_create(st, "a-second", hash, &e), &e);
    MUST(store_token_revoke(st, "a-second", &e), &e);
    MUST(store_tokens_list(st, &list, &n, &e), &e);
    assert_int_equal(n, 2);
    assert_string_equal(list[0].name, "a-second");
    assert_non_null(list[0].revoked_at);
    assert_null(list[1].revoked_at);
    store_token_infos_free(list, n);
    store_close(st);
}

static void bad_names_and_hashes_are_refused(void **state)
{
    (void)state;
    struct store *st = open_rw();
    struct err e;
    char hash[TOKEN_HASH_HEX_LEN + 1];
    token_hash("x", 1, hash);
    assert_int_equal(store_token_create(st, "", hash, &e), ERR_INVALID);
    assert_int_equal(store_token_create(st, "tab\there", hash, &e), ERR_INVALID);
    assert_int_equal(store_token_create(st, "ok", "ABC", &e), ERR_INVALID);
    assert_int_equal(token_name_check("tab\there", &e), ERR_INVALID);
    assert_int_equal(token_name_check("กลุ่ม 1", &e), ERR_OK);
    char long_name[STORE_TOKEN_NAME_MAX + 2];
    memset(long_name, 'a', sizeof(long_name) - 1);
    long_name[sizeof(long_name) - 1] = '\0';
    assert_int_equal(token_name_check(long_name, &e), ERR_INVALID);
    store_close(st);
}

static void stored_table_holds_hash_and_never_the_token(void **state)
{
    (void)state;
    struct store *st = open_rw();
    struct err e;
    char token[TOKEN_TEXT_LEN + 1], hash[TOKEN_HASH_HEX_LEN + 1];
    MUST(token_generate(token, &e), &e);
    token_hash(token, strlen(token), hash);
    MUST(store_token_create(st, "keeper", hash, &e), &e);
    store_close(st);

    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(unit_db, &db), SQLITE_OK);
    sqlite3_stmt *stmt = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT * FROM cityatlas_tokens", -1, &stmt, NULL),
                     SQLITE_OK);
    bool saw_hash = false;
    while (sqlite3_step(stmt) == SQLITE_ROW) {
        for (int c = 0; c < sqlite3_column_count(stmt); c++) {
            const char *v = (const char *)sqlite3_column_text(stmt, c);
            if (v == NULL) {
                continue;
            }
            assert_null(strstr(v, token + 4));
            saw_hash = saw_hash || strcmp(v, hash) == 0;
        }
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    assert_true(saw_hash);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(generated_tokens_have_prefix_length_alphabet_and_differ),
        cmocka_unit_test(hash_is_sha256_hex_and_compares_equal_only_when_equal),
        cmocka_unit_test_setup_teardown(created_token_is_active_then_revoked_and_others_unknown,
                                        unit_temp_db_setup, unit_temp_db_teardown),
        cmocka_unit_test_setup_teardown(bad_names_and_hashes_are_refused, unit_temp_db_setup,
                                        unit_temp_db_teardown),
        cmocka_unit_test_setup_teardown(stored_table_holds_hash_and_never_the_token,
                                        unit_temp_db_setup, unit_temp_db_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
