#!/usr/bin/env bash
# install_bench_deps.sh - the Debian packages scripts/bench_serve.sh needs beside
# the build dependencies (scripts/install_deps.sh): wrk as the load generator and
# the peers, MapServer's CGI and QGIS Server's FastCGI program run under spawn-fcgi
# behind nginx (QGIS's project is written with python3-qgis, in install_deps.sh); PostGIS
# for scripts/bench_tiles.sh's ST_AsMVT and scripts/bench_peers.sh (a private cluster the
# script starts).
# Installs only what is missing, through install_deps.sh, so a second run is quick
# and works offline. Exit 0 when everything is installed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

packages=(
    wrk cgi-mapserver spawn-fcgi nginx-light
    gdal-bin sqlite3 libsqlite3-mod-spatialite curl time procps python3
    postgresql-15-postgis-3 postgresql-client-15 qgis-server
)

sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then
    sudo_cmd=(sudo)
fi
# the packaged nginx service must not start on install: the benchmark runs its
# own unprivileged instance on a free port (policy-rc.d 101 = "do not start")
policy=/usr/sbin/policy-rc.d
made_policy=0
if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' | "${sudo_cmd[@]}" tee "$policy" >/dev/null
    "${sudo_cmd[@]}" chmod 755 "$policy"
    made_policy=1
fi
status=0
bash "$root/scripts/install_deps.sh" "${packages[@]}" || status=$?
if ((made_policy)); then
    "${sudo_cmd[@]}" rm -f "$policy"
fi
exit "$status"
