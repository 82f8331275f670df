#!/usr/bin/env python3
"""Round trip of selfsup's weights through real PyTorch, both ways, on real CIFAR-10 test images.

selfsup -> PyTorch: trains small runs (the article's autoencoder; SimCLR with torchvision's standard
resnet18 width 64 and the CIFAR stem; BYOL at width 16; SimCLR on 64-pixel images with the standard stem, resnet18
and resnet50), exports them with ssl-export (.safetensors and .npz), loads them into the PyTorch modules
(unmodified torchvision.models.resnet18() / resnet50() with fc = Identity for the standard stem) with
load_state_dict(strict=True) and compares the modules' features on the test images with the features ssl-encode
writes for the same images.

PyTorch -> selfsup: initializes the same modules in PyTorch (batch-norm statistics and affine parameters
randomized so that they matter), saves their state_dicts as .safetensors and .npz (torchvision's own, fc.* kept),
starts selfsup runs from them with ssl-train --init-from FILE --epochs 0, and compares ssl-encode's features with
PyTorch's.

The 64-pixel images are the CIFAR-10 test images upscaled 2x (each pixel repeated) and written as BMP, so that
selfsup reads exactly the pixels PyTorch is given.

Run with Debian's torch (apt-get install -y python3-torch python3-torchvision libopenblas0-openmp):
    /usr/bin/python3 scripts/check/torch-export-check.py [--data data/cifar10-mini] [--keep DIR]
Prints one line per comparison and exits non-zero when any feature differs by more than --tolerance (1e-4).
No safetensors package is needed: this script reads and writes the format itself (it is 8 bytes of header
length, a JSON header and the raw data).
"""
import argparse
import json
import os
import struct
import subprocess
import sys
import tempfile

import numpy as np
import torch
import torch.nn as nn
import torchvision

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPTS = os.path.join(ROOT, "scripts")


class Autoencoder(nn.Module):
    """The seed article's module, as written there."""

    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv2d(3, 64, 4, stride=2, padding=1), nn.ReLU(),
            nn.Conv2d(64, 128, 4, stride=2, padding=1), nn.ReLU())
        self.decoder = nn.Sequential(
            nn.ConvTranspose2d(128, 64, 4, stride=2, padding=1), nn.ReLU(),
            nn.ConvTranspose2d(64, 3, 4, stride=2, padding=1), nn.Tanh())

    def forward(self, x):
        return self.decoder(self.encoder(x))


def cifar_resnet18(width=64):
    """torchvision's resnet18 with the CIFAR stem (solo-learn's convention): 3x3 stride-1 conv1, no max-pool,
    no classifier. Widths other than 64 rebuild the stages with torchvision's own _make_layer."""
    m = torchvision.models.resnet18()
    m.conv1 = nn.Conv2d(3, width, 3, stride=1, padding=1, bias=False)
    m.maxpool = nn.Identity()
    m.fc = nn.Identity()
    if width != 64:
        block = torchvision.models.resnet.BasicBlock
        m.bn1 = nn.BatchNorm2d(width)
        m.inplanes = width
        m.layer1 = m._make_layer(block, width, 2)
        m.layer2 = m._make_layer(block, 2 * width, 2, stride=2)
        m.layer3 = m._make_layer(block, 4 * width, 2, stride=2)
        m.layer4 = m._make_layer(block, 8 * width, 2, stride=2)
    return m


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n])
    metadata = header.pop("__metadata__", {})
    dtypes = {"F32": np.float32, "F64": np.float64, "I64": np.int64, "F16": np.float16}
    tensors = {}
    for key, t in header.items():
        begin, end = t["data_offsets"]
        array = np.frombuffer(data[8 + n + begin:8 + n + end], dtype=dtypes[t["dtype"]]).reshape(t["shape"])
        tensors[key] = torch.from_numpy(array.copy())
    return tensors, metadata


def write_safetensors(path, state_dict, metadata=None):
    names = {torch.float32: "F32", torch.int64: "I64"}
    header, chunks, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = metadata
    for key, t in state_dict.items():
        raw = t.detach().contiguous().numpy().astype(t.numpy().dtype.newbyteorder("<")).tobytes()
        header[key] = {"dtype": names[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for c in chunks:
            f.write(c)


def read_npz(path):
    # the README's lines
    state = {k: torch.from_numpy(v) for k, v in np.load(path).items() if k != "__metadata__"}
    d = np.load(path)
    metadata = json.loads(str(d["__metadata__"])) if "__metadata__" in d.files else {}
    return state, metadata


def cifar_test_images(data):
    raw = np.fromfile(os.path.join(data, "test_batch.bin"), dtype=np.uint8).reshape(-1, 3073)
    x = torch.from_numpy(raw[:, 1:].reshape(-1, 3, 32, 32).astype(np.float32))
    return (x / 255 - 0.5) / 0.5


def write_bmp(path, image):
    """image: (H, W, 3) uint8 RGB; a 24-bit BMP (rows bottom-up, BGR), every row a multiple of 4 bytes wide."""
    h, w, _ = image.shape
    row = (w * 3 + 3) // 4 * 4
    pixels = bytearray()
    for y in range(h - 1, -1, -1):
        line = image[y, :, ::-1].tobytes()
        pixels += line + b"\0" * (row - len(line))
    header = struct.pack("<2sIHHI", b"BM", 54 + len(pixels), 0, 0, 54)
    info = struct.pack("<IiiHHIIiiII", 40, w, h, 1, 24, 0, len(pixels), 2835, 2835, 0, 0)
    with open(path, "wb") as f:
        f.write(header + info + pixels)


def upscaled_folder(data, folder, count):
    """The first count CIFAR-10 test images at 64 x 64 as BMPs in folder; returns them normalized (N, 3, 64, 64)."""
    raw = np.fromfile(os.path.join(data, "test_batch.bin"), dtype=np.uint8).reshape(-1, 3073)[:count, 1:]
    big = raw.reshape(-1, 3, 32, 32).repeat(2, axis=2).repeat(2, axis=3)
    os.makedirs(folder, exist_ok=True)
    for i, image in enumerate(big):
        write_bmp(os.path.join(folder, "img%05d.bmp" % i), image.transpose(1, 2, 0))
    return (torch.from_numpy(big.astype(np.float32)) / 255 - 0.5) / 0.5


def standard_resnet(depth):
    """Unmodified torchvision.models.resnet18() or resnet50(), its classifier replaced by Identity."""
    m = getattr(torchvision.models, depth)()
    m.fc = nn.Identity()
    return m


def ssl(command, *args):
    result = subprocess.run([os.path.join(SCRIPTS, "ssl-" + command), *args], capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit("ssl-%s %s failed (exit %d):\n%s" % (command, " ".join(args), result.returncode, result.stderr))
    return result.stdout


def selfsup_features(run, data, out, pool, split="test"):
    ssl("encode", "--run", run, "--data", data, "--split", split, "--pool", pool, "--out", out)
    return torch.from_numpy(np.load(out)["features"])


def torch_features(module, images, pool):
    module.eval()
    with torch.no_grad():
        f = module(images)
    return f.reshape(len(images), -1) if pool == "flatten" else f


def randomize_batch_norms(module, generator):
    """PyTorch's fresh batch norms are the identity; give them statistics and affine values that matter."""
    for m in module.modules():
        if isinstance(m, nn.BatchNorm2d):
            with torch.no_grad():
                m.running_mean.copy_(torch.randn(m.num_features, generator=generator) * 0.1)
                m.running_var.copy_(torch.rand(m.num_features, generator=generator) + 0.5)
                m.weight.copy_(torch.rand(m.num_features, generator=generator) + 0.5)
                m.bias.copy_(torch.randn(m.num_features, generator=generator) * 0.1)


class Report:
    def __init__(self, tolerance):
        self.tolerance = tolerance
        self.failures = 0

    def compare(self, what, ours, theirs):
        if ours.shape != theirs.shape:
            print("FAIL  %-68s shapes %s vs %s" % (what, tuple(ours.shape), tuple(theirs.shape)))
            self.failures += 1
            return
        diff = (ours - theirs).abs().max().item()
        scale = theirs.abs().max().item()
        ok = diff <= self.tolerance
        self.failures += 0 if ok else 1
        print("%s  %-68s max |diff| %.2e (max |feature| %.2f, %d x %d)"
              % ("ok  " if ok else "FAIL", what, diff, scale, ours.shape[0], ours.shape[1]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=os.path.join(ROOT, "data", "cifar10-mini"))
    parser.add_argument("--tolerance", type=float, default=1e-4)
    parser.add_argument("--keep", help="work in this folder and keep it (default: a temporary one)")
    args = parser.parse_args()
    torch.set_num_threads(1)
    work = args.keep or tempfile.mkdtemp(prefix="torch-export-check-")
    os.makedirs(work, exist_ok=True)
    data = os.path.abspath(args.data)
    images = cifar_test_images(data)
    report = Report(args.tolerance)
    print("torch %s, torchvision %s; %d CIFAR-10 test images from %s; tolerance %.0e"
          % (torch.__version__, torchvision.__version__, len(images), data, args.tolerance))
    p = lambda name: os.path.join(work, name)

    # selfsup -> PyTorch
    ssl("train", "--data", data, "--epochs", "1", "--limit", "256", "--output", p("run-autoencoder"))
    ssl("train", "--data", data, "--method", "simclr", "--width", "64", "--epochs", "1", "--limit", "256",
        "--batch-size", "64", "--output", p("run-simclr"))
    ssl("train", "--data", data, "--method", "byol", "--width", "16", "--epochs", "1", "--limit", "256",
        "--batch-size", "64", "--output", p("run-byol"))
    ae_ours = selfsup_features(p("run-autoencoder"), data, p("ae.npz"), "flatten")
    for ext, reader in ((".safetensors", read_safetensors), (".npz", read_npz)):
        ssl("export", "--run", p("run-autoencoder"), "--all", "--out", p("autoencoder" + ext))
        state, meta = reader(p("autoencoder" + ext))
        model = Autoencoder()
        model.load_state_dict(state, strict=True)
        report.compare("autoencoder --all%-12s -> Autoencoder(), strict; encoder" % ext, ae_ours,
                       torch_features(model.encoder, images, "flatten"))
    for method, width in (("simclr", 64), ("byol", 16)):
        ours = selfsup_features(p("run-" + method), data, p(method + "-features.npz"), "avg")
        for ext, reader in ((".safetensors", read_safetensors), (".npz", read_npz)):
            ssl("export", "--run", p("run-" + method), "--out", p(method + ext))
            state, meta = reader(p(method + ext))
            model = cifar_resnet18(width)
            model.load_state_dict(state, strict=True)
            what = "%s backbone%s -> %s, strict" % (
                method, ext, "torchvision resnet18 (CIFAR stem)" if width == 64 else "resnet18 width %d" % width)
            report.compare(what, ours, torch_features(model, images, "avg"))

    # standard stem, 64-pixel images: selfsup -> unmodified torchvision models
    folder = p("images64")
    big = upscaled_folder(data, folder, 256)
    for depth in ("resnet18", "resnet50"):
        run = p("run-simclr-" + depth + "-64")
        ssl("train", "--data", folder, "--test-fraction", "0", "--method", "simclr", "--backbone", depth,
            "--width", "64", "--image-size", "64", "--epochs", "1", "--batch-size", "64", "--output", run)
        ours = selfsup_features(run, folder, run + "-features.npz", "avg", "train")
        for ext, reader in ((".safetensors", read_safetensors), (".npz", read_npz)):
            ssl("export", "--run", run, "--out", run + ext)
            state, meta = reader(run + ext)
            model = standard_resnet(depth)
            model.load_state_dict(state, strict=True)
            report.compare("simclr %s 64 px backbone%s -> torchvision %s(), strict" % (depth, ext, depth), ours,
                           torch_features(model, big, "avg"))

    # PyTorch -> selfsup
    g = torch.Generator().manual_seed(0)
    torch.manual_seed(0)
    autoencoder = Autoencoder()
    resnet = cifar_resnet18(64)
    randomize_batch_norms(resnet, g)
    cases = (("autoencoder", autoencoder.state_dict(), "autoencoder", "flatten", autoencoder.encoder),
             ("resnet18", resnet.state_dict(), "simclr", "avg", resnet))
    for name, state, method, pool, module in cases:
        expected = torch_features(module, images, pool)
        write_safetensors(p("torch-" + name + ".safetensors"), state, {"format": "pt"})
        np.savez(p("torch-" + name + ".npz"), **{k: v.numpy() for k, v in state.items()})
        for ext in (".safetensors", ".npz"):
            run = p("run-from-torch-%s%s" % (name, ext.replace(".", "-")))
            ssl("train", "--data", data, "--method", method, "--init-from", p("torch-" + name + ext),
                "--epochs", "0", "--output", run)
            ours = selfsup_features(run, data, run + "-features.npz", pool)
            report.compare("torch %s state_dict%s -> ssl-train --init-from --epochs 0" % (name, ext), ours, expected)
    for depth in ("resnet18", "resnet50"):
        model = getattr(torchvision.models, depth)()
        randomize_batch_norms(model, g)
        state = model.state_dict()
        model.fc = nn.Identity()
        expected = torch_features(model, big, "avg")
        write_safetensors(p("torchvision-" + depth + ".safetensors"), state, {"format": "pt"})
        np.savez(p("torchvision-" + depth + ".npz"), **{k: v.numpy() for k, v in state.items()})
        for ext in (".safetensors", ".npz"):
            run = p("run-from-torchvision-%s%s" % (depth, ext.replace(".", "-")))
            ssl("train", "--data", folder, "--test-fraction", "0", "--method", "simclr", "--backbone", depth,
                "--image-size", "64", "--init-from", p("torchvision-" + depth + ext), "--epochs", "0", "--output", run)
            ours = selfsup_features(run, folder, run + "-features.npz", "avg", "train")
            report.compare("torchvision %s() state_dict%s (fc kept) -> --init-from, 64 px" % (depth, ext), ours,
                           expected)

    print("%s: %d comparison(s) failed" % ("FAILED" if report.failures else "ALL OK", report.failures))
    if not args.keep:
        subprocess.run(["rm", "-rf", work])
    sys.exit(1 if report.failures else 0)


if __name__ == "__main__":
    main()
