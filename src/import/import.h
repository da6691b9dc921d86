/* import.h - the import pipeline: sources (files, folders, zips; any GDAL vector format)
 * -> encoding fix -> validity check and repair -> reprojection to EPSG:4326 -> store.
 * The only code that includes GDAL/OGR and PROJ headers is in import/.
 *
 * One import_run is one transaction: either every layer it names is replaced, or, when
 * anything fails (or the process dies), the database stays exactly as it was. */
#ifndef CITYATLAS_IMPORT_IMPORT_H
#define CITYATLAS_IMPORT_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "config/catalog.h"
#include "store/store.h"
#include "store/store_read.h"

/* Registry metadata for the layers of one job; strings borrowed, NULL when unknown. */
struct import_meta {
    const char *title_en, *title_th;
    const char *description_en, *description_th;
    const char *theme;
    const char *source, *source_url, *license, *attribution;
    const char *catalog_json;
};

struct import_job {
    const char *source; /* file, folder or zip as the user named it */
    const char *id;     /* NULL: derived from file and layer names */
    struct import_meta meta;
    const struct catalog_hints *hints; /* may be NULL */
};

/* Called now and then while features are read; total is -1 when unknown. */
typedef void (*import_progress_fn)(void *ctx, const char *layer_id, int64_t done, int64_t total);

struct import_options {
    bool allow_replace; /* let an id taken by another source be replaced */
    bool strict;      /* a rejected feature, or a geometry cell that cannot be read, fails it all */
    bool split_types; /* a layer of points, lines and polygons becomes one layer each */
    bool append;      /* add the features to the existing layer (same fields) */
    /* A layer whose source checksum, source layer and catalog entry match the registry's
     * is left as it is (same version, so ETags and caches stay): catalog re-imports. */
    bool skip_unchanged;
    /* A dry run (st NULL) checks against this database when set: id collisions with other
     * sources, and the city's extent for the far-away warning. */
    struct store *check_db;
    /* A catalog's city profile (JSON) when a catalog is imported, whole or one dataset:
     * its extent is the city's for the far-away warning (far_check.h); NULL otherwise. */
    const char *city_for_extent;
    /* A catalog import of every dataset makes featured[n_featured] (the catalog's featured
     * statistics, possibly none) the stored list, in the same transaction as the layers;
     * false leaves the stored list as it is. Ignored by dry runs. */
    bool replace_featured;
    const struct store_featured_def *featured;
    size_t n_featured;
    const char *city_json; /* with replace_featured: the catalog's city profile, or NULL */
    import_progress_fn progress;
    void *progress_ctx;
};

#define IMPORT_MAX_NOTES 8

/* What happened to one layer; every string is owned by the report. */
struct import_layer_report {
    char *id;
    char *display_path; /* e.g. "cm.zip:cm/tambon.shp" */
    char *source_layer;
    char *format;   /* GDAL driver, e.g. "ESRI Shapefile" */
    char *crs_from; /* e.g. "EPSG:24047" */
    char *encoding; /* e.g. "CP874 (detected)"; NULL when the format fixes it */
    int64_t n_read, n_imported, n_rejected, n_repaired, n_without_geometry;
    /* Of n_without_geometry: rows whose geometry cell held text that could not be read (a
     * WKT that does not parse, a coordinate that is not a number); --strict fails on them. */
    int64_t n_unreadable_geometry;
    char *rejects[IMPORT_MAX_NOTES]; /* "feature 12: reason", the first few */
    size_t n_rejects;
    char *warnings[IMPORT_MAX_NOTES]; /* GDAL warnings and repairs, the first few */
    size_t n_warnings;
    char *samples[IMPORT_MAX_NOTES]; /* "field = text": the first non-ASCII values, decoded */
    bool has_extent;
    double min_lon, min_lat, max_lon, max_lat; /* EPSG:4326 degrees, of what was imported */
    size_t n_samples;
    double seconds;
    char *error;       /* NULL when the layer was read completely */
    bool is_unchanged; /* skipped: same source as the stored version (skip_unchanged) */
    /* The layer as it would be stored, when read completely: e.g. "MULTIPOLYGON",
     * "GEOMETRY" when mixed, NULL for a table; and its fields (names, types). A dry run's
     * featured statistics are checked against them. */
    char *geometry_type;
    struct store_field_info *fields;
    size_t n_fields;
};

struct import_report {
    struct import_layer_report *layers;
    size_t n_layers;
    char **errors; /* failures not tied to one layer (missing file, bad zip, ...) */
    size_t n_errors;
    char **notes; /* things skipped on purpose (empty layers of a GPX, ...) */
    size_t n_notes;
    bool dry_run;
    bool committed;
};

/* Runs the jobs. st NULL means a dry run ("cityatlas check"): everything is read and
 * checked, nothing is written. Returns ERR_OK when every layer was imported (features
 * may have been rejected: see the report); otherwise the first error, with nothing
 * changed in the database. The report is filled in both cases; clear it with
 * import_report_clear(). */
int import_run(struct store *st, const struct import_job *jobs, size_t n_jobs,
               const struct import_options *opts, struct import_report *report,
               struct err *err) WARN_UNUSED;
void import_report_clear(struct import_report *r);

/* Registers GDAL's drivers; call once before import_run. */
void import_init(void);
/* Releases GDAL's and PROJ's global caches (for leak checkers); call once at exit. */
void import_shutdown(void);

#endif
