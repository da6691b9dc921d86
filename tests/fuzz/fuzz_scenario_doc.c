/* fuzz_scenario_doc.c - scenario documents (PUT /scenarios/{id}, scenarios import):
 * accepted or refused with a message naming the JSON path; an accepted one dumps to JSON
 * that parses back to the same document. */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "scenario/scenario_doc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct scenario_doc doc;
    struct err err;
    if (scenario_doc_parse_text((const char *)data, size, NULL, &doc, &err) != ERR_OK) {
        if (err.msg[0] == '\0') {
            abort();
        }
        return 0;
    }
    char *dumped = scenario_doc_dump(&doc);
    struct scenario_doc again;
    if (scenario_doc_parse_text(dumped, strlen(dumped), NULL, &again, &err) != ERR_OK) {
        abort(); /* what the server stores must read back */
    }
    char *twice = scenario_doc_dump(&again);
    if (strcmp(dumped, twice) != 0) {
        abort();
    }
    free(twice);
    free(dumped);
    scenario_doc_clear(&again);
    scenario_doc_clear(&doc);
    return 0;
}
