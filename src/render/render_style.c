/* render_style.c - paints of the style subset (styles/README.md) as cairo operations, with
 * MapLibre's defaults for absent values; the map and the legend's swatches both use them so
 * a swatch looks like the map. */
#include "render/render_int.h"

#include <math.h>
#include <string.h>

/* Style layers */

const char *render_style_layer_type(const json_t *style_layer)
{
    const char *t = json_string_value(json_object_get(style_layer, "type"));
    return t != NULL ? t : "";
}

bool render_style_layer_shows(const json_t *style_layer, double zoom)
{
    const json_t *layout = json_object_get(style_layer, "layout");
    const char *vis = json_string_value(json_object_get(layout, "visibility"));
    if (vis != NULL && strcmp(vis, "none") == 0) {
        return false;
    }
    const json_t *minz = json_object_get(style_layer, "minzoom");
    const json_t *maxz = json_object_get(style_layer, "maxzoom");
    if (minz != NULL && zoom < json_number_value(minz)) {
        return false;
    }
    return maxz == NULL || zoom < json_number_value(maxz);
}

static const json_t *paint_of(const json_t *sl, const char *name)
{
    return json_object_get(json_object_get(sl, "paint"), name);
}

static const json_t *layout_of(const json_t *sl, const char *name)
{
    return json_object_get(json_object_get(sl, "layout"), name);
}

/* A number property, or def when absent or without a value for f. */
static double number_of(const json_t *value, const struct style_feature *f, double zoom, double def)
{
    if (value == NULL) {
        return def;
    }
    struct style_result r;
    style_eval(value, STYLE_WANT_NUMBER, f, zoom, &r);
    return r.kind == STYLE_RESULT_NUMBER ? r.number : def;
}

static struct style_color color_of(const json_t *value, const struct style_feature *f, double zoom,
                                   struct style_color def)
{
    if (value == NULL) {
        return def;
    }
    struct style_result r;
    style_eval(value, STYLE_WANT_COLOR, f, zoom, &r);
    return r.kind == STYLE_RESULT_COLOR ? r.color : def;
}

static const struct style_color black = {0, 0, 0, 1};

void render_style_fill_path(cairo_t *cr, const json_t *sl, const struct style_feature *f,
                            double zoom, double s)
{
    struct style_color c = color_of(paint_of(sl, "fill-color"), f, zoom, black);
    c.a *= number_of(paint_of(sl, "fill-opacity"), f, zoom, 1);
    const json_t *outline = paint_of(sl, "fill-outline-color");
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    render_set_color(cr, c);
    const char *pattern = json_string_value(paint_of(sl, "fill-pattern"));
    if (pattern != NULL && strcmp(pattern, RENDER_PATTERN_HATCH) == 0) {
        cairo_fill_preserve(cr);
        render_hatch_path(cr, s);
        return;
    }
    if (outline == NULL) {
        cairo_fill(cr);
        return;
    }
    cairo_fill_preserve(cr);
    struct style_color oc = color_of(outline, f, zoom, c);
    oc.a *= number_of(paint_of(sl, "fill-opacity"), f, zoom, 1);
    render_set_color(cr, oc);
    cairo_set_line_width(cr, s);
    cairo_stroke(cr);
}

void render_hatch_path(cairo_t *cr, double s)
{
    double x0, y0, x1, y1;
    cairo_save(cr);
    cairo_clip(cr);
    cairo_clip_extents(cr, &x0, &y0, &x1, &y1);
    double step = 5 * s, h = y1 - y0;
    cairo_new_path(cr);
    for (double x = x0 - h; x < x1; x += step) {
        cairo_move_to(cr, x, y1);
        cairo_line_to(cr, x + h, y0);
    }
    cairo_set_source_rgba(cr, 0.45, 0.45, 0.45, 1);
    cairo_set_line_width(cr, 0.9 * s);
    cairo_stroke(cr);
    cairo_restore(cr);
}

static cairo_line_cap_t cap_of(const json_t *sl)
{
    const char *cap = json_string_value(layout_of(sl, "line-cap"));
    if (cap != NULL && strcmp(cap, "round") == 0) {
        return CAIRO_LINE_CAP_ROUND;
    }
    return cap != NULL && strcmp(cap, "square") == 0 ? CAIRO_LINE_CAP_SQUARE : CAIRO_LINE_CAP_BUTT;
}

static cairo_line_join_t join_of(const json_t *sl)
{
    const char *join = json_string_value(layout_of(sl, "line-join"));
    if (join != NULL && strcmp(join, "round") == 0) {
        return CAIRO_LINE_JOIN_ROUND;
    }
    return join != NULL && strcmp(join, "bevel") == 0 ? CAIRO_LINE_JOIN_BEVEL
                                                      : CAIRO_LINE_JOIN_MITER;
}

/* line-dasharray is in line widths (MapLibre); cairo wants device units. */
static void set_dash(cairo_t *cr, const json_t *sl, double width)
{
    const json_t *dash = paint_of(sl, "line-dasharray");
    double d[16];
    size_t n = 0;
    for (size_t i = 0; json_is_array(dash) && i < json_array_size(dash) && n < 16; i++) {
        d[n++] = json_number_value(json_array_get(dash, i)) * width;
    }
    cairo_set_dash(cr, d, (int)n, 0);
}

void render_style_stroke_path(cairo_t *cr, const json_t *sl, const struct style_feature *f,
                              double zoom, double s)
{
    double width = number_of(paint_of(sl, "line-width"), f, zoom, 1) * s;
    struct style_color c = color_of(paint_of(sl, "line-color"), f, zoom, black);
    c.a *= number_of(paint_of(sl, "line-opacity"), f, zoom, 1);
    if (width <= 0 || c.a <= 0) {
        cairo_new_path(cr);
        return;
    }
    render_set_color(cr, c);
    cairo_set_line_width(cr, width);
    cairo_set_line_cap(cr, cap_of(sl));
    cairo_set_line_join(cr, join_of(sl));
    set_dash(cr, sl, width);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
}

void render_style_circle_paint(const json_t *sl, const struct style_feature *f, double zoom,
                               double s, struct render_circle_paint *out)
{
    memset(out, 0, sizeof(*out));
    out->radius = number_of(paint_of(sl, "circle-radius"), f, zoom, 5) * s;
    double opacity = number_of(paint_of(sl, "circle-opacity"), f, zoom, 1);
    out->fill = color_of(paint_of(sl, "circle-color"), f, zoom, black);
    out->fill.a *= opacity;
    out->stroke_width = number_of(paint_of(sl, "circle-stroke-width"), f, zoom, 0) * s;
    if (out->stroke_width > 0) {
        out->stroke = color_of(paint_of(sl, "circle-stroke-color"), f, zoom, black);
        out->stroke.a *= opacity;
    } else {
        out->stroke_width = 0;
    }
}

void render_style_circle_paint_path(cairo_t *cr, const struct render_circle_paint *p)
{
    render_set_color(cr, p->fill);
    if (p->stroke_width <= 0) {
        cairo_fill(cr);
        return;
    }
    cairo_fill_preserve(cr);
    render_set_color(cr, p->stroke);
    cairo_set_line_width(cr, p->stroke_width);
    cairo_stroke(cr);
}

void render_style_circle_paint_at(cairo_t *cr, const struct render_circle_paint *p, double x,
                                  double y)
{
    if (p->radius <= 0) {
        return;
    }
    cairo_new_sub_path(cr);
    cairo_arc(cr, x, y, p->radius, 0, 2 * M_PI);
    render_style_circle_paint_path(cr, p);
}

void render_style_circle(cairo_t *cr, const json_t *sl, const struct style_feature *f, double zoom,
                         double s, double x, double y)
{
    struct render_circle_paint p;
    render_style_circle_paint(sl, f, zoom, s, &p);
    render_style_circle_paint_at(cr, &p, x, y);
}
