/* csv_text.c - see csv_text.h. */
#include "encode/csv_text.h"

#include <stdbool.h>
#include <string.h>

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static bool needs_quotes(const char *s, size_t len)
{
    if (len == 0) {
        return false;
    }
    if (is_blank(s[0]) || is_blank(s[len - 1])) {
        return true;
    }
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == ',' || c == '"' || c == '\r' || c == '\n') {
            return true;
        }
    }
    return false;
}

int csv_text_append_field(struct buf *b, const char *s, size_t len, struct err *err)
{
    if (!needs_quotes(s, len)) {
        return buf_append(b, s, len, err);
    }
    size_t n_quotes = 0;
    for (size_t i = 0; i < len; i++) {
        n_quotes += s[i] == '"';
    }
    size_t out_len = len + n_quotes + 2; /* s is in memory: this cannot wrap */
    int rc = buf_reserve(b, out_len, err);
    if (rc != ERR_OK) {
        return rc;
    }
    char *o = b->data + b->len;
    *o++ = '"';
    for (size_t i = 0; i < len; i++) {
        *o++ = s[i];
        if (s[i] == '"') {
            *o++ = '"';
        }
    }
    *o = '"';
    b->len += out_len;
    b->data[b->len] = '\0';
    return ERR_OK;
}
