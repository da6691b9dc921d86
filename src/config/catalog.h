/* catalog.h - datasets/catalog.json: the list of a city's datasets with their titles,
 * themes, licences and import hints. Parsed strictly (unknown keys are errors, so a
 * typo in a hint is reported instead of silently ignored) into read-only structs. */
#ifndef CITYATLAS_CONFIG_CATALOG_H
#define CITYATLAS_CONFIG_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"

/* Import hints: how to read a source when the file itself does not say. */
struct catalog_hints {
    char *layer;       /* source layer name (multi-layer sources); NULL = every layer */
    char *encoding;    /* text encoding of a DBF, e.g. "CP874" */
    char *s_srs;       /* source CRS when the file has none, e.g. "EPSG:32647" */
    char *name_column; /* attribute holding each feature's display name */
    char *x_column;    /* CSV column of x / longitude */
    char *y_column;    /* CSV column of y / latitude */
};

struct catalog_dataset {
    char *id; /* slug */
    char *title_en, *title_th;
    char *description_en, *description_th;
    char *theme; /* one of catalog_themes */
    char *source, *source_url, *license, *attribution;
    char *path; /* canonical absolute path, checked to lie inside the catalog's folder */
    struct catalog_hints hints;
    char *json; /* the entry as compact JSON, stored in the layer registry */
};

struct catalog {
    char *path;
    char *city_id, *city_title_en, *city_title_th;
    struct catalog_dataset *datasets;
    size_t n_datasets;
};

/* Loads and validates a catalog. Every error names the file and the JSON path
 * (e.g. "datasets[3].theme"). Free with catalog_free(). */
int catalog_load(const char *path, struct catalog **out, struct err *err) WARN_UNUSED;
void catalog_free(struct catalog *cat); /* NULL is fine */

/* The themes a dataset may have (the civic groups' topics), NULL-terminated. */
extern const char *const catalog_themes[];
bool catalog_is_theme(const char *theme);

/* Frees the strings of hints (not the struct itself). */
void catalog_hints_clear(struct catalog_hints *hints);

#endif
