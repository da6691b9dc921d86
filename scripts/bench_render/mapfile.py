#!/usr/bin/python3
"""mapfile.py - a MapServer 8 mapfile that draws a cityatlas scenario's layers roughly as
cityatlas's renderer does: the same layers in the same order, the scenario's filters, and
the look of styles/*.json (colours, opacities, widths, circle sizes, labels) evaluated at
one zoom, so that MapServer's WMS GetMap and cityatlas's map.png draw the same picture.

    mapfile.py --db DB --scenarios FILE --id ID --styles DIR --zoom Z
               --source sqlite|gpkg --data PATH --font-latin TTF --font-thai TTF -o OUT.map
               [--compression LEVEL]

DB is the cityatlas database (its registry names each layer's table and geometry type);
DATA is what MapServer reads through OGR: DB itself (sqlite) or a GeoPackage holding the
same tables (gpkg). Z is the zoom cityatlas draws at (log2 of 2 pi R / 256 over the metres
per pixel): the zoom ranges and zoom expressions of the styles are evaluated at it.

The translation, and where it is only rough:
  * every style layer becomes a MapServer LAYER on the layer's table: fill -> POLYGON
    (outline colour as a 1 px outline), line -> LINE, circle -> POINT with an ellipse
    symbol (diameter = 2 x radius, stroke as outline), symbol -> labels only (TrueType,
    halo as outline);
  * a `match` or `step` on a property becomes one CLASS per output; an `interpolate` on a
    property takes the mean of its outputs; only the first property that classifies
    splits classes, others take their fallback;
  * the scenario's style override goes to the style layers of its type (fill-* to fill,
    line-* to line, circle-* to circle, text-* to symbol), as cityatlas merges it;
  * the scenario's CQL2 filters (`p = 'v'`, `p IN ('a', 'b')`) and the style filters
    become MapServer expressions (MapServer hands them to OGR as SQL where it can);
  * the sketch layer (table of mixed geometries) is drawn as three LAYERs selected by
    geometry type, coloured by kind like cityatlas's sketch style.
Prints nothing on success; exit 1 with a message on what it cannot translate.
"""

import argparse
import json
import os
import re
import sqlite3
import sys

DEFAULT_KINDS = [("proposal", "#0072B2"), ("problem", "#D55E00"), ("asset", "#009E73")]


def fail(msg):
    sys.exit("mapfile.py: " + msg)


def parse_color(c):
    """(r, g, b, alpha 0..1) of "#rgb", "#rrggbb" or "rgba(r,g,b,a)"."""
    if isinstance(c, str):
        m = re.fullmatch(r"#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})", c)
        if m:
            h = m.group(1)
            if len(h) == 3:
                h = "".join(ch * 2 for ch in h)
            return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16), 1.0
        m = re.fullmatch(r"rgba\((\d+),\s*(\d+),\s*(\d+),\s*([0-9.]+)\)", c)
        if m:
            return int(m.group(1)), int(m.group(2)), int(m.group(3)), float(m.group(4))
    fail("not a colour: %r" % (c,))


def lerp(a, b, t):
    if isinstance(a, (int, float)):
        return a + (b - a) * t
    ca, cb = parse_color(a), parse_color(b)
    r = [round(ca[i] + (cb[i] - ca[i]) * t) for i in range(3)]
    return "rgba(%d,%d,%d,%g)" % (r[0], r[1], r[2], ca[3] + (cb[3] - ca[3]) * t)


def is_expr(v):
    return isinstance(v, list) and v and isinstance(v[0], str)


def mean(values):
    nums = [v for v in values if isinstance(v, (int, float))]
    return sum(nums) / len(nums) if nums else values[0]


def evaluate(v, zoom):
    """A literal, or ("classes", prop, [(ms_expression, literal), ...], fallback)."""
    if not is_expr(v):
        return v
    op = v[0]
    if op == "interpolate":
        inp, stops = v[2], v[3:]
        pairs = [(stops[i], evaluate(stops[i + 1], zoom)) for i in range(0, len(stops), 2)]
        if inp != ["zoom"]:
            return mean([o for _, o in pairs if not isinstance(o, tuple)])
        if zoom <= pairs[0][0]:
            return pairs[0][1]
        for (z0, o0), (z1, o1) in zip(pairs, pairs[1:]):
            if zoom <= z1:
                return lerp(o0, o1, (zoom - z0) / (z1 - z0))
        return pairs[-1][1]
    if op == "step":
        inp, out0, rest = v[1], evaluate(v[2], zoom), v[3:]
        stops = [(rest[i], evaluate(rest[i + 1], zoom)) for i in range(0, len(rest), 2)]
        if inp == ["zoom"]:
            out = out0
            for s, o in stops:
                if zoom >= s:
                    out = o
            return out
        prop = inp[1]
        bounds = [None] + [s for s, _ in stops] + [None]
        outs = [out0] + [o for _, o in stops]
        classes = []
        for lo, hi, o in zip(bounds, bounds[1:], outs):
            parts = []
            if lo is not None:
                parts.append("[%s] >= %s" % (prop, lo))
            if hi is not None:
                parts.append("[%s] < %s" % (prop, hi))
            classes.append(("(%s)" % " AND ".join(parts), o))
        return ("classes", prop, classes, None)
    if op == "match":
        prop, rest = v[1][1], v[2:]
        classes = []
        for i in range(0, len(rest) - 1, 2):
            labels = rest[i] if isinstance(rest[i], list) else [rest[i]]
            classes.append((ms_in(prop, labels), evaluate(rest[i + 1], zoom)))
        return ("classes", prop, classes, evaluate(rest[-1], zoom))
    if op == "get":
        return ("get", v[1])
    fail("cannot translate the expression %s" % json.dumps(v))


def ms_literal_cmp(prop, opname, value):
    if isinstance(value, str):
        return '("[%s]" %s "%s")' % (prop, opname, value.replace('"', '\\"'))
    return "([%s] %s %s)" % (prop, opname, value)


def ms_in(prop, labels):
    # an OR of equalities: MapServer 8.0 hands "IN" to OGR's SQLite as a table name
    if len(labels) == 1:
        return ms_literal_cmp(prop, "=", labels[0])
    return "(%s)" % " OR ".join(ms_literal_cmp(prop, "=", x) for x in labels)


def style_filter(f):
    """A MapServer expression of a style filter (styles/README.md subset)."""
    op = f[0]
    if op == "has":
        return '("[%s]" != "")' % f[1]
    if op in ("==", "!="):
        return ms_literal_cmp(f[1][1], "=" if op == "==" else "!=", f[2])
    if op == "in":
        return ms_in(f[1][1], f[2][1])
    if op in ("all", "any"):
        return "(%s)" % (" AND " if op == "all" else " OR ").join(style_filter(x) for x in f[1:])
    fail("cannot translate the style filter %s" % json.dumps(f))


def cql_filter(text):
    """A MapServer expression of the CQL2 filters the bundled scenarios use."""
    m = re.fullmatch(r"\s*(\w+)\s*=\s*'([^']*)'\s*", text)
    if m:
        return ms_literal_cmp(m.group(1), "=", m.group(2))
    m = re.fullmatch(r"\s*(\w+)\s+IN\s*\(([^)]*)\)\s*", text, re.IGNORECASE)
    if m:
        labels = [x.strip().strip("'") for x in m.group(2).split(",")]
        return ms_in(m.group(1), labels)
    fail("cannot translate the scenario filter %r" % text)


class Writer:
    def __init__(self):
        self.out = []
        self.n = 0

    def w(self, depth, text):
        self.out.append("  " * depth + text)


def style_blocks(kind, props):
    """STYLE/LABEL blocks of one class: props holds literals only."""
    blocks = []
    if kind == "fill":
        r, g, b, a = parse_color(props.get("fill-color", "#000000"))
        op = a * float(props.get("fill-opacity", 1))
        blocks.append(["COLOR %d %d %d" % (r, g, b), "OPACITY %d" % round(op * 100)])
        if "fill-outline-color" in props:
            r, g, b, a = parse_color(props["fill-outline-color"])
            blocks.append(["OUTLINECOLOR %d %d %d" % (r, g, b), "WIDTH 1",
                           "OPACITY %d" % round(a * op * 100)])
    elif kind == "line":
        r, g, b, a = parse_color(props.get("line-color", "#000000"))
        width = float(props.get("line-width", 1))
        st = ["COLOR %d %d %d" % (r, g, b), "WIDTH %g" % width,
              "OPACITY %d" % round(a * float(props.get("line-opacity", 1)) * 100),
              "LINECAP %s" % props.get("line-cap", "butt").upper(),
              "LINEJOIN %s" % props.get("line-join", "miter").upper()]
        dash = props.get("line-dasharray")
        if isinstance(dash, list) and dash:
            st.append("PATTERN %s END" % " ".join("%g" % (d * width) for d in dash))
        blocks.append(st)
    elif kind == "circle":
        r, g, b, a = parse_color(props.get("circle-color", "#000000"))
        st = ['SYMBOL "circle"', "SIZE %g" % (2 * float(props.get("circle-radius", 5))),
              "COLOR %d %d %d" % (r, g, b),
              "OPACITY %d" % round(a * float(props.get("circle-opacity", 1)) * 100)]
        sw = float(props.get("circle-stroke-width", 0))
        if sw > 0:
            r, g, b, _ = parse_color(props.get("circle-stroke-color", "#000000"))
            st += ["OUTLINECOLOR %d %d %d" % (r, g, b), "WIDTH %g" % sw]
        blocks.append(st)
    return blocks


def label_block(props, geom):
    r, g, b, _ = parse_color(props.get("text-color", "#000000"))
    # MapServer takes the glyphs a font lacks from the next one in the list
    lab = ['FONT "latin,thai"', "TYPE TRUETYPE", "SIZE %g" % float(props.get("text-size", 16)),
           "COLOR %d %d %d" % (r, g, b)]
    halo = float(props.get("text-halo-width", 0))
    if halo > 0:
        hr, hg, hb, _ = parse_color(props.get("text-halo-color", "#ffffff"))
        lab += ["OUTLINECOLOR %d %d %d" % (hr, hg, hb), "OUTLINEWIDTH %d" % max(1, round(halo))]
    if geom == "LINE":
        lab.append("ANGLE FOLLOW")
    return lab


def merge_override(style_layer, override):
    """The style layer's paint and layout with the scenario's override of its type."""
    prefix = {"fill": "fill-", "line": "line-", "circle": "circle-", "symbol": "text-"}[style_layer["type"]]
    paint = dict(style_layer.get("paint", {}))
    layout = dict(style_layer.get("layout", {}))
    for part, target in (("paint", paint), ("layout", layout)):
        for k, v in (override or {}).get(part, {}).items():
            if k.startswith(prefix):
                target[k] = v
    return paint, layout


GEOM_OF = {"POINT": "POINT", "MULTIPOINT": "POINT", "LINESTRING": "LINE",
           "MULTILINESTRING": "LINE", "POLYGON": "POLYGON", "MULTIPOLYGON": "POLYGON"}
TYPE_OF = {"fill": "POLYGON", "line": "LINE", "circle": "POINT"}


def emit_layer(wr, name, geom, table, args, filters, sl, paint, layout, zoom, native=None):
    """One MapServer LAYER for a style layer sl; filters: MapServer expressions."""
    kind = sl["type"]
    if layout.get("visibility") == "none":
        return
    if not (sl.get("minzoom", 0) <= zoom < sl.get("maxzoom", 24)):
        return
    ms_type = geom if kind == "symbol" else TYPE_OF[kind]
    f = list(filters)
    if "filter" in sl:
        f.append(style_filter(sl["filter"]))
    props = dict(paint)
    props.update(layout)
    values = {k: evaluate(v, zoom) for k, v in props.items()}
    split = next(((k, v) for k, v in values.items() if isinstance(v, tuple) and v[0] == "classes"), None)
    base = {}
    for k, v in values.items():
        if isinstance(v, tuple) and v[0] == "classes":
            base[k] = v[3] if v[3] is not None else v[2][0][1]
        else:
            base[k] = v
    classes = [(None, base)]
    if split:
        k, (_, _, cls, fallback) = split
        classes = [(e, dict(base, **{k: o})) for e, o in cls]
        if fallback is not None:
            classes.append((None, dict(base, **{k: fallback})))
    wr.n += 1
    wr.w(1, "LAYER")
    wr.w(2, 'NAME "l%02d_%s"' % (wr.n, re.sub(r"[^A-Za-z0-9_]", "_", name)))
    wr.w(2, 'GROUP "map"')
    wr.w(2, "TYPE %s" % ms_type)
    wr.w(2, "STATUS ON")
    wr.w(2, "CONNECTIONTYPE OGR")
    wr.w(2, 'CONNECTION "%s"' % args.data)
    wr.w(2, 'DATA "%s"' % table)
    # keep the connection open between the requests of a FastCGI worker
    wr.w(2, 'PROCESSING "CLOSE_CONNECTION=DEFER"')
    if native:
        wr.w(2, 'PROCESSING "NATIVE_FILTER=%s"' % native)
    wr.w(2, 'PROJECTION "init=epsg:4326" END')
    wr.w(2, 'METADATA "wms_title" "%s" END' % name)
    if f:
        wr.w(2, "FILTER (%s)" % " AND ".join(f))
    if kind == "symbol":
        tf = values.get("text-field")
        if isinstance(tf, tuple) and tf[0] == "get":
            wr.w(2, 'LABELITEM "%s"' % tf[1])
        else:
            return fail("%s: text-field %r is not a [\"get\", name]" % (name, tf))
    for expr, p in classes:
        wr.w(2, "CLASS")
        if expr:
            wr.w(3, "EXPRESSION %s" % expr)
        if kind == "symbol":
            wr.w(3, "LABEL")
            for line in label_block(p, geom):
                wr.w(4, line)
            wr.w(3, "END")
        else:
            for block in style_blocks(kind, p):
                wr.w(3, "STYLE")
                for line in block:
                    wr.w(4, line)
                wr.w(3, "END")
        wr.w(2, "END")
    wr.w(1, "END")


def sketch_style(kinds):
    match = ["match", ["get", "kind"]]
    for k, c in kinds:
        match += [k, c]
    match.append("#999999")
    return [
        {"id": "areas", "type": "fill", "paint": {"fill-color": match, "fill-opacity": 0.3}},
        {"id": "lines", "type": "line", "paint": {"line-color": match, "line-width": 3}},
        {"id": "points", "type": "circle",
         "paint": {"circle-color": match, "circle-radius": 6, "circle-stroke-color": "#ffffff",
                   "circle-stroke-width": 1.5}},
    ]


def main():
    ap = argparse.ArgumentParser()
    for opt in ("--db", "--scenarios", "--id", "--styles", "--data", "--font-latin", "--font-thai", "-o"):
        ap.add_argument(opt, required=True)
    ap.add_argument("--zoom", type=float, required=True)
    ap.add_argument("--source", choices=("sqlite", "gpkg"), required=True)
    ap.add_argument("--compression", type=int, choices=range(0, 10), default=1,
                    help="zlib level of the PNG (default 1, as cityatlas writes its PNGs)")
    args = ap.parse_args()

    doc = json.load(open(args.scenarios, encoding="utf-8"))
    scn = next((s for s in doc["scenarios"] if s["id"] == args.id), None)
    if scn is None:
        fail("no scenario %r in %s" % (args.id, args.scenarios))
    con = sqlite3.connect("file:%s?mode=ro" % args.db, uri=True)
    reg = {r[0]: (r[1], r[2]) for r in con.execute(
        "SELECT id, table_name, geometry_type FROM cityatlas_layers")}

    wr = Writer()
    for ly in scn["layers"]:
        lid = ly["collection"]
        if lid not in reg:
            fail("layer %r is not in %s" % (lid, args.db))
        table, gtype = reg[lid]
        geom = GEOM_OF.get(gtype)
        if geom is None:
            fail("layer %r has mixed geometries (%s)" % (lid, gtype))
        path = os.path.join(args.styles, lid + ".json")
        if not os.path.exists(path):
            fail("no style %s" % path)
        style = json.load(open(path, encoding="utf-8"))
        filters = [cql_filter(ly["filter"])] if ly.get("filter") else []
        for sl in style["layers"]:
            paint, layout = merge_override(sl, ly.get("style"))
            emit_layer(wr, lid, geom, table, args, filters, sl, paint, layout, args.zoom)

    sk_id = "scenario-%s-sketches" % args.id
    if sk_id in reg:
        kinds = [(k["id"], k["color"]) for k in scn.get("sketch_kinds", [])] or DEFAULT_KINDS
        fn = "GeometryType" if args.source == "sqlite" else "ST_GeometryType"
        natives = {"fill": "POLYGON", "line": "LINESTRING", "circle": "POINT"}
        geoms = {"fill": "POLYGON", "line": "LINE", "circle": "POINT"}
        for sl in sketch_style(kinds):
            # sketches are single geometries (sketch_geojson.h); the type picks the layer
            native = "%s(geom) LIKE '%s%%'" % (fn, natives[sl["type"]])
            emit_layer(wr, sk_id, geoms[sl["type"]], reg[sk_id][0], args, [], sl,
                       sl["paint"], {}, args.zoom, native)

    fontset = os.path.splitext(args.o)[0] + ".fonts"
    with open(fontset, "w", encoding="utf-8") as f:
        f.write("latin %s\nthai %s\n" % (args.font_latin, args.font_thai))
    with open(args.o, "w", encoding="utf-8") as f:
        f.write("# generated by scripts/bench_render/mapfile.py for scenario %s at zoom %.3f\n"
                % (args.id, args.zoom))
        f.write("""MAP
  NAME "cityatlas_render_bench"
  EXTENT 97 17 101 21
  SIZE 1024 1024
  MAXSIZE 16384
  IMAGECOLOR 255 255 255
  FONTSET "%s"
  PROJECTION "init=epsg:4326" END
  # 24-bit PNG (MapServer never filters the rows) at cityatlas's zlib level
  OUTPUTFORMAT
    NAME "png"
    DRIVER AGG/PNG
    MIMETYPE "image/png"
    IMAGEMODE RGB
    EXTENSION "png"
    FORMATOPTION "COMPRESSION=%d"
  END
  SYMBOL
    NAME "circle"
    TYPE ELLIPSE
    FILLED TRUE
    POINTS 1 1 END
  END
  WEB
    METADATA
      "wms_title" "cityatlas render benchmark peer"
      "wms_enable_request" "*"
      "wms_srs" "EPSG:4326 EPSG:3857"
      "wms_onlineresource" "http://127.0.0.1/"
    END
  END
""" % (fontset, args.compression))
        f.write("\n".join(wr.out))
        f.write("\nEND\n")


if __name__ == "__main__":
    main()
