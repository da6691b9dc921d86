/* unit_fixtures.h - fixtures several unit test programs share: a temporary database
 * folder, the bundled catalog imported into it, a call that must succeed, and a response
 * header looked up. Linked into every unit test (tests/unit/CMakeLists.txt); it uses
 * unit_temp_dir() and unit_repo_path() from the program's own unit_support.c. */
#ifndef CITYATLAS_TESTS_UNIT_FIXTURES_H
#define CITYATLAS_TESTS_UNIT_FIXTURES_H

#include <stddef.h>

#include <sqlite3.h>

#include "base/err.h"
#include "http/transport/request.h"
#include "store/store_read.h"

/* Makes a fresh temporary folder, writes its path into dir (dir_cap bytes) and
 * "<dir>/city.sqlite" into db (db_cap bytes). Aborts when no folder can be made. */
void unit_temp_db(char *dir, size_t dir_cap, char *db, size_t db_cap);

/* The folder and database path of the running test, set by unit_temp_db_setup(). */
extern char unit_dir[64];
extern char unit_db[256];
/* cmocka setup and teardown for a test with its own temporary folder: unit_temp_db() into
 * unit_dir and unit_db, then unit_remove_dir(unit_dir). */
int unit_temp_db_setup(void **state);
int unit_temp_db_teardown(void **state);

/* Removes dir and everything below it (links are removed, not followed).
 * Returns 0, or -1 when something could not be removed. */
int unit_remove_dir(const char *dir);

/* Imports the repository's datasets/catalog.json into db_path the way `cityatlas import
 * --catalog ... --db db_path --quiet` does. Returns the command's exit code (0 = done). */
int unit_import_bundled_catalog(const char *db_path);

/* unit_import_bundled_catalog(), then a pool of 2 read connections on db_path into *pool
 * (close with store_pool_close()). Returns 0, or -1 when either fails. */
int unit_import_bundled_pool(const char *db_path, struct store_pool **pool);

/* Opens db_path read-only with SpatiaLite's functions loaded on their own connection
 * cache, for checking what the code under test wrote with SQL written in the test. Returns
 * 0, or -1 when the file cannot be opened. Release both with unit_sql_close(). */
int unit_sql_open_readonly(const char *db_path, sqlite3 **sql, void **cache);
void unit_sql_close(sqlite3 *sql, void *cache);

/* The table that holds layer id's current version, read through sql (a failed cmocka test
 * when there is none). Returns one of 4 static buffers, reused in turn. */
const char *unit_table_of(sqlite3 *sql, const char *id);

/* Fails the running cmocka test with what, rc and e->msg unless rc is ERR_OK. */
void unit_must(int rc, const struct err *e, const char *what);
#define MUST(call, e) unit_must((call), (e), #call)

/* The value of resp's first header called name (exact case), or NULL. Borrowed from resp. */
const char *unit_header(const struct response *resp, const char *name);

#endif
