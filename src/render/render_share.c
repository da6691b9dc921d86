/* render_share.c - share images for social media (1200x630 link cards, 1080x1080 and
 * 1080x1350 posts): the map, a headline number with its label, the title, and the sources
 * and date in small print. A statistic's image also explains itself: the key of the map's
 * classes with their units (no data hatched), the highest and lowest areas, a caveat, the
 * data years and the full source line with licences and the link. Wide images put the
 * texts in a panel on the left, the others under the map. Sizes are in units of the short
 * side / 100. */
#include "render/render_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define RENDER_SHARE_MIN 200
#define RENDER_SHARE_MAX 4096

static const struct style_color ink = {0.1, 0.1, 0.1, 1};
static const struct style_color accent = {0, 0.447, 0.698, 1}; /* Okabe-Ito blue */
static const struct style_color grey = {0.35, 0.35, 0.35, 1};

/* A statistic's footer: "Hat Yai · data as of 2026 · computed 6 December 2026 · https://…
 * · Sources: …": place, years, date and link first. */
static char *stats_footer_text(const struct render_sheet *sheet)
{
    char date[96] = "";
    if (sheet->date != NULL &&
        render_date_text(sheet->date, sheet->is_thai, date, sizeof(date), NULL) != ERR_OK) {
        date[0] = '\0';
    }
    /* The link before the long source line. */
    const char *parts[] = {sheet->place, sheet->years, date, sheet->link, sheet->credit};
    GString *text = g_string_new("");
    for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
        if (parts[i] == NULL || parts[i][0] == '\0') {
            continue;
        }
        g_string_append(text, text->len > 0 ? " · " : "");
        if (parts[i] == date) {
            g_string_append(text, sheet->is_thai ? "คำนวณเมื่อ " : "computed ");
        }
        g_string_append(text, parts[i]);
    }
    return g_string_free(text, FALSE);
}

/* "หาดใหญ่ · 22 พฤศจิกายน พ.ศ. 2569 · ที่มา: a, b": place and date first, so an ellipsis
 * never hides them. */
static char *footer_text(const struct render_sheet *sheet)
{
    if (sheet->credit != NULL) {
        return stats_footer_text(sheet);
    }
    char date[160] = "";
    render_place_date_text(sheet, date, sizeof(date));
    GString *text = g_string_new(date);
    for (size_t i = 0; i < sheet->n_sources; i++) {
        if (i == 0) {
            g_string_append(text, date[0] != '\0' ? " · " : "");
            g_string_append(text, sheet->is_thai ? "ที่มา: " : "Source: ");
        }
        g_string_append(text, i > 0 ? ", " : "");
        g_string_append(text, sheet->sources[i].title != NULL ? sheet->sources[i].title : "");
    }
    return g_string_free(text, FALSE);
}

/* Draws (or only measures) a text at *y and moves *y below it. */
static void put(cairo_t *cr, double x, double *y, const char *text,
                const struct render_text_style *st, bool is_drawn)
{
    if (text == NULL || text[0] == '\0') {
        return;
    }
    PangoLayout *layout = render_text_layout(cr, text, st);
    double w, h;
    render_text_extent(layout, &w, &h);
    if (is_drawn) {
        render_set_color(cr, st->color);
        cairo_move_to(cr, x, *y);
        pango_cairo_show_layout(cr, layout);
    }
    g_object_unref(layout);
    *y += h;
}

/* The key: a swatch per class (hatched for no data) and its label; moves *y below it. */
static void put_key(cairo_t *cr, const struct render_sheet *sheet, double x, double *y, double w,
                    double u, double k, bool is_drawn)
{
    struct render_text_style st = {3.2 * u * k, false, w - 7 * u * k, 1, ink, PANGO_ALIGN_LEFT};
    double sw = 5 * u * k, sh = 3.2 * u * k;
    for (size_t i = 0; i < sheet->n_key; i++) {
        const struct render_key_row *row = &sheet->key[i];
        double top = *y;
        put(cr, x + sw + 2 * u * k, y, row->label, &st, is_drawn);
        if (!is_drawn) {
            continue;
        }
        double sy = top + (*y - top - sh) / 2;
        cairo_rectangle(cr, x, sy, sw, sh);
        struct style_color c = {0.96, 0.96, 0.96, 1};
        if (row->color != NULL) {
            (void)style_color_parse(row->color, &c);
        }
        render_set_color(cr, c);
        if (row->color == NULL) {
            cairo_fill_preserve(cr);
            render_hatch_path(cr, u * k * 0.25);
            cairo_rectangle(cr, x, sy, sw, sh);
        } else {
            cairo_fill_preserve(cr);
        }
        cairo_set_source_rgba(cr, 0.6, 0.6, 0.6, 1);
        cairo_set_line_width(cr, 0.15 * u);
        cairo_stroke(cr);
    }
}

/* The key, the facts and the caveat of a statistic's image. */
static void put_explanation(cairo_t *cr, const struct render_sheet *sheet, double x, double *y,
                            double w, double u, double k, bool is_drawn)
{
    if (sheet->n_key > 0) {
        put_key(cr, sheet, x, y, w, u, k, is_drawn);
        *y += 1.5 * u * k;
    }
    struct render_text_style fact = {3.2 * u * k, false, w, 2, ink, PANGO_ALIGN_LEFT};
    for (size_t i = 0; i < sheet->n_facts; i++) {
        put(cr, x, y, sheet->facts[i], &fact, is_drawn);
    }
    if (sheet->caveat != NULL) {
        *y += 1 * u * k;
        struct render_text_style note = {3 * u * k, true, w, 2, grey, PANGO_ALIGN_LEFT};
        put(cr, x, y, sheet->caveat, &note, is_drawn);
    }
}

/* Headline, label and title from the top of the panel, the footer after them; returns the
 * height used. k scales every size so the texts can be shrunk to fit. */
static double panel_texts(cairo_t *cr, const struct render_sheet *sheet, const double *p, double u,
                          double k, bool is_drawn, struct render_boxes *b)
{
    double x = p[0] + 6 * u, y = p[1] + 5 * u, w = p[2] - 12 * u;
    bool has_headline = sheet->headline_value != NULL && sheet->headline_value[0] != '\0';
    if (has_headline) {
        struct render_text_style big = {15 * u * k, true, w, 1, accent, PANGO_ALIGN_LEFT};
        put(cr, x, &y, sheet->headline_value, &big, is_drawn);
        struct render_text_style label = {4.6 * u * k, false, w, 2, ink, PANGO_ALIGN_LEFT};
        put(cr, x, &y, sheet->headline_label, &label, is_drawn);
        y += 3 * u * k;
    } else if (sheet->headline_label != NULL && sheet->headline_label[0] != '\0') {
        /* No single number: the label says what the statistic shows, as the headline. */
        struct render_text_style what = {5.5 * u * k, true, w, 3, accent, PANGO_ALIGN_LEFT};
        put(cr, x, &y, sheet->headline_label, &what, is_drawn);
        y += 3 * u * k;
    }
    b->title_style = (struct render_text_style){
        (has_headline ? 6 : 8) * u * k, true, w, 3, ink, PANGO_ALIGN_LEFT};
    double top = y;
    put(cr, x, &y, render_sheet_title(sheet), &b->title_style, is_drawn);
    b->title[0] = x;
    b->title[1] = top;
    b->title[2] = w;
    b->title[3] = y - top;
    y += 3 * u * k;
    put_explanation(cr, sheet, x, &y, w, u, k, is_drawn);
    y += 2 * u * k;
    char *footer = footer_text(sheet);
    /* A statistic's full source line is never cut: the texts shrink until it fits. */
    int footer_lines = sheet->credit != NULL ? 0 : 3;
    struct render_text_style small = {3 * u * k, false, w, footer_lines, grey, PANGO_ALIGN_LEFT};
    put(cr, x, &y, footer, &small, is_drawn);
    g_free(footer);
    return y + 5 * u - p[1];
}

/* The texts at the largest scale (up to 1) at which they fit the panel. */
static void draw_panel(cairo_t *cr, const struct render_sheet *sheet, const double *p, double u,
                       struct render_boxes *b)
{
    double k = 1;
    if (panel_texts(cr, sheet, p, u, k, false, b) > p[3]) {
        /* Wrapping makes the height a step function of k: bisect rather than scale. */
        double lo = 0.2, hi = 1;
        for (int i = 0; i < 8; i++) {
            k = (lo + hi) / 2;
            *(panel_texts(cr, sheet, p, u, k, false, b) <= p[3] ? &lo : &hi) = k;
        }
        k = lo;
    }
    panel_texts(cr, sheet, p, u, k, true, b);
}

int render_share_draw(cairo_t *cr, struct store_read *rd, const struct render_sheet *sheet,
                      double width, double height, struct render_boxes *boxes, struct err *err)
{
    memset(boxes, 0, sizeof(*boxes));
    double u = fmin(width, height) / 100;
    double panel[4];
    if (width / height > 1.3) {
        double pw = round(width * 0.42);
        double map[4] = {pw, 0, width - pw, height};
        memcpy(boxes->map, map, sizeof(map));
        memcpy(panel, (double[]){0, 0, pw, height}, sizeof(panel));
    } else {
        double mh = round(height * (height > width ? 0.6 : 0.56));
        memcpy(boxes->map, (double[]){0, 0, width, mh}, sizeof(boxes->map));
        memcpy(panel, (double[]){0, mh, width, height - mh}, sizeof(panel));
    }
    struct render_view view = {{sheet->bbox[0], sheet->bbox[1], sheet->bbox[2], sheet->bbox[3]},
                               boxes->map[2],
                               boxes->map[3],
                               1};
    struct render_frame frame;
    int rc = render_frame_fit(&view, boxes->map[0], boxes->map[1], &frame, err);
    if (rc == ERR_OK) {
        rc = render_map_draw(cr, rd, &frame, sheet->layers, sheet->n_layers, NULL, err);
    }
    if (rc != ERR_OK) {
        return rc;
    }
    memcpy(boxes->footer, panel, sizeof(panel));
    draw_panel(cr, sheet, panel, u, boxes);
    return ERR_OK;
}

int render_share(struct store_read *rd, const struct render_sheet *sheet, int width_px,
                 int height_px, struct buf *out, struct err *err)
{
    return render_share_as(rd, sheet, RENDER_PNG, width_px, height_px, out, err);
}

int render_share_as(struct store_read *rd, const struct render_sheet *sheet,
                    enum render_format format, int width_px, int height_px, struct buf *out,
                    struct err *err)
{
    if (width_px < RENDER_SHARE_MIN || height_px < RENDER_SHARE_MIN ||
        width_px > RENDER_SHARE_MAX || height_px > RENDER_SHARE_MAX) {
        return err_set(err, ERR_INVALID, "a share image must be %d to %d pixels wide and high",
                       RENDER_SHARE_MIN, RENDER_SHARE_MAX);
    }
    struct render_target t;
    int rc = render_target_open(&t, format, width_px, height_px, 1, out, err);
    if (rc != ERR_OK) {
        return rc;
    }
    struct render_boxes boxes;
    rc = render_share_draw(t.cr, rd, sheet, width_px, height_px, &boxes, err);
    if (rc != ERR_OK) {
        render_target_discard(&t);
        return rc;
    }
    return render_target_finish(&t, NULL, NULL, err);
}
