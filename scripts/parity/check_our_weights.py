#!/usr/bin/env python3
"""Load a weights file written by S4MI Studio into torchvision's ResNet with strict=True, run it on
the given NCHW input and print JSON {"missing": [...], "unexpected": [...], "output": [...]}.
Usage: check_our_weights.py ARCH WEIGHTS.safetensors INPUT.json  (INPUT: {"shape": [...], "data": [...]})"""
import json
import struct
import sys

import numpy as np
import torch
import torchvision


def read_f32_safetensors(path):
    raw = open(path, "rb").read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8 : 8 + n])
    base = 8 + n
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        assert info["dtype"] == "F32", f"{name}: {info['dtype']}"
        begin, end = info["data_offsets"]
        out[name] = torch.from_numpy(np.frombuffer(raw[base + begin : base + end], dtype="<f4").reshape(info["shape"]).copy())
    return out


def main():
    arch, weights, inputs = sys.argv[1:4]
    model = getattr(torchvision.models, arch)()
    result = model.load_state_dict(read_f32_safetensors(weights), strict=True)
    spec = json.load(open(inputs))
    model.eval()
    with torch.no_grad():
        y = model(torch.tensor(spec["data"], dtype=torch.float32).reshape(spec["shape"]))
    print(json.dumps({"missing": result.missing_keys, "unexpected": result.unexpected_keys, "output": y.flatten().tolist()}))


if __name__ == "__main__":
    main()
