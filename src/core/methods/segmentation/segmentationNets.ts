import { buildSeeded } from '../../models/nn/module'
import { PicieFpn } from '../../models/picie/picieFpn'
import { picieFpnConfig } from '../../models/picie/picieFpnConfig'
import { SwinUnet } from '../../models/swinUnet/swinUnet'
import { swinUnetConfig } from '../../models/swinUnet/swinUnetConfig'
import { Unet } from '../../models/unet/unet'
import { unetConfig } from '../../models/unet/unetConfig'
import { initPicieBackbone, initSwinUnetEncoder, initUnetEncoder, type ImagenetInit } from './imagenetInit'
import type { ImagenetWeights } from '../method'
import type { NetFactory, NetSpec, SegmentationNet } from './segmentationNet'

/**
 * The networks of each preset. Paper: the DEDL ResNet-34 U-Net and the cross-teaching Swin-UNet
 * (Swin-T widths, window 7, 224 px). Quick: the models' small presets, which train in seconds on a CPU.
 * Paper-preset encoders start from the ImageNet weights the user imported, as the paper's do: each factory
 * names the architecture (`imagenet`), the method fetches its weights from the run's host (buildNet) and
 * the new net takes them here. Without them (and always in the quick preset) weights start random, and
 * the worker's log says which.
 */
function imagenetStart<T>(
  spec: NetSpec,
  net: T,
  init: (net: T, imagenet: ImagenetWeights | null) => ImagenetInit,
): T {
  if (spec.imagenet === undefined) return net
  const r = init(net, spec.imagenet)
  console.error(r.loaded ? `ImageNet weights loaded from ${r.from}` : r.note)
  return net
}

/**
 * A net whose encoder starts, in the paper preset, from the ImageNet weights of `architecture`: built with
 * the spec's seed, then given the weights buildNet fetched.
 */
function encoderNet<T extends SegmentationNet>(
  architecture: 'resnet34' | 'swin_t',
  build: (spec: NetSpec) => T,
  init: (net: T, imagenet: ImagenetWeights | null) => ImagenetInit,
): NetFactory {
  return Object.assign(
    (spec: NetSpec) =>
      imagenetStart(
        spec,
        buildSeeded(spec.seed, () => build(spec)),
        init,
      ),
    { imagenet: ({ preset }: NetSpec) => (preset === 'paper' ? architecture : null) },
  )
}

export const unetNet = encoderNet(
  'resnet34',
  ({ preset, classes }) =>
    new Unet(unetConfig(preset === 'paper' ? 'unetResnet34' : 'unetTiny', { classes })),
  initUnetEncoder,
)

export const swinUnetNet = encoderNet(
  'swin_t',
  ({ preset, size, classes }) =>
    new SwinUnet(
      swinUnetConfig(preset === 'paper' ? 'swinUnetT' : 'swinUnetTiny', {
        imageSize: size,
        numClasses: classes,
      }),
    ),
  initSwinUnetEncoder,
)

const picieArch = ({ preset, backbone }: NetSpec) => backbone ?? (preset === 'paper' ? 'resnet34' : 'tiny')

/**
 * PiCIE's feature extractor: a ResNet-18 or ResNet-34 FPN (128-dim features at 1/4 scale), ImageNet
 * initialised in the paper preset; 'tiny' (the quick preset's) is the small FPN.
 */
export const picieFpnNet: NetFactory = Object.assign(
  (spec: NetSpec) => {
    const arch = picieArch(spec)
    if (arch === 'tiny') return buildSeeded(spec.seed, () => new PicieFpn(picieFpnConfig('picieTiny')))
    if (arch !== 'resnet18' && arch !== 'resnet34')
      throw new Error(`PiCIE's backbone must be resnet18, resnet34 or tiny, got '${arch}'`)
    const config = picieFpnConfig(arch === 'resnet18' ? 'picieResnet18' : 'picieResnet34')
    return imagenetStart(
      spec,
      buildSeeded(spec.seed, () => new PicieFpn(config)),
      (net, imagenet) => initPicieBackbone(net, imagenet, arch),
    )
  },
  {
    imagenet: (spec: NetSpec) => {
      const arch = picieArch(spec)
      return spec.preset === 'paper' && (arch === 'resnet18' || arch === 'resnet34') ? arch : null
    },
  },
)
