/* cmd_serve.c - `cityatlas serve`: open the database read-only for the readers (each
 * write request opens its own read-write connection), start the HTTP server, wait for
 * SIGINT/SIGTERM, and stop after the requests in flight have finished. */
#include "cli/cli.h"

#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/log.h"
#include "base/parse.h"
#include "http/transport/request.h"
#include "http/transport/response_cache.h"
#include "stats/stats_cache.h"
#include "tiles/tile_cache.h"
#include "http/transport/live_hub.h"
#include "http/transport/rate_limit.h"
#include "http/server/server.h"
#include "http/handlers/static_files.h"
#include "store/store_read.h"
#include "store/store_writer.h"
#include "styles/style_set.h"

#define SERVE_DEFAULT_PORT 8080
#define SERVE_DEFAULT_LIMIT 100
#define SERVE_DEFAULT_MAX_LIMIT 10000
/* Seconds that requests in flight get to finish after SIGTERM. */
#define SERVE_GRACE_SECONDS 10
#define SERVE_CACHE_ENTRIES 2048
/* What clients may hold (see --help). Browsers open about 6 connections to a host; a
 * school or office behind one NAT address is the reason per-address is not lower. */
#define SERVE_DEFAULT_MAX_CONNECTIONS 1000
#define SERVE_DEFAULT_MAX_PER_IP 64
#define SERVE_DEFAULT_REQUEST_TIMEOUT 20
/* Seconds a connection may stay silent (no byte read or written) before it is closed. */
#define SERVE_DEFAULT_IDLE_TIMEOUT 60
/* Live event streams (a projector and every phone of a workshop hold one each): they
 * stay well under the connection caps, so that ordinary requests always find room. A
 * heartbeat goes out every SERVE_LIVE_HEARTBEAT_MS, or a third of the idle timeout. */
#define SERVE_DEFAULT_MAX_LIVE 200
#define SERVE_DEFAULT_MAX_LIVE_PER_IP 32
#define SERVE_LIVE_HEARTBEAT_MS 15000
/* Slow work at once, and waiting: an A1 poster takes a core for about a second. */
#define SERVE_DEFAULT_SLOW_WORKERS 2
#define SERVE_DEFAULT_SLOW_QUEUE 32
/* Computed statistics kept in memory (boundaries included), oldest use dropped first. */
#define SERVE_STATS_CACHE_BYTES (128u * 1024 * 1024)
/* Hot vector tiles kept in memory (a tile is at most 500 kB), oldest use dropped first. */
#define SERVE_TILE_CACHE_BYTES (256u * 1024 * 1024)

/* Workshop participants' rates (rate_limit.h): a person drawing adds a sketch every few
 * seconds at most; a room of 30 to 300 behind one hotspot shares one address. */
#define SERVE_PARTICIPANT_WRITES 30
#define SERVE_PARTICIPANT_BURST 10
#define SERVE_ADDRESS_WRITES 600
#define SERVE_ADDRESS_BURST 100
#define SERVE_ADDRESS_JOINS 600
#define SERVE_ADDRESS_JOIN_BURST 300

struct serve_options {
    const char *db;
    struct server_options server;
    const char *base_url;
    int64_t max_limit;
    const char *web_dir;                     /* the web map's files, served at /map/ */
    const char *styles_dir;                  /* styles/<layer-id>.json, served at /styles */
    struct rate_rule rates[RATE_KIND_COUNT]; /* workshop participants' limits */
};

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: cityatlas serve [--db FILE] [--bind ADDR] [--port N] [--threads N]\n"
            "                       [--base-url URL] [--max-limit N] [--web-dir DIR]\n"
            "                       [--styles DIR] [--max-connections N]\n"
            "                       [--max-connections-per-ip N] [--request-timeout S]\n"
            "                       [--slow-workers N] [--slow-queue N] [--quiet]\n"
            "                       [--participant-writes-per-minute N]\n"
            "                       [--address-writes-per-minute N]\n"
            "                       [--address-joins-per-minute N] [--idle-timeout S]\n"
            "                       [--max-live N] [--max-live-per-ip N]\n\n"
            "Serves the city database over HTTP as OGC API - Features (GeoJSON, CSV, HTML):\n"
            "open http://ADDR:PORT/ for the landing page, /api for the OpenAPI document and\n"
            "/map/ for the web map.\n"
            "A layer re-imported while the server runs is served in its new version on the\n"
            "next request. Scenarios and their sketches are written through the API with a\n"
            "facilitator token ('cityatlas token create').\n"
            "SIGINT or SIGTERM stops it after the requests in flight finish.\n\n"
            "Options:\n"
            "  --db FILE        database (default: $CITYATLAS_DB or ./%s)\n"
            "  --bind ADDR      address to listen on (default 127.0.0.1; 0.0.0.0 for all)\n"
            "  --port N         port (default %d; 0 picks a free one)\n"
            "  --threads N      threads answering cheap requests (default: the number of CPUs)\n"
            "  --base-url URL   public URL of the server, for links (default: from the Host\n"
            "                   header); set it when behind a proxy, e.g. https://x.org/atlas\n"
            "  --max-limit N    largest page a client may ask for with limit= (default %d)\n"
            "  --web-dir DIR    the web map's files, served at /map/ (default %s);\n"
            "                   scripts/install_web_deps.sh installs its libraries\n"
            "  --styles DIR     layer styles, served at /styles (default %s); a bad file\n"
            "                   is logged and its layer gets the default style\n"
            "  --max-connections N\n"
            "                   open connections at most; past it new ones are closed at\n"
            "                   once (default %d; each takes a file descriptor)\n"
            "  --max-connections-per-ip N\n"
            "                   open connections from one address (default %d); raise it\n"
            "                   behind a proxy, where every client has the proxy's address\n"
            "  --request-timeout S\n"
            "                   seconds a request may take to arrive whole (headers and\n"
            "                   body), from its connection opening or the previous answer;\n"
            "                   the connection is cut past it (default %d)\n"
            "  --idle-timeout S seconds a connection may stay silent before it is closed\n"
            "                   (default %d); live streams send a heartbeat in time\n"
            "  --max-live N     live event streams (/scenarios/ID/events) open at once;\n"
            "                   past it 503 with Retry-After (default %d, and below\n"
            "                   --max-connections)\n"
            "  --max-live-per-ip N\n"
            "                   live event streams from one address (default %d, and below\n"
            "                   --max-connections-per-ip)\n"
            "  --slow-workers N threads for slow work: maps, posters, comparisons, share\n"
            "                   images, GeoPackage exports, statistics, large pages\n"
            "                   (default %d)\n"
            "  --slow-queue N   slow requests that may wait for a slow worker; past it they\n"
            "                   get 503 with Retry-After (default %d); large pages are then\n"
            "                   spooled at once instead\n"
            "  --participant-writes-per-minute N\n"
            "                   sketch writes one workshop participant may make per minute\n"
            "                   (default %d, bursts of %d); past it 429 with Retry-After\n"
            "  --address-writes-per-minute N\n"
            "                   participants' sketch writes from one address per minute\n"
            "                   (default %d, bursts of %d): a venue's hotspot is one address.\n"
            "                   Tokens are not limited.\n"
            "  --address-joins-per-minute N\n"
            "                   session joins from one address per minute (default %d,\n"
            "                   bursts of %d: a room of 300 joining at once)\n"
            "  --quiet          no line per request on stderr (errors are still logged)\n"
            "  -h, --help       this help\n\n"
            "It prints 'listening on http://ADDR:PORT/' on stderr once it is ready.\n\n%s",
            CLI_DEFAULT_DB, SERVE_DEFAULT_PORT, SERVE_DEFAULT_MAX_LIMIT, CITYATLAS_WEB_DIR,
            CITYATLAS_STYLES_DIR, SERVE_DEFAULT_MAX_CONNECTIONS, SERVE_DEFAULT_MAX_PER_IP,
            SERVE_DEFAULT_REQUEST_TIMEOUT, SERVE_DEFAULT_IDLE_TIMEOUT, SERVE_DEFAULT_MAX_LIVE,
            SERVE_DEFAULT_MAX_LIVE_PER_IP, SERVE_DEFAULT_SLOW_WORKERS, SERVE_DEFAULT_SLOW_QUEUE,
            SERVE_PARTICIPANT_WRITES, SERVE_PARTICIPANT_BURST, SERVE_ADDRESS_WRITES,
            SERVE_ADDRESS_BURST, SERVE_ADDRESS_JOINS, SERVE_ADDRESS_JOIN_BURST,
            cli_exit_codes_help);
}

static bool parse_count(const char *name, const char *text, int64_t min, int64_t max, int64_t *out)
{
    struct err err;
    if (parse_int64(text, min, max, name, out, &err) != ERR_OK) {
        fprintf(stderr, "cityatlas serve: %s\n", err.msg);
        return false;
    }
    return true;
}

/* The client and slow-work limits: --max-connections (C), --max-connections-per-ip (I),
 * --request-timeout (R), --slow-workers (W), --slow-queue (Q), --idle-timeout (T),
 * --max-live (L), --max-live-per-ip (V). */
static bool parse_limit(int opt, const char *text, struct server_options *s)
{
    static const struct {
        int opt;
        const char *name;
        int64_t max;
    } limits[] = {{'C', "--max-connections", 1000000}, {'I', "--max-connections-per-ip", 1000000},
                  {'R', "--request-timeout", 3600},    {'W', "--slow-workers", 256},
                  {'Q', "--slow-queue", 4096},         {'T', "--idle-timeout", 3600},
                  {'L', "--max-live", 1000000},        {'V', "--max-live-per-ip", 1000000}};
    unsigned *fields[] = {&s->max_connections,   &s->max_connections_per_ip,
                          &s->request_timeout_s, &s->slow_workers,
                          &s->slow_queue,        &s->idle_timeout_s,
                          &s->max_live,          &s->max_live_per_ip};
    for (size_t i = 0; i < sizeof(limits) / sizeof(limits[0]); i++) {
        int64_t value = 0;
        if (limits[i].opt == opt) {
            if (!parse_count(limits[i].name, text, 1, limits[i].max, &value)) {
                return false;
            }
            *fields[i] = (unsigned)value;
            return true;
        }
    }
    return false;
}

/* Accepts http(s)://host[/path] and drops a trailing slash. */
static bool check_base_url(char *url)
{
    if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0) {
        fprintf(stderr, "cityatlas serve: --base-url must start with http:// or https://\n");
        return false;
    }
    for (const char *p = url; *p; p++) {
        if (*p <= ' ' || strchr("\"<>\\^`{|}", *p) != NULL) {
            fprintf(stderr, "cityatlas serve: --base-url has a character not allowed in a URL\n");
            return false;
        }
    }
    size_t len = strlen(url);
    if (len > 0 && url[len - 1] == '/') {
        url[len - 1] = '\0';
    }
    return true;
}

/* Live streams hold their connections: their caps must leave room for ordinary requests.
 * Not given, they are the defaults or half the connection caps, whichever is lower. */
static bool check_live_caps(struct server_options *s)
{
    if (s->max_live == 0) {
        s->max_live = s->max_connections / 2 < SERVE_DEFAULT_MAX_LIVE ? s->max_connections / 2
                                                                      : SERVE_DEFAULT_MAX_LIVE;
    }
    if (s->max_live_per_ip == 0) {
        s->max_live_per_ip = s->max_connections_per_ip / 2 < SERVE_DEFAULT_MAX_LIVE_PER_IP
                                 ? s->max_connections_per_ip / 2
                                 : SERVE_DEFAULT_MAX_LIVE_PER_IP;
    }
    if (s->max_live >= s->max_connections || s->max_live_per_ip >= s->max_connections_per_ip) {
        fprintf(stderr, "cityatlas serve: --max-live must be below --max-connections and "
                        "--max-live-per-ip below --max-connections-per-ip, so that ordinary "
                        "requests still find a connection\n");
        return false;
    }
    s->max_live += s->max_live == 0; /* a cap of 1 connection: no stream would fit */
    s->max_live_per_ip += s->max_live_per_ip == 0;
    return true;
}

/* Returns -1 to go on serving, else the exit code. */
static int parse_options(int argc, char **argv, struct serve_options *o, char **base_url)
{
    static const struct option options[] = {
        {"db", required_argument, NULL, 'd'},
        {"bind", required_argument, NULL, 'b'},
        {"port", required_argument, NULL, 'p'},
        {"threads", required_argument, NULL, 't'},
        {"base-url", required_argument, NULL, 'u'},
        {"max-limit", required_argument, NULL, 'm'},
        {"web-dir", required_argument, NULL, 'w'},
        {"quiet", no_argument, NULL, 'q'},
        {"styles", required_argument, NULL, 's'},
        {"max-connections", required_argument, NULL, 'C'},
        {"max-connections-per-ip", required_argument, NULL, 'I'},
        {"request-timeout", required_argument, NULL, 'R'},
        {"slow-workers", required_argument, NULL, 'W'},
        {"slow-queue", required_argument, NULL, 'Q'},
        {"participant-writes-per-minute", required_argument, NULL, 'P'},
        {"address-writes-per-minute", required_argument, NULL, 'A'},
        {"address-joins-per-minute", required_argument, NULL, 'J'},
        {"idle-timeout", required_argument, NULL, 'T'},
        {"max-live", required_argument, NULL, 'L'},
        {"max-live-per-ip", required_argument, NULL, 'V'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int64_t value = 0;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (opt) {
        case 'd':
            o->db = optarg;
            break;
        case 'b':
            o->server.bind_addr = optarg;
            break;
        case 'p':
            if (!parse_count("--port", optarg, 0, 65535, &value)) {
                return CLI_EXIT_USAGE;
            }
            o->server.port = (uint16_t)value;
            break;
        case 't':
            if (!parse_count("--threads", optarg, 1, 256, &value)) {
                return CLI_EXIT_USAGE;
            }
            o->server.threads = (unsigned)value;
            break;
        case 'u':
            free(*base_url);
            *base_url = xstrdup(optarg);
            if (!check_base_url(*base_url)) {
                return CLI_EXIT_USAGE;
            }
            break;
        case 'm':
            if (!parse_count("--max-limit", optarg, 1, STORE_MAX_LIMIT, &o->max_limit)) {
                return CLI_EXIT_USAGE;
            }
            break;
        case 'w':
            o->web_dir = optarg;
            break;
        case 's':
            o->styles_dir = optarg;
            break;
        case 'q':
            o->server.is_quiet = true;
            break;
        case 'C':
        case 'I':
        case 'R':
        case 'W':
        case 'Q':
        case 'T':
        case 'L':
        case 'V':
            if (!parse_limit(opt, optarg, &o->server)) {
                return CLI_EXIT_USAGE;
            }
            break;
        case 'P':
        case 'A':
        case 'J': {
            enum rate_kind kind = opt == 'P'   ? RATE_PARTICIPANT_WRITE
                                  : opt == 'A' ? RATE_ADDRESS_WRITE
                                               : RATE_ADDRESS_JOIN;
            static const char *const names[RATE_KIND_COUNT] = {
                [RATE_PARTICIPANT_WRITE] = "--participant-writes-per-minute",
                [RATE_ADDRESS_WRITE] = "--address-writes-per-minute",
                [RATE_ADDRESS_JOIN] = "--address-joins-per-minute"};
            if (!parse_count(names[kind], optarg, 1, 1000000, &value)) {
                return CLI_EXIT_USAGE;
            }
            o->rates[kind].per_minute = (double)value;
            break;
        }
        case 'h':
            usage(stdout);
            return CLI_EXIT_OK;
        default:
            usage(stderr);
            return CLI_EXIT_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "cityatlas serve: unexpected argument '%s'\n", argv[optind]);
        return CLI_EXIT_USAGE;
    }
    return check_live_caps(&o->server) ? -1 : CLI_EXIT_USAGE;
}

static int exit_code_for(const struct err *err)
{
    return err->code == ERR_INTERNAL ? CLI_EXIT_INTERNAL : CLI_EXIT_DATABASE;
}

/* Blocks until SIGINT or SIGTERM; the signals were blocked in every thread before the
 * server started, so they are delivered here and nowhere else. */
static int wait_for_stop(const sigset_t *stop_signals)
{
    int sig = 0;
    sigwait(stop_signals, &sig);
    return sig;
}

/* Bad style files are logged by style_set_load and skipped; only a folder that cannot be
 * read stops the server, since it was named on purpose. */
static int load_styles(const char *dir, struct style_set **out)
{
    struct err err;
    if (style_set_load(dir, out, &err) != ERR_OK) {
        fprintf(stderr, "cityatlas serve: %s\n", err.msg);
        return err.code;
    }
    log_info("styles: %zu loaded from %s, %zu refused", style_set_count(*out), dir,
             style_set_n_refused(*out));
    return ERR_OK;
}

/* Heartbeats keep a quiet stream under the idle timeout with room for a slow network. */
static unsigned live_heartbeat_ms(const struct server_options *s)
{
    unsigned third = s->idle_timeout_s * 1000u / 3;
    return third < SERVE_LIVE_HEARTBEAT_MS ? third : SERVE_LIVE_HEARTBEAT_MS;
}

static int serve(struct serve_options *o)
{
    struct err err;
    struct store_pool *pool = NULL;
    /* A large answer waiting in the slow queue to be spooled keeps its snapshot, so the
     * queue counts too, as does every write waiting for the writer; connections open only
     * when needed. */
    size_t max_connections = (size_t)o->server.threads * 4 + (size_t)o->server.slow_workers * 2 +
                             (size_t)o->server.slow_queue + SERVER_WRITE_WORKERS + 16;
    if (store_pool_open(cli_db_path(o->db), max_connections, &pool, &err) != ERR_OK) {
        fprintf(stderr, "cityatlas serve: %s\n", err.msg);
        return err.code == ERR_NOT_FOUND || err.code == ERR_INVALID ? CLI_EXIT_DATABASE
                                                                    : exit_code_for(&err);
    }
    /* Designated: members added later start as zero (NULL) until set here. */
    struct http_app app = {.pool = pool,
                           .base_url = o->base_url,
                           .max_limit = o->max_limit,
                           .default_limit = SERVE_DEFAULT_LIMIT,
                           .cache = response_cache_new(SERVE_CACHE_ENTRIES),
                           .stats_cache = stats_cache_new(SERVE_STATS_CACHE_BYTES),
                           .tile_cache = tile_cache_new(SERVE_TILE_CACHE_BYTES),
                           .web_dir = o->web_dir,
                           .db_path = cli_db_path(o->db),
                           .limits = rate_limits_new(o->rates),
                           .live = live_hub_new(o->server.max_live, o->server.max_live_per_ip,
                                                live_heartbeat_ms(&o->server))};
    /* Reads work from a read-only database; say once why writes will not, and answer them
     * with 503 and that reason rather than fail each one with a bare 500. */
    struct err ro;
    if (store_check_writable(app.db_path, &ro) != ERR_OK) {
        log_warn("%s: serving reads only; writes (scenarios, sketches) get 503", ro.msg);
        app.read_only_reason = ro.msg;
    } else if (store_writer_open(app.db_path, NULL, &app.writer, &err) != ERR_OK) {
        /* Each write then opens its own connection, as the CLI's do. */
        log_warn("%s: each write opens the database itself", err.msg);
    }
    struct style_set *styles = NULL;
    if (load_styles(o->styles_dir, &styles) != ERR_OK) {
        rate_limits_free(app.limits);
        store_writer_close(app.writer);
        live_hub_free(app.live);
        response_cache_free(app.cache);
        stats_cache_free(app.stats_cache);
        tile_cache_free(app.tile_cache);
        store_pool_close(pool);
        return CLI_EXIT_USAGE;
    }
    app.styles = styles;
    /* The API works without the map: say once what /map/ will answer, and why. */
    if (static_files_check_root(app.web_dir, &err) != ERR_OK) {
        log_warn("%s", err.msg);
    }
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
    signal(SIGPIPE, SIG_IGN);

    struct server *srv = NULL;
    int code = CLI_EXIT_OK;
    if (server_start(&o->server, &app, &srv, &err) != ERR_OK) {
        fprintf(stderr, "cityatlas serve: %s\n", err.msg);
        code = err.code == ERR_INVALID ? CLI_EXIT_USAGE : CLI_EXIT_DATABASE;
    } else {
        const char *host = o->server.bind_addr;
        bool is_v6 = strchr(host, ':') != NULL;
        fprintf(stderr, "cityatlas serve: listening on http://%s%s%s:%u/ (%u threads, %s)\n",
                is_v6 ? "[" : "", host, is_v6 ? "]" : "", (unsigned)server_port(srv),
                o->server.threads, cli_db_path(o->db));
        int sig = wait_for_stop(&stop_signals);
        log_info("received %s: finishing requests in flight", sig == SIGINT ? "SIGINT" : "SIGTERM");
        server_stop(srv, SERVE_GRACE_SECONDS);
        log_info("stopped");
    }
    response_cache_free(app.cache);
    stats_cache_free(app.stats_cache);
    tile_cache_free(app.tile_cache);
    rate_limits_free(app.limits);
    live_hub_free(app.live);
    style_set_free(styles);
    store_writer_close(app.writer);
    store_pool_close(pool);
    return code;
}

int cmd_serve(int argc, char **argv)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    struct serve_options o = {
        .server = {.bind_addr = "127.0.0.1",
                   .port = SERVE_DEFAULT_PORT,
                   .threads = cpus > 0 ? (unsigned)cpus : 2,
                   .max_connections = SERVE_DEFAULT_MAX_CONNECTIONS,
                   .max_connections_per_ip = SERVE_DEFAULT_MAX_PER_IP,
                   .request_timeout_s = SERVE_DEFAULT_REQUEST_TIMEOUT,
                   .idle_timeout_s = SERVE_DEFAULT_IDLE_TIMEOUT,
                   .slow_workers = SERVE_DEFAULT_SLOW_WORKERS,
                   .slow_queue = SERVE_DEFAULT_SLOW_QUEUE},
        .max_limit = SERVE_DEFAULT_MAX_LIMIT,
        .web_dir = CITYATLAS_WEB_DIR,
        .styles_dir = CITYATLAS_STYLES_DIR,
        .rates = {[RATE_PARTICIPANT_WRITE] = {SERVE_PARTICIPANT_WRITES, SERVE_PARTICIPANT_BURST},
                  [RATE_ADDRESS_WRITE] = {SERVE_ADDRESS_WRITES, SERVE_ADDRESS_BURST},
                  [RATE_ADDRESS_JOIN] = {SERVE_ADDRESS_JOINS, SERVE_ADDRESS_JOIN_BURST}},
    };
    char *base_url = NULL;
    int code = parse_options(argc, argv, &o, &base_url);
    if (code < 0) {
        o.base_url = base_url;
        code = serve(&o);
    }
    free(base_url);
    return code;
}
