#!/usr/bin/env bash
# Regenerates sample_data/storm_u.h5: the u wind component of the North-American storm of January 1996 from
# Debian's libncarg-data (NCAR Graphics example data, /usr/share/ncarg/data/cdf/Ustorm.cdf: 64 six-hourly
# snapshots of 33 x 36 on a 1.25 deg latitude x 2.5 deg longitude grid, _FillValue -9999 outside the domain
# of the projection the data came from: 224 cells in the four corners).
#
# Our own importer reads it: the fill cells become invalid cells of the land mask, dt = 6 (hours) comes from
# the evenly spaced `timestep` coordinate, and the centred 31 x 31 block is kept (--crop for 3 levels: rows
# 1..31 of 33, columns 2..32 of 36; 31 = 4*2^3-1 allows L = 1..4).
#
# Usage: bash scripts/sample-data/storm.sh      (MRCAE=path/to/mrcae, default build/bin/mrcae;
#                                                OUT=file.h5, default sample_data/storm_u.h5)
# scripts/setup.sh installs libncarg-data.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
MRCAE="${MRCAE:-$root/build/bin/mrcae}"
OUT="${OUT:-$root/sample_data/storm_u.h5}"
IN=/usr/share/ncarg/data/cdf/Ustorm.cdf
[ -f "$IN" ] || { echo "storm: $IN is missing (apt-get install libncarg-data)" >&2; exit 2; }
[ -x "$MRCAE" ] || { echo "storm: $MRCAE not built (bash scripts/setup.sh, or set MRCAE=...)" >&2; exit 2; }
"$MRCAE" import "$IN" --var u --crop --levels 3 -o "$OUT"
"$MRCAE" info "$OUT"
ls -l "$OUT"
