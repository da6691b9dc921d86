/* compress.c - see compress.h. */
#include "http/transport/compress.h"

#include <libdeflate.h>

/* libdeflate's level 1 still takes GeoJSON to about a fifth of its size, faster than
 * zlib's level 1 took it to a larger one. */
#define COMPRESS_LEVEL 1

int compress_gzip(const char *data, size_t len, struct buf *out, struct err *err)
{
    /* A compressor is a few hundred KB of tables: one per call keeps threads apart, and
     * allocating it costs far less than compressing a body worth compressing. */
    struct libdeflate_compressor *c = libdeflate_alloc_compressor(COMPRESS_LEVEL);
    if (c == NULL) {
        return err_set(err, ERR_INTERNAL, "libdeflate could not start");
    }
    size_t bound = libdeflate_gzip_compress_bound(c, len);
    int rc = buf_reserve(out, bound, err);
    if (rc == ERR_OK) {
        size_t n = libdeflate_gzip_compress(c, data, len, out->data + out->len, bound);
        if (n == 0) {
            rc = err_set(err, ERR_INTERNAL, "libdeflate failed to compress %zu bytes", len);
        } else {
            out->len += n;
            out->data[out->len] = '\0';
        }
    }
    libdeflate_free_compressor(c);
    return rc;
}
