/* scenario_sheet.c - a stored scenario turned into a struct render_sheet: layers with
 * merged styles and filters, the sketch layer coloured by kind, statistics lines from the
 * featured statistics it lists, sources, date and link. */
#include "scenario/scenario_sheet.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"
#include "base/log.h"
#include "cql2/cql2.h"
#include "encode/number_text.h"
#include "stats/stats_featured.h"
#include "stats/stats_summary.h"
#include "scenario/sketch_notes.h"
#include "styles/style_set.h"
#include "base/utf8.h"

/* Statistics straight from stats_run */

int scenario_stats_run_featured(struct store_read *rd, const struct store_featured *f,
                                struct stats_result **out, struct err *err)
{
    struct stats_spec spec;
    int rc = stats_featured_spec(f, &spec, err);
    if (rc != ERR_OK) {
        return rc;
    }
    rc = stats_run(rd, &spec, out, err);
    stats_spec_clear(&spec);
    return rc;
}

static int direct_get(void *ctx, struct store_read *rd, const struct store_featured *f,
                      const struct stats_result **out, void **handle, struct err *err)
{
    (void)ctx;
    struct stats_result *r = NULL;
    int rc = scenario_stats_run_featured(rd, f, &r, err);
    *out = r;
    *handle = r;
    return rc;
}

static void direct_release(void *ctx, void *handle)
{
    (void)ctx;
    stats_result_free(handle);
}

const struct scenario_stats_provider scenario_stats_direct = {direct_get, direct_release, NULL};

/* Styles */

/* The property prefix a style layer of this type takes from an override. */
static const char *override_prefix(const char *type)
{
    static const char *const pairs[][2] = {
        {"fill", "fill-"}, {"line", "line-"}, {"circle", "circle-"}, {"symbol", "text-"}};
    for (size_t i = 0; type != NULL && i < 4; i++) {
        if (strcmp(type, pairs[i][0]) == 0) {
            return pairs[i][1];
        }
    }
    return NULL;
}

/* Sets every property of from (an object) whose name starts with prefix on sl[member]. */
static void merge_member(json_t *sl, const char *member, const json_t *from, const char *prefix)
{
    const char *name;
    json_t *value;
    json_object_foreach((json_t *)from, name, value)
    {
        if (strncmp(name, prefix, strlen(prefix)) != 0) {
            continue;
        }
        json_t *target = json_object_get(sl, member);
        if (!json_is_object(target)) {
            target = json_object();
            json_object_set_new(sl, member, target);
        }
        json_object_set_new(target, name, json_deep_copy(value));
    }
}

json_t *scenario_sheet_merge_style(const json_t *base, const json_t *override)
{
    /* A deep copy: the base may be the style set's own document, shared by every request. */
    json_t *style = json_deep_copy(base);
    json_t *sls = json_object_get(style, "layers");
    for (size_t i = 0; json_is_object(override) && i < json_array_size(sls); i++) {
        json_t *sl = json_array_get(sls, i);
        const char *prefix = override_prefix(json_string_value(json_object_get(sl, "type")));
        if (prefix == NULL) {
            continue;
        }
        const json_t *paint = json_object_get(override, "paint");
        const json_t *layout = json_object_get(override, "layout");
        if (json_is_object(paint)) {
            merge_member(sl, "paint", paint, prefix);
        }
        if (json_is_object(layout)) {
            merge_member(sl, "layout", layout, prefix);
        }
    }
    return style;
}

/* ["match", ["get", "kind"], kind1, colour1, ..., fallback] */
static json_t *kind_colours(const struct scenario_doc *doc)
{
    json_t *m = json_pack("[s, [s, s]]", "match", "get", "kind");
    for (size_t i = 0; i < doc->n_kinds; i++) {
        json_array_append_new(m, json_string(doc->kinds[i].id));
        json_array_append_new(m, json_string(doc->kinds[i].color));
    }
    json_array_append_new(m, json_string("#777777"));
    return m;
}

/* {"<kind id>": {"th": title, "en": title}}: the legend's class titles. */
static json_t *kind_titles(const struct scenario_doc *doc)
{
    json_t *labels = json_object();
    for (size_t i = 0; i < doc->n_kinds; i++) {
        json_object_set_new(
            labels, doc->kinds[i].id,
            json_pack("{s:s?, s:s?}", "th", doc->kinds[i].title.th, "en", doc->kinds[i].title.en));
    }
    return labels;
}

json_t *scenario_sheet_sketch_style(const struct scenario_doc *doc, const char *layer_id)
{
    json_t *colours = kind_colours(doc);
    /* Sketches stand apart from the city's layers: areas lightly filled inside a dashed
     * outline in the kind's colour, lines and outlines over a white casing, points as
     * larger discs with a dark ring (layer points have a thin white one). */
    json_t *fill = json_pack("{s:s, s:s, s:{s:O, s:f}}", "id", "sketch-areas", "type", "fill",
                             "paint", "fill-color", colours, "fill-opacity", 0.22);
    json_t *casing = json_pack("{s:s, s:s, s:{s:s, s:f}, s:{s:s, s:s}}", "id", "sketch-casing",
                               "type", "line", "paint", "line-color", "#ffffff", "line-width", 6.0,
                               "layout", "line-cap", "round", "line-join", "round");
    json_t *line =
        json_pack("{s:s, s:s, s:{s:O, s:f, s:[f, f]}, s:{s:s, s:s}}", "id", "sketch-lines", "type",
                  "line", "paint", "line-color", colours, "line-width", 3.0, "line-dasharray", 2.0,
                  1.0, "layout", "line-cap", "butt", "line-join", "round");
    json_t *circle = json_pack("{s:s, s:s, s:{s:O, s:f, s:s, s:f}}", "id", "sketch-points", "type",
                               "circle", "paint", "circle-color", colours, "circle-radius", 7.0,
                               "circle-stroke-color", "#1a1a1a", "circle-stroke-width", 2.0);
    json_decref(colours);
    return json_pack("{s:i, s:s, s:{s:s, s:{s:s, s:s}, s:o}, s:[o, o, o, o]}", "version", 8, "name",
                     "Sketches", "metadata", "cityatlas:layer", layer_id, "cityatlas:legend", "th",
                     "ภาพร่างของผู้เข้าร่วม", "en", "Participants' sketches", "cityatlas:labels",
                     kind_titles(doc), "layers", fill, casing, line, circle);
}

/* Numbers */

void scenario_sheet_number(double v, int decimals, char *out, size_t cap)
{
    number_text_grouped(v, decimals, out, cap);
}

/* The sheet being built */

static char *keep(struct scenario_sheet *s, char *text)
{
    s->texts = xreallocarray(s->texts, s->n_texts + 1, sizeof(char *));
    s->texts[s->n_texts++] = text;
    return text;
}

static const char *pick(bool is_thai, const char *th, const char *en)
{
    const char *first = is_thai ? th : en;
    return first != NULL ? first : (is_thai ? en : th);
}

static void add_source(struct scenario_sheet *s, const struct store_layer *l, bool is_thai)
{
    s->sources[s->sheet.n_sources++] =
        (struct render_source){pick(is_thai, l->title_th, l->title_en), l->attribution, l->license};
}

/* A layer's filter parsed and checked against it; ERR_INVALID names the layer. */
static int parse_filter(const struct scenario_layer *sl, const struct store_layer *l,
                        struct cql2_node **out, struct err *err)
{
    *out = NULL;
    if (sl->filter == NULL) {
        return ERR_OK;
    }
    int rc = cql2_parse(sl->filter, out, err);
    if (rc == ERR_OK) {
        rc = store_layer_filter_check(l, *out, err);
    }
    if (rc != ERR_OK) {
        cql2_free(*out);
        *out = NULL;
        err_prefix(err, "scenario layer %s: filter", l->id);
    }
    return rc;
}

static int add_layers(struct scenario_sheet *s, struct store_read *rd,
                      const struct scenario_sheet_options *o, struct err *err)
{
    const struct scenario_doc *doc = &s->doc;
    for (size_t i = 0; i < doc->n_layers; i++) {
        const struct store_layer *l = store_read_layer(rd, doc->layers[i].collection);
        if (l == NULL || l->geometry_type == NULL) {
            log_warn("scenario %s: layer '%s' is not in the database (or has no geometry): "
                     "left off the map",
                     doc->id, doc->layers[i].collection);
            continue;
        }
        struct cql2_node *filter = NULL;
        int rc = parse_filter(&doc->layers[i], l, &filter, err);
        if (rc != ERR_OK) {
            return rc;
        }
        bool is_default = false;
        json_t *base =
            style_set_resolve(o->styles, l->id, l->geometry_type, l->name_column, &is_default);
        json_t *style = scenario_sheet_merge_style(base, doc->layers[i].style);
        json_decref(base);
        size_t k = s->sheet.n_layers++;
        s->filters[k] = filter;
        s->layers[k] = (struct render_layer){l, style, filter};
        add_source(s, l, o->is_thai);
    }
    const struct store_layer *sketches = store_read_layer(rd, s->stored.sketch_layer_id);
    if (sketches != NULL) {
        struct cql2_node *visible = NULL;
        int rc = sketch_visible_filter(sketches, &visible, err);
        if (rc == ERR_OK) {
            rc = sketch_notes_read(rd, sketches, doc, o->is_thai, &s->notes, err);
        }
        if (rc != ERR_OK) {
            cql2_free(visible);
            return err_prefix(err, "scenario %s: sketches", doc->id);
        }
        size_t k = s->sheet.n_layers++;
        s->filters[k] = visible;
        s->layers[k] = (struct render_layer){
            sketches, scenario_sheet_sketch_style(doc, sketches->id), visible};
        add_source(s, sketches, o->is_thai);
        s->sheet.notes = s->notes.notes;
        s->sheet.n_notes = s->notes.n;
    }
    return ERR_OK;
}

/* A statistics line per sketch kind of the document, zero counts too (so the rows of a
 * comparison match across scenarios with the same kinds), and one for sketches of a kind
 * the document no longer defines when there are any. */
static void add_sketch_counts(struct scenario_sheet *s, bool is_thai)
{
    for (size_t k = 0; s->notes.counts != NULL && k <= s->doc.n_kinds; k++) {
        int64_t n = s->notes.counts[k];
        if (k == s->doc.n_kinds && n == 0) {
            break;
        }
        const char *title = k < s->doc.n_kinds
                                ? pick(is_thai, s->doc.kinds[k].title.th, s->doc.kinds[k].title.en)
                                : (is_thai ? "ประเภทอื่น" : "other kinds");
        char count[48];
        scenario_sheet_number((double)n, 0, count, sizeof(count));
        struct render_stat_line *line = &s->stats[s->sheet.n_stats++];
        line->label = keep(s, xasprintf(is_thai ? "ภาพร่าง: %s" : "Sketches: %s", title));
        line->value = keep(s, xstrdup(count));
        line->unit = NULL;
    }
}

/* Statistics lines */

bool scenario_stats_headline(const struct stats_result *r, bool is_thai, char **value, char **unit)
{
    struct stats_summary summary;
    stats_summary_make(r, NULL, &summary);
    *value = *unit = NULL;
    if (summary.has_value) {
        char text[64];
        stats_value_text(r, summary.column, summary.value, text, sizeof(text));
        *value = xstrdup(text);
        *unit = stats_column_unit(r, summary.column, is_thai);
    } else if (summary.highest.has) {
        *value = xstrdup(is_thai ? summary.headline.th : summary.headline.en);
    }
    stats_summary_clear(&summary);
    return *value != NULL;
}

char *scenario_stats_headline_text(const char *value, const char *unit, const char *about,
                                   char **label)
{
    size_t n_chars = 0;
    for (const char *p = unit; p != NULL && *p != '\0'; p++) {
        n_chars += ((unsigned char)*p & 0xC0) != 0x80;
    }
    if (unit == NULL || n_chars <= SCENARIO_HEADLINE_UNIT_CHARS) {
        *label = xstrdup(about != NULL ? about : "");
        return unit != NULL ? xasprintf("%s %s", value, unit) : xstrdup(value);
    }
    *label = about != NULL ? xasprintf("%s · %s", unit, about) : xstrdup(unit);
    return xstrdup(value);
}

static void add_stat_line(struct scenario_sheet *s, const struct store_featured *f,
                          const struct stats_result *r, bool is_thai)
{
    char *value = NULL, *unit = NULL;
    if (!scenario_stats_headline(r, is_thai, &value, &unit)) {
        return;
    }
    struct render_stat_line *line = &s->stats[s->sheet.n_stats++];
    line->label = pick(is_thai, f->title_th, f->title_en);
    line->value = keep(s, value);
    line->unit = unit != NULL ? keep(s, unit) : NULL;
    if (s->sheet.headline_value == NULL) {
        char *label = NULL;
        s->sheet.headline_value =
            keep(s, scenario_stats_headline_text(value, unit, line->label, &label));
        s->sheet.headline_label = keep(s, label);
    }
}

static int add_stats(struct scenario_sheet *s, struct store_read *rd,
                     const struct scenario_sheet_options *o, struct err *err)
{
    const struct scenario_stats_provider *p = o->stats != NULL ? o->stats : &scenario_stats_direct;
    for (size_t i = 0; i < s->doc.n_statistics; i++) {
        const struct store_featured *f = store_read_featured_find(rd, s->doc.statistics[i]);
        if (f == NULL) {
            log_warn("scenario %s: featured statistic '%s' is not in the database: left off",
                     s->doc.id, s->doc.statistics[i]);
            continue;
        }
        const struct stats_result *r = NULL;
        void *handle = NULL;
        int rc = p->get(p->ctx, rd, f, &r, &handle, err);
        if (rc == ERR_INVALID) {
            log_warn("scenario %s: featured statistic %s: %s: left off", s->doc.id, f->id,
                     err->msg);
            continue;
        }
        if (rc != ERR_OK) {
            return err_prefix(err, "featured statistic %s", f->id);
        }
        add_stat_line(s, f, r, o->is_thai);
        p->release(p->ctx, handle);
    }
    return ERR_OK;
}

/* Building */

static void today(char *out, size_t cap)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(out, cap, "%Y-%m-%d", &tm);
}

const char *scenario_sheet_place(const struct store_read *rd, bool is_thai)
{
    const struct store_city *city = store_read_city(rd);
    return is_thai ? city->title_th : city->title_en;
}

static int load(struct scenario_sheet *s, struct store_read *rd, const char *id, struct err *err)
{
    int rc = store_scenario_get(rd, id, &s->stored, err);
    if (rc == ERR_NOT_FOUND) {
        return err_set(err, ERR_NOT_FOUND, "there is no scenario '%s'", utf8_excerpt(id, 60).text);
    }
    if (rc != ERR_OK) {
        return rc;
    }
    rc = scenario_doc_parse_text(s->stored.doc, strlen(s->stored.doc), id, &s->doc, err);
    return rc == ERR_OK ? ERR_OK : err_prefix(err, "scenario %s: stored document", id);
}

int scenario_sheet_build(struct store_read *rd, const char *id,
                         const struct scenario_sheet_options *o, struct scenario_sheet *out,
                         struct err *err)
{
    memset(out, 0, sizeof(*out));
    int rc = load(out, rd, id, err);
    if (rc == ERR_OK) {
        size_t n = out->doc.n_layers + 1;
        out->layers = xcalloc(n, sizeof(*out->layers));
        out->filters = xcalloc(n, sizeof(*out->filters));
        out->sources = xcalloc(n, sizeof(*out->sources));
        out->stats = xcalloc(out->doc.n_statistics + out->doc.n_kinds + 2, sizeof(*out->stats));
        out->sheet.layers = out->layers;
        out->sheet.sources = out->sources;
        out->sheet.stats = out->stats;
        rc = add_layers(out, rd, o, err);
    }
    if (rc == ERR_OK && !o->without_stats) {
        rc = add_stats(out, rd, o, err);
    }
    if (rc == ERR_OK && !o->without_stats) {
        add_sketch_counts(out, o->is_thai);
    }
    if (rc != ERR_OK) {
        scenario_sheet_clear(out);
        return rc;
    }
    struct render_sheet *sh = &out->sheet;
    snprintf(out->date, sizeof(out->date), "%s", o->date != NULL ? o->date : "");
    if (o->date == NULL) {
        today(out->date, sizeof(out->date));
    }
    sh->title = (struct render_bilingual){out->doc.title.th, out->doc.title.en};
    sh->narrative = o->is_thai ? out->doc.narrative.th : out->doc.narrative.en;
    sh->is_thai = o->is_thai;
    sh->date = out->date;
    sh->place = scenario_sheet_place(rd, o->is_thai);
    memcpy(sh->bbox, out->doc.extent, sizeof(sh->bbox));
    if (o->base_url != NULL) {
        sh->url = keep(out, xasprintf("%s/map/#scn=%s&lang=%s", o->base_url, out->doc.id,
                                      o->is_thai ? "th" : "en"));
    }
    return ERR_OK;
}

void scenario_sheet_clear(struct scenario_sheet *s)
{
    for (size_t i = 0; s->layers != NULL && i < s->sheet.n_layers; i++) {
        json_decref(s->layers[i].style);
        cql2_free(s->filters[i]);
    }
    for (size_t i = 0; i < s->n_texts; i++) {
        free(s->texts[i]);
    }
    free(s->texts);
    free(s->layers);
    free(s->filters);
    free(s->sources);
    free(s->stats);
    sketch_notes_clear(&s->notes);
    scenario_doc_clear(&s->doc);
    store_scenario_clear(&s->stored);
    memset(s, 0, sizeof(*s));
}
