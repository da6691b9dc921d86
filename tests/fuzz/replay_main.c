/* replay_main.c - main() for builds without libFuzzer: runs every file named on the
 * command line, or found in a folder named there, through LLVMFuzzerTestOneInput once, in
 * name order. A crash, a sanitizer report or a leak fails the run (and its ctest test). */
#include "fuzz.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/alloc.h"

/* Runs one file; returns 0, or 1 when it cannot be read. */
static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "replay: cannot read %s\n", path);
        return 1;
    }
    size_t cap = 4096, len = 0;
    uint8_t *data = xmalloc(cap);
    size_t n;
    while ((n = fread(data + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) {
            cap *= 2;
            data = xreallocarray(data, cap, 1);
        }
    }
    fclose(f);
    LLVMFuzzerTestOneInput(data, len);
    free(data);
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs every regular file of dir in name order; adds the count to *n_run. */
static int replay_dir(const char *dir, size_t *n_run)
{
    DIR *d = opendir(dir);
    if (d == NULL) {
        fprintf(stderr, "replay: cannot list %s\n", dir);
        return 1;
    }
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] != '.') {
            names = xreallocarray(names, n + 1, sizeof(*names));
            names[n++] = xasprintf("%s/%s", dir, e->d_name);
        }
    }
    closedir(d);
    qsort(names, n, sizeof(*names), by_name);
    int failed = 0;
    for (size_t i = 0; i < n; i++) {
        struct stat sb;
        if (stat(names[i], &sb) == 0 && S_ISREG(sb.st_mode)) {
            failed |= replay_file(names[i]);
            (*n_run)++;
        }
        free(names[i]);
    }
    free(names);
    return failed;
}

int main(int argc, char **argv)
{
    size_t n_run = 0;
    int failed = 0;
    for (int i = 1; i < argc; i++) {
        struct stat sb;
        if (stat(argv[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
            failed |= replay_dir(argv[i], &n_run);
        } else {
            failed |= replay_file(argv[i]);
            n_run++;
        }
    }
    printf("replayed %zu inputs\n", n_run);
    return failed || n_run == 0 ? 1 : 0;
}
