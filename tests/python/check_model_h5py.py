"""A model file written by `mrcae train` read with h5py, as a user would in Python.

Checks the documented layout (DESIGN.md section 4) and that the weights convert one to one into the
authors' state_dict names: the same keys and shapes as the reference's own checkpoint in the parity fixture.
Usage: check_model_h5py.py MRCAE_BIN WORK_DIR FIXTURE_DIR (tests/data)
"""
import json
import os
import subprocess
import sys

import h5py

mrcae, work, reference = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(work, exist_ok=True)
data = os.path.join(work, "toy2.h5")
model = os.path.join(work, "toy2.mrcae.h5")
subprocess.run([mrcae, "generate", "toy2", "-o", data, "--snapshots", "20"], check=True, capture_output=True)
subprocess.run([mrcae, "train", data, "--preset", "toy2", "--steps", "2,2,1", "--tols", "1e-9,1e-9,1e-9",
                "--threads", "1", "--quiet", "-o", model], check=True, capture_output=True)

with h5py.File(model, "r") as f:
    assert f.attrs["format"] == "mrcae-model", f.attrs["format"]
    assert int(f.attrs["format_version"]) == 1
    config = json.loads(f["config"].attrs["json"])
    assert config["archs"] == [[1, 2, 3, 4], [1, 2, 3, 4], [1, 3, 5, 7]], config["archs"]
    # The reference's state_dict keys: L{k}_Conv_{i}.B0.weight and so on (B0 = its block wrapper).
    state = {}
    for module, group in f["weights"].items():
        for name, ds in group.items():
            state[f"{module}.B0.{name}"] = ds[()]
    n_params = sum(v.size for v in state.values())
    assert n_params == 297 == int(f["arch"].attrs["params"]), n_params
    maps = sorted(f["maps"].keys())
    assert maps[0] == "L0_0" and f["maps"]["L2_0"].shape == (63, 63), maps
    stages = json.loads(f["history"].attrs["json"])
    assert [s["params"] for s in stages] == [20, 40, 60, 80, 100, 120, 140, 160, 180, 219, 258, 297]
    curves = f["history"]["curves"]
    assert curves.shape[1] == 8 and curves.attrs["columns"].startswith("stage,level")
    assert len(f["data"]["train"]) == 14 and len(f["data"]["val"]) == 4

fixture = os.path.join(reference, "parity_mrcae_toy2.h5")
if not os.path.isfile(fixture) or not h5py.is_hdf5(fixture):
    sys.exit(f"missing or unreadable fixture {fixture} (restore it: git checkout -- tests/data)")
with h5py.File(fixture, "r") as ref:
    ref_state = {k: v.shape for k, v in ref["state"].items()}
ours = {k: v.shape for k, v in state.items()}
assert ours == ref_state, (sorted(set(ours) ^ set(ref_state)), [k for k in ours if ours[k] != ref_state.get(k)])
print(f"h5py read {len(state)} tensors ({n_params} parameters) under the reference's state_dict names")
