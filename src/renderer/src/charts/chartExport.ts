/**
 * A chart on screen as a file: the SVG with the styles the page gave it written onto each element (so it
 * looks the same outside the app), its legend drawn in, and a PNG rendered from that SVG by the browser.
 */

const STYLED = [
  'fill',
  'stroke',
  'stroke-width',
  'stroke-dasharray',
  'font-size',
  'font-family',
  'font-weight',
  'opacity',
]

export interface LegendEntry {
  name: string
  colour: string
}

export function standaloneSvg(svg: SVGSVGElement, legend: LegendEntry[] = [], note = ''): string {
  const copy = svg.cloneNode(true) as SVGSVGElement
  const source = [svg, ...svg.querySelectorAll('*')]
  const target = [copy, ...copy.querySelectorAll('*')]
  source.forEach((el, i) => {
    const style = getComputedStyle(el)
    const out = target[i] as SVGElement
    for (const p of STYLED) {
      const v = style.getPropertyValue(p)
      if (v) out.style.setProperty(p, v)
    }
    out.removeAttribute('class')
  })
  const box = svg.viewBox.baseVal
  const rowHeight = 18
  const lines = legend.length + (note ? 1 : 0)
  const height = box.height + (lines ? 8 + lines * rowHeight : 0)
  copy.setAttribute('viewBox', `${box.x} ${box.y} ${box.width} ${height}`)
  copy.setAttribute('width', String(box.width))
  copy.setAttribute('height', String(height))
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg')
  const ns = 'http://www.w3.org/2000/svg'
  const background = document.createElementNS(ns, 'rect')
  background.setAttribute('x', String(box.x))
  background.setAttribute('y', String(box.y))
  background.setAttribute('width', String(box.width))
  background.setAttribute('height', String(height))
  background.setAttribute('fill', '#ffffff')
  copy.insertBefore(background, copy.firstChild)
  const font = getComputedStyle(svg).fontFamily || 'sans-serif'
  legend.forEach((entry, i) => {
    const y = box.height + 8 + i * rowHeight
    const swatch = document.createElementNS(ns, 'rect')
    swatch.setAttribute('x', '56')
    swatch.setAttribute('y', String(y))
    swatch.setAttribute('width', '12')
    swatch.setAttribute('height', '12')
    swatch.setAttribute('fill', entry.colour)
    const text = document.createElementNS(ns, 'text')
    text.setAttribute('x', '74')
    text.setAttribute('y', String(y + 10))
    text.setAttribute('font-size', '12')
    text.setAttribute('font-family', font)
    text.textContent = entry.name
    copy.append(swatch, text)
  })
  if (note) {
    const text = document.createElementNS(ns, 'text')
    text.setAttribute('x', '56')
    text.setAttribute('y', String(box.height + 8 + legend.length * rowHeight + 10))
    text.setAttribute('font-size', '11')
    text.setAttribute('fill', '#5a6675')
    text.setAttribute('font-family', font)
    text.textContent = note
    copy.append(text)
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(copy)}\n`
}

/** Renders SVG text to a PNG at `scale` times its size. */
export async function svgToPng(svgText: string, scale = 2): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svgText], { type: 'image/svg+xml' }))
  try {
    const img = new Image()
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve()
      img.onerror = () => reject(new Error('The chart could not be drawn as an image'))
      img.src = url
    })
    const canvas = document.createElement('canvas')
    canvas.width = Math.round(img.width * scale)
    canvas.height = Math.round(img.height * scale)
    const ctx = canvas.getContext('2d')
    if (!ctx) throw new Error('No 2D canvas to draw the chart on')
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height)
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob(
        (b) => (b ? resolve(b) : reject(new Error('The chart could not be encoded as PNG'))),
        'image/png',
      ),
    )
  } finally {
    URL.revokeObjectURL(url)
  }
}

/** Saves a file the way a browser does (the desktop app asks where). */
export function download(data: Blob | string, fileName: string, mimeType = 'text/plain'): void {
  const blob = typeof data === 'string' ? new Blob([data], { type: mimeType }) : data
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  document.body.append(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
