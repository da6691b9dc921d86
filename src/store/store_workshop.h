/* store_workshop.h - participation in a scenario (issue 12): who changes a sketch, the
 * guards an edit must pass (the sketch's version for If-Match, its owner for a
 * participant), moderation, the append-only history and restore, sessions and their
 * participants. Owns the SQL of cityatlas_sketches, cityatlas_sketch_history,
 * cityatlas_sessions and cityatlas_participants (store_scenario_int.h has the tables).
 *
 * Every sketch of a scenario lives in cityatlas_sketches with a status (visible, pending or
 * hidden) and a version that every change moves; the scenario's sketch layer, which the
 * public reads (items, exports, posters), holds the visible ones only. Each change appends
 * one history row with the sketch's state after it, in the change's transaction.
 *
 * Threads: as store.h (one connection per thread at a time). */
#ifndef CITYATLAS_STORE_STORE_WORKSHOP_H
#define CITYATLAS_STORE_STORE_WORKSHOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "store/store_scenario.h"

#define STORE_SKETCH_VISIBLE "visible"
#define STORE_SKETCH_PENDING "pending"
#define STORE_SKETCH_HIDDEN "hidden"

/* Who makes a change. */
struct store_actor {
    const char *name;       /* a participant's display name or a token's name; NULL: the CLI */
    const char *group;      /* a participant's group id, or NULL */
    int64_t participant_id; /* 0 for a token or the CLI */
    bool is_moderated;      /* a participant of a moderated session: the change is pending */
};

enum store_sketch_outcome {
    STORE_SKETCH_DONE,
    STORE_SKETCH_STALE,     /* guard.if_version is not the current version */
    STORE_SKETCH_NOT_YOURS, /* guard.owner_id did not make this sketch */
};

/* What an edit must find; the call fills outcome. STALE or NOT_YOURS: nothing changed and
 * the call returned ERR_INVALID. */
struct store_sketch_guard {
    int64_t if_version; /* 0: any */
    int64_t owner_id;   /* 0: anyone's */
    enum store_sketch_outcome outcome;
};

/* One sketch as the workshop views show it. */
struct store_sketch_info {
    int64_t id, version, participant_id; /* participant_id 0: a token's or the CLI's */
    char *kind, *note, *group_name;      /* note and group_name may be NULL */
    char *created_at, *updated_at, *created_by, *updated_by; /* *_by may be NULL */
    char *status;
    char *geometry; /* GeoJSON text */
};

void store_sketch_info_clear(struct store_sketch_info *s);
void store_sketch_infos_free(struct store_sketch_info *list, size_t n); /* NULL is fine */

/* Writes as actor (NULL: the CLI). add: status pending for a moderated participant, else
 * visible. replace/delete/set_status check guard (may be NULL). */
int store_sketches_add_as(struct store *st, const char *scenario_id, const struct store_sketch *s,
                          size_t n, const struct store_actor *actor, int64_t *new_ids,
                          struct err *err) WARN_UNUSED;
int store_sketch_replace_as(struct store *st, const char *scenario_id, int64_t sketch_id,
                            const struct store_sketch *s, const struct store_actor *actor,
                            struct store_sketch_guard *guard, struct err *err) WARN_UNUSED;
int store_sketch_delete_as(struct store *st, const char *scenario_id, int64_t sketch_id,
                           const struct store_actor *actor, struct store_sketch_guard *guard,
                           struct err *err) WARN_UNUSED;

/* Moderation: action "approve" (pending -> visible), "hide" (any -> hidden) or "unhide"
 * (hidden -> visible); ERR_INVALID naming the status when the sketch is not in the one the
 * action starts from (hide excepted). */
int store_sketch_moderate(struct store *st, const char *scenario_id, int64_t sketch_id,
                          const char *action, const struct store_actor *actor,
                          struct store_sketch_guard *guard, struct err *err) WARN_UNUSED;

/* Makes sketch_id what history entry history_id recorded (use_before: the state before that
 * change, i.e. an undo of it; else the state after it). A deleted sketch comes back with
 * its id. ERR_INVALID when the entry is not this sketch's or that state is none. */
int store_sketch_restore(struct store *st, const char *scenario_id, int64_t sketch_id,
                         int64_t history_id, bool use_before, const struct store_actor *actor,
                         struct err *err) WARN_UNUSED;

/* Reads, on a plain connection (the writer after a change) or a snapshot's. */

/* One sketch: ERR_NOT_FOUND when the scenario has none of that id. */
int store_sketch_info_get(struct store *st, const char *scenario_id, int64_t sketch_id,
                          struct store_sketch_info *out, struct err *err) WARN_UNUSED;

/* The scenario's sketches by id: every one when all, else the visible ones and those of
 * participant own_id (0: none). */
int store_sketch_infos_list(struct store *st, const char *scenario_id, bool all, int64_t own_id,
                            struct store_sketch_info **out, size_t *n, struct err *err) WARN_UNUSED;

struct store_history_entry {
    int64_t id, sketch_id, version, participant_id;
    char *action, *at, *actor, *actor_group; /* actor, actor_group may be NULL */
    bool has_before, has_after;
    struct store_sketch_info before, after; /* valid when has_* */
};

#define STORE_HISTORY_MAX_PAGE 500

/* History entries of a scenario with id > after_id, oldest first, at most limit
 * (1..STORE_HISTORY_MAX_PAGE); sketch_id 0: every sketch's. */
int store_sketch_history_list(struct store *st, const char *scenario_id, int64_t after_id,
                              int64_t sketch_id, size_t limit, struct store_history_entry **out,
                              size_t *n, struct err *err) WARN_UNUSED;
void store_history_entries_free(struct store_history_entry *list, size_t n);

/* Participation sessions: a scenario opened to participants for a while, by a join code. */

struct store_session {
    int64_t id;
    char *scenario_id, *code, *mode;                     /* mode "live" or "moderated" */
    char *groups;                                        /* JSON array text, as given at creation */
    char *created_at, *created_by, *ends_at, *closed_at; /* closed_at NULL while not closed */
    bool is_open;                                        /* not closed and not ended */
    int64_t n_participants;
};

void store_session_clear(struct store_session *s);
void store_sessions_free(struct store_session *list, size_t n); /* NULL is fine */

/* Stores a new session; ERR_INVALID "code taken" when code is in use (the caller draws
 * another), ERR_NOT_FOUND for an unknown scenario. */
int store_session_create(struct store *st, const struct store_session *s, int64_t *id,
                         struct err *err) WARN_UNUSED;

/* Closes session id of scenario_id now (a closed one stays as it was). ERR_NOT_FOUND. */
int store_session_close(struct store *st, const char *scenario_id, int64_t id,
                        struct err *err) WARN_UNUSED;

/* One session by id (scenario_id NULL: any scenario's) or by code (case as stored);
 * ERR_NOT_FOUND. */
int store_session_get(struct store *st, const char *scenario_id, int64_t id,
                      struct store_session *out, struct err *err) WARN_UNUSED;
int store_session_by_code(struct store *st, const char *code, struct store_session *out,
                          struct err *err) WARN_UNUSED;

/* The sessions of scenario_id (NULL: all), newest first. */
int store_sessions_list(struct store *st, const char *scenario_id, struct store_session **out,
                        size_t *n, struct err *err) WARN_UNUSED;

struct store_participant {
    int64_t id;
    char *name, *group_id; /* may be NULL */
    struct store_session session;
};

void store_participant_clear(struct store_participant *p);

/* Stores a participant of session_id whose credential's SHA-256 is sha256_hex. */
int store_participant_add(struct store *st, int64_t session_id, const char *sha256_hex,
                          const char *name, const char *group_id, int64_t *id,
                          struct err *err) WARN_UNUSED;

/* The participant holding the credential whose SHA-256 is sha256_hex, with their session;
 * ERR_NOT_FOUND when none. */
int store_participant_lookup(struct store *st, const char *sha256_hex,
                             struct store_participant *out, struct err *err) WARN_UNUSED;

#endif
