/* source_files.h - turns what the user named (a file, a folder, a zip) into the list of
 * files GDAL should open, refusing what must not be read: zip bombs, archive entries
 * that climb out with "..", and symlinks that lead outside the named folder. */
#ifndef CITYATLAS_IMPORT_SOURCE_FILES_H
#define CITYATLAS_IMPORT_SOURCE_FILES_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

/* Caps that separate real data from archives built to exhaust the disk or memory. */
#define SOURCE_ZIP_MAX_ENTRIES 10000
#define SOURCE_ZIP_MAX_TOTAL_BYTES (8ull << 30) /* uncompressed, all entries */
#define SOURCE_ZIP_MAX_RATIO 200                /* uncompressed / compressed ... */
#define SOURCE_ZIP_RATIO_FLOOR (64ull << 20)    /* ... checked above this size */

struct source_file {
    char *gdal_path;    /* what GDAL opens: a canonical path or /vsizip/<zip>/<entry> */
    char *display_path; /* for messages, e.g. "roads.zip:roads/roads.shp" */
    char *stem;         /* file name without extension, e.g. "roads" */
    char *archive_path; /* canonical path of the zip the file is in; NULL when not in one */
};

struct source_files {
    struct source_file *files;
    size_t n;
    char *named_stem; /* stem of what the user named (file, folder or zip) */
    int is_container; /* 1 when the user named a folder or zip */
};

/* Expands source. ERR_NOT_FOUND when it does not exist; ERR_INVALID for a corrupt or
 * hostile zip, a path outside the folder, or a folder/zip with no vector data. */
int source_files_expand(const char *source, struct source_files *out, struct err *err) WARN_UNUSED;
void source_files_clear(struct source_files *sf);

#endif
