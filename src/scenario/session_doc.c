/* session_doc.c - a session request's JSON checked member by member, and join codes
 * (session_doc.h). */
#define _XOPEN_SOURCE 700 /* strptime */
#include "scenario/session_doc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include <jansson.h>

#include "base/alloc.h"
#include "base/parse.h"
#include "base/utf8.h"
#include "store/store_workshop.h"

/* Join codes: no 0/O, 1/I/L, 2/Z, 5/S, 8/B, read aloud or off a projector without doubt. */
static const char code_alphabet[] = "ACDEFGHJKMNPQRTUVWXY34679";


size_t session_utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s != '\0'; s++) {
        n += ((unsigned char)*s & 0xC0) != 0x80;
    }
    return n;
}

int session_code_generate(char out[SESSION_CODE_LEN + 1], struct err *err)
{
    unsigned char raw[SESSION_CODE_LEN];
    if (getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw)) {
        return err_set(err, ERR_IO, "the kernel gave no randomness for a join code");
    }
    size_t n = sizeof(code_alphabet) - 1;
    for (size_t i = 0; i < SESSION_CODE_LEN; i++) {
        out[i] = code_alphabet[raw[i] % n];
    }
    out[SESSION_CODE_LEN] = '\0';
    return ERR_OK;
}

/* "2026-12-07T10:00:00Z" or with an offset ("+07:00") into seconds since the epoch. */
static bool parse_rfc3339(const char *text, time_t *out)
{
    struct tm tm;
    memset(&tm, 0, sizeof(tm));
    const char *rest = strptime(text, "%Y-%m-%dT%H:%M:%S", &tm);
    if (rest == NULL) {
        return false;
    }
    if (*rest == '.') { /* fractions of a second: dropped */
        rest++;
        while (isdigit((unsigned char)*rest)) {
            rest++;
        }
    }
    long offset = 0;
    int hh = 0, mm = 0;
    char sign = 0, tail = 0;
    if ((rest[0] == 'Z' || rest[0] == 'z') && rest[1] == '\0') {
        offset = 0;
    } else if (sscanf(rest, "%c%2d:%2d%c", &sign, &hh, &mm, &tail) == 3 &&
               (sign == '+' || sign == '-') && hh < 24 && mm < 60) {
        offset = (sign == '+' ? 1 : -1) * (hh * 3600L + mm * 60L);
    } else {
        return false;
    }
    *out = timegm(&tm) - offset;
    return true;
}

static void iso_utc(time_t t, char out[32])
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* "ends_at" or "minutes" (or neither: the default) into ends_at. */
static int parse_end(const json_t *root, char ends_at[32], struct err *err)
{
    const json_t *minutes = json_object_get(root, "minutes");
    const json_t *end = json_object_get(root, "ends_at");
    time_t now = time(NULL), t = now + SESSION_DEFAULT_MINUTES * 60;
    if (minutes != NULL && end != NULL) {
        return err_set(err, ERR_INVALID, "give \"minutes\" or \"ends_at\", not both");
    }
    if (minutes != NULL) {
        if (!json_is_integer(minutes) || json_integer_value(minutes) < 1 ||
            json_integer_value(minutes) > SESSION_MAX_MINUTES) {
            return err_set(err, ERR_INVALID, "minutes: expected a whole number from 1 to %d",
                           SESSION_MAX_MINUTES);
        }
        t = now + (time_t)json_integer_value(minutes) * 60;
    } else if (end != NULL) {
        if (!json_is_string(end) || !parse_rfc3339(json_string_value(end), &t)) {
            return err_set(err, ERR_INVALID,
                           "ends_at: expected an RFC 3339 time such as 2026-12-07T17:00:00+07:00");
        }
        if (t <= now || t > now + (time_t)SESSION_MAX_MINUTES * 60) {
            return err_set(err, ERR_INVALID,
                           "ends_at: the end must be in the future and at most 30 days ahead");
        }
    }
    iso_utc(t, ends_at);
    return ERR_OK;
}

/* One group {id, title: {th, en?}} at groups[i]. */
static int check_group(const json_t *g, size_t i, struct err *err)
{
    static const char *const keys[] = {"id", "title", NULL};
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)g, key, v)
    {
        bool known = false;
        for (size_t k = 0; keys[k] != NULL; k++) {
            known = known || strcmp(keys[k], key) == 0;
        }
        if (!known) {
            return err_set(err, ERR_INVALID, "groups[%zu]: unknown member '%s'", i,
                           utf8_excerpt(key, 40).text);
        }
    }
    const char *id = json_string_value(json_object_get(g, "id"));
    const json_t *title = json_object_get(g, "title");
    const char *th = json_string_value(json_object_get(title, "th"));
    const json_t *en = json_object_get(title, "en");
    if (id == NULL || strlen(id) > 48 || !parse_is_slug(id)) {
        return err_set(err, ERR_INVALID,
                       "groups[%zu].id: expected a slug of a-z, 0-9 and '-' "
                       "(at most 48)",
                       i);
    }
    if (th == NULL || th[0] == '\0' || session_utf8_chars(th) > STORE_SKETCH_GROUP_MAX) {
        return err_set(err, ERR_INVALID,
                       "groups[%zu].title.th: expected text of 1 to %d "
                       "characters",
                       i, STORE_SKETCH_GROUP_MAX);
    }
    if (en != NULL &&
        (!json_is_string(en) || session_utf8_chars(json_string_value(en)) > STORE_SKETCH_GROUP_MAX)) {
        return err_set(err, ERR_INVALID,
                       "groups[%zu].title.en: expected text of at most %d "
                       "characters",
                       i, STORE_SKETCH_GROUP_MAX);
    }
    return ERR_OK;
}

static int parse_groups(const json_t *root, char **groups_text, struct err *err)
{
    const json_t *groups = json_object_get(root, "groups");
    if (groups == NULL) {
        *groups_text = xstrdup("[]");
        return ERR_OK;
    }
    if (!json_is_array(groups) || json_array_size(groups) > SESSION_MAX_GROUPS) {
        return err_set(err, ERR_INVALID, "groups: expected an array of at most %d groups",
                       SESSION_MAX_GROUPS);
    }
    for (size_t i = 0; i < json_array_size(groups); i++) {
        const json_t *g = json_array_get(groups, i);
        if (!json_is_object(g)) {
            return err_set(err, ERR_INVALID, "groups[%zu]: expected {\"id\", \"title\"}", i);
        }
        int rc = check_group(g, i, err);
        for (size_t k = 0; rc == ERR_OK && k < i; k++) {
            if (json_equal(json_object_get(json_array_get(groups, k), "id"),
                           json_object_get(g, "id"))) {
                rc = err_set(err, ERR_INVALID, "groups[%zu].id: '%s' is already groups[%zu]", i,
                             json_string_value(json_object_get(g, "id")), k);
            }
        }
        if (rc != ERR_OK) {
            return rc;
        }
    }
    *groups_text = json_dumps(groups, JSON_COMPACT);
    return ERR_OK;
}

int session_doc_parse(const char *text, size_t len, struct session_spec *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    json_error_t jerr;
    json_t *root = json_loadb(text != NULL ? text : "", len, JSON_REJECT_DUPLICATES, &jerr);
    int rc = ERR_OK;
    if (!json_is_object(root)) {
        rc = err_set(err, ERR_INVALID,
                     "the body must be a JSON object such as {\"mode\": \"live\", \"minutes\": 90}");
    }
    const char *key;
    json_t *v;
    json_object_foreach(root, key, v)
    {
        if (rc == ERR_OK && strcmp(key, "mode") != 0 && strcmp(key, "minutes") != 0 &&
            strcmp(key, "ends_at") != 0 && strcmp(key, "groups") != 0) {
            rc = err_set(err, ERR_INVALID,
                         "unknown member '%s' (a session has mode, minutes or ends_at, groups)",
                         utf8_excerpt(key, 40).text);
        }
    }
    const json_t *mode = json_object_get(root, "mode");
    if (rc == ERR_OK && mode != NULL &&
        (!json_is_string(mode) || (strcmp(json_string_value(mode), "live") != 0 &&
                                   strcmp(json_string_value(mode), "moderated") != 0))) {
        rc = err_set(err, ERR_INVALID, "mode: expected \"live\" or \"moderated\"");
    }
    if (rc == ERR_OK) {
        snprintf(out->mode, sizeof(out->mode), "%s",
                 mode != NULL ? json_string_value(mode) : "live");
        rc = parse_end(root, out->ends_at, err);
    }
    if (rc == ERR_OK) {
        rc = parse_groups(root, &out->groups, err);
    }
    json_decref(root);
    if (rc != ERR_OK) {
        session_spec_clear(out);
    }
    return rc;
}

void session_spec_clear(struct session_spec *s)
{
    free(s->groups);
    s->groups = NULL;
}

int session_open(struct store *st, const char *scenario_id, const struct session_spec *spec,
                 const char *created_by, int64_t *id, struct err *err)
{
    char code[SESSION_CODE_LEN + 1];
    struct store_session s = {
        .scenario_id = (char *)scenario_id,
        .code = code,
        .mode = (char *)spec->mode,
        .groups = spec->groups,
        .created_by = (char *)created_by,
        .ends_at = (char *)spec->ends_at,
    };
    /* A code drawn twice among 25^6 is rare; a few draws make it vanishingly so. */
    int rc = ERR_OK;
    for (int attempt = 0; attempt < 5; attempt++) {
        rc = session_code_generate(code, err);
        if (rc == ERR_OK) {
            rc = store_session_create(st, &s, id, err);
        }
        if (rc != ERR_INVALID) {
            break;
        }
    }
    return rc;
}
