#!/usr/bin/env bash
# format.sh [--check] - applies (or, with --check, verifies) clang-format on all C code.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
mapfile -t files < <(git ls-files '*.c' '*.h')
if ((${#files[@]} == 0)); then
    exit 0
fi
if [[ ${1:-} == --check ]]; then
    clang-format --dry-run --Werror "${files[@]}"
    echo "format: ${#files[@]} files are clang-formatted"
else
    clang-format -i "${files[@]}"
fi
