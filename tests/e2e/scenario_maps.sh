#!/usr/bin/env bash
# scenario_maps.sh BINARY - the exported maps over HTTP on the bundled data and scenarios,
# checked as a reader's tools would: for every bundled scenario an A3 landscape PDF poster
# of 1191x842 points with its Thai title as text, the city (its profile) in the footer, a
# Thai font embedded and the OpenStreetMap credit, an A4 portrait PDF, an A4 PNG at 100
# dpi of 1169x827 pixels with many colours, an SVG, share images of the three sizes exactly, a GeoPackage whose layers,
# sketch count and scenario table ogrinfo reads; comparisons of 2 and 4 scenarios with each
# title; a featured statistic's share image; the HTML pages' Open Graph image fetched at the
# size they declare; ETag and 304; bad parameters 400 naming them; unknown ids 404.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/e2e/serve_lib.sh
source "$REPO/tests/e2e/serve_lib.sh"
# shellcheck source=tests/e2e/maps_lib.sh
source "$REPO/tests/e2e/maps_lib.sh"

DB=$E2E_TMP/city.sqlite
SCN=$REPO/datasets/scenarios.json
export CITYATLAS_LOG=warning
serve_bundled_db "$DB"
mapfile -t IDS < <(jq -r '.scenarios[].id' "$SCN")
expect_int -ge "${#IDS[@]}" 4 "bundled scenarios"
serve_start "$DB"

title_of() { jq -r --arg id "$1" --arg l "$2" '.scenarios[] | select(.id == $id) | .title[$l]' "$SCN"; }
save() { cp "$HTTP_BODY" "$E2E_TMP/$1"; }
# The text of a PDF with spaces and line ends dropped: a long title wraps (pango breaks Thai
# between words), and the check is that every character is there in order.
pdf_text() { pdftotext "$1" - | tr -d ' \n'; }
squeeze() { tr -d ' \n' <<<"$1"; }

for id in "${IDS[@]}"; do
    section "$id"
    get "/scenarios/$id/map.pdf"
    expect_status 200 "$id map.pdf"
    expect_eq "$(header Content-Type)" "application/pdf" "$id map.pdf: type"
    expect_eq "$(header Content-Disposition)" "inline; filename=\"$id-A3.pdf\"" "$id map.pdf: file name"
    save "$id.pdf"
    expect_eq "$(pdf_page_size "$E2E_TMP/$id.pdf")" "1191x842" "$id: A3 landscape page"
    TEXT=$(pdf_text "$E2E_TMP/$id.pdf")
    expect_contains "$TEXT" "$(squeeze "$(title_of "$id" th)")" "$id: the Thai title is text"
    expect_contains "$TEXT" "OpenStreetMap" "$id: the OpenStreetMap credit"
    expect_contains "$TEXT" "$(squeeze "$(jq -r .city.title.th "$REPO/datasets/catalog.json") ·")" \
        "$id: the footer names the city (its profile)"
    expect_ne "$(pdf_thai_font "$E2E_TMP/$id.pdf")" "" "$id: a Thai font is embedded"
    get "/scenarios/$id/map.pdf?paper=A4&orientation=portrait&lang=en"
    expect_status 200 "$id A4 portrait"
    save "$id-a4.pdf"
    expect_eq "$(pdf_page_size "$E2E_TMP/$id-a4.pdf")" "595x842" "$id: A4 portrait page"
    expect_contains "$(pdf_text "$E2E_TMP/$id-a4.pdf")" "$(squeeze "$(title_of "$id" en)")" "$id: English title"
    get "/scenarios/$id/map.png?paper=A4&dpi=100"
    expect_status 200 "$id map.png"
    expect_eq "$(header Content-Type)" "image/png" "$id map.png: type"
    save "$id.png"
    read -r W H COLOURS < <(png_info "$E2E_TMP/$id.png")
    expect_eq "${W}x$H" "1169x827" "$id: A4 landscape at 100 dpi"
    expect_int -gt "$COLOURS" 20 "$id: colours of the poster (not blank)"
    get "/scenarios/$id/map.svg"
    expect_status 200 "$id map.svg"
    expect_eq "$(header Content-Type)" "image/svg+xml" "$id map.svg: type"
    expect_contains "$(head -c 600 "$HTTP_BODY")" "<svg" "$id: the SVG's element"
    for size in 1200x630 1080x1080 1080x1350; do
        get "/scenarios/$id/share.png?size=$size"
        expect_status 200 "$id share $size"
        save "$id-$size.png"
        read -r W H COLOURS < <(png_info "$E2E_TMP/$id-$size.png")
        expect_eq "${W}x$H" "$size" "$id: share image size"
        expect_int -gt "$COLOURS" 20 "$id: share image colours"
    done
    get "/scenarios/$id.gpkg"
    expect_status 200 "$id.gpkg"
    expect_match "$(header Content-Disposition)" "^attachment; filename=\"$id\.gpkg\"" "$id.gpkg: attachment"
    save "$id.gpkg"
    run ogrinfo -so -al "$E2E_TMP/$id.gpkg"
    expect_rc 0 "$id.gpkg opens with ogrinfo"
    for layer in $(jq -r --arg id "$id" '.scenarios[] | select(.id == $id) | .layers[].collection' "$SCN"); do
        expect_contains "$RUN_OUT" "Layer name: $layer"$'\n' "$id.gpkg: layer $layer"
    done
    SK=scenario-$id-sketches
    # A table per shape: together they hold the sketches.
    got=$(awk -v sk="$SK" '/^Layer name: / { f = ($3 == sk "-points" || $3 == sk "-lines" || $3 == sk "-polygons") }
        f && /^Feature Count:/ { n += $3 } END { print n + 0 }' <<<"$RUN_OUT")
    get "/collections/$SK/items?limit=1"
    expect_eq "$got" "$(jqb .numberMatched)" "$id.gpkg: the sketches, as many as /collections serves"
    expect_contains "$RUN_OUT" "Layer name: scenario"$'\n' "$id.gpkg: the scenario table"
done

section "Thai title drawn, not boxes"
# The same share image in Thai and in English differs where the title is (the left panel's
# upper part); and the Thai title is text in a Thai font in the PDFs above.
get "/scenarios/${IDS[0]}/share.png?lang=en"
save en.png
cmp -s "$E2E_TMP/en.png" "$E2E_TMP/${IDS[0]}-1200x630.png" && fail "the Thai and English share images are the same file"
ok

section "a sketch line is stroked, never filled"
# A V-shaped line in a scenario of its own: with the sketch layer's fill style (for its
# areas) a renderer that filled every path would tint the inside of the V.
TOKEN=$("$BIN" token create --db "$DB" --name maps-test 2>/dev/null)
curl -sS -o /dev/null -w '%{http_code}' -X POST "$BASE/scenarios" -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' --data '{"id": "v-line", "title": {"th": "เส้น", "en": "Line"},
     "narrative": {"th": "ทดสอบ", "en": "test"}, "extent": [98.97, 18.77, 99.01, 18.81], "layers": []}' \
    >"$E2E_TMP/code" && expect_eq "$(cat "$E2E_TMP/code")" 201 "the line's scenario is created"
curl -sS -o /dev/null -w '%{http_code}' -X POST "$BASE/scenarios/v-line/sketches" \
    -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/geo+json' \
    --data '{"type": "Feature", "properties": {"kind": "proposal"}, "geometry": {"type": "LineString",
     "coordinates": [[98.972, 18.772], [98.99, 18.808], [99.008, 18.772]]}}' >"$E2E_TMP/code" &&
    expect_eq "$(cat "$E2E_TMP/code")" 201 "the V-shaped line is added"
curl -sS -o "$E2E_TMP/v.png" "$BASE/scenarios/v-line/map.png?layout=map&width=400&height=400"
# Inside the V (its centroid), in a corner (background), and on the line's apex.
mapfile -t v < <(png_info "$E2E_TMP/v.png" 200 260 5 5 200 22)
expect_eq "${v[0]}" "400 400 $(echo "${v[0]}" | cut -d' ' -f3)" "the map alone is 400x400"
expect_eq "${v[1]}" "${v[2]}" "inside the V is background, as in the corner"
expect_ne "${v[3]}" "${v[2]}" "the line itself is drawn (near its apex)"

section "comparisons"
get "/scenarios/compare.pdf?ids=${IDS[0]},${IDS[1]}"
expect_status 200 "compare 2"
save c2.pdf
T=$(pdf_text "$E2E_TMP/c2.pdf")
for id in "${IDS[0]}" "${IDS[1]}"; do
    expect_contains "$T" "$(squeeze "$(title_of "$id" th)")" "compare 2: title of $id"
done
ALL=$(IFS=,; echo "${IDS[*]:0:4}")
get "/scenarios/compare.pdf?ids=$ALL&paper=A1"
expect_status 200 "compare 4"
save c4.pdf
expect_eq "$(pdf_page_size "$E2E_TMP/c4.pdf")" "2384x1684" "compare 4: A1 landscape"
T=$(pdf_text "$E2E_TMP/c4.pdf")
for id in "${IDS[@]:0:4}"; do
    expect_contains "$T" "$(squeeze "$(title_of "$id" th)")" "compare 4: title of $id"
done
get "/scenarios/compare.png?ids=$ALL&width=1600&height=900"
expect_status 200 "compare png"
save c.png
read -r W H COLOURS < <(png_info "$E2E_TMP/c.png")
expect_eq "${W}x$H" "1600x900" "compare png size"

section "featured statistic"
get /stats/featured
FID=$(jqb '.statistics[0].id')
get "/stats/featured/$FID/share.png"
expect_status 200 "featured share"
save f.png
read -r W H COLOURS < <(png_info "$E2E_TMP/f.png")
expect_eq "${W}x$H" "1200x630" "featured share size"
expect_int -gt "$COLOURS" 20 "featured share colours"

section "share pages"
check_page() { # PATH WHAT: the page's og:image is a PNG of the declared size
    get "$1" -H 'Accept: text/html,application/xhtml+xml'
    expect_status 200 "$2 page"
    expect_match "$(header Content-Type)" "^text/html" "$2 page: type"
    local html img w h
    html=$(body)
    for tag in og:title og:description og:url og:type twitter:card; do
        expect_match "$html" "<meta (property|name)=\"$tag\" content=\"[^\"]+\">" "$2 page: $tag"
    done
    expect_contains "$html" '"twitter:card" content="summary_large_image"' "$2 page: card type"
    img=$(grep -o '<meta property="og:image" content="[^"]*"' <<<"$html" | sed 's/.*content="//; s/"$//; s/&amp;/\&/g')
    w=$(grep -o '"og:image:width" content="[0-9]*"' <<<"$html" | grep -o '[0-9]*"$' | tr -d '"')
    h=$(grep -o '"og:image:height" content="[0-9]*"' <<<"$html" | grep -o '[0-9]*"$' | tr -d '"')
    expect_match "$img" "^$BASE/" "$2 page: og:image is an absolute URL"
    expect_contains "$html" "/map/#" "$2 page: the link into the map"
    get "$img"
    expect_status 200 "$2 og:image"
    expect_eq "$(header Content-Type)" "image/png" "$2 og:image: type"
    save og.png
    read -r W H COLOURS < <(png_info "$E2E_TMP/og.png")
    expect_eq "${W}x$H" "${w}x$h" "$2 og:image: the declared size"
}
check_page "/scenarios/${IDS[0]}" "scenario"
check_page "/stats/featured/$FID?f=html" "featured statistic"
get "/scenarios/${IDS[0]}"
expect_match "$(header Content-Type)" "^application/json" "without Accept: still the JSON document"

section "caching"
get "/scenarios/${IDS[0]}/share.png"
ETAG=$(header ETag)
expect_match "$ETAG" '^W/"' "share image: weak ETag"
get "/scenarios/${IDS[0]}/share.png" -H "If-None-Match: $ETAG"
expect_status 304 "share image revalidated"

section "refusals"
for q in "paper=B4" "orientation=sideways" "dpi=5000" "dpi=abc" "width=500" "width=0&height=10" \
    "paper=A4&width=10&height=10" "lang=fr" "colour=red"; do
    get "/scenarios/${IDS[0]}/map.png?$q"
    expect_json_error 400 "map.png?$q"
    expect_contains "$(jqb .description)" "${q%%=*}" "map.png?$q: names the parameter"
done
get "/scenarios/${IDS[0]}/map.pdf?dpi=300"
expect_json_error 400 "dpi on a PDF"
get "/scenarios/${IDS[0]}/share.png?size=100x100"
expect_json_error 400 "share size"
for q in "ids=${IDS[0]}" "ids=${IDS[0]},${IDS[0]}" "ids=a,b,c,d,e" "ids=${IDS[0]},no-such" ""; do
    get "/scenarios/compare.pdf?$q"
    expect_json_error 400 "compare.pdf?$q"
    expect_contains "$(jqb .description)" "ids" "compare.pdf?$q: names ids"
done
for p in /scenarios/no-such/map.pdf /scenarios/no-such/share.png /scenarios/no-such.gpkg \
    /stats/featured/no-such/share.png; do
    get "$p"
    expect_json_error 404 "$p"
done
for p in "/scenarios/no-such?f=html" "/stats/featured/no-such?f=html"; do
    get "$p"
    expect_html_error 404 "$p"
done
expect_serve_alive "after every request"
serve_stop
