import { buildSeeded } from '../../models/nn/module'
import { PicieFpn } from '../../models/picie/picieFpn'
import { picieFpnConfig } from '../../models/picie/picieFpnConfig'
import { SwinUnet } from '../../models/swinUnet/swinUnet'
import { swinUnetConfig } from '../../models/swinUnet/swinUnetConfig'
import { Unet } from '../../models/unet/unet'
import { unetConfig } from '../../models/unet/unetConfig'
import { initPicieBackbone, initSwinUnetEncoder, initUnetEncoder, type ImagenetInit } from './imagenetInit'
import type { NetFactory } from './segmentationNet'

/**
 * The networks of each preset. Paper: the DEDL ResNet-34 U-Net and the cross-teaching Swin-UNet
 * (Swin-T widths, window 7, 224 px). Quick: the models' small presets, which train in seconds on a CPU.
 * Paper-preset encoders start from the ImageNet weights the user imported, as the paper's do; without
 * them (and always in the quick preset) weights start random, and the worker's log says which.
 */
function paperInit<T>(preset: string, net: T, init: (net: T) => ImagenetInit): T {
  if (preset !== 'paper') return net
  const r = init(net)
  console.error(r.loaded ? `ImageNet weights loaded from ${r.from}` : r.note)
  return net
}

export const unetNet: NetFactory = ({ preset, classes, seed }) =>
  paperInit(
    preset,
    buildSeeded(
      seed,
      () => new Unet(unetConfig(preset === 'paper' ? 'unetResnet34' : 'unetTiny', { classes })),
    ),
    initUnetEncoder,
  )

export const swinUnetNet: NetFactory = ({ preset, size, classes, seed }) =>
  paperInit(
    preset,
    buildSeeded(
      seed,
      () =>
        new SwinUnet(
          swinUnetConfig(preset === 'paper' ? 'swinUnetT' : 'swinUnetTiny', {
            imageSize: size,
            numClasses: classes,
          }),
        ),
    ),
    initSwinUnetEncoder,
  )

/**
 * PiCIE's feature extractor: a ResNet-18 or ResNet-34 FPN (128-dim features at 1/4 scale), ImageNet
 * initialised in the paper preset; 'tiny' (the quick preset's) is the small FPN.
 */
export const picieFpnNet: NetFactory = ({ preset, seed, backbone }) => {
  const arch = backbone ?? (preset === 'paper' ? 'resnet34' : 'tiny')
  if (arch === 'tiny') return buildSeeded(seed, () => new PicieFpn(picieFpnConfig('picieTiny')))
  if (arch !== 'resnet18' && arch !== 'resnet34')
    throw new Error(`PiCIE's backbone must be resnet18, resnet34 or tiny, got '${arch}'`)
  const config = picieFpnConfig(arch === 'resnet18' ? 'picieResnet18' : 'picieResnet34')
  return paperInit(
    preset,
    buildSeeded(seed, () => new PicieFpn(config)),
    (net) => initPicieBackbone(net, arch),
  )
}
