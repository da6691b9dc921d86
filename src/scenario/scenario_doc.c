/* scenario_doc.c - checking a scenario document member by member, each error naming its
 * JSON path, and building the normalised document the store keeps. */
#include "scenario/scenario_doc.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/parse.h"
#include "cql2/cql2.h"
#include "scenario/scenario_path.h"
#include "store/store_scenario.h"
#include "styles/style_load.h"
#include "base/utf8.h"

static const char *const default_kinds[][4] = {
    {"proposal", "ข้อเสนอ", "Proposal", "#0072B2"},
    {"problem", "ปัญหา", "Problem", "#D55E00"},
    {"asset", "ทุนของเมือง", "Asset", "#009E73"},
};

/* Small members */

static int check_slug(struct scenario_path *p, const json_t *v, size_t max)
{
    const char *s = json_string_value(v);
    if (s == NULL || strlen(s) > max || !parse_is_slug(s)) {
        return scenario_path_fail(p, "expected an id of 1 to %zu characters a-z, 0-9 and '-'", max);
    }
    return ERR_OK;
}

/* {"th": ..., "en": ...}: both strings of 1..max characters. */
static int check_text_pair(struct scenario_path *p, const json_t *v, size_t max)
{
    static const char *const keys[] = {"th", "en", NULL};
    if (!json_is_object(v)) {
        return scenario_path_fail(p, "expected {\"th\": \"...\", \"en\": \"...\"}");
    }
    int rc = scenario_path_check_keys(p, v, keys);
    for (size_t i = 0; rc == ERR_OK && keys[i] != NULL; i++) {
        size_t saved = scenario_path_key(p, keys[i]);
        rc = scenario_path_check_text(p, json_object_get(v, keys[i]), 1, max);
        scenario_path_pop(p, saved);
    }
    return rc;
}

static int check_extent(struct scenario_path *p, const json_t *v)
{
    if (!json_is_array(v) || json_array_size(v) != 4) {
        return scenario_path_fail(p, "expected [min_lon, min_lat, max_lon, max_lat]");
    }
    static const double sane[4] = {SCENARIO_SANE_MIN_LON, SCENARIO_SANE_MIN_LAT,
                                   SCENARIO_SANE_MAX_LON, SCENARIO_SANE_MAX_LAT};
    for (size_t i = 0; i < 4; i++) {
        const json_t *n = json_array_get(v, i);
        size_t saved = scenario_path_index(p, i);
        double d = json_number_value(n);
        bool is_lon = i % 2 == 0;
        if (!json_is_number(n) || !isfinite(d)) {
            return scenario_path_fail(p, "expected a number");
        }
        if (d < sane[is_lon ? 0 : 1] || d > sane[is_lon ? 2 : 3]) {
            return scenario_path_fail(p, "%s %g is out of range (%g to %g)",
                                      is_lon ? "longitude" : "latitude", d, sane[is_lon ? 0 : 1],
                                      sane[is_lon ? 2 : 3]);
        }
        scenario_path_pop(p, saved);
    }
    for (size_t i = 0; i < 2; i++) {
        if (json_number_value(json_array_get(v, i)) >=
            json_number_value(json_array_get(v, i + 2))) {
            return scenario_path_fail(p, "the minimum %s must be below the maximum",
                                      i == 0 ? "longitude" : "latitude");
        }
    }
    return ERR_OK;
}

/* Style overrides: each property is checked by the style checker, in a one-layer style of
 * the layer type the property belongs to, and its message is moved onto our path. */

static const char *prop_layer_type(const char *name)
{
    static const char *const prefixes[][2] = {
        {"fill-", "fill"}, {"line-", "line"}, {"circle-", "circle"}, {"text-", "symbol"}};
    for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
        if (strncmp(name, prefixes[i][0], strlen(prefixes[i][0])) == 0) {
            return prefixes[i][1];
        }
    }
    return strcmp(name, "visibility") == 0 ? "line" : NULL;
}

static int check_style_prop(struct scenario_path *p, const char *member, const char *name,
                            json_t *value)
{
    const char *type = prop_layer_type(name);
    if (type == NULL) {
        return scenario_path_fail(p, "unsupported property (styles/README.md lists the "
                                     "supported ones)");
    }
    json_t *layer = json_pack("{s:s, s:s, s:{s:O}}", "id", "o", "type", type, member, name, value);
    if (strcmp(type, "symbol") == 0 && strcmp(name, "text-field") != 0) {
        json_t *layout = json_object_get(layer, "layout");
        if (layout == NULL) {
            layout = json_object();
            json_object_set_new(layer, "layout", layout);
        }
        json_object_set_new(layout, "text-field", json_string("name"));
    }
    json_t *style = json_pack("{s:i, s:{s:s}, s:[o]}", "version", 8, "metadata", STYLE_META_LAYER,
                              "o", "layers", layer);
    struct err e;
    int rc = style_check(style, "o", &e);
    json_decref(style);
    if (rc != ERR_OK) {
        /* "o: layers[0].paint.line-width: why" -> "<our path>: why" */
        const char *why = strstr(e.msg, ": ");
        why = why != NULL ? strstr(why + 2, ": ") : NULL;
        return scenario_path_fail(p, "%s", why != NULL ? why + 2 : e.msg);
    }
    return ERR_OK;
}

static int check_style(struct scenario_path *p, const json_t *style)
{
    static const char *const keys[] = {"paint", "layout", NULL};
    if (!json_is_object(style)) {
        return scenario_path_fail(p, "expected {\"paint\": {...}, \"layout\": {...}}");
    }
    int rc = scenario_path_check_keys(p, style, keys);
    for (size_t m = 0; rc == ERR_OK && keys[m] != NULL; m++) {
        json_t *obj = json_object_get(style, keys[m]);
        if (obj == NULL) {
            continue;
        }
        size_t saved = scenario_path_key(p, keys[m]);
        if (!json_is_object(obj)) {
            return scenario_path_fail(p, "expected an object");
        }
        const char *name;
        json_t *value;
        json_object_foreach(obj, name, value)
        {
            size_t at = scenario_path_key(p, name);
            rc = check_style_prop(p, keys[m], name, value);
            if (rc != ERR_OK) {
                return rc;
            }
            scenario_path_pop(p, at);
        }
        scenario_path_pop(p, saved);
    }
    return rc;
}

static int check_layer(struct scenario_path *p, const json_t *layer, json_t *norm)
{
    static const char *const keys[] = {"collection", "title", "filter", "style", NULL};
    if (!json_is_object(layer)) {
        return scenario_path_fail(p, "expected {\"collection\": \"...\"}");
    }
    int rc = scenario_path_check_keys(p, layer, keys);
    size_t saved = scenario_path_key(p, "collection");
    if (rc == ERR_OK) {
        rc = check_slug(p, json_object_get(layer, "collection"), PARSE_SLUG_MAX_LEN);
    }
    scenario_path_pop(p, saved);
    /* The layer's name in this scenario (a legend's "markets", not the catalog's "landmarks") */
    const json_t *title = json_object_get(layer, "title");
    if (rc == ERR_OK && title != NULL) {
        saved = scenario_path_key(p, "title");
        rc = check_text_pair(p, title, SCENARIO_TITLE_MAX);
        scenario_path_pop(p, saved);
    }
    const json_t *filter = json_object_get(layer, "filter");
    if (rc == ERR_OK && filter != NULL) {
        saved = scenario_path_key(p, "filter");
        struct cql2_node *tree = NULL;
        struct err e;
        if (!json_is_string(filter)) {
            rc = scenario_path_fail(p, "expected CQL2 text");
        } else if (cql2_parse(json_string_value(filter), &tree, &e) != ERR_OK) {
            rc = scenario_path_fail(p, "%s", e.msg);
        }
        cql2_free(tree);
        scenario_path_pop(p, saved);
    }
    const json_t *style = json_object_get(layer, "style");
    if (rc == ERR_OK && style != NULL) {
        saved = scenario_path_key(p, "style");
        rc = check_style(p, style);
        scenario_path_pop(p, saved);
    }
    if (rc == ERR_OK) {
        json_t *out = json_pack("{s:O}", "collection", json_object_get(layer, "collection"));
        if (title != NULL) {
            json_object_set_new(out, "title", json_deep_copy(title));
        }
        if (filter != NULL) {
            json_object_set(out, "filter", (json_t *)filter);
        }
        if (style != NULL) {
            json_object_set_new(out, "style", json_deep_copy(style));
        }
        json_array_append_new(norm, out);
    }
    return rc;
}

static int check_layers(struct scenario_path *p, const json_t *v, json_t *norm)
{
    if (!json_is_array(v) || json_array_size(v) > SCENARIO_MAX_LAYERS) {
        return scenario_path_fail(p, "expected an array of at most %d layers", SCENARIO_MAX_LAYERS);
    }
    for (size_t i = 0; i < json_array_size(v); i++) {
        size_t saved = scenario_path_index(p, i);
        int rc = check_layer(p, json_array_get(v, i), norm);
        if (rc != ERR_OK) {
            return rc;
        }
        scenario_path_pop(p, saved);
    }
    return ERR_OK;
}

/* An array of distinct slugs (statistics), at most max. */
static int check_id_list(struct scenario_path *p, const json_t *v, size_t max)
{
    if (!json_is_array(v) || json_array_size(v) > max) {
        return scenario_path_fail(p, "expected an array of at most %zu ids", max);
    }
    for (size_t i = 0; i < json_array_size(v); i++) {
        size_t saved = scenario_path_index(p, i);
        int rc = check_slug(p, json_array_get(v, i), PARSE_SLUG_MAX_LEN);
        for (size_t j = 0; rc == ERR_OK && j < i; j++) {
            if (json_equal(json_array_get(v, j), json_array_get(v, i))) {
                rc = scenario_path_fail(p, "'%s' is listed twice",
                                        json_string_value(json_array_get(v, i)));
            }
        }
        if (rc != ERR_OK) {
            return rc;
        }
        scenario_path_pop(p, saved);
    }
    return ERR_OK;
}

static int check_kind(struct scenario_path *p, const json_t *kind)
{
    static const char *const keys[] = {"id", "title", "color", NULL};
    if (!json_is_object(kind)) {
        return scenario_path_fail(p, "expected {\"id\", \"title\", \"color\"}");
    }
    int rc = scenario_path_check_keys(p, kind, keys);
    size_t saved = scenario_path_key(p, "id");
    if (rc == ERR_OK) {
        rc = check_slug(p, json_object_get(kind, "id"), STORE_SKETCH_KIND_MAX);
    }
    scenario_path_pop(p, saved);
    saved = scenario_path_key(p, "title");
    if (rc == ERR_OK) {
        rc = check_text_pair(p, json_object_get(kind, "title"), SCENARIO_TITLE_MAX);
    }
    scenario_path_pop(p, saved);
    saved = scenario_path_key(p, "color");
    const char *color = json_string_value(json_object_get(kind, "color"));
    if (rc == ERR_OK && (color == NULL || strlen(color) != 7 || color[0] != '#' ||
                         strspn(color + 1, "0123456789abcdefABCDEF") != 6)) {
        rc = scenario_path_fail(p, "expected a colour \"#rrggbb\"");
    }
    scenario_path_pop(p, saved);
    return rc;
}

static int check_kinds(struct scenario_path *p, const json_t *v)
{
    if (!json_is_array(v) || json_array_size(v) == 0 || json_array_size(v) > SCENARIO_MAX_KINDS) {
        return scenario_path_fail(p, "expected an array of 1 to %d kinds", SCENARIO_MAX_KINDS);
    }
    for (size_t i = 0; i < json_array_size(v); i++) {
        size_t saved = scenario_path_index(p, i);
        int rc = check_kind(p, json_array_get(v, i));
        const json_t *id = json_object_get(json_array_get(v, i), "id");
        for (size_t j = 0; rc == ERR_OK && j < i; j++) {
            if (json_equal(json_object_get(json_array_get(v, j), "id"), id)) {
                scenario_path_key(p, "id");
                rc = scenario_path_fail(p, "'%s' is also the id of sketch_kinds[%zu]",
                                        json_string_value(id), j);
            }
        }
        if (rc != ERR_OK) {
            return rc;
        }
        scenario_path_pop(p, saved);
    }
    return ERR_OK;
}

json_t *scenario_doc_default_kinds(void)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < sizeof(default_kinds) / sizeof(default_kinds[0]); i++) {
        json_array_append_new(arr, json_pack("{s:s, s:{s:s, s:s}, s:s}", "id", default_kinds[i][0],
                                             "title", "th", default_kinds[i][1], "en",
                                             default_kinds[i][2], "color", default_kinds[i][3]));
    }
    return arr;
}

/* The whole document */

/* The id: from the document, or from the URL when the document has none. */
static int check_id(struct scenario_path *p, const json_t *root, const char *id_from_url,
                    json_t *norm)
{
    const json_t *id = json_object_get(root, "id");
    size_t saved = scenario_path_key(p, "id");
    int rc = ERR_OK;
    if (id == NULL && id_from_url == NULL) {
        rc = scenario_path_fail(p, "required");
    } else if (id != NULL) {
        rc = check_slug(p, id, SCENARIO_ID_MAX);
        if (rc == ERR_OK && id_from_url != NULL &&
            strcmp(json_string_value(id), id_from_url) != 0) {
            rc = scenario_path_fail(p, "'%s' is not the scenario of the URL ('%s')",
                                    json_string_value(id), id_from_url);
        }
    } else if (strlen(id_from_url) > SCENARIO_ID_MAX || !parse_is_slug(id_from_url)) {
        rc = scenario_path_fail(p, "expected an id of 1 to %d characters a-z, 0-9 and '-'",
                                SCENARIO_ID_MAX);
    }
    scenario_path_pop(p, saved);
    if (rc == ERR_OK) {
        json_object_set_new(norm, "id",
                            json_string(id != NULL ? json_string_value(id) : id_from_url));
    }
    return rc;
}

/* Checks root's member key with check (when present, or always when required) and copies
 * it into norm. */
static int check_member(struct scenario_path *p, const json_t *root, const char *key, bool required,
                        int (*check)(struct scenario_path *, const json_t *), json_t *norm)
{
    const json_t *v = json_object_get(root, key);
    size_t saved = scenario_path_key(p, key);
    int rc = ERR_OK;
    if (v == NULL && required) {
        rc = scenario_path_fail(p, "required");
    } else if (v != NULL) {
        rc = check(p, v);
        if (rc == ERR_OK) {
            json_object_set_new(norm, key, json_deep_copy(v));
        }
    }
    scenario_path_pop(p, saved);
    return rc;
}

static int check_title(struct scenario_path *p, const json_t *v)
{
    return check_text_pair(p, v, SCENARIO_TITLE_MAX);
}

static int check_narrative(struct scenario_path *p, const json_t *v)
{
    return check_text_pair(p, v, SCENARIO_NARRATIVE_MAX);
}

static int check_example(struct scenario_path *p, const json_t *v)
{
    return json_is_boolean(v) ? ERR_OK : scenario_path_fail(p, "expected true or false");
}

static int check_statistics(struct scenario_path *p, const json_t *v)
{
    return check_id_list(p, v, SCENARIO_MAX_STATISTICS);
}

static int check_root(struct scenario_path *p, const json_t *root, const char *id_from_url,
                      json_t *norm)
{
    static const char *const keys[] = {"id",     "title",      "narrative",    "example", "extent",
                                       "layers", "statistics", "sketch_kinds", NULL};
    if (!json_is_object(root)) {
        return scenario_path_fail(p, "expected a scenario object");
    }
    int rc = scenario_path_check_keys(p, root, keys);
    if (rc == ERR_OK) {
        rc = check_id(p, root, id_from_url, norm);
    }
    if (rc == ERR_OK) {
        rc = check_member(p, root, "title", true, check_title, norm);
    }
    if (rc == ERR_OK) {
        rc = check_member(p, root, "narrative", true, check_narrative, norm);
    }
    if (rc == ERR_OK) {
        rc = check_member(p, root, "example", false, check_example, norm);
    }
    if (rc == ERR_OK) {
        rc = check_member(p, root, "extent", true, check_extent, norm);
    }
    json_t *layers = json_array();
    json_object_set_new(norm, "layers", layers);
    const json_t *v = json_object_get(root, "layers");
    if (rc == ERR_OK && v != NULL) {
        size_t saved = scenario_path_key(p, "layers");
        rc = check_layers(p, v, layers);
        scenario_path_pop(p, saved);
    }
    if (rc == ERR_OK) {
        json_object_set_new(norm, "statistics", json_array());
        rc = check_member(p, root, "statistics", false, check_statistics, norm);
    }
    if (rc == ERR_OK) {
        json_object_set_new(norm, "sketch_kinds", scenario_doc_default_kinds());
        rc = check_member(p, root, "sketch_kinds", false, check_kinds, norm);
    }
    return rc;
}

/* Points the struct's fields into the normalised JSON (which has every member). */
static void fill_doc(struct scenario_doc *d)
{
    json_t *j = d->json;
    d->id = json_string_value(json_object_get(j, "id"));
    d->title.th = json_string_value(json_object_get(json_object_get(j, "title"), "th"));
    d->title.en = json_string_value(json_object_get(json_object_get(j, "title"), "en"));
    d->narrative.th = json_string_value(json_object_get(json_object_get(j, "narrative"), "th"));
    d->narrative.en = json_string_value(json_object_get(json_object_get(j, "narrative"), "en"));
    d->is_example = json_is_true(json_object_get(j, "example"));
    for (size_t i = 0; i < 4; i++) {
        d->extent[i] = json_number_value(json_array_get(json_object_get(j, "extent"), i));
    }
    const json_t *layers = json_object_get(j, "layers");
    d->n_layers = json_array_size(layers);
    d->layers = xcalloc(d->n_layers + 1, sizeof(*d->layers));
    for (size_t i = 0; i < d->n_layers; i++) {
        const json_t *l = json_array_get(layers, i);
        d->layers[i].collection = json_string_value(json_object_get(l, "collection"));
        d->layers[i].title.th =
            json_string_value(json_object_get(json_object_get(l, "title"), "th"));
        d->layers[i].title.en =
            json_string_value(json_object_get(json_object_get(l, "title"), "en"));
        d->layers[i].filter = json_string_value(json_object_get(l, "filter"));
        d->layers[i].style = json_object_get(l, "style");
    }
    const json_t *stats = json_object_get(j, "statistics");
    d->n_statistics = json_array_size(stats);
    d->statistics = xcalloc(d->n_statistics + 1, sizeof(*d->statistics));
    for (size_t i = 0; i < d->n_statistics; i++) {
        d->statistics[i] = json_string_value(json_array_get(stats, i));
    }
    const json_t *kinds = json_object_get(j, "sketch_kinds");
    d->n_kinds = json_array_size(kinds);
    d->kinds = xcalloc(d->n_kinds + 1, sizeof(*d->kinds));
    for (size_t i = 0; i < d->n_kinds; i++) {
        const json_t *k = json_array_get(kinds, i);
        d->kinds[i].id = json_string_value(json_object_get(k, "id"));
        d->kinds[i].title.th =
            json_string_value(json_object_get(json_object_get(k, "title"), "th"));
        d->kinds[i].title.en =
            json_string_value(json_object_get(json_object_get(k, "title"), "en"));
        d->kinds[i].color = json_string_value(json_object_get(k, "color"));
    }
}

int scenario_doc_parse(const json_t *root, const char *id_from_url, struct scenario_doc *out,
                       struct err *err)
{
    memset(out, 0, sizeof(*out));
    struct scenario_path p = {.err = err};
    json_t *norm = json_object();
    json_object_set_new(norm, "example", json_false());
    int rc = check_root(&p, root, id_from_url, norm);
    if (rc != ERR_OK) {
        json_decref(norm);
        return rc;
    }
    /* Fixed key order: the same document always dumps to the same text. */
    static const char *const order[] = {"id",     "title",      "narrative",    "example", "extent",
                                        "layers", "statistics", "sketch_kinds", NULL};
    out->json = json_object();
    for (size_t i = 0; order[i] != NULL; i++) {
        json_object_set(out->json, order[i], json_object_get(norm, order[i]));
    }
    json_decref(norm);
    fill_doc(out);
    return ERR_OK;
}

int scenario_doc_parse_text(const char *text, size_t len, const char *id_from_url,
                            struct scenario_doc *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    if (len > SCENARIO_DOC_MAX_BYTES) {
        return err_set(err, ERR_TOO_LARGE, "the scenario document is larger than %d bytes",
                       SCENARIO_DOC_MAX_BYTES);
    }
    json_error_t jerr;
    size_t bom = utf8_bom_len(text, len);
    json_t *root = json_loadb(text + bom, len - bom, JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL) {
        return err_set(err, ERR_INVALID, "not JSON: line %d column %d: %s", jerr.line, jerr.column,
                       jerr.text);
    }
    int rc = scenario_doc_parse(root, id_from_url, out, err);
    json_decref(root);
    return rc;
}

void scenario_doc_clear(struct scenario_doc *doc)
{
    json_decref(doc->json);
    free(doc->layers);
    free(doc->statistics);
    free(doc->kinds);
    memset(doc, 0, sizeof(*doc));
}

char *scenario_doc_dump(const struct scenario_doc *doc)
{
    return json_dumps(doc->json, JSON_COMPACT | JSON_PRESERVE_ORDER);
}

const struct scenario_kind *scenario_doc_kind(const struct scenario_doc *doc, const char *id)
{
    for (size_t i = 0; i < doc->n_kinds; i++) {
        if (strcmp(doc->kinds[i].id, id) == 0) {
            return &doc->kinds[i];
        }
    }
    return NULL;
}

static const struct store_layer *find_layer(const struct store_catalog *cat, const char *id)
{
    for (size_t i = 0; i < cat->n_layers; i++) {
        if (strcmp(cat->layers[i].id, id) == 0) {
            return &cat->layers[i];
        }
    }
    return NULL;
}

static int check_layer_ref(const struct scenario_layer *l, size_t i,
                           const struct store_catalog *cat, struct err *err)
{
    const struct store_layer *layer = find_layer(cat, l->collection);
    if (layer == NULL) {
        return err_set(err, ERR_INVALID, "layers[%zu].collection: no layer '%s'", i, l->collection);
    }
    if (l->filter == NULL) {
        return ERR_OK;
    }
    struct cql2_node *tree = NULL;
    int rc = cql2_parse(l->filter, &tree, err);
    if (rc == ERR_OK) {
        rc = store_layer_filter_check(layer, tree, err);
    }
    cql2_free(tree);
    if (rc != ERR_OK) {
        /* The items query's messages start with "filter: "; ours names the member. */
        if (strncmp(err->msg, "filter: ", 8) == 0) {
            memmove(err->msg, err->msg + 8, strlen(err->msg + 8) + 1);
        }
        return err_prefix(err, "layers[%zu].filter", i);
    }
    return ERR_OK;
}

int scenario_city_check(const struct store_city *city, bool is_lon, double v, const char *path,
                        struct err *err)
{
    if (city == NULL || !city->has_extent) {
        return ERR_OK;
    }
    double lo = city->extent[is_lon ? 0 : 1], hi = city->extent[is_lon ? 2 : 3];
    if (v >= lo && v <= hi) {
        return ERR_OK;
    }
    return err_set(err, ERR_INVALID, "%s: %s %g is outside the extent of %s (%g to %g)", path,
                   is_lon ? "longitude" : "latitude", v, city->title_en, lo, hi);
}

int scenario_doc_check_refs(const struct scenario_doc *doc, const struct store_catalog *cat,
                            const struct store_featured *featured, size_t n_featured,
                            struct err *err)
{
    for (size_t i = 0; i < 4; i++) {
        char path[16];
        snprintf(path, sizeof(path), "extent[%zu]", i);
        if (scenario_city_check(cat->city, i % 2 == 0, doc->extent[i], path, err) != ERR_OK) {
            return ERR_INVALID;
        }
    }
    for (size_t i = 0; i < doc->n_layers; i++) {
        int rc = check_layer_ref(&doc->layers[i], i, cat, err);
        if (rc != ERR_OK) {
            return rc;
        }
    }
    for (size_t i = 0; i < doc->n_statistics; i++) {
        size_t j = 0;
        while (j < n_featured && strcmp(featured[j].id, doc->statistics[i]) != 0) {
            j++;
        }
        if (j == n_featured) {
            return err_set(err, ERR_INVALID, "statistics[%zu]: no featured statistic '%s'", i,
                           doc->statistics[i]);
        }
    }
    return ERR_OK;
}
