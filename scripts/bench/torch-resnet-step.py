"""Forward + backward images/s of the PyTorch peer's CIFAR ResNet-18 (../shared/peer/simclr_cifar.py), one
batch of random images, no optimizer: the PyTorch side of io.selfsup.bench.ResNetStepBenchmark.

Usage: /usr/bin/python3 scripts/bench/torch-resnet-step.py [WIDTH] [BATCH] [THREADS] [ITERATIONS]
"""
import os, sys, time
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "peer"))
import simclr_cifar  # noqa: E402

width, batch, threads, iterations = (int(a) for a in (sys.argv[1:] + ["16", "256", "2", "6"][len(sys.argv) - 1:]))
torch.set_num_threads(threads)
net = simclr_cifar.ResNet18(width)
x = torch.randn(batch, 3, 32, 32)
for _ in range(2):
    net(x).mean().backward()
start = time.perf_counter()
for _ in range(iterations):
    net(x).mean().backward()
seconds = (time.perf_counter() - start) / iterations
print(f"torch {torch.__version__}, {threads} thread(s), width {width}, batch {batch}: "
      f"{1000 * seconds:.1f} ms/step, {batch / seconds:.1f} images/s (forward + backward)")
