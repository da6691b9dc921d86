/* store_params.c - bound parameter lists and quoted identifiers for the SQL that the read
 * side builds (see store_sql.h). */
#include "store/store_sql.h"

#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"

void store_params_init(struct store_params *p)
{
    p->items = NULL;
    p->n = 0;
    p->cap = 0;
}

void store_params_clear(struct store_params *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->items[i].text);
    }
    free(p->items);
    store_params_init(p);
}

/* Appends a zeroed parameter and returns it; its number is p->n afterwards. */
static struct store_param *add(struct store_params *p, enum store_param_type type)
{
    if (p->n == p->cap) {
        p->cap = p->cap == 0 ? 8 : p->cap * 2;
        p->items = xreallocarray(p->items, p->cap, sizeof(*p->items));
    }
    struct store_param *item = &p->items[p->n++];
    memset(item, 0, sizeof(*item));
    item->type = type;
    return item;
}

size_t store_params_add_int(struct store_params *p, int64_t v)
{
    add(p, STORE_PARAM_INT)->i = v;
    return p->n;
}

size_t store_params_add_real(struct store_params *p, double v)
{
    add(p, STORE_PARAM_REAL)->d = v;
    return p->n;
}

size_t store_params_add_text(struct store_params *p, const char *s, size_t len)
{
    add(p, STORE_PARAM_TEXT)->text = xstrndup(s, len);
    return p->n;
}

int store_params_bind(const struct store_params *p, sqlite3_stmt *stmt)
{
    for (size_t i = 0; i < p->n; i++) {
        const struct store_param *item = &p->items[i];
        int col = (int)i + 1;
        int rc;
        switch (item->type) {
        case STORE_PARAM_INT:
            rc = sqlite3_bind_int64(stmt, col, item->i);
            break;
        case STORE_PARAM_REAL:
            rc = sqlite3_bind_double(stmt, col, item->d);
            break;
        default:
            rc = sqlite3_bind_text(stmt, col, item->text, -1, SQLITE_STATIC);
            break;
        }
        if (rc != SQLITE_OK) {
            return rc;
        }
    }
    return SQLITE_OK;
}

int store_params_append_key(const struct store_params *p, struct buf *key, struct err *err)
{
    int rc = ERR_OK;
    for (size_t i = 0; i < p->n && rc == ERR_OK; i++) {
        const struct store_param *item = &p->items[i];
        switch (item->type) {
        case STORE_PARAM_INT:
            rc = buf_printf(key, err, "i:%lld|", (long long)item->i);
            break;
        case STORE_PARAM_REAL:
            /* %.17g reads back as the same double, so different values never share a key. */
            rc = buf_printf(key, err, "r:%.17g|", item->d);
            break;
        default:
            /* The length prefix keeps '|' inside a text from ending it early. */
            rc = buf_printf(key, err, "t:%zu:", strlen(item->text));
            rc = rc == ERR_OK ? buf_append_str(key, item->text, err) : rc;
            rc = rc == ERR_OK ? buf_append_str(key, "|", err) : rc;
            break;
        }
    }
    return rc;
}

int store_sql_append_ident(struct buf *sql, const char *name, struct err *err)
{
    int rc = buf_append_str(sql, "\"", err);
    while (rc == ERR_OK && *name != '\0') {
        size_t n = strcspn(name, "\"");
        rc = buf_append(sql, name, n, err);
        name += n;
        if (rc == ERR_OK && *name == '"') {
            rc = buf_append_str(sql, "\"\"", err);
            name++;
        }
    }
    return rc == ERR_OK ? buf_append_str(sql, "\"", err) : rc;
}
