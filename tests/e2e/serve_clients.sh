#!/usr/bin/env bash
# serve_clients.sh BINARY - the OGC API as standard clients use it (issue 16), the server
# run with --max-limit 100:
#   GDAL's OAPIF driver: a collection copied with PAGE_SIZE=20000 (above the maximum: the
#   server serves pages of the maximum) keeps every feature; a whole-dataset ogr2ogr with
#   -spat finishes (a table without geometry and features without geometry no longer abort
#   it) with, per layer, the features SpatiaLite finds in the box; a date -where (which GDAL
#   sends as a CQL2 string comparison) selects the right features;
#   OWSLib (python3-owslib, under /usr/bin/python3): landing page, conformance, collections,
#   and items with datetime, bbox and a limit above the maximum.
# Each part SKIPs (with a note) when its client is not installed.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/e2e/serve_lib.sh
source "$(dirname "$0")/serve_lib.sh"
# shellcheck source=tests/e2e/ogc_lib.sh
source "$(dirname "$0")/ogc_lib.sh"

ogc_serve 100
export NO_PROXY='*' no_proxy='*' GDAL_HTTP_TIMEOUT=$SERVE_CURL_MAX_TIME CPL_VSIL_CURL_USE_HEAD=NO

# in_box ID: features of a layer with a geometry in the -spat box, from SpatiaLite.
SPAT=(97 17 101.5 21)
in_box() {
    local t
    t=$(reg "$DB" "$1" table_name)
    sql "$DB" "SELECT count(*) FROM \"$t\" WHERE geom IS NOT NULL AND ST_Intersects(geom, BuildMbr(${SPAT[0]}, ${SPAT[1]}, ${SPAT[2]}, ${SPAT[3]}, 4326))"
}
# gpkg_count GPKG LAYER
gpkg_count() {
    sql "$1" "SELECT count(*) FROM \"$2\""
}

if command -v ogr2ogr >/dev/null; then
    section "GDAL OAPIF: PAGE_SIZE above the maximum"
    out=$E2E_TMP/page.gpkg
    run ogr2ogr -f GPKG "$out" "OAPIF:$BASE/collections/tambon-centroids-postcodes" \
        -oo PAGE_SIZE=20000
    expect_rc 0 "ogr2ogr with PAGE_SIZE=20000 (maximum 100)"
    expect_eq "$(gpkg_count "$out" tambon-centroids-postcodes)" \
        "$(reg "$DB" tambon-centroids-postcodes feature_count)" "every feature copied"
    expect_contains "$(cat "$SERVE_LOG")" "limit=20000&offset=500" "GDAL asked for 20000 a page"

    section "GDAL OAPIF: ogr2ogr of the whole dataset with -spat"
    out=$E2E_TMP/all.gpkg
    run ogr2ogr -f GPKG "$out" "OAPIF:$BASE" -spat "${SPAT[@]}" -oo PAGE_SIZE=20000
    expect_rc 0 "ogr2ogr OAPIF:$BASE -spat ${SPAT[*]}"
    for id in $(sql "$DB" "SELECT id FROM cityatlas_layers WHERE geometry_type IS NOT NULL ORDER BY id"); do
        expect_eq "$(gpkg_count "$out" "$id")" "$(in_box "$id")" "$id: features in the box"
    done
    for id in $(sql "$DB" "SELECT id FROM cityatlas_layers WHERE geometry_type IS NULL ORDER BY id"); do
        expect_eq "$(sql "$out" "SELECT count(*) FROM gpkg_contents WHERE table_name = '$id'")" 1 \
            "$id (no geometry) is a table of the GeoPackage"
    done

    section "GDAL OAPIF: a date -where"
    for where in "at = '2019-02-18T00:00:00Z'" "at = '2019/02/18 00:00:00'" \
        "at >= '2019-02-18T00:00:00Z' AND at < '2019-02-18T00:00:01Z'"; do
        out=$E2E_TMP/where.gpkg
        rm -f "$out"
        run ogr2ogr -f GPKG "$out" "OAPIF:$BASE/collections/events" -where "$where"
        expect_rc 0 "ogr2ogr -where \"$where\""
        expect_eq "$(sql "$out" "SELECT group_concat(name, ',') FROM (SELECT name FROM events ORDER BY name)")" \
            "$([[ $where == *'<'* ]] && echo a,b,c || echo a,b)" "-where \"$where\""
    done
else
    echo "SKIP GDAL OAPIF: ogr2ogr (gdal-bin) not installed"
fi

if /usr/bin/python3 -c 'import owslib' 2>/dev/null; then
    section "OWSLib: landing, conformance, collections, items with datetime, bbox, limit"
    cat >"$E2E_TMP/owslib_probe.py" <<'EOF'
import json
import sys

from owslib.ogcapi.features import Features

api = Features(sys.argv[1], timeout=60)
out = {
    "self": [link["rel"] for link in api.links],
    "conformance": len(api.conformance()["conformsTo"]),
    "collections": sorted(c["id"] for c in api.collections()["collections"]),
}
page = api.collection_items("events", datetime="2019-02-18T00:00:00Z", limit=20000)
out["datetime"] = sorted(f["properties"]["name"] for f in page["features"])
page = api.collection_items("events", datetime="../2019-02-17T00:00:00Z")
out["before"] = sorted(f["properties"]["name"] for f in page["features"])
page = api.collection_items("events", bbox=[170, -11, -179, -9])
out["antimeridian"] = sorted(f["properties"]["name"] for f in page["features"])
page = api.collection_items("cm-cbd-pois", bbox=[98.9, 18.7, 99.0, 18.8], limit=20000)
out["bbox"] = [page["numberMatched"], page["numberReturned"]]
page = api.collection_items("cm-district-population", bbox=[98, 18, 99, 19])
out["table"] = page["numberMatched"]
print(json.dumps(out, ensure_ascii=False))
EOF
    run /usr/bin/python3 "$E2E_TMP/owslib_probe.py" "$BASE"
    expect_rc 0 "the OWSLib script"
    res=$RUN_OUT
    expect_contains "$(jq -r '.self | join(" ")' <<<"$res")" "conformance" "OWSLib reads the landing page"
    expect_int -ge "$(jq -r .conformance <<<"$res")" 18 "OWSLib reads the conformance classes"
    expect_eq "$(jq -r '.collections | join(" ")' <<<"$res")" "$(layer_ids "$DB")" "OWSLib lists the collections"
    expect_eq "$(jq -r '.datetime | join(",")' <<<"$res")" "a,b,e,f" "datetime: an instant and the features without a time"
    expect_eq "$(jq -r '.before | join(",")' <<<"$res")" "e,f" "datetime: an open interval"
    expect_eq "$(jq -r '.antimeridian | join(",")' <<<"$res")" "d,f" "bbox across the antimeridian"
    t=$(reg "$DB" cm-cbd-pois table_name)
    n=$(sql "$DB" "SELECT count(*) FROM \"$t\" WHERE ST_Intersects(geom, BuildMbr(98.9, 18.7, 99.0, 18.8, 4326))")
    expect_eq "$(jq -r '.bbox | map(tostring) | join(" ")' <<<"$res")" "$n $((n < 100 ? n : 100))" \
        "bbox with limit=20000: every match counted, a page of the maximum"
    expect_eq "$(jq -r .table <<<"$res")" "$(reg "$DB" cm-district-population feature_count)" \
        "bbox on a table without geometry"
else
    echo "SKIP OWSLib: python3-owslib not installed for /usr/bin/python3"
fi

serve_stop "stopping the server"
