/* api_sessions.c - participation sessions (issue 12). A facilitator of the scenario opens
 * one (POST /scenarios/{scenarioId}/sessions: a mode, an end, the groups participants pick
 * from), lists them and closes one (.../sessions/{id}/close). Anyone with the code reads
 * the session (GET /join/{code}), its QR code (/join/{code}/qr.svg) and joins it
 * (POST /join/{code}): the answer holds a participant credential, shown once and stored as
 * its SHA-256, that writes sketches of that scenario while the session is open. */
#include "http/handlers/api.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "base/alloc.h"
#include "base/parse.h"
#include "base/utf8.h"
#include "http/transport/api_common.h"
#include "http/handlers/api_auth.h"
#include "http/handlers/api_workshop.h"
#include "http/transport/rate_limit.h"
#include "http/transport/live_hub.h"
#include "http/transport/response.h"
#include "render/render.h"
#include "scenario/scenario_doc.h"
#include "scenario/session_doc.h"
#include "scenario/token.h"
#include "store/store_read.h"
#include "store/store_workshop.h"

static char *join_url(const struct request *req, const char *code)
{
    return xasprintf("%s/map/#join=%s", req->base_url, code);
}

/* The session as the facilitator sees it. */
static json_t *session_json(const struct request *req, const struct store_session *s)
{
    json_t *groups = json_loads(s->groups, 0, NULL);
    char *url = join_url(req, s->code);
    char *qr = xasprintf("%s/join/%s/qr.svg", req->base_url, s->code);
    json_t *doc = json_pack(
        "{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s?, s:s, s:s?, s:b, s:o, s:I}", "id",
        (json_int_t)s->id, "scenario_id", s->scenario_id, "code", s->code, "mode", s->mode,
        "join_url", url, "qr_svg", qr, "created_at", s->created_at, "created_by", s->created_by,
        "ends_at", s->ends_at, "closed_at", s->closed_at, "open", s->is_open, "groups",
        groups != NULL ? groups : json_array(), "participants", (json_int_t)s->n_participants);
    free(url);
    free(qr);
    return doc;
}

/* The session as anyone with its code sees it: no creator, no count. */
static json_t *public_json(struct request *req, const struct store_session *s, struct err *err,
                           int *rc)
{
    struct store_read *rd = NULL;
    struct store_scenario sc;
    memset(&sc, 0, sizeof(sc));
    *rc = request_store(req, &rd, err);
    if (*rc == ERR_OK) {
        *rc = store_scenario_get(rd, s->scenario_id, &sc, err);
    }
    json_t *doc = NULL;
    if (*rc == ERR_OK) {
        json_t *scenario_doc = json_loads(sc.doc, 0, NULL);
        json_t *title = json_object_get(scenario_doc, "title");
        json_t *groups = json_loads(s->groups, 0, NULL);
        /* id: what a phone's live stream names (.../events?session=ID) to end with it. */
        doc = json_pack("{s:I, s:s, s:{s:s, s:O}, s:s, s:s, s:b, s:o}", "id", (json_int_t)s->id,
                        "code", s->code, "scenario", "id", s->scenario_id, "title",
                        title != NULL ? title : json_null(), "mode", s->mode, "ends_at", s->ends_at,
                        "open", s->is_open, "groups", groups != NULL ? groups : json_array());
        json_decref(scenario_doc);
    }
    store_scenario_clear(&sc);
    return doc;
}

static bool facilitator(struct request *req, struct response *resp, struct api_principal *who,
                        bool has_body, int *rc, struct err *err)
{
    bool may_go = false;
    *rc = api_auth_begin_write_as(req, resp, has_body, false, who, &may_go, err);
    return *rc == ERR_OK && may_go;
}

int api_session_create(struct request *req, struct response *resp, struct err *err)
{
    const char *scenario_id = request_path_param(req, "scenarioId");
    struct api_principal who;
    int rc = ERR_OK;
    if (!facilitator(req, resp, &who, true, &rc, err)) {
        return rc;
    }
    struct store_session s;
    memset(&s, 0, sizeof(s));
    struct session_spec spec;
    rc = session_doc_parse(req->body, req->body_len, &spec, err);
    struct store *st = NULL;
    if (rc == ERR_OK) {
        rc = request_open_writer(req, &st, err);
    }
    int64_t id = 0;
    if (rc == ERR_OK) {
        rc = session_open(st, scenario_id, &spec, who.name, &id, err);
    }
    session_spec_clear(&spec);
    memset(&s, 0, sizeof(s));
    if (rc == ERR_NOT_FOUND) {
        rc = err_set(err, ERR_NOT_FOUND, "there is no scenario '%s'; /scenarios lists them",
                     utf8_excerpt(scenario_id, 60).text);
    }
    if (rc == ERR_OK) {
        rc = store_session_get(st, scenario_id, id, &s, err);
    }
    if (rc == ERR_OK) {
        resp->status = 201;
        char *loc =
            xasprintf("%s/scenarios/%s/sessions/%lld", req->base_url, scenario_id, (long long)id);
        response_add_header(resp, "Location", loc);
        free(loc);
        rc = response_set_json(resp, session_json(req, &s), RESPONSE_TYPE_JSON, err);
    }
    store_session_clear(&s);
    return request_end_write(req, st, rc == ERR_OK, rc, err);
}

int api_sessions(struct request *req, struct response *resp, struct err *err)
{
    const char *scenario_id = request_path_param(req, "scenarioId");
    struct api_principal who;
    struct store_read *rd = NULL;
    int rc = api_check_params(req, err);
    rc = rc == ERR_OK ? request_store(req, &rd, err) : rc;
    if (rc == ERR_OK) {
        rc = api_auth_who(req, resp, scenario_id, false, &who, err);
    }
    response_add_header(resp, "Cache-Control", "no-store");
    if (rc != ERR_OK || who.role == API_ROLE_NONE) {
        return rc;
    }
    struct store_session *list = NULL;
    size_t n = 0;
    rc = store_sessions_list(store_read_conn(rd), scenario_id, &list, &n, err);
    if (rc == ERR_OK) {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++) {
            json_array_append_new(arr, session_json(req, &list[i]));
        }
        rc = response_set_json(resp, json_pack("{s:o}", "sessions", arr), RESPONSE_TYPE_JSON, err);
    }
    store_sessions_free(list, n);
    return rc;
}

int api_session_close(struct request *req, struct response *resp, struct err *err)
{
    const char *scenario_id = request_path_param(req, "scenarioId");
    const char *session_text = request_path_param(req, "featureId");
    struct api_principal who;
    int rc = ERR_OK;
    if (!facilitator(req, resp, &who, false, &rc, err)) {
        return rc;
    }
    int64_t id = 0;
    if (parse_int64(session_text, 1, INT64_MAX, "sessionId", &id, err) != ERR_OK) {
        return err_set(err, ERR_NOT_FOUND, "scenario '%s' has no session '%s'",
                       utf8_excerpt(scenario_id, 60).text, utf8_excerpt(session_text, 40).text);
    }
    struct store *st = NULL;
    struct store_session s;
    memset(&s, 0, sizeof(s));
    rc = request_open_writer(req, &st, err);
    if (rc == ERR_OK) {
        rc = store_session_close(st, scenario_id, id, err);
    }
    if (rc == ERR_OK) {
        rc = store_session_get(st, scenario_id, id, &s, err);
    }
    if (rc == ERR_NOT_FOUND) {
        rc = err_set(err, ERR_NOT_FOUND, "scenario '%s' has no session %lld",
                     utf8_excerpt(scenario_id, 60).text, (long long)id);
    }
    if (rc == ERR_OK) {
        rc = response_set_json(resp, session_json(req, &s), RESPONSE_TYPE_JSON, err);
    }
    store_session_clear(&s);
    rc = request_end_write(req, st, rc == ERR_OK, rc, err);
    if (rc == ERR_OK) {
        live_hub_end(req->app->live, scenario_id, id, "session-closed");
    }
    return rc;
}

/* The route's {code}, upper-cased, as a session of the snapshot. */
static int session_of_code(struct request *req, struct store_session *s, struct err *err)
{
    const char *asked = request_path_param(req, "code");
    char code[SESSION_CODE_LEN + 1];
    size_t len = strlen(asked);
    for (size_t i = 0; i < len && i < SESSION_CODE_LEN; i++) {
        code[i] = (char)toupper((unsigned char)asked[i]);
    }
    code[len < SESSION_CODE_LEN ? len : SESSION_CODE_LEN] = '\0';
    struct store_read *rd = NULL;
    int rc = len == SESSION_CODE_LEN ? request_store(req, &rd, err) : ERR_NOT_FOUND;
    if (rc == ERR_OK) {
        rc = store_session_by_code(store_read_conn(rd), code, s, err);
    }
    if (rc == ERR_NOT_FOUND) {
        rc = err_set(err, ERR_NOT_FOUND,
                     "there is no workshop session with the code '%s': check the code you "
                     "were given",
                     utf8_excerpt(asked, 20).text);
    }
    return rc;
}

int api_join(struct request *req, struct response *resp, struct err *err)
{
    struct store_session s;
    memset(&s, 0, sizeof(s));
    int rc = api_check_params(req, err);
    rc = rc == ERR_OK ? session_of_code(req, &s, err) : rc;
    json_t *doc = rc == ERR_OK ? public_json(req, &s, err, &rc) : NULL;
    store_session_clear(&s);
    response_add_header(resp, "Cache-Control", "no-store");
    return rc == ERR_OK ? response_set_json(resp, doc, RESPONSE_TYPE_JSON, err) : rc;
}

int api_join_qr(struct request *req, struct response *resp, struct err *err)
{
    struct store_session s;
    memset(&s, 0, sizeof(s));
    int rc = api_check_params(req, err);
    rc = rc == ERR_OK ? session_of_code(req, &s, err) : rc;
    char *url = rc == ERR_OK ? join_url(req, s.code) : NULL;
    if (rc == ERR_OK) {
        rc = render_qr_svg(url, &resp->body, err);
        resp->content_type = "image/svg+xml";
    }
    free(url);
    store_session_clear(&s);
    return rc;
}

/* The body of a join: {"name"?, "group"?}; *name and *group borrowed from *root. */
static int parse_join(const struct request *req, const struct store_session *s, json_t **root,
                      const char **name, const char **group, struct err *err)
{
    json_error_t jerr;
    *root = json_loadb(req->body != NULL ? req->body : "", req->body_len, JSON_REJECT_DUPLICATES,
                       &jerr);
    if (!json_is_object(*root)) {
        return err_set(err, ERR_INVALID,
                       "the body must be a JSON object such as "
                       "{\"name\": \"Somchai\", \"group\": \"youth\"}");
    }
    const char *key;
    json_t *v;
    json_object_foreach(*root, key, v)
    {
        if (strcmp(key, "name") != 0 && strcmp(key, "group") != 0) {
            return err_set(err, ERR_INVALID, "unknown member '%s' (a join has name and group)",
                           utf8_excerpt(key, 40).text);
        }
        if (!json_is_string(v) && !json_is_null(v)) {
            return err_set(err, ERR_INVALID, "%s: expected text", key);
        }
    }
    *name = json_string_value(json_object_get(*root, "name"));
    *group = json_string_value(json_object_get(*root, "group"));
    if (*name != NULL) {
        size_t chars = session_utf8_chars(*name);
        bool has_control = false;
        for (const char *c = *name; *c != '\0'; c++) {
            has_control = has_control || (unsigned char)*c < 0x20 || *c == 0x7F;
        }
        if (chars == 0 || chars > SESSION_PARTICIPANT_NAME_MAX || has_control) {
            return err_set(err, ERR_INVALID,
                           "name: expected 1 to %d characters without control characters",
                           SESSION_PARTICIPANT_NAME_MAX);
        }
    }
    if (*group != NULL) {
        json_t *groups = json_loads(s->groups, 0, NULL);
        bool found = false;
        for (size_t i = 0; i < json_array_size(groups); i++) {
            const char *id = json_string_value(json_object_get(json_array_get(groups, i), "id"));
            found = found || (id != NULL && strcmp(id, *group) == 0);
        }
        json_decref(groups);
        if (!found) {
            return err_set(err, ERR_INVALID, "group: '%s' is not one of this session's groups",
                           utf8_excerpt(*group, 40).text);
        }
    }
    return ERR_OK;
}

int api_join_post(struct request *req, struct response *resp, struct err *err)
{
    response_add_header(resp, "Cache-Control", "no-store");
    int retry = 0;
    if (!rate_limits_take(req->app->limits, RATE_ADDRESS_JOIN, req->client_address, &retry)) {
        api_workshop_too_many(resp, retry);
        return ERR_OK;
    }
    if (!api_auth_is_json_type(req->content_type)) {
        return err_set(err, ERR_UNSUPPORTED_MEDIA_TYPE,
                       "the body must be JSON: Content-Type application/json");
    }
    struct store_session s;
    memset(&s, 0, sizeof(s));
    int rc = session_of_code(req, &s, err);
    if (rc == ERR_OK && !s.is_open) {
        response_set_status_error_with(
            resp, 403, "SessionClosed", "this workshop session is closed: joining is over",
            json_pack("{s:s}", "description_th", "เวทีนี้ปิดแล้ว ไม่สามารถเข้าร่วมได้"));
        store_session_clear(&s);
        return ERR_OK;
    }
    json_t *root = NULL;
    const char *name = NULL, *group = NULL;
    if (rc == ERR_OK) {
        rc = parse_join(req, &s, &root, &name, &group, err);
    }
    char credential[TOKEN_TEXT_LEN + 1], hash[TOKEN_HASH_HEX_LEN + 1];
    if (rc == ERR_OK) {
        rc = token_generate_as(credential, TOKEN_PARTICIPANT_PREFIX, err);
    }
    struct store *st = NULL;
    if (rc == ERR_OK) {
        token_hash(credential, strlen(credential), hash);
        rc = request_open_writer(req, &st, err);
    }
    int64_t id = 0;
    if (rc == ERR_OK) {
        rc = store_participant_add(st, s.id, hash, name, group, &id, err);
    }
    rc = request_end_write(req, st, rc == ERR_OK, rc, err);
    json_t *session = rc == ERR_OK ? public_json(req, &s, err, &rc) : NULL;
    if (rc == ERR_OK) {
        resp->status = 201;
        rc = response_set_json(resp,
                               json_pack("{s:I, s:s, s:s?, s:s?, s:o}", "participant_id",
                                         (json_int_t)id, "credential", credential, "name", name,
                                         "group", group, "session", session),
                               RESPONSE_TYPE_JSON, err);
    }
    memset(credential, 0, sizeof(credential));
    json_decref(root);
    store_session_clear(&s);
    return rc;
}
