import sharp from 'sharp'
import { abortable } from './abortable'
import { flatImageInput, pixelLimitProblem } from './flatImageLimit'
import type { ImportProblem } from './importError'
import type { MaskClassMapping } from './importMaskClasses'
import type { PlannedImage } from './importPlan'
import { libvipsMessage } from './libvipsMessage'
import { maskToClassIndices } from './maskToClassIndices'
import type { RawImage } from './rawImage'

/**
 * An imported image's mask as the project's class indices: decoded (grey masks as one channel, colour ones
 * as RGB so that maskToClassIndices can refuse them), checked against its image's size and the plan's mask
 * classes, and remapped to the project's values. A problem names the mask file.
 */
export async function importedMask(
  item: PlannedImage & { maskFile: string },
  width: number,
  height: number,
  masks: MaskClassMapping,
  signal?: AbortSignal,
): Promise<RawImage | ImportProblem> {
  const maskName = item.maskName ?? item.maskFile
  try {
    const maskMeta = await abortable(sharp(item.maskFile, flatImageInput).metadata(), signal)
    const grey = (maskMeta.channels ?? 3) <= 2
    const decoder = sharp(item.maskFile, { ...flatImageInput, failOn: 'warning' })
    const { data, info } = await abortable(
      (grey ? decoder.extractChannel(0) : decoder)
        .raw({ depth: 'uchar' })
        .toBuffer({ resolveWithObject: true }),
      signal,
    )
    if (info.width !== width || info.height !== height) {
      return {
        file: maskName,
        problem: `mask is ${info.width} × ${info.height} but its image ${item.name} is ${width} × ${height}`,
      }
    }
    const r = maskToClassIndices(
      { data, width: info.width, height: info.height, channels: info.channels },
      masks.names.length,
    )
    if ('problem' in r) return { file: maskName, problem: r.problem }
    const mask = r.mask
    if (masks.remap) for (let i = 0; i < mask.data.length; i++) mask.data[i] = masks.remap[mask.data[i]]
    return mask
  } catch (e) {
    const limit = pixelLimitProblem(e)
    return {
      file: maskName,
      problem: limit ? `mask ${limit}` : `mask cannot be decoded: ${libvipsMessage(e)}`,
    }
  }
}
