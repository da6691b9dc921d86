/* scenario_path.c - JSON paths in checker messages. */
#include "scenario/scenario_path.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Appends text (already formatted) to the path, cutting it when it does not fit. */
static size_t push(struct scenario_path *p, const char *text)
{
    size_t saved = p->len;
    size_t room = sizeof(p->text) - p->len - 1;
    size_t n = strlen(text) < room ? strlen(text) : room;
    memcpy(p->text + p->len, text, n);
    p->len += n;
    p->text[p->len] = '\0';
    return saved;
}

size_t scenario_path_key(struct scenario_path *p, const char *key)
{
    size_t saved = p->len;
    if (p->len > 0) {
        push(p, ".");
    }
    push(p, key);
    return saved;
}

size_t scenario_path_index(struct scenario_path *p, size_t index)
{
    char text[32];
    snprintf(text, sizeof(text), "[%zu]", index);
    return push(p, text);
}

void scenario_path_pop(struct scenario_path *p, size_t saved)
{
    p->len = saved;
    p->text[saved] = '\0';
}

int scenario_path_fail(struct scenario_path *p, const char *fmt, ...)
{
    char msg[ERR_MSG_CAP];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return err_set(p->err, ERR_INVALID, "%s: %s", p->len > 0 ? p->text : "top level", msg);
}

int scenario_path_check_keys(struct scenario_path *p, const json_t *obj, const char *const *keys)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v)
    {
        size_t i = 0;
        while (keys[i] != NULL && strcmp(keys[i], key) != 0) {
            i++;
        }
        if (keys[i] == NULL) {
            char list[160] = "";
            for (i = 0; keys[i] != NULL; i++) {
                strncat(list, i > 0 ? ", " : "", sizeof(list) - strlen(list) - 1);
                strncat(list, keys[i], sizeof(list) - strlen(list) - 1);
            }
            size_t saved = scenario_path_key(p, key);
            int rc = scenario_path_fail(p, "unknown member (expected %s)", list);
            scenario_path_pop(p, saved);
            return rc;
        }
    }
    return ERR_OK;
}

size_t scenario_utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s != '\0'; s++) {
        n += ((unsigned char)*s & 0xC0) != 0x80;
    }
    return n;
}

int scenario_path_check_text(struct scenario_path *p, const json_t *v, size_t min, size_t max)
{
    if (!json_is_string(v)) {
        return scenario_path_fail(p, v == NULL ? "required" : "expected a string");
    }
    size_t n = scenario_utf8_chars(json_string_value(v));
    if (n < min) {
        return scenario_path_fail(p, "must not be empty");
    }
    if (n > max) {
        return scenario_path_fail(p, "longer than %zu characters", max);
    }
    return ERR_OK;
}
