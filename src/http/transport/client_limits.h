/* client_limits.h - what one client may hold: every open connection is registered here
 * with a deadline by which its current request must have arrived whole (headers and
 * body), and a sweeper thread cuts the connections past it. libmicrohttpd's own timeout
 * restarts on every byte, so a client sending a header line every few seconds would
 * otherwise hold its connection forever. The counts per address and overall are
 * libmicrohttpd's options (server.c). No MHD types here. Internal to http/. */
#ifndef CITYATLAS_HTTP_CLIENT_LIMITS_H
#define CITYATLAS_HTTP_CLIENT_LIMITS_H

#include <stddef.h>

/* One TCP connection: MHD's socket context, from its start to its close. */
struct client_conn {
    struct client_conn *prev, *next; /* in the registry, under its lock */
    int fd;                          /* the connection's socket, borrowed from MHD */
    double deadline_ms;              /* CLOCK_MONOTONIC ms; 0: none (the request is whole) */
    void *exchange;                  /* the request being read or answered; server.c's */
};

struct client_limits; /* opaque */

/* Starts the sweeper: a request must arrive whole within request_timeout_ms of its
 * connection opening or of the previous answer ending. Free with client_limits_free. */
struct client_limits *client_limits_new(unsigned request_timeout_ms);

/* Registers a new connection on socket fd, its deadline running. Free with
 * client_limits_close. Thread-safe. */
struct client_conn *client_limits_open(struct client_limits *cl, int fd);

/* Unregisters conn and frees it (not its exchange); the socket must still be open, so
 * call it before MHD closes it (MHD's CLOSED notification is). Thread-safe. */
void client_limits_close(struct client_limits *cl, struct client_conn *conn);

/* The connection's request has arrived whole: no deadline while it is answered. */
void client_limits_request_whole(struct client_limits *cl, struct client_conn *conn);

/* An answer has ended: the next request must arrive whole in time. */
void client_limits_request_wait(struct client_limits *cl, struct client_conn *conn);

/* Connections cut so far for missing their deadline. Thread-safe. */
size_t client_limits_n_cut(struct client_limits *cl);

/* Stops the sweeper and frees cl; every connection must be closed already. NULL is fine. */
void client_limits_free(struct client_limits *cl);

#endif
