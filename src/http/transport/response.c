/* response.c - JSON bodies and the mapping from error codes to HTTP statuses. */
#include "http/transport/response.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/utf8.h"
#include "http/transport/live_hub.h"

void response_init(struct response *resp)
{
    memset(resp, 0, sizeof(*resp));
    resp->status = 200;
    resp->content_type = RESPONSE_TYPE_JSON;
    buf_init(&resp->body, RESPONSE_BODY_CAP);
}

static void drop_stream(struct response *resp)
{
    if (resp->stream.free != NULL) {
        resp->stream.free(resp->stream.ctx);
    }
    memset(&resp->stream, 0, sizeof(resp->stream));
}

void response_clear(struct response *resp)
{
    drop_stream(resp);
    live_hub_drop(resp->live);
    buf_clear(&resp->body);
    free(resp->etag);
    free(resp->last_modified);
    for (size_t i = 0; i < resp->n_headers; i++) {
        free(resp->headers[i].value);
    }
    memset(resp, 0, sizeof(*resp));
}

int response_set_json(struct response *resp, json_t *doc, const char *content_type, struct err *err)
{
    /* 15 significant digits: every decimal a person or a file wrote (an extent of 98.95)
     * comes back as written, where jansson's default 17 prints 98.950000000000003. */
    char *text = json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(15));
    json_decref(doc);
    if (text == NULL) {
        return err_set(err, ERR_INTERNAL, "could not serialise a JSON document");
    }
    buf_clear(&resp->body);
    buf_init(&resp->body, RESPONSE_BODY_CAP);
    int rc = buf_append_str(&resp->body, text, err);
    free(text);
    resp->content_type = content_type;
    return rc;
}

/* {"code", "description", "status"}, or NULL when jansson refuses the strings. A
 * description that is not valid UTF-8 (a value echoed from a request, cut by bytes
 * somewhere) is repaired with U+FFFD rather than lose the whole body. */
static json_t *error_doc(int status, const char *code, const char *description)
{
    json_t *doc =
        json_pack("{s:s, s:s, s:i}", "code", code, "description", description, "status", status);
    if (doc != NULL) {
        return doc;
    }
    char *valid = utf8_valid_copy(description != NULL ? description : "");
    doc = json_pack("{s:s, s:s, s:i}", "code", code, "description", valid, "status", status);
    free(valid);
    return doc;
}

void response_set_status_error(struct response *resp, int status, const char *code,
                               const char *description)
{
    response_set_status_error_with(resp, status, code, description, NULL);
}

void response_set_status_error_with(struct response *resp, int status, const char *code,
                                    const char *description, json_t *extra)
{
    drop_stream(resp);
    free(resp->etag);
    resp->etag = NULL;
    free(resp->last_modified);
    resp->last_modified = NULL;
    resp->is_cacheable = false;
    resp->status = status;
    json_t *doc = error_doc(status, code, description);
    if (doc != NULL && extra != NULL) {
        json_object_update_missing(doc, extra);
    }
    json_decref(extra);
    struct err ignored;
    if (doc == NULL || response_set_json(resp, doc, RESPONSE_TYPE_JSON, &ignored) != ERR_OK) {
        /* Never an empty error body: a fixed document that cannot fail to encode. */
        char text[160];
        snprintf(text, sizeof(text),
                 "{\"code\":\"%s\",\"description\":\"the server could not describe this "
                 "error\",\"status\":%d}",
                 code, status);
        buf_clear(&resp->body);
        buf_init(&resp->body, RESPONSE_BODY_CAP);
        if (buf_append_str(&resp->body, text, &ignored) != ERR_OK) {
            buf_clear(&resp->body);
        }
        resp->content_type = RESPONSE_TYPE_JSON;
    }
}

void response_set_error(struct response *resp, const struct err *err)
{
    switch (err->code) {
    case ERR_INVALID:
        response_set_status_error(resp, 400, "InvalidParameterValue", err->msg);
        return;
    case ERR_NOT_FOUND:
        response_set_status_error(resp, 404, "NotFound", err->msg);
        return;
    case ERR_TOO_LARGE:
        response_set_status_error(resp, 413, "PayloadTooLarge", err->msg);
        return;
    case ERR_UNAUTHORIZED:
        response_set_status_error(resp, 401, "Unauthorized", err->msg);
        response_add_header(resp, "WWW-Authenticate", RESPONSE_AUTH_CHALLENGE);
        return;
    case ERR_FORBIDDEN:
        response_set_status_error(resp, 403, "Forbidden", err->msg);
        return;
    case ERR_CONFLICT:
        response_set_status_error(resp, 409, "Conflict", err->msg);
        return;
    case ERR_UNSUPPORTED_MEDIA_TYPE:
        response_set_status_error(resp, 415, "UnsupportedMediaType", err->msg);
        return;
    case ERR_READ_ONLY:
        /* Not the client's fault and not passing: the reason tells the operator's fix. */
        response_set_status_error(resp, 503, "ServiceUnavailable", err->msg);
        return;
    case ERR_BUSY:
        response_add_header(resp, "Retry-After", "1");
        response_set_status_error(resp, 503, "ServiceUnavailable",
                                  "the server is busy; retry in a second");
        return;
    default:
        log_error("internal error: %s", err->msg);
        response_set_status_error(resp, 500, "InternalServerError",
                                  "the server failed to answer; the error is in its log");
        return;
    }
}
