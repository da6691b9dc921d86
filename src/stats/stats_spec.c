/* stats_spec.c - name=value pairs -> struct stats_spec, and back (canonical pairs for
 * links, the "query" of responses and the cache key). Only syntax and combinations are
 * checked here; whether layers and fields exist is stats_plan.c's job. */
#include "stats/stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/parse.h"
#include "base/utf8.h"
#include "stats/stats_int.h"

/* Longest value any parameter may have (filters are the long ones). */
#define SPEC_MAX_VALUE 4000
#define SPEC_MAX_PROPS 16

const char *const stats_param_names[] = {
    "layer",
    "filter",
    "filter-lang",
    "by",
    "by-filter",
    "metric",
    "field",
    "group",
    "time",
    "interval",
    "population",
    "population-from",
    "join",
    "population-year",
    "population-source",
    "per",
    "to",
    "to-filter",
    "beyond",
    "unit",
    "classify",
    "classes",
    "classify-column",
    NULL,
};

static const char *const metric_names[] = {
    [STATS_COUNT] = "count", [STATS_LENGTH] = "length", [STATS_AREA] = "area",
    [STATS_SUM] = "sum",     [STATS_MEAN] = "mean",     [STATS_MIN] = "min",
    [STATS_MAX] = "max",     [STATS_MEDIAN] = "median", [STATS_NEAREST] = "nearest",
};
static const char *const unit_names[] = {
    [STATS_UNIT_NONE] = "", [STATS_UNIT_M] = "m",     [STATS_UNIT_KM] = "km",
    [STATS_UNIT_M2] = "m2", [STATS_UNIT_KM2] = "km2", [STATS_UNIT_HA] = "ha",
};
static const char *const column_names[] = {
    [STATS_COL_VALUE] = "value",
    [STATS_COL_PER_KM2] = "per_km2",
    [STATS_COL_PER_CAPITA] = "per_capita",
    [STATS_COL_SHARE] = "share",
};
static const char *const interval_names[] = {
    [STATS_INTERVAL_NONE] = "",
    [STATS_INTERVAL_DAY] = "day",
    [STATS_INTERVAL_MONTH] = "month",
    [STATS_INTERVAL_YEAR] = "year",
};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

const char *stats_metric_name(enum stats_metric m)
{
    return metric_names[m];
}
const char *stats_unit_name(enum stats_unit u)
{
    return unit_names[u];
}
const char *stats_column_name(enum stats_column c)
{
    return column_names[c];
}
const char *stats_interval_name(enum stats_interval i)
{
    return interval_names[i];
}

bool stats_metric_is_additive(enum stats_metric m)
{
    return m == STATS_COUNT || m == STATS_LENGTH || m == STATS_AREA || m == STATS_SUM;
}

static long find_word(const char *const *words, size_t n, const char *text)
{
    for (size_t i = 0; i < n; i++) {
        if (words[i][0] != '\0' && strcmp(words[i], text) == 0) {
            return (long)i;
        }
    }
    return -1;
}

static bool is_param_name(const char *name)
{
    for (size_t i = 0; stats_param_names[i] != NULL; i++) {
        if (strcmp(stats_param_names[i], name) == 0) {
            return true;
        }
    }
    return false;
}

/* The string member a parameter fills, or NULL for the ones parsed as words or numbers. */
static char **string_slot(struct stats_spec *s, const char *name)
{
    struct {
        const char *name;
        char **slot;
    } slots[] = {
        {"layer", &s->layer},
        {"filter", &s->filter},
        {"by", &s->by},
        {"by-filter", &s->by_filter},
        {"field", &s->field},
        {"group", &s->group},
        {"time", &s->time},
        {"population", &s->population},
        {"population-from", &s->population_from},
        {"population-year", &s->population_year},
        {"population-source", &s->population_source},
        {"to", &s->to},
        {"to-filter", &s->to_filter},
    };
    for (size_t i = 0; i < N_OF(slots); i++) {
        if (strcmp(slots[i].name, name) == 0) {
            return slots[i].slot;
        }
    }
    return NULL;
}

static int parse_word(const char *name, const char *value, const char *const *words, size_t n,
                      int *out, struct err *err)
{
    long i = find_word(words, n, value);
    if (i >= 0) {
        *out = (int)i;
        return ERR_OK;
    }
    struct buf list;
    buf_init(&list, 512);
    for (size_t k = 0; k < n; k++) {
        if (words[k][0] != '\0' &&
            buf_printf(&list, err, "%s%s", list.len > 0 ? ", " : "", words[k]) != ERR_OK) {
            break;
        }
    }
    err_set(err, ERR_INVALID, "%s: '%s' is not one of %s", name, utf8_excerpt(value, 40).text,
            list.data != NULL ? list.data : "");
    buf_clear(&list);
    return ERR_INVALID;
}

/* join=BYFIELD:TABLEFIELD, or one name when both fields are called the same. */
static int parse_join(struct stats_spec *s, const char *value, struct err *err)
{
    const char *colon = strchr(value, ':');
    size_t left = colon != NULL ? (size_t)(colon - value) : strlen(value);
    const char *right = colon != NULL ? colon + 1 : value;
    if (left == 0 || right[0] == '\0' || strchr(right, ':') != NULL) {
        return err_set(err, ERR_INVALID,
                       "join: expected BOUNDARY_FIELD:TABLE_FIELD (or one name for both), got "
                       "'%s'",
                       utf8_excerpt(value, 60).text);
    }
    free(s->join_by);
    free(s->join_to);
    s->join_by = xstrndup(value, left);
    s->join_to = xstrdup(right);
    return ERR_OK;
}

static int parse_number(const char *name, const char *value, double min, double max, double *out,
                        struct err *err)
{
    double d = 0;
    if (parse_double(value, name, &d, err) != ERR_OK || !isfinite(d) || d < min || d > max) {
        return err_set(err, ERR_INVALID, "%s: expected a number from %g to %g, got '%s'", name, min,
                       max, utf8_excerpt(value, 30).text);
    }
    *out = d;
    return ERR_OK;
}

static int parse_typed(struct stats_spec *s, const char *name, const char *value, struct err *err)
{
    int word = 0;
    int rc = ERR_OK;
    if (strcmp(name, "metric") == 0) {
        rc = parse_word(name, value, metric_names, N_OF(metric_names), &word, err);
        s->metric = (enum stats_metric)word;
    } else if (strcmp(name, "interval") == 0) {
        rc = parse_word(name, value, interval_names, N_OF(interval_names), &word, err);
        s->interval = (enum stats_interval)word;
    } else if (strcmp(name, "unit") == 0) {
        rc = parse_word(name, value, unit_names, N_OF(unit_names), &word, err);
        s->unit = (enum stats_unit)word;
    } else if (strcmp(name, "classify-column") == 0) {
        rc = parse_word(name, value, column_names, N_OF(column_names), &word, err);
        s->classify_column = (enum stats_column)word;
        s->has_classify_column = true;
    } else if (strcmp(name, "classify") == 0) {
        rc = stats_class_method_parse(value, &s->class_method, err);
    } else if (strcmp(name, "classes") == 0) {
        int64_t k = 0;
        rc = parse_int64(value, 2, STATS_MAX_CLASSES, name, &k, err);
        s->n_classes = (int)k;
    } else if (strcmp(name, "per") == 0) {
        rc = parse_number(name, value, 1, 1e9, &s->per, err);
    } else if (strcmp(name, "beyond") == 0) {
        rc = parse_number(name, value, 0, 1e8, &s->beyond, err);
        s->has_beyond = true;
    } else if (strcmp(name, "join") == 0) {
        rc = parse_join(s, value, err);
    } else if (strcmp(name, "filter-lang") == 0) {
        /* cql-text is the draft name of the same language, still sent by GDAL 3.6. */
        if (strcmp(value, "cql2-text") != 0 && strcmp(value, "cql-text") != 0) {
            rc = err_set(err, ERR_INVALID, "filter-lang: '%s' is not supported; use cql2-text",
                         utf8_excerpt(value, 40).text);
        }
    }
    return rc;
}

static int add_property(struct stats_spec *s, const char *name, const char *value, struct err *err)
{
    if (s->n_props == SPEC_MAX_PROPS) {
        return err_set(err, ERR_INVALID, "at most %d property filters (name=value) are allowed",
                       SPEC_MAX_PROPS);
    }
    s->prop_names = xreallocarray(s->prop_names, s->n_props + 1, sizeof(char *));
    s->prop_values = xreallocarray(s->prop_values, s->n_props + 1, sizeof(char *));
    s->prop_names[s->n_props] = xstrdup(name);
    s->prop_values[s->n_props] = xstrdup(value);
    s->n_props++;
    return ERR_OK;
}

static int parse_one(struct stats_spec *s, const struct stats_param *p, struct err *err)
{
    if (strlen(p->value) > SPEC_MAX_VALUE) {
        return err_set(err, ERR_INVALID, "%s: longer than %d bytes", p->name, SPEC_MAX_VALUE);
    }
    if (!is_param_name(p->name)) {
        return add_property(s, p->name, p->value, err);
    }
    char **slot = string_slot(s, p->name);
    if (slot == NULL) {
        return parse_typed(s, p->name, p->value, err);
    }
    if (p->value[0] == '\0') {
        return err_set(err, ERR_INVALID, "%s: empty value", p->name);
    }
    free(*slot);
    *slot = xstrdup(p->value);
    return ERR_OK;
}

static enum stats_unit default_unit(enum stats_metric m)
{
    switch (m) {
    case STATS_LENGTH:
    case STATS_NEAREST:
        return STATS_UNIT_KM;
    case STATS_AREA:
        return STATS_UNIT_KM2;
    default:
        return STATS_UNIT_NONE;
    }
}

static int check_unit(struct stats_spec *s, struct err *err)
{
    enum stats_unit want = default_unit(s->metric);
    if (s->unit == STATS_UNIT_NONE) {
        s->unit = want;
        return ERR_OK;
    }
    bool is_length = s->unit == STATS_UNIT_M || s->unit == STATS_UNIT_KM;
    bool is_area =
        s->unit == STATS_UNIT_M2 || s->unit == STATS_UNIT_KM2 || s->unit == STATS_UNIT_HA;
    if ((want == STATS_UNIT_KM && is_length) || (want == STATS_UNIT_KM2 && is_area)) {
        return ERR_OK;
    }
    return err_set(err, ERR_INVALID, "unit: '%s' does not fit metric=%s%s", unit_names[s->unit],
                   metric_names[s->metric],
                   want == STATS_UNIT_KM    ? " (use m or km)"
                   : want == STATS_UNIT_KM2 ? " (use m2, km2 or ha)"
                                            : " (its values keep the field's own unit)");
}

/* Combinations the parameters alone can rule out. */
static int check_combinations(struct stats_spec *s, struct err *err)
{
    bool needs_field = s->metric >= STATS_SUM && s->metric <= STATS_MEDIAN;
    if (s->layer == NULL) {
        return err_set(err, ERR_INVALID, "layer: required (the id of the layer to aggregate)");
    }
    if (needs_field != (s->field != NULL)) {
        return err_set(err, ERR_INVALID,
                       needs_field ? "metric=%s needs field=NAME (a number)"
                                   : "field: only sum, mean, min, max and "
                                     "median take a field (metric is %s)",
                       metric_names[s->metric]);
    }
    if ((s->metric == STATS_NEAREST) != (s->to != NULL)) {
        return err_set(err, ERR_INVALID,
                       s->to == NULL ? "metric=nearest needs to=LAYER"
                                     : "to: only metric=nearest takes a layer "
                                       "to search");
    }
    if ((s->to_filter != NULL || s->has_beyond) && s->metric != STATS_NEAREST) {
        return err_set(err, ERR_INVALID, "to-filter and beyond go with metric=nearest");
    }
    if ((s->time == NULL) != (s->interval == STATS_INTERVAL_NONE)) {
        return err_set(err, ERR_INVALID, "time=FIELD and interval=day|month|year go together");
    }
    if (s->by == NULL && s->by_filter != NULL) {
        return err_set(err, ERR_INVALID, "by-filter: give by=LAYER too");
    }
    bool has_pop_detail =
        s->population_from || s->join_by || s->population_year || s->population_source;
    if (s->population == NULL && has_pop_detail) {
        return err_set(err, ERR_INVALID,
                       "population=FIELD is missing (population-from, join, "
                       "population-year and population-source refine it)");
    }
    if (s->population != NULL && s->by == NULL) {
        return err_set(err, ERR_INVALID, "population: per-capita values need by=LAYER (areas)");
    }
    if ((s->population_from != NULL) != (s->join_by != NULL)) {
        return err_set(err, ERR_INVALID,
                       "population-from=LAYER and join=BOUNDARY_FIELD:"
                       "TABLE_FIELD go together");
    }
    return check_unit(s, err);
}

int stats_spec_parse(const struct stats_param *params, size_t n, struct stats_spec *out,
                     struct err *err)
{
    memset(out, 0, sizeof(*out));
    out->metric = STATS_COUNT;
    out->per = 10000;
    out->class_method = STATS_CLASS_NATURAL_BREAKS;
    out->n_classes = 5;
    int rc = ERR_OK;
    for (size_t i = 0; i < n && rc == ERR_OK; i++) {
        for (size_t j = 0; j < i && rc == ERR_OK; j++) {
            if (strcmp(params[i].name, params[j].name) == 0) {
                rc = err_set(err, ERR_INVALID, "%s: given twice",
                             utf8_excerpt(params[i].name, 60).text);
            }
        }
        if (rc == ERR_OK) {
            rc = parse_one(out, &params[i], err);
        }
    }
    if (rc == ERR_OK) {
        rc = check_combinations(out, err);
    }
    if (rc != ERR_OK) {
        stats_spec_clear(out);
    }
    return rc;
}

void stats_spec_clear(struct stats_spec *s)
{
    char **strings[] = {&s->layer,
                        &s->filter,
                        &s->by,
                        &s->by_filter,
                        &s->field,
                        &s->group,
                        &s->time,
                        &s->population,
                        &s->population_from,
                        &s->join_by,
                        &s->join_to,
                        &s->population_year,
                        &s->population_source,
                        &s->to,
                        &s->to_filter};
    for (size_t i = 0; i < N_OF(strings); i++) {
        free(*strings[i]);
    }
    for (size_t i = 0; i < s->n_props; i++) {
        free(s->prop_names[i]);
        free(s->prop_values[i]);
    }
    free(s->prop_names);
    free(s->prop_values);
    memset(s, 0, sizeof(*s));
}

/* The factor from metres (m, m2) to the unit a statistic is asked in. */
double stats_unit_scale(enum stats_unit unit)
{
    switch (unit) {
    case STATS_UNIT_KM:
        return 1e-3;
    case STATS_UNIT_KM2:
        return 1e-6;
    case STATS_UNIT_HA:
        return 1e-4;
    default:
        return 1;
    }
}
