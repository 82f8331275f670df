"""Writes the reference fixtures for the CIFAR ResNet-18 and the projection head, computed by real PyTorch.

Run with Debian's torch and torchvision:  /usr/bin/python3 scripts/make-resnet-fixtures.py
Output: src/test/resources/fixtures/resnet_*.npz, float32 arrays named as follows.

param.<key>: the module's state_dict before the forward pass (num_batches_tracked left out), under
    torchvision's keys; batch-norm weights, biases and running statistics are randomized so that a
    parameter loaded under the wrong name shows in the output.
x, y, gy: input, train-mode output and an upstream gradient; grad_x and grad.<key>: the gradients of
    sum(y * gy) with respect to the input and every trainable parameter.
after.<key>: the running statistics after that one train-mode forward.
y_eval (network only): the eval-mode output for x after that forward; pooled: y_eval averaged over H, W.

resnet_block_downsample.npz, resnet_block_identity.npz: one torchvision BasicBlock.
resnet_net_w4.npz: the CIFAR ResNet-18 at width 4 on a (2, 3, 32, 32) input, its (N, 32, 4, 4) feature map.
resnet_head.npz: Linear -> BatchNorm1d -> ReLU -> Linear, as torch.nn.Sequential.
resnet_keys.npz: keys, the UTF-8 bytes of torchvision.models.resnet18()'s state_dict keys one a line
    (fc.* and num_batches_tracked left out); parameter_count, the trainable parameters of the CIFAR
    ResNet-18 at width 64 without fc.
"""
import os
import zlib
import numpy as np
import torch
import torch.nn as nn
import torchvision
from torchvision.models.resnet import BasicBlock, ResNet

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources", "fixtures")


def f32(t):
    return t.detach().cpu().numpy().astype(np.float32)


def seed(name):
    torch.manual_seed(zlib.crc32(name.encode()))


def cifar_resnet18(width):
    """torchvision's ResNet with its own _make_layer, so module names are exactly torchvision's; only the
    widths, the 3x3 stem and the missing max-pool differ from resnet18 (as in solo-learn and lightly)."""
    net = ResNet(BasicBlock, [2, 2, 2, 2])
    net.inplanes = width
    net.conv1 = nn.Conv2d(3, width, kernel_size=3, stride=1, padding=1, bias=False)
    net.bn1 = nn.BatchNorm2d(width)
    net.maxpool = nn.Identity()
    net.layer1 = net._make_layer(BasicBlock, width, 2)
    net.layer2 = net._make_layer(BasicBlock, 2 * width, 2, stride=2)
    net.layer3 = net._make_layer(BasicBlock, 4 * width, 2, stride=2)
    net.layer4 = net._make_layer(BasicBlock, 8 * width, 2, stride=2)
    del net.fc
    return net


def features(net, x):
    x = net.relu(net.bn1(net.conv1(x)))
    return net.layer4(net.layer3(net.layer2(net.layer1(net.maxpool(x)))))


def randomize_batch_norm(module):
    with torch.no_grad():
        for m in module.modules():
            if isinstance(m, nn.modules.batchnorm._BatchNorm):
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.5, 0.5)
                m.running_mean.uniform_(-0.5, 0.5)
                m.running_var.uniform_(0.5, 1.5)


def state(module, prefix):
    return {prefix + k: f32(v) for k, v in module.state_dict().items() if not k.endswith("num_batches_tracked")}


def running_stats(module):
    return {k: v for k, v in state(module, "after.").items() if ".running_" in k}


def train_step(module, forward, x):
    """One train-mode forward and backward; returns every array the Java test compares."""
    randomize_batch_norm(module)
    before = state(module, "param.")
    module.train()
    x.requires_grad_(True)
    y = forward(x)
    gy = torch.randn_like(y)
    (y * gy).sum().backward()
    grads = {"grad." + k: f32(p.grad) for k, p in module.named_parameters()}
    return dict(before, **grads, **running_stats(module), x=f32(x), y=f32(y), gy=f32(gy), grad_x=f32(x.grad))


def block_fixture(name, inplanes, planes, stride, shape):
    seed(name)
    downsample = None
    if stride != 1 or inplanes != planes:
        downsample = nn.Sequential(nn.Conv2d(inplanes, planes, 1, stride, bias=False), nn.BatchNorm2d(planes))
    block = BasicBlock(inplanes, planes, stride, downsample)
    np.savez(os.path.join(OUT, f"resnet_{name}.npz"), **train_step(block, block, torch.randn(*shape)))


def net_fixture():
    seed("net_w4")
    net = cifar_resnet18(4)
    x = torch.randn(2, 3, 32, 32)
    out = train_step(net, lambda v: features(net, v), x)
    net.eval()
    with torch.no_grad():
        y_eval = features(net, x)
        pooled = torch.flatten(nn.AdaptiveAvgPool2d(1)(y_eval), 1)
    np.savez(os.path.join(OUT, "resnet_net_w4.npz"), **out, y_eval=f32(y_eval), pooled=f32(pooled))


def head_fixture():
    seed("head")
    head = nn.Sequential(nn.Linear(16, 32), nn.BatchNorm1d(32), nn.ReLU(inplace=True), nn.Linear(32, 8))
    np.savez(os.path.join(OUT, "resnet_head.npz"), **train_step(head, head, torch.randn(6, 16)))


def keys_fixture():
    keys = [k for k in torchvision.models.resnet18().state_dict()
            if not k.startswith("fc.") and not k.endswith("num_batches_tracked")]
    cifar = cifar_resnet18(64)
    cifar_keys = [k for k in cifar.state_dict() if not k.endswith("num_batches_tracked")]
    assert cifar_keys == keys, "the CIFAR variant must keep torchvision's names"
    count = sum(p.numel() for p in cifar.parameters())
    np.savez(os.path.join(OUT, "resnet_keys.npz"),
             keys=np.frombuffer("\n".join(keys).encode(), dtype=np.uint8),
             parameter_count=np.array(count, dtype=np.int64))
    return count


def main():
    os.makedirs(OUT, exist_ok=True)
    block_fixture("block_downsample", 8, 16, 2, (2, 8, 8, 8))
    block_fixture("block_identity", 8, 8, 1, (2, 8, 8, 8))
    net_fixture()
    head_fixture()
    count = keys_fixture()
    print("torch", torch.__version__, "torchvision", torchvision.__version__, "CIFAR ResNet-18 parameters", count,
          "wrote", sorted(f for f in os.listdir(OUT) if f.startswith("resnet_")))


if __name__ == "__main__":
    main()
