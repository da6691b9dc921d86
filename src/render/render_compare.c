/* render_compare.c - two to four sheets side by side on one page: every map shows the same
 * extent (the union of the sheets' extents) at the same scale in equal columns, titles in
 * one band, statistics in rows aligned across the columns so numbers read side by side (one
 * row per statistic label of any sheet, a dash where a sheet lacks it),
 * then each column's legend, and the sources and date of every sheet at the foot. */
#include "render/render_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define RENDER_COMPARE_MAX 4
/* Statistics rows drawn at most: a scenario's statistics and its sketch counts per kind. */
#define RENDER_COMPARE_MAX_ROWS 64

static const struct style_color ink = {0.13, 0.13, 0.13, 1};
static const struct style_color grey = {0.35, 0.35, 0.35, 1};

static double text_height(cairo_t *cr, const char *text, const struct render_text_style *st)
{
    PangoLayout *layout = render_text_layout(cr, text, st);
    double w, h;
    render_text_extent(layout, &w, &h);
    g_object_unref(layout);
    return h;
}

static void union_bbox(const struct render_sheet *sheets, size_t n, double *out)
{
    memcpy(out, sheets[0].bbox, 4 * sizeof(double));
    for (size_t i = 1; i < n; i++) {
        out[0] = fmin(out[0], sheets[i].bbox[0]);
        out[1] = fmin(out[1], sheets[i].bbox[1]);
        out[2] = fmax(out[2], sheets[i].bbox[2]);
        out[3] = fmax(out[3], sheets[i].bbox[3]);
    }
}

/* The statistics' labels of every sheet, each once, in the order they first come: the
 * rows of the comparison, so a statistic stands on the same row in every column even when
 * one scenario lacks it. Returns how many (at most cap). */
static size_t stat_rows(const struct render_sheet *sheets, size_t n, const char **out, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < sheets[i].n_stats && k < cap; j++) {
            const char *label = sheets[i].stats[j].label != NULL ? sheets[i].stats[j].label : "";
            bool is_listed = false;
            for (size_t r = 0; r < k && !is_listed; r++) {
                is_listed = strcmp(out[r], label) == 0;
            }
            if (!is_listed) {
                out[k++] = label;
            }
        }
    }
    return k;
}

/* Sheet's statistics line with this label, or NULL. */
static const struct render_stat_line *stat_of(const struct render_sheet *sheet, const char *label)
{
    for (size_t j = 0; j < sheet->n_stats; j++) {
        const char *l = sheet->stats[j].label != NULL ? sheet->stats[j].label : "";
        if (strcmp(l, label) == 0) {
            return &sheet->stats[j];
        }
    }
    return NULL;
}

/* A cell's value and unit, or a dash for a sheet without the statistic (g_free). */
static char *cell_text(const struct render_stat_line *l)
{
    if (l == NULL) {
        return g_strdup("–");
    }
    return g_strdup_printf("%s %s", l->value != NULL ? l->value : "",
                           l->unit != NULL ? l->unit : "");
}

/* The height of row label in every column: its tallest cell. */
static double row_height(cairo_t *cr, const struct render_sheet *sheets, size_t n,
                         const char *label_text, const struct render_text_style *value,
                         const struct render_text_style *label)
{
    double row_h = 0;
    for (size_t i = 0; i < n; i++) {
        const struct render_stat_line *l = stat_of(&sheets[i], label_text);
        char *text = cell_text(l);
        row_h = fmax(row_h, text_height(cr, text, value) + text_height(cr, label_text, label));
        g_free(text);
    }
    return row_h;
}

/* The rows of statistics from y, as many as fit in max_h: row r is as high as its tallest
 * cell; a sheet without the row's statistic shows a dash above the label. Returns the
 * height used (measure only when is_drawn is false). */
static double stats_rows(cairo_t *cr, const struct render_sheet *sheets, size_t n, double x0,
                         double col_w, double gap, double y, double max_h, double u, bool is_drawn)
{
    const char *rows[RENDER_COMPARE_MAX_ROWS];
    size_t n_rows = stat_rows(sheets, n, rows, RENDER_COMPARE_MAX_ROWS);
    struct render_text_style value = {4.2 * u, true, col_w, 1, ink, PANGO_ALIGN_LEFT};
    struct render_text_style label = {2.6 * u, false, col_w, 2, grey, PANGO_ALIGN_LEFT};
    double top = y;
    for (size_t r = 0; r < n_rows; r++) {
        double row_h = row_height(cr, sheets, n, rows[r], &value, &label);
        if (y + row_h - top > max_h) {
            break; /* the rest would squeeze the maps: the posters list them */
        }
        for (size_t i = 0; is_drawn && i < n; i++) {
            const struct render_stat_line *l = stat_of(&sheets[i], rows[r]);
            char *text = cell_text(l);
            double x = x0 + (double)i * (col_w + gap);
            double h = render_text_draw(cr, x, y, text, &value);
            render_text_draw(cr, x, y + h, rows[r], &label);
            g_free(text);
        }
        y += row_h + 1.5 * u;
    }
    return y - top;
}

/* Sources of every sheet, each title once. */
static size_t all_sources(const struct render_sheet *sheets, size_t n, struct render_source *out,
                          size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < sheets[i].n_sources && k < cap; j++) {
            bool seen = false;
            for (size_t m = 0; m < k && !seen; m++) {
                seen = out[m].title != NULL && sheets[i].sources[j].title != NULL &&
                       strcmp(out[m].title, sheets[i].sources[j].title) == 0;
            }
            if (!seen) {
                out[k++] = sheets[i].sources[j];
            }
        }
    }
    return k;
}

static double draw_footer(cairo_t *cr, const struct render_sheet *sheets, size_t n, double x,
                          double y_bottom, double w, double u)
{
    struct render_source sources[64];
    size_t n_sources = all_sources(sheets, n, sources, 64);
    char *text = render_sources_text(sources, n_sources, sheets[0].is_thai);
    char date[160] = "";
    render_place_date_text(&sheets[0], date, sizeof(date));
    char *all = g_strdup_printf("%s%s%s", date, date[0] != '\0' ? "\n" : "", text);
    struct render_text_style st = {2.4 * u, false, w, 6, grey, PANGO_ALIGN_LEFT};
    double h = text_height(cr, all, &st);
    render_text_draw(cr, x, y_bottom - h, all, &st);
    g_free(all);
    g_free(text);
    return h;
}

static int draw_column_map(cairo_t *cr, struct store_read *rd, const struct render_sheet *sheet,
                           const struct render_view *view, double x, double y, double u,
                           struct render_frame *frame, struct render_seen *seen, struct err *err)
{
    int rc = render_frame_fit(view, x, y, frame, err);
    if (rc == ERR_OK) {
        rc = render_map_draw(cr, rd, frame, sheet->layers, sheet->n_layers, seen, err);
    }
    if (rc != ERR_OK) {
        return rc;
    }
    render_scale_bar(cr, frame, x + 3 * u, y + view->height - 3 * u, view->width / 3, u);
    cairo_rectangle(cr, x, y, view->width, view->height);
    cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
    cairo_set_line_width(cr, 0.3 * u);
    cairo_stroke(cr);
    return ERR_OK;
}

int render_compare_draw(cairo_t *cr, struct store_read *rd, const struct render_sheet *sheets,
                        size_t n, double w, double h, double s, struct err *err)
{
    double u = fmin(w, h) / 210, m = 8 * u, gap = 6 * u;
    double col_w = (w - 2 * m - (double)(n - 1) * gap) / (double)n;
    double foot_h = draw_footer(cr, sheets, n, m, h - m, w - 2 * m, u);
    struct render_text_style title = {6 * u, true, col_w, 2, ink, PANGO_ALIGN_LEFT};
    double title_h = 0;
    for (size_t i = 0; i < n; i++) {
        title_h = fmax(title_h, text_height(cr, render_sheet_title(&sheets[i]), &title));
    }
    /* Statistics take at most a quarter of the page, so the maps keep their room. */
    double stats_max = h * 0.25;
    double stats_h = stats_rows(cr, sheets, n, m, col_w, gap, 0, stats_max, u, false);
    double legend_h = fmin(40 * u, h * 0.2);
    double map_y = m + title_h + 3 * u;
    double map_h = h - m - foot_h - 4 * u - legend_h - 3 * u - stats_h - 4 * u - map_y;
    if (map_h < 10 * u) {
        return err_set(err, ERR_INVALID, "the page is too small for %zu maps side by side", n);
    }
    struct render_view view = {{0}, col_w, map_h, s};
    union_bbox(sheets, n, view.bbox);
    for (size_t i = 0; i < n; i++) {
        double x = m + (double)i * (col_w + gap);
        render_text_draw(cr, x, m, render_sheet_title(&sheets[i]), &title);
        struct render_frame frame;
        struct render_seen seen = {NULL, 0};
        int rc = draw_column_map(cr, rd, &sheets[i], &view, x, map_y, u, &frame, &seen, err);
        if (rc != ERR_OK) {
            render_seen_clear(&seen);
            return rc;
        }
        if (i == 0) {
            render_north_arrow(cr, x + col_w - 7 * u, map_y + 8 * u, 9 * u);
        }
        struct render_legend legend;
        render_legend_build(sheets[i].layers, sheets[i].n_layers, frame.zoom, sheets[i].is_thai,
                            &seen, &legend);
        render_seen_clear(&seen);
        render_legend_draw(cr, &legend, x, map_y + map_h + 4 * u + stats_h + 3 * u, col_w, legend_h,
                           u * 0.85, frame.zoom, s);
        render_legend_clear(&legend);
    }
    stats_rows(cr, sheets, n, m, col_w, gap, map_y + map_h + 4 * u, stats_max, u, true);
    return ERR_OK;
}

int render_compare(struct store_read *rd, const struct render_sheet *sheets, size_t n_sheets,
                   const struct render_page *page, struct buf *out, struct err *err)
{
    if (n_sheets < 2 || n_sheets > RENDER_COMPARE_MAX) {
        return err_set(err, ERR_INVALID, "a comparison takes 2 to %d maps, not %zu",
                       RENDER_COMPARE_MAX, n_sheets);
    }
    struct render_target t;
    int rc = render_target_open_page(&t, page, out, err);
    if (rc != ERR_OK) {
        return rc;
    }
    rc = render_compare_draw(t.cr, rd, sheets, n_sheets, t.width, t.height, t.px_per_css_px, err);
    return render_target_end(&t, rc, render_sheet_title(&sheets[0]), sheets[0].date, err);
}
