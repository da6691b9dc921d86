/* file_write.c - a file written whole or not at all (temporary file + fsync + rename). */
#include "base/file_write.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/alloc.h"

static int write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t k = write(fd, data, len);
        if (k < 0 && errno == EINTR) {
            continue;
        }
        if (k <= 0) {
            return -1;
        }
        data += k;
        len -= (size_t)k;
    }
    return 0;
}

int file_write_atomic(const char *path, const void *data, size_t len, struct err *err)
{
    char *tmp = xasprintf("%s.XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        err_set(err, ERR_IO, "-o %s: %s", path, strerror(errno));
        free(tmp);
        return ERR_IO;
    }
    /* mkstemp makes the file 0600; a poster or a table is as readable as any file. */
    mode_t mask = umask(0);
    umask(mask);
    int rc = fchmod(fd, 0666 & ~mask) == 0 && write_all(fd, data != NULL ? data : "", len) == 0 &&
                     fsync(fd) == 0
                 ? 0
                 : -1;
    int saved = errno;
    if (close(fd) != 0 && rc == 0) {
        rc = -1;
        saved = errno;
    }
    if (rc == 0 && rename(tmp, path) != 0) {
        rc = -1;
        saved = errno;
    }
    if (rc != 0) {
        unlink(tmp);
        err_set(err, ERR_IO, "-o %s: %s", path, strerror(saved));
    }
    free(tmp);
    return rc == 0 ? ERR_OK : ERR_IO;
}
