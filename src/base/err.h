/* err.h - error codes and a message buffer that every fallible function fills.
 * A fallible function returns 0 (ERR_OK) or a negative enum err_code and takes a
 * struct err * last; the message is one readable sentence for the user. */
#ifndef CITYATLAS_BASE_ERR_H
#define CITYATLAS_BASE_ERR_H

#include <stdarg.h>

#define WARN_UNUSED __attribute__((warn_unused_result))

enum err_code {
    ERR_OK = 0,
    ERR_INVALID = -1,   /* the input is wrong: the user can fix it */
    ERR_NOT_FOUND = -2, /* a named thing does not exist */
    ERR_TOO_LARGE = -3, /* an input is over a size cap */
    ERR_BUSY = -4,      /* a resource is locked; retrying may work */
    ERR_IO = -5,        /* the operating system failed to read or write */
    ERR_DB = -6,        /* the database failed */
    ERR_INTERNAL = -7,  /* a bug or an unexpected library failure */
    ERR_READ_ONLY = -8, /* the database cannot be written (a read-only file or folder) */
    /* Refusals of a request (the server only): who sends it, and what it would change. */
    ERR_UNAUTHORIZED = -9,            /* no, a malformed or an unknown credential */
    ERR_FORBIDDEN = -10,              /* a known credential that may not do this */
    ERR_CONFLICT = -11,               /* the change contradicts what is stored (a taken id) */
    ERR_UNSUPPORTED_MEDIA_TYPE = -12, /* a body of a type the route does not take */
};

#define ERR_MSG_CAP 512

struct err {
    enum err_code code;
    char msg[ERR_MSG_CAP];
};

/* Sets code and a printf-style message; returns code so callers can `return err_set(...)`.
 * err may be NULL, in which case only the code is returned. */
int err_set(struct err *err, enum err_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prepends "prefix: " to the current message, keeping the code. Returns the code. */
int err_prefix(struct err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Resets to ERR_OK with an empty message. */
void err_clear(struct err *err);

#endif
