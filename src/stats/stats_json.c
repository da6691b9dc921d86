/* stats_json.c - a statistic as one JSON document (values with their definitions, sources
 * and freshness) and as a GeoJSON FeatureCollection of the boundaries for a choropleth.
 * Both share the members that say what the numbers are; the document layout is in
 * stats_output.h's contract and the task that introduced it (issue 4). */
#include "stats/stats_output.h"

#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "encode/geom_text.h"
#include "encode/json_text.h"
#include "encode/number_text.h"
#include "stats/stats_output_int.h"
#include "stats/stats_summary.h"

/* Deepest nesting written: document, feature, properties, groups. */
#define JW_MAX_DEPTH 8
/* Decimals of the boundaries' coordinates: 6 decimals of a degree are about 0.1 m. */
#define STATS_GEOJSON_PRECISION 6

/* A JSON writer: commas and nesting on top of a sink (whose error is sticky). */
struct jw {
    struct stats_sink sink;
    int depth;
    bool has_items[JW_MAX_DEPTH]; /* per open object or array: a comma goes before the next */
    bool is_after_key;
};

static void jw_raw(struct jw *w, const char *s, size_t len)
{
    stats_sink_append(&w->sink, s, len);
}

/* Before any value or key: the comma that separates it from the previous item. */
static void jw_sep(struct jw *w)
{
    if (w->is_after_key) {
        w->is_after_key = false;
        return;
    }
    if (w->depth > 0) {
        if (w->has_items[w->depth - 1]) {
            jw_raw(w, ",", 1);
        }
        w->has_items[w->depth - 1] = true;
    }
}

static void jw_open(struct jw *w, char bracket)
{
    jw_sep(w);
    jw_raw(w, &bracket, 1);
    assert(w->depth < JW_MAX_DEPTH);
    w->has_items[w->depth++] = false;
}

static void jw_close(struct jw *w, char bracket)
{
    assert(w->depth > 0);
    w->depth--;
    jw_raw(w, &bracket, 1);
}

static void jw_string(struct jw *w, const char *s)
{
    jw_sep(w);
    if (s == NULL) {
        jw_raw(w, "null", 4);
    } else if (w->sink.rc == ERR_OK) {
        w->sink.rc = json_text_append_string(w->sink.out, s, strlen(s), w->sink.err);
    }
}

static void jw_key(struct jw *w, const char *key)
{
    jw_string(w, key);
    jw_raw(w, ":", 1);
    w->is_after_key = true;
}

static void jw_null(struct jw *w)
{
    jw_sep(w);
    jw_raw(w, "null", 4);
}

static void jw_int(struct jw *w, int64_t v)
{
    char text[NUMBER_TEXT_INT_CAP];
    jw_sep(w);
    jw_raw(w, text, number_text_int64(v, text));
}

/* A statistic's number (STATS_OUTPUT_DECIMALS), or null when it is missing. */
static void jw_number(struct jw *w, bool has, double v)
{
    char text[NUMBER_TEXT_FIXED_CAP];
    size_t len = has ? stats_output_number(v, text) : 0;
    jw_sep(w);
    if (len == 0) {
        jw_raw(w, "null", 4);
    } else {
        jw_raw(w, text, len);
    }
}

static void jw_verbatim(struct jw *w, const char *json)
{
    jw_sep(w);
    jw_raw(w, json, strlen(json));
}

static void member_string(struct jw *w, const char *key, const char *s)
{
    jw_key(w, key);
    jw_string(w, s);
}

static void member_int(struct jw *w, const char *key, int64_t v)
{
    jw_key(w, key);
    jw_int(w, v);
}

static void member_number(struct jw *w, const char *key, bool has, double v)
{
    jw_key(w, key);
    jw_number(w, has, v);
}

/* {"en": ..., "th": ...}, or nothing when both are missing. */
static void member_bilingual(struct jw *w, const char *key, const char *en, const char *th)
{
    if (en == NULL && th == NULL) {
        return;
    }
    jw_key(w, key);
    jw_open(w, '{');
    member_string(w, "en", en);
    member_string(w, "th", th);
    jw_close(w, '}');
}

/* {"en": ..., "th": ...} as a value (after a key or in an array). */
static void member_bilingual_object(struct jw *w, const char *en, const char *th)
{
    jw_open(w, '{');
    member_string(w, "en", en);
    member_string(w, "th", th);
    jw_close(w, '}');
}

/* A bilingual text member, null when there is none. */
static void member_text(struct jw *w, const char *key, const struct stats_text *t)
{
    jw_key(w, key);
    t->en != NULL || t->th != NULL ? member_bilingual_object(w, t->en, t->th) : jw_null(w);
}

/* One language where a single string is wanted: the chosen one, else the other. */
static void member_chosen(struct jw *w, const char *key, bool is_thai, const char *en,
                          const char *th)
{
    const char *s = is_thai && th != NULL ? th : en != NULL ? en : th;
    if (s != NULL) {
        member_string(w, key, s);
    }
}

static void write_heading(struct jw *w, const struct stats_output *o, bool is_bilingual)
{
    const struct stats_heading *h = o->heading;
    if (h == NULL) {
        return;
    }
    if (is_bilingual) {
        if (h->id != NULL) {
            member_string(w, "id", h->id);
        }
        member_bilingual(w, "title", h->title_en, h->title_th);
        member_bilingual(w, "question", h->question_en, h->question_th);
        member_bilingual(w, "note", h->note_en, h->note_th);
        return;
    }
    member_chosen(w, "title", o->is_thai, h->title_en, h->title_th);
    member_chosen(w, "question", o->is_thai, h->question_en, h->question_th);
    member_chosen(w, "note", o->is_thai, h->note_en, h->note_th);
}

static void write_definition(struct jw *w, const struct stats_result *r)
{
    const char *unit = stats_output_unit(r);
    const char *what = unit != NULL ? unit : r->spec.field != NULL ? r->spec.field : "value";
    char text[512];
    jw_key(w, "definition");
    jw_open(w, '{');
    member_string(w, "metric", stats_metric_name(r->spec.metric));
    member_string(w, "unit", unit);
    member_bilingual(w, "text", r->definition_en, r->definition_th);
    if (stats_metric_is_additive(r->spec.metric)) {
        snprintf(text, sizeof(text), "%s per km² of the boundary's geodesic area", what);
        member_string(w, "per_km2", text);
        if (r->has_population) {
            char per[NUMBER_TEXT_REAL_CAP];
            number_text_real(r->spec.per, per);
            snprintf(text, sizeof(text), "%s per %s residents", what, per);
            member_string(w, "per_capita", text);
        }
        member_string(w, "share", "the area's share of the total");
    }
    jw_close(w, '}');
}

static void write_query(struct jw *w, const struct stats_result *r)
{
    struct stats_param *params = NULL;
    size_t n = stats_spec_params(&r->spec, &params);
    jw_key(w, "query");
    jw_open(w, '{');
    for (size_t i = 0; i < n; i++) {
        member_string(w, params[i].name, params[i].value);
    }
    jw_close(w, '}');
    stats_params_free(params, n);
}

static void write_sources(struct jw *w, const struct stats_result *r)
{
    jw_key(w, "sources");
    jw_open(w, '[');
    for (size_t i = 0; i < r->n_sources; i++) {
        const struct stats_source *s = &r->sources[i];
        jw_open(w, '{');
        member_string(w, "role", s->role);
        member_string(w, "id", s->id);
        jw_key(w, "title");
        jw_open(w, '{');
        member_string(w, "en", s->title_en);
        member_string(w, "th", s->title_th);
        jw_close(w, '}');
        member_int(w, "version", s->version);
        member_string(w, "imported_at", s->imported_at);
        member_int(w, "feature_count", s->feature_count);
        member_string(w, "license", s->license);
        member_string(w, "attribution", s->attribution);
        member_string(w, "source", s->source);
        member_string(w, "source_url", s->source_url);
        jw_close(w, '}');
    }
    jw_close(w, ']');
}

/* How many different years the areas' figures come from. */
static size_t count_population_years(const struct stats_result *r)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n_areas; i++) {
        const char *year = r->areas[i].population_year;
        bool is_new = r->areas[i].has_population && year != NULL;
        for (size_t j = 0; is_new && j < i; j++) {
            const char *other = r->areas[j].population_year;
            is_new = !(r->areas[j].has_population && other != NULL && strcmp(other, year) == 0);
        }
        n += is_new;
    }
    return n;
}

static void write_population(struct jw *w, const struct stats_result *r)
{
    jw_key(w, "population");
    if (!r->has_population) {
        jw_null(w);
        return;
    }
    int min = r->population_year_min, max = r->population_year_max;
    jw_open(w, '{');
    member_string(w, "label", r->population_label);
    jw_key(w, "year_min");
    min > 0 ? jw_int(w, min) : jw_null(w);
    jw_key(w, "year_max");
    max > 0 ? jw_int(w, max) : jw_null(w);
    jw_key(w, "note");
    if (min > 0 && max > 0 && min != max) {
        char note[160];
        snprintf(note, sizeof(note), "the figures come from %zu different years (%d to %d)",
                 count_population_years(r), min, max);
        jw_string(w, note);
    } else {
        jw_null(w);
    }
    member_int(w, "areas_without_figure", (int64_t)r->n_areas_without_population);
    jw_close(w, '}');
}

static void write_classes(struct jw *w, const struct stats_result *r)
{
    jw_key(w, "classes");
    if (r->n_classes <= 0) {
        jw_null(w);
        return;
    }
    jw_open(w, '{');
    member_string(w, "column", stats_column_name(r->classify_column));
    member_string(w, "method", stats_class_method_name(r->spec.class_method));
    jw_key(w, "breaks");
    jw_open(w, '[');
    for (int i = 0; i <= r->n_classes; i++) {
        jw_number(w, true, r->breaks[i]);
    }
    jw_close(w, ']');
    jw_key(w, "colors");
    jw_open(w, '[');
    for (int i = 0; i < r->n_classes; i++) {
        jw_string(w, r->colors[i]);
    }
    jw_close(w, ']');
    member_string(w, "ramp", stats_ramp_default());
    char *unit_en = stats_column_unit(r, r->classify_column, false);
    char *unit_th = stats_column_unit(r, r->classify_column, true);
    jw_key(w, "unit");
    unit_en != NULL ? member_bilingual_object(w, unit_en, unit_th) : jw_null(w);
    free(unit_en);
    free(unit_th);
    jw_key(w, "labels");
    jw_open(w, '[');
    for (int i = 0; i < r->n_classes; i++) {
        char *en = stats_class_label(r, i, false), *th = stats_class_label(r, i, true);
        member_bilingual_object(w, en, th);
        free(en);
        free(th);
    }
    jw_close(w, ']');
    jw_close(w, '}');
}

static void write_links(struct jw *w, const struct stats_output *o)
{
    if (o->links_json != NULL) {
        jw_key(w, "links");
        jw_verbatim(w, o->links_json);
    }
}

static void write_units(struct jw *w, const struct stats_result *r)
{
    static const enum stats_column columns[] = {STATS_COL_VALUE, STATS_COL_PER_KM2,
                                                STATS_COL_PER_CAPITA, STATS_COL_SHARE};
    jw_key(w, "units");
    jw_open(w, '{');
    for (size_t i = 0; i < sizeof(columns) / sizeof(columns[0]); i++) {
        struct stats_text t = {stats_column_unit(r, columns[i], false),
                               stats_column_unit(r, columns[i], true)};
        if (t.en != NULL || columns[i] == STATS_COL_VALUE) {
            member_text(w, stats_column_name(columns[i]), &t);
        }
        free(t.en);
        free(t.th);
    }
    jw_close(w, '}');
}

static void write_extreme(struct jw *w, const struct stats_result *r, const char *key,
                          const struct stats_extreme *e)
{
    const struct stats_area *a = &r->areas[e->area];
    jw_key(w, key);
    jw_open(w, '{');
    jw_key(w, "area_id");
    a->fid >= 0 ? jw_int(w, a->fid) : jw_null(w);
    member_string(w, "area_name", a->name);
    member_number(w, "value", true, e->value);
    jw_close(w, '}');
}

/* [min, max], or null when the years are unknown (0). */
static void member_years(struct jw *w, const char *key, int min, int max)
{
    jw_key(w, key);
    if (min <= 0) {
        jw_null(w);
        return;
    }
    jw_open(w, '[');
    jw_int(w, min);
    jw_int(w, max);
    jw_close(w, ']');
}

/* The texts a reader trusts the numbers by (stats_summary.h). */
static void write_summary(struct jw *w, const struct stats_result *r, const struct stats_summary *s)
{
    write_units(w, r);
    jw_key(w, "headline");
    jw_open(w, '{');
    member_string(w, "column", stats_column_name(s->column));
    member_number(w, "value", s->has_value, s->value);
    struct stats_text unit = {NULL, NULL};
    if (s->has_value) {
        unit = (struct stats_text){stats_column_unit(r, s->column, false),
                                   stats_column_unit(r, s->column, true)};
    }
    member_text(w, "unit", &unit);
    free(unit.en);
    free(unit.th);
    member_text(w, "text", &s->headline);
    jw_close(w, '}');
    jw_key(w, "extremes");
    if (s->highest.has) {
        jw_open(w, '{');
        member_string(w, "column", stats_column_name(s->column));
        write_extreme(w, r, "highest", &s->highest);
        write_extreme(w, r, "lowest", &s->lowest);
        jw_close(w, '}');
    } else {
        jw_null(w);
    }
    member_text(w, "caveat", &s->caveat);
    jw_key(w, "years");
    jw_open(w, '{');
    member_years(w, "data", s->data_year_min, s->data_year_max);
    member_years(w, "population", r->population_year_min, r->population_year_max);
    member_text(w, "text", &s->years);
    jw_close(w, '}');
    member_text(w, "credit", &s->credit);
    member_text(w, "caption", &s->caption);
}

/* What the numbers are: shared by both documents. */
static void write_about(struct jw *w, const struct stats_result *r, const struct stats_output *o)
{
    struct stats_summary summary;
    struct stats_summary_context ctx = {o->heading, o->place_en, o->place_th, o->link};
    stats_summary_make(r, &ctx, &summary);
    write_summary(w, r, &summary);
    stats_summary_clear(&summary);
    write_definition(w, r);
    write_query(w, r);
    write_sources(w, r);
    member_string(w, "computed_at", r->computed_at);
    member_string(w, "data_updated_at", r->data_updated_at);
}

static void write_nearest_members(struct jw *w, const struct stats_result *r,
                                  const struct stats_cell *c)
{
    member_number(w, "median", c->has_value, c->median);
    member_number(w, "max", c->has_value, c->max);
    member_number(w, "share_beyond", c->has_value && r->spec.has_beyond, c->share_beyond);
}

static void write_row_members(struct jw *w, const struct stats_result *r,
                              const struct stats_row *row)
{
    const struct stats_cell *c = &row->cell;
    const struct stats_area *a = row->area;
    jw_key(w, "area_id");
    a != NULL && a->fid >= 0 ? jw_int(w, a->fid) : jw_null(w);
    member_string(w, "area_name", a != NULL ? a->name : NULL);
    member_string(w, "area_code", a != NULL ? a->code : NULL);
    member_number(w, "area_km2", row->has_area_km2, row->area_km2);
    member_number(w, "population", row->has_population, row->population);
    member_string(w, "population_year", row->population_year);
    member_string(w, "population_source", row->population_source);
    member_string(w, "population_note", row->population_note);
    if (r->spec.group != NULL) {
        member_string(w, "group", row->group);
    }
    if (r->spec.time != NULL) {
        member_string(w, "period", row->period);
    }
    member_int(w, "n", c->n);
    member_number(w, "value", c->has_value, c->value);
    if (r->spec.metric == STATS_NEAREST) {
        write_nearest_members(w, r, c);
    }
    if (stats_metric_is_additive(r->spec.metric)) {
        member_number(w, "per_km2", c->has_per_km2, c->per_km2);
        member_number(w, "per_capita", c->has_per_capita, c->per_capita);
        member_string(w, "per_capita_note", c->per_capita_note);
        member_number(w, "share", c->has_share, c->share);
    }
    double v = 0;
    const char *why_en = NULL, *why_th = NULL;
    jw_key(w, "no_data_reason");
    if (stats_row_classified(r, row, &v, &why_en, &why_th)) {
        jw_null(w);
    } else {
        member_bilingual_object(w, why_en, why_th);
    }
}

static void write_row(struct jw *w, const struct stats_result *r, const struct stats_cell *cell)
{
    struct stats_row row;
    stats_output_row(r, cell, &row);
    jw_open(w, '{');
    write_row_members(w, r, &row);
    jw_close(w, '}');
}

static void write_labels(struct jw *w, const char *key, char *const *labels, size_t n)
{
    jw_key(w, key);
    jw_open(w, '[');
    for (size_t i = 0; i < n; i++) {
        jw_string(w, labels[i]);
    }
    jw_close(w, ']');
}

static void write_rows(struct jw *w, const struct stats_result *r)
{
    const struct stats_cell *total = stats_output_total(r);
    jw_key(w, "rows");
    jw_open(w, '[');
    for (size_t i = 0; i < r->n_cells; i++) {
        if (&r->cells[i] != total) {
            write_row(w, r, &r->cells[i]);
        }
    }
    jw_close(w, ']');
    jw_key(w, "total");
    if (total != NULL) {
        write_row(w, r, total);
    } else {
        jw_null(w);
    }
}

int stats_write_json(const struct stats_result *r, const struct stats_output *o, struct buf *out,
                     struct err *err)
{
    struct jw w = {.depth = 0};
    stats_sink_init(&w.sink, out, err);
    jw_open(&w, '{');
    write_heading(&w, o, true);
    write_about(&w, r, o);
    jw_key(&w, "seconds");
    jw_sep(&w);
    if (w.sink.rc == ERR_OK) {
        w.sink.rc = json_text_append_real(out, r->seconds, err);
    }
    write_population(&w, r);
    member_int(&w, "unassigned", r->n_unassigned);
    if (r->spec.time != NULL) {
        member_int(&w, "undated", r->n_undated);
    }
    if (r->spec.group != NULL) {
        write_labels(&w, "groups", r->groups, r->n_groups);
    }
    if (r->spec.time != NULL) {
        write_labels(&w, "periods", r->periods, r->n_periods);
    }
    write_rows(&w, r);
    write_classes(&w, r);
    write_links(&w, o);
    jw_close(&w, '}');
    return stats_sink_finish(&w.sink);
}

/* GeoJSON */

static void write_class(struct jw *w, const struct stats_result *r, const struct stats_row *row)
{
    double v = 0;
    int k = -1;
    if (r->n_classes > 0 && stats_column_value(&row->cell, r->classify_column, &v)) {
        k = stats_class_of(r->breaks, r->n_classes, v);
    }
    jw_key(w, "class");
    k >= 0 ? jw_int(w, k) : jw_null(w);
    member_string(w, "color", k >= 0 && k < r->n_classes ? r->colors[k] : NULL);
}

static void write_group_values(struct jw *w, const struct stats_result *r, size_t area)
{
    jw_key(w, "groups");
    jw_open(w, '{');
    for (size_t g = 0; g < r->n_groups; g++) {
        double v = 0;
        bool has = stats_output_value(r, area, (long)g, -1, &v);
        jw_key(w, r->groups[g]);
        jw_number(w, has, v);
    }
    jw_close(w, '}');
}

static void write_feature(struct jw *w, const struct stats_result *r, size_t area)
{
    static const struct geom_format fmt = {.precision = STATS_GEOJSON_PRECISION};
    const struct stats_area *a = &r->areas[area];
    struct stats_row row;
    stats_output_area_row(r, area, &row);
    jw_open(w, '{');
    member_string(w, "type", "Feature");
    member_int(w, "id", a->fid);
    jw_key(w, "geometry");
    jw_sep(w);
    if (w->sink.rc == ERR_OK) {
        w->sink.rc = geom_text_append_geojson(w->sink.out, a->geom, a->geom_len, &fmt, w->sink.err);
    }
    jw_key(w, "properties");
    jw_open(w, '{');
    write_row_members(w, r, &row);
    write_class(w, r, &row);
    if (r->spec.group != NULL) {
        write_group_values(w, r, area);
    }
    jw_close(w, '}');
    jw_close(w, '}');
}

int stats_write_geojson(const struct stats_result *r, const struct stats_output *o, struct buf *out,
                        struct err *err)
{
    struct jw w = {.depth = 0};
    stats_sink_init(&w.sink, out, err);
    jw_open(&w, '{');
    member_string(&w, "type", "FeatureCollection");
    write_heading(&w, o, false);
    write_about(&w, r, o);
    write_population(&w, r);
    write_classes(&w, r);
    write_links(&w, o);
    jw_key(&w, "features");
    jw_open(&w, '[');
    for (size_t i = 0; i < r->n_areas; i++) {
        if (r->areas[i].geom != NULL) {
            write_feature(&w, r, i);
        }
    }
    jw_close(&w, ']');
    jw_close(&w, '}');
    return stats_sink_finish(&w.sink);
}
