/* stats_locate.c - which boundary holds a point, a million times a second.
 *
 * A quadtree over the boundaries' extent, built lazily where points actually fall: a
 * node whose square lies inside one boundary answers every point in it at once, a node
 * that touches no boundary answers "none", and only nodes on a border (at the finest
 * level) test each point with GEOS's prepared geometries. All spatial predicates are
 * GEOS's; the tree only decides how rarely they are needed.
 *
 * Deciding a node (its square against each boundary near it) costs GEOS several times
 * what testing one point does. Where points are sparse for the number of boundaries
 * (100,000 points in 928 districts) most squares would be decided for a point or two, so a
 * node first tests its points one by one against the boundaries whose boxes reach into it,
 * and is decided only once LOC_DECIDE_AFTER points have come through it. */
#include "stats/stats_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"

/* Finest level: cells of 1/4096 of the extent (about 40 m across a province). */
#define LOC_MAX_DEPTH 12
#define LOC_MAX_NODES 400000
/* Points a node tests one by one before it is decided (see above). */
#define LOC_DECIDE_AFTER 12

enum node_state {
    NODE_UNRESOLVED, /* nothing known yet */
    NODE_BOXED,      /* cands are the boundaries whose boxes reach into the node */
    NODE_EMPTY,
    NODE_OWNED,
    NODE_SPLIT,
    NODE_LEAF
};

struct node {
    double box[4];
    enum node_state state;
    int depth;
    uint32_t parent;      /* whose candidates an unresolved node starts from */
    uint32_t n_tested;    /* NODE_BOXED: points tested one by one so far */
    uint32_t first_child; /* NODE_SPLIT: four consecutive nodes */
    long owner;           /* NODE_OWNED */
    uint32_t *cands;      /* boundaries that reach into the node, in order */
    uint32_t n_cands;
};

struct stats_locator {
    const struct stats_boundaries *b;
    struct node *nodes;
    size_t n_nodes, cap_nodes;
};

static uint32_t add_node(struct stats_locator *loc, const double box[4], int depth, uint32_t parent)
{
    if (loc->n_nodes == loc->cap_nodes) {
        loc->cap_nodes = loc->cap_nodes ? 2 * loc->cap_nodes : 64;
        loc->nodes = xreallocarray(loc->nodes, loc->cap_nodes, sizeof(*loc->nodes));
    }
    struct node *n = &loc->nodes[loc->n_nodes];
    *n = (struct node){.box = {box[0], box[1], box[2], box[3]}, .depth = depth, .parent = parent};
    return (uint32_t)loc->n_nodes++;
}

struct stats_locator *stats_locator_new(const struct stats_boundaries *b)
{
    struct stats_locator *loc = xcalloc(1, sizeof(*loc));
    loc->b = b;
    uint32_t root = add_node(loc, b->box, 0, 0);
    struct node *n = &loc->nodes[root];
    n->cands = xcalloc(b->n > 0 ? b->n : 1, sizeof(uint32_t));
    for (size_t i = 0; i < b->n; i++) {
        n->cands[i] = (uint32_t)i;
    }
    n->n_cands = (uint32_t)b->n;
    n->state = b->n > 0 ? NODE_BOXED : NODE_EMPTY; /* every box reaches into the root's */
    return loc;
}

static bool boxes_meet(const double *a, const double *b)
{
    return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}

static void split(struct stats_locator *loc, uint32_t at)
{
    double box[4];
    memcpy(box, loc->nodes[at].box, sizeof(box));
    int depth = loc->nodes[at].depth + 1;
    double mx = (box[0] + box[2]) / 2, my = (box[1] + box[3]) / 2;
    double kids[4][4] = {{box[0], box[1], mx, my},
                         {mx, box[1], box[2], my},
                         {box[0], my, mx, box[3]},
                         {mx, my, box[2], box[3]}};
    uint32_t first = 0;
    for (int k = 0; k < 4; k++) {
        uint32_t i = add_node(loc, kids[k], depth, at);
        first = k == 0 ? i : first;
    }
    loc->nodes[at].first_child = first; /* after add_node: nodes may have moved */
    loc->nodes[at].state = NODE_SPLIT;
}

/* The parent's candidates whose boxes reach into the node: boxes only, no GEOS. */
static void gather(struct stats_locator *loc, uint32_t at)
{
    struct node *n = &loc->nodes[at];
    const struct node *p = &loc->nodes[n->parent];
    n->cands = xcalloc(p->n_cands > 0 ? p->n_cands : 1, sizeof(uint32_t));
    for (uint32_t i = 0; i < p->n_cands; i++) {
        if (boxes_meet(loc->b->items[p->cands[i]].box, n->box)) {
            n->cands[n->n_cands++] = p->cands[i];
        }
    }
    n->state = n->n_cands > 0 ? NODE_BOXED : NODE_EMPTY;
}

/* Tests the node's square against its candidates (by box). */
static void resolve(struct stats_locator *loc, uint32_t at)
{
    GEOSContextHandle_t h = loc->b->h;
    struct node *n = &loc->nodes[at];
    const uint32_t *from = n->cands;
    uint32_t n_from = n->n_cands;
    uint32_t *kept = xcalloc(n_from > 0 ? n_from : 1, sizeof(uint32_t));
    uint32_t n_kept = 0;
    long owner = -1;
    GEOSGeometry *rect = GEOSGeom_createRectangle_r(h, n->box[0], n->box[1], n->box[2], n->box[3]);
    for (uint32_t i = 0; i < n_from && owner < 0 && rect != NULL; i++) {
        const struct stats_boundary *sb = &loc->b->items[from[i]];
        if (!boxes_meet(sb->box, n->box) || GEOSPreparedIntersects_r(h, sb->prepared, rect) != 1) {
            continue;
        }
        if (GEOSPreparedContains_r(h, sb->prepared, rect) == 1) {
            owner = (long)from[i];
        }
        kept[n_kept++] = from[i];
    }
    if (rect == NULL) { /* GEOS failed: keep every candidate and test points one by one */
        memcpy(kept, from, n_from * sizeof(uint32_t));
        n_kept = n_from;
    }
    GEOSGeom_destroy_r(h, rect);
    free(n->cands);
    n->cands = kept;
    n->n_cands = n_kept;
    n->owner = owner;
    if (owner >= 0 || n_kept == 0) {
        n->state = owner >= 0 ? NODE_OWNED : NODE_EMPTY;
    } else if (n->depth < LOC_MAX_DEPTH && loc->n_nodes + 4 <= LOC_MAX_NODES && rect != NULL) {
        split(loc, at);
    } else {
        n->state = NODE_LEAF;
    }
}

static long test_point(struct stats_locator *loc, const struct node *n, double x, double y)
{
    GEOSContextHandle_t h = loc->b->h;
    GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(h, x, y);
    long found = -1;
    double box[4] = {x, y, x, y};
    for (uint32_t i = 0; pt != NULL && i < n->n_cands && found < 0; i++) {
        const struct stats_boundary *sb = &loc->b->items[n->cands[i]];
        if (boxes_meet(sb->box, box) && GEOSPreparedIntersects_r(h, sb->prepared, pt) == 1) {
            found = (long)n->cands[i];
        }
    }
    GEOSGeom_destroy_r(h, pt);
    return found;
}

long stats_locate(struct stats_locator *loc, double x, double y)
{
    const double *root = loc->nodes[0].box;
    if (loc->b->n == 0 || !(x >= root[0] && x <= root[2] && y >= root[1] && y <= root[3])) {
        return -1;
    }
    uint32_t at = 0;
    for (;;) {
        if (loc->nodes[at].state == NODE_UNRESOLVED) {
            gather(loc, at);
        }
        struct node *n = &loc->nodes[at];
        if (n->state == NODE_BOXED && n->n_tested < LOC_DECIDE_AFTER) {
            n->n_tested++;
            return test_point(loc, n, x, y);
        }
        if (n->state == NODE_BOXED) {
            resolve(loc, at);
            n = &loc->nodes[at]; /* resolve may have moved the nodes */
        }
        switch (n->state) {
        case NODE_OWNED:
            return n->owner;
        case NODE_EMPTY:
            return -1;
        case NODE_LEAF:
            return test_point(loc, n, x, y);
        default: {
            double mx = (n->box[0] + n->box[2]) / 2, my = (n->box[1] + n->box[3]) / 2;
            at = n->first_child + (x >= mx ? 1u : 0u) + (y >= my ? 2u : 0u);
        }
        }
    }
}

void stats_locator_free(struct stats_locator *loc)
{
    if (loc == NULL) {
        return;
    }
    for (size_t i = 0; i < loc->n_nodes; i++) {
        free(loc->nodes[i].cands);
    }
    free(loc->nodes);
    free(loc);
}
