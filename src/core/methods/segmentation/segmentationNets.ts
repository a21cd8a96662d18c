import { buildSeeded } from '../../models/nn/module'
import { PicieFpn } from '../../models/picie/picieFpn'
import { picieFpnConfig } from '../../models/picie/picieFpnConfig'
import { SwinUnet } from '../../models/swinUnet/swinUnet'
import { swinUnetConfig } from '../../models/swinUnet/swinUnetConfig'
import { Unet } from '../../models/unet/unet'
import { unetConfig } from '../../models/unet/unetConfig'
import type { NetFactory } from './segmentationNet'

/**
 * The networks of each preset. Paper: the DEDL ResNet-34 U-Net and the cross-teaching Swin-UNet
 * (Swin-T widths, window 7, 224 px). Quick: the models' small presets, which train in seconds on a CPU.
 * Weights start random here; ImageNet initialisation needs the weight files, loaded by the models' loaders.
 */

export const unetNet: NetFactory = ({ preset, classes, seed }) =>
  buildSeeded(seed, () => new Unet(unetConfig(preset === 'paper' ? 'unetResnet34' : 'unetTiny', { classes })))

export const swinUnetNet: NetFactory = ({ preset, size, classes, seed }) =>
  buildSeeded(
    seed,
    () =>
      new SwinUnet(
        swinUnetConfig(preset === 'paper' ? 'swinUnetT' : 'swinUnetTiny', {
          imageSize: size,
          numClasses: classes,
        }),
      ),
  )

/** PiCIE's feature extractor: the ResNet-18 FPN (128-dim features at 1/4 scale); quick: the tiny FPN. */
export const picieFpnNet: NetFactory = ({ preset, seed }) =>
  buildSeeded(seed, () => new PicieFpn(picieFpnConfig(preset === 'paper' ? 'picieResnet18' : 'picieTiny')))
