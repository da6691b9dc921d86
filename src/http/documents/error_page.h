/* error_page.h - errors asked for by a browser (f=html, or an Accept that prefers HTML):
 * the JSON error body {code, description, status} becomes a readable HTML page in the
 * request's language (lang=, else Accept-Language), with the status explained, the
 * description as the server wrote it and links onward. Every other client keeps the JSON.
 * Threads: no shared state. */
#ifndef CITYATLAS_HTTP_ERROR_PAGE_H
#define CITYATLAS_HTTP_ERROR_PAGE_H

#include <stdbool.h>

#include "http/transport/request.h"
#include "http/transport/response.h"

/* True when req asks for HTML: f=html, or no valid f= and an Accept that weighs HTML above
 * JSON. */
bool error_page_is_wanted(const struct request *req);

/* When resp is a JSON error (status 400 or more) and req wants HTML, replaces its body
 * with the HTML page (status and headers kept). Otherwise, or when the page cannot be
 * written, resp is left as it was. */
void error_page_apply(const struct request *req, struct response *resp);

#endif
