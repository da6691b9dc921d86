/* stats_population.c - the denominators of per-capita values: each area's population, its
 * year and its source, from a field of the boundary layer or from a table joined on a key
 * (e.g. the district population CSV keyed by ADM2_PCODE). Real tables are uneven: an area
 * without a figure gets none, with a note saying why, never a zero or a guess. */
#include "stats/stats_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "encode/number_text.h"
#include "base/utf8.h"

/* A population table larger than this is not a table of areas. */
#define POP_MAX_ROWS 200000

struct figure {
    char *key;
    int64_t fid;
    bool has_value;
    double value;
    char *year, *source;
};

struct figures {
    struct figure *items;
    size_t n;
};

static char *text_of(const struct store_value *v)
{
    char text[NUMBER_TEXT_REAL_CAP];
    if (v->is_null || v->type == STORE_BLOB) {
        return NULL;
    }
    if (v->type == STORE_TEXT) {
        return xstrndup(v->ptr, v->len);
    }
    if (v->type == STORE_INTEGER) {
        number_text_int64(v->i, text);
    } else {
        number_text_real(v->d, text);
    }
    return xstrdup(text);
}

static void read_figure(const struct store_feature *row, long key_at, struct figure *f)
{
    const struct store_value *v = &row->values[0];
    f->fid = row->fid;
    f->has_value = !v->is_null && (v->type == STORE_INTEGER || v->type == STORE_REAL);
    f->value = v->type == STORE_INTEGER ? (double)v->i : v->d;
    f->year = row->n_values > 1 ? text_of(&row->values[1]) : NULL;
    f->source = row->n_values > 2 ? text_of(&row->values[2]) : NULL;
    f->key = key_at >= 0 ? text_of(&row->values[key_at]) : NULL;
}

/* Reads population, year, source (and the key) from table, one figure per row. */
static int read_figures(struct store_read *rd, const struct stats_plan *plan,
                        const struct store_layer *table, struct figures *out, struct err *err)
{
    size_t props[4];
    size_t n = 0;
    long year = plan->pop_year, source = plan->pop_source;
    props[n++] = (size_t)plan->population;
    /* year and source keep their places (1 and 2); a missing one repeats the population,
     * which read_figure then ignores */
    props[n++] = (size_t)(year >= 0 ? year : plan->population);
    props[n++] = (size_t)(source >= 0 ? source : plan->population);
    long key_at = plan->pop_table != NULL ? (long)n : -1;
    if (key_at >= 0) {
        props[n++] = (size_t)plan->join_to;
    }
    struct store_query q = {.layer = table,
                            .filter = plan->pop_table ? NULL : plan->by_filter,
                            .properties = props,
                            .n_properties = n,
                            .limit = STORE_LIMIT_ALL,
                            .out_srid = 4326,
                            .skip_geometry = true};
    struct store_cursor *cur = NULL;
    int rc = store_features_open(rd, &q, &cur, err);
    const struct store_feature *row = NULL;
    while (rc == ERR_OK && (rc = store_cursor_next(cur, &row, err)) == 1) {
        if (out->n == POP_MAX_ROWS) {
            rc = err_set(err, ERR_TOO_LARGE, "population-from: '%s' has more than %d rows",
                         table->id, POP_MAX_ROWS);
            break;
        }
        out->items = xreallocarray(out->items, out->n + 1, sizeof(*out->items));
        struct figure *f = &out->items[out->n++];
        *f = (struct figure){0};
        read_figure(row, key_at, f);
        if (year < 0) {
            free(f->year);
            f->year = NULL;
        }
        if (source < 0) {
            free(f->source);
            f->source = NULL;
        }
        rc = ERR_OK;
    }
    store_cursor_close(cur);
    return rc < 0 ? rc : ERR_OK;
}

static void clear_figures(struct figures *f)
{
    for (size_t i = 0; i < f->n; i++) {
        free(f->items[i].key);
        free(f->items[i].year);
        free(f->items[i].source);
    }
    free(f->items);
}

static int compare_keys(const void *a, const void *b)
{
    const struct figure *x = a, *y = b;
    if (x->key == NULL || y->key == NULL) {
        return (x->key != NULL) - (y->key != NULL);
    }
    return strcmp(x->key, y->key);
}

static int compare_fids(const void *a, const void *b)
{
    const struct figure *x = a, *y = b;
    return (x->fid > y->fid) - (x->fid < y->fid);
}

/* figs sorted by key (joined table) or by fid (the boundary layer itself). */
static const struct figure *find_figure(const struct figures *f, const struct stats_area *a,
                                        bool by_key)
{
    struct figure probe = {.key = a->code, .fid = a->fid};
    if (by_key && a->code == NULL) {
        return NULL;
    }
    if (f->n == 0) {
        return NULL;
    }
    return bsearch(&probe, f->items, f->n, sizeof(*f->items), by_key ? compare_keys : compare_fids);
}

static int sort_figures(struct figures *f, const struct stats_plan *plan, struct err *err)
{
    bool by_key = plan->pop_table != NULL;
    if (f->n > 1) { /* items is NULL for an empty table, which qsort must not see */
        qsort(f->items, f->n, sizeof(*f->items), by_key ? compare_keys : compare_fids);
    }
    for (size_t i = 1; by_key && i < f->n; i++) {
        const char *key = f->items[i].key;
        if (key != NULL && f->items[i - 1].key != NULL && strcmp(key, f->items[i - 1].key) == 0) {
            return err_set(err, ERR_INVALID,
                           "join: '%s' appears twice in field '%s' of '%s', so it does not "
                           "pick one figure per area",
                           utf8_excerpt(key, 60).text, plan->pop_table->fields[plan->join_to].name,
                           plan->pop_table->id);
        }
    }
    return ERR_OK;
}

/* Why an area has no figure, in words a reader can check. */
static char *missing_note(const struct stats_plan *plan, const struct stats_area *a,
                          const struct figure *fig)
{
    const char *key_name = plan->join_by >= 0 ? plan->by->fields[plan->join_by].name : "";
    const char *table = plan->pop_table != NULL ? plan->pop_table->id : plan->by->id;
    if (plan->pop_table != NULL && a->code == NULL) {
        return xasprintf("the boundary has no %s to look its population up by", key_name);
    }
    if (fig == NULL) {
        return xasprintf("no population figure for %s '%s' in '%s'", key_name, a->code, table);
    }
    return xasprintf("the population figure%s%s%s in '%s' is empty or not positive",
                     a->code ? " for '" : "", a->code ? a->code : "", a->code ? "'" : "", table);
}

static void attach_one(const struct stats_plan *plan, const struct figures *figs,
                       struct stats_area *a, struct stats_result *r)
{
    const struct figure *fig = find_figure(figs, a, plan->pop_table != NULL);
    if (fig == NULL || !fig->has_value || !(fig->value > 0)) {
        a->population_note = missing_note(plan, a, fig);
        r->n_areas_without_population++;
        return;
    }
    a->has_population = true;
    a->population = fig->value;
    a->population_year = fig->year ? xstrdup(fig->year) : NULL;
    a->population_source = fig->source ? xstrdup(fig->source) : NULL;
    int year = a->population_year != NULL ? atoi(a->population_year) : 0;
    if (year > 0) {
        r->population_year_min = r->population_year_min == 0 || year < r->population_year_min
                                     ? year
                                     : r->population_year_min;
        r->population_year_max = year > r->population_year_max ? year : r->population_year_max;
    }
}

int stats_population_attach(struct store_read *rd, const struct stats_spec *spec,
                            const struct stats_plan *plan, struct stats_result *r, struct err *err)
{
    if (spec->population == NULL) {
        return ERR_OK;
    }
    const struct store_layer *table = plan->pop_table != NULL ? plan->pop_table : plan->by;
    struct figures figs = {0};
    int rc = read_figures(rd, plan, table, &figs, err);
    if (rc == ERR_OK) {
        rc = sort_figures(&figs, plan, err);
    }
    if (rc == ERR_OK) {
        r->has_population = true;
        r->population_label =
            xasprintf("%s (field %s of '%s')", table->title_en ? table->title_en : table->id,
                      spec->population, table->id);
        for (size_t i = 0; i < r->n_areas; i++) {
            attach_one(plan, &figs, &r->areas[i], r);
        }
        if (plan->pop_table != NULL && r->n_areas_without_population == r->n_areas) {
            rc = err_set(err, ERR_INVALID,
                         "join: no value of '%s' in '%s' matches field '%s' of '%s', so no area "
                         "gets a population",
                         plan->by->fields[plan->join_by].name, plan->by->id,
                         plan->pop_table->fields[plan->join_to].name, plan->pop_table->id);
        }
    }
    clear_figures(&figs);
    return rc;
}
