/* csv_text.c - see csv_text.h. */
#include "encode/csv_text.h"

#include <stdbool.h>
#include <string.h>

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static bool needs_quotes(const char *s, size_t len)
{
    if (len == 0) {
        return false;
    }
    if (is_blank(s[0]) || is_blank(s[len - 1])) {
        return true;
    }
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == ',' || c == '"' || c == '\r' || c == '\n') {
            return true;
        }
    }
    return false;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Whether s[i, len) starts with one or more digits; moves i past them. */
static bool skip_digits(const char *s, size_t len, size_t *i)
{
    size_t start = *i;
    while (*i < len && is_digit(s[*i])) {
        (*i)++;
    }
    return *i > start;
}

/* Whether s is a plain decimal number such as -5, +3.25 or -1e-3: a spreadsheet reads it
 * as that number, which runs nothing, and a prefix would turn it into text. */
static bool is_plain_number(const char *s, size_t len)
{
    size_t i = s[0] == '-' || s[0] == '+' ? 1 : 0;
    if (!skip_digits(s, len, &i)) {
        return false;
    }
    if (i < len && s[i] == '.' && (++i, !skip_digits(s, len, &i))) {
        return false;
    }
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        i += i < len && (s[i] == '-' || s[i] == '+');
        if (!skip_digits(s, len, &i)) {
            return false;
        }
    }
    return i == len;
}

/* OWASP's CSV injection rule: a spreadsheet runs a cell that starts with = + - @ (or tab
 * or CR, which some of them skip first) as a formula. Such text gets a leading '. */
static bool is_formula(const char *s, size_t len)
{
    if (len == 0 || s[0] == '\0' || strchr("=+-@\t\r", s[0]) == NULL) {
        return false;
    }
    return !is_plain_number(s, len);
}

int csv_text_append_field(struct buf *b, const char *s, size_t len, struct err *err)
{
    bool must_defuse = is_formula(s, len);
    if (!must_defuse && !needs_quotes(s, len)) {
        return buf_append(b, s, len, err);
    }
    size_t n_quotes = 0;
    for (size_t i = 0; i < len; i++) {
        n_quotes += s[i] == '"';
    }
    size_t out_len = len + n_quotes + 2 + must_defuse; /* s is in memory: this cannot wrap */
    int rc = buf_reserve(b, out_len, err);
    if (rc != ERR_OK) {
        return rc;
    }
    char *o = b->data + b->len;
    *o++ = '"';
    if (must_defuse) {
        *o++ = '\'';
    }
    for (size_t i = 0; i < len; i++) {
        *o++ = s[i];
        if (s[i] == '"') {
            *o++ = '"';
        }
    }
    *o = '"';
    b->len += out_len;
    b->data[b->len] = '\0';
    return ERR_OK;
}
