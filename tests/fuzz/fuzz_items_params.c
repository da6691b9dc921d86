/* fuzz_items_params.c - the parameters of an items request (bbox, bbox-crs, crs, datetime,
 * limit, offset, properties, sortby, skipGeometry, filter with filter-lang and filter-crs,
 * name=value on the layer's fields, f, lang, zoom, precision), parsed against a real layer:
 * accepted or refused with a message, never a crash, everything freed. The input is the
 * query string ("a=1&b=2", values as MHD hands them over, already decoded); a first byte
 * of '1' parses it for a single feature (/items/{featureId}) instead of a page.
 *
 * The parser needs a read snapshot of a database (fields, CRS transforms), so the first
 * call imports tests/data/ogc/events.geojson (points with a date-time field and Thai names;
 * run from the repository) into a temporary folder and keeps one snapshot open; it is
 * only read, and removed at exit. */
#include "fuzz.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "http/handlers/items_params.h"
#include "http/server/routes.h"
#include "http/transport/request.h"
#include "store/store_read.h"

#define FIXTURE "tests/data/ogc/events.geojson"

static struct fixture {
    char dir[64];
    char db[128];
    struct store_pool *pool;
    struct store_read *rd;
    const struct store_layer *layer;
    struct http_app app;
} fx;

static void fixture_close(void)
{
    store_read_end(fx.rd);
    store_pool_close(fx.pool);
    char path[160];
    const char *suffixes[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof(path), "%s%s", fx.db, suffixes[i]);
        unlink(path);
    }
    rmdir(fx.dir);
}

/* Imports the fixture and opens its snapshot, once; aborts when that fails (a broken
 * harness must not pass as a clean run). */
static void fixture_open(void)
{
    if (fx.layer != NULL) {
        return;
    }
    snprintf(fx.dir, sizeof(fx.dir), "/tmp/cityatlas-fuzz-items.XXXXXX");
    if (mkdtemp(fx.dir) == NULL) {
        abort();
    }
    snprintf(fx.db, sizeof(fx.db), "%s/fixture.sqlite", fx.dir);
    char *argv[] = {"import", "--db", fx.db, "--id", "events", "--quiet", FIXTURE, NULL};
    optind = 0; /* getopt starts over */
    struct err err = {0};
    if (cmd_import(7, argv) != 0 || store_pool_open(fx.db, 1, &fx.pool, &err) != ERR_OK ||
        store_read_begin(fx.pool, &fx.rd, &err) != ERR_OK) {
        fprintf(stderr, "fuzz_items_params: cannot prepare %s: %s\n", FIXTURE, err.msg);
        abort();
    }
    fx.layer = store_read_layer(fx.rd, "events");
    if (fx.layer == NULL) {
        abort();
    }
    fx.app = (struct http_app){.pool = fx.pool, .max_limit = 10000, .default_limit = 10};
    atexit(fixture_close);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fixture_open();
    char *text = fuzz_text(data, size);
    bool is_single = text[0] == '1';
    struct request req;
    memset(&req, 0, sizeof(req));
    req.app = &fx.app;
    req.method = HTTP_GET;
    req.method_name = "GET";
    req.path = is_single ? "/collections/events/items/1" : "/collections/events/items";
    req.raw_query = "";
    req.base_url = (char *)"http://fuzz"; /* not freed: items_params_clear leaves req alone */
    req.route = api_route_of(is_single ? api_item : api_items, HTTP_GET); /* as the router would */
    fuzz_add_params(&req, is_single ? text + 1 : text);
    struct items_params p;
    struct err err = {0};
    if (items_params_parse(&req, fx.rd, fx.layer, is_single, &p, &err) == ERR_OK) {
        items_params_clear(&p);
    } else if (err.msg[0] == '\0') {
        abort(); /* every refusal says why */
    }
    free(text);
    return 0;
}
