/* scenario_bundle.c - the GeoPackage spec of a scenario: its layers and visible sketches
 * (a table per shape, kind titles, QGIS styles) clipped to its extent, and its metadata
 * rows. */
#include "scenario/scenario_bundle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"
#include "base/log.h"
#include "cql2/cql2.h"
#include "export/export_gpkg.h"
#include "scenario/scenario_doc.h"
#include "scenario/sketch_notes.h"
#include "scenario/sketch_qgis_style.h"
#include "store/store_scenario.h"
#include "base/utf8.h"

#define BUNDLE_N_META 12

/* The sketch tables' parts: one table per shape, with the kinds' titles beside their ids
 * and each table's QGIS style. */
struct bundle_sketches {
    struct cql2_node *visible; /* sketch_visible_filter */
    const char **kind_ids, **titles_th, **titles_en;
    struct export_gpkg_lookup lookups[2];
    struct export_gpkg_style styles[3];
    char *texts[6];  /* the QML and SLD of each shape */
    char *titles[3]; /* each table's title: GeoPackage identifiers are unique */
};

struct bundle {
    struct store_scenario stored;
    struct scenario_doc doc;
    struct export_gpkg_layer *layers;
    struct cql2_node **filters;
    char **names; /* owned table names */
    size_t n_layers;
    struct bundle_sketches sketches;
    struct export_gpkg_meta meta[BUNDLE_N_META];
    char *meta_texts[BUNDLE_N_META]; /* owned values */
    size_t n_meta;
    struct export_gpkg_spec spec;
};

/* A table name not used yet in the bundle: the layer id, or id-2, id-3... when a scenario
 * shows one layer twice (with two filters). */
static char *table_name(const struct bundle *b, const char *id)
{
    char *name = xstrdup(id);
    for (int k = 2; k < 100; k++) {
        bool is_taken = false;
        for (size_t i = 0; i < b->n_layers && !is_taken; i++) {
            is_taken = strcmp(b->names[i], name) == 0;
        }
        if (!is_taken) {
            break;
        }
        free(name);
        name = xasprintf("%s-%d", id, k);
    }
    return name;
}

static void add_layer(struct bundle *b, const struct store_layer *l, struct cql2_node *filter)
{
    size_t k = b->n_layers;
    b->names[k] = table_name(b, l->id);
    b->filters[k] = filter;
    b->layers[k] = (struct export_gpkg_layer){.layer = l,
                                              .filter = filter,
                                              .out_name = b->names[k],
                                              .title = l->title_en,
                                              .description = l->description_en};
    b->n_layers++;
}

/* The kinds' titles as the sketch tables' lookup columns kind_title_th and kind_title_en. */
static void kind_lookups(struct bundle *b)
{
    struct bundle_sketches *sk = &b->sketches;
    size_t n = b->doc.n_kinds;
    sk->kind_ids = xcalloc(n + 1, sizeof(char *));
    sk->titles_th = xcalloc(n + 1, sizeof(char *));
    sk->titles_en = xcalloc(n + 1, sizeof(char *));
    for (size_t i = 0; i < n; i++) {
        const struct scenario_kind *k = &b->doc.kinds[i];
        sk->kind_ids[i] = k->id;
        sk->titles_th[i] = k->title.th != NULL ? k->title.th : (k->title.en ? k->title.en : "");
        sk->titles_en[i] = k->title.en != NULL ? k->title.en : sk->titles_th[i];
    }
    sk->lookups[0] =
        (struct export_gpkg_lookup){"kind_title_th", "kind", sk->kind_ids, sk->titles_th, n};
    sk->lookups[1] =
        (struct export_gpkg_lookup){"kind_title_en", "kind", sk->kind_ids, sk->titles_en, n};
}

/* The visible sketches as three tables, one per shape ("<sketch layer>-points", "-lines",
 * "-polygons"), since QGIS shows one geometry type per table, each with its style. */
static int add_sketch_tables(struct bundle *b, const struct store_layer *sketches, struct err *err)
{
    static const char *const suffixes[] = {"points", "lines", "polygons"};
    static const enum export_gpkg_shape shapes[] = {EXPORT_GPKG_POINTS, EXPORT_GPKG_LINES,
                                                    EXPORT_GPKG_POLYGONS};
    struct bundle_sketches *sk = &b->sketches;
    int rc = sketch_visible_filter(sketches, &sk->visible, err);
    if (rc != ERR_OK) {
        return err_prefix(err, "scenario %s: sketches", b->doc.id);
    }
    kind_lookups(b);
    for (int i = 0; i < 3; i++) {
        size_t k = b->n_layers;
        add_layer(b, sketches, NULL);
        free(b->names[k]);
        b->names[k] = xasprintf("%s-%s", sketches->id, suffixes[i]);
        sk->texts[2 * i] = sketch_qgis_qml(&b->doc, (enum sketch_shape)i);
        sk->texts[2 * i + 1] = sketch_qgis_sld(&b->doc, (enum sketch_shape)i, b->names[k]);
        sk->styles[i] =
            (struct export_gpkg_style){b->names[k], sk->texts[2 * i], sk->texts[2 * i + 1]};
        struct export_gpkg_layer *l = &b->layers[k];
        sk->titles[i] = xasprintf(
            "%s (%s)", sketches->title_en != NULL ? sketches->title_en : sketches->id, suffixes[i]);
        l->title = sk->titles[i];
        l->out_name = b->names[k];
        l->filter = sk->visible;
        l->shape = shapes[i];
        l->lookups = sk->lookups;
        l->n_lookups = 2;
        l->style = &sk->styles[i];
    }
    return ERR_OK;
}

static int add_layers(struct bundle *b, struct store_read *rd, struct err *err)
{
    for (size_t i = 0; i < b->doc.n_layers; i++) {
        const struct scenario_layer *sl = &b->doc.layers[i];
        const struct store_layer *l = store_read_layer(rd, sl->collection);
        if (l == NULL) {
            log_warn("scenario %s: layer '%s' is not in the database: left out of the bundle",
                     b->doc.id, sl->collection);
            continue;
        }
        struct cql2_node *filter = NULL;
        if (sl->filter != NULL && cql2_parse(sl->filter, &filter, err) != ERR_OK) {
            return err_prefix(err, "scenario layer %s: filter", l->id);
        }
        add_layer(b, l, filter);
    }
    const struct store_layer *sketches = store_read_layer(rd, b->stored.sketch_layer_id);
    return sketches != NULL ? add_sketch_tables(b, sketches, err) : ERR_OK;
}

static void meta(struct bundle *b, const char *key, char *owned_value)
{
    b->meta_texts[b->n_meta] = owned_value;
    b->meta[b->n_meta] = (struct export_gpkg_meta){key, owned_value};
    b->n_meta++;
}

static char *json_text(json_t *value)
{
    char *text = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY);
    json_decref(value);
    return text;
}

/* Every source of the bundle's layers: "title: attribution (licence)" as a JSON array. */
static char *sources_text(const struct bundle *b)
{
    json_t *list = json_array();
    for (size_t i = 0; i < b->n_layers; i++) {
        const struct store_layer *l = b->layers[i].layer;
        if (i > 0 && b->layers[i - 1].layer == l) {
            continue; /* the sketch tables: one layer, credited once */
        }
        json_array_append_new(list, json_pack("{s:s, s:s?, s:s?, s:s?, s:s?}", "layer", l->id,
                                              "title", l->title_en, "attribution", l->attribution,
                                              "license", l->license, "source_url", l->source_url));
    }
    return json_text(list);
}

static void add_metadata(struct bundle *b)
{
    const struct scenario_doc *d = &b->doc;
    char now[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm);
    json_t *stats = json_array();
    for (size_t i = 0; i < d->n_statistics; i++) {
        json_array_append_new(stats, json_string(d->statistics[i]));
    }
    meta(b, "id", xstrdup(d->id));
    meta(b, "title_th", xstrdup(d->title.th));
    meta(b, "title_en", xstrdup(d->title.en));
    meta(b, "narrative_th", xstrdup(d->narrative.th));
    meta(b, "narrative_en", xstrdup(d->narrative.en));
    meta(b, "example", xstrdup(d->is_example ? "true" : "false"));
    meta(b, "extent",
         json_text(
             json_pack("[f, f, f, f]", d->extent[0], d->extent[1], d->extent[2], d->extent[3])));
    meta(b, "statistics", json_text(stats));
    meta(b, "layers", json_text(json_deep_copy(json_object_get(d->json, "layers"))));
    meta(b, "sources", sources_text(b));
    meta(b, "exported_at", xstrdup(now));
    meta(b, "document", json_text(json_deep_copy(d->json)));
}

static int bundle_open(struct bundle *b, struct store_read *rd, const char *id, struct err *err)
{
    memset(b, 0, sizeof(*b));
    int rc = store_scenario_get(rd, id, &b->stored, err);
    if (rc == ERR_NOT_FOUND) {
        return err_set(err, ERR_NOT_FOUND, "there is no scenario '%s'", utf8_excerpt(id, 60).text);
    }
    if (rc == ERR_OK) {
        rc = scenario_doc_parse_text(b->stored.doc, strlen(b->stored.doc), id, &b->doc, err);
    }
    if (rc != ERR_OK) {
        return rc;
    }
    size_t n = b->doc.n_layers + 3;
    b->layers = xcalloc(n, sizeof(*b->layers));
    b->filters = xcalloc(n, sizeof(*b->filters));
    b->names = xcalloc(n, sizeof(*b->names));
    rc = add_layers(b, rd, err);
    if (rc != ERR_OK) {
        return rc;
    }
    add_metadata(b);
    b->spec = (struct export_gpkg_spec){.has_extent = true,
                                        .layers = b->layers,
                                        .n_layers = b->n_layers,
                                        .metadata_table = SCENARIO_BUNDLE_TABLE,
                                        .metadata = b->meta,
                                        .n_metadata = b->n_meta};
    memcpy(b->spec.extent, b->doc.extent, sizeof(b->spec.extent));
    return ERR_OK;
}

static void bundle_close(struct bundle *b)
{
    for (size_t i = 0; i < b->n_layers; i++) {
        cql2_free(b->filters[i]);
        free(b->names[i]);
    }
    for (size_t i = 0; i < b->n_meta; i++) {
        free(b->meta_texts[i]);
    }
    cql2_free(b->sketches.visible);
    free(b->sketches.kind_ids);
    free(b->sketches.titles_th);
    free(b->sketches.titles_en);
    for (size_t i = 0; i < 6; i++) {
        free(b->sketches.texts[i]);
    }
    for (size_t i = 0; i < 3; i++) {
        free(b->sketches.titles[i]);
    }
    free(b->layers);
    free(b->filters);
    free(b->names);
    scenario_doc_clear(&b->doc);
    store_scenario_clear(&b->stored);
}

int scenario_bundle_write(struct store_read *rd, const char *id, const char *out_path,
                          struct err *err)
{
    struct bundle b;
    int rc = bundle_open(&b, rd, id, err);
    if (rc == ERR_OK) {
        rc = export_gpkg_write(rd, &b.spec, out_path, err);
    }
    bundle_close(&b);
    return rc;
}

int scenario_bundle_to_buf(struct store_read *rd, const char *id, struct buf *out, struct err *err)
{
    struct bundle b;
    int rc = bundle_open(&b, rd, id, err);
    if (rc == ERR_OK) {
        rc = export_gpkg_to_buf(rd, &b.spec, out, err);
    }
    bundle_close(&b);
    return rc;
}
