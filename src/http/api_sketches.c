/* api_sketches.c - participants' sketches of a scenario. GET /scenarios/{scenarioId}/sketches
 * and .../sketches/{featureId} serve the scenario's sketch layer as its /collections items.
 * POST /scenarios/{scenarioId}/sketches takes a GeoJSON Feature or FeatureCollection (all
 * added or none); PUT and DELETE .../sketches/{featureId} move or edit one, or remove it.
 * Writes need a facilitator token (api_auth.h); the GeoJSON is checked against the
 * scenario's sketch kinds (sketch_geojson.h) and its geometry by SpatiaLite before anything
 * is written, and each write is one transaction that writes the sketch layer again, so
 * /collections/scenario-<id>-sketches shows the change on the next request. */
#include "http/api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/parse.h"
#include "http/api_common.h"
#include "http/api_auth.h"
#include "http/response.h"
#include "scenario/scenario_doc.h"
#include "scenario/sketch_geojson.h"
#include "store/store_scenario.h"
#include "base/utf8.h"

/* Reads: the scenario's sketch layer, served as any collection's items are. */

/* Points req->collection_id at the scenario's sketch layer ("scenario-<id>-sketches").
 * ERR_NOT_FOUND naming the scenario when the snapshot has no such layer. */
static int to_sketch_layer(struct request *req, struct err *err)
{
    char layer_id[STORE_SCENARIO_ID_MAX + 32];
    struct store_read *rd = NULL;
    int rc = request_store(req, &rd, err);
    if (rc != ERR_OK) {
        return rc;
    }
    store_scenario_layer_id(req->collection_id, layer_id, sizeof(layer_id));
    if (strlen(req->collection_id) > STORE_SCENARIO_ID_MAX ||
        store_read_layer(rd, layer_id) == NULL) {
        return err_set(err, ERR_NOT_FOUND, "there is no scenario '%s'; /scenarios lists them",
                       utf8_excerpt(req->collection_id, 60).text);
    }
    free(req->collection_id);
    req->collection_id = xstrdup(layer_id);
    return ERR_OK;
}

int api_sketches(struct request *req, struct response *resp, struct err *err)
{
    int rc = to_sketch_layer(req, err);
    return rc == ERR_OK ? api_items(req, resp, err) : rc;
}

int api_sketch(struct request *req, struct response *resp, struct err *err)
{
    int rc = to_sketch_layer(req, err);
    return rc == ERR_OK ? api_item(req, resp, err) : rc;
}

/* Writes */

/* The scenario's checked document (for its sketch kinds), as the request's snapshot has
 * it. ERR_NOT_FOUND naming the scenario. */
static int load_doc(struct request *req, struct scenario_doc *doc, struct err *err)
{
    struct store_read *rd = NULL;
    struct store_scenario s;
    memset(&s, 0, sizeof(s));
    int rc = request_store(req, &rd, err);
    if (rc == ERR_OK) {
        rc = store_scenario_get(rd, req->collection_id, &s, err);
    }
    if (rc == ERR_NOT_FOUND) {
        return err_set(err, ERR_NOT_FOUND, "there is no scenario '%s'; /scenarios lists them",
                       utf8_excerpt(req->collection_id, 60).text);
    }
    if (rc == ERR_OK) {
        struct err doc_err;
        if (scenario_doc_parse_text(s.doc, strlen(s.doc), s.id, doc, &doc_err) != ERR_OK) {
            rc = err_set(err, ERR_INTERNAL, "scenario '%s': the stored document fails: %s", s.id,
                         doc_err.msg);
        }
    }
    store_scenario_clear(&s);
    return rc;
}

/* {featureId} as a sketch id; an id that is no positive integer names no sketch. */
static int sketch_id_of(const struct request *req, int64_t *id, struct err *err)
{
    if (parse_int64(req->feature_id, 1, INT64_MAX, "featureId", id, err) != ERR_OK) {
        return err_set(err, ERR_NOT_FOUND, "scenario '%s' has no sketch '%s'",
                       utf8_excerpt(req->collection_id, 60).text,
                       utf8_excerpt(req->feature_id, 40).text);
    }
    return ERR_OK;
}

/* The i-th input feature's geometry (borrowed from list->json). */
static json_t *input_geometry(const struct sketch_list *list, size_t i)
{
    json_t *feature = list->is_collection
                          ? json_array_get(json_object_get(list->json, "features"), i)
                          : list->json;
    return json_object_get(feature, "geometry");
}

/* A stored sketch as the sketch layer serves it (id = sketch_id). */
static json_t *sketch_feature(const struct sketch_list *list, size_t i, int64_t id)
{
    const struct store_sketch *s = &list->items[i];
    json_t *properties = json_pack("{s:I, s:s, s:s?, s:s?}", "sketch_id", (json_int_t)id, "kind",
                                   s->kind, "note", s->note, "group_name", s->group_name);
    return json_pack("{s:s, s:I, s:O, s:o}", "type", "Feature", "id", (json_int_t)id, "geometry",
                     input_geometry(list, i), "properties", properties);
}

/* Parses the body against the scenario's kinds, opens the writer and checks every geometry
 * with SpatiaLite: on success the caller writes on *st and closes it. */
static int prepare(struct request *req, bool allow_collection, struct sketch_list *list,
                   struct store **st, struct err *err)
{
    struct scenario_doc doc;
    memset(&doc, 0, sizeof(doc));
    int rc = load_doc(req, &doc, err);
    if (rc == ERR_OK) {
        rc = sketch_geojson_parse_text(req->body != NULL ? req->body : "", req->body_len, &doc,
                                       allow_collection, list, err);
    }
    struct store_read *rd = NULL;
    if (rc == ERR_OK) {
        rc = request_store(req, &rd, err);
    }
    if (rc == ERR_OK) {
        rc = sketch_list_check_extent(list, store_read_city(rd), err);
    }
    scenario_doc_clear(&doc);
    if (rc == ERR_OK) {
        rc = request_open_writer(req, st, err);
    }
    if (rc == ERR_OK) {
        rc = sketch_list_check_valid(*st, list, err);
    }
    return rc;
}

/* Adds the header name (Location or Content-Location) with the URL of sketch id in the
 * scenario's sketch layer. */
static void add_item_header(const struct request *req, struct response *resp, const char *name,
                            int64_t id)
{
    char layer_id[STORE_SCENARIO_ID_MAX + 32];
    store_scenario_layer_id(req->collection_id, layer_id, sizeof(layer_id));
    char *href = xasprintf("%s/collections/%s/items/%lld", req->base_url, layer_id, (long long)id);
    response_add_header(resp, name, href);
    free(href);
}

/* 201: the created features with their ids, Location naming the first. */
static int answer_created(struct request *req, struct response *resp,
                          const struct sketch_list *list, const int64_t *ids, struct err *err)
{
    json_t *doc;
    if (list->is_collection) {
        json_t *features = json_array();
        for (size_t i = 0; i < list->n; i++) {
            json_array_append_new(features, sketch_feature(list, i, ids[i]));
        }
        doc = json_pack("{s:s, s:o, s:I}", "type", "FeatureCollection", "features", features,
                        "numberReturned", (json_int_t)list->n);
    } else {
        doc = sketch_feature(list, 0, ids[0]);
    }
    resp->status = 201;
    add_item_header(req, resp, "Location", ids[0]);
    return response_set_json(resp, doc, RESPONSE_TYPE_GEOJSON, err);
}

int api_sketches_add(struct request *req, struct response *resp, struct err *err)
{
    bool may_go = false;
    int rc = api_auth_begin_write(req, resp, true, &may_go, err);
    if (rc != ERR_OK || !may_go) {
        return rc;
    }
    struct sketch_list list;
    memset(&list, 0, sizeof(list));
    struct store *st = NULL;
    int64_t *ids = NULL;
    rc = prepare(req, true, &list, &st, err);
    if (rc == ERR_OK) {
        ids = xcalloc(list.n, sizeof(*ids));
        rc = store_sketches_add(st, req->collection_id, list.items, list.n, ids, err);
    }
    store_close(st);
    if (rc == ERR_OK) {
        rc = answer_created(req, resp, &list, ids, err);
    }
    free(ids);
    sketch_list_clear(&list);
    return rc;
}

int api_sketch_replace(struct request *req, struct response *resp, struct err *err)
{
    bool may_go = false;
    int64_t id = 0;
    int rc = api_auth_begin_write(req, resp, true, &may_go, err);
    if (rc != ERR_OK || !may_go) {
        return rc;
    }
    struct sketch_list list;
    memset(&list, 0, sizeof(list));
    struct store *st = NULL;
    rc = sketch_id_of(req, &id, err);
    if (rc == ERR_OK) {
        rc = prepare(req, false, &list, &st, err);
    }
    if (rc == ERR_OK) {
        rc = store_sketch_replace(st, req->collection_id, id, &list.items[0], err);
    }
    store_close(st);
    if (rc == ERR_OK) {
        add_item_header(req, resp, "Content-Location", id);
        rc = response_set_json(resp, sketch_feature(&list, 0, id), RESPONSE_TYPE_GEOJSON, err);
    }
    sketch_list_clear(&list);
    return rc;
}

int api_sketch_delete(struct request *req, struct response *resp, struct err *err)
{
    bool may_go = false;
    int64_t id = 0;
    int rc = api_auth_begin_write(req, resp, false, &may_go, err);
    if (rc != ERR_OK || !may_go) {
        return rc;
    }
    struct store *st = NULL;
    rc = sketch_id_of(req, &id, err);
    if (rc == ERR_OK) {
        rc = request_open_writer(req, &st, err);
    }
    if (rc == ERR_OK) {
        rc = store_sketch_delete(st, req->collection_id, id, err);
    }
    store_close(st);
    if (rc == ERR_OK) {
        resp->status = 204;
    }
    return rc;
}
