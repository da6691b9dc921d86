/* featured_sheet.c - a statistic's choropleth, honest headline and explanation as a
 * render sheet (featured_sheet.h). */
#include "scenario/featured_sheet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"
#include "base/log.h"
#include "cql2/cql2.h"
#include "encode/geom_blob.h"
#include "scenario/scenario_sheet.h"
#include "stats/stats_classify.h"

/* The colour of area i's class, or NULL when it has no value: no data, never a zero. */
static const char *area_colour(const struct stats_result *r, size_t i)
{
    double v = 0;
    const char *why_en, *why_th;
    if (r->n_classes <= 0 || !stats_area_classified(r, i, &v, &why_en, &why_th)) {
        return NULL;
    }
    int k = stats_class_of(r->breaks, r->n_classes, v);
    return k >= 0 && k < r->n_classes ? r->colors[k] : NULL;
}

/* True when every area has a value of this kind (code or name) and no two are equal. */
static bool tells_apart(const struct stats_result *r, bool is_code)
{
    for (size_t i = 0; i < r->n_areas; i++) {
        const char *a = is_code ? r->areas[i].code : r->areas[i].name;
        for (size_t j = 0; a != NULL && j < i; j++) {
            const char *b = is_code ? r->areas[j].code : r->areas[j].name;
            if (strcmp(a, b) == 0) {
                return false;
            }
        }
        if (a == NULL) {
            return false;
        }
    }
    return r->n_areas > 0;
}

/* The field whose values tell the areas apart (the join key, else the name), or NULL. */
static const char *area_key(const struct stats_result *r, bool *by_code)
{
    *by_code = r->spec.join_by != NULL && tells_apart(r, true);
    if (*by_code) {
        return r->spec.join_by;
    }
    return r->by_name_field != NULL && tells_apart(r, false) ? r->by_name_field : NULL;
}

/* ["match", ["get", key], value1, colour1, ..., "#dddddd"] over the areas with a value. */
static json_t *fill_colours(const struct stats_result *r, const char *key, bool by_code)
{
    json_t *m = json_pack("[s, [s, s]]", "match", "get", key);
    size_t n = 0;
    for (size_t i = 0; i < r->n_areas; i++) {
        const char *colour = area_colour(r, i);
        if (colour != NULL) {
            json_array_append_new(m, json_string(by_code ? r->areas[i].code : r->areas[i].name));
            json_array_append_new(m, json_string(colour));
            n++;
        }
    }
    json_array_append_new(m, json_string("#dddddd"));
    if (n == 0) {
        json_decref(m);
        return json_string("#dddddd");
    }
    return m;
}

/* A fill layer hatching the areas without a value, or NULL when every area has one. */
static json_t *no_data_layer(const struct stats_result *r, const char *key, bool by_code)
{
    json_t *keys = json_array();
    for (size_t i = 0; i < r->n_areas; i++) {
        if (area_colour(r, i) == NULL) {
            json_array_append_new(keys, json_string(by_code ? r->areas[i].code : r->areas[i].name));
        }
    }
    if (json_array_size(keys) == 0) {
        json_decref(keys);
        return NULL;
    }
    return json_pack("{s:s, s:s, s:[s, [s, s], [s, o]], s:{s:s, s:s}}", "id", "no-data", "type",
                     "fill", "filter", "in", "get", key, "literal", keys, "paint", "fill-color",
                     "#f4f4f4", "fill-pattern", "cityatlas:hatch");
}

/* Classes filled with their colours, areas without data hatched; plain grey when no field
 * tells the areas apart (the map then shows where, and the headline how much). */
static json_t *choropleth_style(const struct stats_result *r, const char *layer_id)
{
    bool by_code = false;
    const char *key = area_key(r, &by_code);
    if (key == NULL) {
        log_warn("statistic share image: no field of %s tells its areas apart: drawn uncoloured",
                 r->spec.by);
    }
    json_t *colours = key != NULL ? fill_colours(r, key, by_code) : json_string("#dddddd");
    json_t *fill = json_pack("{s:s, s:s, s:{s:o, s:f}}", "id", "classes", "type", "fill", "paint",
                             "fill-color", colours, "fill-opacity", 0.85);
    json_t *hatch = key != NULL ? no_data_layer(r, key, by_code) : NULL;
    json_t *line = json_pack("{s:s, s:s, s:{s:s, s:f}}", "id", "borders", "type", "line", "paint",
                             "line-color", "#ffffff", "line-width", 1.5);
    json_t *layers = json_pack("[o]", fill);
    if (hatch != NULL) {
        json_array_append_new(layers, hatch);
    }
    json_array_append_new(layers, line);
    return json_pack("{s:i, s:{s:s}, s:o}", "version", 8, "metadata", "cityatlas:layer", layer_id,
                     "layers", layers);
}

/* The areas' extent from their boundaries' MBRs, with a margin. */
static bool areas_extent(const struct stats_result *r, double out[4])
{
    bool has = false;
    for (size_t i = 0; i < r->n_areas; i++) {
        struct geom_blob_header h;
        struct err e;
        if (r->areas[i].geom == NULL ||
            geom_blob_header(r->areas[i].geom, r->areas[i].geom_len, &h, &e) != ERR_OK) {
            continue;
        }
        out[0] = has && out[0] < h.min_x ? out[0] : h.min_x;
        out[1] = has && out[1] < h.min_y ? out[1] : h.min_y;
        out[2] = has && out[2] > h.max_x ? out[2] : h.max_x;
        out[3] = has && out[3] > h.max_y ? out[3] : h.max_y;
        has = true;
    }
    if (has) {
        double mx = (out[2] - out[0]) * 0.04 + 1e-4, my = (out[3] - out[1]) * 0.04 + 1e-4;
        out[0] -= mx;
        out[1] -= my;
        out[2] += mx;
        out[3] += my;
    }
    return has;
}

static void add_sources(struct featured_sheet *s, const struct stats_result *r, bool is_thai)
{
    for (size_t i = 0; i < r->n_sources && s->sheet.n_sources < FEATURED_SHEET_MAX_SOURCES; i++) {
        const struct stats_source *src = &r->sources[i];
        const char *title = is_thai && src->title_th != NULL ? src->title_th : src->title_en;
        s->sources[s->sheet.n_sources++] =
            (struct render_source){title != NULL ? title : src->id, src->attribution, src->license};
    }
}

/* The key: a row per class with its range and unit, and "no data" when areas have none. */
static void add_key(struct featured_sheet *s, const struct stats_result *r, bool is_thai)
{
    size_t n = 0;
    for (int k = 0; k < r->n_classes; k++, n++) {
        s->key_labels[n] = stats_class_label(r, k, is_thai);
        s->key[n] = (struct render_key_row){r->colors[k], s->key_labels[n]};
    }
    if (s->summary.n_no_data > 0) {
        s->key_labels[n] =
            xasprintf(is_thai ? "ไม่มีข้อมูล (%zu พื้นที่)" : "No data (%zu areas)", s->summary.n_no_data);
        s->key[n] = (struct render_key_row){NULL, s->key_labels[n]};
        n++;
    }
    s->sheet.key = s->key;
    s->sheet.n_key = n;
}

/* "No data: A, B, … and 3 more": the areas drawn hatched, by name. */
static char *no_data_text(const struct stats_result *r, bool is_thai)
{
    char *text = xstrdup(is_thai ? "ไม่มีข้อมูล: " : "No data: ");
    size_t named = 0, n = 0;
    for (size_t i = 0; i < r->n_areas; i++) {
        if (area_colour(r, i) != NULL) {
            continue;
        }
        if (named < FEATURED_SHEET_NO_DATA_NAMES) {
            const char *name = r->areas[i].name != NULL ? r->areas[i].name : r->areas[i].code;
            char *joined =
                xasprintf("%s%s%s", text, named > 0 ? ", " : "", name != NULL ? name : "?");
            free(text);
            text = joined;
            named++;
        }
        n++;
    }
    if (n > named) {
        char *joined = xasprintf(is_thai ? "%s และอีก %zu พื้นที่" : "%s and %zu more", text, n - named);
        free(text);
        text = joined;
    }
    return text;
}

static void add_facts(struct featured_sheet *s, const struct stats_result *r, bool is_thai)
{
    size_t n = 0;
    /* One area with a value is its own highest and lowest: the headline says it all. */
    if (s->summary.has_value && s->summary.highest.has &&
        s->summary.highest.area != s->summary.lowest.area) {
        s->fact_texts[n++] = stats_summary_extremes_text(r, &s->summary, is_thai);
    }
    if (s->summary.n_no_data > 0 && r->n_classes > 0) {
        s->fact_texts[n++] = no_data_text(r, is_thai);
    }
    for (size_t i = 0; i < n; i++) {
        s->facts[i] = s->fact_texts[i];
    }
    s->sheet.facts = s->facts;
    s->sheet.n_facts = n;
}

/* The big number: the statistic's own value with its unit, never another column's. */
static void add_headline(struct featured_sheet *out, const struct stats_result *r,
                         const char *question, bool is_thai)
{
    struct render_sheet *sh = &out->sheet;
    if (!out->summary.has_value) {
        /* The highest and lowest areas stand in for the number (stats_summary.h). */
        sh->headline_label = is_thai ? out->summary.headline.th : out->summary.headline.en;
        return;
    }
    char number[64];
    stats_value_text(r, out->summary.column, out->summary.value, number, sizeof(number));
    char *unit = stats_column_unit(r, out->summary.column, is_thai);
    out->value = xstrdup(number);
    out->headline = scenario_stats_headline_text(out->value, unit, question, &out->label);
    free(unit);
    sh->headline_value = out->headline;
    sh->headline_label = out->label;
}

int featured_sheet_build(struct store_read *rd, const struct stats_heading *heading,
                         const struct stats_result *r, bool is_thai, const char *date,
                         const char *link, struct featured_sheet *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    const char *id = heading != NULL && heading->id != NULL ? heading->id : "of this query";
    const struct store_layer *by = r->spec.by != NULL ? store_read_layer(rd, r->spec.by) : NULL;
    if (by == NULL || by->geometry_type == NULL || !areas_extent(r, out->sheet.bbox)) {
        return err_set(err, ERR_INVALID, "statistic %s has no boundary layer (by) to draw a map of",
                       id);
    }
    if (r->spec.by_filter != NULL && cql2_parse(r->spec.by_filter, &out->filter, err) != ERR_OK) {
        return err_prefix(err, "statistic %s: by-filter", id);
    }
    const struct store_city *city = store_read_city(rd);
    struct stats_summary_context ctx = {heading, city->title_en, city->title_th, link};
    stats_summary_make(r, &ctx, &out->summary);
    out->layer = (struct render_layer){by, choropleth_style(r, by->id), out->filter};
    struct render_sheet *sh = &out->sheet;
    sh->layers = &out->layer;
    sh->n_layers = 1;
    sh->sources = out->sources;
    add_sources(out, r, is_thai);
    const char *question = NULL;
    if (heading != NULL) {
        question =
            is_thai && heading->question_th != NULL ? heading->question_th : heading->question_en;
    }
    add_headline(out, r, question, is_thai);
    sh->title = (struct render_bilingual){out->summary.title.th, out->summary.title.en};
    sh->is_thai = is_thai;
    sh->narrative = question;
    add_key(out, r, is_thai);
    add_facts(out, r, is_thai);
    const struct stats_text *t = &out->summary.caveat;
    sh->caveat = is_thai && t->th != NULL ? t->th : t->en;
    sh->years = is_thai ? out->summary.years.th : out->summary.years.en;
    sh->credit = is_thai ? out->summary.credit.th : out->summary.credit.en;
    sh->link = link;
    if (date != NULL) {
        snprintf(out->date, sizeof(out->date), "%s", date);
    } else {
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(out->date, sizeof(out->date), "%Y-%m-%d", &tm);
    }
    sh->date = out->date;
    sh->place = scenario_sheet_place(rd, is_thai);
    return ERR_OK;
}

void featured_sheet_clear(struct featured_sheet *s)
{
    json_decref(s->layer.style);
    cql2_free(s->filter);
    free(s->value);
    free(s->headline);
    free(s->label);
    for (size_t i = 0; i < s->sheet.n_key; i++) {
        free(s->key_labels[i]);
    }
    for (size_t i = 0; i < s->sheet.n_facts; i++) {
        free(s->fact_texts[i]);
    }
    stats_summary_clear(&s->summary);
    memset(s, 0, sizeof(*s));
}
