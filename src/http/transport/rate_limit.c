/* rate_limit.c - the token buckets of rate_limit.h in a fixed table scanned linearly:
 * RATE_LIMIT_SLOTS is small enough that a scan costs microseconds next to the write it
 * guards. */
#include "http/transport/rate_limit.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"

#define RATE_KEY_MAX 64

struct bucket {
    bool is_used;
    enum rate_kind kind;
    char key[RATE_KEY_MAX];
    double tokens;
    double at; /* monotonic seconds of the last refill */
};

struct rate_limits {
    pthread_mutex_t lock;
    struct rate_rule rules[RATE_KIND_COUNT];
    struct bucket slots[RATE_LIMIT_SLOTS];
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct rate_limits *rate_limits_new(const struct rate_rule *rules)
{
    struct rate_limits *limits = xcalloc(1, sizeof(*limits));
    pthread_mutex_init(&limits->lock, NULL);
    memcpy(limits->rules, rules, sizeof(limits->rules));
    return limits;
}

void rate_limits_free(struct rate_limits *limits)
{
    if (limits != NULL) {
        pthread_mutex_destroy(&limits->lock);
        free(limits);
    }
}

/* The bucket of (kind, key): found, a free slot, or the one idle longest, made full. */
static struct bucket *bucket_of(struct rate_limits *limits, enum rate_kind kind, const char *key,
                                double now)
{
    struct bucket *free_slot = NULL, *oldest = NULL;
    for (size_t i = 0; i < RATE_LIMIT_SLOTS; i++) {
        struct bucket *b = &limits->slots[i];
        if (!b->is_used) {
            free_slot = free_slot != NULL ? free_slot : b;
        } else if (b->kind == kind && strcmp(b->key, key) == 0) {
            return b;
        } else if (oldest == NULL || b->at < oldest->at) {
            oldest = b;
        }
    }
    struct bucket *b = free_slot != NULL ? free_slot : oldest;
    b->is_used = true;
    b->kind = kind;
    snprintf(b->key, sizeof(b->key), "%s", key);
    b->tokens = limits->rules[kind].burst;
    b->at = now;
    return b;
}

bool rate_limits_take(struct rate_limits *limits, enum rate_kind kind, const char *key,
                      int *retry_after_s)
{
    *retry_after_s = 0;
    if (limits == NULL || limits->rules[kind].per_minute <= 0) {
        return true;
    }
    const struct rate_rule *rule = &limits->rules[kind];
    double per_s = rule->per_minute / 60.0;
    double now = now_s();
    pthread_mutex_lock(&limits->lock);
    struct bucket *b = bucket_of(limits, kind, key, now);
    b->tokens = fmin(rule->burst, b->tokens + (now - b->at) * per_s);
    b->at = now;
    bool is_allowed = b->tokens >= 1.0;
    if (is_allowed) {
        b->tokens -= 1.0;
    } else {
        *retry_after_s = (int)ceil((1.0 - b->tokens) / per_s);
        *retry_after_s = *retry_after_s < 1 ? 1 : *retry_after_s;
    }
    pthread_mutex_unlock(&limits->lock);
    return is_allowed;
}
