/* style_int.h - what the files of the styles module share: the checker's context, which
 * carries the JSON path of the value being checked so every error can name it. */
#ifndef CITYATLAS_STYLES_STYLE_INT_H
#define CITYATLAS_STYLES_STYLE_INT_H

#include <stddef.h>

#include <jansson.h>

#include "base/err.h"

struct style_check_ctx {
    const char *file;
    char path[256]; /* e.g. "layers[2].paint.circle-radius[3]"; "" at the top level */
    size_t len;
    int depth; /* expression nesting, capped by STYLE_MAX_DEPTH */
    struct err *err;
};

/* Path building: each push returns the previous length, which style_path_pop restores. */
size_t style_path_key(struct style_check_ctx *c, const char *key);
size_t style_path_index(struct style_check_ctx *c, size_t index);
void style_path_pop(struct style_check_ctx *c, size_t saved);

/* Sets ERR_INVALID "<file>: <path>: <message>" and returns it. */
int style_fail(struct style_check_ctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* What a paint or layout value must produce. */
enum style_value_kind { STYLE_VALUE_COLOR, STYLE_VALUE_NUMBER, STYLE_VALUE_STRING };

/* A literal or an expression (get, match, step, interpolate) producing kind; number
 * literals must lie in [min, max]. */
int style_check_value(struct style_check_ctx *c, const json_t *v, enum style_value_kind kind,
                      double min, double max);

/* A filter expression (==, !=, in, all, any, has). */
int style_check_filter(struct style_check_ctx *c, const json_t *v);

#endif
