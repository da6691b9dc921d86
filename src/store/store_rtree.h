/* store_rtree.h - bulk loading of a SQLite R*Tree (the spatial index SpatiaLite reads).
 * Inserting rows one by one makes SQLite split and reinsert nodes for every feature
 * (9 s for 1,000,000 points); building packed nodes from boxes sorted along a Hilbert
 * curve and writing them straight into the R*Tree's shadow tables takes a fraction of
 * that and gives a tree SQLite reads and updates like any other (rtreecheck() passes).
 *
 * The node format is SQLite's (ext/rtree/rtree.c): a node is a blob of the R*Tree's node
 * size; 2 bytes of tree depth (root only), 2 bytes of cell count, then cells of an 8-byte
 * id and four 32-bit floats (xmin, xmax, ymin, ymax), all big-endian. The root is node 1;
 * %_parent maps every other node to its parent and %_rowid maps each entry to its leaf. */
#ifndef CITYATLAS_STORE_STORE_RTREE_H
#define CITYATLAS_STORE_STORE_RTREE_H

#include "store/store_int.h"

/* Beside the R*Tree, the table "<rtree>_count" (nodeno, n) holds how many entries lie
 * under each node, so that a count over a box adds up whole subtrees inside it and reads
 * only the nodes on its edge (store_rtree_count.c). A layer version never changes after
 * its import, so the counts stay true; a sketch layer edited in place drops them
 * (store_sketch_layer.c), and its counts are then SQL's. */
#define STORE_RTREE_COUNT_SUFFIX "_count"

/* Extent used to place boxes on the Hilbert grid (EPSG:4326 degrees). */
struct store_rtree_extent {
    double min_x, min_y, max_x, max_y;
};

/* Fills rtree (an empty R*Tree with columns pkid, xmin, xmax, ymin, ymax) with the
 * bounding boxes of table's non-NULL geom. n_entries is how many there are (it fixes the
 * node sizes so every node is evenly filled). Runs inside the caller's transaction. */
int store_rtree_bulk_load(struct store *st, const char *table, const char *rtree,
                          const struct store_rtree_extent *extent, int64_t n_entries,
                          struct err *err) WARN_UNUSED;

/* The same, for a table whose rows are already in the order the leaves are to hold them
 * (store_place_order.c): its boxes are read in the order of its integer column key, which
 * is also each entry's id. */
int store_rtree_bulk_load_in_order(struct store *st, const char *table, const char *key,
                                   const char *rtree, int64_t n_entries,
                                   struct err *err) WARN_UNUSED;

/* Registers the SQL function cityatlas_hilbert(x, y, minx, miny, maxx, maxy) on the
 * connection; called by store_open. */
int store_rtree_register_functions(struct store *st, struct err *err) WARN_UNUSED;

#endif
