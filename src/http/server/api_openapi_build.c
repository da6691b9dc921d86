/* api_openapi_build.c - the small builders of OpenAPI JSON that every part of the "/api"
 * document uses (api_openapi_int.h): references, types, enums, object schemas, query
 * parameters, the answers of a read. Apart from api_openapi.c, which assembles the
 * document from its parts (api_openapi_stats.c, _scenarios.c, _maps.c, _tiles.c), so that
 * the parts depend on these builders and not on the file that calls them. */
#include "http/server/api_openapi_int.h"

#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"

json_t *openapi_ref(const char *section, const char *name)
{
    char *target = xasprintf("#/components/%s/%s", section, name);
    json_t *r = json_pack("{s:s}", "$ref", target);
    free(target);
    return r;
}

json_t *openapi_typed(const char *type)
{
    return json_pack("{s:s}", "type", type);
}

json_t *openapi_array_of(json_t *items)
{
    return json_pack("{s:s, s:o}", "type", "array", "items", items);
}

json_t *openapi_query_param(const char *name, const char *description, json_t *schema)
{
    /* style form, explode false: arrays are one comma-separated value (bbox=1,2,3,4). */
    return json_pack("{s:s, s:s, s:b, s:s, s:o, s:s, s:b}", "name", name, "in", "query", "required",
                     0, "description", description, "schema", schema, "style", "form", "explode",
                     0);
}

json_t *openapi_string_enum(const char *const *values, size_t n, const char *fallback)
{
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++) {
        json_array_append_new(list, json_string(values[i]));
    }
    json_t *schema = json_pack("{s:s, s:o}", "type", "string", "enum", list);
    if (fallback != NULL) {
        json_object_set_new(schema, "default", json_string(fallback));
    }
    return schema;
}

/* An object with these properties, of which the NULL-terminated required list must be
 * present (NULL: none). */
json_t *openapi_object_schema(const char *const *required, json_t *properties)
{
    json_t *schema = json_pack("{s:s, s:o}", "type", "object", "properties", properties);
    if (required != NULL) {
        json_t *names = json_array();
        for (size_t i = 0; required[i] != NULL; i++) {
            json_array_append_new(names, json_string(required[i]));
        }
        json_object_set_new(schema, "required", names);
    }
    return schema;
}

json_t *openapi_nullable(json_t *schema)
{
    json_object_set_new(schema, "nullable", json_true());
    return schema;
}

/* A $ref cannot carry nullable next to it in OpenAPI 3.0, and nullable needs a type beside
 * it (3.0.3): an object type with the reference in allOf. */
json_t *openapi_nullable_ref(const char *name)
{
    return json_pack("{s:s, s:b, s:[o]}", "type", "object", "nullable", 1, "allOf",
                     openapi_ref("schemas", name));
}

void openapi_add_request_limits(json_t *responses)
{
    json_object_set_new(responses, "414", openapi_ref("responses", "URITooLong"));
    json_object_set_new(responses, "431", openapi_ref("responses", "HeadersTooLarge"));
}

json_t *openapi_read_responses(json_t *ok, const char *pattern, const char *not_found)
{
    json_t *r =
        json_pack("{s:o, s:o, s:o}", "200", ok, "304", openapi_ref("responses", "NotModified"),
                  "400", openapi_ref("responses", "InvalidParameter"));
    if (strchr(pattern, '{') != NULL) { /* names something that may not exist */
        json_object_set_new(r, "404", openapi_ref("responses", not_found));
    }
    json_object_set_new(r, "405", openapi_ref("responses", "MethodNotAllowed"));
    openapi_add_request_limits(r);
    json_object_set_new(r, "500", openapi_ref("responses", "ServerError"));
    json_object_set_new(r, "503", openapi_ref("responses", "ServiceUnavailable"));
    return r;
}

/* {"type":"string","enum":[value]} */
json_t *openapi_constant(const char *value)
{
    return json_pack("{s:s, s:[s]}", "type", "string", "enum", value);
}

const void *openapi_doc_of(const void *docs, size_t n, size_t size, const char *operation_id)
{
    for (size_t i = 0; i < n; i++) {
        const void *doc = (const char *)docs + i * size;
        if (strcmp(*(const char *const *)doc, operation_id) == 0) {
            return doc;
        }
    }
    return NULL;
}

json_t *openapi_summary_operation(const char *operation_id, const char *summary, json_t *responses)
{
    return json_pack("{s:s, s:s, s:o}", "operationId", operation_id, "summary", summary,
                     "responses", responses);
}
