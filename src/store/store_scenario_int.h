/* store_scenario_int.h - what store_scenarios.c, store_sketches.c and store_tokens.c share
 * (most of it defined in store_scenario_write.c);
 * nothing outside store/ includes it. */
#ifndef CITYATLAS_STORE_STORE_SCENARIO_INT_H
#define CITYATLAS_STORE_STORE_SCENARIO_INT_H

#include <stdbool.h>

#include "store/store_int.h"
#include "store/store_scenario.h"

/* The workshop tables, created with the scenario tables by store_scenario_tx_begin.
 * cityatlas_sketches holds every sketch of every scenario with its status; the sketch layer
 * (what the public reads) is written from its visible rows. cityatlas_sketch_history is
 * append-only: one row per change holding the sketch's state after it (is_deleted for a
 * delete, whose state columns keep the last state). Sessions and participants: issue 12. */
#define STORE_WORKSHOP_DDL                                                                         \
    "CREATE TABLE IF NOT EXISTS cityatlas_sketches ("                                              \
    "  scenario_id TEXT NOT NULL, sketch_id INTEGER NOT NULL,"                                     \
    "  kind TEXT NOT NULL, note TEXT, group_name TEXT, wkb BLOB NOT NULL,"                         \
    "  created_at TEXT NOT NULL, updated_at TEXT NOT NULL, created_by TEXT, updated_by TEXT,"      \
    "  participant_id INTEGER, status TEXT NOT NULL, version INTEGER NOT NULL,"                    \
    "  PRIMARY KEY (scenario_id, sketch_id));"                                                     \
    "CREATE TABLE IF NOT EXISTS cityatlas_sketch_history ("                                        \
    "  id INTEGER PRIMARY KEY AUTOINCREMENT, scenario_id TEXT NOT NULL,"                           \
    "  sketch_id INTEGER NOT NULL, version INTEGER NOT NULL, action TEXT NOT NULL,"                \
    "  at TEXT NOT NULL, actor TEXT, actor_group TEXT, participant_id INTEGER,"                    \
    "  is_deleted INTEGER NOT NULL, kind TEXT, note TEXT, group_name TEXT, wkb BLOB,"              \
    "  status TEXT, created_at TEXT, created_by TEXT, updated_at TEXT);"                           \
    "CREATE INDEX IF NOT EXISTS cityatlas_sketch_history_scenario"                                 \
    "  ON cityatlas_sketch_history (scenario_id, id);"                                             \
    "CREATE TABLE IF NOT EXISTS cityatlas_sessions ("                                              \
    "  id INTEGER PRIMARY KEY AUTOINCREMENT, scenario_id TEXT NOT NULL,"                           \
    "  code TEXT NOT NULL UNIQUE, mode TEXT NOT NULL, groups TEXT NOT NULL,"                       \
    "  created_at TEXT NOT NULL, created_by TEXT, ends_at TEXT NOT NULL, closed_at TEXT);"         \
    "CREATE TABLE IF NOT EXISTS cityatlas_participants ("                                          \
    "  id INTEGER PRIMARY KEY AUTOINCREMENT, session_id INTEGER NOT NULL,"                         \
    "  sha256 TEXT NOT NULL UNIQUE, name TEXT, group_id TEXT, created_at TEXT NOT NULL);"

/* A write's transaction: its own when the caller holds none (*is_owned set), else the
 * caller's. store_scenario_tx_end commits an owned one on success and rolls it back on
 * failure, and returns rc (or the commit's error). A joined transaction is left to the
 * caller, who rolls it back when a write failed. Begin also creates the scenario and
 * token tables when missing, and an owned transaction runs with synchronous=FULL (a
 * committed hand-made write is on disk, not only in the OS cache). */
int store_scenario_tx_begin(struct store *st, bool *is_owned, struct err *err) WARN_UNUSED;
int store_scenario_tx_end(struct store *st, bool is_owned, int rc, struct err *err) WARN_UNUSED;

/* Sets *exists when table name exists (read side: a database made before scenarios). */
int store_scenario_table_exists(struct store *st, const char *name, bool *exists,
                                struct err *err) WARN_UNUSED;

/* The current UTC time as ISO 8601 with seconds ("2026-01-31T09:15:00Z"). */
void store_scenario_now(char out[32]);

/* Moves the registry generation (the version counter readers watch). */
int store_scenario_bump_generation(struct store *st, struct err *err) WARN_UNUSED;

/* A scenario row as the writers need it. */
struct store_scenario_row {
    char *doc;
    char *title_th, *title_en; /* from the document, for the sketch layer's title */
    int64_t next_sketch_id;
};

/* The document as the store needs it: an object whose id is id, with a Thai and English
 * title (the sketch layer's title); caller frees both. The full check is scenario_doc.c's,
 * before this. */
int store_scenario_doc_titles(const char *id, const char *doc, char **title_th, char **title_en,
                              struct err *err) WARN_UNUSED;

/* Reads scenario id: ERR_NOT_FOUND when missing. Clear with store_scenario_row_clear. */
int store_scenario_row_read(struct store *st, const char *id, struct store_scenario_row *out,
                            struct err *err) WARN_UNUSED;
void store_scenario_row_clear(struct store_scenario_row *row);

/* Writes the scenario's sketch layer again from what it holds now (none when it has no
 * layer yet), with the title of row; used when a document is created or replaced. */
int store_sketch_layer_refresh(struct store *st, const char *scenario_id,
                               const struct store_scenario_row *row, struct err *err) WARN_UNUSED;

/* A sketch as its scenario's sketch layer holds it (borrowed). */
struct store_sketch_layer_row {
    int64_t id;
    const char *kind, *note, *group_name, *created_at, *updated_at, *created_by, *updated_by;
    const unsigned char *wkb;
    size_t wkb_len;
};

/* Edits scenario_id's sketch layer in place (store_sketch_layer.c): puts row, the new
 * state of sketch id, in it, or, row NULL, takes sketch id out; the layer gets a new
 * version with its new count and extent. ERR_NOT_FOUND when the scenario has no sketch
 * layer yet: the caller writes it whole (store_sketch_layer_changed). */
int store_sketch_layer_edit(struct store *st, const char *scenario_id, int64_t id,
                            const struct store_sketch_layer_row *row, struct err *err) WARN_UNUSED;

/* After a write changed what the public sees of scenario_id's sketches: rewrites its
 * sketch layer now (store_sketch_layer_refresh), or, on the shared writer
 * (st->defers_sketch_layers), marks it stale for store_sketch_layers_flush. */
int store_sketch_layer_changed(struct store *st, const char *scenario_id,
                               const struct store_scenario_row *row, struct err *err) WARN_UNUSED;

/* Rewrites every sketch layer marked stale, once each (a scenario deleted meanwhile is
 * skipped), and forgets the marks: the shared writer calls it before each commit. */
int store_sketch_layers_flush(struct store *st, struct err *err) WARN_UNUSED;

/* Forgets the marks (the transaction was rolled back). */
void store_sketch_layers_forget(struct store *st);

/* Checks one sketch before a write (store_sketch_check.c): kind, note and group lengths
 * and store_geometry_check. ERR_INVALID saying which. */
int store_sketch_check(struct store *st, const struct store_sketch *s, struct err *err) WARN_UNUSED;

#endif
