/* nfc_text.c - see nfc_text.h. */
#include "encode/nfc_text.h"

#include <stdint.h>
#include <stdlib.h>

#include <utf8proc.h>

bool nfc_text_may_change(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if ((unsigned char)s[i] >= 0x80) {
            return true;
        }
    }
    return false;
}

char *nfc_text_new(const char *s, size_t len, size_t *out_len)
{
    utf8proc_uint8_t *out = NULL;
    /* STABLE: no unassigned code points pass through changed by later Unicode versions. */
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &out,
                                      UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    if (n < 0) {
        free(out);
        return NULL;
    }
    *out_len = (size_t)n;
    return (char *)out;
}
