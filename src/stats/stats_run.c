/* stats_run.c - one statistic from spec to result: resolve the names (stats_plan.c), load
 * the boundaries and their denominators, scan the layer once, accumulate, finish, classify.
 *
 * The scan reads only the columns the statistic needs. A point's coordinates come from
 * the geometry BLOB's header (no GEOS object per point); only lines and polygons are turned
 * into GEOS geometries, to clip them or to find their point on surface. */
#include "stats/stats_int.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"
#include "encode/geom_blob.h"
#include "encode/number_text.h"
#include "stats/stats_measure.h"
#include "base/utf8.h"

struct scan {
    const struct stats_spec *spec;
    const struct stats_plan *plan;
    GEOSContextHandle_t h;
    struct stats_boundaries bounds;
    struct stats_locator *locator;
    struct stats_nearest *nearest;
    struct stats_cells *cells;
    struct stats_result *r;
    long at_field, at_group, at_time; /* positions in the row's values, -1 when unused */
};

static int label_of(struct scan *s, const struct store_value *v, bool is_period, long *out,
                    struct err *err)
{
    char text[NUMBER_TEXT_REAL_CAP];
    const char *p = "";
    size_t len = 0;
    if (!v->is_null && v->type == STORE_TEXT) {
        p = v->ptr;
        len = v->len;
    } else if (!v->is_null && v->type == STORE_INTEGER) {
        len = number_text_int64(v->i, text);
        p = text;
    } else if (!v->is_null && v->type == STORE_REAL) {
        len = number_text_real(v->d, text);
        p = text;
    }
    return stats_cells_label(s->cells, is_period, p, len, out, err);
}

/* "2024-03-05T..." or "2024/03/05 ..." -> "2024", "2024-03" or "2024-03-05"; 0 when the
 * text does not start with such a date. */
static size_t period_of(const struct store_value *v, enum stats_interval interval, char out[11])
{
    static const char pattern[] = "dddd-dd-dd";
    if (v->is_null || v->type != STORE_TEXT || v->len < 4) {
        return 0;
    }
    size_t want = interval == STATS_INTERVAL_YEAR ? 4 : interval == STATS_INTERVAL_MONTH ? 7 : 10;
    if (v->len < want) {
        return 0;
    }
    for (size_t i = 0; i < want; i++) {
        char c = v->ptr[i];
        bool ok = pattern[i] == 'd' ? c >= '0' && c <= '9' : c == '-' || c == '/';
        if (!ok) {
            return 0;
        }
        out[i] = pattern[i] == 'd' ? c : '-';
    }
    out[want] = '\0';
    return want;
}

static int labels_of(struct scan *s, const struct store_feature *row, long *group, long *period,
                     struct err *err)
{
    *group = *period = -1;
    if (s->at_group >= 0 && label_of(s, &row->values[s->at_group], false, group, err) != ERR_OK) {
        return err->code;
    }
    if (s->at_time >= 0) {
        char text[11];
        size_t len = period_of(&row->values[s->at_time], s->spec->interval, text);
        if (len == 0) {
            s->r->n_undated++;
            return ERR_OK;
        }
        return stats_cells_label(s->cells, true, text, len, period, err);
    }
    return ERR_OK;
}

/* The one point that places a feature: a point's own, else GEOS's point on surface. */
static int feature_point(struct scan *s, const struct store_feature *row, double *x, double *y,
                         struct err *err)
{
    struct geom_blob_header hd;
    int rc = stats_geom_header(row->geom, row->geom_len, &hd, err);
    if (rc != ERR_OK) {
        return rc;
    }
    if (hd.kind == GEOM_BLOB_POINT) {
        *x = hd.min_x;
        *y = hd.min_y;
        return ERR_OK;
    }
    GEOSGeometry *g = NULL;
    rc = stats_geom_from_blob(s->h, row->geom, row->geom_len, &g, err);
    GEOSGeometry *p = rc == ERR_OK ? GEOSPointOnSurface_r(s->h, g) : NULL;
    GEOSGeom_destroy_r(s->h, g);
    if (rc == ERR_OK &&
        (p == NULL || GEOSGeomGetX_r(s->h, p, x) != 1 || GEOSGeomGetY_r(s->h, p, y) != 1)) {
        rc = stats_geos_error("find a point on the feature", err);
    }
    GEOSGeom_destroy_r(s->h, p);
    return rc;
}

/* count, sum, ..., nearest: the feature goes to the area holding its point. */
static int add_by_point(struct scan *s, const struct store_feature *row, long group, long period,
                        struct err *err)
{
    double value = 0, x = 0, y = 0;
    if (s->at_field >= 0) {
        const struct store_value *v = &row->values[s->at_field];
        if (v->is_null) {
            return ERR_OK; /* no value: not part of a sum or a mean */
        }
        value = v->type == STORE_INTEGER ? (double)v->i : v->d;
    }
    bool needs_point = s->plan->by != NULL || s->nearest != NULL;
    if (needs_point && row->geom == NULL) {
        s->r->n_unassigned++;
        return ERR_OK;
    }
    if (needs_point && feature_point(s, row, &x, &y, err) != ERR_OK) {
        return err_prefix(err, "feature %" PRId64 " of '%s'", row->fid, s->plan->layer->id);
    }
    long area = s->plan->by != NULL ? stats_locate(s->locator, x, y) : 0;
    if (area < 0) {
        s->r->n_unassigned++;
        return ERR_OK;
    }
    if (s->nearest != NULL && stats_nearest_distance(s->nearest, x, y, &value, err) != ERR_OK) {
        return err->code;
    }
    return stats_cells_add(s->cells, (size_t)area, group, period, value, true, err);
}

static int measure(struct scan *s, const GEOSGeometry *g, double *out, struct err *err)
{
    return s->spec->metric == STATS_LENGTH ? stats_length_m(s->h, g, out, err)
                                           : stats_area_m2(s->h, g, out, err);
}

struct hits {
    size_t *items;
    size_t n;
};

static void collect_hit(void *item, void *userdata)
{
    struct hits *hits = userdata;
    hits->items = xreallocarray(hits->items, hits->n + 1, sizeof(size_t));
    hits->items[hits->n++] = (size_t)(uintptr_t)item - 1;
}

static int compare_sizes(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

/* The part of g inside boundary i, measured; *is_inside false when they only touch. */
static int measure_inside(struct scan *s, const GEOSGeometry *g, size_t i, double *value,
                          bool *is_inside, struct err *err)
{
    const struct stats_boundary *b = &s->bounds.items[i];
    *value = 0;
    *is_inside = false;
    if (GEOSPreparedContains_r(s->h, b->prepared, g) == 1) {
        *is_inside = true;
        return measure(s, g, value, err);
    }
    if (GEOSPreparedIntersects_r(s->h, b->prepared, g) != 1) {
        return ERR_OK;
    }
    GEOSGeometry *part = GEOSIntersection_r(s->h, b->geom, g);
    if (part == NULL) {
        return stats_geos_error("clip a feature to a boundary", err);
    }
    int rc = measure(s, part, value, err);
    GEOSGeom_destroy_r(s->h, part);
    *is_inside = rc == ERR_OK && *value > 0;
    return rc;
}

/* length and area: the feature is clipped to every boundary it crosses. */
static int add_by_clip(struct scan *s, const struct store_feature *row, long group, long period,
                       struct err *err)
{
    GEOSGeometry *g = NULL;
    if (row->geom == NULL) {
        s->r->n_unassigned++;
        return ERR_OK;
    }
    int rc = stats_geom_from_blob(s->h, row->geom, row->geom_len, &g, err);
    double value = 0;
    if (rc == ERR_OK && s->plan->by == NULL) {
        rc = measure(s, g, &value, err);
        rc = rc == ERR_OK ? stats_cells_add(s->cells, 0, group, period, value, true, err) : rc;
        GEOSGeom_destroy_r(s->h, g);
        return rc;
    }
    struct hits hits = {0};
    if (rc == ERR_OK) {
        GEOSSTRtree_query_r(s->h, s->bounds.tree, g, collect_hit, &hits);
        if (hits.n > 1) { /* qsort must not see the NULL of an empty list */
            qsort(hits.items, hits.n, sizeof(size_t), compare_sizes);
        }
    }
    bool is_first = true;
    for (size_t k = 0; rc == ERR_OK && k < hits.n; k++) {
        bool is_inside = false;
        rc = measure_inside(s, g, hits.items[k], &value, &is_inside, err);
        if (rc == ERR_OK && is_inside) {
            rc = stats_cells_add(s->cells, hits.items[k], group, period, value, is_first, err);
            is_first = false;
        }
    }
    s->r->n_unassigned += rc == ERR_OK && is_first ? 1 : 0;
    free(hits.items);
    GEOSGeom_destroy_r(s->h, g);
    return rc != ERR_OK ? err_prefix(err, "feature %" PRId64, row->fid) : ERR_OK;
}

static void place_column(long field, size_t *props, size_t *n, long *at)
{
    *at = -1;
    if (field >= 0) {
        *at = (long)*n;
        props[(*n)++] = (size_t)field;
    }
}

/* Reading only the boundaries' box when they cover a small part of the layer lets the
 * R*Tree skip the rest; when they cover most of it a plain scan is cheaper. */
static void maybe_limit_to_bounds(const struct scan *s, struct store_query *q)
{
    const struct store_layer *l = s->plan->layer;
    const double *b = s->bounds.box;
    if (s->plan->by == NULL || !l->has_extent) {
        return;
    }
    double layer_area = (l->max_lon - l->min_lon) * (l->max_lat - l->min_lat);
    double bounds_area = (b[2] - b[0]) * (b[3] - b[1]);
    if (bounds_area < 0.5 * layer_area) {
        q->has_bbox = true;
        memcpy(q->bbox, b, sizeof(q->bbox));
    }
}

static int scan_layer(struct store_read *rd, struct scan *s, struct err *err)
{
    size_t props[3];
    size_t n = 0;
    place_column(s->plan->field, props, &n, &s->at_field);
    place_column(s->plan->group, props, &n, &s->at_group);
    place_column(s->plan->time, props, &n, &s->at_time);
    bool is_clip = s->spec->metric == STATS_LENGTH || s->spec->metric == STATS_AREA;
    struct store_query q = {.layer = s->plan->layer,
                            .filter = s->plan->filter,
                            .properties = props,
                            .n_properties = n,
                            .limit = STORE_LIMIT_ALL,
                            .out_srid = 4326,
                            .skip_geometry = s->plan->by == NULL && s->nearest == NULL && !is_clip};
    maybe_limit_to_bounds(s, &q);
    struct store_cursor *cur = NULL;
    int rc = store_features_open(rd, &q, &cur, err);
    const struct store_feature *row = NULL;
    while (rc == ERR_OK && (rc = store_cursor_next(cur, &row, err)) == 1) {
        long group = -1, period = -1;
        rc = labels_of(s, row, &group, &period, err);
        if (rc == ERR_OK) {
            rc = is_clip ? add_by_clip(s, row, group, period, err)
                         : add_by_point(s, row, group, period, err);
        }
        if (rc == ERR_DB) {
            err_prefix(err, "layer '%s' feature %" PRId64, s->plan->layer->id, row->fid);
        }
    }
    store_cursor_close(cur);
    return rc < 0 ? rc : ERR_OK;
}

/* With the scan limited to the boundaries' box, the features outside it were not seen:
 * they are counted here, from the (cached) counts, as lying in no boundary. */
static int count_outside(struct store_read *rd, struct scan *s, struct err *err)
{
    struct store_query all = {
        .layer = s->plan->layer, .filter = s->plan->filter, .out_srid = 4326, .limit = 1};
    struct store_query inside = all;
    maybe_limit_to_bounds(s, &inside);
    if (!inside.has_bbox) {
        return ERR_OK;
    }
    int64_t n_all = 0, n_inside = 0;
    int rc = store_features_count(rd, &all, &n_all, err);
    if (rc == ERR_OK) {
        rc = store_features_count(rd, &inside, &n_inside, err);
    }
    s->r->n_unassigned += rc == ERR_OK ? n_all - n_inside : 0;
    return rc;
}

static void add_source(struct stats_result *r, const char *role, const struct store_layer *l)
{
    for (size_t i = 0; i < r->n_sources; i++) {
        if (strcmp(r->sources[i].id, l->id) == 0) {
            return; /* a layer playing two roles is listed once */
        }
    }
    r->sources = xreallocarray(r->sources, r->n_sources + 1, sizeof(*r->sources));
    struct stats_source *s = &r->sources[r->n_sources++];
    const char *texts[] = {role,          l->id,      l->title_en,    l->title_th,   l->source,
                           l->source_url, l->license, l->attribution, l->imported_at};
    char **slots[] = {&s->role,       &s->id,      &s->title_en,    &s->title_th,   &s->source,
                      &s->source_url, &s->license, &s->attribution, &s->imported_at};
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        *slots[i] = texts[i] != NULL ? xstrdup(texts[i]) : NULL;
    }
    s->version = l->version;
    s->feature_count = l->feature_count;
    if (r->data_updated_at == NULL || strcmp(l->imported_at, r->data_updated_at) > 0) {
        free(r->data_updated_at);
        r->data_updated_at = xstrdup(l->imported_at);
    }
}

static void add_sources(struct stats_result *r, const struct stats_plan *p)
{
    add_source(r, "layer", p->layer);
    if (p->by != NULL) {
        add_source(r, "by", p->by);
    }
    if (p->pop_table != NULL) {
        add_source(r, "population", p->pop_table);
    }
    if (p->to != NULL) {
        add_source(r, "to", p->to);
    }
}

static char *utc_now(void)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    char text[32];
    strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &tm);
    return xstrdup(text);
}

static int classify(const struct stats_spec *spec, struct stats_result *r, struct err *err)
{
    bool is_additive = stats_metric_is_additive(spec->metric);
    r->classify_column = spec->has_classify_column          ? spec->classify_column
                         : r->has_population && is_additive ? STATS_COL_PER_CAPITA
                                                            : STATS_COL_VALUE;
    if (!is_additive && r->classify_column != STATS_COL_VALUE) {
        return err_set(err, ERR_INVALID, "classify-column: metric=%s has only the value column",
                       stats_metric_name(spec->metric));
    }
    double *values = xcalloc(r->n_cells > 0 ? r->n_cells : 1, sizeof(double));
    size_t n = 0;
    for (size_t i = 0; i < r->n_cells; i++) {
        const struct stats_cell *c = &r->cells[i];
        if (c->area == STATS_TOTAL || c->group != -1 || c->period != -1) {
            continue;
        }
        bool has[] = {c->has_value, c->has_per_km2, c->has_per_capita, c->has_share};
        double v[] = {c->value, c->per_km2, c->per_capita, c->share};
        if (has[r->classify_column] && isfinite(v[r->classify_column])) {
            values[n++] = v[r->classify_column];
        }
    }
    int rc = stats_classify(values, n, spec->class_method, spec->n_classes, r->breaks,
                            &r->n_classes, err);
    free(values);
    if (rc == ERR_OK && r->n_classes > 0) {
        rc = stats_ramp(stats_ramp_default(), r->n_classes, r->colors, err);
    }
    return rc;
}

static uint64_t hash_key(const char *key)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (const char *p = key; *p != '\0'; p++) {
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    }
    return h;
}

static char *key_with_versions(const struct stats_spec *spec,
                               const struct store_layer *const *layers, size_t n)
{
    char *key = stats_spec_key(spec);
    for (size_t i = 0; i < n; i++) {
        if (layers[i] != NULL) {
            char *longer = xasprintf("%s|%s@%" PRId64, key, layers[i]->id, layers[i]->version);
            free(key);
            key = longer;
        }
    }
    return key;
}

int stats_result_key(struct store_read *rd, const struct stats_spec *spec, char **key,
                     struct err *err)
{
    const char *ids[] = {spec->layer, spec->by, spec->population_from, spec->to};
    const char *params[] = {"layer", "by", "population-from", "to"};
    const struct store_layer *layers[4] = {0};
    for (size_t i = 0; i < 4; i++) {
        int rc = ids[i] != NULL ? stats_find_layer(rd, params[i], ids[i], &layers[i], err) : ERR_OK;
        if (rc != ERR_OK) {
            return rc;
        }
    }
    *key = key_with_versions(spec, layers, 4);
    return ERR_OK;
}

static int copy_spec(const struct stats_spec *spec, struct stats_spec *copy, struct err *err)
{
    struct stats_param *params = NULL;
    size_t n = stats_spec_params(spec, &params);
    int rc = stats_spec_parse(params, n, copy, err);
    stats_params_free(params, n);
    return rc;
}

static int prepare(struct store_read *rd, struct scan *s, struct err *err)
{
    int rc = stats_areas_load(rd, s->plan, s->h, s->r, &s->bounds, err);
    if (rc == ERR_OK) {
        rc = stats_population_attach(rd, s->spec, s->plan, s->r, err);
    }
    if (rc == ERR_OK && s->spec->metric == STATS_NEAREST) {
        const struct store_layer *l = s->plan->layer;
        rc = stats_nearest_open(rd, s->plan, s->h, (l->min_lon + l->max_lon) / 2,
                                (l->min_lat + l->max_lat) / 2, &s->nearest, err);
    }
    if (rc == ERR_OK && s->plan->by != NULL) {
        s->locator = stats_locator_new(&s->bounds);
    }
    s->cells = stats_cells_new(s->spec, s->r->n_areas);
    return rc;
}

static int compute(struct store_read *rd, struct scan *s, struct err *err)
{
    int rc = prepare(rd, s, err);
    if (rc == ERR_OK) {
        rc = scan_layer(rd, s, err);
    }
    if (rc == ERR_OK) {
        rc = count_outside(rd, s, err);
    }
    if (rc == ERR_OK) {
        stats_cells_finish(s->cells, s->r);
        rc = classify(s->spec, s->r, err);
    }
    stats_cells_free(s->cells);
    stats_locator_free(s->locator);
    stats_nearest_close(s->nearest);
    stats_boundaries_clear(&s->bounds);
    return rc;
}

int stats_run(struct store_read *rd, const struct stats_spec *spec, struct stats_result **out,
              struct err *err)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    *out = NULL;
    struct stats_result *r = xcalloc(1, sizeof(*r));
    struct stats_plan plan;
    int rc = copy_spec(spec, &r->spec, err);
    if (rc == ERR_OK) {
        rc = stats_plan_make(rd, &r->spec, &plan, err);
    }
    if (rc != ERR_OK) {
        stats_result_free(r);
        return rc;
    }
    GEOSContextHandle_t h = GEOS_init_r();
    struct scan s = {.spec = &r->spec, .plan = &plan, .h = h, .r = r};
    rc = compute(rd, &s, err);
    if (rc == ERR_OK) {
        const struct store_layer *layers[] = {plan.layer, plan.by, plan.pop_table, plan.to};
        add_sources(r, &plan);
        r->key = key_with_versions(&r->spec, layers, 4);
        r->etag = xasprintf("W/\"s%016" PRIx64 "\"", hash_key(r->key));
        r->computed_at = utc_now();
        r->definition_en = stats_definition(&r->spec, &plan, false);
        r->definition_th = stats_definition(&r->spec, &plan, true);
        r->by_name_field =
            plan.by != NULL && plan.by->name_column ? xstrdup(plan.by->name_column) : NULL;
    }
    GEOS_finish_r(h);
    stats_plan_clear(&plan);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    r->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    if (rc != ERR_OK) {
        stats_result_free(r);
        return rc;
    }
    *out = r;
    return ERR_OK;
}

const struct stats_cell *stats_result_cell(const struct stats_result *r, size_t area, long group,
                                           long period)
{
    struct stats_cell probe = {.area = area, .group = group, .period = period};
    size_t lo = 0, hi = r->n_cells;
    while (lo < hi) { /* cells are sorted by (area, group, period) */
        size_t mid = lo + (hi - lo) / 2;
        const struct stats_cell *c = &r->cells[mid];
        int cmp = c->area != probe.area ? (c->area < probe.area ? -1 : 1)
                  : c->group != group   ? (c->group < group ? -1 : 1)
                  : c->period != period ? (c->period < period ? -1 : 1)
                                        : 0;
        if (cmp == 0) {
            return c;
        }
        if (cmp < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return NULL;
}

static void free_strings(char **s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(s[i]);
    }
    free(s);
}

void stats_result_free(struct stats_result *r)
{
    if (r == NULL) {
        return;
    }
    stats_spec_clear(&r->spec);
    for (size_t i = 0; i < r->n_sources; i++) {
        struct stats_source *s = &r->sources[i];
        char *texts[] = {s->role,       s->id,      s->title_en,    s->title_th,   s->source,
                         s->source_url, s->license, s->attribution, s->imported_at};
        for (size_t k = 0; k < sizeof(texts) / sizeof(texts[0]); k++) {
            free(texts[k]);
        }
    }
    for (size_t i = 0; i < r->n_areas; i++) {
        struct stats_area *a = &r->areas[i];
        char *texts[] = {a->name, a->code, a->population_year, a->population_source,
                         a->population_note};
        for (size_t k = 0; k < sizeof(texts) / sizeof(texts[0]); k++) {
            free(texts[k]);
        }
        free(a->geom);
    }
    free(r->sources);
    free(r->areas);
    free_strings(r->groups, r->n_groups);
    free_strings(r->periods, r->n_periods);
    free(r->cells);
    free(r->key);
    free(r->etag);
    free(r->computed_at);
    free(r->data_updated_at);
    free(r->definition_en);
    free(r->definition_th);
    free(r->by_name_field);
    free(r->population_label);
    free(r);
}
