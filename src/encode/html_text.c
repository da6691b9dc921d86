/* html_text.c - see html_text.h. The output length is counted first so the text is
 * written in one pass into reserved room: a failure leaves nothing half-written. */
#include "encode/html_text.h"

#include <string.h>

/* The entity for c, or NULL when c is copied as is. */
static const char *entity_for(char c)
{
    switch (c) {
    case '&':
        return "&amp;";
    case '<':
        return "&lt;";
    case '>':
        return "&gt;";
    case '"':
        return "&quot;";
    case '\'':
        return "&#39;";
    default:
        return NULL;
    }
}

int html_text_append(struct buf *b, const char *s, size_t len, struct err *err)
{
    size_t out_len = 0;
    for (size_t i = 0; i < len; i++) {
        const char *entity = entity_for(s[i]);
        out_len += entity != NULL ? strlen(entity) : 1; /* at most 6 * len: no wrap */
    }
    int rc = buf_reserve(b, out_len, err);
    if (rc != ERR_OK) {
        return rc;
    }
    char *o = b->data + b->len;
    for (size_t i = 0; i < len; i++) {
        const char *entity = entity_for(s[i]);
        if (entity == NULL) {
            *o++ = s[i];
        } else {
            size_t n = strlen(entity);
            memcpy(o, entity, n);
            o += n;
        }
    }
    b->len += out_len;
    b->data[b->len] = '\0';
    return ERR_OK;
}
