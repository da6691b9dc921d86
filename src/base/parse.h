/* parse.h - strict parsing of numbers and identifiers: the whole input must match,
 * values are range-checked, and failures say what was expected. */
#ifndef CITYATLAS_BASE_PARSE_H
#define CITYATLAS_BASE_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

/* Parses a base-10 integer in [min, max]; what names the value in the message. */
int parse_int64(const char *s, int64_t min, int64_t max, const char *what, int64_t *out,
                struct err *err) WARN_UNUSED;

/* Parses a finite double (no hex, no inf/nan). */
int parse_double(const char *s, const char *what, double *out, struct err *err) WARN_UNUSED;

/* A layer id (slug): 1 to 63 characters of a-z, 0-9 and '-', starting with a letter
 * or digit. Ids appear in URLs and in table names, hence the small alphabet. */
#define PARSE_SLUG_MAX_LEN 63
bool parse_is_slug(const char *s);

/* Writes a slug made from arbitrary text (file or layer names) into out (cap >= 2):
 * ASCII letters lowercased, runs of other bytes become one '-', trimmed, truncated.
 * Returns false when nothing usable is left (e.g. a Thai-only name). */
bool parse_make_slug(const char *text, char *out, size_t cap);

/* Splits a comma-separated value (a query parameter's list) into at most max parts, copied
 * (free them with parse_free_parts); a value with more parts fills max, so a caller that
 * passes max = its limit + 1 can refuse a longer list. */
size_t parse_split_commas(const char *text, char **parts, size_t max);
void parse_free_parts(char **parts, size_t n);

/* A list parameter param=text of at most max parts (what names them in the error, e.g.
 * "keys"): split into parts (room for max + 1) and *n as parse_split_commas does, then
 * ERR_INVALID "<param>: at most <max> <what>" when there are more. The parts are to be
 * freed either way. */
int parse_comma_list(const char *param, const char *text, size_t max, const char *what,
                     char **parts, size_t *n, struct err *err) WARN_UNUSED;

#endif
