/* render_labels.c - text labels of symbol layers: measured with pango, placed in the order
 * they come unless their box overlaps one already placed or leaves the map, and drawn
 * after every layer so roads and fills never cover them. Placed boxes are kept in a grid
 * of buckets so each test looks at the few labels nearby. */
#include "render/render_int.h"

#include <math.h>
#include <string.h>

#include "base/alloc.h"

#define GRID 16 /* buckets across and down */

struct label {
    char *text;
    double x, y; /* top-left of the layout */
    double box[4];
    double size, halo_width;
    struct style_color color, halo;
};

struct bucket {
    size_t *ids;
    size_t n, cap;
};

struct render_labels {
    cairo_t *cr;
    const struct render_frame *frame;
    PangoLayout *layout;
    double layout_size;
    struct label *items;
    size_t n, cap;
    struct bucket grid[GRID * GRID];
};

struct render_labels *render_labels_new(cairo_t *cr, const struct render_frame *frame)
{
    struct render_labels *l = xcalloc(1, sizeof(*l));
    l->cr = cr;
    l->frame = frame;
    return l;
}

void render_labels_free(struct render_labels *l)
{
    if (l == NULL) {
        return;
    }
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].text);
    }
    for (size_t i = 0; i < GRID * GRID; i++) {
        free(l->grid[i].ids);
    }
    if (l->layout != NULL) {
        g_object_unref(l->layout);
    }
    free(l->items);
    free(l);
}

static void set_size(struct render_labels *l, double size)
{
    if (l->layout != NULL && l->layout_size == size) {
        return;
    }
    if (l->layout == NULL) {
        l->layout = pango_cairo_create_layout(l->cr);
    }
    PangoFontDescription *font = pango_font_description_from_string(RENDER_FONT_FAMILY);
    pango_font_description_set_absolute_size(font, size * PANGO_SCALE);
    pango_layout_set_font_description(l->layout, font);
    pango_font_description_free(font);
    l->layout_size = size;
}

/* The buckets a box touches, as a range of columns and rows. */
static void cells_of(const struct render_labels *l, const double *box, int *c0, int *r0, int *c1,
                     int *r1)
{
    const struct render_frame *f = l->frame;
    double cw = f->w / GRID, ch = f->h / GRID;
    *c0 = (int)fmax(0, floor((box[0] - f->x) / cw));
    *r0 = (int)fmax(0, floor((box[1] - f->y) / ch));
    *c1 = (int)fmin(GRID - 1, floor((box[2] - f->x) / cw));
    *r1 = (int)fmin(GRID - 1, floor((box[3] - f->y) / ch));
}

static bool overlaps(const double *a, const double *b)
{
    return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
}

static bool is_free(const struct render_labels *l, const double *box)
{
    int c0, r0, c1, r1;
    cells_of(l, box, &c0, &r0, &c1, &r1);
    for (int r = r0; r <= r1; r++) {
        for (int c = c0; c <= c1; c++) {
            const struct bucket *b = &l->grid[r * GRID + c];
            for (size_t i = 0; i < b->n; i++) {
                if (overlaps(box, l->items[b->ids[i]].box)) {
                    return false;
                }
            }
        }
    }
    return true;
}

static void remember(struct render_labels *l, size_t id)
{
    int c0, r0, c1, r1;
    cells_of(l, l->items[id].box, &c0, &r0, &c1, &r1);
    for (int r = r0; r <= r1; r++) {
        for (int c = c0; c <= c1; c++) {
            struct bucket *b = &l->grid[r * GRID + c];
            if (b->n == b->cap) {
                b->cap = b->cap ? 2 * b->cap : 8;
                b->ids = xreallocarray(b->ids, b->cap, sizeof(size_t));
            }
            b->ids[b->n++] = id;
        }
    }
}

bool render_labels_add(struct render_labels *l, const char *text, size_t len, double x, double y,
                       const struct render_label_style *st)
{
    if (len == 0 || st->size <= 0) {
        return false;
    }
    set_size(l, st->size);
    pango_layout_set_text(l->layout, text, (int)len);
    PangoRectangle ink, logical;
    pango_layout_get_pixel_extents(l->layout, &ink, &logical);
    double pad = st->halo_width + st->size * 0.15;
    double left = x - logical.width / 2.0, top = y - logical.height / 2.0;
    double box[4] = {left - pad, top - pad, left + logical.width + pad, top + logical.height + pad};
    const struct render_frame *f = l->frame;
    if (box[0] < f->x || box[1] < f->y || box[2] > f->x + f->w || box[3] > f->y + f->h ||
        !is_free(l, box)) {
        return false;
    }
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 64;
        l->items = xreallocarray(l->items, l->cap, sizeof(*l->items));
    }
    struct label *lb = &l->items[l->n];
    *lb = (struct label){xstrndup(text, len), left,      top,     {0}, st->size,
                         st->halo_width,      st->color, st->halo};
    memcpy(lb->box, box, sizeof(box));
    remember(l, l->n++);
    return true;
}

size_t render_labels_count(const struct render_labels *l)
{
    return l->n;
}

void render_labels_draw(struct render_labels *l)
{
    cairo_t *cr = l->cr;
    for (size_t i = 0; i < l->n; i++) {
        const struct label *lb = &l->items[i];
        set_size(l, lb->size);
        pango_layout_set_text(l->layout, lb->text, -1);
        if (lb->halo_width > 0 && lb->halo.a > 0) {
            cairo_move_to(cr, lb->x, lb->y);
            pango_cairo_layout_path(cr, l->layout);
            render_set_color(cr, lb->halo);
            cairo_set_line_width(cr, 2 * lb->halo_width);
            cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
            cairo_stroke(cr);
        }
        render_set_color(cr, lb->color);
        cairo_move_to(cr, lb->x, lb->y);
        pango_cairo_show_layout(cr, l->layout);
    }
}
