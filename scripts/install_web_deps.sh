#!/usr/bin/env bash
# install_web_deps.sh [--dev] - installs the web map's libraries (web/package-lock.json)
# into web/node_modules with `npm ci`, which `cityatlas serve` then serves at /map: the
# browser never fetches anything from another host. Production dependencies only, unless
# --dev (the browser tests' playwright-core). Runs only when web/node_modules is missing,
# older than the lock file, or was installed without the dev dependencies --dev asks for;
# otherwise it installs nothing. Then bundles the map (scripts/build_web.sh: web/dist/,
# rewritten only where the sources changed). Installs Debian's nodejs and npm through install_deps.sh
# when npm is missing. Browsers are never downloaded: the tests use /usr/bin/chromium.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
web=$root/web

want_dev=false
case ${1:-} in
--dev) want_dev=true ;;
"") ;;
*)
    echo "usage: install_web_deps.sh [--dev]" >&2
    exit 2
    ;;
esac

modules=$web/node_modules
# npm ci rewrites node_modules/.package-lock.json, so its age says when it last ran.
stamp=$modules/.package-lock.json
is_current() {
    [[ -f $stamp && ! $web/package-lock.json -nt $stamp ]] || return 1
    ! $want_dev || [[ -d $modules/playwright-core ]]
}
if is_current; then
    exec bash "$root/scripts/build_web.sh"
fi

if ! command -v npm >/dev/null 2>&1; then
    bash "$root/scripts/install_deps.sh" nodejs npm
fi

omit=(--omit=dev)
if $want_dev; then
    omit=()
fi
echo "install_web_deps: npm ci ${omit[*]} in web/"
# No install scripts (none of these packages needs one), no browser downloads, no audit
# or funding calls: only the packages named in the lock file are fetched.
(cd "$web" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci "${omit[@]}" --ignore-scripts \
    --no-audit --no-fund --loglevel=error)
touch "$stamp"
exec bash "$root/scripts/build_web.sh"
