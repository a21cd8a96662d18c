#!/usr/bin/env python3
"""PyTorch timing of one training step (forward, backward, SGD) of the small presets, for the
ratio printed by scripts/parity/benchModels.ts. Prints JSON {preset: median_ms}."""
import json
import os
import statistics
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_models as tm  # noqa: E402


def tiny(block, widths, classes=10):
    return tm.NarrowResNet(tm.block_of(block), [1, 1, 1, 1], widths, 8, classes)


def build(name):
    if name == "resnetTiny":
        return tiny("basic", [8, 16, 32, 64])
    if name == "resnetTinyBottleneck":
        return tiny("bottleneck", [4, 8, 16, 32])
    if name == "unetTiny":
        return tm.Unet(tiny("basic", [8, 16, 32, 64], None), [3, 8, 8, 16, 32, 64], [32, 16, 16, 8, 8], classes=2)
    if name == "picieTiny":
        return tm.PicieFPN(tiny("basic", [8, 16, 32, 64], None), [8, 16, 32, 64], out_dim=16)
    raise ValueError(name)


def main():
    batch, size, repeats = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    torch.set_num_threads(1)
    torch.manual_seed(0)
    out = {}
    for name in ["resnetTiny", "resnetTinyBottleneck", "unetTiny", "picieTiny"]:
        model = build(name).train()
        opt = torch.optim.SGD(model.parameters(), lr=0.01)
        x = torch.randn(batch, 3, size, size)
        times = []
        for i in range(repeats + 1):
            t = time.perf_counter()
            opt.zero_grad()
            model(x).square().mean().backward()
            opt.step()
            if i:
                times.append((time.perf_counter() - t) * 1000)
        out[name] = statistics.median(times)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
