/* stats_cells.c - the accumulators of one statistic, one per (area, group, period) that
 * received something plus every area's and the overall totals, and the finishing step
 * that turns them into rows: means, medians, nearest-distance summaries, the per-km²,
 * per-capita and share columns, labels in order. */
#include "stats/stats_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"

/* Caps on what grouping may produce: past them a response is no longer a statistic. */
#define CELLS_MAX 200000
#define LABELS_MAX 10000

struct acc {
    uint64_t key;
    int64_t n;
    double sum, min, max;
    double *values; /* median and nearest keep every value */
    size_t n_values, cap_values;
};

struct labels {
    char **text;
    size_t n;
    uint32_t *slots; /* open addressing: index + 1, 0 = free */
    size_t n_slots;
};

struct stats_cells {
    const struct stats_spec *spec;
    size_t n_areas; /* index n_areas stands for the total */
    bool keeps_values;
    struct acc *accs;
    size_t n_accs, cap_accs;
    uint32_t *slots; /* open addressing over accs: index + 1 */
    size_t n_slots;
    struct labels groups, periods;
};

static uint64_t make_key(size_t area, long group, long period)
{
    return ((uint64_t)area << 40) | ((uint64_t)(group + 1) << 20) | (uint64_t)(period + 1);
}

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return x;
}

struct stats_cells *stats_cells_new(const struct stats_spec *spec, size_t n_areas)
{
    struct stats_cells *c = xcalloc(1, sizeof(*c));
    c->spec = spec;
    c->n_areas = n_areas;
    c->keeps_values = spec->metric == STATS_MEDIAN || spec->metric == STATS_NEAREST;
    c->n_slots = 1024;
    while (c->n_slots < 4 * (n_areas + 1)) {
        c->n_slots *= 2;
    }
    c->slots = xcalloc(c->n_slots, sizeof(uint32_t));
    return c;
}

static void grow_slots(struct stats_cells *c)
{
    free(c->slots);
    c->n_slots *= 2;
    c->slots = xcalloc(c->n_slots, sizeof(uint32_t));
    for (size_t i = 0; i < c->n_accs; i++) {
        size_t s = mix(c->accs[i].key) & (c->n_slots - 1);
        while (c->slots[s] != 0) {
            s = (s + 1) & (c->n_slots - 1);
        }
        c->slots[s] = (uint32_t)(i + 1);
    }
}

static struct acc *find_acc(struct stats_cells *c, uint64_t key, struct err *err)
{
    size_t s = mix(key) & (c->n_slots - 1);
    for (; c->slots[s] != 0; s = (s + 1) & (c->n_slots - 1)) {
        if (c->accs[c->slots[s] - 1].key == key) {
            return &c->accs[c->slots[s] - 1];
        }
    }
    if (c->n_accs == CELLS_MAX) {
        err_set(err, ERR_TOO_LARGE,
                "more than %d rows (areas x groups x periods); group by fewer values, a longer "
                "interval or fewer areas",
                CELLS_MAX);
        return NULL;
    }
    if (c->n_accs == c->cap_accs) {
        c->cap_accs = c->cap_accs ? 2 * c->cap_accs : 256;
        c->accs = xreallocarray(c->accs, c->cap_accs, sizeof(*c->accs));
    }
    c->slots[s] = (uint32_t)(c->n_accs + 1);
    struct acc *a = &c->accs[c->n_accs++];
    *a = (struct acc){.key = key, .min = INFINITY, .max = -INFINITY};
    if (2 * c->n_accs > c->n_slots) {
        grow_slots(c);
    }
    return a;
}

static void observe(struct stats_cells *c, struct acc *a, double value, bool counts)
{
    a->n += counts ? 1 : 0;
    a->sum += value;
    a->min = value < a->min ? value : a->min;
    a->max = value > a->max ? value : a->max;
    if (c->keeps_values) {
        if (a->n_values == a->cap_values) {
            a->cap_values = a->cap_values ? 2 * a->cap_values : 8;
            a->values = xreallocarray(a->values, a->cap_values, sizeof(double));
        }
        a->values[a->n_values++] = value;
    }
}

int stats_cells_add(struct stats_cells *c, size_t area, long group, long period, double value,
                    bool is_first, struct err *err)
{
    long groups[2] = {-1, group}, periods[2] = {-1, period};
    size_t areas[2] = {area, c->n_areas};
    for (int a = 0; a < 2; a++) {
        for (int g = 0; g < (group >= 0 ? 2 : 1); g++) {
            for (int p = 0; p < (period >= 0 ? 2 : 1); p++) {
                struct acc *acc = find_acc(c, make_key(areas[a], groups[g], periods[p]), err);
                if (acc == NULL) {
                    return ERR_TOO_LARGE;
                }
                observe(c, acc, value, a == 0 || is_first);
            }
        }
    }
    return ERR_OK;
}

static uint64_t hash_text(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (size_t i = 0; i < len; i++) {
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    }
    return h;
}

int stats_cells_label(struct stats_cells *c, bool is_period, const char *text, size_t len,
                      long *index, struct err *err)
{
    struct labels *l = is_period ? &c->periods : &c->groups;
    if (l->slots == NULL) {
        l->n_slots = 2 * LABELS_MAX;
        l->slots = xcalloc(l->n_slots, sizeof(uint32_t));
    }
    size_t s = hash_text(text, len) % l->n_slots;
    for (; l->slots[s] != 0; s = (s + 1) % l->n_slots) {
        const char *t = l->text[l->slots[s] - 1];
        if (strlen(t) == len && memcmp(t, text, len) == 0) {
            *index = (long)(l->slots[s] - 1);
            return ERR_OK;
        }
    }
    if (l->n == LABELS_MAX) {
        return err_set(err, ERR_TOO_LARGE, "%s: more than %d different values",
                       is_period ? "time" : "group", LABELS_MAX);
    }
    l->text = xreallocarray(l->text, l->n + 1, sizeof(char *));
    l->text[l->n] = xstrndup(text, len);
    l->slots[s] = (uint32_t)(l->n + 1);
    *index = (long)l->n++;
    return ERR_OK;
}

/* Finishing */

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median_of(double *values, size_t n)
{
    qsort(values, n, sizeof(double), compare_doubles);
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

/* The metric of one accumulator, in the result's unit. */
static void fill_value(const struct stats_spec *spec, struct acc *a, struct stats_cell *out)
{
    double scale = stats_unit_scale(spec->unit);
    out->n = a->n;
    out->has_value = a->n > 0 || stats_metric_is_additive(spec->metric);
    switch (spec->metric) {
    case STATS_COUNT:
        out->value = (double)a->n;
        break;
    case STATS_LENGTH:
    case STATS_AREA:
    case STATS_SUM:
        out->value = a->sum * scale;
        break;
    case STATS_MEAN:
        out->value = a->n > 0 ? a->sum / (double)a->n : 0;
        break;
    case STATS_MIN:
        out->value = a->min;
        break;
    case STATS_MAX:
        out->value = a->max;
        break;
    case STATS_MEDIAN:
        out->value = a->n_values > 0 ? median_of(a->values, a->n_values) : 0;
        break;
    case STATS_NEAREST:
        out->value = a->n > 0 ? a->sum / (double)a->n * scale : 0;
        out->median = a->n_values > 0 ? median_of(a->values, a->n_values) * scale : 0;
        out->max = a->n > 0 ? a->max * scale : 0;
        break;
    }
    if (spec->metric == STATS_NEAREST && spec->has_beyond && a->n_values > 0) {
        size_t far = 0;
        for (size_t i = 0; i < a->n_values; i++) {
            far += a->values[i] * scale > spec->beyond ? 1 : 0;
        }
        out->share_beyond = (double)far / (double)a->n_values;
    }
}

/* The denominators of the total row: every area together. */
struct whole {
    double area_m2, population;
    bool has_population;
};

static void fill_normalised(const struct stats_spec *spec, const struct stats_result *r,
                            const struct whole *w, struct stats_cell *cell,
                            const struct stats_cell *total)
{
    if (!stats_metric_is_additive(spec->metric)) {
        return;
    }
    bool is_total = cell->area == STATS_TOTAL;
    const struct stats_area *a = is_total ? NULL : &r->areas[cell->area];
    double area_m2 = is_total ? w->area_m2 : a->area_m2;
    double population = is_total ? w->population : a->population;
    bool has_population = is_total ? w->has_population : a->has_population;
    if (area_m2 > 0) {
        cell->has_per_km2 = true;
        cell->per_km2 = cell->value / (area_m2 / 1e6);
    }
    if (has_population && population > 0) {
        cell->has_per_capita = true;
        cell->per_capita = cell->value / population * spec->per;
    } else if (r->has_population) {
        cell->per_capita_note = is_total ? "not every area has a population figure"
                                         : "no population figure for this area (see "
                                           "population_note)";
    }
    if (total != NULL && total->value > 0) {
        cell->has_share = true;
        cell->share = cell->value / total->value;
    }
}

struct label_ref {
    const char *text;
    long index;
};

static int compare_labels(const void *a, const void *b)
{
    return strcmp(((const struct label_ref *)a)->text, ((const struct label_ref *)b)->text);
}

/* Labels sorted into *out; returns rank[old index] = new index. */
static long *sort_labels(struct labels *l, char ***out, size_t *n_out)
{
    size_t n = l->n;
    struct label_ref *refs = xcalloc(n > 0 ? n : 1, sizeof(*refs));
    for (size_t i = 0; i < n; i++) {
        refs[i] = (struct label_ref){l->text[i], (long)i};
    }
    qsort(refs, n, sizeof(*refs), compare_labels);
    long *rank = xcalloc(n > 0 ? n : 1, sizeof(long));
    *out = xcalloc(n > 0 ? n : 1, sizeof(char *));
    for (size_t i = 0; i < n; i++) {
        rank[refs[i].index] = (long)i;
        (*out)[i] = l->text[refs[i].index];
    }
    *n_out = n;
    free(refs);
    free(l->text);
    l->text = NULL;
    l->n = 0;
    return rank;
}

static int compare_cells(const void *a, const void *b)
{
    const struct stats_cell *x = a, *y = b;
    if (x->area != y->area) {
        return x->area < y->area ? -1 : 1; /* STATS_TOTAL is the largest: last */
    }
    if (x->group != y->group) {
        return x->group < y->group ? -1 : 1;
    }
    return (x->period > y->period) - (x->period < y->period);
}

static void decode(const struct stats_cells *c, uint64_t key, const long *group_rank,
                   const long *period_rank, struct stats_cell *out)
{
    size_t area = (size_t)(key >> 40);
    long g = (long)((key >> 20) & 0xFFFFF) - 1, p = (long)(key & 0xFFFFF) - 1;
    out->area = area == c->n_areas ? STATS_TOTAL : area;
    out->group = g >= 0 ? group_rank[g] : -1;
    out->period = p >= 0 ? period_rank[p] : -1;
}

void stats_cells_finish(struct stats_cells *c, struct stats_result *r)
{
    struct err ignored = {0};
    for (size_t a = 0; a <= c->n_areas; a++) { /* every area has a row, even an empty one */
        if (find_acc(c, make_key(a, -1, -1), &ignored) == NULL) {
            break;
        }
    }
    long *group_rank = sort_labels(&c->groups, &r->groups, &r->n_groups);
    long *period_rank = sort_labels(&c->periods, &r->periods, &r->n_periods);
    struct whole w = {.has_population = r->has_population};
    for (size_t i = 0; i < r->n_areas; i++) {
        w.area_m2 += r->areas[i].area_m2;
        w.population += r->areas[i].population;
        w.has_population = w.has_population && r->areas[i].has_population;
    }
    r->cells = xcalloc(c->n_accs > 0 ? c->n_accs : 1, sizeof(*r->cells));
    r->n_cells = c->n_accs;
    for (size_t i = 0; i < c->n_accs; i++) {
        decode(c, c->accs[i].key, group_rank, period_rank, &r->cells[i]);
        fill_value(c->spec, &c->accs[i], &r->cells[i]);
    }
    for (size_t i = 0; i < c->n_accs; i++) {
        uint64_t total_key = ((uint64_t)c->n_areas << 40) | (c->accs[i].key & 0xFFFFFFFFFFULL);
        size_t s = mix(total_key) & (c->n_slots - 1);
        while (c->slots[s] != 0 && c->accs[c->slots[s] - 1].key != total_key) {
            s = (s + 1) & (c->n_slots - 1);
        }
        const struct stats_cell *total = c->slots[s] != 0 ? &r->cells[c->slots[s] - 1] : NULL;
        fill_normalised(c->spec, r, &w, &r->cells[i], total);
    }
    qsort(r->cells, r->n_cells, sizeof(*r->cells), compare_cells);
    free(group_rank);
    free(period_rank);
}

void stats_cells_free(struct stats_cells *c)
{
    if (c == NULL) {
        return;
    }
    for (size_t i = 0; i < c->n_accs; i++) {
        free(c->accs[i].values);
    }
    struct labels *ls[2] = {&c->groups, &c->periods};
    for (int k = 0; k < 2; k++) {
        for (size_t i = 0; i < ls[k]->n; i++) {
            free(ls[k]->text[i]);
        }
        free(ls[k]->text);
        free(ls[k]->slots);
    }
    free(c->accs);
    free(c->slots);
    free(c);
}
