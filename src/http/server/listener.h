/* listener.h - the listening socket and the thread that accepts on it, handing each
 * connection to the MHD daemon with MHD_add_connection.
 *
 * MHD's own listener lets whichever event thread wakes first accept up to ten
 * connections in a row, so a burst of keep-alive connections (a browser's six, a load
 * test's sixteen) lands mostly on one thread: measured here, 12 of 16 on one of two
 * threads, whose requests then waited three times as long as the other's. Handed over
 * by MHD_add_connection, a connection goes to the event thread its socket number picks
 * (modulo the pool size), so consecutive connections alternate between the threads. */
#ifndef CITYATLAS_HTTP_LISTENER_H
#define CITYATLAS_HTTP_LISTENER_H

#include <stdint.h>
#include <sys/socket.h>

#include "base/err.h"

struct MHD_Daemon;
struct listener; /* opaque */

/* Binds and listens on addr (SO_REUSEADDR, IPv6 only for an IPv6 address). ERR_IO when
 * the address cannot be bound. */
int listener_open(const struct sockaddr_storage *addr, struct listener **out,
                  struct err *err) WARN_UNUSED;

/* The port bound (the system's choice when addr asked for port 0). */
uint16_t listener_port(const struct listener *l);

/* Starts accepting into daemon (started with MHD_USE_NO_LISTEN_SOCKET and MHD_USE_ITC,
 * which makes MHD_add_connection safe from another thread). ERR_IO when the thread cannot
 * be started. */
int listener_start(struct listener *l, struct MHD_Daemon *daemon, struct err *err) WARN_UNUSED;

/* Stops accepting (connections already handed over stay with the daemon), joins the
 * thread and closes the socket. NULL is fine. */
void listener_close(struct listener *l);

#endif
