/* store_schema.c - the registry's DDL (layers, featured statistics) and the schema-version
 * check. */
#include "store/store.h"

#include <stdio.h>

#include "store/store_int.h"

/* The registry: one row per layer, pointing at the table of its current version. */
static const char registry_ddl[] =
    "CREATE TABLE cityatlas_meta ("
    "  key TEXT PRIMARY KEY,"
    "  value TEXT NOT NULL);"
    "CREATE TABLE cityatlas_layers ("
    "  id TEXT PRIMARY KEY,"
    "  table_name TEXT NOT NULL UNIQUE,"
    "  version INTEGER NOT NULL,"
    "  title_en TEXT, title_th TEXT, description_en TEXT, description_th TEXT,"
    "  theme TEXT, source TEXT, source_url TEXT, license TEXT, attribution TEXT,"
    "  name_column TEXT,"
    "  source_path TEXT NOT NULL, source_layer TEXT, source_format TEXT,"
    "  source_crs TEXT, source_encoding TEXT, source_checksum TEXT,"
    "  geometry_type TEXT," /* NULL for attribute-only tables */
    "  feature_count INTEGER NOT NULL,"
    "  rejected_count INTEGER NOT NULL,"
    "  min_lon REAL, min_lat REAL, max_lon REAL, max_lat REAL," /* EPSG:4326 degrees */
    "  fields TEXT NOT NULL,"      /* JSON array of {name,type,source_type} */
    "  imported_at TEXT NOT NULL," /* ISO 8601 UTC */
    "  import_seconds REAL,"
    "  catalog TEXT);" /* the catalog entry as JSON, or NULL */
    "INSERT INTO cityatlas_meta VALUES ('schema_version', '1');"
    /* Versions come from one counter so that a layer deleted and imported again never
     * reuses a version number a client may have cached (ETags are built from it). */
    "INSERT INTO cityatlas_meta VALUES ('last_version', '0');";

/* Featured statistics, in catalog order (position 0, 1, ...); definition is the catalog
 * entry as compact JSON. The table came after schema version 1 shipped. Adding it changes
 * nothing older binaries read, so the version stays 1: every import creates it when
 * missing, and the read side takes a missing table for an empty list. */
static const char featured_ddl[] = "CREATE TABLE IF NOT EXISTS cityatlas_featured ("
                                   "  id TEXT PRIMARY KEY,"
                                   "  position INTEGER NOT NULL,"
                                   "  definition TEXT NOT NULL)";

static int table_exists(struct store *st, const char *name, int *exists, struct err *err)
{
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT count(*) FROM sqlite_master WHERE type='table' AND name=?", -1,
                           &stmt, NULL) != SQLITE_OK) {
        return store_db_error(st, "reading the schema", err);
    }
    sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
    int rc = sqlite3_step(stmt);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(stmt);
        return store_db_error(st, "reading the schema", err);
    }
    *exists = sqlite3_column_int(stmt, 0) > 0;
    sqlite3_finalize(stmt);
    return ERR_OK;
}

int store_schema_check(struct store *st, struct err *err)
{
    int exists = 0;
    int rc = table_exists(st, "cityatlas_meta", &exists, err);
    if (rc != ERR_OK) {
        return rc;
    }
    if (!exists) {
        return err_set(err, ERR_INVALID,
                       "%s is not a cityatlas database (no layer registry); create one with "
                       "'cityatlas import --db %s SOURCE'",
                       st->path, st->path);
    }
    int64_t version = 0;
    rc = store_query_int(
        st, "SELECT CAST(value AS INTEGER) FROM cityatlas_meta WHERE key='schema_version'",
        &version, err);
    if (rc != ERR_OK) {
        return rc;
    }
    if (version != STORE_SCHEMA_VERSION) {
        return err_set(err, ERR_INVALID,
                       "database %s has schema version %lld; this cityatlas reads version %d",
                       st->path, (long long)version, STORE_SCHEMA_VERSION);
    }
    return ERR_OK;
}

/* The server reprojects with SpatiaLite's ST_Transform, which needs each output CRS in
 * spatial_ref_sys; WGS84 mode has EPSG:4326 and the UTM zones (32647) but not Indian 1975 /
 * UTM 47N (24047, the Thai survey grid) nor Web Mercator (3857). Added on every import so
 * that databases made by older versions gain them too. */
static int add_output_crs(struct store *st, struct err *err)
{
    static const char sql[] = "SELECT InsertEpsgSrid(24047) WHERE NOT EXISTS "
                              "(SELECT 1 FROM spatial_ref_sys WHERE srid = 24047);"
                              "SELECT InsertEpsgSrid(3857) WHERE NOT EXISTS "
                              "(SELECT 1 FROM spatial_ref_sys WHERE srid = 3857);";
    return store_exec(st, sql, err);
}

int store_schema_ensure(struct store *st, struct err *err)
{
    int has_spatial = 0;
    int rc = table_exists(st, "spatial_ref_sys", &has_spatial, err);
    if (rc != ERR_OK) {
        return rc;
    }
    if (!has_spatial) {
        /* Inside our own transaction (first argument 0); WGS84 mode loads EPSG:4326 and the
         * WGS 84 UTM zones only, which keeps a new database small and fast to create. */
        int64_t ok = 0;
        rc = store_query_int(st, "SELECT InitSpatialMetadata(0, 'WGS84')", &ok, err);
        if (rc == ERR_OK && ok != 1) {
            rc = err_set(err, ERR_DB, "SpatiaLite could not create its metadata in %s", st->path);
        }
        if (rc != ERR_OK) {
            return rc;
        }
    }
    rc = add_output_crs(st, err);
    if (rc != ERR_OK) {
        return rc;
    }
    int has_registry = 0;
    rc = table_exists(st, "cityatlas_meta", &has_registry, err);
    if (rc != ERR_OK) {
        return rc;
    }
    if (!has_registry) {
        rc = store_exec(st, registry_ddl, err);
        if (rc != ERR_OK) {
            return rc;
        }
    }
    rc = store_schema_check(st, err);
    if (rc == ERR_OK) {
        rc = store_exec(st, featured_ddl, err);
    }
    return rc;
}
