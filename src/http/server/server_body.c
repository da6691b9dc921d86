/* server_body.c - response bodies for MHD: common headers, gzip, and large results
 * spooled whole to a temporary file on a worker (so that neither memory nor a pooled
 * database connection is held while a client reads slowly), then sent from the file. */
#include "http/server/server_int.h"

#include <assert.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "base/log.h"
#include "http/handlers/api_tiles_int.h"
#include "http/transport/compress.h"
#include "http/transport/live_hub.h"
#include "http/transport/response.h"
#include "store/store_read.h"

/* The first pieces of a stream are produced before deciding how to send: an answer that
 * fits is sent with a Content-Length (and compressed whole); a larger one is spooled. */
#define BODY_BUFFER_FIRST (256u * 1024)
/* Each later step of a stream produces about this much before writing it to the spool. */
#define BODY_STREAM_STEP (64u * 1024)
/* Bodies smaller than this are not worth compressing. */
#define BODY_GZIP_MIN 512
/* The largest answer spooled to disk (after compression); a larger one is refused with
 * 413 before any byte is sent. Far above the largest page (--max-limit features). */
#define BODY_SPOOL_MAX (4ull * 1024 * 1024 * 1024)

bool server_body_accepts_gzip(const char *accept_encoding)
{
    if (accept_encoding == NULL) {
        return false;
    }
    char lower[256];
    size_t n = 0;
    for (; accept_encoding[n] != '\0' && n + 1 < sizeof(lower); n++) {
        lower[n] = (char)tolower((unsigned char)accept_encoding[n]);
    }
    lower[n] = '\0';
    const char *p = strstr(lower, "gzip");
    if (p == NULL) {
        return false;
    }
    const char *q = strstr(p, "q=");
    const char *comma = strchr(p, ',');
    return !(q != NULL && (comma == NULL || q < comma) && strtod(q + 2, NULL) <= 0.0);
}

const char *server_body_safe_host(const char *host)
{
    if (host == NULL || *host == '\0' || strlen(host) > 255) {
        return "localhost";
    }
    for (const char *p = host; *p; p++) {
        if (!isalnum((unsigned char)*p) && strchr(".-:[]", *p) == NULL) {
            return "localhost";
        }
    }
    return host;
}

static bool is_compressible(const char *content_type)
{
    return content_type != NULL && (strncmp(content_type, "application/", 12) == 0 ||
                                    strncmp(content_type, "text/", 5) == 0);
}

static int deflate_into(struct exchange *ex, const char *data, size_t len, bool is_last,
                        struct buf *out, struct err *err)
{
    if (!ex->has_zstream) {
        memset(&ex->z, 0, sizeof(ex->z));
        /* 16 + 15: a gzip wrapper; level 1 streams at hundreds of MB/s and still takes
         * GeoJSON to about a fifth of its size. */
        if (deflateInit2(&ex->z, 1, Z_DEFLATED, 16 + 15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
            return err_set(err, ERR_INTERNAL, "zlib could not start");
        }
        ex->has_zstream = true;
    }
    ex->z.next_in = (Bytef *)data;
    ex->z.avail_in = (uInt)len;
    int flush = is_last ? Z_FINISH : Z_NO_FLUSH;
    int zrc;
    do {
        char chunk[32 * 1024];
        ex->z.next_out = (Bytef *)chunk;
        ex->z.avail_out = sizeof(chunk);
        zrc = deflate(&ex->z, flush);
        if (zrc == Z_STREAM_ERROR) {
            return err_set(err, ERR_INTERNAL, "zlib failed");
        }
        int rc = buf_append(out, chunk, sizeof(chunk) - ex->z.avail_out, err);
        if (rc != ERR_OK) {
            return rc;
        }
    } while (ex->z.avail_out == 0 || (is_last && zrc != Z_STREAM_END));
    return ERR_OK;
}

/* Runs the stream until it is done or has produced at least want bytes into ex->raw. */
static int produce(struct exchange *ex, size_t want, struct err *err)
{
    while (!ex->is_stream_done && ex->raw.len < want) {
        int rc = ex->resp.stream.fill(ex->resp.stream.ctx, &ex->raw, &ex->is_stream_done, err);
        if (rc != ERR_OK) {
            return rc;
        }
    }
    return ERR_OK;
}

static bool has_header(const struct response *resp, const char *name)
{
    for (size_t i = 0; i < resp->n_headers; i++) {
        if (strcasecmp(resp->headers[i].name, name) == 0) {
            return true;
        }
    }
    return false;
}

static void add_common_headers(struct MHD_Response *r, const struct exchange *ex)
{
    const struct response *resp = &ex->resp;
    if (resp->status != 204 && resp->status != 304) {
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, resp->content_type);
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_ACCESS_CONTROL_ALLOW_ORIGIN, "*");
    MHD_add_response_header(r, "Access-Control-Expose-Headers",
                            "ETag, Last-Modified, Content-Crs, Link, " API_TILE_DROPPED_HEADER);
    MHD_add_response_header(r, MHD_HTTP_HEADER_VARY, "Accept, Accept-Language, Accept-Encoding");
    if (resp->etag != NULL) {
        MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, resp->etag);
    }
    if (resp->last_modified != NULL) {
        MHD_add_response_header(r, MHD_HTTP_HEADER_LAST_MODIFIED, resp->last_modified);
    }
    /* Data changes only with an import: clients may keep answers but must revalidate,
     * which the ETag makes cheap (304, no body). A handler may say otherwise (the web
     * map's files) with its own Cache-Control among resp->headers. */
    if (!has_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL)) {
        MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL,
                                resp->status < 400 ? "public, no-cache" : "no-store");
    }
    if (resp->content_language != NULL) {
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_LANGUAGE, resp->content_language);
    }
    for (size_t i = 0; i < resp->n_headers; i++) {
        MHD_add_response_header(r, resp->headers[i].name, resp->headers[i].value);
    }
    if (ex->is_gzip) {
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
    }
}

static struct MHD_Response *make_buffered(struct exchange *ex, struct buf *body)
{
    struct err err;
    if (ex->accepts_gzip && body->len >= BODY_GZIP_MIN && is_compressible(ex->resp.content_type)) {
        struct buf zipped;
        buf_init(&zipped, RESPONSE_BODY_CAP);
        if (compress_gzip(body->data, body->len, &zipped, &err) == ERR_OK) {
            buf_clear(body);
            *body = zipped;
            ex->is_gzip = true;
        } else {
            buf_clear(&zipped);
        }
    }
    size_t len = body->len;
    char *data = buf_take(body);
    /* MHD sends no body for HEAD; the log says what went out. */
    ex->bytes_sent = ex->req.method == HTTP_HEAD ? 0 : len;
    return MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
}

struct MHD_Response *server_body_make(struct exchange *ex)
{
    struct response *resp = &ex->resp;
    struct MHD_Response *r = NULL;
    if (resp->status == 304 || resp->status == 204) {
        r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    } else if (resp->live != NULL) {
        /* An event stream: never compressed (gzip would hold events back), no length. */
        r = live_hub_response(resp->live, ex->conn);
        resp->live = NULL;
    } else if (ex->spool_fd >= 0) {
        r = MHD_create_response_from_fd64(ex->spool_len, ex->spool_fd);
        if (r != NULL) {
            ex->spool_fd = -1; /* MHD closes it with the response */
            ex->bytes_sent = ex->spool_len;
        }
    } else if (resp->stream.fill == NULL) {
        r = make_buffered(ex, &resp->body);
    } else {
        struct err err;
        if (produce(ex, BODY_BUFFER_FIRST, &err) != ERR_OK) {
            response_set_error(resp, &err);
            r = make_buffered(ex, &resp->body);
        } else if (ex->is_stream_done) {
            r = make_buffered(ex, &ex->raw);
        } else {
            /* server.c spools every large answer but HEAD's (server_body_is_large). HEAD
             * gets the headers alone, without a length for a body it never receives. */
            assert(ex->req.method == HTTP_HEAD);
            struct buf empty;
            buf_init(&empty, 1);
            r = make_buffered(ex, &empty);
        }
    }
    if (r != NULL) {
        add_common_headers(r, ex);
    }
    return r;
}

void server_body_init(struct exchange *ex)
{
    buf_init(&ex->raw, RESPONSE_BODY_CAP);
    buf_init(&ex->pending, RESPONSE_BODY_CAP);
    ex->spool_fd = -1;
}

bool server_body_is_large(struct exchange *ex)
{
    struct response *resp = &ex->resp;
    if (resp->stream.fill == NULL || ex->req.method == HTTP_HEAD || resp->status == 304 ||
        resp->status == 204) {
        return false;
    }
    struct err err;
    if (produce(ex, BODY_BUFFER_FIRST, &err) != ERR_OK) {
        response_set_error(resp, &err);
        return false;
    }
    return !ex->is_stream_done;
}

/* Appends data to the spool (through gzip when the answer is compressed). */
static int spool_write(struct exchange *ex, FILE *f, bool is_last, struct err *err)
{
    struct buf *out = &ex->raw;
    if (ex->is_gzip) {
        int rc = deflate_into(ex, ex->raw.data, ex->raw.len, is_last, &ex->pending, err);
        buf_clear(&ex->raw);
        buf_init(&ex->raw, RESPONSE_BODY_CAP);
        if (rc != ERR_OK) {
            return rc;
        }
        out = &ex->pending;
    }
    if (out->len > 0 && fwrite(out->data, 1, out->len, f) != out->len) {
        return err_set(err, ERR_IO, "cannot write the answer to a temporary file (disk full?)");
    }
    ex->spool_len += out->len;
    buf_clear(out);
    buf_init(out, RESPONSE_BODY_CAP);
    if (ex->spool_len > BODY_SPOOL_MAX) {
        return err_set(err, ERR_TOO_LARGE, "the answer is larger than %llu GiB; ask for less",
                       BODY_SPOOL_MAX >> 30);
    }
    return ERR_OK;
}

static int spool_all(struct exchange *ex, FILE *f, struct err *err)
{
    ex->is_gzip = ex->accepts_gzip && is_compressible(ex->resp.content_type);
    int rc = ERR_OK;
    while (rc == ERR_OK) {
        bool was_done = ex->is_stream_done;
        rc = spool_write(ex, f, was_done, err);
        if (rc != ERR_OK || was_done) {
            break;
        }
        rc = produce(ex, BODY_STREAM_STEP, err);
    }
    if (rc == ERR_OK && fflush(f) != 0) {
        rc = err_set(err, ERR_IO, "cannot write the answer to a temporary file (disk full?)");
    }
    return rc;
}

void server_body_spool(struct exchange *ex)
{
    struct err err;
    /* tmpfile(): unlinked at once, so nothing is left behind whatever happens. */
    FILE *f = tmpfile();
    int rc = f == NULL ? err_set(&err, ERR_IO, "cannot create a temporary file for the answer")
                       : spool_all(ex, f, &err);
    /* The stream's context and the snapshot go now: the client reads from the file. */
    struct response_stream stream = ex->resp.stream;
    memset(&ex->resp.stream, 0, sizeof(ex->resp.stream));
    if (stream.free != NULL) {
        stream.free(stream.ctx);
    }
    store_read_end(ex->req.rd);
    ex->req.rd = NULL;
    if (rc == ERR_OK) {
        ex->spool_fd = dup(fileno(f));
        rc = ex->spool_fd >= 0 ? ERR_OK : err_set(&err, ERR_IO, "cannot reopen the spooled answer");
    }
    if (f != NULL) {
        fclose(f);
    }
    if (rc != ERR_OK) {
        log_error("answer to %s not spooled: %s", ex->req.path, err.msg);
        ex->is_gzip = false;
        response_set_error(&ex->resp, &err);
    }
}

void server_body_finish(struct exchange *ex)
{
    if (ex->spool_fd >= 0) {
        close(ex->spool_fd);
        ex->spool_fd = -1;
    }
    if (ex->has_zstream) {
        deflateEnd(&ex->z);
        ex->has_zstream = false;
    }
    buf_clear(&ex->raw);
    buf_clear(&ex->pending);
}
