/* stats_featured.h - a featured statistic (as a catalog import stored it, store_featured)
 * turned into what the statistics engine and its outputs take: its parameters as name=value
 * pairs, its parsed spec, its heading. One conversion for the API, the share pages and
 * images, and the scenario sheets. */
#ifndef CITYATLAS_STATS_STATS_FEATURED_H
#define CITYATLAS_STATS_STATS_FEATURED_H

#include "base/err.h"
#include "stats/stats.h"
#include "stats/stats_output.h"
#include "store/store_read.h"

/* f's parameters as f->n_params name=value pairs, the strings borrowed from f. Never NULL;
 * free the array with free(). */
struct stats_param *stats_featured_params(const struct store_featured *f);

/* f's parameters parsed as /stats parses a query (stats_spec_parse): ERR_INVALID naming
 * the first bad one. Clear *spec with stats_spec_clear. */
int stats_featured_spec(const struct store_featured *f, struct stats_spec *spec,
                        struct err *err) WARN_UNUSED;

/* f's title, question and note as a stats_heading (borrowed from f). */
void stats_featured_heading(const struct store_featured *f, struct stats_heading *h);

#endif
