/* buf.h - a growable byte buffer with a hard size cap chosen by its owner.
 * The content is always NUL-terminated (the NUL is not counted in len), so text
 * built in a buf can be used as a C string. */
#ifndef CITYATLAS_BASE_BUF_H
#define CITYATLAS_BASE_BUF_H

#include <stddef.h>

#include "base/err.h"

struct buf {
    char *data;     /* NULL until the first append */
    size_t len;     /* bytes used, excluding the trailing NUL */
    size_t cap;     /* bytes allocated */
    size_t max_len; /* appends that would exceed this fail with ERR_TOO_LARGE */
};

/* Caller provides storage; nothing is allocated until the first append. */
void buf_init(struct buf *b, size_t max_len);
/* Frees the content; the buf can be reused after buf_init. */
void buf_clear(struct buf *b);

int buf_append(struct buf *b, const void *data, size_t len, struct err *err) WARN_UNUSED;
int buf_append_str(struct buf *b, const char *s, struct err *err) WARN_UNUSED;
int buf_printf(struct buf *b, struct err *err, const char *fmt, ...) WARN_UNUSED
    __attribute__((format(printf, 3, 4)));

/* Makes room for extra more bytes plus the NUL, so a hot loop can write up to extra bytes
 * at data + len itself, then add what it wrote to len and store the NUL at data[len].
 * Returns ERR_TOO_LARGE (b unchanged) when len + extra would pass max_len. */
int buf_reserve(struct buf *b, size_t extra, struct err *err) WARN_UNUSED;

/* Takes back what was appended after the first len bytes (len <= b->len): a writer that
 * fails half-way leaves no partial output. */
void buf_truncate(struct buf *b, size_t len);

/* Hands the content to the caller (free with free()) and leaves b empty.
 * Never NULL: an empty buf gives "". */
char *buf_take(struct buf *b);

#endif
