/* stats_table.c - a statistic as an aligned text table for terminals (`cityatlas stats`):
 * a title, the rows, the total, then what the numbers are and where they come from.
 * Columns are padded by display width in the current LC_CTYPE locale (the CLI sets a
 * UTF-8 one): Thai tone marks and above/below vowels take no column of their own. */
#define _XOPEN_SOURCE 700 /* wcwidth */
#include "stats/stats_output.h"

#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "base/alloc.h"
#include "encode/number_text.h"
#include "stats/stats_output_int.h"

/* name, group, period, n, value, then median, max and share beyond (nearest) or per km²,
 * per N residents (with a population) and share (additive metrics) */
#define TABLE_MAX_COLS 8
#define TABLE_GAP "  "
#define TABLE_MISSING "-"

struct table {
    size_t n_cols, n_rows, cap_rows;
    char **text; /* n_rows * n_cols cells, row by row */
    bool is_number[TABLE_MAX_COLS];
    size_t width[TABLE_MAX_COLS];
};

/* Columns s takes on a terminal. Bytes that are not a character in this locale take one
 * column each, so a table in the "C" locale is misaligned but whole. */
static size_t display_width(const char *s)
{
    mbstate_t state;
    memset(&state, 0, sizeof(state));
    size_t width = 0;
    size_t len = strlen(s);
    while (len > 0) {
        wchar_t wc = 0;
        size_t k = mbrtowc(&wc, s, len, &state);
        if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
            memset(&state, 0, sizeof(state));
            width++;
            k = 1;
        } else {
            int w = wcwidth(wc);
            width += w > 0 ? (size_t)w : 0;
        }
        s += k;
        len -= k;
    }
    return width;
}

/* A copy of s (NULL: "") with control characters as spaces, so a name holding a line
 * break cannot break the table. */
static char *cell_text(const char *s)
{
    char *copy = xstrdup(s != NULL ? s : "");
    for (char *p = copy; *p != '\0'; p++) {
        if ((unsigned char)*p < 0x20 || *p == 0x7f) {
            *p = ' ';
        }
    }
    return copy;
}

static char **table_add_row(struct table *t)
{
    if (t->n_rows == t->cap_rows) {
        t->cap_rows = t->cap_rows == 0 ? 16 : t->cap_rows * 2;
        t->text = xreallocarray(t->text, t->cap_rows, t->n_cols * sizeof(char *));
    }
    char **row = &t->text[t->n_rows * t->n_cols];
    memset(row, 0, t->n_cols * sizeof(char *));
    t->n_rows++;
    return row;
}

static void table_free(struct table *t)
{
    for (size_t i = 0; i < t->n_rows * t->n_cols; i++) {
        free(t->text[i]);
    }
    free(t->text);
}

static char *number_cell(bool has, double v)
{
    char text[NUMBER_TEXT_FIXED_CAP];
    size_t len = has ? stats_output_number(v, text) : 0;
    return xstrdup(len > 0 ? text : TABLE_MISSING);
}

static bool has_group(const struct stats_result *r)
{
    return r->spec.group != NULL;
}

static bool has_period(const struct stats_result *r)
{
    return r->spec.time != NULL;
}

static bool has_beyond(const struct stats_result *r)
{
    return r->spec.metric == STATS_NEAREST && r->spec.has_beyond;
}

static char *value_header(const struct stats_result *r)
{
    const char *metric = stats_metric_name(r->spec.metric);
    const char *unit = stats_output_unit(r);
    if (r->spec.field != NULL) {
        return xasprintf("%s of %s", metric, r->spec.field);
    }
    if (r->spec.metric == STATS_NEAREST) {
        return xasprintf("mean distance (%s)", unit != NULL ? unit : "");
    }
    return r->spec.metric == STATS_COUNT || unit == NULL ? xstrdup(metric)
                                                         : xasprintf("%s (%s)", metric, unit);
}

static void add_header(struct table *t, const struct stats_result *r)
{
    char **row = table_add_row(t);
    size_t c = 0;
    row[c++] = xstrdup("area");
    if (has_group(r)) {
        row[c++] = cell_text(r->spec.group);
    }
    if (has_period(r)) {
        row[c++] = xasprintf("period (%s)", stats_interval_name(r->spec.interval));
    }
    row[c++] = xstrdup("n");
    row[c++] = value_header(r);
    if (r->spec.metric == STATS_NEAREST) {
        row[c++] = xstrdup("median");
        row[c++] = xstrdup("max");
        if (has_beyond(r)) {
            row[c++] = xasprintf("%% beyond %g %s", r->spec.beyond, stats_unit_name(r->spec.unit));
        }
    }
    if (stats_metric_is_additive(r->spec.metric)) {
        char per[NUMBER_TEXT_REAL_CAP];
        number_text_real(r->spec.per, per);
        row[c++] = xstrdup("per km²");
        if (r->has_population) {
            row[c++] = xasprintf("per %s residents", per);
        }
        row[c++] = xstrdup("share %");
    }
}

static char *area_label(const struct stats_output *o, const struct stats_row *row)
{
    const struct stats_area *a = row->area;
    if (row->is_total) {
        return xstrdup(o->is_thai ? "รวม" : "Total");
    }
    if (a == NULL || a->fid < 0) {
        return xstrdup(o->is_thai ? "ทั้งหมด" : "everywhere");
    }
    if (a->name != NULL && a->name[0] != '\0') {
        return cell_text(a->name);
    }
    return a->code != NULL ? cell_text(a->code) : xasprintf("#%lld", (long long)a->fid);
}

static void add_row(struct table *t, const struct stats_result *r, const struct stats_output *o,
                    const struct stats_cell *cell)
{
    struct stats_row sr;
    stats_output_row(r, cell, &sr);
    const struct stats_cell *c = &sr.cell;
    char **row = table_add_row(t);
    size_t k = 0;
    row[k++] = area_label(o, &sr);
    if (has_group(r)) {
        row[k++] = cell_text(sr.group != NULL ? sr.group : (sr.is_total ? "" : "(all)"));
    }
    if (has_period(r)) {
        row[k++] = cell_text(sr.period != NULL ? sr.period : (sr.is_total ? "" : "(all)"));
    }
    row[k++] = xasprintf("%lld", (long long)c->n);
    row[k++] = number_cell(c->has_value, c->value);
    if (r->spec.metric == STATS_NEAREST) {
        row[k++] = number_cell(c->has_value, c->median);
        row[k++] = number_cell(c->has_value, c->max);
        if (has_beyond(r)) {
            row[k++] = number_cell(c->has_value, c->share_beyond * 100);
        }
    }
    if (stats_metric_is_additive(r->spec.metric)) {
        row[k++] = number_cell(c->has_per_km2, c->per_km2);
        if (r->has_population) {
            row[k++] = number_cell(c->has_per_capita, c->per_capita);
        }
        row[k++] = number_cell(c->has_share, c->share * 100);
    }
}

static void table_build(struct table *t, const struct stats_result *r, const struct stats_output *o)
{
    t->n_cols = 3 + has_group(r) + has_period(r);
    if (r->spec.metric == STATS_NEAREST) {
        t->n_cols += 2 + has_beyond(r);
    }
    if (stats_metric_is_additive(r->spec.metric)) {
        t->n_cols += 2 + r->has_population;
    }
    assert(t->n_cols <= TABLE_MAX_COLS);
    for (size_t c = 1 + has_group(r) + has_period(r); c < t->n_cols; c++) {
        t->is_number[c] = true;
    }
    add_header(t, r);
    const struct stats_cell *total = stats_output_total(r);
    for (size_t i = 0; i < r->n_cells; i++) {
        if (&r->cells[i] != total) {
            add_row(t, r, o, &r->cells[i]);
        }
    }
    if (total != NULL) {
        add_row(t, r, o, total);
    }
    for (size_t i = 0; i < t->n_rows * t->n_cols; i++) {
        size_t w = display_width(t->text[i]);
        size_t c = i % t->n_cols;
        t->width[c] = w > t->width[c] ? w : t->width[c];
    }
}

static void pad(struct stats_sink *s, size_t n)
{
    static const char spaces[] = "                                ";
    while (n > 0) {
        size_t k = n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1;
        stats_sink_append(s, spaces, k);
        n -= k;
    }
}

/* One line of cells: numbers right-aligned, text left-aligned, no trailing spaces. */
static void write_cells(struct stats_sink *s, const struct table *t, char *const *row)
{
    for (size_t c = 0; c < t->n_cols; c++) {
        size_t fill = t->width[c] - display_width(row[c]);
        if (c > 0) {
            stats_sink_str(s, TABLE_GAP);
        }
        if (t->is_number[c]) {
            pad(s, fill);
        }
        stats_sink_str(s, row[c]);
        if (!t->is_number[c] && c + 1 < t->n_cols) {
            pad(s, fill);
        }
    }
    stats_sink_str(s, "\n");
}

static void write_rule(struct stats_sink *s, const struct table *t)
{
    size_t len = 0;
    for (size_t c = 0; c < t->n_cols; c++) {
        len += t->width[c] + (c > 0 ? sizeof(TABLE_GAP) - 1 : 0);
    }
    for (size_t i = 0; i < len; i++) {
        stats_sink_append(s, "-", 1);
    }
    stats_sink_str(s, "\n");
}

/* Header, rule, rows, and the total under a second rule. */
static void write_table(struct stats_sink *s, const struct table *t, bool has_total)
{
    size_t n_body = t->n_rows - 1 - (has_total ? 1 : 0);
    write_cells(s, t, &t->text[0]);
    write_rule(s, t);
    for (size_t i = 1; i <= n_body; i++) {
        write_cells(s, t, &t->text[i * t->n_cols]);
    }
    if (has_total) {
        write_rule(s, t);
        write_cells(s, t, &t->text[(t->n_rows - 1) * t->n_cols]);
    }
}

/* Appends text and a line break, and frees text. */
static void write_owned_line(struct stats_sink *s, char *text)
{
    stats_sink_str(s, text);
    stats_sink_str(s, "\n");
    free(text);
}

static void write_sources(struct stats_sink *s, const struct stats_result *r)
{
    for (size_t i = 0; i < r->n_sources; i++) {
        const struct stats_source *src = &r->sources[i];
        write_owned_line(
            s, xasprintf("%-9s%s v%lld imported %s (%s, %s)", i == 0 ? "Sources:" : "", src->id,
                         (long long)src->version, src->imported_at != NULL ? src->imported_at : "?",
                         src->license != NULL ? src->license : "no licence given",
                         src->attribution != NULL ? src->attribution : "no attribution given"));
    }
}

static void write_population_notes(struct stats_sink *s, const struct stats_result *r,
                                   const struct stats_output *o)
{
    if (!r->has_population) {
        return;
    }
    int min = r->population_year_min, max = r->population_year_max;
    char *years = min > 0 && max > min
                      ? xasprintf("; the figures come from years %d to %d", min, max)
                  : min > 0 ? xasprintf("; the figures are from %d", min)
                            : xstrdup("");
    write_owned_line(s, xasprintf("Population: %s%s",
                                  r->population_label != NULL ? r->population_label : "", years));
    free(years);
    for (size_t i = 0; i < r->n_areas; i++) {
        const struct stats_area *a = &r->areas[i];
        if (!a->has_population) {
            struct stats_row row = {.area = a};
            char *name = area_label(o, &row);
            write_owned_line(
                s, xasprintf("  no figure for %s: %s", name,
                             a->population_note != NULL ? a->population_note : "not given"));
            free(name);
        }
    }
}

static bool has_heading_title(const struct stats_output *o)
{
    return o->heading != NULL && (o->heading->title_en != NULL || o->heading->title_th != NULL);
}

static void write_notes(struct stats_sink *s, const struct stats_result *r,
                        const struct stats_output *o)
{
    char seconds[NUMBER_TEXT_FIXED_CAP];
    number_text_fixed(r->seconds, 3, seconds);
    stats_sink_str(s, "\n");
    if (has_heading_title(o)) { /* else the definition is the title already */
        write_owned_line(
            s, xasprintf("Definition: %s", r->definition_en != NULL ? r->definition_en : ""));
    }
    write_sources(s, r);
    write_population_notes(s, r, o);
    if (r->n_unassigned > 0) {
        write_owned_line(s,
                         xasprintf("Not in any area: %lld features", (long long)r->n_unassigned));
    }
    if (r->spec.time != NULL && r->n_undated > 0) {
        write_owned_line(
            s, xasprintf("Without a readable date: %lld features", (long long)r->n_undated));
    }
    write_owned_line(s, xasprintf("Computed %s in %s s; data updated %s",
                                  r->computed_at != NULL ? r->computed_at : "?", seconds,
                                  r->data_updated_at != NULL ? r->data_updated_at : "?"));
}

static void write_title(struct stats_sink *s, const struct stats_result *r,
                        const struct stats_output *o)
{
    const struct stats_heading *h = o->heading;
    const char *title = NULL;
    if (h != NULL) {
        title = o->is_thai && h->title_th != NULL ? h->title_th
                : h->title_en != NULL             ? h->title_en
                                                  : h->title_th;
    }
    char *line = cell_text(title != NULL ? title : r->definition_en);
    write_owned_line(s, line);
    stats_sink_str(s, "\n");
}

int stats_write_table(const struct stats_result *r, const struct stats_output *o, struct buf *out,
                      struct err *err)
{
    struct stats_sink s;
    stats_sink_init(&s, out, err);
    struct table t = {.n_cols = 0};
    table_build(&t, r, o);
    write_title(&s, r, o);
    write_table(&s, &t, stats_output_total(r) != NULL);
    write_notes(&s, r, o);
    table_free(&t);
    return stats_sink_finish(&s);
}
