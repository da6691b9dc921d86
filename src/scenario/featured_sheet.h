/* featured_sheet.h - a featured statistic as a render sheet for its share image: the
 * boundary layer it aggregates by drawn as a choropleth (each area filled with the colour
 * of its class, through a style whose fill colour is a match on a field that tells the
 * areas apart), the headline number (the total, as scenario_stats_headline), its title,
 * question, sources and date.
 *
 * Threads: one snapshot, one thread, as the store requires. */
#ifndef CITYATLAS_SCENARIO_FEATURED_SHEET_H
#define CITYATLAS_SCENARIO_FEATURED_SHEET_H

#include <stdbool.h>

#include <jansson.h>

#include "base/err.h"
#include "render/render.h"
#include "stats/stats.h"
#include "store/store_read.h"

#define FEATURED_SHEET_MAX_SOURCES 8

struct featured_sheet {
    struct render_sheet sheet; /* points into the rest */
    struct render_layer layer;
    struct cql2_node *filter;
    struct render_source sources[FEATURED_SHEET_MAX_SOURCES];
    char *value, *unit, *headline, *label;
    char date[32];
};

/* Builds the sheet of f from its result r (both borrowed: they and rd must outlive the
 * sheet). date is ISO 8601, or NULL for today. ERR_INVALID when the statistic has no
 * boundary layer with geometry to draw. *out is empty on failure; free with
 * featured_sheet_clear. */
int featured_sheet_build(struct store_read *rd, const struct store_featured *f,
                         const struct stats_result *r, bool is_thai, const char *date,
                         struct featured_sheet *out, struct err *err) WARN_UNUSED;
void featured_sheet_clear(struct featured_sheet *s); /* a cleared or zeroed one is fine */

#endif
