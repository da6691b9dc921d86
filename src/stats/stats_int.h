/* stats_int.h - what the files of the statistics engine share: one run's state.
 * stats_run.c drives; stats_plan.c resolves names; stats_areas.c loads the boundaries;
 * stats_population.c attaches denominators; stats_locate.c finds a point's boundary;
 * stats_cells.c accumulates; stats_nearest.c answers nearest-feature distances. */
#ifndef CITYATLAS_STATS_STATS_INT_H
#define CITYATLAS_STATS_STATS_INT_H

#include <geos_c.h>

#include "stats/stats.h"

struct cql2_node;

enum stats_geom_class { STATS_GEOM_NONE, STATS_GEOM_POINTS, STATS_GEOM_LINES, STATS_GEOM_POLYGONS };

/* The names of a spec resolved against one snapshot. Filters owned. */
struct stats_plan {
    const struct store_layer *layer, *by, *to, *pop_table;
    enum stats_geom_class layer_class;
    struct cql2_node *filter, *by_filter, *to_filter;
    long field, group, time;                        /* in layer; -1 when unused */
    long by_name, join_by;                          /* in by */
    long population, join_to, pop_year, pop_source; /* in pop_table, or in by without one */
};

/* The layer named id for parameter param: ERR_INVALID naming both when there is none,
 * ERR_DB when its registry row is damaged (store_read_check_damaged). */
int stats_find_layer(struct store_read *rd, const char *param, const char *id,
                     const struct store_layer **out, struct err *err) WARN_UNUSED;
int stats_plan_make(struct store_read *rd, const struct stats_spec *spec, struct stats_plan *plan,
                    struct err *err) WARN_UNUSED;
void stats_plan_clear(struct stats_plan *plan);

/* geom_blob_header, with a corrupt blob as ERR_DB (as stats_geom_from_blob). */
struct geom_blob_header;
int stats_geom_header(const unsigned char *blob, size_t len, struct geom_blob_header *out,
                      struct err *err) WARN_UNUSED;
/* Geometry BLOB (EPSG:4326) -> GEOS geometry. ERR_DB when the blob is corrupt: stored
 * geometries come from the database, so that is damage, not the client's mistake. */
int stats_geom_from_blob(GEOSContextHandle_t h, const unsigned char *blob, size_t len,
                         GEOSGeometry **out, struct err *err) WARN_UNUSED;
/* A GEOS call that returned NULL or an exception code, as an err. */
int stats_geos_error(const char *what, struct err *err);

/* The boundaries of one run. */
struct stats_boundary {
    GEOSGeometry *geom;
    const GEOSPreparedGeometry *prepared;
    double box[4]; /* min x, min y, max x, max y */
};

struct stats_boundaries {
    GEOSContextHandle_t h;
    struct stats_boundary *items; /* parallel to the result's areas; geom NULL: no shape */
    size_t n;
    size_t n_shaped;   /* items with a shape */
    GEOSSTRtree *tree; /* items by envelope; payload: index + 1 as a pointer */
    double box[4];     /* union of the boxes */
};

/* Reads the boundaries (plan->by filtered by plan->by_filter) into bounds and the
 * result's areas (fid, name, geometry BLOB, geodesic area); without `by`, one area covering
 * everything. ERR_INVALID when nothing matches the boundary filter. */
int stats_areas_load(struct store_read *rd, const struct stats_plan *plan, GEOSContextHandle_t h,
                     struct stats_result *r, struct stats_boundaries *bounds,
                     struct err *err) WARN_UNUSED;
void stats_boundaries_clear(struct stats_boundaries *b);

/* Fills each area's population, year, source (or the note saying why there is none), and
 * the result's population summary. Keys read from the boundary layer. */
int stats_population_attach(struct store_read *rd, const struct stats_spec *spec,
                            const struct stats_plan *plan, struct stats_result *r,
                            struct err *err) WARN_UNUSED;

/* Point location */
struct stats_locator;
struct stats_locator *stats_locator_new(const struct stats_boundaries *b);
/* Index of the boundary holding (x, y), the first in order on shared borders; -1 for none. */
long stats_locate(struct stats_locator *loc, double x, double y);
void stats_locator_free(struct stats_locator *loc);

/* Accumulating cells */
struct stats_cells;
struct stats_cells *stats_cells_new(const struct stats_spec *spec, size_t n_areas);
/* Adds one observation (value ignored for counts; metres, m² or the field's value) to
 * (area, group, period) and to the area's, the group's and the overall totals. Group and
 * period are -1 when unused. A feature cut into pieces by several areas adds each piece;
 * only its first piece (is_first) counts it in the overall totals. */
int stats_cells_add(struct stats_cells *c, size_t area, long group, long period, double value,
                    bool is_first, struct err *err) WARN_UNUSED;
/* Index of a group (or period) label, adding it if new; ERR_TOO_LARGE past the cap. */
int stats_cells_label(struct stats_cells *c, bool is_period, const char *text, size_t len,
                      long *index, struct err *err) WARN_UNUSED;
/* Moves the cells into r (sorted: areas, then groups, then periods; the total last),
 * finishing medians, shares and the per-km² and per-capita columns. */
void stats_cells_finish(struct stats_cells *c, struct stats_result *r);
void stats_cells_free(struct stats_cells *c);

/* Nearest feature search over plan->to (filtered), for metric=nearest. */
struct stats_nearest;
int stats_nearest_open(struct store_read *rd, const struct stats_plan *plan, GEOSContextHandle_t h,
                       double lon0, double lat0, struct stats_nearest **out,
                       struct err *err) WARN_UNUSED;
/* Geodesic distance in metres from (lon, lat) to the nearest feature; ERR_INVALID when
 * the layer searched has no feature. */
int stats_nearest_distance(struct stats_nearest *nn, double lon, double lat, double *metres,
                           struct err *err) WARN_UNUSED;
void stats_nearest_close(struct stats_nearest *nn);

/* One paragraph saying what the statistic counts, how and in which unit, in Thai or
 * English. */
char *stats_definition(const struct stats_spec *spec, const struct stats_plan *plan, bool is_thai);

/* Scale from metres (or m²) to the result's unit. */
double stats_unit_scale(enum stats_unit unit);

#endif
