/* store_sketch_check.c - what a sketch must be before it is stored: bounded texts and a
 * geometry SpatiaLite (GEOS) finds valid. */
#include "store/store_scenario.h"

#include <stdio.h>
#include <string.h>

#include "store/store_scenario_int.h"

int store_geometry_check(struct store *st, const unsigned char *wkb, size_t wkb_len,
                         struct err *err)
{
    if (wkb == NULL || wkb_len == 0 || wkb_len > STORE_SKETCH_WKB_MAX) {
        return err_set(err, ERR_INVALID, "the geometry is empty or larger than %d bytes of WKB",
                       STORE_SKETCH_WKB_MAX);
    }
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT g IS NULL, ST_IsValid(g), ST_IsValidReason(g)"
                           " FROM (SELECT GeomFromWKB(?, 4326) AS g)",
                           -1, &stmt, NULL) != SQLITE_OK) {
        return store_db_error(st, "checking a geometry", err);
    }
    sqlite3_bind_blob(stmt, 1, wkb, (int)wkb_len, SQLITE_STATIC);
    int rc = ERR_OK;
    if (sqlite3_step(stmt) != SQLITE_ROW) {
        rc = store_db_error(st, "checking a geometry", err);
    } else if (sqlite3_column_int(stmt, 0) != 0) {
        rc = err_set(err, ERR_INVALID, "the geometry is not readable WKB");
    } else if (sqlite3_column_int(stmt, 1) != 1) {
        const unsigned char *why = sqlite3_column_text(stmt, 2);
        rc = err_set(err, ERR_INVALID, "the geometry is not valid: %s",
                     why != NULL ? (const char *)why : "GEOS could not check it");
    }
    sqlite3_finalize(stmt);
    return rc;
}

static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s != '\0'; s++) {
        n += ((unsigned char)*s & 0xC0) != 0x80;
    }
    return n;
}

int store_sketch_check(struct store *st, const struct store_sketch *s, struct err *err)
{
    if (s->kind == NULL || s->kind[0] == '\0' || strlen(s->kind) > STORE_SKETCH_KIND_MAX) {
        return err_set(err, ERR_INVALID, "kind must be 1 to %d bytes", STORE_SKETCH_KIND_MAX);
    }
    if (s->note != NULL && utf8_chars(s->note) > STORE_SKETCH_NOTE_MAX) {
        return err_set(err, ERR_INVALID, "note is longer than %d characters",
                       STORE_SKETCH_NOTE_MAX);
    }
    if (s->group_name != NULL && utf8_chars(s->group_name) > STORE_SKETCH_GROUP_MAX) {
        return err_set(err, ERR_INVALID, "group is longer than %d characters",
                       STORE_SKETCH_GROUP_MAX);
    }
    return store_geometry_check(st, s->wkb, s->wkb_len, err);
}
