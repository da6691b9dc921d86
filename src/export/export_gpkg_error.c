/* export_gpkg_error.c - GDAL's last message as the export's error: every part of the
 * GeoPackage writer (datasets, layers, styles) reports through it. */
#include <jansson.h>

#include "export/export_gpkg_int.h"

int export_gpkg_gdal_error(const struct export_gpkg_job *job, struct err *err, enum err_code code,
                           const char *what)
{
    const char *msg = job->ge->last_message;
    if (msg[0] == '\0') {
        return err_set(err, code, "%s failed", what);
    }
    return err_set(err, code, "%s: %s", what, msg);
}
