/* scenario_path.h - the JSON path of the value being checked (e.g.
 * "features[3].geometry.coordinates[0][2]"), shared by the scenario document and sketch
 * checkers so that every error names where it is. */
#ifndef CITYATLAS_SCENARIO_SCENARIO_PATH_H
#define CITYATLAS_SCENARIO_SCENARIO_PATH_H

#include <stddef.h>

#include <jansson.h>

#include "base/err.h"

struct scenario_path {
    char text[256]; /* "" at the top level; a deeper path is cut (the message still reads) */
    size_t len;
    struct err *err;
};

/* Each push returns the previous length, which scenario_path_pop restores. */
size_t scenario_path_key(struct scenario_path *p, const char *key);
size_t scenario_path_index(struct scenario_path *p, size_t index);
void scenario_path_pop(struct scenario_path *p, size_t saved);

/* Sets ERR_INVALID "<path>: <message>" ("top level: ..." at the top) and returns it. */
int scenario_path_fail(struct scenario_path *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Fails naming the first member of obj whose key is not in keys (NULL-terminated). */
int scenario_path_check_keys(struct scenario_path *p, const json_t *obj, const char *const *keys);

/* A string of min..max characters (UTF-8 code points). */
int scenario_path_check_text(struct scenario_path *p, const json_t *v, size_t min, size_t max);

/* Characters (UTF-8 code points) in s. */
size_t scenario_utf8_chars(const char *s);

#endif
