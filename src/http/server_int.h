/* server_int.h - what server.c and server_body.c share: one request's exchange.
 * Internal to http/. */
#ifndef CITYATLAS_HTTP_SERVER_INT_H
#define CITYATLAS_HTTP_SERVER_INT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include <microhttpd.h>
#include <zlib.h>

#include "http/request.h"

/* One request from its first byte to its completion callback: MHD keeps it in the
 * connection's per-request pointer, and on_completed frees everything at once. */
struct exchange {
    struct request req;
    struct response resp;
    char *raw_query;
    size_t uri_len;
    bool has_seen_headers;
    bool is_answered;
    bool has_too_many_params;
    bool has_nul_in_path; /* "%00" before the query: the decoded path would be cut there */
    bool srv_quiet;
    atomic_int *active;
    double started_ms;
    struct request_body body; /* a write's body, under REQUEST_MAX_BODY */
    size_t bytes_sent;        /* body bytes handed to MHD (after compression) */
    /* Streaming state (server_body.c). */
    bool accepts_gzip;
    bool is_gzip;
    bool has_zstream;
    z_stream z;
    struct buf raw;     /* produced by the stream, not yet compressed/sent */
    struct buf pending; /* ready to send */
    size_t pending_off;
    bool is_stream_done;
};

/* True when an Accept-Encoding header allows gzip (and does not give it q=0). */
bool server_body_accepts_gzip(const char *accept_encoding);

/* host when it is a plausible host[:port], else "localhost": the Host header ends up
 * in links, so it must not carry markup or spaces. Borrowed. */
const char *server_body_safe_host(const char *host);

/* Builds the MHD response for ex->resp: headers, and the body in memory (gzipped when
 * accepted and worth it) or streamed through a reader callback. NULL on failure. */
struct MHD_Response *server_body_make(struct exchange *ex);

/* Frees the streaming state (zlib, buffers). */
void server_body_finish(struct exchange *ex);

#endif
