/* api_auth.h - who may write: the facilitator's bearer token. A request that changes a
 * scenario or a sketch carries "Authorization: Bearer cat_..."; the token is hashed
 * (src/scenario/token.h) and its hash looked up in the database (store_scenario.h), so the
 * server never holds a token's text. Checked before the body is parsed. */
#ifndef CITYATLAS_HTTP_API_AUTH_H
#define CITYATLAS_HTTP_API_AUTH_H

#include <stdbool.h>

#include "http/request.h"

/* The realm the WWW-Authenticate challenge names. */
#define API_AUTH_CHALLENGE "Bearer realm=\"cityatlas\""

/* Checks req->authorization against the tokens of the request's snapshot. Sets
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

/* True for the media types a write body may have: application/json and application/geo+json,
 * case-insensitive, with or without parameters. */
bool api_auth_is_json_type(const char *content_type);

/* The token part of an Authorization header value "Bearer <token>" (the scheme is
 * case-insensitive, spaces around the token are skipped): *token and *len, or false for any
 * other shape. */
bool api_auth_bearer(const char *header, const char **token, size_t *len);

#endif
