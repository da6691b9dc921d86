/* cql2.c - see cql2.h. A lexer with one token of lookahead under a recursive-descent
 * parser, one function per grammar rule. Offsets are bytes inside the parser; messages
 * report 1-based characters because that is what a user counts (a Thai character is
 * three bytes). Every function that fails sets parser.rc and the message once and
 * returns at once, so the first error found is the one reported. */
#include "cql2/cql2.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "encode/nfc_text.h"

/* Normalised WKT prints each number in at most 25 bytes, and each number took at least
 * two bytes of filter text, so this cap is never the binding one. */
#define WKT_MAX_LEN (16 * CQL2_MAX_TEXT_LEN)
/* Bytes of input quoted in an error message. */
#define SNIPPET_MAX 24

#define HINT_VALUE "expected a value"
#define HINT_OPERATOR                                                                              \
    "expected a comparison operator (=, <>, <, <=, >, >=, LIKE, BETWEEN, IN or IS NULL)"
#define HINT_SUPPORTED_OPERATORS                                                                   \
    "supported operators: =, <>, <, <=, >, >=, LIKE, BETWEEN, IN, IS NULL, AND, OR, NOT"
#define HINT_SUPPORTED_FUNCTIONS                                                                   \
    "supported functions: S_INTERSECTS, DATE and TIMESTAMP (with WKT geometries and BBOX "         \
    "inside S_INTERSECTS)"
#define HINT_GEOMETRY                                                                              \
    "expected a geometry: POINT, LINESTRING, POLYGON, MULTIPOINT, MULTILINESTRING, "               \
    "MULTIPOLYGON, GEOMETRYCOLLECTION or BBOX"

enum tok_kind {
    TOK_END,
    TOK_WORD,   /* identifier or keyword */
    TOK_QUOTED, /* "double-quoted property name" */
    TOK_STRING, /* 'string literal' */
    TOK_NUMBER,
    TOK_LPAREN,
    TOK_RPAREN,
    TOK_COMMA,
    TOK_EQ,
    TOK_NE,
    TOK_LT,
    TOK_LE,
    TOK_GT,
    TOK_GE,
    TOK_ARITH, /* + - * / % ^: CQL2 arithmetic, which is not supported */
    TOK_BAD,   /* a character that starts no token */
};

struct token {
    enum tok_kind kind;
    size_t start, end; /* bytes [start, end) of the text */
};

struct parser {
    const char *text;
    size_t len;       /* bytes of text */
    size_t pos;       /* where the scan for the next token starts */
    struct token tok; /* the current token, not yet consumed */
    int depth;        /* open parentheses, NOTs and nested collections */
    size_t n_nodes;   /* nodes and operands made so far */
    int rc;           /* the first error */
    struct err *err;
};

static int fail(struct parser *p, enum err_code code, size_t off, const char *hint, const char *fmt,
                ...) __attribute__((format(printf, 5, 6)));

/* Characters */

/* Decodes one UTF-8 sequence at s (n bytes available). Returns its length, or 0 when it
 * is not well-formed (overlong forms, surrogates and values past U+10FFFF included). */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    size_t len;
    uint32_t v, min;
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    } else if (s[0] >= 0xC2 && s[0] <= 0xDF) {
        len = 2, v = s[0] & 0x1Fu, min = 0x80;
    } else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
        len = 3, v = s[0] & 0x0Fu, min = 0x800;
    } else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
        len = 4, v = s[0] & 0x07u, min = 0x10000;
    } else {
        return 0;
    }
    if (n < len) {
        return 0;
    }
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            return 0;
        }
        v = v << 6 | (s[i] & 0x3Fu);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
        return 0;
    }
    *cp = v;
    return len;
}

static bool in_ranges(uint32_t c, const uint32_t (*ranges)[2], size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (c >= ranges[i][0] && c <= ranges[i][1]) {
            return true;
        }
    }
    return false;
}

/* identifierStart of the CQL2 BNF: letters of every script (Thai is in 0x37F-0x1FFE),
 * ':' and '_'. */
static bool is_ident_start(uint32_t c)
{
    static const uint32_t ranges[][2] = {
        {':', ':'},       {'_', '_'},       {'A', 'Z'},       {'a', 'z'},
        {0xC0, 0xD6},     {0xD8, 0xF6},     {0xF8, 0x2FF},    {0x370, 0x37D},
        {0x37F, 0x1FFE},  {0x200C, 0x200D}, {0x2070, 0x218F}, {0x2C00, 0x2FEF},
        {0x3001, 0xD7FF}, {0xF900, 0xFDCF}, {0xFDF0, 0xFFFD}, {0x10000, 0xEFFFF},
    };
    return in_ranges(c, ranges, sizeof(ranges) / sizeof(ranges[0]));
}

/* identifierPart: identifierStart, '.', digits and combining marks. */
static bool is_ident_part(uint32_t c)
{
    static const uint32_t ranges[][2] = {{'.', '.'}, {'0', '9'}, {0x300, 0x36F}, {0x203F, 0x2040}};
    return is_ident_start(c) || in_ranges(c, ranges, sizeof(ranges) / sizeof(ranges[0]));
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The code point at byte off (the text is valid UTF-8 by then), 0 at the end. */
static uint32_t code_point_at(const struct parser *p, size_t off, size_t *len)
{
    uint32_t cp = 0;
    *len = off < p->len ? utf8_decode((const unsigned char *)p->text + off, p->len - off, &cp) : 0;
    return cp;
}

static size_t skip_ident_part(const struct parser *p, size_t off)
{
    size_t n;
    while (off < p->len && is_ident_part(code_point_at(p, off, &n))) {
        off += n;
    }
    return off;
}

/* Errors */

static size_t char_position(const struct parser *p, size_t off)
{
    size_t n = 1;
    for (size_t i = 0; i < off && i < p->len; i++) {
        n += ((unsigned char)p->text[i] & 0xC0) != 0x80;
    }
    return n;
}

/* Quotes text[start, end) into out (cap >= SNIPPET_MAX + 4), cut at a character boundary. */
static void snippet(const struct parser *p, size_t start, size_t end, char *out, size_t cap)
{
    size_t n = end - start;
    bool is_cut = n > SNIPPET_MAX;
    if (is_cut) {
        n = SNIPPET_MAX;
        while (n > 0 && ((unsigned char)p->text[start + n] & 0xC0) == 0x80) {
            n--;
        }
    }
    snprintf(out, cap, "%.*s%s", (int)n, p->text + start, is_cut ? "..." : "");
}

/* Sets "filter: <problem> at character N[; hint]" and returns code. */
static int fail(struct parser *p, enum err_code code, size_t off, const char *hint, const char *fmt,
                ...)
{
    char problem[ERR_MSG_CAP];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(problem, sizeof(problem), fmt, ap);
    va_end(ap);
    p->rc = code;
    return err_set(p->err, code, "filter: %s at character %zu%s%s", problem, char_position(p, off),
                   hint != NULL ? "; " : "", hint != NULL ? hint : "");
}

static bool tok_is(const struct parser *p, const char *keyword)
{
    const struct token *t = &p->tok;
    size_t n = t->end - t->start;
    if (t->kind != TOK_WORD || strlen(keyword) != n) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        char c = p->text[t->start + i];
        if (c >= 'a' && c <= 'z') {
            c = (char)(c - 'a' + 'A');
        }
        if (c != keyword[i]) {
            return false;
        }
    }
    return true;
}

static bool tok_is_arithmetic(const struct parser *p)
{
    const struct token *t = &p->tok;
    return t->kind == TOK_ARITH || tok_is(p, "DIV") ||
           (t->kind == TOK_NUMBER && (p->text[t->start] == '+' || p->text[t->start] == '-'));
}

/* Reports the current token as out of place; expected says what would fit. */
static int unexpected(struct parser *p, const char *expected)
{
    const struct token *t = &p->tok;
    char quote[SNIPPET_MAX + 8];
    snippet(p, t->start, t->end, quote, sizeof(quote));
    if (tok_is_arithmetic(p)) {
        size_t n = t->kind == TOK_NUMBER ? 1 : t->end - t->start;
        return fail(p, ERR_INVALID, t->start, HINT_SUPPORTED_OPERATORS,
                    "arithmetic operator '%.*s' is not supported", (int)n, p->text + t->start);
    }
    switch (t->kind) {
    case TOK_END:
        return fail(p, ERR_INVALID, t->start, expected, "unexpected end of filter");
    case TOK_STRING:
        return fail(p, ERR_INVALID, t->start, expected, "unexpected string %s", quote);
    case TOK_QUOTED:
        return fail(p, ERR_INVALID, t->start, expected, "unexpected property %s", quote);
    case TOK_BAD:
        if (strcmp(quote, "!=") == 0) {
            return fail(p, ERR_INVALID, t->start, "CQL2 writes 'not equal' as <>",
                        "unexpected '!='");
        }
        return fail(p, ERR_INVALID, t->start, expected, "unexpected character '%s'", quote);
    default:
        return fail(p, ERR_INVALID, t->start, expected, "unexpected '%s'", quote);
    }
}

/* Lexer */

static int check_utf8(struct parser *p)
{
    for (size_t off = 0; off < p->len;) {
        uint32_t cp;
        size_t n = utf8_decode((const unsigned char *)p->text + off, p->len - off, &cp);
        if (n == 0) {
            return fail(p, ERR_INVALID, off, "the filter must be UTF-8 text",
                        "invalid UTF-8 byte 0x%02X", (unsigned char)p->text[off]);
        }
        off += n;
    }
    return ERR_OK;
}

static void set_token(struct parser *p, enum tok_kind kind, size_t end)
{
    p->tok.kind = kind;
    p->tok.start = p->pos;
    p->tok.end = end;
    p->pos = end;
}

/* In a 'string', \' stands for a quote too (CQL2's escapeQuote); in a "name" it does not. */
static bool is_escaped_quote(const struct parser *p, size_t i, char quote)
{
    return quote == '\'' && p->text[i] == '\\' && i + 1 < p->len && p->text[i + 1] == '\'';
}

/* In a 'string', \\ is kept as it is and read as a pair, so that a LIKE pattern may end
 * with an escaped backslash ('C:\\'). */
static bool is_backslash_pair(const struct parser *p, size_t i, char quote)
{
    return quote == '\'' && p->text[i] == '\\' && i + 1 < p->len && p->text[i + 1] == '\\';
}

/* 'string' or "name": a doubled quote stands for one quote. */
static int lex_quoted(struct parser *p, char quote, enum tok_kind kind)
{
    size_t i = p->pos + 1;
    for (;;) {
        if (is_escaped_quote(p, i, quote) || is_backslash_pair(p, i, quote)) {
            i += 2;
            continue;
        }
        if (i >= p->len) {
            return kind == TOK_STRING
                       ? fail(p, ERR_INVALID, p->pos, "close it with ' (write '' for a quote)",
                              "unterminated string")
                       : fail(p, ERR_INVALID, p->pos, "close it with \" (write \"\" for a quote)",
                              "unterminated quoted property name");
        }
        if (p->text[i] == quote) {
            if (p->text[i + 1] != quote) {
                break;
            }
            i++;
        }
        i++;
    }
    set_token(p, kind, i + 1);
    return ERR_OK;
}

/* [+-] digits [. digits] [e [+-] digits], or [+-] . digits [e ...]. */
static int lex_number(struct parser *p)
{
    const char *s = p->text;
    size_t i = p->pos;
    if (s[i] == '+' || s[i] == '-') {
        i++;
    }
    while (is_digit(s[i])) {
        i++;
    }
    if (s[i] == '.') {
        i++;
        while (is_digit(s[i])) {
            i++;
        }
    }
    if (s[i] == 'e' || s[i] == 'E') {
        size_t j = i + 1 + (s[i + 1] == '+' || s[i + 1] == '-');
        if (is_digit(s[j])) {
            while (is_digit(s[j])) {
                j++;
            }
            i = j;
        }
    }
    size_t word_end = skip_ident_part(p, i);
    if (word_end > i) {
        char quote[SNIPPET_MAX + 8];
        snippet(p, p->pos, word_end, quote, sizeof(quote));
        return fail(p, ERR_INVALID, p->pos, "numbers look like 12, -3.5 or 1.2e3",
                    "malformed number '%s'", quote);
    }
    set_token(p, TOK_NUMBER, i);
    return ERR_OK;
}

static bool starts_number(const char *s)
{
    if (*s == '+' || *s == '-') {
        s++;
    }
    return is_digit(s[0]) || (s[0] == '.' && is_digit(s[1]));
}

static void lex_symbol(struct parser *p)
{
    const char *s = p->text + p->pos;
    size_t n = 1;
    enum tok_kind kind = TOK_BAD;
    switch (s[0]) {
    case '(':
        kind = TOK_LPAREN;
        break;
    case ')':
        kind = TOK_RPAREN;
        break;
    case ',':
        kind = TOK_COMMA;
        break;
    case '=':
        kind = TOK_EQ;
        break;
    case '<':
        kind = s[1] == '=' ? TOK_LE : s[1] == '>' ? TOK_NE : TOK_LT;
        n = kind == TOK_LT ? 1 : 2;
        break;
    case '>':
        kind = s[1] == '=' ? TOK_GE : TOK_GT;
        n = kind == TOK_GE ? 2 : 1;
        break;
    case '+':
    case '-':
    case '*':
    case '/':
    case '%':
    case '^':
        kind = TOK_ARITH;
        break;
    case '!':
        n = s[1] == '=' ? 2 : 1;
        break;
    default:
        code_point_at(p, p->pos, &n);
        break;
    }
    set_token(p, kind, p->pos + n);
}

/* Reads the next token into p->tok. */
static int advance(struct parser *p)
{
    while (p->pos < p->len && is_space(p->text[p->pos])) {
        p->pos++;
    }
    const char *s = p->text + p->pos;
    size_t n;
    if (p->pos == p->len) {
        set_token(p, TOK_END, p->pos);
    } else if (*s == '\'') {
        return lex_quoted(p, '\'', TOK_STRING);
    } else if (*s == '"') {
        return lex_quoted(p, '"', TOK_QUOTED);
    } else if (starts_number(s)) {
        return lex_number(p);
    } else if (is_ident_start(code_point_at(p, p->pos, &n))) {
        set_token(p, TOK_WORD, skip_ident_part(p, p->pos));
    } else {
        lex_symbol(p);
    }
    return ERR_OK;
}

static bool next_is_lparen(const struct parser *p)
{
    size_t i = p->pos;
    while (i < p->len && is_space(p->text[i])) {
        i++;
    }
    return p->text[i] == '(';
}

static int expect(struct parser *p, enum tok_kind kind, const char *expected)
{
    return p->tok.kind == kind ? advance(p) : unexpected(p, expected);
}

/* Trees */

static void operand_clear(struct cql2_operand *op)
{
    free(op->text);
    op->text = NULL;
}

/* Arrays grow to the next power of two when their count reaches one, so no capacity
 * needs storing: the capacity is always the smallest power of two >= the count. */
static bool is_full(size_t n)
{
    return (n & (n - 1)) == 0;
}

static void append_operand(struct cql2_node *node, const struct cql2_operand *op)
{
    if (is_full(node->n_operands)) {
        size_t cap = node->n_operands == 0 ? 1 : node->n_operands * 2;
        node->operands = xreallocarray(node->operands, cap, sizeof(*node->operands));
    }
    node->operands[node->n_operands++] = *op;
}

static void append_child(struct cql2_node *node, struct cql2_node *child)
{
    if (is_full(node->n_children)) {
        size_t cap = node->n_children == 0 ? 1 : node->n_children * 2;
        node->children = xreallocarray(node->children, cap, sizeof(*node->children));
    }
    node->children[node->n_children++] = child;
}

static struct cql2_node *node_alloc(enum cql2_node_kind kind)
{
    struct cql2_node *node = xcalloc(1, sizeof(*node));
    node->kind = kind;
    return node;
}

void cql2_free(struct cql2_node *node)
{
    if (node == NULL) {
        return;
    }
    for (size_t i = 0; i < node->n_children; i++) {
        cql2_free(node->children[i]);
    }
    for (size_t i = 0; i < node->n_operands; i++) {
        operand_clear(&node->operands[i]);
    }
    free(node->children);
    free(node->operands);
    free(node->wkt);
    free(node);
}

static int count_node(struct parser *p)
{
    if (p->n_nodes >= CQL2_MAX_NODES) {
        return fail(p, ERR_TOO_LARGE, p->tok.start, "split the filter into simpler requests",
                    "the filter has more than %d conditions and values", CQL2_MAX_NODES);
    }
    p->n_nodes++;
    return ERR_OK;
}

static struct cql2_node *node_new(struct parser *p, enum cql2_node_kind kind)
{
    return count_node(p) == ERR_OK ? node_alloc(kind) : NULL;
}

/* Moves *op into node (or clears it when over the cap). */
static int push_operand(struct parser *p, struct cql2_node *node, struct cql2_operand *op)
{
    if (count_node(p) != ERR_OK) {
        operand_clear(op);
        return p->rc;
    }
    append_operand(node, op);
    return ERR_OK;
}

/* A new node holding lhs as operands[0]; lhs is moved (or cleared on failure). */
static struct cql2_node *start_node(struct parser *p, enum cql2_node_kind kind,
                                    struct cql2_operand *lhs)
{
    struct cql2_node *node = node_new(p, kind);
    if (node == NULL) {
        operand_clear(lhs);
        return NULL;
    }
    if (push_operand(p, node, lhs) != ERR_OK) {
        cql2_free(node);
        return NULL;
    }
    return node;
}

static int enter(struct parser *p, size_t off)
{
    if (p->depth >= CQL2_MAX_DEPTH) {
        /* A mistake in the request (400), not a body too large (413): it is short. */
        return fail(p, ERR_INVALID, off, NULL, "the filter nests deeper than %d levels",
                    CQL2_MAX_DEPTH);
    }
    p->depth++;
    return ERR_OK;
}

/* Literals */

/* A string literal in NFC, as stored text is (encode/nfc_text.h): a Thai name typed with
 * its marks in another order still matches. Takes s (n bytes), returns the text to use. */
static char *nfc_string(char *s, size_t n)
{
    size_t len = 0;
    char *nfc = nfc_text_may_change(s, n) ? nfc_text_new(s, n, &len) : NULL;
    if (nfc == NULL) {
        return s;
    }
    free(s);
    return nfc;
}

/* The token's text without its quotes, doubled (or, in strings, backslashed) quotes made
 * single, strings in NFC; free with free(). */
static char *unquote(const struct parser *p)
{
    const struct token *t = &p->tok;
    char quote = p->text[t->start];
    char *out = xmalloc(t->end - t->start);
    size_t n = 0;
    for (size_t i = t->start + 1; i + 1 < t->end; i++) {
        if (is_escaped_quote(p, i, quote)) {
            out[n++] = quote;
            i++;
            continue;
        }
        if (is_backslash_pair(p, i, quote)) {
            out[n++] = p->text[i++];
            out[n++] = p->text[i];
            continue;
        }
        out[n++] = p->text[i];
        if (p->text[i] == quote) {
            i++;
        }
    }
    out[n] = '\0';
    return quote == '\'' ? nfc_string(out, n) : out;
}

static int number_value(struct parser *p, struct cql2_operand *out)
{
    const struct token *t = &p->tok;
    char *s = xstrndup(p->text + t->start, t->end - t->start);
    char *end = NULL;
    out->kind = CQL2_NUMBER;
    if (strpbrk(s, ".eE") == NULL) {
        errno = 0;
        long long v = strtoll(s, &end, 10);
        if (errno == 0 && *end == '\0') {
            out->is_integer = true;
            out->integer = v;
            out->number = (double)v;
            free(s);
            return ERR_OK;
        }
    }
    /* Integers past 64 bits fall through to a double, as in JSON. */
    out->number = strtod(s, &end);
    bool is_whole = *end == '\0';
    free(s);
    if (!isfinite(out->number) || !is_whole) {
        char quote[SNIPPET_MAX + 8];
        snippet(p, t->start, t->end, quote, sizeof(quote));
        return fail(p, ERR_INVALID, t->start, NULL, "number %s is out of range", quote);
    }
    return ERR_OK;
}

static bool digits_in_range(const char *s, size_t n, int min, int max, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (!is_digit(s[i])) {
            return false;
        }
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return v >= min && v <= max;
}

/* Whether s starts with "YYYY-MM-DD", a real calendar day. */
static bool is_date(const char *s)
{
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, m, d;
    if (strlen(s) < 10 || s[4] != '-' || s[7] != '-' || !digits_in_range(s, 4, 0, 9999, &y) ||
        !digits_in_range(s + 5, 2, 1, 12, &m) || !digits_in_range(s + 8, 2, 1, days[m - 1], &d)) {
        return false;
    }
    bool is_leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return !(m == 2 && d == 29 && !is_leap);
}

/* "YYYY-MM-DDTHH:MM:SS[.f...]Z", RFC 3339 in UTC as CQL2 requires. */
static bool is_timestamp(const char *s)
{
    int v;
    if (strlen(s) < 20 || !is_date(s) || s[10] != 'T' || s[13] != ':' || s[16] != ':' ||
        !digits_in_range(s + 11, 2, 0, 23, &v) || !digits_in_range(s + 14, 2, 0, 59, &v) ||
        !digits_in_range(s + 17, 2, 0, 59, &v)) {
        return false;
    }
    const char *r = s + 19;
    if (*r == '.') {
        size_t n = strspn(r + 1, "0123456789");
        if (n == 0 || n > 9) {
            return false;
        }
        r += 1 + n;
    }
    return strcmp(r, "Z") == 0;
}

/* DATE('YYYY-MM-DD') or TIMESTAMP('YYYY-MM-DDTHH:MM:SSZ'); the keyword is current. */
static int parse_instant(struct parser *p, struct cql2_operand *out, bool is_ts)
{
    const char *example = is_ts ? "TIMESTAMP('2024-01-31T13:45:00Z')" : "DATE('2024-01-31')";
    char hint[80];
    snprintf(hint, sizeof(hint), "expected a quoted %s such as %s",
             is_ts ? "UTC timestamp" : "date", example);
    int rc = advance(p);
    if (rc == ERR_OK) {
        rc = expect(p, TOK_LPAREN, hint);
    }
    if (rc == ERR_OK && p->tok.kind != TOK_STRING) {
        rc = unexpected(p, hint);
    }
    if (rc != ERR_OK) {
        return rc;
    }
    out->kind = is_ts ? CQL2_TIMESTAMP : CQL2_DATE;
    out->text = unquote(p);
    if (!(is_ts ? is_timestamp(out->text) : strlen(out->text) == 10 && is_date(out->text))) {
        char quote[SNIPPET_MAX + 8];
        snippet(p, p->tok.start, p->tok.end, quote, sizeof(quote));
        return fail(p, ERR_INVALID, p->tok.start, hint, "invalid %s %s",
                    is_ts ? "timestamp" : "date", quote);
    }
    rc = advance(p);
    return rc == ERR_OK ? expect(p, TOK_RPAREN, "expected ')'") : rc;
}

static bool tok_is_any(const struct parser *p, const char *const *words, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (tok_is(p, words[i])) {
            return true;
        }
    }
    return false;
}

static bool tok_is_reserved(const struct parser *p)
{
    static const char *const words[] = {"AND", "OR",   "NOT",  "LIKE",  "BETWEEN", "IN",
                                        "IS",  "NULL", "TRUE", "FALSE", "DIV",     "S_INTERSECTS"};
    return tok_is_any(p, words, sizeof(words) / sizeof(words[0]));
}

static bool tok_is_geometry_tag(const struct parser *p)
{
    static const char *const words[] = {
        "POINT",        "LINESTRING",         "POLYGON", "MULTIPOINT", "MULTILINESTRING",
        "MULTIPOLYGON", "GEOMETRYCOLLECTION", "BBOX"};
    return tok_is_any(p, words, sizeof(words) / sizeof(words[0]));
}

static int fail_function(struct parser *p)
{
    const struct token *t = &p->tok;
    char quote[SNIPPET_MAX + 8];
    snippet(p, t->start, t->end, quote, sizeof(quote));
    return fail(p, ERR_INVALID, t->start, HINT_SUPPORTED_FUNCTIONS,
                "function '%s' is not supported", quote);
}

/* A word in value position: TRUE/FALSE, DATE(...), TIMESTAMP(...) or a property name.
 * DATE and TIMESTAMP are functions only before '(', so properties may be called "date". */
static int parse_word_value(struct parser *p, struct cql2_operand *out)
{
    if (tok_is(p, "TRUE") || tok_is(p, "FALSE")) {
        out->kind = CQL2_BOOLEAN;
        out->boolean = tok_is(p, "TRUE");
        return advance(p);
    }
    if (tok_is_reserved(p)) {
        return unexpected(p,
                          tok_is(p, "NULL") ? "test for missing values with IS NULL" : HINT_VALUE);
    }
    if (next_is_lparen(p)) {
        if (tok_is(p, "DATE") || tok_is(p, "TIMESTAMP")) {
            return parse_instant(p, out, tok_is(p, "TIMESTAMP"));
        }
        if (tok_is_geometry_tag(p)) {
            return fail(p, ERR_INVALID, p->tok.start, "write S_INTERSECTS(geometry, <geometry>)",
                        "geometry literals are only supported inside S_INTERSECTS");
        }
        return fail_function(p);
    }
    out->kind = CQL2_PROPERTY;
    out->text = xstrndup(p->text + p->tok.start, p->tok.end - p->tok.start);
    return advance(p);
}

/* A property name or a literal. On failure *out holds nothing. */
static int parse_scalar(struct parser *p, struct cql2_operand *out)
{
    memset(out, 0, sizeof(*out));
    int rc;
    switch (p->tok.kind) {
    case TOK_STRING:
        out->kind = CQL2_STRING;
        out->text = unquote(p);
        rc = advance(p);
        break;
    case TOK_QUOTED:
        if (p->tok.end - p->tok.start == 2) {
            return fail(p, ERR_INVALID, p->tok.start, NULL, "empty property name \"\"");
        }
        out->kind = CQL2_PROPERTY;
        out->text = unquote(p);
        rc = advance(p);
        break;
    case TOK_NUMBER:
        rc = number_value(p, out);
        rc = rc == ERR_OK ? advance(p) : rc;
        break;
    case TOK_WORD:
        rc = parse_word_value(p, out);
        break;
    default:
        return unexpected(p, HINT_VALUE);
    }
    if (rc != ERR_OK) {
        operand_clear(out);
    }
    return rc;
}

/* Geometry literals */

static int wkt_append(struct parser *p, struct buf *out, const char *s)
{
    struct err ignored;
    if (buf_append_str(out, s, &ignored) != ERR_OK) {
        return fail(p, ERR_TOO_LARGE, p->tok.start, NULL, "the geometry is too large");
    }
    return ERR_OK;
}

/* Shortest of %.15g and %.17g that reads back as the same double. */
static int wkt_append_number(struct parser *p, struct buf *out, double v)
{
    char text[32];
    snprintf(text, sizeof(text), "%.15g", v);
    if (strtod(text, NULL) != v) {
        snprintf(text, sizeof(text), "%.17g", v);
    }
    return wkt_append(p, out, text);
}

/* One coordinate of a position or BBOX: a number in the CRS84 range for its axis. */
static int read_coordinate(struct parser *p, bool is_lat, double *out)
{
    if (p->tok.kind != TOK_NUMBER) {
        return unexpected(p, is_lat ? "expected a latitude" : "expected a longitude");
    }
    struct cql2_operand op = {0};
    int rc = number_value(p, &op);
    if (rc != ERR_OK) {
        return rc;
    }
    double limit = is_lat ? 90 : 180;
    if (op.number < -limit || op.number > limit) {
        return fail(p, ERR_INVALID, p->tok.start,
                    "coordinates are CRS84 longitude (-180 to 180) then latitude (-90 to 90)",
                    "%s %g is out of range", is_lat ? "latitude" : "longitude", op.number);
    }
    *out = op.number;
    return advance(p);
}

/* A height (a third coordinate, CQL2's zCoord): any number, then dropped, because the
 * stored geometries are 2D and intersection is tested in the plane. */
static int skip_height(struct parser *p)
{
    struct cql2_operand op = {0};
    int rc = number_value(p, &op);
    return rc == ERR_OK ? advance(p) : rc;
}

/* "lon lat [height]", written to out as "lon lat" and returned in xy. */
static int wkt_position(struct parser *p, struct buf *out, double xy[2])
{
    int rc = read_coordinate(p, false, &xy[0]);
    if (rc == ERR_OK) {
        rc = read_coordinate(p, true, &xy[1]);
    }
    if (rc == ERR_OK && p->tok.kind == TOK_NUMBER) {
        rc = skip_height(p);
    }
    if (rc == ERR_OK && p->tok.kind == TOK_NUMBER) {
        rc = fail(p, ERR_INVALID, p->tok.start, "write longitude latitude [height]",
                  "a position has at most 3 coordinates");
    }
    if (rc == ERR_OK) {
        rc = wkt_append_number(p, out, xy[0]);
    }
    if (rc == ERR_OK) {
        rc = wkt_append(p, out, " ");
    }
    return rc == ERR_OK ? wkt_append_number(p, out, xy[1]) : rc;
}

/* "(pos, pos, ...)": a linestring (>= 2 positions) or a closed ring (>= 4). */
static int wkt_positions(struct parser *p, struct buf *out, int is_ring)
{
    size_t at = p->tok.start;
    int rc = expect(p, TOK_LPAREN, "expected '(' before the coordinates");
    rc = rc == ERR_OK ? wkt_append(p, out, "(") : rc;
    double first[2] = {0, 0}, last[2] = {0, 0};
    size_t n = 0;
    while (rc == ERR_OK) {
        rc = wkt_position(p, out, n == 0 ? first : last);
        n++;
        if (rc != ERR_OK || p->tok.kind != TOK_COMMA) {
            break;
        }
        rc = advance(p);
        rc = rc == ERR_OK ? wkt_append(p, out, ",") : rc;
    }
    rc = rc == ERR_OK ? expect(p, TOK_RPAREN, "expected ',' or ')' after a position") : rc;
    if (rc != ERR_OK) {
        return rc;
    }
    if (is_ring && (n < 4 || first[0] != last[0] || first[1] != last[1])) {
        return fail(p, ERR_INVALID, at, NULL,
                    "a polygon ring needs at least 4 positions and must end where it starts");
    }
    if (!is_ring && n < 2) {
        return fail(p, ERR_INVALID, at, NULL, "a linestring needs at least 2 positions");
    }
    return wkt_append(p, out, ")");
}

typedef int wkt_item_fn(struct parser *p, struct buf *out, int arg);

/* "(item, item, ...)" with at least one item. */
static int wkt_list(struct parser *p, struct buf *out, wkt_item_fn *item, int arg)
{
    int rc = expect(p, TOK_LPAREN, "expected '('");
    rc = rc == ERR_OK ? wkt_append(p, out, "(") : rc;
    while (rc == ERR_OK) {
        rc = item(p, out, arg);
        if (rc != ERR_OK || p->tok.kind != TOK_COMMA) {
            break;
        }
        rc = advance(p);
        rc = rc == ERR_OK ? wkt_append(p, out, ",") : rc;
    }
    rc = rc == ERR_OK ? expect(p, TOK_RPAREN, "expected ',' or ')'") : rc;
    return rc == ERR_OK ? wkt_append(p, out, ")") : rc;
}

static int wkt_point_body(struct parser *p, struct buf *out, int arg)
{
    (void)arg;
    double xy[2];
    int rc = expect(p, TOK_LPAREN, "expected '(' before the coordinates");
    rc = rc == ERR_OK ? wkt_append(p, out, "(") : rc;
    rc = rc == ERR_OK ? wkt_position(p, out, xy) : rc;
    rc = rc == ERR_OK ? expect(p, TOK_RPAREN, "expected ')' after the position") : rc;
    return rc == ERR_OK ? wkt_append(p, out, ")") : rc;
}

/* A MULTIPOINT member: "(x y)" or, as many writers emit, a bare "x y". */
static int wkt_multipoint_member(struct parser *p, struct buf *out, int arg)
{
    if (p->tok.kind == TOK_LPAREN) {
        return wkt_point_body(p, out, arg);
    }
    double xy[2];
    int rc = wkt_append(p, out, "(");
    rc = rc == ERR_OK ? wkt_position(p, out, xy) : rc;
    return rc == ERR_OK ? wkt_append(p, out, ")") : rc;
}

static int wkt_linestring_body(struct parser *p, struct buf *out, int arg)
{
    (void)arg;
    return wkt_positions(p, out, false);
}

static int wkt_polygon_body(struct parser *p, struct buf *out, int arg)
{
    (void)arg;
    return wkt_list(p, out, wkt_positions, true);
}

static int wkt_multipoint_body(struct parser *p, struct buf *out, int arg)
{
    return wkt_list(p, out, wkt_multipoint_member, arg);
}

static int wkt_multilinestring_body(struct parser *p, struct buf *out, int arg)
{
    return wkt_list(p, out, wkt_linestring_body, arg);
}

static int wkt_multipolygon_body(struct parser *p, struct buf *out, int arg)
{
    return wkt_list(p, out, wkt_polygon_body, arg);
}

static int wkt_geometry(struct parser *p, struct buf *out, int arg);

static int wkt_collection_body(struct parser *p, struct buf *out, int arg)
{
    int rc = enter(p, p->tok.start);
    if (rc == ERR_OK) {
        rc = wkt_list(p, out, wkt_geometry, arg);
        p->depth--;
    }
    return rc;
}

/* A tagged WKT geometry: the tag is current. */
static int wkt_geometry(struct parser *p, struct buf *out, int arg)
{
    static const struct {
        const char *tag;
        wkt_item_fn *body;
    } kinds[] = {
        {"POINT", wkt_point_body},
        {"LINESTRING", wkt_linestring_body},
        {"POLYGON", wkt_polygon_body},
        {"MULTIPOINT", wkt_multipoint_body},
        {"MULTILINESTRING", wkt_multilinestring_body},
        {"MULTIPOLYGON", wkt_multipolygon_body},
        {"GEOMETRYCOLLECTION", wkt_collection_body},
    };
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        if (!tok_is(p, kinds[i].tag)) {
            continue;
        }
        int rc = advance(p);
        if (rc == ERR_OK && tok_is(p, "Z")) {
            rc = advance(p); /* 3-D: heights are read and dropped (skip_height) */
        } else if (rc == ERR_OK && (tok_is(p, "M") || tok_is(p, "ZM"))) {
            rc = fail(p, ERR_INVALID, p->tok.start, "use longitude latitude [height]",
                      "measures (M) are not part of CQL2 geometries");
        }
        if (rc == ERR_OK && tok_is(p, "EMPTY")) {
            rc = fail(p, ERR_INVALID, p->tok.start, NULL, "empty geometries are not supported");
        }
        rc = rc == ERR_OK ? wkt_append(p, out, kinds[i].tag) : rc;
        return rc == ERR_OK ? kinds[i].body(p, out, arg) : rc;
    }
    return unexpected(p, tok_is(p, "BBOX") ? "BBOX cannot be part of a GEOMETRYCOLLECTION"
                                           : HINT_GEOMETRY);
}

/* BBOX(minlon, minlat, maxlon, maxlat) or, 3-D, BBOX(minlon, minlat, minheight, maxlon,
 * maxlat, maxheight) whose heights are dropped; the keyword is current. */
static int parse_bbox(struct parser *p, struct cql2_node *node)
{
    size_t at = p->tok.start;
    double v[6] = {0};
    int n = 0;
    int rc = advance(p);
    rc = rc == ERR_OK ? expect(p, TOK_LPAREN, "expected '(' after BBOX") : rc;
    while (rc == ERR_OK && n < 6) {
        if (n > 0 && p->tok.kind != TOK_COMMA) {
            break;
        }
        rc = n > 0 ? advance(p) : ERR_OK;
        /* Which numbers are latitudes is known once all are read: check ranges after. */
        if (rc == ERR_OK && p->tok.kind != TOK_NUMBER) {
            rc = unexpected(p, "BBOX takes 4 or 6 numbers");
        }
        struct cql2_operand op = {0};
        rc = rc == ERR_OK ? number_value(p, &op) : rc;
        v[n++] = op.number;
        rc = rc == ERR_OK ? advance(p) : rc;
    }
    if (rc == ERR_OK && n != 4 && n != 6) {
        rc = fail(p, ERR_INVALID, at,
                  "BBOX(minlon, minlat, maxlon, maxlat), or 6 numbers with heights",
                  "BBOX takes 4 or 6 numbers, not %d", n);
    }
    rc = rc == ERR_OK ? expect(p, TOK_RPAREN, "expected ')' after the BBOX numbers") : rc;
    double box[4] = {v[0], v[1], v[n == 6 ? 3 : 2], v[n == 6 ? 4 : 3]};
    bool is_in_range =
        fabs(box[0]) <= 180 && fabs(box[2]) <= 180 && fabs(box[1]) <= 90 && fabs(box[3]) <= 90;
    if (rc == ERR_OK && !is_in_range) {
        rc = fail(p, ERR_INVALID, at,
                  "coordinates are CRS84 longitude (-180 to 180) then latitude (-90 to 90)",
                  "BBOX is out of range");
    }
    if (rc == ERR_OK && (box[0] > box[2] || box[1] > box[3])) {
        rc = fail(p, ERR_INVALID, at, "BBOX takes minlon, minlat, maxlon, maxlat",
                  "BBOX minimum is greater than its maximum");
    }
    memcpy(node->bbox, box, sizeof(box));
    node->has_bbox = rc == ERR_OK;
    return rc;
}

static int parse_spatial_geometry(struct parser *p, struct cql2_node *node)
{
    if (node->wkt != NULL || node->has_bbox) {
        return fail(p, ERR_INVALID, p->tok.start,
                    "S_INTERSECTS compares a property with a geometry",
                    "S_INTERSECTS has two geometry literals");
    }
    if (tok_is(p, "BBOX")) {
        return parse_bbox(p, node);
    }
    struct buf wkt;
    buf_init(&wkt, WKT_MAX_LEN);
    int rc = wkt_geometry(p, &wkt, 0);
    if (rc == ERR_OK) {
        node->wkt = buf_take(&wkt);
    }
    buf_clear(&wkt);
    return rc;
}

static int parse_spatial_argument(struct parser *p, struct cql2_node *node)
{
    if (tok_is_geometry_tag(p)) {
        return parse_spatial_geometry(p, node);
    }
    if (p->tok.kind == TOK_WORD && next_is_lparen(p)) {
        return unexpected(p, HINT_GEOMETRY);
    }
    size_t at = p->tok.start;
    struct cql2_operand op;
    int rc = parse_scalar(p, &op);
    if (rc != ERR_OK) {
        return rc;
    }
    if (op.kind != CQL2_PROPERTY || node->n_operands > 0) {
        operand_clear(&op);
        return fail(p, ERR_INVALID, at, "write S_INTERSECTS(geometry, POLYGON((...))) or BBOX(...)",
                    "S_INTERSECTS needs one property and one geometry literal");
    }
    return push_operand(p, node, &op);
}

/* S_INTERSECTS(a, b): one property, one WKT or BBOX literal, in either order. */
static struct cql2_node *parse_spatial(struct parser *p)
{
    struct cql2_node *node = node_new(p, CQL2_S_INTERSECTS);
    if (node == NULL) {
        return NULL;
    }
    int rc = advance(p);
    rc = rc == ERR_OK ? expect(p, TOK_LPAREN, "expected '(' after S_INTERSECTS") : rc;
    rc = rc == ERR_OK ? parse_spatial_argument(p, node) : rc;
    rc = rc == ERR_OK ? expect(p, TOK_COMMA, "S_INTERSECTS takes two arguments") : rc;
    rc = rc == ERR_OK ? parse_spatial_argument(p, node) : rc;
    rc = rc == ERR_OK ? expect(p, TOK_RPAREN, "expected ')' after the two arguments") : rc;
    if (rc != ERR_OK) {
        cql2_free(node);
        return NULL;
    }
    return node;
}

/* Predicates: lhs is parsed and the operator is current */

static struct cql2_node *finish(struct parser *p, struct cql2_node *node, int rc)
{
    if (rc != ERR_OK) {
        p->rc = rc;
        cql2_free(node);
        return NULL;
    }
    return node;
}

static int push_scalar(struct parser *p, struct cql2_node *node)
{
    struct cql2_operand op;
    int rc = parse_scalar(p, &op);
    return rc == ERR_OK ? push_operand(p, node, &op) : rc;
}

static struct cql2_node *parse_compare(struct parser *p, struct cql2_operand *lhs)
{
    static const enum cql2_compare_op ops[] = {
        [TOK_EQ] = CQL2_EQ, [TOK_NE] = CQL2_NE, [TOK_LT] = CQL2_LT,
        [TOK_LE] = CQL2_LE, [TOK_GT] = CQL2_GT, [TOK_GE] = CQL2_GE,
    };
    enum tok_kind kind = p->tok.kind;
    struct cql2_node *node = start_node(p, CQL2_COMPARE, lhs);
    if (node == NULL) {
        return NULL;
    }
    node->op = ops[kind];
    int rc = advance(p);
    return finish(p, node, rc == ERR_OK ? push_scalar(p, node) : rc);
}

static struct cql2_node *parse_like(struct parser *p, struct cql2_operand *lhs, bool negated)
{
    struct cql2_node *node = start_node(p, CQL2_LIKE, lhs);
    if (node == NULL) {
        return NULL;
    }
    node->negated = negated;
    int rc = advance(p);
    if (rc == ERR_OK && p->tok.kind != TOK_STRING) {
        rc = p->tok.kind == TOK_WORD && next_is_lparen(p)
                 ? fail_function(p)
                 : unexpected(p, "expected a quoted pattern such as 'Ban%'");
    }
    return finish(p, node, rc == ERR_OK ? push_scalar(p, node) : rc);
}

static struct cql2_node *parse_between(struct parser *p, struct cql2_operand *lhs, bool negated)
{
    struct cql2_node *node = start_node(p, CQL2_BETWEEN, lhs);
    if (node == NULL) {
        return NULL;
    }
    node->negated = negated;
    int rc = advance(p);
    rc = rc == ERR_OK ? push_scalar(p, node) : rc;
    if (rc == ERR_OK && !tok_is(p, "AND")) {
        rc = unexpected(p, "expected AND, as in BETWEEN 1 AND 5");
    }
    rc = rc == ERR_OK ? advance(p) : rc;
    return finish(p, node, rc == ERR_OK ? push_scalar(p, node) : rc);
}

static struct cql2_node *parse_in(struct parser *p, struct cql2_operand *lhs, bool negated)
{
    struct cql2_node *node = start_node(p, CQL2_IN, lhs);
    if (node == NULL) {
        return NULL;
    }
    node->negated = negated;
    int rc = advance(p);
    rc = rc == ERR_OK ? expect(p, TOK_LPAREN, "expected '(' and a list of values after IN") : rc;
    while (rc == ERR_OK) {
        /* operands[0] is the tested value; the list follows it. */
        if (node->n_operands - 1 >= CQL2_MAX_IN_LIST) {
            rc = fail(p, ERR_TOO_LARGE, p->tok.start, NULL, "an IN list has more than %d values",
                      CQL2_MAX_IN_LIST);
            break;
        }
        rc = push_scalar(p, node);
        if (rc != ERR_OK || p->tok.kind != TOK_COMMA) {
            break;
        }
        rc = advance(p);
    }
    rc = rc == ERR_OK ? expect(p, TOK_RPAREN, "expected ',' or ')' in the IN list") : rc;
    return finish(p, node, rc);
}

static struct cql2_node *parse_is_null(struct parser *p, struct cql2_operand *lhs)
{
    struct cql2_node *node = start_node(p, CQL2_IS_NULL, lhs);
    if (node == NULL) {
        return NULL;
    }
    int rc = advance(p);
    if (rc == ERR_OK && tok_is(p, "NOT")) {
        node->negated = true;
        rc = advance(p);
    }
    if (rc == ERR_OK && !tok_is(p, "NULL")) {
        rc = unexpected(p, "expected NULL or NOT NULL after IS");
    }
    return finish(p, node, rc == ERR_OK ? advance(p) : rc);
}

static struct cql2_node *parse_predicate_rest(struct parser *p, struct cql2_operand *lhs)
{
    enum tok_kind kind = p->tok.kind;
    if (kind == TOK_EQ || kind == TOK_NE || kind == TOK_LT || kind == TOK_LE || kind == TOK_GT ||
        kind == TOK_GE) {
        return parse_compare(p, lhs);
    }
    if (tok_is(p, "IS")) {
        return parse_is_null(p, lhs);
    }
    bool negated = tok_is(p, "NOT");
    if (negated && advance(p) != ERR_OK) {
        operand_clear(lhs);
        return NULL;
    }
    if (tok_is(p, "LIKE")) {
        return parse_like(p, lhs, negated);
    } else if (tok_is(p, "BETWEEN")) {
        return parse_between(p, lhs, negated);
    } else if (tok_is(p, "IN")) {
        return parse_in(p, lhs, negated);
    }
    if (!negated && lhs->kind == CQL2_BOOLEAN) {
        struct cql2_node *node = node_new(p, CQL2_CONSTANT);
        if (node != NULL) {
            node->constant = lhs->boolean;
        }
        return node;
    }
    operand_clear(lhs);
    unexpected(p, negated ? "expected LIKE, BETWEEN or IN after NOT" : HINT_OPERATOR);
    return NULL;
}

/* Boolean structure: OR < AND < NOT < parentheses and predicates */

static struct cql2_node *parse_or(struct parser *p);

static struct cql2_node *parse_predicate(struct parser *p)
{
    if (tok_is(p, "S_INTERSECTS")) {
        return parse_spatial(p);
    }
    struct cql2_operand lhs;
    if (parse_scalar(p, &lhs) != ERR_OK) {
        return NULL;
    }
    return parse_predicate_rest(p, &lhs);
}

static struct cql2_node *parse_primary(struct parser *p)
{
    if (p->tok.kind != TOK_LPAREN) {
        return parse_predicate(p);
    }
    size_t at = p->tok.start;
    if (enter(p, at) != ERR_OK || advance(p) != ERR_OK) {
        return NULL;
    }
    struct cql2_node *node = parse_or(p);
    if (node == NULL) {
        return NULL;
    }
    p->depth--;
    if (p->tok.kind != TOK_RPAREN) {
        char hint[64];
        snprintf(hint, sizeof(hint), "expected ')' to close the '(' at character %zu",
                 char_position(p, at));
        unexpected(p, hint);
        return finish(p, node, p->rc);
    }
    return finish(p, node, advance(p));
}

static struct cql2_node *parse_not(struct parser *p)
{
    if (!tok_is(p, "NOT")) {
        return parse_primary(p);
    }
    if (enter(p, p->tok.start) != ERR_OK || advance(p) != ERR_OK) {
        return NULL;
    }
    struct cql2_node *child = parse_not(p);
    p->depth--;
    if (child == NULL) {
        return NULL;
    }
    struct cql2_node *node = node_new(p, CQL2_NOT);
    if (node == NULL) {
        cql2_free(child);
        return NULL;
    }
    append_child(node, child);
    return node;
}

/* item { keyword item }, flattened into one node of kind when there are several. */
static struct cql2_node *parse_chain(struct parser *p, enum cql2_node_kind kind,
                                     const char *keyword,
                                     struct cql2_node *(*item)(struct parser *))
{
    struct cql2_node *first = item(p);
    if (first == NULL || !tok_is(p, keyword)) {
        return first;
    }
    struct cql2_node *node = node_new(p, kind);
    if (node == NULL) {
        cql2_free(first);
        return NULL;
    }
    append_child(node, first);
    while (tok_is(p, keyword)) {
        if (advance(p) != ERR_OK) {
            return finish(p, node, p->rc);
        }
        struct cql2_node *next = item(p);
        if (next == NULL) {
            return finish(p, node, p->rc);
        }
        append_child(node, next);
    }
    return node;
}

static struct cql2_node *parse_and(struct parser *p)
{
    return parse_chain(p, CQL2_AND, "AND", parse_not);
}

static struct cql2_node *parse_or(struct parser *p)
{
    return parse_chain(p, CQL2_OR, "OR", parse_and);
}

int cql2_parse(const char *text, struct cql2_node **out, struct err *err)
{
    *out = NULL;
    size_t len = strnlen(text, CQL2_MAX_TEXT_LEN + 1);
    if (len > CQL2_MAX_TEXT_LEN) {
        return err_set(err, ERR_TOO_LARGE, "filter: longer than %d bytes", CQL2_MAX_TEXT_LEN);
    }
    struct parser p = {.text = text, .len = len, .rc = ERR_OK, .err = err};
    if (check_utf8(&p) != ERR_OK || advance(&p) != ERR_OK) {
        return p.rc;
    }
    if (p.tok.kind == TOK_END) {
        return fail(&p, ERR_INVALID, 0, "expected a condition such as name = 'x'",
                    "the filter is empty");
    }
    struct cql2_node *root = parse_or(&p);
    if (root == NULL) {
        return p.rc;
    }
    if (p.tok.kind != TOK_END) {
        unexpected(&p, p.tok.kind == TOK_RPAREN ? "this ')' closes nothing"
                                                : "expected AND, OR or the end of the filter");
        cql2_free(root);
        return p.rc;
    }
    *out = root;
    return ERR_OK;
}

/* Trees built by callers */

static void operand_copy(struct cql2_operand *dst, const struct cql2_operand *src)
{
    *dst = *src;
    dst->text = xstrdup(src->text);
}

struct cql2_node *cql2_new_equals(const char *property, const struct cql2_operand *value)
{
    struct cql2_node *node = node_alloc(CQL2_COMPARE);
    node->op = CQL2_EQ;
    struct cql2_operand op = {.kind = CQL2_PROPERTY, .text = xstrdup(property)};
    append_operand(node, &op);
    operand_copy(&op, value);
    append_operand(node, &op);
    return node;
}

struct cql2_node *cql2_new_and(struct cql2_node *left, struct cql2_node *right)
{
    if (left == NULL || right == NULL) {
        return left != NULL ? left : right;
    }
    struct cql2_node *node = left;
    if (left->kind != CQL2_AND) {
        node = node_alloc(CQL2_AND);
        append_child(node, left);
    }
    if (right->kind != CQL2_AND) {
        append_child(node, right);
        return node;
    }
    for (size_t i = 0; i < right->n_children; i++) {
        append_child(node, right->children[i]);
    }
    right->n_children = 0;
    cql2_free(right);
    return node;
}
