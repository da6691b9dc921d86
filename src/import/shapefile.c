/* shapefile.c - see shapefile.h. Header layouts: ESRI Shapefile Technical Description
 * (1998) for .shp/.shx, dBASE III for .dbf. */
#include "import/shapefile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cpl_vsi.h>

#include "base/alloc.h"

#define SHP_HEADER_BYTES 100
#define SHX_RECORD_BYTES 8
#define DBF_HEADER_BYTES 32

/* Opens the sidecar with the given extension, trying lower then upper case. */
static VSILFILE *open_sidecar(const char *shp_path, const char *ext_lower, const char *ext_upper)
{
    size_t len = strlen(shp_path);
    const char *exts[] = {ext_lower, ext_upper};
    for (int i = 0; i < 2; i++) {
        char *p = xasprintf("%.*s.%s", (int)(len - 4), shp_path, exts[i]);
        VSILFILE *f = VSIFOpenL(p, "rb");
        free(p);
        if (f != NULL) {
            return f;
        }
    }
    return NULL;
}

static uint64_t file_size(VSILFILE *f)
{
    VSIFSeekL(f, 0, SEEK_END);
    uint64_t size = VSIFTellL(f);
    VSIFSeekL(f, 0, SEEK_SET);
    return size;
}

static uint32_t big_endian32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The .shp must reach the end of the last record the .shx points at. */
static int check_shp_length(const char *shp_path, const char *display, VSILFILE *shx,
                            int64_t n_shapes, struct err *err)
{
    if (n_shapes == 0) {
        return ERR_OK;
    }
    unsigned char rec[SHX_RECORD_BYTES];
    VSIFSeekL(shx, SHP_HEADER_BYTES + (uint64_t)(n_shapes - 1) * SHX_RECORD_BYTES, SEEK_SET);
    if (VSIFReadL(rec, 1, sizeof(rec), shx) != sizeof(rec)) {
        return err_set(err, ERR_INVALID, "%s: the .shx index is truncated", display);
    }
    /* Offsets and lengths are in 16-bit words; each record has an 8-byte header. */
    uint64_t end = (uint64_t)big_endian32(rec) * 2 + 8 + (uint64_t)big_endian32(rec + 4) * 2;
    VSILFILE *shp = VSIFOpenL(shp_path, "rb");
    if (shp == NULL) {
        return err_set(err, ERR_NOT_FOUND, "%s: cannot open the .shp", display);
    }
    uint64_t size = file_size(shp);
    VSIFCloseL(shp);
    if (size < end) {
        return err_set(err, ERR_INVALID,
                       "%s: the .shp is truncated (%llu bytes, but its index needs %llu); "
                       "copy the file again",
                       display, (unsigned long long)size, (unsigned long long)end);
    }
    return ERR_OK;
}

static int read_dbf_header(const char *shp_path, const char *display, struct shapefile_info *out,
                           struct err *err)
{
    out->n_records = -1;
    VSILFILE *dbf = open_sidecar(shp_path, "dbf", "DBF");
    if (dbf == NULL) {
        /* GDAL would read the shapes without a single attribute: a .dbf left behind when
         * copying, which the user should hear about rather than find later. */
        return err_set(err, ERR_INVALID,
                       "%s: the .dbf attribute table is missing; a shapefile needs its .shp, "
                       ".shx and .dbf together",
                       display);
    }
    unsigned char h[DBF_HEADER_BYTES];
    size_t got = VSIFReadL(h, 1, sizeof(h), dbf);
    VSIFCloseL(dbf);
    if (got != sizeof(h)) {
        return err_set(err, ERR_INVALID, "%s: the .dbf is too short to be a dBASE file", display);
    }
    out->n_records = (int64_t)((uint32_t)h[4] | (uint32_t)h[5] << 8 | (uint32_t)h[6] << 16 |
                               (uint32_t)h[7] << 24);
    out->language_driver = h[29];
    return ERR_OK;
}

int shapefile_inspect(const char *shp_path, const char *display, struct shapefile_info *out,
                      struct err *err)
{
    memset(out, 0, sizeof(*out));
    size_t len = strlen(shp_path);
    if (len < 4) {
        return err_set(err, ERR_INVALID, "%s: not a .shp path", display);
    }
    VSILFILE *cpg = open_sidecar(shp_path, "cpg", "CPG");
    if (cpg != NULL) {
        out->has_cpg = 1;
        VSIFCloseL(cpg);
    }
    VSILFILE *shx = open_sidecar(shp_path, "shx", "SHX");
    if (shx == NULL) {
        return err_set(err, ERR_INVALID,
                       "%s: the .shx index is missing; a shapefile needs its .shp, .shx and "
                       ".dbf together",
                       display);
    }
    uint64_t shx_size = file_size(shx);
    if (shx_size < SHP_HEADER_BYTES || (shx_size - SHP_HEADER_BYTES) % SHX_RECORD_BYTES != 0) {
        VSIFCloseL(shx);
        return err_set(err, ERR_INVALID, "%s: the .shx index is damaged (%llu bytes)", display,
                       (unsigned long long)shx_size);
    }
    out->n_shapes = (int64_t)((shx_size - SHP_HEADER_BYTES) / SHX_RECORD_BYTES);
    int rc = check_shp_length(shp_path, display, shx, out->n_shapes, err);
    VSIFCloseL(shx);
    if (rc == ERR_OK) {
        rc = read_dbf_header(shp_path, display, out, err);
    }
    if (rc == ERR_OK && out->n_records >= 0 && out->n_records != out->n_shapes) {
        rc = err_set(err, ERR_INVALID,
                     "%s: the .dbf has %lld records but the .shp has %lld shapes; the files do "
                     "not belong together (or one was cut short)",
                     display, (long long)out->n_records, (long long)out->n_shapes);
    }
    return rc;
}
