/* far_check.c - see far_check.h. */
#include "import/far_check.h"

#include <stdlib.h>
#include <string.h>

#include "import/import_int.h"

static void union_add(struct far_check *fc, const double b[4])
{
    for (int k = 0; k < 4; k++) {
        bool is_min = k < 2;
        if (!fc->has_union || (is_min ? b[k] < fc->layers_union[k] : b[k] > fc->layers_union[k])) {
            fc->layers_union[k] = b[k];
        }
    }
    fc->has_union = true;
}

void far_check_begin(struct far_check *fc, struct store *db, const char *city_json)
{
    memset(fc, 0, sizeof(*fc));
    struct err e;
    char *stored = NULL;
    fc->has_city = store_city_extent_parse(city_json, &fc->city);
    if (!fc->has_city && db != NULL && store_city_read_json(db, &stored, &e) == ERR_OK) {
        store_city_extent_clear(&fc->city);
        fc->has_city = store_city_extent_parse(stored, &fc->city);
    }
    free(stored);
    if (db == NULL || store_layers_list(db, &fc->db_layers, &fc->n_db_layers, &e) != ERR_OK) {
        return;
    }
    for (size_t i = 0; i < fc->n_db_layers; i++) {
        const struct store_layer_info *l = &fc->db_layers[i];
        if (l->has_extent) {
            union_add(fc, (const double[4]){l->min_lon, l->min_lat, l->max_lon, l->max_lat});
        }
    }
}

void far_check_clear(struct far_check *fc)
{
    store_city_extent_clear(&fc->city);
    store_layer_infos_free(fc->db_layers, fc->n_db_layers);
    memset(fc, 0, sizeof(*fc));
}

/* The extent of the profile's boundary layer: as this import read it, else as stored. */
static bool boundary_box(const struct far_check *fc, const struct import_report *rep, double box[4])
{
    const char *id = fc->city.layer;
    for (size_t i = 0; id != NULL && i < rep->n_layers; i++) {
        const struct import_layer_report *l = &rep->layers[i];
        if (l->id != NULL && strcmp(l->id, id) == 0 && l->error == NULL && l->has_extent) {
            memcpy(box, (double[4]){l->min_lon, l->min_lat, l->max_lon, l->max_lat},
                   4 * sizeof(double));
            return true;
        }
    }
    for (size_t i = 0; id != NULL && i < fc->n_db_layers; i++) {
        const struct store_layer_info *l = &fc->db_layers[i];
        if (strcmp(l->id, id) == 0 && l->has_extent) {
            memcpy(box, (double[4]){l->min_lon, l->min_lat, l->max_lon, l->max_lat},
                   4 * sizeof(double));
            return true;
        }
    }
    return false;
}

/* Degrees between two boxes (0 when they touch or overlap), along the larger axis. */
static double box_gap(const double a[4], const double b[4])
{
    double dx = a[0] > b[2] ? a[0] - b[2] : (b[0] > a[2] ? b[0] - a[2] : 0.0);
    double dy = a[1] > b[3] ? a[1] - b[3] : (b[1] > a[3] ? b[1] - a[3] : 0.0);
    return dx > dy ? dx : dy;
}

void far_check_report(const struct far_check *fc, struct import_report *rep)
{
    double city[4], layer_box[4];
    bool is_profile = false;
    if (fc->has_city) {
        bool has_layer = fc->city.has_box || boundary_box(fc, rep, layer_box);
        is_profile = store_city_extent_box(&fc->city, has_layer ? layer_box : NULL, city);
    }
    if (!is_profile && !fc->has_union) {
        return;
    }
    if (!is_profile) {
        memcpy(city, fc->layers_union, sizeof(city));
    }
    const char *name = fc->city.name_en != NULL ? fc->city.name_en : "the city profile";
    for (size_t i = 0; i < rep->n_layers; i++) {
        struct import_layer_report *lr = &rep->layers[i];
        double box[4] = {lr->min_lon, lr->min_lat, lr->max_lon, lr->max_lat};
        double gap = box_gap(box, city);
        if (lr->error != NULL || !lr->has_extent || gap <= IMPORT_FAR_DEGREES) {
            continue;
        }
        import_note(lr->warnings, &lr->n_warnings,
                    "the data lands far from the city: its extent (%.4f, %.4f .. %.4f, %.4f) is "
                    "%.1f degrees from %s%s (%.4f, %.4f .. %.4f, %.4f); is the CRS right? "
                    "(--s-srs)",
                    box[0], box[1], box[2], box[3], gap, is_profile ? "the extent of " : "",
                    is_profile ? name : "the other layers'", city[0], city[1], city[2], city[3]);
    }
}
