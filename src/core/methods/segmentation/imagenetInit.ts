import { loadStateDict } from '../../models/nn/weights'
import type { PicieFpn } from '../../models/picie/picieFpn'
import type { SwinUnet } from '../../models/swinUnet/swinUnet'
import { loadSwinUnetEncoder } from '../../models/swinUnet/swinUnetWeights'
import type { Unet } from '../../models/unet/unet'
import type { ImagenetWeights } from '../method'

/**
 * ImageNet initialisation of the paper-sized nets, as the paper's models start: the U-Net's ResNet-34
 * encoder, the Swin-UNet's Swin-T encoder, PiCIE's ResNet-18. Weights come only from the files the user
 * imported (nothing is downloaded), fetched by the method before the net is built (TrainContext's
 * imagenetWeights); without them the nets start random and the returned note says so, so the run records
 * which start it had.
 */
export type ImagenetInit = { loaded: true; from: string } | { loaded: false; note: string }

const missing = (arch: string): ImagenetInit => ({
  loaded: false,
  note: `no ${arch} ImageNet weights imported (s4mi weights import FILE): starting from random weights`,
})

export function initUnetEncoder(net: Unet, imagenet: ImagenetWeights | null): ImagenetInit {
  if (!imagenet) return missing('resnet34')
  // The classifier head (fc.*) has no place in the encoder; every other tensor must fit.
  loadStateDict(net.encoder, imagenet.weights, { strict: false })
  return { loaded: true, from: imagenet.file }
}

export function initSwinUnetEncoder(net: SwinUnet, imagenet: ImagenetWeights | null): ImagenetInit {
  if (!imagenet) return missing('swin_t')
  loadSwinUnetEncoder(net, imagenet.weights)
  return { loaded: true, from: imagenet.file }
}

export function initPicieBackbone(
  net: PicieFpn,
  imagenet: ImagenetWeights | null,
  arch: 'resnet18' | 'resnet34' = 'resnet18',
): ImagenetInit {
  if (!imagenet) return missing(arch)
  loadStateDict(net.backbone, imagenet.weights, { strict: false })
  return { loaded: true, from: imagenet.file }
}
