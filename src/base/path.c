/* path.c - see path.h. */
#include "base/path.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"

char *path_dirname(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL) {
        return xstrdup(".");
    }
    if (slash == path) {
        return xstrdup("/");
    }
    return xstrndup(path, (size_t)(slash - path));
}

char *path_stem(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash != NULL ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t len = dot != NULL && dot != base ? (size_t)(dot - base) : strlen(base);
    return xstrndup(base, len);
}

const char *path_extension(const char *path, char *out, int cap)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash != NULL ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    int n = 0;
    if (dot != NULL && dot != base) {
        for (const char *p = dot + 1; *p && n < cap - 1; p++) {
            char c = *p;
            out[n++] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
        }
    }
    out[n] = '\0';
    return out;
}

int path_compare(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

bool path_is_within(const char *parent, const char *child)
{
    size_t n = strlen(parent);
    if (strcmp(parent, "/") == 0) {
        return child[0] == '/';
    }
    return strncmp(parent, child, n) == 0 && (child[n] == '\0' || child[n] == '/');
}

int path_resolve_within(const char *base_dir, const char *rel, char **out, struct err *err)
{
    *out = NULL;
    char base_real[PATH_MAX];
    if (realpath(base_dir, base_real) == NULL) {
        return err_set(err, errno == ENOENT ? ERR_NOT_FOUND : ERR_IO, "cannot resolve %s: %s",
                       base_dir, strerror(errno));
    }
    char *joined = rel[0] == '/' ? xstrdup(rel) : xasprintf("%s/%s", base_real, rel);
    char resolved[PATH_MAX];
    if (realpath(joined, resolved) == NULL) {
        int saved = errno;
        int rc = err_set(err, saved == ENOENT ? ERR_NOT_FOUND : ERR_IO, "%s: %s", joined,
                         strerror(saved));
        free(joined);
        return rc;
    }
    free(joined);
    if (!path_is_within(base_real, resolved)) {
        return err_set(err, ERR_INVALID, "'%s' resolves to %s, outside %s", rel, resolved,
                       base_real);
    }
    *out = xstrdup(resolved);
    return ERR_OK;
}
