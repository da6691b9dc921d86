/* style_load.h - one style file, styles/<layer-id>.json: a documented subset of the
 * MapLibre style specification (styles/README.md lists it), read with jansson and
 * checked strictly, so that the web map and the poster renderer never meet a property or
 * an expression only one of them understands. The checked document is kept as JSON:
 * the web map reads it as it is, and style_eval.h evaluates its values for the renderer.
 * Owns no state; safe from any thread. */
#ifndef CITYATLAS_STYLES_STYLE_LOAD_H
#define CITYATLAS_STYLES_STYLE_LOAD_H

#include <jansson.h>

#include "base/err.h"

/* Caps that keep a hostile or mistaken file from costing much: a style is a few KiB. */
#define STYLE_MAX_FILE_BYTES (1024 * 1024)
#define STYLE_MAX_LAYERS 64
#define STYLE_MAX_DEPTH 16 /* nesting of expressions */

/* The metadata key naming the layer a style is for, and the one holding its legend
 * title ({"th": ..., "en": ...}). */
#define STYLE_META_LAYER "cityatlas:layer"
#define STYLE_META_LEGEND "cityatlas:legend"

/* Checks doc against the subset. On failure ERR_INVALID with the message
 * "<file>: <JSON path>: <what is wrong>", the path written like
 * "layers[2].paint.circle-radius[3]" ("top level" for the document itself). */
int style_check(const json_t *doc, const char *file, struct err *err) WARN_UNUSED;

/* Reads path (at most STYLE_MAX_FILE_BYTES; duplicate keys refused) and checks it with
 * style_check. On success *out is a new reference: json_decref() it. Errors: ERR_IO when
 * the file cannot be read, ERR_TOO_LARGE over the cap, ERR_INVALID for bad JSON (with
 * its line and column) or a style outside the subset; each message starts with path. */
int style_load_file(const char *path, json_t **out, struct err *err) WARN_UNUSED;

#endif
