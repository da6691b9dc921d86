/* store_shape_views.c - a catalog's shape views: for every layer of mixed geometry and every
 * scenario sketch layer, a layer per dimension ("<id>-points", "-lines", "-polygons") over
 * the same table, so that a client taking one geometry type per layer (QGIS reading OGC
 * API - Features, or a GeoPackage) sees every feature: QGIS shows only the first type of a
 * mixed collection. Queries on a view keep the features of its dimension
 * (store_features.c); its feature count is counted here, once per registry generation. */
#include "store/store_read_int.h"

#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "store/store_sql.h"

static const struct {
    enum store_shape shape;
    const char *suffix, *title_en, *title_th, *geometry_type;
} shapes[] = {
    {STORE_SHAPE_POINTS, "points", "points", "จุด", "MULTIPOINT"},
    {STORE_SHAPE_LINES, "lines", "lines", "เส้น", "MULTILINESTRING"},
    {STORE_SHAPE_POLYGONS, "polygons", "areas", "พื้นที่", "MULTIPOLYGON"},
};

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* A layer whose features come in more than one dimension, or may: a mixed layer, or a
 * scenario's sketches (store_scenario.h), which start with one shape and gain others. */
static bool wants_views(const struct store_layer *l)
{
    if (l->geometry_type == NULL || l->shape != STORE_SHAPE_ALL) {
        return false;
    }
    if (strcmp(l->geometry_type, "GEOMETRY") == 0 ||
        strcmp(l->geometry_type, "GEOMETRYCOLLECTION") == 0) {
        return true;
    }
    return l->theme != NULL && strcmp(l->theme, "scenarios") == 0 &&
           strncmp(l->id, "scenario-", 9) == 0 && has_suffix(l->id, "-sketches");
}

static char *dup_or_null(const char *s)
{
    return s != NULL ? xstrdup(s) : NULL;
}

static char *titled(const char *title, const char *id, const char *what)
{
    return xasprintf("%s (%s)", title != NULL ? title : id, what);
}

/* A deep copy of base as the view of one shape. */
static void make_view(const struct store_layer *base, size_t k, struct store_layer *v)
{
    *v = *base;
    v->id = xasprintf("%s-%s", base->id, shapes[k].suffix);
    v->table_name = xstrdup(base->table_name);
    v->title_en = titled(base->title_en, base->id, shapes[k].title_en);
    v->title_th = titled(base->title_th, base->id, shapes[k].title_th);
    v->description_en = dup_or_null(base->description_en);
    v->description_th = dup_or_null(base->description_th);
    v->theme = dup_or_null(base->theme);
    v->source = dup_or_null(base->source);
    v->source_url = dup_or_null(base->source_url);
    v->license = dup_or_null(base->license);
    v->attribution = dup_or_null(base->attribution);
    v->name_column = dup_or_null(base->name_column);
    v->geometry_type = xstrdup(shapes[k].geometry_type);
    v->source_crs = dup_or_null(base->source_crs);
    v->imported_at = dup_or_null(base->imported_at);
    v->fields = xcalloc(base->n_fields + 1, sizeof(*v->fields));
    for (size_t i = 0; i < base->n_fields; i++) {
        v->fields[i].name = xstrdup(base->fields[i].name);
        v->fields[i].type = base->fields[i].type;
        v->fields[i].source_type = dup_or_null(base->fields[i].source_type);
    }
    v->shape = shapes[k].shape;
    v->shape_of = xstrdup(base->id);
    v->feature_count = 0;
}

/* counts[d]: features of base of dimension d (0, 1, 2). */
static int count_by_dimension(struct store *st, const struct store_layer *base, int64_t *counts,
                              struct err *err)
{
    struct buf sql;
    buf_init(&sql, 4096);
    int rc = buf_append_str(&sql, "SELECT ST_Dimension(geom), count(*) FROM ", err);
    rc = rc == ERR_OK ? store_sql_append_ident(&sql, base->table_name, err) : rc;
    rc = rc == ERR_OK ? buf_append_str(&sql, " WHERE geom IS NOT NULL GROUP BY 1", err) : rc;
    sqlite3_stmt *stmt = NULL;
    if (rc == ERR_OK && sqlite3_prepare_v2(st->db, sql.data, -1, &stmt, NULL) != SQLITE_OK) {
        rc = store_db_error(st, "counting a layer's features by shape", err);
    }
    int step = SQLITE_DONE;
    while (rc == ERR_OK && (step = sqlite3_step(stmt)) == SQLITE_ROW) {
        int64_t d = sqlite3_column_int64(stmt, 0);
        if (d >= 0 && d <= 2) {
            counts[d] += sqlite3_column_int64(stmt, 1);
        }
    }
    if (rc == ERR_OK && step != SQLITE_DONE) {
        rc = store_db_error(st, "counting a layer's features by shape", err);
    }
    sqlite3_finalize(stmt);
    buf_clear(&sql);
    return rc;
}

static bool is_taken(const struct store_catalog *cat, const char *id)
{
    for (size_t i = 0; i < cat->n_layers; i++) {
        if (strcmp(cat->layers[i].id, id) == 0) {
            return true;
        }
    }
    return false;
}

static int compare_layers(const void *a, const void *b)
{
    const struct store_layer *x = a, *y = b;
    /* As the registry's ORDER BY theme, id: NULL themes first, bytes compared. */
    if ((x->theme == NULL) != (y->theme == NULL)) {
        return x->theme == NULL ? -1 : 1;
    }
    int c = x->theme != NULL ? strcmp(x->theme, y->theme) : 0;
    return c != 0 ? c : strcmp(x->id, y->id);
}

int store_shape_views_add(struct store *st, struct store_catalog *cat, size_t *cap, struct err *err)
{
    size_t n_base = cat->n_layers;
    bool is_added = false;
    for (size_t i = 0; i < n_base; i++) {
        if (!wants_views(&cat->layers[i])) {
            continue;
        }
        int64_t counts[3] = {0, 0, 0};
        int rc = count_by_dimension(st, &cat->layers[i], counts, err);
        if (rc != ERR_OK) {
            return err_prefix(err, "layer '%s'", cat->layers[i].id);
        }
        for (size_t k = 0; k < sizeof(shapes) / sizeof(shapes[0]); k++) {
            if (cat->n_layers == *cap) {
                *cap = *cap * 2 + 8;
                cat->layers = xreallocarray((void *)cat->layers, *cap, sizeof(*cat->layers));
            }
            struct store_layer *layers = (struct store_layer *)cat->layers;
            struct store_layer view;
            make_view(&layers[i], k, &view);
            view.feature_count = counts[k];
            if (is_taken(cat, view.id)) {
                store_layer_clear(&view); /* an imported layer has that id: it wins */
                continue;
            }
            layers[cat->n_layers++] = view;
            is_added = true;
        }
    }
    if (is_added) {
        qsort((void *)cat->layers, cat->n_layers, sizeof(*cat->layers), compare_layers);
    }
    return ERR_OK;
}
