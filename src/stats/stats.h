/* stats.h - statistics over the city's layers: one layer aggregated by the polygons of
 * another (districts, sub-districts), normalised per km², per N residents and as a share
 * of the total, grouped by an attribute or by time, or the distance from each feature to
 * the nearest feature of a third layer. The same spec comes from /stats parameters, from a
 * featured statistic in the catalog and from `cityatlas stats` options.
 *
 * What counts as "inside" (the definitions the responses repeat):
 * - count, sum, mean, min, max, median, nearest: a feature belongs to the one boundary
 *   that holds its point (a point feature's own point; otherwise GEOS's point on surface),
 *   the first in id order when the point lies on a shared border; so every feature counts
 *   once and the areas' counts add up to the total.
 * - length and area: each line or polygon is clipped to every boundary it crosses, and
 *   the parts inside are measured (geodesic, on the WGS84 ellipsoid).
 *
 * Reads through store_read (one snapshot); computes with GEOS (reentrant API, a context
 * per run) and PROJ (geodesics, UTM for nearest-neighbour search). Results are immutable
 * and shared between threads by the cache; see stats_cache.h. */
#ifndef CITYATLAS_STATS_STATS_H
#define CITYATLAS_STATS_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "stats/stats_classify.h"
#include "store/store_read.h"

enum stats_metric {
    STATS_COUNT,
    STATS_LENGTH,
    STATS_AREA,
    STATS_SUM,
    STATS_MEAN,
    STATS_MIN,
    STATS_MAX,
    STATS_MEDIAN,
    STATS_NEAREST,
};

enum stats_interval {
    STATS_INTERVAL_NONE,
    STATS_INTERVAL_DAY,
    STATS_INTERVAL_MONTH,
    STATS_INTERVAL_YEAR
};

/* Units of the value column: lengths and distances in m or km, areas in m², km² or ha. */
enum stats_unit {
    STATS_UNIT_NONE,
    STATS_UNIT_M,
    STATS_UNIT_KM,
    STATS_UNIT_M2,
    STATS_UNIT_KM2,
    STATS_UNIT_HA
};

/* Which column a choropleth classifies. */
enum stats_column { STATS_COL_VALUE, STATS_COL_PER_KM2, STATS_COL_PER_CAPITA, STATS_COL_SHARE };

/* One name=value input pair, borrowed. */
struct stats_param {
    const char *name;
    const char *value;
};

/* A parsed statistic request. Owns its strings; free with stats_spec_clear. */
struct stats_spec {
    char *layer;       /* the layer aggregated (required) */
    char *filter;      /* CQL2 text on layer, or NULL */
    char **prop_names; /* name=value equality filters on layer's fields */
    char **prop_values;
    size_t n_props;
    char *by;        /* boundary layer (polygons), or NULL for one area: everything */
    char *by_filter; /* CQL2 text on by, or NULL */
    enum stats_metric metric;
    char *field; /* numeric field for sum/mean/min/max/median */
    char *group; /* field to group by, or NULL */
    char *time;  /* date field to bucket, or NULL */
    enum stats_interval interval;
    char *population;        /* population field (of population_from, else of by), or NULL */
    char *population_from;   /* a table layer holding the population, or NULL */
    char *join_by;           /* key field of by ... */
    char *join_to;           /* ... matching this field of population_from */
    char *population_year;   /* field with each figure's year, or NULL (then "year" if any) */
    char *population_source; /* field with each figure's source, or NULL (then "source_url") */
    double per;              /* residents per which per-capita values are given (10,000) */
    char *to;                /* nearest: the layer searched */
    char *to_filter;         /* CQL2 text on to, or NULL */
    bool has_beyond;
    double beyond;        /* nearest: share of features farther than this (in unit) */
    enum stats_unit unit; /* of the value column; NONE for counts and plain attributes */
    enum stats_class_method class_method;
    int n_classes;
    bool has_classify_column;
    enum stats_column classify_column; /* default: per capita when there is a population */
};

/* Parameter names stats_spec_parse takes (NULL-terminated); any other name is a
 * property filter on the layer. */
extern const char *const stats_param_names[];

/* Parses name=value pairs (e.g. a request's query, minus f and lang). Checks syntax and
 * combinations (a sum needs a field, nearest needs `to`, ...); names are checked against
 * the layers by stats_run. ERR_INVALID naming the parameter. */
int stats_spec_parse(const struct stats_param *params, size_t n, struct stats_spec *out,
                     struct err *err) WARN_UNUSED;
void stats_spec_clear(struct stats_spec *spec);

/* Checks a statistic's parameters as running it would (stats_spec_parse, then every layer,
 * field and filter it names), against layers[n_layers] instead of a snapshot: for a dry
 * run, the layers an import would produce. No data is read. ERR_INVALID naming the
 * parameter and what is wrong. */
int stats_check_params(const struct stats_param *params, size_t n, const struct store_layer *layers,
                       size_t n_layers, struct err *err) WARN_UNUSED;

/* The spec as canonical text (parameters in one order, defaults written out): equal
 * specs give equal keys. Caller frees. */
char *stats_spec_key(const struct stats_spec *spec);

/* The spec back as name=value pairs in canonical order, for links and the "query" member
 * of responses. Strings owned by the array; free with stats_params_free. */
size_t stats_spec_params(const struct stats_spec *spec, struct stats_param **out);
void stats_params_free(struct stats_param *params, size_t n);

const char *stats_metric_name(enum stats_metric m);
const char *stats_unit_name(enum stats_unit u);
const char *stats_column_name(enum stats_column c);
const char *stats_interval_name(enum stats_interval i);
/* True for metrics whose values add up across areas (count, length, area, sum): only
 * those get per-km², per-capita and share columns. */
bool stats_metric_is_additive(enum stats_metric m);

/* Results */

/* A layer the result depends on, as it was read. */
struct stats_source {
    char *role; /* "layer", "by", "population", "to" */
    char *id, *title_en, *title_th, *source, *source_url, *license, *attribution;
    char *imported_at;
    int64_t version;
    int64_t feature_count;
};

struct stats_area {
    int64_t fid; /* -1 for the single area of a statistic without `by` */
    char *name;  /* the boundary's name column, or NULL */
    char *code;  /* the join key's value, or NULL */
    double area_m2;
    bool has_population;
    double population;
    char *population_year;   /* may be NULL */
    char *population_source; /* may be NULL */
    char *population_note;   /* why there is no figure; NULL when there is one */
    unsigned char *geom;     /* SpatiaLite BLOB of the boundary (EPSG:4326), or NULL */
    size_t geom_len;
};

/* One row: an area (or the total), a group value, a period. */
struct stats_cell {
    size_t area; /* index into areas; STATS_TOTAL for the whole */
    long group;  /* index into groups, -1: all groups */
    long period; /* index into periods, -1: all periods */
    int64_t n;   /* features counted */
    bool has_value;
    double value; /* the metric, in the result's unit */
    /* nearest only: the distances' median and maximum, and the share beyond `beyond` */
    double median, max, share_beyond;
    bool has_per_km2, has_per_capita, has_share;
    double per_km2, per_capita, share;
    const char *per_capita_note; /* why per_capita is missing; static text or NULL */
};

#define STATS_TOTAL ((size_t)-1)

struct stats_result {
    struct stats_spec spec; /* a copy: the result outlives the request */
    char *key;              /* stats_spec_key + the versions of every source: the cache key */
    char *etag;             /* quoted, weak */
    struct stats_source *sources;
    size_t n_sources;
    char *computed_at;     /* ISO 8601 UTC */
    char *data_updated_at; /* newest imported_at of the sources */
    char *definition_en;   /* one paragraph: what was counted, how, in which unit */
    char *definition_th;   /* the same in Thai */
    char *by_name_field;   /* the boundary layer's name column, or NULL */
    struct stats_area *areas;
    size_t n_areas;
    char **groups; /* group values in ascending order ("" for a missing value) */
    size_t n_groups;
    char **periods; /* "2024", "2024-03", "2024-03-05" */
    size_t n_periods;
    struct stats_cell *cells; /* by area (total last), then group, then period */
    size_t n_cells;
    int64_t n_unassigned; /* features in no boundary (or without geometry) */
    int64_t n_undated;    /* with time: features whose date could not be read */
    /* Denominators */
    bool has_population;
    char *population_label;                       /* e.g. "population of district-population" */
    int population_year_min, population_year_max; /* 0 when unknown */
    size_t n_areas_without_population;
    /* Class breaks of classify_column over the areas' totals (empty when < 1 value). */
    enum stats_column classify_column;
    double breaks[STATS_MAX_CLASSES + 1];
    int n_classes;
    char colors[STATS_MAX_CLASSES][8];
    double seconds; /* how long the computation took */
};

/* Computes the statistic in rd's snapshot. ERR_INVALID (a 4xx: unknown layer or field, a
 * boundary layer that is not polygons, a non-numeric field for a sum, a bad filter, ...)
 * naming the problem; ERR_TOO_LARGE when the result would have too many rows; ERR_DB. */
int stats_run(struct store_read *rd, const struct stats_spec *spec, struct stats_result **out,
              struct err *err) WARN_UNUSED;
void stats_result_free(struct stats_result *r); /* NULL is fine */

/* The cache key of spec in rd's snapshot without computing anything (so a cached result
 * can be found first): ERR_INVALID when a layer it names does not exist. Caller frees. */
int stats_result_key(struct store_read *rd, const struct stats_spec *spec, char **key,
                     struct err *err) WARN_UNUSED;

/* The cell for (area, group, period), or NULL when there is none (nothing counted). */
const struct stats_cell *stats_result_cell(const struct stats_result *r, size_t area, long group,
                                           long period);

#endif
