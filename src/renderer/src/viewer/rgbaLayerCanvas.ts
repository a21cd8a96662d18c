/** A base64 RGBA layer (saliency, tissue) as a canvas Konva can draw stretched over the image. */
export function rgbaLayerCanvas(l: { layer: string; width: number; height: number }): HTMLCanvasElement {
  const bytes = Uint8ClampedArray.from(atob(l.layer), (c) => c.charCodeAt(0))
  const canvas = document.createElement('canvas')
  canvas.width = l.width
  canvas.height = l.height
  canvas.getContext('2d')!.putImageData(new ImageData(bytes, l.width, l.height), 0, 0)
  return canvas
}
