# maps_lib.sh - reading the exported maps as a reader's tools would; sourced by
# scenario_maps.sh and export_cli.sh after lib.sh:
#
#   png_info FILE [X Y]...  prints "WIDTH HEIGHT COLOURS": the PNG's size from its header and
#                         the number of distinct colours in its pixels (filters undone, so a
#                         blank or one-colour picture says 1), then "R G B" of each pixel X Y
#                         asked for; fails on a file that is not a PNG
#   pdf_page_size FILE    prints the first page's size in points, rounded: "1191x842"
#   pdf_thai_font FILE    prints the embedded fonts able to draw Thai (Noto Sans Thai, the
#                         TLWG fonts); empty when the Thai text would have come out as boxes
# shellcheck shell=bash

png_info() {
    python3 - "$@" <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
if data[:8] != b"\x89PNG\r\n\x1a\n":
    sys.exit("not a PNG")
pos, idat, hdr = 8, [], None
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        hdr = struct.unpack(">IIBBBBB", body)
    elif kind == b"IDAT":
        idat.append(body)
    pos += 12 + n
w, h, depth, ctype = hdr[:4]
if depth != 8 or ctype not in (2, 6):
    sys.exit("unexpected PNG type %d/%d" % (depth, ctype))
bpp = 3 if ctype == 2 else 4
raw = zlib.decompress(b"".join(idat))
stride = w * bpp
prev = bytearray(stride)
colours = set()
wanted = [(int(x), int(y)) for x, y in zip(sys.argv[2::2], sys.argv[3::2])]
pixels = {}
for y in range(h):
    f = raw[y * (stride + 1)]
    line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    if f == 1:
        for i in range(bpp, stride):
            line[i] = (line[i] + line[i - bpp]) & 255
    elif f == 2:
        line = bytearray((a + b) & 255 for a, b in zip(line, prev))
    elif f == 3:
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            line[i] = (line[i] + ((left + prev[i]) >> 1)) & 255
    elif f == 4:
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    prev = line
    for wx, wy in wanted:
        if wy == y:
            pixels[(wx, wy)] = tuple(line[wx * bpp:wx * bpp + 3])
    if len(colours) < 4096:
        colours.update(bytes(line[i:i + bpp]) for i in range(0, stride, bpp))
print(w, h, len(colours))
for xy in wanted:
    print(*pixels[xy])
PY
}

pdf_page_size() {
    pdfinfo "$1" | awk '/^Page size:/ { printf "%.0fx%.0f\n", $3, $5 }'
}

pdf_thai_font() {
    pdffonts "$1" | grep -Eio 'NotoSansThai[A-Za-z-]*|NotoSerifThai[A-Za-z-]*|(Loma|Garuda|Kinnari|Norasi|Sawasdee|Waree|Umpush|Purisa|Laksaman)[A-Za-z-]*' | sort -u | tr '\n' ' '
}
