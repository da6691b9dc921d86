/* alloc.h - allocation that never returns NULL: sizes are overflow-checked and
 * running out of memory logs and aborts. Input size caps elsewhere keep user input
 * from ever reaching that point, so callers need no NULL checks. */
#ifndef CITYATLAS_BASE_ALLOC_H
#define CITYATLAS_BASE_ALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
/* Resizes to n * size bytes, aborting if the product overflows. */
void *xreallocarray(void *ptr, size_t n, size_t size);
/* Returns a copy of s; free with free(). xstrdup(NULL) returns NULL. */
char *xstrdup(const char *s);
/* Returns a copy of the first len bytes of s plus a NUL; free with free(). */
char *xstrndup(const char *s, size_t len);
/* printf into a new string; free with free(). */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
