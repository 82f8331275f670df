#!/usr/bin/env python3
"""The kNN monitor of budgeted runs over wall minutes, one line per run, as an SVG (docs/benchmarks.md's curve).

Usage: scripts/bench/knn-curves.py OUT.svg RUN_DIR [RUN_DIR ...]

Reads each run's metrics.csv (per epoch: training seconds, kNN accuracy of the ssl-train monitor: 5,000
training images as neighbours of 1,000 test images) and config.json (method, width, local crops and the time
budget's plan). An epoch's point is placed at the minute it ended: the plan's training start plus the epochs'
training seconds so far plus one measured epoch end (test loss and kNN monitor) per epoch. Standard library only.
"""
import csv
import json
import os
import sys

COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]
W, H, L, R, T, B = 720, 440, 60, 200, 20, 50


def series(run):
    with open(os.path.join(run, "config.json")) as f:
        config = json.load(f)
    plan = config["options"].get("time_budget", {}).get("plan", {})
    t = plan.get("training_starts_at_seconds", 0.0)
    end = plan.get("epoch_end_seconds", 0.0)
    points = []
    with open(os.path.join(run, "metrics.csv")) as f:
        for row in csv.DictReader(f):
            t += float(row["seconds"]) + end
            if row.get("knn_accuracy") not in (None, "", "NaN"):
                points.append((t / 60, 100 * float(row["knn_accuracy"])))
    method = config["method"]
    name = method.get("name", config.get("model", "?"))
    label = f"{name} w{method.get('width', '-')}"
    crops = method.get("local_crops")
    if crops:
        label += f" +{crops} local"
    optimizer = config.get("optimizer", {}).get("name")
    if optimizer and optimizer != "sgd":
        label += f" {optimizer}"
    budget = config["options"].get("time_budget", {}).get("seconds")
    if budget:
        label += f", {budget / 60:.0f} min"
    return label, points


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    out, runs = sys.argv[1], sys.argv[2:]
    lines = [series(r) for r in runs]
    xmax = max([p[0] for _, ps in lines for p in ps] + [1])
    ymax = max([p[1] for _, ps in lines for p in ps] + [10])
    ymax = min(100, (int(ymax) // 10 + 1) * 10)

    def x(v):
        return L + v / xmax * (W - L - R)

    def y(v):
        return T + (1 - v / ymax) * (H - T - B)

    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="12">',
           f'<rect width="{W}" height="{H}" fill="white"/>',
           f'<rect x="{L}" y="{T}" width="{W - L - R}" height="{H - T - B}" fill="none" stroke="gray"/>']
    for v in range(0, ymax + 1, 10):
        svg.append(f'<line x1="{L}" x2="{W - R}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#eee"/>')
        svg.append(f'<text x="{L - 35}" y="{y(v) + 4:.1f}">{v}%</text>')
    step = 5 if xmax > 15 else 1
    for m in range(0, int(xmax) + 1, step):
        svg.append(f'<text x="{x(m) - 4:.1f}" y="{H - B + 16}">{m}</text>')
    svg.append(f'<text x="{L}" y="{H - 10}">minutes from launch; kNN monitor (5,000 train / 1,000 test images), full CIFAR-10</text>')
    for i, (label, points) in enumerate(lines):
        c = COLOURS[i % len(COLOURS)]
        pts = " ".join(f"{x(a):.1f},{y(b):.1f}" for a, b in points)
        svg.append(f'<polyline points="{pts}" fill="none" stroke="{c}" stroke-width="2"/>')
        for a, b in points:
            svg.append(f'<circle cx="{x(a):.1f}" cy="{y(b):.1f}" r="3" fill="{c}"/>')
        svg.append(f'<rect x="{W - R + 10}" y="{T + 18 * i}" width="12" height="12" fill="{c}"/>')
        svg.append(f'<text x="{W - R + 28}" y="{T + 18 * i + 11}">{label}</text>')
    svg.append("</svg>")
    with open(out, "w") as f:
        f.write("\n".join(svg) + "\n")


if __name__ == "__main__":
    main()
