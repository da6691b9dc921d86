/* render_text.c - text with pango: one font list for Thai and Latin, wrapping (pango breaks
 * Thai, which has no spaces between words, at word boundaries), ellipsized excerpts,
 * dates for readers, and the texts the layouts share. */
#include "render/render_int.h"

#include <stdio.h>
#include <string.h>

static const char *const months_th[12] = {
    "มกราคม",  "กุมภาพันธ์", "มีนาคม",  "เมษายน", "พฤษภาคม",  "มิถุนายน",
    "กรกฎาคม", "สิงหาคม",  "กันยายน", "ตุลาคม",  "พฤศจิกายน", "ธันวาคม",
};
static const char *const months_en[12] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December",
};

/* The Buddhist era counts from 543 BCE: BE year = Gregorian year + 543. */
#define RENDER_BE_OFFSET 543

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return -1;
        }
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int render_date_text(const char *iso, bool is_thai, char *out, size_t cap, struct err *err)
{
    static const int days_in[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (iso == NULL || strlen(iso) < 10 || iso[4] != '-' || iso[7] != '-' ||
        (iso[10] != '\0' && iso[10] != 'T' && iso[10] != ' ')) {
        return err_set(err, ERR_INVALID, "a date must be ISO 8601 text, YYYY-MM-DD");
    }
    int y = digits(iso, 4), m = digits(iso + 5, 2), d = digits(iso + 8, 2);
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > days_in[m - 1] + (m == 2 && is_leap(y) ? 1 : 0)) {
        return err_set(err, ERR_INVALID, "\"%.10s\" is not a date", iso);
    }
    int n = is_thai ? snprintf(out, cap, "%d %s พ.ศ. %d", d, months_th[m - 1], y + RENDER_BE_OFFSET)
                    : snprintf(out, cap, "%d %s %d", d, months_en[m - 1], y);
    if (n < 0 || (size_t)n >= cap) {
        return err_set(err, ERR_TOO_LARGE, "the date does not fit in %zu bytes", cap);
    }
    return ERR_OK;
}

void render_place_date_text(const struct render_sheet *sheet, char *out, size_t cap)
{
    char date[96] = "";
    if (sheet->date != NULL &&
        render_date_text(sheet->date, sheet->is_thai, date, sizeof(date), NULL) != ERR_OK) {
        date[0] = '\0';
    }
    bool has_place = sheet->place != NULL && sheet->place[0] != '\0';
    snprintf(out, cap, "%s%s%s", has_place ? sheet->place : "",
             has_place && date[0] != '\0' ? " · " : "", date);
}

void render_set_color(cairo_t *cr, struct style_color c)
{
    cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a);
}

PangoLayout *render_text_layout(cairo_t *cr, const char *text, const struct render_text_style *st)
{
    PangoLayout *layout = pango_cairo_create_layout(cr);
    PangoFontDescription *font = pango_font_description_from_string(RENDER_FONT_FAMILY);
    pango_font_description_set_absolute_size(font, st->size * PANGO_SCALE);
    pango_font_description_set_weight(font, st->is_bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(layout, font);
    pango_font_description_free(font);
    if (st->width > 0) {
        pango_layout_set_width(layout, (int)(st->width * PANGO_SCALE));
        pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
        if (st->max_lines > 0) {
            /* A negative height is a number of lines: pango ellipsizes the last one. */
            pango_layout_set_height(layout, -st->max_lines);
            pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_END);
        }
    }
    pango_layout_set_alignment(layout, st->align);
    pango_layout_set_text(layout, text != NULL ? text : "", -1);
    return layout;
}

void render_text_extent(PangoLayout *layout, double *w, double *h)
{
    int pw = 0, ph = 0;
    pango_layout_get_size(layout, &pw, &ph);
    *w = (double)pw / PANGO_SCALE;
    *h = (double)ph / PANGO_SCALE;
}

double render_text_draw(cairo_t *cr, double x, double y, const char *text,
                        const struct render_text_style *st)
{
    if (text == NULL || text[0] == '\0') {
        return 0;
    }
    PangoLayout *layout = render_text_layout(cr, text, st);
    double w = 0, h = 0;
    render_text_extent(layout, &w, &h);
    cairo_save(cr);
    render_set_color(cr, st->color);
    cairo_move_to(cr, x, y);
    pango_cairo_show_layout(cr, layout);
    cairo_restore(cr);
    g_object_unref(layout);
    return h;
}

int render_text_unknown_glyphs(PangoLayout *layout)
{
    return pango_layout_get_unknown_glyphs_count(layout);
}

const char *render_sheet_title(const struct render_sheet *sheet)
{
    const char *first = sheet->is_thai ? sheet->title.th : sheet->title.en;
    const char *other = sheet->is_thai ? sheet->title.en : sheet->title.th;
    if (first != NULL && first[0] != '\0') {
        return first;
    }
    return other != NULL ? other : "";
}

const char *render_sheet_subtitle(const struct render_sheet *sheet)
{
    const char *other = sheet->is_thai ? sheet->title.en : sheet->title.th;
    const char *title = render_sheet_title(sheet);
    if (other == NULL || other[0] == '\0' || strcmp(other, title) == 0) {
        return NULL;
    }
    return other;
}

char *render_sources_text(const struct render_source *sources, size_t n, bool is_thai)
{
    GString *b = g_string_new(is_thai ? "ที่มาของข้อมูล: " : "Sources: ");
    for (size_t i = 0; i < n; i++) {
        g_string_append(b, i > 0 ? "; " : "");
        g_string_append(b, sources[i].title != NULL ? sources[i].title : "");
        if (sources[i].attribution != NULL && sources[i].attribution[0] != '\0') {
            g_string_append_printf(b, ": %s", sources[i].attribution);
        }
        if (sources[i].license != NULL && sources[i].license[0] != '\0') {
            g_string_append_printf(b, " (%s)", sources[i].license);
        }
    }
    return g_string_free(b, FALSE);
}
