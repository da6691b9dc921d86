/* store_sketches.c - a scenario's sketches as a layer of the registry. Each edit reads the
 * layer's rows, changes them in memory and writes the layer again as a new version with
 * the ordinary layer writer (store_layer_begin/add_fid/finish), inside the edit's
 * transaction. Sketches are bounded (STORE_SCENARIO_MAX_SKETCHES), so the rewrite costs
 * milliseconds, and in exchange every reader (items, styles, statistics, caches keyed by
 * version or generation) sees a plain layer with no special case. */
#include "store/store_scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "store/store_scenario_int.h"

#define N_SKETCH_FIELDS 6

/* One sketch as stored: owned copies. */
struct sketch_row {
    int64_t id;
    char *kind, *note, *group_name, *created_at, *updated_at;
    unsigned char *wkb;
    size_t wkb_len;
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
};

static char *dup_or_null(const char *s)
{
    return s != NULL ? xstrdup(s) : NULL;
}

static void row_clear(struct sketch_row *r)
{
    free(r->kind);
    free(r->note);
    free(r->group_name);
    free(r->created_at);
    free(r->updated_at);
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

/* Sets the row's editable parts from s (a copy). */
static void row_set(struct sketch_row *r, const struct store_sketch *s)
{
    free(r->kind);
    free(r->note);
    free(r->group_name);
    free(r->wkb);
    r->kind = xstrdup(s->kind);
    r->note = dup_or_null(s->note);
    r->group_name = dup_or_null(s->group_name);
    r->wkb = xmalloc(s->wkb_len > 0 ? s->wkb_len : 1);
    memcpy(r->wkb, s->wkb, s->wkb_len);
    r->wkb_len = s->wkb_len;
}

static char *column_dup(sqlite3_stmt *stmt, int col)
{
    const unsigned char *t = sqlite3_column_text(stmt, col);
    return t != NULL ? xstrdup((const char *)t) : NULL;
}

static void read_row(sqlite3_stmt *stmt, struct sketch_row *r)
{
    r->id = sqlite3_column_int64(stmt, 0);
    r->wkb_len = (size_t)sqlite3_column_bytes(stmt, 1);
    r->wkb = xmalloc(r->wkb_len > 0 ? r->wkb_len : 1);
    memcpy(r->wkb, sqlite3_column_blob(stmt, 1), r->wkb_len);
    r->kind = column_dup(stmt, 2);
    r->note = column_dup(stmt, 3);
    r->group_name = column_dup(stmt, 4);
    r->created_at = column_dup(stmt, 5);
    r->updated_at = column_dup(stmt, 6);
}

/* The rows of the current version of layer_id; none when the layer does not exist. */
static int rows_read(struct store *st, const char *layer_id, struct sketch_rows *rs,
                     struct err *err)
{
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(st->db, "SELECT table_name FROM cityatlas_layers WHERE id = ?", -1,
                           &stmt, NULL) != SQLITE_OK) {
        return store_db_error(st, "reading the layer registry", err);
    }
    sqlite3_bind_text(stmt, 1, layer_id, -1, SQLITE_STATIC);
    char *table = sqlite3_step(stmt) == SQLITE_ROW ? column_dup(stmt, 0) : NULL;
    sqlite3_finalize(stmt);
    if (table == NULL) {
        return ERR_OK;
    }
    char *sql = sqlite3_mprintf("SELECT fid, AsBinary(geom), kind, note, group_name, created_at,"
                                " updated_at FROM \"%w\" ORDER BY fid",
                                table);
    free(table);
    int rc = sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL) == SQLITE_OK
                 ? ERR_OK
                 : store_db_error(st, "reading sketches", err);
    sqlite3_free(sql);
    int step = SQLITE_DONE;
    while (rc == ERR_OK && (step = sqlite3_step(stmt)) == SQLITE_ROW) {
        read_row(stmt, rows_push(rs));
    }
    if (rc == ERR_OK && step != SQLITE_DONE) {
        rc = store_db_error(st, "reading sketches", err);
    }
    sqlite3_finalize(stmt);
    return rc;
}

/* Widens b (min_lon, min_lat, max_lon, max_lat) by the envelope of each row's geometry. */
static int rows_extent(struct store *st, const struct sketch_rows *rs, double b[4], struct err *err)
{
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT MbrMinX(g), MbrMinY(g), MbrMaxX(g), MbrMaxY(g)"
                           " FROM (SELECT GeomFromWKB(?, 4326) AS g)",
                           -1, &stmt, NULL) != SQLITE_OK) {
        return store_db_error(st, "measuring sketches", err);
    }
    int rc = ERR_OK;
    for (size_t i = 0; rc == ERR_OK && i < rs->n; i++) {
        sqlite3_bind_blob(stmt, 1, rs->rows[i].wkb, (int)rs->rows[i].wkb_len, SQLITE_STATIC);
        if (sqlite3_step(stmt) != SQLITE_ROW || sqlite3_column_type(stmt, 0) == SQLITE_NULL) {
            rc = err_set(err, ERR_DB, "sketch %lld has an unreadable geometry",
                         (long long)rs->rows[i].id);
        }
        for (int c = 0; rc == ERR_OK && c < 4; c++) {
            double v = sqlite3_column_double(stmt, c);
            bool is_min = c < 2;
            if ((i == 0) || (is_min && v < b[c]) || (!is_min && v > b[c])) {
                b[c] = v;
            }
        }
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

static int rows_add_all(struct store_layer_writer *w, const struct sketch_rows *rs, struct err *err)
{
    int rc = ERR_OK;
    for (size_t i = 0; rc == ERR_OK && i < rs->n; i++) {
        const struct sketch_row *r = &rs->rows[i];
        struct store_value v[N_SKETCH_FIELDS];
        memset(v, 0, sizeof(v));
        v[0].i = r->id;
        bind_text(&v[1], r->kind);
        bind_text(&v[2], r->note);
        bind_text(&v[3], r->group_name);
        bind_text(&v[4], r->created_at);
        bind_text(&v[5], r->updated_at);
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
    int rc = rows_extent(st, rs, b, err);
    meta.has_extent = rs->n > 0;
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

int store_sketch_layer_refresh(struct store *st, const char *scenario_id,
                               const struct store_scenario_row *row, struct err *err)
{
    char layer_id[STORE_SCENARIO_ID_MAX + 32];
    store_scenario_layer_id(scenario_id, layer_id, sizeof(layer_id));
    struct sketch_rows rs = {0};
    int rc = rows_read(st, layer_id, &rs, err);
    if (rc == ERR_OK) {
        rc = layer_write(st, scenario_id, row, &rs, err);
    }
    rows_clear(&rs);
    return rc;
}

/* One edit: the scenario's row and sketches, read in the edit's transaction. */
struct sketch_edit {
    const char *scenario_id;
    bool is_owned;
    struct store_scenario_row row;
    struct sketch_rows rs;
    char now[32];
};

static int edit_begin(struct store *st, const char *scenario_id, struct sketch_edit *e,
                      struct err *err)
{
    memset(e, 0, sizeof(*e));
    e->scenario_id = scenario_id;
    store_scenario_now(e->now);
    int rc = store_scenario_tx_begin(st, &e->is_owned, err);
    if (rc != ERR_OK) {
        return rc;
    }
    rc = store_scenario_row_read(st, scenario_id, &e->row, err);
    char layer_id[STORE_SCENARIO_ID_MAX + 32];
    store_scenario_layer_id(scenario_id, layer_id, sizeof(layer_id));
    if (rc == ERR_OK) {
        rc = rows_read(st, layer_id, &e->rs, err);
    }
    return rc;
}

/* Writes the edited sketches (when rc is ERR_OK) and ends the transaction. */
static int edit_end(struct store *st, struct sketch_edit *e, int rc, struct err *err)
{
    if (rc == ERR_OK) {
        rc = layer_write(st, e->scenario_id, &e->row, &e->rs, err);
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
    store_scenario_row_clear(&e->row);
    rows_clear(&e->rs);
    return store_scenario_tx_end(st, e->is_owned, rc, err);
}

static struct sketch_row *find_row(struct sketch_edit *e, int64_t sketch_id, struct err *err)
{
    for (size_t i = 0; i < e->rs.n; i++) {
        if (e->rs.rows[i].id == sketch_id) {
            return &e->rs.rows[i];
        }
    }
    err_set(err, ERR_NOT_FOUND, "scenario '%s' has no sketch %lld", e->scenario_id,
            (long long)sketch_id);
    return NULL;
}

int store_sketches_add(struct store *st, const char *scenario_id, const struct store_sketch *s,
                       size_t n, int64_t *new_ids, struct err *err)
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
    int rc = edit_begin(st, scenario_id, &e, err);
    if (rc == ERR_OK && e.rs.n + n > STORE_SCENARIO_MAX_SKETCHES) {
        rc = err_set(err, ERR_TOO_LARGE, "scenario '%s' would hold more than %d sketches",
                     scenario_id, STORE_SCENARIO_MAX_SKETCHES);
    }
    for (size_t i = 0; rc == ERR_OK && i < n; i++) {
        struct sketch_row *r = rows_push(&e.rs);
        r->id = e.row.next_sketch_id++;
        row_set(r, &s[i]);
        r->created_at = xstrdup(e.now);
        r->updated_at = xstrdup(e.now);
        if (new_ids != NULL) {
            new_ids[i] = r->id;
        }
    }
    return edit_end(st, &e, rc, err);
}

int store_sketch_replace(struct store *st, const char *scenario_id, int64_t sketch_id,
                         const struct store_sketch *s, struct err *err)
{
    int rc = store_sketch_check(st, s, err);
    if (rc != ERR_OK) {
        return rc;
    }
    struct sketch_edit e;
    rc = edit_begin(st, scenario_id, &e, err);
    struct sketch_row *r = rc == ERR_OK ? find_row(&e, sketch_id, err) : NULL;
    if (rc == ERR_OK && r == NULL) {
        rc = ERR_NOT_FOUND;
    }
    if (rc == ERR_OK) {
        row_set(r, s);
        free(r->updated_at);
        r->updated_at = xstrdup(e.now);
    }
    return edit_end(st, &e, rc, err);
}

int store_sketch_delete(struct store *st, const char *scenario_id, int64_t sketch_id,
                        struct err *err)
{
    struct sketch_edit e;
    int rc = edit_begin(st, scenario_id, &e, err);
    struct sketch_row *r = rc == ERR_OK ? find_row(&e, sketch_id, err) : NULL;
    if (rc == ERR_OK && r == NULL) {
        rc = ERR_NOT_FOUND;
    }
    if (rc == ERR_OK) {
        size_t at = (size_t)(r - e.rs.rows);
        row_clear(r);
        memmove(r, r + 1, (e.rs.n - at - 1) * sizeof(*r));
        e.rs.n--;
    }
    return edit_end(st, &e, rc, err);
}
