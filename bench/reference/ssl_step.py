"""PyTorch reference for the self-supervised steps of `npm run bench:train`: one DINO step and one CASS step,
with the same networks, crops, batch and sizes as the tfjs side (bench/sslSteps.ts), on the CPU.

Usage: python3 ssl_step.py '<json config>'   -> prints one JSON line {params, stepSeconds: [...], threads, maxRssBytes}
Config: {"model": "dino"|"cass", "resnet": {...}, "vit": {...}, "batch", "size", "localSize", "localCrops",
         "outDim", "headHidden", "headBottleneck", "warmup", "steps", "threads"}
DINO (facebookresearch/dino main_dino.py): ResNet student and teacher with DINOHead (3-layer MLP, GELU,
L2-normalised bottleneck, weight-normalised last layer), 2 global + n local crops, teacher on the globals,
cross-entropy over the pairs of different views with centring, AdamW, per-parameter clipping at 3, EMA.
CASS (CASS.ipynb): ResNet and ViT with their heads on the same batch, 2 - 2 cos, one Adam each.
The networks are train_step.py's, so the comparison is like for like.
"""
import json
import resource
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

from train_step import ResNet, Vit


class DinoHead(nn.Module):
    def __init__(self, in_dim, out_dim, hidden, bottleneck):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(in_dim, hidden), nn.GELU(), nn.Linear(hidden, hidden), nn.GELU(),
                                 nn.Linear(hidden, bottleneck))
        self.last_layer = nn.utils.weight_norm(nn.Linear(bottleneck, out_dim, bias=False))
        self.last_layer.weight_g.data.fill_(1)
        self.last_layer.weight_g.requires_grad = False

    def forward(self, x):
        return self.last_layer(F.normalize(self.mlp(x), dim=-1, p=2))


class DinoNet(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        r = cfg['resnet']
        self.backbone = ResNet(r['block'], r['layers'], r['widths'], r['stemWidth'], None)
        dim = self.backbone.channels[-1]
        self.head = DinoHead(dim, cfg['outDim'], cfg['headHidden'], cfg['headBottleneck'])

    def forward(self, groups):
        return torch.cat([self.head(self.backbone.features(g)[-1].mean((2, 3))) for g in groups])


def dino_setup(cfg):
    student = DinoNet(cfg).train()
    teacher = DinoNet(cfg).train()
    teacher.load_state_dict(student.state_dict())
    for p in teacher.parameters():
        p.requires_grad = False
    center = torch.zeros(1, cfg['outDim'])
    n, s, l = cfg['batch'], cfg['size'], cfg['localSize']
    globals_ = torch.randn(2 * n, 3, s, s)
    locals_ = torch.randn(cfg['localCrops'] * n, 3, l, l)
    opt = torch.optim.AdamW(student.parameters(), lr=5e-4 * n / 256, weight_decay=0.04)
    crops = 2 + cfg['localCrops']

    def step():
        nonlocal center
        with torch.no_grad():
            t_out = teacher([globals_])
        s_out = student([globals_, locals_])
        t = F.softmax((t_out - center) / 0.04, dim=-1).chunk(2)
        s_log = F.log_softmax(s_out / 0.1, dim=-1).chunk(crops)
        total, terms = 0, 0
        for iq, q in enumerate(t):
            for v in range(crops):
                if v == iq:
                    continue
                total = total + torch.sum(-q * s_log[v], dim=-1).mean()
                terms += 1
        loss = total / terms
        opt.zero_grad()
        loss.backward()
        for p in student.parameters():
            if p.grad is not None:
                norm = p.grad.norm(2)
                coef = 3.0 / (norm + 1e-6)
                if coef < 1:
                    p.grad.mul_(coef)
        opt.step()
        with torch.no_grad():
            for ps, pt in zip(student.parameters(), teacher.parameters()):
                pt.mul_(0.996).add_(0.004 * ps.detach())
            center = center * 0.9 + t_out.mean(0, keepdim=True) * 0.1
        return loss.item()

    params = sum(p.numel() for p in student.parameters())
    return step, params


def cass_setup(cfg):
    r, v = cfg['resnet'], cfg['vit']
    cnn = ResNet(r['block'], r['layers'], r['widths'], r['stemWidth'], r['numClasses']).train()
    vit = Vit(cfg['size'], v['patchSize'], v['numLayers'], v['numHeads'], v['hiddenDim'], v['mlpDim'],
              v['numClasses']).train()
    x = torch.randn(cfg['batch'], 3, cfg['size'], cfg['size'])
    opt_cnn = torch.optim.Adam(cnn.parameters(), lr=1e-3)
    opt_vit = torch.optim.Adam(vit.parameters(), lr=1e-3)

    def step():
        a = F.normalize(cnn(x), dim=-1, p=2)
        b = F.normalize(vit(x), dim=-1, p=2)
        loss = (2 - 2 * (a * b).sum(-1)).mean()
        opt_cnn.zero_grad()
        opt_vit.zero_grad()
        loss.backward()
        opt_cnn.step()
        opt_vit.step()
        return loss.item()

    params = sum(p.numel() for p in cnn.parameters()) + sum(p.numel() for p in vit.parameters())
    return step, params


def main():
    cfg = json.loads(sys.argv[1])
    if cfg.get('threads'):
        torch.set_num_threads(cfg['threads'])
    torch.manual_seed(0)
    step, params = (dino_setup if cfg['model'] == 'dino' else cass_setup)(cfg)
    times = []
    for i in range(cfg['warmup'] + cfg['steps']):
        t0 = time.perf_counter()
        step()
        if i >= cfg['warmup']:
            times.append(time.perf_counter() - t0)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({'params': params, 'stepSeconds': times, 'threads': torch.get_num_threads(),
                      'torch': torch.__version__, 'maxRssBytes': rss}))


if __name__ == '__main__':
    main()
