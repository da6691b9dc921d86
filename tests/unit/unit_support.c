/* unit_support.c - see unit.h; #included by each test program (one file per program). */
#include <stdio.h>
#include <stdlib.h>

const char *unit_repo_path(const char *rel)
{
    static char path[4096];
    const char *repo = getenv("CITYATLAS_REPO");
    snprintf(path, sizeof(path), "%s/%s", repo != NULL ? repo : "../..", rel);
    return path;
}

const char *unit_temp_dir(void)
{
    static char dir[64];
    snprintf(dir, sizeof(dir), "/tmp/cityatlas-unit-XXXXXX");
    if (mkdtemp(dir) == NULL) {
        perror("mkdtemp");
        abort();
    }
    return dir;
}
