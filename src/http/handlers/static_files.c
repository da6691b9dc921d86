/* static_files.c - files of the web map under the web root, with the checks that keep a
 * request from reaching anything else: the path is refused by its text first, then
 * resolved with realpath() and required to stay inside the root (a symlink may point
 * within web/, never out of it), and only a regular file is read. */
#include "http/handlers/static_files.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/log.h"
#include "base/path.h"
#include "http/transport/response.h"
#include "base/utf8.h"

#define INDEX_FILE "index.html"
/* web/build.mjs's output: the bundled page, its service worker, and the content-hashed
 * files they name, which never change under a name. */
#define BUNDLE_INDEX_FILE "dist/index.html"
#define SERVICE_WORKER_FILE "dist/sw.js"
#define HASHED_DIR "dist/assets/"
#define SERVICE_WORKER_PATH "sw.js"

struct mime {
    const char *ext;
    const char *type;
};

/* Text types carry a charset: npm packages and our own files are UTF-8. The text/ and
 * application/ types are the ones server_body.c compresses. */
static const struct mime mime_types[] = {
    {"html", "text/html; charset=utf-8"},
    {"js", "text/javascript; charset=utf-8"},
    {"mjs", "text/javascript; charset=utf-8"},
    {"css", "text/css; charset=utf-8"},
    {"json", "application/json"},
    {"map", "application/json"},
    {"svg", "image/svg+xml"},
    {"png", "image/png"},
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"webp", "image/webp"},
    {"woff2", "font/woff2"},
    {"txt", "text/plain; charset=utf-8"},
};

const char *static_files_mime_type(const char *name)
{
    const char *slash = strrchr(name, '/');
    const char *base = slash != NULL ? slash + 1 : name;
    const char *dot = strrchr(base, '.');
    if (dot != NULL) {
        for (size_t i = 0; i < sizeof(mime_types) / sizeof(mime_types[0]); i++) {
            if (strcasecmp(dot + 1, mime_types[i].ext) == 0) {
                return mime_types[i].type;
            }
        }
    }
    return "application/octet-stream";
}

bool static_files_is_safe_path(const char *rel)
{
    bool is_segment_start = true;
    if (*rel == '\0') {
        return false;
    }
    for (const unsigned char *p = (const unsigned char *)rel; *p != '\0'; p++) {
        if (*p == '\\' || *p < 0x20 || *p == 0x7f) {
            return false;
        }
        if (is_segment_start && (*p == '.' || *p == '/')) {
            return false; /* a dot segment, a dotfile, or an empty segment */
        }
        is_segment_start = *p == '/';
    }
    return !is_segment_start; /* a trailing '/' names a folder */
}

int static_files_check_root(const char *web_dir, struct err *err)
{
    if (web_dir == NULL) {
        return err_set(err, ERR_NOT_FOUND, "no web map folder is configured (--web-dir)");
    }
    struct stat st;
    char *modules = xasprintf("%s/node_modules", web_dir);
    bool has_root = stat(web_dir, &st) == 0 && S_ISDIR(st.st_mode);
    bool has_modules = has_root && stat(modules, &st) == 0 && S_ISDIR(st.st_mode);
    free(modules);
    if (!has_root) {
        return err_set(err, ERR_NOT_FOUND,
                       "the web map folder %s does not exist: /map/ answers 503", web_dir);
    }
    if (!has_modules) {
        return err_set(err, ERR_NOT_FOUND,
                       "%s/node_modules is missing: run scripts/install_web_deps.sh to "
                       "install the web map's libraries (/map/ answers 503 until then)",
                       web_dir);
    }
    return ERR_OK;
}

int static_files_redirect(struct request *req, struct response *resp, struct err *err)
{
    bool has_query = req->raw_query != NULL && req->raw_query[0] != '\0';
    char *location = xasprintf("%s%s%s%s", req->base_url, STATIC_FILES_PREFIX, has_query ? "?" : "",
                               has_query ? req->raw_query : "");
    json_t *doc = json_pack("{s:s, s:s, s:i}", "code", "MovedPermanently", "description",
                            "the web map is at /map/", "status", 301);
    response_add_header(resp, "Location", location);
    free(location);
    resp->status = 301;
    return response_set_json(resp, doc, RESPONSE_TYPE_JSON, err);
}

/* Opens the file rel names below web_dir, once it resolves inside the root and is a
 * regular file; fills *st. Every refusal is ERR_NOT_FOUND with the same message, so the
 * answer does not tell which rule refused (nor where the root is). */
static int open_within(const char *web_dir, const char *rel, int *fd, struct stat *st,
                       struct err *err)
{
    *fd = -1;
    char *full = NULL;
    struct err ignored;
    if (static_files_is_safe_path(rel) &&
        path_resolve_within(web_dir, rel, &full, &ignored) == ERR_OK) {
        *fd = open(full, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    }
    free(full);
    if (*fd >= 0 && (fstat(*fd, st) != 0 || !S_ISREG(st->st_mode))) {
        close(*fd);
        *fd = -1;
    }
    if (*fd < 0) {
        return err_set(err, ERR_NOT_FOUND, "the web map has no file %s",
                       utf8_excerpt(rel, 200).text);
    }
    return ERR_OK;
}

static int read_whole(int fd, const struct stat *st, const char *rel, struct buf *out,
                      struct err *err)
{
    if ((unsigned long long)st->st_size > STATIC_FILES_MAX_BYTES) {
        return err_set(err, ERR_INTERNAL, "web map file %s is larger than %u bytes", rel,
                       STATIC_FILES_MAX_BYTES);
    }
    size_t want = (size_t)st->st_size;
    int rc = buf_reserve(out, want, err);
    while (rc == ERR_OK && want > 0) {
        ssize_t n = read(fd, out->data + out->len, want);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            /* Shorter than fstat said: the file changed under us; send what it now is
             * on the next request rather than a cut one now. */
            rc = err_set(err, ERR_IO, "reading web map file %s: %s", rel,
                         n < 0 ? strerror(errno) : "it shrank while being read");
            break;
        }
        out->len += (size_t)n;
        want -= (size_t)n;
    }
    if (out->data != NULL) {
        out->data[out->len] = '\0';
    }
    return rc;
}

/* ETag and Last-Modified from what changes when the file is replaced: its size and its
 * modification time to the nanosecond. */
static void describe_file(struct response *resp, const struct stat *st, const char *cache_control)
{
    resp->etag =
        xasprintf("\"%llx-%llx.%lx\"", (unsigned long long)st->st_size,
                  (unsigned long long)st->st_mtim.tv_sec, (unsigned long)st->st_mtim.tv_nsec);
    struct tm tm;
    char date[64];
    gmtime_r(&st->st_mtim.tv_sec, &tm);
    strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", &tm);
    resp->last_modified = xstrdup(date);
    response_add_header(resp, "Cache-Control", cache_control);
}

/* The page and the service worker must be revalidated so that a new release is seen at
 * once; a hashed file is kept for a year, since a new content gets a new name; anything
 * else (the unbundled sources, npm files loaded on demand) for an hour. */
static const char *cache_control_for(const char *file, bool is_page)
{
    if (is_page || strcmp(file, SERVICE_WORKER_FILE) == 0) {
        return "no-cache";
    }
    if (strncmp(file, HASHED_DIR, strlen(HASHED_DIR)) == 0) {
        return "public, max-age=31536000, immutable";
    }
    return "public, max-age=3600";
}

/* The file a path below /map/ names: "" is the bundled page (the unbundled index.html
 * when the bundle was never built), "sw.js" the built worker, so that its scope is /map/. */
static const char *file_for(const char *web_dir, const char *rel)
{
    if (*rel == '\0') {
        char *bundled = xasprintf("%s/%s", web_dir, BUNDLE_INDEX_FILE);
        bool is_built = access(bundled, R_OK) == 0;
        free(bundled);
        return is_built ? BUNDLE_INDEX_FILE : INDEX_FILE;
    }
    if (strcmp(rel, SERVICE_WORKER_PATH) == 0) {
        return SERVICE_WORKER_FILE;
    }
    return rel;
}

int static_files_serve(struct request *req, struct response *resp, struct err *err)
{
    const char *web_dir = req->app->web_dir;
    struct err root_err;
    if (static_files_check_root(web_dir, &root_err) != ERR_OK) {
        response_set_status_error(resp, 503, "ServiceUnavailable",
                                  "the web map is not installed on this server: run "
                                  "scripts/install_web_deps.sh, then reload");
        return ERR_OK;
    }
    const char *rel = req->path + strlen(STATIC_FILES_PREFIX);
    bool is_page = *rel == '\0' || strcmp(rel, INDEX_FILE) == 0;
    rel = file_for(web_dir, rel);
    int fd;
    struct stat st;
    int rc = open_within(web_dir, rel, &fd, &st, err);
    if (rc != ERR_OK) {
        return rc;
    }
    rc = read_whole(fd, &st, rel, &resp->body, err);
    close(fd);
    if (rc != ERR_OK) {
        return rc;
    }
    resp->content_type = static_files_mime_type(rel);
    describe_file(resp, &st, cache_control_for(rel, is_page));
    return ERR_OK;
}
