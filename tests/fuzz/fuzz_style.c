/* fuzz_style.c - map style documents (the JSON files in styles/, the MapLibre subset): any JSON is
 * checked against the subset and accepted or refused with a message, never a crash. */
#include "fuzz.h"

#include <stdlib.h>

#include <jansson.h>

#include "styles/style_load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > STYLE_MAX_FILE_BYTES) {
        return 0; /* style_load_file refuses these before parsing */
    }
    json_t *doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
    if (doc == NULL) {
        return 0;
    }
    struct err err;
    if (style_check(doc, "fuzz.json", &err) != ERR_OK && err.msg[0] == '\0') {
        abort();
    }
    json_decref(doc);
    return 0;
}
