/* stats_csv.c - a statistic as CSV (RFC 4180) for spreadsheets: a UTF-8 byte order mark,
 * a header row, one line per row of the result, the total last, and nothing after it
 * (spreadsheets take a trailer for data); what the numbers mean is in the JSON. The
 * columns are walked here once for every table format (stats_columns_walk). */
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

static void walk_header(const struct stats_columns *w, const struct stats_result *r)
{
    static const char *const area_columns[] = {"area_id",          "area_name",  "area_code",
                                               "area_km2",         "population", "population_year",
                                               "population_source"};
    for (size_t i = 0; i < sizeof(area_columns) / sizeof(area_columns[0]); i++) {
        w->text(w->ctx, area_columns[i]);
    }
    if (r->spec.group != NULL) {
        w->text(w->ctx, "group");
    }
    if (r->spec.time != NULL) {
        w->text(w->ctx, "period");
    }
    w->text(w->ctx, "n");
    w->text(w->ctx, "value");
    if (r->spec.metric == STATS_NEAREST) {
        w->text(w->ctx, "median");
        w->text(w->ctx, "max");
        w->text(w->ctx, "share_beyond");
    }
    if (stats_metric_is_additive(r->spec.metric)) {
        w->text(w->ctx, "per_km2");
        w->text(w->ctx, "per_capita");
        w->text(w->ctx, "share");
    }
    w->text(w->ctx, "note");
    w->end_line(w->ctx);
}

static void walk_area_columns(const struct stats_columns *w, const struct stats_row *row)
{
    const struct stats_area *a = row->area;
    if (row->is_total) {
        w->text(w->ctx, "total");
    } else if (a != NULL && a->fid >= 0) {
        w->integer(w->ctx, a->fid);
    } else {
        w->text(w->ctx, NULL);
    }
    w->text(w->ctx, a != NULL ? a->name : NULL);
    w->text(w->ctx, a != NULL ? a->code : NULL);
    w->number(w->ctx, row->has_area_km2, row->area_km2);
    w->number(w->ctx, row->has_population, row->population);
    w->text(w->ctx, row->population_year);
    w->text(w->ctx, row->population_source);
}

static void walk_row(const struct stats_columns *w, const struct stats_result *r,
                     const struct stats_cell *cell)
{
    struct stats_row row;
    stats_output_row(r, cell, &row);
    const struct stats_cell *c = &row.cell;
    walk_area_columns(w, &row);
    if (r->spec.group != NULL) {
        w->text(w->ctx, row.group);
    }
    if (r->spec.time != NULL) {
        w->text(w->ctx, row.period);
    }
    w->integer(w->ctx, c->n);
    w->number(w->ctx, c->has_value, c->value);
    if (r->spec.metric == STATS_NEAREST) {
        w->number(w->ctx, c->has_value, c->median);
        w->number(w->ctx, c->has_value, c->max);
        w->number(w->ctx, c->has_value && r->spec.has_beyond, c->share_beyond);
    }
    if (stats_metric_is_additive(r->spec.metric)) {
        w->number(w->ctx, c->has_per_km2, c->per_km2);
        w->number(w->ctx, c->has_per_capita, c->per_capita);
        w->number(w->ctx, c->has_share, c->share);
    }
    w->text(w->ctx, stats_output_note(&row));
    w->end_line(w->ctx);
}

void stats_columns_walk(const struct stats_result *r, const struct stats_columns *w)
{
    const struct stats_cell *total = stats_output_total(r);
    walk_header(w, r);
    for (size_t i = 0; i < r->n_cells; i++) {
        if (&r->cells[i] != total) {
            walk_row(w, r, &r->cells[i]);
        }
    }
    if (total != NULL) {
        walk_row(w, r, total);
    }
}

/* The CSV writer's callbacks */

static void csv_text(void *ctx, const char *s)
{
    cw_text(ctx, s);
}

static void csv_int(void *ctx, int64_t v)
{
    cw_int(ctx, v);
}

static void csv_number(void *ctx, bool has, double v)
{
    cw_number(ctx, has, v);
}

static void csv_end_line(void *ctx)
{
    cw_end_line(ctx);
}

int stats_write_csv(const struct stats_result *r, const struct stats_output *o, struct buf *out,
                    struct err *err)
{
    (void)o; /* column names stay English: scripts read them */
    struct cw w = {.is_line_start = true};
    stats_sink_init(&w.sink, out, err);
    stats_sink_str(&w.sink, CSV_TEXT_BOM);
    struct stats_columns columns = {&w, csv_text, csv_int, csv_number, csv_end_line};
    stats_columns_walk(r, &columns);
    return stats_sink_finish(&w.sink);
}
