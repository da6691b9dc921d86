/* store_place_order.h - a layer's rows again, stored in the order of the spatial index's
 * Hilbert curve, for the map views' box queries (store_features.c).
 *
 * A layer's table keeps its rows in feature id order: the id is the table's ROWID, which
 * SpatiaLite, GDAL and QGIS match against the spatial index, so it cannot be the place on
 * the curve. A box query finds its features in the index in curve order but then reads
 * each row wherever its id put it: a page of 1,000 points out of 1,000,000 touches 1,000
 * pages of the table, and those reads (memory stalls, not instructions) were half of the
 * server's CPU for a map view's page. Beside every imported layer of points of at least
 * STORE_PLACE_ORDER_MIN features the import writes "<table>_by_place": the same rows and
 * ids (in its column fid) numbered along the curve (place_rank, its ROWID), with an R*Tree
 * of its own over those numbers, "idx_<table>_by_place", so that a box's rows are
 * neighbours on a few pages. The layer's table and its index stay as they are for every
 * other reader. Lines and polygons get none: a page of them costs the writing of their
 * coordinates (23 ms of CPU for a 0.02-degree box of the bench's 200,000 polygons, with or
 * without a copy), while the copy added 45 % to their import.
 *
 * A layer version never changes after its import, so the copy stays true. The one kind of
 * layer edited in place, a scenario's sketch layer (store_sketch_layer.c), holds fewer
 * features than get a copy (a static assertion there says so). */
#ifndef CITYATLAS_STORE_STORE_PLACE_ORDER_H
#define CITYATLAS_STORE_STORE_PLACE_ORDER_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store_int.h"

/* Below this many features with geometry a box's rows already sit on few pages, and the
 * copy would only take space. */
#define STORE_PLACE_ORDER_MIN 10000

#define STORE_PLACE_ORDER_SUFFIX "_by_place"
/* The copy's ROWID column; a layer with a field of this name gets no copy. */
#define STORE_PLACE_ORDER_KEY "place_rank"

/* Writes table's copy in place order when its geometries are points (is_points) and at
 * least STORE_PLACE_ORDER_MIN of them (n_with_geometry), from the order of its spatial
 * index (idx_<table>_geom, already built); otherwise does nothing. Inside the import's
 * transaction. */
int store_place_order_write(struct store *st, const char *table, bool is_points,
                            int64_t n_with_geometry, struct err *err) WARN_UNUSED;

/* Drops table's copy and its index, when there are. */
int store_place_order_drop(struct store *st, const char *table, struct err *err) WARN_UNUSED;

#endif
