/* stats_spec_text.c - a parsed spec back as name=value pairs in one canonical order with
 * every default written out: the "query" member of responses, the links, the cache key,
 * and (parsed again) the copy a cached result keeps. */
#include "stats/stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "encode/number_text.h"

#define MAX_PAIRS 48

struct pairs {
    struct stats_param *items;
    size_t n;
};

static void add(struct pairs *p, const char *name, const char *value)
{
    if (value != NULL && p->n < MAX_PAIRS) {
        p->items[p->n].name = xstrdup(name);
        p->items[p->n].value = xstrdup(value);
        p->n++;
    }
}

static void add_number(struct pairs *p, const char *name, double v)
{
    char text[NUMBER_TEXT_REAL_CAP];
    number_text_real(v, text);
    add(p, name, text);
}

static void add_population(struct pairs *p, const struct stats_spec *s)
{
    if (s->population == NULL) {
        return;
    }
    add(p, "population", s->population);
    add(p, "population-from", s->population_from);
    if (s->join_by != NULL) {
        char *join = xasprintf("%s:%s", s->join_by, s->join_to);
        add(p, "join", join);
        free(join);
    }
    add(p, "population-year", s->population_year);
    add(p, "population-source", s->population_source);
    add_number(p, "per", s->per);
}

size_t stats_spec_params(const struct stats_spec *s, struct stats_param **out)
{
    struct pairs p = {xcalloc(MAX_PAIRS, sizeof(struct stats_param)), 0};
    add(&p, "layer", s->layer);
    add(&p, "filter", s->filter);
    for (size_t i = 0; i < s->n_props; i++) {
        add(&p, s->prop_names[i], s->prop_values[i]);
    }
    add(&p, "by", s->by);
    add(&p, "by-filter", s->by_filter);
    add(&p, "metric", stats_metric_name(s->metric));
    add(&p, "field", s->field);
    add(&p, "group", s->group);
    add(&p, "time", s->time);
    if (s->interval != STATS_INTERVAL_NONE) {
        add(&p, "interval", stats_interval_name(s->interval));
    }
    add_population(&p, s);
    add(&p, "to", s->to);
    add(&p, "to-filter", s->to_filter);
    if (s->has_beyond) {
        add_number(&p, "beyond", s->beyond);
    }
    if (s->unit != STATS_UNIT_NONE) {
        add(&p, "unit", stats_unit_name(s->unit));
    }
    add(&p, "classify", stats_class_method_name(s->class_method));
    add_number(&p, "classes", s->n_classes);
    if (s->has_classify_column) {
        add(&p, "classify-column", stats_column_name(s->classify_column));
    }
    *out = p.items;
    return p.n;
}

void stats_params_free(struct stats_param *params, size_t n)
{
    for (size_t i = 0; params != NULL && i < n; i++) {
        free((char *)params[i].name);
        free((char *)params[i].value);
    }
    free(params);
}

/* Length-prefixed, so no value can imitate a separator. */
char *stats_spec_key(const struct stats_spec *s)
{
    struct stats_param *params = NULL;
    size_t n = stats_spec_params(s, &params);
    struct buf key;
    buf_init(&key, 1024 * 1024);
    struct err err = {0};
    for (size_t i = 0; i < n; i++) {
        if (buf_printf(&key, &err, "%zu:%s=%zu:%s;", strlen(params[i].name), params[i].name,
                       strlen(params[i].value), params[i].value) != ERR_OK) {
            break; /* every value is capped at parse time, so this cannot happen */
        }
    }
    stats_params_free(params, n);
    char *text = buf_take(&key);
    return text != NULL ? text : xstrdup("");
}
