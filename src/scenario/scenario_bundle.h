/* scenario_bundle.h - a stored scenario as a GeoPackage bundle (export_gpkg.h): each of its
 * layers with its filter, clipped to the scenario's extent, its visible sketches in three
 * tables by shape ("scenario-<id>-sketches-points", "-lines", "-polygons", declared
 * MULTIPOINT, MULTILINESTRING, MULTIPOLYGON, each with columns kind_title_th and
 * kind_title_en beside kind and a default QGIS style in layer_styles), and a
 * "scenario" table of metadata rows (id, titles, narratives, extent, statistics, layers,
 * sources, exported_at), also kept as the file's dataset metadata. Shared by the HTTP
 * handler and `cityatlas export`.
 *
 * Threads: one snapshot, one thread, as the store requires. */
#ifndef CITYATLAS_SCENARIO_SCENARIO_BUNDLE_H
#define CITYATLAS_SCENARIO_SCENARIO_BUNDLE_H

#include "base/buf.h"
#include "base/err.h"
#include "store/store_read.h"

/* The name of the metadata table in the bundle. */
#define SCENARIO_BUNDLE_TABLE "scenario"

/* Writes the bundle of scenario id from rd's snapshot to out_path (atomically, as
 * export_gpkg_write). ERR_NOT_FOUND naming the scenario when there is none; a layer the
 * snapshot lacks is left out with a warning in the log; other failures as
 * export_gpkg_write. */
int scenario_bundle_write(struct store_read *rd, const char *id, const char *out_path,
                          struct err *err) WARN_UNUSED;

/* The same bundle appended to out (for HTTP), as export_gpkg_to_buf. */
int scenario_bundle_to_buf(struct store_read *rd, const char *id, struct buf *out,
                           struct err *err) WARN_UNUSED;

#endif
