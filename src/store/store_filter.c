/* store_filter.c - a CQL2 tree (cql2/cql2.h) checked against a layer's schema and
 * compiled into one SQL boolean expression (see store_sql.h for the contract).
 *
 * Semantics follow CQL2, which follows SQL: a comparison with a NULL property is unknown,
 * NOT of unknown is unknown, and only rows where the whole filter is true are returned.
 * Values never become SQL text: each is a bound parameter. Column names come from the
 * layer's schema after the property was found in it. */
#include "store/store_sql.h"

#include <assert.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/parse.h"
#include "encode/nfc_text.h"
#include "store/store_read.h"

#include "base/buf.h"
#include "cql2/cql2.h"

/* Queryable names listed in an "unknown property" message before "and N more". */
#define LIST_MAX_NAMES 20

struct compiler {
    const struct store_layer *layer;
    const char *alias;
    struct buf *sql;
    struct store_params *params;
    struct err *err;
};

/* What a value is, for the type rules. DATE and TIMESTAMP are stored as ISO 8601 text,
 * whose byte order is time order, so they are text here. */
enum value_class { CLASS_NUMBER, CLASS_TEXT, CLASS_BOOLEAN, CLASS_BLOB };

struct value {
    const struct cql2_operand *op;
    const struct store_field_info *field; /* NULL for literals */
    enum value_class cls;
};

static int compile_node(struct compiler *c, const struct cql2_node *node);

static int emit(struct compiler *c, const char *s)
{
    return buf_append_str(c->sql, s, c->err);
}

/* Names */

static bool is_geometry_name(const char *name)
{
    return strcmp(name, "geometry") == 0 || strcmp(name, "geom") == 0;
}

static bool ascii_case_equal(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a >= 'A' && *a <= 'Z' ? (char)(*a - 'A' + 'a') : *a;
        char y = *b >= 'A' && *b <= 'Z' ? (char)(*b - 'A' + 'a') : *b;
        if (x != y) {
            return false;
        }
    }
    return *a == *b;
}

/* "unknown property 'x'; queryable properties: a, b, c[, and N more]", with a hint when
 * only the letter case is wrong (names are case-sensitive). */
static int unknown_property(struct compiler *c, const char *name)
{
    const struct store_layer *layer = c->layer;
    struct buf list;
    struct err ignored;
    buf_init(&list, ERR_MSG_CAP);
    const char *near = NULL;
    int rc = ERR_OK;
    for (size_t i = 0; i < layer->n_fields; i++) {
        if (near == NULL && ascii_case_equal(layer->fields[i].name, name)) {
            near = layer->fields[i].name;
        }
        /* Past the message's size the list is cut; the message is cut there anyway. */
        if (i < LIST_MAX_NAMES && rc == ERR_OK) {
            rc = buf_printf(&list, &ignored, "%s%s", i > 0 ? ", " : "", layer->fields[i].name);
        }
    }
    if (rc == ERR_OK && layer->n_fields > LIST_MAX_NAMES) {
        rc = buf_printf(&list, &ignored, ", and %zu more", layer->n_fields - LIST_MAX_NAMES);
    }
    if (near != NULL) {
        err_set(c->err, ERR_INVALID,
                "filter: unknown property '%s'; did you mean '%s'? (names are case-sensitive)",
                name, near);
    } else if (layer->n_fields == 0) {
        err_set(c->err, ERR_INVALID, "filter: unknown property '%s'; layer '%s' has no properties",
                name, layer->id);
    } else {
        err_set(c->err, ERR_INVALID, "filter: unknown property '%s'; queryable properties: %s",
                name, list.data != NULL ? list.data : "");
    }
    buf_clear(&list);
    return ERR_INVALID;
}

/* Values and their classes */

static int resolve(struct compiler *c, const struct cql2_operand *op, struct value *out)
{
    static const enum value_class by_store_type[] = {[STORE_INTEGER] = CLASS_NUMBER,
                                                     [STORE_REAL] = CLASS_NUMBER,
                                                     [STORE_TEXT] = CLASS_TEXT,
                                                     [STORE_BLOB] = CLASS_BLOB};
    out->op = op;
    out->field = NULL;
    switch (op->kind) {
    case CQL2_PROPERTY: {
        long i = store_layer_field_index(c->layer, op->text);
        if (i < 0 && is_geometry_name(op->text) && c->layer->geometry_type != NULL) {
            return err_set(c->err, ERR_INVALID,
                           "filter: property '%s' is the geometry; use it in S_INTERSECTS",
                           op->text);
        }
        if (i < 0) {
            return unknown_property(c, op->text);
        }
        out->field = &c->layer->fields[i];
        out->cls = by_store_type[out->field->type];
        return ERR_OK;
    }
    case CQL2_NUMBER:
        out->cls = CLASS_NUMBER;
        return ERR_OK;
    case CQL2_BOOLEAN:
        out->cls = CLASS_BOOLEAN;
        return ERR_OK;
    default:
        out->cls = CLASS_TEXT;
        return ERR_OK;
    }
}

static const char *describe(const struct value *v)
{
    if (v->field != NULL) {
        static const char *const names[] = {[CLASS_NUMBER] = "a number",
                                            [CLASS_TEXT] = "text",
                                            [CLASS_BOOLEAN] = "a boolean",
                                            [CLASS_BLOB] = "binary data"};
        return names[v->cls];
    }
    static const char *const literals[] = {
        [CQL2_PROPERTY] = "a property", [CQL2_STRING] = "a string",
        [CQL2_NUMBER] = "a number",     [CQL2_BOOLEAN] = "a boolean",
        [CQL2_DATE] = "a date",         [CQL2_TIMESTAMP] = "a timestamp"};
    return literals[v->op->kind];
}

static bool is_integer_field(const struct value *v)
{
    return v->field != NULL && v->field->type == STORE_INTEGER;
}

/* Whether a and b may be compared: same class, or a boolean with an INTEGER field (1/0). */
static bool comparable(const struct value *a, const struct value *b)
{
    if (a->cls == CLASS_BLOB || b->cls == CLASS_BLOB) {
        return false;
    }
    if (a->cls == b->cls) {
        return true;
    }
    return (a->cls == CLASS_BOOLEAN && is_integer_field(b)) ||
           (b->cls == CLASS_BOOLEAN && is_integer_field(a));
}

static int mismatch(struct compiler *c, const struct value *a, const struct value *b)
{
    if (a->field == NULL && b->field != NULL) {
        const struct value *t = a;
        a = b;
        b = t;
    }
    if (a->field != NULL && b->field != NULL) {
        return err_set(c->err, ERR_INVALID,
                       "filter: property '%s' is %s and cannot be compared with property '%s', "
                       "which is %s",
                       a->field->name, describe(a), b->field->name, describe(b));
    }
    if (a->field != NULL) {
        return err_set(c->err, ERR_INVALID,
                       "filter: property '%s' is %s and cannot be compared with %s", a->field->name,
                       describe(a), describe(b));
    }
    return err_set(c->err, ERR_INVALID, "filter: %s cannot be compared with %s", describe(a),
                   describe(b));
}

/* Resolves the n operands of node into values[n] and checks operands[1..] against
 * operands[0]. */
static int resolve_all(struct compiler *c, const struct cql2_node *node, struct value *values,
                       size_t n)
{
    assert(node->n_operands == n);
    (void)n; /* only checked by the assert, which release builds drop */
    for (size_t i = 0; i < node->n_operands; i++) {
        int rc = resolve(c, &node->operands[i], &values[i]);
        if (rc != ERR_OK) {
            return rc;
        }
        if (i > 0 && !comparable(&values[0], &values[i])) {
            return mismatch(c, &values[0], &values[i]);
        }
    }
    return ERR_OK;
}

static int emit_column(struct compiler *c, const char *name)
{
    int rc = buf_printf(c->sql, c->err, "%s.", c->alias);
    return rc == ERR_OK ? store_sql_append_ident(c->sql, name, c->err) : rc;
}

static int emit_param(struct compiler *c, size_t n)
{
    return buf_printf(c->sql, c->err, "?%zu", n);
}

static int emit_value(struct compiler *c, const struct cql2_operand *op)
{
    switch (op->kind) {
    case CQL2_PROPERTY:
        return emit_column(c, op->text);
    case CQL2_NUMBER:
        return emit_param(c, op->is_integer ? store_params_add_int(c->params, op->integer)
                                            : store_params_add_real(c->params, op->number));
    case CQL2_BOOLEAN:
        return emit_param(c, store_params_add_int(c->params, op->boolean ? 1 : 0));
    default:
        return emit_param(c, store_params_add_text(c->params, op->text, strlen(op->text)));
    }
}

static bool is_time_property(const struct compiler *c, const struct cql2_operand *op)
{
    long i = op->kind == CQL2_PROPERTY ? store_layer_field_index(c->layer, op->text) : -1;
    const char *type = i >= 0 ? c->layer->fields[i].source_type : NULL;
    return type != NULL && (strcmp(type, "DateTime") == 0 || strcmp(type, "Date") == 0);
}

/* Whether a node compares times: one of its operands is a DATE or TIMESTAMP literal, or a
 * Date/DateTime property met only by strings and such properties (GDAL and QGIS send
 * date = '2019-02-18T00:00:00Z' for a date field). */
static bool is_temporal(const struct compiler *c, const struct cql2_node *node)
{
    bool has_time_property = false, has_other = false;
    for (size_t i = 0; i < node->n_operands; i++) {
        const struct cql2_operand *op = &node->operands[i];
        if (op->kind == CQL2_DATE || op->kind == CQL2_TIMESTAMP) {
            return true;
        }
        bool is_time = is_time_property(c, op);
        has_time_property = has_time_property || is_time;
        has_other = has_other || (!is_time && op->kind != CQL2_STRING);
    }
    return has_time_property && !has_other;
}

/* A value of a temporal comparison is compared as an instant, not as text: '...00Z' and
 * '...00.000Z' are the same time, and so are '...07:00:00+07:00' and '...00:00:00Z'.
 * Text that is no time becomes NULL, so the comparison is unknown. */
static int emit_operand(struct compiler *c, const struct cql2_node *node, size_t i)
{
    if (!is_temporal(c, node)) {
        return emit_value(c, &node->operands[i]);
    }
    int rc = emit(c, STORE_SQL_INSTANT);
    rc = rc == ERR_OK ? emit_value(c, &node->operands[i]) : rc;
    return rc == ERR_OK ? emit(c, ")") : rc;
}

/* Predicates */

static int compile_compare(struct compiler *c, const struct cql2_node *node)
{
    static const char *const ops[] = {[CQL2_EQ] = " = ",  [CQL2_NE] = " <> ", [CQL2_LT] = " < ",
                                      [CQL2_LE] = " <= ", [CQL2_GT] = " > ",  [CQL2_GE] = " >= "};
    struct value values[2];
    int rc = resolve_all(c, node, values, 2);
    rc = rc == ERR_OK ? emit(c, "(") : rc;
    rc = rc == ERR_OK ? emit_operand(c, node, 0) : rc;
    rc = rc == ERR_OK ? emit(c, ops[node->op]) : rc;
    rc = rc == ERR_OK ? emit_operand(c, node, 1) : rc;
    return rc == ERR_OK ? emit(c, ")") : rc;
}

/* CQL2 LIKE (% any run, _ one character, \ escapes the next character) as an SQLite GLOB
 * pattern, because SQLite's LIKE ignores ASCII case and CQL2's LIKE does not. GLOB's own
 * wildcards * ? [ are made literal with brackets. Both count UTF-8 characters. */
static int like_to_glob(struct compiler *c, const char *like, struct buf *glob)
{
    int rc = ERR_OK;
    for (const char *s = like; *s != '\0' && rc == ERR_OK; s++) {
        char ch = *s;
        bool is_escaped = ch == '\\';
        if (is_escaped) {
            ch = *++s;
            if (ch == '\0') {
                return err_set(c->err, ERR_INVALID,
                               "filter: LIKE pattern '%s' ends with a lone backslash; write \\\\ "
                               "for a backslash",
                               like);
            }
        }
        if (ch == '*' || ch == '?' || ch == '[') {
            rc = buf_printf(glob, c->err, "[%c]", ch);
        } else if (!is_escaped && ch == '%') {
            rc = buf_append_str(glob, "*", c->err);
        } else if (!is_escaped && ch == '_') {
            rc = buf_append_str(glob, "?", c->err);
        } else {
            rc = buf_append(glob, &ch, 1, c->err);
        }
    }
    return rc;
}

static int compile_like(struct compiler *c, const struct cql2_node *node)
{
    assert(node->n_operands == 2 && node->operands[1].kind == CQL2_STRING);
    struct value v;
    int rc = resolve(c, &node->operands[0], &v);
    if (rc == ERR_OK && v.cls != CLASS_TEXT) {
        return v.field != NULL
                   ? err_set(c->err, ERR_INVALID,
                             "filter: LIKE needs text, but property '%s' is %s", v.field->name,
                             describe(&v))
                   : err_set(c->err, ERR_INVALID, "filter: LIKE needs text, not %s", describe(&v));
    }
    struct buf glob;
    buf_init(&glob, 3 * strlen(node->operands[1].text) + 1);
    rc = rc == ERR_OK ? like_to_glob(c, node->operands[1].text, &glob) : rc;
    rc = rc == ERR_OK ? emit(c, "(") : rc;
    rc = rc == ERR_OK ? emit_value(c, &node->operands[0]) : rc;
    rc = rc == ERR_OK ? emit(c, node->negated ? " NOT GLOB " : " GLOB ") : rc;
    if (rc == ERR_OK) {
        rc = emit_param(
            c, store_params_add_text(c->params, glob.data != NULL ? glob.data : "", glob.len));
    }
    buf_clear(&glob);
    return rc == ERR_OK ? emit(c, ")") : rc;
}

static int compile_between(struct compiler *c, const struct cql2_node *node)
{
    struct value values[3];
    int rc = resolve_all(c, node, values, 3);
    rc = rc == ERR_OK ? emit(c, "(") : rc;
    rc = rc == ERR_OK ? emit_operand(c, node, 0) : rc;
    rc = rc == ERR_OK ? emit(c, node->negated ? " NOT BETWEEN " : " BETWEEN ") : rc;
    rc = rc == ERR_OK ? emit_operand(c, node, 1) : rc;
    rc = rc == ERR_OK ? emit(c, " AND ") : rc;
    rc = rc == ERR_OK ? emit_operand(c, node, 2) : rc;
    return rc == ERR_OK ? emit(c, ")") : rc;
}

static int compile_in(struct compiler *c, const struct cql2_node *node)
{
    struct value first, other;
    int rc = resolve(c, &node->operands[0], &first);
    for (size_t i = 1; i < node->n_operands && rc == ERR_OK; i++) {
        rc = resolve(c, &node->operands[i], &other);
        if (rc == ERR_OK && !comparable(&first, &other)) {
            rc = mismatch(c, &first, &other);
        }
    }
    rc = rc == ERR_OK ? emit(c, "(") : rc;
    rc = rc == ERR_OK ? emit_operand(c, node, 0) : rc;
    rc = rc == ERR_OK ? emit(c, node->negated ? " NOT IN (" : " IN (") : rc;
    for (size_t i = 1; i < node->n_operands && rc == ERR_OK; i++) {
        rc = i > 1 ? emit(c, ", ") : ERR_OK;
        rc = rc == ERR_OK ? emit_operand(c, node, i) : rc;
    }
    return rc == ERR_OK ? emit(c, "))") : rc;
}

/* Any property may be tested for NULL, the geometry included. */
static int compile_is_null(struct compiler *c, const struct cql2_node *node)
{
    const struct cql2_operand *op = &node->operands[0];
    bool is_geometry = op->kind == CQL2_PROPERTY && c->layer->geometry_type != NULL &&
                       is_geometry_name(op->text) &&
                       store_layer_field_index(c->layer, op->text) < 0;
    struct value v;
    int rc = is_geometry ? ERR_OK : resolve(c, op, &v);
    rc = rc == ERR_OK ? emit(c, "(") : rc;
    if (rc == ERR_OK) {
        rc = is_geometry ? buf_printf(c->sql, c->err, "%s.geom", c->alias) : emit_value(c, op);
    }
    return rc == ERR_OK ? emit(c, node->negated ? " IS NOT NULL)" : " IS NULL)") : rc;
}

static int check_spatial_property(struct compiler *c, const struct cql2_operand *op)
{
    if (!is_geometry_name(op->text)) {
        return store_layer_field_index(c->layer, op->text) >= 0
                   ? err_set(c->err, ERR_INVALID,
                             "filter: S_INTERSECTS needs the geometry, named 'geometry'; "
                             "property '%s' is not a geometry",
                             op->text)
                   : unknown_property(c, op->text);
    }
    if (c->layer->geometry_type == NULL) {
        return err_set(c->err, ERR_INVALID,
                       "filter: layer '%s' has no geometry, so S_INTERSECTS cannot apply",
                       c->layer->id);
    }
    return ERR_OK;
}

/* The CASE keeps a feature without geometry unknown rather than false, so that
 * NOT S_INTERSECTS(...) does not select it either (ST_Intersects returns -1 for NULL). */
static int compile_intersects(struct compiler *c, const struct cql2_node *node)
{
    int rc = check_spatial_property(c, &node->operands[0]);
    const char *a = c->alias;
    rc = rc == ERR_OK ? buf_printf(c->sql, c->err, "(CASE WHEN %s.geom IS NULL THEN NULL ELSE ", a)
                      : rc;
    if (rc == ERR_OK && node->has_bbox) {
        size_t minx = store_params_add_real(c->params, node->bbox[0]);
        size_t miny = store_params_add_real(c->params, node->bbox[1]);
        size_t maxx = store_params_add_real(c->params, node->bbox[2]);
        size_t maxy = store_params_add_real(c->params, node->bbox[3]);
        rc = buf_printf(c->sql, c->err, "ca_intersects_bbox(%s.geom, ?%zu, ?%zu, ?%zu, ?%zu) = 1",
                        a, minx, miny, maxx, maxy);
    } else if (rc == ERR_OK) {
        size_t wkt = store_params_add_text(c->params, node->wkt, strlen(node->wkt));
        rc = buf_printf(c->sql, c->err, "ST_Intersects(%s.geom, GeomFromText(?%zu, 4326)) = 1", a,
                        wkt);
    }
    return rc == ERR_OK ? emit(c, " END)") : rc;
}

/* Boolean structure */

static int compile_children(struct compiler *c, const struct cql2_node *node, const char *op)
{
    int rc = emit(c, "(");
    for (size_t i = 0; i < node->n_children && rc == ERR_OK; i++) {
        rc = i > 0 ? emit(c, op) : ERR_OK;
        rc = rc == ERR_OK ? compile_node(c, node->children[i]) : rc;
    }
    return rc == ERR_OK ? emit(c, ")") : rc;
}

static int compile_not(struct compiler *c, const struct cql2_node *node)
{
    assert(node->n_children == 1);
    int rc = emit(c, "(NOT ");
    rc = rc == ERR_OK ? compile_node(c, node->children[0]) : rc;
    return rc == ERR_OK ? emit(c, ")") : rc;
}

static int compile_node(struct compiler *c, const struct cql2_node *node)
{
    switch (node->kind) {
    case CQL2_AND:
        return compile_children(c, node, " AND ");
    case CQL2_OR:
        return compile_children(c, node, " OR ");
    case CQL2_NOT:
        return compile_not(c, node);
    case CQL2_COMPARE:
        return compile_compare(c, node);
    case CQL2_LIKE:
        return compile_like(c, node);
    case CQL2_BETWEEN:
        return compile_between(c, node);
    case CQL2_IN:
        return compile_in(c, node);
    case CQL2_IS_NULL:
        return compile_is_null(c, node);
    case CQL2_S_INTERSECTS:
        return compile_intersects(c, node);
    case CQL2_CONSTANT:
        return buf_printf(c->sql, c->err, "(?%zu = 1)",
                          store_params_add_int(c->params, node->constant ? 1 : 0));
    }
    return err_set(c->err, ERR_INTERNAL, "filter: unknown node kind %d", (int)node->kind);
}

int store_filter_compile(const struct cql2_node *filter, const struct store_layer *layer,
                         const char *alias, struct buf *sql, struct store_params *params,
                         struct err *err)
{
    struct compiler c = {.layer = layer, .alias = alias, .sql = sql, .params = params, .err = err};
    return compile_node(&c, filter);
}

int store_property_filter(const struct store_layer *layer, long field, const char *value,
                          struct cql2_node **out, struct err *err)
{
    const struct store_field_info *f = &layer->fields[field];
    struct cql2_operand operand = {.kind = CQL2_STRING, .text = (char *)value};
    if (f->type == STORE_INTEGER || f->type == STORE_REAL) {
        double d = 0;
        if (parse_double(value, f->name, &d, err) != ERR_OK) {
            return err_prefix(err, "property filter");
        }
        operand = (struct cql2_operand){.kind = CQL2_NUMBER, .number = d};
        if (f->type == STORE_INTEGER && d == floor(d) && fabs(d) < 9e15) {
            operand.is_integer = true;
            operand.integer = (int64_t)d;
        }
    } else if (f->type == STORE_BLOB) {
        return err_set(err, ERR_INVALID, "%s: binary properties cannot be filtered", f->name);
    } else if (f->source_type != NULL &&
               (strcmp(f->source_type, "DateTime") == 0 || strcmp(f->source_type, "Date") == 0)) {
        /* date=2019-02-18T00:00:00.000Z finds the features stored as ...00Z: an instant. */
        operand.kind = CQL2_TIMESTAMP;
    }
    /* Stored text is NFC (encode/nfc_text.h): compare the value's NFC form. */
    size_t len = 0;
    char *nfc = operand.kind == CQL2_STRING && nfc_text_may_change(value, strlen(value))
                    ? nfc_text_new(value, strlen(value), &len)
                    : NULL;
    if (nfc != NULL) {
        operand.text = nfc;
    }
    *out = cql2_new_equals(f->name, &operand);
    free(nfc);
    return ERR_OK;
}

int store_filter_check(const struct cql2_node *filter, const struct store_layer *layer,
                       struct err *err)
{
    struct buf sql;
    struct store_params params;
    buf_init(&sql, 1 << 20);
    store_params_init(&params);
    int rc = store_filter_compile(filter, layer, "t", &sql, &params, err);
    store_params_clear(&params);
    buf_clear(&sql);
    return rc;
}
