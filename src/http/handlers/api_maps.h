/* api_maps.h - the exported maps of scenarios and featured statistics over HTTP: posters
 * (api_scenario_maps.c), share images, comparison sheets, GeoPackage bundles, and the HTML
 * share pages with Open Graph tags (api_share_pages.c). The router's table is the only
 * caller of the handlers; api_scenarios.c and api_stats.c call the share pages for their
 * HTML answers. Threads: any MHD worker, one request at a time each. */
#ifndef CITYATLAS_HTTP_API_MAPS_H
#define CITYATLAS_HTTP_API_MAPS_H

#include <stdbool.h>

#include "http/transport/request.h"
#include "stats/stats_cache.h"
#include "stats/stats_output.h"
#include "store/store_read.h"

/* api_scenario_maps.c: "/scenarios/{scenarioId}/map.png|.pdf|.svg" (paper=, orientation=,
 * width= and height=, dpi=, lang=), "/scenarios/compare.png|.pdf?ids=a,b[,c,d]",
 * "/scenarios/{scenarioId}/share.png?size=", "/stats/featured/{statisticId}/share.png" and
 * "/scenarios/{scenarioId}.gpkg". A bad parameter is 400 naming it; an unknown scenario or
 * statistic 404. */
int api_scenario_map_png(struct request *req, struct response *resp, struct err *err);
int api_scenario_map_pdf(struct request *req, struct response *resp, struct err *err);
int api_scenario_map_svg(struct request *req, struct response *resp, struct err *err);
int api_scenarios_compare_png(struct request *req, struct response *resp, struct err *err);
int api_scenarios_compare_pdf(struct request *req, struct response *resp, struct err *err);
int api_scenario_share(struct request *req, struct response *resp, struct err *err);
int api_featured_share(struct request *req, struct response *resp, struct err *err);
int api_featured_share_svg(struct request *req, struct response *resp, struct err *err);
int api_featured_share_pdf(struct request *req, struct response *resp, struct err *err);
/* "/stats/share.png|.svg|.pdf": the share image of any statistic: every /stats parameter,
 * plus size= and lang=. */
int api_stats_share_png(struct request *req, struct response *resp, struct err *err);
int api_stats_share_svg(struct request *req, struct response *resp, struct err *err);
int api_stats_share_pdf(struct request *req, struct response *resp, struct err *err);
int api_scenario_gpkg(struct request *req, struct response *resp, struct err *err);

/* api_share_pages.c: the small HTML pages a shared link opens, with Open Graph and Twitter
 * card tags pointing at the share image (1200x630), the image itself, a link into the web
 * map and the downloads. Everything from data is escaped. */

/* True when the request asks for HTML: f=html, or no f= and an Accept naming text/html
 * (a browser), as the other documents negotiate, or no f= and the user agent of a link
 * preview (Facebook's facebookexternalhit, which sends Accept: * / *, and the like) whose
 * Accept names no JSON or CSV. */
bool share_page_is_wanted(const struct request *req);
/* The page of scenario {scenarioId} (404 when there is none). */
int share_page_scenario(struct request *req, struct response *resp, struct err *err) WARN_UNUSED;
/* The page of featured statistic {statisticId} (404 when there is none). */
int share_page_featured(struct request *req, struct response *resp, struct err *err) WARN_UNUSED;
/* /stats/featured as HTML: every featured statistic of rd with its share image, headline,
 * caption (with a copy button) and a link to its page. */
int share_page_gallery(struct request *req, struct response *resp, struct store_read *rd,
                       bool is_thai, struct err *err) WARN_UNUSED;

/* api_stats_results.c: the featured statistic named by the route ({statisticId}) in the
 * request's snapshot: ERR_NOT_FOUND (a 404 pointing at /stats/featured) when there is none. */
int api_find_featured(struct request *req, const struct store_featured **out,
                      struct err *err) WARN_UNUSED;

/* The result of spec in the request's snapshot, from the statistics cache (*is_hit) or
 * computed and stored there; release with stats_cache_release. */
int api_stats_cached_result(struct request *req, const struct stats_spec *spec,
                            struct stats_cache_ref **ref, bool *is_hit,
                            struct err *err) WARN_UNUSED;
/* The same for featured statistic f. */
int api_featured_result(struct request *req, const struct store_featured *f,
                        struct stats_cache_ref **ref, struct err *err) WARN_UNUSED;
/* The same for any statistic: params as /stats takes them (stats_spec_parse). */
int api_stats_result(struct request *req, const struct stats_param *params, size_t n,
                     struct stats_cache_ref **ref, struct err *err) WARN_UNUSED;
/* The request's parameters but those named in skip (NULL-terminated), as a statistic's
 * name=value pairs: /stats skips f and lang, its share image size and lang. out has room
 * for REQUEST_MAX_PARAMS; the strings are borrowed from req. */
size_t api_stats_params(const struct request *req, const char *const *skip,
                        struct stats_param *out);

#endif
