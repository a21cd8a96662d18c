"""DINO's quick recipe in PyTorch, for src/core/methods/classification/dinoReference.test.ts.

Run: /usr/bin/python3 (Debian python3-torch, python3-torchvision) scripts/reference/dino_quick.py
       --images FILE --labels FILE --size 32 --epochs 60 [--seed 1]
FILE: raw uint8 pixels [N, size, size, 3] and a JSON list of N class indices (the test writes both from
fixtures/shapeImages.ts). Prints one JSON line per epoch (mean loss, teacher entropy and KL to the centre,
as dinoStep.ts logs them) and a last line with the k-NN probes of the random start, the student and the
teacher.

What it reproduces is our quick official preset in its ViT form (dinoPresets.ts; the test pins that form on
the ResNet, whose default is now DINO's convnet recipe), written from facebookresearch/dino's main_dino.py
and vision_transformer.py DINOHead, not from our code:
  backbone  our resnetTiny (basic blocks [1, 1, 1, 1], widths 8-16-32-64, stem 8; torchvision's init),
  head      3 layers 64 → 64 → 32, GELU, L2-normalised, weight-normalised last layer to 256, g fixed at 1,
  crops     2 global (scale 0.4–1) + 2 local of round(size · 96/224) px (scale 0.05–0.4), flip, colour
            jitter (0.4, 0.4, 0.2, 0.1; p 0.8), grayscale p 0.2, blur σ 0.1–2 with p 1 / 0.1 / 0.5,
            solarisation p 0.2 on the second global crop, ImageNet normalisation,
  optimiser AdamW lr 1e-3 (1 warm-up epoch, cosine to 1e-6), weight decay 0.04 → 0.4 off biases and
            1-D tensors, each gradient clipped to norm 3, last layer frozen in epoch 1,
  teacher   EMA with momentum 0.99 → 1 (cosine), temperature 0.04; student 0.1; centre momentum 0.9;
  batch     16.
"""
import argparse
import json
import math
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision.transforms as T

MEAN = torch.tensor([0.485, 0.456, 0.406]).view(3, 1, 1)
STD = torch.tensor([0.229, 0.224, 0.225]).view(3, 1, 1)

# The networks are the ones bench:train's PyTorch side times (bench/reference/ssl_step.py, train_step.py).
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench" / "reference"))
from ssl_step import DinoNet  # noqa: E402

CONFIG = {
    "resnet": {"block": "basic", "layers": [1, 1, 1, 1], "widths": [8, 16, 32, 64], "stemWidth": 8},
    "outDim": 256,
    "headHidden": 64,
    "headBottleneck": 32,
}


def initialised_like_ours(net):
    """torchvision's ResNet init (kaiming normal, fan out) and DINOHead's (trunc normal σ 0.02, zero bias)."""
    for m in net.backbone.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
    for m in net.head.mlp:
        if isinstance(m, nn.Linear):
            nn.init.trunc_normal_(m.weight, std=0.02)
            nn.init.zeros_(m.bias)
    return net


def embed(net, x):
    """The pooled backbone embedding, as DinoNet feeds its head."""
    return net.backbone.features(x)[-1].mean((2, 3))


def cosine(base, final, total, warmup=0):
    """utils.cosine_scheduler: linear warm-up from 0, then a cosine from base to final."""
    ramp = np.linspace(0, base, warmup) if warmup else np.array([])
    i = np.arange(total - warmup)
    return np.concatenate([ramp, final + 0.5 * (base - final) * (1 + np.cos(np.pi * i / len(i)))])


def crops_of(batch, size, rng):
    local = max(1, round(size * 96 / 224))
    jitter = T.RandomApply([T.ColorJitter(0.4, 0.4, 0.2, 0.1)], p=0.8)

    def view(x, side, scale, blur_p, solarize_p):
        y = T.Compose([T.RandomResizedCrop(side, scale=scale), T.RandomHorizontalFlip(), jitter, T.RandomGrayscale(0.2)])(x)
        if rng.random() < blur_p:
            y = T.GaussianBlur(min(2 * side - 1, 2 * math.ceil(3 * 2.0) + 1) | 1, (0.1, 2.0))(y)
        if rng.random() < solarize_p:
            y = T.RandomSolarize(0.5, p=1.0)(y)
        return (y - MEAN) / STD

    g1 = torch.stack([view(x, size, (0.4, 1), 1.0, 0) for x in batch])
    g2 = torch.stack([view(x, size, (0.4, 1), 0.1, 0.2) for x in batch])
    locals_ = [torch.stack([view(x, local, (0.05, 0.4), 0.5, 0) for x in batch]) for _ in range(2)]
    return [g1, g2], [torch.cat([g1, g2]), torch.cat(locals_)]


def knn(net, x, labels, k=5):
    """Leave-one-out k-NN on cosine similarity, BatchNorm on the probe images' own statistics."""
    with torch.no_grad():
        f = F.normalize(embed(net, (x - MEAN) / STD), dim=1)
    sim = f @ f.T
    sim.fill_diagonal_(-float("inf"))
    nearest = sim.topk(k, dim=1).indices.numpy()
    classes = int(labels.max()) + 1
    votes = [np.bincount(labels[row], minlength=classes).argmax() for row in nearest]
    return float(np.mean(np.array(votes) == labels))


def main():
    a = argparse.ArgumentParser()
    a.add_argument("--images", required=True)
    a.add_argument("--labels", required=True)
    a.add_argument("--size", type=int, default=32)
    a.add_argument("--epochs", type=int, default=60)
    a.add_argument("--seed", type=int, default=1)
    args = a.parse_args()
    torch.manual_seed(args.seed)
    torch.set_num_threads(1)
    rng = np.random.default_rng(args.seed)
    labels = np.array(json.load(open(args.labels)))
    pixels = np.fromfile(args.images, dtype=np.uint8).reshape(len(labels), args.size, args.size, 3)
    x = torch.tensor(pixels).permute(0, 3, 1, 2).float() / 255
    student, teacher = initialised_like_ours(DinoNet(CONFIG)), DinoNet(CONFIG)
    teacher.load_state_dict(student.state_dict())
    for p in teacher.parameters():
        p.requires_grad = False
    random_probe = knn(student, x, labels)

    batch, n = 16, len(labels)
    steps = n // batch
    total = args.epochs * steps
    lr = cosine(1e-3, 1e-6, total, steps)
    wd = cosine(0.04, 0.4, total)
    momentum = cosine(0.99, 1.0, total)
    named = [(k, p) for k, p in student.named_parameters() if p.requires_grad]
    decayed = [p for k, p in named if not k.endswith(".bias") and p.ndim > 1]
    plain = [p for k, p in named if k.endswith(".bias") or p.ndim <= 1]
    opt = torch.optim.AdamW([{"params": decayed}, {"params": plain, "weight_decay": 0.0}], lr=1e-3)
    center = torch.zeros(1, 256)
    it = 0
    for epoch in range(args.epochs):
        order = rng.permutation(n)
        sums = {"dinoLoss": 0.0, "teacherEntropy": 0.0, "klToCenter": 0.0}
        for s in range(steps):
            teacher_crops, student_crops = crops_of(x[order[s * batch : (s + 1) * batch]], args.size, rng)
            for i, group in enumerate(opt.param_groups):
                group["lr"] = lr[it]
                group["weight_decay"] = wd[it] if i == 0 else 0.0
            with torch.no_grad():
                t = teacher(teacher_crops)
            out = student(student_crops) / 0.1
            probs = F.softmax((t - center) / 0.04, dim=-1)
            t_chunks, s_chunks = probs.chunk(2), out.chunk(4)
            terms = [
                (-tc * F.log_softmax(sc, dim=-1)).sum(-1).mean()
                for ti, tc in enumerate(t_chunks)
                for si, sc in enumerate(s_chunks)
                if ti != si
            ]
            loss = sum(terms) / len(terms)
            opt.zero_grad()
            loss.backward()
            for p in student.parameters():
                if p.grad is not None:
                    p.grad.mul_(min(1.0, 3.0 / (p.grad.norm().item() + 1e-6)))
            if epoch < 1:
                student.head.last_layer.weight_v.grad = None
            opt.step()
            with torch.no_grad():
                for ps, pt in zip(student.parameters(), teacher.parameters()):
                    pt.mul_(momentum[it]).add_((1 - momentum[it]) * ps.detach())
                raw = F.log_softmax(t / 0.04, dim=-1)
                centre_log = F.log_softmax(center / 0.04, dim=-1)
                sums["klToCenter"] += float((raw.exp() * (raw - centre_log)).sum(-1).mean())
                sums["teacherEntropy"] += float((-(probs * torch.log(probs.clamp_min(1e-30)))).sum(-1).mean())
                sums["dinoLoss"] += loss.item()
                center = 0.9 * center + 0.1 * t.mean(0, keepdim=True)
            it += 1
        print(json.dumps({"epoch": epoch + 1, **{k: v / steps for k, v in sums.items()}}), flush=True)
    print(
        json.dumps(
            {"knnRandom": random_probe, "knnStudent": knn(student, x, labels), "knnTeacher": knn(teacher, x, labels)}
        ),
        flush=True,
    )


if __name__ == "__main__":
    main()
