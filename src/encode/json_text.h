/* json_text.h - JSON scalars (strings, integers, reals) appended to a buf.
 * Only scalars: the callers that assemble objects and arrays write the punctuation
 * themselves. Whatever the input bytes, the output is valid JSON (RFC 8259) in UTF-8.
 *
 * Every function appends to b and returns 0, or ERR_TOO_LARGE when b's cap would be passed;
 * on failure b is left as it was. Threads: no shared state. */
#ifndef CITYATLAS_ENCODE_JSON_TEXT_H
#define CITYATLAS_ENCODE_JSON_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"

/* Appends the first len bytes of s (NULs included) as a quoted JSON string. Escapes '"',
 * '\\' and control characters (\n, \r, \t, \b, \f by name, the rest as \u00XX); copies
 * valid UTF-8 as is; replaces each maximal invalid sequence with U+FFFD, because a dataset
 * in a legacy encoding must not make the whole response unparseable. */
int json_text_append_string(struct buf *b, const char *s, size_t len, struct err *err) WARN_UNUSED;

/* Appends v as a JSON integer. */
int json_text_append_int(struct buf *b, int64_t v, struct err *err) WARN_UNUSED;

/* Appends v in its shortest round-trip form (number_text_real), or null when v is NaN or
 * infinite (JSON has no spelling for them). */
int json_text_append_real(struct buf *b, double v, struct err *err) WARN_UNUSED;

#endif
