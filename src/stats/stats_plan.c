/* stats_plan.c - a spec's names resolved against one snapshot: which layers, which
 * fields, which filters; every mistake a user can make is an ERR_INVALID that names the
 * parameter, the layer and what would be right. */
#include "stats/stats_int.h"

#include <string.h>

#include "cql2/cql2.h"
#include "base/utf8.h"

int stats_find_layer(struct store_read *rd, const char *param, const char *id,
                     const struct store_layer **out, struct err *err)
{
    *out = store_read_layer(rd, id);
    if (*out == NULL) {
        int rc = store_read_check_damaged(rd, id, false, err);
        return rc != ERR_OK
                   ? rc
                   : err_set(err, ERR_INVALID, "%s: there is no layer '%s' (see /collections)",
                             param, utf8_excerpt(id, 80).text);
    }
    return ERR_OK;
}

/* Where a plan finds its layers: a snapshot (rd), or, for a dry run, the layers an import
 * would produce (layers[n_layers], rd NULL), whose filters are checked without a query. */
struct planner {
    struct store_read *rd;
    const struct store_layer *layers;
    size_t n_layers;
};

static int find_layer(const struct planner *pl, const char *param, const char *id,
                      const struct store_layer **out, struct err *err)
{
    if (pl->rd != NULL) {
        return stats_find_layer(pl->rd, param, id, out, err);
    }
    for (size_t i = 0; i < pl->n_layers; i++) {
        if (strcmp(pl->layers[i].id, id) == 0) {
            *out = &pl->layers[i];
            return ERR_OK;
        }
    }
    return err_set(err, ERR_INVALID,
                   "%s: there is no layer '%s' (neither a dataset of the catalog nor a layer "
                   "of the database)",
                   param, utf8_excerpt(id, 80).text);
}

static enum stats_geom_class geom_class(const struct store_layer *layer)
{
    const char *t = layer->geometry_type;
    if (t == NULL) {
        return STATS_GEOM_NONE;
    }
    if (strstr(t, "POLYGON") != NULL) {
        return STATS_GEOM_POLYGONS;
    }
    if (strstr(t, "LINESTRING") != NULL) {
        return STATS_GEOM_LINES;
    }
    /* Points, and mixed layers, are located by one point per feature. */
    return STATS_GEOM_POINTS;
}

enum field_need { NEED_ANY, NEED_NUMBER, NEED_TEXT };

static int find_field(const struct store_layer *layer, const char *param, const char *name,
                      enum field_need need, long *out, struct err *err)
{
    *out = -1;
    if (name == NULL) {
        return ERR_OK;
    }
    long i = store_layer_field_index(layer, name);
    if (i < 0) {
        return err_set(err, ERR_INVALID,
                       "%s: '%s' is not a field of '%s' (see /collections/%s/queryables)", param,
                       utf8_excerpt(name, 60).text, layer->id, layer->id);
    }
    enum store_type t = layer->fields[i].type;
    bool is_number = t == STORE_INTEGER || t == STORE_REAL;
    if ((need == NEED_NUMBER && !is_number) || (need == NEED_TEXT && t != STORE_TEXT) ||
        t == STORE_BLOB) {
        return err_set(err, ERR_INVALID, "%s: field '%s' of '%s' holds %s values; %s", param, name,
                       layer->id, layer->fields[i].source_type,
                       need == NEED_NUMBER ? "a number field is needed"
                       : need == NEED_TEXT ? "a date field (ISO 8601 text) is needed"
                                           : "binary fields cannot be grouped");
    }
    *out = i;
    return ERR_OK;
}

/* Parses a CQL2 text (plus name=value equalities for the main layer) and checks it
 * against the layer by preparing the query it will be used in. */
static int make_filter(const struct planner *pl, const struct store_layer *layer, const char *param,
                       const char *text, const struct stats_spec *spec, bool with_props,
                       struct cql2_node **out, struct err *err)
{
    struct cql2_node *filter = NULL;
    bool is_main = strcmp(param, "filter") == 0;
    if (text != NULL && cql2_parse(text, &filter, err) != ERR_OK) {
        return is_main ? err->code : err_prefix(err, "%s", param); /* says "filter: ..." */
    }
    for (size_t i = 0; with_props && i < spec->n_props; i++) {
        long field = store_layer_field_index(layer, spec->prop_names[i]);
        struct cql2_node *eq = NULL;
        if (field < 0) {
            cql2_free(filter);
            return err_set(err, ERR_INVALID,
                           "unknown parameter '%s': not a statistics parameter nor a field "
                           "of '%s'",
                           utf8_excerpt(spec->prop_names[i], 60).text, layer->id);
        }
        if (store_property_filter(layer, field, spec->prop_values[i], &eq, err) != ERR_OK) {
            cql2_free(filter);
            return err->code;
        }
        filter = filter != NULL ? cql2_new_and(filter, eq) : eq;
    }
    size_t no_fields = 0;
    struct store_query q = {
        .layer = layer, .filter = filter, .properties = &no_fields, .limit = 1, .out_srid = 4326};
    int rc = ERR_OK;
    if (filter != NULL) {
        rc = pl->rd != NULL ? store_query_check(pl->rd, &q, err)
                            : store_filter_check(filter, layer, err);
    }
    if (rc != ERR_OK) {
        cql2_free(filter);
        return is_main ? err->code : err_prefix(err, "%s", param);
    }
    *out = filter;
    return ERR_OK;
}

static int plan_layer(const struct planner *pl, const struct stats_spec *s, struct stats_plan *p,
                      struct err *err)
{
    int rc = find_layer(pl, "layer", s->layer, &p->layer, err);
    if (rc != ERR_OK) {
        return rc;
    }
    p->layer_class = geom_class(p->layer);
    bool needs_geometry = s->by != NULL || s->metric == STATS_NEAREST ||
                          s->metric == STATS_LENGTH || s->metric == STATS_AREA;
    if (p->layer_class == STATS_GEOM_NONE && needs_geometry) {
        return err_set(err, ERR_INVALID,
                       "layer: '%s' is a table without geometry; it can be counted by its fields "
                       "(without by=) or joined as population-from",
                       p->layer->id);
    }
    if (s->metric == STATS_LENGTH && p->layer_class != STATS_GEOM_LINES) {
        return err_set(err, ERR_INVALID, "metric=length needs a layer of lines; '%s' holds %s",
                       p->layer->id, p->layer->geometry_type);
    }
    if (s->metric == STATS_AREA && p->layer_class != STATS_GEOM_POLYGONS) {
        return err_set(err, ERR_INVALID, "metric=area needs a layer of polygons; '%s' holds %s",
                       p->layer->id, p->layer->geometry_type);
    }
    rc = find_field(p->layer, "field", s->field, NEED_NUMBER, &p->field, err);
    if (rc == ERR_OK) {
        rc = find_field(p->layer, "group", s->group, NEED_ANY, &p->group, err);
    }
    if (rc == ERR_OK) {
        rc = find_field(p->layer, "time", s->time, NEED_TEXT, &p->time, err);
    }
    if (rc == ERR_OK) {
        rc = make_filter(pl, p->layer, "filter", s->filter, s, true, &p->filter, err);
    }
    return rc;
}

static int plan_by(const struct planner *pl, const struct stats_spec *s, struct stats_plan *p,
                   struct err *err)
{
    p->by_name = p->join_by = -1;
    if (s->by == NULL) {
        return ERR_OK;
    }
    int rc = find_layer(pl, "by", s->by, &p->by, err);
    if (rc != ERR_OK) {
        return rc;
    }
    if (geom_class(p->by) != STATS_GEOM_POLYGONS) {
        return err_set(err, ERR_INVALID, "by: '%s' holds %s; boundaries must be polygons",
                       p->by->id, p->by->geometry_type ? p->by->geometry_type : "no geometry");
    }
    if (p->by->name_column != NULL) {
        p->by_name = store_layer_field_index(p->by, p->by->name_column);
    }
    rc = find_field(p->by, "join", s->join_by, NEED_ANY, &p->join_by, err);
    if (rc == ERR_OK) {
        rc = make_filter(pl, p->by, "by-filter", s->by_filter, s, false, &p->by_filter, err);
    }
    return rc;
}

/* A figure's year and source: the fields named, else "year" and "source_url"/"source"
 * when the table has them. */
static int plan_population_details(const struct stats_spec *s, struct stats_plan *p,
                                   const struct store_layer *table, struct err *err)
{
    int rc = find_field(table, "population-year", s->population_year, NEED_ANY, &p->pop_year, err);
    if (rc == ERR_OK) {
        rc = find_field(table, "population-source", s->population_source, NEED_ANY, &p->pop_source,
                        err);
    }
    if (rc == ERR_OK && s->population_year == NULL) {
        p->pop_year = store_layer_field_index(table, "year");
    }
    if (rc == ERR_OK && s->population_source == NULL) {
        p->pop_source = store_layer_field_index(table, "source_url");
        if (p->pop_source < 0) {
            p->pop_source = store_layer_field_index(table, "source");
        }
    }
    return rc;
}

static int plan_population(const struct planner *pl, const struct stats_spec *s,
                           struct stats_plan *p, struct err *err)
{
    p->population = p->join_to = p->pop_year = p->pop_source = -1;
    if (s->population == NULL) {
        return ERR_OK;
    }
    const struct store_layer *table = p->by;
    if (s->population_from != NULL) {
        int rc = find_layer(pl, "population-from", s->population_from, &p->pop_table, err);
        if (rc != ERR_OK) {
            return rc;
        }
        table = p->pop_table;
        rc = find_field(table, "join", s->join_to, NEED_ANY, &p->join_to, err);
        if (rc != ERR_OK) {
            return rc;
        }
    }
    int rc = find_field(table, "population", s->population, NEED_NUMBER, &p->population, err);
    return rc == ERR_OK ? plan_population_details(s, p, table, err) : rc;
}

static int plan_to(const struct planner *pl, const struct stats_spec *s, struct stats_plan *p,
                   struct err *err)
{
    if (s->to == NULL) {
        return ERR_OK;
    }
    int rc = find_layer(pl, "to", s->to, &p->to, err);
    if (rc == ERR_OK && geom_class(p->to) == STATS_GEOM_NONE) {
        rc = err_set(err, ERR_INVALID, "to: '%s' is a table without geometry", p->to->id);
    }
    if (rc == ERR_OK) {
        rc = make_filter(pl, p->to, "to-filter", s->to_filter, s, false, &p->to_filter, err);
    }
    return rc;
}

static int plan_make(const struct planner *pl, const struct stats_spec *spec,
                     struct stats_plan *plan, struct err *err)
{
    memset(plan, 0, sizeof(*plan));
    int rc = plan_layer(pl, spec, plan, err);
    if (rc == ERR_OK) {
        rc = plan_by(pl, spec, plan, err);
    }
    if (rc == ERR_OK) {
        rc = plan_population(pl, spec, plan, err);
    }
    if (rc == ERR_OK) {
        rc = plan_to(pl, spec, plan, err);
    }
    if (rc != ERR_OK) {
        stats_plan_clear(plan);
    }
    return rc;
}

int stats_plan_make(struct store_read *rd, const struct stats_spec *spec, struct stats_plan *plan,
                    struct err *err)
{
    struct planner pl = {.rd = rd};
    return plan_make(&pl, spec, plan, err);
}

int stats_check_params(const struct stats_param *params, size_t n, const struct store_layer *layers,
                       size_t n_layers, struct err *err)
{
    struct stats_spec spec;
    int rc = stats_spec_parse(params, n, &spec, err);
    if (rc != ERR_OK) {
        return rc;
    }
    struct planner pl = {.layers = layers, .n_layers = n_layers};
    struct stats_plan plan;
    rc = plan_make(&pl, &spec, &plan, err);
    if (rc == ERR_OK) {
        stats_plan_clear(&plan);
    }
    stats_spec_clear(&spec);
    return rc;
}

void stats_plan_clear(struct stats_plan *plan)
{
    cql2_free(plan->filter);
    cql2_free(plan->by_filter);
    cql2_free(plan->to_filter);
    memset(plan, 0, sizeof(*plan));
}
