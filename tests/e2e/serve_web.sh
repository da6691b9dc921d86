#!/usr/bin/env bash
# serve_web.sh BINARY - `cityatlas serve` serving the web map's files at /map/ from
# --web-dir: a copy of web/ (without node_modules) plus a tiny node_modules/leaflet written
# here, so the test needs neither npm nor the network. Checks /map -> 301 /map/, the page
# and a script with their types and Cache-Control, ETag / Last-Modified -> 304, gzip, HEAD
# (no body); traversal and dotfile attempts, a symlink leading out of the root, a folder
# and a NUL all answer 404 JSON without the outside file's content; a web dir without
# node_modules, and none at all, answer 503 JSON naming scripts/install_web_deps.sh (logged
# once at startup) while the API keeps working. Without web/dist/ the unbundled page is
# served; with a bundle (a small one written here) /map/ is dist/index.html, /map/sw.js
# the worker (no-cache) and dist/assets/ are immutable for a year.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/e2e/serve_lib.sh
source "$(dirname "$0")/serve_lib.sh"

DB=$E2E_TMP/city.sqlite
WEB=$E2E_TMP/web
SECRET="outside-the-web-root-$RANDOM$RANDOM"

run "$BIN" import --quiet --db "$DB" --catalog "$REPO/datasets/catalog.json" --id cm-districts
expect_rc 0 "import of the districts"

mkdir -p "$WEB"
(cd "$REPO/web" && tar --exclude=./node_modules --exclude=./dist -cf - .) | tar -xf - -C "$WEB"
mkdir -p "$WEB/node_modules/leaflet/dist"
# Large enough to be worth compressing (the server skips bodies under 512 bytes).
{
    echo "/* a stand-in for Leaflet: the test only needs a script to serve */"
    for i in $(seq 1 60); do echo "window.L_filler_$i = function () { return $i; };"; done
} >"$WEB/node_modules/leaflet/dist/leaflet.js"
echo "$SECRET" >"$E2E_TMP/secret.txt"
echo "$SECRET" >"$E2E_TMP/README.md"
ln -s "$E2E_TMP/secret.txt" "$WEB/escape.txt"
ln -s "$E2E_TMP" "$WEB/outside"
echo "$SECRET" >"$WEB/.hidden"
mkdir -p "$WEB/.git"
echo "$SECRET" >"$WEB/.git/config"

serve_start "$DB" --web-dir "$WEB"

section "the page and its scripts"
get /map
expect_status 301 "/map"
expect_eq "$(header Location)" "$BASE/map/" "Location of /map"
get /map/
expect_status 200 "/map/"
expect_eq "$(header Content-Type)" "text/html; charset=utf-8" "Content-Type of /map/"
expect_eq "$(header Cache-Control)" "no-cache" "Cache-Control of index.html"
expect_eq "$(body)" "$(cat "$REPO/web/index.html")" "/map/ is web/index.html"
expect_contains "$(body)" "cityatlas" "the page names cityatlas"
expect_contains "$(body)" 'src="node_modules/leaflet/dist/leaflet.js"' "the page loads Leaflet from node_modules"
expect_not_contains "$(body)" "http" "the page refers to no other host"
get /map/src/main.js
expect_status 200 "/map/src/main.js"
expect_eq "$(header Content-Type)" "text/javascript; charset=utf-8" "Content-Type of main.js"
expect_eq "$(header Cache-Control)" "public, max-age=3600" "Cache-Control of main.js"
expect_contains "$(body)" "from './api.js'" "main.js imports its modules"
get /map/app.css
expect_eq "$(header Content-Type)" "text/css; charset=utf-8" "Content-Type of app.css"
get /map/node_modules/leaflet/dist/leaflet.js
expect_status 200 "Leaflet from node_modules"
expect_eq "$(header Content-Type)" "text/javascript; charset=utf-8" "Content-Type of leaflet.js"
expect_eq "$(header Content-Length)" "$(stat -c %s "$WEB/node_modules/leaflet/dist/leaflet.js")" "Content-Length of leaflet.js"
cmp -s "$HTTP_BODY" "$WEB/node_modules/leaflet/dist/leaflet.js" || fail "leaflet.js differs from the file"
ok
get /map/sw.js
expect_status 404 "/map/sw.js without a bundle"

section "the bundle: dist/index.html, the worker and hashed files"
mkdir -p "$WEB/dist/assets"
echo '<!doctype html><title>cityatlas bundled</title><script type="module" src="dist/assets/app-T3ST.js"></script>' >"$WEB/dist/index.html"
echo 'self.addEventListener("fetch", () => {});' >"$WEB/dist/sw.js"
echo 'console.log("bundled");' >"$WEB/dist/assets/app-T3ST.js"
get /map/
expect_eq "$(body)" "$(cat "$WEB/dist/index.html")" "/map/ is dist/index.html once built"
expect_eq "$(header Cache-Control)" "no-cache" "Cache-Control of the bundled page"
expect_match "$(header ETag)" '^"[0-9a-f]+-' "ETag of the bundled page"
get /map/index.html
expect_eq "$(body)" "$(cat "$REPO/web/index.html")" "/map/index.html stays the unbundled page"
get /map/dist/assets/app-T3ST.js
expect_status 200 "a hashed file"
expect_eq "$(header Cache-Control)" "public, max-age=31536000, immutable" "Cache-Control of a hashed file"
get /map/sw.js
expect_status 200 "/map/sw.js"
expect_eq "$(body)" "$(cat "$WEB/dist/sw.js")" "/map/sw.js is dist/sw.js"
expect_eq "$(header Content-Type)" "text/javascript; charset=utf-8" "Content-Type of the worker"
expect_eq "$(header Cache-Control)" "no-cache" "Cache-Control of the worker"
rm -r "$WEB/dist"

get "/collections/cm-districts/items?f=json&limit=100"
expect_status 200 "the districts the page fetches"
expect_eq "$(jqb '.features | length')" 25 "districts"

section "ETag, Last-Modified and 304"
get /map/node_modules/leaflet/dist/leaflet.js
etag=$(header ETag)
modified=$(header Last-Modified)
expect_match "$etag" '^"[0-9a-f]+-[0-9a-f]+\.[0-9a-f]+"$' "ETag of a file"
expect_match "$modified" '^[A-Z][a-z]{2}, [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9:]{8} GMT$' "Last-Modified"
get /map/node_modules/leaflet/dist/leaflet.js -H "If-None-Match: $etag"
expect_status 304 "If-None-Match with the file's ETag"
expect_eq "$(stat -c %s "$HTTP_BODY")" 0 "body of the 304"
get /map/node_modules/leaflet/dist/leaflet.js -H "If-Modified-Since: $modified"
expect_status 304 "If-Modified-Since with the file's date"
touch -d '2030-01-01 00:00:00 UTC' "$WEB/node_modules/leaflet/dist/leaflet.js"
get /map/node_modules/leaflet/dist/leaflet.js -H "If-None-Match: $etag"
expect_status 200 "If-None-Match after the file changed"
expect_ne "$(header ETag)" "$etag" "ETag after the file changed"

section "gzip and HEAD"
get /map/node_modules/leaflet/dist/leaflet.js -H 'Accept-Encoding: gzip'
expect_eq "$(header Content-Encoding)" gzip "Content-Encoding of a script"
gunzip -c <"$HTTP_BODY" | cmp -s - "$WEB/node_modules/leaflet/dist/leaflet.js" ||
    fail "the gzipped script does not gunzip to the file"
ok
get /map/src/main.js -I
expect_status 200 "HEAD /map/src/main.js"
# curl -I writes the headers where the body would go: no line of main.js may follow them.
expect_not_contains "$(body)" "import" "HEAD: no body"
expect_eq "$(header Content-Length)" "$(stat -c %s "$WEB/src/main.js")" "Content-Length of HEAD"
expect_eq "$(header Content-Type)" "text/javascript; charset=utf-8" "Content-Type of HEAD"

section "nothing outside the root, no dotfiles, no folders"
# --path-as-is: curl would otherwise remove the dot segments before sending.
for path in /map/../README.md /map/%2e%2e/ /map/%2e%2e/README.md /map/%2E%2E/secret.txt \
    /map/..%2fREADME.md /map/node_modules/../../README.md /map/.git/config /map/.hidden \
    /map/a%00b /map/%00 /map/escape.txt /map/outside/secret.txt /map/outside/README.md \
    /map/node_modules /map/node_modules/ /map/node_modules/leaflet/dist/ \
    '/map/..%5cREADME.md' /map/%5c..%5csecret.txt /map//etc/passwd /map/nope.js; do
    get "$path" --path-as-is
    expect_json_error 404 "$path"
    expect_not_contains "$(body)" "$SECRET" "$path: the body"
    expect_not_contains "$(body)" "$E2E_TMP" "$path: the body names no server folder"
done
get /map/src/main.js -X POST
expect_json_error 405 "POST /map/src/main.js"
expect_serve_alive "after the traversal attempts"
serve_stop "the server with a web dir"
expect_not_contains "$(cat "$SERVE_LOG")" "install_web_deps" "no warning with node_modules present"

section "a web dir without node_modules, and none at all"
rm -rf "$WEB/node_modules"
for dir in "$WEB" "$E2E_TMP/no-such-dir"; do
    serve_start "$DB" --web-dir "$dir"
    expect_eq "$(grep -c 'install_web_deps.sh\|does not exist' "$SERVE_LOG")" 1 "$dir: one startup warning"
    get /map/
    expect_json_error 503 "/map/ with $dir"
    expect_contains "$(jqb .description)" "scripts/install_web_deps.sh" "$dir: the 503 says what to run"
    get /map/src/main.js
    expect_json_error 503 "/map/src/main.js with $dir"
    get /collections/cm-districts
    expect_status 200 "$dir: the API is still served"
    serve_stop "the server with $dir"
    expect_eq "$(grep -c 'install_web_deps.sh\|does not exist' "$SERVE_LOG")" 1 "$dir: still one warning after requests"
done
