/* server.c - the MHD daemon: lifecycle, MHD request -> struct request, struct response
 * -> MHD response, slow work handed to the work pool (the connection suspended until it
 * is done), and a clean stop that lets requests in flight finish. Bodies (gzip,
 * streaming, spooling) are in server_body.c, connection deadlines in client_limits.c,
 * the log line in server_log.c. */
#include "http/server/server.h"
#include "http/server/dispatch.h"
#include "http/server/listener.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "base/alloc.h"
#include "base/log.h"
#include "http/transport/client_limits.h"
#include "http/transport/live_hub.h"
#include "http/transport/response.h"
#include "http/server/server_int.h"
#include "http/transport/work_pool.h"
#include "store/store_read.h"

/* Writes run on threads of their own: waiting for the database's one writer
 * (store_writer.h), a burst of them never holds the event threads that answer reads (a
 * projector polling the changes), and enough of them wait together for one commit to
 * cover many (SERVER_WRITE_WORKERS, server.h). Past the queue, 503 with Retry-After. */
#define SERVER_WRITE_QUEUE 1024

/* Seconds a client is told to wait after a 503 for slow work. */
#define SERVER_RETRY_AFTER "5"

struct server {
    struct MHD_Daemon *daemon;
    struct listener *listener; /* accepts connections for the daemon */
    const struct http_app *app;
    bool is_quiet;
    atomic_int n_active; /* exchanges alive: requests being answered */
    uint16_t port;
    struct client_limits *limits; /* per-connection deadlines */
    struct work_pool *slow;       /* renders, statistics, exports, spooling */
    struct work_pool *writes;     /* POST, PUT, PATCH and DELETE */
};

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static struct client_conn *conn_state(struct MHD_Connection *connection)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(connection, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return info != NULL ? info->socket_context : NULL;
}

static void exchange_free(struct exchange *ex)
{
    server_body_finish(ex);
    response_clear(&ex->resp);
    request_body_clear(&ex->body);
    store_read_end(ex->req.rd);
    free(ex->req.base_url);
    request_free_path_params(&ex->req);
    free(ex->raw_query);
    atomic_fetch_sub(ex->active, 1);
    free(ex);
}

/* MHD parses the query into its per-connection memory pool right after on_uri returns,
 * at about 50 bytes a parameter: a few thousand empty parameters ("?&&&...") exhaust the
 * pool, and MHD 0.9.75 then drops the request without an answer. A query with more
 * parameters than any request may have is answered 400 by refuse_early, so MHD need not
 * parse it: ending it at the '?' (the request line sits in MHD's writable read buffer,
 * and MHD looks for the '?' before calling on_uri) makes MHD see no parameters. */
static void drop_hopeless_query(struct exchange *ex, const char *uri)
{
    char *q = strchr(uri, '?');
    if (q == NULL) {
        return;
    }
    size_t n_params = 1;
    for (const char *p = q + 1; *p != '\0'; p++) {
        n_params += *p == '&';
    }
    if (n_params > REQUEST_MAX_PARAMS || ex->uri_len > SERVER_MAX_URI_LEN) {
        ex->has_too_many_params = n_params > REQUEST_MAX_PARAMS;
        q[1] = '\0';
    }
}

/* MHD calls this first for every request, with the raw request target: the exchange
 * starts here so that it has the query string exactly as sent. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *connection)
{
    struct server *srv = cls;
    struct exchange *ex = xcalloc(1, sizeof(*ex));
    ex->srv_quiet = srv->is_quiet;
    ex->active = &srv->n_active;
    atomic_fetch_add(&srv->n_active, 1);
    ex->started_ms = now_ms();
    ex->conn = connection;
    server_body_init(ex);
    ex->uri_len = strlen(uri);
    const char *q = strchr(uri, '?');
    ex->raw_query = xstrdup(q != NULL ? q + 1 : "");
    const char *nul = strstr(uri, "%00");
    ex->has_nul_in_path = nul != NULL && (q == NULL || nul < q);
    drop_hopeless_query(ex, uri);
    response_init(&ex->resp);
    request_body_init(&ex->body);
    ex->req.app = srv->app;
    /* The connection owns its request too: freed at close if MHD never completes it. */
    struct client_conn *cc = conn_state(connection);
    if (cc != NULL) {
        if (cc->exchange != NULL) {
            exchange_free(cc->exchange);
        }
        cc->exchange = ex;
    }
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

/* The peer's address as text (IPv4 or IPv6), "" when MHD does not know it: the key of
 * the per-address rate limits. */
static void server_client_address(struct MHD_Connection *conn, char *out, size_t cap)
{
    out[0] = '\0';
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = info != NULL ? info->client_addr : NULL;
    if (sa != NULL && sa->sa_family == AF_INET) {
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
                  (socklen_t)cap);
    } else if (sa != NULL && sa->sa_family == AF_INET6) {
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
                  (socklen_t)cap);
    }
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
    req->user_agent =
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_USER_AGENT);
    req->if_match = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_MATCH);
    req->last_event_id = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Last-Event-ID");
    server_client_address(conn, req->client_address, sizeof(req->client_address));
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

/* Framing the server refuses at once, before reading a body: two different
 * Content-Length values, or a transfer coding other than chunked alone (MHD would wait
 * for the connection to close, which a client never does). Both are also how requests
 * are smuggled past proxies. True when resp is set; the connection is closed after. */
struct framing {
    const char *length;
    bool has_conflicting_length;
    const char *coding;
};

static enum MHD_Result note_framing(void *cls, enum MHD_ValueKind kind, const char *key,
                                    const char *value)
{
    (void)kind;
    struct framing *f = cls;
    value = value != NULL ? value : "";
    if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0) {
        f->has_conflicting_length |= f->length != NULL && strcmp(f->length, value) != 0;
        f->length = value;
    } else if (strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING) == 0) {
        f->coding = value;
    }
    return MHD_YES;
}

static bool refuse_framing(struct exchange *ex, struct MHD_Connection *conn)
{
    struct framing f = {NULL, false, NULL};
    MHD_get_connection_values(conn, MHD_HEADER_KIND, note_framing, &f);
    if (f.has_conflicting_length || (f.length != NULL && strchr(f.length, ',') != NULL)) {
        response_set_status_error(&ex->resp, 400, "BadRequest",
                                  "the request has Content-Length headers that disagree");
    } else if (f.coding != NULL && strcasecmp(f.coding, "chunked") != 0) {
        response_set_status_error(&ex->resp, 501, "NotImplemented",
                                  "the only transfer coding accepted is 'chunked' alone");
    } else if (f.coding != NULL && f.length != NULL) {
        response_set_status_error(&ex->resp, 400, "BadRequest",
                                  "the request has both Content-Length and Transfer-Encoding");
    } else {
        return false;
    }
    /* The body that follows cannot be delimited: nothing after it can be read either. */
    response_add_header(&ex->resp, MHD_HTTP_HEADER_CONNECTION, "close");
    return true;
}

static enum MHD_Result answer(struct exchange *ex, struct MHD_Connection *conn)
{
    ex->state = EXCHANGE_ANSWERED;
    struct MHD_Response *response = server_body_make(ex);
    if (response == NULL) {
        return MHD_NO;
    }
    enum MHD_Result queued = MHD_queue_response(conn, (unsigned)ex->resp.status, response);
    MHD_destroy_response(response);
    return queued;
}

/* Ends a worker's job: the exchange is ready, and MHD calls on_request again. */
static void finish_job(struct exchange *ex)
{
    ex->state = EXCHANGE_READY;
    MHD_resume_connection(ex->conn);
}

static void run_handler_on_worker(void *arg, bool is_cancelled)
{
    struct exchange *ex = arg;
    if (is_cancelled) {
        response_set_status_error(&ex->resp, 503, "ServiceUnavailable", "the server is stopping");
    } else {
        server_handle(&ex->req, &ex->resp);
        if (server_body_is_large(ex)) {
            server_body_spool(ex);
        }
    }
    finish_job(ex);
}

static void run_spool(void *arg, bool is_cancelled)
{
    (void)is_cancelled; /* the answer is under way: finishing it is quicker than failing */
    server_body_spool(arg);
    finish_job(arg);
}

/* Suspends the connection and queues job on pool. Past the queue, a refusable job is
 * answered 503 with Retry-After; any other runs here at once (an answer under way is
 * better finished than refused: its size bounds the time). */
static enum MHD_Result hand_off(struct work_pool *pool, struct exchange *ex,
                                struct MHD_Connection *conn, work_pool_fn *job, bool is_refusable)
{
    struct err err;
    ex->state = EXCHANGE_WORKING;
    MHD_suspend_connection(conn);
    if (work_pool_submit(pool, job, ex, ex->req.client_address, &err) == ERR_OK) {
        return MHD_YES;
    }
    if (!is_refusable) {
        job(ex, false);
        return MHD_YES;
    }
    response_clear(&ex->resp);
    response_init(&ex->resp);
    response_set_status_error(&ex->resp, 503, "ServiceUnavailable",
                              "the server is busy; retry in a few seconds");
    response_add_header(&ex->resp, "Retry-After", SERVER_RETRY_AFTER);
    finish_job(ex);
    return MHD_YES;
}

/* The whole request is in: answer it here, or on a worker when its route is slow or its
 * answer large. */
static enum MHD_Result dispatch(struct server *srv, struct exchange *ex,
                                struct MHD_Connection *conn, const char *url, const char *method)
{
    struct client_conn *cc = conn_state(conn);
    if (cc != NULL) {
        client_limits_request_whole(srv->limits, cc);
    }
    read_request(ex, conn, url, method);
    if (refuse_early(ex, conn)) {
        return answer(ex, conn);
    }
    if (server_route_is_slow(&ex->req)) {
        return hand_off(srv->slow, ex, conn, run_handler_on_worker, true);
    }
    if (http_method_is_write(ex->req.method)) {
        return hand_off(srv->writes, ex, conn, run_handler_on_worker, true);
    }
    server_handle(&ex->req, &ex->resp);
    if (server_body_is_large(ex)) {
        return hand_off(srv->slow, ex, conn, run_spool, false);
    }
    return answer(ex, conn);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    (void)version;
    struct exchange *ex = *con_cls;
    /* MHD's first call only announces the headers; answering then would make MHD close
     * the connection (it cannot know whether a body follows), losing keep-alive: only
     * framing the server refuses is answered (and the connection closed) at once. */
    if (!ex->has_seen_headers) {
        ex->has_seen_headers = true;
        ex->req.method_name = method; /* for the log line of a refusal */
        ex->req.path = url;
        return refuse_framing(ex, conn) ? answer(ex, conn) : MHD_YES;
    }
    if (ex->state == EXCHANGE_READY) {
        return answer(ex, conn);
    }
    if (*upload_data_size > 0 || ex->state != EXCHANGE_READING) {
        /* A write's body is kept up to REQUEST_MAX_BODY; any other body, and whatever
         * passes the cap, is read and dropped. The answer goes out once MHD has the whole
         * request (answering earlier would close the connection). */
        if (ex->state == EXCHANGE_READING && http_method_is_write(method_of(method))) {
            request_body_add(&ex->body, upload_data, *upload_data_size);
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    return dispatch(cls, ex, conn, url, method);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct server *srv = cls;
    struct exchange *ex = *con_cls;
    if (ex == NULL) {
        return;
    }
    if (ex->state == EXCHANGE_READING) {
        ex->resp.status = 408; /* cut before the request was whole: the log says so */
    }
    server_log_request(ex, toe == MHD_REQUEST_TERMINATED_COMPLETED_OK, now_ms() - ex->started_ms);
    struct client_conn *cc = conn_state(conn);
    if (cc != NULL && cc->exchange == ex) {
        cc->exchange = NULL;
        client_limits_request_wait(srv->limits, cc);
    }
    exchange_free(ex);
    *con_cls = NULL;
}

/* Every connection gets its state (deadline, request in progress) when it opens; its
 * close frees whatever request MHD left behind. */
static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    struct server *srv = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *info =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
        *socket_context = client_limits_open(srv->limits, info != NULL ? info->connect_fd : -1);
        return;
    }
    struct client_conn *cc = *socket_context;
    if (cc == NULL) {
        return;
    }
    if (cc->exchange != NULL) {
        exchange_free(cc->exchange);
    }
    client_limits_close(srv->limits, cc);
    *socket_context = NULL;
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

static struct MHD_Daemon *start_daemon(struct server *srv, const struct server_options *opts,
                                       const struct sockaddr_storage *ss)
{
    /* The listener (listener.h) accepts and hands each connection over. */
    unsigned flags = MHD_USE_AUTO | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC |
                     MHD_USE_NO_LISTEN_SOCKET | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG |
                     (ss->ss_family == AF_INET6 ? MHD_USE_IPv6 : 0);
    return MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, srv, MHD_OPTION_URI_LOG_CALLBACK, on_uri, srv,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv, MHD_OPTION_NOTIFY_CONNECTION, on_connection,
        srv, MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(opts->threads > 1 ? opts->threads : 0),
        MHD_OPTION_CONNECTION_TIMEOUT, opts->idle_timeout_s, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)(128 * 1024), MHD_OPTION_CONNECTION_LIMIT, opts->max_connections,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, opts->max_connections_per_ip, MHD_OPTION_END);
}

/* Slow jobs and writes end first (queued ones answer 503), so that no connection is still
 * suspended when MHD stops: it resumes and closes them, freeing their requests. */
static void free_server(struct server *srv)
{
    work_pool_free(srv->slow);
    work_pool_free(srv->writes);
    if (srv->daemon != NULL) {
        MHD_stop_daemon(srv->daemon);
    }
    client_limits_free(srv->limits);
    free(srv);
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
    struct listener *listener = NULL;
    if (listener_open(&ss, &listener, err) != ERR_OK) {
        return err_set(err, ERR_IO, "cannot listen on %s port %u (in use, or not allowed)",
                       opts->bind_addr, (unsigned)opts->port);
    }
    struct server *srv = xcalloc(1, sizeof(*srv));
    srv->app = app;
    srv->is_quiet = opts->is_quiet;
    atomic_init(&srv->n_active, 0);
    srv->limits = client_limits_new(opts->request_timeout_s * 1000u);
    srv->slow = work_pool_new(opts->slow_workers, opts->slow_queue);
    srv->writes = work_pool_new(SERVER_WRITE_WORKERS, SERVER_WRITE_QUEUE);
    srv->daemon = start_daemon(srv, opts, &ss);
    if (srv->daemon == NULL) {
        listener_close(listener);
        free_server(srv);
        return err_set(err, ERR_IO, "cannot start the web server's threads");
    }
    if (listener_start(listener, srv->daemon, err) != ERR_OK) {
        listener_close(listener);
        free_server(srv);
        return ERR_IO;
    }
    srv->listener = listener;
    srv->port = listener_port(listener);
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
    listener_close(srv->listener);
    /* Live streams never end by themselves: they end now, with a final event, and no
     * connection may stay suspended when MHD stops. */
    live_hub_end_all(srv->app->live, "server-stopping");
    double deadline = now_ms() + grace_seconds * 1000.0;
    while (atomic_load(&srv->n_active) > 0 && now_ms() < deadline) {
        usleep(20 * 1000);
    }
    if (atomic_load(&srv->n_active) > 0) {
        log_warn("stopping with %d requests still running", atomic_load(&srv->n_active));
    }
    free_server(srv);
}
