/* catalog.c - see catalog.h. */
#include "config/catalog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/alloc.h"
#include "base/parse.h"
#include "base/path.h"
#include "config/catalog_int.h"
#include "base/utf8.h"

#define CATALOG_FORMAT "cityatlas-catalog/1"
#define CATALOG_MAX_DATASETS 10000

const char *const catalog_themes[] = {"boundaries", "health",        "education", "environment",
                                      "disaster",   "land_housing",  "transport", "culture",
                                      "welfare",    "city_planning", "economy",   "population",
                                      NULL};

bool catalog_is_theme(const char *theme)
{
    for (size_t i = 0; catalog_themes[i] != NULL; i++) {
        if (strcmp(catalog_themes[i], theme) == 0) {
            return true;
        }
    }
    return false;
}

const struct catalog_theme_label catalog_theme_labels[] = {
    {"boundaries", "Boundaries", "ขอบเขตการปกครอง"},
    {"health", "Health", "สุขภาพ"},
    {"education", "Education", "การศึกษา"},
    {"environment", "Environment", "สิ่งแวดล้อม"},
    {"disaster", "Disasters", "ภัยพิบัติ"},
    {"land_housing", "Land and housing", "ที่ดินและที่อยู่อาศัย"},
    {"transport", "Transport", "การคมนาคม"},
    {"culture", "Culture", "ศิลปวัฒนธรรม"},
    {"welfare", "Welfare", "สวัสดิการสังคม"},
    {"city_planning", "City planning", "ผังเมือง"},
    {"economy", "Economy", "เศรษฐกิจ"},
    {"population", "Population", "ประชากร"},
    {"scenarios", "Scenarios (workshops)", "ภาพอนาคต (เวิร์กช็อป)"},
    {NULL, NULL, NULL},
};

const struct catalog_theme_label *catalog_theme_label(const char *id)
{
    for (size_t i = 0; id != NULL && catalog_theme_labels[i].id != NULL; i++) {
        if (strcmp(catalog_theme_labels[i].id, id) == 0) {
            return &catalog_theme_labels[i];
        }
    }
    return NULL;
}

static int parse_hints(json_t *obj, const char *where, const char *file, struct catalog_hints *h,
                       struct err *err)
{
    if (obj == NULL) {
        return ERR_OK;
    }
    char sub[128];
    snprintf(sub, sizeof(sub), "%s.import", where);
    if (!json_is_object(obj)) {
        return err_set(err, ERR_INVALID, "%s: %s must be an object", file, sub);
    }
    static const char *const keys[] = {"layer",    "encoding", "s_srs", "name_column",
                                       "x_column", "y_column", NULL};
    int rc = catalog_check_keys(obj, keys, sub, file, err);
    struct {
        const char *key;
        char **dst;
    } members[] = {{"layer", &h->layer},       {"encoding", &h->encoding},
                   {"s_srs", &h->s_srs},       {"name_column", &h->name_column},
                   {"x_column", &h->x_column}, {"y_column", &h->y_column}};
    for (size_t i = 0; rc == ERR_OK && i < sizeof(members) / sizeof(members[0]); i++) {
        rc = catalog_get_string(obj, members[i].key, false, sub, file, members[i].dst, err);
    }
    if (rc == ERR_OK && (h->x_column == NULL) != (h->y_column == NULL)) {
        rc = err_set(err, ERR_INVALID, "%s: %s: give both x_column and y_column, or neither", file,
                     sub);
    }
    return rc;
}

static int parse_dataset(json_t *obj, size_t index, const char *file, const char *dir,
                         struct catalog_dataset *d, struct err *err)
{
    char where[64];
    snprintf(where, sizeof(where), "datasets[%zu]", index);
    if (!json_is_object(obj)) {
        return err_set(err, ERR_INVALID, "%s: %s must be an object", file, where);
    }
    static const char *const keys[] = {"id",     "title",      "theme",   "description",
                                       "source", "source_url", "license", "attribution",
                                       "path",   "import",     NULL};
    int rc = catalog_check_keys(obj, keys, where, file, err);
    if (rc == ERR_OK) {
        rc = catalog_get_string(obj, "id", true, where, file, &d->id, err);
    }
    if (rc == ERR_OK && !parse_is_slug(d->id)) {
        rc = err_set(err, ERR_INVALID,
                     "%s: %s.id '%s' must be 1-63 characters of a-z, 0-9 and '-' "
                     "(it appears in URLs)",
                     file, where, d->id);
    }
    if (rc == ERR_OK) {
        rc =
            catalog_get_text_pair(obj, "title", true, where, file, &d->title_en, &d->title_th, err);
    }
    if (rc == ERR_OK) {
        rc = catalog_get_text_pair(obj, "description", false, where, file, &d->description_en,
                                   &d->description_th, err);
    }
    if (rc == ERR_OK) {
        rc = catalog_get_string(obj, "theme", true, where, file, &d->theme, err);
    }
    if (rc == ERR_OK && !catalog_is_theme(d->theme)) {
        rc = err_set(err, ERR_INVALID, "%s: %s.theme '%s' is not a known theme", file, where,
                     d->theme);
    }
    struct {
        const char *key;
        char **dst;
        bool required;
    } strs[] = {{"source", &d->source, true},
                {"source_url", &d->source_url, false},
                {"license", &d->license, true},
                {"attribution", &d->attribution, true}};
    for (size_t i = 0; rc == ERR_OK && i < sizeof(strs) / sizeof(strs[0]); i++) {
        rc = catalog_get_string(obj, strs[i].key, strs[i].required, where, file, strs[i].dst, err);
    }
    char *rel = NULL;
    if (rc == ERR_OK) {
        rc = catalog_get_string(obj, "path", true, where, file, &rel, err);
    }
    if (rc == ERR_OK) {
        rc = path_resolve_within(dir, rel, &d->path, err);
        if (rc != ERR_OK) {
            rc = err_prefix(err, "%s: %s.path", file, where);
        }
    }
    free(rel);
    if (rc == ERR_OK) {
        rc = parse_hints(json_object_get(obj, "import"), where, file, &d->hints, err);
    }
    if (rc == ERR_OK) {
        d->json = json_dumps(obj, JSON_COMPACT | JSON_SORT_KEYS);
    }
    return rc;
}

/* Featured statistics */

const char *const catalog_layer_params[] = {"layer", "by", "to", "population-from", NULL};

/* ^[a-z][a-z0-9_-]{0,39}$ */
static bool is_param_name(const char *name)
{
    size_t len = strlen(name);
    if (len == 0 || len > CATALOG_PARAM_NAME_MAX || name[0] < 'a' || name[0] > 'z') {
        return false;
    }
    for (size_t i = 1; i < len; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
            return false;
        }
    }
    return true;
}

/* The shortest text that reads back as d: the first of %.15g, %.16g and %.17g that does
 * (0.1 stays "0.1" where %.17g writes 0.10000000000000001), exponent trimmed ("1e-7").
 * The stored definition keeps this text (see parse_statistic), so the server shows the
 * values this struct holds. */
static char *real_text(double d)
{
    char text[40];
    for (int precision = 15; precision <= 17; precision++) {
        snprintf(text, sizeof(text), "%.*g", precision, d);
        if (strtod(text, NULL) == d) {
            break;
        }
    }
    /* printf's exponent has a sign and two digits at least: 1e-07 is written 1e-7. */
    char *e = strchr(text, 'e');
    if (e != NULL) {
        char *from = e + 1;
        char *to = e + 1;
        if (*from == '-') {
            *to++ = *from;
        }
        from += *from == '-' || *from == '+';
        while (from[0] == '0' && from[1] != '\0') {
            from++;
        }
        memmove(to, from, strlen(from) + 1);
    }
    return xstrdup(text);
}

/* A query value as text, or NULL when it is not a string, number or boolean. */
static char *param_text(json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_STRING:
        return xstrdup(json_string_value(v));
    case JSON_INTEGER:
        return xasprintf("%" JSON_INTEGER_FORMAT, json_integer_value(v));
    case JSON_REAL:
        return real_text(json_real_value(v));
    case JSON_TRUE:
        return xstrdup("true");
    case JSON_FALSE:
        return xstrdup("false");
    default:
        return NULL;
    }
}

static int parse_param(const char *name, json_t *v, const char *where, const char *file,
                       const struct catalog *cat, struct catalog_param *p, struct err *err)
{
    if (!is_param_name(name)) {
        return err_set(err, ERR_INVALID,
                       "%s: %s.query: parameter name '%s' must be a lowercase letter followed "
                       "by at most %d of a-z, 0-9, '_' and '-'",
                       file, where, utf8_excerpt(name, 60).text, CATALOG_PARAM_NAME_MAX - 1);
    }
    p->name = xstrdup(name);
    p->value = param_text(v);
    if (p->value == NULL) {
        return err_set(err, ERR_INVALID, "%s: %s.query.%s must be a string, a number or a boolean",
                       file, where, name);
    }
    if (strlen(p->value) == 0) {
        return err_set(err, ERR_INVALID, "%s: %s.query.%s must not be empty", file, where, name);
    }
    if (strlen(p->value) > CATALOG_PARAM_VALUE_MAX) {
        return err_set(err, ERR_TOO_LARGE, "%s: %s.query.%s is longer than %d bytes", file, where,
                       name, CATALOG_PARAM_VALUE_MAX);
    }
    for (size_t i = 0; catalog_layer_params[i] != NULL; i++) {
        if (strcmp(catalog_layer_params[i], name) == 0 && !catalog_has_dataset(cat, p->value)) {
            return err_set(err, ERR_INVALID,
                           "%s: %s.query.%s '%s' is not the id of a dataset of this catalog", file,
                           where, name, utf8_excerpt(p->value, 100).text);
        }
    }
    return ERR_OK;
}

static int parse_query(json_t *q, const char *where, const char *file, const struct catalog *cat,
                       struct catalog_statistic *s, struct err *err)
{
    if (q == NULL) {
        return err_set(err, ERR_INVALID, "%s: %s.query is required", file, where);
    }
    if (!json_is_object(q) || json_object_size(q) == 0) {
        return err_set(err, ERR_INVALID,
                       "%s: %s.query must be a non-empty object of parameter names and values",
                       file, where);
    }
    if (json_object_size(q) > CATALOG_MAX_PARAMS) {
        return err_set(err, ERR_TOO_LARGE, "%s: %s.query has more than %d parameters", file, where,
                       CATALOG_MAX_PARAMS);
    }
    s->params = xcalloc(json_object_size(q), sizeof(*s->params));
    const char *name;
    json_t *v;
    /* jansson keeps an object's members in document order, the order the query keeps. */
    json_object_foreach(q, name, v)
    {
        int rc = parse_param(name, v, where, file, cat, &s->params[s->n_params++], err);
        if (rc != ERR_OK) {
            return rc;
        }
    }
    return ERR_OK;
}

/* A {"th": ..., "en": ...} pair in which both languages are required: featured statistics
 * are shown to Thai and English readers alike. */
static int get_both_languages(json_t *obj, const char *key, bool required, const char *where,
                              const char *file, char **en, char **th, struct err *err)
{
    int rc = catalog_get_text_pair(obj, key, required, where, file, en, th, err);
    if (rc == ERR_OK && *en != NULL && *th == NULL) {
        rc = err_set(err, ERR_INVALID, "%s: %s.%s.th is required", file, where, key);
    }
    return rc;
}

static int parse_statistic(json_t *obj, size_t index, const char *file, const struct catalog *cat,
                           struct catalog_statistic *s, struct err *err)
{
    char where[64];
    snprintf(where, sizeof(where), "statistics[%zu]", index);
    if (!json_is_object(obj)) {
        return err_set(err, ERR_INVALID, "%s: %s must be an object", file, where);
    }
    static const char *const keys[] = {"id", "title", "question", "note", "query", NULL};
    int rc = catalog_check_keys(obj, keys, where, file, err);
    if (rc == ERR_OK) {
        rc = catalog_get_string(obj, "id", true, where, file, &s->id, err);
    }
    if (rc == ERR_OK && !parse_is_slug(s->id)) {
        rc = err_set(err, ERR_INVALID,
                     "%s: %s.id '%s' must be 1-63 characters of a-z, 0-9 and '-' "
                     "(it appears in URLs)",
                     file, where, s->id);
    }
    if (rc == ERR_OK) {
        rc = get_both_languages(obj, "title", true, where, file, &s->title_en, &s->title_th, err);
    }
    if (rc == ERR_OK) {
        rc = get_both_languages(obj, "question", true, where, file, &s->question_en,
                                &s->question_th, err);
    }
    if (rc == ERR_OK) {
        rc = get_both_languages(obj, "note", false, where, file, &s->note_en, &s->note_th, err);
    }
    if (rc == ERR_OK) {
        rc = parse_query(json_object_get(obj, "query"), where, file, cat, s, err);
    }
    if (rc == ERR_OK) {
        /* Stored with every query value as the text above, so the server reads strings
         * only and never formats a number differently from what this struct holds. */
        json_t *stored = json_deep_copy(obj);
        json_t *query = json_object();
        for (size_t i = 0; i < s->n_params; i++) {
            json_object_set_new(query, s->params[i].name, json_string(s->params[i].value));
        }
        json_object_set_new(stored, "query", query);
        s->json = json_dumps(stored, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(stored);
    }
    return rc;
}

/* The optional top-level "statistics" array; parsed after the datasets it refers to. */
static int parse_statistics(json_t *arr, const char *file, struct catalog *cat, struct err *err)
{
    if (arr == NULL) {
        return ERR_OK;
    }
    if (!json_is_array(arr)) {
        return err_set(err, ERR_INVALID, "%s: statistics must be an array", file);
    }
    size_t n = json_array_size(arr);
    if (n > CATALOG_MAX_STATISTICS) {
        return err_set(err, ERR_TOO_LARGE, "%s: more than %d statistics", file,
                       CATALOG_MAX_STATISTICS);
    }
    cat->statistics = xcalloc(n > 0 ? n : 1, sizeof(*cat->statistics));
    for (size_t i = 0; i < n; i++) {
        cat->n_statistics = i + 1;
        int rc = parse_statistic(json_array_get(arr, i), i, file, cat, &cat->statistics[i], err);
        if (rc != ERR_OK) {
            return rc;
        }
        for (size_t j = 0; j < i; j++) {
            if (strcmp(cat->statistics[j].id, cat->statistics[i].id) == 0) {
                return err_set(err, ERR_INVALID,
                               "%s: statistics[%zu].id '%s' repeats statistics[%zu]", file, i,
                               cat->statistics[i].id, j);
            }
        }
    }
    return ERR_OK;
}

static int parse_root(json_t *root, const char *file, const char *dir, struct catalog *cat,
                      struct err *err)
{
    if (!json_is_object(root)) {
        return err_set(err, ERR_INVALID, "%s: the catalog must be a JSON object", file);
    }
    static const char *const keys[] = {"format", "city", "datasets", "statistics", NULL};
    int rc = catalog_check_keys(root, keys, "catalog", file, err);
    json_t *format = json_object_get(root, "format");
    if (rc == ERR_OK &&
        (!json_is_string(format) || strcmp(json_string_value(format), CATALOG_FORMAT) != 0)) {
        rc = err_set(err, ERR_INVALID, "%s: format must be \"%s\"", file, CATALOG_FORMAT);
    }
    json_t *datasets = json_object_get(root, "datasets");
    if (rc == ERR_OK && (!json_is_array(datasets) || json_array_size(datasets) == 0)) {
        rc = err_set(err, ERR_INVALID, "%s: datasets must be a non-empty array", file);
    }
    if (rc == ERR_OK && json_array_size(datasets) > CATALOG_MAX_DATASETS) {
        rc = err_set(err, ERR_TOO_LARGE, "%s: more than %d datasets", file, CATALOG_MAX_DATASETS);
    }
    if (rc != ERR_OK) {
        return rc;
    }
    size_t n = json_array_size(datasets);
    cat->datasets = xcalloc(n, sizeof(*cat->datasets));
    for (size_t i = 0; i < n; i++) {
        cat->n_datasets = i + 1;
        rc = parse_dataset(json_array_get(datasets, i), i, file, dir, &cat->datasets[i], err);
        if (rc != ERR_OK) {
            return rc;
        }
        for (size_t j = 0; j < i; j++) {
            if (strcmp(cat->datasets[j].id, cat->datasets[i].id) == 0) {
                return err_set(err, ERR_INVALID, "%s: datasets[%zu].id '%s' repeats datasets[%zu]",
                               file, i, cat->datasets[i].id, j);
            }
        }
    }
    rc = parse_statistics(json_object_get(root, "statistics"), file, cat, err);
    if (rc == ERR_OK) {
        rc = catalog_city_parse(json_object_get(root, "city"), file, cat, err);
    }
    return rc;
}

/* The catalog in root (taking the reference), read as the file at path. */
static int from_root(json_t *root, const char *path, struct catalog **out, struct err *err)
{
    struct catalog *cat = xcalloc(1, sizeof(*cat));
    cat->path = xstrdup(path);
    char *dir = path_dirname(path);
    int rc = parse_root(root, path, dir, cat, err);
    free(dir);
    json_decref(root);
    if (rc != ERR_OK) {
        catalog_free(cat);
        return rc;
    }
    *out = cat;
    return ERR_OK;
}

int catalog_load(const char *path, struct catalog **out, struct err *err)
{
    *out = NULL;
    json_error_t jerr;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL) {
        FILE *f = fopen(path, "rb");
        if (f == NULL) {
            return err_set(err, ERR_NOT_FOUND, "cannot read catalog %s", path);
        }
        fclose(f);
        return err_set(err, ERR_INVALID, "%s:%d:%d: %s", path, jerr.line, jerr.column, jerr.text);
    }
    return from_root(root, path, out, err);
}

int catalog_parse_text(const char *text, size_t len, const char *path, struct catalog **out,
                       struct err *err)
{
    *out = NULL;
    json_error_t jerr;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL) {
        return err_set(err, ERR_INVALID, "%s:%d:%d: %s", path, jerr.line, jerr.column, jerr.text);
    }
    return from_root(root, path, out, err);
}

void catalog_hints_clear(struct catalog_hints *h)
{
    free(h->layer);
    free(h->encoding);
    free(h->s_srs);
    free(h->name_column);
    free(h->x_column);
    free(h->y_column);
    memset(h, 0, sizeof(*h));
}

static void statistic_clear(struct catalog_statistic *s)
{
    char *strs[] = {s->id,          s->title_en, s->title_th, s->question_en,
                    s->question_th, s->note_en,  s->note_th,  s->json};
    for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
        free(strs[i]);
    }
    for (size_t i = 0; i < s->n_params; i++) {
        free(s->params[i].name);
        free(s->params[i].value);
    }
    free(s->params);
}

void catalog_free(struct catalog *cat)
{
    if (cat == NULL) {
        return;
    }
    for (size_t i = 0; i < cat->n_datasets; i++) {
        struct catalog_dataset *d = &cat->datasets[i];
        char *strs[] = {d->id,    d->title_en, d->title_th,   d->description_en, d->description_th,
                        d->theme, d->source,   d->source_url, d->license,        d->attribution,
                        d->path,  d->json};
        for (size_t j = 0; j < sizeof(strs) / sizeof(strs[0]); j++) {
            free(strs[j]);
        }
        catalog_hints_clear(&d->hints);
    }
    free(cat->datasets);
    for (size_t i = 0; i < cat->n_statistics; i++) {
        statistic_clear(&cat->statistics[i]);
    }
    free(cat->statistics);
    free(cat->path);
    free(cat->city_id);
    free(cat->city_title_en);
    free(cat->city_title_th);
    free(cat->city_json);
    free(cat->city_scenarios);
    free(cat);
}
