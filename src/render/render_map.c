/* render_map.c - the layers of a snapshot drawn into a rectangle as the web map draws them:
 * Web Mercator like Leaflet, the style's zoom taken from the ground resolution so minzoom,
 * maxzoom and zoom interpolations behave as on a phone, features read by the rectangle's
 * box and simplified to half a device unit (so big layers stay fast), labels placed last
 * with a simple collision test. */
#include "render/render_int.h"

#include <math.h>
#include <string.h>

#include "base/alloc.h"
#include "encode/geom_blob.h"
#include "geo/web_mercator.h"

/* Ground metres per CSS pixel at zoom 0 on the equator: one 256-pixel tile spans the world. */
#define ZOOM0_M_PER_PX (WEB_MERCATOR_WORLD / 256.0)
#define DEG (M_PI / 180.0)

static double merc_x(double lon)
{
    return WEB_MERCATOR_RADIUS * lon * DEG;
}

static double merc_y(double lat)
{
    return WEB_MERCATOR_RADIUS * log(tan(M_PI / 4 + lat * DEG / 2));
}

static double lon_of(double x)
{
    return x / WEB_MERCATOR_RADIUS / DEG;
}

static double lat_of(double y)
{
    return (2 * atan(exp(y / WEB_MERCATOR_RADIUS)) - M_PI / 2) / DEG;
}

int render_frame_fit(const struct render_view *view, double x, double y, struct render_frame *out,
                     struct err *err)
{
    const double *b = view->bbox;
    if (!(b[0] >= -180 && b[2] <= 180 && b[1] >= -85 && b[3] <= 85 && b[0] < b[2] && b[1] < b[3])) {
        return err_set(err, ERR_INVALID,
                       "a map extent must be min_lon < max_lon in -180..180 and min_lat < "
                       "max_lat in -85..85");
    }
    if (!(view->width > 0 && view->height > 0 && view->px_per_css_px > 0)) {
        return err_set(err, ERR_INVALID, "a map needs a rectangle of some size");
    }
    double x0 = merc_x(b[0]), x1 = merc_x(b[2]), y0 = merc_y(b[1]), y1 = merc_y(b[3]);
    struct render_frame *f = out;
    f->x = x;
    f->y = y;
    f->w = view->width;
    f->h = view->height;
    f->scale = fmin(view->width / (x1 - x0), view->height / (y1 - y0));
    f->cx_m = (x0 + x1) / 2;
    f->cy_m = (y0 + y1) / 2;
    f->px_per_css_px = view->px_per_css_px;
    f->zoom = log2(ZOOM0_M_PER_PX * f->scale / view->px_per_css_px);
    double half_w = view->width / 2 / f->scale, half_h = view->height / 2 / f->scale;
    f->visible[0] = fmax(-180, lon_of(f->cx_m - half_w));
    f->visible[2] = fmin(180, lon_of(f->cx_m + half_w));
    f->visible[1] = fmax(-WEB_MERCATOR_MAX_LATITUDE, lat_of(f->cy_m - half_h));
    f->visible[3] = fmin(WEB_MERCATOR_MAX_LATITUDE, lat_of(f->cy_m + half_h));
    f->centre_lat = lat_of(f->cy_m);
    return ERR_OK;
}

void render_frame_project(const struct render_frame *f, double lon, double lat, double *px,
                          double *py)
{
    *px = f->x + f->w / 2 + (merc_x(lon) - f->cx_m) * f->scale;
    *py = f->y + f->h / 2 - (merc_y(lat) - f->cy_m) * f->scale;
}

double render_frame_ground_m_per_px(const struct render_frame *f)
{
    return cos(f->centre_lat * DEG) / f->scale;
}

/* Geometry: a blob's parts projected to device units */

enum part_kind { PART_POINT, PART_LINE, PART_RING };

/* Device coordinates of one part, reused from part to part. */
struct part {
    enum part_kind kind;
    uint32_t ring; /* ring index in its polygon: 0 is the outer ring */
    double *xy;
    size_t n, cap;
};

typedef void part_visit_fn(void *ctx, const struct part *p);

struct walk {
    const struct render_frame *frame;
    double tolerance; /* device units: vertices closer than this to the last kept go */
    struct part part;
    part_visit_fn *visit;
    void *ctx;
};

/* How many vertices decimate keeps (the first and last always stay). */
static size_t decimated_count(const double *xy, size_t n, double tol2)
{
    size_t k = 1;
    double lx = xy[0], ly = xy[1];
    for (size_t i = 1; i + 1 < n; i++) {
        double dx = xy[2 * i] - lx, dy = xy[2 * i + 1] - ly;
        if (dx * dx + dy * dy >= tol2) {
            lx = xy[2 * i];
            ly = xy[2 * i + 1];
            k++;
        }
    }
    return k + 1;
}

/* Drops vertices within tol of the last one kept (the first and last always stay): what
 * cannot be seen at this resolution costs nothing to draw. A ring that would keep fewer
 * than 4 vertices keeps them all, so a polygon smaller than a pixel still shows. Returns
 * the new count. */
static size_t decimate(double *xy, size_t n, double tol, bool is_ring)
{
    double tol2 = tol * tol;
    if (n < 3 || tol <= 0 || (is_ring && decimated_count(xy, n, tol2) < 4)) {
        return n;
    }
    size_t k = 1;
    for (size_t i = 1; i + 1 < n; i++) {
        double dx = xy[2 * i] - xy[2 * k - 2], dy = xy[2 * i + 1] - xy[2 * k - 1];
        if (dx * dx + dy * dy >= tol2) {
            xy[2 * k] = xy[2 * i];
            xy[2 * k + 1] = xy[2 * i + 1];
            k++;
        }
    }
    xy[2 * k] = xy[2 * n - 2];
    xy[2 * k + 1] = xy[2 * n - 1];
    return k + 1;
}

static void project_points(struct walk *w, const struct geom_blob_points *pts)
{
    struct part *p = &w->part;
    if (pts->n_points > p->cap) {
        p->cap = pts->n_points;
        p->xy = xreallocarray(p->xy, p->cap, 2 * sizeof(double));
    }
    struct geom_blob_points_cursor cur;
    geom_blob_points_begin(pts, &cur);
    p->n = geom_blob_points_read_xy(pts, &cur, p->xy, pts->n_points);
    for (size_t i = 0; i < p->n; i++) {
        render_frame_project(w->frame, p->xy[2 * i], p->xy[2 * i + 1], &p->xy[2 * i],
                             &p->xy[2 * i + 1]);
    }
    p->n = decimate(p->xy, p->n, w->tolerance, p->kind == PART_RING);
}

static int walk_simple(struct walk *w, struct geom_blob_reader *r, enum geom_blob_kind kind,
                       bool is_compressed, struct err *err)
{
    struct geom_blob_points pts;
    int rc = ERR_OK;
    if (kind == GEOM_BLOB_POINT) {
        rc = geom_blob_read_point(r, &pts, err);
        w->part.kind = PART_POINT;
    } else if (kind == GEOM_BLOB_LINESTRING) {
        rc = geom_blob_read_points(r, is_compressed, &pts, err);
        w->part.kind = PART_LINE;
    } else {
        uint32_t n_rings = 0;
        rc = geom_blob_read_count(r, &n_rings, err);
        for (uint32_t i = 0; rc == ERR_OK && i < n_rings; i++) {
            rc = geom_blob_read_points(r, is_compressed, &pts, err);
            if (rc == ERR_OK) {
                w->part.kind = PART_RING;
                w->part.ring = i;
                project_points(w, &pts);
                w->visit(w->ctx, &w->part);
            }
        }
        return rc;
    }
    if (rc == ERR_OK) {
        w->part.ring = 0;
        project_points(w, &pts);
        w->visit(w->ctx, &w->part);
    }
    return rc;
}

static bool is_simple(enum geom_blob_kind k)
{
    return k == GEOM_BLOB_POINT || k == GEOM_BLOB_LINESTRING || k == GEOM_BLOB_POLYGON;
}

/* Calls w->visit for every point, line and ring of the blob, in order. */
static int walk_blob(struct walk *w, const unsigned char *blob, size_t len, struct err *err)
{
    struct geom_blob_reader r;
    struct geom_blob_header h;
    int rc = geom_blob_reader_open(&r, blob, len, &h, err);
    if (rc == ERR_OK && is_simple(h.kind)) {
        rc = walk_simple(w, &r, h.kind, h.is_compressed, err);
    } else if (rc == ERR_OK) {
        uint32_t n = 0;
        rc = geom_blob_read_count(&r, &n, err);
        for (uint32_t i = 0; rc == ERR_OK && i < n; i++) {
            enum geom_blob_kind kind;
            bool is_compressed = false;
            rc = geom_blob_read_entity(&r, h.kind, &kind, &is_compressed, err);
            if (rc == ERR_OK) {
                rc = walk_simple(w, &r, kind, is_compressed, err);
            }
        }
    }
    return rc == ERR_OK ? geom_blob_reader_close(&r, err) : rc;
}

/* Visitors */

/* The path of the features being batched: cr and how many vertices it holds. */
struct path_ctx {
    cairo_t *cr;
    size_t n_vertices;
    bool is_rings_only; /* a fill: as in MapLibre, only polygons are filled, so a sketch
                           line in a mixed layer is not closed into a filled triangle */
};

static void add_to_path(void *ctx, const struct part *p)
{
    struct path_ctx *pc = ctx;
    cairo_t *cr = pc->cr;
    if (p->kind == PART_POINT || p->n < 2 || (pc->is_rings_only && p->kind != PART_RING)) {
        return;
    }
    pc->n_vertices += p->n;
    cairo_move_to(cr, p->xy[0], p->xy[1]);
    for (size_t i = 1; i < p->n; i++) {
        cairo_line_to(cr, p->xy[2 * i], p->xy[2 * i + 1]);
    }
    if (p->kind == PART_RING) {
        cairo_close_path(cr);
    }
}

struct circle_ctx {
    struct render_circles *circles;
    const struct render_circle_paint *paint;
};

static void draw_circles(void *ctx, const struct part *p)
{
    struct circle_ctx *c = ctx;
    if (p->kind == PART_POINT && p->n == 1) {
        render_circles_add(c->circles, c->paint, p->xy[0], p->xy[1]);
    }
}

/* Where a feature's label goes: a point; the middle of the longest line; the centroid of
 * the largest outer ring (the bigger the part, the more likely it is what readers name). */
struct anchor {
    bool has;
    double x, y;
    double weight; /* the chosen part's length or area */
};

static void ring_centroid(const struct part *p, double *area, double *x, double *y)
{
    double a = 0, cx = 0, cy = 0;
    for (size_t i = 0; i + 1 < p->n; i++) {
        double x0 = p->xy[2 * i], y0 = p->xy[2 * i + 1];
        double x1 = p->xy[2 * i + 2], y1 = p->xy[2 * i + 3];
        double c = x0 * y1 - x1 * y0;
        a += c;
        cx += (x0 + x1) * c;
        cy += (y0 + y1) * c;
    }
    *area = fabs(a / 2);
    if (a != 0) {
        *x = cx / (3 * a);
        *y = cy / (3 * a);
    } else {
        *x = p->xy[0];
        *y = p->xy[1];
    }
}

static void line_middle(const struct part *p, double *length, double *x, double *y)
{
    double total = 0;
    for (size_t i = 0; i + 1 < p->n; i++) {
        total += hypot(p->xy[2 * i + 2] - p->xy[2 * i], p->xy[2 * i + 3] - p->xy[2 * i + 1]);
    }
    *length = total;
    *x = p->xy[0];
    *y = p->xy[1];
    double run = 0;
    for (size_t i = 0; i + 1 < p->n; i++) {
        double seg = hypot(p->xy[2 * i + 2] - p->xy[2 * i], p->xy[2 * i + 3] - p->xy[2 * i + 1]);
        if (run + seg >= total / 2 && seg > 0) {
            double t = (total / 2 - run) / seg;
            *x = p->xy[2 * i] + t * (p->xy[2 * i + 2] - p->xy[2 * i]);
            *y = p->xy[2 * i + 1] + t * (p->xy[2 * i + 3] - p->xy[2 * i + 1]);
            return;
        }
        run += seg;
    }
}

static void find_anchor(void *ctx, const struct part *p)
{
    struct anchor *a = ctx;
    double weight = 0, x = 0, y = 0;
    if (p->n == 0 || (p->kind == PART_RING && p->ring > 0)) {
        return;
    }
    if (p->kind == PART_POINT) {
        x = p->xy[0];
        y = p->xy[1];
    } else if (p->kind == PART_LINE) {
        line_middle(p, &weight, &x, &y);
    } else {
        ring_centroid(p, &weight, &x, &y);
    }
    if (!a->has || weight > a->weight) {
        *a = (struct anchor){true, x, y, weight};
    }
}

/* Drawing the layers */

/* Vertices per batched path. One path for a whole layer was slow: stroking the outlines of
 * 200,000 polygons as one path took 1.4 s, in batches of a few hundred vertices 0.4 s
 * (cairo's stroker and tessellator grow worse than linearly with the path), while one
 * stroke per small feature pays cairo's per-call cost each time. */
#define RENDER_BATCH_VERTICES 256

struct map_run {
    cairo_t *cr;
    struct store_read *rd;
    const struct render_frame *frame;
    struct render_labels *labels;
    struct walk walk;
    struct path_ctx path;
    /* The circle style layer being drawn: its markers, and its paint when no property
     * changes it (evaluated once instead of per point). */
    struct render_circles *circles;
    bool is_paint_fixed;
    struct render_circle_paint paint;
    /* What the layer being drawn shows, for the legend: NULL when not recorded. */
    struct render_seen_layer *seen;
    const json_t *classes, *classes_owner; /* render_legend_classes */
    const char *classes_field;
};

/* True when a value uses a feature property somewhere (["get", ...]). */
static bool uses_properties(const json_t *v)
{
    if (!json_is_array(v)) {
        return false;
    }
    const char *op = json_string_value(json_array_get(v, 0));
    if (op != NULL && strcmp(op, "get") == 0) {
        return true;
    }
    for (size_t i = 0; i < json_array_size(v); i++) {
        if (uses_properties(json_array_get(v, i))) {
            return true;
        }
    }
    return false;
}

static bool paint_uses_properties(const json_t *sl)
{
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)json_object_get(sl, "paint"), key, v)
    {
        if (uses_properties(v)) {
            return true;
        }
    }
    return false;
}

static void place_label(struct map_run *m, const json_t *sl, const struct style_feature *f,
                        const struct anchor *a)
{
    double zoom = m->frame->zoom, s = m->frame->px_per_css_px;
    struct style_result text;
    style_eval(json_object_get(json_object_get(sl, "layout"), "text-field"), STYLE_WANT_STRING, f,
               zoom, &text);
    if (text.kind != STYLE_RESULT_STRING || !a->has) {
        return;
    }
    const json_t *paint = json_object_get(sl, "paint");
    struct style_result r;
    struct render_label_style st = {16 * s, 0, {0, 0, 0, 1}, {0, 0, 0, 0}};
    style_eval(json_object_get(json_object_get(sl, "layout"), "text-size"), STYLE_WANT_NUMBER, f,
               zoom, &r);
    st.size = r.kind == STYLE_RESULT_NUMBER ? r.number * s : st.size;
    style_eval(json_object_get(paint, "text-color"), STYLE_WANT_COLOR, f, zoom, &r);
    st.color = r.kind == STYLE_RESULT_COLOR ? r.color : st.color;
    style_eval(json_object_get(paint, "text-halo-color"), STYLE_WANT_COLOR, f, zoom, &r);
    st.halo = r.kind == STYLE_RESULT_COLOR ? r.color : st.halo;
    style_eval(json_object_get(paint, "text-halo-width"), STYLE_WANT_NUMBER, f, zoom, &r);
    st.halo_width = r.kind == STYLE_RESULT_NUMBER ? r.number * s : 0;
    /* text.string may point into text.text: read it from text, not a copy. */
    render_labels_add(m->labels, text.string, text.str_len, a->x, a->y, &st);
}

static int draw_feature(struct map_run *m, const json_t *sl, const char *type,
                        const struct style_feature *f, const struct store_feature *row,
                        bool is_batched, struct err *err)
{
    double zoom = m->frame->zoom, s = m->frame->px_per_css_px;
    if (strcmp(type, "circle") == 0) {
        struct render_circle_paint paint = m->paint;
        if (!m->is_paint_fixed) {
            render_style_circle_paint(sl, f, zoom, s, &paint);
        }
        struct circle_ctx c = {m->circles, &paint};
        m->walk.visit = draw_circles;
        m->walk.ctx = &c;
        return walk_blob(&m->walk, row->geom, row->geom_len, err);
    }
    if (strcmp(type, "symbol") == 0) {
        struct anchor a = {false, 0, 0, 0};
        m->walk.visit = find_anchor;
        m->walk.ctx = &a;
        int rc = walk_blob(&m->walk, row->geom, row->geom_len, err);
        if (rc == ERR_OK) {
            place_label(m, sl, f, &a);
        }
        return rc;
    }
    m->walk.visit = add_to_path;
    m->walk.ctx = &m->path;
    m->path.is_rings_only = strcmp(type, "fill") == 0;
    int rc = walk_blob(&m->walk, row->geom, row->geom_len, err);
    if (is_batched && m->path.n_vertices < RENDER_BATCH_VERTICES) {
        return rc;
    }
    if (rc == ERR_OK && strcmp(type, "fill") == 0) {
        render_style_fill_path(m->cr, sl, is_batched ? NULL : f, zoom, s);
    } else if (rc == ERR_OK) {
        render_style_stroke_path(m->cr, sl, is_batched ? NULL : f, zoom, s);
    }
    cairo_new_path(m->cr);
    m->path.n_vertices = 0;
    return rc;
}

/* The fields a style layer reads (["get", name] and ["has", name] anywhere in its filter,
 * layout and paint), as indexes into the layer's fields and their names, in first-use
 * order. Fetching only these makes wide layers as cheap to read as narrow ones. */
struct field_pick {
    size_t *index;
    const char **names;
    size_t n;
};

static void pick_fields(const json_t *v, const struct store_layer *layer, struct field_pick *out)
{
    if (json_is_object(v)) {
        const char *key;
        const json_t *item;
        json_object_foreach((json_t *)v, key, item)
        {
            pick_fields(item, layer, out);
        }
        return;
    }
    if (!json_is_array(v)) {
        return;
    }
    const char *op = json_string_value(json_array_get(v, 0));
    const char *name = json_string_value(json_array_get(v, 1));
    if (op != NULL && name != NULL && (strcmp(op, "get") == 0 || strcmp(op, "has") == 0)) {
        long field = store_layer_field_index(layer, name);
        bool is_new = field >= 0;
        for (size_t i = 0; is_new && i < out->n; i++) {
            is_new = out->index[i] != (size_t)field;
        }
        if (is_new) {
            out->index[out->n] = (size_t)field;
            out->names[out->n++] = layer->fields[field].name;
        }
    }
    for (size_t i = 0; i < json_array_size(v); i++) {
        pick_fields(json_array_get(v, i), layer, out);
    }
}

/* True when the view holds most of the layer: reading the whole table in order is then
 * cheaper than an R*Tree join for every row, and what falls outside is clipped. */
static bool view_covers_layer(const struct store_layer *l, const double *view)
{
    if (!l->has_extent) {
        return false;
    }
    double w = fmin(l->max_lon, view[2]) - fmax(l->min_lon, view[0]);
    double h = fmin(l->max_lat, view[3]) - fmax(l->min_lat, view[1]);
    double area = (l->max_lon - l->min_lon) * (l->max_lat - l->min_lat);
    if (w < 0 || h < 0) {
        return false;
    }
    return area > 0 ? w * h >= 0.75 * area
                    : l->min_lon >= view[0] && l->max_lon <= view[2] && l->min_lat >= view[1] &&
                          l->max_lat <= view[3];
}

static void begin_style_layer(struct map_run *m, const json_t *sl, const char *type)
{
    m->path.n_vertices = 0;
    m->circles = NULL;
    m->is_paint_fixed = false;
    if (strcmp(type, "circle") == 0) {
        m->circles = render_circles_new(m->cr, m->frame);
        m->is_paint_fixed = !paint_uses_properties(sl);
        render_style_circle_paint(sl, NULL, m->frame->zoom, m->frame->px_per_css_px, &m->paint);
    }
    cairo_new_path(m->cr);
}

static void end_style_layer(struct map_run *m, const json_t *sl, const char *type, bool is_batched)
{
    render_circles_finish(m->circles);
    m->circles = NULL;
    if (is_batched && strcmp(type, "fill") == 0) {
        render_style_fill_path(m->cr, sl, NULL, m->frame->zoom, m->frame->px_per_css_px);
    } else if (is_batched) {
        render_style_stroke_path(m->cr, sl, NULL, m->frame->zoom, m->frame->px_per_css_px);
    }
    cairo_new_path(m->cr);
}

/* Records that a feature was drawn with style layer sl, and its colour class. */
static void note_seen(struct map_run *m, const json_t *sl, const char *type,
                      const struct style_feature *f)
{
    if (m->seen == NULL || strcmp(type, "symbol") == 0) {
        return; /* labels are not in the legend */
    }
    m->seen->is_drawn = true;
    if (sl == m->classes_owner) {
        long k = render_legend_class_of(m->classes, m->classes_field, f);
        if (k >= 0 && (size_t)k < m->seen->n_classes) {
            m->seen->classes[k] = true;
        }
    }
}

/* One style layer over the features in view. Features of a fill or line whose paint is the
 * same for every feature are drawn a batch at a time: one fill or stroke per path of about
 * RENDER_BATCH_VERTICES vertices instead of one per feature. */
static int draw_style_layer(struct map_run *m, const struct render_layer *rl,
                            struct field_pick *pick, const json_t *sl, struct err *err)
{
    const char *type = render_style_layer_type(sl);
    pick->n = 0;
    pick_fields(sl, rl->layer, pick);
    struct store_query q = {.layer = rl->layer,
                            .has_bbox = !view_covers_layer(rl->layer, m->frame->visible),
                            .filter = rl->filter,
                            .properties = pick->index,
                            .n_properties = pick->n,
                            .limit = STORE_LIMIT_ALL,
                            .out_srid = 4326};
    memcpy(q.bbox, m->frame->visible, sizeof(q.bbox));
    struct store_cursor *cur = NULL;
    int rc = store_features_open(m->rd, &q, &cur, err);
    if (rc != ERR_OK) {
        return rc;
    }
    const json_t *filter = json_object_get(sl, "filter");
    bool is_area = strcmp(type, "fill") == 0 || strcmp(type, "line") == 0;
    bool is_batched = is_area && !paint_uses_properties(sl);
    begin_style_layer(m, sl, type);
    const struct store_feature *row = NULL;
    while ((rc = store_cursor_next(cur, &row, err)) == 1) {
        struct style_feature f = {pick->names, row->values, row->n_values};
        if (row->geom == NULL || (filter != NULL && !style_filter_matches(filter, &f))) {
            continue;
        }
        rc = draw_feature(m, sl, type, &f, row, is_batched, err);
        if (rc != ERR_OK) {
            break;
        }
        note_seen(m, sl, type, &f);
    }
    store_cursor_close(cur);
    end_style_layer(m, sl, type, rc == 0 && is_batched);
    return rc < 0 ? rc : ERR_OK;
}

static int draw_layer(struct map_run *m, const struct render_layer *rl, struct err *err)
{
    const json_t *sls = json_object_get(rl->style, "layers");
    if (rl->layer->geometry_type == NULL || !json_is_array(sls)) {
        return ERR_OK; /* an attribute table has nothing to draw */
    }
    struct field_pick pick = {xcalloc(rl->layer->n_fields + 1, sizeof(size_t)),
                              xcalloc(rl->layer->n_fields + 1, sizeof(char *)), 0};
    if (m->seen != NULL) {
        m->classes =
            render_legend_classes(rl->style, m->frame->zoom, &m->classes_owner, &m->classes_field);
        m->seen->n_classes = render_legend_class_count(m->classes);
        m->seen->classes = xcalloc(m->seen->n_classes + 1, sizeof(bool));
    }
    int rc = ERR_OK;
    for (size_t i = 0; rc == ERR_OK && i < json_array_size(sls); i++) {
        const json_t *sl = json_array_get(sls, i);
        if (render_style_layer_shows(sl, m->frame->zoom)) {
            rc = draw_style_layer(m, rl, &pick, sl, err);
        }
    }
    free(pick.index);
    free(pick.names);
    if (rc != ERR_OK) {
        err_prefix(err, "layer %s", rl->layer->id);
    }
    return rc;
}

void render_seen_clear(struct render_seen *seen)
{
    for (size_t i = 0; i < seen->n_layers; i++) {
        free(seen->layers[i].classes);
    }
    free(seen->layers);
    memset(seen, 0, sizeof(*seen));
}

bool render_map_anchor(const struct render_frame *frame, const unsigned char *blob, size_t len,
                       double *x, double *y)
{
    struct anchor a = {false, 0, 0, 0};
    struct walk w = {.frame = frame, .tolerance = 0, .visit = find_anchor, .ctx = &a};
    struct err err;
    bool is_read = blob != NULL && walk_blob(&w, blob, len, &err) == ERR_OK;
    free(w.part.xy);
    *x = a.x;
    *y = a.y;
    return is_read && a.has;
}

int render_map_draw(cairo_t *cr, struct store_read *rd, const struct render_frame *frame,
                    const struct render_layer *layers, size_t n_layers, struct render_seen *seen,
                    struct err *err)
{
    if (seen != NULL) {
        seen->layers = xcalloc(n_layers + 1, sizeof(*seen->layers));
        seen->n_layers = n_layers;
    }
    struct map_run m = {.cr = cr, .rd = rd, .frame = frame, .labels = render_labels_new(cr, frame)};
    m.path.cr = cr;
    m.walk.frame = frame;
    /* Half a device unit: finer detail cannot show. Simplified here rather than in the
     * query (GEOS's topology-preserving simplifier cost more than drawing every vertex). */
    m.walk.tolerance = 0.5;
    cairo_save(cr);
    cairo_rectangle(cr, frame->x, frame->y, frame->w, frame->h);
    cairo_clip(cr);
    /* Fewer coverage samples per pixel for fills and strokes: the same look at map scales
     * (edges still antialiased) and a fifth less time on a road-heavy A3 at 300 dpi. */
    cairo_set_antialias(cr, CAIRO_ANTIALIAS_FAST);
    int rc = ERR_OK;
    for (size_t i = 0; rc == ERR_OK && i < n_layers; i++) {
        m.seen = seen != NULL ? &seen->layers[i] : NULL;
        rc = draw_layer(&m, &layers[i], err);
    }
    if (rc == ERR_OK) {
        render_labels_draw(m.labels);
    }
    cairo_restore(cr);
    render_labels_free(m.labels);
    free(m.walk.part.xy);
    return rc;
}
