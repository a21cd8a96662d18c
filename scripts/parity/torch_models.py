"""Reference networks in PyTorch for the parity fixtures.

ResNets are torchvision's own blocks (BasicBlock/Bottleneck and ResNet._make_layer); only the
stage widths are made configurable so committed fixtures stay small. The U-Net decoder follows
segmentation_models_pytorch's Unet layout and the FPN follows PiCIE's modules/fpn.py; both are
written here because neither package is in Debian.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torchvision.models.resnet import BasicBlock, Bottleneck, ResNet


class NarrowResNet(ResNet):
    """torchvision ResNet with configurable stem/stage widths (torchvision fixes them at 64..512)."""

    def __init__(self, block, layers, widths, stem_width, num_classes):
        nn.Module.__init__(self)
        self._norm_layer = nn.BatchNorm2d
        self.inplanes = stem_width
        self.dilation = 1
        self.groups = 1
        self.base_width = 64
        self.conv1 = nn.Conv2d(3, stem_width, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(stem_width)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        self.layer1 = self._make_layer(block, widths[0], layers[0])
        self.layer2 = self._make_layer(block, widths[1], layers[1], stride=2)
        self.layer3 = self._make_layer(block, widths[2], layers[2], stride=2)
        self.layer4 = self._make_layer(block, widths[3], layers[3], stride=2)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(widths[3] * block.expansion, num_classes) if num_classes else None

    def features(self, x):
        stem = self.relu(self.bn1(self.conv1(x)))
        l1 = self.layer1(self.maxpool(stem))
        l2 = self.layer2(l1)
        l3 = self.layer3(l2)
        l4 = self.layer4(l3)
        return [stem, l1, l2, l3, l4]

    def forward(self, x):
        x = torch.flatten(self.avgpool(self.features(x)[-1]), 1)
        return self.fc(x) if self.fc is not None else x


def block_of(name):
    return Bottleneck if name == "bottleneck" else BasicBlock


def conv_bn_relu(cin, cout):
    # smp's Conv2dReLU: children 0 (conv, no bias), 1 (BN), 2 (ReLU)
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class DecoderBlock(nn.Module):
    def __init__(self, cin, cskip, cout):
        super().__init__()
        self.conv1 = conv_bn_relu(cin + cskip, cout)
        self.conv2 = conv_bn_relu(cout, cout)

    def forward(self, x, skip=None):
        x = F.interpolate(x, scale_factor=2, mode="nearest")
        if skip is not None:
            x = torch.cat([x, skip], dim=1)
        return self.conv2(self.conv1(x))


class UnetDecoder(nn.Module):
    def __init__(self, encoder_channels, decoder_channels):
        super().__init__()
        enc = list(encoder_channels[1:])[::-1]
        in_ch = [enc[0]] + list(decoder_channels[:-1])
        skip_ch = enc[1:] + [0]
        self.blocks = nn.ModuleList(DecoderBlock(i, s, o) for i, s, o in zip(in_ch, skip_ch, decoder_channels))

    def forward(self, *features):
        feats = features[1:][::-1]
        x, skips = feats[0], feats[1:]
        for i, block in enumerate(self.blocks):
            x = block(x, skips[i] if i < len(skips) else None)
        return x


class Unet(nn.Module):
    """smp.Unet(encoder) with names encoder.*, decoder.blocks.N.convK.{0,1}.*, segmentation_head.0.*"""

    def __init__(self, encoder, encoder_channels, decoder_channels, classes):
        super().__init__()
        self.encoder = encoder
        self.decoder = UnetDecoder(encoder_channels, decoder_channels)
        self.segmentation_head = nn.Sequential(nn.Conv2d(decoder_channels[-1], classes, 3, padding=1))

    def forward(self, x):
        feats = [x] + self.encoder.features(x)
        return self.segmentation_head(self.decoder(*feats))


class PicieFPN(nn.Module):
    """PiCIE PanopticFPN: backbone.* (ResNet) + decoder.layer1..4 (1x1 convs), bilinear upsample-add."""

    def __init__(self, backbone, stage_channels, out_dim):
        super().__init__()
        self.backbone = backbone
        self.decoder = nn.Module()
        self.decoder.layer1 = nn.Conv2d(stage_channels[3], out_dim, 1)
        self.decoder.layer2 = nn.Conv2d(stage_channels[2], out_dim, 1)
        self.decoder.layer3 = nn.Conv2d(stage_channels[1], out_dim, 1)
        self.decoder.layer4 = nn.Conv2d(stage_channels[0], out_dim, 1)

    @staticmethod
    def upsample_add(x, y):
        return F.interpolate(x, size=y.shape[2:], mode="bilinear", align_corners=False) + y

    def forward(self, x):
        _, r2, r3, r4, r5 = self.backbone.features(x)
        d = self.decoder
        o = d.layer1(r5)
        o = self.upsample_add(o, d.layer2(r4))
        o = self.upsample_add(o, d.layer3(r3))
        return self.upsample_add(o, d.layer4(r2))


def randomize_batchnorm(model, generator):
    """torch init leaves BN at weight 1, bias 0, mean 0, var 1, which would hide layout bugs."""
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            n = m.num_features
            with torch.no_grad():
                m.weight.copy_(1 + 0.2 * torch.randn(n, generator=generator))
                m.bias.copy_(0.1 * torch.randn(n, generator=generator))
                m.running_mean.copy_(0.1 * torch.randn(n, generator=generator))
                m.running_var.copy_(0.5 + torch.rand(n, generator=generator))
