/* fuzz_support.c - helpers shared by the fuzz targets; see fuzz.h. */
#include "fuzz.h"

#include <string.h>

#include "base/alloc.h"
#include "http/transport/request.h"

char *fuzz_text(const uint8_t *data, size_t size)
{
    return xstrndup((const char *)data, size);
}

void fuzz_add_params(struct request *req, char *query)
{
    for (char *part = query; part != NULL && *part != '\0';) {
        char *next = strchr(part, '&');
        if (next != NULL) {
            *next++ = '\0';
        }
        char *eq = strchr(part, '=');
        if (eq != NULL) {
            *eq++ = '\0';
        }
        if (req->n_params < REQUEST_MAX_PARAMS) {
            req->params[req->n_params].name = part;
            req->params[req->n_params++].value = eq != NULL ? eq : "";
        }
        part = next;
    }
}
