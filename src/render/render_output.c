/* render_output.c - pages and surfaces: paper sizes, PDF/SVG written through cairo's
 * stream surfaces and PNG through render_png.c, into a capped buf, so nothing touches the
 * disk. */
#include "render/render_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>

struct paper {
    const char *name;
    double short_mm, long_mm;
};

static const struct paper papers[] = {
    {"A4", 210, 297},
    {"A3", 297, 420},
    {"A1", 594, 841},
};

#define MM_PER_INCH 25.4
#define PT_PER_INCH 72.0
#define CSS_PX_PER_INCH 96.0

int render_format_parse(const char *name, enum render_format *out, struct err *err)
{
    static const char *const names[] = {"png", "pdf", "svg"};
    for (int i = 0; name != NULL && i < 3; i++) {
        if (strcasecmp(name, names[i]) == 0) {
            *out = (enum render_format)i;
            return ERR_OK;
        }
    }
    return err_set(err, ERR_INVALID, "unknown format \"%s\" (expected png, pdf or svg)",
                   name != NULL ? name : "");
}

const char *render_format_mime(enum render_format format)
{
    switch (format) {
    case RENDER_PDF:
        return "application/pdf";
    case RENDER_SVG:
        return "image/svg+xml";
    case RENDER_PNG:
        break;
    }
    return "image/png";
}

static int paper_size(const struct render_page *page, double *w, double *h, double *s,
                      struct err *err)
{
    const struct paper *p = NULL;
    for (size_t i = 0; i < sizeof(papers) / sizeof(papers[0]); i++) {
        if (strcasecmp(page->paper, papers[i].name) == 0) {
            p = &papers[i];
        }
    }
    if (p == NULL) {
        return err_set(err, ERR_INVALID, "unknown paper \"%s\" (expected A4, A3 or A1)",
                       page->paper);
    }
    double dpi = page->dpi == 0 ? RENDER_DEFAULT_DPI : page->dpi;
    if (!(dpi >= RENDER_MIN_DPI && dpi <= RENDER_MAX_DPI)) {
        return err_set(err, ERR_INVALID, "dpi must be between %.0f and %.0f", RENDER_MIN_DPI,
                       RENDER_MAX_DPI);
    }
    double per_inch = page->format == RENDER_PNG ? dpi : PT_PER_INCH;
    double a = p->short_mm / MM_PER_INCH * per_inch, b = p->long_mm / MM_PER_INCH * per_inch;
    if (page->format == RENDER_PNG) {
        a = round(a);
        b = round(b);
    }
    *w = page->is_landscape ? b : a;
    *h = page->is_landscape ? a : b;
    *s = per_inch / CSS_PX_PER_INCH;
    return ERR_OK;
}

int render_page_size(const struct render_page *page, double *width, double *height,
                     double *px_per_css_px, struct err *err)
{
    int rc = ERR_OK;
    if (page->paper != NULL) {
        rc = paper_size(page, width, height, px_per_css_px, err);
    } else if (page->width_px < 1 || page->height_px < 1 || page->width_px > RENDER_MAX_SIDE_PX ||
               page->height_px > RENDER_MAX_SIDE_PX) {
        return err_set(err, ERR_INVALID, "a page must be 1 to %d pixels wide and high",
                       RENDER_MAX_SIDE_PX);
    } else {
        *width = page->width_px;
        *height = page->height_px;
        *px_per_css_px = 1;
    }
    if (rc == ERR_OK && page->format == RENDER_PNG &&
        (*width > RENDER_MAX_SIDE_PX || *height > RENDER_MAX_SIDE_PX ||
         *width * *height > RENDER_MAX_PIXELS)) {
        return err_set(err, ERR_INVALID,
                       "the image would be %.0fx%.0f pixels, over the cap of %.0f million", *width,
                       *height, RENDER_MAX_PIXELS / 1e6);
    }
    return rc;
}

static cairo_status_t write_to_buf(void *closure, const unsigned char *data, unsigned int length)
{
    struct render_target *t = closure;
    if (t->write_rc != ERR_OK) {
        return CAIRO_STATUS_WRITE_ERROR;
    }
    t->write_rc = buf_append(t->out, data, length, t->err);
    return t->write_rc == ERR_OK ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

int render_target_open(struct render_target *t, enum render_format format, double width,
                       double height, double px_per_css_px, struct buf *out, struct err *err)
{
    memset(t, 0, sizeof(*t));
    t->format = format;
    t->width = width;
    t->height = height;
    t->px_per_css_px = px_per_css_px;
    t->out = out;
    t->start = out->len;
    t->err = err;
    if (format == RENDER_PDF) {
        t->surface = cairo_pdf_surface_create_for_stream(write_to_buf, t, width, height);
    } else if (format == RENDER_SVG) {
        t->surface = cairo_svg_surface_create_for_stream(write_to_buf, t, width, height);
        cairo_svg_surface_set_document_unit(t->surface, CAIRO_SVG_UNIT_PT);
    } else {
        t->surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)width, (int)height);
    }
    if (cairo_surface_status(t->surface) != CAIRO_STATUS_SUCCESS) {
        int rc = err_set(err, ERR_INTERNAL, "cairo could not make a %.0fx%.0f surface: %s", width,
                         height, cairo_status_to_string(cairo_surface_status(t->surface)));
        cairo_surface_destroy(t->surface);
        t->surface = NULL;
        return rc;
    }
    t->cr = cairo_create(t->surface);
    cairo_set_source_rgb(t->cr, 1, 1, 1);
    cairo_paint(t->cr);
    return ERR_OK;
}

static void restore_out(struct render_target *t)
{
    t->out->len = t->start;
    if (t->out->data != NULL) {
        t->out->data[t->start] = '\0';
    }
}

void render_target_discard(struct render_target *t)
{
    if (t->cr != NULL) {
        cairo_destroy(t->cr);
    }
    if (t->surface != NULL) {
        t->write_rc = ERR_INTERNAL; /* the stream callback writes nothing more */
        cairo_surface_destroy(t->surface);
    }
    t->cr = NULL;
    t->surface = NULL;
    restore_out(t);
}

/* "2026-11-22T..." -> "2026-11-22T00:00:00" as cairo's PDF metadata wants. */
static void pdf_metadata(cairo_surface_t *surface, const char *title, const char *date_iso)
{
    if (title != NULL && title[0] != '\0') {
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title);
    }
    char text[32];
    if (date_iso != NULL && render_date_text(date_iso, false, text, sizeof(text), NULL) == ERR_OK) {
        char date[32];
        snprintf(date, sizeof(date), "%.10sT00:00:00", date_iso);
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, date);
    }
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "cityatlas");
}

int render_target_finish(struct render_target *t, const char *title, const char *date_iso,
                         struct err *err)
{
    cairo_status_t st = cairo_status(t->cr);
    cairo_destroy(t->cr);
    t->cr = NULL;
    if (st == CAIRO_STATUS_SUCCESS && t->format == RENDER_PDF) {
        pdf_metadata(t->surface, title, date_iso);
    }
    if (st == CAIRO_STATUS_SUCCESS && t->format == RENDER_PNG) {
        t->write_rc = render_png_write(t->surface, t->out, err);
    } else if (st == CAIRO_STATUS_SUCCESS) {
        cairo_surface_finish(t->surface);
        st = cairo_surface_status(t->surface);
    }
    cairo_surface_destroy(t->surface);
    t->surface = NULL;
    if (t->write_rc != ERR_OK) {
        restore_out(t);
        return t->write_rc; /* err was filled by buf_append */
    }
    if (st != CAIRO_STATUS_SUCCESS) {
        restore_out(t);
        return err_set(err, ERR_INTERNAL, "cairo failed: %s", cairo_status_to_string(st));
    }
    return ERR_OK;
}

void render_shutdown(void)
{
    /* Not cairo_debug_reset_static_data(): it asserts when any cairo font is still
     * referenced, and pango may hold one a little past the last layout (seen as an abort
     * in an ASan run). cairo's caches stay reachable from its globals, so leak checkers
     * do not report them. */
    pango_cairo_font_map_set_default(NULL);
}

int render_target_open_page(struct render_target *t, const struct render_page *page,
                            struct buf *out, struct err *err)
{
    double w = 0, h = 0, s = 1;
    int rc = render_page_size(page, &w, &h, &s, err);
    return rc == ERR_OK ? render_target_open(t, page->format, w, h, s, out, err) : rc;
}

int render_target_end(struct render_target *t, int draw_rc, const char *title, const char *date_iso,
                      struct err *err)
{
    if (draw_rc != ERR_OK) {
        render_target_discard(t);
        return draw_rc;
    }
    return render_target_finish(t, title, date_iso, err);
}
