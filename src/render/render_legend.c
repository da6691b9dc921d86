/* render_legend.c - the legend of the map's layers, read from their style documents: a
 * swatch per layer drawn by the map's own paint code, or one per class when the colour is
 * categorised (match) or graduated (step) on a property, labelled with the class values. */
#include "render/render_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"

static const char *colour_property(const char *type)
{
    if (strcmp(type, "fill") == 0) {
        return "fill-color";
    }
    if (strcmp(type, "line") == 0) {
        return "line-color";
    }
    return strcmp(type, "circle") == 0 ? "circle-color" : NULL;
}

/* The field of ["match"|"step", ["get", field], ...], or NULL. */
static const char *class_field(const json_t *v, const char **op)
{
    *op = json_string_value(json_array_get(v, 0));
    if (*op == NULL || (strcmp(*op, "match") != 0 && strcmp(*op, "step") != 0)) {
        return NULL;
    }
    const json_t *input = json_array_get(v, 1);
    const char *get = json_string_value(json_array_get(input, 0));
    if (get == NULL || strcmp(get, "get") != 0) {
        return NULL;
    }
    return json_string_value(json_array_get(input, 1));
}

static const char *legend_title(const struct render_layer *rl, bool is_thai)
{
    const json_t *legend =
        json_object_get(json_object_get(rl->style, "metadata"), "cityatlas:legend");
    const char *first = json_string_value(json_object_get(legend, is_thai ? "th" : "en"));
    const char *other = json_string_value(json_object_get(legend, is_thai ? "en" : "th"));
    const struct store_layer *l = rl->layer;
    const char *titles[] = {first, other, is_thai ? l->title_th : l->title_en,
                            is_thai ? l->title_en : l->title_th, l->id};
    for (size_t i = 0; i < 5; i++) {
        if (titles[i] != NULL && titles[i][0] != '\0') {
            return titles[i];
        }
    }
    return "";
}

static struct render_legend_row *add_row(struct render_legend *lg, size_t *cap, char *label)
{
    if (lg->n_rows == *cap) {
        *cap = *cap ? 2 * *cap : 16;
        lg->rows = xreallocarray(lg->rows, *cap, sizeof(*lg->rows));
    }
    struct render_legend_row *row = &lg->rows[lg->n_rows++];
    memset(row, 0, sizeof(*row));
    row->label = label;
    return row;
}

static void copy_layers(struct render_legend_row *row, const json_t *const *sls, size_t n)
{
    memcpy(row->style_layers, sls, n * sizeof(*sls));
    row->n_style_layers = n;
}

/* A match label as text: a string, a number, or an array of them joined by ", ". */
static char *label_text(const json_t *label)
{
    if (json_is_string(label)) {
        return xstrdup(json_string_value(label));
    }
    if (json_is_number(label)) {
        return xasprintf("%g", json_number_value(label));
    }
    char *text = xstrdup("");
    for (size_t i = 0; json_is_array(label) && i < json_array_size(label); i++) {
        char *item = label_text(json_array_get(label, i));
        char *joined = xasprintf("%s%s%s", text, i > 0 ? ", " : "", item);
        free(item);
        free(text);
        text = joined;
    }
    return text;
}

static void set_value(struct render_legend_row *row, const char *field, const json_t *label)
{
    const json_t *v = json_is_array(label) ? json_array_get(label, 0) : label;
    row->field = field;
    if (json_is_string(v)) {
        row->value_text = xstrdup(json_string_value(v));
        row->value =
            (struct store_value){STORE_TEXT, false, 0, 0, row->value_text, strlen(row->value_text)};
    } else {
        row->value = (struct store_value){STORE_REAL, false, 0, json_number_value(v), NULL, 0};
    }
}

/* The title a style gives a class value in its metadata "cityatlas:labels" (e.g. a sketch
 * kind's title), in the language or else the other; NULL when it gives none. */
static const char *class_title(const json_t *style, const json_t *label, bool is_thai)
{
    const json_t *titles =
        json_object_get(json_object_get(json_object_get(style, "metadata"), "cityatlas:labels"),
                        json_string_value(label) != NULL ? json_string_value(label) : "");
    const char *first = json_string_value(json_object_get(titles, is_thai ? "th" : "en"));
    const char *other = json_string_value(json_object_get(titles, is_thai ? "en" : "th"));
    return first != NULL && first[0] != '\0' ? first : other;
}

static bool is_class_seen(const struct render_seen_layer *seen, size_t k)
{
    return seen == NULL || (k < seen->n_classes && seen->classes[k]);
}

static void match_rows(struct render_legend *lg, size_t *cap, const json_t *style, const json_t *e,
                       const char *field, const json_t *const *sls, size_t n_sls, bool is_thai,
                       const struct render_seen_layer *seen)
{
    size_t n = json_array_size(e);
    for (size_t i = 2; i + 2 < n; i += 2) {
        if (!is_class_seen(seen, (i - 2) / 2)) {
            continue;
        }
        const json_t *label = json_array_get(e, i);
        const char *title = class_title(style, label, is_thai);
        struct render_legend_row *row =
            add_row(lg, cap, title != NULL ? xstrdup(title) : label_text(label));
        copy_layers(row, sls, n_sls);
        set_value(row, field, label);
    }
    if (is_class_seen(seen, (n - 3) / 2)) {
        struct render_legend_row *other = add_row(lg, cap, xstrdup(is_thai ? "อื่น ๆ" : "other"));
        copy_layers(other, sls, n_sls); /* no properties: the match's fallback */
    }
}

static void step_rows(struct render_legend *lg, size_t *cap, const json_t *e, const char *field,
                      const json_t *const *sls, size_t n_sls, const struct render_seen_layer *seen)
{
    size_t n = json_array_size(e);
    for (size_t i = 2; i < n; i += 2) {
        if (!is_class_seen(seen, (i - 2) / 2)) {
            continue;
        }
        double lo = i > 2 ? json_number_value(json_array_get(e, i - 1)) : 0;
        bool is_last = i + 2 >= n;
        double hi = is_last ? 0 : json_number_value(json_array_get(e, i + 1));
        char *label = i == 2    ? xasprintf("< %g", hi)
                      : is_last ? xasprintf("≥ %g", lo)
                                : xasprintf("%g – %g", lo, hi);
        struct render_legend_row *row = add_row(lg, cap, label);
        copy_layers(row, sls, n_sls);
        /* A value inside the class: the stop itself, or just under the first stop. */
        double v = i == 2 ? hi - fmax(1e-9, fabs(hi) * 1e-9) : lo;
        row->field = field;
        row->value = (struct store_value){STORE_REAL, false, 0, v, NULL, 0};
    }
}

static void layer_rows(struct render_legend *lg, size_t *cap, const struct render_layer *rl,
                       double zoom, bool is_thai, const struct render_seen_layer *seen)
{
    if (seen != NULL && !seen->is_drawn) {
        return; /* nothing of it on the map */
    }
    const json_t *sls_json = json_object_get(rl->style, "layers");
    const json_t *sls[4];
    size_t n = 0;
    const json_t *classes = NULL;
    const char *field = NULL, *op = NULL;
    for (size_t i = 0; i < json_array_size(sls_json) && n < 4; i++) {
        const json_t *sl = json_array_get(sls_json, i);
        const char *prop = colour_property(render_style_layer_type(sl));
        if (prop == NULL || !render_style_layer_shows(sl, zoom)) {
            continue;
        }
        sls[n++] = sl;
        const json_t *colour = json_object_get(json_object_get(sl, "paint"), prop);
        const char *f = classes == NULL ? class_field(colour, &op) : NULL;
        if (f != NULL) {
            classes = colour;
            field = f;
        }
    }
    if (n == 0) {
        return; /* labels only, or nothing at this zoom */
    }
    const char *title = legend_title(rl, is_thai);
    if (classes == NULL) {
        copy_layers(add_row(lg, cap, xstrdup(title)), sls, n);
        return;
    }
    add_row(lg, cap, xstrdup(title))->is_heading = true;
    op = json_string_value(json_array_get(classes, 0));
    if (strcmp(op, "match") == 0) {
        match_rows(lg, cap, rl->style, classes, field, sls, n, is_thai, seen);
    } else {
        step_rows(lg, cap, classes, field, sls, n, seen);
    }
}

void render_legend_build(const struct render_layer *layers, size_t n_layers, double zoom,
                         bool is_thai, const struct render_seen *seen, struct render_legend *out)
{
    memset(out, 0, sizeof(*out));
    size_t cap = 0;
    for (size_t i = 0; i < n_layers; i++) {
        const struct render_seen_layer *sl =
            seen != NULL && i < seen->n_layers ? &seen->layers[i] : NULL;
        if (layers[i].layer->geometry_type != NULL) {
            layer_rows(out, &cap, &layers[i], zoom, is_thai, sl);
        }
    }
}

const json_t *render_legend_classes(const json_t *style, double zoom, const json_t **owner,
                                    const char **field)
{
    const json_t *sls = json_object_get(style, "layers");
    size_t n = 0;
    for (size_t i = 0; i < json_array_size(sls) && n < 4; i++) {
        const json_t *sl = json_array_get(sls, i);
        const char *prop = colour_property(render_style_layer_type(sl));
        if (prop == NULL || !render_style_layer_shows(sl, zoom)) {
            continue;
        }
        n++;
        const json_t *colour = json_object_get(json_object_get(sl, "paint"), prop);
        const char *op = NULL;
        const char *f = class_field(colour, &op);
        if (f != NULL) {
            *owner = sl;
            *field = f;
            return colour;
        }
    }
    *owner = NULL;
    *field = NULL;
    return NULL;
}

size_t render_legend_class_count(const json_t *classes)
{
    size_t n = json_array_size(classes);
    const char *op = json_string_value(json_array_get(classes, 0));
    if (n < 3) {
        return 0;
    }
    /* match: (n - 3) / 2 labels and the fallback; step: (n - 1) / 2 intervals. */
    return strcmp(op, "match") == 0 ? (n - 3) / 2 + 1 : (n - 1) / 2;
}

static bool value_number(const struct store_value *v, double *d)
{
    if (v->type == STORE_INTEGER) {
        *d = (double)v->i;
        return true;
    }
    *d = v->d;
    return v->type == STORE_REAL;
}

/* True when a match label (a string, a number, or an array of them) names v. */
static bool label_names(const json_t *label, const struct store_value *v)
{
    if (json_is_array(label)) {
        for (size_t i = 0; i < json_array_size(label); i++) {
            if (label_names(json_array_get(label, i), v)) {
                return true;
            }
        }
        return false;
    }
    if (json_is_string(label)) {
        return v->type == STORE_TEXT && v->len == json_string_length(label) &&
               memcmp(v->ptr, json_string_value(label), v->len) == 0;
    }
    double d = 0;
    return json_is_number(label) && value_number(v, &d) && d == json_number_value(label);
}

long render_legend_class_of(const json_t *classes, const char *field, const struct style_feature *f)
{
    const struct store_value *v = NULL;
    for (size_t i = 0; i < f->n && v == NULL; i++) {
        v = strcmp(f->names[i], field) == 0 ? &f->values[i] : NULL;
    }
    size_t n = json_array_size(classes);
    bool is_match = strcmp(json_string_value(json_array_get(classes, 0)), "match") == 0;
    if (is_match) {
        for (size_t i = 2; v != NULL && !v->is_null && i + 2 < n; i += 2) {
            if (label_names(json_array_get(classes, i), v)) {
                return (long)((i - 2) / 2);
            }
        }
        return (long)((n - 3) / 2); /* the fallback, as the map paints it */
    }
    double d = 0;
    if (v == NULL || v->is_null || !value_number(v, &d)) {
        return -1;
    }
    long k = 0;
    for (size_t i = 3; i < n && d >= json_number_value(json_array_get(classes, i)); i += 2) {
        k++;
    }
    return k;
}

void render_legend_clear(struct render_legend *legend)
{
    for (size_t i = 0; i < legend->n_rows; i++) {
        free(legend->rows[i].label);
        free(legend->rows[i].value_text);
    }
    free(legend->rows);
    memset(legend, 0, sizeof(*legend));
}

/* Draws a row's swatch in the w x h box at (x, y), as the map would draw a feature with
 * the row's value: fills as the box, lines along it (around it when a fill is there too),
 * circles in its middle. */
static void draw_swatch(cairo_t *cr, const struct render_legend_row *row, double x, double y,
                        double w, double h, double zoom, double s)
{
    const char *names[1] = {row->field};
    struct style_feature f = {names, &row->value, row->field != NULL ? 1 : 0};
    bool has_fill = false;
    for (size_t i = 0; i < row->n_style_layers; i++) {
        has_fill = has_fill || strcmp(render_style_layer_type(row->style_layers[i]), "fill") == 0;
    }
    cairo_save(cr);
    cairo_rectangle(cr, x - h / 2, y - h / 2, w + h, 2 * h);
    cairo_clip(cr);
    for (size_t i = 0; i < row->n_style_layers; i++) {
        const json_t *sl = row->style_layers[i];
        const char *type = render_style_layer_type(sl);
        cairo_new_path(cr);
        if (strcmp(type, "fill") == 0) {
            cairo_rectangle(cr, x, y, w, h);
            render_style_fill_path(cr, sl, &f, zoom, s);
        } else if (strcmp(type, "line") == 0 && has_fill) {
            cairo_rectangle(cr, x, y, w, h);
            render_style_stroke_path(cr, sl, &f, zoom, s);
        } else if (strcmp(type, "line") == 0) {
            cairo_move_to(cr, x, y + h / 2);
            cairo_line_to(cr, x + w, y + h / 2);
            render_style_stroke_path(cr, sl, &f, zoom, s);
        } else {
            render_style_circle(cr, sl, &f, zoom, s, x + w / 2, y + h / 2);
        }
    }
    cairo_restore(cr);
}

double render_legend_draw(cairo_t *cr, const struct render_legend *legend, double x, double y,
                          double width, double max_h, double unit, double zoom, double s)
{
    struct render_text_style text = {3.0 * unit,      false, 0, 1, {0.13, 0.13, 0.13, 1},
                                     PANGO_ALIGN_LEFT};
    double sw = 6 * unit, sh = 3.6 * unit, gap = 1.2 * unit, top = y;
    for (size_t i = 0; i < legend->n_rows; i++) {
        const struct render_legend_row *row = &legend->rows[i];
        text.is_bold = row->is_heading;
        double indent = row->is_heading ? 0 : sw + 2 * unit;
        text.width = fmax(unit, width - indent);
        PangoLayout *layout = render_text_layout(cr, row->label, &text);
        double tw = 0, th = 0;
        render_text_extent(layout, &tw, &th);
        double rh = fmax(th, row->is_heading ? 0 : sh);
        if (y + rh - top > max_h) {
            g_object_unref(layout);
            break;
        }
        if (!row->is_heading) {
            draw_swatch(cr, row, x, y + (rh - sh) / 2, sw, sh, zoom, s);
        }
        render_set_color(cr, text.color);
        cairo_move_to(cr, x + indent, y + (rh - th) / 2);
        pango_cairo_show_layout(cr, layout);
        g_object_unref(layout);
        y += rh + gap;
    }
    return y - top;
}
