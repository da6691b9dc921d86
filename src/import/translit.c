/* translit.c - see translit.h. */
#include "import/translit.h"

#include <string.h>

#include <unicode/ustring.h>
#include <unicode/utrans.h>

/* Names longer than this are cut: an id keeps at most 63 characters anyway. */
#define TRANSLIT_MAX_UNITS 512

static bool is_ascii(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p >= 0x80) {
            return false;
        }
    }
    return true;
}

bool translit_to_ascii(const char *text, char *out, size_t cap)
{
    out[0] = '\0';
    if (is_ascii(text)) {
        size_t len = strlen(text);
        len = len < cap - 1 ? len : cap - 1;
        memcpy(out, text, len);
        out[len] = '\0';
        return true;
    }
    UChar buf[TRANSLIT_MAX_UNITS];
    UErrorCode status = U_ZERO_ERROR;
    int32_t len = 0;
    /* Room is left for the transform to grow the text (Latin is longer than Thai). */
    u_strFromUTF8Lenient(buf, TRANSLIT_MAX_UNITS / 3, &len, text, -1, &status);
    if (U_FAILURE(status) && status != U_BUFFER_OVERFLOW_ERROR) {
        return false;
    }
    status = U_ZERO_ERROR;
    len = len < TRANSLIT_MAX_UNITS / 3 ? len : TRANSLIT_MAX_UNITS / 3;
    static const UChar id[] = u"Thai-Latin; Latin-ASCII";
    UTransliterator *tr = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &status);
    if (U_FAILURE(status)) {
        return false;
    }
    int32_t limit = len;
    utrans_transUChars(tr, buf, &len, TRANSLIT_MAX_UNITS, 0, &limit, &status);
    utrans_close(tr);
    if (U_FAILURE(status)) {
        return false;
    }
    int32_t out_len = 0;
    u_strToUTF8(out, (int32_t)cap - 1, &out_len, buf, len, &status);
    if (U_FAILURE(status) && status != U_BUFFER_OVERFLOW_ERROR) {
        out[0] = '\0';
        return false;
    }
    out[out_len < (int32_t)cap - 1 ? out_len : (int32_t)cap - 1] = '\0';
    return true;
}
