#!/usr/bin/env bash
# Builds (installing what is missing) and runs every test. GUI tests start their own Xvfb when no display is set.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"
ctest --test-dir build --output-on-failure -j2 "$@"
