/* catalog_int.h - what the files of the catalog parser share (catalog.c, the datasets and
 * statistics; catalog_city.c, the city profile): the readers of catalog_read.c, and the
 * city profile's parser. Every error names the file and the JSON path. */
#ifndef CITYATLAS_CONFIG_CATALOG_INT_H
#define CITYATLAS_CONFIG_CATALOG_INT_H

#include <stdbool.h>

#include <jansson.h>

#include "config/catalog.h"

/* Fails when obj has a key not in allowed (NULL-terminated). */
int catalog_check_keys(json_t *obj, const char *const *allowed, const char *where, const char *file,
                       struct err *err) WARN_UNUSED;
/* Copies an optional (required=false) or required non-empty string member into *out
 * (free with free()). */
int catalog_get_string(json_t *obj, const char *key, bool required, const char *where,
                       const char *file, char **out, struct err *err) WARN_UNUSED;
/* {"th": "...", "en": "..."}: English required, Thai optional. */
int catalog_get_text_pair(json_t *obj, const char *key, bool required, const char *where,
                          const char *file, char **en, char **th, struct err *err) WARN_UNUSED;
/* True when id is the id of one of cat's datasets. */
bool catalog_has_dataset(const struct catalog *cat, const char *id);

/* Parses the "city" object (catalog_city.c) after the datasets it refers to: fills
 * cat->city_* and cat->city_json. */
int catalog_city_parse(json_t *city, const char *file, struct catalog *cat,
                       struct err *err) WARN_UNUSED;

#endif
