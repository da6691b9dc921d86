/* test_scenarios.c - scenarios in the store and their checkers: documents round-trip
 * (put, get, list, replace, delete) with their sketch layer; sketch edits keep ids stable,
 * change the layer in place as a new version and move the generation, and the layer reads
 * like any other (count, bbox, through a pool's count cache); a failed batch or edit
 * changes nothing; the shared writer commits waiting jobs together and shows none before
 * its commit; a catalog re-import keeps scenarios and sketches; every bad document and bad
 * GeoJSON names its JSON path. */
#include "unit.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "scenario/scenario_doc.h"
#include "scenario/scenario_sheet.h"
#include "scenario/sketch_geojson.h"
#include "store/store.h"
#include "store/store_read.h"
#include "store/store_int.h"
#include "store/store_scenario.h"
#include "store/store_workshop.h"
#include "store/store_writer.h"

#include "unit_fixtures.h"
#include "unit_support.c"

static void write_file(const char *name, const char *text)
{
    char path[300];
    snprintf(path, sizeof(path), "%s/%s", unit_dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* A catalog of one point layer "pts" (name, category) and one featured statistic. */
static void import_catalog(void)
{
    write_file("pts.geojson", "{\"type\":\"FeatureCollection\",\"features\":["
                              "{\"type\":\"Feature\",\"properties\":{\"name\":\"กาดหลวง\","
                              "\"category\":\"market\"},\"geometry\":{\"type\":\"Point\","
                              "\"coordinates\":[98.9997,18.7905]}}]}");
    write_file("catalog.json",
               "{\"format\":\"cityatlas-catalog/1\",\"city\":{\"id\":\"cm\",\"title\":{\"en\":"
               "\"CM\"}},\"datasets\":[{\"id\":\"pts\",\"title\":{\"en\":\"Points\"},\"theme\":"
               "\"economy\",\"source\":\"s\",\"license\":\"ODbL-1.0\",\"attribution\":\"x\","
               "\"path\":\"pts.geojson\"}],\"statistics\":[{\"id\":\"pts-count\",\"title\":{"
               "\"th\":\"จำนวน\",\"en\":\"Count\"},\"question\":{\"th\":\"กี่จุด\",\"en\":\"How "
               "many?\"},\"query\":{\"layer\":\"pts\",\"metric\":\"count\"}}]}");
    char path[300];
    snprintf(path, sizeof(path), "%s/catalog.json", unit_dir);
    char *argv[] = {"import", "--db", unit_db, "--quiet", "--catalog", path, NULL};
    assert_int_equal(cmd_import(6, argv), CLI_EXIT_OK);
}

#define DOC(id)                                                                                           \
    "{\"id\":\"" id "\",\"title\":{\"th\":\"กินดีอยู่ดี\",\"en\":\"Living well\"}," \
    "\"narrative\":{\"th\":\"ตัวอย่าง\",\"en\":\"An example\"},\"example\":true,"         \
    "\"extent\":[98.95,18.76,99.02,18.82],\"layers\":[{\"collection\":\"pts\",\"filter\":"                \
    "\"category = 'market'\",\"style\":{\"paint\":{\"circle-color\":\"#ff0000\"}}}],"                     \
    "\"statistics\":[\"pts-count\"]}"

static struct scenario_doc parse_doc(const char *text)
{
    struct scenario_doc doc;
    struct err e;
    MUST(scenario_doc_parse_text(text, strlen(text), NULL, &doc, &e), &e);
    return doc;
}

static struct store *open_rw(void)
{
    struct store *st = NULL;
    struct err e;
    MUST(store_open(unit_db, STORE_READ_WRITE, &st, &e), &e);
    return st;
}

static void put_doc(struct store *st, const char *text)
{
    struct scenario_doc doc = parse_doc(text);
    char *json = scenario_doc_dump(&doc);
    struct err e;
    MUST(store_scenario_put(st, doc.id, json, false, NULL, &e), &e);
    free(json);
    scenario_doc_clear(&doc);
}

/* One sketch parsed from a Feature's GeoJSON against the DOC kinds; add returns its id. */
static int64_t add_feature(struct store *st, const char *scenario, const char *feature)
{
    struct scenario_doc doc = parse_doc(DOC("x"));
    struct sketch_list list;
    struct err e;
    MUST(sketch_geojson_parse_text(feature, strlen(feature), &doc, false, &list, &e), &e);
    int64_t id = 0;
    MUST(store_sketches_add(st, scenario, list.items, list.n, &id, &e), &e);
    sketch_list_clear(&list);
    scenario_doc_clear(&doc);
    return id;
}

#define POINT_AT(x, y, kind)                                                                       \
    "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[" x "," y "]},"       \
    "\"properties\":{\"kind\":\"" kind "\",\"note\":\"ตลาดคึกคัก\",\"group\":\"กลุ่ม 1\"}}"

struct layer_state {
    int64_t version, generation, count, in_box;
};

/* The sketch layer of scenario as a server's snapshot sees it. */
static struct layer_state read_layer(const char *scenario, const double box[4])
{
    struct store_pool *pool = NULL;
    struct store_read *rd = NULL;
    struct err e;
    MUST(store_pool_open(unit_db, 1, &pool, &e), &e);
    MUST(store_read_begin(pool, &rd, &e), &e);
    char id[80];
    store_scenario_layer_id(scenario, id, sizeof(id));
    const struct store_layer *layer = store_read_layer(rd, id);
    struct layer_state s = {.generation = store_read_catalog(rd)->generation, .version = -1};
    if (layer != NULL) {
        assert_string_equal(layer->theme, "scenarios");
        s.version = layer->version;
        struct store_query q = {.layer = layer, .limit = 100, .out_srid = 4326};
        MUST(store_features_count(rd, &q, &s.count, &e), &e);
        q.has_bbox = true;
        memcpy(q.bbox, box, sizeof(q.bbox));
        MUST(store_features_count(rd, &q, &s.in_box, &e), &e);
    }
    store_read_end(rd);
    store_pool_close(pool);
    return s;
}

/* The fids of the layer, in order, joined with ','. */
static void layer_fids(const char *scenario, char *out, size_t cap)
{
    struct store_pool *pool = NULL;
    struct store_read *rd = NULL;
    struct err e;
    MUST(store_pool_open(unit_db, 1, &pool, &e), &e);
    MUST(store_read_begin(pool, &rd, &e), &e);
    char id[80];
    store_scenario_layer_id(scenario, id, sizeof(id));
    const struct store_layer *layer = store_read_layer(rd, id);
    assert_non_null(layer);
    long sketch_id = store_layer_field_index(layer, "sketch_id");
    long kind = store_layer_field_index(layer, "kind");
    assert_true(sketch_id >= 0 && kind >= 0);
    struct store_query q = {.layer = layer, .limit = 100, .out_srid = 4326};
    struct store_cursor *cur = NULL;
    MUST(store_features_open(rd, &q, &cur, &e), &e);
    const struct store_feature *row = NULL;
    out[0] = '\0';
    while (store_cursor_next(cur, &row, &e) == 1) {
        assert_int_equal(row->values[sketch_id].i, row->fid);
        size_t len = strlen(out);
        snprintf(out + len, cap - len, "%s%lld:%.*s", len > 0 ? "," : "", (long long)row->fid,
                 (int)row->values[kind].len, row->values[kind].ptr);
    }
    store_cursor_close(cur);
    store_read_end(rd);
    store_pool_close(pool);
}

static const double old_city[4] = {98.98, 18.78, 99.0, 18.80};

/* The tests: the store */

static void scenario_put_get_list_replace_delete_round_trip(void **state)
{
    (void)state;
    import_catalog();
    struct err e;
    /* A database made before scenarios (no table yet) reads as none, on a snapshot too. */
    struct store_pool *pool = NULL;
    struct store_read *rd = NULL;
    struct store_scenario *list = NULL;
    size_t n = 1;
    MUST(store_pool_open(unit_db, 1, &pool, &e), &e);
    MUST(store_read_begin(pool, &rd, &e), &e);
    MUST(store_scenarios_list(rd, &list, &n, &e), &e);
    assert_int_equal(n, 0);
    store_read_end(rd);
    struct store *st = open_rw();
    put_doc(st, DOC("kin-di"));
    bool created = true;
    struct scenario_doc doc = parse_doc(DOC("kin-di"));
    char *json = scenario_doc_dump(&doc);
    assert_int_equal(store_scenario_put(st, "kin-di", json, true, NULL, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "already exists"));
    MUST(store_scenario_put(st, "kin-di", json, false, &created, &e), &e);
    assert_false(created);
    put_doc(st, DOC("another"));

    MUST(store_read_begin(pool, &rd, &e), &e);
    MUST(store_scenarios_list(rd, &list, &n, &e), &e);
    assert_int_equal(n, 2);
    assert_string_equal(list[0].id, "another");
    assert_string_equal(list[1].id, "kin-di");
    assert_string_equal(list[1].doc, json);
    assert_string_equal(list[1].sketch_layer_id, "scenario-kin-di-sketches");
    assert_int_equal(list[1].n_sketches, 0);
    assert_non_null(store_read_layer(rd, "scenario-kin-di-sketches"));
    store_scenarios_free(list, n);
    struct store_scenario one;
    MUST(store_scenario_get(rd, "kin-di", &one, &e), &e);
    assert_string_equal(one.doc, json);
    assert_true(strlen(one.created_at) == 20 && one.created_at[19] == 'Z');
    store_scenario_clear(&one);
    assert_int_equal(store_scenario_get(rd, "nothing", &one, &e), ERR_NOT_FOUND);
    store_read_end(rd);

    MUST(store_scenario_delete(st, "kin-di", &e), &e);
    assert_int_equal(store_scenario_delete(st, "kin-di", &e), ERR_NOT_FOUND);
    MUST(store_read_begin(pool, &rd, &e), &e);
    MUST(store_scenarios_list(rd, &list, &n, &e), &e);
    assert_int_equal(n, 1);
    assert_null(store_read_layer(rd, "scenario-kin-di-sketches"));
    store_scenarios_free(list, n);
    store_read_end(rd);
    store_pool_close(pool);
    free(json);
    scenario_doc_clear(&doc);
    store_close(st);
}

static void sketch_edits_keep_ids_and_move_version_and_generation(void **state)
{
    (void)state;
    import_catalog();
    struct store *st = open_rw();
    struct err e;
    put_doc(st, DOC("kin-di"));
    struct layer_state s0 = read_layer("kin-di", old_city);
    assert_int_equal(s0.count, 0);
    assert_int_equal(add_feature(st, "kin-di", POINT_AT("98.9997", "18.7905", "asset")), 1);
    assert_int_equal(add_feature(st, "kin-di", POINT_AT("98.9500", "18.7700", "problem")), 2);
    struct layer_state s1 = read_layer("kin-di", old_city);
    assert_int_equal(s1.count, 2);
    assert_int_equal(s1.in_box, 1);
    assert_true(s1.version > s0.version && s1.generation > s0.generation);

    /* Move sketch 2 into the old city and make it a proposal. */
    struct scenario_doc doc = parse_doc(DOC("x"));
    struct sketch_list moved;
    const char *text = POINT_AT("98.9900", "18.7900", "proposal");
    MUST(sketch_geojson_parse_text(text, strlen(text), &doc, false, &moved, &e), &e);
    MUST(store_sketch_replace(st, "kin-di", 2, &moved.items[0], &e), &e);
    struct layer_state s2 = read_layer("kin-di", old_city);
    assert_int_equal(s2.in_box, 2);
    assert_true(s2.version > s1.version && s2.generation > s1.generation);
    char fids[200];
    layer_fids("kin-di", fids, sizeof(fids));
    assert_string_equal(fids, "1:asset,2:proposal");
    assert_int_equal(store_sketch_replace(st, "kin-di", 7, &moved.items[0], &e), ERR_NOT_FOUND);

    /* A deleted id is never given again. */
    MUST(store_sketch_delete(st, "kin-di", 1, &e), &e);
    assert_int_equal(store_sketch_delete(st, "kin-di", 1, &e), ERR_NOT_FOUND);
    assert_int_equal(add_feature(st, "kin-di", POINT_AT("98.9800", "18.7850", "asset")), 3);
    layer_fids("kin-di", fids, sizeof(fids));
    assert_string_equal(fids, "2:proposal,3:asset");

    /* Replacing the document keeps the sketches. */
    put_doc(st, DOC("kin-di"));
    layer_fids("kin-di", fids, sizeof(fids));
    assert_string_equal(fids, "2:proposal,3:asset");
    sketch_list_clear(&moved);
    scenario_doc_clear(&doc);
    store_close(st);
}

/* One snapshot of pool: the sketch layer's table, version, type and counts. */
struct layer_view {
    char table[128], type[32];
    int64_t version, count, in_box;
    double extent[4];
};

static struct layer_view view_layer(struct store_pool *pool, const char *scenario,
                                    const double box[4])
{
    struct store_read *rd = NULL;
    struct err e;
    MUST(store_read_begin(pool, &rd, &e), &e);
    char id[80];
    store_scenario_layer_id(scenario, id, sizeof(id));
    const struct store_layer *layer = store_read_layer(rd, id);
    assert_non_null(layer);
    struct layer_view v = {.version = layer->version};
    snprintf(v.table, sizeof(v.table), "%s", layer->table_name);
    snprintf(v.type, sizeof(v.type), "%s", layer->geometry_type);
    v.extent[0] = layer->min_lon;
    v.extent[1] = layer->min_lat;
    v.extent[2] = layer->max_lon;
    v.extent[3] = layer->max_lat;
    struct store_query q = {.layer = layer, .limit = 100, .out_srid = 4326};
    MUST(store_features_count(rd, &q, &v.count, &e), &e);
    q.has_bbox = true;
    memcpy(q.bbox, box, sizeof(q.bbox));
    MUST(store_features_count(rd, &q, &v.in_box, &e), &e);
    assert_int_equal(layer->feature_count, v.count);
    store_read_end(rd);
    return v;
}

#define AREA_AT(x0, y0, x1, y1)                                                                    \
    "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[" x0 "," y0       \
    "],[" x1 "," y0 "],[" x1 "," y1 "],[" x0 "," y1 "],[" x0 "," y0 "]]]},"                        \
    "\"properties\":{\"kind\":\"proposal\"}}"

static void sketch_edits_change_the_layer_in_place(void **state)
{
    (void)state;
    import_catalog();
    struct store *st = open_rw();
    struct err e;
    put_doc(st, DOC("kin-di"));
    add_feature(st, "kin-di", POINT_AT("98.9500", "18.7700", "asset"));
    put_doc(st, DOC("kin-di")); /* written whole: a layer of points */
    /* One pool for every look, as a server has: its counts are cached across snapshots. */
    struct store_pool *pool = NULL;
    MUST(store_pool_open(unit_db, 2, &pool, &e), &e);
    struct layer_view v0 = view_layer(pool, "kin-di", old_city);
    assert_int_equal(v0.in_box, 0);
    assert_string_not_equal(v0.type, "GEOMETRY");

    int64_t id = add_feature(st, "kin-di", POINT_AT("98.9900", "18.7900", "asset"));
    struct layer_view v1 = view_layer(pool, "kin-di", old_city);
    assert_string_equal(v1.table, v0.table); /* no new table: edited in place */
    assert_true(v1.version > v0.version);
    assert_int_equal(v1.count, 2);
    assert_int_equal(v1.in_box, 1); /* not the count cached for the version before */
    assert_true(v1.extent[0] <= 98.95 && v1.extent[2] >= 98.99 && v1.extent[3] >= 18.79);
    assert_true(v1.extent[2] < 98.9901 && v1.extent[3] < 18.7901);

    /* An area in a layer of points: the layer takes any geometry from then on. */
    add_feature(st, "kin-di", AREA_AT("98.985", "18.785", "98.987", "18.787"));
    struct layer_view v2 = view_layer(pool, "kin-di", old_city);
    assert_string_equal(v2.table, v0.table);
    assert_string_equal(v2.type, "GEOMETRY");
    assert_int_equal(v2.in_box, 2);
    char fids[200];
    layer_fids("kin-di", fids, sizeof(fids));
    assert_string_equal(fids, "1:asset,2:asset,3:proposal");

    /* Hidden, it leaves the layer; back, it returns; deleted, it is gone. */
    MUST(store_sketch_moderate(st, "kin-di", id, "hide", NULL, NULL, &e), &e);
    assert_int_equal(view_layer(pool, "kin-di", old_city).in_box, 1);
    MUST(store_sketch_moderate(st, "kin-di", id, "unhide", NULL, NULL, &e), &e);
    assert_int_equal(view_layer(pool, "kin-di", old_city).in_box, 2);
    MUST(store_sketch_delete(st, "kin-di", id, &e), &e);
    struct layer_view v3 = view_layer(pool, "kin-di", old_city);
    assert_int_equal(v3.count, 2);
    assert_int_equal(v3.in_box, 1);
    layer_fids("kin-di", fids, sizeof(fids));
    assert_string_equal(fids, "1:asset,3:proposal");
    /* The spatial index is SpatiaLite's and still whole. */
    int64_t ok = 0;
    char *sql = sqlite3_mprintf("SELECT rtreecheck('idx_%q_geom') = 'ok'", v3.table);
    MUST(store_query_int(st, sql, &ok, &e), &e);
    sqlite3_free(sql);
    assert_int_equal(ok, 1);
    store_pool_close(pool);
    store_close(st);
}

/* A thread's job on the shared writer: add one point sketch, keep it or not. */
struct writer_job_arg {
    struct store_writer *w;
    const char *x;
    bool keep;
    int rc;
};

static void *run_writer_job(void *p)
{
    struct writer_job_arg *a = p;
    struct err e;
    struct store *st = NULL;
    char feature[300];
    snprintf(feature, sizeof(feature), POINT_AT("%s", "18.7900", "asset"), a->x);
    struct scenario_doc doc;
    a->rc = scenario_doc_parse_text(DOC("x"), strlen(DOC("x")), NULL, &doc, &e);
    struct sketch_list list;
    memset(&list, 0, sizeof(list));
    if (a->rc == ERR_OK) {
        a->rc = sketch_geojson_parse_text(feature, strlen(feature), &doc, false, &list, &e);
    }
    if (a->rc == ERR_OK) {
        a->rc = store_writer_begin(a->w, &st, &e);
    }
    if (a->rc == ERR_OK) {
        a->rc = store_sketches_add(st, "kin-di", list.items, list.n, NULL, &e);
        int end_rc = store_writer_end(a->w, a->keep && a->rc == ERR_OK, &e);
        a->rc = a->rc == ERR_OK ? end_rc : a->rc;
    }
    sketch_list_clear(&list);
    scenario_doc_clear(&doc);
    return NULL;
}

static void writer_commits_waiting_jobs_together(void **state)
{
    (void)state;
    import_catalog();
    struct store *st = open_rw();
    struct err e;
    put_doc(st, DOC("kin-di"));
    store_close(st);
    /* No batch ends for its size or age here, however slow the machine. */
    struct store_writer *w = NULL;
    struct store_writer_limits limits = {100, 600 * 1000};
    MUST(store_writer_open(unit_db, &limits, &w, &e), &e);

    /* This job holds the writer while four more queue behind it. */
    struct store *held = NULL;
    MUST(store_writer_begin(w, &held, &e), &e);
    add_feature(held, "kin-di", POINT_AT("98.9810", "18.7900", "asset"));
    assert_int_equal(read_layer("kin-di", old_city).count, 0); /* not committed: unseen */
    struct writer_job_arg args[4] = {{w, "98.9820", true, -1},
                                     {w, "98.9830", false, -1}, /* the second is rolled back */
                                     {w, "98.9840", true, -1},
                                     {w, "98.9850", true, -1}};
    pthread_t threads[4];
    for (int i = 0; i < 4; i++) {
        assert_int_equal(pthread_create(&threads[i], NULL, run_writer_job, &args[i]), 0);
    }
    for (int i = 0; i < 1000 && store_writer_n_waiting(w) < 4; i++) {
        usleep(10 * 1000);
    }
    assert_int_equal(store_writer_n_waiting(w), 4);
    /* Ending hands the writer on without a commit; it returns once the last job of the
     * batch committed it. */
    MUST(store_writer_end(w, true, &e), &e);
    for (int i = 0; i < 4; i++) {
        pthread_join(threads[i], NULL);
        assert_int_equal(args[i].rc, ERR_OK);
    }
    assert_int_equal(store_writer_n_commits(w), 1);
    struct layer_state s = read_layer("kin-di", old_city);
    assert_int_equal(s.count, 4);
    assert_int_equal(s.in_box, 4);

    /* Alone, a job commits at once: it is seen as soon as its end returns. */
    MUST(store_writer_begin(w, &held, &e), &e);
    add_feature(held, "kin-di", POINT_AT("98.9860", "18.7900", "asset"));
    MUST(store_writer_end(w, true, &e), &e);
    assert_int_equal(store_writer_n_commits(w), 2);
    assert_int_equal(read_layer("kin-di", old_city).count, 5);
    store_writer_close(w);
}

static void failed_batch_and_failed_edits_change_nothing(void **state)
{
    (void)state;
    import_catalog();
    struct store *st = open_rw();
    struct err e;
    put_doc(st, DOC("kin-di"));
    add_feature(st, "kin-di", POINT_AT("98.9997", "18.7905", "asset"));
    struct layer_state before = read_layer("kin-di", old_city);

    /* The second polygon is a bow tie: the batch fails as a whole. */
    struct scenario_doc doc = parse_doc(DOC("x"));
    const char *batch = "{\"type\":\"FeatureCollection\",\"features\":[" POINT_AT(
        "98.99", "18.79", "asset") ","
                                   "{\"type\":\"Feature\",\"properties\":{\"kind\":\"problem\"},"
                                   "\"geometry\":{\"type\":"
                                   "\"Polygon\",\"coordinates\":[[[98.98,18.78],[98.99,18.79],[98."
                                   "99,18.78],[98.98,18.79],"
                                   "[98.98,18.78]]]}}]}";
    struct sketch_list list;
    MUST(sketch_geojson_parse_text(batch, strlen(batch), &doc, true, &list, &e), &e);
    assert_int_equal(list.n, 2);
    assert_int_equal(sketch_list_check_valid(st, &list, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "features[1].geometry: the geometry is not valid"));
    assert_int_equal(store_sketches_add(st, "kin-di", list.items, list.n, NULL, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "sketch 1"));
    assert_int_equal(store_sketches_add(st, "nothing", list.items, 1, NULL, &e), ERR_NOT_FOUND);
    struct layer_state after = read_layer("kin-di", old_city);
    assert_int_equal(after.count, before.count);
    assert_int_equal(after.version, before.version);
    assert_int_equal(after.generation, before.generation);

    /* Inside a caller's transaction that is rolled back, nothing stays either. */
    MUST(store_import_begin(st, &e), &e);
    MUST(store_sketches_add(st, "kin-di", list.items, 1, NULL, &e), &e);
    put_doc(st, DOC("rolled-back"));
    store_import_rollback(st);
    after = read_layer("kin-di", old_city);
    assert_int_equal(after.count, before.count);
    assert_int_equal(after.generation, before.generation);
    bool exists = true;
    MUST(store_scenario_exists(st, "rolled-back", &exists, &e), &e);
    assert_false(exists);
    sketch_list_clear(&list);
    scenario_doc_clear(&doc);
    store_close(st);
}

static void catalog_reimport_keeps_scenarios_and_sketches(void **state)
{
    (void)state;
    import_catalog();
    struct store *st = open_rw();
    put_doc(st, DOC("kin-di"));
    add_feature(st, "kin-di", POINT_AT("98.9997", "18.7905", "asset"));
    store_close(st);
    struct layer_state before = read_layer("kin-di", old_city);
    import_catalog();
    struct layer_state after = read_layer("kin-di", old_city);
    assert_int_equal(after.count, 1);
    assert_int_equal(after.version, before.version);
    st = open_rw();
    bool exists = false;
    struct err e;
    MUST(store_scenario_exists(st, "kin-di", &exists, &e), &e);
    assert_true(exists);
    store_close(st);
}

static void document_refs_are_checked_against_the_snapshot(void **state)
{
    (void)state;
    import_catalog();
    struct store_pool *pool = NULL;
    struct store_read *rd = NULL;
    struct err e;
    MUST(store_pool_open(unit_db, 1, &pool, &e), &e);
    MUST(store_read_begin(pool, &rd, &e), &e);
    size_t n_featured = 0;
    const struct store_featured *featured = store_read_featured(rd, &n_featured);
    const struct store_catalog *cat = store_read_catalog(rd);
    static const char *const cases[][2] = {
        {DOC("ok"), NULL},
        {"{\"id\":\"a\",\"title\":{\"th\":\"ก\",\"en\":\"a\"},\"narrative\":{\"th\":\"ก\","
         "\"en\":\"a\"},\"extent\":[98,18,99,19],\"layers\":[{\"collection\":\"roads\"}]}",
         "layers[0].collection: no layer 'roads'"},
        {"{\"id\":\"a\",\"title\":{\"th\":\"ก\",\"en\":\"a\"},\"narrative\":{\"th\":\"ก\","
         "\"en\":\"a\"},\"extent\":[98,18,99,19],\"layers\":[{\"collection\":\"pts\","
         "\"filter\":\"nmae = 'x'\"}]}",
         "layers[0].filter: unknown property 'nmae'"},
        {"{\"id\":\"a\",\"title\":{\"th\":\"ก\",\"en\":\"a\"},\"narrative\":{\"th\":\"ก\","
         "\"en\":\"a\"},\"extent\":[98,18,99,19],\"statistics\":[\"nope\"]}",
         "statistics[0]: no featured statistic 'nope'"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct scenario_doc doc = parse_doc(cases[i][0]);
        int rc = scenario_doc_check_refs(&doc, cat, featured, n_featured, &e);
        if (cases[i][1] == NULL) {
            MUST(rc, &e);
        } else if (rc != ERR_INVALID || strstr(e.msg, cases[i][1]) == NULL) {
            fail_msg("case %zu: got %d '%s', want '%s'", i, rc, e.msg, cases[i][1]);
        }
        scenario_doc_clear(&doc);
    }
    store_read_end(rd);
    store_pool_close(pool);
}

/* The tests: the checkers */

#define BASE "\"title\":{\"th\":\"ก\",\"en\":\"a\"},\"narrative\":{\"th\":\"ก\",\"en\":\"a\"}"

static void documents_normalise_with_default_kinds(void **state)
{
    (void)state;
    const char *text = "{\"extent\":[98.95,18.76,99.02,18.82]," BASE "}";
    struct scenario_doc doc;
    struct err e;
    MUST(scenario_doc_parse_text(text, strlen(text), "from-url", &doc, &e), &e);
    assert_string_equal(doc.id, "from-url");
    assert_false(doc.is_example);
    assert_int_equal(doc.n_kinds, 3);
    assert_string_equal(doc.kinds[0].id, "proposal");
    assert_non_null(scenario_doc_kind(&doc, "asset"));
    assert_null(scenario_doc_kind(&doc, "wish"));
    char *json = scenario_doc_dump(&doc);
    assert_true(strncmp(json, "{\"id\":\"from-url\",\"title\":", 25) == 0);
    assert_non_null(strstr(json, "\"layers\":[],\"statistics\":[],\"sketch_kinds\":[{"));
    free(json);
    scenario_doc_clear(&doc);
}

/* A layer's own title in the scenario is kept in the document and read into the struct. */
static void layer_titles_are_kept(void **state)
{
    (void)state;
    const char *text =
        "{\"extent\":[98.95,18.76,99.02,18.82]," BASE ",\"layers\":[{\"collection\":"
        "\"p\",\"title\":{\"th\":\"ตลาด\",\"en\":\"Markets\"}},{\"collection\":\"q\"}]}";
    struct scenario_doc doc;
    struct err e;
    MUST(scenario_doc_parse_text(text, strlen(text), "titled", &doc, &e), &e);
    assert_string_equal(doc.layers[0].title.th, "ตลาด");
    assert_string_equal(doc.layers[0].title.en, "Markets");
    assert_null(doc.layers[1].title.th);
    char *json = scenario_doc_dump(&doc);
    assert_non_null(
        strstr(json, "{\"collection\":\"p\",\"title\":{\"th\":\"ตลาด\",\"en\":\"Markets\"}}"));
    free(json);
    scenario_doc_clear(&doc);
}

static void bad_documents_name_their_path(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"[]", "top level: expected a scenario object"},
        {"{\"id\":\"a\"," BASE ",\"extent\":[98,18,99,19],\"colour\":1}", "colour: unknown member"},
        {"{" BASE ",\"extent\":[98,18,99,19]}", "id: required"},
        {"{\"id\":\"Bad_Id\"," BASE ",\"extent\":[98,18,99,19]}", "id: expected an id"},
        {"{\"id\":\"a\",\"title\":{\"th\":\"ก\"},\"narrative\":{\"th\":\"ก\",\"en\":\"a\"},"
         "\"extent\":[98,18,99,19]}",
         "title.en: required"},
        {"{\"id\":\"a\",\"title\":{\"th\":\"ก\",\"en\":\"a\",\"fr\":\"x\"},\"narrative\":{"
         "\"th\":\"ก\",\"en\":\"a\"},\"extent\":[98,18,99,19]}",
         "title.fr: unknown member"},
        {"{\"id\":\"a\"," BASE ",\"extent\":[98,18,200.5,19]}",
         "extent[2]: longitude 200.5 is out of range (-180 to 180)"},
        {"{\"id\":\"a\"," BASE ",\"extent\":[99,18,98,19]}", "extent: the minimum longitude"},
        {"{\"id\":\"a\"," BASE ",\"extent\":[98,18,99,19],\"example\":1}",
         "example: expected true or false"},
        {"{\"id\":\"a\"," BASE ",\"extent\":[98,18,99,19],\"layers\":[{\"collection\":\"p\","
         "\"filter\":\"name = \"}]}",
         "layers[0].filter: "},
        {"{\"id\":\"a\"," BASE ",\"extent\":[98,18,99,19],\"layers\":[{\"collection\":\"p\","
         "\"style\":{\"paint\":{\"line-width\":300}}}]}",
         "layers[0].style.paint.line-width: 300 is out of range"},
        {"{\"id\":\"a\"," BASE ",\"extent\":[98,18,99,19],\"layers\":[{\"collection\":\"p\","
         "\"style\":{\"paint\":{\"blur\":3}}}]}",
         "layers[0].style.paint.blur: unsupported property"},
        {"{\"id\":\"a\"," BASE ",\"extent\":[98,18,99,19],\"layers\":[{\"collection\":\"p\","
         "\"title\":{\"th\":\"ตลาด\"}}]}",
         "layers[0].title.en: required"},
        {"{\"id\":\"a\"," BASE ",\"extent\":[98,18,99,19],\"statistics\":[\"s\",\"s\"]}",
         "statistics[1]: 's' is listed twice"},
        {"{\"id\":\"a\"," BASE ",\"extent\":[98,18,99,19],\"sketch_kinds\":[{\"id\":\"w\","
         "\"title\":{\"th\":\"ก\",\"en\":\"w\"},\"color\":\"red\"}]}",
         "sketch_kinds[0].color: expected a colour"},
        {"{\"id\":\"a\",\"a\":1,\"a\":2}", "not JSON"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct scenario_doc doc;
        struct err e;
        int rc = scenario_doc_parse_text(cases[i][0], strlen(cases[i][0]), NULL, &doc, &e);
        if (rc != ERR_INVALID || strstr(e.msg, cases[i][1]) == NULL) {
            fail_msg("case %zu: got %d '%s', want '%s'", i, rc, rc != ERR_OK ? e.msg : "",
                     cases[i][1]);
        }
    }
    /* A long narrative: 4001 Thai characters (3 bytes each). */
    size_t len = 4001 * 3;
    char *th = malloc(len + 1);
    for (size_t i = 0; i < len; i += 3) {
        memcpy(th + i, "ก", 3);
    }
    th[len] = '\0';
    size_t cap = len + 200;
    char *text = malloc(cap);
    snprintf(text, cap,
             "{\"id\":\"a\",\"title\":{\"th\":\"ก\",\"en\":\"a\"},\"narrative\":{\"th\":\"%s\","
             "\"en\":\"a\"},\"extent\":[98,18,99,19]}",
             th);
    struct scenario_doc doc;
    struct err e;
    assert_int_equal(scenario_doc_parse_text(text, strlen(text), NULL, &doc, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "narrative.th: longer than 4000 characters"));
    free(th);
    free(text);
    /* The document must be the URL's scenario. */
    text = DOC("one");
    assert_int_equal(scenario_doc_parse_text(text, strlen(text), "two", &doc, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "id: 'one' is not the scenario of the URL"));
}

#define FEATURE(geometry, props)                                                                   \
    "{\"type\":\"Feature\",\"geometry\":" geometry ",\"properties\":" props "}"
#define KIND "{\"kind\":\"proposal\"}"

/* Scenario style overrides merge as the web map merges them: the cases of
 * tests/data/style_vectors.json, which tests/unit/style_vectors.test.mjs runs in JS. */
static void style_overrides_merge_as_in_the_web_map(void **state)
{
    (void)state;
    json_t *doc = json_load_file(unit_repo_path("tests/data/style_vectors.json"), 0, NULL);
    assert_non_null(doc);
    const json_t *base = json_object_get(doc, "merge_base");
    char *before = json_dumps(base, JSON_COMPACT);
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(doc, "merge"), i, c)
    {
        json_t *merged = scenario_sheet_merge_style(base, json_object_get(c, "override"));
        if (!json_equal(json_object_get(merged, "layers"), json_object_get(c, "layers"))) {
            char *got = json_dumps(json_object_get(merged, "layers"), JSON_COMPACT);
            fail_msg("merge case %zu: %s", i, got);
        }
        json_decref(merged);
    }
    assert_true(i >= 4);
    char *after = json_dumps(base, JSON_COMPACT);
    assert_string_equal(before, after);
    free(before);
    free(after);
    json_decref(doc);
}

/* The city profile's extent (struct store_city) bounds scenario extents and sketches; the
 * refusal names the path, the city and the extent. Without an extent nothing is refused. */
static void city_extent_refuses_documents_and_sketches_outside_it(void **state)
{
    (void)state;
    struct store_city city = {
        .title_en = "Hat Yai", .has_extent = true, .extent = {100.0, 6.5, 101.0, 7.5}};
    struct store_catalog cat = {.city = &city};
    struct err e;
    struct scenario_doc doc = parse_doc("{\"id\":\"a\"," BASE ",\"extent\":[100.4,6.9,100.6,7.1]}");
    MUST(scenario_doc_check_refs(&doc, &cat, NULL, 0, &e), &e);
    scenario_doc_clear(&doc);
    doc = parse_doc("{\"id\":\"a\"," BASE ",\"extent\":[98.9,18.7,99.1,18.9]}");
    assert_int_equal(scenario_doc_check_refs(&doc, &cat, NULL, 0, &e), ERR_INVALID);
    assert_string_equal(e.msg, "extent[0]: longitude 98.9 is outside the extent of Hat Yai "
                               "(100 to 101)");
    const char *inside = "{\"type\":\"FeatureCollection\",\"features\":[" FEATURE(
        "{\"type\":\"Point\",\"coordinates\":[100.47,7.0]}", KIND) "]}";
    const char *outside = "{\"type\":\"FeatureCollection\",\"features\":[" FEATURE(
        "{\"type\":\"Point\",\"coordinates\":[100.47,7.0]}",
        KIND) "," FEATURE("{\"type\":\"Polygon\",\"coordinates\":[[[100.4,7],[100.5,7],[100.5,8.2],"
                          "[100.4,7]]]}",
                          KIND) "]}";
    struct sketch_list list;
    MUST(sketch_geojson_parse_text(inside, strlen(inside), &doc, true, &list, &e), &e);
    MUST(sketch_list_check_extent(&list, &city, &e), &e);
    sketch_list_clear(&list);
    MUST(sketch_geojson_parse_text(outside, strlen(outside), &doc, true, &list, &e), &e);
    assert_int_equal(sketch_list_check_extent(&list, &city, &e), ERR_INVALID);
    assert_string_equal(e.msg, "features[1].geometry.coordinates[0][2]: latitude 8.2 is outside "
                               "the extent of Hat Yai (6.5 to 7.5)");
    city.has_extent = false;
    MUST(sketch_list_check_extent(&list, &city, &e), &e);
    sketch_list_clear(&list);
    scenario_doc_clear(&doc);
}

static void bad_geojson_names_feature_and_path(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"{\"type\":\"Point\"}", "type: expected \"Feature\" or \"FeatureCollection\""},
        {"{\"type\":\"FeatureCollection\",\"features\":[]}", "features: expected an array of 1"},
        {FEATURE("{\"type\":\"GeometryCollection\",\"geometries\":[]}", KIND),
         "geometry.geometries: unknown member"},
        {FEATURE("{\"type\":\"Circle\",\"coordinates\":[98.9,18.7]}", KIND),
         "geometry.type: expected Point, LineString"},
        {"{\"type\":\"FeatureCollection\",\"features\":[" FEATURE(
             "{\"type\":\"Point\",\"coordinates\":[98.9,18.7]}",
             KIND) "," FEATURE("{\"type\":\"LineString\",\"coordinates\":[[98.9,18.7],[200.5,"
                               "18.7]]}",
                               KIND) "]}",
         "features[1].geometry.coordinates[1]: longitude 200.5 is out of range"},
        {FEATURE("{\"type\":\"Point\",\"coordinates\":[98.9,95]}", KIND),
         "geometry.coordinates: latitude 95 is out of range"},
        {FEATURE("{\"type\":\"Point\",\"coordinates\":[98.9,18.7,300,1]}", KIND),
         "geometry.coordinates: expected a position [longitude, latitude]"},
        {FEATURE("{\"type\":\"LineString\",\"coordinates\":[[98.9,18.7]]}", KIND),
         "geometry.coordinates: expected an array of 2 or more positions"},
        {FEATURE("{\"type\":\"Polygon\",\"coordinates\":[[[98.9,18.7],[98.95,18.7],[98.95,18.75],"
                 "[98.9,18.75]]]}",
                 KIND),
         "geometry.coordinates[0]: the ring is not closed"},
        {FEATURE("{\"type\":\"MultiPolygon\",\"coordinates\":[[[[98.9,18.7],[98.95,18.7],"
                 "[98.9,18.7]]]]}",
                 KIND),
         "geometry.coordinates[0][0]: expected an array of 4 or more positions (a closed ring)"},
        {FEATURE("{\"type\":\"Point\",\"coordinates\":[98.9,18.7]}", "{}"),
         "properties.kind: required"},
        {FEATURE("{\"type\":\"Point\",\"coordinates\":[98.9,18.7]}", "{\"kind\":\"wish\"}"),
         "properties.kind: 'wish' is not a sketch kind of this scenario (proposal, problem, "
         "asset)"},
        {FEATURE("{\"type\":\"Point\",\"coordinates\":[98.9,18.7]}",
                 "{\"kind\":\"asset\",\"colour\":\"red\"}"),
         "properties.colour: unknown member"},
        {FEATURE("{\"type\":\"Point\",\"coordinates\":[98.9,18.7]}",
                 "{\"kind\":\"asset\",\"group\":7}"),
         "properties.group: expected a string"},
        {"{\"type\":\"Feature\",\"geometry\":null,\"properties\":" KIND "}",
         "geometry: expected a geometry object"},
        {"nope", "not JSON: line 1"},
    };
    struct scenario_doc doc = parse_doc(DOC("x"));
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct sketch_list list;
        struct err e;
        int rc = sketch_geojson_parse_text(cases[i][0], strlen(cases[i][0]), &doc, true, &list, &e);
        if (rc != ERR_INVALID || strstr(e.msg, cases[i][1]) == NULL) {
            fail_msg("case %zu: got %d '%s', want '%s'", i, rc, rc != ERR_OK ? e.msg : "",
                     cases[i][1]);
        }
    }
    /* A single Feature is required where a collection is not allowed. */
    const char *coll = "{\"type\":\"FeatureCollection\",\"features\":[]}";
    struct sketch_list list;
    struct err e;
    assert_int_equal(sketch_geojson_parse_text(coll, strlen(coll), &doc, false, &list, &e),
                     ERR_INVALID);
    assert_non_null(strstr(e.msg, "type: expected \"Feature\""));
    scenario_doc_clear(&doc);
}

static void large_inputs_are_refused_with_their_caps(void **state)
{
    (void)state;
    struct scenario_doc doc = parse_doc(DOC("x"));
    /* 5001 positions in one line. */
    size_t cap = 5001 * 24 + 256;
    char *text = malloc(cap);
    size_t len = (size_t)snprintf(text, cap,
                                  "{\"type\":\"Feature\",\"properties\":" KIND
                                  ",\"geometry\":{\"type\":\"LineString\","
                                  "\"coordinates\":[");
    for (size_t i = 0; i < 5001; i++) {
        len += (size_t)snprintf(text + len, cap - len, "%s[98.9,18.%04zu]", i > 0 ? "," : "", i);
    }
    snprintf(text + len, cap - len, "]}}");
    struct sketch_list list;
    struct err e;
    assert_int_equal(sketch_geojson_parse_text(text, strlen(text), &doc, true, &list, &e),
                     ERR_INVALID);
    assert_non_null(strstr(e.msg, "more than 5000 positions"));
    free(text);
    /* 501 features. */
    cap = 501 * 300 + 64;
    text = malloc(cap);
    len = (size_t)snprintf(text, cap, "{\"type\":\"FeatureCollection\",\"features\":[");
    for (size_t i = 0; i < 501; i++) {
        len += (size_t)snprintf(text + len, cap - len, "%s" POINT_AT("98.9", "18.7", "asset"),
                                i > 0 ? "," : "");
    }
    snprintf(text + len, cap - len, "]}");
    assert_int_equal(sketch_geojson_parse_text(text, strlen(text), &doc, true, &list, &e),
                     ERR_INVALID);
    assert_non_null(strstr(e.msg, "features: expected an array of 1 to 500 features"));
    free(text);
    /* A note of 2001 characters. */
    cap = 2001 + 256;
    text = malloc(cap);
    len = (size_t)snprintf(text, cap,
                           "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\","
                           "\"coordinates\":[98.9,18.7]},\"properties\":{\"kind\":"
                           "\"asset\",\"note\":\"");
    memset(text + len, 'n', 2001);
    snprintf(text + len + 2001, cap - len - 2001, "\"}}");
    assert_int_equal(sketch_geojson_parse_text(text, strlen(text), &doc, true, &list, &e),
                     ERR_INVALID);
    assert_non_null(strstr(e.msg, "properties.note: longer than 2000 characters"));
    free(text);
    scenario_doc_clear(&doc);
}

static void geojson_multi_geometries_become_valid_wkb(void **state)
{
    (void)state;
    import_catalog();
    struct store *st = open_rw();
    struct err e;
    put_doc(st, DOC("kin-di"));
    struct scenario_doc doc = parse_doc(DOC("x"));
    static const char batch[] =
        "{\"type\":\"FeatureCollection\",\"features\":["
        "{\"type\":\"Feature\",\"properties\":{\"kind\":\"proposal\"},\"geometry\":"
        "{\"type\":\"MultiPoint\",\"coordinates\":[[98.99,18.79],[98.991,18.791]]}},"
        "{\"type\":\"Feature\",\"properties\":{\"kind\":\"problem\","
        "\"group_name\":\"กลุ่ม 2\",\"sketch_id\":9},\"geometry\":"
        "{\"type\":\"MultiLineString\",\"coordinates\":"
        "[[[98.98,18.78],[98.99,18.79]],[[98.98,18.79],[98.99,18.795]]]}},"
        "{\"type\":\"Feature\",\"properties\":{\"kind\":\"proposal\"},\"geometry\":"
        "{\"type\":\"MultiPolygon\",\"coordinates\":"
        "[[[[98.98,18.78],[98.99,18.78],[98.99,18.79],[98.98,18.78]]]]}}]}";
    struct sketch_list list;
    MUST(sketch_geojson_parse_text(batch, strlen(batch), &doc, true, &list, &e), &e);
    assert_int_equal(list.n, 3);
    assert_string_equal(list.items[1].group_name, "กลุ่ม 2");
    MUST(sketch_list_check_valid(st, &list, &e), &e);
    int64_t ids[3];
    MUST(store_sketches_add(st, "kin-di", list.items, list.n, ids, &e), &e);
    assert_int_equal(ids[2], 3);
    struct layer_state s = read_layer("kin-di", old_city);
    assert_int_equal(s.count, 3);
    assert_int_equal(s.in_box, 3);
    sketch_list_clear(&list);
    scenario_doc_clear(&doc);
    store_close(st);
}

static void geojson_altitude_is_dropped_and_a_bom_is_skipped(void **state)
{
    (void)state;
    struct scenario_doc doc = parse_doc(DOC("x"));
    static const char flat[] = FEATURE("{\"type\":\"LineString\",\"coordinates\":"
                                       "[[98.98,18.78],[98.99,18.79]]}",
                                       KIND);
    /* RFC 7946 positions with an altitude, and a body that starts with a UTF-8 BOM. */
    static const char high[] = "\xEF\xBB\xBF" FEATURE("{\"type\":\"LineString\",\"coordinates\":"
                                                      "[[98.98,18.78,310.5],[98.99,18.79,0]]}",
                                                      KIND);
    struct sketch_list a, b;
    struct err e;
    MUST(sketch_geojson_parse_text(flat, strlen(flat), &doc, true, &a, &e), &e);
    MUST(sketch_geojson_parse_text(high, strlen(high), &doc, true, &b, &e), &e);
    assert_int_equal(b.n, 1);
    assert_int_equal(a.items[0].wkb_len, b.items[0].wkb_len);
    assert_memory_equal(a.items[0].wkb, b.items[0].wkb, a.items[0].wkb_len);
    sketch_list_clear(&a);
    sketch_list_clear(&b);
    static const char doc_bom[] = "\xEF\xBB\xBF" DOC("bom");
    struct scenario_doc d2;
    MUST(scenario_doc_parse_text(doc_bom, strlen(doc_bom), "bom", &d2, &e), &e);
    scenario_doc_clear(&d2);
    scenario_doc_clear(&doc);
}

/* PRAGMA synchronous of st's connection (1 NORMAL, 2 FULL). */
static int64_t synchronous_of(struct store *st)
{
    int64_t level = -1;
    struct err e;
    MUST(store_query_int(st, "PRAGMA synchronous", &level, &e), &e);
    return level;
}

static void hand_made_writes_commit_with_synchronous_full(void **state)
{
    (void)state;
    import_catalog();
    /* Each write path on a fresh connection, which starts at the importer's NORMAL. */
    struct store *st = open_rw();
    assert_int_equal(synchronous_of(st), 1);
    put_doc(st, DOC("kin-di"));
    assert_int_equal(synchronous_of(st), 2);
    store_close(st);
    st = open_rw();
    assert_int_equal(synchronous_of(st), 1);
    add_feature(st, "kin-di", POINT_AT("98.9997", "18.7905", "asset"));
    assert_int_equal(synchronous_of(st), 2);
    store_close(st);
    st = open_rw();
    struct err e;
    MUST(store_token_create(st, "facilitator",
                            "0000000000000000000000000000000000000000000000000000000000000000", &e),
         &e);
    assert_int_equal(synchronous_of(st), 2);
    store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(city_extent_refuses_documents_and_sketches_outside_it),
        cmocka_unit_test(style_overrides_merge_as_in_the_web_map),
        cmocka_unit_test(geojson_altitude_is_dropped_and_a_bom_is_skipped),
        cmocka_unit_test_setup_teardown(hand_made_writes_commit_with_synchronous_full,
                                        unit_temp_db_setup, unit_temp_db_teardown),
        cmocka_unit_test_setup_teardown(scenario_put_get_list_replace_delete_round_trip,
                                        unit_temp_db_setup, unit_temp_db_teardown),
        cmocka_unit_test_setup_teardown(sketch_edits_keep_ids_and_move_version_and_generation,
                                        unit_temp_db_setup, unit_temp_db_teardown),
        cmocka_unit_test_setup_teardown(sketch_edits_change_the_layer_in_place, unit_temp_db_setup,
                                        unit_temp_db_teardown),
        cmocka_unit_test_setup_teardown(writer_commits_waiting_jobs_together, unit_temp_db_setup,
                                        unit_temp_db_teardown),
        cmocka_unit_test_setup_teardown(failed_batch_and_failed_edits_change_nothing,
                                        unit_temp_db_setup, unit_temp_db_teardown),
        cmocka_unit_test_setup_teardown(catalog_reimport_keeps_scenarios_and_sketches,
                                        unit_temp_db_setup, unit_temp_db_teardown),
        cmocka_unit_test_setup_teardown(document_refs_are_checked_against_the_snapshot,
                                        unit_temp_db_setup, unit_temp_db_teardown),
        cmocka_unit_test(documents_normalise_with_default_kinds),
        cmocka_unit_test(layer_titles_are_kept),
        cmocka_unit_test(bad_documents_name_their_path),
        cmocka_unit_test(bad_geojson_names_feature_and_path),
        cmocka_unit_test(large_inputs_are_refused_with_their_caps),
        cmocka_unit_test_setup_teardown(geojson_multi_geometries_become_valid_wkb,
                                        unit_temp_db_setup, unit_temp_db_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
