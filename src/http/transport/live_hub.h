/* live_hub.h - Server-Sent Events streams (text/event-stream) that never hold a server
 * thread: a stream with nothing to send suspends its MHD connection, and a write that
 * commits wakes the streams of its topic (a scenario id), which resume and ask their
 * source for what is new. A watcher thread sends a heartbeat comment every heartbeat_ms
 * (so neither MHD's idle timeout nor a proxy cuts a quiet stream) and frees a stream
 * whose client hung up while it was suspended (MHD cannot see that), within a second.
 * Streams are capped overall and per client address. Internal to http/. */
#ifndef CITYATLAS_HTTP_LIVE_HUB_H
#define CITYATLAS_HTTP_LIVE_HUB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"

struct MHD_Connection;
struct MHD_Response;

/* Where a stream's events come from. fill appends the events that are new since its last
 * call (complete "id:/data:" blocks) to out and sets *is_more when it stopped early, or
 * *end_reason (a fixed word) when the stream is over; it runs on an MHD event thread, so
 * it must be quick (an indexed query or two). It is called on every wake, heartbeats
 * included (so a source can notice an end no write announced, e.g. a session that ran out
 * of time). An error is logged and fill is called again a second later. free releases
 * ctx, once. */
struct live_source {
    int (*fill)(void *ctx, struct buf *out, bool *is_more, const char **end_reason,
                struct err *err);
    void (*free)(void *ctx);
    void *ctx;
};

struct live_hub;    /* opaque */
struct live_stream; /* opaque */

/* Starts the watcher. max_streams overall and max_per_address from one client address
 * (both 1 or more); heartbeat_ms between comments (100 or more). */
struct live_hub *live_hub_new(unsigned max_streams, unsigned max_per_address,
                              unsigned heartbeat_ms);

/* Stops the watcher and frees hub; every stream must have ended (server_stop does that
 * with live_hub_end_all before stopping the daemon). NULL is fine. */
void live_hub_free(struct live_hub *hub);

/* Opens a stream on topic for a client at address, bound to a session when session_id
 * > 0 (live_hub_end with that session ends it). Takes src (freed here on failure).
 * ERR_BUSY with a message naming the cap when it is reached, or when the hub is ending.
 * The stream is answered by live_hub_response, or dropped by live_hub_drop. */
int live_hub_join(struct live_hub *hub, const char *topic, int64_t session_id, const char *address,
                  struct live_source src, struct live_stream **out, struct err *err) WARN_UNUSED;

/* Hands stream to MHD as the body of conn's answer (chunked, no length): MHD frees it
 * when the connection ends. NULL on failure (the stream is then dropped). */
struct MHD_Response *live_hub_response(struct live_stream *stream, struct MHD_Connection *conn);

/* Frees a stream that was never answered (a HEAD, an error after joining). NULL is fine. */
void live_hub_drop(struct live_stream *stream);

/* Something under topic has changed: its streams ask their source again. Thread-safe;
 * cheap when nobody listens. hub NULL is fine (tests without a server). */
void live_hub_notify(struct live_hub *hub, const char *topic);

/* Ends the streams of topic (session_id > 0: only those bound to that session) with a
 * final event "end" whose data is {"reason": reason}, after what is still new. */
void live_hub_end(struct live_hub *hub, const char *topic, int64_t session_id, const char *reason);

/* Ends every stream (the server is stopping) and refuses new ones. */
void live_hub_end_all(struct live_hub *hub, const char *reason);

/* Streams open now (for /health-like reports and tests). Thread-safe. */
size_t live_hub_n_streams(struct live_hub *hub);

#endif
