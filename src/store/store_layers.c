/* store_layers.c - writing a layer version and reading the layer registry. */
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sqlite3.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "encode/nfc_text.h"
#include "store/store_int.h"
#include "store/store_place_order.h"
#include "store/store_rtree.h"
#include "base/utf8.h"

/* Identifiers: table names are built from slugs (<= 63 chars), column names are quoted
 * source field names, which OGR limits far below this. */
#define STORE_IDENT_CAP 512

/* WKB geometry type codes 1..7 (Point .. GeometryCollection), 2D ISO. */
#define WKB_TYPE_COUNT 8

struct store_layer_writer {
    struct store *st;
    char *id;
    char *table_name;
    char *old_table_name; /* previous version's table, dropped at finish; NULL if none */
    int old_has_geometry; /* the previous version has a geometry column and spatial index */
    int64_t version;
    struct store_field *fields; /* copied names */
    size_t n_fields;
    int has_geometry;
    sqlite3_stmt *insert;
    int64_t n_features;
    int64_t n_with_geometry;
    unsigned seen_types; /* bit i set when WKB type i was inserted */
    char **triggers;     /* SpatiaLite's per-row triggers, set aside during the bulk load */
    size_t n_triggers;
    bool is_append; /* the previous version's rows were copied in (--append) */
    bool has_old_extent;
    double old_extent[4]; /* min lon, min lat, max lon, max lat of the copied rows */
};

static const char *const wkb_type_names[WKB_TYPE_COUNT] = {
    "GEOMETRY",   "POINT",           "LINESTRING",   "POLYGON",
    "MULTIPOINT", "MULTILINESTRING", "MULTIPOLYGON", "GEOMETRYCOLLECTION"};

static const char *sql_type(enum store_type type)
{
    switch (type) {
    case STORE_INTEGER:
        return "INTEGER";
    case STORE_REAL:
        return "REAL";
    case STORE_TEXT:
        return "TEXT";
    case STORE_BLOB:
        return "BLOB";
    }
    return "TEXT";
}

static int same_text(const char *a, const char *b)
{
    return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static int lookup_existing(struct store_layer_writer *w, const char *source_path,
                           const char *source_layer, bool allow_replace, struct err *err)
{
    struct store *st = w->st;
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT source_path, table_name, source_layer, geometry_type IS NOT NULL"
                           " FROM cityatlas_layers WHERE id = ?",
                           -1, &stmt, NULL) != SQLITE_OK) {
        return store_db_error(st, "reading the layer registry", err);
    }
    sqlite3_bind_text(stmt, 1, w->id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(stmt);
    int ret = ERR_OK;
    if (rc == SQLITE_ROW) {
        const char *old_source = (const char *)sqlite3_column_text(stmt, 0);
        const char *old_layer = (const char *)sqlite3_column_text(stmt, 2);
        if (!allow_replace &&
            (!same_text(old_source, source_path) || !same_text(old_layer, source_layer))) {
            ret = err_set(err, ERR_INVALID,
                          "layer id '%s' is already used by a layer imported from %s (layer %s); "
                          "choose another id with --id, or pass --replace to replace it",
                          w->id, old_source, old_layer != NULL ? old_layer : "-");
        } else {
            w->old_table_name = xstrdup((const char *)sqlite3_column_text(stmt, 1));
            w->old_has_geometry = sqlite3_column_int(stmt, 3);
        }
    } else if (rc != SQLITE_DONE) {
        ret = store_db_error(st, "reading the layer registry", err);
    }
    sqlite3_finalize(stmt);
    return ret;
}

static int next_version(struct store *st, int64_t *out, struct err *err)
{
    int rc = store_exec(st,
                        "UPDATE cityatlas_meta SET value = CAST(value AS INTEGER) + 1 "
                        "WHERE key = 'last_version'",
                        err);
    if (rc != ERR_OK) {
        return rc;
    }
    return store_query_int(
        st, "SELECT CAST(value AS INTEGER) FROM cityatlas_meta WHERE key = 'last_version'", out,
        err);
}

static int register_geometry(struct store_layer_writer *w, struct err *err);

/* CREATE TABLE and the INSERT statement for the new version's table. */
static int create_table(struct store_layer_writer *w, struct err *err)
{
    struct buf ddl, ins, vals;
    buf_init(&ddl, STORE_SQL_CAP);
    buf_init(&ins, STORE_SQL_CAP);
    buf_init(&vals, STORE_SQL_CAP);
    char ident[STORE_IDENT_CAP];
    int rc = ERR_OK;
    store_quote_ident(w->table_name, ident, sizeof(ident));
    rc = buf_printf(&ddl, err, "CREATE TABLE %s (fid INTEGER PRIMARY KEY", ident);
    /* fid is the first parameter: NULL lets SQLite number the rows (store_layer_add),
     * a value keeps an id the caller owns (store_layer_add_fid). */
    if (rc == ERR_OK) {
        rc = buf_printf(&ins, err, "INSERT INTO %s (fid", ident);
    }
    if (rc == ERR_OK) {
        rc = buf_append_str(&vals, "?", err);
    }
    if (rc == ERR_OK && w->has_geometry) {
        rc = buf_append_str(&ddl, ", geom BLOB", err);
        if (rc == ERR_OK) {
            rc = buf_append_str(&ins, ", geom", err);
        }
        if (rc == ERR_OK) {
            rc = buf_append_str(&vals, ", GeomFromWKB(?, 4326)", err);
        }
    }
    for (size_t i = 0; rc == ERR_OK && i < w->n_fields; i++) {
        if (!store_quote_ident(w->fields[i].name, ident, sizeof(ident))) {
            rc = err_set(err, ERR_INVALID, "field name '%s' is too long",
                         utf8_excerpt(w->fields[i].name, 60).text);
            break;
        }
        rc = buf_printf(&ddl, err, ", %s %s", ident, sql_type(w->fields[i].type));
        if (rc == ERR_OK) {
            rc = buf_printf(&ins, err, ", %s", ident);
        }
        if (rc == ERR_OK) {
            rc = buf_append_str(&vals, ", ?", err);
        }
    }
    if (rc == ERR_OK) {
        rc = buf_append_str(&ddl, ")", err);
    }
    if (rc == ERR_OK && w->n_fields == 0 && !w->has_geometry) {
        rc = err_set(err, ERR_INVALID, "layer '%s' has neither fields nor geometry", w->id);
    }
    if (rc == ERR_OK) {
        rc = buf_printf(&ins, err, ") VALUES (%s)", vals.data);
    }
    if (rc == ERR_OK) {
        rc = store_exec(w->st, ddl.data, err);
    }
    if (rc == ERR_OK && w->has_geometry) {
        rc = register_geometry(w, err);
    }
    if (rc == ERR_OK &&
        sqlite3_prepare_v2(w->st->db, ins.data, -1, &w->insert, NULL) != SQLITE_OK) {
        rc = store_db_error(w->st, "preparing the feature insert", err);
    }
    buf_clear(&ddl);
    buf_clear(&ins);
    buf_clear(&vals);
    return rc;
}

int store_layer_begin(struct store *st, const char *id, const char *source_path,
                      const char *source_layer, bool allow_replace,
                      const struct store_field *fields, size_t n_fields, bool has_geometry,
                      struct store_layer_writer **out, struct err *err)
{
    *out = NULL;
    if (!st->in_transaction) {
        return err_set(err, ERR_INTERNAL, "store_layer_begin outside an import transaction");
    }
    struct store_layer_writer *w = xcalloc(1, sizeof(*w));
    w->st = st;
    w->id = xstrdup(id);
    w->has_geometry = has_geometry;
    w->n_fields = n_fields;
    w->fields = xcalloc(n_fields, sizeof(*w->fields));
    for (size_t i = 0; i < n_fields; i++) {
        w->fields[i].name = xstrdup(fields[i].name);
        w->fields[i].type = fields[i].type;
        w->fields[i].source_type = xstrdup(fields[i].source_type);
        w->fields[i].source_name = xstrdup(fields[i].source_name);
    }
    int rc = lookup_existing(w, source_path, source_layer, allow_replace, err);
    if (rc == ERR_OK) {
        rc = next_version(st, &w->version, err);
    }
    if (rc == ERR_OK) {
        /* Slugs hold a-z, 0-9 and '-'; '_' keeps the table name a plain identifier. */
        w->table_name = xasprintf("ly_%s_v%lld", id, (long long)w->version);
        for (char *p = w->table_name; *p; p++) {
            if (*p == '-') {
                *p = '_';
            }
        }
        rc = create_table(w, err);
    }
    if (rc != ERR_OK) {
        store_layer_writer_free(w);
        return rc;
    }
    *out = w;
    return ERR_OK;
}

static void track_wkb_type(struct store_layer_writer *w, const unsigned char *wkb, size_t len)
{
    if (len < 5) {
        return;
    }
    unsigned type = wkb[0] == 1 ? (unsigned)wkb[1] | (unsigned)wkb[2] << 8
                                : (unsigned)wkb[4] | (unsigned)wkb[3] << 8;
    if (type < WKB_TYPE_COUNT) {
        w->seen_types |= 1u << type;
    }
}

/* Text is stored in Unicode NFC (encode/nfc_text.h), so that a Thai name compares equal
 * whichever order its marks were typed in; text that is not UTF-8 is stored as it is. */
static void bind_nfc_text(sqlite3_stmt *s, int col, const struct store_value *v)
{
    size_t len = 0;
    char *nfc = nfc_text_may_change(v->ptr, v->len) ? nfc_text_new(v->ptr, v->len, &len) : NULL;
    if (nfc != NULL) {
        sqlite3_bind_text(s, col, nfc, (int)len, free);
    } else {
        sqlite3_bind_text(s, col, v->ptr, (int)v->len, SQLITE_STATIC);
    }
}

static int add_row(struct store_layer_writer *w, const int64_t *fid,
                   const struct store_value *values, const unsigned char *wkb, size_t wkb_len,
                   struct err *err)
{
    sqlite3_stmt *s = w->insert;
    if (fid != NULL) {
        sqlite3_bind_int64(s, 1, *fid);
    } else {
        sqlite3_bind_null(s, 1);
    }
    int col = 2;
    if (w->has_geometry) {
        if (wkb != NULL) {
            sqlite3_bind_blob(s, col, wkb, (int)wkb_len, SQLITE_STATIC);
            track_wkb_type(w, wkb, wkb_len);
            w->n_with_geometry++;
        } else {
            sqlite3_bind_null(s, col);
        }
        col++;
    }
    for (size_t i = 0; i < w->n_fields; i++, col++) {
        const struct store_value *v = &values[i];
        if (v->is_null) {
            sqlite3_bind_null(s, col);
            continue;
        }
        switch (w->fields[i].type) {
        case STORE_INTEGER:
            sqlite3_bind_int64(s, col, v->i);
            break;
        case STORE_REAL:
            sqlite3_bind_double(s, col, v->d);
            break;
        case STORE_TEXT:
            bind_nfc_text(s, col, v);
            break;
        case STORE_BLOB:
            sqlite3_bind_blob(s, col, v->ptr, (int)v->len, SQLITE_STATIC);
            break;
        }
    }
    /* Every parameter is bound on every row (NULL included), so no clear_bindings. */
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) {
        return store_db_error(w->st, "inserting a feature", err);
    }
    w->n_features++;
    return ERR_OK;
}

int store_layer_add(struct store_layer_writer *w, const struct store_value *values,
                    const unsigned char *wkb, size_t wkb_len, struct err *err)
{
    return add_row(w, NULL, values, wkb, wkb_len, err);
}

int store_layer_add_fid(struct store_layer_writer *w, int64_t fid, const struct store_value *values,
                        const unsigned char *wkb, size_t wkb_len, struct err *err)
{
    if (fid < 1) {
        return err_set(err, ERR_INVALID, "feature id %lld is not positive", (long long)fid);
    }
    return add_row(w, &fid, values, wkb, wkb_len, err);
}

/* The WKB type code of the layer: the one type inserted, or 0 (GEOMETRY) when mixed. */
static int geometry_type_code(unsigned seen)
{
    for (int t = 1; t < WKB_TYPE_COUNT; t++) {
        if (seen == (1u << t)) {
            return t;
        }
    }
    return 0;
}

static int run_spatialite(struct store *st, const char *fmt, const char *table, struct err *err)
{
    char *sql = sqlite3_mprintf(fmt, table);
    int64_t ok = 0;
    int rc = store_query_int(st, sql, &ok, err);
    if (rc == ERR_OK && ok != 1) {
        rc = err_set(err, ERR_DB, "SpatiaLite refused: %s", sql);
    }
    sqlite3_free(sql);
    return rc;
}

/* Keeps the CREATE TRIGGER text of the table's triggers and drops them. */
static int set_triggers_aside(struct store_layer_writer *w, struct err *err)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(w->st->db,
                           "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND "
                           "tbl_name = ?",
                           -1, &s, NULL) != SQLITE_OK) {
        return store_db_error(w->st, "reading triggers", err);
    }
    sqlite3_bind_text(s, 1, w->table_name, -1, SQLITE_STATIC);
    char **names = NULL;
    while (sqlite3_step(s) == SQLITE_ROW) {
        w->triggers = xreallocarray(w->triggers, w->n_triggers + 1, sizeof(char *));
        names = xreallocarray(names, w->n_triggers + 1, sizeof(char *));
        names[w->n_triggers] = xstrdup((const char *)sqlite3_column_text(s, 0));
        w->triggers[w->n_triggers++] = xstrdup((const char *)sqlite3_column_text(s, 1));
    }
    sqlite3_finalize(s);
    int rc = ERR_OK;
    for (size_t i = 0; i < w->n_triggers; i++) {
        if (rc == ERR_OK) {
            char *sql = sqlite3_mprintf("DROP TRIGGER \"%w\"", names[i]);
            rc = store_exec(w->st, sql, err);
            sqlite3_free(sql);
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

/* SpatiaLite registers the column and creates the (empty) spatial index and its triggers
 * while the table is still empty. The triggers would check each row and insert it into
 * the R*Tree one at a time; they are set aside during the load and the index is built in
 * bulk at the end (store_rtree.c), then the triggers come back for later edits. */
static int register_geometry(struct store_layer_writer *w, struct err *err)
{
    char *sql = sqlite3_mprintf("SELECT RecoverGeometryColumn(%Q, 'geom', 4326, 'GEOMETRY', 'XY')",
                                w->table_name);
    int64_t ok = 0;
    int rc = store_query_int(w->st, sql, &ok, err);
    sqlite3_free(sql);
    if (rc == ERR_OK && ok != 1) {
        rc =
            err_set(err, ERR_DB, "SpatiaLite could not register the geometry of layer '%s'", w->id);
    }
    if (rc == ERR_OK) {
        rc = run_spatialite(w->st, "SELECT CreateSpatialIndex(%Q, 'geom')", w->table_name, err);
    }
    if (rc == ERR_OK) {
        rc = set_triggers_aside(w, err);
    }
    return rc;
}

static int index_geometry(struct store_layer_writer *w, int type_code,
                          const struct store_layer_meta *meta, struct err *err)
{
    char *sql = sqlite3_mprintf("UPDATE geometry_columns SET geometry_type = %d"
                                " WHERE f_table_name = lower(%Q) AND f_geometry_column = 'geom'",
                                type_code, w->table_name);
    int rc = store_exec(w->st, sql, err);
    sqlite3_free(sql);
    struct store_rtree_extent extent = {-180, -90, 180, 90};
    if (meta->has_extent) {
        extent =
            (struct store_rtree_extent){meta->min_lon, meta->min_lat, meta->max_lon, meta->max_lat};
    }
    char *rtree = xasprintf("idx_%s_geom", w->table_name);
    if (rc == ERR_OK) {
        rc = store_rtree_bulk_load(w->st, w->table_name, rtree, &extent, w->n_with_geometry, err);
    }
    free(rtree);
    for (size_t i = 0; rc == ERR_OK && i < w->n_triggers; i++) {
        rc = store_exec(w->st, w->triggers[i], err);
    }
    if (rc == ERR_OK) {
        bool is_points = strcmp(wkb_type_names[type_code], "POINT") == 0 ||
                         strcmp(wkb_type_names[type_code], "MULTIPOINT") == 0;
        rc = store_place_order_write(w->st, w->table_name, is_points, w->n_with_geometry, err);
    }
    return rc;
}

/* SpatiaLite's DropTable() removes the table with its spatial index and every metadata
 * row about it (geometry_columns and its _auth, _statistics, _field_infos and _time
 * companions), so replaced versions leave no orphans for QGIS or GDAL to trip over. */
static int drop_table(struct store *st, const char *table, int has_geometry_column, struct err *err)
{
    if (has_geometry_column) {
        /* The index's entry counts (store_rtree_count.c) and the rows in place order
         * (store_place_order.h) are ours, not SpatiaLite's. */
        char *sql = sqlite3_mprintf(
            "DROP TABLE IF EXISTS \"idx_%w_geom" STORE_RTREE_COUNT_SUFFIX "\"", table);
        int rc = store_exec(st, sql, err);
        sqlite3_free(sql);
        if (rc == ERR_OK) {
            rc = store_place_order_drop(st, table, err);
        }
        if (rc != ERR_OK) {
            return rc;
        }
        return run_spatialite(st, "SELECT DropTable(NULL, %Q)", table, err);
    }
    char *sql = sqlite3_mprintf("DROP TABLE IF EXISTS \"%w\"", table);
    int rc = store_exec(st, sql, err);
    sqlite3_free(sql);
    return rc;
}

static char *fields_json(const struct store_layer_writer *w)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < w->n_fields; i++) {
        json_t *f = json_pack("{s:s, s:s, s:s}", "name", w->fields[i].name, "type",
                              sql_type(w->fields[i].type), "source_type",
                              w->fields[i].source_type ? w->fields[i].source_type : "");
        if (w->fields[i].source_name != NULL) {
            json_object_set_new(f, "source_name", json_string(w->fields[i].source_name));
        }
        json_array_append_new(arr, f);
    }
    char *text = json_dumps(arr, JSON_COMPACT);
    json_decref(arr);
    return text;
}

static void bind_opt_text(sqlite3_stmt *s, int col, const char *v)
{
    if (v != NULL) {
        sqlite3_bind_text(s, col, v, -1, SQLITE_TRANSIENT);
    } else {
        sqlite3_bind_null(s, col);
    }
}

/* Metadata the user gave once (title, theme, licence, ...) survives re-imports that do
 * not give it again: a NULL keeps the registry's previous value. */
#define KEEP(col, n) " coalesce(?" #n ", (SELECT " col " FROM cityatlas_layers WHERE id = ?1)),"

static int write_registry(struct store_layer_writer *w, const struct store_layer_meta *m,
                          const char *geom_type, struct err *err)
{
    static const char sql[] =
        "INSERT OR REPLACE INTO cityatlas_layers (id, table_name, version, title_en, title_th,"
        " description_en, description_th, theme, source, source_url, license, attribution,"
        " name_column, source_path, source_layer, source_format, source_crs, source_encoding,"
        " source_checksum, geometry_type, feature_count, rejected_count, min_lon, min_lat,"
        " max_lon, max_lat, fields, imported_at, import_seconds, catalog)"
        " VALUES (?1, ?2, ?3, " KEEP("title_en", 4) KEEP("title_th", 5) KEEP("description_en", 6)
            KEEP("description_th", 7) KEEP("theme", 8) KEEP("source", 9) KEEP("source_url", 10)
                KEEP("license", 11)
                    KEEP("attribution", 12) " ?13, ?14, ?15, ?16, ?17,"
                                            " ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27,"
                                            " strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?28, ?29)";
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(w->st->db, sql, -1, &s, NULL) != SQLITE_OK) {
        return store_db_error(w->st, "preparing the registry update", err);
    }
    const char *texts[] = {
        m->title_en,      m->title_th,    m->description_en,  m->description_th,
        m->theme,         m->source,      m->source_url,      m->license,
        m->attribution,   m->name_column, m->source_path,     m->source_layer,
        m->source_format, m->source_crs,  m->source_encoding, m->source_checksum};
    sqlite3_bind_text(s, 1, w->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, w->table_name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, w->version);
    for (int i = 0; i < (int)(sizeof(texts) / sizeof(texts[0])); i++) {
        bind_opt_text(s, 4 + i, texts[i]);
    }
    bind_opt_text(s, 20, w->has_geometry ? geom_type : NULL);
    sqlite3_bind_int64(s, 21, w->n_features);
    sqlite3_bind_int64(s, 22, m->rejected_count);
    if (m->has_extent) {
        sqlite3_bind_double(s, 23, m->min_lon);
        sqlite3_bind_double(s, 24, m->min_lat);
        sqlite3_bind_double(s, 25, m->max_lon);
        sqlite3_bind_double(s, 26, m->max_lat);
    }
    char *fields = fields_json(w);
    sqlite3_bind_text(s, 27, fields, -1, free);
    sqlite3_bind_double(s, 28, m->import_seconds);
    bind_opt_text(s, 29, m->catalog_json);
    int rc = sqlite3_step(s) == SQLITE_DONE ? ERR_OK
                                            : store_db_error(w->st, "updating the registry", err);
    sqlite3_finalize(s);
    return rc;
}

/* A layer of one kind of geometry in single and multi parts (a shapefile cannot tell
 * them apart; a repaired bow-tie becomes two polygons) is stored as multi throughout, so
 * that its type is one statistics accept rather than GEOMETRY. */
static int promote_to_multi(struct store_layer_writer *w, struct err *err)
{
    for (unsigned single = 1; single <= 3; single++) {
        unsigned multi = single + 3; /* WKB: MultiPoint = Point + 3, and so on */
        if (w->seen_types != ((1u << single) | (1u << multi))) {
            continue;
        }
        char *sql = sqlite3_mprintf("UPDATE \"%w\" SET geom = CastToMulti(geom)"
                                    " WHERE GeometryType(geom) = '%s'",
                                    w->table_name, wkb_type_names[single]);
        int rc = store_exec(w->st, sql, err);
        sqlite3_free(sql);
        if (rc != ERR_OK) {
            return rc;
        }
        w->seen_types = 1u << multi;
    }
    return ERR_OK;
}

/* Compares the stored field list (registry JSON) with the writer's, by name and type. */
static int same_schema(struct store_layer_writer *w, const char *fields_text, struct err *err)
{
    json_t *old = json_loads(fields_text != NULL ? fields_text : "[]", 0, NULL);
    bool same = json_is_array(old) && json_array_size(old) == w->n_fields;
    for (size_t i = 0; same && i < w->n_fields; i++) {
        json_t *f = json_array_get(old, i);
        const char *name = json_string_value(json_object_get(f, "name"));
        const char *type = json_string_value(json_object_get(f, "type"));
        same = name != NULL && type != NULL && strcmp(name, w->fields[i].name) == 0 &&
               strcmp(type, sql_type(w->fields[i].type)) == 0;
    }
    json_decref(old);
    if (!same) {
        char *mine = fields_json(w);
        err_set(err, ERR_INVALID, "cannot append to '%s': its fields are %s, the new data's are %s",
                w->id, utf8_excerpt(fields_text != NULL ? fields_text : "[]", 200).text,
                utf8_excerpt(mine, 200).text);
        free(mine);
        return ERR_INVALID;
    }
    return ERR_OK;
}

/* Reads what the previous version holds (fields, type, extent) and checks it matches. */
static int read_previous(struct store_layer_writer *w, struct err *err)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(w->st->db,
                           "SELECT fields, geometry_type, min_lon, min_lat, max_lon, max_lat"
                           " FROM cityatlas_layers WHERE id = ?",
                           -1, &s, NULL) != SQLITE_OK) {
        return store_db_error(w->st, "reading the layer registry", err);
    }
    sqlite3_bind_text(s, 1, w->id, -1, SQLITE_STATIC);
    int rc =
        sqlite3_step(s) == SQLITE_ROW ? ERR_OK : store_db_error(w->st, "reading the registry", err);
    if (rc == ERR_OK) {
        rc = same_schema(w, (const char *)sqlite3_column_text(s, 0), err);
    }
    const char *gtype = rc == ERR_OK ? (const char *)sqlite3_column_text(s, 1) : NULL;
    if (rc == ERR_OK && (gtype != NULL) != (w->has_geometry != 0)) {
        rc = err_set(err, ERR_INVALID, "cannot append to '%s': one has geometry, the other not",
                     w->id);
    }
    for (int t = 1; rc == ERR_OK && gtype != NULL && t < WKB_TYPE_COUNT; t++) {
        w->seen_types |= strcmp(gtype, wkb_type_names[t]) == 0 ? 1u << t : 0;
    }
    w->has_old_extent = rc == ERR_OK && sqlite3_column_type(s, 2) != SQLITE_NULL;
    for (int k = 0; w->has_old_extent && k < 4; k++) {
        w->old_extent[k] = sqlite3_column_double(s, 2 + k);
    }
    sqlite3_finalize(s);
    return rc;
}

int store_layer_append_previous(struct store_layer_writer *w, struct err *err)
{
    if (w->old_table_name == NULL) {
        return err_set(err, ERR_NOT_FOUND, "no layer '%s' to append to", w->id);
    }
    int rc = read_previous(w, err);
    char *sql = sqlite3_mprintf("INSERT INTO \"%w\" SELECT * FROM \"%w\"", w->table_name,
                                w->old_table_name);
    if (rc == ERR_OK) {
        rc = store_exec(w->st, sql, err);
    }
    sqlite3_free(sql);
    if (rc == ERR_OK) {
        w->n_features += sqlite3_changes(w->st->db);
        sql = sqlite3_mprintf("SELECT count(geom) FROM \"%w\"", w->table_name);
        rc = store_query_int(w->st, sql, &w->n_with_geometry, err);
        sqlite3_free(sql);
    }
    w->is_append = rc == ERR_OK;
    return rc;
}

/* The extent of an appended layer covers the copied rows too. */
static void widen_extent(const struct store_layer_writer *w, struct store_layer_meta *m)
{
    if (!w->is_append || !w->has_old_extent) {
        return;
    }
    const double *o = w->old_extent;
    m->min_lon = m->has_extent && m->min_lon < o[0] ? m->min_lon : o[0];
    m->min_lat = m->has_extent && m->min_lat < o[1] ? m->min_lat : o[1];
    m->max_lon = m->has_extent && m->max_lon > o[2] ? m->max_lon : o[2];
    m->max_lat = m->has_extent && m->max_lat > o[3] ? m->max_lat : o[3];
    m->has_extent = true;
}

int store_layer_finish(struct store_layer_writer *w, const struct store_layer_meta *given,
                       struct err *err)
{
    struct store_layer_meta copy = *given;
    widen_extent(w, &copy);
    const struct store_layer_meta *meta = &copy;
    sqlite3_finalize(w->insert);
    w->insert = NULL;
    int rc = w->has_geometry ? promote_to_multi(w, err) : ERR_OK;
    int type_code = geometry_type_code(w->seen_types);
    if (rc == ERR_OK && w->has_geometry) {
        rc = index_geometry(w, type_code, meta, err);
    }
    if (rc == ERR_OK) {
        rc = write_registry(w, meta, wkb_type_names[type_code], err);
    }
    if (rc == ERR_OK) {
        rc = store_layer_view_write(w->st, w->id, w->table_name, w->has_geometry, err);
    }
    if (rc == ERR_OK && w->old_table_name != NULL) {
        rc = drop_table(w->st, w->old_table_name, w->old_has_geometry, err);
    }
    return rc;
}

int store_layer_delete(struct store *st, const char *id, struct err *err)
{
    if (!st->in_transaction) {
        return err_set(err, ERR_INTERNAL, "store_layer_delete outside an import transaction");
    }
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT table_name, geometry_type IS NOT NULL FROM cityatlas_layers"
                           " WHERE id = ?",
                           -1, &s, NULL) != SQLITE_OK) {
        return store_db_error(st, "reading the layer registry", err);
    }
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    int step = sqlite3_step(s);
    char *table = step == SQLITE_ROW ? store_column_dup(s, 0) : NULL;
    int has_geometry = step == SQLITE_ROW ? sqlite3_column_int(s, 1) : 0;
    sqlite3_finalize(s);
    if (step != SQLITE_ROW) {
        return step == SQLITE_DONE ? err_set(err, ERR_NOT_FOUND, "no layer '%s'", id)
                                   : store_db_error(st, "reading the layer registry", err);
    }
    int rc = drop_table(st, table, has_geometry, err);
    free(table);
    if (rc == ERR_OK) {
        rc = store_layer_view_drop(st, id, err);
    }
    char *sql = sqlite3_mprintf("DELETE FROM cityatlas_layers WHERE id = %Q", id);
    if (rc == ERR_OK) {
        rc = store_exec(st, sql, err);
    }
    sqlite3_free(sql);
    /* Readers reload the catalog when the generation (the version counter) moves. */
    int64_t version = 0;
    if (rc == ERR_OK) {
        rc = next_version(st, &version, err);
    }
    return rc;
}

void store_layer_writer_free(struct store_layer_writer *w)
{
    if (w == NULL) {
        return;
    }
    sqlite3_finalize(w->insert);
    for (size_t i = 0; i < w->n_fields; i++) {
        free((char *)w->fields[i].name);
        free((char *)w->fields[i].source_type);
        free((char *)w->fields[i].source_name);
    }
    free(w->fields);
    for (size_t i = 0; i < w->n_triggers; i++) {
        free(w->triggers[i]);
    }
    free(w->triggers);
    free(w->id);
    free(w->table_name);
    free(w->old_table_name);
    free(w);
}

int store_layers_list(struct store *st, struct store_layer_info **out, size_t *n_out,
                      struct err *err)
{
    *out = NULL;
    *n_out = 0;
    static const char sql[] =
        "SELECT id, title_en, title_th, theme, geometry_type, source_path, source_layer,"
        " source_crs, source_encoding, imported_at, table_name, feature_count, rejected_count,"
        " version, min_lon, min_lat, max_lon, max_lat"
        " FROM cityatlas_layers ORDER BY theme, id";
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK) {
        return store_db_error(st, "reading the layer registry", err);
    }
    size_t n = 0, cap = 0;
    struct store_layer_info *infos = NULL;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap == 0 ? 16 : cap * 2;
            infos = xreallocarray(infos, cap, sizeof(*infos));
        }
        struct store_layer_info *li = &infos[n++];
        memset(li, 0, sizeof(*li));
        char **texts[] = {&li->id,           &li->title_en,      &li->title_th,
                          &li->theme,        &li->geometry_type, &li->source_path,
                          &li->source_layer, &li->source_crs,    &li->source_encoding,
                          &li->imported_at,  &li->table_name};
        for (int c = 0; c < (int)(sizeof(texts) / sizeof(texts[0])); c++) {
            *texts[c] = store_column_dup(s, c);
        }
        li->feature_count = sqlite3_column_int64(s, 11);
        li->rejected_count = sqlite3_column_int64(s, 12);
        li->version = sqlite3_column_int64(s, 13);
        li->has_extent = sqlite3_column_type(s, 14) != SQLITE_NULL;
        li->min_lon = sqlite3_column_double(s, 14);
        li->min_lat = sqlite3_column_double(s, 15);
        li->max_lon = sqlite3_column_double(s, 16);
        li->max_lat = sqlite3_column_double(s, 17);
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) {
        store_layer_infos_free(infos, n);
        return store_db_error(st, "reading the layer registry", err);
    }
    *out = infos;
    *n_out = n;
    return ERR_OK;
}

void store_layer_infos_free(struct store_layer_info *infos, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct store_layer_info *li = &infos[i];
        free(li->id);
        free(li->title_en);
        free(li->title_th);
        free(li->theme);
        free(li->geometry_type);
        free(li->source_path);
        free(li->source_layer);
        free(li->source_crs);
        free(li->source_encoding);
        free(li->imported_at);
        free(li->table_name);
    }
    free(infos);
}
