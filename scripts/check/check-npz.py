"""Checks that numpy reads a features file written by ssl-encode, and prints what it holds.

Usage: /usr/bin/python3 scripts/check/check-npz.py FEATURES.npz   (needs python3-numpy)
Exits non-zero when the file does not have the documented layout.
"""
import sys
import numpy as np


def main(path):
    with np.load(path) as f:
        names = set(f.files)
        assert "features" in names, f"no 'features' array in {sorted(names)}"
        features = f["features"]
        assert features.dtype == np.float32 and features.ndim == 2, f"features {features.dtype} {features.shape}"
        n = features.shape[0]
        if "labels" in names:
            labels = f["labels"]
            assert labels.dtype == np.int64 and labels.shape == (n,), f"labels {labels.dtype} {labels.shape}"
        if "split" in names:
            assert f["split"].shape == (n,), f"split {f['split'].shape}"
        if "paths" in names:
            assert f["paths"].shape == (n,), f"paths {f['paths'].shape}"
        if "class_names" in names:
            classes = f["class_names"]
            assert classes.dtype.kind == "U" and classes.ndim == 1, f"class_names {classes.dtype} {classes.shape}"
            if "labels" in names and n > 0:
                assert f["labels"].max() < len(classes), f"a label beyond the {len(classes)} class names"
            print("class_names:", ", ".join(classes.tolist()))
        assert np.isfinite(features).all(), "features hold NaN or infinity"
        for name in sorted(names):
            a = f[name]
            print(f"{name}: {a.dtype} {a.shape}")
    print("ok: numpy", np.__version__, "reads", path)


if __name__ == "__main__":
    main(sys.argv[1])
