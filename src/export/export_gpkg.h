/* export_gpkg.h - a GeoPackage bundle, written through GDAL, of layers read from one
 * snapshot: each layer (optionally filtered by CQL2) clipped to an extent, plus metadata
 * rows kept twice, as an attribute table and as the dataset's GDAL metadata (which GDAL
 * stores in the GeoPackage metadata extension, where QGIS shows it).
 *
 * What the file holds:
 *   - one table per requested layer, named by the caller, in EPSG:4326 (longitude,
 *     latitude), with the feature ids of the store as its FID column ("fid"), the geometry
 *     in "geom" and the fields in store order (INTEGER -> Integer64, REAL -> Real,
 *     TEXT -> String, BLOB -> Binary); its title and description in gpkg_contents
 *     (identifier, description);
 *   - features that intersect the extent, cut to it: line and polygon layers are declared
 *     MULTILINESTRING and MULTIPOLYGON, since a cut can split one part into several; a
 *     feature of which nothing of its dimension is left inside (a polygon that only touches
 *     the edge) is left out; a feature wholly inside is kept exactly as stored;
 *   - tables without geometry are written whole (their filter still applies);
 *   - a table of one shape (EXPORT_GPKG_POINTS...) holds only the features with parts of
 *     that dimension, as MULTIPOINT, MULTILINESTRING or MULTIPOLYGON;
 *   - lookup columns after the fields, and a layer_styles table (QGIS's columns:
 *     f_table_catalog and f_table_schema empty, f_table_name, f_geometry_column "geom",
 *     styleName, styleQML, styleSLD, useAsDefault 1, description, owner, ui, update_time)
 *     holding each styled table's default style.
 *
 * Atomic: the file is built in a temporary folder next to out_path and renamed over it at
 * the end, so a failed export leaves no file (and an existing file at out_path as it was),
 * and a reader of out_path sees the old file or the new one, never half of one.
 *
 * Threads: uses the snapshot as a single request does (one thread at a time); GDAL errors
 * are captured per thread. */
#ifndef CITYATLAS_EXPORT_EXPORT_GPKG_H
#define CITYATLAS_EXPORT_EXPORT_GPKG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"
#include "store/store_read.h"

/* Features in one export, all layers together, when the spec sets no lower cap: a bundle
 * for a workshop, not a copy of the database (the bundled city data is about 20,000). */
#define EXPORT_GPKG_MAX_FEATURES 2000000
#define EXPORT_GPKG_MAX_LAYERS 64
#define EXPORT_GPKG_MAX_METADATA 256
#define EXPORT_GPKG_MAX_NAME_LEN 100 /* bytes of a table name */
#define EXPORT_GPKG_MAX_KEY_LEN 100  /* bytes of a metadata key */

struct cql2_node;

/* Which features of a layer a table takes, by geometry: all (the table declares the
 * layer's type), or one family, the table then declaring its MULTI type (a layer of mixed
 * sketches split into a points, a lines and a polygons table, as QGIS wants one type per
 * table). */
enum export_gpkg_shape {
    EXPORT_GPKG_AS_STORED = 0,
    EXPORT_GPKG_POINTS,
    EXPORT_GPKG_LINES,
    EXPORT_GPKG_POLYGONS,
};

/* A text column the table gets after the layer's fields: for each feature, values[i]
 * where the feature's field `from` equals keys[i] (empty when none does), e.g. a sketch
 * kind's title beside its id. */
struct export_gpkg_lookup {
    const char *name; /* the new column: a name as for out_name, not a field of the layer */
    const char *from; /* a text field of the layer */
    const char *const *keys, *const *values;
    size_t n;
};

/* A QGIS style stored in the GeoPackage's layer_styles table (the table QGIS itself
 * writes, with its columns), as the table's default: QGIS draws the layer with it when
 * it opens the file. */
struct export_gpkg_style {
    const char *name; /* styleName */
    const char *qml;  /* the QGIS style document (styleQML) */
    const char *sld;  /* OGC SLD 1.1 of the same style (styleSLD); NULL: none */
};

struct export_gpkg_layer {
    const struct store_layer *layer; /* from the snapshot passed to the export */
    const struct cql2_node *filter;  /* NULL: every feature */
    /* Table name in the GeoPackage: 1 to EXPORT_GPKG_MAX_NAME_LEN letters, digits, '-' and
     * '_', not starting with gpkg_, rtree_ or sqlite_, unique (case-insensitively). */
    const char *out_name;
    const char *title;                        /* gpkg_contents.identifier; NULL: out_name */
    const char *description;                  /* gpkg_contents.description; NULL: empty */
    enum export_gpkg_shape shape;             /* zero: the table declares the layer's type */
    const struct export_gpkg_lookup *lookups; /* n_lookups columns after the fields */
    size_t n_lookups;
    const struct export_gpkg_style *style; /* NULL: none */
};

struct export_gpkg_meta {
    const char *key;   /* 1 to EXPORT_GPKG_MAX_KEY_LEN letters, digits, '-', '_' and '.' */
    const char *value; /* UTF-8 text; NULL is written as an empty string */
};

struct export_gpkg_spec {
    bool has_extent;  /* false: layers are written whole */
    double extent[4]; /* min_lon, min_lat, max_lon, max_lat: EPSG:4326 degrees */
    const struct export_gpkg_layer *layers;
    size_t n_layers; /* 1 to EXPORT_GPKG_MAX_LAYERS */
    /* Attribute table holding the metadata rows as (key, value), e.g. "scenario"; a name
     * as for out_name. NULL: the rows go to the dataset metadata only. */
    const char *metadata_table;
    const struct export_gpkg_meta *metadata;
    size_t n_metadata;    /* 0 to EXPORT_GPKG_MAX_METADATA; keys distinct */
    int64_t max_features; /* 0: EXPORT_GPKG_MAX_FEATURES; lower it to bound one export */
};

/* Writes the GeoPackage to out_path (replacing a file already there). Everything is
 * checked before a file is made: the spec (ERR_INVALID naming the bad name, key or
 * extent), each filter against its layer (ERR_INVALID naming the layer), and the number of
 * matching features (ERR_TOO_LARGE when over the cap, saying how many). GDAL failures are
 * ERR_IO for the file (e.g. out_path's folder is missing or read-only) and ERR_INTERNAL
 * otherwise, with GDAL's message and the table being written; store failures keep their
 * codes. On any failure no file is left behind and out_path is untouched. The snapshot's
 * cursor is free again when this returns. */
int export_gpkg_write(struct store_read *rd, const struct export_gpkg_spec *spec,
                      const char *out_path, struct err *err) WARN_UNUSED;

/* The same GeoPackage as bytes appended to out (for HTTP responses): written to a temporary
 * folder under $TMPDIR (or /tmp), read into out and removed. ERR_TOO_LARGE when the file
 * does not fit out's cap (out is then left as it was); other failures as export_gpkg_write. */
int export_gpkg_to_buf(struct store_read *rd, const struct export_gpkg_spec *spec, struct buf *out,
                       struct err *err) WARN_UNUSED;

#endif
