/* render_notes.c - the people's words on a poster: each note's number in a badge at its
 * feature on the map, and the table that gives the number its kind, group, note and
 * author. Badges are white discs ringed in the kind's colour with a dark edge, a shape no
 * layer style draws, so a reader tells a participant's mark from the city's data; a badge
 * that would cover another moves outwards to the first free spot, joined to its feature
 * by a thin line, so every number stays readable. */
#include "render/render_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"

static const struct style_color ink = {0.13, 0.13, 0.13, 1};
static const struct style_color grey = {0.35, 0.35, 0.35, 1};
static const struct style_color rule = {0.75, 0.75, 0.75, 1};

/* Rings of candidate spots tried around a feature, and spots per ring: past them a badge
 * goes on its feature even if it covers another (only in a crowd of hundreds). */
#define BADGE_RINGS 24
#define BADGE_SPOTS_PER_RING 12

struct badge_box {
    double x, y, w, h; /* top-left, size */
};

static bool boxes_overlap(const struct badge_box *a, const struct badge_box *b, double margin)
{
    return a->x < b->x + b->w + margin && b->x < a->x + a->w + margin &&
           a->y < b->y + b->h + margin && b->y < a->y + a->h + margin;
}

static bool is_free(const struct badge_box *box, const struct badge_box *placed, size_t n,
                    const struct render_frame *frame, double margin)
{
    if (box->x < frame->x || box->y < frame->y || box->x + box->w > frame->x + frame->w ||
        box->y + box->h > frame->y + frame->h) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (boxes_overlap(box, &placed[i], margin)) {
            return false;
        }
    }
    return true;
}

/* The first free box of size w x h around (ax, ay): on it, then on rings further out. */
static struct badge_box place_badge(double ax, double ay, double w, double h,
                                    const struct badge_box *placed, size_t n,
                                    const struct render_frame *frame, double margin)
{
    struct badge_box box = {ax - w / 2, ay - h / 2, w, h};
    if (is_free(&box, placed, n, frame, margin)) {
        return box;
    }
    double step = fmax(w, h) * 0.75;
    for (int ring = 1; ring <= BADGE_RINGS; ring++) {
        for (int k = 0; k < BADGE_SPOTS_PER_RING; k++) {
            /* Start up and to the right (where a reader looks first), going clockwise. */
            double a = -M_PI / 4 + 2 * M_PI * k / BADGE_SPOTS_PER_RING;
            struct badge_box c = {ax + cos(a) * step * ring - w / 2,
                                  ay + sin(a) * step * ring - h / 2, w, h};
            if (is_free(&c, placed, n, frame, margin)) {
                return c;
            }
        }
    }
    return box;
}

static struct style_color badge_colour(const char *hex)
{
    struct style_color c = grey;
    if (hex != NULL && !style_color_parse(hex, &c)) {
        c = grey;
    }
    return c;
}

static void draw_badge(cairo_t *cr, const struct badge_box *b, double ax, double ay,
                       const char *number, const struct render_text_style *st,
                       struct style_color ring, double unit)
{
    double cx = b->x + b->w / 2, cy = b->y + b->h / 2, r = b->h / 2;
    if (hypot(cx - ax, cy - ay) > r) {
        /* Moved aside: a leader from the feature to the badge, and a dot on the feature. */
        cairo_move_to(cr, ax, ay);
        cairo_line_to(cr, cx, cy);
        render_set_color(cr, ink);
        cairo_set_line_width(cr, 0.25 * unit);
        cairo_stroke(cr);
        cairo_arc(cr, ax, ay, 0.5 * unit, 0, 2 * M_PI);
        cairo_fill(cr);
    }
    /* A pill: a disc for one or two digits, wider for more. */
    cairo_new_sub_path(cr);
    cairo_arc(cr, b->x + r, cy, r, M_PI / 2, 3 * M_PI / 2);
    cairo_arc(cr, b->x + b->w - r, cy, r, -M_PI / 2, M_PI / 2);
    cairo_close_path(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_fill_preserve(cr);
    render_set_color(cr, ring);
    cairo_set_line_width(cr, 0.7 * unit);
    cairo_stroke_preserve(cr);
    render_set_color(cr, ink);
    cairo_set_line_width(cr, 0.2 * unit);
    cairo_stroke(cr);
    PangoLayout *layout = render_text_layout(cr, number, st);
    double tw = 0, th = 0;
    render_text_extent(layout, &tw, &th);
    render_set_color(cr, ink);
    cairo_move_to(cr, cx - tw / 2, cy - th / 2);
    pango_cairo_show_layout(cr, layout);
    g_object_unref(layout);
}

void render_notes_badges(cairo_t *cr, const struct render_frame *frame,
                         const struct render_note *notes, size_t n_notes, double unit,
                         double *boxes)
{
    if (boxes != NULL) {
        memset(boxes, 0, 4 * n_notes * sizeof(double));
    }
    struct badge_box *placed = xcalloc(n_notes + 1, sizeof(*placed));
    size_t n_placed = 0;
    struct render_text_style st = {2.6 * unit, true, 0, 1, ink, PANGO_ALIGN_CENTER};
    double h = 4.6 * unit;
    cairo_save(cr);
    cairo_rectangle(cr, frame->x, frame->y, frame->w, frame->h);
    cairo_clip(cr);
    for (size_t i = 0; i < n_notes; i++) {
        double ax = 0, ay = 0;
        if (!render_map_anchor(frame, notes[i].geom, notes[i].geom_len, &ax, &ay) ||
            ax < frame->x || ay < frame->y || ax > frame->x + frame->w ||
            ay > frame->y + frame->h) {
            continue; /* off the map: the table still lists it */
        }
        char number[24];
        snprintf(number, sizeof(number), "%ld", notes[i].number);
        PangoLayout *layout = render_text_layout(cr, number, &st);
        double tw = 0, th = 0;
        render_text_extent(layout, &tw, &th);
        g_object_unref(layout);
        double w = fmax(h, tw + 1.6 * unit);
        placed[n_placed] = place_badge(ax, ay, w, h, placed, n_placed, frame, 0.3 * unit);
        draw_badge(cr, &placed[n_placed], ax, ay, number, &st, badge_colour(notes[i].color), unit);
        if (boxes != NULL) {
            const struct badge_box *b = &placed[n_placed];
            memcpy(&boxes[4 * i], (double[]){b->x, b->y, b->w, b->h}, 4 * sizeof(double));
        }
        n_placed++;
    }
    cairo_restore(cr);
    free(placed);
}

/* The table */

enum { COL_NUMBER, COL_KIND, COL_GROUP, COL_NOTE, COL_AUTHOR, N_COLS };

struct table_layout {
    double x[N_COLS], w[N_COLS]; /* 0 width: the column is left out */
    struct render_text_style head, cell, number;
    double pad;
};

static const char *cell_text(const struct render_note *n, int col, char *number, size_t cap)
{
    switch (col) {
    case COL_NUMBER:
        snprintf(number, cap, "%ld", n->number);
        return number;
    case COL_KIND:
        return n->kind;
    case COL_GROUP:
        return n->group;
    case COL_NOTE:
        return n->text;
    default:
        return n->author;
    }
}

/* Columns across width w: group and author only when some note has one. */
static void table_layout(const struct render_note *notes, size_t n, double x, double w, double unit,
                         struct table_layout *t)
{
    bool has_group = false, has_author = false;
    for (size_t i = 0; i < n; i++) {
        has_group = has_group || (notes[i].group != NULL && notes[i].group[0] != '\0');
        has_author = has_author || (notes[i].author != NULL && notes[i].author[0] != '\0');
    }
    t->pad = 1.2 * unit;
    double widths[N_COLS] = {7 * unit, fmin(26 * unit, w * 0.2),
                             has_group ? fmin(22 * unit, w * 0.16) : 0, 0,
                             has_author ? fmin(22 * unit, w * 0.16) : 0};
    widths[COL_NOTE] = w;
    for (int c = 0; c < N_COLS; c++) {
        widths[COL_NOTE] -= c != COL_NOTE ? widths[c] : 0;
    }
    widths[COL_NOTE] = fmax(widths[COL_NOTE], 10 * unit);
    for (int c = 0; c < N_COLS; c++) {
        t->x[c] = x;
        t->w[c] = widths[c];
        x += widths[c];
    }
    t->head = (struct render_text_style){2.6 * unit, true, 0, 1, grey, PANGO_ALIGN_LEFT};
    /* A long note wraps over at most this many lines, then ends with an ellipsis. */
    t->cell = (struct render_text_style){2.6 * unit, false, 0, 8, ink, PANGO_ALIGN_LEFT};
    t->number = (struct render_text_style){2.6 * unit, true, 0, 1, ink, PANGO_ALIGN_LEFT};
}

static double row_height(cairo_t *cr, struct table_layout *t, const char *const *texts,
                         bool is_head)
{
    double h = 0;
    for (int c = 0; c < N_COLS; c++) {
        if (t->w[c] <= 0 || texts[c] == NULL || texts[c][0] == '\0') {
            continue;
        }
        struct render_text_style st = is_head ? t->head : c == COL_NUMBER ? t->number : t->cell;
        st.width = fmax(1, t->w[c] - t->pad);
        PangoLayout *layout = render_text_layout(cr, texts[c], &st);
        double w = 0, lh = 0;
        render_text_extent(layout, &w, &lh);
        g_object_unref(layout);
        h = fmax(h, lh);
    }
    return h + t->pad;
}

static double draw_row(cairo_t *cr, struct table_layout *t, const char *const *texts, double y,
                       bool is_head, double unit)
{
    double h = row_height(cr, t, texts, is_head);
    for (int c = 0; c < N_COLS; c++) {
        if (t->w[c] <= 0 || texts[c] == NULL || texts[c][0] == '\0') {
            continue;
        }
        struct render_text_style st = is_head ? t->head : c == COL_NUMBER ? t->number : t->cell;
        st.width = fmax(1, t->w[c] - t->pad);
        render_text_draw(cr, t->x[c], y + t->pad / 2, texts[c], &st);
    }
    double x0 = t->x[0], x1 = t->x[N_COLS - 1] + t->w[N_COLS - 1];
    cairo_move_to(cr, x0, y + h);
    cairo_line_to(cr, x1, y + h);
    render_set_color(cr, is_head ? grey : rule);
    cairo_set_line_width(cr, (is_head ? 0.3 : 0.15) * unit);
    cairo_stroke(cr);
    return h;
}

static void head_texts(bool is_thai, const char **texts)
{
    static const char *const th[N_COLS] = {"ที่", "ประเภท", "กลุ่ม", "ข้อความ", "ผู้เขียน"};
    static const char *const en[N_COLS] = {"No.", "Kind", "Group", "Note", "Author"};
    memcpy(texts, is_thai ? th : en, sizeof(th));
}

static void note_texts(const struct render_note *n, const char **texts, char *number, size_t cap)
{
    for (int c = 0; c < N_COLS; c++) {
        texts[c] = cell_text(n, c, number, cap);
    }
}

double render_notes_table_height(cairo_t *cr, const struct render_note *notes, size_t n_notes,
                                 size_t first, double w, double unit, bool is_thai)
{
    struct table_layout t;
    table_layout(notes, n_notes, 0, w, unit, &t);
    const char *texts[N_COLS];
    char number[24];
    head_texts(is_thai, texts);
    double h = row_height(cr, &t, texts, true);
    for (size_t i = first; i < n_notes; i++) {
        note_texts(&notes[i], texts, number, sizeof(number));
        h += row_height(cr, &t, texts, false);
    }
    return h;
}

size_t render_notes_table(cairo_t *cr, const struct render_note *notes, size_t n_notes,
                          size_t first, const double *box, double unit, bool is_thai)
{
    struct table_layout t;
    table_layout(notes, n_notes, box[0], box[2], unit, &t);
    const char *texts[N_COLS];
    char number[24];
    head_texts(is_thai, texts);
    double y = box[1], bottom = box[1] + box[3];
    if (y + row_height(cr, &t, texts, true) > bottom) {
        return 0;
    }
    y += draw_row(cr, &t, texts, y, true, unit);
    size_t i = first;
    for (; i < n_notes; i++) {
        note_texts(&notes[i], texts, number, sizeof(number));
        if (y + row_height(cr, &t, texts, false) > bottom) {
            break;
        }
        y += draw_row(cr, &t, texts, y, false, unit);
    }
    return i - first;
}
