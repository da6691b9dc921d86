/* sketch_qgis_style.c - QML and SLD text of the sketch tables' styles, one category (rule)
 * per sketch kind. */
#include "scenario/sketch_qgis_style.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "encode/html_text.h"
#include "styles/style_color.h"

/* Far above what 16 kinds with titles of a few hundred characters take (some kilobytes). */
#define STYLE_TEXT_MAX (4 * 1024 * 1024)

/* Text being written: the first failure (only ERR_TOO_LARGE, which the document's caps
 * rule out) stops further appends. */
struct xml {
    struct buf b;
    int rc;
    struct err err;
};

static void xml_raw(struct xml *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void xml_raw(struct xml *x, const char *fmt, ...)
{
    if (x->rc != ERR_OK) {
        return;
    }
    va_list ap, again;
    va_start(ap, fmt);
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *text = xmalloc(n > 0 ? (size_t)n + 1 : 1);
    vsnprintf(text, n > 0 ? (size_t)n + 1 : 1, fmt, again);
    va_end(again);
    x->rc = buf_append(&x->b, text, n > 0 ? (size_t)n : 0, &x->err);
    free(text);
}

/* Appends s escaped for XML text and attribute values (NULL: nothing). */
static void xml_text(struct xml *x, const char *s)
{
    if (x->rc == ERR_OK && s != NULL) {
        x->rc = html_text_append(&x->b, s, strlen(s), &x->err);
    }
}

/* The text, or NULL when writing failed. */
static char *xml_finish(struct xml *x)
{
    if (x->rc != ERR_OK) {
        buf_clear(&x->b);
        return NULL;
    }
    char *text = xstrdup(x->b.data != NULL ? x->b.data : "");
    buf_clear(&x->b);
    return text;
}

static struct style_color kind_colour(const struct scenario_kind *k)
{
    struct style_color c = {0.47, 0.47, 0.47, 1};
    if (!style_color_parse(k->color, &c)) {
        c = (struct style_color){0.47, 0.47, 0.47, 1};
    }
    return c;
}

/* "r,g,b,a" with 0..255 components, as QGIS writes colours. */
static void qgis_rgba(char *out, size_t cap, struct style_color c, double alpha)
{
    snprintf(out, cap, "%d,%d,%d,%d", (int)(c.r * 255 + 0.5), (int)(c.g * 255 + 0.5),
             (int)(c.b * 255 + 0.5), (int)(alpha * 255 + 0.5));
}

static void css_hex(char *out, size_t cap, struct style_color c)
{
    snprintf(out, cap, "#%02x%02x%02x", (int)(c.r * 255 + 0.5), (int)(c.g * 255 + 0.5),
             (int)(c.b * 255 + 0.5));
}

/* The category label: "th / en", or the one there is. */
static void put_label(struct xml *x, const struct scenario_kind *k)
{
    const char *th = k->title.th, *en = k->title.en;
    bool has_th = th != NULL && th[0] != '\0', has_en = en != NULL && en[0] != '\0';
    xml_text(x, has_th ? th : en);
    if (has_th && has_en && strcmp(th, en) != 0) {
        xml_raw(x, " / ");
        xml_text(x, en);
    }
}

/* QML */

/* One symbol property, in both forms QGIS reads: the Option map of QGIS 3.26 and later
 * (written by put_options) and the older prop elements. */
struct prop {
    const char *name, *value;
};

static void put_props(struct xml *x, const struct prop *props, size_t n)
{
    xml_raw(x, "<Option type=\"Map\">");
    for (size_t i = 0; i < n; i++) {
        xml_raw(x, "<Option name=\"%s\" type=\"QString\" value=\"%s\"/>", props[i].name,
                props[i].value);
    }
    xml_raw(x, "</Option>");
    for (size_t i = 0; i < n; i++) {
        xml_raw(x, "<prop k=\"%s\" v=\"%s\"/>", props[i].name, props[i].value);
    }
}

static void put_layer(struct xml *x, const char *cls, const struct prop *props, size_t n)
{
    xml_raw(x, "<layer class=\"%s\" enabled=\"1\" locked=\"0\" pass=\"0\">", cls);
    put_props(x, props, n);
    xml_raw(x, "</layer>");
}

static void put_symbol(struct xml *x, size_t index, const struct scenario_kind *k,
                       enum sketch_shape shape)
{
    static const char *const types[] = {"marker", "line", "fill"};
    struct style_color c = kind_colour(k);
    char solid[32], light[32];
    qgis_rgba(solid, sizeof(solid), c, 1);
    qgis_rgba(light, sizeof(light), c, 0.22);
    xml_raw(x,
            "<symbol type=\"%s\" name=\"%zu\" alpha=\"1\" clip_to_extent=\"1\" "
            "force_rhr=\"0\">",
            types[shape], index);
    if (shape == SKETCH_POINTS) {
        const struct prop p[] = {{"name", "circle"},
                                 {"color", solid},
                                 {"outline_color", "26,26,26,255"},
                                 {"outline_style", "solid"},
                                 {"outline_width", "0.6"},
                                 {"outline_width_unit", "MM"},
                                 {"size", "3.6"},
                                 {"size_unit", "MM"}};
        put_layer(x, "SimpleMarker", p, sizeof(p) / sizeof(p[0]));
    } else if (shape == SKETCH_LINES) {
        const struct prop casing[] = {
            {"line_color", "255,255,255,255"}, {"line_width", "1.8"}, {"line_width_unit", "MM"},
            {"line_style", "solid"},           {"capstyle", "round"}, {"joinstyle", "round"}};
        const struct prop line[] = {
            {"line_color", solid},     {"line_width", "0.9"},    {"line_width_unit", "MM"},
            {"line_style", "solid"},   {"use_custom_dash", "1"}, {"customdash", "2;1"},
            {"customdash_unit", "MM"}, {"capstyle", "flat"},     {"joinstyle", "round"}};
        put_layer(x, "SimpleLine", casing, sizeof(casing) / sizeof(casing[0]));
        put_layer(x, "SimpleLine", line, sizeof(line) / sizeof(line[0]));
    } else {
        const struct prop fill[] = {{"color", light},         {"style", "solid"},
                                    {"outline_color", solid}, {"outline_style", "dash"},
                                    {"outline_width", "0.7"}, {"outline_width_unit", "MM"}};
        put_layer(x, "SimpleFill", fill, sizeof(fill) / sizeof(fill[0]));
    }
    xml_raw(x, "</symbol>");
}

char *sketch_qgis_qml(const struct scenario_doc *doc, enum sketch_shape shape)
{
    struct xml x = {.rc = ERR_OK};
    buf_init(&x.b, STYLE_TEXT_MAX);
    xml_raw(&x, "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
                "<qgis version=\"3.22.0\" styleCategories=\"Symbology\">\n"
                "<renderer-v2 type=\"categorizedSymbol\" attr=\"kind\" forceraster=\"0\" "
                "symbollevels=\"0\" enableorderby=\"0\">\n<categories>\n");
    for (size_t i = 0; i < doc->n_kinds; i++) {
        xml_raw(&x, "<category render=\"true\" symbol=\"%zu\" type=\"string\" value=\"", i);
        xml_text(&x, doc->kinds[i].id);
        xml_raw(&x, "\" label=\"");
        put_label(&x, &doc->kinds[i]);
        xml_raw(&x, "\"/>\n");
    }
    xml_raw(&x, "</categories>\n<symbols>\n");
    for (size_t i = 0; i < doc->n_kinds; i++) {
        put_symbol(&x, i, &doc->kinds[i], shape);
        xml_raw(&x, "\n");
    }
    xml_raw(&x, "</symbols>\n</renderer-v2>\n</qgis>\n");
    return xml_finish(&x);
}

/* SLD */

static void svg_param(struct xml *x, const char *name, const char *value)
{
    xml_raw(x, "<se:SvgParameter name=\"%s\">%s</se:SvgParameter>", name, value);
}

static void put_symbolizer(struct xml *x, const struct scenario_kind *k, enum sketch_shape shape)
{
    char hex[16];
    css_hex(hex, sizeof(hex), kind_colour(k));
    if (shape == SKETCH_POINTS) {
        xml_raw(x, "<se:PointSymbolizer><se:Graphic><se:Mark>"
                   "<se:WellKnownName>circle</se:WellKnownName><se:Fill>");
        svg_param(x, "fill", hex);
        xml_raw(x, "</se:Fill><se:Stroke>");
        svg_param(x, "stroke", "#1a1a1a");
        svg_param(x, "stroke-width", "2");
        xml_raw(x, "</se:Stroke></se:Mark><se:Size>14</se:Size></se:Graphic>"
                   "</se:PointSymbolizer>");
    } else if (shape == SKETCH_LINES) {
        xml_raw(x, "<se:LineSymbolizer><se:Stroke>");
        svg_param(x, "stroke", "#ffffff");
        svg_param(x, "stroke-width", "6");
        xml_raw(x, "</se:Stroke></se:LineSymbolizer><se:LineSymbolizer><se:Stroke>");
        svg_param(x, "stroke", hex);
        svg_param(x, "stroke-width", "3");
        svg_param(x, "stroke-dasharray", "6 3");
        xml_raw(x, "</se:Stroke></se:LineSymbolizer>");
    } else {
        xml_raw(x, "<se:PolygonSymbolizer><se:Fill>");
        svg_param(x, "fill", hex);
        svg_param(x, "fill-opacity", "0.22");
        xml_raw(x, "</se:Fill><se:Stroke>");
        svg_param(x, "stroke", hex);
        svg_param(x, "stroke-width", "2.5");
        svg_param(x, "stroke-dasharray", "7 4");
        xml_raw(x, "</se:Stroke></se:PolygonSymbolizer>");
    }
}

char *sketch_qgis_sld(const struct scenario_doc *doc, enum sketch_shape shape,
                      const char *table_name)
{
    struct xml x = {.rc = ERR_OK};
    buf_init(&x.b, STYLE_TEXT_MAX);
    xml_raw(&x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                "<StyledLayerDescriptor version=\"1.1.0\" "
                "xmlns=\"http://www.opengis.net/sld\" xmlns:ogc=\"http://www.opengis.net/ogc\" "
                "xmlns:se=\"http://www.opengis.net/se\" "
                "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                "xsi:schemaLocation=\"http://www.opengis.net/sld "
                "http://schemas.opengis.net/sld/1.1.0/StyledLayerDescriptor.xsd\">\n"
                "<NamedLayer><se:Name>");
    xml_text(&x, table_name);
    xml_raw(&x, "</se:Name><UserStyle><se:Name>");
    xml_text(&x, table_name);
    xml_raw(&x, "</se:Name><se:FeatureTypeStyle>\n");
    for (size_t i = 0; i < doc->n_kinds; i++) {
        xml_raw(&x, "<se:Rule><se:Name>");
        xml_text(&x, doc->kinds[i].id);
        xml_raw(&x, "</se:Name><se:Description><se:Title>");
        put_label(&x, &doc->kinds[i]);
        xml_raw(&x, "</se:Title></se:Description><ogc:Filter><ogc:PropertyIsEqualTo>"
                    "<ogc:PropertyName>kind</ogc:PropertyName><ogc:Literal>");
        xml_text(&x, doc->kinds[i].id);
        xml_raw(&x, "</ogc:Literal></ogc:PropertyIsEqualTo></ogc:Filter>");
        put_symbolizer(&x, &doc->kinds[i], shape);
        xml_raw(&x, "</se:Rule>\n");
    }
    xml_raw(&x, "</se:FeatureTypeStyle></UserStyle></NamedLayer>\n</StyledLayerDescriptor>\n");
    return xml_finish(&x);
}
