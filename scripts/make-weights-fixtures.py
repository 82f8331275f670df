"""Writes weights files the way PyTorch users write them, for the Java tests of --init-from and the formats.

Run with Debian's torch and torchvision:  /usr/bin/python3 scripts/make-weights-fixtures.py
Output in src/test/resources/fixtures/:

weights_torch_resnet_w2.safetensors, weights_torch_resnet_w2.npz: the state_dict of torchvision's resnet18
    with the CIFAR stem (scripts/torch-export-check.py's cifar_resnet18) at width 2, fc = Identity,
    num_batches_tracked included, batch-norm statistics and affine values randomized so that a tensor loaded
    under the wrong key shows in the output. The .safetensors has {"format": "pt"} metadata as
    safetensors.torch.save_file writes it; the .npz is np.savez of the tensors, as a NumPy user writes it.
weights_torch_autoencoder.safetensors: the seed article's Autoencoder().state_dict() (torch.manual_seed(0)).
weights_expected.npz: x, four normalized CIFAR-10-like images (N, 3, 32, 32); resnet_features, the resnet's
    eval-mode global-average-pooled features of x (N, 16); autoencoder_features, the article's encoder
    output of x flattened (N, 8192).
"""
import importlib.util
import os

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "src", "test", "resources", "fixtures")

spec = importlib.util.spec_from_file_location("check", os.path.join(HERE, "torch-export-check.py"))
check = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check)


def main():
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(1)
    resnet = check.cifar_resnet18(2)
    check.randomize_batch_norms(resnet, g)
    autoencoder = check.Autoencoder()
    x = (torch.randint(0, 256, (4, 3, 32, 32), generator=g).float() / 255 - 0.5) / 0.5

    state = resnet.state_dict()
    check.write_safetensors(os.path.join(OUT, "weights_torch_resnet_w2.safetensors"), state, {"format": "pt"})
    np.savez(os.path.join(OUT, "weights_torch_resnet_w2.npz"), **{k: v.numpy() for k, v in state.items()})
    check.write_safetensors(os.path.join(OUT, "weights_torch_autoencoder.safetensors"), autoencoder.state_dict(),
                            {"format": "pt"})
    np.savez(os.path.join(OUT, "weights_expected.npz"), x=x.numpy(),
             resnet_features=check.torch_features(resnet, x, "avg").numpy(),
             autoencoder_features=check.torch_features(autoencoder.encoder, x, "flatten").numpy())
    print("wrote weights fixtures to", os.path.normpath(OUT))


if __name__ == "__main__":
    main()
