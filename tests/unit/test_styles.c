/* test_styles.c - styles/: every bundled style file loads; malformed styles are refused
 * with the file, the JSON path and the problem; every expression kind evaluates as
 * MapLibre would; defaults by geometry type; a folder with bad files still loads the
 * good ones. */
#include "unit.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "styles/style_eval.h"
#include "styles/style_load.h"
#include "styles/style_set.h"

#include "unit_support.c"

#define N_ITEMS(a) (sizeof(a) / sizeof((a)[0]))

/* The bundled layers with geometry: each has a file in styles/. */
static const char *const bundled_layers[] = {
    "cm-province",
    "cm-districts",
    "cm-tambon",
    "provinces-cm-lp-cr-sk",
    "districts-lp-cr-sk",
    "tambon-lp-cr-sk",
    "tambon-centroids-postcodes",
    "cm-cbd-pois",
    "cm-cbd-landmarks",
    "cm-cbd-residential-places",
    "cm-cbd-roads",
    "rivers-wdbii",
    "cm-old-city-walls",
    "cm-cbd-building-density",
    /* Hat Yai (datasets/hatyai) */
    "songkhla-districts",
    "songkhla-tambon",
    "hy-pois",
    "hy-landmarks",
    "hy-residential-places",
    "hy-roads",
};

static json_t *parse(const char *text)
{
    json_error_t jerr;
    json_t *doc = json_loads(text, 0, &jerr);
    if (doc == NULL) {
        fail_msg("test JSON does not parse: %s: %s", jerr.text, text);
    }
    return doc;
}

/* Loading the bundled files */

static void every_bundled_style_loads(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_ITEMS(bundled_layers); i++) {
        char rel[128];
        snprintf(rel, sizeof(rel), "styles/%s.json", bundled_layers[i]);
        json_t *doc = NULL;
        struct err err = {0};
        if (style_load_file(unit_repo_path(rel), &doc, &err) != ERR_OK) {
            fail_msg("%s", err.msg);
        }
        assert_string_equal(
            json_string_value(json_object_get(json_object_get(doc, "metadata"), STYLE_META_LAYER)),
            bundled_layers[i]);
        json_decref(doc);
    }
    struct style_set *set = NULL;
    struct err err = {0};
    assert_int_equal(style_set_load(unit_repo_path("styles"), &set, &err), ERR_OK);
    assert_int_equal(style_set_count(set), N_ITEMS(bundled_layers));
    assert_int_equal(style_set_n_refused(set), 0);
    style_set_free(set);
}

/* Malformed styles */

struct bad_case {
    const char *json;
    const char *message; /* after "bad.json: " */
};

#define POINT_LAYER(paint)                                                                         \
    "{\"version\":8,\"metadata\":{\"cityatlas:layer\":\"x\"},"                                     \
    "\"layers\":[{\"id\":\"a\",\"type\":\"circle\",\"paint\":" paint "}]}"

static const struct bad_case bad_cases[] = {
    {"[]", "top level: expected a style object"},
    {"{\"version\":7,\"metadata\":{\"cityatlas:layer\":\"x\"},\"layers\":[]}",
     "version: expected 8 (the MapLibre style specification's version)"},
    {"{\"version\":8,\"sources\":{},\"metadata\":{\"cityatlas:layer\":\"x\"},\"layers\":[]}",
     "sources: not supported: the source is implied (the features of the layer the file is "
     "named after)"},
    {"{\"version\":8,\"metadata\":{},\"layers\":[]}",
     "metadata.cityatlas:layer: expected the id of the layer this style is for"},
    {"{\"version\":8,\"metadata\":{\"cityatlas:layer\":\"x\"},\"layers\":[]}",
     "layers: expected a non-empty array of layers"},
    {POINT_LAYER("{\"circle-radius\":[\"interpolate\",[\"linear\"],[\"zoom\"],10,2,14,\"big\"]}"),
     "layers[0].paint.circle-radius[6]: expected a number"},
    {POINT_LAYER("{\"circle-radius\":[\"step\",[\"get\",\"w\"],2,10,4,5,6]}"),
     "layers[0].paint.circle-radius[5]: stops must be in strictly ascending order"},
    {POINT_LAYER("{\"circle-opacity\":1.5}"),
     "layers[0].paint.circle-opacity: 1.5 is out of range (0 to 1)"},
    {POINT_LAYER("{\"circle-color\":\"red\"}"),
     "layers[0].paint.circle-color: expected a colour (\"#rgb\", \"#rrggbb\" or "
     "\"rgba(r,g,b,a)\")"},
    {POINT_LAYER("{\"circle-color\":[\"match\",[\"get\",\"k\"],\"a\",\"#fff\",\"#12345\"]}"),
     "layers[0].paint.circle-color[4]: expected a colour (\"#rgb\", \"#rrggbb\" or "
     "\"rgba(r,g,b,a)\")"},
    {POINT_LAYER("{\"circle-color\":[\"case\",true,\"#fff\",\"#000\"]}"),
     "layers[0].paint.circle-color: unsupported expression \"case\" (supported: get, match, "
     "step, interpolate)"},
    {POINT_LAYER("{\"circle-blur\":1}"),
     "layers[0].paint.circle-blur: unsupported property (styles/README.md lists the "
     "supported ones)"},
    {POINT_LAYER("{\"line-width\":1}"),
     "layers[0].paint.line-width: belongs to line layers, not circle layers"},
    {POINT_LAYER("{\"circle-radius\":[\"interpolate\",[\"exponential\",2],[\"zoom\"],1,2]}"),
     "layers[0].paint.circle-radius[1]: the only interpolation supported is [\"linear\"]"},
    {POINT_LAYER("{\"circle-radius\":[\"zoom\"]}"),
     "layers[0].paint.circle-radius: [\"zoom\"] may only be the input of step or interpolate"},
    {"{\"version\":8,\"metadata\":{\"cityatlas:layer\":\"x\"},\"layers\":[{\"id\":\"a\","
     "\"type\":\"fill\",\"filter\":[\"in\",[\"get\",\"k\"],[\"literal\",[\"a\",{}]]]}]}",
     "layers[0].filter[2][1][1]: expected a string, a number or a boolean"},
    {"{\"version\":8,\"metadata\":{\"cityatlas:layer\":\"x\"},\"layers\":[{\"id\":\"a\","
     "\"type\":\"fill\",\"filter\":[\"all\",[\"has\",\"k\"],[\">\",[\"get\",\"k\"],1]]}]}",
     "layers[0].filter[2]: unsupported filter \">\" (supported: ==, !=, in, all, any, has)"},
    {"{\"version\":8,\"metadata\":{\"cityatlas:layer\":\"x\"},\"layers\":[{\"id\":\"a\","
     "\"type\":\"fill\",\"minzoom\":12,\"maxzoom\":10}]}",
     "layers[0].maxzoom: must be above minzoom"},
    {"{\"version\":8,\"metadata\":{\"cityatlas:layer\":\"x\"},\"layers\":[{\"id\":\"a\","
     "\"type\":\"fill\"},{\"id\":\"a\",\"type\":\"line\"}]}",
     "layers[1].id: \"a\" is also the id of layers[0]"},
    {"{\"version\":8,\"metadata\":{\"cityatlas:layer\":\"x\"},\"layers\":[{\"id\":\"a\","
     "\"type\":\"symbol\",\"layout\":{\"text-size\":12}}]}",
     "layers[0].layout: a symbol layer needs a text-field (icons are not supported)"},
    {"{\"version\":8,\"metadata\":{\"cityatlas:layer\":\"x\"},\"layers\":[{\"id\":\"a\","
     "\"type\":\"line\",\"layout\":{\"line-cap\":\"flat\"}}]}",
     "layers[0].layout.line-cap: expected one of: butt, round, square (a literal, not an "
     "expression)"},
    {"{\"version\":8,\"metadata\":{\"cityatlas:layer\":\"x\"},\"layers\":[{\"id\":\"a\","
     "\"type\":\"heatmap\"}]}",
     "layers[0].type: expected one of: fill, line, circle, symbol"},
};

static void malformed_styles_name_file_path_and_problem(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_ITEMS(bad_cases); i++) {
        json_t *doc = parse(bad_cases[i].json);
        struct err err = {0};
        int rc = style_check(doc, "bad.json", &err);
        char want[512];
        snprintf(want, sizeof(want), "bad.json: %s", bad_cases[i].message);
        if (rc != ERR_INVALID || strcmp(err.msg, want) != 0) {
            fail_msg("case %zu: rc %d\n  got:  %s\n  want: %s", i, rc, err.msg, want);
        }
        json_decref(doc);
    }
}

static void bad_json_file_reports_line_and_column(void **state)
{
    (void)state;
    char path[256];
    snprintf(path, sizeof(path), "%s/broken.json", unit_temp_dir());
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("{\"version\": 8,\n \"layers\": [,]}\n", f);
    fclose(f);
    json_t *doc = NULL;
    struct err err = {0};
    assert_int_equal(style_load_file(path, &doc, &err), ERR_INVALID);
    assert_non_null(strstr(err.msg, path));
    assert_non_null(strstr(err.msg, "line 2"));
    remove(path);
}

/* Evaluation */

static const char *const feature_names[] = {"category", "weight", "name", "ratio", "empty"};
static const struct store_value feature_values[] = {
    {STORE_TEXT, false, 0, 0, "temple", 6},
    {STORE_INTEGER, false, 40, 0, NULL, 0},
    {STORE_TEXT, false, 0, 0, "วัดเจดีย์หลวง", sizeof("วัดเจดีย์หลวง") - 1},
    {STORE_REAL, false, 0, 0.5, NULL, 0},
    {STORE_TEXT, true, 0, 0, NULL, 0},
};
static const struct style_feature feature = {feature_names, feature_values, 5};

static struct style_result eval_text(const char *expr, enum style_want want, double zoom)
{
    json_t *v = json_loads(expr, JSON_DECODE_ANY, NULL);
    if (v == NULL) {
        fail_msg("bad test expression %s", expr);
    }
    struct style_result r;
    style_eval(v, want, &feature, zoom, &r);
    json_decref(v);
    return r;
}

static double eval_number(const char *expr, double zoom)
{
    struct style_result r = eval_text(expr, STYLE_WANT_NUMBER, zoom);
    if (r.kind != STYLE_RESULT_NUMBER) {
        fail_msg("%s at zoom %g: no number", expr, zoom);
    }
    return r.number;
}

static void assert_color(const char *expr, double zoom, double r, double g, double b, double a)
{
    struct style_result res = eval_text(expr, STYLE_WANT_COLOR, zoom);
    if (res.kind != STYLE_RESULT_COLOR || fabs(res.color.r - r) > 1e-9 ||
        fabs(res.color.g - g) > 1e-9 || fabs(res.color.b - b) > 1e-9 ||
        fabs(res.color.a - a) > 1e-9) {
        fail_msg("%s at zoom %g: kind %d rgba(%g,%g,%g,%g), want (%g,%g,%g,%g)", expr, zoom,
                 (int)res.kind, res.color.r, res.color.g, res.color.b, res.color.a, r, g, b, a);
    }
}

/* Reads the string while the expression lives: it may point into it (or into r.text). */
static void assert_string_result(const char *expr, const char *want)
{
    json_t *v = json_loads(expr, JSON_DECODE_ANY, NULL);
    assert_non_null(v);
    struct style_result r;
    style_eval(v, STYLE_WANT_STRING, &feature, 12, &r);
    assert_int_equal(r.kind, STYLE_RESULT_STRING);
    assert_int_equal(r.str_len, strlen(want));
    assert_memory_equal(r.string, want, r.str_len);
    json_decref(v);
}

static void literals_and_colours_evaluate(void **state)
{
    (void)state;
    assert_true(eval_number("3.5", 0) == 3.5);
    assert_color("\"#fff\"", 0, 1, 1, 1, 1);
    assert_color("\"#0072B2\"", 0, 0, 0x72 / 255.0, 0xb2 / 255.0, 1);
    assert_color("\"rgba(255, 0, 51, 0.5)\"", 0, 1, 0, 0.2, 0.5);
    assert_string_result("\"Chiang Mai\"", "Chiang Mai");
    assert_int_equal(eval_text("\"red\"", STYLE_WANT_COLOR, 0).kind, STYLE_RESULT_NONE);
    assert_int_equal(eval_text("\"rgba(256,0,0,1)\"", STYLE_WANT_COLOR, 0).kind, STYLE_RESULT_NONE);
    assert_int_equal(eval_text("\"#12345\"", STYLE_WANT_COLOR, 0).kind, STYLE_RESULT_NONE);
}

static void get_reads_properties_and_missing_ones_give_none(void **state)
{
    (void)state;
    assert_true(eval_number("[\"get\", \"weight\"]", 0) == 40);
    assert_true(eval_number("[\"get\", \"ratio\"]", 0) == 0.5);
    assert_string_result("[\"get\", \"name\"]", "วัดเจดีย์หลวง");
    assert_string_result("[\"get\", \"weight\"]", "40");
    assert_int_equal(eval_text("[\"get\", \"empty\"]", STYLE_WANT_STRING, 0).kind,
                     STYLE_RESULT_NONE);
    assert_int_equal(eval_text("[\"get\", \"nope\"]", STYLE_WANT_NUMBER, 0).kind,
                     STYLE_RESULT_NONE);
    assert_int_equal(eval_text("[\"get\", \"name\"]", STYLE_WANT_NUMBER, 0).kind,
                     STYLE_RESULT_NONE);
}

static void match_picks_the_label_or_the_fallback(void **state)
{
    (void)state;
    assert_color("[\"match\", [\"get\", \"category\"], \"shop\", \"#000\", \"temple\", "
                 "\"#f00\", \"#00f\"]",
                 0, 1, 0, 0, 1);
    assert_color("[\"match\", [\"get\", \"category\"], [\"bar\", \"temple\"], \"#0f0\", \"#00f\"]",
                 0, 0, 1, 0, 1);
    assert_color("[\"match\", [\"get\", \"category\"], \"shop\", \"#000\", \"#00f\"]", 0, 0, 0, 1,
                 1);
    assert_true(eval_number("[\"match\", [\"get\", \"weight\"], 40, 7, 1]", 0) == 7);
    assert_true(eval_number("[\"match\", [\"get\", \"empty\"], \"x\", 7, 1]", 0) == 1);
}

static void step_picks_the_last_stop_at_or_below_the_input(void **state)
{
    (void)state;
    const char *by_weight = "[\"step\", [\"get\", \"weight\"], 1, 30, 2, 40, 3, 50, 4]";
    assert_true(eval_number(by_weight, 0) == 3);
    const char *by_zoom = "[\"step\", [\"zoom\"], 1, 10, 2, 15, 3]";
    assert_true(eval_number(by_zoom, 5) == 1);
    assert_true(eval_number(by_zoom, 10) == 2);
    assert_true(eval_number(by_zoom, 14.9) == 2);
    assert_true(eval_number(by_zoom, 20) == 3);
    assert_int_equal(
        eval_text("[\"step\", [\"get\", \"name\"], 1, 10, 2]", STYLE_WANT_NUMBER, 0).kind,
        STYLE_RESULT_NONE);
}

static void interpolate_is_linear_and_clamped(void **state)
{
    (void)state;
    const char *by_zoom = "[\"interpolate\", [\"linear\"], [\"zoom\"], 10, 2, 14, 10, 18, 12]";
    assert_true(eval_number(by_zoom, 5) == 2);
    assert_true(eval_number(by_zoom, 10) == 2);
    assert_true(fabs(eval_number(by_zoom, 12) - 6) < 1e-12);
    assert_true(fabs(eval_number(by_zoom, 16) - 11) < 1e-12);
    assert_true(eval_number(by_zoom, 22) == 12);
    const char *by_weight = "[\"interpolate\", [\"linear\"], [\"get\", \"weight\"], 20, 4, 60, 10]";
    assert_true(fabs(eval_number(by_weight, 0) - 7) < 1e-12);
    assert_color("[\"interpolate\", [\"linear\"], [\"zoom\"], 0, \"#000000\", 10, "
                 "\"rgba(255,255,255,0)\"]",
                 5, 0.5, 0.5, 0.5, 0.5);
    /* Nested: a match whose outputs depend on the zoom. */
    assert_true(fabs(eval_number("[\"match\", [\"get\", \"category\"], \"temple\", "
                                 "[\"interpolate\", [\"linear\"], [\"zoom\"], 0, 0, 10, 10], 1]",
                                 3) -
                     3) < 1e-12);
}

static bool filter(const char *text)
{
    json_t *f = json_loads(text, 0, NULL);
    if (f == NULL) {
        fail_msg("bad test filter %s", text);
    }
    bool matches = style_filter_matches(f, &feature);
    json_decref(f);
    return matches;
}

static void filters_compare_properties(void **state)
{
    (void)state;
    assert_true(filter("[\"==\", [\"get\", \"category\"], \"temple\"]"));
    assert_false(filter("[\"==\", [\"get\", \"category\"], \"shop\"]"));
    assert_true(filter("[\"==\", [\"get\", \"weight\"], 40]"));
    assert_false(filter("[\"==\", [\"get\", \"weight\"], \"40\"]"));
    assert_true(filter("[\"!=\", [\"get\", \"category\"], \"shop\"]"));
    assert_true(filter("[\"!=\", [\"get\", \"empty\"], \"x\"]"));
    assert_true(filter("[\"in\", [\"get\", \"category\"], [\"literal\", [\"bar\", \"temple\"]]]"));
    assert_false(filter("[\"in\", [\"get\", \"category\"], [\"literal\", [\"bar\", \"shop\"]]]"));
    assert_true(filter("[\"has\", \"name\"]"));
    assert_false(filter("[\"has\", \"empty\"]"));
    assert_false(filter("[\"has\", \"nope\"]"));
    assert_true(filter("[\"all\", [\"has\", \"name\"], [\"==\", [\"get\", \"weight\"], 40]]"));
    assert_false(filter("[\"all\", [\"has\", \"name\"], [\"==\", [\"get\", \"weight\"], 41]]"));
    assert_true(filter("[\"any\", [\"has\", \"empty\"], [\"==\", [\"get\", \"weight\"], 40]]"));
    assert_false(filter("[\"any\", [\"has\", \"empty\"], [\"has\", \"nope\"]]"));
    assert_true(filter("[\"all\"]"));
    assert_false(filter("[\"any\"]"));
}

/* The cases shared with the web map (tests/data/style_vectors.json, run there by
 * tests/unit/style_vectors.test.mjs): both languages must give these answers. */

#define VECTOR_MAX_PROPS 16

/* The vectors' feature as store values (strings borrowed from the JSON). */
static struct style_feature vector_feature(json_t *props, const char **names,
                                           struct store_value *values)
{
    size_t n = 0;
    const char *key;
    json_t *v;
    json_object_foreach(props, key, v)
    {
        assert_true(n < VECTOR_MAX_PROPS);
        struct store_value *sv = &values[n];
        memset(sv, 0, sizeof(*sv));
        names[n++] = key;
        if (json_is_integer(v)) {
            sv->type = STORE_INTEGER;
            sv->i = json_integer_value(v);
        } else if (json_is_real(v)) {
            sv->type = STORE_REAL;
            sv->d = json_real_value(v);
        } else {
            sv->type = STORE_TEXT;
            sv->is_null = !json_is_string(v);
            sv->ptr = json_string_value(v);
            sv->len = sv->ptr != NULL ? strlen(sv->ptr) : 0;
        }
    }
    return (struct style_feature){names, values, n};
}

/* Checks one eval case: r against the expected JSON result (null, number, text, colour). */
static void check_vector(const json_t *c, const struct style_result *r)
{
    char *what = json_dumps(json_object_get(c, "expr"), JSON_ENCODE_ANY | JSON_COMPACT);
    const json_t *want = json_object_get(c, "result");
    bool ok = false;
    if (json_is_null(want)) {
        ok = r->kind == STYLE_RESULT_NONE;
    } else if (json_is_number(want)) {
        ok = r->kind == STYLE_RESULT_NUMBER && fabs(r->number - json_number_value(want)) < 1e-9;
    } else if (json_is_string(want)) {
        ok = r->kind == STYLE_RESULT_STRING && r->str_len == json_string_length(want) &&
             memcmp(r->string, json_string_value(want), r->str_len) == 0;
    } else {
        double got[4] = {r->color.r * 255, r->color.g * 255, r->color.b * 255, r->color.a};
        ok = r->kind == STYLE_RESULT_COLOR;
        for (size_t i = 0; ok && i < 4; i++) {
            ok = fabs(got[i] - json_number_value(json_array_get(want, i))) <= (i < 3 ? 1 : 0.004);
        }
    }
    if (!ok) {
        fail_msg("%s as %s: kind %d", what, json_string_value(json_object_get(c, "want")),
                 (int)r->kind);
    }
    free(what);
}

static void shared_vectors_evaluate_as_in_the_web_map(void **state)
{
    (void)state;
    json_error_t jerr;
    json_t *doc = json_load_file(unit_repo_path("tests/data/style_vectors.json"), 0, &jerr);
    assert_non_null(doc);
    const char *names[VECTOR_MAX_PROPS];
    struct store_value values[VECTOR_MAX_PROPS];
    struct style_feature f = vector_feature(json_object_get(doc, "feature"), names, values);
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(doc, "eval"), i, c)
    {
        const char *want = json_string_value(json_object_get(c, "want"));
        enum style_want w = strcmp(want, "number") == 0   ? STYLE_WANT_NUMBER
                            : strcmp(want, "string") == 0 ? STYLE_WANT_STRING
                                                          : STYLE_WANT_COLOR;
        struct style_result r;
        style_eval(json_object_get(c, "expr"), w, &f, json_number_value(json_object_get(c, "zoom")),
                   &r);
        check_vector(c, &r);
    }
    assert_true(i > 30);
    json_array_foreach(json_object_get(doc, "filter"), i, c)
    {
        bool want = json_is_true(json_object_get(c, "result"));
        if (style_filter_matches(json_object_get(c, "filter"), &f) != want) {
            char *text = json_dumps(json_object_get(c, "filter"), JSON_COMPACT);
            fail_msg("filter %s: not %d", text, (int)want);
        }
    }
    json_decref(doc);
}

/* Defaults and the folder */

/* The types of the default style's layers, joined by spaces; the style must pass the
 * same check as a file. */
static void assert_default(const char *geometry_type, const char *name_column, const char *want)
{
    json_t *doc = style_default("layer-x", geometry_type, name_column);
    assert_non_null(doc);
    struct err err = {0};
    if (style_check(doc, "default", &err) != ERR_OK) {
        fail_msg("%s", err.msg);
    }
    char types[128] = "";
    size_t i;
    json_t *layer;
    json_array_foreach(json_object_get(doc, "layers"), i, layer)
    {
        snprintf(types + strlen(types), sizeof(types) - strlen(types), "%s%s", i > 0 ? " " : "",
                 json_string_value(json_object_get(layer, "type")));
    }
    assert_string_equal(types, want);
    json_decref(doc);
}

static void defaults_follow_the_geometry_type(void **state)
{
    (void)state;
    assert_default("POINT", NULL, "circle");
    assert_default("MULTIPOINT", "name", "circle symbol");
    assert_default("LINESTRING", NULL, "line");
    assert_default("MULTILINESTRING", NULL, "line");
    assert_default("POLYGON", "adm3_th", "fill line symbol");
    assert_default("MULTIPOLYGON", NULL, "fill line");
    assert_default("GEOMETRY", NULL, "fill line line circle");
    assert_null(style_default("table-x", NULL, "name"));
}

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void remove_file(const char *dir, const char *name)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    remove(path);
}

static void folder_skips_bad_files_and_defaults_their_layers(void **state)
{
    (void)state;
    char dir[64];
    snprintf(dir, sizeof(dir), "%s", unit_temp_dir());
    write_file(dir, "good.json",
               "{\"version\":8,\"metadata\":{\"cityatlas:layer\":\"good\"},"
               "\"layers\":[{\"id\":\"a\",\"type\":\"line\"}]}");
    write_file(dir, "broken.json", "{\"version\": 8, \"layers\": [}");
    write_file(dir, "renamed.json",
               "{\"version\":8,\"metadata\":{\"cityatlas:layer\":\"other\"},"
               "\"layers\":[{\"id\":\"a\",\"type\":\"line\"}]}");
    write_file(dir, "notes.txt", "not a style");
    struct style_set *set = NULL;
    struct err err = {0};
    assert_int_equal(style_set_load(dir, &set, &err), ERR_OK);
    assert_int_equal(style_set_count(set), 1);
    assert_int_equal(style_set_n_refused(set), 2);

    bool is_default = true;
    json_t *good = style_set_resolve(set, "good", "LINESTRING", NULL, &is_default);
    assert_false(is_default);
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(good, "layers"), 0), "id")),
                        "a");
    json_decref(good);
    json_t *broken = style_set_resolve(set, "broken", "POINT", NULL, &is_default);
    assert_true(is_default);
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(broken, "layers"), 0), "type")),
                        "circle");
    json_decref(broken);
    assert_null(style_set_resolve(set, "good", NULL, NULL, &is_default));
    style_set_free(set);

    char missing[128];
    snprintf(missing, sizeof(missing), "%s/absent", dir);
    assert_int_equal(style_set_load(missing, &set, &err), ERR_IO);
    remove_file(dir, "good.json");
    remove_file(dir, "broken.json");
    remove_file(dir, "renamed.json");
    remove_file(dir, "notes.txt");
    remove(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_bundled_style_loads),
        cmocka_unit_test(malformed_styles_name_file_path_and_problem),
        cmocka_unit_test(bad_json_file_reports_line_and_column),
        cmocka_unit_test(literals_and_colours_evaluate),
        cmocka_unit_test(get_reads_properties_and_missing_ones_give_none),
        cmocka_unit_test(match_picks_the_label_or_the_fallback),
        cmocka_unit_test(step_picks_the_last_stop_at_or_below_the_input),
        cmocka_unit_test(interpolate_is_linear_and_clamped),
        cmocka_unit_test(filters_compare_properties),
        cmocka_unit_test(shared_vectors_evaluate_as_in_the_web_map),
        cmocka_unit_test(defaults_follow_the_geometry_type),
        cmocka_unit_test(folder_skips_bad_files_and_defaults_their_layers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
