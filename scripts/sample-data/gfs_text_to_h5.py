#!/usr/bin/python3
"""Gerris text snapshots -> one HDF5 file in MrCAE Studio's dataset layout (DESIGN.md section 4).

Each input file is what `OutputSimulation { ... } { format = text }` writes: a header
"# 1:x 2:y 3:z 4:U 5:V 6:Omega <time>" and one line per leaf cell (cut cells at their fluid centroid; cells
entirely inside a solid are absent). The cells must be those of a uniform grid of `--size` rows x columns of
side `--cell` from `--origin`; each line goes to the grid cell that contains its point. Cells that no line
reaches are invalid (0 in /valid): here, the inside of the cylinder. They must be the same in every snapshot.

The last row (the bottom, y lowest) and the last column (the outflow end) are dropped, so 64 x 512 becomes
63 x 511 = c*2^L-1 on both axes. Rows run from the top of the channel (y highest) down, as images do.

With --bits B > 0 the values are scaled to [0, 1] over the valid cells and rounded to multiples of 2^-B; the
range is kept as original_min / original_max, so readers show the original units, and shuffle + gzip compress
the rounded values well. `mrcae import` then rewrites the file exactly as the application writes datasets.
"""
import argparse
import math
import pathlib
import sys

import h5py
import numpy as np


def read_snapshot(path, variable):
    with open(path) as f:
        header = f.readline().split()
        body = f.read()
    if not header or header[0] != "#":
        sys.exit(f"{path}: no Gerris text header")
    names = [h.split(":", 1)[1] for h in header[1:-1]]
    time = float(header[-1])
    if variable not in names:
        sys.exit(f"{path}: no column {variable} (columns: {', '.join(names)})")
    table = np.array(body.split(), dtype=np.float64).reshape(-1, len(names))
    return time, table[:, names.index("x")], table[:, names.index("y")], table[:, names.index(variable)]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("folder", help="folder of Gerris text snapshots (*.txt)")
    p.add_argument("output", help="HDF5 file to write")
    p.add_argument("--variable", default="Omega", help="column to take (default Omega)")
    p.add_argument("--name", default="vorticity", help="field name: /fields/<name> (default vorticity)")
    p.add_argument("--units", default="U/H", help="units attribute (default U/H: inflow speed / channel height)")
    p.add_argument("--origin", type=float, nargs=2, default=[-0.5, -0.5], metavar=("X0", "Y0"))
    p.add_argument("--cell", type=float, default=1.0 / 64, help="side of a grid cell (default 1/64)")
    p.add_argument("--size", type=int, nargs=2, default=[64, 512], metavar=("ROWS", "COLUMNS"))
    p.add_argument("--bits", type=int, default=12, help="round to multiples of 2^-bits of the range; 0 = no")
    p.add_argument("--source", default="gerris2D", help="source attribute")
    a = p.parse_args()

    files = sorted(pathlib.Path(a.folder).glob("*.txt"))
    if not files:
        sys.exit(f"{a.folder}: no *.txt snapshots")
    rows, cols = a.size
    x0, y0 = a.origin
    times = []
    frames = np.zeros((len(files), rows, cols), dtype=np.float64)
    filled = None
    for k, path in enumerate(files):
        t, x, y, v = read_snapshot(path, a.variable)
        j = np.floor((x - x0) / a.cell).astype(np.int64)
        i = rows - 1 - np.floor((y - y0) / a.cell).astype(np.int64)
        if j.min() < 0 or j.max() >= cols or i.min() < 0 or i.max() >= rows:
            sys.exit(f"{path}: a point lies outside the {rows} x {cols} grid")
        hits = np.zeros((rows, cols), dtype=np.int64)
        np.add.at(hits, (i, j), 1)
        if hits.max() > 1:
            sys.exit(f"{path}: {int((hits > 1).sum())} grid cells hold more than one Gerris cell "
                     "(the mesh is not the uniform grid of --size and --cell)")
        if filled is None:
            filled = hits == 1
        elif not np.array_equal(filled, hits == 1):
            sys.exit(f"{path}: the cells inside the solid differ from the first snapshot's")
        frames[k][i, j] = v
        times.append(t)
    order = np.argsort(times)
    times = np.asarray(times)[order]
    frames = frames[order]
    steps = np.diff(times)
    dt = float(np.median(steps)) if len(times) > 1 else 1.0
    if len(times) > 1 and np.abs(steps - dt).max() > 1e-6 * max(1.0, dt):
        sys.exit(f"snapshots are not evenly spaced in time (steps from {steps.min()} to {steps.max()})")

    # Drop the last row and column: 64 x 512 -> 63 x 511.
    frames = frames[:, :-1, :-1]
    valid = filled[:-1, :-1]
    values = frames[:, valid]
    vmin, vmax = float(values.min()), float(values.max())
    if a.bits > 0:
        q = float(2 ** a.bits)
        scaled = np.rint((frames - vmin) / (vmax - vmin) * q) / q
        data = np.where(valid[None], scaled, 0.0).astype(np.float32)
    else:
        data = np.where(valid[None], frames, 0.0).astype(np.float32)
    t_count, h, w = data.shape

    with h5py.File(a.output, "w") as f:
        ds = f.create_dataset(f"fields/{a.name}", data=data, chunks=(1, h, w), shuffle=True, compression="gzip",
                              compression_opts=4)
        ds.attrs["units"] = a.units
        ds.attrs["dt"] = dt
        ds.attrs["dx"] = a.cell
        ds.attrs["source"] = f"{a.source}, t = {times[0]:g}..{times[-1]:g}"
        if a.bits > 0:
            ds.attrs["original_min"] = vmin
            ds.attrs["original_max"] = vmax
        f.create_dataset("valid", data=valid.astype(np.uint8))
    print(f"{a.output}: {t_count} snapshots of {h} x {w}, t = {times[0]:g}..{times[-1]:g} every {dt:g}, "
          f"{int(valid.sum())} valid cells of {h * w}, {a.variable} in [{vmin:.6g}, {vmax:.6g}]"
          + (f", rounded to 2^-{a.bits} of the range" if a.bits > 0 else ""))


if __name__ == "__main__":
    main()
