/* layer_export.c - see layer_export.h. */
#include "import/layer_export.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <cpl_string.h>
#include <cpl_vsi.h>
#include <gdal.h>
#include <gdal_utils.h>

#include "base/utf8.h"
#include "import/gdal_errors.h"

const char *const layer_export_formats[] = {"GPKG", "ESRI Shapefile", "CSV", "GeoJSON", "KML",
                                            NULL};

/* ogr2ogr's arguments for format: layer creation options that keep Thai text readable. */
static char **translate_args(const char *format, const char *id)
{
    char **args = NULL;
    args = CSLAddString(args, "-f");
    args = CSLAddString(args, format);
    args = CSLAddString(args, "-nln");
    args = CSLAddString(args, id);
    if (strcmp(format, "ESRI Shapefile") == 0) {
        args = CSLAddString(args, "-lco");
        args = CSLAddString(args, "ENCODING=UTF-8"); /* writes the .cpg */
    } else if (strcmp(format, "CSV") == 0) {
        args = CSLAddString(args, "-lco");
        args = CSLAddString(args, "WRITE_BOM=YES");
        args = CSLAddString(args, "-lco");
        args = CSLAddString(args, "GEOMETRY=AS_WKT");
    } else if (strcmp(format, "GeoJSON") == 0) {
        args = CSLAddString(args, "-lco");
        args = CSLAddString(args, "RFC7946=YES");
    }
    args = CSLAddString(args, id);
    return args;
}

static const char *known_format(const char *format)
{
    if (strcasecmp(format, "Shapefile") == 0) {
        return "ESRI Shapefile";
    }
    for (size_t i = 0; layer_export_formats[i] != NULL; i++) {
        if (strcasecmp(format, layer_export_formats[i]) == 0) {
            return layer_export_formats[i];
        }
    }
    return NULL;
}

int layer_export(const char *db_path, const char *id, const char *format, const char *out_path,
                 struct err *err)
{
    const char *driver = known_format(format);
    if (driver == NULL) {
        return err_set(err, ERR_INVALID,
                       "unknown format '%s' (GPKG, Shapefile, CSV, GeoJSON or KML)",
                       utf8_excerpt(format, 40).text);
    }
    VSIStatBufL sb;
    if (VSIStatL(out_path, &sb) == 0) {
        return err_set(err, ERR_INVALID, "%s already exists; remove it or choose another name",
                       out_path);
    }
    struct gdal_errors ge;
    gdal_errors_begin(&ge);
    const char *drivers[] = {"SQLite", NULL};
    GDALDatasetH src = GDALOpenEx(db_path, GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, NULL, NULL);
    char **args = translate_args(driver, id);
    GDALVectorTranslateOptions *o = GDALVectorTranslateOptionsNew(args, NULL);
    CSLDestroy(args);
    GDALDatasetH out = NULL;
    if (src != NULL && o != NULL) {
        int usage_error = 0;
        out = GDALVectorTranslate(out_path, NULL, 1, &src, o, &usage_error);
    }
    int rc = ERR_OK;
    if (out == NULL || ge.n_failures > 0) {
        rc = err_set(err, ERR_IO, "cannot write %s as %s: %s", out_path, driver,
                     ge.n_failures ? ge.first_failure : "GDAL failed without a message");
    }
    if (out != NULL) {
        GDALClose(out);
    }
    gdal_errors_end(&ge);
    GDALVectorTranslateOptionsFree(o);
    if (src != NULL) {
        GDALClose(src);
    }
    return rc;
}
