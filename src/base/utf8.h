/* utf8.h - text that travels into messages and JSON: cut at character boundaries, and
 * made valid UTF-8. Owns no state; libc only.
 *
 * Why: a message that echoes a value cut by bytes (printf's "%.60s") can end inside a Thai
 * character (3 bytes each); jansson then refuses the whole string, and an error answer
 * would go out without its body. */
#ifndef CITYATLAS_BASE_UTF8_H
#define CITYATLAS_BASE_UTF8_H

#include <stddef.h>

/* Characters an excerpt may keep. */
#define UTF8_EXCERPT_MAX_CHARS 200

/* Room for UTF8_EXCERPT_MAX_CHARS characters of up to 4 bytes, the ellipsis and a NUL. */
struct utf8_excerpt {
    char text[UTF8_EXCERPT_MAX_CHARS * 4 + 4];
};

/* Length in bytes (1 to 4) of the valid UTF-8 sequence at s, or 0 when s starts with a
 * byte that begins no valid sequence (stray continuation, overlong form, surrogate, above
 * U+10FFFF, cut short) or with the terminating NUL. Same rules as jansson's. */
size_t utf8_sequence_len(const char *s);

/* The first max_chars characters of text (NULL counts as ""), followed by "…" when text
 * is longer; max_chars above UTF8_EXCERPT_MAX_CHARS counts as that. Bytes that are not
 * valid UTF-8 each become U+FFFD, so the result is always valid UTF-8. Returned by value,
 * so that it can be written inside a call: err_set(..., "'%s'", utf8_excerpt(v, 60).text)
 * (the array lives until the end of that full expression). */
struct utf8_excerpt utf8_excerpt(const char *text, size_t max_chars);

/* A copy of text in which each byte that is not valid UTF-8 became U+FFFD.
 * Free with free(); aborts when out of memory (xmalloc). */
char *utf8_valid_copy(const char *text);

/* 3 when text (len bytes) starts with the UTF-8 byte order mark EF BB BF, else 0. RFC 8259
 * lets a parser ignore it, and Windows editors write it: JSON bodies skip it. */
size_t utf8_bom_len(const char *text, size_t len);

/* Removes an incomplete sequence at the end of s (as left by a byte-capped snprintf), so
 * that a cut never ends inside a character. */
void utf8_trim_partial(char *s);

#endif
