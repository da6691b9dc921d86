/* progress.h - a one-line progress display (features read, features/s) on a terminal.
 * Silent when stderr is not a terminal, so logs and CI output stay clean. */
#ifndef CITYATLAS_CLI_PROGRESS_H
#define CITYATLAS_CLI_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

struct progress {
    bool enabled;
    double started; /* seconds, monotonic, when the current layer began */
    double last_drawn;
    char layer[72];
};

void progress_init(struct progress *p, bool quiet);
/* Matches import_progress_fn; ctx is a struct progress. */
void progress_update(void *ctx, const char *layer_id, int64_t done, int64_t total);
/* Erases the line. */
void progress_finish(struct progress *p);

#endif
