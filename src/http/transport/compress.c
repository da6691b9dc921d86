/* compress.c - see compress.h. */
#include "http/transport/compress.h"

#include <libdeflate.h>
#include <pthread.h>

/* libdeflate's level 1 still takes GeoJSON to about a fifth of its size, faster than
 * zlib's level 1 took it to a larger one. */
#define COMPRESS_LEVEL 1

/* A compressor is a few hundred KB of tables. Allocating one per body cost a fresh
 * mapping of that size, its page faults and, when freed, a TLB flush on every CPU: on a
 * page of 1,000 points (250 KB) gzip added 1.6-3.4 ms of server CPU that way against
 * 0.8-1.1 ms with a kept compressor. Each thread keeps one (libdeflate resets its state
 * on every call), freed when the thread ends. */
static pthread_key_t compressor_key;
static pthread_once_t compressor_once = PTHREAD_ONCE_INIT;
static int compressor_key_rc;

static void free_compressor(void *c)
{
    libdeflate_free_compressor(c);
}

static void make_compressor_key(void)
{
    compressor_key_rc = pthread_key_create(&compressor_key, free_compressor);
}

/* The calling thread's compressor, or NULL when none can be had. */
static struct libdeflate_compressor *thread_compressor(void)
{
    if (pthread_once(&compressor_once, make_compressor_key) != 0 || compressor_key_rc != 0) {
        return NULL;
    }
    struct libdeflate_compressor *c = pthread_getspecific(compressor_key);
    if (c == NULL) {
        c = libdeflate_alloc_compressor(COMPRESS_LEVEL);
        if (c != NULL && pthread_setspecific(compressor_key, c) != 0) {
            libdeflate_free_compressor(c);
            c = NULL;
        }
    }
    return c;
}

int compress_gzip(const char *data, size_t len, struct buf *out, struct err *err)
{
    struct libdeflate_compressor *c = thread_compressor();
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
    return rc;
}
