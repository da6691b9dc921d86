/* api_auth.c - the bearer-token check of the write routes, and the Content-Type every
 * write body must have. */
#include "http/api_auth.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "http/response.h"
#include "scenario/token.h"
#include "store/store_scenario.h"
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

static void refuse(struct response *resp, int status, const char *description)
{
    response_set_status_error(resp, status, status == 401 ? "Unauthorized" : "Forbidden",
                              description);
    if (status == 401) {
        response_add_header(resp, "WWW-Authenticate", API_AUTH_CHALLENGE);
    }
}

int api_auth_require(struct request *req, struct response *resp, bool *is_allowed, char *name,
                     size_t name_cap, struct err *err)
{
    *is_allowed = false;
    const char *token = NULL;
    size_t len = 0;
    if (req->authorization == NULL) {
        refuse(resp, 401,
               "this change needs a facilitator token: send 'Authorization: Bearer <token>' "
               "(a token comes from 'cityatlas token create')");
        return ERR_OK;
    }
    /* A token of the wrong shape is unknown: no lookup needed. */
    if (!api_auth_bearer(req->authorization, &token, &len) || !token_is_well_formed(token, len)) {
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
    if (state.status == STORE_TOKEN_REVOKED) {
        char msg[sizeof(struct utf8_excerpt) + 128];
        snprintf(msg, sizeof(msg), "the facilitator token '%s' was revoked",
                 utf8_excerpt(state.name, 100).text);
        refuse(resp, 403, msg);
        return ERR_OK;
    }
    if (name != NULL && name_cap > 0) {
        snprintf(name, name_cap, "%s", state.name);
    }
    *is_allowed = true;
    return ERR_OK;
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
    int rc = api_auth_require(req, resp, may_go, NULL, 0, err);
    if (rc == ERR_OK && *may_go && has_body && !api_auth_is_json_type(req->content_type)) {
        char msg[sizeof(struct utf8_excerpt) + 128];
        snprintf(msg, sizeof(msg),
                 "the body must be JSON: Content-Type application/json or "
                 "application/geo+json, not '%s'",
                 utf8_excerpt(req->content_type != NULL ? req->content_type : "(none)", 60).text);
        response_set_status_error(resp, 415, "UnsupportedMediaType", msg);
        *may_go = false;
    }
    /* A change, or the refusal of one, is never an answer to keep. */
    response_add_header(resp, "Cache-Control", "no-store");
    return rc;
}
