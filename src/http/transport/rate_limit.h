/* rate_limit.h - token buckets that bound how fast participants write and join: one bucket
 * per participant and per client address, refilled at a rate per minute up to a burst. The
 * table is bounded (RATE_LIMIT_SLOTS): when full, the bucket idle longest is dropped (an
 * idle bucket is full again anyway, so dropping it forgets nothing that matters).
 *
 * Thread-safe (one mutex; each call is a short scan). */
#ifndef CITYATLAS_HTTP_RATE_LIMIT_H
#define CITYATLAS_HTTP_RATE_LIMIT_H

#include <stdbool.h>

#define RATE_LIMIT_SLOTS 4096

enum rate_kind {
    RATE_PARTICIPANT_WRITE, /* key: the participant's id */
    RATE_ADDRESS_WRITE,     /* key: the client's address (a venue's hotspot is one) */
    RATE_ADDRESS_JOIN,      /* key: the client's address */
    RATE_KIND_COUNT
};

struct rate_rule {
    double per_minute; /* refill; <= 0: no limit */
    double burst;      /* bucket size */
};

struct rate_limits;

/* rules[RATE_KIND_COUNT], copied. */
struct rate_limits *rate_limits_new(const struct rate_rule *rules);
void rate_limits_free(struct rate_limits *limits); /* NULL is fine */

/* Takes one token from the bucket of (kind, key). False when it is empty: *retry_after_s is
 * then the whole seconds until one is back (>= 1). A NULL limits allows everything. */
bool rate_limits_take(struct rate_limits *limits, enum rate_kind kind, const char *key,
                      int *retry_after_s);

#endif
