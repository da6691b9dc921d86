/* render_points.c - circle markers of a style layer, many at a time.
 *
 * One cairo_arc and fill per point cost about 4 us each: a million points took seconds.
 * On an image surface (PNG) each distinct marker is drawn once by cairo into a small
 * premultiplied ARGB "stamp", in four variants a half pixel apart, and every point copies
 * the nearest variant with the OVER operator: the centre is off by at most a quarter pixel
 * and the points are drawn in order, as before. On vector surfaces (PDF, SVG) markers of
 * the same paint without an outline go into one path filled once; outlined ones are drawn
 * one by one, so each outline lies over the markers before it. */
#include "render/render_int.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"

/* Markers wider than this are drawn by cairo one by one: few of them fit on a map. */
#define STAMP_MAX_PX 128
/* Distinct paints kept as stamps; more (a "match" with many outputs) replace the last. */
#define STAMP_CACHE 16

struct stamp {
    struct render_circle_paint paint;
    int size;                /* pixels across; the marker is centred on size / 2 */
    cairo_surface_t *img[4]; /* ARGB32; index 2 * (y offset) + (x offset), half pixels */
};

struct render_circles {
    cairo_t *cr;
    const struct render_frame *frame;
    cairo_surface_t *target; /* RGB24 image surface drawn on directly, or NULL */
    int clip[4];             /* x0, y0, x1, y1: the frame's whole pixels on the target */
    bool is_dirty;
    struct stamp stamps[STAMP_CACHE];
    size_t n_stamps;
    bool has_pending; /* vector: a path of markers drawn with pending_paint */
    struct render_circle_paint pending_paint;
};

/* The image surface under cr when nothing (a transformation, a group, a device offset)
 * stands between user space and its pixels. */
static cairo_surface_t *direct_target(cairo_t *cr)
{
    cairo_surface_t *s = cairo_get_target(cr);
    cairo_matrix_t m;
    cairo_get_matrix(cr, &m);
    double dx = 0, dy = 0;
    cairo_surface_get_device_offset(s, &dx, &dy);
    bool is_identity = m.xx == 1 && m.yy == 1 && m.xy == 0 && m.yx == 0 && m.x0 == 0 && m.y0 == 0;
    if (cairo_surface_get_type(s) != CAIRO_SURFACE_TYPE_IMAGE ||
        cairo_image_surface_get_format(s) != CAIRO_FORMAT_RGB24 ||
        cairo_get_group_target(cr) != s || !is_identity || dx != 0 || dy != 0) {
        return NULL;
    }
    return s;
}

struct render_circles *render_circles_new(cairo_t *cr, const struct render_frame *frame)
{
    struct render_circles *c = xcalloc(1, sizeof(*c));
    c->cr = cr;
    c->frame = frame;
    c->target = direct_target(cr);
    if (c->target != NULL) {
        int w = cairo_image_surface_get_width(c->target);
        int h = cairo_image_surface_get_height(c->target);
        c->clip[0] = (int)fmax(0, ceil(frame->x));
        c->clip[1] = (int)fmax(0, ceil(frame->y));
        c->clip[2] = (int)fmin(w, floor(frame->x + frame->w));
        c->clip[3] = (int)fmin(h, floor(frame->y + frame->h));
    }
    return c;
}

static bool same_paint(const struct render_circle_paint *a, const struct render_circle_paint *b)
{
    return memcmp(a, b, sizeof(*a)) == 0;
}

static void stamp_draw(struct stamp *st, const struct render_circle_paint *p)
{
    double extent = p->radius + (p->stroke_width > 0 ? p->stroke_width / 2 : 0);
    st->paint = *p;
    st->size = 2 * (int)ceil(extent + 1);
    for (int v = 0; v < 4; v++) {
        st->img[v] = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, st->size, st->size);
        cairo_t *cr = cairo_create(st->img[v]);
        render_style_circle_paint_at(cr, p, st->size / 2 + 0.5 * (v & 1),
                                     st->size / 2 + 0.5 * (v >> 1));
        cairo_destroy(cr);
        cairo_surface_flush(st->img[v]);
    }
}

static void stamp_clear(struct stamp *st)
{
    for (int v = 0; v < 4; v++) {
        cairo_surface_destroy(st->img[v]);
    }
}

static struct stamp *stamp_for(struct render_circles *c, const struct render_circle_paint *p)
{
    for (size_t i = 0; i < c->n_stamps; i++) {
        if (same_paint(&c->stamps[i].paint, p)) {
            return &c->stamps[i];
        }
    }
    if (c->n_stamps == STAMP_CACHE) {
        stamp_clear(&c->stamps[--c->n_stamps]);
    }
    struct stamp *st = &c->stamps[c->n_stamps++];
    stamp_draw(st, p);
    return st;
}

/* d = s + d * (1 - alpha(s)) per channel, premultiplied, 8 bits. */
static uint32_t over(uint32_t s, uint32_t d)
{
    uint32_t inv = 255 - (s >> 24);
    uint32_t out = 0;
    for (int shift = 0; shift < 24; shift += 8) {
        uint32_t t = ((d >> shift) & 0xff) * inv + 0x80;
        t = ((t >> 8) + t) >> 8;
        out |= (((s >> shift) & 0xff) + t) << shift;
    }
    return out;
}

static void stamp_blit(struct render_circles *c, const struct stamp *st, double x, double y)
{
    /* Top-left in half pixels, rounded: the variant is the half-pixel remainder. */
    double hx = floor(2 * (x - st->size / 2) + 0.5), hy = floor(2 * (y - st->size / 2) + 0.5);
    if (!(fabs(hx) < 1e9 && fabs(hy) < 1e9)) {
        return;
    }
    long ix = (long)floor(hx / 2), iy = (long)floor(hy / 2);
    int v = (int)(hx - 2.0 * (double)ix) + 2 * (int)(hy - 2.0 * (double)iy);
    cairo_surface_t *img = st->img[v];
    const unsigned char *src = cairo_image_surface_get_data(img);
    int src_stride = cairo_image_surface_get_stride(img);
    unsigned char *dst = cairo_image_surface_get_data(c->target);
    int dst_stride = cairo_image_surface_get_stride(c->target);
    long x0 = ix < c->clip[0] ? c->clip[0] : ix, x1 = ix + st->size;
    long y0 = iy < c->clip[1] ? c->clip[1] : iy, y1 = iy + st->size;
    x1 = x1 > c->clip[2] ? c->clip[2] : x1;
    y1 = y1 > c->clip[3] ? c->clip[3] : y1;
    for (long py = y0; py < y1; py++) {
        const uint32_t *s = (const uint32_t *)(const void *)(src + (py - iy) * src_stride);
        uint32_t *d = (uint32_t *)(void *)(dst + py * dst_stride);
        for (long px = x0; px < x1; px++) {
            uint32_t sp = s[px - ix];
            if (sp >> 24 == 255) {
                d[px] = sp;
            } else if (sp != 0) {
                d[px] = over(sp, d[px]);
            }
        }
    }
}

static void flush_pending(struct render_circles *c)
{
    if (c->has_pending) {
        render_style_circle_paint_path(c->cr, &c->pending_paint);
        c->has_pending = false;
    }
}

void render_circles_add(struct render_circles *c, const struct render_circle_paint *p, double x,
                        double y)
{
    if (p->radius <= 0) {
        return;
    }
    double extent = p->radius + (p->stroke_width > 0 ? p->stroke_width / 2 : 0);
    if (c->target != NULL && 2 * extent + 2 <= STAMP_MAX_PX) {
        if (!c->is_dirty) {
            cairo_surface_flush(c->target); /* cairo's pending drawing lands first */
            c->is_dirty = true;
        }
        stamp_blit(c, stamp_for(c, p), x, y);
        return;
    }
    if (c->is_dirty) {
        cairo_surface_mark_dirty(c->target);
        c->is_dirty = false;
    }
    if (c->has_pending && !same_paint(&c->pending_paint, p)) {
        flush_pending(c);
    }
    if (p->stroke_width > 0) {
        /* Each outline over the markers before it, as the web map draws them. */
        render_style_circle_paint_at(c->cr, p, x, y);
        return;
    }
    cairo_new_sub_path(c->cr);
    cairo_arc(c->cr, x, y, p->radius, 0, 2 * M_PI);
    c->pending_paint = *p;
    c->has_pending = true;
}

void render_circles_finish(struct render_circles *c)
{
    if (c == NULL) {
        return;
    }
    flush_pending(c);
    if (c->is_dirty) {
        cairo_surface_mark_dirty(c->target);
    }
    for (size_t i = 0; i < c->n_stamps; i++) {
        stamp_clear(&c->stamps[i]);
    }
    free(c);
}
