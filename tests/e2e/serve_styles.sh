#!/usr/bin/env bash
# serve_styles.sh BINARY - layer styles over HTTP on the bundled data, served from a styles
# folder holding the bundled files plus one broken file: the server starts anyway and logs
# the broken file with its path and the JSON path of the problem; /styles lists every layer
# with geometry (and no attribute table), and with collections= only those named, each with
# its style inline; /styles/cm-cbd-pois is the file's JSON; the layer
# of the broken file gets the default style for its geometry type; 304 on the ETag; 404
# JSON for an unknown layer and for an attribute table.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/e2e/serve_lib.sh
source "$(dirname "$0")/serve_lib.sh"

DB=$E2E_TMP/city.sqlite
bundled_db "$DB"

STYLES=$E2E_TMP/styles
mkdir -p "$STYLES"
cp "$REPO"/styles/*.json "$STYLES/"
# The roads file breaks: a colour the subset does not accept, deep in an expression.
jq '.layers[0].paint["line-color"][4] = "grey"' "$REPO/styles/cm-cbd-roads.json" \
    >"$STYLES/cm-cbd-roads.json"
serve_start "$DB" --styles "$STYLES"

section "the broken file is logged and the server carries on"
expect_contains "$(cat "$SERVE_LOG")" "$STYLES/cm-cbd-roads.json: layers[0].paint.line-color[4]: expected a colour" \
    "warning names the file, the JSON path and the problem"
# Every bundled file (both cities') loads but the broken one.
n_files=$(find "$STYLES" -name '*.json' | wc -l)
expect_contains "$(cat "$SERVE_LOG")" "styles: $((n_files - 1)) loaded from $STYLES, 1 refused" "summary line"
expect_serve_alive "after a bad style file"

section "/styles lists every layer with geometry"
get /styles
expect_status 200 "/styles"
expect_eq "$(header Content-Type)" "application/json" "content type"
want=$(layer_ids "$DB" | tr ' ' '\n' | grep -v -e '^cm-district-population$' -e '^cm-tambon-population$' | sort)
expect_eq "$(jqb '[.styles[].id] | sort | .[]')" "$want" "ids: the layers with geometry"
expect_eq "$(jqb '.styles | length')" "14" "14 styled layers"
expect_eq "$(jqb '[.styles[] | select(.is_default) | .id] | join(" ")')" "cm-cbd-roads" \
    "only the broken file's layer is on the default"
expect_eq "$(jqb '.styles[] | select(.id == "cm-cbd-pois") | .links[0].rel')" "stylesheet" "link rel"
expect_eq "$(jqb '.styles[] | select(.id == "cm-cbd-pois") | .links[0].href')" \
    "$BASE/styles/cm-cbd-pois" "link href"
expect_eq "$(jqb '.styles[] | select(.id == "cm-cbd-pois") | .links[0].type')" \
    "application/vnd.mapbox.style+json" "link type"

section "/styles/{id} is the file's JSON, or the default"
get /styles/cm-cbd-pois
expect_status 200 "/styles/cm-cbd-pois"
expect_eq "$(header Content-Type)" "application/vnd.mapbox.style+json" "content type"
expect_eq "$(body | jq -S .)" "$(jq -S . "$REPO/styles/cm-cbd-pois.json")" "same JSON as the file"
etag=$(header ETag)
expect_match "$etag" '^W/"' "weak ETag"
get /styles/cm-cbd-pois -H "If-None-Match: $etag"
expect_status 304 "If-None-Match"
get /styles/cm-cbd-roads
expect_status 200 "/styles/cm-cbd-roads"
expect_eq "$(jqb '.metadata["cityatlas:layer"]')" "cm-cbd-roads" "default names its layer"
expect_eq "$(jqb '.metadata["cityatlas:default"]')" "true" "marked as the default"
expect_eq "$(jqb '[.layers[].type] | join(" ")')" "line" "a line layer for a line layer"
get /styles/cm-districts
expect_eq "$(jqb '[.layers[].type] | join(" ")')" "fill line symbol" "the districts file"

section "/styles?collections= sends the named layers' styles inline, in one answer"
get "/styles?collections=cm-districts,cm-cbd-roads,cm-districts"
expect_status 200 "/styles?collections="
expect_eq "$(jqb '[.styles[].id] | join(" ")')" "cm-districts cm-cbd-roads" \
    "the named layers, in the order named, each once"
expect_eq "$(jqb '.styles[0].style' | jq -S .)" "$(jq -S . "$REPO/styles/cm-districts.json")" \
    "a style inline is the file's JSON"
expect_eq "$(jqb '.styles[1].is_default') $(jqb '.styles[1].style.metadata["cityatlas:default"]')" \
    "true true" "a broken file's layer gets the default inline too"
expect_eq "$(jqb '.styles[0].links[0].href')" "$BASE/styles/cm-districts" "each still links its own"
get "/styles?collections=cm-districts,no-such-layer"
expect_json_error 404 "an unknown layer among those named"
expect_contains "$(jqb .description)" "no-such-layer" "the refusal names the unknown layer"
get "/styles?collections=cm-district-population"
expect_json_error 404 "an attribute table named"
get "/styles?collections="
expect_json_error 400 "no layer named"
get "/styles?collections=$(printf 'cm-districts,%.0s' {1..256})cm-districts"
expect_json_error 400 "more than 256 names"
expect_contains "$(jqb .description)" "at most 256" "the refusal says the bound"

section "errors"
get /styles/no-such-layer
expect_json_error 404 "unknown layer"
get /styles/cm-district-population
expect_json_error 404 "attribute table"
get "/styles?f=json&lang=xx"
expect_json_error 400 "no Thai or English"
get "/styles?f=html"
expect_status 400 "no HTML form"
expect_match "$(header Content-Type)" '^text/html' "no HTML form: a browser gets the error as a page"
get "/styles?bbox=1,2,3,4"
expect_json_error 400 "unknown parameter"

serve_stop "styles server"
