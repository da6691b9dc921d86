/* check_featured.c - a dry run's check of the catalog's featured statistics: the layers
 * are described from what the run read (fields and geometry as they would be stored) and
 * from the database's registry; the statistics engine's own parser and planner judge. */
#include "cli/check_featured.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "stats/stats.h"
#include "store/store_read.h"

static void add_error(struct import_report *report, const char *id, const char *msg)
{
    report->errors = xreallocarray(report->errors, report->n_errors + 1, sizeof(char *));
    report->errors[report->n_errors++] = xasprintf("featured statistic '%s': %s", id, msg);
}

static bool has_layer(const struct store_layer *layers, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(layers[i].id, id) == 0) {
            return true;
        }
    }
    return false;
}

/* The layers as an import would leave them: those read now, then the database's others.
 * Strings stay borrowed from the report and the snapshot. Free the array with free(). */
static struct store_layer *collect_layers(const struct import_report *report,
                                          const struct store_catalog *db_cat, size_t *n)
{
    size_t n_db = db_cat != NULL ? db_cat->n_layers : 0;
    struct store_layer *layers = xcalloc(report->n_layers + n_db + 1, sizeof(*layers));
    *n = 0;
    for (size_t i = 0; i < report->n_layers; i++) {
        const struct import_layer_report *lr = &report->layers[i];
        if (lr->id == NULL || lr->error != NULL || lr->is_unchanged) {
            continue;
        }
        struct store_layer *l = &layers[(*n)++];
        l->id = lr->id;
        l->geometry_type = lr->geometry_type;
        l->fields = lr->fields;
        l->n_fields = lr->n_fields;
    }
    for (size_t i = 0; i < n_db; i++) {
        if (!has_layer(layers, *n, db_cat->layers[i].id)) {
            layers[(*n)++] = db_cat->layers[i];
        }
    }
    return layers;
}

static size_t check_each(const struct catalog *cat, const struct store_layer *layers,
                         size_t n_layers, struct import_report *report)
{
    size_t n_problems = 0;
    for (size_t i = 0; i < cat->n_statistics; i++) {
        const struct catalog_statistic *s = &cat->statistics[i];
        struct stats_param *params = xcalloc(s->n_params + 1, sizeof(*params));
        for (size_t k = 0; k < s->n_params; k++) {
            params[k].name = s->params[k].name;
            params[k].value = s->params[k].value;
        }
        struct err e;
        if (stats_check_params(params, s->n_params, layers, n_layers, &e) != ERR_OK) {
            add_error(report, s->id, e.msg);
            n_problems++;
        }
        free(params);
    }
    return n_problems;
}

size_t check_featured(const struct catalog *cat, const char *db, struct import_report *report)
{
    struct store_pool *pool = NULL;
    struct store_read *rd = NULL;
    struct err e;
    if (db != NULL && (store_pool_open(db, 1, &pool, &e) != ERR_OK ||
                       store_read_begin(pool, &rd, &e) != ERR_OK)) {
        report->errors = xreallocarray(report->errors, report->n_errors + 1, sizeof(char *));
        report->errors[report->n_errors++] = xasprintf("featured statistics: %s", e.msg);
        store_pool_close(pool);
        return 1;
    }
    size_t n_layers = 0;
    struct store_layer *layers =
        collect_layers(report, rd != NULL ? store_read_catalog(rd) : NULL, &n_layers);
    size_t n_problems = check_each(cat, layers, n_layers, report);
    free(layers);
    store_read_end(rd);
    store_pool_close(pool);
    return n_problems;
}
