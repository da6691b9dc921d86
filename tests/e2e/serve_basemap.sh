#!/usr/bin/env bash
# serve_basemap.sh BINARY - the base map's tileset (/tiles) as the city's catalog describes
# it, with curl and GDAL's MVT driver (ogrinfo):
#  * the bundled catalog's city.base_map: the TileJSON's "cityatlas:base_map" has its
#    layers, kinds and zooms, and the label layers ("{id}.label") of the labelled polygons;
#  * a tile at the home view (z13) holds the tambon label points, each inside the tambon
#    whose name it carries (SpatiaLite ST_Contains), landmark points with their names, and
#    the river; below a layer's min zoom the tile leaves it out (roads at z10);
#  * a catalog that ranks road classes (tests/data/road_classes): the ranking in the
#    TileJSON and the class field in the tiles;
#  * Hat Yai's catalog, without base_map: its base map derived from the profile (roads by
#    theme, tambon and district boundaries labelled, gazetteer places);
#  * a base_map naming an unknown kind is refused at import, naming the JSON path.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/e2e/serve_lib.sh
source "$(dirname "$0")/serve_lib.sh"

# tile_of LON LAT Z: "Z ROW COL" of the WebMercatorQuad tile holding the point.
tile_of() {
    python3 -c '
import math, sys
lon, lat, z = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
n = 2 ** z
r = math.radians(lat)
print(z, int((1 - math.log(math.tan(r) + 1 / math.cos(r)) / math.pi) / 2 * n), int((lon + 180) / 360 * n))' "$@"
}

# mvt FILE Z ROW COL [LAYER]: ogrinfo's listing of a saved tile (no clipping).
mvt() {
    ogrinfo -ro -q -oo CLIP=NO -oo "Z=$2" -oo "Y=$3" -oo "X=$4" "$1" ${5:+"$5"} 2>/dev/null
}

DB=$E2E_TMP/city.sqlite
run "$BIN" import --quiet --db "$DB" --catalog "$REPO/datasets/catalog.json"
expect_rc 0 "import of the bundled catalog"
serve_start "$DB"

section "the bundled catalog's base map"
get /tiles/WebMercatorQuad/tilejson.json
expect_status 200 "base map TileJSON"
expect_eq "$(jqb '.["cityatlas:base_map"][] | "\(.id) \(.kind)"')" \
    "$(jq -r '.city.base_map[] | "\(.layer) \(.kind)"' "$REPO/datasets/catalog.json")" \
    "layers and kinds in the catalog's order"
expect_eq "$(jqb '.["cityatlas:base_map"][] | select(.id == "cm-old-city-walls") | .minzoom')" 12 \
    "a min_zoom from the catalog"
expect_eq "$(jqb '.["cityatlas:base_map"][] | select(.id == "cm-tambon") | .label | "\(.layer) \(.field) \(.field_en) \(.priority)"')" \
    "cm-tambon.label adm3_th adm3_en 0" "tambon labelled by the boundary's name fields, first"
expect_eq "$(jqb '[.["cityatlas:base_map"][] | select(.label) | .id] | join(" ")')" \
    "cm-districts cm-tambon cm-cbd-landmarks cm-cbd-residential-places cm-cbd-pois" "labelled layers"
expect_eq "$(jqb '[.["cityatlas:base_map"][] | select(.label) | .label.priority] | join(" ")')" \
    "1 0 2 3 4" "label priority: tambon, districts, then the gazetteer in order"
expect_eq "$(jqb '.vector_layers[] | select(.id == "cm-tambon.label") | .fields | keys | join(" ")')" \
    "adm3_en adm3_th" "the label layer's fields"

read -r z row col < <(jq -r '.city.home | "\(.lon) \(.lat) \(.zoom)"' "$REPO/datasets/catalog.json" |
    { read -r lon lat zoom; tile_of "$lon" "$lat" "$zoom"; })
section "a base map tile at the home view (z$z)"
get "/tiles/WebMercatorQuad/$z/$row/$col"
expect_status 200 "base map tile"
cp "$HTTP_BODY" "$E2E_TMP/home.pbf"
layers=$(ogrinfo -ro -q -oo CLIP=NO -oo "Z=$z" -oo "Y=$row" -oo "X=$col" "$E2E_TMP/home.pbf" 2>/dev/null |
    sed -n 's/^[0-9]*: \([^ ]*\).*/\1/p' | sort | tr '\n' ' ')
expect_contains "$layers" "cm-tambon.label " "the tambon label layer"
expect_contains "$layers" "rivers-wdbii " "the river"
expect_contains "$layers" "cm-cbd-landmarks " "the landmarks"
expect_not_contains "$layers" "cm-cbd-pois " "no POIs below their zoom (15)"
# Each tambon label point: inside the polygon of the tambon it names.
labels=$(mvt "$E2E_TMP/home.pbf" "$z" "$row" "$col" cm-tambon.label |
    awk '/^  adm3_th \(String\) = / { sub(/^  adm3_th \(String\) = /, ""); name = $0 }
         /^  POINT/ { gsub(/[A-Z()]/, ""); print name "\t" $1 " " $2 }')
n_labels=$(grep -c . <<<"$labels")
expect_int -ge "$n_labels" 3 "tambon label points in the home tile"
while IFS=$'\t' read -r name xy; do
    read -r x y <<<"$xy"
    inside=$(sql "$DB" "SELECT adm3_th FROM \"cm-tambon\" WHERE ST_Contains(geom,
        ST_Transform(MakePoint($x, $y, 3857), 4326))")
    expect_eq "$inside" "$name" "the label point of $name lies inside $name"
done <<<"$labels"
name=$(mvt "$E2E_TMP/home.pbf" "$z" "$row" "$col" cm-cbd-landmarks | sed -n 's/^  name (String) = //p' | head -1)
expect_ne "$name" "" "landmarks carry their names"
expect_eq "$(sql "$DB" "SELECT count(*) FROM \"cm-cbd-landmarks\" WHERE name = '${name//\'/\'\'}'")" 1 \
    "the name is the landmark's ($name)"
read -r z10 row10 col10 < <(tile_of 98.9853 18.7883 10)
get "/tiles/WebMercatorQuad/$z10/$row10/$col10"
expect_status 200 "z10 tile"
expect_not_contains "$(header X-Features-Dropped)" "cm-cbd-roads" "no roads below their min zoom (12)"
expect_contains "$(header X-Features-Dropped)" "rivers-wdbii=0" "the river from zoom 0"
serve_stop "the server"

section "roads ranked by class (tests/data/road_classes)"
ROADS_DB=$E2E_TMP/roads.sqlite
run "$BIN" import --quiet --db "$ROADS_DB" --catalog "$REPO/tests/data/road_classes/catalog.json"
expect_rc 0 "import of the road-class fixture"
serve_start "$ROADS_DB"
get /tiles/WebMercatorQuad/tilejson.json
expect_eq "$(jqb '.["cityatlas:base_map"][] | select(.kind == "road") | .classes | "\(.field): \(.ranking | join(" "))"')" \
    "highway: motorway trunk primary secondary tertiary residential" "the catalog's ranking"
read -r z row col < <(tile_of 100.01 10.01 12)
get "/tiles/WebMercatorQuad/$z/$row/$col"
cp "$HTTP_BODY" "$E2E_TMP/roads.pbf"
expect_eq "$(mvt "$E2E_TMP/roads.pbf" "$z" "$row" "$col" test-roads | sed -n 's/^  highway (String) = //p' | sort | tr '\n' ' ')" \
    "motorway primary residential secondary service " "each road's class in the tile"
serve_stop "the server"

section "Hat Yai: a base map derived from a profile without base_map"
HY_DB=$E2E_TMP/hatyai.sqlite
run "$BIN" import --quiet --db "$HY_DB" --catalog "$REPO/datasets/hatyai/catalog.json"
expect_rc 0 "import of the Hat Yai catalog"
serve_start "$HY_DB"
get /tiles/WebMercatorQuad/tilejson.json
expect_eq "$(jqb '.["cityatlas:base_map"][] | "\(.id) \(.kind) \(.label.field // "-")"')" \
    "songkhla-districts boundary ADM2_TH
songkhla-tambon boundary adm3_th
hy-roads road -
hy-landmarks place name
hy-residential-places place name
hy-pois place name" "kinds from the profile's lists and the datasets' themes, drawn under-to-over"
serve_stop "the server"

section "a base_map with an unknown kind is refused"
jq '.city.base_map[0].kind = "lava"' "$REPO/tests/data/road_classes/catalog.json" >"$E2E_TMP/catalog.json"
cp "$REPO"/tests/data/road_classes/*.geojson "$E2E_TMP/"
run "$BIN" import --quiet --db "$E2E_TMP/bad.sqlite" --catalog "$E2E_TMP/catalog.json"
expect_rc 3 "import of a catalog with an unknown base map kind (invalid input)"
expect_contains "$RUN_ERR" "city.base_map[0].kind 'lava' is not one of" "the error names the path"
