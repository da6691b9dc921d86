/* api_workshop.h - what the workshop handlers (issue 12: api_sketches.c, api_sketch_views.c,
 * api_sessions.c) share: a sketch as a GeoJSON Feature with its workshop properties, its
 * ETag, the 429 answer. */
#ifndef CITYATLAS_HTTP_API_WORKSHOP_H
#define CITYATLAS_HTTP_API_WORKSHOP_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "http/transport/request.h"
#include "store/store_workshop.h"

/* Sketches must lie inside the scenario's extent grown by this fraction of its width and
 * height on each side: room for a proposal just past the edge, none for one across town. */
#define API_SKETCH_EXTENT_MARGIN 0.1
/* Features a participant may add in one request. */
#define API_PARTICIPANT_MAX_ADD 20

/* {"type":"Feature","id","geometry","properties":{sketch_id, kind, note, group_name,
 * created_at, updated_at, created_by, updated_by, version[, status, participant_id]}}:
 * status and participant_id when with_status (the workshop views). New reference. */
json_t *api_workshop_feature(const struct store_sketch_info *s, bool with_status);

/* ETag "v<version>" (what If-Match sends back). */
void api_workshop_set_etag(struct response *resp, int64_t version);

/* 429 with Retry-After: retry_after_s, in English and Thai. */
void api_workshop_too_many(struct response *resp, int retry_after_s);

/* {featureId} as a sketch id; ERR_NOT_FOUND for an id that is no positive integer. */
int api_sketch_id_of(const struct request *req, int64_t *id, struct err *err) WARN_UNUSED;

/* ERR_NOT_FOUND naming the route's scenario when the request's snapshot (*rd, opened
 * here) has none of that id. */
int api_scenario_check(struct request *req, struct store_read **rd, struct err *err) WARN_UNUSED;

/* The public changes of scenario_id after history id `after`, from at most limit history
 * entries: *changes a new array of {id, action (created|updated|deleted), sketch_id,
 * version, at, feature (null when deleted)} in the public's eyes (a sketch that became
 * visible is "created", one that stopped being visible "deleted"), *last the last
 * history id read (after when none), *is_more when limit entries were read. The same
 * for GET .../changes and the live stream GET .../events. */
int api_changes_list(struct store *conn, const char *scenario_id, int64_t after, int64_t limit,
                     json_t **changes, int64_t *last, bool *is_more, struct err *err) WARN_UNUSED;

/* The authorised views of GET .../sketches and .../sketches/{featureId}
 * (api_sketch_views.c): a facilitator sees every sketch with its status, a participant the
 * visible ones and their own. */
int api_sketches_view(struct request *req, struct response *resp, struct err *err) WARN_UNUSED;
int api_sketch_view(struct request *req, struct response *resp, struct err *err) WARN_UNUSED;

#endif
