/* layer_export.h - a layer of the database written to a file researchers open elsewhere
 * (GeoPackage, Shapefile, CSV, GeoJSON, KML), through GDAL reading the layer's stable view.
 * Text stays UTF-8 and says so: a .cpg beside a shapefile, a BOM at the start of a CSV
 * (Excel needs it to read Thai). */
#ifndef CITYATLAS_IMPORT_LAYER_EXPORT_H
#define CITYATLAS_IMPORT_LAYER_EXPORT_H

#include "base/err.h"

/* The formats accepted, as GDAL names them, NULL-terminated. */
extern const char *const layer_export_formats[];

/* Writes layer id of the database at db_path (its view, see store_layer_view_write) to
 * out_path in format (one of layer_export_formats, case-insensitive). ERR_INVALID for an
 * unknown format or an existing out_path; ERR_IO when GDAL cannot write, with its message.
 * Call import_init() first. */
int layer_export(const char *db_path, const char *id, const char *format, const char *out_path,
                 struct err *err) WARN_UNUSED;

#endif
