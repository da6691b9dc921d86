/* request.h - one HTTP request and its response, in our own types (no MHD types), so
 * handlers can be written and tested without the HTTP library. server.c fills a struct
 * request from MHD and turns a struct response back into an MHD response. */
#ifndef CITYATLAS_HTTP_REQUEST_H
#define CITYATLAS_HTTP_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"

struct store_pool;
struct store_read;
struct response_cache;
struct stats_cache;
struct tile_cache;
struct style_set;
struct rate_limits;
struct store_writer;
struct live_hub;
struct live_stream;

/* What the whole server shares: set up by cmd_serve, read-only while serving. */
struct http_app {
    struct store_pool *pool;
    const char *base_url; /* e.g. "http://example.org/atlas", no trailing slash; NULL: from Host */
    int64_t max_limit;    /* largest `limit` a client may ask for */
    int64_t default_limit;
    struct response_cache *cache;    /* rendered metadata documents */
    struct stats_cache *stats_cache; /* computed statistics */
    struct tile_cache *tile_cache;   /* hot vector tiles */
    const char *web_dir;             /* the web map's files served at /map/ (web/); NULL: none */
    const struct style_set *styles;  /* loaded at startup; NULL: every layer gets a default */
    const char *db_path;             /* the database file, for writes when there is no writer */
    struct store_writer *writer;     /* the shared write connection (group commit); NULL: a
                                      * write opens db_path itself */
    const char *read_only_reason;    /* why db_path cannot be written (checked at start), or NULL */
    struct rate_limits *limits;      /* participants' write and join limits; NULL: none */
    struct live_hub *live;           /* Server-Sent Events streams (live_hub.h); NULL: none */
};

/* HTTP_OTHER is any method no route answers (TRACE, CONNECT, ...). */
enum http_method {
    HTTP_GET,
    HTTP_HEAD,
    HTTP_OPTIONS,
    HTTP_POST,
    HTTP_PUT,
    HTTP_PATCH,
    HTTP_DELETE,
    HTTP_OTHER
};

/* A set of methods, as routes declare what they answer: (1u << HTTP_*) bits. */
#define HTTP_METHOD_BIT(m) (1u << (unsigned)(m))
#define HTTP_METHODS_READ (HTTP_METHOD_BIT(HTTP_GET) | HTTP_METHOD_BIT(HTTP_HEAD))

/* True for the methods that change something and may carry a body. */
bool http_method_is_write(enum http_method method);

/* The largest request body taken (a FeatureCollection of 500 sketches fits): a larger one
 * is answered 413 and the rest of it is read and dropped. */
#define REQUEST_MAX_BODY (1024u * 1024)

/* The formats a document can be returned in. */
enum http_format { HTTP_FORMAT_JSON, HTTP_FORMAT_HTML, HTTP_FORMAT_CSV };

enum http_lang { HTTP_LANG_EN, HTTP_LANG_TH };

struct http_param {
    const char *name;  /* decoded */
    const char *value; /* decoded; "" for a name without '=' */
};

#define REQUEST_MAX_PARAMS 64

/* A {name} segment of the matched route's pattern and the path's text there: the id of a
 * collection, feature, scenario, statistic, sketch or session, a join code, a tile's
 * address. Named as in the pattern, so a handler asks for what its route calls it. */
struct request_path_param {
    char *name;  /* without braces, e.g. "scenarioId"; owned */
    char *value; /* decoded, without a pattern's literal suffix (".gpkg"); owned */
};

/* The most {..} segments a route pattern may have (a collection's tile has five). */
#define REQUEST_MAX_PATH_PARAMS 6

struct api_route;

struct request {
    const struct http_app *app;
    enum http_method method;
    const char *method_name;
    const char *path;      /* decoded path, e.g. "/collections/districts/items" */
    const char *raw_query; /* as received after '?', or "" (for self links and ETags) */
    struct http_param params[REQUEST_MAX_PARAMS];
    size_t n_params;
    /* Headers the handlers use; NULL when absent. */
    const char *accept, *accept_language, *if_none_match, *if_modified_since;
    const char *content_type, *authorization;
    const char *user_agent;    /* or NULL: link-preview crawlers get share pages as HTML */
    const char *if_match;      /* sketch edits: a stale version is 412 */
    const char *last_event_id; /* an EventSource reconnecting: the last event it had */
    char client_address[48];   /* the peer's IP address as text, "" unknown */
    /* The request body of a write method, NUL-terminated (body_len excludes the NUL); NULL
     * when there is none. Owned by whoever filled the request (server.c). */
    const char *body;
    size_t body_len;
    bool is_body_too_large; /* the body passed REQUEST_MAX_BODY and was dropped: 413 */
    char *base_url;         /* app->base_url or "http://" + Host; owned */
    /* The route's path parameters, filled by the router (request_path_param reads them).
     * Freed by request_free_path_params. */
    struct request_path_param path_params[REQUEST_MAX_PATH_PARAMS];
    size_t n_path_params;
    /* The row of the route table (server/routes.h) that matched; NULL before routing. */
    const struct api_route *route;
    /* The request's database snapshot, opened on first use by request_store(). */
    struct store_read *rd;
};

/* A body produced piece by piece, for results too large to build in memory. */
struct response_stream {
    /* Appends the next piece of the body to out and sets *is_done after the last piece.
     * Called until *is_done; an error ends the response early (the client sees a cut
     * body: the status is already sent). */
    int (*fill)(void *ctx, struct buf *out, bool *is_done, struct err *err);
    void (*free)(void *ctx); /* called once, when the request ends */
    void *ctx;
};

#define RESPONSE_MAX_HEADERS 8

struct response {
    int status;               /* 200 unless a handler sets it */
    const char *content_type; /* static string */
    struct buf body;          /* the whole body, unless stream.fill is set */
    struct response_stream stream;
    char *etag;                   /* owned; quoted, e.g. "\"v12-3fa9\"" */
    char *last_modified;          /* owned; an HTTP date */
    const char *content_language; /* "en" or "th", or NULL */
    struct {
        const char *name; /* static string */
        char *value;      /* owned */
    } headers[RESPONSE_MAX_HEADERS];
    size_t n_headers;
    bool is_cacheable;        /* a metadata document that response_cache may keep */
    struct live_stream *live; /* an event stream for the body (live_hub.h); owned */
};

/* Cap of a response built in memory; larger results stream. */
#define RESPONSE_BODY_CAP (64u * 1024 * 1024)

/* Looks up a query parameter by exact name; NULL when absent. Borrowed. */
const char *request_param(const struct request *req, const char *name);

/* The path parameter the route's pattern names {name} (e.g. "scenarioId"); NULL when the
 * matched route has none. Borrowed. */
const char *request_path_param(const struct request *req, const char *name);

/* Sets path parameter name to a copy of value, replacing one of that name: the router's
 * captures, and a handler that serves its route as another's (a scenario's sketches are
 * the items of its sketch layer, so they get a collectionId). At most
 * REQUEST_MAX_PATH_PARAMS names; a name past that is dropped (patterns are checked
 * against the cap by test_http). */
void request_set_path_param(struct request *req, const char *name, const char *value);

/* Frees the path parameters and empties the list. */
void request_free_path_params(struct request *req);

/* Opens the request's snapshot of the database on first use; later calls return it.
 * ERR_BUSY when every connection is lent out. */
int request_store(struct request *req, struct store_read **out, struct err *err) WARN_UNUSED;

/* Collecting a request body as it arrives in pieces, under REQUEST_MAX_BODY. */
struct request_body {
    struct buf buf;
    bool is_too_large; /* a piece went past the cap: everything was dropped */
};

void request_body_init(struct request_body *b);
/* Appends a piece; once the total passes REQUEST_MAX_BODY the buffer is freed and later
 * pieces are ignored (read and dropped, so the connection stays usable). */
void request_body_add(struct request_body *b, const char *data, size_t len);
/* Points req->body, body_len and is_body_too_large at b (borrowed: b outlives req's use). */
void request_body_attach(const struct request_body *b, struct request *req);
void request_body_clear(struct request_body *b);

struct store;

/* Begins one write: *out is the app's shared writer, in a job of its batch
 * (store_writer.h), or, without one, a read-write connection of its own to app->db_path.
 * The server's snapshots are read-only, so writes never take a pooled connection. End it
 * with request_end_write. ERR_BUSY when other writers hold the database past the wait;
 * ERR_READ_ONLY (503 with the reason) when serve found the database read-only at start. */
int request_open_writer(const struct request *req, struct store **out, struct err *err) WARN_UNUSED;

/* Ends the write begun by request_open_writer (st NULL: none was): keep says whether its
 * changes stand; kept ones are committed before this returns. Returns rc, or, when rc is
 * ERR_OK, the commit's failure (err set): then nothing of the write was stored. */
int request_end_write(const struct request *req, struct store *st, bool keep, int rc,
                      struct err *err) WARN_UNUSED;

/* The format asked for with f= (json, geojson, html, csv), else by Accept, else JSON.
 * allowed is a mask of (1 << HTTP_FORMAT_*); an f= outside it is ERR_INVALID. */
int request_format(const struct request *req, unsigned allowed, enum http_format *out,
                   struct err *err) WARN_UNUSED;

/* The language asked for with lang= (th, en), else by Accept-Language, else English.
 * An unknown lang= is ERR_INVALID. */
int request_lang(const struct request *req, enum http_lang *out, struct err *err) WARN_UNUSED;

/* Adds a header to the response (value copied). */
void response_add_header(struct response *resp, const char *name, const char *value);

#endif
