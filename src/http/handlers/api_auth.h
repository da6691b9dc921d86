/* api_auth.h - who may write: the facilitator's bearer token. A request that changes a
 * scenario or a sketch carries "Authorization: Bearer cat_..."; the token is hashed
 * (src/scenario/token.h) and its hash looked up in the database (store_scenario.h), so the
 * server never holds a token's text. Checked before the body is parsed. */
#ifndef CITYATLAS_HTTP_API_AUTH_H
#define CITYATLAS_HTTP_API_AUTH_H

#include <stdbool.h>
#include <stdint.h>

#include "http/transport/request.h"
#include "http/transport/response.h"

/* The WWW-Authenticate challenge of every 401 (response.c sends it with ERR_UNAUTHORIZED). */
#define API_AUTH_CHALLENGE RESPONSE_AUTH_CHALLENGE

enum api_role {
    API_ROLE_NONE,        /* refused: resp holds the answer */
    API_ROLE_ADMIN,       /* a token made without --scenario */
    API_ROLE_FACILITATOR, /* a token limited to some scenarios (this one among them) */
    API_ROLE_PARTICIPANT, /* a participant credential of an open session of this scenario */
};

/* Who sends a request. */
struct api_principal {
    enum api_role role;
    char name[128];         /* the token's name, or the participant's display name */
    char group[64];         /* a participant's group id, or "" */
    int64_t participant_id; /* participants only */
    int64_t session_id;
    bool is_moderated; /* a participant of a moderated session */
};

/* Who may change scenario_id (NULL: something of no scenario, e.g. creating one, which
 * needs an admin token): an admin token, a facilitator token naming it, or (when
 * allow_participant) a participant of an open session of it. who->role API_ROLE_NONE: resp
 * holds the refusal: 401 (no, malformed or unknown credential), 403 (a revoked token,
 * another scenario's token or credential, a closed session: "code" "SessionClosed", with
 * "description_th"). Fails only when the database does. */
int api_auth_who(struct request *req, struct response *resp, const char *scenario_id,
                 bool allow_participant, struct api_principal *who, struct err *err) WARN_UNUSED;

/* Checks req->authorization against the tokens of the request's snapshot, for the scenario
 * of the route (its {scenarioId}; none: admin tokens only). Sets
 * *is_allowed; when false, resp already holds the answer: 401 with WWW-Authenticate (no
 * header, another scheme, a malformed or unknown token) or 403 (a revoked token), each a
 * JSON error saying what to do. On success *name (may be NULL) gets the token's name
 * (cap >= 101). Fails only when the database does (ERR_BUSY, ERR_DB). */
int api_auth_require(struct request *req, struct response *resp, bool *is_allowed, char *name,
                     size_t name_cap, struct err *err) WARN_UNUSED;

/* What every write does first: api_auth_require, then, when has_body, the Content-Type
 * must be application/json or application/geo+json (parameters such as charset allowed):
 * 415 otherwise. Also marks the answer as never to be cached. *may_go false: resp holds
 * the refusal. */
int api_auth_begin_write(struct request *req, struct response *resp, bool has_body, bool *may_go,
                         struct err *err) WARN_UNUSED;

/* api_auth_begin_write for a route participants may use too (sketch writes): *who says
 * who is writing. */
int api_auth_begin_write_as(struct request *req, struct response *resp, bool has_body,
                            bool allow_participant, struct api_principal *who, bool *may_go,
                            struct err *err) WARN_UNUSED;

/* True for the media types a write body may have: application/json and application/geo+json,
 * case-insensitive, with or without parameters. */
bool api_auth_is_json_type(const char *content_type);

/* The token part of an Authorization header value "Bearer <token>" (the scheme is
 * case-insensitive, spaces around the token are skipped): *token and *len, or false for any
 * other shape. */
bool api_auth_bearer(const char *header, const char **token, size_t *len);

#endif
