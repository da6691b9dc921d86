/* api.h - the endpoint handlers, one family per api_*.c file; the route table
 * (routes.c), through the router, is the only caller. Each parses its input from the request, calls
 * the store and the encoders, and fills the response; a returned error becomes a JSON error
 * document in response.c. Threads: any MHD worker; one request at a time each. */
#ifndef CITYATLAS_HTTP_API_H
#define CITYATLAS_HTTP_API_H

#include "http/transport/request.h"
#include "http/transport/route.h"

/* api_landing.c: "/" and "/conformance" */
int api_landing(struct request *req, struct response *resp, struct err *err);
int api_conformance(struct request *req, struct response *resp, struct err *err);

/* api_openapi.c: "/api", the OpenAPI 3.0 document */
int api_openapi(struct request *req, struct response *resp, struct err *err);

/* api_collections.c: "/collections" and "/collections/{collectionId}" */
int api_collections(struct request *req, struct response *resp, struct err *err);
int api_collection(struct request *req, struct response *resp, struct err *err);

/* api_items.c: "/collections/{collectionId}/items" and ".../items/{featureId}" */
int api_items(struct request *req, struct response *resp, struct err *err);
int api_item(struct request *req, struct response *resp, struct err *err);

/* api_queryables.c: "/collections/{collectionId}/queryables" and ".../schema" */
int api_queryables(struct request *req, struct response *resp, struct err *err);
int api_schema(struct request *req, struct response *resp, struct err *err);
/* api_queryables.c: ".../sortables" (what sortby takes) */
int api_sortables(struct request *req, struct response *resp, struct err *err);

/* api_stats.c: "/stats", "/stats/featured" and "/stats/featured/{statisticId}" */
int api_stats(struct request *req, struct response *resp, struct err *err);
int api_featured_list(struct request *req, struct response *resp, struct err *err);
int api_featured_statistic(struct request *req, struct response *resp, struct err *err);

/* api_styles.c: "/styles" and "/styles/{collectionId}" */
int api_styles(struct request *req, struct response *resp, struct err *err);
int api_style(struct request *req, struct response *resp, struct err *err);

/* api_scenarios.c: "/scenarios" (GET, POST) and "/scenarios/{scenarioId}" (GET, PUT,
 * DELETE); the writes need a facilitator token (api_auth.h) */
int api_scenarios(struct request *req, struct response *resp, struct err *err);
int api_scenario(struct request *req, struct response *resp, struct err *err);
int api_scenario_create(struct request *req, struct response *resp, struct err *err);
int api_scenario_replace(struct request *req, struct response *resp, struct err *err);
int api_scenario_delete(struct request *req, struct response *resp, struct err *err);

/* api_sketches.c: "/scenarios/{scenarioId}/sketches" (GET, POST) and
 * "/scenarios/{scenarioId}/sketches/{featureId}" (GET, PUT, DELETE); GETs serve the
 * scenario's sketch layer as its /collections items; the writes need a token */
int api_sketches(struct request *req, struct response *resp, struct err *err);
int api_sketch(struct request *req, struct response *resp, struct err *err);
int api_sketches_add(struct request *req, struct response *resp, struct err *err);
int api_sketch_replace(struct request *req, struct response *resp, struct err *err);
int api_sketch_delete(struct request *req, struct response *resp, struct err *err);

/* api_tiles.c: ".../tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}" of a
 * collection ("/collections/{collectionId}/tiles/...") or of the base map ("/tiles/...") */
int api_tile(struct request *req, struct response *resp, struct err *err);

/* api_tilesets.c: the tilesets list (".../tiles"), tileset metadata
 * (".../tiles/{tileMatrixSetId}") and TileJSON (".../tiles/{tileMatrixSetId}/tilejson.json")
 * of a collection or the base map; "/tileMatrixSets" and "/tileMatrixSets/{tileMatrixSetId}" */
int api_tilesets(struct request *req, struct response *resp, struct err *err);
int api_tileset(struct request *req, struct response *resp, struct err *err);
int api_tilejson(struct request *req, struct response *resp, struct err *err);
int api_tile_matrix_sets(struct request *req, struct response *resp, struct err *err);
int api_tile_matrix_set(struct request *req, struct response *resp, struct err *err);
/* Workshops (issue 12), facilitators of the scenario unless said otherwise.
 * api_sketches.c: ".../sketches/{featureId}/approve|hide|unhide|restore" (POST). */
int api_sketch_approve(struct request *req, struct response *resp, struct err *err);
int api_sketch_hide(struct request *req, struct response *resp, struct err *err);
int api_sketch_unhide(struct request *req, struct response *resp, struct err *err);
int api_sketch_restore(struct request *req, struct response *resp, struct err *err);
/* api_sketch_views.c: "/scenarios/{scenarioId}/history" (GET). */
int api_history(struct request *req, struct response *resp, struct err *err);
/* api_sessions.c: "/scenarios/{scenarioId}/sessions" (GET, POST),
 * ".../sessions/{featureId}/close" (POST); public: "/join/{code}" (GET, POST: join),
 * "/join/{code}/qr.svg" (GET). */
int api_sessions(struct request *req, struct response *resp, struct err *err);
int api_session_create(struct request *req, struct response *resp, struct err *err);
int api_session_close(struct request *req, struct response *resp, struct err *err);
int api_join(struct request *req, struct response *resp, struct err *err);
int api_join_post(struct request *req, struct response *resp, struct err *err);
int api_join_qr(struct request *req, struct response *resp, struct err *err);
/* api_sketch_views.c: "/scenarios/{scenarioId}/changes" (GET, public): the visible
 * sketches' changes after a history id, for the projector and phones to poll. */
int api_changes(struct request *req, struct response *resp, struct err *err);
/* Live (issue 12): the changes feed as Server-Sent Events (api_events.c). */
int api_events(struct request *req, struct response *resp, struct err *err);

#endif
