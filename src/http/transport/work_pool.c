/* work_pool.c - worker threads taking jobs from a bounded FIFO ring. */
#include "http/transport/work_pool.h"

#include <pthread.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/log.h"

struct job {
    work_pool_fn *fn;
    void *arg;
};

struct work_pool {
    pthread_mutex_t lock;
    pthread_cond_t has_work;
    pthread_t *threads;
    unsigned n_threads;
    struct job *ring; /* max_queued slots */
    unsigned max_queued, head, n_queued;
    unsigned n_running;
    bool is_stopping;
};

/* Nice value of the worker threads: when the cores are busy, the event threads (cheap
 * requests) get them first. Lowering one's own priority needs no privilege. */
#define WORK_POOL_NICE 10

/* Takes the oldest job; false when the pool stops and nothing is left. Locked. */
static bool take_locked(struct work_pool *pool, struct job *out, bool *is_cancelled)
{
    while (pool->n_queued == 0 && !pool->is_stopping) {
        pthread_cond_wait(&pool->has_work, &pool->lock);
    }
    if (pool->n_queued == 0) {
        return false;
    }
    *out = pool->ring[pool->head];
    pool->head = (pool->head + 1) % pool->max_queued;
    pool->n_queued--;
    *is_cancelled = pool->is_stopping;
    return true;
}

static void *worker_main(void *arg)
{
    struct work_pool *pool = arg;
    /* Linux applies a nice value per thread (the tid); failure only costs latency. */
    (void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), WORK_POOL_NICE);
    pthread_mutex_lock(&pool->lock);
    struct job job;
    bool is_cancelled = false;
    while (take_locked(pool, &job, &is_cancelled)) {
        pool->n_running++;
        pthread_mutex_unlock(&pool->lock);
        job.fn(job.arg, is_cancelled);
        pthread_mutex_lock(&pool->lock);
        pool->n_running--;
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
    pool->ring = xcalloc(pool->max_queued, sizeof(*pool->ring));
    pool->threads = xcalloc(n_workers > 0 ? n_workers : 1, sizeof(*pool->threads));
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

int work_pool_submit(struct work_pool *pool, work_pool_fn *fn, void *arg, struct err *err)
{
    pthread_mutex_lock(&pool->lock);
    if (pool->is_stopping || pool->n_queued >= pool->max_queued) {
        unsigned n = pool->n_queued;
        pthread_mutex_unlock(&pool->lock);
        return err_set(err, ERR_BUSY, "the server is busy with slow work (%u requests waiting)", n);
    }
    unsigned tail = (pool->head + pool->n_queued) % pool->max_queued;
    pool->ring[tail] = (struct job){fn, arg};
    pool->n_queued++;
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
    free(pool->ring);
    free(pool->threads);
    free(pool);
}
