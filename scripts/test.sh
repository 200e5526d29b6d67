#!/usr/bin/env bash
# Builds (installing what is missing) and runs every test twice: under LC_ALL=C, then under LC_ALL=de_DE.UTF-8,
# where the C library writes and reads "0,5" (files and machine output must not change; locales-all provides
# the locale). Extra arguments go to both ctest runs. GUI tests start their own Xvfb when no display is set.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"
if ! locale -a | grep -ix 'de_DE.utf8' >/dev/null; then
  echo "test: the de_DE.UTF-8 locale is missing (Debian: apt-get install locales-all)" >&2
  exit 1
fi
failed=0
for locale in C de_DE.UTF-8; do
  echo "test: every test under LC_ALL=$locale"
  LC_ALL=$locale ctest --test-dir build --output-on-failure -j2 "$@" || failed=1
done
exit $failed
