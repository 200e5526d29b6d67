#!/usr/bin/env bash
# Installs what is missing, builds, and starts MrCAE Studio on the bundled toy1 sample.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
[ -f sample_data/toy1.h5 ] || build/bin/mrcae generate toy1 -o sample_data/toy1.h5
if [ -x build/bin/mrcae-studio ]; then
  exec build/bin/mrcae-studio sample_data/toy1.h5 "$@"
fi
# Headless build (-DMRCAE_BUILD_GUI=OFF): train toy1 with the command line instead.
exec build/bin/mrcae train sample_data/toy1.h5 --preset toy1 --steps 200,150,60 -o toy1.mrcae.h5 "$@"
