/* api_openapi_fixed.c - the parts of the "/api" document that no table or data decides
 * (the OpenAPI version, info, the document, collection, feature and workshop schemas, the
 * error responses, the security scheme) are data: openapi_fixed.json, compiled into the
 * binary by cmake/embed_file.cmake and parsed once, on first use. A text in both
 * languages is written there as {"@text": {"en": "...", "th": "..."}}, which no OpenAPI
 * object has as its only member. */
#include "http/server/api_openapi_int.h"

#include <pthread.h>

/* src/CMakeLists.txt generates these from openapi_fixed.json. */
extern const unsigned char openapi_fixed_json[];
extern const size_t openapi_fixed_json_len;

static pthread_once_t parse_once = PTHREAD_ONCE_INIT;
static json_t *fixed_doc;      /* read-only once parsed; kept for the process's life */
static json_error_t fixed_err; /* why it failed to parse (a build that cannot serve /api) */

static void parse_fixed(void)
{
    fixed_doc = json_loadb((const char *)openapi_fixed_json, openapi_fixed_json_len,
                           JSON_REJECT_DUPLICATES, &fixed_err);
}

/* A copy of node with each {"@text": {...}} replaced by its text in lang. */
static json_t *localized(json_t *node, enum http_lang lang)
{
    json_t *text = json_is_object(node) ? json_object_get(node, "@text") : NULL;
    if (text != NULL) {
        return json_deep_copy(json_object_get(text, lang == HTTP_LANG_TH ? "th" : "en"));
    }
    const char *key;
    json_t *value;
    size_t i;
    if (json_is_object(node)) {
        json_t *copy = json_object();
        json_object_foreach(node, key, value)
        {
            json_object_set_new(copy, key, localized(value, lang));
        }
        return copy;
    }
    if (json_is_array(node)) {
        json_t *copy = json_array();
        json_array_foreach(node, i, value)
        {
            json_array_append_new(copy, localized(value, lang));
        }
        return copy;
    }
    return json_deep_copy(node);
}

int openapi_fixed(enum http_lang lang, json_t **out, struct err *err)
{
    pthread_once(&parse_once, parse_fixed);
    if (fixed_doc == NULL) {
        *out = NULL;
        return err_set(err, ERR_INTERNAL, "openapi_fixed.json, line %d: %s", fixed_err.line,
                       fixed_err.text);
    }
    *out = localized(fixed_doc, lang);
    return ERR_OK;
}
