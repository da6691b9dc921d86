/* compress.c - see compress.h. */
#include "http/transport/compress.h"

#include <isa-l/igzip_lib.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#include "base/alloc.h"

/* igzip's level 1 keeps GeoJSON to about a fifth of its size (47.5 KB for a 251 KB page
 * of 1,000 points, where libdeflate's level 1 made 46.0 KB) in a third of the time
 * (0.22 ms against 0.71 ms on the development machine): on a map view's page, gzip had
 * been a quarter of the server's CPU. */
#define COMPRESS_LEVEL 1

/* A compressor's state and its level's hash tables are about 360 KB. Allocating them per
 * body cost a fresh mapping of that size, its page faults and, when freed, a TLB flush on
 * every CPU: on a page of 1,000 points gzip cost 1.6-3.4 ms of server CPU that way with
 * libdeflate, against 0.8-1.1 ms with a kept compressor. Each thread keeps one
 * (isal_deflate_init resets it for every body), freed when the thread ends. */
struct compressor {
    struct isal_zstream stream;
    uint8_t level_buf[ISAL_DEF_LVL1_DEFAULT];
};

static pthread_key_t compressor_key;
static pthread_once_t compressor_once = PTHREAD_ONCE_INIT;
static int compressor_key_rc;

static void make_compressor_key(void)
{
    compressor_key_rc = pthread_key_create(&compressor_key, free);
}

/* The calling thread's compressor, or NULL when none can be had. */
static struct compressor *thread_compressor(void)
{
    if (pthread_once(&compressor_once, make_compressor_key) != 0 || compressor_key_rc != 0) {
        return NULL;
    }
    struct compressor *c = pthread_getspecific(compressor_key);
    if (c == NULL) {
        c = xmalloc(sizeof(*c));
        if (pthread_setspecific(compressor_key, c) != 0) {
            free(c);
            c = NULL;
        }
    }
    return c;
}

/* The most a gzip member of len bytes can take: data that does not compress is stored,
 * 5 bytes of block header per 64 KB, plus the member's 18 bytes of header and trailer;
 * the rest is a margin. */
static size_t worst_case(size_t len)
{
    return len + 5 * (len / 65535 + 1) + 18 + 256;
}

int compress_gzip(const char *data, size_t len, struct buf *out, struct err *err)
{
    size_t bound = worst_case(len);
    if (len > UINT32_MAX / 2) {
        return err_set(err, ERR_TOO_LARGE, "%zu bytes are too many to compress at once", len);
    }
    struct compressor *c = thread_compressor();
    if (c == NULL) {
        return err_set(err, ERR_INTERNAL, "the gzip compressor could not start");
    }
    int rc = buf_reserve(out, bound, err);
    if (rc != ERR_OK) {
        return rc;
    }
    struct isal_zstream *s = &c->stream;
    isal_deflate_init(s);
    s->gzip_flag = IGZIP_GZIP;
    s->level = COMPRESS_LEVEL;
    s->level_buf = c->level_buf;
    s->level_buf_size = sizeof(c->level_buf);
    s->end_of_stream = 1;
    s->flush = NO_FLUSH;
    s->next_in = (uint8_t *)data;
    s->avail_in = (uint32_t)len;
    s->next_out = (uint8_t *)out->data + out->len;
    s->avail_out = (uint32_t)bound;
    if (isal_deflate(s) != COMP_OK || s->internal_state.state != ZSTATE_END) {
        return err_set(err, ERR_INTERNAL, "igzip failed to compress %zu bytes", len);
    }
    out->len += s->total_out;
    out->data[out->len] = '\0';
    return ERR_OK;
}
