import { effectiveMagnification, type SlideProperties } from './slideProperties'

/**
 * At what resolution training tiles are cut from a slide. Pathologists train at 10× or 20×, not at a
 * scan's 40×: a tile of `tileSize` pixels then covers tileSize × downsample level-0 pixels.
 * - { magnification: 20 }: pixels as a 20× objective sees them (needs the scan's magnification or pixel size);
 * - { tileMicrons: 240 }: each tile `tileMicrons` wide (needs the pixel size).
 */
export type TileScale = { magnification: number } | { tileMicrons: number }

/** Level-0 pixels per tile pixel for `scale` on this slide; throws a sentence for the import report. */
export function tileDownsample(
  props: Pick<SlideProperties, 'magnification' | 'mppX'>,
  tileSize: number,
  scale: TileScale | undefined,
): number {
  if (!scale) return 1
  let d: number
  let what: string
  if ('magnification' in scale) {
    const scan = effectiveMagnification(props)
    if (!scan)
      throw new Error(
        `has neither a magnification nor a pixel size in its file, so it cannot be tiled at ${scale.magnification}×`,
      )
    d = scan / scale.magnification
    what = `${scale.magnification}× (the scan is ${Math.round(scan * 10) / 10}×)`
  } else {
    if (!props.mppX)
      throw new Error(`has no pixel size in its file, so it cannot be tiled ${scale.tileMicrons} µm wide`)
    d = scale.tileMicrons / tileSize / props.mppX
    what = `${scale.tileMicrons} µm per ${tileSize}-pixel tile (the scan is ${props.mppX.toPrecision(3)} µm/px)`
  }
  // Within 1 % of the scan's own resolution counts as it (40.0 vs a stated 39.8×).
  if (d < 0.99) throw new Error(`cannot be tiled at ${what}: that is finer than it was scanned`)
  return Math.max(1, d)
}
