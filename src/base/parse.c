/* parse.c - see parse.h. */
#include "base/parse.h"
#include "base/alloc.h"
#include "base/utf8.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int parse_int64(const char *s, int64_t min, int64_t max, const char *what, int64_t *out,
                struct err *err)
{
    if (s == NULL || *s == '\0') {
        return err_set(err, ERR_INVALID, "%s: expected an integer, got nothing", what);
    }
    const char *p = s;
    if (*p == '-' || *p == '+') {
        p++;
    }
    if (*p < '0' || *p > '9') {
        return err_set(err, ERR_INVALID, "%s: expected an integer, got '%s'", what,
                       utf8_excerpt(s, 40).text);
    }
    errno = 0;
    char *end = NULL;
    long long v = strtoll(s, &end, 10);
    if (errno == ERANGE || *end != '\0') {
        return err_set(err, ERR_INVALID, "%s: expected an integer, got '%s'", what,
                       utf8_excerpt(s, 40).text);
    }
    if (v < min || v > max) {
        return err_set(err, ERR_INVALID, "%s: %lld is out of range (%lld to %lld)", what, v,
                       (long long)min, (long long)max);
    }
    *out = v;
    return ERR_OK;
}

int parse_double(const char *s, const char *what, double *out, struct err *err)
{
    if (s == NULL || *s == '\0') {
        return err_set(err, ERR_INVALID, "%s: expected a number, got nothing", what);
    }
    for (const char *p = s; *p; p++) {
        if (strchr("0123456789+-.eE", *p) == NULL) {
            return err_set(err, ERR_INVALID, "%s: expected a number, got '%s'", what,
                           utf8_excerpt(s, 40).text);
        }
    }
    errno = 0;
    char *end = NULL;
    double v = strtod(s, &end);
    if (errno == ERANGE || *end != '\0' || end == s || !isfinite(v)) {
        return err_set(err, ERR_INVALID, "%s: expected a number, got '%s'", what,
                       utf8_excerpt(s, 40).text);
    }
    *out = v;
    return ERR_OK;
}

static bool is_slug_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

bool parse_is_slug(const char *s)
{
    size_t len = s != NULL ? strlen(s) : 0;
    if (len == 0 || len > PARSE_SLUG_MAX_LEN || s[0] == '-') {
        return false;
    }
    for (size_t i = 0; i < len; i++) {
        if (!is_slug_char(s[i])) {
            return false;
        }
    }
    return true;
}

bool parse_make_slug(const char *text, char *out, size_t cap)
{
    size_t limit = cap - 1 < PARSE_SLUG_MAX_LEN ? cap - 1 : PARSE_SLUG_MAX_LEN;
    size_t n = 0;
    bool pending_dash = false;
    for (const unsigned char *p = (const unsigned char *)text; *p && n < limit; p++) {
        char c = (char)*p;
        if (c >= 'A' && c <= 'Z') {
            c = (char)(c - 'A' + 'a');
        }
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            if (pending_dash && n > 0 && n + 1 < limit) {
                out[n++] = '-';
            }
            pending_dash = false;
            out[n++] = c;
        } else {
            pending_dash = true;
        }
    }
    out[n] = '\0';
    return n > 0;
}

size_t parse_split_commas(const char *text, char **parts, size_t max)
{
    size_t n = 0;
    const char *p = text;
    while (n < max) {
        const char *comma = strchr(p, ',');
        size_t len = comma != NULL ? (size_t)(comma - p) : strlen(p);
        parts[n++] = xstrndup(p, len);
        if (comma == NULL) {
            break;
        }
        p = comma + 1;
    }
    return n;
}

void parse_free_parts(char **parts, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(parts[i]);
    }
}

int parse_comma_list(const char *param, const char *text, size_t max, const char *what,
                     char **parts, size_t *n, struct err *err)
{
    *n = parse_split_commas(text, parts, max + 1);
    return *n > max ? err_set(err, ERR_INVALID, "%s: at most %zu %s", param, max, what) : ERR_OK;
}
