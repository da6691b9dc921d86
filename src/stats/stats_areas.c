/* stats_areas.c - the boundaries of one statistic: read once from the `by` layer into GEOS
 * (prepared for repeated tests, indexed by envelope) and into the result's areas with their
 * names, join keys, geometry and geodesic area. */
#include "stats/stats_int.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "encode/geom_blob.h"
#include "encode/number_text.h"
#include "stats/stats_measure.h"

/* More boundaries than any city has districts or sub-districts; beyond it a choropleth
 * is unreadable and the response would be huge. */
#define STATS_MAX_AREAS 20000

static char *value_text(const struct store_value *v)
{
    char text[NUMBER_TEXT_REAL_CAP];
    if (v->is_null) {
        return NULL;
    }
    switch (v->type) {
    case STORE_INTEGER:
        number_text_int64(v->i, text);
        return xstrdup(text);
    case STORE_REAL:
        number_text_real(v->d, text);
        return xstrdup(text);
    case STORE_TEXT:
        return xstrndup(v->ptr, v->len);
    default:
        return NULL;
    }
}

static int add_boundary(GEOSContextHandle_t h, const struct store_feature *row, long name_at,
                        long code_at, struct stats_result *r, struct stats_boundaries *b,
                        struct err *err)
{
    if (r->n_areas == STATS_MAX_AREAS) {
        return err_set(err, ERR_TOO_LARGE,
                       "by: more than %d boundaries; narrow them with by-filter", STATS_MAX_AREAS);
    }
    /* A boundary without a shape holds nothing, but it is still an area of the answer: a
     * row with n 0 (an area missing from the rows would read as a wrong count), with no
     * box, so that nothing is ever located in it. */
    struct geom_blob_header header = {
        .min_x = INFINITY, .min_y = INFINITY, .max_x = -INFINITY, .max_y = -INFINITY};
    GEOSGeometry *g = NULL;
    int rc = row->geom != NULL ? stats_geom_header(row->geom, row->geom_len, &header, err) : ERR_OK;
    if (rc == ERR_OK && row->geom != NULL) {
        rc = stats_geom_from_blob(h, row->geom, row->geom_len, &g, err);
    }
    double area = 0;
    if (rc == ERR_OK && g != NULL) {
        rc = stats_area_m2(h, g, &area, err);
    }
    if (rc != ERR_OK) {
        GEOSGeom_destroy_r(h, g);
        return err_prefix(err, "boundary %" PRId64, row->fid);
    }
    size_t i = r->n_areas++;
    r->areas = xreallocarray(r->areas, r->n_areas, sizeof(*r->areas));
    b->items = xreallocarray(b->items, r->n_areas, sizeof(*b->items));
    struct stats_area *a = &r->areas[i];
    *a = (struct stats_area){.fid = row->fid, .area_m2 = area};
    a->name = name_at >= 0 ? value_text(&row->values[name_at]) : NULL;
    a->code = code_at >= 0 ? value_text(&row->values[code_at]) : NULL;
    if (row->geom != NULL) {
        a->geom = xmalloc(row->geom_len);
        memcpy(a->geom, row->geom, row->geom_len);
        a->geom_len = row->geom_len;
    }
    struct stats_boundary *sb = &b->items[i];
    *sb = (struct stats_boundary){.geom = g,
                                  .prepared = g != NULL ? GEOSPrepare_r(h, g) : NULL,
                                  .box = {header.min_x, header.min_y, header.max_x, header.max_y}};
    b->n = r->n_areas;
    b->n_shaped += g != NULL ? 1 : 0;
    return g == NULL || sb->prepared != NULL ? ERR_OK : stats_geos_error("prepare a boundary", err);
}

static void union_box(struct stats_boundaries *b)
{
    bool is_first = true;
    for (size_t i = 0; i < b->n; i++) {
        const double *box = b->items[i].box;
        if (b->items[i].geom == NULL) {
            continue; /* no shape, no box */
        }
        if (is_first) {
            memcpy(b->box, box, sizeof(b->box));
            is_first = false;
            continue;
        }
        b->box[0] = box[0] < b->box[0] ? box[0] : b->box[0];
        b->box[1] = box[1] < b->box[1] ? box[1] : b->box[1];
        b->box[2] = box[2] > b->box[2] ? box[2] : b->box[2];
        b->box[3] = box[3] > b->box[3] ? box[3] : b->box[3];
    }
}

static int build_tree(struct stats_boundaries *b, struct err *err)
{
    b->tree = GEOSSTRtree_create_r(b->h, 10);
    if (b->tree == NULL) {
        return stats_geos_error("create an index", err);
    }
    for (size_t i = 0; i < b->n; i++) {
        if (b->items[i].geom != NULL) {
            GEOSSTRtree_insert_r(b->h, b->tree, b->items[i].geom, (void *)(uintptr_t)(i + 1));
        }
    }
    union_box(b);
    return ERR_OK;
}

static int read_boundaries(struct store_read *rd, const struct stats_plan *plan,
                           struct stats_result *r, struct stats_boundaries *b, struct err *err)
{
    size_t props[2];
    size_t n_props = 0;
    long name_at = -1, code_at = -1;
    if (plan->by_name >= 0) {
        name_at = (long)n_props;
        props[n_props++] = (size_t)plan->by_name;
    }
    if (plan->join_by >= 0) {
        code_at = (long)n_props;
        props[n_props++] = (size_t)plan->join_by;
    }
    struct store_query q = {.layer = plan->by,
                            .filter = plan->by_filter,
                            .properties = props,
                            .n_properties = n_props,
                            .limit = STORE_LIMIT_ALL,
                            .out_srid = 4326};
    struct store_cursor *cur = NULL;
    int rc = store_features_open(rd, &q, &cur, err);
    const struct store_feature *row = NULL;
    while (rc == ERR_OK && (rc = store_cursor_next(cur, &row, err)) == 1) {
        rc = add_boundary(b->h, row, name_at, code_at, r, b, err);
        if (rc == ERR_DB) {
            err_prefix(err, "layer '%s'", plan->by->id);
        }
    }
    store_cursor_close(cur);
    return rc < 0 ? rc : ERR_OK;
}

int stats_areas_load(struct store_read *rd, const struct stats_plan *plan, GEOSContextHandle_t h,
                     struct stats_result *r, struct stats_boundaries *b, struct err *err)
{
    memset(b, 0, sizeof(*b));
    b->h = h;
    if (plan->by == NULL) {
        r->areas = xcalloc(1, sizeof(*r->areas));
        r->areas[0].fid = -1;
        r->n_areas = 1;
        return ERR_OK;
    }
    int rc = read_boundaries(rd, plan, r, b, err);
    if (rc == ERR_OK && b->n_shaped == 0) {
        rc = err_set(err, ERR_INVALID, "by: no boundary of '%s' matches%s", plan->by->id,
                     plan->by_filter != NULL ? " by-filter" : " (the layer has no shapes)");
    }
    return rc == ERR_OK ? build_tree(b, err) : rc;
}

void stats_boundaries_clear(struct stats_boundaries *b)
{
    if (b->tree != NULL) {
        GEOSSTRtree_destroy_r(b->h, b->tree);
    }
    for (size_t i = 0; i < b->n; i++) {
        if (b->items[i].geom != NULL) {
            GEOSPreparedGeom_destroy_r(b->h, b->items[i].prepared);
            GEOSGeom_destroy_r(b->h, b->items[i].geom);
        }
    }
    free(b->items);
    memset(b, 0, sizeof(*b));
}
