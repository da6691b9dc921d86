/* dispatch.h - the request-handling core without MHD (dispatch.c): what server.c runs for
 * each request once it has a struct request, and what tests call without a socket. */
#ifndef CITYATLAS_HTTP_DISPATCH_H
#define CITYATLAS_HTTP_DISPATCH_H

#include <stdbool.h>

#include "http/transport/request.h"

/* Routes req and fills resp (errors included). */
void server_handle(struct request *req, struct response *resp);

/* True when req's route is flagged slow in the route table (renders, exports,
 * statistics), so that server.c runs it on the work pool. Leaves req as it was. */
bool server_route_is_slow(struct request *req);

#endif
