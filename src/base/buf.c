/* buf.c - see buf.h. */
#include "base/buf.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"

void buf_init(struct buf *b, size_t max_len)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->max_len = max_len;
}

void buf_clear(struct buf *b)
{
    free(b->data);
    buf_init(b, b->max_len);
}

static int ensure_room(struct buf *b, size_t extra, struct err *err)
{
    if (extra > b->max_len || b->len > b->max_len - extra) {
        return err_set(err, ERR_TOO_LARGE, "content exceeds the limit of %zu bytes", b->max_len);
    }
    size_t need = b->len + extra + 1;
    if (need <= b->cap) {
        return ERR_OK;
    }
    size_t cap = b->cap == 0 ? 64 : b->cap;
    while (cap < need) {
        cap = cap > ((size_t)-1) / 2 ? need : cap * 2;
    }
    b->data = xreallocarray(b->data, cap, 1);
    b->cap = cap;
    return ERR_OK;
}

int buf_append(struct buf *b, const void *data, size_t len, struct err *err)
{
    int rc = ensure_room(b, len, err);
    if (rc != ERR_OK) {
        return rc;
    }
    if (len > 0) {
        memcpy(b->data + b->len, data, len);
    }
    b->len += len;
    b->data[b->len] = '\0';
    return ERR_OK;
}

int buf_reserve(struct buf *b, size_t extra, struct err *err)
{
    return ensure_room(b, extra, err);
}

int buf_append_str(struct buf *b, const char *s, struct err *err)
{
    return buf_append(b, s, strlen(s), err);
}

int buf_printf(struct buf *b, struct err *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        return err_set(err, ERR_INTERNAL, "formatting failed");
    }
    int rc = ensure_room(b, (size_t)n, err);
    if (rc != ERR_OK) {
        return rc;
    }
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return ERR_OK;
}

char *buf_take(struct buf *b)
{
    char *data = b->data != NULL ? b->data : xstrdup("");
    buf_init(b, b->max_len);
    return data;
}

void buf_truncate(struct buf *b, size_t len)
{
    assert(len <= b->len);
    b->len = len;
    if (b->data != NULL) {
        b->data[len] = '\0';
    }
}
