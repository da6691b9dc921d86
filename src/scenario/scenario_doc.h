/* scenario_doc.h - a workshop scenario's document: strict validation and normalisation.
 *
 * Shape (every key other than these is refused, naming its JSON path):
 *   {"id": "kin-di-yu-di",                              slug [a-z0-9-], 1..45 (the sketch layer
 *                                                         id stays a 63-byte slug)
 *    "title": {"th": "...", "en": "..."},                required, 1..200 characters each
 *    "narrative": {"th": "...", "en": "..."},            required, 1..4000 characters each
 *    "example": true,                                     optional boolean (default false)
 *    "extent": [min_lon, min_lat, max_lon, max_lat],     EPSG:4326, inside the city's extent
 *    "layers": [{"collection": "roads",                  0..32 layers, a layer id (slug)
 *                "title": {"th": "...", "en": "..."},    optional, its name in this scenario
 *                "filter": "highway = 'primary'",        optional CQL2 text (must parse)
 *                "style": {"paint": {...}, "layout": {...}}}], optional override, each
 *                          property from the styles subset (styles/README.md)
 *    "statistics": ["cbd-facilities-by-type"],            0..8 featured statistic ids
 *    "sketch_kinds": [{"id": "proposal", "title": {"th": "...", "en": "..."},
 *                      "color": "#0072B2"}]}              optional, 1..16 kinds; default
 *                                                         proposal, problem, asset
 * Whether the layers and statistics exist depends on the database: the caller checks that
 * against its snapshot with scenario_doc_check_refs.
 *
 * Owns no state; safe from any thread. */
#ifndef CITYATLAS_SCENARIO_SCENARIO_DOC_H
#define CITYATLAS_SCENARIO_SCENARIO_DOC_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "base/err.h"
#include "store/store_read.h"

/* The sane extent: longitudes and latitudes at all, EPSG:4326 degrees. Parsing needs no
 * database; the city's own extent (struct store_city) is checked against a snapshot by
 * scenario_doc_check_refs and sketch_list_check_extent. */
#define SCENARIO_SANE_MIN_LON -180.0
#define SCENARIO_SANE_MIN_LAT -90.0
#define SCENARIO_SANE_MAX_LON 180.0
#define SCENARIO_SANE_MAX_LAT 90.0

#define SCENARIO_ID_MAX 45          /* bytes of the slug */
#define SCENARIO_TITLE_MAX 200      /* characters (code points) */
#define SCENARIO_NARRATIVE_MAX 4000 /* characters */
#define SCENARIO_MAX_LAYERS 32
#define SCENARIO_MAX_STATISTICS 8
#define SCENARIO_MAX_KINDS 16
#define SCENARIO_DOC_MAX_BYTES 262144 /* JSON text of one document */

/* Thai and English forms of a text; both present after parsing. */
struct scenario_text {
    const char *th, *en; /* borrowed from the document's JSON */
};

struct scenario_layer {
    const char *collection;     /* a layer id */
    struct scenario_text title; /* its name in this scenario; both NULL when not given */
    const char *filter;         /* CQL2 text, or NULL */
    const json_t *style;        /* {"paint": ..., "layout": ...}, or NULL */
};

struct scenario_kind {
    const char *id; /* slug */
    struct scenario_text title;
    const char *color; /* "#rrggbb" */
};

/* A checked document. Every pointer is borrowed from json, which the document owns. */
struct scenario_doc {
    json_t *json; /* the normalised document: defaults filled in, keys in a fixed order */
    const char *id;
    struct scenario_text title, narrative;
    bool is_example;
    double extent[4]; /* min_lon, min_lat, max_lon, max_lat: EPSG:4326 degrees */
    struct scenario_layer *layers;
    size_t n_layers;
    const char **statistics;
    size_t n_statistics;
    struct scenario_kind *kinds;
    size_t n_kinds;
};

/* Checks the JSON text of a document (at most SCENARIO_DOC_MAX_BYTES: ERR_TOO_LARGE;
 * duplicate keys refused) and fills *out. id_from_url is the scenario id the request
 * names, or NULL: the document's "id" may then be left out, and when given must equal it.
 * On failure ERR_INVALID with a message starting with the JSON path, e.g.
 * "layers[2].style.paint.line-width: 300 is out of range (0 to 100)" or
 * "narrative.th: longer than 4000 characters"; *out is then empty. Free with
 * scenario_doc_clear. */
int scenario_doc_parse_text(const char *text, size_t len, const char *id_from_url,
                            struct scenario_doc *out, struct err *err) WARN_UNUSED;

/* The same on parsed JSON (the caller keeps its reference; the document takes a copy). */
int scenario_doc_parse(const json_t *root, const char *id_from_url, struct scenario_doc *out,
                       struct err *err) WARN_UNUSED;

void scenario_doc_clear(struct scenario_doc *doc); /* an empty or cleared doc is fine */

/* The normalised document as compact JSON text (what the store keeps). Free with free(). */
char *scenario_doc_dump(const struct scenario_doc *doc);

/* The kind with this id, or NULL. */
const struct scenario_kind *scenario_doc_kind(const struct scenario_doc *doc, const char *id);

/* Checks what the document names against a snapshot: its extent lies inside the city's
 * (cat->city), each layers[i].collection is a layer of cat, the property names of its
 * filter are fields of that layer, and each statistics[i] is a featured statistic of
 * featured[n_featured]. ERR_INVALID naming the path and the unknown id ("layers[1].
 * collection: no layer 'roads'") or the extent ("extent[0]: longitude 98.9 is outside the
 * extent of Hat Yai (100.05 to 101.15)"). */
int scenario_doc_check_refs(const struct scenario_doc *doc, const struct store_catalog *cat,
                            const struct store_featured *featured, size_t n_featured,
                            struct err *err) WARN_UNUSED;

/* The sketch kinds a document without "sketch_kinds" gets (proposal, problem, asset), as
 * a new JSON array [{"id", "title": {"th", "en"}, "color"}]; the web map reads them from the
 * landing document. */
json_t *scenario_doc_default_kinds(void);

/* "<path>: longitude|latitude <value> is outside the extent of <city> (<min> to <max>)"
 * when v (degrees) lies outside city's extent on that axis (is_lon), else ERR_OK. */
int scenario_city_check(const struct store_city *city, bool is_lon, double v, const char *path,
                        struct err *err) WARN_UNUSED;

#endif
