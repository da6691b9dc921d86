/* store_writer.h - the server's one read-write connection, shared by every write request,
 * with group commit.
 *
 * SQLite has one writer at a time. Opening a connection per request made each write pay
 * for opening SpatiaLite, then wait for the lock in SQLite's busy handler (which sleeps
 * and polls, so waiting writers queue unfairly), then fsync its own commit. Here the
 * connection stays open and a write is a job on it: store_writer_begin waits (in turn,
 * on a mutex) for the connection, joins the open transaction (the batch) inside a
 * savepoint of its own, and store_writer_end keeps or rolls back the job's changes. The
 * job that finds nobody waiting behind it (or a batch that is full or old) commits the
 * batch: one fsync for every job in it. Every job returns from store_writer_end only
 * after the commit that holds its changes, so a write is answered only once it is
 * durable (synchronous=FULL: the WAL is synced at each commit), and a failed commit is
 * reported to every job of the batch.
 *
 * Work that only the batch's end needs (rewriting a scenario's public sketch layer) is
 * done once per batch, just before its commit (store_scenario_int.h).
 *
 * Threads: every function is thread-safe; a job's connection is used by the thread that
 * began the job, until it ends it. */
#ifndef CITYATLAS_STORE_STORE_WRITER_H
#define CITYATLAS_STORE_STORE_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "store/store.h"

struct store_writer; /* opaque */

/* When a batch commits even while more jobs wait, so that a steady stream of writes still
 * sees commits: when it holds max_jobs kept jobs, or max_ms after it began. */
struct store_writer_limits {
    size_t max_jobs;
    unsigned max_ms;
};

#define STORE_WRITER_MAX_BATCH_JOBS 128
#define STORE_WRITER_MAX_BATCH_MS 200

/* Opens the database at path read-write for the writer; limits NULL: the defaults above. */
int store_writer_open(const char *path, const struct store_writer_limits *limits,
                      struct store_writer **out, struct err *err) WARN_UNUSED;

/* Closes the connection; no job may be under way. NULL is fine. */
void store_writer_close(struct store_writer *w);

/* Waits for the connection (ERR_BUSY after a few seconds) and begins a job: *st is in a
 * transaction, which the store's write functions join. End it with store_writer_end. */
int store_writer_begin(struct store_writer *w, struct store **st, struct err *err) WARN_UNUSED;

/* Ends the job begun on this thread: keep says whether its changes stand. When kept,
 * returns once they are committed with their batch: ERR_OK, or the commit's failure
 * (nothing of the job was written). Not kept: rolled back; ERR_OK. */
int store_writer_end(struct store_writer *w, bool keep, struct err *err) WARN_UNUSED;

/* Threads waiting for the connection now, and batches committed so far (for logs and
 * tests). */
size_t store_writer_n_waiting(struct store_writer *w);
uint64_t store_writer_n_commits(struct store_writer *w);

#endif
