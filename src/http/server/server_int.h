/* server_int.h - what server.c and server_body.c share: one request's exchange.
 * Internal to http/. */
#ifndef CITYATLAS_HTTP_SERVER_INT_H
#define CITYATLAS_HTTP_SERVER_INT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <microhttpd.h>
#include <zlib.h>

#include "http/transport/request.h"

/* Where an exchange is: reading the request, answered on a worker (the connection is
 * suspended), ready to send after the worker, or answered. */
enum exchange_state { EXCHANGE_READING, EXCHANGE_WORKING, EXCHANGE_READY, EXCHANGE_ANSWERED };

/* One request from its first byte to its completion callback: MHD keeps it in the
 * connection's per-request pointer, and on_completed frees everything at once. The
 * connection's state (struct client_conn) points at it too, so that a request MHD drops
 * without a completion callback is freed when its connection closes. */
struct exchange {
    struct request req;
    struct response resp;
    char *raw_query;
    size_t uri_len;
    bool has_seen_headers;
    enum exchange_state state;
    bool has_too_many_params;
    bool has_nul_in_path; /* "%00" before the query: the decoded path would be cut there */
    bool srv_quiet;
    atomic_int *active;
    double started_ms;
    struct MHD_Connection *conn; /* for MHD_resume_connection after a worker's job */
    struct request_body body;    /* a write's body, under REQUEST_MAX_BODY */
    size_t bytes_sent;           /* body bytes handed to MHD (after compression) */
    /* Streaming state (server_body.c). */
    bool accepts_gzip;
    bool is_gzip;
    bool has_zstream;
    z_stream z;
    struct buf raw;     /* produced by the stream, not yet compressed/spooled */
    struct buf pending; /* compressed, not yet spooled */
    bool is_stream_done;
    int spool_fd;       /* the rest of a large answer, written whole to a temporary file; -1 */
    uint64_t spool_len; /* its length in bytes */
};

/* True when an Accept-Encoding header allows gzip (and does not give it q=0). */
bool server_body_accepts_gzip(const char *accept_encoding);

/* host when it is a plausible host[:port], else "localhost": the Host header ends up
 * in links, so it must not carry markup or spaces. Borrowed. */
const char *server_body_safe_host(const char *host);

/* Builds the MHD response for ex->resp: headers, and the body in memory (gzipped when
 * accepted and worth it) or streamed through a reader callback. NULL on failure. */
struct MHD_Response *server_body_make(struct exchange *ex);

/* Prepares the streaming state of a new exchange. */
void server_body_init(struct exchange *ex);

/* Frees the streaming state (zlib, buffers, a spool file not handed to MHD). */
void server_body_finish(struct exchange *ex);

/* True when ex->resp streams a large answer (not HEAD) whose first BODY_BUFFER_FIRST
 * bytes did not hold all of it: it then wants server_body_spool. Produces that first
 * part (an error becomes the answer). Runs on the event thread. */
bool server_body_is_large(struct exchange *ex);

/* Writes the rest of a large answer (gzipped when accepted) to a temporary file and
 * releases what the stream held: its context and the request's database snapshot. A
 * slow reader then holds a file, not a pooled connection. On failure resp becomes the
 * error. Runs on a worker thread. */
void server_body_spool(struct exchange *ex);

/* The one log line of a finished request (none with --quiet unless a 5xx), its query's
 * secrets redacted. */
void server_log_request(const struct exchange *ex, bool is_complete, double elapsed_ms);

/* Copies query into out[cap] with the values of credential-like parameters and
 * token-shaped values replaced by REDACTED; cut at cap. */
void server_log_redact_query(const char *query, char *out, size_t cap);

#endif
