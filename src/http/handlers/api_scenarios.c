/* api_scenarios.c - "/scenarios" (GET the list, POST a new scenario) and
 * "/scenarios/{scenarioId}" (GET, PUT to replace, DELETE): workshop scenarios as JSON
 * documents. Reads are public metadata documents (ETag by the registry generation, which
 * every scenario write moves); writes need a facilitator token (api_auth.h), are checked
 * strictly (scenario_doc.h, with the layers and featured statistics the document names
 * checked against the snapshot) and go to the database as one transaction each, so a
 * refused request changes nothing. Sketch writes are in api_sketches.c. */
#include "http/handlers/api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "http/handlers/api_auth.h"
#include "http/transport/api_common.h"
#include "http/handlers/api_maps.h"
#include "http/transport/live_hub.h"
#include "http/transport/response.h"
#include "scenario/scenario_doc.h"
#include "store/store_scenario.h"
#include "base/utf8.h"

/* Reads */

static int negotiate(const struct request *req, enum http_lang *lang, struct err *err)
{
    enum http_format format;
    int rc = api_check_params(req, err);
    if (rc == ERR_OK) {
        rc = request_format(req, 1u << HTTP_FORMAT_JSON, &format, err);
    }
    return rc == ERR_OK ? request_lang(req, lang, err) : rc;
}

static json_t *scenario_links(const struct request *req, const char *id, const char *layer_id,
                              enum http_lang lang)
{
    bool is_th = lang == HTTP_LANG_TH;
    char *self = xasprintf("%s/scenarios/%s", req->base_url, id);
    char *collection = xasprintf("%s/collections/%s", req->base_url, layer_id);
    char *items = xasprintf("%s/collections/%s/items", req->base_url, layer_id);
    json_t *links = json_array();
    json_array_append_new(
        links, api_link(self, "self", RESPONSE_TYPE_JSON, is_th ? "ฉากทัศน์นี้" : "This scenario"));
    json_array_append_new(links, api_link(collection, "related", RESPONSE_TYPE_JSON,
                                          is_th ? "ชั้นข้อมูลภาพร่าง" : "The sketch layer"));
    json_array_append_new(
        links, api_link(items, "items", RESPONSE_TYPE_GEOJSON, is_th ? "ภาพร่าง" : "The sketches"));
    free(self);
    free(collection);
    free(items);
    return links;
}

/* The stored document with what the server adds: sketch_count, the times and links.
 * NULL when the stored text is not a JSON object (the store checks it is). */
static json_t *scenario_json(const struct request *req, const struct store_scenario *s,
                             enum http_lang lang)
{
    json_t *doc = json_loads(s->doc, 0, NULL);
    if (!json_is_object(doc)) {
        json_decref(doc);
        return NULL;
    }
    json_object_set_new(doc, "sketch_count", json_integer(s->n_sketches));
    json_object_set_new(doc, "created_at", json_string(s->created_at));
    json_object_set_new(doc, "updated_at", json_string(s->updated_at));
    json_object_set_new(doc, "links", scenario_links(req, s->id, s->sketch_layer_id, lang));
    return doc;
}

/* The list's entry: what a picker needs, without the narrative and layers. */
static json_t *scenario_entry(const struct request *req, const struct store_scenario *s,
                              enum http_lang lang)
{
    json_t *full = scenario_json(req, s, lang);
    if (full == NULL) {
        return NULL;
    }
    json_t *entry = json_object();
    static const char *const keys[] = {"id",           "title",      "example", "extent",
                                       "sketch_count", "updated_at", "links"};
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        json_t *value = json_object_get(full, keys[i]);
        if (value != NULL) {
            json_object_set(entry, keys[i], value);
        }
    }
    if (json_object_get(entry, "example") == NULL) {
        json_object_set_new(entry, "example", json_false());
    }
    json_decref(full);
    return entry;
}

static int broken_doc(const char *id, struct err *err)
{
    return err_set(err, ERR_INTERNAL, "scenario '%s': the stored document is not a JSON object",
                   id);
}

int api_scenarios(struct request *req, struct response *resp, struct err *err)
{
    enum http_lang lang;
    struct store_read *rd = NULL;
    struct store_scenario *list = NULL;
    size_t n = 0;
    int rc = negotiate(req, &lang, err);
    if (rc == ERR_OK) {
        rc = request_store(req, &rd, err);
    }
    if (rc == ERR_OK) {
        rc = store_scenarios_list(rd, &list, &n, err);
    }
    if (rc != ERR_OK) {
        return rc;
    }
    json_t *items = json_array();
    for (size_t i = 0; i < n && rc == ERR_OK; i++) {
        json_t *entry = scenario_entry(req, &list[i], lang);
        if (entry == NULL) {
            rc = broken_doc(list[i].id, err);
        }
        json_array_append_new(items, entry);
    }
    store_scenarios_free(list, n);
    if (rc != ERR_OK) {
        json_decref(items);
        return rc;
    }
    char *self = xasprintf("%s/scenarios", req->base_url);
    json_t *links = json_array();
    json_array_append_new(links, api_link(self, "self", RESPONSE_TYPE_JSON, NULL));
    free(self);
    json_t *doc = json_pack("{s:s, s:o, s:o}", "title",
                            lang == HTTP_LANG_TH ? "ฉากทัศน์ของเมือง" : "City scenarios", "scenarios",
                            items, "links", links);
    /* No Last-Modified: deleting a scenario makes the list change without any newer date. */
    api_describe_document(resp, req, store_read_catalog(rd)->generation, NULL, HTTP_FORMAT_JSON,
                          lang);
    return response_set_json(resp, doc, RESPONSE_TYPE_JSON, err);
}

static int not_found(const char *id, struct err *err)
{
    return err_set(err, ERR_NOT_FOUND, "there is no scenario '%s'; /scenarios lists them",
                   utf8_excerpt(id, 60).text);
}

int api_scenario(struct request *req, struct response *resp, struct err *err)
{
    const char *scenario_id = request_path_param(req, "scenarioId");
    enum http_lang lang;
    struct store_read *rd = NULL;
    struct store_scenario s;
    memset(&s, 0, sizeof(s));
    if (share_page_is_wanted(req)) { /* a browser, or a link shared on a social network */
        int rc = api_check_params(req, err);
        return rc == ERR_OK ? share_page_scenario(req, resp, err) : rc;
    }
    int rc = negotiate(req, &lang, err);
    if (rc == ERR_OK) {
        rc = request_store(req, &rd, err);
    }
    if (rc == ERR_OK) {
        rc = store_scenario_get(rd, scenario_id, &s, err);
        rc = rc == ERR_NOT_FOUND ? not_found(scenario_id, err) : rc;
    }
    if (rc != ERR_OK) {
        return rc;
    }
    json_t *doc = scenario_json(req, &s, lang);
    if (doc == NULL) {
        rc = broken_doc(s.id, err);
    } else {
        api_describe_document(resp, req, store_read_catalog(rd)->generation, s.updated_at,
                              HTTP_FORMAT_JSON, lang);
        rc = response_set_json(resp, doc, RESPONSE_TYPE_JSON, err);
    }
    store_scenario_clear(&s);
    return rc;
}

/* Writes */

/* Parses and checks the body as a scenario document (id_from_url: the id the path names,
 * or NULL for a POST), including that its layers and featured statistics exist. */
static int parse_body(struct request *req, const char *id_from_url, struct scenario_doc *doc,
                      struct err *err)
{
    struct store_read *rd = NULL;
    int rc = scenario_doc_parse_text(req->body != NULL ? req->body : "", req->body_len, id_from_url,
                                     doc, err);
    if (rc == ERR_OK) {
        rc = request_store(req, &rd, err);
    }
    if (rc == ERR_OK) {
        size_t n_featured = 0;
        const struct store_featured *featured = store_read_featured(rd, &n_featured);
        rc = scenario_doc_check_refs(doc, store_read_catalog(rd), featured, n_featured, err);
    }
    return rc;
}

/* Stores doc (create or replace): 201 with Location, or 200; 409 when must_create finds
 * the id taken, 404 when a replace finds none. */
static int store_doc(struct request *req, struct response *resp, const struct scenario_doc *doc,
                     bool must_create, struct err *err)
{
    struct store *st = NULL;
    bool exists = false;
    int rc = request_open_writer(req, &st, err);
    if (rc == ERR_OK) {
        rc = store_scenario_exists(st, doc->id, &exists, err);
    }
    if (rc == ERR_OK && must_create && exists) {
        char msg[2 * sizeof(struct utf8_excerpt) + 128];
        snprintf(msg, sizeof(msg), "a scenario '%s' already exists; PUT /scenarios/%s replaces it",
                 utf8_excerpt(doc->id, 60).text, utf8_excerpt(doc->id, 60).text);
        return request_end_write(req, st, false, err_set(err, ERR_CONFLICT, "%s", msg), err);
    }
    if (rc == ERR_OK && !must_create && !exists) {
        rc = not_found(doc->id, err);
    }
    char *text = rc == ERR_OK ? scenario_doc_dump(doc) : NULL;
    if (rc == ERR_OK) {
        rc = store_scenario_put(st, doc->id, text, must_create, NULL, err);
    }
    free(text);
    rc = request_end_write(req, st, rc == ERR_OK, rc, err);
    if (rc != ERR_OK) {
        return rc;
    }
    char *self = xasprintf("%s/scenarios/%s", req->base_url, doc->id);
    if (must_create) {
        resp->status = 201;
        response_add_header(resp, "Location", self);
    }
    free(self);
    json_t *body = json_deep_copy(doc->json);
    char layer_id[STORE_SCENARIO_ID_MAX + 32];
    store_scenario_layer_id(doc->id, layer_id, sizeof(layer_id));
    json_object_set_new(body, "links", scenario_links(req, doc->id, layer_id, HTTP_LANG_EN));
    return response_set_json(resp, body, RESPONSE_TYPE_JSON, err);
}

static int write_doc(struct request *req, struct response *resp, const char *id_from_url,
                     struct err *err)
{
    bool may_go = false;
    int rc = api_auth_begin_write(req, resp, true, &may_go, err);
    if (rc != ERR_OK || !may_go) {
        return rc;
    }
    struct scenario_doc doc;
    memset(&doc, 0, sizeof(doc));
    rc = parse_body(req, id_from_url, &doc, err);
    if (rc == ERR_OK) {
        rc = store_doc(req, resp, &doc, id_from_url == NULL, err);
    }
    scenario_doc_clear(&doc);
    return rc;
}

int api_scenario_create(struct request *req, struct response *resp, struct err *err)
{
    return write_doc(req, resp, NULL, err);
}

int api_scenario_replace(struct request *req, struct response *resp, struct err *err)
{
    return write_doc(req, resp, request_path_param(req, "scenarioId"), err);
}

int api_scenario_delete(struct request *req, struct response *resp, struct err *err)
{
    const char *scenario_id = request_path_param(req, "scenarioId");
    bool may_go = false;
    int rc = api_auth_begin_write(req, resp, false, &may_go, err);
    if (rc != ERR_OK || !may_go) {
        return rc;
    }
    struct store *st = NULL;
    rc = request_open_writer(req, &st, err);
    if (rc == ERR_OK) {
        rc = store_scenario_delete(st, scenario_id, err);
        rc = rc == ERR_NOT_FOUND ? not_found(scenario_id, err) : rc;
    }
    rc = request_end_write(req, st, rc == ERR_OK, rc, err);
    if (rc == ERR_OK) {
        resp->status = 204;
        live_hub_end(req->app->live, scenario_id, 0, "scenario-deleted");
    }
    return rc;
}
