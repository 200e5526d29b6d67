#!/usr/bin/env bash
# Regenerates sample_data/cylinder_wake.h5: the vorticity of a von Karman vortex street behind a cylinder at
# Re = 160, computed with Debian's Gerris flow solver, sampled on a uniform 64 x 512 grid, cut to 63 x 511
# (= 2*2^5-1 x 16*2^5-1: L = 1..5 levels) and written in MrCAE Studio's dataset layout by `mrcae import`.
#
# Not part of the build or of CI (the committed file is what tests use). It needs, beyond scripts/setup.sh:
#   apt-get install -y --no-install-recommends gerris libgfs-dev openmpi-bin
# (libgfs-dev because Gerris compiles the case's expressions with gcc at run time) and python3-h5py, which
# setup.sh installs.
#
# Usage: bash scripts/sample-data/cylinder-wake.sh
# Environment (all optional):
#   MRCAE=path/to/mrcae   default build/bin/mrcae
#   WORK=folder           where Gerris runs and writes its text snapshots (about 1.6 MB each); default
#                         /tmp/mrcae-cylinder-wake. A finished simulation in WORK is reused, not run again.
#   NP=2                  MPI processes (1 = serial); the case has 8 boxes, so up to 8
#   BITS=12               values are rounded to multiples of 2^-BITS of the range (0 = keep every bit)
#   OUT=file.h5           default sample_data/cylinder_wake.h5
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
MRCAE="${MRCAE:-$root/build/bin/mrcae}"
WORK="${WORK:-/tmp/mrcae-cylinder-wake}"
NP="${NP:-2}"
BITS="${BITS:-12}"
OUT="${OUT:-$root/sample_data/cylinder_wake.h5}"
PY=/usr/bin/python3 # Debian's interpreter, which has python3-h5py and python3-numpy

for tool in gerris2D mpirun gcc "$PY"; do
  command -v "$tool" >/dev/null || { echo "cylinder-wake: $tool is missing (see the top of $0)" >&2; exit 2; }
done
[ -f /usr/include/gfs.h ] || { echo "cylinder-wake: libgfs-dev is missing (Gerris compiles expressions with it)" >&2; exit 2; }
"$PY" -c 'import h5py, numpy' || { echo "cylinder-wake: $PY lacks h5py/numpy (apt-get install python3-h5py)" >&2; exit 2; }
[ -x "$MRCAE" ] || { echo "cylinder-wake: $MRCAE not built (bash scripts/setup.sh, or set MRCAE=...)" >&2; exit 2; }

# OpenMPI refuses to run as root without these; harmless otherwise.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

mkdir -p "$WORK"
if [ -f "$WORK/finished" ] && cmp -s "$here/cylinder-wake.gfs" "$WORK/case.gfs"; then
  echo "cylinder-wake: reusing the finished simulation in $WORK"
else
  rm -rf "$WORK/snapshots" "$WORK/finished"
  mkdir -p "$WORK/snapshots"
  cp "$here/cylinder-wake.gfs" "$WORK/case.gfs"
  printf '1.0 0.0 0\n3.0 0.0 0\n' > "$WORK/probe.txt" # two points on the wake's axis, 1 and 3 units downstream
  cd "$WORK"
  start=$(date +%s)
  echo "cylinder-wake: running gerris2D on $NP process(es) in $WORK (log: $WORK/gerris.log)"
  if [ "$NP" -gt 1 ]; then
    gerris2D -b "$NP" case.gfs > case-parallel.gfs
    mpirun -np "$NP" gerris2D case-parallel.gfs > gerris.log 2>&1
  else
    gerris2D case.gfs > gerris.log 2>&1
  fi
  end=$(date +%s)
  echo "$((end - start))" > finished
  echo "cylinder-wake: simulation took $((end - start)) s"
  cd "$root"
fi

# Text snapshots -> HDF5 in our layout (raw vorticity, cylinder cells invalid), then `mrcae import` rewrites it
# exactly as the application writes datasets (scaling attributes, chunks of one snapshot, shuffle + gzip 4).
"$PY" "$here/gfs_text_to_h5.py" "$WORK/snapshots" "$WORK/cylinder_wake_raw.h5" --bits "$BITS" \
  --source "gerris2D $(dpkg-query -W -f='${Version}' gerris 2>/dev/null || echo '?') (Debian), scripts/sample-data/cylinder-wake.gfs: Re 160, vorticity"
"$MRCAE" import "$WORK/cylinder_wake_raw.h5" -o "$OUT"
"$MRCAE" info "$OUT"
ls -l "$OUT"
