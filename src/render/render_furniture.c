/* render_furniture.c - what a printed map carries besides its layers: a scale bar of a
 * round length, true at the map's centre latitude (Web Mercator stretches away from it), a
 * north arrow, and a QR code drawn as vector squares so it stays sharp in PDF and SVG. */
#include "render/render_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qrencode.h>

#include "base/alloc.h"

double render_scale_bar_metres(double ground_m_per_px, double max_px)
{
    double max_m = ground_m_per_px * max_px;
    if (!(max_m > 0)) {
        return 0;
    }
    double p = pow(10, floor(log10(max_m)));
    static const double steps[] = {5, 2, 1};
    for (size_t i = 0; i < 3; i++) {
        if (steps[i] * p <= max_m) {
            return steps[i] * p;
        }
    }
    return p;
}

static void length_text(double m, char *out, size_t cap)
{
    if (m >= 1000) {
        snprintf(out, cap, "%g km", m / 1000);
    } else {
        snprintf(out, cap, "%g m", m);
    }
}

void render_scale_bar(cairo_t *cr, const struct render_frame *frame, double x, double y,
                      double max_px, double unit)
{
    double m_per_px = render_frame_ground_m_per_px(frame);
    double metres = render_scale_bar_metres(m_per_px, max_px);
    if (metres <= 0) {
        return;
    }
    double len = metres / m_per_px, bar_h = 1.2 * unit;
    char label[32];
    length_text(metres, label, sizeof(label));
    struct render_text_style st = {2.6 * unit, false, 0, 0, {0.1, 0.1, 0.1, 1}, PANGO_ALIGN_LEFT};
    PangoLayout *layout = render_text_layout(cr, label, &st);
    double tw = 0, th = 0;
    render_text_extent(layout, &tw, &th);
    cairo_save(cr);
    /* A light backing keeps the bar readable on dark fills. */
    cairo_set_source_rgba(cr, 1, 1, 1, 0.8);
    cairo_rectangle(cr, x - unit, y - bar_h - th - 2 * unit, fmax(len, tw) + 2 * unit,
                    bar_h + th + 3 * unit);
    cairo_fill(cr);
    for (int i = 0; i < 2; i++) {
        cairo_rectangle(cr, x + i * len / 2, y - bar_h, len / 2, bar_h);
        cairo_set_source_rgb(cr, i == 0 ? 0.1 : 1, i == 0 ? 0.1 : 1, i == 0 ? 0.1 : 1);
        cairo_fill(cr);
    }
    cairo_rectangle(cr, x, y - bar_h, len, bar_h);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    cairo_set_line_width(cr, 0.2 * unit);
    cairo_stroke(cr);
    render_set_color(cr, st.color);
    cairo_move_to(cr, x, y - bar_h - th - 0.5 * unit);
    pango_cairo_show_layout(cr, layout);
    cairo_restore(cr);
    g_object_unref(layout);
}

void render_north_arrow(cairo_t *cr, double cx, double cy, double size)
{
    double w = size * 0.45, top = cy - size / 2, bottom = cy + size / 2 - size * 0.3;
    cairo_save(cr);
    cairo_set_source_rgba(cr, 1, 1, 1, 0.8);
    cairo_arc(cr, cx, cy, size * 0.62, 0, 2 * M_PI);
    cairo_fill(cr);
    /* Two halves, dark and light, as on topographic maps. */
    cairo_move_to(cr, cx, top);
    cairo_line_to(cr, cx - w / 2, bottom);
    cairo_line_to(cr, cx, bottom - size * 0.12);
    cairo_close_path(cr);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    cairo_fill(cr);
    cairo_move_to(cr, cx, top);
    cairo_line_to(cr, cx + w / 2, bottom);
    cairo_line_to(cr, cx, bottom - size * 0.12);
    cairo_close_path(cr);
    cairo_set_line_width(cr, size * 0.03);
    cairo_stroke(cr);
    struct render_text_style st = {size * 0.28, true, 0, 0, {0.1, 0.1, 0.1, 1}, PANGO_ALIGN_LEFT};
    PangoLayout *layout = render_text_layout(cr, "N", &st);
    double tw = 0, th = 0;
    render_text_extent(layout, &tw, &th);
    cairo_move_to(cr, cx - tw / 2, bottom);
    pango_cairo_show_layout(cr, layout);
    g_object_unref(layout);
    cairo_restore(cr);
}

int render_qr_modules(const char *text, unsigned char **modules, int *width, struct err *err)
{
    if (text == NULL || text[0] == '\0') {
        return err_set(err, ERR_INVALID, "a QR code needs some text");
    }
    /* Level M survives a smudge or a fold of a printed poster (15 % of modules). */
    QRcode *qr = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
    if (qr == NULL) {
        return err_set(err, ERR_INVALID, "the link is too long for a QR code (%zu bytes)",
                       strlen(text));
    }
    size_t n = (size_t)qr->width * (size_t)qr->width;
    *modules = xmalloc(n);
    for (size_t i = 0; i < n; i++) {
        (*modules)[i] = qr->data[i] & 1; /* bit 0: dark; the others are qrencode's notes */
    }
    *width = qr->width;
    QRcode_free(qr);
    return ERR_OK;
}

int render_qr_svg(const char *text, struct buf *out, struct err *err)
{
    unsigned char *modules = NULL;
    int width = 0;
    int rc = render_qr_modules(text, &modules, &width, err);
    int size = width + 8;
    if (rc == ERR_OK) {
        rc = buf_printf(out, err,
                        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
                        "shape-rendering=\"crispEdges\"><rect width=\"%d\" height=\"%d\" "
                        "fill=\"#fff\"/><path fill=\"#000\" d=\"",
                        size, size, size, size);
    }
    for (int y = 0; rc == ERR_OK && y < width; y++) {
        for (int x = 0; rc == ERR_OK && x < width; x++) {
            if (modules[y * width + x]) {
                rc = buf_printf(out, err, "M%d %dh1v1h-1z", x + 4, y + 4);
            }
        }
    }
    if (rc == ERR_OK) {
        rc = buf_append_str(out, "\"/></svg>\n", err);
    }
    free(modules);
    return rc;
}

int render_qr_draw(cairo_t *cr, const char *text, double x, double y, double size, struct err *err)
{
    unsigned char *modules = NULL;
    int width = 0;
    int rc = render_qr_modules(text, &modules, &width, err);
    if (rc != ERR_OK) {
        return rc;
    }
    double m = size / (width + 2 * RENDER_QR_QUIET);
    cairo_save(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_rectangle(cr, x, y, size, size);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    /* Unantialiased squares: neighbours meet without hairline seams in raster output. */
    cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
    for (int r = 0; r < width; r++) {
        for (int c = 0; c < width; c++) {
            if (modules[r * width + c]) {
                cairo_rectangle(cr, x + (c + RENDER_QR_QUIET) * m, y + (r + RENDER_QR_QUIET) * m, m,
                                m);
            }
        }
    }
    cairo_fill(cr);
    cairo_restore(cr);
    free(modules);
    return ERR_OK;
}
