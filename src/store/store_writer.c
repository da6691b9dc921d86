/* store_writer.c - the shared write connection and its group commit (store_writer.h).
 *
 * One mutex guards the hand-over: is_held says a job has the connection, n_waiting how
 * many threads wait for it. A job ends by handing the connection to a waiter, or, when
 * none waits (or the batch is full or old), by committing the batch itself; the jobs whose
 * changes were in it are told the outcome and wake up. A thread that times out waiting
 * leaves only while the connection is held, so a batch is never left without a job that
 * will end it. */
#include "store/store_writer.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"
#include "store/store_int.h"
#include "store/store_scenario_int.h"

/* How long a job waits for the connection before ERR_BUSY (the client is told to retry). */
#define WRITER_WAIT_MS 10000

/* A kept job waiting for its batch's commit. */
struct writer_job {
    bool is_done;
    int rc;
    struct err err;
    struct writer_job *next;
};

struct store_writer {
    struct store *st;
    struct store_writer_limits limits;
    pthread_mutex_t lock;
    pthread_cond_t freed;     /* the connection was handed back */
    pthread_cond_t committed; /* a batch ended */
    bool is_held;
    unsigned n_waiting;
    struct writer_job *batch; /* kept jobs of the open transaction */
    size_t n_batch;
    struct timespec batch_began;
    uint64_t n_commits;
};

static int64_t ms_since(const struct timespec *t0)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)(now.tv_sec - t0->tv_sec) * 1000 + (now.tv_nsec - t0->tv_nsec) / 1000000;
}

int store_writer_open(const char *path, const struct store_writer_limits *limits,
                      struct store_writer **out, struct err *err)
{
    *out = NULL;
    struct store *st = NULL;
    int rc = store_open(path, STORE_READ_WRITE, &st, err);
    /* A person who was told "saved" must find it after a power cut: FULL syncs the WAL at
     * each commit, and group commit makes that one sync per batch, not per write. */
    if (rc == ERR_OK) {
        rc = store_exec(st, "PRAGMA synchronous = FULL", err);
    }
    if (rc != ERR_OK) {
        store_close(st);
        return rc;
    }
    struct store_writer *w = xcalloc(1, sizeof(*w));
    w->st = st;
    w->limits = limits != NULL ? *limits
                               : (struct store_writer_limits){STORE_WRITER_MAX_BATCH_JOBS,
                                                              STORE_WRITER_MAX_BATCH_MS};
    st->defers_sketch_layers = true;
    pthread_mutex_init(&w->lock, NULL);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&w->freed, &attr);
    pthread_condattr_destroy(&attr);
    pthread_cond_init(&w->committed, NULL);
    *out = w;
    return ERR_OK;
}

void store_writer_close(struct store_writer *w)
{
    if (w == NULL) {
        return;
    }
    store_sketch_layers_forget(w->st);
    store_close(w->st); /* rolls back a transaction left open */
    pthread_cond_destroy(&w->freed);
    pthread_cond_destroy(&w->committed);
    pthread_mutex_destroy(&w->lock);
    free(w);
}

/* Takes the connection: at once when free and nobody is queued, else in turn. False when
 * the wait timed out. Called with the lock held. */
static bool take_turn(struct store_writer *w)
{
    if (w->is_held || w->n_waiting > 0) {
        struct timespec deadline;
        clock_gettime(CLOCK_MONOTONIC, &deadline);
        deadline.tv_sec += WRITER_WAIT_MS / 1000;
        w->n_waiting++;
        int wait_rc = 0;
        while (w->is_held && wait_rc != ETIMEDOUT) {
            wait_rc = pthread_cond_timedwait(&w->freed, &w->lock, &deadline);
        }
        w->n_waiting--;
        if (w->is_held) {
            return false;
        }
    }
    w->is_held = true;
    return true;
}

/* Commits the open transaction after the batch's deferred work, or rolls it back when
 * that fails. Called without the lock, by the job holding the connection. */
static int commit_batch(struct store_writer *w, struct err *err)
{
    int rc = store_sketch_layers_flush(w->st, err);
    if (rc == ERR_OK) {
        rc = store_exec(w->st, "COMMIT", err);
    }
    if (rc == ERR_OK) {
        w->st->in_transaction = 0;
    } else {
        store_sketch_layers_forget(w->st);
        store_import_rollback(w->st);
    }
    return rc;
}

/* Hands the connection back: ends the transaction first when nobody waits or the batch is
 * full or old, telling its jobs. Called with the lock held, by the holder. */
static void hand_back(struct store_writer *w)
{
    bool must_end =
        w->st->in_transaction && (w->n_waiting == 0 || w->n_batch >= w->limits.max_jobs ||
                                  ms_since(&w->batch_began) >= (int64_t)w->limits.max_ms);
    if (must_end) {
        pthread_mutex_unlock(&w->lock);
        struct err commit_err;
        err_clear(&commit_err);
        int rc = commit_batch(w, &commit_err);
        pthread_mutex_lock(&w->lock);
        w->n_commits += rc == ERR_OK ? 1 : 0;
        for (struct writer_job *j = w->batch; j != NULL; j = j->next) {
            j->rc = rc;
            j->err = commit_err;
            j->is_done = true;
        }
        w->batch = NULL;
        w->n_batch = 0;
        pthread_cond_broadcast(&w->committed);
    }
    w->is_held = false;
    pthread_cond_signal(&w->freed);
}

int store_writer_begin(struct store_writer *w, struct store **st, struct err *err)
{
    *st = NULL;
    pthread_mutex_lock(&w->lock);
    bool has_turn = take_turn(w);
    pthread_mutex_unlock(&w->lock);
    if (!has_turn) {
        return err_set(err, ERR_BUSY, "the database is busy with other writes");
    }
    int rc = ERR_OK;
    if (!w->st->in_transaction) {
        rc = store_import_begin(w->st, err);
        clock_gettime(CLOCK_MONOTONIC, &w->batch_began);
    }
    if (rc == ERR_OK) {
        rc = store_exec(w->st, "SAVEPOINT job", err);
    }
    if (rc != ERR_OK) {
        pthread_mutex_lock(&w->lock);
        hand_back(w);
        pthread_mutex_unlock(&w->lock);
        return rc;
    }
    *st = w->st;
    return ERR_OK;
}

int store_writer_end(struct store_writer *w, bool keep, struct err *err)
{
    struct err own;
    err_clear(&own);
    int rc = ERR_OK;
    if (keep && store_exec(w->st, "RELEASE job", &own) != ERR_OK) {
        rc = own.code;
        keep = false;
    }
    if (!keep && store_exec(w->st, "ROLLBACK TO job; RELEASE job", &own) != ERR_OK) {
        rc = own.code;
        store_sketch_layers_forget(w->st);
        store_import_rollback(w->st);
    }
    struct writer_job job;
    memset(&job, 0, sizeof(job));
    pthread_mutex_lock(&w->lock);
    if (!w->st->in_transaction) {
        /* The savepoint went with the whole transaction: the batch's kept jobs failed. */
        for (struct writer_job *j = w->batch; j != NULL; j = j->next) {
            j->rc =
                err_set(&j->err, ERR_DB, "the write was rolled back with its batch: %s", own.msg);
            j->is_done = true;
        }
        w->batch = NULL;
        w->n_batch = 0;
        pthread_cond_broadcast(&w->committed);
    }
    if (keep) {
        job.next = w->batch;
        w->batch = &job;
        w->n_batch++;
    }
    hand_back(w);
    while (keep && !job.is_done) {
        pthread_cond_wait(&w->committed, &w->lock);
    }
    pthread_mutex_unlock(&w->lock);
    if (keep) {
        rc = job.rc;
        own = job.err;
    }
    if (rc != ERR_OK) {
        *err = own;
    }
    return rc;
}

size_t store_writer_n_waiting(struct store_writer *w)
{
    pthread_mutex_lock(&w->lock);
    size_t n = w->n_waiting;
    pthread_mutex_unlock(&w->lock);
    return n;
}

uint64_t store_writer_n_commits(struct store_writer *w)
{
    pthread_mutex_lock(&w->lock);
    uint64_t n = w->n_commits;
    pthread_mutex_unlock(&w->lock);
    return n;
}
