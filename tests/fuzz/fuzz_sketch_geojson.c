/* fuzz_sketch_geojson.c - sketches as participants send them (GeoJSON Feature or
 * FeatureCollection) against a fixed scenario's sketch kinds: accepted or refused with a
 * message naming the JSON path, never a crash; accepted ones carry WKB of the right size. */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "scenario/scenario_doc.h"
#include "scenario/sketch_geojson.h"

static const char DOC[] =
    "{\"id\":\"fuzz\",\"title\":{\"th\":\"ทดสอบ\",\"en\":\"Fuzz\"},"
    "\"narrative\":{\"th\":\"ก\",\"en\":\"a\"},\"extent\":[98.95,18.76,99.02,18.82],"
    "\"layers\":[{\"collection\":\"pts\"}]}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct scenario_doc doc;
    struct err err;
    if (scenario_doc_parse_text(DOC, strlen(DOC), NULL, &doc, &err) != ERR_OK) {
        abort(); /* the fixed document is valid */
    }
    struct sketch_list list;
    if (sketch_geojson_parse_text((const char *)data, size, &doc, true, &list, &err) == ERR_OK) {
        for (size_t i = 0; i < list.n; i++) {
            if (list.items[i].wkb == NULL || list.items[i].wkb_len < 21) {
                abort(); /* the smallest WKB, a point, has 21 bytes */
            }
        }
        sketch_list_clear(&list);
    } else if (err.msg[0] == '\0') {
        abort();
    }
    scenario_doc_clear(&doc);
    return 0;
}
