/* shapefile.h - structural checks on a shapefile's parts before GDAL reads it.
 * GDAL reads a .dbf with fewer records than the .shp has shapes without a word, and
 * stops at a truncated .shp only mid-way; both mean the files do not belong together,
 * so we compare the headers first and refuse with a message naming the files. */
#ifndef CITYATLAS_IMPORT_SHAPEFILE_H
#define CITYATLAS_IMPORT_SHAPEFILE_H

#include <stdint.h>

#include "base/err.h"

struct shapefile_info {
    int64_t n_shapes;    /* records in the .shx index */
    int64_t n_records;   /* records declared in the .dbf header; -1 without a .dbf */
    int language_driver; /* .dbf header byte 29; 0 = not declared */
    int has_cpg;
};

/* Reads the headers of shp_path's .shx and .dbf (GDAL paths; /vsizip/ works) and checks
 * that the .shp is as long as its index says and that the .dbf has one record per shape.
 * display names the file in messages. */
int shapefile_inspect(const char *shp_path, const char *display, struct shapefile_info *out,
                      struct err *err) WARN_UNUSED;

#endif
