/* server.c - the MHD daemon: lifecycle, MHD request -> struct request, struct response
 * -> MHD response, one log line per request, and a clean stop that lets requests in
 * flight finish. Bodies (gzip, streaming) are in server_body.c. */
#include "http/server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "base/alloc.h"
#include "base/log.h"
#include "http/response.h"
#include "http/server_int.h"
#include "store/store_read.h"

struct server {
    struct MHD_Daemon *daemon;
    const struct http_app *app;
    bool is_quiet;
    atomic_int n_active; /* exchanges alive: requests being answered */
    uint16_t port;
};

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* MHD calls this first for every request, with the raw request target: the exchange
 * starts here so that it has the query string exactly as sent. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *connection)
{
    (void)connection;
    struct server *srv = cls;
    struct exchange *ex = xcalloc(1, sizeof(*ex));
    ex->srv_quiet = srv->is_quiet;
    ex->active = &srv->n_active;
    atomic_fetch_add(&srv->n_active, 1);
    ex->started_ms = now_ms();
    ex->uri_len = strlen(uri);
    const char *q = strchr(uri, '?');
    ex->raw_query = xstrdup(q != NULL ? q + 1 : "");
    const char *nul = strstr(uri, "%00");
    ex->has_nul_in_path = nul != NULL && (q == NULL || nul < q);
    response_init(&ex->resp);
    request_body_init(&ex->body);
    ex->req.app = srv->app;
    return ex;
}

static enum MHD_Result collect_param(void *cls, enum MHD_ValueKind kind, const char *key,
                                     const char *value)
{
    (void)kind;
    struct exchange *ex = cls;
    if (ex->req.n_params >= REQUEST_MAX_PARAMS) {
        ex->has_too_many_params = true;
        return MHD_NO;
    }
    ex->req.params[ex->req.n_params].name = key;
    ex->req.params[ex->req.n_params].value = value != NULL ? value : "";
    ex->req.n_params++;
    return MHD_YES;
}

static enum MHD_Result sum_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                  const char *value)
{
    (void)kind;
    size_t *total = cls;
    *total += strlen(key) + (value != NULL ? strlen(value) : 0) + 4;
    return MHD_YES;
}

static enum http_method method_of(const char *name)
{
    static const struct {
        const char *name;
        enum http_method method;
    } methods[] = {{MHD_HTTP_METHOD_GET, HTTP_GET},         {MHD_HTTP_METHOD_HEAD, HTTP_HEAD},
                   {MHD_HTTP_METHOD_OPTIONS, HTTP_OPTIONS}, {MHD_HTTP_METHOD_POST, HTTP_POST},
                   {MHD_HTTP_METHOD_PUT, HTTP_PUT},         {MHD_HTTP_METHOD_PATCH, HTTP_PATCH},
                   {MHD_HTTP_METHOD_DELETE, HTTP_DELETE}};
    for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
        if (strcmp(name, methods[i].name) == 0) {
            return methods[i].method;
        }
    }
    return HTTP_OTHER;
}

static void read_request(struct exchange *ex, struct MHD_Connection *conn, const char *url,
                         const char *method)
{
    struct request *req = &ex->req;
    req->method = method_of(method);
    req->method_name = method;
    req->path = url;
    req->raw_query = ex->raw_query;
    req->accept = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT);
    req->accept_language =
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_LANGUAGE);
    req->if_none_match =
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
    req->if_modified_since =
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_MODIFIED_SINCE);
    req->content_type =
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    req->authorization =
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    request_body_attach(&ex->body, req);
    const char *encoding =
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_ENCODING);
    ex->accepts_gzip = server_body_accepts_gzip(encoding);
    if (req->app->base_url != NULL) {
        req->base_url = xstrdup(req->app->base_url);
    } else {
        const char *host = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
        req->base_url = xasprintf("http://%s", server_body_safe_host(host));
    }
    MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect_param, ex);
}

/* Checks what must be refused before any handler runs; true when resp is set. */
static bool refuse_early(struct exchange *ex, struct MHD_Connection *conn)
{
    size_t header_bytes = 0;
    MHD_get_connection_values(conn, MHD_HEADER_KIND, sum_header, &header_bytes);
    if (ex->uri_len > SERVER_MAX_URI_LEN) {
        response_set_status_error(&ex->resp, 414, "URITooLong",
                                  "the request target is longer than 8192 bytes");
    } else if (header_bytes > SERVER_MAX_HEADERS_LEN) {
        response_set_status_error(&ex->resp, 431, "RequestHeaderFieldsTooLarge",
                                  "the request headers are larger than 16384 bytes");
    } else if (ex->has_nul_in_path) {
        /* MHD decodes %00 into a NUL that ends the path early: "/map/a%00b" would be
         * answered as "/map/a". No resource has a NUL in its path. */
        response_set_status_error(&ex->resp, 404, "NotFound",
                                  "no resource has a NUL byte in its path");
    } else if (ex->has_too_many_params) {
        response_set_status_error(&ex->resp, 400, "InvalidParameterValue",
                                  "too many query parameters (at most 64)");
    } else {
        return false;
    }
    return true;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    (void)cls;
    (void)version;
    struct exchange *ex = *con_cls;
    /* MHD's first call only announces the headers; answering then would make MHD close
     * the connection (it cannot know whether a body follows), losing keep-alive. */
    if (!ex->has_seen_headers) {
        ex->has_seen_headers = true;
        return MHD_YES;
    }
    if (*upload_data_size > 0 || ex->is_answered) {
        /* A write's body is kept up to REQUEST_MAX_BODY; any other body, and whatever
         * passes the cap, is read and dropped. The answer goes out once MHD has the whole
         * request (answering earlier would close the connection). */
        if (!ex->is_answered && http_method_is_write(method_of(method))) {
            request_body_add(&ex->body, upload_data, *upload_data_size);
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    ex->is_answered = true;
    read_request(ex, conn, url, method);
    if (!refuse_early(ex, conn)) {
        server_handle(&ex->req, &ex->resp);
    }
    struct MHD_Response *response = server_body_make(ex);
    if (response == NULL) {
        return MHD_NO;
    }
    enum MHD_Result queued = MHD_queue_response(conn, (unsigned)ex->resp.status, response);
    MHD_destroy_response(response);
    return queued;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)conn;
    struct exchange *ex = *con_cls;
    if (ex == NULL) {
        return;
    }
    if (!ex->srv_quiet || ex->resp.status >= 500) {
        log_msg(ex->resp.status >= 500 ? LOG_ERROR : LOG_INFO, "%s %s%s%s %d %zu %.1fms%s",
                ex->req.method_name != NULL ? ex->req.method_name : "-",
                ex->req.path != NULL ? ex->req.path : "-", ex->raw_query[0] ? "?" : "",
                ex->raw_query, ex->resp.status, ex->bytes_sent, now_ms() - ex->started_ms,
                toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (cut)");
    }
    server_body_finish(ex);
    response_clear(&ex->resp);
    request_body_clear(&ex->body);
    store_read_end(ex->req.rd);
    free(ex->req.base_url);
    free(ex->req.collection_id);
    free(ex->req.feature_id);
    free(ex->raw_query);
    atomic_fetch_sub(ex->active, 1);
    free(ex);
    *con_cls = NULL;
}

static int parse_bind(const char *addr, uint16_t port, struct sockaddr_storage *ss, struct err *err)
{
    memset(ss, 0, sizeof(*ss));
    struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;
    if (inet_pton(AF_INET, addr, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(port);
        return ERR_OK;
    }
    if (inet_pton(AF_INET6, addr, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(port);
        return ERR_OK;
    }
    return err_set(err, ERR_INVALID, "--bind: '%s' is not an IPv4 or IPv6 address", addr);
}

int server_start(const struct server_options *opts, const struct http_app *app, struct server **out,
                 struct err *err)
{
    *out = NULL;
    struct sockaddr_storage ss;
    int rc = parse_bind(opts->bind_addr, opts->port, &ss, err);
    if (rc != ERR_OK) {
        return rc;
    }
    struct server *srv = xcalloc(1, sizeof(*srv));
    srv->app = app;
    srv->is_quiet = opts->is_quiet;
    atomic_init(&srv->n_active, 0);
    unsigned flags = MHD_USE_AUTO | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC |
                     MHD_USE_ERROR_LOG | (ss.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0);
    srv->daemon = MHD_start_daemon(
        flags, opts->port, NULL, NULL, on_request, srv, MHD_OPTION_SOCK_ADDR,
        (struct sockaddr *)&ss, MHD_OPTION_URI_LOG_CALLBACK, on_uri, srv,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)(opts->threads > 1 ? opts->threads : 0), MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned)60, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(128 * 1024),
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)4000, MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)1024,
        MHD_OPTION_END);
    if (srv->daemon == NULL) {
        free(srv);
        return err_set(err, ERR_IO, "cannot listen on %s port %u (in use, or not allowed)",
                       opts->bind_addr, (unsigned)opts->port);
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
    srv->port = info != NULL ? info->port : opts->port;
    *out = srv;
    return ERR_OK;
}

uint16_t server_port(const struct server *srv)
{
    return srv->port;
}

void server_stop(struct server *srv, unsigned grace_seconds)
{
    if (srv == NULL) {
        return;
    }
    /* Stop accepting, then give requests in flight (a long download, say) time to end. */
    MHD_socket listener = MHD_quiesce_daemon(srv->daemon);
    double deadline = now_ms() + grace_seconds * 1000.0;
    while (atomic_load(&srv->n_active) > 0 && now_ms() < deadline) {
        usleep(20 * 1000);
    }
    if (atomic_load(&srv->n_active) > 0) {
        log_warn("stopping with %d requests still running", atomic_load(&srv->n_active));
    }
    MHD_stop_daemon(srv->daemon);
    if (listener != MHD_INVALID_SOCKET) {
        close(listener);
    }
    free(srv);
}
