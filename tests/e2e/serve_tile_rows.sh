#!/usr/bin/env bash
# serve_tile_rows.sh BINARY - density thinning has no north-south bias: 3 x 18,000 points
# spread evenly (in Mercator metres) over a column of three z10 tiles, so every tile is
# thinned while it is read (more than 16,384 features in a buffered tile). Each tile must
# keep about as many points as the others, and within each tile each of 8 bands from north
# to south about an eighth of them (GDAL's MVT driver counts the points inside the tile).
# A y-axis flip or a buffer asymmetry would show as a lighter southern row or band.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/e2e/serve_lib.sh
source "$(dirname "$0")/serve_lib.sh"

Z=10
ROW=457
COL=793
python3 - "$Z" "$ROW" "$COL" >"$E2E_TMP/even.geojson" <<'PY'
import json, math, random, sys
z, row, col = map(int, sys.argv[1:])
half = 20037508.342789244
span = 2 * half / 2 ** z
x0, top = -half + col * span, half - row * span
rnd = random.Random(13)
feats = []
for i in range(54000):
    x, y = x0 + span * rnd.random(), top - 3 * span * rnd.random()
    lon, lat = x / half * 180, math.degrees(math.atan(math.sinh(y / half * math.pi)))
    feats.append({"type": "Feature", "properties": {"k": i},
                  "geometry": {"type": "Point", "coordinates": [round(lon, 7), round(lat, 7)]}})
json.dump({"type": "FeatureCollection", "features": feats}, sys.stdout)
PY
DB=$E2E_TMP/even.sqlite
run "$BIN" import --quiet --db "$DB" --id even-points --theme economy "$E2E_TMP/even.geojson"
expect_rc 0 "import of 54,000 evenly spread points"
serve_start "$DB"

section "kept points per tile row and per band, north to south"
counts=()
for r in "$ROW" $((ROW + 1)) $((ROW + 2)); do
    get "/collections/even-points/tiles/WebMercatorQuad/$Z/$r/$COL"
    expect_status 200 "tile row $r"
    expect_contains "$(header X-Features-Dropped)" "even-points=" "row $r says what it left out"
    bands=$(ogrinfo -ro -q -oo CLIP=YES -oo "Z=$Z" -oo "Y=$r" -oo "X=$COL" "$HTTP_BODY" even-points 2>/dev/null |
        python3 -c '
import sys
z, r = int(sys.argv[1]), int(sys.argv[2])
half = 20037508.342789244
span = 2 * half / 2 ** z
top = half - r * span
bands = [0] * 8
for line in sys.stdin:
    if line.startswith("  POINT"):
        y = float(line.split("(")[1].split()[1].rstrip(")"))
        bands[min(7, max(0, int((top - y) / span * 8)))] += 1
print(" ".join(map(str, bands)))' "$Z" "$r")
    read -r -a band <<<"$bands"
    total=0
    for b in "${band[@]}"; do total=$((total + b)); done
    echo "  row $r: $total kept; bands north to south: $bands"
    expect_int -gt "$total" 4000 "row $r keeps thousands of points"
    for i in "${!band[@]}"; do
        expect_near "$(awk -v b="${band[$i]}" -v t="$total" 'BEGIN { printf "%.3f", b * 8 / t }')" 1 0.1 \
            "row $r band $i holds an eighth of the tile's points"
    done
    counts+=("$total")
done
for c in "${counts[@]}"; do
    expect_near "$(awk -v c="$c" -v f="${counts[0]}" 'BEGIN { printf "%.3f", c / f }')" 1 0.05 \
        "a row keeps as many points as the northern row (${counts[*]})"
done
serve_stop "the server"
