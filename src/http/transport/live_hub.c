/* live_hub.c - Server-Sent Events streams on suspended MHD connections (see live_hub.h).
 *
 * MHD calls a stream's reader when the socket can take bytes. With nothing to send the
 * reader suspends the connection (the only place MHD allows that) and returns 0; a wake
 * (a write committed, a heartbeat, the end) resumes it. Locks: hub->mu guards the list
 * and the counts; each stream's mu guards its flags. No lock is held while calling into
 * MHD except a stream's own mu around MHD_suspend_connection, which pairs the suspension
 * with its flag so that a wake never resumes a connection that is not suspended (MHD
 * forbids that). A waker reads the flag, clears it and resumes outside the lock: while
 * suspended, MHD neither runs nor closes the connection, so it is still there. Wakers
 * hold a reference, never hub->mu and a stream's mu together. */
#define _GNU_SOURCE /* POLLRDHUP */
#include "http/transport/live_hub.h"

#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <microhttpd.h>

#include "base/alloc.h"
#include "base/log.h"

/* The reconnection delay suggested to EventSource clients ("retry:"), in ms. */
#define LIVE_RETRY_HINT_MS 2000
/* The watcher's tick: how soon a hung-up client is freed and a failed fill retried. */
#define LIVE_TICK_MS 1000
/* A stream produces at most about this much before letting MHD send it. */
#define LIVE_OUT_STEP (256u * 1024)
/* Cap of one stream's unsent events (a client that stopped reading). */
#define LIVE_OUT_CAP (8u * 1024 * 1024)
/* Reader chunks MHD asks for. */
#define LIVE_BLOCK_SIZE 4096

struct live_stream {
    struct live_hub *hub;
    struct live_stream *prev, *next; /* in hub's list, under hub->mu */
    char *topic;
    int64_t session_id;
    char address[64];
    struct live_source src;
    struct MHD_Connection *conn; /* set when answered; NULL before */
    int fd;                      /* conn's socket, for the watcher's poll; -1 before */
    atomic_int refs;
    /* Under mu. */
    pthread_mutex_t mu;
    bool is_suspended;    /* MHD_suspend_connection called, no resume yet */
    bool has_news;        /* the source may have new events */
    bool is_beat_due;     /* a heartbeat comment is wanted */
    bool is_gone;         /* the client hung up */
    char *final_reason;   /* set once: end with this reason */
    atomic_bool is_retry; /* the last fill failed: the watcher wakes it again */
    /* Only the reader (one MHD thread at a time) touches these. */
    struct buf out;
    size_t out_pos;
    bool has_started;
    bool is_finished;
};

struct live_hub {
    pthread_mutex_t mu;
    struct live_stream *head;
    size_t n_streams;
    unsigned max_streams, max_per_address, heartbeat_ms;
    bool is_closing;
    /* The watcher. */
    pthread_t watcher;
    pthread_cond_t stop_cond;
    bool is_stopping;
};

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static void stream_ref(struct live_stream *s)
{
    atomic_fetch_add(&s->refs, 1);
}

static void stream_unref(struct live_stream *s)
{
    if (atomic_fetch_sub(&s->refs, 1) != 1) {
        return;
    }
    if (s->src.free != NULL) {
        s->src.free(s->src.ctx);
    }
    pthread_mutex_destroy(&s->mu);
    buf_clear(&s->out);
    free(s->final_reason);
    free(s->topic);
    free(s);
}

/* Unlinks s from its hub (once) and drops the hub's reference. */
static void stream_leave(struct live_stream *s)
{
    struct live_hub *hub = s->hub;
    pthread_mutex_lock(&hub->mu);
    if (s->prev != NULL) {
        s->prev->next = s->next;
    } else {
        hub->head = s->next;
    }
    if (s->next != NULL) {
        s->next->prev = s->prev;
    }
    hub->n_streams--;
    pthread_mutex_unlock(&hub->mu);
    stream_unref(s);
}

/* Applies change to s's flags and resumes its connection when it is suspended. */
enum wake { WAKE_NEWS, WAKE_BEAT, WAKE_GONE, WAKE_END };

static void stream_wake(struct live_stream *s, enum wake why, const char *reason)
{
    pthread_mutex_lock(&s->mu);
    switch (why) {
    case WAKE_NEWS:
        s->has_news = true;
        break;
    case WAKE_BEAT:
        s->is_beat_due = true;
        s->has_news = true; /* the source checks for an end no write announced */
        break;
    case WAKE_GONE:
        s->is_gone = true;
        break;
    case WAKE_END:
        s->has_news = true; /* what is still new goes out before the end */
        if (s->final_reason == NULL) {
            s->final_reason = xstrdup(reason);
        }
        break;
    }
    bool must_resume = s->is_suspended;
    s->is_suspended = false;
    pthread_mutex_unlock(&s->mu);
    if (must_resume) {
        MHD_resume_connection(s->conn);
    }
}

/* The streams matching topic (NULL: all) and session_id (0: any), each referenced. */
static struct live_stream **collect(struct live_hub *hub, const char *topic, int64_t session_id,
                                    size_t *n)
{
    pthread_mutex_lock(&hub->mu);
    struct live_stream **list = xcalloc(hub->n_streams + 1, sizeof(*list));
    *n = 0;
    for (struct live_stream *s = hub->head; s != NULL; s = s->next) {
        if ((topic == NULL || strcmp(s->topic, topic) == 0) &&
            (session_id <= 0 || s->session_id == session_id)) {
            stream_ref(s);
            list[(*n)++] = s;
        }
    }
    pthread_mutex_unlock(&hub->mu);
    return list;
}

static void wake_all(struct live_stream **list, size_t n, enum wake why, const char *reason)
{
    for (size_t i = 0; i < n; i++) {
        stream_wake(list[i], why, reason);
        stream_unref(list[i]);
    }
    free(list);
}

/* One tick of the watcher: polls the streams' sockets for a hang-up, retries failed
 * fills, and sends the heartbeat when it is due. */
static void watch_once(struct live_hub *hub, bool is_beat_due)
{
    size_t n = 0;
    struct live_stream **list = collect(hub, NULL, 0, &n);
    struct pollfd *fds = xcalloc(n + 1, sizeof(*fds));
    for (size_t i = 0; i < n; i++) {
        fds[i].fd = list[i]->fd; /* -1 before the answer: poll skips it */
        fds[i].events = POLLRDHUP;
    }
    if (n > 0 && poll(fds, (nfds_t)n, 0) < 0) {
        memset(fds, 0, (n + 1) * sizeof(*fds));
    }
    for (size_t i = 0; i < n; i++) {
        /* POLLNVAL: the connection closed since it was listed; its free callback runs. */
        if ((fds[i].revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0) {
            stream_wake(list[i], WAKE_GONE, NULL);
        } else if (is_beat_due) {
            stream_wake(list[i], WAKE_BEAT, NULL);
        } else if (atomic_exchange(&list[i]->is_retry, false)) {
            stream_wake(list[i], WAKE_NEWS, NULL);
        }
        stream_unref(list[i]);
    }
    free(fds);
    free(list);
}

static void *watch(void *arg)
{
    struct live_hub *hub = arg;
    double next_beat = now_ms() + hub->heartbeat_ms;
    pthread_mutex_lock(&hub->mu);
    while (!hub->is_stopping) {
        double wait = next_beat - now_ms();
        wait = wait < 0 ? 0 : wait > LIVE_TICK_MS ? LIVE_TICK_MS : wait;
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        long ns = until.tv_nsec + (long)(wait * 1e6);
        until.tv_sec += ns / 1000000000L;
        until.tv_nsec = ns % 1000000000L;
        pthread_cond_timedwait(&hub->stop_cond, &hub->mu, &until);
        if (hub->is_stopping) {
            break;
        }
        pthread_mutex_unlock(&hub->mu);
        bool is_beat_due = now_ms() >= next_beat;
        if (is_beat_due) {
            next_beat = now_ms() + hub->heartbeat_ms;
        }
        watch_once(hub, is_beat_due);
        pthread_mutex_lock(&hub->mu);
    }
    pthread_mutex_unlock(&hub->mu);
    return NULL;
}

struct live_hub *live_hub_new(unsigned max_streams, unsigned max_per_address, unsigned heartbeat_ms)
{
    struct live_hub *hub = xcalloc(1, sizeof(*hub));
    pthread_mutex_init(&hub->mu, NULL);
    pthread_cond_init(&hub->stop_cond, NULL);
    hub->max_streams = max_streams > 0 ? max_streams : 1;
    hub->max_per_address = max_per_address > 0 ? max_per_address : 1;
    hub->heartbeat_ms = heartbeat_ms >= 100 ? heartbeat_ms : 100;
    if (pthread_create(&hub->watcher, NULL, watch, hub) != 0) {
        log_error("cannot start the live streams' watcher thread");
        abort();
    }
    return hub;
}

void live_hub_free(struct live_hub *hub)
{
    if (hub == NULL) {
        return;
    }
    pthread_mutex_lock(&hub->mu);
    hub->is_stopping = true;
    pthread_cond_signal(&hub->stop_cond);
    size_t left = hub->n_streams;
    pthread_mutex_unlock(&hub->mu);
    pthread_join(hub->watcher, NULL);
    if (left > 0) {
        log_warn("%zu live streams still open at exit", left);
    }
    pthread_cond_destroy(&hub->stop_cond);
    pthread_mutex_destroy(&hub->mu);
    free(hub);
}

static size_t count_address(const struct live_hub *hub, const char *address)
{
    size_t n = 0;
    for (const struct live_stream *s = hub->head; s != NULL; s = s->next) {
        n += strcmp(s->address, address) == 0;
    }
    return n;
}

int live_hub_join(struct live_hub *hub, const char *topic, int64_t session_id, const char *address,
                  struct live_source src, struct live_stream **out, struct err *err)
{
    *out = NULL;
    pthread_mutex_lock(&hub->mu);
    int rc = ERR_OK;
    if (hub->is_closing) {
        rc = err_set(err, ERR_BUSY, "the server is stopping");
    } else if (hub->n_streams >= hub->max_streams) {
        rc = err_set(err, ERR_BUSY, "%u live streams are open, the most this server allows",
                     hub->max_streams);
    } else if (count_address(hub, address) >= hub->max_per_address) {
        rc = err_set(err, ERR_BUSY,
                     "%u live streams are open from your address, the most one address may hold",
                     hub->max_per_address);
    }
    if (rc != ERR_OK) {
        pthread_mutex_unlock(&hub->mu);
        if (src.free != NULL) {
            src.free(src.ctx);
        }
        return rc;
    }
    struct live_stream *s = xcalloc(1, sizeof(*s));
    s->hub = hub;
    s->topic = xstrdup(topic);
    s->session_id = session_id;
    snprintf(s->address, sizeof(s->address), "%s", address);
    s->src = src;
    s->fd = -1;
    atomic_init(&s->refs, 1); /* the hub's list, dropped by stream_leave */
    atomic_init(&s->is_retry, false);
    pthread_mutex_init(&s->mu, NULL);
    s->has_news = true; /* the events after the client's last one */
    buf_init(&s->out, LIVE_OUT_CAP);
    s->next = hub->head;
    if (hub->head != NULL) {
        hub->head->prev = s;
    }
    hub->head = s;
    hub->n_streams++;
    pthread_mutex_unlock(&hub->mu);
    *out = s;
    return ERR_OK;
}

void live_hub_drop(struct live_stream *stream)
{
    if (stream != NULL) {
        stream_leave(stream);
    }
}

/* Produces what the flags ask for into s->out; false when nothing is wanted (then the
 * connection has been suspended, under s->mu). */
static bool produce(struct live_stream *s)
{
    pthread_mutex_lock(&s->mu);
    bool has_news = s->has_news, is_beat_due = s->is_beat_due, is_gone = s->is_gone;
    char *final_reason = s->final_reason;
    if (!has_news && !is_beat_due && !is_gone && final_reason == NULL) {
        s->is_suspended = true;
        MHD_suspend_connection(s->conn);
        pthread_mutex_unlock(&s->mu);
        return false;
    }
    s->has_news = s->is_beat_due = false;
    s->final_reason = NULL;
    pthread_mutex_unlock(&s->mu);
    struct err err;
    int rc = ERR_OK;
    if (is_gone) {
        s->is_finished = true;
        free(final_reason);
        return true;
    }
    if (!s->has_started) {
        s->has_started = true;
        rc = buf_printf(&s->out, &err, "retry: %d\n\n", LIVE_RETRY_HINT_MS);
    }
    bool is_more = has_news;
    const char *end_reason = NULL;
    while (rc == ERR_OK && is_more && end_reason == NULL && s->out.len < LIVE_OUT_STEP) {
        is_more = false;
        rc = s->src.fill(s->src.ctx, &s->out, &is_more, &end_reason, &err);
    }
    if (end_reason != NULL && final_reason == NULL) {
        final_reason = xstrdup(end_reason);
        is_more = false;
    }
    if (rc != ERR_OK) {
        log_warn("live stream on %s: %s (tried again in a second)", s->topic, err.msg);
        atomic_store(&s->is_retry, true);
    } else if (is_more) {
        stream_wake(s, WAKE_NEWS, NULL); /* not suspended: only sets the flag */
    }
    if (is_beat_due && s->out.len == s->out_pos) {
        rc = buf_append_str(&s->out, ": heartbeat\n\n", &err);
    }
    if (final_reason != NULL) {
        /* reason is one of the callers' fixed words: no escaping needed. */
        rc = buf_printf(&s->out, &err, "event: end\ndata: {\"reason\":\"%s\"}\n\n", final_reason);
        s->is_finished = true;
        free(final_reason);
    }
    if (rc != ERR_OK) {
        s->is_finished = true; /* past the cap: the client is not reading */
    }
    return true;
}

static ssize_t read_events(void *cls, uint64_t pos, char *buf, size_t max)
{
    (void)pos;
    struct live_stream *s = cls;
    for (;;) {
        if (s->out_pos < s->out.len) {
            size_t n = s->out.len - s->out_pos;
            n = n < max ? n : max;
            memcpy(buf, s->out.data + s->out_pos, n);
            s->out_pos += n;
            if (s->out_pos == s->out.len) {
                buf_truncate(&s->out, 0);
                s->out_pos = 0;
            }
            return (ssize_t)n;
        }
        if (s->is_finished) {
            bool is_gone;
            pthread_mutex_lock(&s->mu);
            is_gone = s->is_gone;
            pthread_mutex_unlock(&s->mu);
            return is_gone ? MHD_CONTENT_READER_END_WITH_ERROR : MHD_CONTENT_READER_END_OF_STREAM;
        }
        if (!produce(s)) {
            return 0;
        }
    }
}

static void free_events(void *cls)
{
    stream_leave(cls);
}

struct MHD_Response *live_hub_response(struct live_stream *stream, struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    stream->conn = conn;
    stream->fd = info != NULL ? info->connect_fd : -1;
    struct MHD_Response *r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, LIVE_BLOCK_SIZE,
                                                               read_events, stream, free_events);
    if (r == NULL) {
        stream_leave(stream);
    }
    return r;
}

void live_hub_notify(struct live_hub *hub, const char *topic)
{
    if (hub == NULL || topic == NULL) {
        return;
    }
    size_t n = 0;
    struct live_stream **list = collect(hub, topic, 0, &n);
    wake_all(list, n, WAKE_NEWS, NULL);
}

void live_hub_end(struct live_hub *hub, const char *topic, int64_t session_id, const char *reason)
{
    if (hub == NULL || topic == NULL) {
        return;
    }
    size_t n = 0;
    struct live_stream **list = collect(hub, topic, session_id, &n);
    wake_all(list, n, WAKE_END, reason);
}

void live_hub_end_all(struct live_hub *hub, const char *reason)
{
    if (hub == NULL) {
        return;
    }
    pthread_mutex_lock(&hub->mu);
    hub->is_closing = true;
    pthread_mutex_unlock(&hub->mu);
    size_t n = 0;
    struct live_stream **list = collect(hub, NULL, 0, &n);
    wake_all(list, n, WAKE_END, reason);
}

size_t live_hub_n_streams(struct live_hub *hub)
{
    if (hub == NULL) {
        return 0;
    }
    pthread_mutex_lock(&hub->mu);
    size_t n = hub->n_streams;
    pthread_mutex_unlock(&hub->mu);
    return n;
}
