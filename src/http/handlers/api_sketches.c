/* api_sketches.c - participants' sketches of a scenario. GET /scenarios/{scenarioId}/sketches
 * and .../sketches/{featureId} serve the scenario's sketch layer (the visible sketches) as
 * its /collections items; with an Authorization header they serve the workshop view
 * instead (api_sketch_views.c). POST /scenarios/{scenarioId}/sketches takes a GeoJSON
 * Feature or FeatureCollection (all added or none); PUT and DELETE .../sketches/{featureId}
 * move or edit one, or remove it. Writes need a facilitator token for the scenario or a
 * participant credential of an open session of it (api_auth.h); participants change only
 * their own sketches, must send If-Match, and are rate-limited. The GeoJSON is checked
 * against the scenario's sketch kinds and extent (sketch_geojson.h) and its geometry by
 * SpatiaLite before anything is written; each write is one job of the server's shared
 * writer, answered once it is committed (request_open_writer, store_writer.h). */
#include "http/handlers/api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/parse.h"
#include "http/transport/api_common.h"
#include "http/handlers/api_auth.h"
#include "http/handlers/api_workshop.h"
#include "http/transport/rate_limit.h"
#include "http/transport/response.h"
#include "scenario/scenario_doc.h"
#include "scenario/sketch_geojson.h"
#include "store/store_scenario.h"
#include "store/store_workshop.h"
#include "base/utf8.h"

/* Reads: the scenario's sketch layer, served as any collection's items are. */

/* Gives the request the collectionId of the scenario's sketch layer
 * ("scenario-<id>-sketches"), so api_items serves it as that collection.
 * ERR_NOT_FOUND naming the scenario when the snapshot has no such layer. */
static int to_sketch_layer(struct request *req, struct err *err)
{
    char layer_id[STORE_SCENARIO_ID_MAX + 32];
    struct store_read *rd = NULL;
    int rc = request_store(req, &rd, err);
    if (rc != ERR_OK) {
        return rc;
    }
    const char *scenario_id = request_path_param(req, "scenarioId");
    store_scenario_layer_id(scenario_id, layer_id, sizeof(layer_id));
    if (strlen(scenario_id) > STORE_SCENARIO_ID_MAX || store_read_layer(rd, layer_id) == NULL) {
        return err_set(err, ERR_NOT_FOUND, "there is no scenario '%s'; /scenarios lists them",
                       utf8_excerpt(scenario_id, 60).text);
    }
    request_set_path_param(req, "collectionId", layer_id);
    return ERR_OK;
}

int api_sketches(struct request *req, struct response *resp, struct err *err)
{
    if (req->authorization != NULL) {
        return api_sketches_view(req, resp, err);
    }
    int rc = to_sketch_layer(req, err);
    return rc == ERR_OK ? api_items(req, resp, err) : rc;
}

int api_sketch(struct request *req, struct response *resp, struct err *err)
{
    if (req->authorization != NULL) {
        return api_sketch_view(req, resp, err);
    }
    int rc = to_sketch_layer(req, err);
    return rc == ERR_OK ? api_item(req, resp, err) : rc;
}

/* Writes */

/* The scenario's checked document (for its sketch kinds), as the request's snapshot has
 * it. ERR_NOT_FOUND naming the scenario. */
static int load_doc(struct request *req, struct scenario_doc *doc, struct err *err)
{
    const char *scenario_id = request_path_param(req, "scenarioId");
    struct store_read *rd = NULL;
    struct store_scenario s;
    memset(&s, 0, sizeof(s));
    int rc = request_store(req, &rd, err);
    if (rc == ERR_OK) {
        rc = store_scenario_get(rd, scenario_id, &s, err);
    }
    if (rc == ERR_NOT_FOUND) {
        return err_set(err, ERR_NOT_FOUND, "there is no scenario '%s'; /scenarios lists them",
                       utf8_excerpt(scenario_id, 60).text);
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

/* Parses the body against the scenario's kinds and extent, opens the writer and checks
 * every geometry with SpatiaLite: on success the caller writes on *st and closes it. */
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
    if (rc == ERR_OK) {
        rc = sketch_list_check_scenario_extent(list, doc.extent, API_SKETCH_EXTENT_MARGIN, err);
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
    store_scenario_layer_id(request_path_param(req, "scenarioId"), layer_id, sizeof(layer_id));
    char *href = xasprintf("%s/collections/%s/items/%lld", req->base_url, layer_id, (long long)id);
    response_add_header(resp, name, href);
    free(href);
}

/* The store's actor for who. */
static struct store_actor actor_of(const struct api_principal *who)
{
    struct store_actor a = {
        .name = who->name,
        .group = who->group[0] != '\0' ? who->group : NULL,
        .participant_id = who->role == API_ROLE_PARTICIPANT ? who->participant_id : 0,
        .is_moderated = who->role == API_ROLE_PARTICIPANT && who->is_moderated,
    };
    return a;
}

/* The participant's rate limits (per participant and per address): false with resp set to
 * 429 and Retry-After when one is spent. Tokens are not limited. */
static bool within_rate(struct request *req, struct response *resp, const struct api_principal *who)
{
    if (who->role != API_ROLE_PARTICIPANT) {
        return true;
    }
    char key[32];
    snprintf(key, sizeof(key), "%lld", (long long)who->participant_id);
    int retry = 0;
    bool ok = rate_limits_take(req->app->limits, RATE_PARTICIPANT_WRITE, key, &retry) &&
              rate_limits_take(req->app->limits, RATE_ADDRESS_WRITE, req->client_address, &retry);
    if (!ok) {
        api_workshop_too_many(resp, retry);
    }
    return ok;
}

/* Participants add their own group to what they draw, unless they name one. */
static void default_group(struct sketch_list *list, const struct api_principal *who)
{
    for (size_t i = 0; who->role == API_ROLE_PARTICIPANT && who->group[0] != '\0' && i < list->n;
         i++) {
        if (list->items[i].group_name == NULL) {
            list->items[i].group_name = who->group;
        }
    }
}

/* 201: the created features with their ids, Location naming the first. */
static int answer_created(struct request *req, struct response *resp, struct store *st,
                          const int64_t *ids, size_t n, bool is_collection, struct err *err)
{
    json_t *features = json_array();
    int rc = ERR_OK;
    struct store_sketch_info info;
    int64_t version = 0;
    for (size_t i = 0; rc == ERR_OK && i < n; i++) {
        rc = store_sketch_info_get(st, request_path_param(req, "scenarioId"), ids[i], &info, err);
        if (rc == ERR_OK) {
            version = info.version;
            json_array_append_new(features, api_workshop_feature(&info, true));
            store_sketch_info_clear(&info);
        }
    }
    if (rc != ERR_OK) {
        json_decref(features);
        return rc;
    }
    json_t *doc;
    if (is_collection) {
        doc = json_pack("{s:s, s:o, s:I}", "type", "FeatureCollection", "features", features,
                        "numberReturned", (json_int_t)n);
    } else {
        doc = json_incref(json_array_get(features, 0));
        json_decref(features);
        api_workshop_set_etag(resp, version);
    }
    resp->status = 201;
    add_item_header(req, resp, "Location", ids[0]);
    return response_set_json(resp, doc, RESPONSE_TYPE_GEOJSON, err);
}

int api_sketches_add(struct request *req, struct response *resp, struct err *err)
{
    bool may_go = false;
    struct api_principal who;
    int rc = api_auth_begin_write_as(req, resp, true, true, &who, &may_go, err);
    if (rc != ERR_OK || !may_go || !within_rate(req, resp, &who)) {
        return rc;
    }
    struct sketch_list list;
    memset(&list, 0, sizeof(list));
    struct store *st = NULL;
    int64_t *ids = NULL;
    rc = prepare(req, true, &list, &st, err);
    if (rc == ERR_OK && who.role == API_ROLE_PARTICIPANT && list.n > API_PARTICIPANT_MAX_ADD) {
        rc = err_set(err, ERR_INVALID, "a participant adds at most %d sketches at a time, not %zu",
                     API_PARTICIPANT_MAX_ADD, list.n);
    }
    struct store_actor actor = actor_of(&who);
    if (rc == ERR_OK) {
        default_group(&list, &who);
        ids = xcalloc(list.n, sizeof(*ids));
        rc = store_sketches_add_as(st, request_path_param(req, "scenarioId"), list.items, list.n,
                                   &actor, ids, err);
    }
    if (rc == ERR_OK) {
        rc = answer_created(req, resp, st, ids, list.n, list.is_collection, err);
    }
    rc = request_end_write(req, st, rc == ERR_OK, rc, err);
    free(ids);
    sketch_list_clear(&list);
    return rc;
}

/* The guard of an edit: If-Match as a version ("v<n>"), and the owner for a participant,
 * who must send If-Match (428 otherwise, resp set, false returned). */
static bool guard_of(const struct request *req, struct response *resp,
                     const struct api_principal *who, struct store_sketch_guard *guard)
{
    memset(guard, 0, sizeof(*guard));
    guard->owner_id = who->role == API_ROLE_PARTICIPANT ? who->participant_id : 0;
    if (req->if_match != NULL && strcmp(req->if_match, "*") != 0) {
        long long v = 0;
        char tail = '\0';
        if (sscanf(req->if_match, " \"v%lld\"%c", &v, &tail) != 1 || v < 1) {
            response_set_status_error(resp, 412, "PreconditionFailed",
                                      "If-Match must be a sketch's ETag, e.g. \"v3\"");
            return false;
        }
        guard->if_version = v;
    } else if (req->if_match == NULL && who->role == API_ROLE_PARTICIPANT) {
        response_set_status_error_with(
            resp, 428, "PreconditionRequired",
            "send the sketch's ETag in If-Match, so that no one's change is lost",
            json_pack("{s:s}", "description_th",
                      "ต้องส่ง ETag ของภาพร่างใน If-Match เพื่อไม่ให้การแก้ไขของผู้อื่นหายไป"));
        return false;
    }
    return true;
}

/* After a refused guard: 403 for another's sketch, 412 with the current feature for a
 * stale version. Returns ERR_OK with resp set, or a database failure. */
static int answer_guard(struct request *req, struct response *resp, struct store *st, int64_t id,
                        const struct store_sketch_guard *guard, struct err *err)
{
    if (guard->outcome == STORE_SKETCH_NOT_YOURS) {
        response_set_status_error_with(
            resp, 403, "NotYours", "participants change only the sketches they made",
            json_pack("{s:s}", "description_th", "ผู้เข้าร่วมแก้ไขหรือลบได้เฉพาะภาพร่างของตนเอง"));
        return ERR_OK;
    }
    struct store_sketch_info info;
    int rc = store_sketch_info_get(st, request_path_param(req, "scenarioId"), id, &info, err);
    json_t *current = rc == ERR_OK ? api_workshop_feature(&info, true) : json_null();
    if (rc == ERR_NOT_FOUND) {
        rc = ERR_OK;
    }
    if (rc == ERR_OK) {
        response_set_status_error_with(
            resp, 412, "PreconditionFailed",
            "someone changed this sketch since you read it: 'current' is how it is now",
            json_pack("{s:s, s:o}", "description_th",
                      "มีผู้แก้ไขภาพร่างนี้หลังจากที่คุณเปิดอ่าน ดูฉบับล่าสุดใน current", "current", current));
        if (info.version > 0) {
            api_workshop_set_etag(resp, info.version);
        }
    } else {
        json_decref(current);
    }
    store_sketch_info_clear(&info);
    return rc;
}

/* 200 with sketch id as it is now, its ETag and Content-Location. */
static int answer_sketch(struct request *req, struct response *resp, struct store *st, int64_t id,
                         struct err *err)
{
    struct store_sketch_info info;
    int rc = store_sketch_info_get(st, request_path_param(req, "scenarioId"), id, &info, err);
    if (rc == ERR_OK) {
        add_item_header(req, resp, "Content-Location", id);
        api_workshop_set_etag(resp, info.version);
        rc = response_set_json(resp, api_workshop_feature(&info, true), RESPONSE_TYPE_GEOJSON, err);
    }
    store_sketch_info_clear(&info);
    return rc;
}

/* One edit of one sketch: what differs between them. write opens the writer (*st; after
 * checking a body, so a bad one never waits for the writer) and makes the change. */
struct sketch_edit {
    int (*write)(struct request *req, struct store **st, int64_t id,
                 const struct store_actor *actor, struct store_sketch_guard *guard, void *ctx,
                 struct err *err);
    void *ctx;
    bool has_body;          /* the request must carry JSON */
    bool allow_participant; /* participants may make it (their own sketches, rate-limited) */
    bool has_guard;         /* If-Match and ownership apply (a restore picks a version itself) */
    bool is_removal;        /* answered 204, not with the sketch as it is now */
};

/* What every edit of one sketch does first: who, the rate, the sketch id and the guard.
 * False: resp holds the answer (or *rc an error). */
static bool begin_edit(struct request *req, struct response *resp, const struct sketch_edit *edit,
                       struct api_principal *who, int64_t *id, struct store_sketch_guard *guard,
                       int *rc, struct err *err)
{
    bool may_go = false;
    memset(guard, 0, sizeof(*guard));
    *rc = api_auth_begin_write_as(req, resp, edit->has_body, edit->allow_participant, who, &may_go,
                                  err);
    if (*rc != ERR_OK || !may_go || !within_rate(req, resp, who)) {
        return false;
    }
    *rc = api_sketch_id_of(req, id, err);
    return *rc == ERR_OK && (!edit->has_guard || guard_of(req, resp, who, guard));
}

/* Looks up who asks and may, writes through the shared writer, and answers: the sketch as
 * it is now (204 for a removal), or 403/412 when the guard refused. */
static int edit_sketch(struct request *req, struct response *resp, const struct sketch_edit *edit,
                       struct err *err)
{
    struct api_principal who;
    struct store_sketch_guard guard;
    int64_t id = 0;
    int rc = ERR_OK;
    if (!begin_edit(req, resp, edit, &who, &id, &guard, &rc, err)) {
        return rc;
    }
    struct store *st = NULL;
    struct store_actor actor = actor_of(&who);
    rc = edit->write(req, &st, id, &actor, &guard, edit->ctx, err);
    bool is_changed = rc == ERR_OK;
    if (rc == ERR_INVALID && guard.outcome != STORE_SKETCH_DONE) {
        rc = answer_guard(req, resp, st, id, &guard, err);
    } else if (rc == ERR_OK && edit->is_removal) {
        resp->status = 204;
    } else if (rc == ERR_OK) {
        rc = answer_sketch(req, resp, st, id, err);
    }
    return request_end_write(req, st, is_changed && rc == ERR_OK, rc, err);
}

static int write_replace(struct request *req, struct store **st, int64_t id,
                         const struct store_actor *actor, struct store_sketch_guard *guard,
                         void *ctx, struct err *err)
{
    struct sketch_list *list = ctx;
    int rc = prepare(req, false, list, st, err);
    if (rc == ERR_OK) {
        rc = store_sketch_replace_as(*st, request_path_param(req, "scenarioId"), id,
                                     &list->items[0], actor, guard, err);
    }
    return rc;
}

int api_sketch_replace(struct request *req, struct response *resp, struct err *err)
{
    struct sketch_list list;
    memset(&list, 0, sizeof(list));
    const struct sketch_edit edit = {write_replace, &list, true, true, true, false};
    int rc = edit_sketch(req, resp, &edit, err);
    sketch_list_clear(&list);
    return rc;
}

static int write_delete(struct request *req, struct store **st, int64_t id,
                        const struct store_actor *actor, struct store_sketch_guard *guard,
                        void *ctx, struct err *err)
{
    (void)ctx;
    int rc = request_open_writer(req, st, err);
    if (rc == ERR_OK) {
        rc = store_sketch_delete_as(*st, request_path_param(req, "scenarioId"), id, actor, guard,
                                    err);
    }
    return rc;
}

int api_sketch_delete(struct request *req, struct response *resp, struct err *err)
{
    const struct sketch_edit edit = {write_delete, NULL, false, true, true, true};
    return edit_sketch(req, resp, &edit, err);
}

/* Moderation and restore (facilitators) */

/* ctx: the action, "approve", "hide" or "unhide". */
static int write_moderation(struct request *req, struct store **st, int64_t id,
                            const struct store_actor *actor, struct store_sketch_guard *guard,
                            void *ctx, struct err *err)
{
    int rc = request_open_writer(req, st, err);
    if (rc == ERR_OK) {
        rc = store_sketch_moderate(*st, request_path_param(req, "scenarioId"), id,
                                   (const char *)ctx, actor, guard, err);
    }
    return rc;
}

static int moderate(struct request *req, struct response *resp, const char *action, struct err *err)
{
    const struct sketch_edit edit = {write_moderation, (void *)action, false, false, true, false};
    return edit_sketch(req, resp, &edit, err);
}

int api_sketch_approve(struct request *req, struct response *resp, struct err *err)
{
    return moderate(req, resp, "approve", err);
}

int api_sketch_hide(struct request *req, struct response *resp, struct err *err)
{
    return moderate(req, resp, "hide", err);
}

int api_sketch_unhide(struct request *req, struct response *resp, struct err *err)
{
    return moderate(req, resp, "unhide", err);
}

/* {"history_id": N, "side": "before"|"after"}: *history_id and *use_before. */
static int parse_restore(const struct request *req, int64_t *history_id, bool *use_before,
                         struct err *err)
{
    json_error_t jerr;
    json_t *root = json_loadb(req->body != NULL ? req->body : "", req->body_len,
                              JSON_REJECT_DUPLICATES, &jerr);
    int rc = ERR_OK;
    const json_t *h = json_object_get(root, "history_id");
    const char *side = json_string_value(json_object_get(root, "side"));
    if (!json_is_object(root)) {
        rc = err_set(err, ERR_INVALID, "the body must be a JSON object {\"history_id\": N}");
    } else if (!json_is_integer(h) || json_integer_value(h) < 1) {
        rc = err_set(err, ERR_INVALID, "history_id: expected the id of a history entry (>= 1)");
    } else if (json_object_get(root, "side") != NULL && side == NULL) {
        rc = err_set(err, ERR_INVALID, "side: expected \"before\" or \"after\"");
    } else if (side != NULL && strcmp(side, "before") != 0 && strcmp(side, "after") != 0) {
        rc = err_set(err, ERR_INVALID, "side: expected \"before\" or \"after\", not '%s'",
                     utf8_excerpt(side, 20).text);
    } else {
        *history_id = json_integer_value(h);
        *use_before = side == NULL || strcmp(side, "before") == 0;
    }
    json_decref(root);
    return rc;
}

static int write_restore(struct request *req, struct store **st, int64_t id,
                         const struct store_actor *actor, struct store_sketch_guard *guard,
                         void *ctx, struct err *err)
{
    (void)guard;
    (void)ctx;
    int64_t history_id = 0;
    bool use_before = true;
    int rc = parse_restore(req, &history_id, &use_before, err);
    if (rc == ERR_OK) {
        rc = request_open_writer(req, st, err);
    }
    if (rc == ERR_OK) {
        rc = store_sketch_restore(*st, request_path_param(req, "scenarioId"), id, history_id,
                                  use_before, actor, err);
    }
    return rc;
}

int api_sketch_restore(struct request *req, struct response *resp, struct err *err)
{
    const struct sketch_edit edit = {write_restore, NULL, true, false, false, false};
    return edit_sketch(req, resp, &edit, err);
}
