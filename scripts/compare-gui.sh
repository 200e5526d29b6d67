#!/usr/bin/env bash
# Compares the GUI's responsiveness of two mrcae-studio binaries in one run: each trains toy1 with the scripted
# measurement (--measure: Train pressed, the Levels tab and the curves on screen, LatencyProbe on the GUI thread)
# under the same virtual X server settings, alternating A, B, A, B, ... so that both see the same machine load.
# Prints every run's probe report, then per binary the median worst event-loop gap and the median frames per
# second of the level views, and the ratios B / A.
#   usage: scripts/compare-gui.sh BEFORE_BINARY AFTER_BINARY [rounds=3] [seconds=25]
set -euo pipefail
before=$1
after=$2
rounds=${3:-3}
seconds=${4:-25}
args=(--measure "$seconds" --steps 300,200,100 --threads 1)
log=$(mktemp -d)
for ((r = 1; r <= rounds; ++r)); do
  for side in before after; do
    bin=$before
    [[ $side == after ]] && bin=$after
    XDG_RUNTIME_DIR=$(mktemp -d) xvfb-run -a -s '-screen 0 1280x800x24' "$bin" "${args[@]}" >"$log/$side-$r.txt" 2>&1 || true
    echo "$side round $r: $(grep -m1 'event loop:' "$log/$side-$r.txt" || echo 'no report')"
  done
done
python3 - "$log" "$rounds" <<'PY'
import re, statistics, sys
folder, rounds = sys.argv[1], int(sys.argv[2])
def read(side):
    worst, fps = [], []
    for r in range(1, rounds + 1):
        text = open(f"{folder}/{side}-{r}.txt").read()
        w = re.search(r"worst ([0-9.]+) ms;", text)
        f = re.search(r"levelGrid ([0-9.]+)", text)
        if w and f:
            worst.append(float(w.group(1)))
            fps.append(float(f.group(1)))
    return worst, fps
bw, bf = read("before")
aw, af = read("after")
if not bw or not aw:
    sys.exit("no usable reports")
mb, ma = statistics.median(bw), statistics.median(aw)
fb, fa = statistics.median(bf), statistics.median(af)
print(f"before: worst gap median {mb:.1f} ms {bw}, level views {fb:.2f} frames/s {bf}")
print(f"after:  worst gap median {ma:.1f} ms {aw}, level views {fa:.2f} frames/s {af}")
print(f"ratios after/before: worst gap {ma / mb:.2f}, level-view frames/s {fa / fb:.2f}")
PY
