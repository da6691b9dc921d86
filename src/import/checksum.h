/* checksum.h - SHA-256 of a source's files, recorded with each layer so a researcher can
 * tell which version of a file the database holds. */
#ifndef CITYATLAS_IMPORT_CHECKSUM_H
#define CITYATLAS_IMPORT_CHECKSUM_H

#include <stddef.h>

#include "base/err.h"

#define CHECKSUM_HEX_LEN 64

/* Hashes the files (GDAL paths; read through VSI) in the given order into hex
 * (CHECKSUM_HEX_LEN + 1 bytes). Each file's name (without folder) is hashed too, so
 * renaming a sidecar changes the sum. */
int checksum_files(const char *const *paths, size_t n, char *hex, struct err *err) WARN_UNUSED;

#endif
