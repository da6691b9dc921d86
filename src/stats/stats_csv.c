/* stats_csv.c - a statistic as CSV (RFC 4180) for spreadsheets: a header row, one line
 * per row of the result, the total last, and nothing after it (spreadsheets take a
 * trailer for data); what the numbers mean is in the JSON. */
#include "stats/stats_output.h"

#include <string.h>

#include "encode/csv_text.h"
#include "encode/number_text.h"
#include "stats/stats_output_int.h"

/* A CSV writer: separators on top of a sink (whose error is sticky). */
struct cw {
    struct stats_sink sink;
    bool is_line_start;
};

static void cw_raw(struct cw *w, const char *s, size_t len)
{
    stats_sink_append(&w->sink, s, len);
}

static void cw_sep(struct cw *w)
{
    if (!w->is_line_start) {
        cw_raw(w, ",", 1);
    }
    w->is_line_start = false;
}

static void cw_end_line(struct cw *w)
{
    cw_raw(w, "\r\n", 2);
    w->is_line_start = true;
}

/* A text field; NULL is an empty one. */
static void cw_text(struct cw *w, const char *s)
{
    cw_sep(w);
    if (s != NULL && w->sink.rc == ERR_OK) {
        w->sink.rc = csv_text_append_field(w->sink.out, s, strlen(s), w->sink.err);
    }
}

static void cw_int(struct cw *w, int64_t v)
{
    char text[NUMBER_TEXT_INT_CAP];
    cw_sep(w);
    cw_raw(w, text, number_text_int64(v, text));
}

/* A number as the JSON writes it, or an empty field when it is missing. */
static void cw_number(struct cw *w, bool has, double v)
{
    char text[NUMBER_TEXT_FIXED_CAP];
    cw_sep(w);
    if (has) {
        cw_raw(w, text, stats_output_number(v, text));
    }
}

static void write_header(struct cw *w, const struct stats_result *r)
{
    static const char *const area_columns[] = {"area_id",          "area_name",  "area_code",
                                               "area_km2",         "population", "population_year",
                                               "population_source"};
    for (size_t i = 0; i < sizeof(area_columns) / sizeof(area_columns[0]); i++) {
        cw_text(w, area_columns[i]);
    }
    if (r->spec.group != NULL) {
        cw_text(w, "group");
    }
    if (r->spec.time != NULL) {
        cw_text(w, "period");
    }
    cw_text(w, "n");
    cw_text(w, "value");
    if (r->spec.metric == STATS_NEAREST) {
        cw_text(w, "median");
        cw_text(w, "max");
        cw_text(w, "share_beyond");
    }
    if (stats_metric_is_additive(r->spec.metric)) {
        cw_text(w, "per_km2");
        cw_text(w, "per_capita");
        cw_text(w, "share");
    }
    cw_text(w, "note");
    cw_end_line(w);
}

static void write_area_columns(struct cw *w, const struct stats_row *row)
{
    const struct stats_area *a = row->area;
    cw_sep(w);
    if (row->is_total) {
        cw_raw(w, "total", 5);
    } else if (a != NULL && a->fid >= 0) {
        char text[NUMBER_TEXT_INT_CAP];
        cw_raw(w, text, number_text_int64(a->fid, text));
    }
    cw_text(w, a != NULL ? a->name : NULL);
    cw_text(w, a != NULL ? a->code : NULL);
    cw_number(w, row->has_area_km2, row->area_km2);
    cw_number(w, row->has_population, row->population);
    cw_text(w, row->population_year);
    cw_text(w, row->population_source);
}

static void write_row(struct cw *w, const struct stats_result *r, const struct stats_cell *cell)
{
    struct stats_row row;
    stats_output_row(r, cell, &row);
    const struct stats_cell *c = &row.cell;
    write_area_columns(w, &row);
    if (r->spec.group != NULL) {
        cw_text(w, row.group);
    }
    if (r->spec.time != NULL) {
        cw_text(w, row.period);
    }
    cw_int(w, c->n);
    cw_number(w, c->has_value, c->value);
    if (r->spec.metric == STATS_NEAREST) {
        cw_number(w, c->has_value, c->median);
        cw_number(w, c->has_value, c->max);
        cw_number(w, c->has_value && r->spec.has_beyond, c->share_beyond);
    }
    if (stats_metric_is_additive(r->spec.metric)) {
        cw_number(w, c->has_per_km2, c->per_km2);
        cw_number(w, c->has_per_capita, c->per_capita);
        cw_number(w, c->has_share, c->share);
    }
    cw_text(w, stats_output_note(&row));
    cw_end_line(w);
}

int stats_write_csv(const struct stats_result *r, const struct stats_output *o, struct buf *out,
                    struct err *err)
{
    (void)o; /* column names stay English: scripts read them */
    struct cw w = {.is_line_start = true};
    stats_sink_init(&w.sink, out, err);
    const struct stats_cell *total = stats_output_total(r);
    write_header(&w, r);
    for (size_t i = 0; i < r->n_cells; i++) {
        if (&r->cells[i] != total) {
            write_row(&w, r, &r->cells[i]);
        }
    }
    if (total != NULL) {
        write_row(&w, r, total);
    }
    return stats_sink_finish(&w.sink);
}
