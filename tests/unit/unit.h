/* unit.h - what the unit test programs share: cmocka, and paths to the repository's
 * test data (CITYATLAS_REPO is set by ctest). */
#ifndef CITYATLAS_TESTS_UNIT_H
#define CITYATLAS_TESTS_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

/* Returns "$CITYATLAS_REPO/rel" in a static buffer (one at a time). */
const char *unit_repo_path(const char *rel);

/* Creates a fresh temporary directory and returns its path (static buffer). */
const char *unit_temp_dir(void);

#endif
