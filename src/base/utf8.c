/* utf8.c - see utf8.h. */
#include "base/utf8.h"

#include <string.h>

#include "base/alloc.h"

static const char REPLACEMENT[] = "\xEF\xBF\xBD"; /* U+FFFD */
static const char ELLIPSIS[] = "\xE2\x80\xA6";    /* U+2026 */

size_t utf8_sequence_len(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t len;
    unsigned long cp;
    if (u[0] < 0x80) {
        return u[0] == 0 ? 0 : 1;
    } else if (u[0] >= 0xC2 && u[0] <= 0xDF) {
        len = 2;
        cp = u[0] & 0x1F;
    } else if (u[0] >= 0xE0 && u[0] <= 0xEF) {
        len = 3;
        cp = u[0] & 0x0F;
    } else if (u[0] >= 0xF0 && u[0] <= 0xF4) {
        len = 4;
        cp = u[0] & 0x07;
    } else {
        return 0; /* continuation byte, C0/C1 (always overlong) or F5..FF */
    }
    for (size_t i = 1; i < len; i++) {
        if ((u[i] & 0xC0) != 0x80) {
            return 0; /* also stops at the NUL of a sequence cut short */
        }
        cp = (cp << 6) | (u[i] & 0x3F);
    }
    static const unsigned long min_for_len[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_for_len[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return 0;
    }
    return len;
}

struct utf8_excerpt utf8_excerpt(const char *text, size_t max_chars)
{
    struct utf8_excerpt out;
    size_t n = 0, n_chars = 0;
    if (max_chars > UTF8_EXCERPT_MAX_CHARS) {
        max_chars = UTF8_EXCERPT_MAX_CHARS;
    }
    const char *p = text != NULL ? text : "";
    for (; *p != '\0' && n_chars < max_chars; n_chars++) {
        size_t len = utf8_sequence_len(p);
        if (len == 0) {
            memcpy(out.text + n, REPLACEMENT, 3);
            n += 3;
            p++;
        } else {
            memcpy(out.text + n, p, len);
            n += len;
            p += len;
        }
    }
    if (*p != '\0') {
        memcpy(out.text + n, ELLIPSIS, 3);
        n += 3;
    }
    out.text[n] = '\0';
    return out;
}

char *utf8_valid_copy(const char *text)
{
    size_t len = strlen(text);
    /* Each invalid byte grows to 3; xreallocarray checks the product. */
    char *out = xreallocarray(NULL, len + 1, 3);
    size_t n = 0;
    for (const char *p = text; *p != '\0';) {
        size_t seq = utf8_sequence_len(p);
        if (seq == 0) {
            memcpy(out + n, REPLACEMENT, 3);
            n += 3;
            p++;
        } else {
            memcpy(out + n, p, seq);
            n += seq;
            p += seq;
        }
    }
    out[n] = '\0';
    return out;
}

void utf8_trim_partial(char *s)
{
    size_t len = strlen(s);
    /* A character has at most 4 bytes: look back for its lead byte. */
    for (size_t back = 1; back <= 4 && back <= len; back++) {
        unsigned char c = (unsigned char)s[len - back];
        if ((c & 0xC0) == 0x80) {
            continue; /* a continuation byte: the lead byte is further back */
        }
        size_t need = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        if (c >= 0x80 && need > back) {
            s[len - back] = '\0'; /* the sequence that starts here was cut */
        }
        return;
    }
}

size_t utf8_bom_len(const char *text, size_t len)
{
    return len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}
