#!/usr/bin/env python3
"""Export PyTorch reference weights and outputs for the tfjs model-zoo parity tests.

Reference: Debian's python3-torch / python3-torchvision (test and bench only, never a runtime
dependency). Each case writes two safetensors files:
  <case>.weights.safetensors  randomly initialised weights under torch state-dict names
  <case>.io.safetensors       input (NCHW), eval-mode output, train-mode output, the loss weights R
                              of the scalar loss sum(train_output * R), gradients of that loss
                              (grad.input, grad.<param>) and BN running stats after the train step
                              (after_train.<buffer>)
Small cases (default) are committed under tests/fixtures/models/; `--full` writes the
paper-sized models (ResNet-34/50, ResNet-34 U-Net, PiCIE ResNet-18 FPN) for the opt-in test to a scratch folder.

Other model families add a module scripts/parity/cases_<family>.py exposing CASES (name ->
function(full: bool) returning a dict like make_case's) and FULL_CASES; they are picked up here.

Usage: /usr/bin/python3 scripts/parity/export_reference.py [--full] [--out DIR] [--only NAME]
"""
import argparse
import glob
import importlib
import os
import sys

import torch
import torchvision

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors_io import save_f32  # noqa: E402
import torch_models as tm  # noqa: E402

SEED = 20240501


def make_case(model, input_shape, grad_params, seed=SEED, train_step=True):
    """Run the reference model the way the tests will run ours and collect everything to compare."""
    g = torch.Generator().manual_seed(seed + 1)
    tm.randomize_batchnorm(model, g)
    # clone: state_dict() aliases the live buffers, which the train step below updates in place
    weights = {k: v.clone() for k, v in model.state_dict().items() if not k.endswith("num_batches_tracked")}
    x = torch.randn(*input_shape, generator=g)
    io = {"input": x}
    # Outputs and gradients in float64 from the float32 weights and input: the fixture then holds the
    # exact answer, and our float32 error is not mixed with torch's own float32 rounding.
    model = model.double()
    x = x.double()
    model.eval()
    with torch.no_grad():
        io["eval.output"] = model(x)
    if train_step:
        model.train()
        xr = x.clone().requires_grad_(True)
        out = model(xr)
        r = torch.randn(out.shape, generator=g).double()
        (out * r).sum().backward()
        io["train.output"] = out.detach()
        io["loss.weights"] = r
        io["grad.input"] = xr.grad
        params = dict(model.named_parameters())
        for name in grad_params:
            io["grad." + name] = params[name].grad
        for name, buf in model.named_buffers():
            if name.endswith("running_mean") or name.endswith("running_var"):
                io["after_train." + name] = buf.detach().clone()
    return {"weights": weights, "io": io}


def tiny_resnet(block, widths, num_classes=10):
    return tm.NarrowResNet(tm.block_of(block), [1, 1, 1, 1], widths, 8, num_classes)


def case_resnet_tiny_basic(full=False):
    torch.manual_seed(SEED)
    model = tiny_resnet("basic", [8, 16, 32, 64])
    grads = ["conv1.weight", "bn1.weight", "layer1.0.conv2.weight", "layer3.0.downsample.0.weight", "layer4.0.bn2.bias", "fc.weight", "fc.bias"]
    return make_case(model, (2, 3, 64, 64), grads)


def case_resnet_tiny_bottleneck(full=False):
    torch.manual_seed(SEED)
    model = tiny_resnet("bottleneck", [4, 8, 16, 32])
    grads = ["conv1.weight", "layer1.0.conv1.weight", "layer2.0.conv2.weight", "layer4.0.conv3.weight", "layer4.0.bn3.weight", "fc.weight"]
    return make_case(model, (2, 3, 64, 64), grads)


def case_unet_tiny(full=False):
    torch.manual_seed(SEED)
    encoder = tiny_resnet("basic", [8, 16, 32, 64], num_classes=None)
    model = tm.Unet(encoder, [3, 8, 8, 16, 32, 64], [32, 16, 16, 8, 8], classes=3)
    grads = ["encoder.conv1.weight", "decoder.blocks.0.conv1.0.weight", "decoder.blocks.4.conv2.1.weight", "segmentation_head.0.weight", "segmentation_head.0.bias"]
    # 64x32: the stride-32 map is 2x1, so train-mode BatchNorm there sees 4 values, not 2 (with 2,
    # gradients through it are so ill-conditioned that torch's own float32 run is 2% off float64).
    return make_case(model, (2, 3, 64, 32), grads)


def case_picie_fpn_tiny(full=False):
    torch.manual_seed(SEED)
    backbone = tiny_resnet("basic", [8, 16, 32, 64], num_classes=None)
    model = tm.PicieFPN(backbone, [8, 16, 32, 64], out_dim=16)
    grads = ["backbone.conv1.weight", "backbone.layer2.0.conv1.weight", "decoder.layer1.weight", "decoder.layer4.weight", "decoder.layer4.bias"]
    # 48 px: stride-32 maps are 2x2 and stride-4 maps 12x12, so the bilinear steps are not plain 2x copies.
    return make_case(model, (2, 3, 48, 48), grads)


def case_resnet50_full(full=True):
    torch.manual_seed(SEED)
    return make_case(torchvision.models.resnet50(), (1, 3, 224, 224), [], train_step=False)


def case_resnet34_full(full=True):
    torch.manual_seed(SEED)
    return make_case(torchvision.models.resnet34(), (1, 3, 224, 224), [], train_step=False)


def case_picie_resnet18_full(full=True):
    torch.manual_seed(SEED)
    backbone = tm.NarrowResNet(tm.block_of("basic"), [2, 2, 2, 2], [64, 128, 256, 512], 64, None)
    return make_case(tm.PicieFPN(backbone, [64, 128, 256, 512], out_dim=128), (1, 3, 224, 224), [], train_step=False)


def case_unet_resnet34_full(full=True):
    torch.manual_seed(SEED)
    encoder = tm.NarrowResNet(tm.block_of("basic"), [3, 4, 6, 3], [64, 128, 256, 512], 64, None)
    model = tm.Unet(encoder, [3, 64, 64, 128, 256, 512], [256, 128, 64, 32, 16], classes=4)
    return make_case(model, (1, 3, 224, 224), [], train_step=False)


CASES = {
    "resnet-tiny-basic": case_resnet_tiny_basic,
    "resnet-tiny-bottleneck": case_resnet_tiny_bottleneck,
    "unet-tiny": case_unet_tiny,
    "picie-fpn-tiny": case_picie_fpn_tiny,
}
FULL_CASES = {
    "resnet34": case_resnet34_full,
    "resnet50": case_resnet50_full,
    "picie-resnet18": case_picie_resnet18_full,
    "unet-resnet34": case_unet_resnet34_full,
}


def load_family_cases():
    here = os.path.dirname(os.path.abspath(__file__))
    for path in sorted(glob.glob(os.path.join(here, "cases_*.py"))):
        mod = importlib.import_module(os.path.splitext(os.path.basename(path))[0])
        CASES.update(getattr(mod, "CASES", {}))
        FULL_CASES.update(getattr(mod, "FULL_CASES", {}))


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--full", action="store_true", help="paper-sized models instead of the small fixtures")
    parser.add_argument("--out", default=None, help="output folder (default tests/fixtures/models)")
    parser.add_argument("--only", default=None, help="export just this case")
    args = parser.parse_args()
    load_family_cases()
    torch.set_num_threads(2)
    out = args.out or os.path.join(root, "tests", "fixtures", "models")
    os.makedirs(out, exist_ok=True)
    cases = FULL_CASES if args.full else CASES
    meta = {"torch": torch.__version__, "torchvision": torchvision.__version__, "seed": SEED}
    for name, build in cases.items():
        if args.only and name != args.only:
            continue
        case = build(full=args.full)
        save_f32(case["weights"], os.path.join(out, f"{name}.weights.safetensors"), meta)
        save_f32(case["io"], os.path.join(out, f"{name}.io.safetensors"), meta)
        print(f"{name}: {len(case['weights'])} weight tensors, {len(case['io'])} io tensors -> {out}")


if __name__ == "__main__":
    main()
