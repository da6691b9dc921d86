/* path.h - file path helpers: joining, and keeping resolved paths inside a folder
 * the user named (so a catalog entry or a symlink cannot reach other files). */
#ifndef CITYATLAS_BASE_PATH_H
#define CITYATLAS_BASE_PATH_H

#include <stdbool.h>

#include "base/err.h"

/* Returns the folder part of path ("." when there is none); free with free(). */
char *path_dirname(const char *path);

/* Returns the last component of path without its extension ("a/b/roads.shp" -> "roads");
 * free with free(). */
char *path_stem(const char *path);

/* Returns the lowercase extension without the dot ("" when none); borrowed from path. */
const char *path_extension(const char *path, char *out, int cap);

/* Resolves rel against base_dir (rel may be absolute) to a canonical path and checks that
 * it lies inside base_dir. *out is freed with free(). ERR_NOT_FOUND when it does not
 * exist, ERR_INVALID when it resolves outside base_dir. */
int path_resolve_within(const char *base_dir, const char *rel, char **out,
                        struct err *err) WARN_UNUSED;

/* qsort comparator for an array of path strings (char *), in byte order. */
int path_compare(const void *a, const void *b);

/* True when child (canonical) equals parent (canonical) or lies below it. */
bool path_is_within(const char *parent, const char *child);

#endif
