/* api_tiles.c - the tiles of OGC API - Tiles as Mapbox Vector Tiles:
 * "/collections/{collectionId}/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}"
 * (one collection) and "/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}" (the
 * base map's layers). Tiles are built by tiles/tile_build.c from the request's snapshot on
 * the work pool (a slow route) and kept in the tile cache under their layers' versions.
 *
 * HTTP caching: the ETag names the tile and its layers' versions (and the style files,
 * which choose low-zoom attributes). URLs from the tileset documents carry ?v=<version
 * token>: such a URL's content never changes, so it may be kept for a year; a URL without
 * it (or with an old token) is answered with no-cache and revalidated by its ETag. */
#include "http/handlers/api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "http/transport/api_common.h"
#include "http/handlers/api_tiles_int.h"
#include "http/transport/response.h"
#include "styles/style_set.h"
#include "tiles/tile_build.h"
#include "tiles/tile_cache.h"
#include "tiles/tile_fields.h"

static uint64_t fnv(uint64_t h, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        h = (h ^ *p) * 1099511628211ULL;
    }
    return (h ^ 0xff) * 1099511628211ULL;
}

/* The cache key: the tile, each layer at its version, and the style files' digest. */
static char *tile_key(const struct api_tileset *ts, const struct tile_id *t,
                      const struct request *req)
{
    struct buf key;
    struct err err;
    buf_init(&key, 1u << 20);
    int rc = buf_printf(&key, &err, "%d/%u/%u|%016llx", t->z, t->x, t->y,
                        (unsigned long long)style_set_digest(req->app->styles));
    for (size_t i = 0; rc == ERR_OK && i < ts->n; i++) {
        rc = buf_printf(&key, &err, "|%s@%lld", ts->layers[i]->id,
                        (long long)ts->layers[i]->version);
    }
    if (rc == ERR_OK && ts->base != NULL) {
        /* The base map's content follows the city profile too (a catalog import). */
        rc = buf_printf(
            &key, &err, "|city@%016llx",
            (unsigned long long)fnv(1469598103934665603ULL, store_read_city(req->rd)->json));
    }
    return buf_take(&key);
}

/* The sources of a base-map tile: each layer from its min zoom, with the fields the base
 * map draws and labels by, and the label points of its polygons from its label zoom;
 * *n of them, with their tile layer names in names[] (owned). */
static struct tile_source *base_sources(const struct api_tileset *ts, int z, size_t *n,
                                        char **names)
{
    struct tile_source *sources = xcalloc(2 * ts->n + 1, sizeof(*sources));
    *n = 0;
    for (size_t i = 0; i < ts->n; i++) {
        const struct api_base_layer *b = &ts->base[i];
        if (z < b->min_zoom) {
            continue;
        }
        struct tile_source *s = &sources[(*n)++];
        s->layer = b->layer;
        s->fields = api_basemap_fields(b, z, &s->n_fields);
        s->rank_field = b->class_field;
        s->ranks = b->classes;
        s->n_ranks = b->n_classes;
        if (b->label_points && z >= b->label_min_zoom) {
            struct tile_source *l = &sources[*n];
            names[*n] = xasprintf("%s" API_BASE_LABEL_SUFFIX, b->layer->id);
            (*n)++;
            l->layer = b->layer;
            l->fields = api_basemap_fields(b, z, &l->n_fields);
            l->label_points = true;
            l->name = names[*n - 1];
        }
    }
    return sources;
}

static struct tile_source *collection_sources(struct request *req, const struct api_tileset *ts,
                                              int z, size_t *n)
{
    struct tile_source *sources = xcalloc(ts->n + 1, sizeof(*sources));
    for (size_t i = 0; i < ts->n; i++) {
        const struct store_layer *layer = ts->layers[i];
        json_t *style = style_set_resolve(req->app->styles, layer->id, layer->geometry_type,
                                          layer->name_column, &(bool){false});
        sources[i].layer = layer;
        sources[i].fields = tile_fields_for(layer, style, z, &sources[i].n_fields);
        json_decref(style);
    }
    *n = ts->n;
    return sources;
}

static int build(struct request *req, const struct api_tileset *ts, const struct tile_id *t,
                 struct buf *body, char **note, struct err *err)
{
    char **names = xcalloc(2 * ts->n + 1, sizeof(char *));
    size_t n;
    struct tile_source *sources = ts->base != NULL ? base_sources(ts, t->z, &n, names)
                                                   : collection_sources(req, ts, t->z, &n);
    int64_t *dropped = xcalloc(n + 1, sizeof(int64_t));
    int rc = tile_build(req->rd, t, sources, n, body, dropped, err);
    struct buf text;
    buf_init(&text, 1u << 16);
    for (size_t i = 0; rc == ERR_OK && i < n; i++) {
        if (!sources[i].label_points) {
            rc = buf_printf(&text, err, "%s%s=%lld", text.len > 0 ? ", " : "", sources[i].layer->id,
                            (long long)dropped[i]);
        }
    }
    *note = buf_take(&text);
    for (size_t i = 0; i < n; i++) {
        free((size_t *)sources[i].fields);
    }
    for (size_t i = 0; i < 2 * ts->n; i++) {
        free(names[i]);
    }
    free(names);
    free(sources);
    free(dropped);
    return rc;
}

int api_tile(struct request *req, struct response *resp, struct err *err)
{
    struct api_tileset ts = {0};
    struct tile_id t;
    int rc = api_check_params(req, err);
    if (rc == ERR_OK) {
        rc = api_tileset_open(req, false, &ts, err);
    }
    if (rc == ERR_OK) {
        rc =
            tile_id_parse(request_path_param(req, "tileMatrix"), request_path_param(req, "tileRow"),
                          request_path_param(req, "tileCol"), &t, err);
    }
    if (rc != ERR_OK) {
        api_tileset_clear(&ts);
        return rc;
    }
    char *key = tile_key(&ts, &t, req);
    char *version = api_tileset_version(&ts);
    resp->etag = xasprintf("\"t%016llx\"", (unsigned long long)fnv(1469598103934665603ULL, key));
    const char *v = request_param(req, "v");
    response_add_header(resp, "Cache-Control",
                        v != NULL && strcmp(v, version) == 0 ? "public, max-age=31536000, immutable"
                                                             : "public, no-cache");
    resp->content_type = API_TILE_TYPE;
    char *note = NULL;
    if (req->if_none_match != NULL && api_etag_matches(req->if_none_match, resp->etag)) {
        rc = ERR_OK; /* the dispatcher answers 304: no need to build the tile */
    } else if (tile_cache_get(req->app->tile_cache, key, &resp->body, &note)) {
        response_add_header(resp, "X-Cache", "hit");
    } else {
        struct timespec start, end;
        clock_gettime(CLOCK_MONOTONIC, &start);
        rc = build(req, &ts, &t, &resp->body, &note, err);
        clock_gettime(CLOCK_MONOTONIC, &end);
        if (rc == ERR_OK) {
            tile_cache_put(req->app->tile_cache, key, resp->body.data, resp->body.len, note);
            /* How long the tile took to make (W3C Server Timing), for operators and for
             * scripts/bench_tiles.sh, which compares it with PostGIS's query time. */
            char timing[64];
            snprintf(timing, sizeof(timing), "tile;dur=%.3f",
                     (double)(end.tv_sec - start.tv_sec) * 1e3 +
                         (double)(end.tv_nsec - start.tv_nsec) / 1e6);
            response_add_header(resp, "Server-Timing", timing);
        }
    }
    if (rc == ERR_OK && note != NULL) {
        response_add_header(resp, API_TILE_DROPPED_HEADER, note);
    }
    free(note);
    free(version);
    free(key);
    api_tileset_clear(&ts);
    return rc;
}
