#!/usr/bin/python3
"""qgis_project.py - writes the QGIS project that scripts/bench_peers.sh serves with
QGIS Server: the layers `points` and `districts` of a cityatlas database, once through
QGIS's SpatiaLite provider and once through its PostGIS provider, published for WFS and
so for OGC API - Features (/wfs3).

    qgis_project.py OUT.qgs SQLITE-DB PG-CONNINFO POINTS-TABLE DISTRICTS-TABLE

The collections are named points_sqlite, districts_sqlite, points_pg and districts_pg.
Written with PyQGIS (Debian's python3-qgis), so that the layer ids and the WFS settings
are QGIS's own: QGIS Server 3.22 silently drops layers whose ids it did not make.
"""

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (  # noqa: E402 (the platform must be set before Qt loads)
    QgsApplication,
    QgsDataSourceUri,
    QgsProject,
    QgsVectorLayer,
)


def spatialite_layer(db, table, name):
    uri = QgsDataSourceUri()
    uri.setDatabase(db)
    uri.setDataSource("", table, "geom")
    return QgsVectorLayer(uri.uri(), name, "spatialite")


def postgis_layer(conninfo, table, name):
    uri = QgsDataSourceUri(conninfo)
    uri.setDataSource("public", table, "geom", "", "fid")
    uri.setSrid("4326")
    uri.setWkbType(0)  # read from the table
    return QgsVectorLayer(uri.uri(False), name, "postgres")


def main():
    if len(sys.argv) != 6:
        sys.exit(__doc__)
    out, db, conninfo, points_table, districts_table = sys.argv[1:]
    app = QgsApplication([], False)
    app.initQgis()
    project = QgsProject.instance()
    layers = [
        spatialite_layer(db, points_table, "points_sqlite"),
        spatialite_layer(db, districts_table, "districts_sqlite"),
        postgis_layer(conninfo, "points", "points_pg"),
        postgis_layer(conninfo, "districts", "districts_pg"),
    ]
    for layer in layers:
        if not layer.isValid():
            sys.exit("qgis_project.py: layer %s is not valid" % layer.name())
        project.addMapLayer(layer)
    ids = [layer.id() for layer in layers]
    project.writeEntry("WFSLayers", "/", ids)
    for layer_id in ids:
        project.writeEntry("WFSLayersPrecision", "/" + layer_id, 6)
    project.writeEntry("WMSServiceTitle", "/", "cityatlas benchmark peer")
    if not project.write(out):
        sys.exit("qgis_project.py: cannot write %s" % out)
    app.exitQgis()


main()
