/* export_gpkg_styles.c - the layer_styles table of a GeoPackage: the table QGIS reads a
 * layer's default style from when it opens the file (and writes when a user saves a style
 * into it), with QGIS's own columns, so a bundle opens in QGIS drawn as on the poster. */
#include "export/export_gpkg_int.h"

#include <stdio.h>
#include <time.h>

#include <cpl_string.h>

#define STYLES_TABLE "layer_styles"

static const struct {
    const char *name;
    OGRFieldType type;
    OGRFieldSubType subtype;
} columns[] = {
    {"f_table_catalog", OFTString, OFSTNone},
    {"f_table_schema", OFTString, OFSTNone},
    {"f_table_name", OFTString, OFSTNone},
    {"f_geometry_column", OFTString, OFSTNone},
    {"styleName", OFTString, OFSTNone},
    {"styleQML", OFTString, OFSTNone},
    {"styleSLD", OFTString, OFSTNone},
    {"useAsDefault", OFTInteger, OFSTBoolean},
    {"description", OFTString, OFSTNone},
    {"owner", OFTString, OFSTNone},
    {"ui", OFTString, OFSTNone},
    {"update_time", OFTDateTime, OFSTNone},
};
enum {
    C_CATALOG,
    C_SCHEMA,
    C_TABLE,
    C_GEOM,
    C_NAME,
    C_QML,
    C_SLD,
    C_DEFAULT,
    C_DESCRIPTION,
    N_COLUMNS = sizeof(columns) / sizeof(columns[0])
};

static bool has_styles(const struct export_gpkg_spec *spec)
{
    for (size_t i = 0; i < spec->n_layers; i++) {
        if (spec->layers[i].style != NULL) {
            return true;
        }
    }
    return false;
}

static int create_styles_table(const struct export_gpkg_job *job, OGRLayerH *out, struct err *err)
{
    char **options = CSLSetNameValue(NULL, "FID", "id");
    *out = GDALDatasetCreateLayer(job->ds, STYLES_TABLE, NULL, wkbNone, options);
    CSLDestroy(options);
    if (*out == NULL) {
        return export_gpkg_gdal_error(job, err, ERR_INTERNAL, "creating table layer_styles");
    }
    for (size_t i = 0; i < N_COLUMNS; i++) {
        OGRFieldDefnH fd = OGR_Fld_Create(columns[i].name, columns[i].type);
        OGR_Fld_SetSubType(fd, columns[i].subtype);
        OGRErr oe = OGR_L_CreateField(*out, fd, FALSE);
        OGR_Fld_Destroy(fd);
        if (oe != OGRERR_NONE) {
            return export_gpkg_gdal_error(job, err, ERR_INTERNAL, "creating layer_styles' fields");
        }
    }
    return ERR_OK;
}

static int write_style_row(const struct export_gpkg_job *job, OGRLayerH table,
                           const struct export_gpkg_layer *l, const struct tm *now, struct err *err)
{
    OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(table));
    OGR_F_SetFieldString(f, C_CATALOG, "");
    OGR_F_SetFieldString(f, C_SCHEMA, "");
    OGR_F_SetFieldString(f, C_TABLE, l->out_name);
    OGR_F_SetFieldString(f, C_GEOM, "geom");
    OGR_F_SetFieldString(f, C_NAME, l->style->name != NULL ? l->style->name : l->out_name);
    OGR_F_SetFieldString(f, C_QML, l->style->qml != NULL ? l->style->qml : "");
    if (l->style->sld != NULL) {
        OGR_F_SetFieldString(f, C_SLD, l->style->sld);
    }
    OGR_F_SetFieldInteger(f, C_DEFAULT, 1);
    OGR_F_SetFieldString(f, C_DESCRIPTION, l->title != NULL ? l->title : l->out_name);
    OGR_F_SetFieldDateTimeEx(f, N_COLUMNS - 1, now->tm_year + 1900, now->tm_mon + 1, now->tm_mday,
                             now->tm_hour, now->tm_min, (float)now->tm_sec, 100);
    int rc = ERR_OK;
    if (OGR_L_CreateFeature(table, f) != OGRERR_NONE) {
        char what[160];
        snprintf(what, sizeof(what), "writing the style of table '%s'", l->out_name);
        rc = export_gpkg_gdal_error(job, err, ERR_IO, what);
    }
    OGR_F_Destroy(f);
    return rc;
}

int export_gpkg_styles_write(const struct export_gpkg_job *job, const struct export_gpkg_spec *spec,
                             struct err *err)
{
    if (!has_styles(spec)) {
        return ERR_OK;
    }
    OGRLayerH table = NULL;
    int rc = create_styles_table(job, &table, err);
    time_t t = time(NULL);
    struct tm now;
    gmtime_r(&t, &now);
    for (size_t i = 0; rc == ERR_OK && i < spec->n_layers; i++) {
        if (spec->layers[i].style != NULL && export_gpkg_table_type(&spec->layers[i]) != wkbNone) {
            rc = write_style_row(job, table, &spec->layers[i], &now, err);
        }
    }
    return rc;
}
