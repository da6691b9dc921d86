#!/usr/bin/python3
"""gen_synthetic.py - seeded generator of large synthetic GeoJSON over Chiang Mai.

Writes RFC 7946 GeoJSON (EPSG:4326, lon/lat, 6 decimals) streamed to a file, a
few thousand features at a time, so memory stays flat whatever the count.
Standard library only.

    gen_synthetic.py points   [--count 1000000] [--seed 42] -o points.geojson
    gen_synthetic.py polygons [--count 200000]  [--seed 42] -o polygons.geojson

Layout of the data:
  * box: lon 98.8-99.2, lat 18.6-18.95 (Chiang Mai city and surroundings);
  * 60 % of the locations are uniform in the box, 40 % Gaussian around the old
    city (98.986, 18.788), sigma 0.025 degrees, clipped to the box;
  * points: id (1..N), name (Thai, e.g. "วัดศรีสวนดอก 1234"), category (8
    values), value (float, 2 decimals), count (int), date (YYYY-MM-DD, 2020-2025);
  * polygons: star-shaped rings of 5-8 vertices at increasing angles around
    the centre (so counter-clockwise, simple and valid), every vertex 4-20 m
    from the centre; id, type, height (m, 1 decimal), levels (1-30, mostly low).

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


def main():
    ap = argparse.ArgumentParser(
        description="Seeded synthetic GeoJSON (points or polygons) over Chiang Mai.")
    ap.add_argument("kind", choices=["points", "polygons"])
    ap.add_argument("--count", type=int, default=None,
                    help="features to write (default 1000000 points / 200000 polygons)")
    ap.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    ap.add_argument("-o", "--output", required=True, help="GeoJSON file to write")
    args = ap.parse_args()
    count = args.count
    if count is None:
        count = 1000000 if args.kind == "points" else 200000
    if count < 0:
        ap.error("--count must be >= 0")

    t0 = time.monotonic()
    r = random.Random(args.seed)
    tmp = args.output + ".tmp"
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n",
                  buffering=1 << 20) as out:
            (gen_points if args.kind == "points" else gen_polygons)(out, count, r)
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
