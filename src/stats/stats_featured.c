/* stats_featured.c - a featured statistic as the engine's parameters, spec and heading. */
#include "stats/stats_featured.h"

#include <stdlib.h>

#include "base/alloc.h"

struct stats_param *stats_featured_params(const struct store_featured *f)
{
    struct stats_param *params = xcalloc(f->n_params > 0 ? f->n_params : 1, sizeof(*params));
    for (size_t i = 0; i < f->n_params; i++) {
        params[i] = (struct stats_param){f->params[i].name, f->params[i].value};
    }
    return params;
}

int stats_featured_spec(const struct store_featured *f, struct stats_spec *spec, struct err *err)
{
    struct stats_param *params = stats_featured_params(f);
    int rc = stats_spec_parse(params, f->n_params, spec, err);
    free(params);
    return rc;
}

void stats_featured_heading(const struct store_featured *f, struct stats_heading *h)
{
    *h = (struct stats_heading){.id = f->id,
                                .title_en = f->title_en,
                                .title_th = f->title_th,
                                .question_en = f->question_en,
                                .question_th = f->question_th,
                                .note_en = f->note_en,
                                .note_th = f->note_th};
}
