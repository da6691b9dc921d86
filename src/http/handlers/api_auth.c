/* api_auth.c - the bearer-token check of the write routes, and the Content-Type every
 * write body must have. */
#include "http/handlers/api_auth.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "http/transport/response.h"
#include "scenario/token.h"
#include "store/store_scenario.h"
#include "store/store_workshop.h"
#include "base/utf8.h"

bool api_auth_bearer(const char *header, const char **token, size_t *len)
{
    if (header == NULL || strncasecmp(header, "Bearer", 6) != 0 ||
        (header[6] != ' ' && header[6] != '\t')) {
        return false;
    }
    const char *p = header + 6;
    while (*p == ' ' || *p == '\t') {
        p++;
    }
    size_t n = strcspn(p, " \t");
    const char *rest = p + n;
    while (*rest == ' ' || *rest == '\t') {
        rest++;
    }
    if (n == 0 || *rest != '\0') {
        return false;
    }
    *token = p;
    *len = n;
    return true;
}

/* The refusal as response.c writes every error: 401 (with the challenge) or 403. */
static void refuse(struct response *resp, int status, const char *description)
{
    struct err refusal;
    err_set(&refusal, status == 401 ? ERR_UNAUTHORIZED : ERR_FORBIDDEN, "%s", description);
    response_set_error(resp, &refusal);
}

/* A refusal a participant's phone shows: English and Thai. */
static void refuse_participant(struct response *resp, int status, const char *code, const char *en,
                               const char *th)
{
    response_set_status_error_with(resp, status, code, en,
                                   json_pack("{s:s}", "description_th", th));
    if (status == 401) {
        response_add_header(resp, "WWW-Authenticate", API_AUTH_CHALLENGE);
    }
}

/* A participant credential: its session must be open and of scenario_id. */
static int check_participant(struct request *req, struct response *resp, const char *token,
                             size_t len, const char *scenario_id, bool allow_participant,
                             struct api_principal *who, struct err *err)
{
    char hash[TOKEN_HASH_HEX_LEN + 1];
    token_hash(token, len, hash);
    struct store_read *rd = NULL;
    struct store_participant p;
    memset(&p, 0, sizeof(p));
    int rc = request_store(req, &rd, err);
    if (rc == ERR_OK) {
        rc = store_participant_lookup(store_read_conn(rd), hash, &p, err);
    }
    if (rc == ERR_NOT_FOUND) {
        refuse_participant(resp, 401, "Unauthorized",
                           "this participant credential is not known: join the session again",
                           "ไม่รู้จักรหัสผู้เข้าร่วมนี้ กรุณาเข้าร่วมเวทีอีกครั้ง");
        return ERR_OK;
    }
    if (rc != ERR_OK) {
        return rc;
    }
    if (!p.session.is_open) {
        refuse_participant(resp, 403, "SessionClosed",
                           "this workshop session is closed: changes are no longer taken",
                           "เวทีนี้ปิดแล้ว ไม่สามารถเพิ่มหรือแก้ไขได้อีก");
    } else if (scenario_id == NULL || strcmp(p.session.scenario_id, scenario_id) != 0) {
        refuse_participant(resp, 403, "Forbidden",
                           "this participant credential is for another scenario",
                           "รหัสผู้เข้าร่วมนี้ใช้กับภาพอนาคตอื่น");
    } else if (!allow_participant) {
        refuse_participant(resp, 403, "Forbidden",
                           "participants add and edit sketches; this needs a facilitator token",
                           "ผู้เข้าร่วมเพิ่มและแก้ไขภาพร่างได้เท่านั้น งานนี้ต้องใช้รหัสผู้ดำเนินการ");
    } else {
        who->role = API_ROLE_PARTICIPANT;
        who->participant_id = p.id;
        who->session_id = p.session.id;
        who->is_moderated = strcmp(p.session.mode, "moderated") == 0;
        if (p.name != NULL) {
            snprintf(who->name, sizeof(who->name), "%s", p.name);
        } else {
            snprintf(who->name, sizeof(who->name), "participant %lld", (long long)p.id);
        }
        snprintf(who->group, sizeof(who->group), "%s", p.group_id != NULL ? p.group_id : "");
    }
    store_participant_clear(&p);
    return ERR_OK;
}

int api_auth_who(struct request *req, struct response *resp, const char *scenario_id,
                 bool allow_participant, struct api_principal *who, struct err *err)
{
    memset(who, 0, sizeof(*who));
    who->role = API_ROLE_NONE;
    const char *token = NULL;
    size_t len = 0;
    if (req->authorization == NULL) {
        refuse(resp, 401,
               "this change needs a facilitator token: send 'Authorization: Bearer <token>' "
               "(a token comes from 'cityatlas token create')");
        return ERR_OK;
    }
    bool is_bearer = api_auth_bearer(req->authorization, &token, &len);
    if (is_bearer && token_is_well_formed_as(token, len, TOKEN_PARTICIPANT_PREFIX)) {
        return check_participant(req, resp, token, len, scenario_id, allow_participant, who, err);
    }
    /* A token of the wrong shape is unknown: no lookup needed. */
    if (!is_bearer || !token_is_well_formed(token, len)) {
        refuse(resp, 401,
               "the Authorization header holds no facilitator token: use "
               "'Authorization: Bearer cat_...'");
        return ERR_OK;
    }
    char hash[TOKEN_HASH_HEX_LEN + 1];
    token_hash(token, len, hash);
    struct store_read *rd = NULL;
    struct store_token_state state;
    int rc = request_store(req, &rd, err);
    if (rc == ERR_OK) {
        rc = store_read_token_lookup(rd, hash, &state, err);
    }
    if (rc != ERR_OK) {
        return rc;
    }
    if (state.status == STORE_TOKEN_UNKNOWN) {
        refuse(resp, 401, "this facilitator token is not known to the server");
        return ERR_OK;
    }
    char msg[sizeof(struct utf8_excerpt) * 2 + 160];
    if (state.status == STORE_TOKEN_REVOKED) {
        snprintf(msg, sizeof(msg), "the facilitator token '%s' was revoked",
                 utf8_excerpt(state.name, 100).text);
        refuse(resp, 403, msg);
        return ERR_OK;
    }
    bool covers = state.is_admin;
    if (!covers && scenario_id != NULL) {
        rc = store_token_covers(store_read_conn(rd), state.name, scenario_id, &covers, err);
        if (rc != ERR_OK) {
            return rc;
        }
    }
    if (!covers) {
        if (scenario_id != NULL) {
            snprintf(msg, sizeof(msg),
                     "the facilitator token '%s' is not for scenario '%s' (it may change only "
                     "the scenarios named when it was made)",
                     utf8_excerpt(state.name, 100).text, utf8_excerpt(scenario_id, 60).text);
        } else {
            snprintf(msg, sizeof(msg),
                     "the facilitator token '%s' is for some scenarios only; creating a new "
                     "scenario needs an admin token (one made without --scenario)",
                     utf8_excerpt(state.name, 100).text);
        }
        refuse(resp, 403, msg);
        return ERR_OK;
    }
    who->role = state.is_admin ? API_ROLE_ADMIN : API_ROLE_FACILITATOR;
    snprintf(who->name, sizeof(who->name), "%s", state.name);
    return ERR_OK;
}

int api_auth_require(struct request *req, struct response *resp, bool *is_allowed, char *name,
                     size_t name_cap, struct err *err)
{
    struct api_principal who;
    int rc = api_auth_who(req, resp, request_path_param(req, "scenarioId"), false, &who, err);
    *is_allowed = rc == ERR_OK && who.role != API_ROLE_NONE;
    if (*is_allowed && name != NULL && name_cap > 0) {
        snprintf(name, name_cap, "%s", who.name);
    }
    return rc;
}

bool api_auth_is_json_type(const char *content_type)
{
    static const char *const types[] = {"application/json", "application/geo+json"};
    if (content_type == NULL) {
        return false;
    }
    size_t len = strcspn(content_type, ";");
    while (len > 0 && (content_type[len - 1] == ' ' || content_type[len - 1] == '\t')) {
        len--;
    }
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        if (strlen(types[i]) == len && strncasecmp(content_type, types[i], len) == 0) {
            return true;
        }
    }
    return false;
}

int api_auth_begin_write(struct request *req, struct response *resp, bool has_body, bool *may_go,
                         struct err *err)
{
    struct api_principal who;
    return api_auth_begin_write_as(req, resp, has_body, false, &who, may_go, err);
}

int api_auth_begin_write_as(struct request *req, struct response *resp, bool has_body,
                            bool allow_participant, struct api_principal *who, bool *may_go,
                            struct err *err)
{
    int rc =
        api_auth_who(req, resp, request_path_param(req, "scenarioId"), allow_participant, who, err);
    *may_go = rc == ERR_OK && who->role != API_ROLE_NONE;
    if (rc == ERR_OK && *may_go && has_body && !api_auth_is_json_type(req->content_type)) {
        char msg[sizeof(struct utf8_excerpt) + 128];
        snprintf(msg, sizeof(msg),
                 "the body must be JSON: Content-Type application/json or "
                 "application/geo+json, not '%s'",
                 utf8_excerpt(req->content_type != NULL ? req->content_type : "(none)", 60).text);
        struct err refusal;
        err_set(&refusal, ERR_UNSUPPORTED_MEDIA_TYPE, "%s", msg);
        response_set_error(resp, &refusal);
        *may_go = false;
    }
    /* A change, or the refusal of one, is never an answer to keep. */
    response_add_header(resp, "Cache-Control", "no-store");
    return rc;
}
