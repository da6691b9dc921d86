/* fuzz_catalog.c - the catalog (datasets/catalog.json: datasets, city, featured
 * statistics) parsed from memory: accepted or refused with a message naming the file and
 * the JSON path, never a crash. Dataset paths resolve in datasets/ of the current folder
 * (run from the repository): names are looked up, no file is read. */
#include "fuzz.h"

#include <stdlib.h>

#include "config/catalog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct catalog *cat = NULL;
    struct err err;
    if (catalog_parse_text((const char *)data, size, "datasets/catalog.json", &cat, &err) ==
        ERR_OK) {
        catalog_free(cat);
    } else if (err.msg[0] == '\0') {
        abort();
    }
    return 0;
}
