/* err.c - see err.h. */
#include "base/err.h"

#include <stdio.h>
#include <string.h>

#include "base/utf8.h"

int err_set(struct err *err, enum err_code code, const char *fmt, ...)
{
    if (err == NULL) {
        return code;
    }
    va_list ap;
    va_start(ap, fmt);
    err->code = code;
    int n = vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof(err->msg)) {
        utf8_trim_partial(err->msg); /* cut at the cap: never inside a character */
    }
    return code;
}

int err_prefix(struct err *err, const char *fmt, ...)
{
    if (err == NULL) {
        return ERR_INTERNAL;
    }
    char prefix[ERR_MSG_CAP];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof(prefix), fmt, ap);
    va_end(ap);
    /* Joined by hand: the message is cut at the cap on purpose. */
    char joined[ERR_MSG_CAP];
    size_t n = strlen(prefix);
    n = n < sizeof(joined) - 1 ? n : sizeof(joined) - 1;
    memcpy(joined, prefix, n);
    const char *parts[] = {": ", err->msg};
    for (size_t p = 0; p < 2; p++) {
        size_t len = strlen(parts[p]);
        size_t room = sizeof(joined) - 1 - n;
        len = len < room ? len : room;
        memcpy(joined + n, parts[p], len);
        n += len;
    }
    joined[n] = '\0';
    utf8_trim_partial(joined);
    memcpy(err->msg, joined, strlen(joined) + 1);
    return err->code;
}

void err_clear(struct err *err)
{
    if (err != NULL) {
        err->code = ERR_OK;
        err->msg[0] = '\0';
    }
}
