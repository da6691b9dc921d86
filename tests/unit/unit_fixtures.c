/* unit_fixtures.c - see unit_fixtures.h. */
#define _XOPEN_SOURCE 700
#include "unit_fixtures.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <spatialite.h>

#include "cli/cli.h"
#include "unit.h"

void unit_temp_db(char *dir, size_t dir_cap, char *db, size_t db_cap)
{
    snprintf(dir, dir_cap, "%s", unit_temp_dir());
    snprintf(db, db_cap, "%s/city.sqlite", dir);
}

char unit_dir[64];
char unit_db[256];

int unit_temp_db_setup(void **state)
{
    (void)state;
    unit_temp_db(unit_dir, sizeof(unit_dir), unit_db, sizeof(unit_db));
    return 0;
}

int unit_temp_db_teardown(void **state)
{
    (void)state;
    return unit_remove_dir(unit_dir);
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)ftw;
    return flag == FTW_DP ? rmdir(path) : unlink(path);
}

int unit_remove_dir(const char *dir)
{
    return nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS) == 0 ? 0 : -1;
}

int unit_import_bundled_catalog(const char *db_path)
{
    char catalog[4096];
    char db[4096];
    snprintf(catalog, sizeof(catalog), "%s", unit_repo_path("datasets/catalog.json"));
    snprintf(db, sizeof(db), "%s", db_path);
    char *argv[] = {"import", "--catalog", catalog, "--db", db, "--quiet", NULL};
    optind = 0; /* getopt starts over for each command */
    return cmd_import(6, argv);
}

int unit_import_bundled_pool(const char *db_path, struct store_pool **pool)
{
    if (unit_import_bundled_catalog(db_path) != 0) {
        return -1;
    }
    struct err e = {0};
    return store_pool_open(db_path, 2, pool, &e) == ERR_OK ? 0 : -1;
}

int unit_sql_open_readonly(const char *db_path, sqlite3 **sql, void **cache)
{
    *cache = spatialite_alloc_connection();
    if (sqlite3_open_v2(db_path, sql, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        return -1;
    }
    spatialite_init_ex(*sql, *cache, 0);
    return 0;
}

void unit_sql_close(sqlite3 *sql, void *cache)
{
    sqlite3_close(sql);
    spatialite_cleanup_ex(cache);
}

const char *unit_table_of(sqlite3 *sql, const char *id)
{
    static char names[4][128];
    static int next;
    char *name = names[next++ % 4];
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(sql, "SELECT table_name FROM cityatlas_layers WHERE id=?",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    snprintf(name, 128, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return name;
}

void unit_must(int rc, const struct err *e, const char *what)
{
    if (rc != ERR_OK) {
        fail_msg("%s failed with %d: %s", what, rc, e->msg);
    }
}

const char *unit_header(const struct response *resp, const char *name)
{
    for (size_t i = 0; i < resp->n_headers; i++) {
        if (strcmp(resp->headers[i].name, name) == 0) {
            return resp->headers[i].value;
        }
    }
    return NULL;
}
