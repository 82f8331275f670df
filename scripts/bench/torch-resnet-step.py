"""Forward + backward images/s of a PyTorch ResNet, one batch of random images, no optimizer: the PyTorch side of
io.selfsup.bench.ResNetStepBenchmark.

Usage: /usr/bin/python3 scripts/bench/torch-resnet-step.py [WIDTH] [BATCH] [THREADS] [ITERATIONS] [DEPTH] [SIZE]
  without DEPTH: the PyTorch peer's CIFAR ResNet-18 (../shared/peer/simclr_cifar.py) on 32-pixel images;
  with DEPTH (resnet18 or resnet50) and SIZE: torchvision's network, with its own stem above 32 pixels (at width 64
  unmodified torchvision.models.resnet18() / resnet50()) and the CIFAR stem at 32 or below, fc removed.
"""
import os, sys, time
import torch
import torch.nn as nn
import torchvision
from torchvision.models.resnet import BasicBlock, Bottleneck

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "peer"))

args = sys.argv[1:]
width, batch, threads, iterations = (int(a) for a in (args[:4] + ["16", "256", "2", "6"][len(args[:4]):]))
depth = args[4] if len(args) > 4 else None
size = int(args[5]) if len(args) > 5 else 32


def torchvision_resnet(depth, width, size):
    net = getattr(torchvision.models, depth)()
    block, layers = (BasicBlock, [2, 2, 2, 2]) if depth == "resnet18" else (Bottleneck, [3, 4, 6, 3])
    if size <= 32:
        net.conv1 = nn.Conv2d(3, width, 3, stride=1, padding=1, bias=False)
        net.maxpool = nn.Identity()
    elif width != 64:
        net.conv1 = nn.Conv2d(3, width, 7, stride=2, padding=3, bias=False)
    if width != 64:
        net.bn1 = nn.BatchNorm2d(width)
        net.inplanes = width
        net.layer1 = net._make_layer(block, width, layers[0])
        net.layer2 = net._make_layer(block, 2 * width, layers[1], stride=2)
        net.layer3 = net._make_layer(block, 4 * width, layers[2], stride=2)
        net.layer4 = net._make_layer(block, 8 * width, layers[3], stride=2)
    net.avgpool = nn.Identity()
    net.fc = nn.Identity()
    return net


torch.set_num_threads(threads)
if depth is None:
    import simclr_cifar  # noqa: E402
    net = simclr_cifar.ResNet18(width)
    name = "peer CIFAR ResNet-18"
else:
    net = torchvision_resnet(depth, width, size)
    name = "torchvision %s %s stem" % (depth, "cifar" if size <= 32 else "standard")
x = torch.randn(batch, 3, size, size)
for _ in range(2):
    net(x).mean().backward()
start = time.perf_counter()
for _ in range(iterations):
    net(x).mean().backward()
seconds = (time.perf_counter() - start) / iterations
print(f"torch {torch.__version__}, {threads} thread(s), {name}, {size:3d} px, width {width}, batch {batch}: "
      f"{1000 * seconds:.1f} ms/step, {batch / seconds:.1f} images/s (forward + backward)")
