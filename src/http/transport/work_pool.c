/* work_pool.c - worker threads taking jobs from a bounded queue, fairly between clients
 * (fair queuing in rounds): a client's job is due one round after its client's previous
 * job, or after the job taken last, whichever is later, and a worker takes the job due
 * first (the oldest of those). So clients take turns: one client's burst of posters delays
 * another client's statistic by about one poster, not by the whole burst, and a burst
 * never starves (later jobs of other clients are due later). No client may hold more than
 * WORK_POOL_CLIENT_SHARE of the queue. */
#include "http/transport/work_pool.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/log.h"

struct job {
    work_pool_fn *fn;
    void *arg;
    uint64_t client; /* hash of the client's key */
    uint64_t round;  /* when it is due */
};

struct work_pool {
    pthread_mutex_t lock;
    pthread_cond_t has_work;
    pthread_t *threads;
    unsigned n_threads;
    struct job *queue; /* max_queued slots, oldest first */
    unsigned max_queued, n_queued;
    struct job *running; /* n_running of n_threads slots */
    unsigned n_running;
    uint64_t round_taken; /* the latest round a worker took */
    bool is_stopping;
};

/* How much lower the worker threads' priority is than the server's (nice steps): when the
 * cores are busy the event threads (cheap requests) get about 3 times the CPU time of the
 * slow work, yet slow work still moves (10 steps, about 9 times, starved it on a loaded
 * machine: 0.2 requests a second). Relative to the process's own nice value, so that a
 * server started with `nice` keeps the same balance. Lowering one's own priority needs no
 * privilege. */
#define WORK_POOL_NICE_STEPS 5

/* Three quarters of the queue at most per client (at least one job): the last quarter
 * stays open to the others. */
#define WORK_POOL_CLIENT_SHARE(max_queued) ((max_queued) - (max_queued) / 4)

static uint64_t client_hash(const char *key)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (const char *p = key != NULL ? key : ""; *p != '\0'; p++) {
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    }
    return h;
}

/* The round a new job of client is due: after the client's latest job and after the
 * round taken last. Locked. */
static uint64_t round_for_locked(const struct work_pool *pool, uint64_t client, unsigned *n_queued)
{
    uint64_t round = pool->round_taken;
    *n_queued = 0;
    for (unsigned i = 0; i < pool->n_queued; i++) {
        if (pool->queue[i].client == client) {
            round = pool->queue[i].round > round ? pool->queue[i].round : round;
            (*n_queued)++;
        }
    }
    for (unsigned i = 0; i < pool->n_running; i++) {
        if (pool->running[i].client == client && pool->running[i].round > round) {
            round = pool->running[i].round;
        }
    }
    return round + 1;
}

/* The oldest of the jobs due first. Locked; n_queued > 0. */
static unsigned fairest_locked(const struct work_pool *pool)
{
    unsigned best = 0;
    for (unsigned i = 1; i < pool->n_queued; i++) {
        best = pool->queue[i].round < pool->queue[best].round ? i : best;
    }
    return best;
}

/* Takes the fairest job and counts it as running; false when the pool stops and nothing
 * is left. Locked. */
static bool take_locked(struct work_pool *pool, struct job *out, bool *is_cancelled)
{
    while (pool->n_queued == 0 && !pool->is_stopping) {
        pthread_cond_wait(&pool->has_work, &pool->lock);
    }
    if (pool->n_queued == 0) {
        return false;
    }
    unsigned at = fairest_locked(pool);
    *out = pool->queue[at];
    memmove(&pool->queue[at], &pool->queue[at + 1],
            (pool->n_queued - at - 1) * sizeof(*pool->queue));
    pool->n_queued--;
    pool->running[pool->n_running++] = *out;
    pool->round_taken = out->round > pool->round_taken ? out->round : pool->round_taken;
    *is_cancelled = pool->is_stopping;
    return true;
}

static void end_locked(struct work_pool *pool, const struct job *job)
{
    for (unsigned i = 0; i < pool->n_running; i++) {
        if (pool->running[i].client == job->client && pool->running[i].round == job->round) {
            pool->running[i] = pool->running[--pool->n_running];
            return;
        }
    }
}

static void *worker_main(void *arg)
{
    struct work_pool *pool = arg;
    /* Linux applies a nice value per thread (the tid); failure only costs latency. */
    errno = 0;
    int nice_now = getpriority(PRIO_PROCESS, 0);
    if (errno == 0 && nice_now + WORK_POOL_NICE_STEPS <= 19) {
        (void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), nice_now + WORK_POOL_NICE_STEPS);
    }
    pthread_mutex_lock(&pool->lock);
    struct job job;
    bool is_cancelled = false;
    while (take_locked(pool, &job, &is_cancelled)) {
        pthread_mutex_unlock(&pool->lock);
        job.fn(job.arg, is_cancelled);
        pthread_mutex_lock(&pool->lock);
        end_locked(pool, &job);
    }
    pthread_mutex_unlock(&pool->lock);
    return NULL;
}

struct work_pool *work_pool_new(unsigned n_workers, unsigned max_queued)
{
    struct work_pool *pool = xcalloc(1, sizeof(*pool));
    pthread_mutex_init(&pool->lock, NULL);
    pthread_cond_init(&pool->has_work, NULL);
    pool->max_queued = max_queued > 0 ? max_queued : 1;
    pool->queue = xcalloc(pool->max_queued, sizeof(*pool->queue));
    pool->threads = xcalloc(n_workers > 0 ? n_workers : 1, sizeof(*pool->threads));
    pool->running = xcalloc(n_workers > 0 ? n_workers : 1, sizeof(*pool->running));
    for (unsigned i = 0; i < (n_workers > 0 ? n_workers : 1); i++) {
        if (pthread_create(&pool->threads[i], NULL, worker_main, pool) != 0) {
            /* Fewer threads still work; none would strand every job. */
            log_error("work pool: could not start thread %u of %u", i + 1, n_workers);
            if (i == 0) {
                abort();
            }
            break;
        }
        pool->n_threads++;
    }
    return pool;
}

int work_pool_submit(struct work_pool *pool, work_pool_fn *fn, void *arg, const char *client,
                     struct err *err)
{
    uint64_t key = client_hash(client);
    pthread_mutex_lock(&pool->lock);
    unsigned n = pool->n_queued;
    if (pool->is_stopping || n >= pool->max_queued) {
        pthread_mutex_unlock(&pool->lock);
        return err_set(err, ERR_BUSY, "the server is busy with slow work (%u requests waiting)", n);
    }
    unsigned mine = 0;
    uint64_t round = round_for_locked(pool, key, &mine);
    if (mine >= WORK_POOL_CLIENT_SHARE(pool->max_queued)) {
        pthread_mutex_unlock(&pool->lock);
        return err_set(err, ERR_BUSY,
                       "the server is busy with your slow work (%u of your requests waiting)",
                       mine);
    }
    pool->queue[pool->n_queued++] = (struct job){fn, arg, key, round};
    pthread_cond_signal(&pool->has_work);
    pthread_mutex_unlock(&pool->lock);
    return ERR_OK;
}

size_t work_pool_n_pending(struct work_pool *pool)
{
    pthread_mutex_lock(&pool->lock);
    size_t n = (size_t)pool->n_queued + pool->n_running;
    pthread_mutex_unlock(&pool->lock);
    return n;
}

void work_pool_free(struct work_pool *pool)
{
    if (pool == NULL) {
        return;
    }
    pthread_mutex_lock(&pool->lock);
    pool->is_stopping = true;
    pthread_cond_broadcast(&pool->has_work);
    pthread_mutex_unlock(&pool->lock);
    for (unsigned i = 0; i < pool->n_threads; i++) {
        pthread_join(pool->threads[i], NULL);
    }
    pthread_cond_destroy(&pool->has_work);
    pthread_mutex_destroy(&pool->lock);
    free(pool->queue);
    free(pool->running);
    free(pool->threads);
    free(pool);
}
