/* text_recode.c - see text_recode.h. */
#include "import/text_recode.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cpl_vsi.h>

#include "base/alloc.h"

/* Eight slices of 32 KiB spread evenly through the file: a Thai column that starts only
 * halfway down (rows sorted by region, say) is still seen, and reading stays instant. */
#define TEXT_SAMPLE_SLICES 8
#define TEXT_SAMPLE_SLICE_BYTES (32u << 10)

static uint64_t vsi_size(VSILFILE *f)
{
    VSIFSeekL(f, 0, SEEK_END);
    uint64_t size = VSIFTellL(f);
    VSIFSeekL(f, 0, SEEK_SET);
    return size;
}

/* Cuts one slice into whole lines, appending them to lines[]: the first line of a slice
 * that does not start the file and the last of one that does not end it may be partial
 * (a multi-byte character cut in two), so they are dropped. */
static void slice_lines(char *slice, size_t len, int at_start, int at_end, char **lines, size_t *n,
                        size_t cap)
{
    slice[len] = '\0';
    char *p = slice;
    if (!at_start) {
        char *nl = strchr(p, '\n');
        p = nl != NULL ? nl + 1 : slice + len;
    }
    while (*p != '\0' && *n < cap) {
        char *nl = strchr(p, '\n');
        if (nl == NULL && !at_end) {
            break;
        }
        if (nl != NULL) {
            *nl = '\0';
        }
        lines[(*n)++] = p;
        p = nl != NULL ? nl + 1 : p + strlen(p);
    }
}

static void detect(VSILFILE *f, struct encoding_choice *enc)
{
    uint64_t size = vsi_size(f);
    char *buf = xmalloc((size_t)TEXT_SAMPLE_SLICES * (TEXT_SAMPLE_SLICE_BYTES + 1));
    size_t cap = (size_t)TEXT_SAMPLE_SLICES * TEXT_SAMPLE_SLICE_BYTES;
    char **lines = xcalloc(cap, sizeof(char *));
    size_t n = 0;
    uint64_t step = size / TEXT_SAMPLE_SLICES;
    for (int i = 0; i < TEXT_SAMPLE_SLICES; i++) {
        /* The last slice ends where the file does, so its tail is always seen. */
        uint64_t at = size <= cap                   ? (uint64_t)i * TEXT_SAMPLE_SLICE_BYTES
                      : i == TEXT_SAMPLE_SLICES - 1 ? size - TEXT_SAMPLE_SLICE_BYTES
                                                    : (uint64_t)i * step;
        char *slice = buf + (size_t)i * (TEXT_SAMPLE_SLICE_BYTES + 1);
        VSIFSeekL(f, at, SEEK_SET);
        size_t got = VSIFReadL(slice, 1, TEXT_SAMPLE_SLICE_BYTES, f);
        slice_lines(slice, got, at == 0, at + got >= size, lines, &n, cap);
        if (at + got >= size) {
            break;
        }
    }
    snprintf(enc->name, sizeof(enc->name), "%s",
             encoding_classify((const char *const *)lines, n, &enc->is_guess));
    enc->origin = ENCODING_DETECTED;
    free(lines);
    free(buf);
}

/* Converts in[len] from the encoding `from` into a new UTF-8 buffer; on a byte that is
 * not in that encoding, returns NULL with *bad_offset set. */
static char *to_utf8(iconv_t cd, char *in, size_t len, size_t *out_len, size_t *bad_offset)
{
    size_t cap = len * 3 + 1; /* a single-byte code page needs at most 3 UTF-8 bytes */
    char *out = xmalloc(cap);
    char *src = in, *dst = out;
    size_t left = len, room = cap;
    if (iconv(cd, &src, &left, &dst, &room) == (size_t)-1) {
        *bad_offset = (size_t)(src - in);
        free(out);
        return NULL;
    }
    *out_len = (size_t)(dst - out);
    return out;
}

static int make_copy(VSILFILE *f, const char *display, const char *path, struct text_recode *t,
                     struct err *err)
{
    uint64_t size = vsi_size(f);
    if (size > TEXT_RECODE_MAX_BYTES) {
        return err_set(err, ERR_TOO_LARGE,
                       "%s: too large to convert from %s here (%llu MB); save it as UTF-8 "
                       "(\"CSV UTF-8\" in Excel) and import again",
                       display, t->enc.name, (unsigned long long)(size >> 20));
    }
    char *in = xmalloc((size_t)size + 1);
    size_t got = VSIFReadL(in, 1, (size_t)size, f);
    iconv_t cd = iconv_open("UTF-8", t->enc.name);
    size_t out_len = 0, bad = 0;
    char *out = to_utf8(cd, in, got, &out_len, &bad);
    iconv_close(cd);
    free(in);
    if (out == NULL) {
        return err_set(err, ERR_INVALID,
                       "%s: byte %zu is not %s text; give the file's encoding with --encoding",
                       display, bad, t->enc.name);
    }
    const char *slash = strrchr(path, '/');
    t->mem_path =
        xasprintf("/vsimem/cityatlas-recode-%p/%s", (void *)t, slash != NULL ? slash + 1 : path);
    VSILFILE *mem = VSIFileFromMemBuffer(t->mem_path, (GByte *)out, out_len, TRUE);
    VSIFCloseL(mem);
    return ERR_OK;
}

int text_recode_prepare(const char *path, const char *display, const char *user_encoding,
                        struct text_recode *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    if (user_encoding != NULL) {
        int rc = encoding_check_name(user_encoding, err);
        if (rc != ERR_OK) {
            return rc;
        }
        snprintf(out->enc.name, sizeof(out->enc.name), "%s", user_encoding);
        out->enc.origin = ENCODING_FROM_USER;
    }
    VSILFILE *f = VSIFOpenL(path, "rb");
    if (f == NULL) {
        return err_set(err, ERR_NOT_FOUND, "%s: cannot open to read", display);
    }
    if (user_encoding == NULL) {
        detect(f, &out->enc);
    }
    int rc = ERR_OK;
    if (strcasecmp(out->enc.name, "UTF-8") != 0 && strcasecmp(out->enc.name, "UTF8") != 0) {
        rc = make_copy(f, display, path, out, err);
    }
    VSIFCloseL(f);
    return rc;
}

void text_recode_clear(struct text_recode *t)
{
    if (t->mem_path != NULL) {
        VSIUnlink(t->mem_path);
        free(t->mem_path);
        t->mem_path = NULL;
    }
}
