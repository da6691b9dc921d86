/* stats_output.c - the rows the output formats share (stats_output_int.h). */
#include "stats/stats_output_int.h"

#include <math.h>
#include <string.h>

#include "stats/stats_output.h"

/* Why a total has no population: figures of different areas are not summed over gaps. */
static const char total_population_note[] =
    "not every area has a population figure, so the areas' figures are not summed";

void stats_sink_init(struct stats_sink *s, struct buf *out, struct err *err)
{
    s->out = out;
    s->err = err;
    s->rc = ERR_OK;
    s->start = out->len;
}

void stats_sink_append(struct stats_sink *s, const char *data, size_t len)
{
    if (s->rc == ERR_OK) {
        s->rc = buf_append(s->out, data, len, s->err);
    }
}

void stats_sink_str(struct stats_sink *s, const char *text)
{
    stats_sink_append(s, text, strlen(text));
}

int stats_sink_finish(struct stats_sink *s)
{
    if (s->rc != ERR_OK) {
        s->out->len = s->start;
        if (s->out->data != NULL) {
            s->out->data[s->start] = '\0';
        }
    }
    return s->rc;
}

const struct stats_cell *stats_output_total(const struct stats_result *r)
{
    return stats_result_cell(r, STATS_TOTAL, -1, -1);
}

static void set_total_columns(const struct stats_result *r, struct stats_row *row)
{
    double m2 = 0;
    double population = 0;
    for (size_t i = 0; i < r->n_areas; i++) {
        m2 += r->areas[i].area_m2 > 0 ? r->areas[i].area_m2 : 0;
        population += r->areas[i].has_population ? r->areas[i].population : 0;
    }
    row->has_area_km2 = m2 > 0;
    row->area_km2 = m2 / 1e6;
    if (r->has_population) {
        row->has_population = r->n_areas_without_population == 0;
        row->population = row->has_population ? population : 0;
        row->population_note = row->has_population ? NULL : total_population_note;
    }
}

static void set_area_columns(const struct stats_area *a, struct stats_row *row)
{
    row->area = a;
    row->has_area_km2 = a->area_m2 > 0;
    row->area_km2 = a->area_m2 / 1e6;
    row->has_population = a->has_population;
    row->population = a->has_population ? a->population : 0;
    row->population_year = a->population_year;
    row->population_source = a->population_source;
    row->population_note = a->population_note;
}

void stats_output_row(const struct stats_result *r, const struct stats_cell *cell,
                      struct stats_row *row)
{
    memset(row, 0, sizeof(*row));
    row->cell = *cell;
    row->is_total = cell->area == STATS_TOTAL;
    if (cell->group >= 0 && (size_t)cell->group < r->n_groups) {
        row->group = r->groups[cell->group];
    }
    if (cell->period >= 0 && (size_t)cell->period < r->n_periods) {
        row->period = r->periods[cell->period];
    }
    if (row->is_total) {
        set_total_columns(r, row);
    } else if (cell->area < r->n_areas) {
        set_area_columns(&r->areas[cell->area], row);
    }
}

/* A zero of an additive metric still has its per-km², per-capita and share values (0)
 * wherever the cells of other areas have them. */
static void make_up_zero(const struct stats_result *r, const struct stats_area *a,
                         struct stats_cell *c)
{
    const struct stats_cell *total = stats_output_total(r);
    c->has_value = true;
    c->value = 0;
    c->has_per_km2 = a->area_m2 > 0;
    c->has_per_capita = a->has_population && a->population > 0;
    if (r->has_population && !c->has_per_capita) {
        c->per_capita_note = "no population figure for this area";
    }
    c->has_share = total != NULL && total->has_share;
}

void stats_output_area_row(const struct stats_result *r, size_t area, struct stats_row *row)
{
    const struct stats_cell *cell = stats_result_cell(r, area, -1, -1);
    if (cell != NULL) {
        stats_output_row(r, cell, row);
        return;
    }
    struct stats_cell made = {.area = area, .group = -1, .period = -1};
    if (stats_metric_is_additive(r->spec.metric)) {
        make_up_zero(r, &r->areas[area], &made);
    }
    stats_output_row(r, &made, row);
}

bool stats_output_value(const struct stats_result *r, size_t area, long group, long period,
                        double *value)
{
    const struct stats_cell *cell = stats_result_cell(r, area, group, period);
    if (cell != NULL) {
        *value = cell->value;
        return cell->has_value;
    }
    *value = 0;
    return stats_metric_is_additive(r->spec.metric);
}

size_t stats_output_number(double v, char *out)
{
    if (!isfinite(v)) {
        out[0] = '\0';
        return 0;
    }
    return number_text_fixed(v, STATS_OUTPUT_DECIMALS, out);
}

const char *stats_output_note(const struct stats_row *row)
{
    if (row->population_note != NULL) {
        return row->population_note;
    }
    return row->cell.per_capita_note;
}

const char *stats_output_unit(const struct stats_result *r)
{
    if (r->spec.metric == STATS_COUNT) {
        return "features";
    }
    const char *name = stats_unit_name(r->spec.unit);
    return name != NULL && name[0] != '\0' ? name : NULL;
}
