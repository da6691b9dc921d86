/* layer_refs.h - what in the database names a layer by its id, besides the registry:
 * featured statistics (their query's layer parameters, catalog_layer_params), workshop
 * scenarios (layers[].collection) and the city profile (extent.layer, boundaries[].layer,
 * gazetteer[].layer, default_layers). `cityatlas layers rename` makes them follow the new id
 * in its transaction; `cityatlas layers rm` refuses to leave them pointing nowhere unless
 * --force. A scenario's own sketch layer goes with its scenario, never by itself. */
#ifndef CITYATLAS_CLI_LAYER_REFS_H
#define CITYATLAS_CLI_LAYER_REFS_H

#include "base/err.h"
#include "store/store.h"

struct layer_refs {
    char *users;       /* "featured statistic 'a', scenario 'b', the city profile", or NULL */
    char *sketches_of; /* the scenario whose sketch layer this is, or NULL */
};

/* Fills refs for layer id, on st as it is now (in a transaction or not). */
int layer_refs_find(struct store *st, const char *id, struct layer_refs *refs,
                    struct err *err) WARN_UNUSED;
void layer_refs_clear(struct layer_refs *refs);

/* Rewrites every reference to id as new_id, inside st's open transaction (the caller
 * commits it together with the registry rename, or rolls both back). */
int layer_refs_rename(struct store *st, const char *id, const char *new_id,
                      struct err *err) WARN_UNUSED;

#endif
