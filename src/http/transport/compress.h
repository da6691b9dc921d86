/* compress.h - gzip of a whole response body with ISA-L's igzip (Debian's libisal). Owns
 * every ISA-L call.
 *
 * igzip compresses a buffer in one call, several times faster than zlib's streaming
 * deflate at its fastest level (and three times faster than libdeflate, compress.c says
 * how it was measured); a map view's page of GeoJSON (tens to hundreds of KB) is
 * compressed whole, so it is the common case. Streams larger than one buffer stay with
 * zlib (server_body.c). */
#ifndef CITYATLAS_HTTP_COMPRESS_H
#define CITYATLAS_HTTP_COMPRESS_H

#include <stddef.h>

#include "base/buf.h"
#include "base/err.h"

/* Appends the gzip (RFC 1952) member holding data[0..len) to out. ERR_TOO_LARGE when the
 * worst case (slightly more than len) would pass out's cap; out is unchanged after any
 * failure. Threads: any; each thread keeps its own compressor until it ends. */
int compress_gzip(const char *data, size_t len, struct buf *out, struct err *err) WARN_UNUSED;

#endif
