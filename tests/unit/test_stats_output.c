/* test_stats_output.c - stats/stats_output.h: hand-built results written as JSON (parsed
 * back with jansson), CSV (parsed back with a small RFC 4180 reader and compared with the
 * JSON), GeoJSON (classes and colours against the breaks) and the aligned table (display
 * widths with Thai names). The boundaries' geometry BLOBs come from SpatiaLite. */
#define _XOPEN_SOURCE 700 /* wcswidth */
#include "unit.h"

#include <locale.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <jansson.h>
#include <sqlite3.h>
#include <spatialite.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/err.h"
#include "stats/stats.h"
#include "stats/stats_output.h"

#include "unit_support.c"

#define BUF_CAP (16u << 20)

/* Names with tone marks and above/below vowels (they take no column on a terminal), and
 * one with a comma and quotes (CSV must quote it). */
#define NAME_SI_PHUM "ศรีภูมิ"
#define NAME_PHRA_SING "พระสิงห์, \"เวียง\""
#define NAME_HAI_YA "หายยา"
#define NOTE_HAI_YA "no row for TH500103 in cm-tambon-population"

/* Geometry BLOBs from SpatiaLite */

static unsigned char *g_blobs[3];
static size_t g_blob_lens[3];

static int make_blobs(void **state)
{
    (void)state;
    static const char *const wkt[3] = {
        "POLYGON((98.978 18.788, 98.993 18.787, 98.993 18.803, 98.978 18.796, 98.978 18.788))",
        "POLYGON((98.977 18.781, 98.992 18.781, 98.993 18.787, 98.978 18.788, 98.977 18.781))",
        "POLYGON((98.970 18.770, 98.977 18.770, 98.977 18.781, 98.970 18.770))",
    };
    sqlite3 *db = NULL;
    void *cache = spatialite_alloc_connection();
    if (sqlite3_open(":memory:", &db) != SQLITE_OK) {
        return -1;
    }
    spatialite_init_ex(db, cache, 0);
    for (int i = 0; i < 3; i++) {
        sqlite3_stmt *st = NULL;
        sqlite3_prepare_v2(db, "SELECT GeomFromText(?, 4326)", -1, &st, NULL);
        sqlite3_bind_text(st, 1, wkt[i], -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_ROW || sqlite3_column_type(st, 0) != SQLITE_BLOB) {
            return -1;
        }
        g_blob_lens[i] = (size_t)sqlite3_column_bytes(st, 0);
        g_blobs[i] = xmalloc(g_blob_lens[i]);
        memcpy(g_blobs[i], sqlite3_column_blob(st, 0), g_blob_lens[i]);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    spatialite_cleanup_ex(cache);
    return 0;
}

static int free_blobs(void **state)
{
    (void)state;
    for (int i = 0; i < 3; i++) {
        free(g_blobs[i]);
    }
    return 0;
}

/* Hand-built results: arrays and literals owned by the fixture, only the spec parsed. */

struct fixture {
    struct stats_result r;
    struct stats_source sources[2];
    struct stats_area areas[3];
    struct stats_cell cells[16];
    char *groups[2];
    char *periods[2];
};

static void parse_spec(struct stats_spec *spec, const struct stats_param *params, size_t n)
{
    struct err err = {0};
    int rc = stats_spec_parse(params, n, spec, &err);
    if (rc != ERR_OK) {
        fail_msg("stats_spec_parse: %s", err.msg);
    }
}

static void fill_common(struct fixture *f)
{
    struct stats_result *r = &f->r;
    f->sources[0] = (struct stats_source){.role = "layer",
                                          .id = "cm-cbd-pois",
                                          .title_en = "Points of interest",
                                          .title_th = "สถานที่",
                                          .source = "OpenStreetMap",
                                          .source_url = "https://osm.org/",
                                          .license = "ODbL-1.0",
                                          .attribution = "© OpenStreetMap contributors",
                                          .imported_at = "2026-06-01T10:00:00Z",
                                          .version = 3,
                                          .feature_count = 4557};
    f->sources[1] = (struct stats_source){.role = "by",
                                          .id = "cm-tambon",
                                          .title_en = "Sub-districts",
                                          .title_th = "ตำบล",
                                          .license = "CC-BY-IGO-3.0",
                                          .attribution = "Royal Thai Survey Department",
                                          .imported_at = "2026-06-02T09:30:00Z",
                                          .version = 7,
                                          .feature_count = 204};
    r->sources = f->sources;
    r->n_sources = 2;
    r->computed_at = "2026-06-03T12:00:00Z";
    r->data_updated_at = "2026-06-02T09:30:00Z";
    r->definition_en = "Features of cm-cbd-pois whose point lies in each boundary of cm-tambon.";
    r->definition_th = "จำนวนรายการของ cm-cbd-pois ในแต่ละพื้นที่ของ cm-tambon";
    r->seconds = 0.125;
    f->areas[0] = (struct stats_area){.fid = 11,
                                      .name = NAME_SI_PHUM,
                                      .code = "TH500101",
                                      .area_m2 = 1234500,
                                      .has_population = true,
                                      .population = 10000,
                                      .population_year = "2023",
                                      .population_source = "https://dopa.go.th/a"};
    f->areas[1] = (struct stats_area){.fid = 12,
                                      .name = NAME_PHRA_SING,
                                      .code = "TH500102",
                                      .area_m2 = 2000000,
                                      .has_population = true,
                                      .population = 20000,
                                      .population_year = "2005",
                                      .population_source = "https://dopa.go.th/b"};
    f->areas[2] = (struct stats_area){.fid = 13,
                                      .name = NAME_HAI_YA,
                                      .code = "TH500103",
                                      .area_m2 = 500000,
                                      .population_note = NOTE_HAI_YA};
    for (int i = 0; i < 3; i++) {
        f->areas[i].geom = g_blobs[i];
        f->areas[i].geom_len = g_blob_lens[i];
    }
    r->areas = f->areas;
    r->n_areas = 3;
    r->cells = f->cells;
    r->n_unassigned = 3;
}

static struct stats_cell count_cell(size_t area, int64_t n, double km2, double population,
                                    double total)
{
    struct stats_cell c = {.area = area,
                           .group = -1,
                           .period = -1,
                           .n = n,
                           .has_value = true,
                           .value = (double)n,
                           .has_per_km2 = km2 > 0,
                           .has_share = true,
                           .share = (double)n / total};
    c.per_km2 = km2 > 0 ? (double)n / km2 : 0;
    c.has_per_capita = population > 0;
    c.per_capita = population > 0 ? (double)n / population * 10000 : 0;
    c.per_capita_note = population > 0 ? NULL : "no population figure";
    return c;
}

/* Points counted by tambon with a population field: Hai Ya (no figure) has no cell. */
static void make_count(struct fixture *f)
{
    memset(f, 0, sizeof(*f));
    static const struct stats_param params[] = {
        {"layer", "cm-cbd-pois"}, {"by", "cm-tambon"}, {"population", "pop"}, {"classes", "2"}};
    parse_spec(&f->r.spec, params, 4);
    fill_common(f);
    struct stats_result *r = &f->r;
    f->cells[0] = count_cell(0, 30, 1.2345, 10000, 45);
    f->cells[1] = count_cell(1, 15, 2.0, 20000, 45);
    f->cells[2] = count_cell(STATS_TOTAL, 45, 3.7345, 0, 45);
    r->n_cells = 3;
    r->has_population = true;
    r->population_label = "pop of cm-tambon";
    r->population_year_min = 2005;
    r->population_year_max = 2023;
    r->n_areas_without_population = 1;
    r->classify_column = STATS_COL_PER_CAPITA;
    r->n_classes = 2;
    r->breaks[0] = 7.5;
    r->breaks[1] = 24.3;
    r->breaks[2] = 30;
    memcpy(r->colors[0], "#fde725", 8);
    memcpy(r->colors[1], "#21918c", 8);
}

static struct stats_cell mean_cell(size_t area, long group, int64_t n, double value)
{
    return (struct stats_cell){
        .area = area, .group = group, .period = -1, .n = n, .has_value = n > 0, .value = value};
}

/* The mean of a field by tambon and by category (not additive: no per-km² columns). */
static void make_mean_by_group(struct fixture *f)
{
    memset(f, 0, sizeof(*f));
    static const struct stats_param params[] = {{"layer", "cm-cbd-pois"}, {"by", "cm-tambon"},
                                                {"metric", "mean"},       {"field", "beds"},
                                                {"group", "category"},    {"category", "hospital"}};
    parse_spec(&f->r.spec, params, 6);
    fill_common(f);
    struct stats_result *r = &f->r;
    f->groups[0] = "clinic";
    f->groups[1] = "โรงพยาบาล";
    r->groups = f->groups;
    r->n_groups = 2;
    size_t n = 0;
    f->cells[n++] = mean_cell(0, -1, 3, 1.0 / 3.0);
    f->cells[n++] = mean_cell(0, 0, 2, 0.25);
    f->cells[n++] = mean_cell(0, 1, 1, 0.5);
    f->cells[n++] = mean_cell(1, -1, 1, 120);
    f->cells[n++] = mean_cell(1, 1, 1, 120);
    f->cells[n++] = mean_cell(STATS_TOTAL, -1, 4, 30.25);
    f->cells[n++] = mean_cell(STATS_TOTAL, 0, 2, 0.25);
    f->cells[n++] = mean_cell(STATS_TOTAL, 1, 2, 60.25);
    r->n_cells = n;
    r->classify_column = STATS_COL_VALUE;
    r->n_classes = 2;
    r->breaks[0] = 1.0 / 3.0;
    r->breaks[1] = 120;
    r->breaks[2] = 120;
    memcpy(r->colors[0], "#fde725", 8);
    memcpy(r->colors[1], "#21918c", 8);
}

static void fixture_clear(struct fixture *f)
{
    stats_spec_clear(&f->r.spec);
}

/* Writers */

typedef int (*writer_fn)(const struct stats_result *, const struct stats_output *, struct buf *,
                         struct err *);

static char *write_text(writer_fn fn, const struct stats_result *r, const struct stats_output *o)
{
    struct buf b;
    buf_init(&b, BUF_CAP);
    struct err err = {0};
    int rc = fn(r, o, &b, &err);
    if (rc != ERR_OK) {
        fail_msg("writer failed: %d %s", rc, err.msg);
    }
    return buf_take(&b);
}

static json_t *write_json(writer_fn fn, const struct stats_result *r, const struct stats_output *o)
{
    char *text = write_text(fn, r, o);
    json_error_t jerr;
    json_t *doc = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
    if (doc == NULL) {
        fail_msg("not JSON (%s at %d:%d): %.400s", jerr.text, jerr.line, jerr.column, text);
    }
    free(text);
    return doc;
}

static const char *str_at(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);
    if (!json_is_string(v)) {
        fail_msg("'%s' is not a string", key);
    }
    return json_string_value(v);
}

static double num_at(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);
    if (!json_is_number(v)) {
        fail_msg("'%s' is not a number", key);
    }
    return json_number_value(v);
}

static bool is_null_at(const json_t *obj, const char *key)
{
    return json_is_null(json_object_get(obj, key));
}

static bool has_key(const json_t *obj, const char *key)
{
    return json_object_get(obj, key) != NULL;
}

static char **split_lines(char *text, size_t *n);

/* JSON */

static const json_t *row_of(const json_t *doc, json_int_t area_id)
{
    const json_t *rows = json_object_get(doc, "rows");
    size_t i;
    const json_t *row;
    json_array_foreach(rows, i, row)
    {
        const json_t *id = json_object_get(row, "area_id");
        if (json_is_integer(id) && json_integer_value(id) == area_id) {
            return row;
        }
    }
    fail_msg("no row for area %lld", (long long)area_id);
    return NULL;
}

static void json_has_every_value_with_its_definition(void **state)
{
    (void)state;
    struct fixture f;
    make_count(&f);
    struct stats_output o = {.is_thai = false};
    json_t *doc = write_json(stats_write_json, &f.r, &o);

    const json_t *def = json_object_get(doc, "definition");
    assert_string_equal(str_at(def, "metric"), "count");
    assert_string_equal(str_at(def, "unit"), "features");
    assert_string_equal(str_at(json_object_get(def, "text"), "en"), f.r.definition_en);
    assert_string_equal(str_at(json_object_get(def, "text"), "th"), f.r.definition_th);
    assert_string_equal(str_at(def, "per_km2"), "features per km² of the boundary's geodesic area");
    assert_string_equal(str_at(def, "per_capita"), "features per 10000 residents");
    assert_string_equal(str_at(def, "share"), "the area's share of the total");

    const json_t *query = json_object_get(doc, "query");
    assert_string_equal(str_at(query, "layer"), "cm-cbd-pois");
    assert_string_equal(str_at(query, "by"), "cm-tambon");
    assert_string_equal(str_at(query, "metric"), "count");
    assert_string_equal(str_at(query, "population"), "pop");

    const json_t *sources = json_object_get(doc, "sources");
    assert_int_equal(json_array_size(sources), 2);
    const json_t *src = json_array_get(sources, 0);
    assert_string_equal(str_at(src, "role"), "layer");
    assert_string_equal(str_at(src, "id"), "cm-cbd-pois");
    assert_string_equal(str_at(json_object_get(src, "title"), "th"), "สถานที่");
    assert_int_equal(num_at(src, "version"), 3);
    assert_int_equal(num_at(src, "feature_count"), 4557);
    assert_string_equal(str_at(src, "license"), "ODbL-1.0");
    assert_string_equal(str_at(src, "attribution"), "© OpenStreetMap contributors");
    assert_string_equal(str_at(src, "imported_at"), "2026-06-01T10:00:00Z");
    assert_true(is_null_at(json_array_get(sources, 1), "source_url"));

    assert_string_equal(str_at(doc, "computed_at"), "2026-06-03T12:00:00Z");
    assert_string_equal(str_at(doc, "data_updated_at"), "2026-06-02T09:30:00Z");
    assert_true(num_at(doc, "seconds") == 0.125);
    assert_int_equal(num_at(doc, "unassigned"), 3);
    assert_false(has_key(doc, "undated"));
    assert_false(has_key(doc, "groups"));
    assert_false(has_key(doc, "id"));
    assert_false(has_key(doc, "links"));
    json_decref(doc);
    fixture_clear(&f);
}

static void json_population_spans_years_and_nulls_carry_notes(void **state)
{
    (void)state;
    struct fixture f;
    make_count(&f);
    struct stats_output o = {.is_thai = false};
    json_t *doc = write_json(stats_write_json, &f.r, &o);

    const json_t *pop = json_object_get(doc, "population");
    assert_string_equal(str_at(pop, "label"), "pop of cm-tambon");
    assert_int_equal(num_at(pop, "year_min"), 2005);
    assert_int_equal(num_at(pop, "year_max"), 2023);
    assert_string_equal(str_at(pop, "note"),
                        "the figures come from 2 different years (2005 to 2023)");
    assert_int_equal(num_at(pop, "areas_without_figure"), 1);

    const json_t *si_phum = row_of(doc, 11);
    assert_int_equal(num_at(si_phum, "population"), 10000);
    assert_string_equal(str_at(si_phum, "population_year"), "2023");
    assert_true(is_null_at(si_phum, "population_note"));
    assert_true(is_null_at(si_phum, "per_capita_note"));
    assert_true(num_at(si_phum, "per_capita") == 30);

    /* The total has no per-capita value: not every area has a figure, and it says so. */
    const json_t *total = json_object_get(doc, "total");
    assert_true(is_null_at(total, "area_id"));
    assert_true(is_null_at(total, "population"));
    assert_true(is_null_at(total, "per_capita"));
    assert_string_equal(str_at(total, "per_capita_note"), "no population figure");
    assert_true(json_is_string(json_object_get(total, "population_note")));
    assert_int_equal(num_at(total, "n"), 45);
    assert_true(num_at(total, "share") == 1);
    assert_true(num_at(total, "area_km2") == 3.7345);
    json_decref(doc);
    fixture_clear(&f);
}

static void json_rows_leave_out_the_total_and_round_to_the_decimals_shown(void **state)
{
    (void)state;
    struct fixture f;
    make_count(&f);
    struct stats_output o = {.is_thai = false};
    json_t *doc = write_json(stats_write_json, &f.r, &o);
    const json_t *rows = json_object_get(doc, "rows");
    assert_int_equal(json_array_size(rows), 2);
    const json_t *si_phum = row_of(doc, 11);
    assert_string_equal(str_at(si_phum, "area_name"), NAME_SI_PHUM);
    assert_string_equal(str_at(si_phum, "area_code"), "TH500101");
    assert_int_equal(num_at(si_phum, "n"), 30);
    assert_true(num_at(si_phum, "value") == 30);
    assert_true(num_at(si_phum, "area_km2") == 1.2345);
    assert_true(num_at(si_phum, "per_km2") == 24.3013); /* 30 / 1.2345 = 24.30133... */
    assert_true(num_at(si_phum, "share") == 0.6667);
    assert_string_equal(str_at(row_of(doc, 12), "area_name"), NAME_PHRA_SING);
    json_decref(doc);
    fixture_clear(&f);
}

static void json_non_additive_metrics_have_no_per_capita_columns(void **state)
{
    (void)state;
    struct fixture f;
    make_mean_by_group(&f);
    struct stats_output o = {.is_thai = false};
    json_t *doc = write_json(stats_write_json, &f.r, &o);
    const json_t *def = json_object_get(doc, "definition");
    assert_string_equal(str_at(def, "metric"), "mean");
    assert_true(is_null_at(def, "unit"));
    assert_false(has_key(def, "per_km2"));
    assert_false(has_key(def, "per_capita"));
    assert_false(has_key(def, "share"));
    assert_string_equal(str_at(json_object_get(doc, "query"), "category"), "hospital");
    assert_true(is_null_at(doc, "population"));

    const json_t *groups = json_object_get(doc, "groups");
    assert_int_equal(json_array_size(groups), 2);
    assert_string_equal(json_string_value(json_array_get(groups, 1)), "โรงพยาบาล");
    const json_t *rows = json_object_get(doc, "rows");
    assert_int_equal(json_array_size(rows), 7);
    size_t i;
    const json_t *row;
    json_array_foreach(rows, i, row)
    {
        assert_false(has_key(row, "per_km2"));
        assert_false(has_key(row, "per_capita"));
        assert_false(has_key(row, "per_capita_note"));
        assert_false(has_key(row, "share"));
        assert_false(has_key(row, "median"));
        assert_true(has_key(row, "group"));
        assert_false(has_key(row, "period"));
    }
    /* rows in cell order: Si Phum all groups, clinic, โรงพยาบาล; ... */
    assert_true(is_null_at(json_array_get(rows, 0), "group"));
    assert_true(num_at(json_array_get(rows, 0), "value") == 0.3333);
    assert_string_equal(str_at(json_array_get(rows, 2), "group"), "โรงพยาบาล");
    /* the totals of each group are rows too, with no area */
    assert_true(is_null_at(json_array_get(rows, 5), "area_id"));
    assert_string_equal(str_at(json_array_get(rows, 5), "group"), "clinic");
    const json_t *total = json_object_get(doc, "total");
    assert_true(is_null_at(total, "group"));
    assert_true(num_at(total, "value") == 30.25);
    json_decref(doc);
    fixture_clear(&f);
}

static void json_heading_and_links_are_written_when_given(void **state)
{
    (void)state;
    struct fixture f;
    make_count(&f);
    struct stats_heading h = {.id = "pois-per-tambon",
                              .title_en = "Places per sub-district",
                              .title_th = "สถานที่รายตำบล",
                              .question_en = "Where are the places?"};
    struct stats_output o = {
        .heading = &h, .links_json = "[{\"rel\":\"self\",\"href\":\"http://x/stats?layer=a\"}]"};
    json_t *doc = write_json(stats_write_json, &f.r, &o);
    assert_string_equal(str_at(doc, "id"), "pois-per-tambon");
    assert_string_equal(str_at(json_object_get(doc, "title"), "th"), "สถานที่รายตำบล");
    assert_string_equal(str_at(json_object_get(doc, "title"), "en"), "Places per sub-district");
    assert_true(is_null_at(json_object_get(doc, "question"), "th"));
    assert_false(has_key(doc, "note"));
    const json_t *links = json_object_get(doc, "links");
    assert_string_equal(str_at(json_array_get(links, 0), "rel"), "self");
    const json_t *classes = json_object_get(doc, "classes");
    assert_string_equal(str_at(classes, "column"), "per_capita");
    assert_string_equal(str_at(classes, "method"), "natural-breaks");
    assert_int_equal(json_array_size(json_object_get(classes, "breaks")), 3);
    assert_string_equal(json_string_value(json_array_get(json_object_get(classes, "colors"), 1)),
                        "#21918c");
    assert_string_equal(str_at(classes, "ramp"), "viridis");
    json_decref(doc);
    fixture_clear(&f);
}

static void json_nearest_rows_have_median_max_and_share_beyond(void **state)
{
    (void)state;
    struct fixture f;
    memset(&f, 0, sizeof(f));
    static const struct stats_param params[] = {{"layer", "villages"},
                                                {"by", "cm-districts"},
                                                {"metric", "nearest"},
                                                {"to", "hospitals"},
                                                {"beyond", "10"}};
    parse_spec(&f.r.spec, params, 5);
    fill_common(&f);
    f.cells[0] = (struct stats_cell){.area = 0,
                                     .group = -1,
                                     .period = -1,
                                     .n = 4,
                                     .has_value = true,
                                     .value = 3.5,
                                     .median = 2.25,
                                     .max = 12.125,
                                     .share_beyond = 0.25};
    f.cells[1] = (struct stats_cell){.area = 1, .group = -1, .period = -1, .n = 0};
    f.cells[2] = f.cells[0];
    f.cells[2].area = STATS_TOTAL;
    f.r.n_cells = 3;
    json_t *doc = write_json(stats_write_json, &f.r, &(struct stats_output){.is_thai = true});
    assert_string_equal(str_at(json_object_get(doc, "definition"), "unit"), "km");
    const json_t *near = row_of(doc, 11);
    assert_true(num_at(near, "median") == 2.25);
    assert_true(num_at(near, "max") == 12.125);
    assert_true(num_at(near, "share_beyond") == 0.25);
    assert_false(has_key(near, "per_capita"));
    const json_t *empty = row_of(doc, 12);
    assert_true(is_null_at(empty, "value"));
    assert_true(is_null_at(empty, "median"));
    assert_true(is_null_at(empty, "share_beyond"));
    assert_true(is_null_at(doc, "classes"));
    json_decref(doc);

    assert_non_null(setlocale(LC_CTYPE, "C.UTF-8"));
    char *table = write_text(stats_write_table, &f.r, &(struct stats_output){.is_thai = false});
    size_t n = 0;
    char **lines = split_lines(table, &n);
    assert_non_null(strstr(lines[2], "mean distance (km)"));
    assert_non_null(strstr(lines[2], "  median  "));
    assert_non_null(strstr(lines[2], "% beyond 10 km"));
    assert_null(strstr(lines[2], "per km²"));
    assert_non_null(strstr(lines[4], " 3.5  "));
    assert_non_null(strstr(lines[4], " 2.25  "));
    assert_non_null(strstr(lines[4], " 12.125  "));
    assert_string_equal(lines[4] + strlen(lines[4]) - 3, " 25"); /* 1 of 4 beyond 10 km */
    assert_string_equal(lines[5] + strlen(lines[5]) - 2, " -");  /* nothing counted */
    free(lines);
    free(table);
    fixture_clear(&f);
}

/* CSV */

struct csv {
    char ***rows; /* rows[i][j], NUL-terminated fields */
    size_t *n_fields;
    size_t n_rows;
};

/* A strict RFC 4180 reader: CRLF line ends, quoted fields with doubled quotes. */
static void csv_parse(const char *text, struct csv *out)
{
    /* Excel needs the byte order mark to read the file as UTF-8 (Thai names). */
    assert_memory_equal(text, "\xEF\xBB\xBF", 3);
    text += 3;
    memset(out, 0, sizeof(*out));
    const char *p = text;
    while (*p != '\0') {
        char **fields = NULL;
        size_t n = 0;
        for (;;) {
            struct buf field;
            buf_init(&field, BUF_CAP);
            struct err err = {0};
            if (*p == '"') {
                for (p++; !(*p == '"' && p[1] != '"'); p++) {
                    assert_true(*p != '\0');
                    p += *p == '"'; /* a doubled quote is one quote */
                    assert_int_equal(buf_append(&field, p, 1, &err), ERR_OK);
                }
                p++;
            } else {
                size_t len = strcspn(p, ",\r\n\"");
                assert_int_equal(buf_append(&field, p, len, &err), ERR_OK);
                p += len;
                assert_true(*p != '"');
            }
            fields = xreallocarray(fields, n + 1, sizeof(char *));
            fields[n++] = buf_take(&field);
            if (*p == ',') {
                p++;
                continue;
            }
            assert_true(p[0] == '\r' && p[1] == '\n');
            p += 2;
            break;
        }
        out->rows = xreallocarray(out->rows, out->n_rows + 1, sizeof(char **));
        out->n_fields = xreallocarray(out->n_fields, out->n_rows + 1, sizeof(size_t));
        out->rows[out->n_rows] = fields;
        out->n_fields[out->n_rows] = n;
        out->n_rows++;
    }
}

static void csv_free(struct csv *c)
{
    for (size_t i = 0; i < c->n_rows; i++) {
        for (size_t j = 0; j < c->n_fields[i]; j++) {
            free(c->rows[i][j]);
        }
        free(c->rows[i]);
    }
    free(c->rows);
    free(c->n_fields);
}

static long csv_column(const struct csv *c, const char *name)
{
    for (size_t j = 0; j < c->n_fields[0]; j++) {
        if (strcmp(c->rows[0][j], name) == 0) {
            return (long)j;
        }
    }
    return -1;
}

/* The CSV cell equals the JSON member: the same number, or empty for null. */
static void expect_same_number(const char *cell, const json_t *row, const char *key)
{
    const json_t *v = json_object_get(row, key);
    if (json_is_null(v)) {
        assert_string_equal(cell, "");
        return;
    }
    assert_true(json_is_number(v));
    char *end = NULL;
    double d = strtod(cell, &end);
    assert_true(end != cell && *end == '\0');
    if (d != json_number_value(v)) {
        fail_msg("%s: CSV %s, JSON %.17g", key, cell, json_number_value(v));
    }
}

static void csv_parses_back_to_the_numbers_of_the_json(void **state)
{
    (void)state;
    struct fixture f;
    make_count(&f);
    struct stats_output o = {.is_thai = true};
    char *text = write_text(stats_write_csv, &f.r, &o);
    json_t *doc = write_json(stats_write_json, &f.r, &o);
    struct csv c;
    csv_parse(text, &c);
    static const char header[] = "\xEF\xBB\xBF"
                                 "area_id,area_name,area_code,area_km2,population,population_year,"
                                 "population_source,n,value,per_km2,per_capita,share,note\r\n";
    assert_int_equal(strncmp(text, header, strlen(header)), 0);
    assert_int_equal(c.n_rows, 1 + 2 + 1);
    static const char *const numbers[] = {"area_km2", "population", "n",    "value",
                                          "per_km2",  "per_capita", "share"};
    for (size_t i = 1; i < c.n_rows; i++) {
        assert_int_equal(c.n_fields[i], c.n_fields[0]);
        bool is_total = i == c.n_rows - 1;
        const json_t *row = is_total ? json_object_get(doc, "total")
                                     : json_array_get(json_object_get(doc, "rows"), i - 1);
        if (is_total) {
            assert_string_equal(c.rows[i][0], "total");
        } else {
            assert_int_equal(strtoll(c.rows[i][0], NULL, 10), num_at(row, "area_id"));
            assert_string_equal(c.rows[i][csv_column(&c, "area_name")], str_at(row, "area_name"));
        }
        for (size_t k = 0; k < sizeof(numbers) / sizeof(numbers[0]); k++) {
            expect_same_number(c.rows[i][csv_column(&c, numbers[k])], row, numbers[k]);
        }
    }
    /* Thai names byte for byte, the one with a comma and quotes too */
    assert_string_equal(c.rows[1][1], NAME_SI_PHUM);
    assert_string_equal(c.rows[2][1], NAME_PHRA_SING);
    assert_non_null(strstr(text, "\"พระสิงห์, \"\"เวียง\"\"\""));
    assert_string_equal(c.rows[3][csv_column(&c, "note")],
                        "not every area has a population figure, so the areas' figures are "
                        "not summed");
    csv_free(&c);
    json_decref(doc);
    free(text);
    fixture_clear(&f);
}

static void csv_with_groups_has_a_group_column_and_no_per_capita_columns(void **state)
{
    (void)state;
    struct fixture f;
    make_mean_by_group(&f);
    char *text = write_text(stats_write_csv, &f.r, &(struct stats_output){.is_thai = false});
    struct csv c;
    csv_parse(text, &c);
    static const char *const header[] = {
        "area_id",           "area_name", "area_code", "area_km2", "population", "population_year",
        "population_source", "group",     "n",         "value",    "note"};
    assert_int_equal(c.n_fields[0], 11);
    for (size_t j = 0; j < 11; j++) {
        assert_string_equal(c.rows[0][j], header[j]);
    }
    assert_int_equal(c.n_rows, 1 + 8);
    long group = csv_column(&c, "group"), value = csv_column(&c, "value");
    assert_string_equal(c.rows[3][group], "โรงพยาบาล");
    assert_string_equal(c.rows[1][value], "0.3333");
    /* group totals come before the total of everything, which is last */
    assert_string_equal(c.rows[6][0], "total");
    assert_string_equal(c.rows[6][group], "clinic");
    assert_string_equal(c.rows[8][0], "total");
    assert_string_equal(c.rows[8][group], "");
    assert_string_equal(c.rows[8][value], "30.25");
    assert_null(strstr(text, "Definition"));
    csv_free(&c);
    free(text);
    fixture_clear(&f);
}

/* GeoJSON */

static void geojson_features_carry_classes_consistent_with_the_breaks(void **state)
{
    (void)state;
    struct fixture f;
    make_count(&f);
    json_t *doc = write_json(stats_write_geojson, &f.r, &(struct stats_output){.is_thai = false});
    assert_string_equal(str_at(doc, "type"), "FeatureCollection");
    const json_t *classes = json_object_get(doc, "classes");
    const json_t *breaks = json_object_get(classes, "breaks");
    const json_t *colors = json_object_get(classes, "colors");
    const json_t *features = json_object_get(doc, "features");
    assert_int_equal(json_array_size(features), 3);
    size_t i;
    const json_t *feature;
    int n_classed = 0;
    json_array_foreach(features, i, feature)
    {
        const json_t *props = json_object_get(feature, "properties");
        assert_int_equal(json_integer_value(json_object_get(feature, "id")),
                         json_integer_value(json_object_get(props, "area_id")));
        assert_string_equal(str_at(json_object_get(feature, "geometry"), "type"), "Polygon");
        const json_t *k = json_object_get(props, "class");
        if (json_is_null(json_object_get(props, "per_capita"))) {
            assert_true(json_is_null(k));
            assert_true(is_null_at(props, "color"));
            continue;
        }
        json_int_t c = json_integer_value(k);
        double v = num_at(props, "per_capita");
        assert_true(c >= 0 && (size_t)c + 1 < json_array_size(breaks));
        assert_true(json_number_value(json_array_get(breaks, (size_t)c)) <= v);
        assert_true(v <= json_number_value(json_array_get(breaks, (size_t)c + 1)));
        assert_string_equal(str_at(props, "color"),
                            json_string_value(json_array_get(colors, (size_t)c)));
        n_classed++;
    }
    assert_int_equal(n_classed, 2);
    /* Hai Ya has no cell: nothing counted, so n 0 and value 0 (count is additive) */
    const json_t *hai_ya = json_object_get(json_array_get(features, 2), "properties");
    assert_string_equal(str_at(hai_ya, "area_name"), NAME_HAI_YA);
    assert_int_equal(num_at(hai_ya, "n"), 0);
    assert_true(num_at(hai_ya, "value") == 0);
    assert_true(num_at(hai_ya, "per_km2") == 0);
    assert_string_equal(str_at(hai_ya, "population_note"), NOTE_HAI_YA);
    /* Coordinates with 6 decimals, straight from the blob */
    const json_t *ring = json_array_get(
        json_object_get(json_object_get(json_array_get(features, 0), "geometry"), "coordinates"),
        0);
    assert_true(json_number_value(json_array_get(json_array_get(ring, 1), 0)) == 98.993);
    assert_string_equal(str_at(json_object_get(doc, "definition"), "metric"), "count");
    assert_true(json_is_object(json_object_get(doc, "population")));
    assert_int_equal(json_array_size(json_object_get(doc, "sources")), 2);
    json_decref(doc);
    fixture_clear(&f);
}

static void geojson_titles_follow_the_language_and_groups_are_properties(void **state)
{
    (void)state;
    struct fixture f;
    make_mean_by_group(&f);
    f.areas[2].geom = NULL; /* an area without geometry is no feature */
    struct stats_heading h = {.title_en = "Beds", .title_th = "เตียง", .note_en = "only English"};
    json_t *doc = write_json(stats_write_geojson, &f.r,
                             &(struct stats_output){.is_thai = true, .heading = &h});
    assert_string_equal(str_at(doc, "title"), "เตียง");
    assert_string_equal(str_at(doc, "note"), "only English");
    assert_false(has_key(doc, "question"));
    const json_t *features = json_object_get(doc, "features");
    assert_int_equal(json_array_size(features), 2);
    const json_t *props = json_object_get(json_array_get(features, 1), "properties");
    assert_string_equal(str_at(props, "area_name"), NAME_PHRA_SING);
    const json_t *groups = json_object_get(props, "groups");
    assert_true(is_null_at(groups, "clinic")); /* no cell, and a mean of nothing is no value */
    assert_true(num_at(groups, "โรงพยาบาล") == 120);
    assert_int_equal(num_at(props, "class"), 1);
    json_decref(doc);

    doc = write_json(stats_write_geojson, &f.r,
                     &(struct stats_output){.is_thai = false, .heading = &h});
    assert_string_equal(str_at(doc, "title"), "Beds");
    json_decref(doc);
    fixture_clear(&f);
}

/* Table */

static size_t width_of(const char *s)
{
    size_t n = mbstowcs(NULL, s, 0);
    assert_true(n != (size_t)-1);
    wchar_t *w = xcalloc(n + 1, sizeof(wchar_t));
    mbstowcs(w, s, n + 1);
    int width = wcswidth(w, n);
    free(w);
    assert_true(width >= 0);
    return (size_t)width;
}

/* Splits text into lines (without the '\n'); caller frees lines[0] and lines. */
static char **split_lines(char *text, size_t *n)
{
    char **lines = NULL;
    *n = 0;
    for (char *p = text; *p != '\0';) {
        char *nl = strchr(p, '\n');
        assert_non_null(nl);
        *nl = '\0';
        lines = xreallocarray(lines, *n + 1, sizeof(char *));
        lines[(*n)++] = p;
        p = nl + 1;
    }
    return lines;
}

static void table_aligns_thai_names_by_display_width(void **state)
{
    (void)state;
    assert_non_null(setlocale(LC_CTYPE, "C.UTF-8"));
    assert_int_equal(width_of(NAME_SI_PHUM), 4); /* 7 characters, 3 of them marks */
    struct fixture f;
    make_count(&f);
    char *text = write_text(stats_write_table, &f.r, &(struct stats_output){.is_thai = true});
    size_t n = 0;
    char **lines = split_lines(text, &n);
    assert_true(n > 8);
    assert_string_equal(lines[0], f.r.definition_en);
    assert_string_equal(lines[1], "");
    /* header, rule, Si Phum, Phra Sing, rule, total: all as wide as each other */
    size_t width = width_of(lines[2]);
    for (size_t i = 2; i <= 7; i++) {
        if (width_of(lines[i]) != width) {
            fail_msg("line %zu is %zu columns, the header %zu:\n%s", i, width_of(lines[i]), width,
                     text);
        }
    }
    assert_int_equal(strspn(lines[3], "-"), width);
    assert_int_equal(strncmp(lines[4], NAME_SI_PHUM " ", strlen(NAME_SI_PHUM) + 1), 0);
    assert_true(strlen(lines[4]) > width_of(lines[4])); /* padded by width, not by bytes */
    assert_int_equal(strncmp(lines[5], NAME_PHRA_SING, strlen(NAME_PHRA_SING)), 0);
    assert_int_equal(strncmp(lines[7], "รวม ", strlen("รวม ")), 0);
    assert_non_null(strstr(lines[2], "per 10000 residents"));
    assert_non_null(strstr(lines[2], "share %"));
    assert_non_null(strstr(lines[4], " 66.6667")); /* share 2/3 as a percentage */
    assert_non_null(strstr(lines[4], " 24.3013"));
    assert_string_equal(lines[n - 1], "Computed 2026-06-03T12:00:00Z in 0.125 s; data updated "
                                      "2026-06-02T09:30:00Z");
    bool has_source = false, has_gap = false, has_unassigned = false;
    for (size_t i = 8; i < n; i++) {
        has_source |= strcmp(lines[i], "Sources: cm-cbd-pois v3 imported 2026-06-01T10:00:00Z "
                                       "(ODbL-1.0, © OpenStreetMap contributors)") == 0;
        has_gap |= strstr(lines[i], NAME_HAI_YA ": " NOTE_HAI_YA) != NULL;
        has_unassigned |= strstr(lines[i], "3 features") != NULL;
    }
    assert_true(has_source && has_gap && has_unassigned);
    free(lines);
    free(text);
    fixture_clear(&f);
}

static void table_title_is_the_heading_in_the_chosen_language(void **state)
{
    (void)state;
    assert_non_null(setlocale(LC_CTYPE, "C.UTF-8"));
    struct fixture f;
    make_mean_by_group(&f);
    struct stats_heading h = {.title_en = "Beds", .title_th = "เตียง"};
    char *text =
        write_text(stats_write_table, &f.r, &(struct stats_output){.is_thai = true, .heading = &h});
    size_t n = 0;
    char **lines = split_lines(text, &n);
    assert_string_equal(lines[0], "เตียง");
    size_t width = width_of(lines[2]);
    for (size_t i = 2; i <= 12; i++) { /* header, rule, 7 rows, rule, total */
        assert_int_equal(width_of(lines[i]), width);
    }
    assert_non_null(strstr(lines[2], "category"));
    assert_non_null(strstr(lines[2], "mean of beds"));
    assert_null(strstr(lines[2], "per km²"));
    bool has_definition = false;
    for (size_t i = 13; i < n; i++) {
        has_definition |= strncmp(lines[i], "Definition: ", 12) == 0;
    }
    assert_true(has_definition);
    free(lines);
    free(text);
    fixture_clear(&f);
}

static void table_has_no_per_capita_column_without_a_population(void **state)
{
    (void)state;
    assert_non_null(setlocale(LC_CTYPE, "C.UTF-8"));
    struct fixture f;
    make_count(&f);
    f.r.has_population = false;
    char *text = write_text(stats_write_table, &f.r, &(struct stats_output){.is_thai = false});
    size_t n = 0;
    char **lines = split_lines(text, &n);
    assert_non_null(strstr(lines[2], "per km²"));
    assert_null(strstr(lines[2], "residents"));
    assert_string_equal(lines[7] + strlen(lines[7]) - 5, "  100"); /* the total's share */
    for (size_t i = 8; i < n; i++) {
        assert_null(strstr(lines[i], "Population"));
    }
    free(lines);
    free(text);
    fixture_clear(&f);
}

/* Every writer */

static void output_past_the_cap_fails_and_keeps_the_buf(void **state)
{
    (void)state;
    static const writer_fn writers[] = {stats_write_json, stats_write_geojson, stats_write_csv,
                                        stats_write_table};
    struct fixture f;
    make_count(&f);
    for (size_t i = 0; i < sizeof(writers) / sizeof(writers[0]); i++) {
        struct buf b;
        buf_init(&b, 300);
        struct err err = {0};
        assert_int_equal(buf_append_str(&b, "kept", &err), ERR_OK);
        int rc = writers[i](&f.r, &(struct stats_output){.is_thai = false}, &b, &err);
        assert_int_equal(rc, ERR_TOO_LARGE);
        assert_int_equal(b.len, 4);
        assert_string_equal(b.data, "kept");
        buf_clear(&b);
    }
    fixture_clear(&f);
}

/* Issue 17: a per-capita statistic with an area lacking a population has no city-wide
 * number: the headline names the highest and lowest areas, never the raw count, the area
 * without a figure is no data with its reason, and the texts come in both languages. */
static void json_summary_is_honest_about_missing_denominators(void **state)
{
    (void)state;
    struct fixture f;
    make_count(&f);
    struct stats_output o = {.is_thai = false, .place_en = "Chiang Mai", .link = "http://x/s"};
    json_t *doc = write_json(stats_write_json, &f.r, &o);
    const json_t *headline = json_object_get(doc, "headline");
    assert_true(json_is_null(json_object_get(headline, "value")));
    assert_string_equal(str_at(headline, "column"), "per_capita");
    assert_string_equal(str_at(json_object_get(headline, "text"), "en"),
                        "Highest: " NAME_SI_PHUM
                        " 30 per 10,000 residents · lowest: " NAME_PHRA_SING
                        " 7.5 per 10,000 residents");
    assert_string_equal(str_at(json_object_get(headline, "text"), "th"),
                        "สูงสุด " NAME_SI_PHUM " 30 ต่อประชากร 10,000 คน · ต่ำสุด " NAME_PHRA_SING
                        " 7.5 ต่อประชากร 10,000 คน");
    const json_t *units = json_object_get(doc, "units");
    assert_string_equal(str_at(json_object_get(units, "value"), "th"), "แห่ง");
    assert_string_equal(str_at(json_object_get(units, "per_km2"), "en"), "per km²");
    /* Hai Ya has no cell (nothing counted there), so no JSON row: its feature says it. */
    json_t *geojson = write_json(stats_write_geojson, &f.r, &o);
    const json_t *features = json_object_get(geojson, "features");
    size_t n_no_data = 0;
    for (size_t i = 0; i < json_array_size(features); i++) {
        const json_t *row = json_object_get(json_array_get(features, i), "properties");
        const json_t *why = json_object_get(row, "no_data_reason");
        if (!json_is_null(why)) {
            n_no_data++;
            assert_string_equal(str_at(row, "area_name"), NAME_HAI_YA);
            assert_string_equal(str_at(why, "en"), NOTE_HAI_YA);
            assert_true(json_is_null(json_object_get(row, "per_capita")));
        }
    }
    assert_int_equal(n_no_data, 1);
    json_decref(geojson);
    assert_string_equal(str_at(json_object_get(doc, "caveat"), "en"),
                        "1 of 3 areas have no population figure: shown as no data");
    const json_t *years = json_object_get(doc, "years");
    assert_string_equal(str_at(json_object_get(years, "text"), "th"),
                        "ข้อมูล ณ ปี 2569, ประชากรปี 2548–2566");
    const char *credit = str_at(json_object_get(doc, "credit"), "en");
    assert_non_null(strstr(credit, "© OpenStreetMap contributors"));
    assert_null(strstr(strstr(credit, "© OpenStreetMap") + 1, "© OpenStreetMap"));
    assert_non_null(strstr(credit, "Royal Thai Survey Department (licence CC-BY-IGO-3.0)"));
    const char *caption = str_at(json_object_get(doc, "caption"), "en");
    assert_non_null(strstr(caption, "Chiang Mai · data as of 2026"));
    assert_non_null(strstr(caption, "\nhttp://x/s"));
    const json_t *labels = json_object_get(json_object_get(doc, "classes"), "labels");
    assert_int_equal(json_array_size(labels), (size_t)f.r.n_classes);
    json_decref(doc);
    fixture_clear(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(json_has_every_value_with_its_definition),
        cmocka_unit_test(json_summary_is_honest_about_missing_denominators),
        cmocka_unit_test(json_population_spans_years_and_nulls_carry_notes),
        cmocka_unit_test(json_rows_leave_out_the_total_and_round_to_the_decimals_shown),
        cmocka_unit_test(json_non_additive_metrics_have_no_per_capita_columns),
        cmocka_unit_test(json_heading_and_links_are_written_when_given),
        cmocka_unit_test(json_nearest_rows_have_median_max_and_share_beyond),
        cmocka_unit_test(csv_parses_back_to_the_numbers_of_the_json),
        cmocka_unit_test(csv_with_groups_has_a_group_column_and_no_per_capita_columns),
        cmocka_unit_test(geojson_features_carry_classes_consistent_with_the_breaks),
        cmocka_unit_test(geojson_titles_follow_the_language_and_groups_are_properties),
        cmocka_unit_test(table_aligns_thai_names_by_display_width),
        cmocka_unit_test(table_title_is_the_heading_in_the_chosen_language),
        cmocka_unit_test(table_has_no_per_capita_column_without_a_population),
        cmocka_unit_test(output_past_the_cap_fails_and_keeps_the_buf),
    };
    return cmocka_run_group_tests(tests, make_blobs, free_blobs);
}
