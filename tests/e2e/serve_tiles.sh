#!/usr/bin/env bash
# serve_tiles.sh BINARY - OGC API - Tiles on the bundled data plus a generated layer of
# 200,000 points, decoded by GDAL's MVT driver (ogrinfo, no clipping to the tile so the
# buffer's features count too) and compared with SpatiaLite SQL on the same database:
#  * the documents: /tileMatrixSets (WebMercatorQuad, 23 matrices), tilesets lists, tileset
#    metadata and TileJSON 3.0.0 of a collection and of the base map (whose layers come
#    from the city profile's base_map; serve_basemap.sh checks the rest), the links from the landing page and the collections, and the
#    conformance classes;
#  * at z16 in the old city a tile of roads (lines), of land use (polygons) and of points
#    holds exactly the feature ids SQL finds in the tile grown by its 64/4096 buffer, with
#    their attributes, and says it left nothing out;
#  * at z10 and z11 the 200k points are thinned by density: every one of 4 x 4 parts of
#    the tile that has points in SQL has points in the tile, each tile is under 500 kB and
#    the X-Features-Dropped header says how many were left out;
#  * ETag and 304, the tile cache (X-Cache: hit), Cache-Control long only with the
#    current ?v= token; re-importing the points changes exactly their tiles' ETags;
#  * hostile requests (matrix out of range, row/column out of the matrix, not numbers,
#    another matrix set, unknown parameters, a table without geometry) get 4xx JSON.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/e2e/serve_lib.sh
source "$(dirname "$0")/serve_lib.sh"

DB=$E2E_TMP/city.sqlite
serve_bundled_db "$DB"
python3 "$REPO/scripts/gen_synthetic.py" points --count 200000 --seed 7 -o "$E2E_TMP/points.geojson" 2>/dev/null
run "$BIN" import --quiet --db "$DB" --id dense-points --theme economy "$E2E_TMP/points.geojson"
expect_rc 0 "import of 200,000 generated points"
serve_start "$DB"

# The old city's moat, where the bundled layers are densest.
OLD_LON=98.9853
OLD_LAT=18.7883

# tile_of LON LAT Z: "Z ROW COL" of the WebMercatorQuad tile holding the point.
tile_of() {
    python3 -c '
import math, sys
lon, lat, z = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
n = 2 ** z
x = int((lon + 180) / 360 * n)
r = math.radians(lat)
y = int((1 - math.log(math.tan(r) + 1 / math.cos(r)) / math.pi) / 2 * n)
print(z, y, x)' "$@"
}

# tile_box Z ROW COL BUFFER: "W S E N" in degrees of the tile grown by BUFFER/4096.
tile_box() {
    python3 -c '
import math, sys
z, row, col, buf = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
n = 2 ** z
pad = buf / 4096
lon = lambda c: (c / n) * 360 - 180
lat = lambda r: math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * r / n))))
print("%.12f %.12f %.12f %.12f" % (lon(col - pad), lat(row + 1 + pad), lon(col + 1 + pad), lat(row - pad)))' "$@"
}

# tile_features FILE Z ROW COL LAYER: "id<TAB>x y" per feature of LAYER in a saved tile
# (EPSG:3857 coordinates of its first point), as GDAL's MVT driver decodes it.
tile_features() {
    ogrinfo -ro -q -oo CLIP=NO -oo "Z=$2" -oo "Y=$3" -oo "X=$4" "$1" "$5" 2>/dev/null |
        awk '/^  mvt_id \(Integer64\) = / { id = $NF }
             /^  (MULTI)?(POINT|LINESTRING|POLYGON)/ { g = $0; gsub(/[A-Z(),]/, " ", g); split(g, c, " "); print id "\t" c[1] " " c[2] }'
}

# tile_parts Z ROW COL: the tile cut in 4 x 4 parts, one line each: "I,J" then its box in
# EPSG:3857 metres (min_x max_x min_y max_y) and in degrees (W S E N).
tile_parts() {
    python3 -c '
import math, sys
z, row, col = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
half = 20037508.342789244
span = 2 * half / 2 ** z
x0, top = -half + col * span, half - row * span
lon = lambda x: x / half * 180
lat = lambda y: math.degrees(math.atan(math.sinh(y / half * math.pi)))
for i in range(4):
    for j in range(4):
        a, b = x0 + i * span / 4, x0 + (i + 1) * span / 4
        y1, y0 = top - j * span / 4, top - (j + 1) * span / 4
        print("%d,%d %.3f %.3f %.3f %.3f %.12f %.12f %.12f %.12f" % (i, j, a, b, y0, y1, lon(a), lat(y0), lon(b), lat(y1)))' "$@"
}

# sql_ids LAYER W S E N: the fids of LAYER whose geometry meets the box, sorted.
sql_ids() {
    sql "$DB" "SELECT fid FROM \"$1\" WHERE ST_Intersects(geom, BuildMbr($2, $3, $4, $5, 4326)) ORDER BY fid"
}

section "documents: tile matrix sets, tilesets, TileJSON, links, conformance"
get /tileMatrixSets
expect_status 200 "/tileMatrixSets"
expect_eq "$(jqb '[.tileMatrixSets[].id] | join(" ")')" "WebMercatorQuad" "one matrix set"
get /tileMatrixSets/WebMercatorQuad
expect_status 200 "/tileMatrixSets/WebMercatorQuad"
expect_eq "$(jqb '.crs')" "http://www.opengis.net/def/crs/EPSG/0/3857" "its CRS"
expect_eq "$(jqb '.tileMatrices | length')" "23" "matrices 0 to 22"
expect_eq "$(jqb '.tileMatrices[14] | "\(.id) \(.matrixWidth) \(.tileWidth) \(.cornerOfOrigin)"')" \
    "14 16384 256 topLeft" "matrix 14"
expect_near "$(jqb '.tileMatrices[0].scaleDenominator')" 559082264.0287178 1 "scale of matrix 0"
get /collections/cm-cbd-roads
expect_eq "$(jqb '.links[] | select(.rel == "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector") | .href')" \
    "$BASE/collections/cm-cbd-roads/tiles" "collection links its tilesets"
collection_tiles=$(jqb '.links[] | select(.rel == "item" and .templated == true) | "\(.type) \(.href)"')
get /collections/cm-cbd-roads/tiles/WebMercatorQuad
expect_eq "$collection_tiles" \
    "$(jqb '.links[] | select(.rel == "item" and .templated == true) | "\(.type) \(.href)"')" \
    "the collection links its tiles' versioned URL template as its tileset does (the web map reads it)"
expect_match "$collection_tiles" \
    "^application/vnd.mapbox-vector-tile $BASE/collections/cm-cbd-roads/tiles/WebMercatorQuad/[{]tileMatrix[}]/[{]tileRow[}]/[{]tileCol[}][?]v=[0-9]+\$" \
    "the template names the layer's version"
get /
expect_eq "$(jqb '.links[] | select(.rel == "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector") | .href')" \
    "$BASE/tiles" "landing page links the base map"
get /conformance
for class in core tileset tilesets-list geodata-tilesets dataset-tilesets mvt; do
    expect_eq "$(jqb '[.conformsTo[] | select(. == $c)] | length' \
        --arg c "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/$class")" "1" "conformance class $class"
done
get /collections/cm-cbd-roads/tiles
expect_status 200 "tilesets list"
expect_eq "$(jqb '.tilesets[0] | "\(.dataType) \(.tileMatrixSetURI)"')" \
    "vector http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad" "the tileset"
get /collections/cm-cbd-roads/tiles/WebMercatorQuad
expect_status 200 "tileset metadata"
version=$(sql "$DB" "SELECT version FROM cityatlas_layers WHERE id = 'cm-cbd-roads'")
expect_eq "$(jqb '.links[] | select(.rel == "item") | "\(.href) \(.type) \(.templated)"')" \
    "$BASE/collections/cm-cbd-roads/tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}?v=$version application/vnd.mapbox-vector-tile true" \
    "tile template with the layer's version"
expect_eq "$(jqb '.layers[0] | "\(.id) \(.geometryDimension)"')" "cm-cbd-roads 1" "its layer"
get /collections/cm-cbd-roads/tiles/WebMercatorQuad/tilejson.json
expect_status 200 "TileJSON"
expect_eq "$(header Content-Type)" "application/vnd.mapbox.tile+json" "TileJSON type"
expect_eq "$(jqb '"\(.tilejson) \(.scheme) \(.minzoom) \(.maxzoom)"')" "3.0.0 xyz 0 22" "TileJSON basics"
expect_eq "$(jqb '.tiles[0]')" "$BASE/collections/cm-cbd-roads/tiles/WebMercatorQuad/{z}/{y}/{x}?v=$version" \
    "TileJSON tiles URL"
expect_eq "$(jqb '.vector_layers[0].fields.length_m')" "Number" "TileJSON fields"
expect_eq "$(jqb '.["cityatlas:featuresDroppedHeader"]')" "X-Features-Dropped" "the documented header"
get /tiles/WebMercatorQuad/tilejson.json
expect_status 200 "base map TileJSON"
base_layers=$(jq -r '.city.base_map[].layer' "$REPO/datasets/catalog.json" | sort)
expect_eq "$(jqb '.vector_layers[].id | select(endswith(".label") | not)' | sort)" "$base_layers" \
    "base map layers: the city profile's base_map"

section "z16 tiles hold exactly the features SQL finds in the buffered tile"
read -r z row col < <(tile_of "$OLD_LON" "$OLD_LAT" 16)
read -r w s e n < <(tile_box "$z" "$row" "$col" 64)
for layer in cm-cbd-roads cm-cbd-pois cm-cbd-building-density; do
    get "/collections/$layer/tiles/WebMercatorQuad/$z/$row/$col"
    expect_status 200 "$layer z16 tile"
    expect_eq "$(header Content-Type)" "application/vnd.mapbox-vector-tile" "$layer: tile type"
    expect_eq "$(header X-Features-Dropped)" "$layer=0" "$layer: nothing left out"
    cp "$HTTP_BODY" "$E2E_TMP/$layer.pbf"
    got=$(tile_features "$E2E_TMP/$layer.pbf" "$z" "$row" "$col" "$layer" | cut -f1 | sort -n)
    want=$(sql_ids "$layer" "$w" "$s" "$e" "$n")
    expect_ne "$want" "" "$layer has features in the tile"
    expect_eq "$got" "$want" "$layer: tile ids = SQL ids"
done
# Attributes at this zoom: every field; here the name of one point.
fid=$(sql_ids cm-cbd-pois "$w" "$s" "$e" "$n" | head -1)
name=$(sql "$DB" "SELECT name FROM \"cm-cbd-pois\" WHERE fid = $fid")
expect_contains "$(ogrinfo -ro -q -oo CLIP=NO -oo Z="$z" -oo Y="$row" -oo X="$col" -where "mvt_id = $fid" \
    "$E2E_TMP/cm-cbd-pois.pbf" cm-cbd-pois)" "name (String) = $name" "a point's name"

section "the base map tile: one layer per profile layer"
get "/tiles/WebMercatorQuad/$z/$row/$col"
expect_status 200 "base map tile"
cp "$HTTP_BODY" "$E2E_TMP/base.pbf"
# Every layer is in the tile (GDAL lists only those with features here) and in the header.
expect_eq "$(header X-Features-Dropped | tr ',' '\n' | sed 's/^ *//; s/=.*//' | sort)" "$base_layers" \
    "base map tile layers"
base_roads=$(tile_features "$E2E_TMP/base.pbf" "$z" "$row" "$col" cm-cbd-roads | cut -f1 | sort -n)
expect_eq "$base_roads" "$(sql_ids cm-cbd-roads "$w" "$s" "$e" "$n")" "base map roads = SQL"

section "low zooms thin 200,000 points by density, everywhere, under 500 kB"
for zoom in 10 11; do
    read -r z row col < <(tile_of "$OLD_LON" "$OLD_LAT" "$zoom")
    get "/collections/dense-points/tiles/WebMercatorQuad/$z/$row/$col"
    expect_status 200 "z$zoom tile"
    size=$(stat -c %s "$HTTP_BODY")
    expect_int -le "$size" 512000 "z$zoom tile size ($size bytes) within 500 kB"
    dropped=$(header X-Features-Dropped | sed -n 's/^dense-points=//p')
    cp "$HTTP_BODY" "$E2E_TMP/dense$zoom.pbf"
    tile_features "$E2E_TMP/dense$zoom.pbf" "$z" "$row" "$col" dense-points >"$E2E_TMP/dense$zoom.txt"
    kept=$(wc -l <"$E2E_TMP/dense$zoom.txt")
    read -r w s e n < <(tile_box "$z" "$row" "$col" 64)
    in_sql=$(sql "$DB" "SELECT count(*) FROM \"dense-points\" WHERE ST_Intersects(geom, BuildMbr($w, $s, $e, $n, 4326))")
    expect_eq "$((kept + dropped))" "$in_sql" "z$zoom: kept + X-Features-Dropped = SQL count"
    expect_int -gt "$dropped" 0 "z$zoom: thinned ($in_sql points in SQL, $kept in the tile)"
    # 4 x 4 parts of the tile: each with points in SQL has points in the tile.
    tile_parts "$z" "$row" "$col" >"$E2E_TMP/parts$zoom.txt"
    # one query counts the points of every part
    query=$(awk '{ printf "%sSELECT %s, count(*) FROM \"dense-points\" WHERE ST_Intersects(geom, BuildMbr(%s, %s, %s, %s, 4326))", (NR > 1 ? " UNION ALL " : ""), NR, $6, $7, $8, $9 }' \
        "$E2E_TMP/parts$zoom.txt")
    sql "$DB" "$query" | sort -t'|' -k1,1n | cut -d'|' -f2 | paste "$E2E_TMP/parts$zoom.txt" - >"$E2E_TMP/counts$zoom.txt"
    empty=""
    while read -r part mx0 mx1 my0 my1 _ _ _ _ n_sql; do
        n_tile=$(awk -F'\t' -v x0="$mx0" -v x1="$mx1" -v y0="$my0" -v y1="$my1" \
            '{ split($2, c, " "); if (c[1] >= x0 && c[1] <= x1 && c[2] >= y0 && c[2] <= y1) n++ } END { print n + 0 }' \
            "$E2E_TMP/dense$zoom.txt")
        if [[ $n_sql -gt 0 && $n_tile -eq 0 ]]; then
            empty+="part $part: $n_sql in SQL, none in the tile; "
        fi
    done <"$E2E_TMP/counts$zoom.txt"
    expect_eq "$(wc -l <"$E2E_TMP/counts$zoom.txt")" "16" "z$zoom: 16 parts counted"
    expect_eq "$empty" "" "z$zoom: no part of the tile with points in SQL is empty"
done

section "ETag, 304, the tile cache and Cache-Control"
read -r z row col < <(tile_of "$OLD_LON" "$OLD_LAT" 15)
path=/collections/dense-points/tiles/WebMercatorQuad/$z/$row/$col
get "$path"
expect_status 200 "a z15 tile"
etag=$(header ETag)
expect_match "$etag" '^"t[0-9a-f]{16}"$' "strong ETag"
expect_eq "$(header Cache-Control)" "public, no-cache" "no version token: revalidate"
get "$path" -H "If-None-Match: $etag"
expect_status 304 "If-None-Match"
get "$path"
expect_eq "$(header X-Cache)" "hit" "second request from the tile cache"
points_version=$(sql "$DB" "SELECT version FROM cityatlas_layers WHERE id = 'dense-points'")
get "$path?v=$points_version"
expect_eq "$(header Cache-Control)" "public, max-age=31536000, immutable" "current token: kept a year"
get "$path?v=1$points_version"
expect_eq "$(header Cache-Control)" "public, no-cache" "an old token: revalidate"
roads_path="/collections/cm-cbd-roads/tiles/WebMercatorQuad/$z/$row/$col"
get "$roads_path"
roads_etag=$(header ETag)
get /tiles/WebMercatorQuad/$z/$row/$col
base_etag=$(header ETag)

section "re-importing a layer changes exactly its tiles"
python3 "$REPO/scripts/gen_synthetic.py" points --count 1000 --seed 8 -o "$E2E_TMP/points2.geojson" 2>/dev/null
run "$BIN" import --quiet --db "$DB" --id dense-points --theme economy --replace "$E2E_TMP/points2.geojson"
expect_rc 0 "re-import of the points"
get "$path" -H "If-None-Match: $etag"
expect_status 200 "the re-imported layer's tile is new"
expect_ne "$(header ETag)" "$etag" "new ETag"
expect_eq "$(header X-Cache)" "" "built again, not from the cache"
cp "$HTTP_BODY" "$E2E_TMP/new.pbf"
read -r w s e n < <(tile_box "$z" "$row" "$col" 64)
expect_eq "$(tile_features "$E2E_TMP/new.pbf" "$z" "$row" "$col" dense-points | cut -f1 | sort -n)" \
    "$(sql_ids dense-points "$w" "$s" "$e" "$n")" "the new tile holds the new features"
get "$roads_path" -H "If-None-Match: $roads_etag"
expect_status 304 "another layer's tile keeps its ETag"
get "$roads_path"
expect_eq "$(header X-Cache)" "hit" "and stays in the cache"
get /tiles/WebMercatorQuad/$z/$row/$col -H "If-None-Match: $base_etag"
expect_status 304 "the base map (without the points) keeps its ETag"

section "hostile tile requests get 4xx JSON"
get /collections/cm-cbd-roads/tiles/WebMercatorQuad/23/0/0
expect_json_error 404 "tileMatrix 23"
get /collections/cm-cbd-roads/tiles/WebMercatorQuad/-1/0/0
expect_json_error 404 "tileMatrix -1"
get /collections/cm-cbd-roads/tiles/WebMercatorQuad/3/8/0
expect_json_error 404 "row past the matrix"
get /collections/cm-cbd-roads/tiles/WebMercatorQuad/3/0/-1
expect_json_error 404 "negative column"
get /collections/cm-cbd-roads/tiles/WebMercatorQuad/3/x/0
expect_json_error 400 "a row that is no number"
get /collections/cm-cbd-roads/tiles/WebMercatorQuad/3/0/99999999999999999999999
expect_json_error 400 "a column past 64 bits"
get /collections/cm-cbd-roads/tiles/WebMercatorQuad/3.5/0/0
expect_json_error 400 "a fractional matrix"
get /collections/cm-cbd-roads/tiles/WorldCRS84Quad/3/0/0
expect_json_error 404 "another tile matrix set"
expect_contains "$(jqb .description)" "/tileMatrixSets" "the error points to the matrix sets"
get /tileMatrixSets/WorldCRS84Quad
expect_json_error 404 "an unknown tile matrix set's definition"
get "/collections/cm-cbd-roads/tiles/WebMercatorQuad/3/0/0?bbox=1,2,3,4"
expect_json_error 400 "an unknown parameter"
get /collections/cm-district-population/tiles/WebMercatorQuad/3/0/0
expect_json_error 404 "a table without geometry has no tiles"
get /collections/no-such-layer/tiles
expect_json_error 404 "an unknown collection"
expect_serve_alive "after the hostile requests"
serve_stop
