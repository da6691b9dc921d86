/* json_text.c - see json_text.h. Strings are copied in runs: the scan stops only at bytes
 * that need an escape or are not valid UTF-8, so a typical name (ASCII or Thai) costs one
 * validation pass and one copy. */
#include "encode/json_text.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "encode/number_text.h"

/* UTF-8 of U+FFFD REPLACEMENT CHARACTER */
#define REPLACEMENT "\xEF\xBF\xBD"

static bool is_plain_ascii(unsigned char c)
{
    return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

/* For a lead byte at s (>= 0x80) with n bytes available: the length of the valid UTF-8
 * sequence it starts, or minus the length of its longest valid prefix (at least 1), which
 * is what gets replaced by one U+FFFD (Unicode's "maximal subpart" practice). Rejects
 * overlong forms, surrogates and code points past U+10FFFF (RFC 3629). */
static int utf8_sequence(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    unsigned char lo = 0x80; /* allowed range of the second byte */
    unsigned char hi = 0xBF;
    size_t need;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 3;
        lo = c == 0xE0 ? 0xA0 : 0x80; /* E0 80..9F would be overlong */
        hi = c == 0xED ? 0x9F : 0xBF; /* ED A0..BF would be surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 4;
        lo = c == 0xF0 ? 0x90 : 0x80; /* F0 80..8F would be overlong */
        hi = c == 0xF4 ? 0x8F : 0xBF; /* F4 90.. would pass U+10FFFF */
    } else {
        return -1;
    }
    for (size_t i = 1; i < need; i++) {
        unsigned char t = i < n ? s[i] : 0;
        bool ok = i == 1 ? (t >= lo && t <= hi) : (t >= 0x80 && t <= 0xBF);
        if (i >= n || !ok) {
            return -(int)i;
        }
    }
    return (int)need;
}

/* Returns the end of the run starting at p that can be copied unchanged. */
static const unsigned char *plain_run_end(const unsigned char *p, const unsigned char *end)
{
    while (p < end) {
        if (is_plain_ascii(*p)) {
            p++;
            continue;
        }
        if (*p < 0x80) {
            break;
        }
        int n = utf8_sequence(p, (size_t)(end - p));
        if (n < 0) {
            break;
        }
        p += n;
    }
    return p;
}

/* Appends the escape for the byte at *p, or U+FFFD for the invalid sequence there, and
 * moves *p past what it replaced. */
static int append_special(struct buf *b, const unsigned char **p, const unsigned char *end,
                          struct err *err)
{
    unsigned char c = **p;
    if (c >= 0x80) {
        *p += -utf8_sequence(*p, (size_t)(end - *p));
        return buf_append(b, REPLACEMENT, 3, err);
    }
    (*p)++;
    switch (c) {
    case '"':
        return buf_append(b, "\\\"", 2, err);
    case '\\':
        return buf_append(b, "\\\\", 2, err);
    case '\n':
        return buf_append(b, "\\n", 2, err);
    case '\r':
        return buf_append(b, "\\r", 2, err);
    case '\t':
        return buf_append(b, "\\t", 2, err);
    case '\b':
        return buf_append(b, "\\b", 2, err);
    case '\f':
        return buf_append(b, "\\f", 2, err);
    default: {
        static const char HEX[] = "0123456789abcdef";
        char esc[6] = {'\\', 'u', '0', '0', HEX[c >> 4], HEX[c & 15]};
        return buf_append(b, esc, sizeof(esc), err);
    }
    }
}

/* Undoes a partial append so a failed call leaves no half-written string. */
static void truncate_to(struct buf *b, size_t len)
{
    b->len = len;
    if (b->data != NULL) {
        b->data[len] = '\0';
    }
}

int json_text_append_string(struct buf *b, const char *s, size_t len, struct err *err)
{
    const unsigned char *p = (const unsigned char *)s;
    const unsigned char *end = p + len;
    const unsigned char *stop = plain_run_end(p, end);
    if (stop == end) {                         /* the common case: nothing to escape */
        int rc = buf_reserve(b, len + 2, err); /* s is in memory: len + 2 cannot wrap */
        if (rc != ERR_OK) {
            return rc;
        }
        char *o = b->data + b->len;
        o[0] = '"';
        if (len > 0) {
            memcpy(o + 1, s, len);
        }
        o[len + 1] = '"';
        b->len += len + 2;
        b->data[b->len] = '\0';
        return ERR_OK;
    }
    size_t start_len = b->len;
    int rc = buf_append(b, "\"", 1, err);
    while (rc == ERR_OK && p < end) {
        if (stop > p) {
            rc = buf_append(b, p, (size_t)(stop - p), err);
            p = stop;
        }
        if (rc == ERR_OK && p < end) {
            rc = append_special(b, &p, end, err);
            stop = plain_run_end(p, end);
        }
    }
    if (rc == ERR_OK) {
        rc = buf_append(b, "\"", 1, err);
    }
    if (rc != ERR_OK) {
        truncate_to(b, start_len);
    }
    return rc;
}

int json_text_append_int(struct buf *b, int64_t v, struct err *err)
{
    char text[NUMBER_TEXT_INT_CAP];
    size_t n = number_text_int64(v, text);
    return buf_append(b, text, n, err);
}

int json_text_append_real(struct buf *b, double v, struct err *err)
{
    char text[NUMBER_TEXT_REAL_CAP];
    size_t n = number_text_real(v, text);
    if (n == 0) {
        return buf_append(b, "null", 4, err);
    }
    return buf_append(b, text, n, err);
}
