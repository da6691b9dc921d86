/* checksum.c - see checksum.h. nettle provides SHA-256. */
#include "import/checksum.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cpl_vsi.h>
#include <nettle/sha2.h>

#include "base/alloc.h"

#define CHECKSUM_CHUNK (1u << 20)

int checksum_files(const char *const *paths, size_t n, char *hex, struct err *err)
{
    struct sha256_ctx ctx;
    sha256_init(&ctx);
    unsigned char *chunk = xmalloc(CHECKSUM_CHUNK);
    for (size_t i = 0; i < n; i++) {
        VSILFILE *f = VSIFOpenL(paths[i], "rb");
        if (f == NULL) {
            free(chunk);
            return err_set(err, ERR_IO, "cannot read %s to checksum it", paths[i]);
        }
        const char *slash = strrchr(paths[i], '/');
        const char *name = slash != NULL ? slash + 1 : paths[i];
        sha256_update(&ctx, strlen(name) + 1, (const uint8_t *)name);
        size_t got;
        while ((got = VSIFReadL(chunk, 1, CHECKSUM_CHUNK, f)) > 0) {
            sha256_update(&ctx, got, chunk);
        }
        VSIFCloseL(f);
    }
    free(chunk);
    uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_digest(&ctx, sizeof(digest), digest);
    for (size_t i = 0; i < sizeof(digest); i++) {
        snprintf(hex + 2 * i, 3, "%02x", digest[i]);
    }
    return ERR_OK;
}
