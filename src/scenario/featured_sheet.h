/* featured_sheet.h - a statistic (a featured one, or any /stats query) as a render sheet
 * for its share image: the boundary layer it aggregates by drawn as a choropleth (each
 * area filled with the colour of its class, through a style whose fill colour is a match
 * on a field that tells the areas apart; areas without data hatched), the honest headline
 * of stats_summary.h, its title and question, the key of the classes with units, the
 * highest and lowest areas, the areas without data, a caveat, the data years, the source
 * line with licences, the date and the link.
 *
 * Threads: one snapshot, one thread, as the store requires. */
#ifndef CITYATLAS_SCENARIO_FEATURED_SHEET_H
#define CITYATLAS_SCENARIO_FEATURED_SHEET_H

#include <stdbool.h>

#include <jansson.h>

#include "base/err.h"
#include "render/render.h"
#include "stats/stats.h"
#include "stats/stats_summary.h"
#include "store/store_read.h"

#define FEATURED_SHEET_MAX_SOURCES 8
/* Areas named on the "no data" line before "and N more". */
#define FEATURED_SHEET_NO_DATA_NAMES 6

struct featured_sheet {
    struct render_sheet sheet; /* points into the rest */
    struct render_layer layer;
    struct cql2_node *filter;
    struct render_source sources[FEATURED_SHEET_MAX_SOURCES];
    struct stats_summary summary;
    struct render_key_row key[STATS_MAX_CLASSES + 1];
    char *key_labels[STATS_MAX_CLASSES + 1];
    const char *facts[2];
    char *fact_texts[2];
    char *value, *headline, *label;
    char date[32];
};

/* Builds the sheet of result r (borrowed, as are heading and rd: they must outlive the
 * sheet). heading is a featured statistic's (NULL for a /stats query: the title is made
 * from the spec); link is the short link printed in the footer (may be NULL). date is ISO
 * 8601, or NULL for today. ERR_INVALID when the statistic has no boundary layer with
 * geometry to draw. *out is empty on failure; free with featured_sheet_clear. */
int featured_sheet_build(struct store_read *rd, const struct stats_heading *heading,
                         const struct stats_result *r, bool is_thai, const char *date,
                         const char *link, struct featured_sheet *out, struct err *err) WARN_UNUSED;
void featured_sheet_clear(struct featured_sheet *s); /* a cleared or zeroed one is fine */

#endif
