/* cql2.h - parse OGC CQL2 text (OGC API - Features Part 3) into a syntax tree.
 * Pure parsing: no I/O, no database. Checking property names against a layer's
 * queryables and turning the tree into SQL happen in store/store_filter.c.
 *
 * Supported (the conformance classes the server claims):
 *   basic-cql2: comparisons = <> < > <= >=, AND, OR, NOT, IS [NOT] NULL, TRUE/FALSE,
 *               string, number and boolean literals, DATE('...') and TIMESTAMP('...');
 *   advanced-comparison-operators: [NOT] LIKE, [NOT] BETWEEN, [NOT] IN (...);
 *   basic-spatial-functions(-plus): S_INTERSECTS(property, geometry literal), in either
 *               argument order, where the literal is WKT (POINT, LINESTRING, POLYGON,
 *               MULTI*, GEOMETRYCOLLECTION; 2D, or 3-D with Z or a third coordinate, whose
 *               heights are dropped) or BBOX(minx, miny, maxx, maxy) with min <= max, or
 *               its 6-number form with heights (dropped), in CRS84 longitude/latitude.
 * Keywords are case-insensitive; property names are case-sensitive and may be
 * double-quoted ("my name", with "" for a quote inside). Strings are 'single-quoted' with
 * '' or \' for a quote inside (CQL2's escapeQuote); other backslashes are kept as they
 * are, a pair \\ included (LIKE uses them as escapes).
 * DATE, TIMESTAMP and the geometry names are keywords only before '(', so a property may be
 * called date; AND, OR, NOT, LIKE, BETWEEN, IN, IS, NULL, TRUE, FALSE, DIV and S_INTERSECTS
 * are reserved and must be double-quoted to be used as property names. Other functions
 * (S_WITHIN, CASEI, T_*, A_*) and arithmetic fail with a message listing what is supported. */
#ifndef CITYATLAS_CQL2_CQL2_H
#define CITYATLAS_CQL2_CQL2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

/* Caps that keep a hostile filter from costing unbounded memory or stack. */
#define CQL2_MAX_TEXT_LEN 16384 /* bytes of filter text */
#define CQL2_MAX_DEPTH 64       /* nesting of AND/OR/NOT/parentheses */
#define CQL2_MAX_IN_LIST 1000   /* values in one IN (...) */
#define CQL2_MAX_NODES 4096     /* nodes plus operands (values) in one tree */

enum cql2_operand_kind {
    CQL2_PROPERTY,  /* text = the property name (unquoted) */
    CQL2_STRING,    /* text = the value (quotes removed, '' unescaped) */
    CQL2_NUMBER,    /* number; is_integer and integer set when it has no '.', 'e' and
                       fits in 64 bits (larger integers are doubles) */
    CQL2_BOOLEAN,   /* boolean */
    CQL2_DATE,      /* text = "YYYY-MM-DD" (checked) */
    CQL2_TIMESTAMP, /* text = "YYYY-MM-DDTHH:MM:SS[.f]Z", 1 to 9 fraction digits (checked) */
};

struct cql2_operand {
    enum cql2_operand_kind kind;
    char *text; /* owned; NULL for numbers and booleans */
    double number;
    bool is_integer;
    int64_t integer;
    bool boolean;
};

enum cql2_node_kind {
    CQL2_AND,          /* children[0..n_children) */
    CQL2_OR,           /* children[0..n_children) */
    CQL2_NOT,          /* children[0] */
    CQL2_COMPARE,      /* operands[0] op operands[1] */
    CQL2_LIKE,         /* operands[0] LIKE operands[1] (a CQL2_STRING pattern); negated */
    CQL2_BETWEEN,      /* operands[0] BETWEEN operands[1] AND operands[2]; negated */
    CQL2_IN,           /* operands[0] IN (operands[1..n_operands)); negated */
    CQL2_IS_NULL,      /* operands[0] IS NULL; negated for IS NOT NULL */
    CQL2_S_INTERSECTS, /* property operands[0] intersects geometry (wkt or bbox) */
    CQL2_CONSTANT,     /* TRUE or FALSE on its own: constant (no operands) */
};

enum cql2_compare_op { CQL2_EQ, CQL2_NE, CQL2_LT, CQL2_LE, CQL2_GT, CQL2_GE };

struct cql2_node {
    enum cql2_node_kind kind;
    struct cql2_node **children; /* owned */
    size_t n_children;
    struct cql2_operand *operands; /* owned array */
    size_t n_operands;
    enum cql2_compare_op op; /* CQL2_COMPARE */
    bool negated;            /* NOT LIKE, NOT BETWEEN, NOT IN, IS NOT NULL */
    bool constant;           /* CQL2_CONSTANT */
    /* CQL2_S_INTERSECTS: exactly one of the two is set. */
    char *wkt;      /* owned; normalised WKT in CRS84, e.g. "POLYGON((100.5 13.7,...))":
                       upper-case tags, no spaces but one between x and y, MULTIPOINT
                       members in parentheses; rings closed, lon/lat in range */
    bool has_bbox;  /* BBOX(...) literal */
    double bbox[4]; /* min_lon, min_lat, max_lon, max_lat (CRS84 degrees) */
};

/* Parses text (NUL-terminated, at most CQL2_MAX_TEXT_LEN bytes). On success *out is
 * the tree (free with cql2_free). On failure *out is NULL and err (ERR_INVALID, also for
 * nesting deeper than CQL2_MAX_DEPTH; ERR_TOO_LARGE for the other caps) says what was wrong and at
 * which character, e.g. "expected a value after '=' at character 12". Thread-safe (no shared
 * state). */
int cql2_parse(const char *text, struct cql2_node **out, struct err *err) WARN_UNUSED;

void cql2_free(struct cql2_node *node); /* NULL is fine */

/* Helpers for building trees from simple query parameters (?name=value): they return
 * new nodes owned by the caller (free with cql2_free). Trees built here skip the caps.
 * cql2_new_equals copies property and value (value->text included). */
struct cql2_node *cql2_new_equals(const char *property, const struct cql2_operand *value);
/* Takes both; either may be NULL, and then the other is returned. AND nodes are merged
 * into one, so chaining many parameters keeps the tree flat. */
struct cql2_node *cql2_new_and(struct cql2_node *left, struct cql2_node *right);

#endif
