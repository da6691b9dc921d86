/* render.h - maps drawn on the server: posters (PDF, SVG, PNG on paper sizes or in pixels),
 * share images for social media and comparison sheets, all from the layers of one snapshot
 * drawn with the same style documents as the web map (styles/README.md).
 *
 * The renderer knows layers, styles and texts, nothing of scenarios or statistics: the
 * caller describes a sheet (titles, narrative, statistics lines already formatted, sources,
 * date, link) and the map part (extent and layers). cairo, pango and libqrencode are used
 * only under src/render/; this header shows none of their types.
 *
 * Threads: every call uses its own cairo surfaces and pango layouts; calls on different
 * snapshots may run at once on different threads. */
#ifndef CITYATLAS_RENDER_RENDER_H
#define CITYATLAS_RENDER_RENDER_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/err.h"
#include "store/store_read.h"

struct cql2_node;

/* Caps on what a request may ask for: a raster side, the pixels of one raster (4 bytes
 * each in memory: 40 M pixels is 160 MB, about an A2 poster at 300 dpi) and the dpi. */
#define RENDER_MAX_SIDE_PX 16384
#define RENDER_MAX_PIXELS 40000000.0
#define RENDER_MIN_DPI 36.0
#define RENDER_MAX_DPI 600.0
#define RENDER_DEFAULT_DPI 150.0

/* The part of the map drawn into a rectangle: bbox is fitted into width x height (Web
 * Mercator, EPSG:3857, as Leaflet draws it), keeping its aspect and centred, so more of
 * one axis may show than was asked. */
struct render_view {
    double bbox[4];       /* min_lon, min_lat, max_lon, max_lat: EPSG:4326 degrees */
    double width, height; /* device units (pixels, or points for PDF/SVG) */
    double px_per_css_px; /* device units per CSS pixel: dpi/96 on paper, 1 on screens */
};

/* One layer of the map, drawn with its style document (styles/README.md format, already
 * resolved with style_set_resolve and any overrides merged in). Borrowed for the call. */
struct render_layer {
    const struct store_layer *layer; /* from the snapshot the map is drawn from */
    json_t *style;
    const struct cql2_node *filter; /* NULL: every feature */
};

enum render_format { RENDER_PNG, RENDER_PDF, RENDER_SVG };

/* "png", "pdf" or "svg" (ASCII case-insensitive); ERR_INVALID otherwise. */
int render_format_parse(const char *name, enum render_format *out, struct err *err) WARN_UNUSED;
/* "image/png", "application/pdf", "image/svg+xml". */
const char *render_format_mime(enum render_format format);

/* A page: a paper size, or an explicit pixel size.
 * PDF and SVG pages are in points (1/72 inch); a PNG of a paper size has dpi pixels per
 * inch. A pixel page is that many pixels (PNG) or points (PDF/SVG). */
struct render_page {
    enum render_format format;
    const char *paper;       /* "A4", "A3" or "A1" (case-insensitive), or NULL for pixels */
    bool is_landscape;       /* paper only */
    int width_px, height_px; /* paper NULL: 1..RENDER_MAX_SIDE_PX */
    double dpi;              /* PNG on paper; 0 means RENDER_DEFAULT_DPI */
};

struct render_bilingual {
    const char *th, *en; /* either may be NULL: the other is used */
};

/* A statistics line, already formatted by the caller: "Schools", "42", "per km²". */
struct render_stat_line {
    const char *label, *value, *unit; /* unit may be NULL */
};

/* A data source to credit: every one is printed on posters. */
struct render_source {
    const char *title, *attribution, *license; /* attribution and license may be NULL */
};

/* What a sheet shows. Everything is borrowed for the call; text is UTF-8. */
struct render_sheet {
    struct render_bilingual title;
    const char *narrative; /* in the sheet's language; may be NULL; excerpted to fit */
    bool is_thai;          /* the sheet's language: Thai, else English */
    const struct render_stat_line *stats;
    size_t n_stats;
    const char *headline_value, *headline_label; /* share images; may be NULL */
    const struct render_source *sources;
    size_t n_sources;
    const char *date;  /* ISO 8601 "YYYY-MM-DD", optionally followed by "T..."; may be NULL */
    const char *place; /* the city's name in the sheet's language, shown in the footer
                          before the date (store_read_city); may be NULL */
    const char *url;   /* encoded in the QR code; may be NULL (no code) */
    double bbox[4];    /* the map's extent: EPSG:4326 degrees */
    const struct render_layer *layers;
    size_t n_layers;
};

/* Outputs. Each appends the file to out, whose max_len is the byte cap (ERR_TOO_LARGE
 * past it; out is then left as it was). ERR_INVALID for a bad page (unknown paper, size 0
 * or past the caps, dpi out of range), a bad extent, or a layer filter the store refuses;
 * ERR_DB from the store; ERR_INTERNAL when cairo fails. */

/* A poster: title, narrative excerpt, map with legend, scale bar and north arrow,
 * statistics box, every source's attribution, date and a QR code of the URL. */
int render_poster(struct store_read *rd, const struct render_sheet *sheet,
                  const struct render_page *page, struct buf *out, struct err *err) WARN_UNUSED;

/* The map alone: the sheet's layers over its extent (fitted as render_view says) filling
 * the whole page on white, with no title, legend, scale bar, north arrow, statistics,
 * sources or QR code; for embedding a map image, and what a WMS GetMap draws. */
int render_map_only(struct store_read *rd, const struct render_sheet *sheet,
                    const struct render_page *page, struct buf *out, struct err *err) WARN_UNUSED;

/* A PNG share image of width_px x height_px (e.g. 1200x630, 1080x1080, 1080x1350; each
 * side 200..4096): map, headline number and label, title, sources and date. */
int render_share(struct store_read *rd, const struct render_sheet *sheet, int width_px,
                 int height_px, struct buf *out, struct err *err) WARN_UNUSED;

/* 2 to 4 sheets side by side on one page, every map with the same extent (the union of
 * the sheets' extents) and scale, each with its title and statistics lines, statistics in
 * aligned rows. The page's language, date and sources come from sheets[0] (sources of the
 * others are added when their titles differ). */
int render_compare(struct store_read *rd, const struct render_sheet *sheets, size_t n_sheets,
                   const struct render_page *page, struct buf *out, struct err *err) WARN_UNUSED;

/* A date for readers: "22 พฤศจิกายน พ.ศ. 2569" (Thai: Buddhist-era year, Gregorian + 543) or
 * "22 November 2026", from ISO 8601 text ("2026-11-22", a time after it is ignored).
 * ERR_INVALID when iso is not a real date; ERR_TOO_LARGE when out (cap bytes) is short. */
int render_date_text(const char *iso, bool is_thai, char *out, size_t cap,
                     struct err *err) WARN_UNUSED;

/* Releases the calling thread's font map (its fonts and pango's caches), for leak
 * checkers; call once at exit, after every render call has returned. cairo's static caches
 * and fontconfig's configuration stay, reachable from their globals (freeing them safely
 * needs every font gone, or FcFini, which cityatlas does not link). */
void render_shutdown(void);

/* A QR code of text (level M, 4 modules of quiet zone) as an SVG document into out: one
 * path of dark squares, so any size prints sharp (a workshop's join link on a projector or
 * a sheet of paper). ERR_INVALID for empty text or text too long for a QR code. */
int render_qr_svg(const char *text, struct buf *out, struct err *err) WARN_UNUSED;

#endif
