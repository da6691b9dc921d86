/* stats_definition.c - one paragraph that says what a statistic counted, how and in which
 * unit, with the layers' titles: what a page editor quotes under a number so that nobody
 * has to guess what it means. */
#include "stats/stats_int.h"

#include <stdlib.h>

#include "base/alloc.h"
#include "base/buf.h"

static const char *title(const struct store_layer *l)
{
    return l->title_en != NULL ? l->title_en : l->id;
}

static const char *unit_words(enum stats_unit u)
{
    switch (u) {
    case STATS_UNIT_M:
        return "metres";
    case STATS_UNIT_KM:
        return "kilometres";
    case STATS_UNIT_M2:
        return "square metres";
    case STATS_UNIT_KM2:
        return "square kilometres";
    case STATS_UNIT_HA:
        return "hectares";
    default:
        return "";
    }
}

static int write_what(struct buf *b, const struct stats_spec *s, const struct stats_plan *p,
                      struct err *err)
{
    const char *layer = title(p->layer);
    const char *where = p->by != NULL ? " whose point lies in each area" : "";
    switch (s->metric) {
    case STATS_COUNT:
        return buf_printf(b, err, "Number of features of \"%s\"%s", layer, where);
    case STATS_LENGTH:
    case STATS_AREA:
        return buf_printf(b, err,
                          "Total %s in %s of the %s of \"%s\"%s, measured on the WGS84 "
                          "ellipsoid",
                          s->metric == STATS_LENGTH ? "length" : "area", unit_words(s->unit),
                          s->metric == STATS_LENGTH ? "lines" : "polygons", layer,
                          p->by != NULL ? " inside each area (each feature clipped to the area)"
                                        : "");
    case STATS_NEAREST:
        return buf_printf(b, err,
                          "Distance in %s from each feature of \"%s\" to the nearest "
                          "feature of \"%s\"%s (geodesic, WGS84); per area the mean (value), "
                          "median and maximum of the features%s",
                          unit_words(s->unit), layer, title(p->to),
                          s->to_filter != NULL ? " matching the filter below" : "", where);
    default:
        return buf_printf(b, err,
                          "The %s of field \"%s\" over the features of \"%s\"%s "
                          "(features without a value are left out)",
                          stats_metric_name(s->metric), s->field, layer, where);
    }
}

static int write_details(struct buf *b, const struct stats_spec *s, const struct stats_plan *p,
                         struct err *err)
{
    int rc = ERR_OK;
    if (p->by != NULL) {
        rc = buf_printf(b, err, "; the areas are the polygons of \"%s\"%s", title(p->by),
                        s->by_filter != NULL ? " matching by-filter" : "");
    }
    if (rc == ERR_OK && (s->filter != NULL || s->n_props > 0)) {
        rc = buf_printf(b, err, "; only features matching the filter in the query are counted");
    }
    if (rc == ERR_OK && s->to_filter != NULL) {
        rc = buf_printf(b, err, "; the features searched match: %s", s->to_filter);
    }
    if (rc == ERR_OK && s->has_beyond) {
        rc = buf_printf(b, err, "; share_beyond is the share of features farther than %g %s",
                        s->beyond, unit_words(s->unit));
    }
    if (rc == ERR_OK && s->group != NULL) {
        rc = buf_printf(b, err, "; grouped by field \"%s\"", s->group);
    }
    if (rc == ERR_OK && s->time != NULL) {
        rc = buf_printf(b, err, "; by %s of field \"%s\"", stats_interval_name(s->interval),
                        s->time);
    }
    if (rc == ERR_OK && p->by != NULL && s->metric != STATS_LENGTH && s->metric != STATS_AREA) {
        rc = buf_printf(b, err,
                        ". A feature counts in the one area holding its point (a point "
                        "on surface for lines and polygons), the first by id on a shared border");
    }
    if (rc == ERR_OK && s->population != NULL) {
        rc = buf_printf(b, err, ". Per-capita values are per %g residents", s->per);
    }
    return rc == ERR_OK ? buf_append_str(b, ".", err) : rc;
}

char *stats_definition(const struct stats_spec *spec, const struct stats_plan *plan)
{
    struct buf b;
    buf_init(&b, 64 * 1024);
    struct err err = {0};
    if (write_what(&b, spec, plan, &err) == ERR_OK) {
        (void)write_details(&b, spec, plan, &err); /* a cut paragraph is still readable */
    }
    char *text = buf_take(&b);
    return text != NULL ? text : xstrdup("");
}
