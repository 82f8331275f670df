"""Writes a folder of COUNT JPEG photos of SIZE x SIZE pixels in class subfolders, for benchmarks of large image
folders: the 60,000 real CIFAR-10 images of ../shared/data/cifar10-jpeg.tar.gz enlarged (bicubic) to SIZE, each
used again after the first 60,000 with another transform (mirrored, then turned a quarter, then both), so no two
files are the same. JPEG quality 90, on every core.

Usage: /usr/bin/python3 scripts/bench/make-photo-folder.py OUT COUNT [SIZE]     (SIZE default 96)
Needs Pillow (Debian's python3-pil, which python3-torchvision brings).
"""
import io
import multiprocessing
import os
import sys
import tarfile

from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
ARCHIVE = os.path.join(HERE, "..", "..", "..", "shared", "data", "cifar10-jpeg.tar.gz")


def sources():
    """(class name, JPEG bytes) of every image in the archive, in the archive's order."""
    found = []
    with tarfile.open(ARCHIVE) as tar:
        for member in tar:
            if member.isfile() and member.name.lower().endswith((".jpg", ".jpeg", ".png")):
                parts = member.name.split("/")
                found.append((parts[-2], tar.extractfile(member).read()))
    return found


def transform(image, variant):
    if variant % 2 == 1:
        image = image.transpose(Image.FLIP_LEFT_RIGHT)
    if (variant // 2) % 2 == 1:
        image = image.transpose(Image.ROTATE_90)
    return image


def write(job):
    out, size, index, cls, data, variant = job
    image = Image.open(io.BytesIO(data)).convert("RGB").resize((size, size), Image.BICUBIC)
    path = os.path.join(out, cls, "%07d.jpg" % index)
    transform(image, variant).save(path, "JPEG", quality=90)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    out, count = sys.argv[1], int(sys.argv[2])
    size = int(sys.argv[3]) if len(sys.argv) > 3 else 96
    images = sources()
    for cls in {c for c, _ in images}:
        os.makedirs(os.path.join(out, cls), exist_ok=True)
    jobs = ((out, size, i, images[i % len(images)][0], images[i % len(images)][1], i // len(images))
            for i in range(count))
    with multiprocessing.Pool(os.cpu_count()) as pool:
        for done, _ in enumerate(pool.imap_unordered(write, jobs, chunksize=256), 1):
            if done % 20000 == 0:
                print("%d of %d written" % (done, count), flush=True)
    print("wrote %d %dx%d JPEGs from %d CIFAR-10 images into %s" % (count, size, size, len(images), out))


if __name__ == "__main__":
    main()
