/* export_gpkg_layer.c - one store layer into one GeoPackage table: the table and its fields
 * from the layer's schema (and its lookup column), then the features from a store cursor,
 * each geometry converted from its blob, clipped and shaped to the table's type
 * (export_ogr_geom.h), which drops the features of other shapes from a one-shape table. */
#include "export/export_gpkg_int.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <cpl_string.h>

#include "export/export_ogr_geom.h"

void export_gpkg_query(const struct export_gpkg_spec *spec, const struct export_gpkg_layer *l,
                       struct store_query *q)
{
    *q = (struct store_query){.layer = l->layer, .filter = l->filter, .out_srid = 4326};
    if (spec->has_extent && l->layer->geometry_type != NULL) {
        q->has_bbox = true;
        for (int i = 0; i < 4; i++) {
            q->bbox[i] = spec->extent[i];
        }
    }
}

static OGRFieldType ogr_field_type(enum store_type t)
{
    switch (t) {
    case STORE_INTEGER:
        return OFTInteger64;
    case STORE_REAL:
        return OFTReal;
    case STORE_BLOB:
        return OFTBinary;
    default:
        return OFTString;
    }
}

static int create_field(const struct export_gpkg_job *job, OGRLayerH out, const char *name,
                        OGRFieldType type, struct err *err)
{
    OGRFieldDefnH fd = OGR_Fld_Create(name, type);
    OGRErr oe = OGR_L_CreateField(out, fd, FALSE);
    OGR_Fld_Destroy(fd);
    if (oe != OGRERR_NONE) {
        char what[160];
        snprintf(what, sizeof(what), "creating field '%s'", name);
        return export_gpkg_gdal_error(job, err, ERR_INTERNAL, what);
    }
    return ERR_OK;
}

/* The layer's fields in store order, then the lookup columns. */
static int create_fields(const struct export_gpkg_job *job, OGRLayerH out,
                         const struct export_gpkg_layer *l, struct err *err)
{
    int rc = ERR_OK;
    for (size_t i = 0; rc == ERR_OK && i < l->layer->n_fields; i++) {
        rc = create_field(job, out, l->layer->fields[i].name,
                          ogr_field_type(l->layer->fields[i].type), err);
    }
    for (size_t i = 0; rc == ERR_OK && i < l->n_lookups; i++) {
        rc = create_field(job, out, l->lookups[i].name, OFTString, err);
    }
    return rc;
}

OGRwkbGeometryType export_gpkg_table_type(const struct export_gpkg_layer *l)
{
    switch (l->shape) {
    case EXPORT_GPKG_POINTS:
        return wkbMultiPoint;
    case EXPORT_GPKG_LINES:
        return wkbMultiLineString;
    case EXPORT_GPKG_POLYGONS:
        return wkbMultiPolygon;
    case EXPORT_GPKG_AS_STORED:
        break;
    }
    return export_ogr_geom_layer_type(l->layer->geometry_type);
}

static int create_table(const struct export_gpkg_job *job, const struct export_gpkg_layer *l,
                        OGRLayerH *out, struct err *err)
{
    OGRwkbGeometryType type = export_gpkg_table_type(l);
    char **options = NULL;
    options = CSLSetNameValue(options, "FID", "fid");
    options = CSLSetNameValue(options, "GEOMETRY_NAME", "geom");
    options = CSLSetNameValue(options, "IDENTIFIER", l->title != NULL ? l->title : l->out_name);
    if (l->description != NULL) {
        options = CSLSetNameValue(options, "DESCRIPTION", l->description);
    }
    *out = GDALDatasetCreateLayer(job->ds, l->out_name, type == wkbNone ? NULL : job->srs, type,
                                  options);
    CSLDestroy(options);
    if (*out == NULL) {
        return export_gpkg_gdal_error(job, err, ERR_INTERNAL, "creating the table");
    }
    return create_fields(job, *out, l, err);
}

/* The lookup's value for a row: the value whose key equals field `from` (at index
 * from_index of the row), or "" when none does. */
static const char *lookup_value(const struct export_gpkg_lookup *lookup, long from_index,
                                const struct store_feature *row)
{
    const struct store_value *v =
        from_index >= 0 && (size_t)from_index < row->n_values ? &row->values[from_index] : NULL;
    for (size_t i = 0; v != NULL && !v->is_null && v->type == STORE_TEXT && i < lookup->n; i++) {
        if (strlen(lookup->keys[i]) == v->len && memcmp(lookup->keys[i], v->ptr, v->len) == 0) {
            return lookup->values[i];
        }
    }
    return "";
}

static void set_field(OGRFeatureH f, int i, const struct store_value *v)
{
    if (v->is_null) {
        OGR_F_SetFieldNull(f, i);
        return;
    }
    switch (v->type) {
    case STORE_INTEGER:
        OGR_F_SetFieldInteger64(f, i, v->i);
        break;
    case STORE_REAL:
        OGR_F_SetFieldDouble(f, i, v->d);
        break;
    case STORE_BLOB:
        /* Blobs come from imported fields, far below 2 GB; a longer one is cut at INT_MAX. */
        OGR_F_SetFieldBinary(f, i, v->len > INT_MAX ? INT_MAX : (int)v->len, v->ptr);
        break;
    default:
        OGR_F_SetFieldString(f, i, v->ptr != NULL ? v->ptr : "");
        break;
    }
}

/* The feature's geometry as the table takes it; *keep false when clipping leaves nothing. */
static int feature_geometry(const struct export_gpkg_job *job, OGRwkbGeometryType type,
                            const struct store_feature *row, OGRFeatureH f, bool *keep,
                            struct err *err)
{
    *keep = true;
    if (type == wkbNone || row->geom == NULL) {
        return ERR_OK;
    }
    OGRGeometryH g = NULL, fitted = NULL;
    int rc = export_ogr_geom_from_blob(row->geom, row->geom_len, &g, err);
    if (rc == ERR_OK) {
        rc = export_ogr_geom_fit(g, job->clip, type, &fitted, err);
    }
    OGR_G_DestroyGeometry(g);
    if (rc != ERR_OK) {
        return err_prefix(err, "feature %lld", (long long)row->fid);
    }
    *keep = fitted != NULL;
    if (fitted != NULL) {
        OGR_F_SetGeometryDirectly(f, fitted);
    }
    return ERR_OK;
}

static int write_row(const struct export_gpkg_job *job, OGRLayerH out, OGRwkbGeometryType type,
                     const struct export_gpkg_layer *l, const struct store_feature *row,
                     int64_t *n_written, struct err *err)
{
    OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(out));
    OGR_F_SetFID(f, row->fid);
    for (size_t i = 0; i < row->n_values; i++) {
        set_field(f, (int)i, &row->values[i]);
    }
    for (size_t i = 0; i < l->n_lookups; i++) {
        const struct export_gpkg_lookup *lookup = &l->lookups[i];
        OGR_F_SetFieldString(
            f, (int)(row->n_values + i),
            lookup_value(lookup, store_layer_field_index(l->layer, lookup->from), row));
    }
    bool keep;
    int rc = feature_geometry(job, type, row, f, &keep, err);
    if (rc == ERR_OK && keep) {
        if (OGR_L_CreateFeature(out, f) != OGRERR_NONE) {
            char what[64];
            snprintf(what, sizeof(what), "writing feature %lld", (long long)row->fid);
            rc = export_gpkg_gdal_error(job, err, ERR_IO, what);
        } else {
            (*n_written)++;
        }
    }
    OGR_F_Destroy(f);
    return rc;
}

/* Every match in one read (STORE_LIMIT_ALL): paging by OFFSET would re-read every row before
 * each page, and the snapshot already keeps the whole read consistent. */
static int write_rows(struct store_read *rd, const struct export_gpkg_job *job,
                      const struct export_gpkg_spec *spec, const struct export_gpkg_layer *l,
                      OGRLayerH out, int64_t *n_written, struct err *err)
{
    OGRwkbGeometryType type = export_gpkg_table_type(l);
    struct store_query q;
    export_gpkg_query(spec, l, &q);
    q.limit = STORE_LIMIT_ALL;
    struct store_cursor *cur = NULL;
    int rc = store_features_open(rd, &q, &cur, err);
    const struct store_feature *row;
    while (rc == ERR_OK && (rc = store_cursor_next(cur, &row, err)) == 1) {
        rc = write_row(job, out, type, l, row, n_written, err);
    }
    store_cursor_close(cur);
    return rc;
}

int export_gpkg_layer_write(struct store_read *rd, const struct export_gpkg_job *job,
                            const struct export_gpkg_spec *spec, const struct export_gpkg_layer *l,
                            int64_t *n_written, struct err *err)
{
    *n_written = 0;
    OGRLayerH out = NULL;
    int rc = create_table(job, l, &out, err);
    if (rc != ERR_OK) {
        return rc;
    }
    if (GDALDatasetStartTransaction(job->ds, FALSE) != OGRERR_NONE) {
        return export_gpkg_gdal_error(job, err, ERR_IO, "starting a transaction");
    }
    rc = write_rows(rd, job, spec, l, out, n_written, err);
    if (rc != ERR_OK) {
        GDALDatasetRollbackTransaction(job->ds);
        return rc;
    }
    if (GDALDatasetCommitTransaction(job->ds) != OGRERR_NONE) {
        return export_gpkg_gdal_error(job, err, ERR_IO, "committing the table");
    }
    return ERR_OK;
}
