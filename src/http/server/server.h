/* server.h - the HTTP daemon: libmicrohttpd with a thread pool, turning MHD requests
 * into struct request, running the router, and sending struct response back (gzip,
 * conditional requests, CORS, streaming). With listener.c (which accepts connections and
 * hands them to the daemon), the only code of http/server/ that includes microhttpd.h. */
#ifndef CITYATLAS_HTTP_SERVER_H
#define CITYATLAS_HTTP_SERVER_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "http/transport/request.h"

/* Request limits: longer request targets get 414, larger header blocks 431. */
#define SERVER_MAX_URI_LEN 8192
#define SERVER_MAX_HEADERS_LEN 16384

struct server_options {
    const char *bind_addr; /* IPv4 or IPv6 literal, e.g. "127.0.0.1" */
    uint16_t port;         /* 0: the system picks a free port */
    unsigned threads;      /* event threads (cheap requests), 1 or more */
    bool is_quiet;         /* no per-request log lines */
    /* What clients may hold. Past a connection limit a new connection is closed at once;
     * a request not whole (headers and body) within request_timeout_s of its connection
     * opening or of the previous answer ending has its connection cut. */
    unsigned max_connections;        /* open connections overall */
    unsigned max_connections_per_ip; /* open connections from one client address */
    unsigned request_timeout_s;      /* 1 or more */
    unsigned idle_timeout_s;         /* a connection silent this long is closed; 1 or more */
    /* Live event streams (live_hub.h, made by cmd_serve): at most max_live open, and
     * max_live_per_ip from one address; 0: the default share of the connection caps. */
    unsigned max_live, max_live_per_ip;
    /* Slow work (routes flagged slow in the route table, and spooling large answers) runs on
     * slow_workers threads; past slow_queue requests waiting, 503 with Retry-After. */
    unsigned slow_workers; /* 1 or more */
    unsigned slow_queue;   /* 1 or more */
};

/* Threads that run writes (server.c); each may hold a database snapshot while it waits
 * for the writer, so the snapshot pool must have room for them. */
#define SERVER_WRITE_WORKERS 32

struct server; /* opaque */

/* Starts serving app (which must outlive the server). ERR_INVALID for a bad address,
 * ERR_IO when the port cannot be bound. */
int server_start(const struct server_options *opts, const struct http_app *app, struct server **out,
                 struct err *err) WARN_UNUSED;

/* The port actually bound. */
uint16_t server_port(const struct server *srv);

/* Stops accepting connections, lets requests in flight finish (up to grace_seconds),
 * then stops the daemon and frees everything. NULL is fine. */
void server_stop(struct server *srv, unsigned grace_seconds);

#endif
