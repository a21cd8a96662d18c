#!/usr/bin/env python3
"""Reference outputs for the tfjs transformers (ViT, Swin-T, Swin-UNet), from PyTorch/torchvision.

Test and bench reference only: the app never runs Python. Uses Debian's python3-torch 1.13 and
python3-torchvision 0.14 (run with /usr/bin/python3 when another python shadows it).

  /usr/bin/python3 scripts/parity/export_transformers.py                   # small fixtures (committed)
  /usr/bin/python3 scripts/parity/export_transformers.py --full OUT_DIR    # paper-sized, for the opt-in test

For every model it writes two safetensors files:
  <name>.weights.safetensors  the state dict (torch names and layouts), config JSON in __metadata__
  <name>.io.safetensors       input (NHWC), outputs (NHWC where spatial), and for small models the
                              gradients of loss = sum(logits * loss_weights) w.r.t. the input (NHWC)
                              and every parameter (torch layout, named grad.<param name>)
Weights are torchvision's random init with every parameter perturbed, so zero-initialised heads and
class tokens, unit LayerNorm weights and zero biases all carry a signal the comparison can see.
"""

import argparse
import json
import os
import struct
import sys

import torch
import torch.nn as nn
import torchvision
from torchvision.models.swin_transformer import PatchMerging, SwinTransformer, SwinTransformerBlock
from torchvision.models.vision_transformer import VisionTransformer

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, '..', '..', 'tests', 'fixtures', 'models', 'transformers')


def write_safetensors(path, tensors, metadata=None):
    """Our own minimal safetensors writer (F32 and I64), so no extra Python package is needed."""
    header = {}
    blobs = []
    offset = 0
    for name, t in tensors.items():
        t = t.detach().contiguous().cpu()
        if t.dtype == torch.float32:
            dtype, raw = 'F32', t.numpy().astype('<f4').tobytes()
        elif t.dtype == torch.int64:
            dtype, raw = 'I64', t.numpy().astype('<i8').tobytes()
        else:
            raise ValueError(f'{name}: unsupported dtype {t.dtype}')
        header[name] = {'dtype': dtype, 'shape': list(t.shape), 'data_offsets': [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    if metadata:
        header['__metadata__'] = {k: str(v) for k, v in metadata.items()}
    text = json.dumps(header, separators=(',', ':')).encode('utf-8')
    text += b' ' * ((8 - len(text) % 8) % 8)
    tmp = path + '.tmp'
    with open(tmp, 'wb') as f:
        f.write(struct.pack('<Q', len(text)))
        f.write(text)
        for raw in blobs:
            f.write(raw)
    os.replace(tmp, path)


def perturb(model, seed):
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in model.parameters():
            p.add_(torch.randn(p.shape, generator=g) * 0.05)


def nhwc(t):
    return t.permute(0, 2, 3, 1).contiguous()


# ---------------------------------------------------------------- ViT (torchvision VisionTransformer)


def vit_parts(model, x):
    """Logits, the global embedding (class token after the final LayerNorm) and the patch tokens as a map."""
    n = x.shape[0]
    tokens = model._process_input(x)
    tokens = torch.cat([model.class_token.expand(n, -1, -1), tokens], dim=1)
    tokens = model.encoder(tokens)
    embedding = tokens[:, 0]
    side = model.image_size // model.patch_size
    features = tokens[:, 1:].reshape(n, side, side, model.hidden_dim)
    return model.heads(embedding), embedding, features


# ---------------------------------------------------------------- Swin-T (torchvision SwinTransformer)


def swin_parts(model, x):
    feats = model.norm(model.features(x))  # N H W C
    embedding = feats.mean(dim=(1, 2))
    return model.head(embedding), embedding, feats


# ---------------------------------------------------------------- Swin-UNet
# Cao et al.'s Swin-UNet (as SSL4MIS uses it), built here from torchvision's Swin blocks so the
# tfjs model is checked against an independent implementation. Module names follow the Swin-UNet
# reference checkpoints (patch_embed, layers.i.blocks.j, layers_up, concat_back_dim, norm_up, up, output).


class PatchEmbed(nn.Module):
    def __init__(self, patch, in_chans, dim):
        super().__init__()
        self.proj = nn.Conv2d(in_chans, dim, kernel_size=patch, stride=patch)
        self.norm = nn.LayerNorm(dim)

    def forward(self, x):
        return self.norm(self.proj(x).permute(0, 2, 3, 1))


class PatchExpand(nn.Module):
    """Linear to `scale`² × `out` channels, then move those channel groups to space (NHWC)."""

    def __init__(self, dim, scale, out):
        super().__init__()
        self.scale = scale
        self.expand = nn.Linear(dim, out * scale * scale, bias=False)
        self.norm = nn.LayerNorm(out)

    def forward(self, x):
        b, h, w, _ = x.shape
        s = self.scale
        x = self.expand(x)
        c = x.shape[-1] // (s * s)
        x = x.reshape(b, h, w, s, s, c).permute(0, 1, 3, 2, 4, 5).reshape(b, h * s, w * s, c)
        return self.norm(x)


class Stage(nn.Module):
    def __init__(self, dim, depth, heads, window, drop_paths):
        super().__init__()
        self.blocks = nn.ModuleList(
            SwinTransformerBlock(
                dim,
                heads,
                window_size=[window, window],
                shift_size=[0 if j % 2 == 0 else window // 2] * 2,
                stochastic_depth_prob=drop_paths[j],
            )
            for j in range(depth)
        )

    def forward(self, x):
        for block in self.blocks:
            x = block(x)
        return x


class SwinUnet(nn.Module):
    def __init__(self, img_size, patch, in_chans, num_classes, embed, depths, heads, window, drop_path):
        super().__init__()
        n = len(depths)
        total = sum(depths)
        dpr = [drop_path * i / max(total - 1, 1) for i in range(total)]
        self.patch_embed = PatchEmbed(patch, in_chans, embed)
        self.layers = nn.ModuleList()
        for i in range(n):
            dim = embed * 2**i
            stage = Stage(dim, depths[i], heads[i], window, dpr[sum(depths[:i]) : sum(depths[: i + 1])])
            if i < n - 1:
                stage.downsample = PatchMerging(dim)
            self.layers.append(stage)
        self.layers_up = nn.ModuleList()
        self.concat_back_dim = nn.ModuleList()
        for i in range(n):
            k = n - 1 - i
            dim = embed * 2**k
            self.concat_back_dim.append(nn.Linear(2 * dim, dim) if i > 0 else nn.Identity())
            if i == 0:
                self.layers_up.append(PatchExpand(dim, 2, dim // 2))
            else:
                stage = Stage(dim, depths[k], heads[k], window, dpr[sum(depths[:k]) : sum(depths[: k + 1])])
                if i < n - 1:
                    stage.upsample = PatchExpand(dim, 2, dim // 2)
                self.layers_up.append(stage)
        self.norm = nn.LayerNorm(embed * 2 ** (n - 1))
        self.norm_up = nn.LayerNorm(embed)
        self.up = PatchExpand(embed, patch, embed)
        self.output = nn.Conv2d(embed, num_classes, kernel_size=1, bias=False)
        self.n = n

    def parts(self, x):
        x = self.patch_embed(x)
        skips = []
        for layer in self.layers:
            skips.append(x)
            x = layer(x)
            if hasattr(layer, 'downsample'):
                x = layer.downsample(x)
        bottleneck = self.norm(x)
        x = bottleneck
        for i, layer in enumerate(self.layers_up):
            if i == 0:
                x = layer(x)
            else:
                x = self.concat_back_dim[i](torch.cat([x, skips[self.n - 1 - i]], dim=-1))
                x = layer(x)
                if hasattr(layer, 'upsample'):
                    x = layer.upsample(x)
        decoded = self.norm_up(x)
        logits = self.output(self.up(decoded).permute(0, 3, 1, 2))
        return logits, bottleneck.mean(dim=(1, 2)), bottleneck, decoded

    def forward(self, x):
        return self.parts(x)[0]


def swin_unet_state_dict(model):
    """torchvision's block MLP is a Sequential (mlp.0, mlp.3); the Swin-UNet checkpoints call them fc1/fc2."""
    out = {}
    for k, v in model.state_dict().items():
        out[k.replace('.mlp.0.', '.mlp.fc1.').replace('.mlp.3.', '.mlp.fc2.')] = v
    return out


# ---------------------------------------------------------------- export


def export(out_dir, name, model, config, x, parts, state_dict=None, with_grads=True, extra_inputs=()):
    model.eval()
    outputs = {}
    x = x.clone().requires_grad_(with_grads)
    with torch.set_grad_enabled(with_grads):
        results = parts(model, x)
        labels = ['logits', 'embedding', 'features', 'decoded'][: len(results)]
        for label, t in zip(labels, results):
            outputs[label] = nhwc(t) if label == 'logits' and t.dim() == 4 else t
        if with_grads:
            g = torch.Generator().manual_seed(99)
            loss_weights = torch.randn(results[0].shape, generator=g)
            loss = (results[0] * loss_weights).sum()
            model.zero_grad()
            loss.backward()
            outputs['loss_weights'] = nhwc(loss_weights) if loss_weights.dim() == 4 else loss_weights
            outputs['loss'] = loss.detach().reshape(1)
            outputs['grad.input'] = nhwc(x.grad)
            names = {id(p): n for n, p in model.named_parameters()}
            rename = state_dict is not None
            for p in model.parameters():
                n = names[id(p)]
                if rename:
                    n = n.replace('.mlp.0.', '.mlp.fc1.').replace('.mlp.3.', '.mlp.fc2.')
                outputs['grad.' + n] = p.grad
    with torch.no_grad():
        for i, extra in enumerate(extra_inputs):
            outputs[f'input{i + 1}'] = nhwc(extra)
            outputs[f'logits{i + 1}'] = parts(model, extra)[0]
    outputs['input'] = nhwc(x.detach())
    sd = state_dict if state_dict is not None else model.state_dict()
    meta = {'config': json.dumps(config), 'torch': torch.__version__, 'torchvision': torchvision.__version__}
    write_safetensors(os.path.join(out_dir, f'{name}.weights.safetensors'), sd, meta)
    write_safetensors(os.path.join(out_dir, f'{name}.io.safetensors'), {k: v.detach() for k, v in outputs.items()}, meta)
    params = sum(p.numel() for p in model.parameters())
    print(f'{name}: {params} parameters, logits {tuple(results[0].shape)}', file=sys.stderr)


def small(out_dir):
    torch.manual_seed(0)
    vit_cfg = dict(imageSize=32, patchSize=8, numLayers=2, numHeads=4, hiddenDim=64, mlpDim=128, numClasses=10)
    vit = VisionTransformer(
        image_size=32, patch_size=8, num_layers=2, num_heads=4, hidden_dim=64, mlp_dim=128, num_classes=10
    )
    perturb(vit, 1)
    x = torch.randn(2, 3, 32, 32, generator=torch.Generator().manual_seed(11))
    export(out_dir, 'vit_small', vit, vit_cfg, x, vit_parts)

    torch.manual_seed(0)
    swin_cfg = dict(patchSize=2, embedDim=12, depths=[2, 2, 2], numHeads=[2, 4, 8], windowSize=4, numClasses=10)
    swin = SwinTransformer(
        patch_size=[2, 2], embed_dim=12, depths=[2, 2, 2], num_heads=[2, 4, 8], window_size=[4, 4], num_classes=10
    )
    perturb(swin, 2)
    x = torch.randn(2, 3, 32, 32, generator=torch.Generator().manual_seed(12))
    # 40 px: stage grids 20, 10, 5 exercise torchvision's window padding and odd patch merging.
    odd = torch.randn(1, 3, 40, 40, generator=torch.Generator().manual_seed(13))
    export(out_dir, 'swin_small', swin, swin_cfg, x, swin_parts, extra_inputs=[odd])

    torch.manual_seed(0)
    unet_cfg = dict(
        imageSize=32, patchSize=4, inChannels=3, numClasses=2, embedDim=12, depths=[2, 2, 2], numHeads=[1, 2, 4], windowSize=2
    )
    unet = SwinUnet(32, 4, 3, 2, 12, [2, 2, 2], [1, 2, 4], 2, 0.2)
    perturb(unet, 3)
    x = torch.randn(2, 3, 32, 32, generator=torch.Generator().manual_seed(14))
    export(out_dir, 'swin_unet_small', unet, unet_cfg, x, lambda m, t: m.parts(t), state_dict=swin_unet_state_dict(unet))


def full(out_dir):
    torch.manual_seed(0)
    vit = torchvision.models.vit_b_16()
    perturb(vit, 1)
    x = torch.randn(1, 3, 224, 224, generator=torch.Generator().manual_seed(21))
    export(out_dir, 'vit_b_16', vit, dict(preset='vitB16'), x, vit_parts, with_grads=False)
    del vit
    torch.manual_seed(0)
    swin = torchvision.models.swin_t()
    perturb(swin, 2)
    export(out_dir, 'swin_t', swin, dict(preset='swinT'), x, swin_parts, with_grads=False)
    del swin
    torch.manual_seed(0)
    unet = SwinUnet(224, 4, 3, 2, 96, [2, 2, 2, 2], [3, 6, 12, 24], 7, 0.2)
    perturb(unet, 3)
    export(
        out_dir,
        'swin_unet_t',
        unet,
        dict(preset='swinUnetT', numClasses=2),
        x,
        lambda m, t: m.parts(t),
        state_dict=swin_unet_state_dict(unet),
        with_grads=False,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--full', metavar='OUT_DIR', help='export the paper-sized models (not committed) to OUT_DIR')
    args = parser.parse_args()
    torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))
    if args.full:
        os.makedirs(args.full, exist_ok=True)
        full(args.full)
    else:
        os.makedirs(FIXTURES, exist_ok=True)
        small(FIXTURES)


if __name__ == '__main__':
    main()
