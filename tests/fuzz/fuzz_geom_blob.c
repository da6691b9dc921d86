/* fuzz_geom_blob.c - SpatiaLite geometry BLOBs as the database hands them to the
 * encoders (a damaged file can hold anything): each is refused, or written as GeoJSON
 * that jansson parses and as WKT, within the buffer's cap; never a crash or overread. */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "encode/geom_blob.h"
#include "encode/geom_text.h"

#define FUZZ_OUT_CAP (1 << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A copy of exactly size bytes, so that ASan sees any read past the end. */
    unsigned char *blob = malloc(size > 0 ? size : 1);
    memcpy(blob, data, size);
    struct geom_blob_header header;
    struct err err;
    (void)!geom_blob_header(blob, size, &header, &err);
    const struct geom_format formats[] = {{6, false}, {2, true}};
    for (size_t i = 0; i < 2; i++) {
        struct buf out;
        buf_init(&out, FUZZ_OUT_CAP);
        if (geom_text_append_geojson(&out, blob, size, &formats[i], &err) == ERR_OK) {
            json_t *doc = json_loadb(out.data, out.len, 0, NULL);
            if (doc == NULL) {
                abort(); /* the encoder wrote something that is not JSON */
            }
            json_decref(doc);
        }
        buf_clear(&out);
        buf_init(&out, FUZZ_OUT_CAP);
        (void)!geom_text_append_wkt(&out, blob, size, &formats[i], &err);
        buf_clear(&out);
    }
    free(blob);
    return 0;
}
