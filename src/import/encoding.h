/* encoding.h - which text encoding a shapefile's DBF is in.
 * GDAL honours a .cpg and the DBF's language-driver byte; when both are missing it falls
 * back to ISO-8859-1, which turns Thai (TIS-620/CP874) text into mojibake. Thai agencies'
 * shapefiles often arrive exactly like that, so we look at the bytes ourselves. */
#ifndef CITYATLAS_IMPORT_ENCODING_H
#define CITYATLAS_IMPORT_ENCODING_H

#include <stddef.h>

#include "base/err.h"

enum encoding_origin {
    ENCODING_FROM_USER,         /* --encoding or the catalog's hint */
    ENCODING_FROM_CPG,          /* the .cpg file */
    ENCODING_FROM_LDID,         /* the DBF header's language driver id */
    ENCODING_DETECTED,          /* no declaration; decided from the bytes */
    ENCODING_DETECTED_NOT_ANSI, /* the header says "ANSI" but the bytes are Thai */
};

/* The DBF language driver GDAL and ArcGIS write by default (Windows-1252). */
#define ENCODING_LDID_ANSI 0x57

struct encoding_choice {
    char name[32]; /* GDAL/iconv name, e.g. "CP874", "UTF-8", "ISO-8859-1" */
    enum encoding_origin origin;
    int is_guess; /* detected without strong evidence: warn the user */
};

struct shapefile_info;

/* Decides the encoding of the shapefile at shp_path (a GDAL path; /vsizip/ works), whose
 * headers shapefile_inspect() read into info. user_encoding (may be NULL) wins. */
int encoding_for_shapefile(const char *shp_path, const struct shapefile_info *info,
                           const char *user_encoding, struct encoding_choice *out,
                           struct err *err) WARN_UNUSED;

/* Classifies raw text samples: returns "UTF-8" when every sample is valid UTF-8 (ASCII
 * included), "CP874" when the non-ASCII bytes look like Thai, else "ISO-8859-1" with
 * *is_guess set. Exposed for tests. */
const char *encoding_classify(const char *const *samples, size_t n, int *is_guess);

/* Writes a description of the choice for reports, e.g. "CP874 (detected)", into out and
 * returns out. */
const char *encoding_describe(const struct encoding_choice *c, char *out, size_t cap);

/* Checks that name is an encoding iconv knows; ERR_INVALID otherwise. */
int encoding_check_name(const char *name, struct err *err) WARN_UNUSED;

#endif
