#!/usr/bin/env bash
# Installs the Debian packages regelwerk builds with. Idempotent: apt runs only when something is missing.
set -euo pipefail
packages=(g++ cmake ninja-build pkg-config libpq-dev postgresql antlr4 libantlr4-runtime-dev libfmt-dev catch2 llvm-19-dev libzstd-dev nlohmann-json3-dev libz3-dev tzdata
          python3-dev pybind11-dev python3-numpy python3-pandas python3-dask python3-distributed)
missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi
echo "installing: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo=sudo; fi
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${missing[@]}"
