/* static_files.h - the web map's files (web/ and its node_modules) served at /map/.
 * Owns the mapping from a URL path to a file under the web root and the rules that keep
 * requests inside it; the route table (routes.c) sends "/map" and "/map/..." here. The web
 * root is http_app.web_dir; nothing outside it is ever opened. */
#ifndef CITYATLAS_HTTP_STATIC_FILES_H
#define CITYATLAS_HTTP_STATIC_FILES_H

#include <stdbool.h>

#include "http/transport/request.h"

/* Where the map lives; "/map" redirects to STATIC_FILES_PREFIX. */
#define STATIC_FILES_PREFIX "/map/"
/* Larger files are refused: each is read whole into memory per request. */
#define STATIC_FILES_MAX_BYTES (16u * 1024 * 1024)

/* Startup check: ERR_OK when web_dir is a folder with the npm packages installed
 * (web_dir/node_modules); else ERR_NOT_FOUND with a sentence naming the folder and the
 * script that installs them. NULL web_dir is ERR_NOT_FOUND too. */
int static_files_check_root(const char *web_dir, struct err *err) WARN_UNUSED;

/* True when rel (a path below the web root, already percent-decoded once, without a
 * leading '/') may name a file: non-empty segments, none starting with '.' (so no "..",
 * no dotfiles or dot-folders), no backslash and no control character. A true answer is
 * not enough on its own: symlinks are checked against the root when the file is opened. */
bool static_files_is_safe_path(const char *rel);

/* The Content-Type for a file name, by extension (case-insensitive); unknown ones are
 * application/octet-stream. A static string. */
const char *static_files_mime_type(const char *name);

/* GET/HEAD "/map": 301 to base_url + "/map/" (the query kept), so that the page's
 * relative URLs resolve below /map/. */
int static_files_redirect(struct request *req, struct response *resp, struct err *err);

/* GET/HEAD "/map/" (the bundled page web/dist/index.html that web/build.mjs writes, or
 * the unbundled web/index.html when it was never built), "/map/sw.js" (web/dist/sw.js,
 * the service worker, whose scope is then /map/) and "/map/<path>": the file with its
 * type, an ETag from its size and modification time, Last-Modified and Cache-Control
 * (no-cache for the pages and the worker, a year and immutable for the content-hashed
 * dist/assets/, an hour for the rest). ERR_NOT_FOUND for anything that is not a regular
 * file inside the root; a 503 JSON error when the root or its node_modules is missing. */
int static_files_serve(struct request *req, struct response *resp, struct err *err);

#endif
