/* render_poster.c - a poster for the wall of a workshop room: title, narrative excerpt,
 * the map with legend (only what the map shows), scale bar and north arrow, the
 * participants' notes numbered on the map with their table under it (continued on further
 * pages of a PDF), a statistics box, a QR code of the link, and every source's attribution
 * with the date. Portrait pages stack the parts; landscape
 * pages put the map left and the texts in a column on the right. Sizes are in units of
 * the short side / 210, so every paper looks like a scaled A4. The same pages also come
 * with the map alone (render_map_only). */
#include "render/render_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const struct style_color ink = {0.13, 0.13, 0.13, 1};
static const struct style_color grey = {0.35, 0.35, 0.35, 1};

static void set_box(double *box, double x, double y, double w, double h)
{
    box[0] = x;
    box[1] = y;
    box[2] = w;
    box[3] = h;
}

/* Title, other-language title and narrative excerpt from (x, y); returns the y below. */
static double draw_heading(cairo_t *cr, const struct render_sheet *sheet, double x, double y,
                           double width, double u, int narrative_lines, struct render_boxes *b)
{
    b->title_style = (struct render_text_style){9 * u, true, width, 2, ink, PANGO_ALIGN_LEFT};
    PangoLayout *layout = render_text_layout(cr, render_sheet_title(sheet), &b->title_style);
    double tw = 0, th = 0;
    render_text_extent(layout, &tw, &th);
    g_object_unref(layout);
    set_box(b->title, x, y, tw, th);
    y += render_text_draw(cr, x, y, render_sheet_title(sheet), &b->title_style) + u;
    struct render_text_style sub = {5 * u, false, width, 1, grey, PANGO_ALIGN_LEFT};
    const char *subtitle = render_sheet_subtitle(sheet);
    if (subtitle != NULL) {
        y += render_text_draw(cr, x, y, subtitle, &sub) + 2 * u;
    }
    struct render_text_style body = {3.4 * u, false, width, narrative_lines, ink, PANGO_ALIGN_LEFT};
    if (sheet->narrative != NULL && sheet->narrative[0] != '\0') {
        y += render_text_draw(cr, x, y, sheet->narrative, &body) + 3 * u;
    }
    return y;
}

/* The date line and the sources, bottom-aligned at y_bottom; returns the height used
 * (measure only when is_drawn is false). */
static double footer(cairo_t *cr, const struct render_sheet *sheet, double x, double y_bottom,
                     double width, double u, bool is_drawn)
{
    char date[160] = "";
    render_place_date_text(sheet, date, sizeof(date));
    char *sources = render_sources_text(sheet->sources, sheet->n_sources, sheet->is_thai);
    struct render_text_style st = {2.4 * u, false, width, 5, grey, PANGO_ALIGN_LEFT};
    PangoLayout *a = render_text_layout(cr, sources, &st);
    PangoLayout *b = render_text_layout(cr, date, &st);
    double aw, ah, bw, bh;
    render_text_extent(a, &aw, &ah);
    render_text_extent(b, &bw, &bh);
    double h = ah + (date[0] != '\0' ? bh + u : 0);
    if (is_drawn) {
        cairo_save(cr);
        render_set_color(cr, st.color);
        cairo_move_to(cr, x, y_bottom - h);
        pango_cairo_show_layout(cr, a);
        cairo_move_to(cr, x, y_bottom - bh);
        pango_cairo_show_layout(cr, date[0] != '\0' ? b : a);
        cairo_restore(cr);
    }
    g_object_unref(a);
    g_object_unref(b);
    g_free(sources);
    return h;
}

/* The map in box with its notes' numbers, frame, scale bar and north arrow; seen records
 * what it drew for the legend. */
static int draw_map_block(cairo_t *cr, struct store_read *rd, const struct render_sheet *sheet,
                          const double *box, double s, double u, struct render_frame *frame,
                          struct render_seen *seen, struct err *err)
{
    struct render_view view = {
        {sheet->bbox[0], sheet->bbox[1], sheet->bbox[2], sheet->bbox[3]}, box[2], box[3], s};
    int rc = render_frame_fit(&view, box[0], box[1], frame, err);
    if (rc == ERR_OK) {
        rc = render_map_draw(cr, rd, frame, sheet->layers, sheet->n_layers, seen, err);
    }
    if (rc != ERR_OK) {
        return rc;
    }
    render_notes_badges(cr, frame, sheet->notes, sheet->n_notes, u, NULL);
    render_scale_bar(cr, frame, box[0] + 4 * u, box[1] + box[3] - 4 * u, box[2] / 4, u);
    render_north_arrow(cr, box[0] + box[2] - 8 * u, box[1] + 9 * u, 10 * u);
    cairo_rectangle(cr, box[0], box[1], box[2], box[3]);
    cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
    cairo_set_line_width(cr, 0.3 * u);
    cairo_stroke(cr);
    return ERR_OK;
}

/* Notes */

static struct render_text_style notes_heading_style(double width, double u)
{
    return (struct render_text_style){3.2 * u, true, width, 1, grey, PANGO_ALIGN_LEFT};
}

static char *notes_heading(const struct render_sheet *sheet)
{
    return g_strdup_printf(
        sheet->is_thai ? "ความคิดเห็นของผู้เข้าร่วม (%zu)" : "Participants' notes (%zu)", sheet->n_notes);
}

static double text_height(cairo_t *cr, const char *text, const struct render_text_style *st)
{
    PangoLayout *layout = render_text_layout(cr, text, st);
    double w = 0, h = 0;
    render_text_extent(layout, &w, &h);
    g_object_unref(layout);
    return h;
}

/* The height the notes band would take for every note in width w (0 without notes). */
static double notes_band_height(cairo_t *cr, const struct render_sheet *sheet, double w, double u)
{
    if (sheet->n_notes == 0) {
        return 0;
    }
    char *heading = notes_heading(sheet);
    struct render_text_style st = notes_heading_style(w, u);
    double h = text_height(cr, heading, &st) + u;
    g_free(heading);
    return h + render_notes_table_height(cr, sheet->notes, sheet->n_notes, 0, w, u, sheet->is_thai);
}

/* The notes band in box: a heading, as many rows as fit, and when some are left a line
 * saying where they are (the next pages of a PDF, else the PDF). */
static void draw_notes_band(cairo_t *cr, const struct render_sheet *sheet, const double *box,
                            double u, bool has_pages, struct render_boxes *b)
{
    if (sheet->n_notes == 0) {
        return;
    }
    set_box(b->notes, box[0], box[1], box[2], box[3]);
    char *heading = notes_heading(sheet);
    struct render_text_style st = notes_heading_style(box[2], u);
    double y = box[1] + render_text_draw(cr, box[0], box[1], heading, &st) + u;
    g_free(heading);
    double table[4] = {box[0], y, box[2], box[1] + box[3] - y};
    bool is_whole = render_notes_table_height(cr, sheet->notes, sheet->n_notes, 0, box[2], u,
                                              sheet->is_thai) <= table[3];
    struct render_text_style more = {2.6 * u, true, box[2], 1, ink, PANGO_ALIGN_LEFT};
    double more_h = is_whole ? 0 : text_height(cr, "0", &more) + u;
    table[3] -= more_h;
    b->n_notes_listed =
        render_notes_table(cr, sheet->notes, sheet->n_notes, 0, table, u, sheet->is_thai);
    size_t left = sheet->n_notes - b->n_notes_listed;
    if (left == 0) {
        return;
    }
    char *text =
        has_pages ? g_strdup_printf(sheet->is_thai ? "อีก %zu ข้อความอยู่ในหน้าถัดไป"
                                                   : "%zu more notes on the next pages",
                                    left)
                  : g_strdup_printf(sheet->is_thai ? "และอีก %zu ข้อความ: ไฟล์ PDF แสดงครบทุกข้อความ"
                                                   : "and %zu more notes: the PDF lists them all",
                                    left);
    render_text_draw(cr, box[0], box[1] + box[3] - more_h, text, &more);
    g_free(text);
}

/* Splits the height avail under y into the map and the notes band (at most 40% of it, less
 * when the notes need less); sets map (x, y, w) and band. */
static void split_map_notes(cairo_t *cr, const struct render_sheet *sheet, double x, double y,
                            double w, double avail, double u, double *map, double *band)
{
    double notes_h = notes_band_height(cr, sheet, w, u);
    double band_h = notes_h > 0 ? fmin(notes_h, avail * 0.4) : 0;
    double gap = band_h > 0 ? 3 * u : 0;
    set_box(map, x, y, w, fmax(10 * u, avail - band_h - gap));
    set_box(band, x, y + map[3] + gap, w, band_h);
}

/* Each statistic as its value (bold) with its unit, and the label under it. */
static void draw_stats(cairo_t *cr, const struct render_sheet *sheet, const double *box, double u)
{
    if (sheet->n_stats == 0) {
        return;
    }
    double x = box[0], y = box[1], w = box[2];
    struct render_text_style head = {3.2 * u, true, w, 1, grey, PANGO_ALIGN_LEFT};
    y += render_text_draw(cr, x, y, sheet->is_thai ? "สถิติ" : "Statistics", &head) + u;
    struct render_text_style value = {5 * u, true, w, 1, ink, PANGO_ALIGN_LEFT};
    struct render_text_style label = {2.8 * u, false, w, 2, grey, PANGO_ALIGN_LEFT};
    for (size_t i = 0; i < sheet->n_stats; i++) {
        const struct render_stat_line *l = &sheet->stats[i];
        char *text = g_strdup_printf("%s%s%s", l->value != NULL ? l->value : "",
                                     l->unit != NULL && l->unit[0] != '\0' ? " " : "",
                                     l->unit != NULL ? l->unit : "");
        PangoLayout *layout = render_text_layout(cr, text, &value);
        double vw, vh, lh;
        render_text_extent(layout, &vw, &vh);
        g_object_unref(layout);
        PangoLayout *ll = render_text_layout(cr, l->label, &label);
        render_text_extent(ll, &vw, &lh);
        g_object_unref(ll);
        if (y + vh + lh > box[1] + box[3]) {
            g_free(text);
            break;
        }
        y += render_text_draw(cr, x, y, text, &value);
        y += render_text_draw(cr, x, y, l->label, &label) + 1.5 * u;
        g_free(text);
    }
}

/* The QR code of the URL in the top of box, its caption under it. */
static int draw_qr_block(cairo_t *cr, const struct render_sheet *sheet, const double *box, double u,
                         struct render_boxes *b, struct err *err)
{
    if (sheet->url == NULL || sheet->url[0] == '\0') {
        return ERR_OK;
    }
    double size = fmin(box[2], box[3] - 8 * u);
    double x = box[0] + (box[2] - size) / 2;
    set_box(b->qr, x, box[1], size, size);
    int rc = render_qr_draw(cr, sheet->url, x, box[1], size, err);
    if (rc != ERR_OK) {
        return rc;
    }
    struct render_text_style cap = {2.4 * u, false, box[2], 3, grey, PANGO_ALIGN_CENTER};
    render_text_draw(cr, box[0], box[1] + size + 0.5 * u,
                     sheet->is_thai ? "สแกนเพื่อเปิดแผนที่นี้" : "Scan to open this map", &cap);
    return ERR_OK;
}

static void draw_legend_block(cairo_t *cr, const struct render_sheet *sheet, const double *box,
                              const struct render_frame *frame, const struct render_seen *seen,
                              double u, struct render_boxes *b)
{
    struct render_legend legend;
    render_legend_build(sheet->layers, sheet->n_layers, frame->zoom, sheet->is_thai, seen, &legend);
    double h = render_legend_draw(cr, &legend, box[0], box[1], box[2], box[3], u, frame->zoom,
                                  frame->px_per_css_px);
    set_box(b->legend, box[0], box[1], box[2], h);
    render_legend_clear(&legend);
}

/* Portrait: heading, map across the page, notes band, then legend | statistics | QR, then
 * footer. */
static int portrait(cairo_t *cr, struct store_read *rd, const struct render_sheet *sheet, double w,
                    double h, double s, bool has_pages, struct render_boxes *b,
                    struct render_seen *seen, struct err *err)
{
    double u = fmin(w, h) / 210, m = 10 * u, cw = w - 2 * m;
    double y = draw_heading(cr, sheet, m, m, cw, u, 4, b);
    double foot_h = footer(cr, sheet, m, h - m, cw, u, false);
    double panel_h = 52 * u, panel_y = h - m - foot_h - 4 * u - panel_h;
    double band[4];
    split_map_notes(cr, sheet, m, y, cw, panel_y - 4 * u - y, u, b->map, band);
    struct render_frame frame;
    int rc = draw_map_block(cr, rd, sheet, b->map, s, u, &frame, seen, err);
    if (rc != ERR_OK) {
        return rc;
    }
    draw_notes_band(cr, sheet, band, u, has_pages, b);
    double qr_w = 40 * u, gap = 6 * u, col = (cw - qr_w - 2 * gap) / 2;
    draw_legend_block(cr, sheet, (double[]){m, panel_y, col, panel_h}, &frame, seen, u, b);
    set_box(b->stats, m + col + gap, panel_y, col, panel_h);
    draw_stats(cr, sheet, b->stats, u);
    rc = draw_qr_block(cr, sheet, (double[]){w - m - qr_w, panel_y, qr_w, panel_h}, u, b, err);
    set_box(b->footer, m, h - m - foot_h, cw, foot_h);
    footer(cr, sheet, m, h - m, cw, u, true);
    return rc;
}

/* Landscape: the map (and the notes band under it) on the left; heading, legend,
 * statistics and QR in a column. */
static int landscape(cairo_t *cr, struct store_read *rd, const struct render_sheet *sheet, double w,
                     double h, double s, bool has_pages, struct render_boxes *b,
                     struct render_seen *seen, struct err *err)
{
    double u = fmin(w, h) / 210, m = 10 * u;
    double map_w = (w - 2 * m) * 0.64, col_x = m + map_w + 8 * u, col_w = w - m - col_x;
    double foot_h = footer(cr, sheet, m, h - m, map_w, u, false);
    double band[4];
    split_map_notes(cr, sheet, m, m, map_w, h - 2 * m - foot_h - 3 * u, u, b->map, band);
    struct render_frame frame;
    int rc = draw_map_block(cr, rd, sheet, b->map, s, u, &frame, seen, err);
    if (rc != ERR_OK) {
        return rc;
    }
    draw_notes_band(cr, sheet, band, u, has_pages, b);
    double y = draw_heading(cr, sheet, col_x, m, col_w, u, 6, b);
    double qr_w = fmin(36 * u, col_w * 0.45), bottom = h - m;
    double half = (col_w - 4 * u) / 2, panel_h = bottom - y;
    draw_legend_block(cr, sheet, (double[]){col_x, y, half, panel_h}, &frame, seen, u, b);
    set_box(b->stats, col_x + half + 4 * u, y, half, panel_h - qr_w - 10 * u);
    draw_stats(cr, sheet, b->stats, u);
    rc = draw_qr_block(cr, sheet,
                       (double[]){col_x + half + 4 * u, bottom - qr_w - 8 * u, half, qr_w + 8 * u},
                       u, b, err);
    set_box(b->footer, m, h - m - foot_h, map_w, foot_h);
    footer(cr, sheet, m, h - m, map_w, u, true);
    return rc;
}

int render_poster_draw(cairo_t *cr, struct store_read *rd, const struct render_sheet *sheet,
                       double width, double height, double px_per_css_px, bool has_pages,
                       struct render_boxes *boxes, struct err *err)
{
    memset(boxes, 0, sizeof(*boxes));
    struct render_seen seen = {NULL, 0};
    int rc =
        width > height
            ? landscape(cr, rd, sheet, width, height, px_per_css_px, has_pages, boxes, &seen, err)
            : portrait(cr, rd, sheet, width, height, px_per_css_px, has_pages, boxes, &seen, err);
    render_seen_clear(&seen);
    return rc;
}

/* The notes the first page left out, on further pages: the title, "notes (continued)"
 * and the table across the page, until every note is listed. */
static void notes_pages(cairo_t *cr, const struct render_sheet *sheet, size_t first, double w,
                        double h)
{
    double u = fmin(w, h) / 210, m = 10 * u;
    while (first < sheet->n_notes) {
        cairo_show_page(cr);
        char *heading = g_strdup_printf(sheet->is_thai ? "%s: ความคิดเห็นของผู้เข้าร่วม (ต่อ)"
                                                       : "%s: participants' notes (continued)",
                                        render_sheet_title(sheet));
        struct render_text_style st = {4.5 * u, true, w - 2 * m, 2, ink, PANGO_ALIGN_LEFT};
        double y = m + render_text_draw(cr, m, m, heading, &st) + 2 * u;
        g_free(heading);
        size_t n = render_notes_table(cr, sheet->notes, sheet->n_notes, first,
                                      (double[]){m, y, w - 2 * m, h - m - y}, u, sheet->is_thai);
        if (n == 0) {
            break; /* a page that takes no row would never end: cannot happen with capped rows */
        }
        first += n;
    }
}

int render_poster(struct store_read *rd, const struct render_sheet *sheet,
                  const struct render_page *page, struct buf *out, struct err *err)
{
    struct render_target t;
    int rc = render_target_open_page(&t, page, out, err);
    if (rc != ERR_OK) {
        return rc;
    }
    struct render_boxes boxes;
    bool has_pages = t.format == RENDER_PDF;
    rc = render_poster_draw(t.cr, rd, sheet, t.width, t.height, t.px_per_css_px, has_pages, &boxes,
                            err);
    if (rc == ERR_OK && has_pages) {
        notes_pages(t.cr, sheet, boxes.n_notes_listed, t.width, t.height);
    }
    return render_target_end(&t, rc, render_sheet_title(sheet), sheet->date, err);
}

int render_map_only(struct store_read *rd, const struct render_sheet *sheet,
                    const struct render_page *page, struct buf *out, struct err *err)
{
    struct render_target t;
    int rc = render_target_open_page(&t, page, out, err);
    if (rc != ERR_OK) {
        return rc;
    }
    struct render_view view = {{sheet->bbox[0], sheet->bbox[1], sheet->bbox[2], sheet->bbox[3]},
                               t.width,
                               t.height,
                               t.px_per_css_px};
    struct render_frame frame;
    rc = render_frame_fit(&view, 0, 0, &frame, err);
    if (rc == ERR_OK) {
        rc = render_map_draw(t.cr, rd, &frame, sheet->layers, sheet->n_layers, NULL, err);
    }
    return render_target_end(&t, rc, render_sheet_title(sheet), sheet->date, err);
}
