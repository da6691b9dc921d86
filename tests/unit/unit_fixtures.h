/* unit_fixtures.h - fixtures several unit test programs share: a temporary database
 * folder, the bundled catalog imported into it, a call that must succeed, and a response
 * header looked up. Linked into every unit test (tests/unit/CMakeLists.txt); it uses
 * unit_temp_dir() and unit_repo_path() from the program's own unit_support.c. */
#ifndef CITYATLAS_TESTS_UNIT_FIXTURES_H
#define CITYATLAS_TESTS_UNIT_FIXTURES_H

#include <stddef.h>

#include <sqlite3.h>

#include "base/err.h"
#include "http/request.h"

/* Makes a fresh temporary folder, writes its path into dir (dir_cap bytes) and
 * "<dir>/city.sqlite" into db (db_cap bytes). Aborts when no folder can be made. */
void unit_temp_db(char *dir, size_t dir_cap, char *db, size_t db_cap);

/* Removes dir and everything below it (links are removed, not followed).
 * Returns 0, or -1 when something could not be removed. */
int unit_remove_dir(const char *dir);

/* Imports the repository's datasets/catalog.json into db_path the way `cityatlas import
 * --catalog ... --db db_path --quiet` does. Returns the command's exit code (0 = done). */
int unit_import_bundled_catalog(const char *db_path);

/* Opens db_path read-only with SpatiaLite's functions loaded on their own connection
 * cache, for checking what the code under test wrote with SQL written in the test. Returns
 * 0, or -1 when the file cannot be opened. Release both with unit_sql_close(). */
int unit_sql_open_readonly(const char *db_path, sqlite3 **sql, void **cache);
void unit_sql_close(sqlite3 *sql, void *cache);

/* Fails the running cmocka test with what, rc and e->msg unless rc is ERR_OK. */
void unit_must(int rc, const struct err *e, const char *what);
#define MUST(call, e) unit_must((call), (e), #call)

/* The value of resp's first header called name (exact case), or NULL. Borrowed from resp. */
const char *unit_header(const struct response *resp, const char *name);

#endif
