/* import_int.h - internals shared by import_run.c and import_layer.c. */
#ifndef CITYATLAS_IMPORT_IMPORT_INT_H
#define CITYATLAS_IMPORT_IMPORT_INT_H

#include <gdal.h>
#include <ogr_api.h>

#include "import/columns.h"
#include "import/import.h"
#include "import/reproject.h"

/* Everything decided about one layer before its features are read. */
struct layer_plan {
    const char *id;
    const char *source_path; /* GDAL path of the file, recorded in the registry */
    const char *source_layer;
    const char *format;
    const char *checksum;
    const char *encoding;       /* report text, NULL when the format fixes it */
    const char *source_crs;     /* as reported, e.g. "EPSG:32647 (given)"; NULL for tables */
    const char *name_column;    /* checked to exist, or NULL */
    struct reproject *rp;       /* NULL for attribute-only tables */
    const struct columns *cols; /* coordinate columns, codes kept as text, skipped twins */
    const struct import_meta *meta;
    const struct import_options *opts;
};

/* Reads every feature of layer into st (NULL: dry run) as layer plan->id, filling rep.
 * Returns ERR_OK when the layer was read completely. */
int import_layer(struct store *st, OGRLayerH layer, const struct layer_plan *plan,
                 struct import_layer_report *rep, struct err *err) WARN_UNUSED;

/* Appends a note to a fixed list (the first IMPORT_MAX_NOTES are kept). */
void import_note(char **notes, size_t *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
