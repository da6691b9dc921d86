/* response_cache.h - rendered metadata documents (landing page, collections, OpenAPI,
 * queryables), kept until the next import. They are read far more often than they
 * change and cost more to render than to copy, and a post on the civic page sends
 * thousands of phones to the same few documents at once. */
#ifndef CITYATLAS_HTTP_RESPONSE_CACHE_H
#define CITYATLAS_HTTP_RESPONSE_CACHE_H

#include <stdbool.h>
#include <stddef.h>

#include "http/transport/request.h"

struct response_cache *response_cache_new(size_t max_entries);
void response_cache_free(struct response_cache *cache); /* NULL is fine */

/* Fills resp with a copy of the cached answer to req, if there is one for the database
 * generation req's snapshot sees. The key covers what changes an answer, normalised:
 * the base URL, the path, the decoded query parameters in name order, and the classes
 * of Accept and Accept-Language that handlers tell apart (not the raw headers, which a
 * client could vary to force a fresh render each time). Thread-safe. cache may be NULL. */
bool response_cache_get(struct response_cache *cache, struct request *req, struct response *resp);

/* Keeps a copy of resp (a 200 with a buffered body) as the answer to req. */
void response_cache_put(struct response_cache *cache, struct request *req,
                        const struct response *resp);

#endif
