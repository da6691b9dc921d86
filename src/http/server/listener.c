/* listener.c - accepting connections for the MHD daemon (listener.h says why it is not
 * MHD's own listener). */
#define _GNU_SOURCE /* accept4: the socket comes non-blocking and close-on-exec at once */
#include "http/server/listener.h"

#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <microhttpd.h>

#include "base/alloc.h"
#include "base/log.h"

/* Connections the kernel holds for us while the accepting thread is busy. */
#define LISTENER_BACKLOG 1024
/* After running out of descriptors (or kernel memory), wait this long before accepting
 * again: the waiting connection stays in the backlog rather than being dropped. */
#define LISTENER_BACKOFF_US (50 * 1000)

struct listener {
    int fd;
    uint16_t port;
    struct MHD_Daemon *daemon;
    pthread_t thread;
    bool has_thread;
    atomic_bool is_stopping;
};

static uint16_t bound_port(int fd)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0) {
        return 0;
    }
    if (ss.ss_family == AF_INET6) {
        return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
    }
    return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

int listener_open(const struct sockaddr_storage *addr, struct listener **out, struct err *err)
{
    *out = NULL;
    bool is_v6 = addr->ss_family == AF_INET6;
    int fd = socket(addr->ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return err_set(err, ERR_IO, "cannot open a socket: %s", strerror(errno));
    }
    int on = 1;
    bool ok = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == 0 &&
              (!is_v6 || setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on)) == 0);
    socklen_t len = is_v6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
    ok = ok && bind(fd, (const struct sockaddr *)addr, len) == 0 &&
         listen(fd, LISTENER_BACKLOG) == 0;
    if (!ok) {
        int saved = errno;
        close(fd);
        return err_set(err, ERR_IO, "cannot listen: %s", strerror(saved));
    }
    struct listener *l = xcalloc(1, sizeof(*l));
    l->fd = fd;
    l->port = bound_port(fd);
    atomic_init(&l->is_stopping, false);
    *out = l;
    return ERR_OK;
}

uint16_t listener_port(const struct listener *l)
{
    return l->port;
}

/* Errors of accept() that concern one connection (or a signal), not the socket. */
static bool is_transient(int error)
{
    return error == EINTR || error == ECONNABORTED || error == EPROTO || error == EPERM ||
           error == EAGAIN || error == EWOULDBLOCK;
}

static void *accept_loop(void *arg)
{
    struct listener *l = arg;
    while (!atomic_load(&l->is_stopping)) {
        struct sockaddr_storage peer;
        socklen_t len = sizeof(peer);
        int fd = accept4(l->fd, (struct sockaddr *)&peer, &len, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (fd >= 0) {
            /* MHD closes the socket itself when it refuses it (its connection limits). */
            (void)MHD_add_connection(l->daemon, fd, (const struct sockaddr *)&peer, len);
            continue;
        }
        if (atomic_load(&l->is_stopping)) {
            break;
        }
        if (is_transient(errno)) {
            continue;
        }
        if (errno != EMFILE && errno != ENFILE && errno != ENOBUFS && errno != ENOMEM) {
            log_warn("accepting connections: %s", strerror(errno));
        }
        usleep(LISTENER_BACKOFF_US);
    }
    return NULL;
}

int listener_start(struct listener *l, struct MHD_Daemon *daemon, struct err *err)
{
    l->daemon = daemon;
    if (pthread_create(&l->thread, NULL, accept_loop, l) != 0) {
        return err_set(err, ERR_IO, "cannot start the thread that accepts connections");
    }
    l->has_thread = true;
    return ERR_OK;
}

void listener_close(struct listener *l)
{
    if (l == NULL) {
        return;
    }
    atomic_store(&l->is_stopping, true);
    /* Wakes the accept() under way: it fails, and the loop sees is_stopping. */
    shutdown(l->fd, SHUT_RDWR);
    if (l->has_thread) {
        pthread_join(l->thread, NULL);
    }
    close(l->fd);
    free(l);
}
