/* progress.c - see progress.h. */
#include "cli/progress.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Redraw at most this often: fast enough to look alive, rare enough to cost nothing. */
#define PROGRESS_REDRAW_SECONDS 0.2
#define PROGRESS_BAR_WIDTH 24

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void progress_init(struct progress *p, bool quiet)
{
    memset(p, 0, sizeof(*p));
    p->enabled = !quiet && isatty(STDERR_FILENO);
}

void progress_update(void *ctx, const char *layer_id, int64_t done, int64_t total)
{
    struct progress *p = ctx;
    if (!p->enabled) {
        return;
    }
    double now = now_seconds();
    if (strcmp(p->layer, layer_id) != 0) {
        snprintf(p->layer, sizeof(p->layer), "%s", layer_id);
        p->started = now;
        p->last_drawn = 0;
    }
    if (now - p->last_drawn < PROGRESS_REDRAW_SECONDS && done != total) {
        return;
    }
    p->last_drawn = now;
    double elapsed = now - p->started;
    double rate = elapsed > 0 ? (double)done / elapsed : 0;
    char bar[PROGRESS_BAR_WIDTH + 1];
    int filled = total > 0 ? (int)(PROGRESS_BAR_WIDTH * (double)done / (double)total) : 0;
    for (int i = 0; i < PROGRESS_BAR_WIDTH; i++) {
        bar[i] = total > 0 ? (i < filled ? '#' : '.')
                           : (i == (int)(done / 8192) % PROGRESS_BAR_WIDTH ? '#' : '.');
    }
    bar[PROGRESS_BAR_WIDTH] = '\0';
    if (total > 0) {
        fprintf(stderr, "\r\033[K%-24.24s [%s] %3d%%  %lld features  %.0f/s", p->layer, bar,
                (int)(100.0 * (double)done / (double)total), (long long)done, rate);
    } else {
        fprintf(stderr, "\r\033[K%-24.24s [%s] %lld features  %.0f/s", p->layer, bar,
                (long long)done, rate);
    }
    fflush(stderr);
}

void progress_finish(struct progress *p)
{
    if (p->enabled) {
        fprintf(stderr, "\r\033[K");
        fflush(stderr);
    }
}
