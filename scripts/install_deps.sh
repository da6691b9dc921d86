#!/usr/bin/env bash
# install_deps.sh [PACKAGE...] - the one list of Debian packages cityatlas needs to build,
# run and test. Installs only what is missing, so a second run is quick and offline-friendly.
# With arguments, installs those packages instead (the same way; install_bench_deps.sh uses
# it for the benchmark's peers).
set -euo pipefail

packages=(
    build-essential cmake pkg-config
    libgdal-dev gdal-bin libproj-dev proj-bin
    libspatialite-dev libgeos-dev libsqlite3-mod-spatialite libsqlite3-dev sqlite3
    libmicrohttpd-dev libjansson-dev zlib1g-dev libisal-dev
    libcmocka-dev nettle-dev libzip-dev libicu-dev python3
    libcairo2-dev libpango1.0-dev libqrencode-dev libxlsxwriter-dev fonts-thai-tlwg fonts-noto-core poppler-utils
    curl jq zip unzip file valgrind clang-format time chromium
    libutf8proc-dev python3-owslib python3-qgis qgis-providers
    libprotobuf-c-dev protobuf-c-compiler
)

if (($# > 0)); then
    packages=("$@")
fi

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$p")
    fi
done

if ((${#missing[@]} == 0)); then
    echo "install_deps: all ${#packages[@]} packages already installed"
    exit 0
fi

echo "install_deps: installing ${missing[*]}"
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then
    sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get -o DPkg::Lock::Timeout=600 update -q
"${sudo_cmd[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "${missing[@]}"
