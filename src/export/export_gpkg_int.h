/* export_gpkg_int.h - what export_gpkg.c and export_gpkg_layer.c share: the open
 * GeoPackage being written and the writing of one table into it. */
#ifndef CITYATLAS_EXPORT_EXPORT_GPKG_INT_H
#define CITYATLAS_EXPORT_EXPORT_GPKG_INT_H

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "export/export_gpkg.h"
#include "import/gdal_errors.h"

struct export_gpkg_job {
    GDALDatasetH ds;
    OGRSpatialReferenceH srs;     /* EPSG:4326, longitude/latitude order */
    OGRGeometryH clip;            /* the extent as a polygon; NULL: no clipping */
    const struct gdal_errors *ge; /* captures GDAL's messages for the whole write */
};

/* The store query an export runs for one layer: the extent as its bbox (geometry layers
 * only), the layer's filter, every field. The caller sets limit and offset. */
void export_gpkg_query(const struct export_gpkg_spec *spec, const struct export_gpkg_layer *l,
                       struct store_query *q);

/* A message for a failed GDAL call: "what: GDAL's message" (or "what failed" when GDAL
 * said nothing). Returns code. */
int export_gpkg_gdal_error(const struct export_gpkg_job *job, struct err *err, enum err_code code,
                           const char *what);

/* The geometry type table l declares (wkbNone without geometry). */
OGRwkbGeometryType export_gpkg_table_type(const struct export_gpkg_layer *l);

/* Writes the layer_styles table with a row for each layer of spec that has a style. */
int export_gpkg_styles_write(const struct export_gpkg_job *job, const struct export_gpkg_spec *spec,
                             struct err *err) WARN_UNUSED;

/* Creates table l->out_name and writes the layer's matching features into it, in one
 * transaction. *n_written counts the features written (clipping may leave some out). */
int export_gpkg_layer_write(struct store_read *rd, const struct export_gpkg_job *job,
                            const struct export_gpkg_spec *spec, const struct export_gpkg_layer *l,
                            int64_t *n_written, struct err *err) WARN_UNUSED;

#endif
