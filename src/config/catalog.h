/* catalog.h - datasets/catalog.json: the list of a city's datasets with their titles,
 * themes, licences and import hints, and the featured statistics computed from them.
 * Parsed strictly (unknown keys are errors, so a typo in a hint is reported instead of
 * silently ignored) into read-only structs. */
#ifndef CITYATLAS_CONFIG_CATALOG_H
#define CITYATLAS_CONFIG_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"

/* Import hints: how to read a source when the file itself does not say. */
struct catalog_hints {
    char *layer;       /* source layer name (multi-layer sources); NULL = every layer */
    char *encoding;    /* text encoding of a DBF, e.g. "CP874" */
    char *s_srs;       /* source CRS when the file has none, e.g. "EPSG:32647" */
    char *name_column; /* attribute holding each feature's display name */
    char *x_column;    /* CSV column of x / longitude */
    char *y_column;    /* CSV column of y / latitude */
};

struct catalog_dataset {
    char *id; /* slug */
    char *title_en, *title_th;
    char *description_en, *description_th;
    char *theme; /* one of catalog_themes */
    char *source, *source_url, *license, *attribution;
    char *path; /* canonical absolute path, checked to lie inside the catalog's folder */
    struct catalog_hints hints;
    char *json; /* the entry as compact JSON, stored in the layer registry */
};

/* Limits of a featured statistic's query: parameter names follow
 * ^[a-z][a-z0-9_-]{0,39}$ (they become URL parameters of /stats). */
#define CATALOG_PARAM_NAME_MAX 40
#define CATALOG_PARAM_VALUE_MAX 4000 /* bytes of one value's text */
#define CATALOG_MAX_PARAMS 64        /* parameters of one query */
#define CATALOG_MAX_STATISTICS 1000

/* One parameter of a featured statistic's query. Numbers keep their JSON text in its
 * shortest round-tripping form (10 -> "10", 0.5 -> "0.5"); booleans are "true"/"false". */
struct catalog_param {
    char *name, *value;
};

/* A featured statistic: a question answered by a statistics query over this catalog's
 * datasets. Only the dataset ids the query names (layer, by, to, population-from) are
 * checked here; the statistics engine checks what the query means when it runs it. */
struct catalog_statistic {
    char *id; /* slug, unique among the statistics */
    char *title_en, *title_th;
    char *question_en, *question_th;
    char *note_en, *note_th;      /* caveats a reader must know; both NULL when absent */
    struct catalog_param *params; /* the query, in catalog order */
    size_t n_params;
    char *json; /* the entry as compact JSON, key order kept: stored in the database */
};

/* The city profile ("city"): everything that shows or checks the city. Shape (other keys
 * are errors naming their JSON path):
 *   {"id": "hat-yai",                                   slug
 *    "title": {"th": "หาดใหญ่", "en": "Hat Yai"},          English required
 *    "home": {"lon": 100.47, "lat": 7.01, "zoom": 13},  the map's first view (optional)
 *    "extent": [min_lon, min_lat, max_lon, max_lat]      EPSG:4326 degrees, or
 *              {"layer": "songkhla-districts", "margin": 0.05}  a dataset's extent plus a
 *                         margin in degrees (0 to 5); absent: no extent check.
 *                         Scenario extents and sketches must lie inside it.
 *    "boundaries": [{"layer": id, "name_field": "ADM2_TH", "name_field_en": "ADM2_EN",
 *                    "detail_field": ..., "label": {"th": "อำเภอ", "en": "district"}}],
 *                     areas for statistics and search (optional, up to 8)
 *    "gazetteer": [same shape], other layers searched by name (optional, up to 16)
 *    "default_layers": [id, ...],  the map's layers at first (optional, up to 64)
 *    "base_map": [{"layer": id, "kind": "water", "min_zoom": 8, "label_min_zoom": 12,
 *                  "class_field": "highway", "classes": ["motorway", "primary", ...]}],
 *                 the layers of the map's base (tiles/basemap.h), drawn in this order;
 *                 kind is one of BASEMAP_KINDS; class_field and classes (most important
 *                 first) only for roads (optional, up to 32; absent: derived from
 *                 default_layers, boundaries and gazetteer)
 *    "branding": {"name": {"th": ..., "en": ...}, "url": "https://..."},  (optional)
 *    "scenarios": "scenarios.json"}  the city's example workshop scenarios, a file inside
 *                                     the catalog's folder (optional; `cityatlas
 *                                     scenarios import --catalog` imports it)
 * Every layer named must be a dataset of the catalog. */
#define CATALOG_CITY_MAX_BOUNDARIES 8
#define CATALOG_CITY_MAX_GAZETTEER 16
#define CATALOG_CITY_MAX_DEFAULT_LAYERS 64
#define CATALOG_CITY_MAX_BASE_MAP 32
#define CATALOG_CITY_MAX_ROAD_CLASSES 32
/* What a base-map layer is (city.base_map[i].kind), NULL-terminated: the one vocabulary
 * the catalog check, the tileset documents and so the web map's base style share. */
extern const char *const catalog_base_map_kinds[];
#define CATALOG_CITY_MAX_MARGIN 5.0 /* degrees */

struct catalog {
    char *path;
    char *city_id, *city_title_en, *city_title_th;
    char *city_json;      /* the city profile as compact JSON, stored by a catalog import
                             (without "scenarios") */
    char *city_scenarios; /* canonical path of the example scenarios file, or NULL */
    struct catalog_dataset *datasets;
    size_t n_datasets;
    struct catalog_statistic *statistics; /* NULL when the catalog declares none */
    size_t n_statistics;
};

/* Loads and validates a catalog. Every error names the file and the JSON path
 * (e.g. "datasets[3].theme", "statistics[2].query.by"). Free with catalog_free(). */
int catalog_load(const char *path, struct catalog **out, struct err *err) WARN_UNUSED;
/* The same from text[len] read as the file at path (names in messages; dataset paths are
 * resolved against its folder). For the fuzzer and for catalogs not on disk. */
int catalog_parse_text(const char *text, size_t len, const char *path, struct catalog **out,
                       struct err *err) WARN_UNUSED;
void catalog_free(struct catalog *cat); /* NULL is fine */

/* The themes a dataset may have (the civic groups' topics), NULL-terminated. */
extern const char *const catalog_themes[];
bool catalog_is_theme(const char *theme);

/* The query parameters of a featured statistic whose value is a layer id (a dataset of the
 * catalog when it is read; a layer of the database once stored), NULL-terminated. */
extern const char *const catalog_layer_params[];

/* The themes as readers name them: every one of catalog_themes, then "scenarios" (the
 * theme of workshop sketch layers); ends with a NULL id. The one list of these names:
 * the HTML pages and the web map (through the landing document) read it. */
struct catalog_theme_label {
    const char *id, *title_en, *title_th;
};
extern const struct catalog_theme_label catalog_theme_labels[];
/* The label of theme id, or NULL. */
const struct catalog_theme_label *catalog_theme_label(const char *id);

/* Frees the strings of hints (not the struct itself). */
void catalog_hints_clear(struct catalog_hints *hints);

#endif
