/* sketch_qgis_style.h - the QGIS style of a scenario's sketch table in its GeoPackage
 * bundle: categorised on "kind" with the document's kind colours and titles, the symbols
 * the poster draws (scenario_sheet_sketch_style: ringed discs, dashed lines over a white
 * casing, lightly filled areas with a dashed outline), as a QGIS style document (QML) and
 * as OGC SLD 1.1, for the GeoPackage's layer_styles table (export_gpkg.h).
 *
 * Text from the document (kind ids and titles) is escaped for XML. */
#ifndef CITYATLAS_SCENARIO_SKETCH_QGIS_STYLE_H
#define CITYATLAS_SCENARIO_SKETCH_QGIS_STYLE_H

#include "scenario/scenario_doc.h"

enum sketch_shape { SKETCH_POINTS, SKETCH_LINES, SKETCH_POLYGONS };

/* The QML and SLD of a table of sketches of this shape named table_name; free each with
 * free(). Category labels: the Thai title, with the English one after " / " when it
 * differs. */
char *sketch_qgis_qml(const struct scenario_doc *doc, enum sketch_shape shape);
char *sketch_qgis_sld(const struct scenario_doc *doc, enum sketch_shape shape,
                      const char *table_name);

#endif
