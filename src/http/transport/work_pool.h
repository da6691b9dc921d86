/* work_pool.h - a fixed set of threads for slow work (renders, statistics that miss the
 * cache, exports, spooling big answers), with a bounded queue in front of it, served
 * fairly between clients. It keeps
 * that work off the web server's event threads, so that cheap requests sharing a thread
 * with a slow one keep their latency, and caps how much slow work runs at once.
 * Pure pthreads: no MHD types, so it is tested without a socket. Internal to http/. */
#ifndef CITYATLAS_HTTP_WORK_POOL_H
#define CITYATLAS_HTTP_WORK_POOL_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"

/* A job. is_cancelled is true when the pool is being freed before the job started: the
 * job must then only release or answer quickly (it still runs, exactly once). */
typedef void work_pool_fn(void *arg, bool is_cancelled);

struct work_pool; /* opaque */

/* Starts n_workers threads (1 or more) behind a queue of at most max_queued jobs waiting
 * for a thread. Free with work_pool_free. */
struct work_pool *work_pool_new(unsigned n_workers, unsigned max_queued);

/* Queues fn(arg) for client (a key such as the peer's address; NULL is one anonymous
 * client). Clients take turns: a job is due one round after its client's previous one
 * (work_pool.c). ERR_BUSY when max_queued jobs are already waiting, or when this
 * client already holds three quarters of the queue (fn is then not called); the caller
 * answers 503. Thread-safe. */
int work_pool_submit(struct work_pool *pool, work_pool_fn *fn, void *arg, const char *client,
                     struct err *err) WARN_UNUSED;

/* Jobs waiting and running now (for logs and tests). Thread-safe. */
size_t work_pool_n_pending(struct work_pool *pool);

/* Lets the running jobs finish, runs every queued job with is_cancelled = true, joins the
 * threads and frees the pool. NULL is fine. */
void work_pool_free(struct work_pool *pool);

#endif
