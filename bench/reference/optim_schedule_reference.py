"""Reference numbers for S4MI's optimisers and LR schedules, computed with PyTorch (Debian python3-torch).

Writes src/core/engine/optim/torchOptimReference.json and src/core/engine/schedule/torchScheduleReference.json,
which the vitest tests compare against. Run: /usr/bin/python3 bench/reference/optim_schedule_reference.py
"""
import json
import math
import os

import torch

ROOT = os.path.join(os.path.dirname(__file__), '..', '..')
torch.manual_seed(0)


def rounded(t):
    return [float(x) for x in t.detach().reshape(-1).tolist()]


def optimiser_case(name, make, steps=6, clip=None):
    gen = torch.Generator().manual_seed(1)
    p0 = torch.randn(2, 3, generator=gen)
    p1 = torch.randn(4, generator=gen)
    grads = [[torch.randn(2, 3, generator=gen) * 3, torch.randn(4, generator=gen)] for _ in range(steps)]
    params = [p0.clone().requires_grad_(True), p1.clone().requires_grad_(True)]
    opt = make(params)
    history = []
    norms = []
    for g0, g1 in grads:
        opt.zero_grad()
        params[0].grad = g0.clone()
        params[1].grad = g1.clone()
        if clip is not None:
            norms.append(float(torch.nn.utils.clip_grad_norm_(params, clip)))
        opt.step()
        history.append([rounded(params[0]), rounded(params[1])])
    return {
        'name': name,
        'initial': [rounded(p0), rounded(p1)],
        'shapes': [[2, 3], [4]],
        'grads': [[rounded(g0), rounded(g1)] for g0, g1 in grads],
        'params': history,
        'gradNorms': norms,
    }


cases = [
    optimiser_case('adam', lambda ps: torch.optim.Adam(ps, lr=0.1, weight_decay=0.05)),
    optimiser_case('adamPaper', lambda ps: torch.optim.Adam(ps, lr=3.6e-4, weight_decay=1e-5)),
    optimiser_case('adamW', lambda ps: torch.optim.AdamW(ps, lr=0.1, weight_decay=0.05)),
    optimiser_case('sgdMomentum', lambda ps: torch.optim.SGD(ps, lr=0.01, momentum=0.9, weight_decay=1e-4)),
    optimiser_case('sgdNesterov', lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.9, weight_decay=0.01, nesterov=True)),
    optimiser_case('sgdPlain', lambda ps: torch.optim.SGD(ps, lr=0.05)),
    optimiser_case('adamClipped', lambda ps: torch.optim.Adam(ps, lr=0.1), clip=3.0),
]
with open(os.path.join(ROOT, 'src/core/engine/optim/torchOptimReference.json'), 'w') as f:
    json.dump({'torch': torch.__version__, 'cases': cases}, f, indent=1)


def scheduler_lrs(make, base_lr, epochs):
    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], lr=base_lr)
    sched = make(opt)
    lrs = []
    for _ in range(epochs):
        lrs.append(opt.param_groups[0]['lr'])
        opt.step()
        sched.step()
    return lrs


def dino_cosine(base, final, epochs, iters_per_epoch, warmup_epochs, start_warmup):
    # facebookresearch/dino utils.cosine_scheduler, as a formula: linear warm-up then half a cosine.
    warm = warmup_epochs * iters_per_epoch
    total = epochs * iters_per_epoch
    out = []
    for i in range(total):
        if i < warm:
            out.append(start_warmup + (base - start_warmup) * i / (warm - 1) if warm > 1 else base)
        else:
            k = i - warm
            out.append(final + 0.5 * (base - final) * (1 + math.cos(math.pi * k / (total - warm))))
    return out


schedules = {
    'cosinePaper': {
        'baseLr': 3.6e-4, 'tMax': 50, 'etaMin': 3.4e-4,
        'lrs': scheduler_lrs(lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=50, eta_min=3.4e-4), 3.6e-4, 130),
    },
    'cosineWide': {
        'baseLr': 0.01, 'tMax': 10, 'etaMin': 0.0,
        'lrs': scheduler_lrs(lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=10, eta_min=0.0), 0.01, 35),
    },
    'step': {
        'baseLr': 0.1, 'stepSize': 7, 'gamma': 0.5,
        'lrs': scheduler_lrs(lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=7, gamma=0.5), 0.1, 30),
    },
    'poly': {
        'baseLr': 0.01, 'maxIterations': 40, 'power': 0.9,
        'lrs': scheduler_lrs(lambda o: torch.optim.lr_scheduler.LambdaLR(o, lambda it: (1 - it / 40) ** 0.9), 0.01, 40),
    },
    'warmupCosine': {
        'baseLr': 5e-4, 'finalLr': 1e-6, 'epochs': 12, 'iterationsPerEpoch': 5, 'warmupEpochs': 3, 'startLr': 0.0,
        'lrs': dino_cosine(5e-4, 1e-6, 12, 5, 3, 0.0),
    },
}
with open(os.path.join(ROOT, 'src/core/engine/schedule/torchScheduleReference.json'), 'w') as f:
    json.dump({'torch': torch.__version__, 'schedules': schedules}, f, indent=1)
print('wrote optimiser and schedule references')
