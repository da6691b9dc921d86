/* api_sketch_views.c - the workshop's reads of sketches: GET .../sketches and
 * .../sketches/{featureId} with Authorization (a facilitator sees every sketch with its
 * status; a participant the visible ones and their own), the history (facilitators), and
 * the public list of visible changes that projectors and phones poll
 * (GET /scenarios/{scenarioId}/changes?after=H). All read the request's snapshot. */
#include "http/handlers/api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/parse.h"
#include "base/utf8.h"
#include "http/handlers/api_auth.h"
#include "http/transport/api_common.h"
#include "http/transport/route.h"
#include "http/handlers/api_workshop.h"
#include "http/transport/response.h"
#include "store/store_read.h"
#include "store/store_workshop.h"

int api_scenario_check(struct request *req, struct store_read **rd, struct err *err)
{
    const char *scenario_id = request_path_param(req, "scenarioId");
    int rc = request_store(req, rd, err);
    struct store_scenario s;
    memset(&s, 0, sizeof(s));
    if (rc == ERR_OK) {
        rc = store_scenario_get(*rd, scenario_id, &s, err);
    }
    store_scenario_clear(&s);
    if (rc == ERR_NOT_FOUND) {
        return err_set(err, ERR_NOT_FOUND, "there is no scenario '%s'; /scenarios lists them",
                       utf8_excerpt(scenario_id, 60).text);
    }
    return rc;
}

/* Who reads (a token for the scenario or a participant of it); false: resp is the refusal. */
static bool reader(struct request *req, struct response *resp, bool allow_participant,
                   struct api_principal *who, int *rc, struct err *err)
{
    struct store_read *rd = NULL;
    *rc = api_scenario_check(req, &rd, err);
    if (*rc == ERR_OK) {
        *rc = api_auth_who(req, resp, request_path_param(req, "scenarioId"), allow_participant, who,
                           err);
    }
    response_add_header(resp, "Cache-Control", "no-store");
    return *rc == ERR_OK && who->role != API_ROLE_NONE;
}

int api_sketches_view(struct request *req, struct response *resp, struct err *err)
{
    struct api_principal who;
    enum http_lang lang;
    /* With Authorization, a workshop's view of sketches is GeoJSON only: f=html or csv is
     * refused rather than answered in JSON (the public list offers them). */
    int rc = api_negotiate_json_document(req, &lang, err);
    if (rc != ERR_OK || !reader(req, resp, true, &who, &rc, err)) {
        return rc;
    }
    struct store_read *rd = NULL;
    struct store_sketch_info *list = NULL;
    size_t n = 0;
    bool is_participant = who.role == API_ROLE_PARTICIPANT;
    rc = request_store(req, &rd, err);
    if (rc == ERR_OK) {
        rc = store_sketch_infos_list(store_read_conn(rd), request_path_param(req, "scenarioId"),
                                     !is_participant, is_participant ? who.participant_id : 0,
                                     &list, &n, err);
    }
    if (rc == ERR_OK) {
        json_t *features = json_array();
        for (size_t i = 0; i < n; i++) {
            json_array_append_new(features, api_workshop_feature(&list[i], true));
        }
        rc = response_set_json(resp,
                               json_pack("{s:s, s:o, s:I}", "type", "FeatureCollection", "features",
                                         features, "numberReturned", (json_int_t)n),
                               RESPONSE_TYPE_GEOJSON, err);
    }
    store_sketch_infos_free(list, n);
    return rc;
}

int api_sketch_view(struct request *req, struct response *resp, struct err *err)
{
    const char *scenario_id = request_path_param(req, "scenarioId");
    struct api_principal who;
    enum http_lang lang;
    /* With Authorization, a workshop's view of sketches is GeoJSON only: f=html or csv is
     * refused rather than answered in JSON (the public list offers them). */
    int rc = api_negotiate_json_document(req, &lang, err);
    if (rc != ERR_OK || !reader(req, resp, true, &who, &rc, err)) {
        return rc;
    }
    int64_t id = 0;
    struct store_read *rd = NULL;
    struct store_sketch_info info;
    memset(&info, 0, sizeof(info));
    rc = api_sketch_id_of(req, &id, err);
    if (rc == ERR_OK) {
        rc = request_store(req, &rd, err);
    }
    if (rc == ERR_OK) {
        rc = store_sketch_info_get(store_read_conn(rd), scenario_id, id, &info, err);
    }
    /* A participant sees another's sketch only once it is visible. */
    if (rc == ERR_OK && who.role == API_ROLE_PARTICIPANT &&
        strcmp(info.status, STORE_SKETCH_VISIBLE) != 0 &&
        info.participant_id != who.participant_id) {
        rc = err_set(err, ERR_NOT_FOUND, "scenario '%s' has no sketch %lld",
                     utf8_excerpt(scenario_id, 60).text, (long long)id);
    }
    if (rc == ERR_OK) {
        api_workshop_set_etag(resp, info.version);
        rc = response_set_json(resp, api_workshop_feature(&info, true), RESPONSE_TYPE_GEOJSON, err);
    }
    store_sketch_info_clear(&info);
    return rc;
}

/* ?after=H and ?limit=N, with their bounds and defaults from the route table (routes.c:
 * the history and the changes feed page differently). */
static int page_params(const struct request *req, int64_t *after, int64_t *limit, struct err *err)
{
    int rc = api_query_int(req, "after", after, err);
    return rc == ERR_OK ? api_query_int(req, "limit", limit, err) : rc;
}

static bool is_visible(bool has, const struct store_sketch_info *s)
{
    return has && s->status != NULL && strcmp(s->status, STORE_SKETCH_VISIBLE) == 0;
}

int api_history(struct request *req, struct response *resp, struct err *err)
{
    struct api_principal who;
    int rc = ERR_OK;
    if (!reader(req, resp, false, &who, &rc, err)) {
        return rc;
    }
    int64_t after = 0, limit = 0, sketch = 0;
    rc = api_check_params(req, err);
    if (rc == ERR_OK) {
        rc = page_params(req, &after, &limit, err);
    }
    if (rc == ERR_OK) {
        rc = api_query_int(req, "sketch", &sketch, err);
    }
    struct store_read *rd = NULL;
    struct store_history_entry *list = NULL;
    size_t n = 0;
    if (rc == ERR_OK) {
        rc = request_store(req, &rd, err);
    }
    if (rc == ERR_OK) {
        rc = store_sketch_history_list(store_read_conn(rd), request_path_param(req, "scenarioId"),
                                       after, sketch, (size_t)limit, &list, &n, err);
    }
    if (rc != ERR_OK) {
        return rc;
    }
    json_t *entries = json_array();
    for (size_t i = 0; i < n; i++) {
        const struct store_history_entry *h = &list[i];
        json_array_append_new(
            entries,
            json_pack("{s:I, s:I, s:I, s:s, s:s, s:s?, s:s?, s:o, s:o, s:o}", "id",
                      (json_int_t)h->id, "sketch_id", (json_int_t)h->sketch_id, "version",
                      (json_int_t)h->version, "action", h->action, "at", h->at, "by", h->actor,
                      "by_group", h->actor_group, "participant_id",
                      h->participant_id > 0 ? json_integer(h->participant_id) : json_null(),
                      "before",
                      h->has_before ? api_workshop_feature(&h->before, true) : json_null(), "after",
                      h->has_after ? api_workshop_feature(&h->after, true) : json_null()));
    }
    json_int_t next = n > 0 ? (json_int_t)list[n - 1].id : (json_int_t)after;
    store_history_entries_free(list, n);
    return response_set_json(resp, json_pack("{s:o, s:I}", "history", entries, "next_after", next),
                             RESPONSE_TYPE_JSON, err);
}

int api_changes_list(struct store *conn, const char *scenario_id, int64_t after, int64_t limit,
                     json_t **changes, int64_t *last, bool *is_more, struct err *err)
{
    struct store_history_entry *list = NULL;
    size_t n = 0;
    int rc = store_sketch_history_list(conn, scenario_id, after, 0, (size_t)limit, &list, &n, err);
    if (rc != ERR_OK) {
        return rc;
    }
    /* Only what the public sees: a sketch that became visible was "created" for it, one
     * that stopped being visible (deleted, hidden, back to pending) "deleted". */
    *changes = json_array();
    for (size_t i = 0; i < n; i++) {
        const struct store_history_entry *h = &list[i];
        bool was = is_visible(h->has_before, &h->before), is = is_visible(h->has_after, &h->after);
        if (!was && !is) {
            continue;
        }
        const char *action = is ? (was ? "updated" : "created") : "deleted";
        json_array_append_new(*changes,
                              json_pack("{s:I, s:s, s:I, s:I, s:s, s:o}", "id", (json_int_t)h->id,
                                        "action", action, "sketch_id", (json_int_t)h->sketch_id,
                                        "version", (json_int_t)h->version, "at", h->at, "feature",
                                        is ? api_workshop_feature(&h->after, false) : json_null()));
    }
    *last = n > 0 ? list[n - 1].id : after;
    *is_more = n == (size_t)limit;
    store_history_entries_free(list, n);
    return ERR_OK;
}

int api_changes(struct request *req, struct response *resp, struct err *err)
{
    struct store_read *rd = NULL;
    int rc = api_scenario_check(req, &rd, err);
    int64_t after = 0, limit = 0;
    if (rc == ERR_OK) {
        rc = api_check_params(req, err);
    }
    if (rc == ERR_OK) {
        rc = page_params(req, &after, &limit, err);
    }
    json_t *changes = NULL;
    int64_t last = 0;
    bool is_more = false;
    if (rc == ERR_OK) {
        rc = api_changes_list(store_read_conn(rd), request_path_param(req, "scenarioId"), after,
                              limit, &changes, &last, &is_more, err);
    }
    if (rc != ERR_OK) {
        return rc;
    }
    response_add_header(resp, "Cache-Control", "no-store");
    return response_set_json(
        resp,
        json_pack("{s:o, s:I, s:b}", "changes", changes, "last", (json_int_t)last, "more", is_more),
        RESPONSE_TYPE_JSON, err);
}
