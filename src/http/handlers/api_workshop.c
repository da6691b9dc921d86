/* api_workshop.c - the JSON and headers the workshop handlers share (api_workshop.h). */
#include "http/handlers/api_workshop.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/parse.h"
#include "base/utf8.h"
#include "http/transport/response.h"

json_t *api_workshop_feature(const struct store_sketch_info *s, bool with_status)
{
    json_t *geometry = json_loads(s->geometry, 0, NULL);
    json_t *props =
        json_pack("{s:I, s:s, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:I}", "sketch_id",
                  (json_int_t)s->id, "kind", s->kind, "note", s->note, "group_name", s->group_name,
                  "created_at", s->created_at, "updated_at", s->updated_at, "created_by",
                  s->created_by, "updated_by", s->updated_by, "version", (json_int_t)s->version);
    if (with_status) {
        json_object_set_new(props, "status", json_string(s->status));
        json_object_set_new(props, "participant_id",
                            s->participant_id > 0 ? json_integer(s->participant_id) : json_null());
    }
    return json_pack("{s:s, s:I, s:o, s:o}", "type", "Feature", "id", (json_int_t)s->id, "geometry",
                     geometry != NULL ? geometry : json_null(), "properties", props);
}

void api_workshop_set_etag(struct response *resp, int64_t version)
{
    free(resp->etag);
    resp->etag = xasprintf("\"v%lld\"", (long long)version);
}

void api_workshop_too_many(struct response *resp, int retry_after_s)
{
    char en[160], th[200], seconds[16];
    snprintf(seconds, sizeof(seconds), "%d", retry_after_s);
    snprintf(en, sizeof(en), "too many changes in a short time: wait %d s and try again",
             retry_after_s);
    snprintf(th, sizeof(th), "ส่งการแก้ไขถี่เกินไป กรุณารอ %d วินาทีแล้วลองใหม่", retry_after_s);
    response_set_status_error_with(
        resp, 429, "TooManyRequests", en,
        json_pack("{s:s, s:i}", "description_th", th, "retry_after", retry_after_s));
    response_add_header(resp, "Retry-After", seconds);
}

int api_sketch_id_of(const struct request *req, int64_t *id, struct err *err)
{
    const char *sketch_text = request_path_param(req, "featureId");
    if (parse_int64(sketch_text, 1, INT64_MAX, "featureId", id, err) != ERR_OK) {
        return err_set(err, ERR_NOT_FOUND, "scenario '%s' has no sketch '%s'",
                       utf8_excerpt(request_path_param(req, "scenarioId"), 60).text,
                       utf8_excerpt(sketch_text, 40).text);
    }
    return ERR_OK;
}
