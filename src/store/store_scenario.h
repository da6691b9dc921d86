/* store_scenario.h - workshop scenarios, their sketches and facilitator tokens in the
 * SpatiaLite database. Owns the SQL of tables cityatlas_scenarios and cityatlas_tokens and
 * of the per-scenario sketch layers; callers never see SQL or sqlite3 types.
 *
 * A scenario is a JSON document (checked by src/scenario/scenario_doc.h before it reaches
 * the store; the store only checks that it is an object with this id and a title) plus a
 * sketch layer: a real layer of the registry, id "scenario-<id>-sketches", theme
 * "scenarios", fields sketch_id (INTEGER, equal to the feature's fid), kind, note,
 * group_name, created_at and updated_at (TEXT, ISO 8601 UTC). Every sketch edit changes
 * that layer's rows in place and gives it a new version (store_sketch_layer.c), so the
 * registry generation, the R*Tree, the count, the extent and every cache keyed by version
 * stay right, and readers (WAL snapshots) see the layer before the edit's commit or after
 * it, never half of it. A scenario's document write, and a layer that cannot be edited in
 * place, write the layer whole as a new version (sketches are few: at most
 * STORE_SCENARIO_MAX_SKETCHES).
 *
 * Transactions: each write below is one transaction, rolled back on any error (nothing
 * changes). When the caller already holds one (store_import_begin), the write joins it and
 * the caller commits or rolls back: that is how a scenarios file is imported all or nothing.
 * Every scenario or sketch write moves the registry generation (struct
 * store_catalog.generation), so response caches and ETags move. Token writes do not: no
 * response depends on them.
 *
 * Databases made before scenarios existed keep working: readers take a missing table for
 * an empty list (or an unknown token); the first write creates the tables.
 *
 * Threads: as store.h and store_read.h (one connection or snapshot per thread at a time). */
#ifndef CITYATLAS_STORE_STORE_SCENARIO_H
#define CITYATLAS_STORE_STORE_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "store/store.h"
#include "store/store_read.h"

/* Caps, enforced by the store as a last line (the parsers in src/scenario report them
 * first with the offending path). */
/* A scenario id is a slug of at most 45 bytes, so that its sketch layer's id
 * ("scenario-" + id + "-sketches") is a layer slug of at most 63 (parse.h). */
#define STORE_SCENARIO_ID_MAX 45                /* slug [a-z0-9-] */
#define STORE_SCENARIO_DOC_MAX 262144           /* bytes of the document's JSON text */
#define STORE_SCENARIO_MAX_SKETCHES 2000        /* per scenario */
#define STORE_SKETCH_NOTE_MAX 2000              /* characters (UTF-8 code points) */
#define STORE_SKETCH_GROUP_MAX 100              /* characters */
#define STORE_SKETCH_KIND_MAX 48                /* bytes: a kind id is a slug */
#define STORE_SKETCH_WKB_MAX (5000 * 16 + 4096) /* 5000 vertices of 2D WKB plus headers */
#define STORE_TOKEN_NAME_MAX 100                /* bytes of UTF-8 */

/* The sketch layer's id for a scenario: "scenario-<id>-sketches". Writes it into out
 * (cap >= STORE_SCENARIO_ID_MAX + 20 is always enough). */
void store_scenario_layer_id(const char *scenario_id, char *out, size_t cap);

/* Reading scenarios, on a snapshot (store_read.h) */

struct store_scenario {
    char *id;
    char *doc;             /* the document's JSON text, as stored */
    char *created_at;      /* ISO 8601 UTC */
    char *updated_at;      /* ISO 8601 UTC: the document's or a sketch's last change */
    char *sketch_layer_id; /* "scenario-<id>-sketches" */
    int64_t n_sketches;    /* features of the sketch layer in this snapshot */
};

/* Every scenario of the snapshot, ordered by id (none for a database made before
 * scenarios). Free with store_scenarios_free. ERR_DB when the database fails. */
int store_scenarios_list(struct store_read *rd, struct store_scenario **out, size_t *n,
                         struct err *err) WARN_UNUSED;
void store_scenarios_free(struct store_scenario *list, size_t n); /* NULL is fine */

/* One scenario by id into *out (fields owned: store_scenario_clear). ERR_NOT_FOUND when
 * there is none. */
int store_scenario_get(struct store_read *rd, const char *id, struct store_scenario *out,
                       struct err *err) WARN_UNUSED;
void store_scenario_clear(struct store_scenario *s);

/* The same reads on a plain connection (the CLI, tests): the database as it is now. */
int store_scenarios_list_db(struct store *st, struct store_scenario **out, size_t *n,
                            struct err *err) WARN_UNUSED;

/* Writing scenarios, on a store opened STORE_READ_WRITE */

/* Sets *exists when a scenario with this id is stored. */
int store_scenario_exists(struct store *st, const char *id, bool *exists,
                          struct err *err) WARN_UNUSED;

/* Creates or replaces scenario id with doc_json (a JSON object whose "id" is id and whose
 * "title" has "th" and "en" strings: ERR_INVALID otherwise; ERR_TOO_LARGE over
 * STORE_SCENARIO_DOC_MAX). On create the empty sketch layer is made; on replace the
 * sketches stay (with their ids) and the layer is written again with the new title.
 * must_create: ERR_INVALID "already exists" when the id is taken (callers wanting 409 ask
 * store_scenario_exists first). *created (may be NULL) tells which happened. ERR_INVALID
 * also when the sketch layer id is taken by a layer imported from a file. */
int store_scenario_put(struct store *st, const char *id, const char *doc_json, bool must_create,
                       bool *created, struct err *err) WARN_UNUSED;

/* Deletes the document and its sketch layer. ERR_NOT_FOUND when there is no such
 * scenario. */
int store_scenario_delete(struct store *st, const char *id, struct err *err) WARN_UNUSED;

/* Sketches */

struct store_sketch {
    const char *kind;         /* a kind id of the scenario (the caller checks it is one) */
    const char *note;         /* NULL or up to STORE_SKETCH_NOTE_MAX characters */
    const char *group_name;   /* NULL or up to STORE_SKETCH_GROUP_MAX characters */
    const unsigned char *wkb; /* 2D ISO WKB in EPSG:4326 lon/lat; borrowed for the call */
    size_t wkb_len;
};

/* Adds sketches s[n] (1..STORE_SCENARIO_MAX_SKETCHES) to scenario_id, all or none. Each gets
 * a new sketch id, never reused in this scenario even after a delete; new_ids (may be NULL)
 * receives them in order. The geometry must be valid (store_geometry_check), else
 * ERR_INVALID "sketch <i>: ..."; ERR_NOT_FOUND for an unknown scenario; ERR_TOO_LARGE when
 * the scenario would hold more than STORE_SCENARIO_MAX_SKETCHES. */
int store_sketches_add(struct store *st, const char *scenario_id, const struct store_sketch *s,
                       size_t n, int64_t *new_ids, struct err *err) WARN_UNUSED;

/* Replaces sketch sketch_id's geometry, kind, note and group (a move or an edit); its id
 * and created_at stay, updated_at is now. ERR_NOT_FOUND for an unknown scenario or sketch. */
int store_sketch_replace(struct store *st, const char *scenario_id, int64_t sketch_id,
                         const struct store_sketch *s, struct err *err) WARN_UNUSED;

/* Deletes one sketch. ERR_NOT_FOUND for an unknown scenario or sketch. */
int store_sketch_delete(struct store *st, const char *scenario_id, int64_t sketch_id,
                        struct err *err) WARN_UNUSED;

/* Geometry validity, as SpatiaLite (GEOS) sees it: ERR_INVALID with the reason (e.g.
 * "Self-intersection[100.51 13.75]") when the WKB does not parse or is not a valid
 * geometry. Any open connection will do; it writes nothing. */
int store_geometry_check(struct store *st, const unsigned char *wkb, size_t wkb_len,
                         struct err *err) WARN_UNUSED;

/* Checks a CQL2 filter against a layer's fields as the items query will (names, types,
 * operators) without running it: ERR_INVALID with the message the query would give. */
int store_layer_filter_check(const struct store_layer *layer, const struct cql2_node *filter,
                             struct err *err) WARN_UNUSED;

/* Facilitator tokens. Only a token's SHA-256 (lowercase hex, 64 characters) is stored;
 * src/scenario/token.h makes tokens and hashes them. */

/* Stores a token named name (1..STORE_TOKEN_NAME_MAX bytes of UTF-8, no control
 * characters) with this hash. ERR_INVALID when an active token has this name; a revoked
 * one of the same name is replaced. ERR_INVALID for a bad name or hash. */
int store_token_create(struct store *st, const char *name, const char *sha256_hex,
                       struct err *err) WARN_UNUSED;

/* Revokes the token named name (from now on it is refused with 403). ERR_NOT_FOUND when
 * there is no active token of that name. */
int store_token_revoke(struct store *st, const char *name, struct err *err) WARN_UNUSED;

enum store_token_status {
    STORE_TOKEN_UNKNOWN, /* no token has this hash: 401 */
    STORE_TOKEN_ACTIVE,  /* 2xx */
    STORE_TOKEN_REVOKED, /* 403 */
};

struct store_token_state {
    enum store_token_status status;
    char name[STORE_TOKEN_NAME_MAX + 1]; /* "" when unknown */
    bool is_admin; /* no scenarios named at creation: every scenario, and creating them */
};

/* A facilitator token's scenarios (issue 12): store_token_create then this, in one
 * transaction the caller may hold. ERR_NOT_FOUND naming a scenario that does not exist. */
int store_token_set_scenarios(struct store *st, const char *name, const char *const *scenario_ids,
                              size_t n, struct err *err) WARN_UNUSED;

/* Sets *covers when the token named name may change scenario_id: an admin token, or a
 * facilitator token naming it. */
int store_token_covers(struct store *st, const char *name, const char *scenario_id, bool *covers,
                       struct err *err) WARN_UNUSED;

/* Looks up the token whose SHA-256 is sha256_hex (a malformed hash is simply unknown).
 * On a plain connection or on a snapshot. */
int store_token_lookup(struct store *st, const char *sha256_hex, struct store_token_state *out,
                       struct err *err) WARN_UNUSED;
int store_read_token_lookup(struct store_read *rd, const char *sha256_hex,
                            struct store_token_state *out, struct err *err) WARN_UNUSED;

struct store_token_info {
    char *name;
    char *created_at; /* ISO 8601 UTC */
    char *revoked_at; /* ISO 8601 UTC, or NULL while active */
    char **scenarios; /* a facilitator token's scenario ids; none: an admin token */
    size_t n_scenarios;
};

/* Every token ordered by name (never the hashes). Free with store_token_infos_free. */
int store_tokens_list(struct store *st, struct store_token_info **out, size_t *n,
                      struct err *err) WARN_UNUSED;
void store_token_infos_free(struct store_token_info *infos, size_t n); /* NULL is fine */

#endif
