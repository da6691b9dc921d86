/* stats_output_int.h - what the writers of stats_output.h (stats_json.c, stats_csv.c,
 * stats_table.c) share: one row of a result as every format shows it, and the spelling
 * of its numbers. Internal to src/stats. */
#ifndef CITYATLAS_STATS_STATS_OUTPUT_INT_H
#define CITYATLAS_STATS_STATS_OUTPUT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"
#include "encode/number_text.h"
#include "stats/stats.h"

/* Appending with a sticky error: after the first failure every append does nothing, so a
 * writer is a flat list of appends checked once at the end. */
struct stats_sink {
    struct buf *out;
    struct err *err;
    int rc;       /* ERR_OK or the first failure */
    size_t start; /* out->len when the document began */
};

void stats_sink_init(struct stats_sink *s, struct buf *out, struct err *err);
void stats_sink_append(struct stats_sink *s, const char *data, size_t len);
void stats_sink_str(struct stats_sink *s, const char *text);
/* Returns the first failure, after cutting out back to where the document began (so out
 * holds a whole document or what it held before), or ERR_OK. */
int stats_sink_finish(struct stats_sink *s);

/* One row: a cell with the area's columns (size, population) next to it. Strings are
 * borrowed from the result and live as long as it does. */
struct stats_row {
    bool is_total;                 /* the whole (of a group or period, or of everything) */
    const struct stats_area *area; /* NULL for totals */
    const char *group, *period;    /* NULL: all groups, all periods */
    struct stats_cell cell;        /* a copy; made up for an area that has no cell */
    bool has_area_km2;
    double area_km2;
    bool has_population;
    double population;
    const char *population_year, *population_source, *population_note;
};

/* The row of a cell of r. */
void stats_output_row(const struct stats_result *r, const struct stats_cell *cell,
                      struct stats_row *row);

/* The row of area (index into r->areas) over all groups and periods. An area where nothing
 * was counted has no cell: its row says n 0, value 0 for additive metrics (so the per-km²,
 * per-capita and share columns are 0 where their denominators exist) and no value
 * otherwise. */
void stats_output_area_row(const struct stats_result *r, size_t area, struct stats_row *row);

/* The cell of everything (all areas, groups and periods), or NULL. */
const struct stats_cell *stats_output_total(const struct stats_result *r);

/* The value of (area, group, period) as cells give it, with the same made-up zero as
 * stats_output_area_row for a missing cell of an additive metric. False: no value. */
bool stats_output_value(const struct stats_result *r, size_t area, long group, long period,
                        double *value);

/* Writes v with STATS_OUTPUT_DECIMALS decimals (trailing zeros dropped) into out
 * (NUMBER_TEXT_FIXED_CAP bytes) and returns the length; 0 for a value that is not finite,
 * which every format writes as missing. */
size_t stats_output_number(double v, char *out);

/* Why the row has no per-capita value (or no population), as one sentence, or NULL.
 * Borrowed from the result or static. */
const char *stats_output_note(const struct stats_row *row);

/* The unit of the value column in words: "features" for counts, "m", "km2", ... or NULL
 * when values keep the field's own unit. Static. */
const char *stats_output_unit(const struct stats_result *r);

/* The columns of a table of r (the CSV's, the spreadsheet's): a header row of names, then
 * a line per row, the total last, each value through the callbacks (text NULL: empty). */
struct stats_columns {
    void *ctx;
    void (*text)(void *ctx, const char *s);
    void (*integer)(void *ctx, int64_t v);
    void (*number)(void *ctx, bool has, double v);
    void (*end_line)(void *ctx);
};
void stats_columns_walk(const struct stats_result *r, const struct stats_columns *w);

#endif
