import path from 'node:path'
import { appFolders } from '../../appFolders'
import { readSafetensorsFile } from '../../models/nn/safetensorsFile'
import { loadStateDict } from '../../models/nn/weights'
import type { PicieFpn } from '../../models/picie/picieFpn'
import { cachedWeightsPath } from '../../models/pretrained/pretrainedCache'
import type { SwinUnet } from '../../models/swinUnet/swinUnet'
import { loadSwinUnetEncoder } from '../../models/swinUnet/swinUnetWeights'
import type { Unet } from '../../models/unet/unet'

/**
 * ImageNet initialisation of the paper-sized nets, as the paper's models start: the U-Net's ResNet-34
 * encoder, the Swin-UNet's Swin-T encoder, PiCIE's ResNet-18. Weights come only from the files the user
 * imported into the app's data folder (nothing is downloaded); without them the nets start random and the
 * returned note says so, so the run records which start it had.
 */
export type ImagenetInit = { loaded: true; from: string } | { loaded: false; note: string }

function weightsFor(architecture: 'resnet18' | 'resnet34' | 'swin_t'): string | null {
  return cachedWeightsPath(path.join(appFolders().data, 'weights'), architecture)
}

const missing = (arch: string): ImagenetInit => ({
  loaded: false,
  note: `no ${arch} ImageNet weights imported (s4mi weights import FILE): starting from random weights`,
})

export function initUnetEncoder(net: Unet): ImagenetInit {
  const file = weightsFor('resnet34')
  if (!file) return missing('resnet34')
  // The classifier head (fc.*) has no place in the encoder; every other tensor must fit.
  loadStateDict(net.encoder, readSafetensorsFile(file), { strict: false })
  return { loaded: true, from: file }
}

export function initSwinUnetEncoder(net: SwinUnet): ImagenetInit {
  const file = weightsFor('swin_t')
  if (!file) return missing('swin_t')
  loadSwinUnetEncoder(net, readSafetensorsFile(file))
  return { loaded: true, from: file }
}

export function initPicieBackbone(net: PicieFpn, arch: 'resnet18' | 'resnet34' = 'resnet18'): ImagenetInit {
  const file = weightsFor(arch)
  if (!file) return missing(arch)
  loadStateDict(net.backbone, readSafetensorsFile(file), { strict: false })
  return { loaded: true, from: file }
}
