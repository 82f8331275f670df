"""Writes the reference fixtures the Java tests compare against, computed by real PyTorch.

Run with Debian's torch:  /usr/bin/python3 scripts/make-fixtures.py
(apt-get install -y python3-torch). Output: src/test/resources/fixtures/*.npz, float32 arrays.

deconv_<case>.npz: one torch.nn.ConvTranspose2d, its input x, weight (in, out, kH, kW), bias, output y,
an upstream gradient gy and the gradients of sum(y * gy) with respect to x, weight and bias.
model.npz: the seed article's autoencoder with PyTorch's default initialization, its parameters under
the names the Java model uses, an input batch in [-1, 1] and the model's output.
mse_adam.npz: one MSE + Adam step of the model from the same parameters, for loss and optimizer parity.
"""
import os
import zlib
import numpy as np
import torch
import torch.nn as nn

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources", "fixtures")

# name, in_ch, out_ch, kernel, stride, padding, output_padding, input shape (N, C, H, W)
DECONV_CASES = [
    ("model_layer1", 128, 64, 4, 2, 1, 0, (2, 128, 8, 8)),
    ("model_layer2", 64, 3, 4, 2, 1, 0, (2, 64, 16, 16)),
    ("k3_s2_p1_op1", 5, 4, 3, 2, 1, 1, (2, 5, 6, 6)),
    ("stride1", 3, 4, 3, 1, 1, 0, (2, 3, 5, 5)),
    ("nonsquare_batch3", 6, 5, 4, 2, 1, 0, (3, 6, 5, 7)),
    ("k5_s3_p2_op1", 4, 3, 5, 3, 2, 1, (2, 4, 4, 5)),
    ("k1_s2_p0", 3, 2, 1, 2, 0, 0, (2, 3, 4, 3)),
    ("k2_s2_p0", 3, 2, 2, 2, 0, 0, (1, 3, 3, 4)),
    ("rect_kernel", 3, 2, (3, 4), (2, 1), (1, 2), (1, 0), (2, 3, 4, 5)),
]


def f32(t):
    return t.detach().cpu().numpy().astype(np.float32)


def deconv_fixture(name, cin, cout, k, s, p, op, shape):
    torch.manual_seed(zlib.crc32(name.encode()))
    layer = nn.ConvTranspose2d(cin, cout, k, stride=s, padding=p, output_padding=op)
    x = torch.randn(*shape, requires_grad=True)
    y = layer(x)
    gy = torch.randn_like(y)
    (y * gy).sum().backward()
    pair = lambda v: list(v) if isinstance(v, tuple) else [v, v]
    np.savez(os.path.join(OUT, f"deconv_{name}.npz"),
             x=f32(x), weight=f32(layer.weight), bias=f32(layer.bias), y=f32(y), gy=f32(gy),
             grad_x=f32(x.grad), grad_weight=f32(layer.weight.grad), grad_bias=f32(layer.bias.grad),
             geometry=np.array(pair(k) + pair(s) + pair(p) + pair(op), dtype=np.int64))


class Autoencoder(nn.Module):
    """The seed article's model, layer for layer."""
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv2d(3, 64, kernel_size=4, stride=2, padding=1), nn.ReLU(True),
            nn.Conv2d(64, 128, kernel_size=4, stride=2, padding=1), nn.ReLU(True))
        self.decoder = nn.Sequential(
            nn.ConvTranspose2d(128, 64, kernel_size=4, stride=2, padding=1), nn.ReLU(True),
            nn.ConvTranspose2d(64, 3, kernel_size=4, stride=2, padding=1), nn.Tanh())

    def forward(self, x):
        return self.decoder(self.encoder(x))


def model_params(model):
    return {"param_" + k.replace(".", "_"): f32(v) for k, v in model.state_dict().items()}


def model_fixtures():
    torch.manual_seed(7)
    model = Autoencoder()
    x = torch.rand(4, 3, 32, 32) * 2 - 1
    params = model_params(model)
    with torch.no_grad():
        y = model(x)
    np.savez(os.path.join(OUT, "model.npz"), x=f32(x), y=f32(y), **params)

    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    losses = []
    for _ in range(3):
        loss = nn.MSELoss()(model(x), x)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    after = {k.replace("param_", "after_"): v for k, v in model_params(model).items()}
    np.savez(os.path.join(OUT, "mse_adam.npz"), x=f32(x), losses=np.array(losses, dtype=np.float32),
             **params, **after)


def main():
    os.makedirs(OUT, exist_ok=True)
    for case in DECONV_CASES:
        deconv_fixture(*case)
    model_fixtures()
    print("torch", torch.__version__, "wrote", sorted(os.listdir(OUT)))


if __name__ == "__main__":
    main()
