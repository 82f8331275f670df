"""Writes the reference fixtures for the self-supervised objectives, SGD and the learning-rate schedule, by real PyTorch.

Run with Debian's torch:  /usr/bin/python3 scripts/make-objective-fixtures.py
Output: src/test/resources/fixtures/objective_*.npz, float32 arrays (schedule values float64).

objective_ntxent_t<T>.npz: z1, z2 (N=8, D=16), SimCLR's loss exactly as the peer script computes it (normalize,
  z z^T / t, diagonal -inf, cross-entropy against i+N / i-N) and its gradients with respect to z1 and z2.
objective_byol.npz: p1, p2, z1, z2 (targets), the symmetric loss loss(p1, z2) + loss(p2, z1) with the targets
  detached, and the gradients with respect to p1 and p2.
objective_ema.npz: online and target tensors, tau, and the target after solo-learn's update tau * t + (1 - tau) * o.
objective_sgd.npz: a Linear(5, 3) trained three steps on MSE by torch.optim.SGD(momentum 0.9, weight decay 5e-4)
  with a different lr per step; its data x, y, the initial weights, each step's gradients and the weights after each step.
objective_schedule.npz: learning rates of a warm-up + cosine schedule from torch's own schedulers
  (SequentialLR of LinearLR and CosineAnnealingLR), and of CosineAnnealingLR alone (no warm-up).
"""
import os
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources", "fixtures")


def f32(t):
    return t.detach().cpu().numpy().astype(np.float32)


def save(name, **arrays):
    np.savez(os.path.join(OUT, f"objective_{name}.npz"), **arrays)


def ntxent(temperature, seed):
    torch.manual_seed(seed)
    n = 8
    z1 = torch.randn(n, 16, requires_grad=True)
    z2 = torch.randn(n, 16, requires_grad=True)
    z = F.normalize(torch.cat([z1, z2]), dim=1)
    sim = z @ z.T / temperature
    sim.fill_diagonal_(float("-inf"))
    targets = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)])
    loss = F.cross_entropy(sim, targets)
    loss.backward()
    save(f"ntxent_t{temperature}", z1=f32(z1), z2=f32(z2), temperature=np.array([temperature], dtype=np.float32),
         loss=np.array([loss.item()], dtype=np.float32), grad_z1=f32(z1.grad), grad_z2=f32(z2.grad))


def byol():
    torch.manual_seed(11)
    p1, p2 = (torch.randn(6, 10, requires_grad=True) for _ in range(2))
    z1, z2 = (torch.randn(6, 10, requires_grad=True) for _ in range(2))

    def loss_fn(p, z):  # solo-learn's byol_loss_func
        return 2 - 2 * (F.normalize(p, dim=-1) * F.normalize(z.detach(), dim=-1)).sum(dim=1).mean()

    loss = loss_fn(p1, z2) + loss_fn(p2, z1)
    loss.backward()
    assert z1.grad is None and z2.grad is None
    save("byol", p1=f32(p1), p2=f32(p2), z1=f32(z1), z2=f32(z2), loss=np.array([loss.item()], dtype=np.float32),
         grad_p1=f32(p1.grad), grad_p2=f32(p2.grad))


def ema():
    torch.manual_seed(12)
    online = [torch.randn(4, 3), torch.randn(7), torch.randn(2, 3, 2, 2)]
    target = [torch.randn_like(t) for t in online]
    tau = 0.996
    after = [tau * t + (1 - tau) * o for o, t in zip(online, target)]  # solo-learn's MomentumUpdater
    arrays = {"tau": np.array([tau], dtype=np.float64)}
    for i, (o, t, a) in enumerate(zip(online, target, after)):
        arrays.update({f"online_{i}": f32(o), f"target_{i}": f32(t), f"after_{i}": f32(a)})
    save("ema", **arrays)


def sgd():
    torch.manual_seed(13)
    model = nn.Linear(5, 3)
    x, y = torch.randn(4, 5), torch.randn(4, 3)
    lrs = [0.1, 0.07, 0.03]
    opt = torch.optim.SGD(model.parameters(), lr=lrs[0], momentum=0.9, weight_decay=5e-4)
    arrays = {"x": f32(x), "y": f32(y), "weight": f32(model.weight), "bias": f32(model.bias),
              "lrs": np.array(lrs, dtype=np.float32)}
    for step, lr in enumerate(lrs):
        for group in opt.param_groups:
            group["lr"] = lr
        opt.zero_grad()
        F.mse_loss(model(x), y).backward()
        arrays.update({f"grad_weight_{step}": f32(model.weight.grad), f"grad_bias_{step}": f32(model.bias.grad)})
        opt.step()
        arrays.update({f"weight_{step}": f32(model.weight), f"bias_{step}": f32(model.bias)})
    save("sgd", **arrays)


def schedule():
    base, warmup, total, end = 0.3, 10, 50, 0.001

    def lrs(scheduler, opt, steps):
        out = []
        for _ in range(steps):
            out.append(opt.param_groups[0]["lr"])
            opt.step()
            scheduler.step()
        return np.array(out, dtype=np.float64)

    # Linear warm-up base * (s + 1) / warmup for s < warmup: LinearLR from 1/warmup reaching 1 after warmup - 1 steps.
    opt = torch.optim.SGD([nn.Parameter(torch.zeros(1))], lr=base)
    warm = torch.optim.lr_scheduler.LinearLR(opt, start_factor=1 / warmup, end_factor=1.0, total_iters=warmup - 1)
    cos = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=total - warmup, eta_min=end)
    seq = torch.optim.lr_scheduler.SequentialLR(opt, [warm, cos], milestones=[warmup])
    warmup_cosine = lrs(seq, opt, total + 1)
    closed = [base * (s + 1) / warmup if s < warmup
              else end + (base - end) * (1 + np.cos(np.pi * (s - warmup) / (total - warmup))) / 2
              for s in range(total + 1)]
    assert np.allclose(warmup_cosine, closed, rtol=1e-12, atol=1e-15), (warmup_cosine, closed)

    opt = torch.optim.SGD([nn.Parameter(torch.zeros(1))], lr=base)
    cosine = lrs(torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=total, eta_min=end), opt, total + 1)
    save("schedule", config=np.array([base, warmup, total, end], dtype=np.float64),
         warmup_cosine=warmup_cosine, cosine=cosine)


def main():
    os.makedirs(OUT, exist_ok=True)
    ntxent(0.5, 1)
    ntxent(0.1, 2)
    byol()
    ema()
    sgd()
    schedule()
    print("torch", torch.__version__, "wrote", sorted(f for f in os.listdir(OUT) if f.startswith("objective_")))


if __name__ == "__main__":
    main()
