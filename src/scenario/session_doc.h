/* session_doc.h - a participation session as a facilitator asks for it (issue 12), the same
 * from HTTP (POST /scenarios/{id}/sessions) and the CLI (cityatlas session open):
 *
 *   {"mode": "live" | "moderated",              default "live"
 *    "minutes": 1..43200 | "ends_at": RFC 3339,  at most 30 days ahead; default 120 minutes
 *    "groups": [{"id": slug, "title": {"th", "en"?}}, ...]}   0..50, ids unique
 *
 * and the join codes: SESSION_CODE_LEN characters of an alphabet without look-alikes.
 * Owns no state; safe from any thread. */
#ifndef CITYATLAS_SCENARIO_SESSION_DOC_H
#define CITYATLAS_SCENARIO_SESSION_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "store/store.h"

#define SESSION_CODE_LEN 6
#define SESSION_MAX_MINUTES (30 * 24 * 60)
#define SESSION_DEFAULT_MINUTES 120
#define SESSION_MAX_GROUPS 50
#define SESSION_PARTICIPANT_NAME_MAX 60 /* characters */

struct session_spec {
    char mode[16];    /* "live" or "moderated" */
    char ends_at[32]; /* ISO 8601 UTC, "2026-12-07T10:00:00Z" */
    char *groups;     /* the groups as compact JSON array text; owned */
};

/* Parses and checks the JSON text of a session request: ERR_INVALID naming the member
 * (mode, minutes, ends_at, groups[2].id...). Free out with session_spec_clear. */
int session_doc_parse(const char *text, size_t len, struct session_spec *out,
                      struct err *err) WARN_UNUSED;
void session_spec_clear(struct session_spec *s);

/* A new random join code (SESSION_CODE_LEN characters and a NUL). ERR_IO without
 * randomness. */
int session_code_generate(char out[SESSION_CODE_LEN + 1], struct err *err) WARN_UNUSED;

/* Stores a new session of scenario_id as spec asks, with a fresh join code; *id is its id.
 * ERR_NOT_FOUND for an unknown scenario. */
int session_open(struct store *st, const char *scenario_id, const struct session_spec *spec,
                 const char *created_by, int64_t *id, struct err *err) WARN_UNUSED;

/* Characters (code points) of valid UTF-8 text. */
size_t session_utf8_chars(const char *s);

#endif
