/* store_sketches.c - a scenario's sketches: the rows of cityatlas_sketches, edited in
 * place one sketch at a time with their history, and the scenario's sketch layer, which
 * the public reads as a layer of the registry. The layer follows the rows: an edit puts
 * the sketch's new state in it in place (store_sketch_layer.c); a document write, or a
 * layer that cannot be edited so (none yet, rows moved in from an old database), writes
 * it whole as a new version with the ordinary layer writer (store_layer_begin/add_fid/
 * finish), once per batch on the server's shared writer (store_writer.h). Every reader
 * (items, styles, statistics, caches keyed by version or generation) sees a plain layer
 * with no special case. */
#include "store/store_scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "store/store_scenario_int.h"
#include "store/store_workshop.h"

#define N_SKETCH_FIELDS 8

/* One sketch as stored: owned copies. */
struct sketch_row {
    int64_t id, version, participant_id;
    char *kind, *note, *group_name, *created_at, *updated_at, *created_by, *updated_by, *status;
    unsigned char *wkb;
    size_t wkb_len;
    bool is_changed; /* to write to cityatlas_sketches */
};

struct sketch_rows {
    struct sketch_row *rows;
    size_t n, cap;
};

static const struct store_field sketch_fields[N_SKETCH_FIELDS] = {
    {"sketch_id", STORE_INTEGER, "Integer64", NULL},
    {"kind", STORE_TEXT, "String", NULL},
    {"note", STORE_TEXT, "String", NULL},
    {"group_name", STORE_TEXT, "String", NULL},
    {"created_at", STORE_TEXT, "DateTime", NULL},
    {"updated_at", STORE_TEXT, "DateTime", NULL},
    {"created_by", STORE_TEXT, "String", NULL},
    {"updated_by", STORE_TEXT, "String", NULL},
};

static char *dup_or_null(const char *s)
{
    return s != NULL ? xstrdup(s) : NULL;
}

static void replace_text(char **field, const char *value)
{
    free(*field);
    *field = dup_or_null(value);
}

static void row_clear(struct sketch_row *r)
{
    free(r->kind);
    free(r->note);
    free(r->group_name);
    free(r->created_at);
    free(r->updated_at);
    free(r->created_by);
    free(r->updated_by);
    free(r->status);
    free(r->wkb);
    memset(r, 0, sizeof(*r));
}

static void rows_clear(struct sketch_rows *rs)
{
    for (size_t i = 0; i < rs->n; i++) {
        row_clear(&rs->rows[i]);
    }
    free(rs->rows);
    memset(rs, 0, sizeof(*rs));
}

static struct sketch_row *rows_push(struct sketch_rows *rs)
{
    if (rs->n == rs->cap) {
        rs->cap = rs->cap * 2 + 16;
        rs->rows = xreallocarray(rs->rows, rs->cap, sizeof(*rs->rows));
    }
    struct sketch_row *r = &rs->rows[rs->n++];
    memset(r, 0, sizeof(*r));
    return r;
}

static void set_wkb(struct sketch_row *r, const unsigned char *wkb, size_t len)
{
    free(r->wkb);
    r->wkb = xmalloc(len > 0 ? len : 1);
    memcpy(r->wkb, wkb, len);
    r->wkb_len = len;
}

/* Sets the row's editable parts from s (a copy). */
static void row_set(struct sketch_row *r, const struct store_sketch *s)
{
    replace_text(&r->kind, s->kind);
    replace_text(&r->note, s->note);
    replace_text(&r->group_name, s->group_name);
    set_wkb(r, s->wkb, s->wkb_len);
}

/* The columns of a row, in the order of SKETCH_COLUMNS. */
#define SKETCH_COLUMNS                                                                             \
    "sketch_id, wkb, kind, note, group_name, created_at, updated_at, created_by, updated_by,"      \
    " participant_id, status, version"

static void read_row(sqlite3_stmt *stmt, struct sketch_row *r)
{
    r->id = sqlite3_column_int64(stmt, 0);
    set_wkb(r, sqlite3_column_blob(stmt, 1), (size_t)sqlite3_column_bytes(stmt, 1));
    r->kind = store_column_dup(stmt, 2);
    r->note = store_column_dup(stmt, 3);
    r->group_name = store_column_dup(stmt, 4);
    r->created_at = store_column_dup(stmt, 5);
    r->updated_at = store_column_dup(stmt, 6);
    r->created_by = store_column_dup(stmt, 7);
    r->updated_by = store_column_dup(stmt, 8);
    r->participant_id = sqlite3_column_int64(stmt, 9);
    r->status = store_column_dup(stmt, 10);
    r->version = sqlite3_column_int64(stmt, 11);
    if (r->status == NULL) {
        r->status = xstrdup(STORE_SKETCH_VISIBLE);
    }
}

/* Rows of a prepared statement into rs. */
static int rows_collect(struct store *st, sqlite3_stmt *stmt, struct sketch_rows *rs,
                        struct err *err)
{
    int step;
    while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
        read_row(stmt, rows_push(rs));
    }
    return step == SQLITE_DONE ? ERR_OK : store_db_error(st, "reading sketches", err);
}

/* The sketches of the sketch layer as a database made before cityatlas_sketches has them:
 * visible, version 1, by nobody known; none when the layer does not exist. */
static int rows_read_legacy(struct store *st, const char *scenario_id, struct sketch_rows *rs,
                            struct err *err)
{
    char layer_id[STORE_SCENARIO_ID_MAX + 32];
    store_scenario_layer_id(scenario_id, layer_id, sizeof(layer_id));
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(st->db, "SELECT table_name FROM cityatlas_layers WHERE id = ?", -1,
                           &stmt, NULL) != SQLITE_OK) {
        return store_db_error(st, "reading the layer registry", err);
    }
    sqlite3_bind_text(stmt, 1, layer_id, -1, SQLITE_STATIC);
    char *table = sqlite3_step(stmt) == SQLITE_ROW ? store_column_dup(stmt, 0) : NULL;
    sqlite3_finalize(stmt);
    if (table == NULL) {
        return ERR_OK;
    }
    char *sql = sqlite3_mprintf("SELECT fid, AsBinary(geom), kind, note, group_name, created_at,"
                                " updated_at, NULL, NULL, 0, 'visible', 1 FROM \"%w\" ORDER BY fid",
                                table);
    free(table);
    int rc = sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL) == SQLITE_OK
                 ? ERR_OK
                 : store_db_error(st, "reading sketches", err);
    sqlite3_free(sql);
    size_t first = rs->n;
    if (rc == ERR_OK) {
        rc = rows_collect(st, stmt, rs, err);
    }
    sqlite3_finalize(stmt);
    for (size_t i = first; i < rs->n; i++) {
        rs->rows[i].is_changed = true; /* moved into cityatlas_sketches by this write */
    }
    return rc;
}

/* Sets *count to the result of sql with the scenario id bound. */
static int count_of(struct store *st, const char *sql, const char *scenario_id, int64_t *count,
                    struct err *err)
{
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL) != SQLITE_OK) {
        return store_db_error(st, "reading sketches", err);
    }
    sqlite3_bind_text(stmt, 1, scenario_id, -1, SQLITE_STATIC);
    int step = sqlite3_step(stmt);
    *count = step == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
    sqlite3_finalize(stmt);
    return step == SQLITE_ROW ? ERR_OK : store_db_error(st, "reading sketches", err);
}

/* Every sketch of the scenario (inside a write transaction: the tables exist). A scenario
 * with no rows and no history yet is one from before cityatlas_sketches: its layer's. */
static int rows_read(struct store *st, const char *scenario_id, struct sketch_rows *rs,
                     struct err *err)
{
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT " SKETCH_COLUMNS " FROM cityatlas_sketches"
                           " WHERE scenario_id = ? ORDER BY sketch_id",
                           -1, &stmt, NULL) != SQLITE_OK) {
        return store_db_error(st, "reading sketches", err);
    }
    sqlite3_bind_text(stmt, 1, scenario_id, -1, SQLITE_STATIC);
    int rc = rows_collect(st, stmt, rs, err);
    sqlite3_finalize(stmt);
    int64_t n_history = 0;
    if (rc == ERR_OK && rs->n == 0) {
        rc = count_of(st, "SELECT count(*) FROM cityatlas_sketch_history WHERE scenario_id = ?",
                      scenario_id, &n_history, err);
        if (rc == ERR_OK && n_history == 0) {
            rc = rows_read_legacy(st, scenario_id, rs, err);
        }
    }
    return rc;
}

static bool is_visible(const struct sketch_row *r)
{
    return strcmp(r->status, STORE_SKETCH_VISIBLE) == 0;
}

/* Widens b (min_lon, min_lat, max_lon, max_lat) by the envelope of each visible row's
 * geometry; *has_any tells whether there was one. */
static int rows_extent(struct store *st, const struct sketch_rows *rs, double b[4], bool *has_any,
                       struct err *err)
{
    *has_any = false;
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT MbrMinX(g), MbrMinY(g), MbrMaxX(g), MbrMaxY(g)"
                           " FROM (SELECT GeomFromWKB(?, 4326) AS g)",
                           -1, &stmt, NULL) != SQLITE_OK) {
        return store_db_error(st, "measuring sketches", err);
    }
    int rc = ERR_OK;
    for (size_t i = 0; rc == ERR_OK && i < rs->n; i++) {
        if (!is_visible(&rs->rows[i])) {
            continue;
        }
        sqlite3_bind_blob(stmt, 1, rs->rows[i].wkb, (int)rs->rows[i].wkb_len, SQLITE_STATIC);
        if (sqlite3_step(stmt) != SQLITE_ROW || sqlite3_column_type(stmt, 0) == SQLITE_NULL) {
            rc = err_set(err, ERR_DB, "sketch %lld has an unreadable geometry",
                         (long long)rs->rows[i].id);
        }
        for (int c = 0; rc == ERR_OK && c < 4; c++) {
            double v = sqlite3_column_double(stmt, c);
            bool is_min = c < 2;
            if (!*has_any || (is_min && v < b[c]) || (!is_min && v > b[c])) {
                b[c] = v;
            }
        }
        *has_any = *has_any || rc == ERR_OK;
        sqlite3_reset(stmt);
    }
    sqlite3_finalize(stmt);
    return rc;
}

static void bind_text(struct store_value *v, const char *s)
{
    v->is_null = s == NULL;
    v->ptr = s;
    v->len = s != NULL ? strlen(s) : 0;
}

/* The visible rows into the layer being written. */
static int rows_add_all(struct store_layer_writer *w, const struct sketch_rows *rs, struct err *err)
{
    int rc = ERR_OK;
    for (size_t i = 0; rc == ERR_OK && i < rs->n; i++) {
        const struct sketch_row *r = &rs->rows[i];
        if (!is_visible(r)) {
            continue;
        }
        struct store_value v[N_SKETCH_FIELDS];
        memset(v, 0, sizeof(v));
        v[0].i = r->id;
        bind_text(&v[1], r->kind);
        bind_text(&v[2], r->note);
        bind_text(&v[3], r->group_name);
        bind_text(&v[4], r->created_at);
        bind_text(&v[5], r->updated_at);
        bind_text(&v[6], r->created_by);
        bind_text(&v[7], r->updated_by);
        rc = store_layer_add_fid(w, r->id, v, r->wkb, r->wkb_len, err);
    }
    return rc;
}

/* Writes rs as the new version of the scenario's sketch layer. */
static int layer_write(struct store *st, const char *scenario_id,
                       const struct store_scenario_row *row, const struct sketch_rows *rs,
                       struct err *err)
{
    char layer_id[STORE_SCENARIO_ID_MAX + 32];
    store_scenario_layer_id(scenario_id, layer_id, sizeof(layer_id));
    char *source_path = xasprintf("scenario:%s", scenario_id);
    char *title_th = xasprintf("ภาพร่างของผู้เข้าร่วม: %s", row->title_th);
    char *title_en = xasprintf("Participants' sketches: %s", row->title_en);
    struct store_layer_meta meta = {
        .id = layer_id,
        .title_en = title_en,
        .title_th = title_th,
        .description_en = "Proposals, problems and assets that workshop participants drew on "
                          "the scenario's map, each with a note and the group that made it.",
        .description_th = "ข้อเสนอ ปัญหา และทุนของเมืองที่ผู้เข้าร่วมเวทีวาดลงบนแผนที่ของภาพอนาคตนี้ "
                          "พร้อมบันทึกและชื่อกลุ่มที่เสนอ",
        .theme = "scenarios",
        .source = "Workshop participants",
        .attribution = "Workshop participants (cityatlas scenario sketches)",
        .source_path = source_path,
        .source_format = "cityatlas scenario",
    };
    double b[4] = {0, 0, 0, 0};
    bool has_any = false;
    int rc = rows_extent(st, rs, b, &has_any, err);
    meta.has_extent = has_any;
    meta.min_lon = b[0];
    meta.min_lat = b[1];
    meta.max_lon = b[2];
    meta.max_lat = b[3];
    struct store_layer_writer *w = NULL;
    if (rc == ERR_OK) {
        rc = store_layer_begin(st, layer_id, source_path, NULL, false, sketch_fields,
                               N_SKETCH_FIELDS, true, &w, err);
    }
    if (rc == ERR_OK) {
        rc = rows_add_all(w, rs, err);
    }
    if (rc == ERR_OK) {
        rc = store_layer_finish(w, &meta, err);
    }
    store_layer_writer_free(w);
    free(source_path);
    free(title_th);
    free(title_en);
    return rc;
}

/* Stores the changed rows in cityatlas_sketches. */
static int rows_store(struct store *st, const char *scenario_id, const struct sketch_rows *rs,
                      struct err *err)
{
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(st->db,
                           "INSERT OR REPLACE INTO cityatlas_sketches (scenario_id, " SKETCH_COLUMNS
                           ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           -1, &stmt, NULL) != SQLITE_OK) {
        return store_db_error(st, "storing sketches", err);
    }
    int rc = ERR_OK;
    for (size_t i = 0; rc == ERR_OK && i < rs->n; i++) {
        const struct sketch_row *r = &rs->rows[i];
        if (!r->is_changed) {
            continue;
        }
        sqlite3_bind_text(stmt, 1, scenario_id, -1, SQLITE_STATIC);
        sqlite3_bind_int64(stmt, 2, r->id);
        sqlite3_bind_blob(stmt, 3, r->wkb, (int)r->wkb_len, SQLITE_STATIC);
        const char *texts[] = {r->kind,       r->note,       r->group_name, r->created_at,
                               r->updated_at, r->created_by, r->updated_by};
        for (int t = 0; t < 7; t++) {
            sqlite3_bind_text(stmt, 4 + t, texts[t], -1, SQLITE_STATIC);
        }
        if (r->participant_id > 0) {
            sqlite3_bind_int64(stmt, 11, r->participant_id);
        } else {
            sqlite3_bind_null(stmt, 11);
        }
        sqlite3_bind_text(stmt, 12, r->status, -1, SQLITE_STATIC);
        sqlite3_bind_int64(stmt, 13, r->version);
        if (sqlite3_step(stmt) != SQLITE_DONE) {
            rc = store_db_error(st, "storing sketches", err);
        }
        sqlite3_reset(stmt);
    }
    sqlite3_finalize(stmt);
    return rc;
}

/* Appends the history entry of a change to r (its state after it; for a delete, the last
 * state with is_deleted). */
static int history_append(struct store *st, const char *scenario_id, const struct sketch_row *r,
                          const char *action, bool is_deleted, const struct store_actor *actor,
                          const char *now, struct err *err)
{
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(st->db,
                           "INSERT INTO cityatlas_sketch_history (scenario_id, sketch_id, version,"
                           " action, at, actor, actor_group, participant_id, is_deleted, kind,"
                           " note, group_name, wkb, status, created_at, created_by, updated_at)"
                           " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           -1, &stmt, NULL) != SQLITE_OK) {
        return store_db_error(st, "storing the history", err);
    }
    sqlite3_bind_text(stmt, 1, scenario_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 2, r->id);
    sqlite3_bind_int64(stmt, 3, r->version);
    sqlite3_bind_text(stmt, 4, action, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 5, now, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 6, actor != NULL ? actor->name : NULL, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 7, actor != NULL ? actor->group : NULL, -1, SQLITE_STATIC);
    if (actor != NULL && actor->participant_id > 0) {
        sqlite3_bind_int64(stmt, 8, actor->participant_id);
    }
    sqlite3_bind_int(stmt, 9, is_deleted ? 1 : 0);
    sqlite3_bind_text(stmt, 10, r->kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 11, r->note, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 12, r->group_name, -1, SQLITE_STATIC);
    sqlite3_bind_blob(stmt, 13, r->wkb, (int)r->wkb_len, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 14, r->status, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 15, r->created_at, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 16, r->created_by, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 17, r->updated_at, -1, SQLITE_STATIC);
    int rc =
        sqlite3_step(stmt) == SQLITE_DONE ? ERR_OK : store_db_error(st, "storing the history", err);
    sqlite3_finalize(stmt);
    return rc;
}

int store_sketch_layer_refresh(struct store *st, const char *scenario_id,
                               const struct store_scenario_row *row, struct err *err)
{
    struct sketch_rows rs = {0};
    int rc = rows_read(st, scenario_id, &rs, err);
    if (rc == ERR_OK) {
        rc = rows_store(st, scenario_id, &rs, err);
    }
    if (rc == ERR_OK) {
        rc = layer_write(st, scenario_id, row, &rs, err);
    }
    rows_clear(&rs);
    return rc;
}

int store_sketch_layer_changed(struct store *st, const char *scenario_id,
                               const struct store_scenario_row *row, struct err *err)
{
    if (!st->defers_sketch_layers) {
        return store_sketch_layer_refresh(st, scenario_id, row, err);
    }
    for (size_t i = 0; i < st->n_stale_sketch_layers; i++) {
        if (strcmp(st->stale_sketch_layers[i], scenario_id) == 0) {
            return ERR_OK;
        }
    }
    st->stale_sketch_layers =
        xreallocarray(st->stale_sketch_layers, st->n_stale_sketch_layers + 1, sizeof(char *));
    st->stale_sketch_layers[st->n_stale_sketch_layers++] = xstrdup(scenario_id);
    return ERR_OK;
}

int store_sketch_layers_flush(struct store *st, struct err *err)
{
    int rc = ERR_OK;
    for (size_t i = 0; rc == ERR_OK && i < st->n_stale_sketch_layers; i++) {
        struct store_scenario_row row;
        memset(&row, 0, sizeof(row));
        rc = store_scenario_row_read(st, st->stale_sketch_layers[i], &row, err);
        if (rc == ERR_OK) {
            rc = store_sketch_layer_refresh(st, st->stale_sketch_layers[i], &row, err);
        } else if (rc == ERR_NOT_FOUND) {
            rc = ERR_OK; /* deleted later in the batch, with its layer */
        }
        store_scenario_row_clear(&row);
    }
    store_sketch_layers_forget(st);
    return rc;
}

void store_sketch_layers_forget(struct store *st)
{
    for (size_t i = 0; i < st->n_stale_sketch_layers; i++) {
        free(st->stale_sketch_layers[i]);
    }
    free(st->stale_sketch_layers);
    st->stale_sketch_layers = NULL;
    st->n_stale_sketch_layers = 0;
}

/* One edit: the scenario's row, how many sketches it holds, and the sketches the edit
 * reads or makes (not all of them), in the edit's transaction. */
struct sketch_edit {
    const char *scenario_id;
    const struct store_actor *actor;
    bool is_owned;
    bool is_layer_changed; /* a visible sketch came, changed or went */
    struct store_scenario_row row;
    int64_t n_stored;   /* sketches of the scenario before the edit */
    bool is_legacy;     /* rs holds every sketch, moved in from the layer of an old database */
    int64_t removed_id; /* a sketch the edit deleted, or 0 */
    struct sketch_rows rs;
    char now[32];
};

static int edit_begin(struct store *st, const char *scenario_id, const struct store_actor *actor,
                      struct sketch_edit *e, struct err *err)
{
    memset(e, 0, sizeof(*e));
    e->scenario_id = scenario_id;
    e->actor = actor;
    store_scenario_now(e->now);
    int rc = store_scenario_tx_begin(st, &e->is_owned, err);
    if (rc != ERR_OK) {
        return rc;
    }
    rc = store_scenario_row_read(st, scenario_id, &e->row, err);
    if (rc == ERR_OK) {
        rc = count_of(st, "SELECT count(*) FROM cityatlas_sketches WHERE scenario_id = ?",
                      scenario_id, &e->n_stored, err);
    }
    int64_t n_history = 0;
    if (rc == ERR_OK && e->n_stored == 0) {
        rc = count_of(st, "SELECT count(*) FROM cityatlas_sketch_history WHERE scenario_id = ?",
                      scenario_id, &n_history, err);
    }
    if (rc == ERR_OK && e->n_stored == 0 && n_history == 0) {
        /* A scenario from before cityatlas_sketches: this edit moves its layer's rows in. */
        rc = rows_read_legacy(st, scenario_id, &e->rs, err);
        e->n_stored = (int64_t)e->rs.n;
        e->is_legacy = e->rs.n > 0;
    }
    return rc;
}

/* Brings the sketch layer in step with the edit: its changed sketches put in place (or
 * taken out when no longer visible), or the whole layer written when it cannot be edited
 * (none yet, or rows moved in from an old database). */
static int layer_update(struct store *st, struct sketch_edit *e, struct err *err)
{
    int rc = e->is_legacy ? ERR_NOT_FOUND : ERR_OK;
    if (rc == ERR_OK && e->removed_id > 0) {
        rc = store_sketch_layer_edit(st, e->scenario_id, e->removed_id, NULL, err);
    }
    for (size_t i = 0; rc == ERR_OK && i < e->rs.n; i++) {
        const struct sketch_row *r = &e->rs.rows[i];
        if (!r->is_changed) {
            continue;
        }
        struct store_sketch_layer_row lr = {
            .id = r->id,
            .kind = r->kind,
            .note = r->note,
            .group_name = r->group_name,
            .created_at = r->created_at,
            .updated_at = r->updated_at,
            .created_by = r->created_by,
            .updated_by = r->updated_by,
            .wkb = r->wkb,
            .wkb_len = r->wkb_len,
        };
        rc = store_sketch_layer_edit(st, e->scenario_id, r->id, is_visible(r) ? &lr : NULL, err);
    }
    if (rc == ERR_NOT_FOUND) {
        rc = store_sketch_layer_changed(st, e->scenario_id, &e->row, err);
    }
    return rc;
}

/* Writes the edited sketches (when rc is ERR_OK) and ends the transaction. The layer is
 * written again only when what the public sees changed: a pending sketch's edits cost no
 * new layer version (the generation moves, for the workshop views' ETags). */
static int edit_end(struct store *st, struct sketch_edit *e, int rc, struct err *err)
{
    if (rc == ERR_OK) {
        rc = rows_store(st, e->scenario_id, &e->rs, err);
    }
    if (rc == ERR_OK && e->is_layer_changed) {
        rc = layer_update(st, e, err);
    }
    sqlite3_stmt *stmt = NULL;
    if (rc == ERR_OK &&
        sqlite3_prepare_v2(st->db,
                           "UPDATE cityatlas_scenarios SET updated_at = ?, next_sketch_id = ?"
                           " WHERE id = ?",
                           -1, &stmt, NULL) != SQLITE_OK) {
        rc = store_db_error(st, "storing a scenario", err);
    }
    if (rc == ERR_OK) {
        sqlite3_bind_text(stmt, 1, e->now, -1, SQLITE_STATIC);
        sqlite3_bind_int64(stmt, 2, e->row.next_sketch_id);
        sqlite3_bind_text(stmt, 3, e->scenario_id, -1, SQLITE_STATIC);
        if (sqlite3_step(stmt) != SQLITE_DONE) {
            rc = store_db_error(st, "storing a scenario", err);
        }
    }
    sqlite3_finalize(stmt);
    /* The generation moves with every change, seen or not, so that the workshop views'
     * ETags and the live stream move too. */
    if (rc == ERR_OK && !e->is_layer_changed) {
        rc = store_scenario_bump_generation(st, err);
    }
    store_scenario_row_clear(&e->row);
    rows_clear(&e->rs);
    return store_scenario_tx_end(st, e->is_owned, rc, err);
}

/* The edit's row of sketch_id, read in when the edit has not yet (*r NULL when the
 * scenario has no such sketch). */
static int row_lookup(struct store *st, struct sketch_edit *e, int64_t sketch_id,
                      struct sketch_row **r, struct err *err)
{
    *r = NULL;
    for (size_t i = 0; i < e->rs.n; i++) {
        if (e->rs.rows[i].id == sketch_id) {
            *r = &e->rs.rows[i];
            return ERR_OK;
        }
    }
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT " SKETCH_COLUMNS " FROM cityatlas_sketches"
                           " WHERE scenario_id = ? AND sketch_id = ?",
                           -1, &stmt, NULL) != SQLITE_OK) {
        return store_db_error(st, "reading sketches", err);
    }
    sqlite3_bind_text(stmt, 1, e->scenario_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 2, sketch_id);
    size_t before = e->rs.n;
    int rc = rows_collect(st, stmt, &e->rs, err);
    sqlite3_finalize(stmt);
    if (rc == ERR_OK && e->rs.n > before) {
        *r = &e->rs.rows[before];
    }
    return rc;
}

static struct sketch_row *find_row(struct store *st, struct sketch_edit *e, int64_t sketch_id,
                                   int *rc, struct err *err)
{
    struct sketch_row *r = NULL;
    *rc = row_lookup(st, e, sketch_id, &r, err);
    if (*rc == ERR_OK && r == NULL) {
        *rc = err_set(err, ERR_NOT_FOUND, "scenario '%s' has no sketch %lld", e->scenario_id,
                      (long long)sketch_id);
    }
    return r;
}

/* The sketch an edit changes, once it passed the guard: NULL with *rc set otherwise. */
static struct sketch_row *guarded_row(struct store *st, struct sketch_edit *e, int64_t sketch_id,
                                      struct store_sketch_guard *guard, int *rc, struct err *err)
{
    if (*rc != ERR_OK) {
        return NULL;
    }
    struct sketch_row *r = find_row(st, e, sketch_id, rc, err);
    if (r == NULL) {
        return NULL;
    }
    if (guard == NULL) {
        return r;
    }
    guard->outcome = STORE_SKETCH_DONE;
    if (guard->owner_id > 0 && r->participant_id != guard->owner_id) {
        guard->outcome = STORE_SKETCH_NOT_YOURS;
        *rc =
            err_set(err, ERR_INVALID, "sketch %lld was made by someone else", (long long)sketch_id);
        return NULL;
    }
    if (guard->if_version > 0 && r->version != guard->if_version) {
        guard->outcome = STORE_SKETCH_STALE;
        *rc = err_set(err, ERR_INVALID,
                      "sketch %lld changed since you read it: it is at version %lld, not %lld",
                      (long long)sketch_id, (long long)r->version, (long long)guard->if_version);
        return NULL;
    }
    return r;
}

static const char *actor_name(const struct store_actor *actor)
{
    return actor != NULL && actor->name != NULL ? actor->name : "cityatlas";
}

/* Marks r changed by the edit's actor now, at its next version, and records it. */
static int row_touch(struct store *st, struct sketch_edit *e, struct sketch_row *r,
                     const char *action, bool was_visible, struct err *err)
{
    r->version++;
    r->is_changed = true;
    replace_text(&r->updated_at, e->now);
    replace_text(&r->updated_by, actor_name(e->actor));
    e->is_layer_changed = e->is_layer_changed || was_visible || is_visible(r);
    return history_append(st, e->scenario_id, r, action, false, e->actor, e->now, err);
}

int store_sketches_add_as(struct store *st, const char *scenario_id, const struct store_sketch *s,
                          size_t n, const struct store_actor *actor, int64_t *new_ids,
                          struct err *err)
{
    if (n == 0 || n > STORE_SCENARIO_MAX_SKETCHES) {
        return err_set(err, ERR_INVALID, "add 1 to %d sketches at a time",
                       STORE_SCENARIO_MAX_SKETCHES);
    }
    for (size_t i = 0; i < n; i++) {
        int rc = store_sketch_check(st, &s[i], err);
        if (rc != ERR_OK) {
            return err_prefix(err, "sketch %zu", i);
        }
    }
    struct sketch_edit e;
    int rc = edit_begin(st, scenario_id, actor, &e, err);
    if (rc == ERR_OK && (size_t)e.n_stored + n > STORE_SCENARIO_MAX_SKETCHES) {
        rc = err_set(err, ERR_TOO_LARGE, "scenario '%s' would hold more than %d sketches",
                     scenario_id, STORE_SCENARIO_MAX_SKETCHES);
    }
    bool is_pending = actor != NULL && actor->is_moderated;
    for (size_t i = 0; rc == ERR_OK && i < n; i++) {
        struct sketch_row *r = rows_push(&e.rs);
        r->id = e.row.next_sketch_id++;
        row_set(r, &s[i]);
        r->created_at = xstrdup(e.now);
        r->created_by = xstrdup(actor_name(actor));
        r->participant_id = actor != NULL ? actor->participant_id : 0;
        r->status = xstrdup(is_pending ? STORE_SKETCH_PENDING : STORE_SKETCH_VISIBLE);
        rc = row_touch(st, &e, r, "create", false, err);
        if (new_ids != NULL) {
            new_ids[i] = r->id;
        }
    }
    return edit_end(st, &e, rc, err);
}

int store_sketches_add(struct store *st, const char *scenario_id, const struct store_sketch *s,
                       size_t n, int64_t *new_ids, struct err *err)
{
    return store_sketches_add_as(st, scenario_id, s, n, NULL, new_ids, err);
}

int store_sketch_replace_as(struct store *st, const char *scenario_id, int64_t sketch_id,
                            const struct store_sketch *s, const struct store_actor *actor,
                            struct store_sketch_guard *guard, struct err *err)
{
    int rc = store_sketch_check(st, s, err);
    if (rc != ERR_OK) {
        return rc;
    }
    struct sketch_edit e;
    rc = edit_begin(st, scenario_id, actor, &e, err);
    struct sketch_row *r = guarded_row(st, &e, sketch_id, guard, &rc, err);
    if (r != NULL) {
        bool was_visible = is_visible(r);
        row_set(r, s);
        /* A moderated participant's edit of an approved sketch is looked at again. */
        if (actor != NULL && actor->is_moderated && !strcmp(r->status, STORE_SKETCH_VISIBLE)) {
            replace_text(&r->status, STORE_SKETCH_PENDING);
        }
        rc = row_touch(st, &e, r, "edit", was_visible, err);
    }
    return edit_end(st, &e, rc, err);
}

int store_sketch_replace(struct store *st, const char *scenario_id, int64_t sketch_id,
                         const struct store_sketch *s, struct err *err)
{
    return store_sketch_replace_as(st, scenario_id, sketch_id, s, NULL, NULL, err);
}

int store_sketch_delete_as(struct store *st, const char *scenario_id, int64_t sketch_id,
                           const struct store_actor *actor, struct store_sketch_guard *guard,
                           struct err *err)
{
    struct sketch_edit e;
    int rc = edit_begin(st, scenario_id, actor, &e, err);
    struct sketch_row *r = guarded_row(st, &e, sketch_id, guard, &rc, err);
    if (r != NULL) {
        e.is_layer_changed = is_visible(r);
        r->version++;
        replace_text(&r->updated_at, e.now);
        replace_text(&r->updated_by, actor_name(actor));
        rc = history_append(st, scenario_id, r, "delete", true, actor, e.now, err);
        sqlite3_stmt *stmt = NULL;
        if (rc == ERR_OK &&
            sqlite3_prepare_v2(st->db,
                               "DELETE FROM cityatlas_sketches WHERE scenario_id = ?"
                               " AND sketch_id = ?",
                               -1, &stmt, NULL) != SQLITE_OK) {
            rc = store_db_error(st, "deleting a sketch", err);
        }
        if (rc == ERR_OK) {
            sqlite3_bind_text(stmt, 1, scenario_id, -1, SQLITE_STATIC);
            sqlite3_bind_int64(stmt, 2, sketch_id);
            rc = sqlite3_step(stmt) == SQLITE_DONE ? ERR_OK
                                                   : store_db_error(st, "deleting a sketch", err);
        }
        sqlite3_finalize(stmt);
        e.removed_id = sketch_id;
        size_t at = (size_t)(r - e.rs.rows);
        row_clear(r);
        memmove(r, r + 1, (e.rs.n - at - 1) * sizeof(*r));
        e.rs.n--;
    }
    return edit_end(st, &e, rc, err);
}

int store_sketch_delete(struct store *st, const char *scenario_id, int64_t sketch_id,
                        struct err *err)
{
    return store_sketch_delete_as(st, scenario_id, sketch_id, NULL, NULL, err);
}

int store_sketch_moderate(struct store *st, const char *scenario_id, int64_t sketch_id,
                          const char *action, const struct store_actor *actor,
                          struct store_sketch_guard *guard, struct err *err)
{
    static const struct {
        const char *action, *from, *to; /* from NULL: any */
    } moves[] = {{"approve", STORE_SKETCH_PENDING, STORE_SKETCH_VISIBLE},
                 {"hide", NULL, STORE_SKETCH_HIDDEN},
                 {"unhide", STORE_SKETCH_HIDDEN, STORE_SKETCH_VISIBLE}};
    size_t m = 0;
    while (m < 3 && strcmp(moves[m].action, action) != 0) {
        m++;
    }
    if (m == 3) {
        return err_set(err, ERR_INTERNAL, "no moderation action '%s'", action);
    }
    struct sketch_edit e;
    int rc = edit_begin(st, scenario_id, actor, &e, err);
    struct sketch_row *r = guarded_row(st, &e, sketch_id, guard, &rc, err);
    if (r != NULL && moves[m].from != NULL && strcmp(r->status, moves[m].from) != 0) {
        rc = err_set(err, ERR_INVALID, "sketch %lld is %s, so there is nothing to %s",
                     (long long)sketch_id, r->status, action);
        r = NULL;
    }
    if (r != NULL) {
        bool was_visible = is_visible(r);
        replace_text(&r->status, moves[m].to);
        rc = row_touch(st, &e, r, action, was_visible, err);
    }
    return edit_end(st, &e, rc, err);
}

/* The state history entry history_id recorded for sketch_id (use_before: the entry before
 * it of the same sketch) into r; ERR_INVALID when there is none. */
static int history_state(struct store *st, const char *scenario_id, int64_t sketch_id,
                         int64_t history_id, bool use_before, struct sketch_row *r, struct err *err)
{
    static const char after_sql[] =
        "SELECT sketch_id, wkb, kind, note, group_name, created_at, updated_at, created_by,"
        " actor, participant_id, status, version, is_deleted FROM cityatlas_sketch_history"
        " WHERE scenario_id = ? AND sketch_id = ? AND id = ?";
    static const char before_sql[] =
        "SELECT sketch_id, wkb, kind, note, group_name, created_at, updated_at, created_by,"
        " actor, participant_id, status, version, is_deleted FROM cityatlas_sketch_history"
        " WHERE scenario_id = ? AND sketch_id = ? AND id < ? ORDER BY id DESC LIMIT 1";
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(st->db, use_before ? before_sql : after_sql, -1, &stmt, NULL) !=
        SQLITE_OK) {
        return store_db_error(st, "reading the history", err);
    }
    sqlite3_bind_text(stmt, 1, scenario_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 2, sketch_id);
    sqlite3_bind_int64(stmt, 3, history_id);
    int step = sqlite3_step(stmt);
    int rc = ERR_OK;
    if (step == SQLITE_ROW && sqlite3_column_int(stmt, 12) == 0) {
        read_row(stmt, r);
    } else if (step == SQLITE_ROW || step == SQLITE_DONE) {
        rc = err_set(err, ERR_INVALID,
                     "history entry %lld of sketch %lld has no state %s it to restore",
                     (long long)history_id, (long long)sketch_id, use_before ? "before" : "after");
    } else {
        rc = store_db_error(st, "reading the history", err);
    }
    sqlite3_finalize(stmt);
    return rc;
}

int store_sketch_restore(struct store *st, const char *scenario_id, int64_t sketch_id,
                         int64_t history_id, bool use_before, const struct store_actor *actor,
                         struct err *err)
{
    struct sketch_edit e;
    int rc = edit_begin(st, scenario_id, actor, &e, err);
    struct sketch_row old;
    memset(&old, 0, sizeof(old));
    if (rc == ERR_OK) {
        rc = history_state(st, scenario_id, sketch_id, history_id, use_before, &old, err);
    }
    int64_t last_version = 0;
    if (rc == ERR_OK) {
        /* The version goes on from the newest entry, also when the sketch was deleted. */
        sqlite3_stmt *stmt = NULL;
        if (sqlite3_prepare_v2(st->db,
                               "SELECT max(version) FROM cityatlas_sketch_history"
                               " WHERE scenario_id = ? AND sketch_id = ?",
                               -1, &stmt, NULL) != SQLITE_OK) {
            rc = store_db_error(st, "reading the history", err);
        } else {
            sqlite3_bind_text(stmt, 1, scenario_id, -1, SQLITE_STATIC);
            sqlite3_bind_int64(stmt, 2, sketch_id);
            last_version = sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
            sqlite3_finalize(stmt);
        }
    }
    struct sketch_row *r = NULL;
    bool was_visible = false;
    if (rc == ERR_OK) {
        rc = row_lookup(st, &e, sketch_id, &r, err);
    }
    if (rc == ERR_OK) {
        if (r == NULL && e.n_stored + 1 > STORE_SCENARIO_MAX_SKETCHES) {
            rc = err_set(err, ERR_TOO_LARGE, "scenario '%s' would hold more than %d sketches",
                         scenario_id, STORE_SCENARIO_MAX_SKETCHES);
        } else if (r == NULL) {
            r = rows_push(&e.rs);
        } else {
            was_visible = is_visible(r);
            row_clear(r);
        }
    }
    if (r != NULL) {
        *r = old;
        memset(&old, 0, sizeof(old));
        r->version = last_version;
        rc = row_touch(st, &e, r, "restore", was_visible, err);
    }
    row_clear(&old);
    return edit_end(st, &e, rc, err);
}
