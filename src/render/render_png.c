/* render_png.c - a PNG writer for the maps' image surfaces, straight on zlib.
 *
 * cairo's writer goes through libpng with its defaults: adaptive filtering (all five
 * filters tried on every row) and zlib level 6. On a 4961x3508 map that took 790 ms of a
 * 2 s render; maps are mostly flat colour, where the filters buy nothing (the unfiltered
 * image deflates smaller here) and level 1 is within 10 % of level 6 in size. This writer
 * emits 8-bit RGB rows with filter None at zlib level 1, which is what MapServer writes too
 * (PNG_FILTER_NONE, its COMPRESSION option giving the level): about 110 ms for the same
 * image. */
#include "render/render_int.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "base/alloc.h"

/* IDAT chunks of up to this many bytes: big enough that chunk overhead is nothing. */
#define PNG_CHUNK_LEN (256u * 1024u)

static void put_u32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* One chunk: length, type, data, CRC of type and data. */
static int put_chunk(struct buf *out, const char *type, const unsigned char *data, size_t len,
                     struct err *err)
{
    unsigned char head[8], tail[4];
    put_u32(head, (uint32_t)len);
    memcpy(head + 4, type, 4);
    uLong crc = crc32(0L, head + 4, 4);
    crc = len > 0 ? crc32(crc, data, (uInt)len) : crc;
    put_u32(tail, (uint32_t)crc);
    int rc = buf_append(out, head, sizeof(head), err);
    rc = rc == ERR_OK && len > 0 ? buf_append(out, data, len, err) : rc;
    return rc == ERR_OK ? buf_append(out, tail, sizeof(tail), err) : rc;
}

static int put_header(struct buf *out, int width, int height, struct err *err)
{
    static const unsigned char signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    unsigned char ihdr[13];
    put_u32(ihdr, (uint32_t)width);
    put_u32(ihdr + 4, (uint32_t)height);
    ihdr[8] = 8;  /* bits per sample */
    ihdr[9] = 2;  /* colour type: RGB */
    ihdr[10] = 0; /* deflate */
    ihdr[11] = 0; /* adaptive filtering (each row says its filter) */
    ihdr[12] = 0; /* not interlaced */
    int rc = buf_append(out, signature, sizeof(signature), err);
    return rc == ERR_OK ? put_chunk(out, "IHDR", ihdr, sizeof(ihdr), err) : rc;
}

/* A row of cairo's native-endian 0xXXRRGGBB words as filter byte 0 + R, G, B. */
static void row_to_rgb(const uint32_t *px, int width, unsigned char *row)
{
    row[0] = 0; /* filter None */
    unsigned char *p = row + 1;
    for (int x = 0; x < width; x++) {
        uint32_t v = px[x];
        p[0] = (unsigned char)(v >> 16);
        p[1] = (unsigned char)(v >> 8);
        p[2] = (unsigned char)v;
        p += 3;
    }
}

/* Deflates what z holds, emitting an IDAT each time chunk fills; flush Z_FINISH at the end. */
static int deflate_into(z_stream *z, int flush, unsigned char *chunk, struct buf *out,
                        struct err *err)
{
    do {
        int zrc = deflate(z, flush);
        if (zrc == Z_STREAM_ERROR) {
            return err_set(err, ERR_INTERNAL, "zlib failed while writing a PNG");
        }
        if (z->avail_out == 0 || (flush == Z_FINISH && z->avail_out < PNG_CHUNK_LEN)) {
            int rc = put_chunk(out, "IDAT", chunk, PNG_CHUNK_LEN - z->avail_out, err);
            if (rc != ERR_OK) {
                return rc;
            }
            z->next_out = chunk;
            z->avail_out = PNG_CHUNK_LEN;
        }
        if (flush == Z_FINISH && zrc == Z_STREAM_END) {
            return ERR_OK;
        }
    } while (z->avail_in > 0 || flush == Z_FINISH);
    return ERR_OK;
}

static int put_image(struct buf *out, cairo_surface_t *s, struct err *err)
{
    int width = cairo_image_surface_get_width(s), height = cairo_image_surface_get_height(s);
    int stride = cairo_image_surface_get_stride(s);
    const unsigned char *data = cairo_image_surface_get_data(s);
    z_stream z;
    memset(&z, 0, sizeof(z));
    if (deflateInit(&z, 1) != Z_OK) {
        return err_set(err, ERR_INTERNAL, "zlib could not start a PNG stream");
    }
    unsigned char *row = xmalloc(1 + 3 * (size_t)width);
    unsigned char *chunk = xmalloc(PNG_CHUNK_LEN);
    z.next_out = chunk;
    z.avail_out = PNG_CHUNK_LEN;
    int rc = ERR_OK;
    for (int y = 0; rc == ERR_OK && y < height; y++) {
        row_to_rgb((const uint32_t *)(const void *)(data + (size_t)y * (size_t)stride), width, row);
        z.next_in = row;
        z.avail_in = (uInt)(1 + 3 * (size_t)width);
        rc = deflate_into(&z, Z_NO_FLUSH, chunk, out, err);
    }
    if (rc == ERR_OK) {
        rc = deflate_into(&z, Z_FINISH, chunk, out, err);
    }
    deflateEnd(&z);
    free(chunk);
    free(row);
    return rc;
}

int render_png_write(cairo_surface_t *surface, struct buf *out, struct err *err)
{
    assert(cairo_image_surface_get_format(surface) == CAIRO_FORMAT_RGB24);
    cairo_surface_flush(surface);
    size_t start = out->len;
    int rc = put_header(out, cairo_image_surface_get_width(surface),
                        cairo_image_surface_get_height(surface), err);
    rc = rc == ERR_OK ? put_image(out, surface, err) : rc;
    rc = rc == ERR_OK ? put_chunk(out, "IEND", NULL, 0, err) : rc;
    if (rc != ERR_OK) {
        out->len = start;
        if (out->data != NULL) {
            out->data[start] = '\0';
        }
    }
    return rc;
}
