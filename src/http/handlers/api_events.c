/* api_events.c - GET /scenarios/{scenarioId}/events: the public changes feed
 * (GET .../changes, api_changes_list) as Server-Sent Events for projectors and phones.
 * Each change is one event whose id is its history id, so an EventSource reconnecting
 * with Last-Event-ID (or a client asking ?after=H) resumes exactly after what it had;
 * only what the public sees goes out (moderation). With ?session=ID the stream belongs to
 * that workshop session and ends with an "end" event when it closes. The stream itself
 * (suspension, heartbeats, caps) is live_hub.c's; this file says what flows in it. */
#include "http/handlers/api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/parse.h"
#include "base/utf8.h"
#include "http/transport/api_common.h"
#include "http/transport/route.h"
#include "http/handlers/api_workshop.h"
#include "http/transport/live_hub.h"
#include "http/transport/response.h"
#include "store/store_read.h"
#include "store/store_workshop.h"

/* History entries read per query while catching up (a reconnect after a long absence). */
#define EVENTS_PAGE 200
/* Seconds a client refused by a cap is told to wait. */
#define EVENTS_RETRY_AFTER "10"

struct events_source {
    struct store_pool *pool;
    char *scenario_id;
    int64_t session_id; /* > 0: the stream ends when this session is no longer open */
    int64_t after;      /* the last history id read */
};

/* A session closed by the CLI, or past its end time, announces nothing: each fill (at
 * least every heartbeat) looks. */
static int check_session_open(struct store *conn, const struct events_source *src,
                              const char **end_reason, struct err *err)
{
    struct store_session s;
    memset(&s, 0, sizeof(s));
    int rc = store_session_get(conn, src->scenario_id, src->session_id, &s, err);
    if (rc == ERR_NOT_FOUND || (rc == ERR_OK && !s.is_open)) {
        *end_reason = "session-closed";
        rc = ERR_OK;
    }
    store_session_clear(&s);
    return rc;
}

static int fill_events(void *ctx, struct buf *out, bool *is_more, const char **end_reason,
                       struct err *err)
{
    struct events_source *src = ctx;
    struct store_read *rd = NULL;
    json_t *changes = NULL;
    int64_t last = src->after;
    int rc = store_read_begin(src->pool, &rd, err);
    if (rc == ERR_OK) {
        rc = api_changes_list(store_read_conn(rd), src->scenario_id, src->after, EVENTS_PAGE,
                              &changes, &last, is_more, err);
    }
    if (rc == ERR_OK && src->session_id > 0) {
        rc = check_session_open(store_read_conn(rd), src, end_reason, err);
    }
    store_read_end(rd);
    size_t i;
    json_t *change;
    json_array_foreach(changes, i, change)
    {
        /* Compact JSON has no line break: one data: line per event. */
        char *data = json_dumps(change, JSON_COMPACT | JSON_REAL_PRECISION(15));
        if (rc == ERR_OK) {
            rc = buf_printf(out, err, "id: %lld\ndata: %s\n\n",
                            (long long)json_integer_value(json_object_get(change, "id")),
                            data != NULL ? data : "{}");
        }
        free(data);
    }
    json_decref(changes);
    if (rc == ERR_OK) {
        src->after = last;
    }
    return rc;
}

static void free_events(void *ctx)
{
    struct events_source *src = ctx;
    free(src->scenario_id);
    free(src);
}

/* Where the stream starts: Last-Event-ID (an EventSource reconnecting) wins over ?after. */
static int start_after(const struct request *req, int64_t *after, struct err *err)
{
    *after = 0;
    if (req->last_event_id != NULL && req->last_event_id[0] != '\0') {
        return parse_int64(req->last_event_id, 0, INT64_MAX, "Last-Event-ID", after, err);
    }
    return api_query_int(req, "after", after, err);
}

/* ?session=ID: a session of this scenario that is still open (410 when it is not). */
static int check_session(struct request *req, struct store_read *rd, int64_t *session_id,
                         struct response *resp, bool *is_refused, struct err *err)
{
    const char *scenario_id = request_path_param(req, "scenarioId");
    *session_id = 0;
    *is_refused = false;
    int rc = api_query_int(req, "session", session_id, err);
    if (rc != ERR_OK || *session_id == 0) {
        return rc;
    }
    struct store_session s;
    memset(&s, 0, sizeof(s));
    if (rc == ERR_OK) {
        rc = store_session_get(store_read_conn(rd), scenario_id, *session_id, &s, err);
    }
    if (rc == ERR_NOT_FOUND) {
        rc = err_set(err, ERR_NOT_FOUND, "scenario '%s' has no session %lld",
                     utf8_excerpt(scenario_id, 60).text, (long long)*session_id);
    }
    if (rc == ERR_OK && !s.is_open) {
        /* Not 200: an EventSource stops for good instead of reconnecting. */
        response_set_status_error_with(
            resp, 410, "Gone", "this workshop session is closed: nothing more will come",
            json_pack("{s:s}", "description_th", "กิจกรรมนี้ปิดแล้ว: จะไม่มีความเห็นใหม่อีก"));
        *is_refused = true;
    }
    store_session_clear(&s);
    return rc;
}

int api_events(struct request *req, struct response *resp, struct err *err)
{
    struct store_read *rd = NULL;
    int64_t after = 0, session_id = 0;
    bool is_refused = false;
    int rc = api_scenario_check(req, &rd, err);
    if (rc == ERR_OK) {
        rc = api_check_params(req, err);
    }
    if (rc == ERR_OK) {
        rc = start_after(req, &after, err);
    }
    if (rc == ERR_OK) {
        rc = check_session(req, rd, &session_id, resp, &is_refused, err);
    }
    if (rc != ERR_OK || is_refused) {
        return rc;
    }
    if (req->app->live == NULL) {
        return err_set(err, ERR_BUSY, "this server has no live streams; poll .../changes");
    }
    response_add_header(resp, "Cache-Control", "no-store");
    response_add_header(resp, "X-Accel-Buffering", "no"); /* a proxy must not hold events */
    resp->content_type = RESPONSE_TYPE_EVENT_STREAM;
    if (req->method == HTTP_HEAD) {
        return ERR_OK;
    }
    struct events_source *src = xcalloc(1, sizeof(*src));
    src->pool = req->app->pool;
    const char *scenario_id = request_path_param(req, "scenarioId");
    src->scenario_id = xstrdup(scenario_id);
    src->session_id = session_id;
    src->after = after;
    struct live_source source = {fill_events, free_events, src};
    rc = live_hub_join(req->app->live, scenario_id, session_id, req->client_address, source,
                       &resp->live, err);
    if (rc == ERR_BUSY) {
        char msg[ERR_MSG_CAP];
        snprintf(msg, sizeof(msg), "%.400s; try again in a moment, or poll .../changes", err->msg);
        response_set_status_error(resp, 503, "ServiceUnavailable", msg);
        response_add_header(resp, "Retry-After", EVENTS_RETRY_AFTER);
        return ERR_OK;
    }
    return rc;
}
