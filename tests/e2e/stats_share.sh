#!/usr/bin/env bash
# stats_share.sh BINARY - numbers people can trust at a glance (issue 17), on both bundled
# cities: every featured statistic's share image, read back from its PDF form with
# pdftotext, shows its headline, unit, class ranges, caveat, data year, the computed date
# (Buddhist era in Thai) and "© OpenStreetMap contributors", in Thai and English, as the
# statistic's JSON states them; a per-capita statistic whose districts partly lack a
# population (a featured statistic added in a test catalog) headlines its highest and
# lowest districts, never the raw count, lists and draws the others as "no data" and gives
# their rows a reason instead of a 0; a share image of any /stats query; the share page
# fetched as Facebook's crawler is HTML with Open Graph tags and a caption; /stats/featured
# in a browser is a gallery; CSV starts with a UTF-8 byte order mark; f=xlsx is a workbook
# whose sheets hold the rows and the caption.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/e2e/serve_lib.sh
source "$(dirname "$0")/serve_lib.sh"

export CITYATLAS_LOG=warning
# pdftotext breaks lines (and sometimes Thai words) where the image wraps them, and may
# put a Thai vowel or tone mark after the letter after it (แม่ริม as แม่รมิ): texts are
# compared without white space, hyphens (a line broken at one loses it) and Thai
# combining marks.
squash() { perl -CSD -pe 's/[-\s\x{0E31}\x{0E34}-\x{0E3A}\x{0E47}-\x{0E4E}]//g'; }

# check_featured_images CATALOG: every featured statistic of the database being served, in
# Thai and English by turns (both languages for every statistic would double the time).
check_featured_images() {
    local ids id lang text pdf year i=0
    ids=$(jq -r '.statistics[].id' "$1")
    [[ -n $ids ]] || fail "$1 has no featured statistics"
    year=$(date -u +%Y)
    for id in $ids; do
        i=$((i + 1))
        for lang in $( ((i % 2)) && echo th || echo en); do
            get "/stats/featured/$id?lang=$lang"
            expect_status 200 "$id JSON"
            jq ".headline.text.$lang, (.headline.unit // {} | .$lang // empty),
                .caveat.$lang, .years.text.$lang, (.classes.labels // [] | .[].$lang)" -r \
                "$HTTP_BODY" >"$E2E_TMP/want"
            expect_eq "$(jqb '.credit.en | contains("© OpenStreetMap contributors")')" true \
                "$id: the credit line names OpenStreetMap's contributors (OSM data)"
            get "/stats/featured/$id/share.pdf?lang=$lang"
            expect_status 200 "$id share.pdf ($lang)"
            expect_eq "$(header Content-Type)" "application/pdf" "$id share.pdf type"
            pdf=$(pdftotext "$HTTP_BODY" - | squash)
            while IFS= read -r text; do
                [[ -n $text && $text != null ]] || continue
                expect_contains "$pdf" "$(squash <<<"$text")" "$id ($lang) image shows '$text'"
            done <"$E2E_TMP/want"
            expect_contains "$pdf" "©OpenStreetMapcontributors" "$id ($lang): OSM credit"
            if [[ $lang == th ]]; then
                expect_contains "$pdf" "พ.ศ.$((year + 543))" "$id: computed date in the Buddhist era"
            else
                expect_contains "$pdf" "computed" "$id: computed date"
                expect_contains "$pdf" "$year" "$id: computed year"
            fi
            expect_contains "$pdf" "$(squash <<<"/stats/featured/$id")" "$id ($lang): the link"
        done
    done
}

section "Chiang Mai: a test catalog with a per-capita statistic over districts partly without population"
CAT_DIR=$E2E_TMP/catalog
mkdir -p "$CAT_DIR"
# A copy (4 MB without Hat Yai): a catalog's paths must stay inside its folder.
for f in "$REPO"/datasets/*; do
    [[ $(basename "$f") == hatyai ]] || cp -r "$f" "$CAT_DIR/"
done
PER_CAPITA=hospitals-per-capita-by-district
jq --arg id "$PER_CAPITA" '.statistics += [{
    id: $id,
    title: {en: "Hospitals per 10,000 residents by district", th: "โรงพยาบาลต่อประชากร 10,000 คน รายอำเภอ"},
    question: {en: "How many hospitals per 10,000 people?", th: "โรงพยาบาลกี่แห่งต่อประชากร 10,000 คน"},
    note: {en: "Test statistic. Three districts have no population figure.", th: "สถิติทดสอบ"},
    query: {layer: "cm-cbd-pois", category: "hospital", by: "cm-districts",
            population: "population", "population-from": "cm-district-population",
            join: "ADM2_PCODE:adm2_pcode", per: 10000}}]' \
    "$REPO/datasets/catalog.json" >"$CAT_DIR/catalog.json"
DB=$E2E_TMP/cm.sqlite
run "$BIN" import --quiet --db "$DB" --catalog "$CAT_DIR/catalog.json"
expect_rc 0 "import of the test catalog"
serve_start "$DB"

get "/stats/featured/$PER_CAPITA"
expect_status 200 "per-capita statistic"
NO_DATA=$(jqb '[.rows[] | select(.no_data_reason != null)] | length')
expect_eq "$NO_DATA" "$(jqb .population.areas_without_figure)" \
    "every district without a population figure has a reason (no data)"
expect_ne "$NO_DATA" 0 "some districts have no population figure"
expect_eq "$(jqb '[.rows[] | select(.no_data_reason != null) | .per_capita] | unique | tostring')" \
    "[null]" "no-data rows have no per-capita value (never 0)"
expect_eq "$(jqb '.rows[] | select(.no_data_reason != null) | .no_data_reason.th' | sort -u)" \
    "ไม่มีข้อมูลประชากรของพื้นที่นี้ จึงคำนวณต่อประชากรไม่ได้" "the reason in Thai"
expect_eq "$(jqb .headline.value)" null "no city-wide per-capita value: no headline number"
expect_match "$(jqb .headline.text.en)" "^Highest: .* per 10,000 residents · lowest: " \
    "the headline names the highest and lowest districts"
RAW=$(jqb .total.n)
NO_DATA_NAMES=$(jqb '.rows[] | select(.no_data_reason != null) | .area_name')
get "/stats/featured/$PER_CAPITA/share.pdf?lang=en"
expect_status 200 "per-capita share.pdf"
PDF=$(pdftotext "$HTTP_BODY" - | squash)
expect_contains "$PDF" "Nodata(${NO_DATA}areas)" "the key has a hatched no-data class"
while IFS= read -r name; do
    expect_contains "$PDF" "$(squash <<<"$name")" "no-data district '$name' is listed"
done <<<"$NO_DATA_NAMES"
expect_contains "$PDF" "Highest:" "the image's headline names the highest district"
first=$(pdftotext "$HTTP_BODY" - | grep -v '^\s*$' | head -1)
expect_ne "$(squash <<<"$first")" "$RAW" "the raw count ($RAW) is not the headline"
expect_not_contains "$first" "$RAW features" "the raw count is not the headline"
get "/stats/featured/$PER_CAPITA/share.pdf?lang=th"
expect_contains "$(pdftotext "$HTTP_BODY" - | squash)" "$(squash <<<"ไม่มีข้อมูล(${NO_DATA}พื้นที่)")" \
    "the Thai key says ไม่มีข้อมูล"

section "Chiang Mai: every featured statistic's image explains itself (PDF text)"
check_featured_images "$CAT_DIR/catalog.json"

section "a share image of any /stats query, in its three forms"
Q="layer=cm-cbd-pois&category=school&by=cm-districts&classify-column=per_km2"
get "/stats?$Q"
expect_eq "$(jqb '.links[] | select(.rel == "preview") | .type')" "image/png" "JSON links its image"
PREVIEW=$(jqb '.links[] | select(.rel == "preview") | .href')
get "$PREVIEW"
expect_status 200 "the preview link"
expect_eq "$(header Content-Type)" "image/png" "preview is a PNG"
get "/stats/share.svg?$Q&size=1080x1080"
expect_status 200 "share.svg"
expect_eq "$(header Content-Type)" "image/svg+xml" "SVG type"
get "/stats/share.pdf?$Q&lang=en"
PDF=$(pdftotext "$HTTP_BODY" - | squash)
expect_contains "$PDF" "perkm²" "the unit of the classes"
expect_contains "$PDF" "©OpenStreetMapcontributors" "OSM credit on a query's image"
get "/stats/share.png?layer=cm-cbd-pois&size=10x10"
expect_json_error 400 "a bad size"
get "/stats/share.png?layer=cm-cbd-pois"
expect_json_error 400 "a statistic without areas has no map"
get "/stats/featured/nope/share.svg"
expect_json_error 404 "an unknown featured statistic"

section "share page: HTML for Facebook's crawler and browsers, JSON when asked"
ID=hospital-distance-by-district
get "/stats/featured/$ID" -A 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)' \
    -H 'Accept: */*'
expect_status 200 "crawler"
expect_match "$(header Content-Type)" "^text/html" "the crawler gets HTML"
for tag in og:title og:image og:url og:site_name og:description; do
    expect_contains "$(body)" "property=\"$tag\"" "Open Graph tag $tag"
done
expect_contains "$(body)" 'id="caption-0"' "a ready-to-post caption"
expect_contains "$(body)" "© OpenStreetMap contributors" "the sources credit OSM"
get "/stats/featured/$ID" -H 'Accept: text/html,application/xhtml+xml'
expect_match "$(header Content-Type)" "^text/html" "a browser gets HTML"
get "/stats/featured/$ID" -A 'facebookexternalhit/1.1' -H 'Accept: application/json'
expect_eq "$(header Content-Type)" "application/json" "JSON when the crawler names it"
get "/stats/featured/$ID"
expect_eq "$(header Content-Type)" "application/json" "curl (Accept */*) still gets JSON"

section "the featured statistics as a gallery"
get "/stats/featured" -H 'Accept: text/html'
expect_status 200 "gallery"
expect_match "$(header Content-Type)" "^text/html" "gallery is HTML"
N=$(jq '.statistics | length' "$CAT_DIR/catalog.json")
expect_eq "$(grep -o '<figure>' "$HTTP_BODY" | wc -l)" "$N" "one figure per featured statistic"
expect_eq "$(grep -o 'data-copy="caption-' "$HTTP_BODY" | wc -l)" "$N" "a copy button per caption"
get "/stats/featured?f=html&lang=en"
expect_contains "$(body)" "Featured statistics" "English gallery"
get "/stats/featured"
expect_eq "$(header Content-Type)" "application/json" "the list stays JSON for programs"

section "CSV starts with a byte order mark; XLSX opens"
get "/stats/featured/$PER_CAPITA?f=csv"
expect_eq "$(head -c 3 "$HTTP_BODY" | od -An -tx1 | tr -d ' ')" "efbbbf" "stats CSV BOM"
get "/collections/cm-districts/items?f=csv&limit=2"
expect_eq "$(head -c 3 "$HTTP_BODY" | od -An -tx1 | tr -d ' ')" "efbbbf" "items CSV BOM"
get "/stats/featured/$PER_CAPITA?f=xlsx&lang=th"
expect_status 200 "xlsx"
expect_eq "$(header Content-Type)" \
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" "xlsx type"
cp "$HTTP_BODY" "$E2E_TMP/stat.xlsx"
cat >"$E2E_TMP/xlsx.py" <<'PY'
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
names = z.namelist()
assert "xl/worksheets/sheet1.xml" in names and "xl/worksheets/sheet2.xml" in names, names
strings = z.read("xl/sharedStrings.xml").decode()
sheet = z.read("xl/worksheets/sheet1.xml").decode()
print("rows", sheet.count("<row "))
for word in ("area_name", "per_capita", "เมืองเชียงใหม่", "ที่มา", "OpenStreetMap"):
    print(word, word in strings)
PY
run python3 "$E2E_TMP/xlsx.py" "$E2E_TMP/stat.xlsx"
expect_rc 0 "the workbook opens as a zip of sheets"
expect_contains "$RUN_OUT" "rows 27" "header + 25 districts + total"
expect_not_contains "$RUN_OUT" "False" "names, columns and the caption are in the workbook"
serve_stop

section "Hat Yai: every featured statistic's image explains itself (PDF text)"
DB=$E2E_TMP/hatyai.sqlite
run "$BIN" import --quiet --db "$DB" --catalog "$REPO/datasets/hatyai/catalog.json"
expect_rc 0 "import of the Hat Yai catalog"
serve_start "$DB"
check_featured_images "$REPO/datasets/hatyai/catalog.json"
serve_stop


