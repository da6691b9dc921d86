/* fuzz_support.c - helpers shared by the fuzz targets; see fuzz.h. */
#include "fuzz.h"

#include "base/alloc.h"

char *fuzz_text(const uint8_t *data, size_t size)
{
    return xstrndup((const char *)data, size);
}
