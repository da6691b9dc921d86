/* client_limits.c - the connection registry and its sweeper thread. Cutting is a
 * shutdown() of the socket: MHD then reads the end of the stream on its own thread and
 * closes the connection the usual way (its CLOSED notification unregisters it), so no
 * MHD state is touched from here. The registry lock is held across the shutdown and by
 * client_limits_close, which MHD calls before it closes the socket: an fd is never
 * shut down after MHD has closed it and the number may have been reused. */
#include "http/transport/client_limits.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#include "base/alloc.h"
#include "base/log.h"

/* How often the sweeper looks: a cut comes at most this late. */
#define CLIENT_SWEEP_MS 250

struct client_limits {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    pthread_t sweeper;
    struct client_conn *head;
    unsigned timeout_ms;
    size_t n_cut;
    bool is_stopping;
};

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* Cuts the connections past their deadline; returns how many. Locked. */
static size_t sweep_locked(struct client_limits *cl)
{
    double now = now_ms();
    size_t n = 0;
    for (struct client_conn *c = cl->head; c != NULL; c = c->next) {
        if (c->deadline_ms > 0 && now > c->deadline_ms) {
            c->deadline_ms = 0;
            if (shutdown(c->fd, SHUT_RDWR) == 0 || errno == ENOTCONN) {
                n++;
            }
        }
    }
    cl->n_cut += n;
    return n;
}

static void *sweeper_main(void *arg)
{
    struct client_limits *cl = arg;
    pthread_mutex_lock(&cl->lock);
    while (!cl->is_stopping) {
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_nsec += CLIENT_SWEEP_MS * 1000000L;
        until.tv_sec += until.tv_nsec / 1000000000L;
        until.tv_nsec %= 1000000000L;
        pthread_cond_timedwait(&cl->wake, &cl->lock, &until);
        size_t n = sweep_locked(cl);
        if (n > 0) {
            log_warn("cut %zu connection%s that sent no whole request within %g s", n,
                     n == 1 ? "" : "s", cl->timeout_ms / 1000.0);
        }
    }
    pthread_mutex_unlock(&cl->lock);
    return NULL;
}

struct client_limits *client_limits_new(unsigned request_timeout_ms)
{
    struct client_limits *cl = xcalloc(1, sizeof(*cl));
    pthread_mutex_init(&cl->lock, NULL);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&cl->wake, &attr);
    pthread_condattr_destroy(&attr);
    cl->timeout_ms = request_timeout_ms;
    if (pthread_create(&cl->sweeper, NULL, sweeper_main, cl) != 0) {
        log_error("cannot start the connection sweeper thread");
        abort();
    }
    return cl;
}

struct client_conn *client_limits_open(struct client_limits *cl, int fd)
{
    struct client_conn *c = xcalloc(1, sizeof(*c));
    c->fd = fd;
    pthread_mutex_lock(&cl->lock);
    c->deadline_ms = now_ms() + cl->timeout_ms;
    c->next = cl->head;
    if (cl->head != NULL) {
        cl->head->prev = c;
    }
    cl->head = c;
    pthread_mutex_unlock(&cl->lock);
    return c;
}

void client_limits_close(struct client_limits *cl, struct client_conn *conn)
{
    pthread_mutex_lock(&cl->lock);
    if (conn->prev != NULL) {
        conn->prev->next = conn->next;
    } else {
        cl->head = conn->next;
    }
    if (conn->next != NULL) {
        conn->next->prev = conn->prev;
    }
    pthread_mutex_unlock(&cl->lock);
    free(conn);
}

void client_limits_request_whole(struct client_limits *cl, struct client_conn *conn)
{
    pthread_mutex_lock(&cl->lock);
    conn->deadline_ms = 0;
    pthread_mutex_unlock(&cl->lock);
}

void client_limits_request_wait(struct client_limits *cl, struct client_conn *conn)
{
    pthread_mutex_lock(&cl->lock);
    conn->deadline_ms = now_ms() + cl->timeout_ms;
    pthread_mutex_unlock(&cl->lock);
}

size_t client_limits_n_cut(struct client_limits *cl)
{
    pthread_mutex_lock(&cl->lock);
    size_t n = cl->n_cut;
    pthread_mutex_unlock(&cl->lock);
    return n;
}

void client_limits_free(struct client_limits *cl)
{
    if (cl == NULL) {
        return;
    }
    pthread_mutex_lock(&cl->lock);
    cl->is_stopping = true;
    pthread_cond_signal(&cl->wake);
    pthread_mutex_unlock(&cl->lock);
    pthread_join(cl->sweeper, NULL);
    pthread_cond_destroy(&cl->wake);
    pthread_mutex_destroy(&cl->lock);
    free(cl);
}
