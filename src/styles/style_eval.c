/* style_eval.c - evaluation of style values and filters for one feature at one zoom. */
#include "styles/style_eval.h"

#include <stdio.h>
#include <string.h>

/* One input value: a literal from the style or a property of the feature. */
struct datum {
    enum { DATUM_NONE, DATUM_NUMBER, DATUM_STRING, DATUM_BOOL } kind;
    double number; /* also 0/1 for DATUM_BOOL */
    const char *s; /* DATUM_STRING, len bytes */
    size_t len;
};

static struct datum datum_of_json(const json_t *v)
{
    struct datum d = {DATUM_NONE, 0, NULL, 0};
    if (json_is_string(v)) {
        d = (struct datum){DATUM_STRING, 0, json_string_value(v), json_string_length(v)};
    } else if (json_is_number(v)) {
        d = (struct datum){DATUM_NUMBER, json_number_value(v), NULL, 0};
    } else if (json_is_boolean(v)) {
        d = (struct datum){DATUM_BOOL, json_is_true(v) ? 1 : 0, NULL, 0};
    }
    return d;
}

/* The property's value, or none when absent, null or a blob. */
static struct datum property(const char *name, const struct style_feature *f)
{
    struct datum d = {DATUM_NONE, 0, NULL, 0};
    for (size_t i = 0; f != NULL && name != NULL && i < f->n; i++) {
        if (strcmp(f->names[i], name) != 0) {
            continue;
        }
        const struct store_value *v = &f->values[i];
        if (v->is_null) {
            break;
        }
        if (v->type == STORE_INTEGER) {
            d = (struct datum){DATUM_NUMBER, (double)v->i, NULL, 0};
        } else if (v->type == STORE_REAL) {
            d = (struct datum){DATUM_NUMBER, v->d, NULL, 0};
        } else if (v->type == STORE_TEXT) {
            d = (struct datum){DATUM_STRING, 0, v->ptr != NULL ? v->ptr : "", v->len};
        }
        break;
    }
    return d;
}

/* ["get", name] */
static struct datum datum_of_property(const json_t *get, const struct style_feature *f)
{
    return property(json_string_value(json_array_get(get, 1)), f);
}

static const char *op_of(const json_t *e)
{
    const char *op = json_string_value(json_array_get(e, 0));
    return op != NULL ? op : "";
}

/* The input of match, step or interpolate: ["get", name] or ["zoom"]. */
static struct datum datum_of_input(const json_t *e, const struct style_feature *f, double zoom)
{
    if (strcmp(op_of(e), "zoom") == 0) {
        return (struct datum){DATUM_NUMBER, zoom, NULL, 0};
    }
    if (strcmp(op_of(e), "get") == 0) {
        return datum_of_property(e, f);
    }
    return (struct datum){DATUM_NONE, 0, NULL, 0};
}

static void convert(const struct datum *d, enum style_want want, struct style_result *out)
{
    memset(out, 0, sizeof(*out));
    if (want == STYLE_WANT_NUMBER && d->kind == DATUM_NUMBER) {
        out->kind = STYLE_RESULT_NUMBER;
        out->number = d->number;
    } else if (want == STYLE_WANT_STRING && d->kind == DATUM_STRING) {
        *out =
            (struct style_result){.kind = STYLE_RESULT_STRING, .string = d->s, .str_len = d->len};
    } else if (want == STYLE_WANT_STRING && d->kind != DATUM_NONE) {
        /* A number or a boolean shown as a label, as MapLibre's to-string does. */
        out->kind = STYLE_RESULT_STRING;
        if (d->kind == DATUM_BOOL) {
            snprintf(out->text, sizeof(out->text), "%s", d->number != 0 ? "true" : "false");
        } else {
            snprintf(out->text, sizeof(out->text), "%.15g", d->number);
        }
        out->string = out->text;
        out->str_len = strlen(out->text);
    } else if (want == STYLE_WANT_COLOR && d->kind == DATUM_STRING && d->len < 64) {
        char text[64];
        memcpy(text, d->s, d->len);
        text[d->len] = '\0';
        if (style_color_parse(text, &out->color)) {
            out->kind = STYLE_RESULT_COLOR;
        }
    }
}

static bool datum_equals(const struct datum *a, const struct datum *b)
{
    if (a->kind == DATUM_NONE || a->kind != b->kind) {
        return false;
    }
    if (a->kind == DATUM_STRING) {
        return a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
    }
    return a->number == b->number;
}

/* A match label is a value or an array of values. */
static bool label_matches(const json_t *label, const struct datum *input)
{
    if (!json_is_array(label)) {
        struct datum d = datum_of_json(label);
        return datum_equals(input, &d);
    }
    size_t i;
    const json_t *item;
    json_array_foreach(label, i, item)
    {
        struct datum d = datum_of_json(item);
        if (datum_equals(input, &d)) {
            return true;
        }
    }
    return false;
}

static void eval_match(const json_t *e, enum style_want want, const struct style_feature *f,
                       double zoom, struct style_result *out)
{
    size_t n = json_array_size(e);
    struct datum input = datum_of_input(json_array_get(e, 1), f, zoom);
    for (size_t i = 2; i + 1 < n; i += 2) {
        if (label_matches(json_array_get(e, i), &input)) {
            style_eval(json_array_get(e, i + 1), want, f, zoom, out);
            return;
        }
    }
    style_eval(json_array_get(e, n - 1), want, f, zoom, out);
}

/* ["step", input, out0, stop1, out1, ...]: the output of the last stop <= input. */
static void eval_step(const json_t *e, enum style_want want, const struct style_feature *f,
                      double zoom, struct style_result *out)
{
    struct datum input = datum_of_input(json_array_get(e, 1), f, zoom);
    if (input.kind != DATUM_NUMBER) {
        memset(out, 0, sizeof(*out));
        return;
    }
    size_t chosen = 2;
    for (size_t i = 3; i + 1 < json_array_size(e); i += 2) {
        if (input.number >= json_number_value(json_array_get(e, i))) {
            chosen = i + 1;
        }
    }
    style_eval(json_array_get(e, chosen), want, f, zoom, out);
}

static void lerp(const struct style_result *a, const struct style_result *b, double t,
                 struct style_result *out)
{
    *out = *a;
    if (a->kind == STYLE_RESULT_NUMBER) {
        out->number = a->number + (b->number - a->number) * t;
    } else {
        out->color.r = a->color.r + (b->color.r - a->color.r) * t;
        out->color.g = a->color.g + (b->color.g - a->color.g) * t;
        out->color.b = a->color.b + (b->color.b - a->color.b) * t;
        out->color.a = a->color.a + (b->color.a - a->color.a) * t;
    }
}

/* ["interpolate", ["linear"], input, z1, o1, ...]: linear between the two stops around
 * the input, clamped to the first and last outputs. Colours blend in RGB. */
static void eval_interpolate(const json_t *e, enum style_want want, const struct style_feature *f,
                             double zoom, struct style_result *out)
{
    struct datum input = datum_of_input(json_array_get(e, 2), f, zoom);
    size_t n = json_array_size(e);
    memset(out, 0, sizeof(*out));
    if (input.kind != DATUM_NUMBER || n < 5) {
        return;
    }
    size_t hi = 3;
    while (hi < n - 2 && input.number > json_number_value(json_array_get(e, hi))) {
        hi += 2;
    }
    double z_hi = json_number_value(json_array_get(e, hi));
    if (hi == 3 || input.number >= z_hi) {
        style_eval(json_array_get(e, hi + 1), want, f, zoom, out);
        return;
    }
    double z_lo = json_number_value(json_array_get(e, hi - 2));
    struct style_result a, b;
    style_eval(json_array_get(e, hi - 1), want, f, zoom, &a);
    style_eval(json_array_get(e, hi + 1), want, f, zoom, &b);
    if (a.kind == b.kind && (a.kind == STYLE_RESULT_NUMBER || a.kind == STYLE_RESULT_COLOR)) {
        lerp(&a, &b, (input.number - z_lo) / (z_hi - z_lo), out);
    }
}

void style_eval(const json_t *value, enum style_want want, const struct style_feature *f,
                double zoom, struct style_result *out)
{
    if (!json_is_array(value)) {
        struct datum d = datum_of_json(value);
        convert(&d, want, out);
        return;
    }
    const char *op = op_of(value);
    if (strcmp(op, "get") == 0) {
        struct datum d = datum_of_property(value, f);
        convert(&d, want, out);
    } else if (strcmp(op, "match") == 0 && json_array_size(value) >= 5) {
        eval_match(value, want, f, zoom, out);
    } else if (strcmp(op, "step") == 0 && json_array_size(value) >= 3) {
        eval_step(value, want, f, zoom, out);
    } else if (strcmp(op, "interpolate") == 0) {
        eval_interpolate(value, want, f, zoom, out);
    } else {
        memset(out, 0, sizeof(*out));
    }
}

static bool in_list(const struct datum *d, const json_t *literal)
{
    size_t i;
    const json_t *item;
    json_array_foreach(json_array_get(literal, 1), i, item)
    {
        struct datum v = datum_of_json(item);
        if (datum_equals(d, &v)) {
            return true;
        }
    }
    return false;
}

bool style_filter_matches(const json_t *filter, const struct style_feature *f)
{
    const char *op = op_of(filter);
    size_t n = json_array_size(filter);
    if (strcmp(op, "all") == 0 || strcmp(op, "any") == 0) {
        bool is_all = op[1] == 'l';
        for (size_t i = 1; i < n; i++) {
            if (style_filter_matches(json_array_get(filter, i), f) != is_all) {
                return !is_all;
            }
        }
        return is_all;
    }
    if (strcmp(op, "has") == 0) {
        return property(json_string_value(json_array_get(filter, 1)), f).kind != DATUM_NONE;
    }
    struct datum d = datum_of_property(json_array_get(filter, 1), f);
    struct datum v = datum_of_json(json_array_get(filter, 2));
    if (strcmp(op, "==") == 0) {
        return datum_equals(&d, &v);
    }
    if (strcmp(op, "!=") == 0) {
        return !datum_equals(&d, &v);
    }
    return strcmp(op, "in") == 0 && in_list(&d, json_array_get(filter, 2));
}
