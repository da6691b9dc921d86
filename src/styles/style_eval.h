/* style_eval.h - evaluates a checked style's values and filters for one feature at one
 * zoom, as MapLibre would, for the server-side renderer. Expressions must have passed
 * style_check (style_load.h); anything else may evaluate to "no value".
 * Pure functions: safe from any thread. */
#ifndef CITYATLAS_STYLES_STYLE_EVAL_H
#define CITYATLAS_STYLES_STYLE_EVAL_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "store/store.h"
#include "styles/style_color.h"

/* A feature's properties: names[i] holds values[i]. Borrowed for the call. */
struct style_feature {
    const char *const *names;
    const struct store_value *values;
    size_t n;
};

enum style_result_kind {
    STYLE_RESULT_NONE, /* no usable value (a missing property, a type mismatch): the
                          caller uses the property's default, as MapLibre does */
    STYLE_RESULT_NUMBER,
    STYLE_RESULT_STRING,
    STYLE_RESULT_COLOR,
};

struct style_result {
    enum style_result_kind kind;
    double number;
    const char *string; /* STRING: str_len bytes, not NUL-terminated; borrowed from the
                           style, the feature, or text[] below (so read it from the
                           struct style_eval filled, not from a copy) */
    size_t str_len;
    struct style_color color;
    char text[32]; /* a number turned into a label */
};

enum style_want { STYLE_WANT_NUMBER, STYLE_WANT_STRING, STYLE_WANT_COLOR };

/* Evaluates a paint or layout value (a literal or get/match/step/interpolate) for the
 * feature f (NULL: no properties) at zoom, converting to what is wanted: colour strings
 * are parsed, numbers become label text. The result may point into value and f. */
void style_eval(const json_t *value, enum style_want want, const struct style_feature *f,
                double zoom, struct style_result *out);

/* True when the feature passes the filter (==, !=, in, all, any, has). A missing or null
 * property equals nothing, so != is then true; "has" is true for a non-null property. */
bool style_filter_matches(const json_t *filter, const struct style_feature *f);

#endif
