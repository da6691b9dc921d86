/* style_expr_check.c - checks the expressions a style may use: literals, get, match, step
 * and interpolate for values, and ==, !=, in, all, any, has for filters. Anything else
 * is refused by name, so a style that works on the web map (which would accept all of
 * MapLibre's) also works on the poster renderer (which evaluates only these). */
#include "styles/style_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "styles/style_color.h"
#include "styles/style_load.h"

size_t style_path_key(struct style_check_ctx *c, const char *key)
{
    size_t saved = c->len;
    int n =
        snprintf(c->path + c->len, sizeof(c->path) - c->len, "%s%s", c->len > 0 ? "." : "", key);
    c->len = n > 0 && (size_t)n < sizeof(c->path) - c->len ? c->len + (size_t)n : c->len;
    return saved;
}

size_t style_path_index(struct style_check_ctx *c, size_t index)
{
    size_t saved = c->len;
    int n = snprintf(c->path + c->len, sizeof(c->path) - c->len, "[%zu]", index);
    c->len = n > 0 && (size_t)n < sizeof(c->path) - c->len ? c->len + (size_t)n : c->len;
    return saved;
}

void style_path_pop(struct style_check_ctx *c, size_t saved)
{
    c->len = saved;
    c->path[saved] = '\0';
}

int style_fail(struct style_check_ctx *c, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return err_set(c->err, ERR_INVALID, "%s: %s: %s", c->file, c->len > 0 ? c->path : "top level",
                   msg);
}

static const char *kind_name(enum style_value_kind kind)
{
    return kind == STYLE_VALUE_COLOR    ? "a colour (\"#rgb\", \"#rrggbb\" or \"rgba(r,g,b,a)\")"
           : kind == STYLE_VALUE_NUMBER ? "a number"
                                        : "a string";
}

static int check_literal(struct style_check_ctx *c, const json_t *v, enum style_value_kind kind,
                         double min, double max)
{
    struct style_color color;
    switch (kind) {
    case STYLE_VALUE_COLOR:
        if (!json_is_string(v) || !style_color_parse(json_string_value(v), &color)) {
            return style_fail(c, "expected %s", kind_name(kind));
        }
        return ERR_OK;
    case STYLE_VALUE_NUMBER:
        if (!json_is_number(v)) {
            return style_fail(c, "expected %s", kind_name(kind));
        }
        if (json_number_value(v) < min || json_number_value(v) > max) {
            return style_fail(c, "%g is out of range (%g to %g)", json_number_value(v), min, max);
        }
        return ERR_OK;
    case STYLE_VALUE_STRING:
        return json_is_string(v) ? ERR_OK : style_fail(c, "expected %s", kind_name(kind));
    }
    return style_fail(c, "unknown value kind");
}

/* Checks element i of expression e as a value of kind; the path names it on failure. */
static int check_element(struct style_check_ctx *c, const json_t *e, size_t i,
                         enum style_value_kind kind, double min, double max)
{
    size_t saved = style_path_index(c, i);
    int rc = style_check_value(c, json_array_get(e, i), kind, min, max);
    if (rc == ERR_OK) {
        style_path_pop(c, saved);
    }
    return rc;
}

static int fail_at(struct style_check_ctx *c, size_t i, const char *msg)
{
    style_path_index(c, i);
    return style_fail(c, "%s", msg);
}

/* v is [op, ...] with n elements in all. */
static bool is_op(const json_t *v, const char *op, size_t n)
{
    const char *name = json_string_value(json_array_get(v, 0));
    return json_is_array(v) && json_array_size(v) == n && name != NULL && strcmp(name, op) == 0;
}

static bool is_get(const json_t *v)
{
    return is_op(v, "get", 2) && json_is_string(json_array_get(v, 1));
}

static bool is_zoom(const json_t *v)
{
    return is_op(v, "zoom", 1);
}

/* A match label: a string or number, or a non-empty array of them. */
static bool is_match_label(const json_t *v)
{
    if (json_is_string(v) || json_is_number(v)) {
        return true;
    }
    if (!json_is_array(v) || json_array_size(v) == 0) {
        return false;
    }
    size_t i;
    const json_t *item;
    json_array_foreach(v, i, item)
    {
        if (!json_is_string(item) && !json_is_number(item)) {
            return false;
        }
    }
    return true;
}

static int check_match(struct style_check_ctx *c, const json_t *e, enum style_value_kind kind,
                       double min, double max)
{
    size_t n = json_array_size(e);
    if (n < 5 || n % 2 == 0) {
        return style_fail(c, "match takes an input, label/output pairs and a fallback: "
                             "[\"match\", input, label, output, ..., fallback]");
    }
    if (!is_get(json_array_get(e, 1))) {
        return fail_at(c, 1, "the input of match must be [\"get\", name]");
    }
    for (size_t i = 2; i + 1 < n; i += 2) {
        if (!is_match_label(json_array_get(e, i))) {
            return fail_at(c, i, "a match label must be a string, a number or an array of them");
        }
        int rc = check_element(c, e, i + 1, kind, min, max);
        if (rc != ERR_OK) {
            return rc;
        }
    }
    return check_element(c, e, n - 1, kind, min, max);
}

/* step and interpolate: input at 1 (step) or 2 (interpolate), then stop/output pairs
 * with stops in strictly ascending order. */
static int check_stops(struct style_check_ctx *c, const json_t *e, size_t input, size_t first_stop,
                       enum style_value_kind kind, double min, double max)
{
    size_t n = json_array_size(e);
    if (n < first_stop + 2 || (n - first_stop) % 2 != 0) {
        return style_fail(c, "expected an input, then at least one stop and an output for "
                             "every stop");
    }
    if (!is_get(json_array_get(e, input)) && !is_zoom(json_array_get(e, input))) {
        return fail_at(c, input, "the input must be [\"get\", name] or [\"zoom\"]");
    }
    double previous = 0;
    for (size_t i = first_stop; i < n; i += 2) {
        const json_t *stop = json_array_get(e, i);
        if (!json_is_number(stop)) {
            return fail_at(c, i, "a stop must be a number");
        }
        if (i > first_stop && json_number_value(stop) <= previous) {
            return fail_at(c, i, "stops must be in strictly ascending order");
        }
        previous = json_number_value(stop);
        int rc = check_element(c, e, i + 1, kind, min, max);
        if (rc != ERR_OK) {
            return rc;
        }
    }
    return ERR_OK;
}

static int check_expression(struct style_check_ctx *c, const json_t *e, enum style_value_kind kind,
                            double min, double max)
{
    const char *op = json_string_value(json_array_get(e, 0));
    if (op == NULL) {
        return style_fail(c, "an expression must start with its operator name");
    }
    if (strcmp(op, "get") == 0) {
        return is_get(e) ? ERR_OK : style_fail(c, "get takes one property name: [\"get\", name]");
    }
    if (strcmp(op, "match") == 0) {
        return check_match(c, e, kind, min, max);
    }
    if (strcmp(op, "step") == 0) {
        int rc = check_stops(c, e, 1, 3, kind, min, max);
        return rc != ERR_OK ? rc : check_element(c, e, 2, kind, min, max);
    }
    if (strcmp(op, "interpolate") == 0) {
        if (kind == STYLE_VALUE_STRING) {
            return style_fail(c, "interpolate needs numbers or colours, not strings");
        }
        if (is_op(json_array_get(e, 1), "linear", 1)) {
            return check_stops(c, e, 2, 3, kind, min, max);
        }
        return fail_at(c, 1, "the only interpolation supported is [\"linear\"]");
    }
    if (strcmp(op, "zoom") == 0) {
        return style_fail(c, "[\"zoom\"] may only be the input of step or interpolate");
    }
    return style_fail(c, "unsupported expression \"%s\" (supported: get, match, step, interpolate)",
                      op);
}

int style_check_value(struct style_check_ctx *c, const json_t *v, enum style_value_kind kind,
                      double min, double max)
{
    if (!json_is_array(v)) {
        return check_literal(c, v, kind, min, max);
    }
    if (c->depth >= STYLE_MAX_DEPTH) {
        return style_fail(c, "expressions nested deeper than %d", STYLE_MAX_DEPTH);
    }
    c->depth++;
    int rc = check_expression(c, v, kind, min, max);
    c->depth--;
    return rc;
}

static bool is_scalar(const json_t *v)
{
    return json_is_string(v) || json_is_number(v) || json_is_boolean(v);
}

/* ["in", ["get", f], ["literal", [v, ...]]] */
static int check_in(struct style_check_ctx *c, const json_t *e)
{
    const json_t *list = json_array_get(e, 2);
    if (!is_op(list, "literal", 2) || !json_is_array(json_array_get(list, 1)) ||
        json_array_size(json_array_get(list, 1)) == 0) {
        return fail_at(c, 2, "expected [\"literal\", [value, ...]] with at least one value");
    }
    size_t i;
    const json_t *item;
    json_array_foreach(json_array_get(list, 1), i, item)
    {
        if (!is_scalar(item)) {
            style_path_index(c, 2);
            style_path_index(c, 1);
            style_path_index(c, i);
            return style_fail(c, "expected a string, a number or a boolean");
        }
    }
    return ERR_OK;
}

/* ==, != and in: a property compared with literals. */
static int check_comparison(struct style_check_ctx *c, const json_t *e, const char *op)
{
    if (json_array_size(e) != 3) {
        return style_fail(c, "expected [\"%s\", [\"get\", name], %s]", op,
                          strcmp(op, "in") == 0 ? "[\"literal\", [value, ...]]" : "value");
    }
    if (!is_get(json_array_get(e, 1))) {
        return fail_at(c, 1, "expected [\"get\", name]");
    }
    if (strcmp(op, "in") == 0) {
        return check_in(c, e);
    }
    if (!is_scalar(json_array_get(e, 2))) {
        return fail_at(c, 2, "expected a string, a number or a boolean");
    }
    return ERR_OK;
}

static int check_filter_op(struct style_check_ctx *c, const json_t *e, const char *op)
{
    if (strcmp(op, "==") == 0 || strcmp(op, "!=") == 0 || strcmp(op, "in") == 0) {
        return check_comparison(c, e, op);
    }
    if (strcmp(op, "has") == 0) {
        return json_array_size(e) == 2 && json_is_string(json_array_get(e, 1))
                   ? ERR_OK
                   : style_fail(c, "expected [\"has\", name]");
    }
    if (strcmp(op, "all") == 0 || strcmp(op, "any") == 0) {
        for (size_t i = 1; i < json_array_size(e); i++) {
            size_t saved = style_path_index(c, i);
            int rc = style_check_filter(c, json_array_get(e, i));
            if (rc != ERR_OK) {
                return rc;
            }
            style_path_pop(c, saved);
        }
        return ERR_OK;
    }
    return style_fail(c, "unsupported filter \"%s\" (supported: ==, !=, in, all, any, has)", op);
}

int style_check_filter(struct style_check_ctx *c, const json_t *v)
{
    const char *op = json_string_value(json_array_get(v, 0));
    if (!json_is_array(v) || op == NULL) {
        return style_fail(c, "a filter must be an expression such as [\"==\", [\"get\", name], "
                             "value]");
    }
    if (c->depth >= STYLE_MAX_DEPTH) {
        return style_fail(c, "filters nested deeper than %d", STYLE_MAX_DEPTH);
    }
    c->depth++;
    int rc = check_filter_op(c, v, op);
    c->depth--;
    return rc;
}
