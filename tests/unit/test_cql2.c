/* test_cql2.c - cql2/: CQL2 text becomes the right tree (precedence, every operator,
 * literals, property names, geometry literals), bad filters fail with a message that says
 * what and where, the caps hold, and random input never crashes the parser. */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "cql2/cql2.h"

#include "unit_support.c"

static struct cql2_node *parse_ok(const char *text)
{
    struct cql2_node *node = NULL;
    struct err e = {0};
    int rc = cql2_parse(text, &node, &e);
    if (rc != ERR_OK) {
        fail_msg("cql2_parse(\"%s\") failed: %s", text, e.msg);
    }
    assert_non_null(node);
    return node;
}

/* Parses text expecting failure with code; returns the message (static buffer). */
static const char *parse_fails(const char *text, int code)
{
    static struct err e;
    static struct cql2_node dummy;
    struct cql2_node *node = &dummy; /* cql2_parse must reset it to NULL */
    err_clear(&e);
    int rc = cql2_parse(text, &node, &e);
    if (rc != code) {
        fail_msg("cql2_parse(\"%.80s\") returned %d, expected %d (%s)", text, rc, code, e.msg);
    }
    assert_null(node);
    assert_int_equal(e.code, code);
    assert_true(strncmp(e.msg, "filter: ", 8) == 0);
    return e.msg;
}

static void assert_contains(const char *haystack, const char *needle)
{
    if (strstr(haystack, needle) == NULL) {
        fail_msg("\"%s\" does not contain \"%s\"", haystack, needle);
    }
}

static void assert_property(const struct cql2_operand *op, const char *name)
{
    assert_int_equal(op->kind, CQL2_PROPERTY);
    assert_string_equal(op->text, name);
}

static void assert_compare(const struct cql2_node *n, const char *prop, enum cql2_compare_op op)
{
    assert_int_equal(n->kind, CQL2_COMPARE);
    assert_int_equal(n->n_operands, 2);
    assert_int_equal(n->op, op);
    assert_property(&n->operands[0], prop);
}

/* Precedence and grouping */

static void or_binds_looser_than_and(void **state)
{
    (void)state;
    struct cql2_node *n = parse_ok("a = 1 OR b = 2 AND c = 3");
    assert_int_equal(n->kind, CQL2_OR);
    assert_int_equal(n->n_children, 2);
    assert_compare(n->children[0], "a", CQL2_EQ);
    assert_int_equal(n->children[1]->kind, CQL2_AND);
    assert_compare(n->children[1]->children[0], "b", CQL2_EQ);
    assert_compare(n->children[1]->children[1], "c", CQL2_EQ);
    cql2_free(n);
}

static void not_binds_tighter_than_and(void **state)
{
    (void)state;
    struct cql2_node *n = parse_ok("NOT a = 1 AND b = 2");
    assert_int_equal(n->kind, CQL2_AND);
    assert_int_equal(n->children[0]->kind, CQL2_NOT);
    assert_int_equal(n->children[0]->n_children, 1);
    assert_compare(n->children[0]->children[0], "a", CQL2_EQ);
    assert_compare(n->children[1], "b", CQL2_EQ);
    cql2_free(n);

    n = parse_ok("not not a = 1");
    assert_int_equal(n->kind, CQL2_NOT);
    assert_int_equal(n->children[0]->kind, CQL2_NOT);
    assert_compare(n->children[0]->children[0], "a", CQL2_EQ);
    cql2_free(n);
}

static void parentheses_override_precedence(void **state)
{
    (void)state;
    struct cql2_node *n = parse_ok("(a = 1 OR b = 2) AND c = 3");
    assert_int_equal(n->kind, CQL2_AND);
    assert_int_equal(n->children[0]->kind, CQL2_OR);
    assert_compare(n->children[1], "c", CQL2_EQ);
    cql2_free(n);

    n = parse_ok("NOT (a = 1 OR b = 2)");
    assert_int_equal(n->kind, CQL2_NOT);
    assert_int_equal(n->children[0]->kind, CQL2_OR);
    cql2_free(n);

    n = parse_ok("((((a = 1))))");
    assert_compare(n, "a", CQL2_EQ);
    cql2_free(n);
}

static void chains_of_and_or_are_flattened(void **state)
{
    (void)state;
    struct cql2_node *n = parse_ok("a = 1 OR b = 2 OR c = 3 OR d = 4");
    assert_int_equal(n->kind, CQL2_OR);
    assert_int_equal(n->n_children, 4);
    assert_compare(n->children[3], "d", CQL2_EQ);
    cql2_free(n);

    n = parse_ok("a = 1 and b = 2 AnD c = 3");
    assert_int_equal(n->kind, CQL2_AND);
    assert_int_equal(n->n_children, 3);
    cql2_free(n);
}

/* Operators */

static void every_comparison_operator_is_recognised(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        enum cql2_compare_op op;
    } cases[] = {{"p = 1", CQL2_EQ}, {"p <> 1", CQL2_NE}, {"p < 1", CQL2_LT}, {"p <= 1", CQL2_LE},
                 {"p > 1", CQL2_GT}, {"p >= 1", CQL2_GE}, {"p>=1", CQL2_GE},  {"p<>1", CQL2_NE}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct cql2_node *n = parse_ok(cases[i].text);
        assert_compare(n, "p", cases[i].op);
        assert_int_equal(n->operands[1].kind, CQL2_NUMBER);
        assert_int_equal(n->operands[1].integer, 1);
        cql2_free(n);
    }
}

static void like_and_not_like_keep_the_pattern(void **state)
{
    (void)state;
    struct cql2_node *n = parse_ok("name LIKE 'Wat%'");
    assert_int_equal(n->kind, CQL2_LIKE);
    assert_false(n->negated);
    assert_property(&n->operands[0], "name");
    assert_int_equal(n->operands[1].kind, CQL2_STRING);
    assert_string_equal(n->operands[1].text, "Wat%");
    cql2_free(n);

    n = parse_ok("name not like '50\\%_x'");
    assert_int_equal(n->kind, CQL2_LIKE);
    assert_true(n->negated);
    assert_string_equal(n->operands[1].text, "50\\%_x");
    cql2_free(n);
}

static void between_and_not_between_take_three_operands(void **state)
{
    (void)state;
    struct cql2_node *n = parse_ok("pop BETWEEN 10 AND 20.5 AND x = 1");
    assert_int_equal(n->kind, CQL2_AND);
    const struct cql2_node *b = n->children[0];
    assert_int_equal(b->kind, CQL2_BETWEEN);
    assert_false(b->negated);
    assert_int_equal(b->n_operands, 3);
    assert_int_equal(b->operands[1].integer, 10);
    assert_false(b->operands[2].is_integer);
    assert_true(b->operands[2].number == 20.5);
    cql2_free(n);

    n = parse_ok("pop NOT BETWEEN -1 AND 1");
    assert_int_equal(n->kind, CQL2_BETWEEN);
    assert_true(n->negated);
    assert_int_equal(n->operands[1].integer, -1);
    cql2_free(n);
}

static void in_lists_keep_every_value(void **state)
{
    (void)state;
    struct cql2_node *n = parse_ok("category IN ('temple', 'market', 'วัด')");
    assert_int_equal(n->kind, CQL2_IN);
    assert_false(n->negated);
    assert_int_equal(n->n_operands, 4);
    assert_string_equal(n->operands[1].text, "temple");
    assert_string_equal(n->operands[3].text, "วัด");
    cql2_free(n);

    n = parse_ok("id NOT IN (1)");
    assert_int_equal(n->kind, CQL2_IN);
    assert_true(n->negated);
    assert_int_equal(n->n_operands, 2);
    cql2_free(n);
}

static void is_null_and_is_not_null(void **state)
{
    (void)state;
    struct cql2_node *n = parse_ok("name IS NULL");
    assert_int_equal(n->kind, CQL2_IS_NULL);
    assert_false(n->negated);
    assert_property(&n->operands[0], "name");
    cql2_free(n);

    n = parse_ok("name is not null");
    assert_int_equal(n->kind, CQL2_IS_NULL);
    assert_true(n->negated);
    cql2_free(n);
}

static void true_and_false_alone_are_constants(void **state)
{
    (void)state;
    struct cql2_node *n = parse_ok("TRUE");
    assert_int_equal(n->kind, CQL2_CONSTANT);
    assert_true(n->constant);
    cql2_free(n);

    n = parse_ok("false OR NOT TRUE");
    assert_int_equal(n->kind, CQL2_OR);
    assert_int_equal(n->children[0]->kind, CQL2_CONSTANT);
    assert_false(n->children[0]->constant);
    assert_int_equal(n->children[1]->kind, CQL2_NOT);
    cql2_free(n);

    n = parse_ok("flag = TRUE");
    assert_compare(n, "flag", CQL2_EQ);
    assert_int_equal(n->operands[1].kind, CQL2_BOOLEAN);
    assert_true(n->operands[1].boolean);
    cql2_free(n);
}

/* Literals and names */

static void strings_unescape_doubled_quotes_and_keep_utf8(void **state)
{
    (void)state;
    struct cql2_node *n = parse_ok("name = 'it''s ''quoted'''");
    assert_string_equal(n->operands[1].text, "it's 'quoted'");
    cql2_free(n);

    n = parse_ok("name = 'วัดพระสิงห์วรมหาวิหาร'");
    assert_string_equal(n->operands[1].text, "วัดพระสิงห์วรมหาวิหาร");
    cql2_free(n);

    n = parse_ok("name = ''");
    assert_string_equal(n->operands[1].text, "");
    cql2_free(n);

    n = parse_ok("name = 'back\\slash \"double\"'");
    assert_string_equal(n->operands[1].text, "back\\slash \"double\"");
    cql2_free(n);
}

/* String literals are NFC, as stored text is: ปุ่ม typed tone mark first matches. */
static void strings_are_normalised_to_nfc(void **state)
{
    (void)state;
    struct cql2_node *n = parse_ok("name = '\xe0\xb8\x9b\xe0\xb9\x88\xe0\xb8\xb8\xe0\xb8\xa1'");
    assert_string_equal(n->operands[1].text, "\xe0\xb8\x9b\xe0\xb8\xb8\xe0\xb9\x88\xe0\xb8\xa1");
    cql2_free(n);
}

/* CQL2's escapeQuote is '' or \' in a string; a double-quoted name keeps its backslash. */
static void strings_unescape_backslashed_quotes(void **state)
{
    (void)state;
    struct cql2_node *n = parse_ok("name = 'Wat\\'s' AND \"a\\\" = 1");
    assert_string_equal(n->children[0]->operands[1].text, "Wat's");
    assert_property(&n->children[1]->operands[0], "a\\");
    cql2_free(n);

    n = parse_ok("name LIKE '\\'%' OR name = 'x\\''");
    assert_string_equal(n->children[0]->operands[1].text, "'%");
    assert_string_equal(n->children[1]->operands[1].text, "x'");
    cql2_free(n);

    /* A backslash pair stays (LIKE's escaped backslash), even right before the end. */
    n = parse_ok("name LIKE 'C:\\\\' OR name = 'a\\\\\\'b'");
    assert_string_equal(n->children[0]->operands[1].text, "C:\\\\");
    assert_string_equal(n->children[1]->operands[1].text, "a\\\\'b");
    cql2_free(n);
}

static void numbers_cover_signs_decimals_and_exponents(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        bool is_integer;
        double value;
    } cases[] = {
        {"x = 42", true, 42},
        {"x = -7", true, -7},
        {"x = +7", true, 7},
        {"x = 3.25", false, 3.25},
        {"x = -0.5", false, -0.5},
        {"x = .5", false, 0.5},
        {"x = 5.", false, 5},
        {"x = 1e3", false, 1000},
        {"x = 2.5E-2", false, 0.025},
        {"x = -1e+2", false, -100},
        {"x = 99999999999999999999", false, 1e20},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct cql2_node *n = parse_ok(cases[i].text);
        const struct cql2_operand *v = &n->operands[1];
        assert_int_equal(v->kind, CQL2_NUMBER);
        assert_int_equal(v->is_integer, cases[i].is_integer);
        assert_true(v->number == cases[i].value);
        if (v->is_integer) {
            assert_int_equal(v->integer, (int64_t)cases[i].value);
        }
        cql2_free(n);
    }
    struct cql2_node *n = parse_ok("x = 9223372036854775807");
    assert_true(n->operands[1].is_integer);
    assert_int_equal(n->operands[1].integer, INT64_MAX);
    cql2_free(n);
}

static void dates_and_timestamps_are_checked(void **state)
{
    (void)state;
    struct cql2_node *n = parse_ok("opened >= DATE('2024-02-29')");
    assert_int_equal(n->operands[1].kind, CQL2_DATE);
    assert_string_equal(n->operands[1].text, "2024-02-29");
    cql2_free(n);

    n = parse_ok("updated < timestamp('2024-03-01T08:30:00.125Z')");
    assert_int_equal(n->operands[1].kind, CQL2_TIMESTAMP);
    assert_string_equal(n->operands[1].text, "2024-03-01T08:30:00.125Z");
    cql2_free(n);

    n = parse_ok("TIMESTAMP('2000-01-01T00:00:00Z') < updated");
    assert_int_equal(n->operands[0].kind, CQL2_TIMESTAMP);
    assert_property(&n->operands[1], "updated");
    cql2_free(n);

    assert_contains(parse_fails("d = DATE('2023-02-29')", ERR_INVALID), "invalid date");
    assert_contains(parse_fails("d = DATE('2000-04-31')", ERR_INVALID), "invalid date");
    assert_contains(parse_fails("d = DATE('2024-02-29T00:00:00Z')", ERR_INVALID), "invalid date");
    assert_contains(parse_fails("t = TIMESTAMP('2024-01-01T24:00:00Z')", ERR_INVALID),
                    "invalid timestamp");
    assert_contains(parse_fails("t = TIMESTAMP('2024-01-01T10:00:00.Z')", ERR_INVALID),
                    "invalid timestamp");
    assert_contains(parse_fails("t = TIMESTAMP('2024-01-01T')", ERR_INVALID), "invalid timestamp");
    assert_contains(parse_fails("t = TIMESTAMP('2024-01-01')", ERR_INVALID), "invalid timestamp");
    assert_contains(parse_fails("t = TIMESTAMP('2024-01-01T10:00:00Zulu')", ERR_INVALID),
                    "invalid timestamp");
    assert_contains(parse_fails("d = DATE('2024')", ERR_INVALID), "invalid date");
    assert_contains(parse_fails("d = DATE('')", ERR_INVALID), "invalid date");
}

static void property_names_may_be_thai_quoted_or_keyword_like(void **state)
{
    (void)state;
    struct cql2_node *n = parse_ok("ชื่อ = 'วัด'");
    assert_property(&n->operands[0], "ชื่อ");
    cql2_free(n);

    n = parse_ok("\"ชื่อ สถานที่\" <> 'x'");
    assert_property(&n->operands[0], "ชื่อ สถานที่");
    cql2_free(n);

    n = parse_ok("\"say \"\"hi\"\"\" = 1");
    assert_property(&n->operands[0], "say \"hi\"");
    cql2_free(n);

    n = parse_ok("ns:road.width_m2 > 3");
    assert_property(&n->operands[0], "ns:road.width_m2");
    cql2_free(n);

    /* DATE is a function only before '(' and AND is reserved unless quoted. */
    n = parse_ok("date = DATE('2020-01-01') AND \"AND\" = 1");
    assert_property(&n->children[0]->operands[0], "date");
    assert_property(&n->children[1]->operands[0], "AND");
    cql2_free(n);

    n = parse_ok("Name = name");
    assert_property(&n->operands[0], "Name");
    assert_property(&n->operands[1], "name");
    cql2_free(n);
}

/* Geometry */

static void s_intersects_normalises_wkt(void **state)
{
    (void)state;
    struct cql2_node *n = parse_ok("S_INTERSECTS(geometry, polygon (( 98.9 18.7 , 99.1 18.7,"
                                   " 99.1 18.9, 98.9 18.9, 98.9 18.7 )))");
    assert_int_equal(n->kind, CQL2_S_INTERSECTS);
    assert_int_equal(n->n_operands, 1);
    assert_property(&n->operands[0], "geometry");
    assert_false(n->has_bbox);
    assert_string_equal(n->wkt, "POLYGON((98.9 18.7,99.1 18.7,99.1 18.9,98.9 18.9,98.9 18.7))");
    cql2_free(n);

    n = parse_ok("s_intersects(POINT(-180 -90), geom)");
    assert_property(&n->operands[0], "geom");
    assert_string_equal(n->wkt, "POINT(-180 -90)");
    cql2_free(n);
}

static void s_intersects_accepts_every_wkt_type(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"POINT(1e1 2.50)", "POINT(10 2.5)"},
        {"LINESTRING(0 0, 1 1)", "LINESTRING(0 0,1 1)"},
        {"POLYGON((0 0,4 0,4 4,0 4,0 0),(1 1,2 1,2 2,1 1))",
         "POLYGON((0 0,4 0,4 4,0 4,0 0),(1 1,2 1,2 2,1 1))"},
        {"MULTIPOINT((1 2), (3 4))", "MULTIPOINT((1 2),(3 4))"},
        {"MULTIPOINT(1 2, 3 4)", "MULTIPOINT((1 2),(3 4))"},
        {"MULTILINESTRING((0 0,1 1),(2 2,3 3))", "MULTILINESTRING((0 0,1 1),(2 2,3 3))"},
        {"MULTIPOLYGON(((0 0,1 0,1 1,0 0)),((5 5,6 5,6 6,5 5)))",
         "MULTIPOLYGON(((0 0,1 0,1 1,0 0)),((5 5,6 5,6 6,5 5)))"},
        {"GEOMETRYCOLLECTION(POINT(1 2), GEOMETRYCOLLECTION(LINESTRING(0 0,1 1)))",
         "GEOMETRYCOLLECTION(POINT(1 2),GEOMETRYCOLLECTION(LINESTRING(0 0,1 1)))"},
        {"POINT(0.1 0.30000000000000004)", "POINT(0.1 0.30000000000000004)"},
        /* 3-D instances: heights are dropped (the stored geometries are 2D). */
        {"POINT Z(98.9 18.7 310)", "POINT(98.9 18.7)"},
        {"POINT(98.9 18.7 310)", "POINT(98.9 18.7)"},
        {"LINESTRING Z(0 0 1, 1 1 2)", "LINESTRING(0 0,1 1)"},
        {"POLYGON Z((0 0 0,1 0 0,1 1 0,0 0 0))", "POLYGON((0 0,1 0,1 1,0 0))"},
        {"MULTIPOINT Z((1 2 3), (3 4 5))", "MULTIPOINT((1 2),(3 4))"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char text[256];
        snprintf(text, sizeof(text), "S_INTERSECTS(geometry, %s)", cases[i].in);
        struct cql2_node *n = parse_ok(text);
        assert_string_equal(n->wkt, cases[i].out);
        cql2_free(n);
    }
}

static void s_intersects_accepts_bbox_in_either_order(void **state)
{
    (void)state;
    struct cql2_node *n = parse_ok("S_INTERSECTS(geometry, BBOX(98.9, 18.7, 99.1, 18.9))");
    assert_true(n->has_bbox);
    assert_null(n->wkt);
    assert_true(n->bbox[0] == 98.9 && n->bbox[1] == 18.7);
    assert_true(n->bbox[2] == 99.1 && n->bbox[3] == 18.9);
    cql2_free(n);

    n = parse_ok("S_INTERSECTS(geometry, BBOX(98.9, 18.7, -10, 99.1, 18.9, 2500))");
    assert_true(n->has_bbox);
    assert_true(n->bbox[0] == 98.9 && n->bbox[1] == 18.7);
    assert_true(n->bbox[2] == 99.1 && n->bbox[3] == 18.9);
    cql2_free(n);

    n = parse_ok("S_INTERSECTS(bbox(0,0,0,0), \"geometry\") AND x = 1");
    assert_int_equal(n->children[0]->kind, CQL2_S_INTERSECTS);
    assert_true(n->children[0]->has_bbox);
    assert_property(&n->children[0]->operands[0], "geometry");
    cql2_free(n);
}

/* Errors */

static void errors_name_the_token_and_its_character(void **state)
{
    (void)state;
    assert_string_equal(parse_fails("name = 'x' AND AND b = 1", ERR_INVALID),
                        "filter: unexpected 'AND' at character 16; expected a value");
    /* Characters, not bytes: ชื่อ is 4 characters in 12 bytes. */
    assert_string_equal(parse_fails("ชื่อ = = 1", ERR_INVALID),
                        "filter: unexpected '=' at character 8; expected a value");
    assert_string_equal(parse_fails("name = 'วัด' 'x'", ERR_INVALID),
                        "filter: unexpected string 'x' at character 14; expected AND, OR or "
                        "the end of the filter");
    const char *msg = parse_fails("a = 1 'a very long string that goes on and on'", ERR_INVALID);
    assert_contains(msg, "unexpected string 'a very long string that... at character 7");
}

static void unsupported_functions_and_operators_say_what_is_supported(void **state)
{
    (void)state;
    static const struct {
        const char *text, *hint;
    } cases[] = {
        {"S_WITHIN(geometry, POINT(1 2))", "function 'S_WITHIN' is not supported"},
        {"CASEI(name) = 'x'", "function 'CASEI' is not supported"},
        {"name LIKE casei('x')", "function 'casei' is not supported"},
        {"T_AFTER(t, TIMESTAMP('2020-01-01T00:00:00Z'))", "function 'T_AFTER' is not supported"},
        {"A_CONTAINS(tags, ('a'))", "function 'A_CONTAINS' is not supported"},
        {"x = ABS(-1)", "function 'ABS' is not supported"},
        {"pop + 1 > 2", "arithmetic operator '+' is not supported"},
        {"pop = 1 - 2", "arithmetic operator '-' is not supported"},
        {"pop = 1 -2", "arithmetic operator '-' is not supported"},
        {"pop * 2 > 3", "arithmetic operator '*' is not supported"},
        {"pop / 2 > 3", "arithmetic operator '/' is not supported"},
        {"pop % 2 = 1", "arithmetic operator '%' is not supported"},
        {"pop ^ 2 = 1", "arithmetic operator '^' is not supported"},
        {"pop div 2 = 1", "arithmetic operator 'div' is not supported"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *msg = parse_fails(cases[i].text, ERR_INVALID);
        assert_contains(msg, cases[i].hint);
        assert_contains(msg, strstr(cases[i].hint, "function") != NULL ? "S_INTERSECTS, DATE"
                                                                       : "=, <>, <, <=");
    }
}

static void malformed_filters_fail_with_a_useful_hint(void **state)
{
    (void)state;
    static const struct {
        const char *text, *hint;
    } cases[] = {
        {"", "the filter is empty"},
        {" \t\n", "the filter is empty"},
        {"name =", "unexpected end of filter at character 7; expected a value"},
        {"name = 'abc", "unterminated string at character 8"},
        {"\"name = 1", "unterminated quoted property name"},
        {"name = 'x' AND", "unexpected end of filter at character 15; expected a value"},
        {"name 'x'", "expected a comparison operator"},
        {"(name = 'x'", "expected ')' to close the '(' at character 1"},
        {"name = 'x')", "this ')' closes nothing"},
        {"name == 'x'", "unexpected '=' at character 7"},
        {"name != 'x'", "CQL2 writes 'not equal' as <>"},
        {"name = 'x' && b = 1", "unexpected character '&'"},
        {"name = 'x' # note", "unexpected character '#'"},
        {"name = POINT(1 2)", "only supported inside S_INTERSECTS"},
        {"population = 12abc", "malformed number '12abc'"},
        {"population = 1.2.3", "malformed number '1.2.3'"},
        {"population = 1e999", "number 1e999 is out of range"},
        {"opened = DATE('2021-1-5')", "invalid date '2021-1-5'"},
        {"updated = TIMESTAMP('2021-01-05 10:00:00Z')", "invalid timestamp"},
        {"updated = TIMESTAMP('2021-01-05T10:00:00')", "invalid timestamp"},
        {"opened = DATE(2021)", "expected a quoted date such as DATE('2024-01-31')"},
        {"opened = DATE('2021-01-05'", "expected ')'"},
        {"name LIKE 5", "expected a quoted pattern"},
        {"name LIKE other", "expected a quoted pattern"},
        {"population BETWEEN 1 OR 5", "expected AND, as in BETWEEN 1 AND 5"},
        {"category IN ()", "unexpected ')' at character 14; expected a value"},
        {"category IN ('a' 'b')", "expected ',' or ')' in the IN list"},
        {"category IN 'a'", "expected '(' and a list of values after IN"},
        {"population IS 5", "expected NULL or NOT NULL after IS"},
        {"population NOT 5", "expected LIKE, BETWEEN or IN after NOT"},
        {"name = NULL", "test for missing values with IS NULL"},
        {"NOT", "unexpected end of filter"},
        {"name = 'x' name = 'y'", "expected AND, OR or the end of the filter"},
        {"\"\" = 1", "empty property name"},
        {"name = '\xff'", "invalid UTF-8 byte 0xFF at character 9"},
        {"name = '\xe0\xb8'", "invalid UTF-8"},
        {"S_INTERSECTS geometry", "expected '(' after S_INTERSECTS"},
        {"S_INTERSECTS(geometry)", "S_INTERSECTS takes two arguments"},
        {"S_INTERSECTS(geometry, geometry)", "needs one property and one geometry literal"},
        {"S_INTERSECTS(5, POINT(1 2))", "needs one property and one geometry literal"},
        {"S_INTERSECTS(POINT(1 2), POINT(1 2))", "S_INTERSECTS has two geometry literals"},
        {"S_INTERSECTS(geometry, POINT(1 2)", "expected ')' after the two arguments"},
        {"S_INTERSECTS(geometry, POINT(1 2 3 4))", "a position has at most 3 coordinates"},
        {"S_INTERSECTS(geometry, POINT M(1 2 3))", "measures (M) are not part of CQL2"},
        {"name = 'Wat\\'", "unterminated string"},
        {"S_INTERSECTS(geometry, POINT EMPTY)", "empty geometries are not supported"},
        {"S_INTERSECTS(geometry, POINT(1, 2))", "unexpected ',' at character 31; expected a "
                                                "latitude"},
        {"S_INTERSECTS(geometry, POLYGON((0 0, 1 0, 1 1, 0 0.5)))", "must end where it starts"},
        {"S_INTERSECTS(geometry, POLYGON((0 0, 1 0, 0 0)))", "at least 4 positions"},
        {"S_INTERSECTS(geometry, LINESTRING(0 0))", "a linestring needs at least 2 positions"},
        {"S_INTERSECTS(geometry, POINT(181 0))", "longitude 181 is out of range"},
        {"S_INTERSECTS(geometry, POINT(0 -90.5))", "latitude -90.5 is out of range"},
        {"S_INTERSECTS(geometry, BBOX(10, 0, 5, 1))", "BBOX minimum is greater than its maximum"},
        {"S_INTERSECTS(geometry, BBOX(0, 0, 0, 1, 1))", "BBOX takes 4 or 6 numbers, not 5"},
        {"S_INTERSECTS(geometry, BBOX(0, 0, 1))", "BBOX takes 4 or 6 numbers"},
        {"S_INTERSECTS(geometry, BBOX(0, 0, 1, 1, 1, 1, 1))", "expected ')' after the BBOX"},
        {"S_INTERSECTS(geometry, BBOX(0, 100, 1, 1))", "BBOX is out of range"},
        {"S_INTERSECTS(geometry, BBOX(0, 0, 0, 1, 100, 1))", "BBOX is out of range"},
        {"S_INTERSECTS(geometry, CIRCLE(0 0, 1))", "expected a geometry: POINT"},
        {"S_INTERSECTS(geometry, GEOMETRYCOLLECTION(BBOX(0,0,1,1)))",
         "BBOX cannot be part of a GEOMETRYCOLLECTION"},
        {"S_INTERSECTS(geometry, MULTIPOLYGON((0 0,1 0,1 1,0 0)))", "expected '('"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_contains(parse_fails(cases[i].text, ERR_INVALID), cases[i].hint);
    }
}

/* Caps */

static char *repeat_join(const char *item, const char *sep, size_t n, const char *prefix,
                         const char *suffix)
{
    size_t cap = strlen(prefix) + strlen(suffix) + n * (strlen(item) + strlen(sep)) + 1;
    char *s = malloc(cap);
    size_t len = (size_t)snprintf(s, cap, "%s", prefix);
    for (size_t i = 0; i < n; i++) {
        len += (size_t)snprintf(s + len, cap - len, "%s%s", i > 0 ? sep : "", item);
    }
    snprintf(s + len, cap - len, "%s", suffix);
    return s;
}

static void text_longer_than_the_cap_is_refused(void **state)
{
    (void)state;
    char *text = malloc(CQL2_MAX_TEXT_LEN + 2);
    memset(text, ' ', CQL2_MAX_TEXT_LEN + 1);
    memcpy(text, "a = 1", 5);
    text[CQL2_MAX_TEXT_LEN] = '\0';
    cql2_free(parse_ok(text));
    text[CQL2_MAX_TEXT_LEN] = ' ';
    text[CQL2_MAX_TEXT_LEN + 1] = '\0';
    assert_contains(parse_fails(text, ERR_TOO_LARGE), "longer than 16384 bytes");
    free(text);
}

static void nesting_deeper_than_the_cap_is_refused(void **state)
{
    (void)state;
    char *open = repeat_join("(", "", CQL2_MAX_DEPTH, "", "");
    char *close = repeat_join(")", "", CQL2_MAX_DEPTH, "", "");
    char *ok = repeat_join("a = 1", "", 1, open, close);
    cql2_free(parse_ok(ok));
    char *deep = repeat_join("a = 1", "", 1, open, close);
    char *deeper = repeat_join(deep, "", 1, "(", ")");
    /* A mistake in a short request: 400, not 413. */
    assert_contains(parse_fails(deeper, ERR_INVALID), "deeper than 64 levels");
    free(ok);
    free(deep);
    free(deeper);
    free(open);
    free(close);

    char *nots = repeat_join("NOT", " ", CQL2_MAX_DEPTH, "", " a = 1");
    cql2_free(parse_ok(nots));
    char *more_nots = repeat_join(nots, "", 1, "NOT ", "");
    assert_contains(parse_fails(more_nots, ERR_INVALID), "deeper than 64 levels");
    free(nots);
    free(more_nots);

    char *collections = repeat_join("GEOMETRYCOLLECTION(", "", CQL2_MAX_DEPTH + 1,
                                    "S_INTERSECTS(geometry, ", "POINT(1 2)");
    assert_contains(parse_fails(collections, ERR_INVALID), "deeper than 64 levels");
    free(collections);
}

static void in_lists_longer_than_the_cap_are_refused(void **state)
{
    (void)state;
    char *ok = repeat_join("7", ",", CQL2_MAX_IN_LIST, "x IN (", ")");
    struct cql2_node *n = parse_ok(ok);
    assert_int_equal(n->n_operands, CQL2_MAX_IN_LIST + 1);
    cql2_free(n);
    char *over = repeat_join("7", ",", CQL2_MAX_IN_LIST + 1, "x IN (", ")");
    assert_contains(parse_fails(over, ERR_TOO_LARGE), "more than 1000 values");
    free(ok);
    free(over);
}

static void trees_with_too_many_nodes_are_refused(void **state)
{
    (void)state;
    /* Each comparison is one node and two operands. */
    char *ok = repeat_join("a=1", " OR ", 1300, "", "");
    struct cql2_node *n = parse_ok(ok);
    assert_int_equal(n->n_children, 1300);
    cql2_free(n);
    char *over = repeat_join("a=1", " OR ", 1400, "", "");
    assert_contains(parse_fails(over, ERR_TOO_LARGE), "more than 4096 conditions and values");
    free(ok);
    free(over);
}

/* Helpers */

static void new_equals_copies_and_new_and_flattens(void **state)
{
    (void)state;
    char name[] = "category";
    char value_text[] = "temple";
    struct cql2_operand value = {.kind = CQL2_STRING, .text = value_text};
    struct cql2_node *a = cql2_new_equals(name, &value);
    name[0] = 'X';
    value_text[0] = 'X';
    assert_compare(a, "category", CQL2_EQ);
    assert_string_equal(a->operands[1].text, "temple");

    struct cql2_operand number = {
        .kind = CQL2_NUMBER, .number = 5, .is_integer = true, .integer = 5};
    struct cql2_node *b = cql2_new_equals("rank", &number);
    assert_null(b->operands[1].text);
    assert_int_equal(b->operands[1].integer, 5);

    struct cql2_node *tree = cql2_new_and(NULL, a);
    assert_ptr_equal(tree, a);
    tree = cql2_new_and(tree, b);
    assert_int_equal(tree->kind, CQL2_AND);
    assert_int_equal(tree->n_children, 2);
    tree = cql2_new_and(tree, parse_ok("x = 1 AND y = 2"));
    tree = cql2_new_and(tree, parse_ok("z = 3"));
    assert_int_equal(tree->kind, CQL2_AND);
    assert_int_equal(tree->n_children, 5);
    assert_compare(tree->children[4], "z", CQL2_EQ);
    assert_ptr_equal(cql2_new_and(tree, NULL), tree);
    cql2_free(tree);
    cql2_free(NULL);
}

/* Fuzz: random token soup and mutated valid filters must parse or fail cleanly. */

static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static uint32_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 16);
}

static const char *const fuzz_tokens[] = {"name",
                                          "population",
                                          "ชื่อ",
                                          "\"ชื่อ สถานที่\"",
                                          "\"a\"\"b\"",
                                          "'x'",
                                          "'วัด'",
                                          "''",
                                          "'it''s'",
                                          "'%a_\\'",
                                          "1",
                                          "-2.5",
                                          "1e3",
                                          ".5",
                                          "+7",
                                          "99999999999999999999",
                                          "=",
                                          "<>",
                                          "<",
                                          "<=",
                                          ">",
                                          ">=",
                                          "AND",
                                          "OR",
                                          "NOT",
                                          "LIKE",
                                          "BETWEEN",
                                          "IN",
                                          "IS",
                                          "NULL",
                                          "TRUE",
                                          "FALSE",
                                          "(",
                                          ")",
                                          ",",
                                          "DATE('2020-01-01')",
                                          "DATE",
                                          "TIMESTAMP('2020-01-01T00:00:00Z')",
                                          "TIMESTAMP('2020-01-01T')",
                                          "DATE('2020-')",
                                          "('2020-01-01T00:00:00.123456789Z')",
                                          "TIMESTAMP",
                                          "S_INTERSECTS",
                                          "POINT",
                                          "LINESTRING",
                                          "POLYGON",
                                          "MULTIPOINT",
                                          "MULTIPOLYGON",
                                          "GEOMETRYCOLLECTION",
                                          "BBOX",
                                          "EMPTY",
                                          "Z",
                                          "0 0",
                                          "1 1",
                                          "0 1",
                                          "1 0",
                                          "geometry",
                                          "+",
                                          "-",
                                          "*",
                                          "/",
                                          "'",
                                          "\"",
                                          "CASEI",
                                          "S_WITHIN",
                                          "DIV",
                                          "!=",
                                          "#",
                                          "\t"};

static const char *const fuzz_seeds[] = {
    "name = 'x' AND population > 5 OR NOT (ชื่อ LIKE 'วัด%')",
    "population BETWEEN 1 AND 10 AND category IN ('a', 'b', 'c')",
    "S_INTERSECTS(geometry, POLYGON((0 0,1 0,1 1,0 1,0 0)))",
    "S_INTERSECTS(BBOX(0,0,1,1), geometry) AND name IS NOT NULL",
    "S_INTERSECTS(geometry, GEOMETRYCOLLECTION(POINT(1 2),MULTIPOINT((1 2),(3 4))))",
    "opened >= DATE('2020-01-01') AND updated < TIMESTAMP('2024-01-01T00:00:00.5Z')",
    "\"odd \"\"name\"\"\" NOT IN (1, 2.5, -3e2) OR TRUE",
};

static void fuzz_one(const char *text, size_t *n_ok)
{
    struct cql2_node *node = NULL;
    struct err e = {0};
    int rc = cql2_parse(text, &node, &e);
    if (rc == ERR_OK) {
        assert_non_null(node);
        (*n_ok)++;
        cql2_free(node);
        return;
    }
    if (rc != ERR_INVALID && rc != ERR_TOO_LARGE) {
        fail_msg("cql2_parse(\"%s\") returned %d", text, rc);
    }
    assert_null(node);
    assert_true(strncmp(e.msg, "filter: ", 8) == 0);
}

static void token_soup(char *out, size_t cap)
{
    size_t len = 0;
    size_t n = 1 + rng() % 30;
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        const char *tok = fuzz_tokens[rng() % (sizeof(fuzz_tokens) / sizeof(fuzz_tokens[0]))];
        const char *sep = rng() % 4 == 0 ? "" : " ";
        int w = snprintf(out + len, cap - len, "%s%s", sep, tok);
        if (w < 0 || (size_t)w >= cap - len) {
            break;
        }
        len += (size_t)w;
    }
}

static void mutate(char *s, size_t cap)
{
    size_t len = strlen(s);
    for (int k = 1 + (int)(rng() % 4); k > 0; k--) {
        size_t at = len > 0 ? rng() % len : 0;
        switch (rng() % 4) {
        case 0: /* delete a byte */
            if (len > 0) {
                memmove(s + at, s + at + 1, len - at);
                len--;
            }
            break;
        case 1: /* insert any byte but NUL */
            if (len + 1 < cap) {
                memmove(s + at + 1, s + at, len - at + 1);
                s[at] = (char)(1 + rng() % 255);
                len++;
            }
            break;
        case 2: /* truncate */
            s[at] = '\0';
            len = at;
            break;
        default: /* overwrite with a structural character */
            if (len > 0) {
                s[at] = "()',\"= .-e"[rng() % 10];
            }
            break;
        }
    }
}

static void random_input_never_crashes_the_parser(void **state)
{
    (void)state;
    char text[1024];
    size_t n_ok = 0;
    for (int i = 0; i < 20000; i++) {
        if (i % 2 == 0) {
            token_soup(text, sizeof(text));
        } else {
            snprintf(text, sizeof(text), "%s",
                     fuzz_seeds[rng() % (sizeof(fuzz_seeds) / sizeof(fuzz_seeds[0]))]);
        }
        if (i % 3 != 0) {
            mutate(text, sizeof(text));
        }
        fuzz_one(text, &n_ok);
    }
    /* The generator must also reach the success paths, or it tests too little. */
    assert_true(n_ok > 500);
    for (size_t i = 0; i < sizeof(fuzz_seeds) / sizeof(fuzz_seeds[0]); i++) {
        cql2_free(parse_ok(fuzz_seeds[i]));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(or_binds_looser_than_and),
        cmocka_unit_test(not_binds_tighter_than_and),
        cmocka_unit_test(parentheses_override_precedence),
        cmocka_unit_test(chains_of_and_or_are_flattened),
        cmocka_unit_test(every_comparison_operator_is_recognised),
        cmocka_unit_test(like_and_not_like_keep_the_pattern),
        cmocka_unit_test(between_and_not_between_take_three_operands),
        cmocka_unit_test(in_lists_keep_every_value),
        cmocka_unit_test(is_null_and_is_not_null),
        cmocka_unit_test(true_and_false_alone_are_constants),
        cmocka_unit_test(strings_unescape_doubled_quotes_and_keep_utf8),
        cmocka_unit_test(strings_unescape_backslashed_quotes),
        cmocka_unit_test(strings_are_normalised_to_nfc),
        cmocka_unit_test(numbers_cover_signs_decimals_and_exponents),
        cmocka_unit_test(dates_and_timestamps_are_checked),
        cmocka_unit_test(property_names_may_be_thai_quoted_or_keyword_like),
        cmocka_unit_test(s_intersects_normalises_wkt),
        cmocka_unit_test(s_intersects_accepts_every_wkt_type),
        cmocka_unit_test(s_intersects_accepts_bbox_in_either_order),
        cmocka_unit_test(errors_name_the_token_and_its_character),
        cmocka_unit_test(unsupported_functions_and_operators_say_what_is_supported),
        cmocka_unit_test(malformed_filters_fail_with_a_useful_hint),
        cmocka_unit_test(text_longer_than_the_cap_is_refused),
        cmocka_unit_test(nesting_deeper_than_the_cap_is_refused),
        cmocka_unit_test(in_lists_longer_than_the_cap_are_refused),
        cmocka_unit_test(trees_with_too_many_nodes_are_refused),
        cmocka_unit_test(new_equals_copies_and_new_and_flattens),
        cmocka_unit_test(random_input_never_crashes_the_parser),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
