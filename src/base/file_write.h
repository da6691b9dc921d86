/* file_write.h - writing a whole file or nothing, for the commands that write what a user
 * asked for with -o (a statistics table, a poster, a GeoPackage). */
#ifndef CITYATLAS_BASE_FILE_WRITE_H
#define CITYATLAS_BASE_FILE_WRITE_H

#include <stddef.h>

#include "base/err.h"

/* Writes data[len] to path through a temporary file beside it (same folder, so the rename
 * is atomic), synced to disk and then renamed over path: a reader sees the old file or the
 * new one, never half of it, and a failure leaves no temporary file. The file gets the
 * usual permissions (0666 minus the umask). ERR_IO with the path and the system's reason. */
int file_write_atomic(const char *path, const void *data, size_t len, struct err *err) WARN_UNUSED;

#endif
