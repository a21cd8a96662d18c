"""PyTorch reference for `npm run bench:train`: one training step (forward, loss, backward, Adam update) of the
same architecture, batch and input size as the tfjs benchmark, on the CPU.

Usage: python3 train_step.py '<json config>'   -> prints one JSON line {params, stepSeconds: [...], threads}
Config: {"model": "resnet"|"unet"|"issueNet"|"vit"|"swinUnet", "resnet": {block, layers, widths, stemWidth, numClasses},
         "vit": {patchSize, numLayers, numHeads, hiddenDim, mlpDim, numClasses},
         "swinUnet": {imageSize, patchSize, inChannels, numClasses, embedDim, depths, numHeads, windowSize, dropPathRate},
         "decoderChannels": [...], "classes": int, "batch": int, "size": int, "warmup": int, "steps": int,
         "threads": int|null}
Prints also maxRssBytes, the process's peak resident memory.
The ResNet is torchvision's layout (v1.5 bottleneck), the U-Net is segmentation_models_pytorch's Unet decoder
(nearest 2x upsampling, concat skip, two conv-BN-ReLU, 3x3 head), the ViT is torchvision's vit_b_16 layout
(conv patch embedding, class token, learned positions, pre-norm blocks with GELU MLP), written here so no extra
package is needed. The Swin-UNet is the parity scripts' (scripts/parity/export_transformers.py: Cao et al.'s,
as SSL4MIS uses it, from torchvision's Swin blocks), the one our Swin-UNet is checked against.
"""
import json
import os
import resource
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class BasicBlock(nn.Module):
    expansion = 1

    def __init__(self, cin, planes, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = None
        if stride != 1 or cin != planes:
            self.downsample = nn.Sequential(nn.Conv2d(cin, planes, 1, stride, bias=False), nn.BatchNorm2d(planes))

    def forward(self, x):
        y = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        return F.relu(y + (self.downsample(x) if self.downsample is not None else x))


class Bottleneck(nn.Module):
    expansion = 4

    def __init__(self, cin, planes, stride):
        super().__init__()
        out = planes * 4
        self.conv1 = nn.Conv2d(cin, planes, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv3 = nn.Conv2d(planes, out, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(out)
        self.downsample = None
        if stride != 1 or cin != out:
            self.downsample = nn.Sequential(nn.Conv2d(cin, out, 1, stride, bias=False), nn.BatchNorm2d(out))

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = F.relu(self.bn2(self.conv2(y)))
        y = self.bn3(self.conv3(y))
        return F.relu(y + (self.downsample(x) if self.downsample is not None else x))


class ResNet(nn.Module):
    def __init__(self, block, layers, widths, stem_width, num_classes):
        super().__init__()
        Block = Bottleneck if block == 'bottleneck' else BasicBlock
        self.conv1 = nn.Conv2d(3, stem_width, 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(stem_width)
        cin = stem_width
        stages = []
        for i, (n, planes) in enumerate(zip(layers, widths)):
            blocks = []
            for b in range(n):
                blocks.append(Block(cin, planes, 2 if b == 0 and i > 0 else 1))
                cin = planes * Block.expansion
            stages.append(nn.Sequential(*blocks))
        self.stages = nn.ModuleList(stages)
        self.channels = [stem_width] + [w * Block.expansion for w in widths]
        self.fc = nn.Linear(cin, num_classes) if num_classes else None

    def features(self, x):
        stem = F.relu(self.bn1(self.conv1(x)))
        out = [stem]
        h = F.max_pool2d(stem, 3, 2, 1)
        for stage in self.stages:
            h = stage(h)
            out.append(h)
        return out

    def forward(self, x):
        h = self.features(x)[-1].mean((2, 3))
        return self.fc(h)


def conv_bn_relu(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, 1, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU())


class Unet(nn.Module):
    def __init__(self, encoder, decoder_channels, classes):
        super().__init__()
        self.encoder = encoder
        deepest_first = encoder.channels[::-1]
        ins = [deepest_first[0]] + decoder_channels[:-1]
        skips = deepest_first[1:] + [0]
        self.blocks = nn.ModuleList(
            nn.Sequential(conv_bn_relu(i + s, o), conv_bn_relu(o, o)) for i, s, o in zip(ins, skips, decoder_channels)
        )
        self.head = nn.Conv2d(decoder_channels[-1], classes, 3, 1, 1)

    def forward(self, x):
        feats = self.encoder.features(x)[::-1]
        h = feats[0]
        for i, block in enumerate(self.blocks):
            h = F.interpolate(h, scale_factor=2, mode='nearest')
            if i + 1 < len(feats):
                h = torch.cat([h, feats[i + 1]], 1)
            h = block(h)
        return self.head(h)


class IssueNet(nn.Module):
    """The issue's tiny U-Net-like step: 3 -> 16 -> 32 channels with a pool and an upsample."""

    def __init__(self, classes):
        super().__init__()
        self.c1 = nn.Conv2d(3, 16, 3, 1, 1)
        self.c2 = nn.Conv2d(16, 32, 3, 1, 1)
        self.c3 = nn.Conv2d(48, 16, 3, 1, 1)
        self.head = nn.Conv2d(16, classes, 1)

    def forward(self, x):
        a = F.relu(self.c1(x))
        b = F.relu(self.c2(F.max_pool2d(a, 2)))
        u = F.interpolate(b, scale_factor=2, mode='nearest')
        return self.head(F.relu(self.c3(torch.cat([u, a], 1))))


class VitBlock(nn.Module):
    def __init__(self, dim, heads, mlp):
        super().__init__()
        self.ln_1 = nn.LayerNorm(dim, eps=1e-6)
        self.self_attention = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.ln_2 = nn.LayerNorm(dim, eps=1e-6)
        self.mlp = nn.Sequential(nn.Linear(dim, mlp), nn.GELU(), nn.Linear(mlp, dim))

    def forward(self, x):
        y = self.ln_1(x)
        x = x + self.self_attention(y, y, y, need_weights=False)[0]
        return x + self.mlp(self.ln_2(x))


class Vit(nn.Module):
    def __init__(self, size, patch, layers, heads, dim, mlp, classes):
        super().__init__()
        self.conv_proj = nn.Conv2d(3, dim, patch, patch)
        self.class_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embedding = nn.Parameter(torch.randn(1, (size // patch) ** 2 + 1, dim) * 0.02)
        self.layers = nn.Sequential(*[VitBlock(dim, heads, mlp) for _ in range(layers)])
        self.ln = nn.LayerNorm(dim, eps=1e-6)
        self.head = nn.Linear(dim, classes)

    def forward(self, x):
        p = self.conv_proj(x).flatten(2).transpose(1, 2)
        h = torch.cat([self.class_token.expand(x.shape[0], -1, -1), p], 1) + self.pos_embedding
        return self.head(self.ln(self.layers(h))[:, 0])


def build(cfg):
    if cfg['model'] == 'swinUnet':
        sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'scripts', 'parity'))
        from export_transformers import SwinUnet

        u = cfg['swinUnet']
        return SwinUnet(u['imageSize'], u['patchSize'], u['inChannels'], u['numClasses'], u['embedDim'], u['depths'],
                        u['numHeads'], u['windowSize'], u['dropPathRate'])
    if cfg['model'] == 'issueNet':
        return IssueNet(cfg['classes'])
    if cfg['model'] == 'vit':
        v = cfg['vit']
        return Vit(cfg['size'], v['patchSize'], v['numLayers'], v['numHeads'], v['hiddenDim'], v['mlpDim'],
                   v['numClasses'])
    r = cfg['resnet']
    if cfg['model'] == 'resnet':
        return ResNet(r['block'], r['layers'], r['widths'], r['stemWidth'], r['numClasses'])
    encoder = ResNet(r['block'], r['layers'], r['widths'], r['stemWidth'], None)
    return Unet(encoder, cfg['decoderChannels'], cfg['classes'])


def main():
    cfg = json.loads(sys.argv[1])
    if cfg.get('threads'):
        torch.set_num_threads(cfg['threads'])
    torch.manual_seed(0)
    model = build(cfg).train()
    params = sum(p.numel() for p in model.parameters())
    opt = torch.optim.Adam(model.parameters(), lr=3.6e-4, weight_decay=1e-5)
    n, s = cfg['batch'], cfg['size']
    x = torch.randn(n, 3, s, s)
    if cfg['model'] == 'resnet':
        y = torch.randint(0, cfg['resnet']['numClasses'], (n,))
    elif cfg['model'] == 'vit':
        y = torch.randint(0, cfg['vit']['numClasses'], (n,))
    else:
        y = torch.randint(0, cfg['classes'], (n, s, s))
    times = []
    for i in range(cfg['warmup'] + cfg['steps']):
        t0 = time.perf_counter()
        opt.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        loss.item()
        if i >= cfg['warmup']:
            times.append(time.perf_counter() - t0)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({'params': params, 'stepSeconds': times, 'threads': torch.get_num_threads(),
                      'torch': torch.__version__, 'maxRssBytes': rss}))


if __name__ == '__main__':
    main()
