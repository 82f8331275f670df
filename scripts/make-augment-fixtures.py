"""Writes the reference views the augmentation tests compare against, computed by real torchvision.

Run with Debian's torch:  /usr/bin/python3 scripts/make-augment-fixtures.py
(apt-get install -y python3-torch python3-torchvision). Output: src/test/resources/fixtures/augment_<case>.npz.

Each case takes one real CIFAR-10 image (data/cifar10-mini/data_batch_1.bin, record `index`), fixed view
parameters and torchvision.transforms.functional on the float image x / 255, in the augmenter's order:
resized_crop (bilinear, no antialias), hflip, adjust_brightness/contrast/saturation/hue in the given order,
rgb_to_grayscale (3 channels), solarize(0.5), then Normalize(0.5, 0.5). Arrays: image (uint8, C x 32 x 32;
C = 1 for the grayscale-input case), crop (top, left, height, width), flags (flip, jitter, grayscale,
solarize), factors (brightness, contrast, saturation, hue; float64), order (ColorJitter's indices:
0 brightness, 1 contrast, 2 saturation, 3 hue) and view (float32, 3 x 32 x 32).
"""
import os
import numpy as np
import torch
import torch.nn.functional as NF
import torchvision.transforms.functional as F
from torchvision.transforms import InterpolationMode

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "src", "test", "resources", "fixtures")
CIFAR = os.path.join(ROOT, "data", "cifar10-mini", "data_batch_1.bin")

# name, record index, gray input, (top, left, h, w), flip, jitter, (b, c, s, h), order, grayscale, solarize
CASES = [
    ("crop_only", 0, False, (4, 6, 20, 24), False, False, (1, 1, 1, 0), (0, 1, 2, 3), False, False),
    ("full_flip", 1, False, (0, 0, 32, 32), True, False, (1, 1, 1, 0), (0, 1, 2, 3), False, False),
    ("jitter_bcsh", 2, False, (0, 0, 17, 13), True, True, (1.3, 0.7, 1.4, 0.08), (0, 1, 2, 3), False, False),
    ("jitter_hscb", 3, False, (10, 3, 9, 11), False, True, (0.6, 1.35, 0.65, -0.1), (3, 2, 1, 0), False, False),
    ("jitter_chbs_gray", 4, False, (2, 5, 28, 22), True, True, (1.1, 0.62, 1.2, 0.05), (1, 3, 0, 2), True,
     False),
    ("jitter_sbhc_solarize", 5, False, (7, 0, 25, 32), False, True, (1.38, 1.02, 0.0, -0.03), (2, 0, 3, 1),
     False, True),
    ("everything", 6, False, (13, 17, 19, 15), True, True, (0.75, 1.25, 1.15, 0.1), (3, 0, 2, 1), True, True),
    ("hue_half_turn", 7, False, (0, 0, 32, 32), False, True, (1.0, 1.0, 1.0, 0.5), (3, 0, 1, 2), False, False),
    ("hue_minus_half", 8, False, (5, 9, 14, 14), True, True, (1.0, 1.0, 1.0, -0.5), (0, 3, 1, 2), False, True),
    ("tiny_crop", 9, False, (30, 28, 2, 3), False, True, (1.2, 0.8, 1.3, 0.07), (2, 3, 1, 0), False, False),
    ("gray_input", 10, True, (3, 1, 24, 29), True, True, (1.25, 0.8, 1.5, 0.1), (3, 1, 2, 0), False, True),
]


def view(x, crop, flip, jitter, factors, order, grayscale, solarize):
    top, left, h, w = crop
    y = F.resized_crop(x, top, left, h, w, [32, 32], InterpolationMode.BILINEAR, antialias=False)
    direct = NF.interpolate(x[None, :, top:top + h, left:left + w], size=(32, 32), mode="bilinear",
                            align_corners=False)[0]
    assert torch.equal(y, direct), "resized_crop is not plain bilinear interpolation here"
    if flip:
        y = F.hflip(y)
    if jitter:
        ops = [F.adjust_brightness, F.adjust_contrast, F.adjust_saturation, F.adjust_hue]
        for i in order:
            y = ops[i](y, factors[i])
    if grayscale:
        y = F.rgb_to_grayscale(y, num_output_channels=3)
    if solarize:
        y = F.solarize(y, 0.5)
    return (y - 0.5) / 0.5


def main():
    os.makedirs(OUT, exist_ok=True)
    records = np.fromfile(CIFAR, dtype=np.uint8).reshape(-1, 3073)
    for name, index, gray_input, crop, flip, jitter, factors, order, grayscale, solarize in CASES:
        image = records[index, 1:].reshape(3, 32, 32)
        if gray_input:
            image = F.rgb_to_grayscale(torch.from_numpy(image.copy())).numpy()
        x = torch.from_numpy(image.copy()).float() / 255
        y = view(x.expand(3, -1, -1), crop, flip, jitter, factors, order, grayscale, solarize)
        np.savez(os.path.join(OUT, f"augment_{name}.npz"), image=image,
                 crop=np.array(crop, dtype=np.int64),
                 flags=np.array([flip, jitter, grayscale, solarize], dtype=np.int64),
                 factors=np.array(factors, dtype=np.float64), order=np.array(order, dtype=np.int64),
                 view=y.numpy().astype(np.float32))
    print("torch", torch.__version__, "wrote", len(CASES), "augment_*.npz")


if __name__ == "__main__":
    main()
