/* featured_sheet.c - a featured statistic's choropleth and headline as a render sheet. */
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

/* The colour of area i's class, or NULL when it has no value to classify. */
static const char *area_colour(const struct stats_result *r, size_t i)
{
    const struct stats_cell *c = stats_result_cell(r, i, -1, -1);
    double v = 0;
    if (r->n_classes <= 0) {
        return NULL;
    }
    if (c == NULL) {
        /* Nothing counted there: zero for a sum-like metric, as the choropleth shows it. */
        if (!stats_metric_is_additive(r->spec.metric)) {
            return NULL;
        }
    } else if (!scenario_stats_column_value(c, r->classify_column, &v)) {
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

/* ["match", ["get", key], value1, colour1, ..., "#dddddd"], or the plain grey when no field
 * tells the areas apart (the map then shows where, and the headline how much). */
static json_t *fill_colours(const struct stats_result *r)
{
    bool by_code = r->spec.join_by != NULL && tells_apart(r, true);
    const char *key = by_code ? r->spec.join_by : r->by_name_field;
    if (!by_code && (key == NULL || !tells_apart(r, false))) {
        log_warn("featured share image: no field of %s tells its areas apart: drawn uncoloured",
                 r->spec.by);
        return json_string("#dddddd");
    }
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

static json_t *choropleth_style(const struct stats_result *r, const char *layer_id)
{
    json_t *fill = json_pack("{s:s, s:s, s:{s:o, s:f}}", "id", "classes", "type", "fill", "paint",
                             "fill-color", fill_colours(r), "fill-opacity", 0.85);
    json_t *line = json_pack("{s:s, s:s, s:{s:s, s:f}}", "id", "borders", "type", "line", "paint",
                             "line-color", "#ffffff", "line-width", 1.5);
    return json_pack("{s:i, s:{s:s}, s:[o, o]}", "version", 8, "metadata", "cityatlas:layer",
                     layer_id, "layers", fill, line);
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

int featured_sheet_build(struct store_read *rd, const struct store_featured *f,
                         const struct stats_result *r, bool is_thai, const char *date,
                         struct featured_sheet *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    const struct store_layer *by = r->spec.by != NULL ? store_read_layer(rd, r->spec.by) : NULL;
    if (by == NULL || by->geometry_type == NULL || !areas_extent(r, out->sheet.bbox)) {
        return err_set(err, ERR_INVALID,
                       "featured statistic %s has no boundary layer to draw a map of", f->id);
    }
    if (r->spec.by_filter != NULL && cql2_parse(r->spec.by_filter, &out->filter, err) != ERR_OK) {
        return err_prefix(err, "featured statistic %s: by-filter", f->id);
    }
    out->layer = (struct render_layer){by, choropleth_style(r, by->id), out->filter};
    struct render_sheet *sh = &out->sheet;
    sh->layers = &out->layer;
    sh->n_layers = 1;
    sh->sources = out->sources;
    add_sources(out, r, is_thai);
    const char *question = is_thai ? f->question_th : f->question_en;
    if (scenario_stats_headline(r, is_thai, &out->value, &out->unit)) {
        out->headline = scenario_stats_headline_text(out->value, out->unit, question, &out->label);
    }
    sh->title = (struct render_bilingual){f->title_th, f->title_en};
    sh->is_thai = is_thai;
    sh->narrative = is_thai ? f->question_th : f->question_en;
    sh->headline_value = out->headline;
    sh->headline_label = out->label != NULL ? out->label : question;
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
    free(s->unit);
    free(s->headline);
    free(s->label);
    memset(s, 0, sizeof(*s));
}
