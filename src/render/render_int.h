/* render_int.h - what the files of src/render/ share: the map frame (Web Mercator fitted into
 * a rectangle), drawing style layers, text with pango, legend, map furniture, the output
 * surfaces and the layouts' boxes. Only src/render/ and its tests include it (it brings
 * cairo and pango). Device units are pixels for PNG and points for PDF/SVG. */
#ifndef CITYATLAS_RENDER_RENDER_INT_H
#define CITYATLAS_RENDER_RENDER_INT_H

#include <stdbool.h>
#include <stddef.h>

#include <cairo.h>
#include <jansson.h>
#include <pango/pangocairo.h>

#include "render/render.h"
#include "styles/style_color.h"
#include "styles/style_eval.h"

/* The map frame (render_map.c) */

/* A view fitted into a device rectangle. */
struct render_frame {
    double x, y, w, h;    /* the rectangle, device units */
    double scale;         /* device units per Web Mercator metre */
    double cx_m, cy_m;    /* the centre, EPSG:3857 metres */
    double px_per_css_px; /* device units per CSS pixel */
    double zoom;          /* the web map's zoom at this ground resolution */
    double visible[4];    /* lon/lat box of the whole rectangle: EPSG:4326 degrees */
    double centre_lat;    /* degrees */
};

/* Fits view->bbox into the rectangle at (x, y). ERR_INVALID for a bbox outside
 * lon -180..180, lat -85..85, or empty, or a rectangle of no size. */
int render_frame_fit(const struct render_view *view, double x, double y, struct render_frame *out,
                     struct err *err) WARN_UNUSED;
/* lon/lat degrees to device coordinates. */
void render_frame_project(const struct render_frame *f, double lon, double lat, double *px,
                          double *py);
/* Ground metres per device unit at the centre latitude. */
double render_frame_ground_m_per_px(const struct render_frame *f);

/* What the map drew, so that a legend lists only what a reader can find on it: per layer,
 * whether any feature was drawn, and per class of its classified colour
 * (render_legend_classes: the rows in legend order, a match's fallback last) whether a
 * feature of that class was. */
struct render_seen_layer {
    bool is_drawn;
    bool *classes; /* n_classes, owned */
    size_t n_classes;
};

struct render_seen {
    struct render_seen_layer *layers; /* n_layers, owned */
    size_t n_layers;
};

void render_seen_clear(struct render_seen *seen); /* a zeroed one is fine */

/* Draws the layers (in order; each style layer in order; labels last, on top) clipped to
 * the frame, recording into seen (may be NULL) what was drawn. Errors as the store's
 * (ERR_INVALID for a filter the layer refuses). */
int render_map_draw(cairo_t *cr, struct store_read *rd, const struct render_frame *frame,
                    const struct render_layer *layers, size_t n_layers, struct render_seen *seen,
                    struct err *err) WARN_UNUSED;

/* Where a feature's number or label goes, in device units: the point, the middle of the
 * longest line, the centroid of the largest outer ring. False when the blob holds nothing
 * (or does not decode). */
bool render_map_anchor(const struct render_frame *frame, const unsigned char *blob, size_t len,
                       double *x, double *y);

/* Labels (render_labels.c): placed first come, first served; drawn on top at the end. */

struct render_label_style {
    double size;       /* device units */
    double halo_width; /* device units */
    struct style_color color, halo;
};

struct render_labels; /* opaque */

struct render_labels *render_labels_new(cairo_t *cr, const struct render_frame *frame);
void render_labels_free(struct render_labels *labels); /* NULL is fine */
/* Places text (len bytes) centred on (x, y) unless its box (with the halo and a margin)
 * leaves the frame or overlaps a placed label. True when placed. */
bool render_labels_add(struct render_labels *labels, const char *text, size_t len, double x,
                       double y, const struct render_label_style *st);
size_t render_labels_count(const struct render_labels *labels);
/* Draws every placed label, halo first. */
void render_labels_draw(struct render_labels *labels);

/* Style layers (render_style.c), shared by the map and the legend's swatches */

/* True when the style layer shows at zoom (minzoom <= zoom < maxzoom, visibility). */
bool render_style_layer_shows(const json_t *style_layer, double zoom);
/* The style layer's "type" ("fill", "line", "circle", "symbol"), or "". */
const char *render_style_layer_type(const json_t *style_layer);
/* Paints the current path as a fill / line style layer would for feature f (s: device
 * units per CSS pixel); the path is consumed. */
void render_style_fill_path(cairo_t *cr, const json_t *style_layer, const struct style_feature *f,
                            double zoom, double s);
/* A fill style layer's "fill-pattern" that hatches the fill with grey diagonal lines
 * (cityatlas's own: the server's "no data" areas). Any other pattern is ignored. */
#define RENDER_PATTERN_HATCH "cityatlas:hatch"
/* Hatches the current path (consumed) with lines 5 * s apart. */
void render_hatch_path(cairo_t *cr, double s);
void render_style_stroke_path(cairo_t *cr, const json_t *style_layer, const struct style_feature *f,
                              double zoom, double s);
/* Draws a circle style layer's marker for f at (x, y). */
void render_style_circle(cairo_t *cr, const json_t *style_layer, const struct style_feature *f,
                         double zoom, double s, double x, double y);

/* A circle marker's paint evaluated for one feature; equal paints draw equal markers (the
 * struct has no padding: compare with memcmp). */
struct render_circle_paint {
    double radius, stroke_width; /* device units; stroke_width 0: no stroke */
    struct style_color fill, stroke;
};
void render_style_circle_paint(const json_t *style_layer, const struct style_feature *f,
                               double zoom, double s, struct render_circle_paint *out);
/* Fills (and strokes) the current path with p; the path is consumed. */
void render_style_circle_paint_path(cairo_t *cr, const struct render_circle_paint *p);
/* Draws one marker centred on (x, y). */
void render_style_circle_paint_at(cairo_t *cr, const struct render_circle_paint *p, double x,
                                  double y);

/* Circle markers in bulk (render_points.c): stamped onto image surfaces, batched into one
 * path per paint on vector ones. Drawing between new and finish must go through it only. */
struct render_circles; /* opaque */

struct render_circles *render_circles_new(cairo_t *cr, const struct render_frame *frame);
/* Draws (or queues) the marker p centred on (x, y), clipped to the frame. */
void render_circles_add(struct render_circles *c, const struct render_circle_paint *p, double x,
                        double y);
/* Draws what is queued and frees c (NULL is fine). */
void render_circles_finish(struct render_circles *c);

/* Text (render_text.c) */

/* Thai first so Thai text gets a Thai face; Latin falls through to Noto Sans. */
#define RENDER_FONT_FAMILY "Noto Sans Thai, Noto Sans, Loma, sans"

struct render_text_style {
    double size; /* font size, device units (absolute) */
    bool is_bold;
    double width;  /* wrap width, device units; 0: one line, no wrapping */
    int max_lines; /* with width: ellipsize after this many lines; 0: no limit */
    struct style_color color;
    PangoAlignment align;
};

/* A layout of text in the style for cr's target; free with g_object_unref. Pango breaks
 * Thai lines at word boundaries (libthai dictionary). */
PangoLayout *render_text_layout(cairo_t *cr, const char *text, const struct render_text_style *st);
/* Draws text with its top-left at (x, y); returns the height it took. */
double render_text_draw(cairo_t *cr, double x, double y, const char *text,
                        const struct render_text_style *st);
/* The layout's size in device units. */
void render_text_extent(PangoLayout *layout, double *w, double *h);
/* Glyphs no font had (drawn as boxes): 0 for text every character of which was found. */
int render_text_unknown_glyphs(PangoLayout *layout);

/* Legend (render_legend.c) */

/* One legend row: a swatch drawn with style_layer for a feature holding value in field
 * (field NULL: no properties), and its label. */
struct render_legend_row {
    char *label;                   /* owned */
    const json_t *style_layers[4]; /* stacked, drawn in order; borrowed from the style */
    size_t n_style_layers;
    const char *field; /* borrowed */
    struct store_value value;
    char *value_text; /* owned: value.ptr for text values */
    bool is_heading;  /* a layer title above its classes: no swatch */
};

struct render_legend {
    struct render_legend_row *rows;
    size_t n_rows;
};

/* Builds the rows for layers at zoom: per layer, one row with a swatch of its style layers,
 * or a heading and one row per class of a categorised (match) or graduated (step) colour.
 * Titles: metadata "cityatlas:legend" in the language, else the layer's title. */
void render_legend_build(const struct render_layer *layers, size_t n_layers, double zoom,
                         bool is_thai, const struct render_seen *seen, struct render_legend *out);
/* seen (may be NULL: every row) leaves out layers nothing of which was drawn and classes no
 * feature had. Class labels: the style's metadata "cityatlas:labels" ({value: {"th", "en"}})
 * in the language, else the value itself. */

/* The classified colour the legend splits a layer into: the first shown fill, line or
 * circle style layer (of the first four) whose colour is ["match"|"step", ["get", field],
 * ...]; *owner is that style layer and *field its field. NULL when there is none. */
const json_t *render_legend_classes(const json_t *style, double zoom, const json_t **owner,
                                    const char **field);
/* The number of legend classes of such an expression (a match's fallback is the last). */
size_t render_legend_class_count(const json_t *classes);
/* The class of feature f in it, or -1 when f has no value for field. */
long render_legend_class_of(const json_t *classes, const char *field,
                            const struct style_feature *f);

/* Notes (render_notes.c): numbered badges on the map and the notes table */

/* Draws each note's number in a badge at its feature, inside the frame; a badge that
 * would cover one already placed moves outwards (with a leader line) to the first free
 * spot. unit: device units per layout unit. boxes (may be NULL): 4 doubles per note, the
 * badge's {x, y, w, h}, all 0 for a note not on the map. */
void render_notes_badges(cairo_t *cr, const struct render_frame *frame,
                         const struct render_note *notes, size_t n_notes, double unit,
                         double *boxes);

/* Draws notes[first..] as table rows in box (x, y, w, h) under a header row, as many as
 * fit whole; returns how many that was. */
size_t render_notes_table(cairo_t *cr, const struct render_note *notes, size_t n_notes,
                          size_t first, const double *box, double unit, bool is_thai);
/* The height the table takes for notes[first..] in width w, all rows, header included. */
double render_notes_table_height(cairo_t *cr, const struct render_note *notes, size_t n_notes,
                                 size_t first, double w, double unit, bool is_thai);
void render_legend_clear(struct render_legend *legend);
/* Draws rows from (x, y) within width; stops before passing max_h. unit: device units per
 * layout unit (text 3 units high); s: device units per CSS pixel for line widths and radii.
 * Returns the height used. */
double render_legend_draw(cairo_t *cr, const struct render_legend *legend, double x, double y,
                          double width, double max_h, double unit, double zoom, double s);

/* Furniture (render_furniture.c) */

/* The longest round length (1, 2 or 5 x 10^k metres) that fits in max_px at this
 * resolution. */
double render_scale_bar_metres(double ground_m_per_px, double max_px);
/* Draws a scale bar at (x, y) (bottom-left corner) no longer than max_px. */
void render_scale_bar(cairo_t *cr, const struct render_frame *frame, double x, double y,
                      double max_px, double unit);
/* Draws a north arrow centred on (cx, cy), size device units tall. */
void render_north_arrow(cairo_t *cr, double cx, double cy, double size);
/* The QR code of text: *width x *width modules (row-major, 1 = dark), free with free().
 * ERR_INVALID when text is empty or too long for a QR code. */
int render_qr_modules(const char *text, unsigned char **modules, int *width,
                      struct err *err) WARN_UNUSED;
/* The number of modules across the drawn code: the code plus a 4-module quiet zone on each
 * side. */
#define RENDER_QR_QUIET 4
/* Draws the QR code of text as vector squares in the size x size square at (x, y),
 * including the white quiet zone. */
int render_qr_draw(cairo_t *cr, const char *text, double x, double y, double size,
                   struct err *err) WARN_UNUSED;

/* Output (render_output.c) */

struct render_target {
    cairo_surface_t *surface;
    cairo_t *cr;
    enum render_format format;
    double width, height; /* device units */
    double px_per_css_px; /* dpi/96 for PNG on paper, 0.75 for points, 1 for pixels */
    struct buf *out;
    size_t start; /* out->len before: restored on failure */
    int write_rc; /* first error of the stream callback */
    struct err *err;
};

/* The page's device size and scale. ERR_INVALID as render.h says. */
int render_page_size(const struct render_page *page, double *width, double *height,
                     double *px_per_css_px, struct err *err) WARN_UNUSED;
/* Opens a surface of width x height device units writing into out. */
int render_target_open(struct render_target *t, enum render_format format, double width,
                       double height, double px_per_css_px, struct buf *out,
                       struct err *err) WARN_UNUSED;
/* Finishes the file (PDF metadata: title, creation date from date_iso when given) and
 * frees the surface. On failure out is restored. */
int render_target_finish(struct render_target *t, const char *title, const char *date_iso,
                         struct err *err) WARN_UNUSED;
/* Frees the surface without finishing; restores out. */
void render_target_discard(struct render_target *t);
/* render_page_size() then render_target_open() for page: its device size and scale are
 * then t->width, t->height and t->px_per_css_px. */
int render_target_open_page(struct render_target *t, const struct render_page *page,
                            struct buf *out, struct err *err) WARN_UNUSED;
/* Ends a target after drawing: render_target_finish() when draw_rc is ERR_OK, else
 * render_target_discard() and draw_rc. */
int render_target_end(struct render_target *t, int draw_rc, const char *title, const char *date_iso,
                      struct err *err) WARN_UNUSED;
/* Appends an RGB24 image surface to out as an 8-bit RGB PNG (render_png.c: rows unfiltered,
 * zlib level 1). On failure (ERR_TOO_LARGE past out's cap, ERR_INTERNAL from zlib) out is
 * left as it was. */
int render_png_write(cairo_surface_t *surface, struct buf *out, struct err *err) WARN_UNUSED;

/* Layouts (render_poster.c, render_share.c, render_compare.c) */

/* Where a layout put things, for tests and for the layouts' own drawing. Boxes are
 * {x, y, w, h} in device units. */
struct render_boxes {
    double title[4], map[4], legend[4], stats[4], qr[4], footer[4], notes[4];
    size_t n_notes_listed; /* notes in the table on the first page */
    struct render_text_style title_style;
};

/* The sheet's title in its language (falls back to the other one; "" when neither). */
const char *render_sheet_title(const struct render_sheet *sheet);
/* The other language's title, or NULL when there is none or it equals the first. */
const char *render_sheet_subtitle(const struct render_sheet *sheet);

/* The poster's first page. has_pages: the surface takes more pages (PDF), so notes that do
 * not fit are said to continue there (render_poster draws them) rather than to be in the
 * PDF. */
int render_poster_draw(cairo_t *cr, struct store_read *rd, const struct render_sheet *sheet,
                       double width, double height, double px_per_css_px, bool has_pages,
                       struct render_boxes *boxes, struct err *err) WARN_UNUSED;
int render_share_draw(cairo_t *cr, struct store_read *rd, const struct render_sheet *sheet,
                      double width, double height, struct render_boxes *boxes,
                      struct err *err) WARN_UNUSED;
int render_compare_draw(cairo_t *cr, struct store_read *rd, const struct render_sheet *sheets,
                        size_t n_sheets, double width, double height, double px_per_css_px,
                        struct err *err) WARN_UNUSED;

/* Small shared drawing helpers (render_text.c) */
void render_set_color(cairo_t *cr, struct style_color c);
/* "Hat Yai · 22 November 2026" (the sheet's place and date, either may be missing; "" when
 * both are) into out (cap bytes, cut to fit). */
void render_place_date_text(const struct render_sheet *sheet, char *out, size_t cap);
/* "Sources: title: attribution (license); ..." in the language. Free with g_free. */
char *render_sources_text(const struct render_source *sources, size_t n, bool is_thai);

#endif
