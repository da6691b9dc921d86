/* test_render.c - the server-side renderer on the real bundled Chiang Mai data and styles,
 * checked as a reader would: PDFs open with the right page size and hold the Thai title
 * and the sources (pdfinfo, pdftotext), PNGs have the asked size and a map that is not
 * blank, Thai text has no missing glyphs and the poster's title region matches the title
 * drawn alone, the QR code's modules are qrencode's, bad pages are refused. The times of
 * an A3 300 dpi poster and a 1200x630 share image are printed (not judged). */
#include "unit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cql2/cql2.h"
#include "render/render_int.h"
#include "store/store_read.h"
#include "styles/style_set.h"

#include "unit_fixtures.h"
#include "unit_support.c"

static char dir_path[64];
static char db_path[256];
static struct store_pool *pool;
static struct style_set *styles;

static int setup(void **state)
{
    (void)state;
    unit_temp_db(dir_path, sizeof(dir_path), db_path, sizeof(db_path));
    if (unit_import_bundled_pool(db_path, &pool) != 0) {
        return -1;
    }
    struct err e = {0};
    return style_set_load(unit_repo_path("styles"), &styles, &e) == ERR_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    style_set_free(styles);
    store_pool_close(pool);
    render_shutdown();
    return unit_remove_dir(dir_path);
}

/* A sheet over central Chiang Mai with the layers the benchmark names. */

static const char *const map_ids[] = {"cm-tambon",    "cm-cbd-building-density", "rivers-wdbii",
                                      "cm-cbd-roads", "cm-old-city-walls",       "cm-cbd-pois"};
#define N_MAP (sizeof(map_ids) / sizeof(map_ids[0]))

static const char title_th[] = "กินดีอยู่ดี";
static const char title_en[] = "Living well";
static const char url[] = "https://cityatlas.example/scenarios/kin-di-yu-di";

struct fixture {
    struct store_read *rd;
    struct render_layer layers[N_MAP];
    struct render_source sources[N_MAP];
    struct render_stat_line stats[3];
    struct render_sheet sheet;
};

static void fixture_open(struct fixture *fx, bool is_thai)
{
    struct err e = {0};
    memset(fx, 0, sizeof(*fx));
    MUST(store_read_begin(pool, &fx->rd, &e), &e);
    for (size_t i = 0; i < N_MAP; i++) {
        const struct store_layer *l = store_read_layer(fx->rd, map_ids[i]);
        assert_non_null(l);
        bool is_default = true;
        fx->layers[i] = (struct render_layer){
            l, style_set_resolve(styles, l->id, l->geometry_type, l->name_column, &is_default),
            NULL};
        assert_false(is_default);
        fx->sources[i] =
            (struct render_source){is_thai ? l->title_th : l->title_en, l->attribution, l->license};
    }
    fx->stats[0] =
        (struct render_stat_line){is_thai ? "โรงเรียน" : "Schools", "153", is_thai ? "แห่ง" : NULL};
    fx->stats[1] = (struct render_stat_line){is_thai ? "ความยาวถนน" : "Road length", "1,234.5",
                                             is_thai ? "กม." : "km"};
    fx->stats[2] = (struct render_stat_line){is_thai ? "วัด" : "Temples", "219", NULL};
    fx->sheet = (struct render_sheet){
        .title = {title_th, title_en},
        .narrative = is_thai ? "เมืองที่ทุกคนกินดีอยู่ดี มีตลาดใกล้บ้าน มีสวนสาธารณะให้เดินเล่น "
                               "ถนนปลอดภัยสำหรับคนเดินและจักรยาน และชุมชนดูแลกันและกัน"
                             : "A city where everyone lives well: markets near home, parks to "
                               "walk in, streets safe for walking and cycling.",
        .is_thai = is_thai,
        .stats = fx->stats,
        .n_stats = 3,
        .headline_value = "153",
        .headline_label = is_thai ? "โรงเรียนในเขตเมือง" : "schools in the city",
        .sources = fx->sources,
        .n_sources = N_MAP,
        .date = "2026-11-22",
        .url = url,
        .bbox = {98.95, 18.76, 99.02, 18.82},
        .layers = fx->layers,
        .n_layers = N_MAP,
    };
}

static void fixture_close(struct fixture *fx)
{
    for (size_t i = 0; i < N_MAP; i++) {
        json_decref(fx->layers[i].style);
    }
    store_read_end(fx->rd);
}

/* Files and tools */

static const char *write_file(const char *name, const struct buf *b)
{
    static char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir_path, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b->data, 1, b->len, f), b->len);
    fclose(f);
    return path;
}

/* The output of a shell command (whitespace runs folded to one space), in a static buffer. */
static const char *run_output(const char *cmd)
{
    static char out[65536];
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t n = 0;
    int c, was_space = 0;
    while ((c = fgetc(p)) != EOF && n + 1 < sizeof(out)) {
        int is_space = c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f';
        if (!(is_space && was_space)) {
            out[n++] = is_space ? ' ' : (char)c;
        }
        was_space = is_space;
    }
    out[n] = '\0';
    assert_int_equal(pclose(p), 0);
    return out;
}

static void pdf_page_size(const char *path, double *w, double *h)
{
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "pdfinfo '%s'", path);
    const char *info = run_output(cmd);
    const char *size = strstr(info, "Page size: ");
    assert_non_null(size);
    assert_int_equal(sscanf(size, "Page size: %lf x %lf", w, h), 2);
}

static const char *pdf_text(const char *path)
{
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "pdftotext -enc UTF-8 '%s' -", path);
    return run_output(cmd);
}

static void png_size(const struct buf *b, int *w, int *h)
{
    assert_true(b->len > 24);
    const unsigned char *p = (const unsigned char *)b->data;
    assert_memory_equal(p, "\x89PNG\r\n\x1a\n", 8);
    *w = (p[16] << 24) | (p[17] << 16) | (p[18] << 8) | p[19];
    *h = (p[20] << 24) | (p[21] << 16) | (p[22] << 8) | p[23];
}

struct png_reader {
    const struct buf *b;
    size_t pos;
};

static cairo_status_t read_png(void *closure, unsigned char *data, unsigned int length)
{
    struct png_reader *r = closure;
    if (r->pos + length > r->b->len) {
        return CAIRO_STATUS_READ_ERROR;
    }
    memcpy(data, r->b->data + r->pos, length);
    r->pos += length;
    return CAIRO_STATUS_SUCCESS;
}

static cairo_surface_t *decode_png(const struct buf *b)
{
    struct png_reader r = {b, 0};
    cairo_surface_t *s = cairo_image_surface_create_from_png_stream(read_png, &r);
    assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    cairo_surface_flush(s);
    return s;
}

static uint32_t pixel(cairo_surface_t *s, int x, int y)
{
    const unsigned char *data = cairo_image_surface_get_data(s);
    const uint32_t *row = (const uint32_t *)(data + (size_t)y * cairo_image_surface_get_stride(s));
    return row[x] & 0xffffff;
}

/* Distinct colours and non-white pixels in the box {x, y, w, h}. */
static void box_colours(cairo_surface_t *s, const double *box, size_t *n_colours,
                        double *non_white_share)
{
    uint32_t seen[512];
    size_t n_seen = 0, non_white = 0, total = 0;
    for (int y = (int)box[1] + 1; y < (int)(box[1] + box[3]) - 1; y++) {
        for (int x = (int)box[0] + 1; x < (int)(box[0] + box[2]) - 1; x++) {
            uint32_t p = pixel(s, x, y);
            total++;
            non_white += p != 0xffffff;
            bool is_new = n_seen < 512;
            for (size_t i = 0; i < n_seen && is_new; i++) {
                is_new = seen[i] != p;
            }
            if (is_new) {
                seen[n_seen++] = p;
            }
        }
    }
    *n_colours = n_seen;
    *non_white_share = total > 0 ? (double)non_white / (double)total : 0;
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Dates, frames and scale */

static void dates_are_printed_with_the_buddhist_era_in_thai(void **state)
{
    (void)state;
    char text[96];
    struct err e = {0};
    MUST(render_date_text("2026-11-22", true, text, sizeof(text), &e), &e);
    assert_string_equal(text, "22 พฤศจิกายน พ.ศ. 2569");
    MUST(render_date_text("2026-11-22T08:30:00Z", false, text, sizeof(text), &e), &e);
    assert_string_equal(text, "22 November 2026");
    MUST(render_date_text("2024-02-29", false, text, sizeof(text), &e), &e);
    assert_int_equal(render_date_text("2026-02-29", true, text, sizeof(text), &e), ERR_INVALID);
    assert_int_equal(render_date_text("2026-13-01", true, text, sizeof(text), &e), ERR_INVALID);
    assert_int_equal(render_date_text("22/11/2026", true, text, sizeof(text), &e), ERR_INVALID);
    assert_int_equal(render_date_text("2026-11-22", true, text, 8, &e), ERR_TOO_LARGE);
}

static void frame_zoom_matches_the_web_map_at_the_same_resolution(void **state)
{
    (void)state;
    struct err e = {0};
    /* One 256-pixel tile of zoom 14 spans 360/2^14 degrees of longitude. */
    double span = 360.0 / 16384;
    struct render_view view = {{98.95, 18.78, 98.95 + span, 18.781}, 256, 256, 1};
    struct render_frame f;
    MUST(render_frame_fit(&view, 0, 0, &f, &e), &e);
    assert_float_equal(f.zoom, 14, 1e-6);
    /* The same ground on a print at 192 dpi: twice the device units, the same zoom. */
    view.width = view.height = 512;
    view.px_per_css_px = 2;
    MUST(render_frame_fit(&view, 0, 0, &f, &e), &e);
    assert_float_equal(f.zoom, 14, 1e-6);
    /* The box is centred: its corners land symmetrically inside the rectangle. */
    double x0, y0, x1, y1;
    render_frame_project(&f, view.bbox[0], view.bbox[1], &x0, &y0);
    render_frame_project(&f, view.bbox[2], view.bbox[3], &x1, &y1);
    assert_float_equal(x0, 0, 1e-6);
    assert_float_equal(x1, 512, 1e-6);
    assert_float_equal(y0 + y1, 512, 1e-6);
    view.bbox[2] = 98.0;
    assert_int_equal(render_frame_fit(&view, 0, 0, &f, &e), ERR_INVALID);
    view.bbox[2] = 99.1;
    view.width = 0;
    assert_int_equal(render_frame_fit(&view, 0, 0, &f, &e), ERR_INVALID);
}

static void scale_bar_is_a_round_length_true_at_the_centre_latitude(void **state)
{
    (void)state;
    assert_float_equal(render_scale_bar_metres(2.0, 100), 200, 1e-9);
    assert_float_equal(render_scale_bar_metres(3.0, 100), 200, 1e-9);
    assert_float_equal(render_scale_bar_metres(6.0, 100), 500, 1e-9);
    assert_float_equal(render_scale_bar_metres(15.0, 100), 1000, 1e-9);
    struct err e = {0};
    struct render_view view = {{98.95, 18.76, 99.02, 18.82}, 1000, 1000, 1};
    struct render_frame f;
    MUST(render_frame_fit(&view, 0, 0, &f, &e), &e);
    /* 0.01 degrees of longitude at the centre latitude on the sphere, against the pixels
     * the frame gives them. */
    double xa, xb, y;
    render_frame_project(&f, 98.98, f.centre_lat, &xa, &y);
    render_frame_project(&f, 98.99, f.centre_lat, &xb, &y);
    double metres = 6371008.8 * cos(f.centre_lat * M_PI / 180) * 0.01 * M_PI / 180;
    double m_per_px = render_frame_ground_m_per_px(&f);
    assert_true(fabs((xb - xa) * m_per_px - metres) / metres < 0.005);
}

/* Text */

static void thai_text_has_no_unknown_glyphs(void **state)
{
    (void)state;
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 100, 100);
    cairo_t *cr = cairo_create(s);
    struct render_text_style st = {24, true, 0, 0, {0, 0, 0, 1}, PANGO_ALIGN_LEFT};
    const char *texts[] = {title_th, "ขายม่วนขายหมาน", "22 พฤศจิกายน พ.ศ. 2569",
                           "ที่มาของข้อมูล: © OpenStreetMap contributors", "Living well"};
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        PangoLayout *layout = render_text_layout(cr, texts[i], &st);
        assert_int_equal(render_text_unknown_glyphs(layout), 0);
        g_object_unref(layout);
    }
    /* The check can fail: an unassigned code point has no glyph in any font. */
    PangoLayout *layout = render_text_layout(cr, "\xcd\xb8\xcd\xb9", &st);
    assert_true(render_text_unknown_glyphs(layout) > 0);
    g_object_unref(layout);

    /* Pango wraps Thai at word boundaries and ellipsizes an excerpt to its lines. */
    struct render_text_style wrap = {16, false, 120, 2, {0, 0, 0, 1}, PANGO_ALIGN_LEFT};
    layout = render_text_layout(
        cr, "เมืองที่ทุกคนกินดีอยู่ดี มีตลาดใกล้บ้าน มีสวนสาธารณะให้เดินเล่น ถนนปลอดภัยสำหรับคนเดิน", &wrap);
    assert_int_equal(pango_layout_get_line_count(layout), 2);
    assert_true(pango_layout_is_ellipsized(layout));
    g_object_unref(layout);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
}

static const struct render_legend_row *legend_row(const struct render_legend *lg, const char *label)
{
    for (size_t i = 0; i < lg->n_rows; i++) {
        if (strcmp(lg->rows[i].label, label) == 0) {
            return &lg->rows[i];
        }
    }
    fail_msg("no legend row \"%s\"", label);
    return NULL;
}

static void legend_has_a_swatch_per_class_with_thai_titles(void **state)
{
    (void)state;
    struct fixture fx;
    fixture_open(&fx, true);
    struct render_legend lg;
    render_legend_build(fx.layers, N_MAP, 14.5, true, NULL, &lg);
    /* Titles from the styles' metadata, in Thai. */
    assert_true(legend_row(&lg, "ความหนาแน่นของอาคาร")->is_heading);
    assert_false(legend_row(&lg, "ถนน")->is_heading);
    /* Graduated density: five classes; categorised POIs: nine and the fallback. */
    legend_row(&lg, "< 25");
    legend_row(&lg, "25 – 75");
    legend_row(&lg, "≥ 300");
    const struct render_legend_row *temple = legend_row(&lg, "temple");
    legend_row(&lg, "อื่น ๆ");
    /* The swatch is drawn with the map's paint: the temple class is Okabe-Ito yellow. */
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 200, 100);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    struct render_legend one = {(struct render_legend_row *)temple, 1};
    render_legend_draw(cr, &one, 10, 10, 180, 80, 10, 14.5, 4);
    cairo_surface_flush(s);
    /* The swatch (60 units wide) starts at x = 10: its circle's middle column is yellow
     * somewhere down the row. */
    bool is_yellow = false;
    for (int y = 10; y < 90 && !is_yellow; y++) {
        is_yellow = pixel(s, 10 + 30, y) == 0xF0E442;
    }
    assert_true(is_yellow);
    for (size_t i = 0; i < lg.n_rows; i++) {
        struct render_text_style st = {12, lg.rows[i].is_heading, 0,
                                       0,  {0, 0, 0, 1},          PANGO_ALIGN_LEFT};
        PangoLayout *layout = render_text_layout(cr, lg.rows[i].label, &st);
        assert_int_equal(render_text_unknown_glyphs(layout), 0);
        g_object_unref(layout);
    }
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    render_legend_clear(&lg);
    fixture_close(&fx);
}

static void legend_lists_only_what_the_map_drew(void **state)
{
    (void)state;
    struct fixture fx;
    fixture_open(&fx, true);
    struct err e = {0};
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 400, 400);
    cairo_t *cr = cairo_create(s);
    struct render_legend all, drawn, empty;
    render_legend_build(fx.layers, N_MAP, 14.5, true, NULL, &all);
    /* The whole map: the categorised POIs' temples are on it. */
    struct render_view view = {{98.95, 18.76, 99.02, 18.82}, 400, 400, 1};
    struct render_frame frame;
    MUST(render_frame_fit(&view, 0, 0, &frame, &e), &e);
    struct render_seen seen = {NULL, 0};
    MUST(render_map_draw(cr, fx.rd, &frame, fx.layers, N_MAP, &seen, &e), &e);
    render_legend_build(fx.layers, N_MAP, frame.zoom, true, &seen, &drawn);
    legend_row(&drawn, "temple");
    assert_true(drawn.n_rows <= all.n_rows);
    render_seen_clear(&seen);
    /* The Gulf of Thailand, far from every layer: an empty legend. */
    struct render_view away = {{100.0, 10.0, 100.01, 10.01}, 400, 400, 1};
    MUST(render_frame_fit(&away, 0, 0, &frame, &e), &e);
    MUST(render_map_draw(cr, fx.rd, &frame, fx.layers, N_MAP, &seen, &e), &e);
    render_legend_build(fx.layers, N_MAP, frame.zoom, true, &seen, &empty);
    assert_int_equal(empty.n_rows, 0);
    render_seen_clear(&seen);
    render_legend_clear(&all);
    render_legend_clear(&drawn);
    render_legend_clear(&empty);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    fixture_close(&fx);
}

/* 30 notes on one point: every badge lies in the frame and none covers another. */
static void note_badges_never_cover_each_other(void **state)
{
    (void)state;
    struct fixture fx;
    fixture_open(&fx, true);
    struct err e = {0};
    const struct store_layer *pois = store_read_layer(fx.rd, "cm-cbd-pois");
    assert_non_null(pois);
    struct store_query q = {.layer = pois, .limit = 1, .out_srid = 4326};
    struct store_cursor *cur = NULL;
    const struct store_feature *row = NULL;
    MUST(store_features_open(fx.rd, &q, &cur, &e), &e);
    assert_int_equal(store_cursor_next(cur, &row, &e), 1);
    unsigned char *blob = malloc(row->geom_len);
    memcpy(blob, row->geom, row->geom_len);
    size_t blob_len = row->geom_len;
    store_cursor_close(cur);
    enum { N = 30 };
    struct render_note notes[N];
    for (size_t i = 0; i < N; i++) {
        notes[i] = (struct render_note){.number = (long)i + 1, .geom = blob, .geom_len = blob_len};
    }
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 600, 600);
    cairo_t *cr = cairo_create(s);
    struct render_view view = {{98.95, 18.76, 99.02, 18.82}, 600, 600, 1};
    struct render_frame frame;
    MUST(render_frame_fit(&view, 0, 0, &frame, &e), &e);
    double boxes[4 * N];
    render_notes_badges(cr, &frame, notes, N, 3, boxes);
    for (size_t i = 0; i < N; i++) {
        const double *a = &boxes[4 * i];
        assert_true(a[2] > 0 && a[0] >= 0 && a[1] >= 0 && a[0] + a[2] <= 600 && a[1] + a[3] <= 600);
        for (size_t j = 0; j < i; j++) {
            const double *b = &boxes[4 * j];
            bool is_apart = a[0] >= b[0] + b[2] || b[0] >= a[0] + a[2] || a[1] >= b[1] + b[3] ||
                            b[1] >= a[1] + a[3];
            assert_true(is_apart);
        }
    }
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    free(blob);
    fixture_close(&fx);
}

/* QR codes */

/* Every module centre of the code drawn at box {x, y, size} is dark exactly where
 * qrencode's matrix is. */
static void check_qr(cairo_surface_t *s, const double *box)
{
    unsigned char *modules = NULL;
    int width = 0;
    struct err e = {0};
    MUST(render_qr_modules(url, &modules, &width, &e), &e);
    double m = box[2] / (width + 2 * RENDER_QR_QUIET);
    assert_true(m >= 2);
    for (int r = -RENDER_QR_QUIET; r < width + RENDER_QR_QUIET; r++) {
        for (int c = -RENDER_QR_QUIET; c < width + RENDER_QR_QUIET; c++) {
            int x = (int)(box[0] + (c + RENDER_QR_QUIET + 0.5) * m);
            int y = (int)(box[1] + (r + RENDER_QR_QUIET + 0.5) * m);
            bool is_dark = (pixel(s, x, y) & 0xff) < 128;
            bool in_code = r >= 0 && c >= 0 && r < width && c < width;
            assert_int_equal(is_dark, in_code && modules[r * width + c]);
        }
    }
    free(modules);
}

static void qr_code_draws_qrencodes_modules_with_a_quiet_zone(void **state)
{
    (void)state;
    unsigned char *modules = NULL;
    int width = 0;
    struct err e = {0};
    MUST(render_qr_modules(url, &modules, &width, &e), &e);
    /* A finder pattern in the top-left corner: a dark 7x7 ring around a 3x3 core. */
    for (int i = 0; i < 7; i++) {
        assert_int_equal(modules[i], 1);
        assert_int_equal(modules[6 * width + i], 1);
        assert_int_equal(modules[i * width], 1);
    }
    assert_int_equal(modules[1 * width + 1], 0);
    assert_int_equal(modules[3 * width + 3], 1);
    free(modules);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 400, 400);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 0.5, 0.8, 0.5);
    cairo_paint(cr);
    MUST(render_qr_draw(cr, url, 23, 31, 333, &e), &e);
    cairo_surface_flush(s);
    check_qr(s, (double[]){23, 31, 333});
    assert_int_equal(render_qr_draw(cr, "", 0, 0, 100, &e), ERR_INVALID);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
}

/* Posters */

static void poster_pdf_has_the_paper_size_title_and_sources(void **state)
{
    (void)state;
    struct fixture fx;
    fixture_open(&fx, true);
    struct err e = {0};
    struct buf out;
    buf_init(&out, 64u << 20);
    struct render_page a4 = {RENDER_PDF, "A4", false, 0, 0, 0};
    MUST(render_poster(fx.rd, &fx.sheet, &a4, &out, &e), &e);
    const char *path = write_file("a4.pdf", &out);
    double w, h;
    pdf_page_size(path, &w, &h);
    assert_true(fabs(w - 595) <= 1 && fabs(h - 842) <= 1);
    const char *text = pdf_text(path);
    assert_non_null(strstr(text, title_th));
    assert_non_null(strstr(text, "Living well"));
    assert_non_null(strstr(text, "OpenStreetMap contributors"));
    assert_non_null(strstr(text, "Royal Thai Survey Department"));
    assert_non_null(strstr(text, "22 พฤศจิกายน พ.ศ. 2569"));

    buf_clear(&out);
    buf_init(&out, 64u << 20);
    struct render_page a3 = {RENDER_PDF, "a3", true, 0, 0, 0};
    MUST(render_poster(fx.rd, &fx.sheet, &a3, &out, &e), &e);
    path = write_file("a3.pdf", &out);
    pdf_page_size(path, &w, &h);
    assert_true(fabs(w - 1191) <= 1 && fabs(h - 842) <= 1);
    assert_non_null(strstr(pdf_text(path), title_th));

    buf_clear(&out);
    buf_init(&out, 64u << 20);
    struct render_page svg = {RENDER_SVG, "A4", false, 0, 0, 0};
    MUST(render_poster(fx.rd, &fx.sheet, &svg, &out, &e), &e);
    assert_non_null(strstr(out.data, "<svg"));
    assert_non_null(strstr(out.data, "width=\"595."));
    buf_clear(&out);
    fixture_close(&fx);
}

/* The poster as a PNG of w x h, decoded, with where its parts went. */
static cairo_surface_t *poster_png(struct fixture *fx, int w, int h, struct render_boxes *boxes)
{
    struct err e = {0};
    struct buf out;
    buf_init(&out, 64u << 20);
    struct render_page page = {RENDER_PNG, NULL, false, w, h, 0};
    MUST(render_poster(fx->rd, &fx->sheet, &page, &out, &e), &e);
    int pw, ph;
    png_size(&out, &pw, &ph);
    assert_int_equal(pw, w);
    assert_int_equal(ph, h);
    cairo_surface_t *img = decode_png(&out);
    buf_clear(&out);
    /* The layout is deterministic: lay it out again on a scratch surface for the boxes. */
    cairo_surface_t *scratch = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_t *cr = cairo_create(scratch);
    MUST(render_poster_draw(cr, fx->rd, &fx->sheet, w, h, 1, false, boxes, &e), &e);
    cairo_destroy(cr);
    cairo_surface_destroy(scratch);
    return img;
}

/* Share of the pixels of box whose colour differs (any channel by more than 64) between a
 * and b. */
static double differing_share(cairo_surface_t *a, cairo_surface_t *b, const double *box)
{
    size_t differ = 0, total = 0;
    for (int y = (int)box[1]; y < (int)(box[1] + box[3]); y++) {
        for (int x = (int)box[0]; x < (int)(box[0] + box[2]); x++) {
            uint32_t p = pixel(a, x, y), q = pixel(b, x, y);
            bool is_far = false;
            for (int sh = 0; sh < 24; sh += 8) {
                is_far = is_far || abs((int)((p >> sh) & 0xff) - (int)((q >> sh) & 0xff)) > 64;
            }
            differ += is_far;
            total++;
        }
    }
    return (double)differ / (double)total;
}

static cairo_surface_t *text_alone(int w, int h, const char *text, const struct render_boxes *b)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    render_text_draw(cr, b->title[0], b->title[1], text, &b->title_style);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    return s;
}

static void poster_png_draws_the_thai_title_map_and_qr_code(void **state)
{
    (void)state;
    struct fixture fx;
    fixture_open(&fx, true);
    struct render_boxes b;
    cairo_surface_t *img = poster_png(&fx, 1000, 1414, &b);
    size_t n_colours;
    double ink_share;
    /* The map: many colours (fills, roads, rivers, POI classes), and mostly not paper. */
    box_colours(img, b.map, &n_colours, &ink_share);
    assert_true(n_colours > 20);
    assert_true(ink_share > 0.3);
    /* The title: ink on paper, and the same pixels as the title drawn alone. */
    box_colours(img, b.title, &n_colours, &ink_share);
    assert_true(ink_share > 0.05);
    cairo_surface_t *alone = text_alone(1000, 1414, title_th, &b);
    assert_true(differing_share(img, alone, b.title) < 0.01);
    /* ... which a different text would not be. */
    cairo_surface_t *other = text_alone(1000, 1414, "ขายม่วนขายหมาน", &b);
    assert_true(differing_share(img, other, b.title) > 0.05);
    /* The legend is drawn, and the QR code holds the link. */
    box_colours(img, b.legend, &n_colours, &ink_share);
    assert_true(b.legend[3] > 0 && n_colours > 5);
    check_qr(img, b.qr);
    cairo_surface_destroy(other);
    cairo_surface_destroy(alone);
    cairo_surface_destroy(img);
    fixture_close(&fx);
}

static void poster_png_on_paper_has_the_dpi_size(void **state)
{
    (void)state;
    struct fixture fx;
    fixture_open(&fx, false);
    struct err e = {0};
    struct buf out;
    buf_init(&out, 64u << 20);
    struct render_page page = {RENDER_PNG, "A4", true, 0, 0, 100};
    MUST(render_poster(fx.rd, &fx.sheet, &page, &out, &e), &e);
    int w, h;
    png_size(&out, &w, &h);
    assert_int_equal(w, 1169); /* 297 mm at 100 dpi */
    assert_int_equal(h, 827);
    buf_clear(&out);
    fixture_close(&fx);
}

/* Share images */

static void share_images_have_the_asked_sizes(void **state)
{
    (void)state;
    struct fixture fx;
    fixture_open(&fx, true);
    static const int sizes[3][2] = {{1200, 630}, {1080, 1080}, {1080, 1350}};
    for (int i = 0; i < 3; i++) {
        struct err e = {0};
        struct buf out;
        buf_init(&out, 16u << 20);
        MUST(render_share(fx.rd, &fx.sheet, sizes[i][0], sizes[i][1], &out, &e), &e);
        int w, h;
        png_size(&out, &w, &h);
        assert_int_equal(w, sizes[i][0]);
        assert_int_equal(h, sizes[i][1]);
        cairo_surface_t *img = decode_png(&out);
        struct render_boxes b;
        cairo_surface_t *scratch = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
        cairo_t *cr = cairo_create(scratch);
        MUST(render_share_draw(cr, fx.rd, &fx.sheet, w, h, &b, &e), &e);
        cairo_destroy(cr);
        cairo_surface_destroy(scratch);
        size_t n_colours;
        double ink_share;
        box_colours(img, b.map, &n_colours, &ink_share);
        assert_true(n_colours > 20 && ink_share > 0.3);
        cairo_surface_t *alone = text_alone(w, h, title_th, &b);
        assert_true(differing_share(img, alone, b.title) < 0.01);
        cairo_surface_destroy(alone);
        cairo_surface_destroy(img);
        buf_clear(&out);
    }
    fixture_close(&fx);
}

/* Comparisons */

static void compare_puts_two_and_four_sheets_on_one_page(void **state)
{
    (void)state;
    struct fixture fx;
    static const char *const titles[4][2] = {{"กินดีอยู่ดี", "Living well"},
                                             {"ขายม่วนขายหมาน", "Trade that thrives"},
                                             {"เมืองต่างคนต่างทำ", "Everyone for themselves"},
                                             {"เมืองวิกฤต", "City beset by problems"}};
    struct render_sheet sheets[4];
    fixture_open(&fx, true);
    for (int i = 0; i < 4; i++) {
        sheets[i] = fx.sheet;
        sheets[i].is_thai = i != 1;
        sheets[i].title = (struct render_bilingual){titles[i][0], titles[i][1]};
        sheets[i].n_layers = N_MAP - (size_t)i; /* different layers, the same extent */
    }
    struct err e = {0};
    for (size_t n = 2; n <= 4; n += 2) {
        struct buf out;
        buf_init(&out, 64u << 20);
        struct render_page page = {RENDER_PDF, "A3", true, 0, 0, 0};
        MUST(render_compare(fx.rd, sheets, n, &page, &out, &e), &e);
        char name[32];
        snprintf(name, sizeof(name), "compare%zu.pdf", n);
        const char *path = write_file(name, &out);
        double w, h;
        pdf_page_size(path, &w, &h);
        assert_true(fabs(w - 1191) <= 1 && fabs(h - 842) <= 1);
        const char *text = pdf_text(path);
        for (size_t i = 0; i < n; i++) {
            assert_non_null(strstr(text, i == 1 ? titles[i][1] : titles[i][0]));
        }
        assert_non_null(strstr(text, "153"));
        buf_clear(&out);
    }
    struct buf out;
    buf_init(&out, 64u << 20);
    struct render_page png = {RENDER_PNG, NULL, false, 1600, 1000, 0};
    MUST(render_compare(fx.rd, sheets, 4, &png, &out, &e), &e);
    int w, h;
    png_size(&out, &w, &h);
    assert_int_equal(w, 1600);
    assert_int_equal(h, 1000);
    buf_clear(&out);
    assert_int_equal(render_compare(fx.rd, sheets, 1, &png, &out, &e), ERR_INVALID);
    assert_int_equal(render_compare(fx.rd, sheets, 5, &png, &out, &e), ERR_INVALID);
    fixture_close(&fx);
}

/* Refusals */

static void bad_pages_and_extents_are_refused(void **state)
{
    (void)state;
    struct fixture fx;
    fixture_open(&fx, true);
    struct err e = {0};
    struct buf out;
    buf_init(&out, 64u << 20);
    const struct render_page bad[] = {
        {RENDER_PNG, NULL, false, 0, 600, 0},  {RENDER_PNG, NULL, false, 100000, 600, 0},
        {RENDER_PDF, NULL, false, 600, -1, 0}, {RENDER_PDF, "B5", false, 0, 0, 0},
        {RENDER_PDF, "A4x", false, 0, 0, 0},   {RENDER_PNG, "A4", false, 0, 0, 5},
        {RENDER_PNG, "A1", false, 0, 0, 600},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(render_poster(fx.rd, &fx.sheet, &bad[i], &out, &e), ERR_INVALID);
        assert_int_equal(out.len, 0);
    }
    assert_int_equal(render_share(fx.rd, &fx.sheet, 0, 630, &out, &e), ERR_INVALID);
    assert_int_equal(render_share(fx.rd, &fx.sheet, 100000, 630, &out, &e), ERR_INVALID);
    enum render_format f;
    assert_int_equal(render_format_parse("gif", &f, &e), ERR_INVALID);
    MUST(render_format_parse("PDF", &f, &e), &e);
    assert_int_equal(f, RENDER_PDF);
    /* An extent outside the world. */
    struct render_sheet sheet = fx.sheet;
    sheet.bbox[3] = 95;
    assert_int_equal(render_share(fx.rd, &sheet, 1200, 630, &out, &e), ERR_INVALID);
    assert_int_equal(out.len, 0);
    /* A filter on a field the layer does not have. */
    struct cql2_node *filter = NULL;
    MUST(cql2_parse("no_such_field = 'x'", &filter, &e), &e);
    struct render_layer layers[N_MAP];
    memcpy(layers, fx.layers, sizeof(layers));
    layers[3].filter = filter;
    sheet = fx.sheet;
    sheet.layers = layers;
    assert_int_equal(render_share(fx.rd, &sheet, 1200, 630, &out, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "cm-cbd-roads"));
    cql2_free(filter);
    buf_clear(&out);
    fixture_close(&fx);
}

static void output_past_the_byte_cap_is_too_large_and_leaves_the_buffer(void **state)
{
    (void)state;
    struct fixture fx;
    fixture_open(&fx, true);
    struct err e = {0};
    struct buf out;
    buf_init(&out, 10000);
    MUST(buf_append_str(&out, "kept", &e), &e);
    struct render_page page = {RENDER_PDF, "A4", false, 0, 0, 0};
    assert_int_equal(render_poster(fx.rd, &fx.sheet, &page, &out, &e), ERR_TOO_LARGE);
    assert_int_equal(out.len, 4);
    assert_string_equal(out.data, "kept");
    assert_int_equal(render_share(fx.rd, &fx.sheet, 1200, 630, &out, &e), ERR_TOO_LARGE);
    assert_string_equal(out.data, "kept");
    buf_clear(&out);
    fixture_close(&fx);
}

/* A filter on a layer draws fewer of its features: long road segments only leave more paper. */
static void layer_filters_limit_what_is_drawn(void **state)
{
    (void)state;
    struct fixture fx;
    fixture_open(&fx, true);
    struct err e = {0};
    struct render_layer roads[1] = {fx.layers[3]};
    struct render_view view = {{98.95, 18.76, 99.02, 18.82}, 600, 600, 1};
    struct render_frame frame;
    MUST(render_frame_fit(&view, 0, 0, &frame, &e), &e);
    double shares[2];
    struct cql2_node *filter = NULL;
    MUST(cql2_parse("length_m > 400", &filter, &e), &e);
    for (int i = 0; i < 2; i++) {
        roads[0].filter = i == 0 ? NULL : filter;
        cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 600, 600);
        cairo_t *cr = cairo_create(s);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_paint(cr);
        MUST(render_map_draw(cr, fx.rd, &frame, roads, 1, NULL, &e), &e);
        cairo_destroy(cr);
        cairo_surface_flush(s);
        size_t n;
        box_colours(s, (double[]){0, 0, 600, 600}, &n, &shares[i]);
        cairo_surface_destroy(s);
    }
    assert_true(shares[0] > 0.02);
    assert_true(shares[1] > 0.001 && shares[1] < shares[0] / 2);
    cql2_free(filter);
    fixture_close(&fx);
}

/* layout=map: the asked size, the map alone over all of it (the very pixels of the map
 * drawn on blank paper: no title, legend or furniture), and as PDF a page of that size
 * without the title's text. */
static void map_only_is_the_map_alone_at_the_page_size(void **state)
{
    (void)state;
    struct fixture fx;
    fixture_open(&fx, true);
    static const int sizes[2][2] = {{1024, 1024}, {640, 300}};
    for (int i = 0; i < 2; i++) {
        int w = sizes[i][0], h = sizes[i][1];
        struct err e = {0};
        struct buf out;
        buf_init(&out, 64u << 20);
        struct render_page page = {RENDER_PNG, NULL, false, w, h, 0};
        MUST(render_map_only(fx.rd, &fx.sheet, &page, &out, &e), &e);
        int pw, ph;
        png_size(&out, &pw, &ph);
        assert_int_equal(pw, w);
        assert_int_equal(ph, h);
        cairo_surface_t *img = decode_png(&out);
        size_t n_colours;
        double ink;
        box_colours(img, (double[]){0, 0, w, h}, &n_colours, &ink);
        assert_true(n_colours > 20 && ink > 0.3);
        struct render_view view = {{98.95, 18.76, 99.02, 18.82}, w, h, 1};
        struct render_frame frame;
        MUST(render_frame_fit(&view, 0, 0, &frame, &e), &e);
        cairo_surface_t *alone = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
        cairo_t *cr = cairo_create(alone);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_paint(cr);
        MUST(render_map_draw(cr, fx.rd, &frame, fx.layers, N_MAP, NULL, &e), &e);
        cairo_destroy(cr);
        cairo_surface_flush(alone);
        assert_true(differing_share(img, alone, (double[]){0, 0, w, h}) == 0);
        cairo_surface_destroy(alone);
        cairo_surface_destroy(img);
        buf_clear(&out);
    }
    struct err e = {0};
    struct buf out;
    buf_init(&out, 64u << 20);
    struct render_page pdf = {RENDER_PDF, "A4", true, 0, 0, 0};
    MUST(render_map_only(fx.rd, &fx.sheet, &pdf, &out, &e), &e);
    const char *path = write_file("map-only.pdf", &out);
    double pw, ph;
    pdf_page_size(path, &pw, &ph);
    assert_true(fabs(pw - 842) <= 1 && fabs(ph - 595) <= 1);
    assert_null(strstr(pdf_text(path), title_th));
    buf_clear(&out);
    fixture_close(&fx);
}

/* POIs (circle markers) drawn on an image surface are stamped; inside a cairo group the
 * same markers are drawn by cairo as paths. Both pictures must agree: the same ink, and
 * pixels that differ only by the stamps' quarter-pixel placement. */
static cairo_surface_t *pois_drawn(struct fixture *fx, bool is_grouped)
{
    struct err e = {0};
    struct render_view view = {{98.97, 18.77, 99.0, 18.80}, 500, 500, 1};
    struct render_frame frame;
    MUST(render_frame_fit(&view, 0, 0, &frame, &e), &e);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 500, 500);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    if (is_grouped) {
        cairo_push_group(cr);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_paint(cr);
    }
    MUST(render_map_draw(cr, fx->rd, &frame, &fx->layers[N_MAP - 1], 1, NULL, &e), &e);
    if (is_grouped) {
        cairo_pop_group_to_source(cr);
        cairo_paint(cr);
    }
    cairo_destroy(cr);
    cairo_surface_flush(s);
    return s;
}

static void circle_stamps_match_circles_drawn_by_cairo(void **state)
{
    (void)state;
    struct fixture fx;
    fixture_open(&fx, true);
    cairo_surface_t *stamped = pois_drawn(&fx, false), *drawn = pois_drawn(&fx, true);
    double ink[2], diff = 0;
    size_t n_colours;
    box_colours(stamped, (double[]){0, 0, 500, 500}, &n_colours, &ink[0]);
    assert_true(n_colours > 5);
    box_colours(drawn, (double[]){0, 0, 500, 500}, &n_colours, &ink[1]);
    assert_true(ink[0] > 0.05);
    assert_true(fabs(ink[0] - ink[1]) < 0.1 * ink[1]);
    /* Channel means over 5x5 blocks: the stamps' quarter-pixel placement mostly averages
     * out, a marker misplaced by a pixel or miscoloured does not. */
    for (int by = 0; by < 500; by += 5) {
        for (int bx = 0; bx < 500; bx += 5) {
            for (int shift = 0; shift < 24; shift += 8) {
                int sum = 0;
                for (int y = by; y < by + 5; y++) {
                    for (int x = bx; x < bx + 5; x++) {
                        sum += (int)((pixel(stamped, x, y) >> shift) & 0xff) -
                               (int)((pixel(drawn, x, y) >> shift) & 0xff);
                    }
                }
                diff += abs(sum) / 25.0;
            }
        }
    }
    assert_true(diff / (100.0 * 100 * 3) < 3); /* 1.4 here; 6.6 with stamps a pixel off */
    cairo_surface_destroy(drawn);
    cairo_surface_destroy(stamped);
    fixture_close(&fx);
}

/* The PNG writer: every pixel of a drawn map and of a surface of random colours (which
 * deflates poorly, so the stream spans many IDAT chunks) reads back through libpng (cairo's
 * reader) as it was; past the byte cap the buffer is left as it was. */
static void expect_png_round_trip(cairo_surface_t *s)
{
    struct err e = {0};
    struct buf out;
    buf_init(&out, 256u << 20);
    MUST(buf_append_str(&out, "kept", &e), &e);
    MUST(render_png_write(s, &out, &e), &e);
    struct buf png = {.data = out.data + 4, .len = out.len - 4}; /* after "kept" */
    int w, h;
    png_size(&png, &w, &h);
    assert_int_equal(w, cairo_image_surface_get_width(s));
    assert_int_equal(h, cairo_image_surface_get_height(s));
    cairo_surface_t *back = decode_png(&png);
    size_t differing = 0;
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            differing += pixel(back, x, y) != pixel(s, x, y);
        }
    }
    assert_int_equal(differing, 0);
    cairo_surface_destroy(back);
    buf_clear(&out);
}

static void png_writer_round_trips_every_pixel(void **state)
{
    (void)state;
    struct fixture fx;
    fixture_open(&fx, true);
    struct err e = {0};
    struct render_view view = {{98.95, 18.76, 99.02, 18.82}, 700, 500, 1};
    struct render_frame frame;
    MUST(render_frame_fit(&view, 0, 0, &frame, &e), &e);
    cairo_surface_t *map = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 700, 500);
    cairo_t *cr = cairo_create(map);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    MUST(render_map_draw(cr, fx.rd, &frame, fx.layers, N_MAP, NULL, &e), &e);
    cairo_destroy(cr);
    cairo_surface_flush(map);
    size_t n_colours;
    double ink;
    box_colours(map, (double[]){0, 0, 700, 500}, &n_colours, &ink);
    assert_true(n_colours > 20);
    expect_png_round_trip(map);
    cairo_surface_t *noise = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 613, 601);
    unsigned char *data = cairo_image_surface_get_data(noise);
    uint32_t seed = 12345;
    for (int y = 0; y < 601; y++) {
        uint32_t *row =
            (uint32_t *)(void *)(data + (size_t)y * cairo_image_surface_get_stride(noise));
        for (int x = 0; x < 613; x++) {
            seed = seed * 1664525u + 1013904223u;
            row[x] = seed >> 8;
        }
    }
    cairo_surface_mark_dirty(noise);
    expect_png_round_trip(noise);
    struct buf small;
    buf_init(&small, 100000);
    MUST(buf_append_str(&small, "kept", &e), &e);
    assert_int_equal(render_png_write(noise, &small, &e), ERR_TOO_LARGE);
    assert_int_equal(small.len, 4);
    assert_string_equal(small.data, "kept");
    buf_clear(&small);
    cairo_surface_destroy(noise);
    cairo_surface_destroy(map);
    fixture_close(&fx);
}

/* Timing (printed, not judged): the benchmark's two outputs. */
static void times_of_an_a3_300_dpi_poster_and_a_share_image(void **state)
{
    (void)state;
    struct fixture fx;
    fixture_open(&fx, true);
    struct err e = {0};
    struct buf out;
    buf_init(&out, 256u << 20);
    struct render_page page = {RENDER_PDF, "A3", false, 0, 0, 300};
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    MUST(render_poster(fx.rd, &fx.sheet, &page, &out, &e), &e);
    double pdf_s = seconds_since(&t0);
    size_t pdf_len = out.len;
    buf_clear(&out);
    buf_init(&out, 256u << 20);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    MUST(render_share(fx.rd, &fx.sheet, 1200, 630, &out, &e), &e);
    double share_s = seconds_since(&t0);
    size_t share_len = out.len;
    buf_clear(&out);
    buf_init(&out, 256u << 20);
    struct render_page png = {RENDER_PNG, "A3", false, 0, 0, 300};
    clock_gettime(CLOCK_MONOTONIC, &t0);
    MUST(render_poster(fx.rd, &fx.sheet, &png, &out, &e), &e);
    double png_s = seconds_since(&t0);
    print_message("render times: A3 300 dpi PDF poster %.3f s (%zu bytes); 1200x630 share PNG "
                  "%.3f s (%zu bytes); A3 300 dpi PNG poster %.3f s (%zu bytes)\n",
                  pdf_s, pdf_len, share_s, share_len, png_s, out.len);
    buf_clear(&out);
    fixture_close(&fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dates_are_printed_with_the_buddhist_era_in_thai),
        cmocka_unit_test(frame_zoom_matches_the_web_map_at_the_same_resolution),
        cmocka_unit_test(scale_bar_is_a_round_length_true_at_the_centre_latitude),
        cmocka_unit_test(thai_text_has_no_unknown_glyphs),
        cmocka_unit_test(qr_code_draws_qrencodes_modules_with_a_quiet_zone),
        cmocka_unit_test(legend_has_a_swatch_per_class_with_thai_titles),
        cmocka_unit_test(legend_lists_only_what_the_map_drew),
        cmocka_unit_test(note_badges_never_cover_each_other),
        cmocka_unit_test(poster_pdf_has_the_paper_size_title_and_sources),
        cmocka_unit_test(poster_png_draws_the_thai_title_map_and_qr_code),
        cmocka_unit_test(poster_png_on_paper_has_the_dpi_size),
        cmocka_unit_test(share_images_have_the_asked_sizes),
        cmocka_unit_test(compare_puts_two_and_four_sheets_on_one_page),
        cmocka_unit_test(bad_pages_and_extents_are_refused),
        cmocka_unit_test(output_past_the_byte_cap_is_too_large_and_leaves_the_buffer),
        cmocka_unit_test(layer_filters_limit_what_is_drawn),
        cmocka_unit_test(png_writer_round_trips_every_pixel),
        cmocka_unit_test(map_only_is_the_map_alone_at_the_page_size),
        cmocka_unit_test(circle_stamps_match_circles_drawn_by_cairo),
        cmocka_unit_test(times_of_an_a3_300_dpi_poster_and_a_share_image),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
