/* test_export_gpkg.c - GeoPackage export (export/export_gpkg.h) on the real bundled Chiang
 * Mai data, checked as a reader would: the file opened with GDAL and with `ogrinfo`, and
 * every count, geometry and value compared with SpatiaLite SQL written here over the
 * source database (ST_Intersects with the extent plus the filter spelled as SQL). Failing
 * exports must leave no file behind; a second export replaces the first by rename. */
#include "unit.h"

#include <dirent.h>
#include <fcntl.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gdal.h>
#include <ogr_api.h>
#include <sqlite3.h>
#include <spatialite.h>

#include "cli/cli.h"
#include "cql2/cql2.h"
#include "export/export_gpkg.h"
#include "store/store_read.h"

#include "unit_fixtures.h"
#include "unit_support.c"

/* Central Chiang Mai: the old city and the ring of streets around it. Roads and tambon
 * cross every edge, so clipping has work to do. */
static const double EXTENT[4] = {98.978, 18.777, 99.003, 18.801};
#define EXTENT_SQL "BuildMbr(98.978, 18.777, 99.003, 18.801, 4326)"
#define EPS 1e-9

#define POI_FILTER "category = 'temple' OR category = 'restaurant'"
#define POI_FILTER_SQL "category IN ('temple', 'restaurant')"

#define TITLE_TH "กินดีอยู่ดี"
#define TAMBON_TITLE "ตำบลในเมือง (Tambon of the city)"

static char dir_path[64];
static char db_path[256];
static struct store_pool *pool;
static sqlite3 *sql;
static void *sql_cache;

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
    GDALAllRegister();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    store_pool_close(pool);
    unit_sql_close(sql, sql_cache);
    GDALDestroyDriverManager();
    return unit_remove_dir(dir_path);
}

/* SQL helpers over the source database */

static sqlite3_stmt *prepare(sqlite3 *db, const char *query)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, query, -1, &st, NULL) != SQLITE_OK) {
        fail_msg("SQL failed: %s\n%s", sqlite3_errmsg(db), query);
    }
    return st;
}

static int64_t sql_count(const char *id, const char *where)
{
    char query[1024];
    snprintf(query, sizeof(query),
             "SELECT count(*) FROM \"%s\" WHERE ST_Intersects(geom, " EXTENT_SQL ") AND (%s)",
             unit_table_of(sql, id), where);
    sqlite3_stmt *st = prepare(sql, query);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* Exports */

static const struct export_gpkg_meta METADATA[] = {
    {"id", "kin-di-yu-di"},
    {"title_th", TITLE_TH},
    {"title_en", "Living well"},
    {"extent", "98.978,18.777,99.003,18.801"},
};

/* Exports roads, filtered POIs and tambon clipped to EXTENT into out_path. filter_text is
 * the POI filter; max_features as in the spec. */
static int export_bundle(const char *out_path, const char *filter_text, int64_t max_features,
                         struct err *e)
{
    struct cql2_node *filter = NULL;
    MUST(cql2_parse(filter_text, &filter, e), e);
    struct store_read *rd = NULL;
    MUST(store_read_begin(pool, &rd, e), e);
    struct export_gpkg_layer layers[] = {
        {store_read_layer(rd, "cm-cbd-roads"), NULL, "cm-cbd-roads", NULL, NULL, 0, NULL, 0, NULL},
        {store_read_layer(rd, "cm-cbd-pois"), filter, "cm-cbd-pois", "Temples and restaurants",
         NULL, 0, NULL, 0, NULL},
        {store_read_layer(rd, "cm-tambon"), NULL, "cm-tambon", TAMBON_TITLE,
         "Tambon boundaries, clipped to the scenario's extent", 0, NULL, 0, NULL},
    };
    struct export_gpkg_spec spec = {
        .has_extent = true,
        .extent = {EXTENT[0], EXTENT[1], EXTENT[2], EXTENT[3]},
        .layers = layers,
        .n_layers = 3,
        .metadata_table = "scenario",
        .metadata = METADATA,
        .n_metadata = sizeof(METADATA) / sizeof(METADATA[0]),
        .max_features = max_features,
    };
    int rc = export_gpkg_write(rd, &spec, out_path, e);
    store_read_end(rd);
    cql2_free(filter);
    return rc;
}

static const char *temp_path(const char *name)
{
    static char path[4][320];
    static int next;
    char *p = path[next++ % 4];
    snprintf(p, 320, "%s/%s", dir_path, name);
    return p;
}

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* Names in dir_path starting with prefix (temporary folders of an export start with
 * ".<name>."). */
static int entries_starting_with(const char *prefix)
{
    DIR *d = opendir(dir_path);
    assert_non_null(d);
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        n += strncmp(de->d_name, prefix, strlen(prefix)) == 0;
    }
    closedir(d);
    return n;
}

static GDALDatasetH open_gpkg(const char *path)
{
    const char *drivers[] = {"GPKG", NULL};
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, NULL, NULL);
    if (ds == NULL) {
        fail_msg("GDAL cannot open %s: %s", path, CPLGetLastErrorMsg());
    }
    return ds;
}

/* Checks */

static void envelope_within_extent(OGRGeometryH g, const char *layer, int64_t fid)
{
    OGREnvelope env;
    OGR_G_GetEnvelope(g, &env);
    if (env.MinX < EXTENT[0] - EPS || env.MinY < EXTENT[1] - EPS || env.MaxX > EXTENT[2] + EPS ||
        env.MaxY > EXTENT[3] + EPS) {
        fail_msg("%s %lld: envelope %.9f %.9f %.9f %.9f leaves the extent", layer, (long long)fid,
                 env.MinX, env.MinY, env.MaxX, env.MaxY);
    }
}

/* The source's value of a column for one feature, as a number (or its text in *text). */
static double source_number(const char *id, const char *expr, int64_t fid, char *text, size_t cap)
{
    char query[512];
    snprintf(query, sizeof(query), "SELECT %s FROM \"%s\" WHERE fid = %lld", expr,
             unit_table_of(sql, id), (long long)fid);
    sqlite3_stmt *st = prepare(sql, query);
    if (sqlite3_step(st) != SQLITE_ROW) {
        fail_msg("%s: no feature %lld in the source", id, (long long)fid);
    }
    double v = sqlite3_column_double(st, 0);
    if (text != NULL) {
        const unsigned char *t = sqlite3_column_text(st, 0);
        snprintf(text, cap, "%s", t != NULL ? (const char *)t : "");
    }
    sqlite3_finalize(st);
    return v;
}

/* Roads: every feature inside the extent, MULTILINESTRING, no longer than the source
 * road; some were cut shorter, and those wholly inside are byte-for-byte the source. */
static void check_roads(OGRLayerH l)
{
    int n_cut = 0, n_exact = 0;
    OGRFeatureH f;
    OGR_L_ResetReading(l);
    while ((f = OGR_L_GetNextFeature(l)) != NULL) {
        int64_t fid = OGR_F_GetFID(f);
        OGRGeometryH g = OGR_F_GetGeometryRef(f);
        assert_non_null(g);
        assert_int_equal(wkbFlatten(OGR_G_GetGeometryType(g)), wkbMultiLineString);
        envelope_within_extent(g, "road", fid);
        double length = OGR_G_Length(g);
        double source = source_number("cm-cbd-roads", "ST_Length(geom)", fid, NULL, 0);
        if (length > source + EPS) {
            fail_msg("road %lld: clipped length %.12g > source %.12g", (long long)fid, length,
                     source);
        }
        if (length < source - EPS) {
            n_cut++;
        } else {
            int size = OGR_G_WkbSize(g);
            unsigned char *wkb = malloc((size_t)size);
            assert_non_null(wkb);
            OGR_G_ExportToIsoWkb(g, wkbNDR, wkb);
            char query[512];
            snprintf(query, sizeof(query),
                     "SELECT AsBinary(CastToMultiLineString(geom)) = ? FROM \"%s\" WHERE fid = "
                     "%lld",
                     unit_table_of(sql, "cm-cbd-roads"), (long long)fid);
            sqlite3_stmt *st = prepare(sql, query);
            sqlite3_bind_blob(st, 1, wkb, size, SQLITE_STATIC);
            assert_int_equal(sqlite3_step(st), SQLITE_ROW);
            if (sqlite3_column_int(st, 0) != 1) {
                fail_msg("road %lld lies inside the extent but differs from the source",
                         (long long)fid);
            }
            sqlite3_finalize(st);
            free(wkb);
            n_exact++;
        }
        assert_true(OGR_F_GetFieldAsInteger64(f, OGR_F_GetFieldIndex(f, "seg_id")) ==
                    (int64_t)source_number("cm-cbd-roads", "seg_id", fid, NULL, 0));
        OGR_F_Destroy(f);
    }
    if (n_cut == 0 || n_exact == 0) {
        fail_msg("%d roads cut and %d kept whole: the extent should produce both", n_cut, n_exact);
    }
}

/* Tambon: MULTIPOLYGON, inside the extent, no larger than the source, Thai names as in the
 * source. */
static void check_tambon(OGRLayerH l)
{
    OGRFeatureH f;
    int n_thai = 0;
    OGR_L_ResetReading(l);
    while ((f = OGR_L_GetNextFeature(l)) != NULL) {
        int64_t fid = OGR_F_GetFID(f);
        OGRGeometryH g = OGR_F_GetGeometryRef(f);
        assert_non_null(g);
        assert_int_equal(wkbFlatten(OGR_G_GetGeometryType(g)), wkbMultiPolygon);
        envelope_within_extent(g, "tambon", fid);
        double area = OGR_G_Area(g);
        assert_true(area > 0);
        assert_true(area <= source_number("cm-tambon", "ST_Area(geom)", fid, NULL, 0) + EPS);
        char want[256];
        source_number("cm-tambon", "adm3_th", fid, want, sizeof(want));
        const char *got = OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "adm3_th"));
        if (strcmp(got, want) != 0) {
            fail_msg("tambon %lld: adm3_th '%s', source '%s'", (long long)fid, got, want);
        }
        n_thai += (unsigned char)got[0] == 0xE0; /* Thai block: U+0E00..U+0E7F */
        OGR_F_Destroy(f);
    }
    assert_true(n_thai > 0);
}

static void check_pois(OGRLayerH l)
{
    OGRFeatureH f;
    OGR_L_ResetReading(l);
    while ((f = OGR_L_GetNextFeature(l)) != NULL) {
        OGRGeometryH g = OGR_F_GetGeometryRef(f);
        assert_int_equal(wkbFlatten(OGR_G_GetGeometryType(g)), wkbPoint);
        envelope_within_extent(g, "poi", OGR_F_GetFID(f));
        const char *category = OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "category"));
        assert_true(strcmp(category, "temple") == 0 || strcmp(category, "restaurant") == 0);
        OGR_F_Destroy(f);
    }
}

static void check_metadata(GDALDatasetH ds)
{
    const char *title = GDALGetMetadataItem(ds, "title_th", NULL);
    assert_non_null(title);
    assert_string_equal(title, TITLE_TH);
    assert_string_equal(GDALGetMetadataItem(ds, "id", NULL), "kin-di-yu-di");
    OGRLayerH table = GDALDatasetGetLayerByName(ds, "scenario");
    assert_non_null(table);
    assert_int_equal(OGR_L_GetGeomType(table), wkbNone);
    assert_int_equal(OGR_L_GetFeatureCount(table, TRUE), 4);
    size_t n = 0;
    OGRFeatureH f;
    while ((f = OGR_L_GetNextFeature(table)) != NULL) {
        assert_true(n < 4);
        assert_string_equal(OGR_F_GetFieldAsString(f, 0), METADATA[n].key);
        assert_string_equal(OGR_F_GetFieldAsString(f, 1), METADATA[n].value);
        n++;
        OGR_F_Destroy(f);
    }
    assert_int_equal(n, 4);
}

/* gpkg_contents as the GeoPackage itself says, read with plain SQLite. */
static void check_contents(const char *path)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st = prepare(db, "SELECT identifier, description, srs_id, data_type FROM "
                                   "gpkg_contents WHERE table_name = 'cm-tambon'");
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), TAMBON_TITLE);
    assert_string_equal((const char *)sqlite3_column_text(st, 1),
                        "Tambon boundaries, clipped to the scenario's extent");
    assert_int_equal(sqlite3_column_int(st, 2), 4326);
    assert_string_equal((const char *)sqlite3_column_text(st, 3), "features");
    sqlite3_finalize(st);
    st = prepare(db, "SELECT data_type FROM gpkg_contents WHERE table_name = 'scenario'");
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "attributes");
    sqlite3_finalize(st);
    st = prepare(db, "SELECT count(*) FROM gpkg_metadata WHERE metadata LIKE '%" TITLE_TH "%'");
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 1);
    sqlite3_finalize(st);
    sqlite3_close(db);
}

/* Tests */

static void export_holds_the_clipped_filtered_layers_sql_counts(void **state)
{
    (void)state;
    struct err e = {0};
    const char *path = temp_path("bundle.gpkg");
    MUST(export_bundle(path, POI_FILTER, 0, &e), &e);
    GDALDatasetH ds = open_gpkg(path);
    assert_int_equal(GDALDatasetGetLayerCount(ds), 4);
    struct {
        const char *id, *where;
        void (*check)(OGRLayerH);
    } layers[] = {
        {"cm-cbd-roads", "1", check_roads},
        {"cm-cbd-pois", POI_FILTER_SQL, check_pois},
        {"cm-tambon", "1", check_tambon},
    };
    for (size_t i = 0; i < 3; i++) {
        OGRLayerH l = GDALDatasetGetLayerByName(ds, layers[i].id);
        if (l == NULL) {
            fail_msg("no layer %s in the GeoPackage", layers[i].id);
        }
        int64_t want = sql_count(layers[i].id, layers[i].where);
        assert_true(want > 0);
        int64_t got = OGR_L_GetFeatureCount(l, TRUE);
        if (got != want) {
            fail_msg("%s: %lld features, SpatiaLite says %lld", layers[i].id, (long long)got,
                     (long long)want);
        }
        assert_string_equal(OGR_L_GetFIDColumn(l), "fid");
        layers[i].check(l);
    }
    check_metadata(ds);
    GDALClose(ds);
    check_contents(path);
    assert_int_equal(entries_starting_with(".bundle.gpkg."), 0);
}

/* ogrinfo -so -al: "Layer name: X" followed (a few lines later) by "Feature Count: N". */
static void ogrinfo_lists_the_layers_with_their_counts(void **state)
{
    (void)state;
    struct err e = {0};
    const char *path = temp_path("ogrinfo.gpkg");
    MUST(export_bundle(path, POI_FILTER, 0, &e), &e);
    char cmd[512];
    snprintf(cmd, sizeof(cmd), "ogrinfo -so -al '%s' 2>&1", path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char line[1024], layer[128] = "";
    int n_layers = 0, n_checked = 0;
    bool has_title = false, has_metadata = false;
    while (fgets(line, sizeof(line), p) != NULL) {
        long long count;
        if (sscanf(line, "Layer name: %127s", layer) == 1) {
            n_layers++;
        } else if (sscanf(line, "Feature Count: %lld", &count) == 1) {
            int64_t want = strcmp(layer, "scenario") == 0      ? 4
                           : strcmp(layer, "cm-cbd-pois") == 0 ? sql_count(layer, POI_FILTER_SQL)
                                                               : sql_count(layer, "1");
            if (count != want) {
                fail_msg("ogrinfo: %s has %lld features, want %lld", layer, count, (long long)want);
            }
            n_checked++;
        }
        has_title |= strstr(line, "IDENTIFIER=" TAMBON_TITLE) != NULL;
        has_metadata |= strstr(line, "title_th=" TITLE_TH) != NULL;
    }
    assert_int_equal(pclose(p), 0);
    assert_int_equal(n_layers, 4);
    assert_int_equal(n_checked, 4);
    assert_true(has_title);
    assert_true(has_metadata);
}

static void failed_exports_leave_no_file(void **state)
{
    (void)state;
    struct err e = {0};
    /* A folder that does not exist. */
    int rc = export_bundle("/nonexistent-cityatlas-dir/out.gpkg", POI_FILTER, 0, &e);
    assert_int_equal(rc, ERR_IO);
    assert_non_null(strstr(e.msg, "/nonexistent-cityatlas-dir"));
    assert_false(exists("/nonexistent-cityatlas-dir"));
    /* A field the layer does not have: refused before any file is made. */
    const char *path = temp_path("bad-filter.gpkg");
    rc = export_bundle(path, "colour = 'red'", 0, &e);
    assert_int_equal(rc, ERR_INVALID);
    assert_non_null(strstr(e.msg, "cm-cbd-pois"));
    assert_non_null(strstr(e.msg, "colour"));
    assert_false(exists(path));
    /* Too many features. */
    rc = export_bundle(path, POI_FILTER, 100, &e);
    assert_int_equal(rc, ERR_TOO_LARGE);
    assert_non_null(strstr(e.msg, "limit of 100"));
    assert_false(exists(path));
    /* Fails at the very end: the whole file is written, then cannot be renamed over a
     * folder; the folder stays as it was and the temporary folder is gone. */
    const char *folder = temp_path("folder.gpkg");
    assert_int_equal(mkdir(folder, 0700), 0);
    rc = export_bundle(folder, POI_FILTER, 0, &e);
    assert_int_equal(rc, ERR_IO);
    struct stat st;
    assert_int_equal(stat(folder, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(rmdir(folder), 0);
    assert_int_equal(entries_starting_with(".bad-filter.gpkg."), 0);
    assert_int_equal(entries_starting_with(".folder.gpkg."), 0);
}

static int64_t layer_count(const char *path, const char *layer)
{
    GDALDatasetH ds = open_gpkg(path);
    OGRLayerH l = GDALDatasetGetLayerByName(ds, layer);
    assert_non_null(l);
    int64_t n = OGR_L_GetFeatureCount(l, TRUE);
    GDALClose(ds);
    return n;
}

static void second_export_replaces_the_file_atomically(void **state)
{
    (void)state;
    struct err e = {0};
    const char *path = temp_path("replace.gpkg");
    MUST(export_bundle(path, "category = 'temple'", 0, &e), &e);
    int64_t temples = sql_count("cm-cbd-pois", "category = 'temple'");
    assert_int_equal(layer_count(path, "cm-cbd-pois"), temples);
    /* A reader holding the old file keeps it whole while the new one takes its name. */
    int old_fd = open(path, O_RDONLY);
    assert_true(old_fd >= 0);
    struct stat before, old_after, after;
    assert_int_equal(fstat(old_fd, &before), 0);
    MUST(export_bundle(path, "category = 'restaurant'", 0, &e), &e);
    assert_int_equal(fstat(old_fd, &old_after), 0);
    assert_int_equal(stat(path, &after), 0);
    assert_true(after.st_ino != before.st_ino);
    assert_true(old_after.st_size == before.st_size);
    close(old_fd);
    int64_t restaurants = sql_count("cm-cbd-pois", "category = 'restaurant'");
    assert_true(restaurants != temples);
    assert_int_equal(layer_count(path, "cm-cbd-pois"), restaurants);
    /* A failed export over it leaves it as it was. */
    assert_int_equal(export_bundle(path, "colour = 'red'", 0, &e), ERR_INVALID);
    assert_int_equal(layer_count(path, "cm-cbd-pois"), restaurants);
    assert_int_equal(entries_starting_with(".replace.gpkg."), 0);
}

static int to_buf(struct buf *out, struct err *e)
{
    struct store_read *rd = NULL;
    MUST(store_read_begin(pool, &rd, e), e);
    struct export_gpkg_layer layers[] = {
        {store_read_layer(rd, "cm-old-city-walls"), NULL, "walls", NULL, NULL, 0, NULL, 0, NULL},
        {store_read_layer(rd, "cm-district-population"), NULL, "population", NULL, NULL, 0, NULL, 0,
         NULL},
    };
    struct export_gpkg_spec spec = {.layers = layers, .n_layers = 2};
    int rc = export_gpkg_to_buf(rd, &spec, out, e);
    store_read_end(rd);
    return rc;
}

static void to_buf_gives_the_geopackage_bytes_within_the_cap(void **state)
{
    (void)state;
    struct err e = {0};
    struct buf out;
    buf_init(&out, 64 << 20);
    MUST(to_buf(&out, &e), &e);
    assert_true(out.len > 1024);
    assert_memory_equal(out.data, "SQLite format 3", 16);
    assert_memory_equal(out.data + 68, "GPKG", 4); /* application_id */
    /* Written back and opened: whole layers (no extent), tables without geometry too. */
    const char *path = temp_path("from-buf.gpkg");
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(out.data, 1, out.len, f), out.len);
    assert_int_equal(fclose(f), 0);
    struct store_read *rd = NULL;
    MUST(store_read_begin(pool, &rd, &e), &e);
    int64_t walls = store_read_layer(rd, "cm-old-city-walls")->feature_count;
    int64_t population = store_read_layer(rd, "cm-district-population")->feature_count;
    store_read_end(rd);
    assert_int_equal(layer_count(path, "walls"), walls);
    assert_int_equal(layer_count(path, "population"), population);
    buf_clear(&out);
    /* A cap below the file's size: refused, the buf untouched. */
    buf_init(&out, 4096);
    assert_int_equal(to_buf(&out, &e), ERR_TOO_LARGE);
    assert_int_equal(out.len, 0);
    buf_clear(&out);
}

static void bad_specs_are_refused_with_their_names(void **state)
{
    (void)state;
    struct store_read *rd = NULL;
    struct err e = {0};
    MUST(store_read_begin(pool, &rd, &e), &e);
    const struct store_layer *roads = store_read_layer(rd, "cm-cbd-roads");
    struct export_gpkg_layer ok = {roads, NULL, "roads", NULL, NULL, 0, NULL, 0, NULL};
    struct export_gpkg_layer twice[] = {ok, {roads, NULL, "ROADS", NULL, NULL, 0, NULL, 0, NULL}};
    struct export_gpkg_layer reserved = {roads, NULL, "gpkg_roads", NULL, NULL, 0, NULL, 0, NULL};
    struct export_gpkg_layer spaced = {roads, NULL, "my roads", NULL, NULL, 0, NULL, 0, NULL};
    struct export_gpkg_meta bad_key[] = {{"title th", "x"}};
    struct export_gpkg_meta dup_key[] = {{"id", "a"}, {"id", "b"}};
    struct {
        struct export_gpkg_spec spec;
        int code;
        const char *want;
    } cases[] = {
        {{.layers = twice, .n_layers = 2}, ERR_INVALID, "ROADS"},
        {{.layers = &reserved, .n_layers = 1}, ERR_INVALID, "gpkg_roads"},
        {{.layers = &spaced, .n_layers = 1}, ERR_INVALID, "my roads"},
        {{.layers = &ok, .n_layers = 1, .metadata_table = "roads"}, ERR_INVALID, "roads"},
        {{.layers = &ok, .n_layers = 1, .metadata = bad_key, .n_metadata = 1},
         ERR_INVALID,
         "title th"},
        {{.layers = &ok, .n_layers = 1, .metadata = dup_key, .n_metadata = 2},
         ERR_INVALID,
         "'id' given twice"},
        {{.has_extent = true, .extent = {99, 18, 98, 19}, .layers = &ok, .n_layers = 1},
         ERR_INVALID,
         "extent"},
        {{.has_extent = true, .extent = {98, 18, NAN, 19}, .layers = &ok, .n_layers = 1},
         ERR_INVALID,
         "extent"},
        {{.n_layers = 0}, ERR_INVALID, "nothing to export"},
    };
    const char *path = temp_path("bad-spec.gpkg");
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int rc = export_gpkg_write(rd, &cases[i].spec, path, &e);
        if (rc != cases[i].code || strstr(e.msg, cases[i].want) == NULL) {
            fail_msg("case %zu: rc %d, message '%s' should name '%s'", i, rc, e.msg, cases[i].want);
        }
        assert_false(exists(path));
    }
    store_read_end(rd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(export_holds_the_clipped_filtered_layers_sql_counts),
        cmocka_unit_test(ogrinfo_lists_the_layers_with_their_counts),
        cmocka_unit_test(failed_exports_leave_no_file),
        cmocka_unit_test(second_export_replaces_the_file_atomically),
        cmocka_unit_test(to_buf_gives_the_geopackage_bytes_within_the_cap),
        cmocka_unit_test(bad_specs_are_refused_with_their_names),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
