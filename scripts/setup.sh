#!/usr/bin/env bash
# Installs what is missing (Debian 12 packages, no recommends), then configures and builds MrCAE Studio.
# Usage: bash scripts/setup.sh [extra cmake options]
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(build-essential cmake ninja-build ccache pkg-config clang-format
          libtorch-dev libgloo-dev libopenblas0-pthread libhdf5-dev libnetcdf-dev libzfp-dev
          qt6-base-dev libqt6opengl6-dev qt6-svg-dev libvtk9-dev nlohmann-json3-dev libcli11-dev
          xvfb xauth python3-h5py locales-all
          libncarg-data ferret-datasets)   # real NetCDF files for the import tests
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# ccache keys on paths below the checkout relative to it, so fresh clones reuse the cache.
export CCACHE_BASEDIR="$PWD"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER_LAUNCHER=ccache "$@" >/dev/null
# -j2: LibTorch translation units take about 1.2 GB of compiler memory each.
cmake --build build -j2
