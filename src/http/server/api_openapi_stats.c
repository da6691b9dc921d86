/* api_openapi_stats.c - the statistics part of "/api": the operations of /stats,
 * /stats/featured and /stats/featured/{statisticId} (api_stats.c), a component parameter
 * for every name stats_spec_parse takes, and the schemas of what stats_json.c and
 * api_stats.c write. The words offered (metrics, units, ...) and the defaults are read from
 * the stats module itself, so the document cannot offer what the parser refuses; the
 * layer and statistic ids come from the snapshot, as the collections' ids do. */
#include "http/server/api_openapi_int.h"

#include <assert.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "stats/stats.h"

static const char *tr(enum http_lang lang, const char *en, const char *th)
{
    return lang == HTTP_LANG_TH ? th : en;
}

/* Parameters (components/parameters) */

/* What a statistic parameter's value is: decides its schema. */
enum param_kind {
    KIND_TEXT,           /* a field name */
    KIND_FILTER,         /* CQL2 text */
    KIND_LAYER,          /* the id of any layer */
    KIND_GEOMETRY_LAYER, /* the id of a layer with geometry */
    KIND_BOUNDARY_LAYER, /* the id of a layer of polygons */
    KIND_FILTER_LANG,
    KIND_METRIC,
    KIND_INTERVAL,
    KIND_UNIT,
    KIND_CLASSIFY,
    KIND_COLUMN,
    KIND_CLASSES,
    KIND_PER,
    KIND_BEYOND,
    KIND_JOIN,
};

struct param_doc {
    const char *name; /* as in stats_param_names */
    enum param_kind kind;
    const char *en, *th;
};

/* In the order of stats_param_names; the component of each is "stats-<name>". */
static const struct param_doc param_docs[] = {
    {"layer", KIND_LAYER,
     "The id of the layer aggregated (required): its features are counted or measured. "
     "/collections lists the layers.",
     "รหัสของชั้นข้อมูลที่นำมาสรุป (ต้องระบุ) รายการข้อมูลในชั้นนี้จะถูกนับหรือวัด "
     "ดูรายการชั้นข้อมูลได้ที่ /collections"},
    {"filter", KIND_FILTER,
     "A CQL2 text filter on the fields of layer: only matching features count, e.g. "
     "category = 'school'.",
     "ตัวกรองแบบ CQL2 text บนคุณสมบัติของ layer นับเฉพาะรายการที่ตรงเงื่อนไข เช่น "
     "category = 'school'"},
    {"filter-lang", KIND_FILTER_LANG,
     "The language of filter, by-filter and to-filter: cql2-text (cql-text is accepted as its "
     "older name).",
     "ภาษาของ filter, by-filter และ to-filter: cql2-text (รับชื่อเดิม cql-text ด้วย)"},
    {"by", KIND_BOUNDARY_LAYER,
     "The boundary layer (polygons, e.g. districts or subdistricts): one row per polygon. "
     "Without by, one row for all the features.",
     "ชั้นข้อมูลขอบเขต (รูปหลายเหลี่ยม เช่น อำเภอหรือตำบล) ได้หนึ่งแถวต่อหนึ่งขอบเขต "
     "ถ้าไม่ระบุจะได้แถวเดียวของรายการทั้งหมด"},
    {"by-filter", KIND_FILTER,
     "A CQL2 text filter on the boundaries of by: only matching areas get a row, e.g. "
     "ADM2_PCODE = 'TH5001'.",
     "ตัวกรองแบบ CQL2 text บนขอบเขตของ by แสดงเฉพาะพื้นที่ที่ตรงเงื่อนไข เช่น "
     "ADM2_PCODE = 'TH5001'"},
    {"metric", KIND_METRIC,
     "What is computed per area. count: the features whose point (a point on surface for "
     "lines and polygons) lies in the area, each in one area only. length, area: the lines "
     "or polygons clipped to each area, measured on the WGS84 ellipsoid. sum, mean, min, "
     "max, median: of field. nearest: the geodesic distance from each feature to the nearest "
     "feature of to (searched in UTM), as mean (value), median and maximum per area.",
     "สิ่งที่คำนวณต่อพื้นที่ count: จำนวนรายการที่จุดของรายการ (จุดบนพื้นผิวสำหรับเส้นและ"
     "รูปหลายเหลี่ยม) อยู่ในพื้นที่ แต่ละรายการนับในพื้นที่เดียว length, area: ความยาวของเส้น"
     "หรือพื้นที่ของรูปหลายเหลี่ยมที่ตัดตามขอบเขตแต่ละพื้นที่ วัดบนทรงรี WGS84 sum, mean, "
     "min, max, median: ของ field nearest: ระยะทางจีโอเดสิกจากแต่ละรายการถึงรายการที่ใกล้"
     "ที่สุดของ to (ค้นหาในระบบ UTM) เป็นค่าเฉลี่ย (value) มัธยฐาน และค่าสูงสุดต่อพื้นที่"},
    {"field", KIND_TEXT,
     "The number field of layer that sum, mean, min, max and median take (required with "
     "them, refused with the other metrics).",
     "คุณสมบัติตัวเลขของ layer ที่ใช้กับ sum, mean, min, max และ median "
     "(ต้องระบุเมื่อใช้ค่าเหล่านี้ และใช้กับค่าอื่นไม่ได้)"},
    {"group", KIND_TEXT,
     "A field of layer: one row per area and value of this field (e.g. category).",
     "คุณสมบัติของ layer ที่ใช้จัดกลุ่ม: ได้หนึ่งแถวต่อพื้นที่และค่าของคุณสมบัตินี้ "
     "(เช่น category)"},
    {"time", KIND_TEXT,
     "A date field of layer (ISO 8601 text): one row per area and period of interval.",
     "คุณสมบัติวันที่ของ layer (ข้อความแบบ ISO 8601): ได้หนึ่งแถวต่อพื้นที่และช่วงเวลา "
     "ตาม interval"},
    {"interval", KIND_INTERVAL, "The periods of time: by day, month or year (goes with time).",
     "ช่วงเวลา: รายวัน รายเดือน หรือรายปี (ใช้คู่กับ time)"},
    {"population", KIND_TEXT,
     "The number field holding each area's population, in by (or in population-from when "
     "given): adds per_capita, per `per` residents. Needs by. An area without a figure gets "
     "no per-capita value, and a note that says why.",
     "คุณสมบัติตัวเลขที่เก็บจำนวนประชากรของแต่ละพื้นที่ ใน by (หรือใน population-from "
     "ถ้าระบุ) เพิ่มคอลัมน์ per_capita ต่อประชากรตามจำนวนใน per ต้องใช้คู่กับ by "
     "พื้นที่ที่ไม่มีตัวเลขประชากรจะไม่มีค่าต่อประชากร และมีหมายเหตุบอกเหตุผล"},
    {"population-from", KIND_LAYER,
     "A table holding the population (e.g. a population CSV by district code), matched to "
     "the boundaries by join.",
     "ตารางที่เก็บจำนวนประชากร (เช่น CSV ประชากรตามรหัสอำเภอ) จับคู่กับขอบเขตด้วย join"},
    {"join", KIND_JOIN,
     "BOUNDARY_FIELD:TABLE_FIELD: the key that matches a boundary of by to a row of "
     "population-from (one name when both fields have it).",
     "BOUNDARY_FIELD:TABLE_FIELD: คีย์ที่จับคู่ขอบเขตของ by กับแถวของ population-from "
     "(ใช้ชื่อเดียวได้ถ้าทั้งสองคุณสมบัติชื่อเดียวกัน)"},
    {"population-year", KIND_TEXT,
     "The field with each figure's year (by default the field year, when there is one).",
     "คุณสมบัติที่บอกปีของตัวเลขประชากรแต่ละตัว (ค่าเริ่มต้นคือคุณสมบัติ year ถ้ามี)"},
    {"population-source", KIND_TEXT,
     "The field with each figure's source (by default source_url, else source).",
     "คุณสมบัติที่บอกแหล่งที่มาของตัวเลขประชากรแต่ละตัว (ค่าเริ่มต้นคือ source_url "
     "หรือ source)"},
    {"per", KIND_PER, "Per-capita values are per this many residents.",
     "ค่าต่อประชากรคิดต่อประชากรจำนวนนี้"},
    {"to", KIND_GEOMETRY_LAYER,
     "metric=nearest: the layer searched for the nearest feature (e.g. hospitals).",
     "สำหรับ metric=nearest: ชั้นข้อมูลที่ค้นหารายการที่ใกล้ที่สุด (เช่น โรงพยาบาล)"},
    {"to-filter", KIND_FILTER,
     "metric=nearest: a CQL2 text filter on the features of to, e.g. category = 'hospital'.",
     "สำหรับ metric=nearest: ตัวกรองแบบ CQL2 text บนรายการของ to เช่น "
     "category = 'hospital'"},
    {"beyond", KIND_BEYOND,
     "metric=nearest: adds share_beyond, the share of features farther than this distance "
     "(in unit).",
     "สำหรับ metric=nearest: เพิ่ม share_beyond คือสัดส่วนของรายการที่อยู่ไกลกว่าระยะนี้ "
     "(ในหน่วยตาม unit)"},
    {"unit", KIND_UNIT,
     "The unit of the value column: m or km (the default) for length and nearest; m2, km2 "
     "(the default) or ha for area. The other metrics keep the field's own unit.",
     "หน่วยของคอลัมน์ value: m หรือ km (ค่าเริ่มต้น) สำหรับ length และ nearest; m2, km2 "
     "(ค่าเริ่มต้น) หรือ ha สำหรับ area ค่าอื่นใช้หน่วยเดิมของคุณสมบัติ"},
    {"classify", KIND_CLASSIFY,
     "How the class breaks of the map are made: quantile, equal-interval or natural-breaks "
     "(Fisher-Jenks; jenks is accepted too).",
     "วิธีแบ่งช่วงชั้นสำหรับแผนที่: quantile, equal-interval หรือ natural-breaks "
     "(Fisher-Jenks รับคำว่า jenks ด้วย)"},
    {"classes", KIND_CLASSES, "How many classes the map has.", "จำนวนช่วงชั้นของแผนที่"},
    {"classify-column", KIND_COLUMN,
     "The column the classes split: value, per_km2, per_capita or share (by default "
     "per_capita when there is a population, else value; only count, length, area and sum "
     "have the other columns).",
     "คอลัมน์ที่ใช้แบ่งช่วงชั้น: value, per_km2, per_capita หรือ share (ค่าเริ่มต้นคือ "
     "per_capita เมื่อมีประชากร มิฉะนั้นคือ value; เฉพาะ count, length, area และ sum "
     "ที่มีคอลัมน์อื่น)"},
};

#define N_PARAM_DOCS (sizeof(param_docs) / sizeof(param_docs[0]))

/* The ids of the snapshot's layers that fit kind, as an enum; a plain string when none
 * does (an enum must not be empty). */
static json_t *layer_schema(const struct store_catalog *cat, enum param_kind kind)
{
    json_t *ids = json_array();
    for (size_t i = 0; i < cat->n_layers; i++) {
        const char *type = cat->layers[i].geometry_type;
        bool fits =
            kind == KIND_LAYER ||
            (type != NULL && (kind == KIND_GEOMETRY_LAYER || strstr(type, "POLYGON") != NULL));
        if (fits) {
            json_array_append_new(ids, json_string(cat->layers[i].id));
        }
    }
    json_t *schema = openapi_typed("string");
    if (json_array_size(ids) > 0) {
        json_object_set_new(schema, "enum", ids);
    } else {
        json_decref(ids);
    }
    return schema;
}

#define WORDS_MAX 16

/* The words of one of the stats module's enums, spelled by its own name functions (the
 * enums run from their first constant to their last without gaps); returns how many. */
static size_t enum_words(enum param_kind kind, const char *words[WORDS_MAX])
{
    size_t n = 0;
    switch (kind) {
    case KIND_METRIC:
        for (int m = STATS_COUNT; m <= STATS_NEAREST; m++) {
            words[n++] = stats_metric_name((enum stats_metric)m);
        }
        break;
    case KIND_INTERVAL:
        for (int i = STATS_INTERVAL_DAY; i <= STATS_INTERVAL_YEAR; i++) {
            words[n++] = stats_interval_name((enum stats_interval)i);
        }
        break;
    case KIND_UNIT:
        for (int u = STATS_UNIT_M; u <= STATS_UNIT_HA; u++) {
            words[n++] = stats_unit_name((enum stats_unit)u);
        }
        break;
    case KIND_COLUMN:
        for (int c = STATS_COL_VALUE; c <= STATS_COL_SHARE; c++) {
            words[n++] = stats_column_name((enum stats_column)c);
        }
        break;
    case KIND_CLASSIFY:
        for (int m = STATS_CLASS_QUANTILE; m <= STATS_CLASS_NATURAL_BREAKS; m++) {
            words[n++] = stats_class_method_name((enum stats_class_method)m);
        }
        break;
    default:
        /* filter-lang: cql-text, the draft name of the same language, is accepted as on
         * items. */
        words[n++] = "cql2-text";
        words[n++] = "cql-text";
        break;
    }
    assert(n <= WORDS_MAX);
    return n;
}

/* {"type": "string", "enum": [the words of kind]} */
static json_t *words_schema(enum param_kind kind)
{
    const char *words[WORDS_MAX];
    return openapi_string_enum(words, enum_words(kind, words), NULL);
}

/* The words of kind with the default stats_spec_parse gives. */
static json_t *param_words_schema(enum param_kind kind, const struct stats_spec *defaults)
{
    const char *words[WORDS_MAX];
    size_t n = enum_words(kind, words);
    const char *fallback = kind == KIND_METRIC     ? stats_metric_name(defaults->metric)
                           : kind == KIND_CLASSIFY ? stats_class_method_name(defaults->class_method)
                           : kind == KIND_FILTER_LANG ? words[0]
                                                      : NULL;
    return openapi_string_enum(words, n, fallback);
}

/* A whole number as a JSON integer ("10000", not "10000.0"). */
static json_t *number(double d)
{
    bool is_whole = d >= -1e15 && d <= 1e15 && d == (double)(json_int_t)d;
    return is_whole ? json_integer((json_int_t)d) : json_real(d);
}

/* The limits of per and beyond are those stats_spec.c checks; the defaults come from a
 * parsed spec. */
static json_t *param_schema(const struct param_doc *doc, const struct store_catalog *cat,
                            const struct stats_spec *defaults)
{
    switch (doc->kind) {
    case KIND_LAYER:
    case KIND_GEOMETRY_LAYER:
    case KIND_BOUNDARY_LAYER:
        return layer_schema(cat, doc->kind);
    case KIND_CLASSES:
        return json_pack("{s:s, s:i, s:i, s:i}", "type", "integer", "minimum", 2, "maximum",
                         STATS_MAX_CLASSES, "default", defaults->n_classes);
    case KIND_PER:
        return json_pack("{s:s, s:i, s:I, s:o}", "type", "number", "minimum", 1, "maximum",
                         (json_int_t)1000000000, "default", number(defaults->per));
    case KIND_BEYOND:
        return json_pack("{s:s, s:i, s:I}", "type", "number", "minimum", 0, "maximum",
                         (json_int_t)100000000);
    case KIND_JOIN:
        return json_pack("{s:s, s:s}", "type", "string", "pattern", "^[^:]+(:[^:]+)?$");
    case KIND_TEXT:
    case KIND_FILTER:
        return openapi_typed("string");
    default:
        return param_words_schema(doc->kind, defaults);
    }
}

/* What stats_spec_parse fills in when a parameter is not given. */
static void parsed_defaults(struct stats_spec *out)
{
    const struct stats_param layer_only = {"layer", "layer"};
    struct err err;
    int rc = stats_spec_parse(&layer_only, 1, out, &err);
    assert(rc == ERR_OK); /* a layer alone is a whole statistic: a count */
    (void)rc;
}

static void add_statistic_params(json_t *params, const struct store_catalog *cat,
                                 enum http_lang lang)
{
    struct stats_spec defaults;
    parsed_defaults(&defaults);
    for (size_t i = 0; i < N_PARAM_DOCS; i++) {
        const struct param_doc *doc = &param_docs[i];
        json_t *param = openapi_query_param(doc->name, tr(lang, doc->en, doc->th),
                                            param_schema(doc, cat, &defaults));
        if (strcmp(doc->name, "layer") == 0) {
            json_object_set_new(param, "required", json_true());
        }
        char *key = xasprintf("stats-%s", doc->name);
        json_object_set_new(params, key, param);
        free(key);
    }
    stats_spec_clear(&defaults);
}

/* {statisticId}: the ids of the snapshot's featured statistics. */
static void add_statistic_id_param(json_t *params, const struct store_read *rd, enum http_lang lang)
{
    size_t n = 0;
    const struct store_featured *list = store_read_featured(rd, &n);
    json_t *schema = openapi_typed("string");
    if (n > 0) { /* an enum must not be empty */
        json_t *ids = json_array();
        for (size_t i = 0; i < n; i++) {
            json_array_append_new(ids, json_string(list[i].id));
        }
        json_object_set_new(schema, "enum", ids);
    }
    json_object_set_new(params, "statisticId",
                        json_pack("{s:s, s:s, s:b, s:s, s:o}", "name", "statisticId", "in", "path",
                                  "required", 1, "description",
                                  tr(lang,
                                     "The id of a featured statistic; /stats/featured lists "
                                     "them.",
                                     "รหัสของสถิติเด่น ดูรายการได้ที่ /stats/featured"),
                                  "schema", schema));
}

/* Schemas (components/schemas), as stats_json.c and api_stats.c write the documents. */

static json_t *nullable_typed(const char *type)
{
    return openapi_nullable(openapi_typed(type));
}

static json_t *nullable_ref(const char *name)
{
    return openapi_nullable_ref(name);
}

static json_t *described(json_t *schema, const char *description)
{
    json_object_set_new(schema, "description", json_string(description));
    return schema;
}

static void add_definition_schemas(json_t *schemas)
{
    static const char *const text_required[] = {"en", "th", NULL};
    static const char *const definition_required[] = {"metric", "unit", "text", NULL};
    static const char *const source_required[] = {"role", "id", "version", NULL};
    static const char *const roles[] = {"layer", "by", "population", "to"};
    json_object_set_new(
        schemas, "statisticsText",
        openapi_object_schema(text_required, json_pack("{s:o, s:o}", "en", nullable_typed("string"),
                                                       "th", nullable_typed("string"))));
    json_t *definition =
        json_pack("{s:o, s:o, s:o}", "metric", words_schema(KIND_METRIC), "unit",
                  nullable_typed("string"), "text", openapi_ref("schemas", "statisticsText"));
    const char *columns[] = {"per_km2", "per_capita", "share"};
    for (size_t i = 0; i < 3; i++) {
        json_object_set_new(definition, columns[i], openapi_typed("string"));
    }
    json_object_set_new(schemas, "statisticsDefinition",
                        openapi_object_schema(definition_required, definition));
    json_t *source =
        json_pack("{s:o, s:o, s:o}", "role", openapi_string_enum(roles, 4, NULL), "id",
                  openapi_typed("string"), "title", openapi_ref("schemas", "statisticsText"));
    const char *integers[] = {"version", "feature_count"};
    const char *strings[] = {"imported_at", "license", "attribution", "source", "source_url"};
    for (size_t i = 0; i < 2; i++) {
        json_object_set_new(source, integers[i], openapi_typed("integer"));
    }
    for (size_t i = 0; i < 5; i++) {
        json_object_set_new(source, strings[i],
                            i == 0 ? openapi_typed("string") : nullable_typed("string"));
    }
    json_object_set_new(schemas, "statisticsSource",
                        openapi_object_schema(source_required, source));
}

static void add_population_and_classes_schemas(json_t *schemas)
{
    static const char *const population_required[] = {"label", "areas_without_figure", NULL};
    static const char *const classes_required[] = {"column", "method", "breaks", "colors", NULL};
    json_object_set_new(
        schemas, "statisticsPopulation",
        openapi_object_schema(
            population_required,
            json_pack("{s:o, s:o, s:o, s:o, s:o}", "label", openapi_typed("string"), "year_min",
                      nullable_typed("integer"), "year_max", nullable_typed("integer"), "note",
                      nullable_typed("string"), "areas_without_figure", openapi_typed("integer"))));
    json_t *colors =
        openapi_array_of(json_pack("{s:s, s:s}", "type", "string", "pattern", "^#[0-9a-f]{6}$"));
    json_object_set_new(
        schemas, "statisticsClasses",
        openapi_object_schema(classes_required,
                              json_pack("{s:o, s:o, s:o, s:o, s:o}", "column",
                                        words_schema(KIND_COLUMN), "method",
                                        words_schema(KIND_CLASSIFY), "breaks",
                                        openapi_array_of(openapi_typed("number")), "colors", colors,
                                        "ramp", openapi_typed("string"))));
    json_t *classes = json_object_get(json_object_get(schemas, "statisticsClasses"), "properties");
    json_object_set_new(classes, "unit", nullable_ref("statisticsText"));
    json_object_set_new(classes, "labels",
                        openapi_array_of(openapi_ref("schemas", "statisticsText")));
}

/* What a reader trusts the numbers by (stats_summary.h): units, headline, extremes,
 * caveat, years, credit line and caption. */
static void add_summary_schemas(json_t *schemas, enum http_lang lang)
{
    static const char *const headline_required[] = {"column", "value", "unit", "text", NULL};
    static const char *const extreme_required[] = {"area_id", "area_name", "value", NULL};
    static const char *const extremes_required[] = {"column", "highest", "lowest", NULL};
    static const char *const years_required[] = {"data", "population", "text", NULL};
    json_t *text = openapi_ref("schemas", "statisticsText");
    json_object_set_new(
        schemas, "statisticsHeadline",
        openapi_object_schema(
            headline_required,
            json_pack("{s:o, s:o, s:o, s:o}", "column", words_schema(KIND_COLUMN), "value",
                      described(nullable_typed("number"),
                                tr(lang,
                                   "The statistic's own number in the classified column (all "
                                   "areas); null when no single number summarises it, e.g. a "
                                   "per-capita value with areas missing a population: text then "
                                   "names the highest and lowest areas.",
                                   "ตัวเลขของสถิติเองในคอลัมน์ที่จัดช่วงชั้น (ทุกพื้นที่) เป็น null "
                                   "เมื่อไม่มีตัวเลขเดียวที่สรุปได้ เช่น ค่าต่อประชากรที่บางพื้นที่ไม่มีข้อมูล"
                                   "ประชากร text จะบอกพื้นที่สูงสุดและต่ำสุดแทน")),
                      "unit", nullable_ref("statisticsText"), "text", json_deep_copy(text))));
    json_t *extreme = openapi_object_schema(
        extreme_required,
        json_pack("{s:o, s:o, s:o}", "area_id", nullable_typed("integer"), "area_name",
                  nullable_typed("string"), "value", openapi_typed("number")));
    json_object_set_new(
        schemas, "statisticsExtremes",
        openapi_object_schema(extremes_required,
                              json_pack("{s:o, s:o, s:o}", "column", words_schema(KIND_COLUMN),
                                        "highest", json_deep_copy(extreme), "lowest", extreme)));
    json_t *years_range =
        json_pack("{s:s, s:b, s:o, s:i, s:i}", "type", "array", "nullable", 1, "items",
                  openapi_typed("integer"), "minItems", 2, "maxItems", 2);
    json_object_set_new(
        schemas, "statisticsYears",
        openapi_object_schema(years_required,
                              json_pack("{s:o, s:o, s:o}", "data", json_deep_copy(years_range),
                                        "population", years_range, "text", json_deep_copy(text))));
    json_t *units = json_object();
    const char *columns[] = {"value", "per_km2", "per_capita", "share"};
    for (size_t i = 0; i < 4; i++) {
        json_object_set_new(units, columns[i], nullable_ref("statisticsText"));
    }
    json_object_set_new(schemas, "statisticsUnits", openapi_object_schema(NULL, units));
    json_decref(text);
}

/* The members of a row (stats_json.c: write_row_members); the conditional ones say when
 * they are there. */
static json_t *row_properties(enum http_lang lang)
{
    json_t *p = json_object();
    const char *texts[] = {"area_name", "area_code", "population_year", "population_source",
                           "population_note"};
    for (size_t i = 0; i < 5; i++) {
        json_object_set_new(p, texts[i], nullable_typed("string"));
    }
    json_object_set_new(p, "area_id", nullable_typed("integer"));
    json_object_set_new(p, "area_km2", nullable_typed("number"));
    json_object_set_new(p, "population", nullable_typed("number"));
    json_object_set_new(p, "n", openapi_typed("integer"));
    json_object_set_new(p, "value", nullable_typed("number"));
    json_object_set_new(p, "group",
                        described(nullable_typed("string"),
                                  tr(lang, "With group: the value of the group (null: all groups).",
                                     "เมื่อระบุ group: ค่าของกลุ่ม (null คือทุกกลุ่ม)")));
    json_object_set_new(p, "period",
                        described(nullable_typed("string"),
                                  tr(lang, "With time: the period, e.g. 2024-03 (null: all).",
                                     "เมื่อระบุ time: ช่วงเวลา เช่น 2024-03 (null คือทุกช่วง)")));
    const char *nearest[] = {"median", "max", "share_beyond"};
    for (size_t i = 0; i < 3; i++) {
        json_object_set_new(p, nearest[i],
                            described(nullable_typed("number"),
                                      tr(lang, "metric=nearest only.", "เฉพาะ metric=nearest")));
    }
    json_object_set_new(
        p, "no_data_reason",
        described(nullable_ref("statisticsText"),
                  tr(lang,
                     "Why the classified column has no value here (e.g. no population figure): "
                     "the row is no data, never 0.",
                     "เหตุที่แถวนี้ไม่มีค่าในคอลัมน์ที่จัดช่วงชั้น (เช่น ไม่มีข้อมูลประชากร) "
                     "แถวนี้คือไม่มีข้อมูล ไม่ใช่ 0")));
    const char *additive[] = {"per_km2", "per_capita", "per_capita_note", "share"};
    for (size_t i = 0; i < 4; i++) {
        json_object_set_new(p, additive[i],
                            described(nullable_typed(i == 2 ? "string" : "number"),
                                      tr(lang, "count, length, area and sum only.",
                                         "เฉพาะ count, length, area และ sum")));
    }
    return p;
}

/* What the JSON document and the GeoJSON have alike: what the numbers are. */
static void add_about(json_t *props)
{
    json_object_set_new(props, "definition", openapi_ref("schemas", "statisticsDefinition"));
    json_object_set_new(
        props, "query",
        json_pack("{s:s, s:o}", "type", "object", "additionalProperties", openapi_typed("string")));
    json_object_set_new(props, "sources",
                        openapi_array_of(openapi_ref("schemas", "statisticsSource")));
    json_object_set_new(props, "computed_at",
                        json_pack("{s:s, s:s}", "type", "string", "format", "date-time"));
    json_object_set_new(props, "data_updated_at", openapi_typed("string"));
    json_object_set_new(props, "population", nullable_ref("statisticsPopulation"));
    json_object_set_new(props, "classes", nullable_ref("statisticsClasses"));
    json_object_set_new(props, "links", openapi_ref("schemas", "links"));
    json_object_set_new(props, "units", openapi_ref("schemas", "statisticsUnits"));
    json_object_set_new(props, "headline", openapi_ref("schemas", "statisticsHeadline"));
    json_object_set_new(props, "extremes", nullable_ref("statisticsExtremes"));
    json_object_set_new(props, "years", openapi_ref("schemas", "statisticsYears"));
    const char *texts[] = {"caveat", "credit", "caption"};
    for (size_t i = 0; i < 3; i++) {
        json_object_set_new(props, texts[i], nullable_ref("statisticsText"));
    }
}

static void add_document_schema(json_t *schemas, enum http_lang lang)
{
    static const char *const required[] = {
        "definition", "query",      "sources", "computed_at", "data_updated_at", "seconds",
        "population", "unassigned", "rows",    "total",       "classes",         NULL};
    json_t *props = json_object();
    json_object_set_new(props, "id", openapi_typed("string"));
    const char *texts[] = {"title", "question", "note"};
    for (size_t i = 0; i < 3; i++) {
        json_object_set_new(props, texts[i], openapi_ref("schemas", "statisticsText"));
    }
    add_about(props);
    json_object_set_new(props, "seconds", openapi_typed("number"));
    json_object_set_new(
        props, "unassigned",
        described(openapi_typed("integer"), tr(lang, "Features in no area (or without geometry).",
                                               "จำนวนรายการที่ไม่อยู่ในพื้นที่ใด (หรือไม่มีรูปทรง)")));
    json_object_set_new(props, "undated",
                        described(openapi_typed("integer"),
                                  tr(lang, "With time: features whose date could not be read.",
                                     "เมื่อระบุ time: จำนวนรายการที่อ่านวันที่ไม่ได้")));
    json_object_set_new(props, "groups", openapi_array_of(openapi_typed("string")));
    json_object_set_new(props, "periods", openapi_array_of(openapi_typed("string")));
    json_object_set_new(props, "rows", openapi_array_of(openapi_ref("schemas", "statisticsRow")));
    json_object_set_new(props, "total", nullable_ref("statisticsRow"));
    json_object_set_new(schemas, "statistics", openapi_object_schema(required, props));
}

static void add_geojson_schema(json_t *schemas)
{
    static const char *const required[] = {"type", "features", NULL};
    static const char *const feature_required[] = {"type", "id", "geometry", "properties", NULL};
    json_t *class_props = json_pack("{s:o, s:o, s:o}", "class", nullable_typed("integer"), "color",
                                    nullable_typed("string"), "groups",
                                    json_pack("{s:s, s:o}", "type", "object",
                                              "additionalProperties", nullable_typed("number")));
    json_t *properties = json_pack("{s:[o, o]}", "allOf", openapi_ref("schemas", "statisticsRow"),
                                   openapi_object_schema(NULL, class_props));
    json_t *feature = openapi_object_schema(
        feature_required,
        json_pack("{s:o, s:o, s:o, s:o}", "type", openapi_constant("Feature"), "id",
                  openapi_typed("integer"), "geometry", openapi_ref("schemas", "geometryGeoJSON"),
                  "properties", properties));
    json_t *props = json_pack("{s:o, s:o}", "type", openapi_constant("FeatureCollection"),
                              "features", openapi_array_of(feature));
    const char *texts[] = {"title", "question", "note"};
    for (size_t i = 0; i < 3; i++) {
        json_object_set_new(props, texts[i], openapi_typed("string"));
    }
    add_about(props);
    json_object_set_new(schemas, "statisticsGeoJSON", openapi_object_schema(required, props));
}

static void add_featured_schemas(json_t *schemas)
{
    static const char *const entry_required[] = {"id", "title", "question", "query", "links", NULL};
    static const char *const list_required[] = {"statistics", "links", NULL};
    json_t *entry = json_pack(
        "{s:o, s:o, s:o, s:o, s:o, s:o}", "id", openapi_typed("string"), "title",
        openapi_ref("schemas", "statisticsText"), "question",
        openapi_ref("schemas", "statisticsText"), "note", openapi_ref("schemas", "statisticsText"),
        "query",
        json_pack("{s:s, s:o}", "type", "object", "additionalProperties", openapi_typed("string")),
        "links", openapi_ref("schemas", "links"));
    json_object_set_new(schemas, "featuredStatistic", openapi_object_schema(entry_required, entry));
    json_object_set_new(
        schemas, "featuredStatistics",
        openapi_object_schema(
            list_required,
            json_pack("{s:o, s:o, s:o}", "title", openapi_typed("string"), "statistics",
                      openapi_array_of(openapi_ref("schemas", "featuredStatistic")), "links",
                      openapi_ref("schemas", "links"))));
}

static void add_schemas(json_t *schemas, enum http_lang lang)
{
    add_definition_schemas(schemas);
    add_population_and_classes_schemas(schemas);
    add_summary_schemas(schemas, lang);
    static const char *const row_required[] = {"n", "value", NULL};
    json_object_set_new(schemas, "statisticsRow",
                        openapi_object_schema(row_required, row_properties(lang)));
    add_document_schema(schemas, lang);
    add_geojson_schema(schemas);
    add_featured_schemas(schemas);
}

/* Responses (components/responses) */

void openapi_stats_components(json_t *components, const struct store_read *rd, enum http_lang lang)
{
    json_t *params = json_object_get(components, "parameters");
    add_statistic_params(params, store_read_catalog(rd), lang);
    add_statistic_id_param(params, rd, lang);
    add_schemas(json_object_get(components, "schemas"), lang);
}

/* Paths */

/* What the document says about a statistics route of the table (routes.c), by its
 * operationId. */
struct stats_route {
    const char *operation_id;
    const char *summary_en, *summary_th;
    const char *description_en, *description_th;
    bool is_statistic; /* JSON, GeoJSON or CSV with the cache headers; else the list */
};

static const struct stats_route stats_routes[] = {
    {"getStatistic", "Statistic", "สถิติ",
     "One statistic computed from the parameters: the features of layer counted or measured "
     "per polygon of by (or in total), per km², per `per` residents and as a share of the "
     "total, grouped by a field or by time; or the distance to the nearest feature of to. "
     "Every other parameter is a NAME=VALUE equality filter on a field of layer; a name that "
     "is neither is refused with 400. Results are cached by the versions of the layers they "
     "read, so a re-import of one layer recomputes only the statistics that read it.",
     "สถิติหนึ่งรายการที่คำนวณจากพารามิเตอร์: นับหรือวัดรายการของ layer ในแต่ละรูปหลายเหลี่ยม"
     "ของ by (หรือรวมทั้งหมด) ต่อตารางกิโลเมตร ต่อประชากรตามจำนวนใน per และเป็นสัดส่วนของ"
     "ทั้งหมด จัดกลุ่มตามคุณสมบัติหรือตามเวลา หรือระยะทางถึงรายการที่ใกล้ที่สุดของ to "
     "พารามิเตอร์อื่นเป็นตัวกรองแบบชื่อ=ค่า บนคุณสมบัติของ layer ชื่อที่ไม่ใช่ทั้งสองแบบจะได้"
     "คำตอบ 400 ผลลัพธ์ถูกเก็บไว้ตามรุ่นของชั้นข้อมูลที่อ่าน การนำเข้าชั้นข้อมูลใหม่จึงคำนวณใหม่"
     "เฉพาะสถิติที่อ่านชั้นนั้น",
     true},
    {"getFeaturedStatistics", "Featured statistics", "สถิติเด่น",
     "The statistics the catalog features, each with its title, the question it answers, "
     "its caveats, its query and links to it as JSON, GeoJSON and CSV.",
     "สถิติเด่นที่ประกาศไว้ในแคตตาล็อก แต่ละรายการมีชื่อ คำถามที่ตอบ ข้อควรระวัง "
     "พารามิเตอร์ และลิงก์ในรูปแบบ JSON, GeoJSON และ CSV",
     false},
    {"getFeaturedStatistic", "Featured statistic", "สถิติเด่นหนึ่งรายการ",
     "One featured statistic, computed from the query the catalog gives it, with its title, "
     "question and note; the same formats and headers as /stats.",
     "สถิติเด่นหนึ่งรายการ คำนวณจากพารามิเตอร์ที่แคตตาล็อกกำหนด พร้อมชื่อ คำถาม "
     "และหมายเหตุ รูปแบบและส่วนหัวเหมือน /stats",
     true},
};

#define N_STATS_ROUTES (sizeof(stats_routes) / sizeof(stats_routes[0]))

static json_t *header(const char *description, json_t *schema)
{
    return json_pack("{s:s, s:o}", "description", description, "schema", schema);
}

static json_t *success_headers(bool is_statistic, enum http_lang lang)
{
    static const char *const cache_states[] = {"hit", "miss"};
    json_t *headers = json_pack(
        "{s:o, s:o}", "ETag",
        header(tr(lang,
                  "A weak validator: If-None-Match with it is answered 304 until the data "
                  "it was computed from changes.",
                  "ตัวตรวจสอบแบบ weak ถ้าส่งใน If-None-Match จะได้คำตอบ 304 "
                  "จนกว่าข้อมูลที่ใช้คำนวณจะเปลี่ยน"),
               openapi_typed("string")),
        "Last-Modified",
        header(tr(lang, "When the newest of the layers read was imported.",
                  "เวลานำเข้าของชั้นข้อมูลล่าสุดที่อ่าน"),
               openapi_typed("string")));
    if (is_statistic) {
        json_object_set_new(
            headers, "X-Stats-Cache",
            header(tr(lang,
                      "hit: the result came from the statistics cache; miss: it was computed "
                      "for this request.",
                      "hit: ได้ผลจากแคชของสถิติ miss: คำนวณใหม่สำหรับคำขอนี้"),
                   openapi_string_enum(cache_states, 2, NULL)));
        json_object_set_new(
            headers, "Server-Timing",
            header(tr(lang,
                      "stats;dur=MILLISECONDS: how long computing the statistic took (a cache "
                      "hit repeats the time of the computation it reuses).",
                      "stats;dur=มิลลิวินาที: เวลาที่ใช้คำนวณสถิติ (เมื่อได้จากแคช "
                      "จะเป็นเวลาของการคำนวณครั้งนั้น)"),
                   openapi_typed("string")));
    }
    return headers;
}

static json_t *success_content(bool is_statistic)
{
    if (!is_statistic) {
        return json_pack("{s:{s:o}}", "application/json", "schema",
                         openapi_ref("schemas", "featuredStatistics"));
    }
    return json_pack("{s:{s:o}, s:{s:o}, s:{s:{s:s}}}", "application/json", "schema",
                     openapi_ref("schemas", "statistics"), "application/geo+json", "schema",
                     openapi_ref("schemas", "statisticsGeoJSON"), "text/csv", "schema", "type",
                     "string");
}

static json_t *route_responses(const struct stats_route *route, const char *pattern,
                               enum http_lang lang)
{
    json_t *ok =
        json_pack("{s:s, s:o, s:o}", "description", tr(lang, route->summary_en, route->summary_th),
                  "headers", success_headers(route->is_statistic, lang), "content",
                  success_content(route->is_statistic));
    json_t *r = openapi_read_responses(ok, pattern, "StatisticNotFound");
    if (route->is_statistic) {
        json_object_set_new(r, "413", openapi_ref("responses", "StatisticTooLarge"));
    }
    return r;
}

void openapi_stats_param_refs(json_t *refs)
{
    for (size_t i = 0; i < N_PARAM_DOCS; i++) {
        char *name = xasprintf("stats-%s", param_docs[i].name);
        json_array_append_new(refs, openapi_ref("parameters", name));
        free(name);
    }
}

json_t *openapi_stats_operation(const struct api_route *row, enum http_lang lang)
{
    const struct stats_route *route = NULL;
    for (size_t i = 0; i < N_STATS_ROUTES && route == NULL; i++) {
        route =
            strcmp(stats_routes[i].operation_id, row->operation_id) == 0 ? &stats_routes[i] : NULL;
    }
    if (route == NULL) {
        return NULL;
    }
    return json_pack("{s:s, s:s, s:s, s:o}", "operationId", route->operation_id, "summary",
                     tr(lang, route->summary_en, route->summary_th), "description",
                     tr(lang, route->description_en, route->description_th), "responses",
                     route_responses(route, row->pattern, lang));
}
