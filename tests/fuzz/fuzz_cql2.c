/* fuzz_cql2.c - the CQL2 text parser (filter= of items and statistics): any input is
 * parsed or refused with a message, never crashes, and everything is freed. */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "cql2/cql2.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    struct cql2_node *node = NULL;
    struct err err;
    if (cql2_parse(text, &node, &err) == ERR_OK) {
        cql2_free(node);
    } else if (err.msg[0] == '\0') {
        abort(); /* every refusal says why */
    }
    free(text);
    return 0;
}
