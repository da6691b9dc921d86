/* test_stats.c - the statistics engine (stats_run) on the real bundled Chiang Mai data,
 * every metric checked against an independent computation: SpatiaLite SQL written here
 * (ST_Covers, ST_Intersection, ST_Length/ST_Area/ST_Distance on the ellipsoid) over the same
 * database file. Counts must be exact, lengths, areas and distances within 0.1 %, per-capita
 * values exact; and every kind of bad input is refused with a message naming it. */
#include "unit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>
#include <spatialite.h>

#include "cli/cli.h"
#include "stats/stats.h"
#include "store/store_read.h"

#include "unit_fixtures.h"
#include "unit_support.c"

static char dir_path[64];
static char db_path[256];
static struct store_pool *pool;
static sqlite3 *sql;
static void *sql_cache;

static int import_args(const char *const *args, int n)
{
    char *argv[16];
    for (int i = 0; i < n; i++) {
        argv[i] = (char *)args[i];
    }
    argv[n] = NULL;
    optind = 0; /* getopt starts over for each command */
    return cmd_import(n, argv);
}

static int setup(void **state)
{
    (void)state;
    unit_temp_db(dir_path, sizeof(dir_path), db_path, sizeof(db_path));
    if (unit_import_bundled_pool(db_path, &pool) != 0) {
        return -1;
    }
    if (unit_sql_open_readonly(db_path, &sql, &sql_cache) != 0) {
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    store_pool_close(pool);
    unit_sql_close(sql, sql_cache);
    return unit_remove_dir(dir_path);
}

/* Runs a statistic given as "name=value" strings. */
static int run(const char *const *pairs, size_t n, struct stats_result **out, struct err *e)
{
    struct stats_param params[24];
    char copies[24][512];
    for (size_t i = 0; i < n; i++) {
        snprintf(copies[i], sizeof(copies[i]), "%s", pairs[i]);
        char *eq = strchr(copies[i], '=');
        assert_non_null(eq);
        *eq = '\0';
        params[i] = (struct stats_param){copies[i], eq + 1};
    }
    struct stats_spec spec;
    int rc = stats_spec_parse(params, n, &spec, e);
    if (rc != ERR_OK) {
        return rc;
    }
    struct store_read *rd = NULL;
    MUST(store_read_begin(pool, &rd, e), e);
    rc = stats_run(rd, &spec, out, e);
    store_read_end(rd);
    stats_spec_clear(&spec);
    return rc;
}

#define RUN(pairs, out, e) run((pairs), sizeof(pairs) / sizeof((pairs)[0]), (out), (e))

/* Runs SQL returning (fid, number) rows; *n rows into fids/values. */
static size_t sql_pairs(const char *query, int64_t *fids, double *values, size_t cap)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(sql, query, -1, &st, NULL) != SQLITE_OK) {
        fail_msg("SQL failed: %s\n%s", sqlite3_errmsg(sql), query);
    }
    size_t n = 0;
    while (sqlite3_step(st) == SQLITE_ROW && n < cap) {
        fids[n] = sqlite3_column_int64(st, 0);
        values[n] = sqlite3_column_double(st, 1);
        n++;
    }
    sqlite3_finalize(st);
    return n;
}

static size_t area_index(const struct stats_result *r, int64_t fid)
{
    for (size_t i = 0; i < r->n_areas; i++) {
        if (r->areas[i].fid == fid) {
            return i;
        }
    }
    fail_msg("no area with fid %lld", (long long)fid);
    return 0;
}

static double cell_value(const struct stats_result *r, size_t area)
{
    const struct stats_cell *c = stats_result_cell(r, area, -1, -1);
    assert_non_null(c);
    return c->value;
}

static void assert_close(double got, double want, double rel, const char *what)
{
    double diff = fabs(got - want);
    if (diff > rel * fabs(want) && diff > 1e-9) {
        fail_msg("%s: got %.9g, want %.9g (relative error %.3g)", what, got, want,
                 diff / fabs(want));
    }
}

/* Counts */

static void count_of_points_by_tambon_equals_spatialite(void **state)
{
    (void)state;
    struct err e = {0};
    struct stats_result *r = NULL;
    const char *q[] = {"layer=cm-cbd-pois", "by=cm-tambon"};
    MUST(RUN(q, &r, &e), &e);
    assert_int_equal(r->n_areas, 204);
    char query[1024];
    snprintf(query, sizeof(query),
             "SELECT t.fid, count(p.fid) FROM \"%s\" t LEFT JOIN \"%s\" p ON ST_Covers(t.geom, "
             "p.geom) GROUP BY t.fid",
             unit_table_of(sql, "cm-tambon"), unit_table_of(sql, "cm-cbd-pois"));
    int64_t fids[300];
    double counts[300];
    size_t n = sql_pairs(query, fids, counts, 300);
    assert_int_equal(n, 204);
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        double got = cell_value(r, area_index(r, fids[i]));
        if (got != counts[i]) {
            fail_msg("tambon %lld: %g POIs, SpatiaLite says %g", (long long)fids[i], got,
                     counts[i]);
        }
        sum += counts[i];
    }
    /* every POI is in one tambon or counted as outside all of them */
    const struct stats_cell *total = stats_result_cell(r, STATS_TOTAL, -1, -1);
    assert_non_null(total);
    assert_true(total->value == sum);
    assert_int_equal((int64_t)sum + r->n_unassigned, 4557);
    assert_true(total->has_share && fabs(total->share - 1) < 1e-12);
    stats_result_free(r);
}

static void count_grouped_by_category_equals_spatialite(void **state)
{
    (void)state;
    struct err e = {0};
    struct stats_result *r = NULL;
    const char *q[] = {"layer=cm-cbd-pois", "by=cm-tambon", "group=category",
                       "by-filter=adm2_pcode = 'TH5001'"};
    MUST(RUN(q, &r, &e), &e);
    assert_int_equal(r->n_areas, 16); /* Mueang Chiang Mai's tambon */
    assert_int_equal(r->n_groups, 9);
    char query[1024];
    snprintf(query, sizeof(query),
             "SELECT t.fid, count(*), p.category FROM \"%s\" t JOIN \"%s\" p ON "
             "ST_Covers(t.geom, p.geom) WHERE t.adm2_pcode = 'TH5001' GROUP BY t.fid, p.category",
             unit_table_of(sql, "cm-tambon"), unit_table_of(sql, "cm-cbd-pois"));
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(sql, query, -1, &st, NULL), SQLITE_OK);
    size_t rows = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *category = (const char *)sqlite3_column_text(st, 2);
        long g = -1;
        for (size_t i = 0; i < r->n_groups; i++) {
            g = strcmp(r->groups[i], category) == 0 ? (long)i : g;
        }
        assert_true(g >= 0);
        const struct stats_cell *c =
            stats_result_cell(r, area_index(r, sqlite3_column_int64(st, 0)), g, -1);
        assert_non_null(c);
        assert_int_equal(c->n, sqlite3_column_int64(st, 1));
        rows++;
    }
    sqlite3_finalize(st);
    /* one cell per (area, group) that has features, one per area, one per group total, one total */
    size_t group_cells = 0;
    for (size_t i = 0; i < r->n_cells; i++) {
        group_cells += r->cells[i].area != STATS_TOTAL && r->cells[i].group >= 0 ? 1 : 0;
    }
    assert_int_equal(group_cells, rows);
    stats_result_free(r);
}

/* Attribute metrics place polygons by their point on surface. */
static void attribute_metrics_equal_spatialite(void **state)
{
    (void)state;
    const char *metrics[] = {"sum", "mean", "min", "max"};
    const char *sql_fns[] = {"sum", "avg", "min", "max"};
    for (size_t m = 0; m < 4; m++) {
        struct err e = {0};
        struct stats_result *r = NULL;
        char metric[32];
        snprintf(metric, sizeof(metric), "metric=%s", metrics[m]);
        const char *q[] = {"layer=cm-cbd-building-density", "by=cm-tambon", metric,
                           "field=building_count"};
        MUST(RUN(q, &r, &e), &e);
        char query[1024];
        snprintf(query, sizeof(query),
                 "SELECT t.fid, %s(c.building_count) FROM \"%s\" t JOIN \"%s\" c ON "
                 "ST_Covers(t.geom, ST_PointOnSurface(c.geom)) GROUP BY t.fid",
                 sql_fns[m], unit_table_of(sql, "cm-tambon"),
                 unit_table_of(sql, "cm-cbd-building-density"));
        int64_t fids[300];
        double want[300];
        size_t n = sql_pairs(query, fids, want, 300);
        assert_true(n >= 10);
        for (size_t i = 0; i < n; i++) {
            assert_close(cell_value(r, area_index(r, fids[i])), want[i], 1e-12, metrics[m]);
        }
        stats_result_free(r);
    }
}

static void median_is_the_middle_value(void **state)
{
    (void)state;
    struct err e = {0};
    struct stats_result *r = NULL;
    const char *q[] = {"layer=cm-cbd-building-density", "metric=median", "field=building_count"};
    MUST(RUN(q, &r, &e), &e);
    char query[512];
    snprintf(query, sizeof(query), "SELECT 0, building_count FROM \"%s\" ORDER BY building_count",
             unit_table_of(sql, "cm-cbd-building-density"));
    int64_t fids[600];
    double v[600];
    size_t n = sql_pairs(query, fids, v, 600);
    assert_int_equal(n, 531);
    assert_int_equal(r->n_areas, 1); /* without by: one area, everything */
    assert_close(cell_value(r, 0), v[n / 2], 0, "median");
    stats_result_free(r);
}

/* Lengths and areas, clipped */

static void clipped_lengths_and_areas_equal_spatialite(void **state)
{
    (void)state;
    struct {
        const char *layer, *metric, *unit, *fn;
        double scale;
    } cases[] = {
        {"cm-cbd-roads", "metric=length", "unit=m", "ST_Length", 1},
        {"cm-cbd-roads", "metric=length", "unit=km", "ST_Length", 1e-3},
        {"cm-cbd-building-density", "metric=area", "unit=m2", "ST_Area", 1},
        {"cm-cbd-building-density", "metric=area", "unit=ha", "ST_Area", 1e-4},
    };
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        struct err e = {0};
        struct stats_result *r = NULL;
        char layer[64];
        snprintf(layer, sizeof(layer), "layer=%s", cases[k].layer);
        const char *q[] = {layer, "by=cm-tambon", cases[k].metric, cases[k].unit};
        MUST(RUN(q, &r, &e), &e);
        char query[1024];
        snprintf(query, sizeof(query),
                 "SELECT t.fid, sum(%s(ST_Intersection(t.geom, x.geom), 1)) FROM \"%s\" t JOIN "
                 "\"%s\" x ON ST_Intersects(t.geom, x.geom) GROUP BY t.fid",
                 cases[k].fn, unit_table_of(sql, "cm-tambon"), unit_table_of(sql, cases[k].layer));
        int64_t fids[300];
        double want[300];
        size_t n = sql_pairs(query, fids, want, 300);
        assert_true(n >= 10);
        for (size_t i = 0; i < n; i++) {
            assert_close(cell_value(r, area_index(r, fids[i])), want[i] * cases[k].scale, 1e-3,
                         cases[k].metric);
        }
        /* per km² is the value over the tambon's geodesic area */
        const struct stats_cell *c = stats_result_cell(r, area_index(r, fids[0]), -1, -1);
        snprintf(query, sizeof(query), "SELECT fid, ST_Area(geom, 1) FROM \"%s\" WHERE fid=%lld",
                 unit_table_of(sql, "cm-tambon"), (long long)fids[0]);
        double area_m2[1];
        int64_t fid[1];
        assert_int_equal(sql_pairs(query, fid, area_m2, 1), 1);
        assert_true(c->has_per_km2);
        assert_close(c->per_km2, want[0] * cases[k].scale / (area_m2[0] / 1e6), 1e-3, "per km2");
        stats_result_free(r);
    }
}

/* With a boundary filter most roads touch no boundary left: they are unassigned, and the
 * areas kept have the same values as without the filter (an empty candidate list once
 * reached qsort as NULL: UBSan stops on it). */
static void clipping_with_a_boundary_filter_leaves_the_rest_unassigned(void **state)
{
    (void)state;
    struct err e = {0};
    struct stats_result *all = NULL, *some = NULL;
    const char *q_all[] = {"layer=cm-cbd-roads", "by=cm-tambon", "metric=length"};
    const char *q_some[] = {"layer=cm-cbd-roads", "by=cm-tambon", "metric=length",
                            "by-filter=adm3_pcode IN ('TH500101', 'TH500102')"};
    MUST(RUN(q_all, &all, &e), &e);
    MUST(RUN(q_some, &some, &e), &e);
    assert_int_equal(some->n_areas, 2);
    assert_true(some->n_unassigned > all->n_unassigned);
    for (size_t i = 0; i < some->n_areas; i++) {
        assert_close(cell_value(some, i), cell_value(all, area_index(all, some->areas[i].fid)),
                     1e-12, "length in a kept tambon");
    }
    stats_result_free(all);
    stats_result_free(some);
}

/* Denominators */

static void per_capita_uses_the_joined_table_and_says_what_is_missing(void **state)
{
    (void)state;
    struct err e = {0};
    struct stats_result *r = NULL;
    const char *q[] = {"layer=tambon-centroids-postcodes",
                       "province_code=50",
                       "by=cm-districts",
                       "population=population",
                       "population-from=cm-district-population",
                       "join=ADM2_PCODE:adm2_pcode"};
    MUST(RUN(q, &r, &e), &e);
    assert_int_equal(r->n_areas, 25);
    assert_true(r->has_population);
    assert_int_equal(r->n_areas_without_population, 3);
    assert_int_equal(r->population_year_min, 2005);
    assert_int_equal(r->population_year_max, 2023);
    char query[1024];
    snprintf(query, sizeof(query),
             "SELECT d.fid, p.population FROM \"%s\" d JOIN \"%s\" p ON p.adm2_pcode = "
             "d.ADM2_PCODE",
             unit_table_of(sql, "cm-districts"), unit_table_of(sql, "cm-district-population"));
    int64_t fids[30];
    double population[30];
    size_t n = sql_pairs(query, fids, population, 30);
    assert_int_equal(n, 22);
    for (size_t i = 0; i < n; i++) {
        size_t a = area_index(r, fids[i]);
        const struct stats_cell *c = stats_result_cell(r, a, -1, -1);
        assert_true(r->areas[a].has_population);
        assert_non_null(r->areas[a].population_year);
        assert_non_null(r->areas[a].population_source);
        assert_true(c->has_per_capita);
        assert_close(c->per_capita, c->value * 10000.0 / population[i], 1e-12, "per capita");
    }
    size_t missing = 0;
    for (size_t a = 0; a < r->n_areas; a++) {
        if (r->areas[a].has_population) {
            continue;
        }
        missing++;
        const struct stats_cell *c = stats_result_cell(r, a, -1, -1);
        assert_false(c->has_per_capita);
        assert_non_null(c->per_capita_note);
        assert_non_null(r->areas[a].population_note);
        assert_non_null(strstr(r->areas[a].population_note, r->areas[a].code));
        assert_non_null(strstr(r->areas[a].population_note, "cm-district-population"));
    }
    assert_int_equal(missing, 3);
    const struct stats_cell *total = stats_result_cell(r, STATS_TOTAL, -1, -1);
    assert_false(total->has_per_capita);
    assert_non_null(total->per_capita_note);
    /* every Chiang Mai tambon centre is in a district or counted as outside all of them
     * (15 centres lie outside their own simplified tambon; some outside the province) */
    char count_query[256];
    snprintf(count_query, sizeof(count_query),
             "SELECT 0, count(*) FROM \"%s\" WHERE province_code = 50",
             unit_table_of(sql, "tambon-centroids-postcodes"));
    int64_t zero[1];
    double n_centres[1];
    assert_int_equal(sql_pairs(count_query, zero, n_centres, 1), 1);
    assert_int_equal((int64_t)total->value + r->n_unassigned, (int64_t)n_centres[0]);
    stats_result_free(r);
}

/* Nearest */

static void nearest_hospital_distances_equal_spatialite(void **state)
{
    (void)state;
    struct err e = {0};
    struct stats_result *r = NULL;
    const char *q[] = {"layer=tambon-centroids-postcodes",
                       "province_code=50",
                       "by=cm-districts",
                       "metric=nearest",
                       "to=cm-cbd-pois",
                       "to-filter=category = 'hospital'",
                       "beyond=30",
                       "unit=km"};
    MUST(RUN(q, &r, &e), &e);
    /* per centroid: the minimum geodesic distance over every hospital (all pairs, here);
     * ST_Covers is -1 (true to SQL) for a missing geometry, hence IS NOT NULL */
    char query[2048];
    snprintf(query, sizeof(query),
             "SELECT d.fid, c.fid, (SELECT min(ST_Distance(c.geom, h.geom, 1)) FROM \"%s\" h "
             "WHERE h.category = 'hospital') FROM \"%s\" d JOIN \"%s\" c ON ST_Covers(d.geom, "
             "c.geom) AND c.province_code = 50 AND c.geom IS NOT NULL ORDER BY d.fid",
             unit_table_of(sql, "cm-cbd-pois"), unit_table_of(sql, "cm-districts"),
             unit_table_of(sql, "tambon-centroids-postcodes"));
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(sql, query, -1, &st, NULL), SQLITE_OK);
    int64_t district = -1;
    double sum = 0, max = 0;
    size_t n = 0, far = 0, checked = 0;
    for (int step = sqlite3_step(st);; step = sqlite3_step(st)) {
        int64_t fid = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -2;
        if (fid != district && n > 0) {
            const struct stats_cell *c = stats_result_cell(r, area_index(r, district), -1, -1);
            assert_int_equal(c->n, n);
            assert_close(c->value, sum / (double)n / 1000, 1e-3, "mean distance");
            assert_close(c->max, max / 1000, 1e-3, "max distance");
            assert_close(c->share_beyond, (double)far / (double)n, 1e-12, "share beyond");
            checked++;
            sum = max = 0;
            n = far = 0;
        }
        if (step != SQLITE_ROW) {
            break;
        }
        district = fid;
        double d = sqlite3_column_double(st, 2);
        sum += d;
        max = d > max ? d : max;
        far += d / 1000 > 30 ? 1 : 0;
        n++;
    }
    sqlite3_finalize(st);
    assert_int_equal(checked, 25);
    stats_result_free(r);
}

/* Time */

static const char events_geojson[] =
    "{\"type\":\"FeatureCollection\",\"features\":["
    "{\"type\":\"Feature\",\"properties\":{\"kind\":\"proposal\",\"day\":\"2026-01-05\"},"
    "\"geometry\":{\"type\":\"Point\",\"coordinates\":[98.985,18.79]}},"
    "{\"type\":\"Feature\",\"properties\":{\"kind\":\"problem\",\"day\":\"2026-01-20\"},"
    "\"geometry\":{\"type\":\"Point\",\"coordinates\":[98.99,18.80]}},"
    "{\"type\":\"Feature\",\"properties\":{\"kind\":\"proposal\",\"day\":\"2026-02-01\"},"
    "\"geometry\":{\"type\":\"Point\",\"coordinates\":[98.97,18.78]}},"
    "{\"type\":\"Feature\",\"properties\":{\"kind\":\"proposal\",\"day\":\"2025-12-31\"},"
    "\"geometry\":{\"type\":\"Point\",\"coordinates\":[98.98,18.77]}},"
    "{\"type\":\"Feature\",\"properties\":{\"kind\":\"asset\",\"day\":null},"
    "\"geometry\":{\"type\":\"Point\",\"coordinates\":[98.98,18.77]}}]}";

static void periods_bucket_a_date_field(void **state)
{
    (void)state;
    char path[300];
    snprintf(path, sizeof(path), "%s/events.geojson", dir_path);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(events_geojson, f);
    fclose(f);
    const char *args[] = {"import", "--id", "events", "--db", db_path, "--quiet", path};
    assert_int_equal(import_args(args, 7), 0);
    struct err e = {0};
    struct stats_result *r = NULL;
    const char *q[] = {"layer=events", "time=day", "interval=month", "group=kind"};
    MUST(RUN(q, &r, &e), &e);
    const char *want_periods[] = {"2025-12", "2026-01", "2026-02"};
    assert_int_equal(r->n_periods, 3);
    for (size_t i = 0; i < 3; i++) {
        assert_string_equal(r->periods[i], want_periods[i]);
    }
    assert_int_equal(r->n_undated, 1);
    const int64_t want_counts[] = {1, 2, 1};
    for (long p = 0; p < 3; p++) {
        const struct stats_cell *c = stats_result_cell(r, 0, -1, p);
        assert_non_null(c);
        assert_int_equal(c->n, want_counts[p]);
    }
    /* proposals in January: one */
    long proposal = -1;
    for (size_t i = 0; i < r->n_groups; i++) {
        proposal = strcmp(r->groups[i], "proposal") == 0 ? (long)i : proposal;
    }
    assert_true(proposal >= 0);
    assert_int_equal(stats_result_cell(r, 0, proposal, 1)->n, 1);
    assert_int_equal(stats_result_cell(r, 0, -1, -1)->n, 5); /* undated ones count in totals */
    stats_result_free(r);
    const char *years[] = {"layer=events", "time=day", "interval=year"};
    MUST(RUN(years, &r, &e), &e);
    assert_int_equal(r->n_periods, 2);
    assert_string_equal(r->periods[1], "2026");
    stats_result_free(r);
}

/* Two squares in the old city with their own population field (one empty), and three
 * points: the population can live on the boundary layer itself. */
static const char wards_geojson[] =
    "{\"type\":\"FeatureCollection\",\"features\":["
    "{\"type\":\"Feature\",\"properties\":{\"ward\":\"north\",\"people\":2500,\"counted\":2021},"
    "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[98.98,18.79],[98.99,18.79],"
    "[98.99,18.80],[98.98,18.80],[98.98,18.79]]]}},"
    "{\"type\":\"Feature\",\"properties\":{\"ward\":\"south\",\"people\":null,\"counted\":null},"
    "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[98.98,18.78],[98.99,18.78],"
    "[98.99,18.79],[98.98,18.79],[98.98,18.78]]]}}]}";

static void population_can_be_a_field_of_the_boundaries(void **state)
{
    (void)state;
    char path[300];
    snprintf(path, sizeof(path), "%s/wards.geojson", dir_path);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(wards_geojson, f);
    fclose(f);
    const char *args[] = {"import", "--id",    "wards", "--name-column", "ward", "--db",
                          db_path,  "--quiet", path};
    assert_int_equal(import_args(args, 9), 0);
    struct err e = {0};
    struct stats_result *r = NULL;
    const char *q[] = {"layer=events", "by=wards", "population=people", "population-year=counted",
                       "per=1000"};
    MUST(RUN(q, &r, &e), &e);
    assert_int_equal(r->n_areas, 2);
    const struct stats_area *north = &r->areas[0], *south = &r->areas[1];
    assert_string_equal(north->name, "north");
    assert_true(north->has_population);
    assert_string_equal(north->population_year, "2021");
    assert_false(south->has_population);
    assert_non_null(strstr(south->population_note, "empty"));
    const struct stats_cell *c = stats_result_cell(r, 0, -1, -1);
    /* events at 98.985 18.79 (on the shared border: the first ward, north), 98.99 18.80
     * (north's corner); 98.97 18.78 and twice 98.98 18.77 lie outside both */
    assert_int_equal(c->n, 2);
    assert_close(c->per_capita, 2.0 * 1000 / 2500, 1e-12, "per 1,000 residents");
    assert_int_equal(stats_result_cell(r, 1, -1, -1)->n, 0);
    assert_false(stats_result_cell(r, 1, -1, -1)->has_per_capita);
    assert_int_equal(r->n_unassigned, 3);
    stats_result_free(r);
}

/* Mistakes */

static void bad_input_is_refused_with_its_name(void **state)
{
    (void)state;
    struct {
        const char *pairs[6];
        size_t n;
        const char *want;
    } cases[] = {
        {{"layer=nope"}, 1, "nope"},
        {{"layer=cm-cbd-pois", "by=cm-cbd-roads"}, 2, "polygons"},
        {{"layer=cm-cbd-pois", "metric=sum"}, 2, "field"},
        {{"layer=cm-cbd-pois", "metric=sum", "field=category"}, 3, "category"},
        {{"layer=cm-cbd-pois", "metric=sum", "field=nope"}, 3, "nope"},
        {{"layer=cm-cbd-pois", "metric=length"}, 2, "lines"},
        {{"layer=cm-cbd-pois", "filter=category = "}, 2, "filter"},
        {{"layer=cm-cbd-pois", "filter=nope = 1"}, 2, "nope"},
        {{"layer=cm-cbd-pois", "colour=red"}, 2, "colour"},
        {{"layer=cm-cbd-pois", "by=cm-districts", "population=population",
          "population-from=cm-district-population", "join=NOPE:adm2_pcode"},
         5,
         "NOPE"},
        {{"layer=cm-cbd-pois", "by=cm-districts", "population=population",
          "population-from=cm-district-population", "join=ADM2_PCODE:nope"},
         5,
         "nope"},
        {{"layer=cm-cbd-pois", "by=cm-districts", "population=name_th",
          "population-from=cm-district-population", "join=ADM2_PCODE:adm2_pcode"},
         5,
         "name_th"},
        {{"layer=cm-cbd-pois", "by=cm-districts", "population=population",
          "population-from=cm-district-population", "join=ADM2_PCODE:name_en"},
         5,
         "name_en"},
        {{"layer=cm-cbd-pois", "metric=nearest", "to=cm-cbd-pois", "to-filter=category = 'x'"},
         4,
         "to"},
        {{"layer=cm-cbd-pois", "by=cm-tambon", "by-filter=adm3_pcode = 'none'"}, 3, "by"},
        {{"layer=cm-cbd-pois", "metric=median"}, 2, "field"},
        {{"layer=cm-cbd-pois", "unit=km"}, 2, "unit"},
        {{"layer=cm-cbd-pois", "classes=40"}, 2, "classes"},
        {{"layer=cm-cbd-pois", "interval=month"}, 2, "time"},
        {{"layer=cm-cbd-pois", "time=category", "interval=week"}, 3, "interval"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct err e = {0};
        struct stats_result *r = NULL;
        int rc = run(cases[i].pairs, cases[i].n, &r, &e);
        if (rc != ERR_INVALID || strstr(e.msg, cases[i].want) == NULL) {
            fail_msg("case %zu (%s ...): rc %d, message '%s' should name '%s'", i,
                     cases[i].pairs[cases[i].n - 1], rc, e.msg, cases[i].want);
        }
        assert_null(r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(count_of_points_by_tambon_equals_spatialite),
        cmocka_unit_test(count_grouped_by_category_equals_spatialite),
        cmocka_unit_test(attribute_metrics_equal_spatialite),
        cmocka_unit_test(median_is_the_middle_value),
        cmocka_unit_test(clipped_lengths_and_areas_equal_spatialite),
        cmocka_unit_test(clipping_with_a_boundary_filter_leaves_the_rest_unassigned),
        cmocka_unit_test(per_capita_uses_the_joined_table_and_says_what_is_missing),
        cmocka_unit_test(nearest_hospital_distances_equal_spatialite),
        cmocka_unit_test(periods_bucket_a_date_field),
        cmocka_unit_test(population_can_be_a_field_of_the_boundaries),
        cmocka_unit_test(bad_input_is_refused_with_its_name),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
