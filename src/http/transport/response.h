/* response.h - filling a struct response: JSON documents, and errors (the only place
 * where an error code becomes an HTTP status). */
#ifndef CITYATLAS_HTTP_RESPONSE_H
#define CITYATLAS_HTTP_RESPONSE_H

#include <jansson.h>

#include "http/transport/request.h"

/* Content types we send. */
#define RESPONSE_TYPE_JSON "application/json"
/* The WWW-Authenticate challenge a 401 (ERR_UNAUTHORIZED) carries. */
#define RESPONSE_AUTH_CHALLENGE "Bearer realm=\"cityatlas\""
#define RESPONSE_TYPE_GEOJSON "application/geo+json"
#define RESPONSE_TYPE_OPENAPI "application/vnd.oai.openapi+json;version=3.0"
#define RESPONSE_TYPE_SCHEMA "application/schema+json"
#define RESPONSE_TYPE_HTML "text/html; charset=utf-8"
#define RESPONSE_TYPE_CSV "text/csv; charset=utf-8"
#define RESPONSE_TYPE_EVENT_STREAM "text/event-stream"

void response_init(struct response *resp);
/* Frees everything the response owns, including an unstarted stream. */
void response_clear(struct response *resp);

/* Serialises doc (taking the reference) as the body with content_type. */
int response_set_json(struct response *resp, json_t *doc, const char *content_type,
                      struct err *err) WARN_UNUSED;

/* Replaces whatever the response holds by the JSON error document for err:
 * {"code": "...", "description": "<err->msg>"} with the status that err's code maps to
 * (ERR_INVALID 400, ERR_UNAUTHORIZED 401 with WWW-Authenticate, ERR_FORBIDDEN 403,
 * ERR_NOT_FOUND 404, ERR_CONFLICT 409, ERR_TOO_LARGE 413, ERR_UNSUPPORTED_MEDIA_TYPE 415,
 * ERR_BUSY 503, ERR_READ_ONLY 503 with its reason, else 500; the message of a 500 is
 * logged, not sent). The one place an error becomes a status. */
void response_set_error(struct response *resp, const struct err *err);

/* Same, for statuses that do not come from an error code (405, 414, 431, 406). */
void response_set_status_error(struct response *resp, int status, const char *code,
                               const char *description);

/* The same with the fields of extra (taken; may be NULL) added beside code, description
 * and status: e.g. "description_th" for a participant's phone, "current" for a 412. */
void response_set_status_error_with(struct response *resp, int status, const char *code,
                                    const char *description, json_t *extra);

#endif
