/* style_set.h - the styles `cityatlas serve` offers: every styles/<layer-id>.json of a
 * folder, loaded and checked once at startup, and a default by geometry type for a layer
 * without a (valid) file. A bad file is logged as a warning (file, JSON path, problem)
 * and skipped, so one mistake does not stop the other layers from being served.
 * Read-only once loaded: safe to share between threads. */
#ifndef CITYATLAS_STYLES_STYLE_SET_H
#define CITYATLAS_STYLES_STYLE_SET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "base/err.h"

struct style_set; /* opaque */

/* Files past this many in one folder are not read (logged). */
#define STYLE_SET_MAX_FILES 1024

/* Loads every *.json in dir (in name order). A file's layer is its name without ".json";
 * its metadata "cityatlas:layer" must say the same. *out holds the valid files; the bad
 * ones are logged with log_warn. ERR_IO when dir cannot be read (nothing is returned).
 * Free with style_set_free. */
int style_set_load(const char *dir, struct style_set **out, struct err *err) WARN_UNUSED;
void style_set_free(struct style_set *set); /* NULL is fine */

/* How many files loaded and how many were refused. */
size_t style_set_count(const struct style_set *set);
size_t style_set_n_refused(const struct style_set *set);

/* A hash of every loaded document: changes when a file changes between two starts, so it
 * belongs in ETags. */
uint64_t style_set_digest(const struct style_set *set);

/* The style of layer_id: its file's document, else style_default(). set may be NULL (only
 * defaults). *is_default says which. Returns a new reference (json_decref), or NULL for
 * an attribute table (geometry_type NULL), which is not drawn. */
json_t *style_set_resolve(const struct style_set *set, const char *layer_id,
                          const char *geometry_type, const char *name_column, bool *is_default);

/* The default style of a layer, in the same format as the files: points as circles,
 * lines as lines, polygons as a light fill with an outline; a label layer from
 * name_column when there is one (may be NULL). geometry_type is as the store names it
 * ("POINT", "MULTILINESTRING", ...); an unknown type gets all three. NULL for an
 * attribute table (geometry_type NULL). New reference. */
json_t *style_default(const char *layer_id, const char *geometry_type, const char *name_column);

#endif
