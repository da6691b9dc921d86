/* api_stats_results.c - a statistic's result for the handlers that show one (api_stats.c,
 * the share pages, the exported maps): the featured statistic a route names, and results
 * from the statistics cache, computed and stored there when missing. Apart from
 * api_stats.c because the share pages use these and api_stats.c uses the share pages. */
#include "http/handlers/api_maps.h"

#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "stats/stats_cache.h"
#include "stats/stats_featured.h"
#include "stats/stats_output.h"

int api_find_featured(struct request *req, const struct store_featured **out, struct err *err)
{
    const char *statistic_id = request_path_param(req, "statisticId");
    struct store_read *rd = NULL;
    int rc = request_store(req, &rd, err);
    if (rc != ERR_OK) {
        return rc;
    }
    *out = store_read_featured_find(rd, statistic_id);
    if (*out == NULL) {
        rc = store_read_check_damaged(rd, statistic_id, true, err);
        return rc != ERR_OK ? rc
                            : err_set(err, ERR_NOT_FOUND,
                                      "there is no featured statistic '%s' (see /stats/featured)",
                                      utf8_excerpt(statistic_id, 80).text);
    }
    return ERR_OK;
}

int api_stats_cached_result(struct request *req, const struct stats_spec *spec,
                            struct stats_cache_ref **ref, bool *is_hit, struct err *err)
{
    struct store_read *rd = NULL;
    char *key = NULL;
    int rc = request_store(req, &rd, err);
    if (rc == ERR_OK) {
        rc = stats_result_key(rd, spec, &key, err);
    }
    if (rc != ERR_OK) {
        return rc;
    }
    struct stats_cache *cache = req->app->stats_cache;
    *ref = cache != NULL ? stats_cache_get(cache, key) : NULL;
    *is_hit = *ref != NULL;
    free(key);
    if (*ref != NULL) {
        return ERR_OK;
    }
    struct stats_result *r = NULL;
    rc = stats_run(rd, spec, &r, err);
    if (rc != ERR_OK) {
        return rc;
    }
    if (cache == NULL) {
        return err_set(err, ERR_INTERNAL, "the server has no statistics cache");
    }
    *ref = stats_cache_put(cache, r);
    return ERR_OK;
}

int api_stats_result(struct request *req, const struct stats_param *params, size_t n,
                     struct stats_cache_ref **ref, struct err *err)
{
    struct stats_spec spec;
    bool is_hit = false;
    int rc = stats_spec_parse(params, n, &spec, err);
    if (rc == ERR_OK) {
        rc = api_stats_cached_result(req, &spec, ref, &is_hit, err);
        stats_spec_clear(&spec);
    }
    return rc;
}

int api_featured_result(struct request *req, const struct store_featured *f,
                        struct stats_cache_ref **ref, struct err *err)
{
    struct stats_param *params = stats_featured_params(f);
    int rc = api_stats_result(req, params, f->n_params, ref, err);
    free(params);
    return rc;
}

size_t api_stats_params(const struct request *req, const char *const *skip, struct stats_param *out)
{
    size_t n = 0;
    for (size_t i = 0; i < req->n_params; i++) {
        const char *name = req->params[i].name;
        bool is_skipped = false;
        for (size_t k = 0; skip[k] != NULL && !is_skipped; k++) {
            is_skipped = strcmp(name, skip[k]) == 0;
        }
        if (!is_skipped) {
            out[n++] = (struct stats_param){name, req->params[i].value};
        }
    }
    return n;
}
