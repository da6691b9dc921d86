#!/usr/bin/python3
"""gen_synthetic.py - seeded generator of large synthetic GeoJSON over Chiang Mai.

Writes RFC 7946 GeoJSON (EPSG:4326, lon/lat, 6 decimals) streamed to a file, a
few thousand features at a time, so memory stays flat whatever the count.
Standard library only.

    gen_synthetic.py points   [--count 1000000] [--seed 42] -o points.geojson
    gen_synthetic.py polygons [--count 200000]  [--seed 42] -o polygons.geojson
    gen_synthetic.py districts [--count 928]    [--seed 42] -o districts.geojson

Layout of the data:
  * box: lon 98.8-99.2, lat 18.6-18.95 (Chiang Mai city and surroundings);
  * 60 % of the locations are uniform in the box, 40 % Gaussian around the old
    city (98.986, 18.788), sigma 0.025 degrees, clipped to the box;
  * points: id (1..N), name (Thai, e.g. "วัดศรีสวนดอก 1234"), category (8
    values), value (float, 2 decimals), count (int), date (YYYY-MM-DD, 2020-2025);
  * polygons: star-shaped rings of 5-8 vertices at increasing angles around
    the centre (so counter-clockwise, simple and valid), every vertex 4-20 m
    from the centre; id, type, height (m, 1 decimal), levels (1-30, mostly low);
  * districts: polygons that tile the whole box without gaps or overlaps,
    stand-ins for Thailand's 928 districts (amphoe), whose real boundaries are
    not in the project's datasets. The count is split into rows x columns (the
    factor pair closest to the box's shape; 928 = 29 x 32, a prime gives one
    row); grid nodes are jittered by up to 20 % of a cell and every cell edge
    gets a shared, jittered middle vertex, so each ring has 8 vertices and
    neighbours share their edges exactly. id (1..N, row by row from the
    south-west), code, name (Thai), area_km2 (2 decimals), population (int).

The same seed gives the same bytes: the output depends only on the seed, the
count and Python's random module (Mersenne Twister; random(), randrange() and
gauss() have been stable across Python 3 versions). The file is written to
OUT.tmp and renamed at the end, so an interrupted run never leaves a half file.
Prints only a one-line summary to stderr.
"""

import argparse
import datetime
import math
import os
import random
import sys
import time

LON_MIN, LON_MAX = 98.8, 99.2
LAT_MIN, LAT_MAX = 18.6, 18.95
CENTER_LON, CENTER_LAT = 98.986, 18.788
SIGMA = 0.025
GAUSS_SHARE = 0.4
CHUNK = 5000  # features formatted per write

# category -> Thai prefixes used in names of that category
CATEGORIES = [
    ("hospital", ["โรงพยาบาล", "คลินิก", "สถานีอนามัย"]),
    ("school", ["โรงเรียน", "วิทยาลัย", "ศูนย์เด็กเล็ก"]),
    ("temple", ["วัด", "วัด", "สำนักสงฆ์"]),
    ("market", ["ตลาด", "กาดหลวง", "ตลาดนัด"]),
    ("park", ["สวน", "สวนสาธารณะ", "ลานกีฬา"]),
    ("office", ["สำนักงาน", "ที่ว่าการ", "เทศบาล"]),
    ("shop", ["ร้าน", "ร้านค้า", "บ้าน"]),
    ("transit", ["ป้ายรถเมล์", "สถานี", "ท่ารถ"]),
]
# Thai words that occur in real Chiang Mai place names
WORDS = [
    "ศรี", "สวน", "ดอก", "ช้าง", "เผือก", "ป่า", "แดด", "หนองหอย", "เชียง",
    "มั่น", "พระ", "สิงห์", "เจดีย์", "หลวง", "ช้างคลาน", "ช้างม่อย", "ท่าแพ",
    "ประตู", "ริน", "นิมมาน", "สุเทพ", "ฟ้าฮ่าม", "หนองป่าครั่ง", "ท่าศาลา",
    "แม่", "ปิง", "ข่วง", "ริมปิง", "วัวลาย", "หายยา", "เม็งราย", "บุพพาราม",
    "อุโมงค์", "ดอย", "คำ", "หนองควาย", "สันทราย", "สันกำแพง", "ป่าตัน",
    "เจ็ดยอด", "ร่มเย็น", "ทุ่ง", "ช่างเคี่ยน", "กู่เต้า", "ชัยมงคล", "พันอ้น",
    "ดวงดี", "ลอยเคราะห์", "ศรีภูมิ", "ต้นพยอม",
]
BUILDING_TYPES = [  # (type, weight)
    ("residential", 55), ("commercial", 18), ("temple", 6),
    ("school", 5), ("government", 6), ("industrial", 10),
]


def location(rnd, gauss):
    """One (lon, lat) pair, 60 % uniform, 40 % Gaussian around the old city."""
    if rnd() < GAUSS_SHARE:
        lon = gauss(CENTER_LON, SIGMA)
        lat = gauss(CENTER_LAT, SIGMA)
        lon = LON_MIN if lon < LON_MIN else LON_MAX if lon > LON_MAX else lon
        lat = LAT_MIN if lat < LAT_MIN else LAT_MAX if lat > LAT_MAX else lat
        return lon, lat
    return (LON_MIN + (LON_MAX - LON_MIN) * rnd(),
            LAT_MIN + (LAT_MAX - LAT_MIN) * rnd())


def gen_points(out, count, r):
    rnd, gauss, randrange = r.random, r.gauss, r.randrange
    start = datetime.date(2020, 1, 1)
    days = (datetime.date(2025, 12, 31) - start).days + 1
    dates = [(start + datetime.timedelta(d)).isoformat() for d in range(days)]
    ncat, nwords = len(CATEGORIES), len(WORDS)
    fmt = ('{"type":"Feature","properties":{"id":%d,"name":"%s","category":"%s",'
           '"value":%.2f,"count":%d,"date":"%s"},'
           '"geometry":{"type":"Point","coordinates":[%.6f,%.6f]}}')
    out.write('{"type":"FeatureCollection","name":"points","features":[')
    fid = 0
    while fid < count:
        n = min(CHUNK, count - fid)
        lines = []
        append = lines.append
        for _ in range(n):
            fid += 1
            lon, lat = location(rnd, gauss)
            cat, prefixes = CATEGORIES[randrange(ncat)]
            w = randrange(nwords)
            name = prefixes[randrange(len(prefixes))] + WORDS[w]
            if rnd() < 0.5:  # a second, different word
                name += WORDS[(w + 1 + randrange(nwords - 1)) % nwords]
            name += " %d" % randrange(1, 1000)
            value = 10000.0 * rnd() * rnd()  # skewed towards small values
            append(fmt % (fid, name, cat, value, randrange(0, 5000),
                          dates[randrange(days)], lon, lat))
        out.write((",\n" if fid > n else "\n") + ",\n".join(lines))
    out.write("\n]}\n")


def gen_polygons(out, count, r):
    rnd, gauss, randrange = r.random, r.gauss, r.randrange
    cos, sin, twopi = math.cos, math.sin, 2.0 * math.pi
    m_per_deg = 111320.0
    types = []
    for name, weight in BUILDING_TYPES:
        types += [name] * weight
    ntypes = len(types)
    head = ('{"type":"Feature","properties":{"id":%d,"type":"%s","height":%.1f,'
            '"levels":%d},"geometry":{"type":"Polygon","coordinates":[[')
    out.write('{"type":"FeatureCollection","name":"polygons","features":[')
    fid = 0
    while fid < count:
        n = min(CHUNK, count - fid)
        lines = []
        append = lines.append
        for _ in range(n):
            fid += 1
            clon, clat = location(rnd, gauss)
            nv = randrange(5, 9)
            radius = 4.0 + 16.0 * rnd()
            lo = max(4.0, 0.6 * radius)
            step = twopi / nv
            dlat = 1.0 / m_per_deg
            dlon = 1.0 / (m_per_deg * cos(math.radians(clat)))
            phase = twopi * rnd()
            coords = []
            for k in range(nv):
                # jitter of +-30 % of the step keeps angles strictly increasing
                a = phase + step * (k + 0.6 * rnd() - 0.3)
                rr = lo + (radius - lo) * rnd()  # vertex distance in 4-20 m
                coords.append("[%.6f,%.6f]" % (clon + rr * cos(a) * dlon,
                                               clat + rr * sin(a) * dlat))
            coords.append(coords[0])
            levels = 1 + int(30 * rnd() ** 3)  # most buildings are low
            height = levels * (2.8 + 1.2 * rnd()) + 1.5 * rnd()
            append(head % (fid, types[randrange(ntypes)], height, levels)
                   + ",".join(coords) + "]]}}")
        out.write((",\n" if fid > n else "\n") + ",\n".join(lines))
    out.write("\n]}\n")


def grid_shape(count):
    """(rows, cols) with rows * cols == count, closest to the box's shape."""
    # the box's shape in ground distance: a degree of longitude is shorter
    want = ((LON_MAX - LON_MIN) * math.cos(math.radians((LAT_MIN + LAT_MAX) / 2))
            / (LAT_MAX - LAT_MIN))
    best = (1, count)
    for rows in range(1, int(math.isqrt(count)) + 1):
        if count % rows:
            continue
        for r_, c_ in ((rows, count // rows), (count // rows, rows)):
            if abs(math.log(c_ / r_ / want)) < abs(math.log(best[1] / best[0] / want)):
                best = (r_, c_)
    return best


def district_nodes(rows, cols, rnd):
    """Jittered grid nodes and shared edge middles, each already formatted.

    A corner moves at most 20 % of a cell and a middle at most 10 % across its
    edge, so the bottom, right, top and left chains of a cell stay in
    disjoint bands: every ring is simple, and neighbours format their shared
    vertices from the same numbers, so the tiling has no slivers.
    """
    dx, dy = (LON_MAX - LON_MIN) / cols, (LAT_MAX - LAT_MIN) / rows
    node = [[None] * (cols + 1) for _ in range(rows + 1)]
    for j in range(rows + 1):
        for i in range(cols + 1):
            x, y = LON_MIN + i * dx, LAT_MIN + j * dy
            if 0 < i < cols:  # the box's own edges stay straight
                x += dx * 0.4 * (rnd() - 0.5)
            if 0 < j < rows:
                y += dy * 0.4 * (rnd() - 0.5)
            node[j][i] = (x, y)
    # horizontal edge (j, i) runs from node[j][i] to node[j][i + 1]
    hmid = [[None] * cols for _ in range(rows + 1)]
    for j in range(rows + 1):
        for i in range(cols):
            (x0, y0), (x1, y1) = node[j][i], node[j][i + 1]
            off = dy * 0.2 * (rnd() - 0.5) if 0 < j < rows else 0.0
            hmid[j][i] = ((x0 + x1) / 2, (y0 + y1) / 2 + off)
    vmid = [[None] * (cols + 1) for _ in range(rows)]
    for j in range(rows):
        for i in range(cols + 1):
            (x0, y0), (x1, y1) = node[j][i], node[j + 1][i]
            off = dx * 0.2 * (rnd() - 0.5) if 0 < i < cols else 0.0
            vmid[j][i] = ((x0 + x1) / 2 + off, (y0 + y1) / 2)
    return node, hmid, vmid


def ring_area_km2(ring):
    """Shoelace area of a lon/lat ring, scaled to km at its mean latitude."""
    twice = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:]):
        twice += x0 * y1 - x1 * y0
    lat = sum(y for _, y in ring[:-1]) / (len(ring) - 1)
    km = 111.32
    return abs(twice) / 2 * km * km * math.cos(math.radians(lat))


def gen_districts(out, count, r):
    rnd, randrange = r.random, r.randrange
    rows, cols = grid_shape(count)
    node, hmid, vmid = district_nodes(rows, cols, rnd)
    nwords = len(WORDS)
    head = ('{"type":"Feature","properties":{"id":%d,"code":"%04d","name":"%s",'
            '"area_km2":%.2f,"population":%d},'
            '"geometry":{"type":"Polygon","coordinates":[[')
    out.write('{"type":"FeatureCollection","name":"districts","features":[')
    fid = 0
    for j in range(rows):
        lines = []
        for i in range(cols):
            fid += 1
            # counter-clockwise from the south-west corner
            ring = [node[j][i], hmid[j][i], node[j][i + 1], vmid[j][i + 1],
                    node[j + 1][i + 1], hmid[j + 1][i], node[j + 1][i],
                    vmid[j][i], node[j][i]]
            ring = [(round(x, 6), round(y, 6)) for x, y in ring]
            w = randrange(nwords)
            name = "อำเภอ" + WORDS[w] + WORDS[(w + 1 + randrange(nwords - 1)) % nwords]
            area = ring_area_km2(ring)
            # denser near the old city, like the points
            x, y = node[j][i]
            near = math.exp(-((x - CENTER_LON) ** 2 + (y - CENTER_LAT) ** 2)
                            / (2 * (4 * SIGMA) ** 2))
            population = int(area * (200 + 6000 * near) * (0.5 + rnd()))
            lines.append(head % (fid, fid, name, area, population)
                         + ",".join("[%.6f,%.6f]" % p for p in ring) + "]]}}")
        out.write((",\n" if fid > cols else "\n") + ",\n".join(lines))
    out.write("\n]}\n")


# kind -> (generator, default count)
GENERATORS = {
    "points": (gen_points, 1000000),
    "polygons": (gen_polygons, 200000),
    "districts": (gen_districts, 928),
}


def main():
    ap = argparse.ArgumentParser(
        description="Seeded synthetic GeoJSON (points, polygons or districts) over Chiang Mai.")
    ap.add_argument("kind", choices=list(GENERATORS))
    ap.add_argument("--count", type=int, default=None,
                    help="features to write (default 1000000 points / 200000 polygons"
                         " / 928 districts)")
    ap.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    ap.add_argument("-o", "--output", required=True, help="GeoJSON file to write")
    args = ap.parse_args()
    count = args.count
    generate, default_count = GENERATORS[args.kind]
    if count is None:
        count = default_count
    if count < 0:
        ap.error("--count must be >= 0")
    if args.kind == "districts" and count < 1:
        ap.error("districts need --count >= 1 (they tile the box)")

    t0 = time.monotonic()
    r = random.Random(args.seed)
    tmp = args.output + ".tmp"
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n",
                  buffering=1 << 20) as out:
            generate(out, count, r)
        os.replace(tmp, args.output)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    size = os.path.getsize(args.output)
    print("gen_synthetic: %d %s (seed %d) -> %s, %.1f MB in %.1f s"
          % (count, args.kind, args.seed, args.output, size / 1e6,
             time.monotonic() - t0), file=sys.stderr)


if __name__ == "__main__":
    main()
