/**
 * What a slide says about itself: scanner, microns per pixel and objective magnification, read from the
 * places each vendor puts them (Aperio's ImageDescription, OME-XML's Pixels/Objective, OpenSlide's
 * standard properties, or plain TIFF resolution tags).
 */
export interface SlideProperties {
  /** Where the slide came from: 'aperio', 'ome', 'tiff', or OpenSlide's vendor name ('hamamatsu', …). */
  vendor: string
  /** Microns per pixel at full resolution; null when the file does not say. */
  mppX: number | null
  mppY: number | null
  /** Objective magnification of the scan (20, 40…); null when the file does not say. */
  magnification: number | null
  scanner: string | null
}

/** A microns-per-pixel value is believed only inside what microscopes and scanners produce. */
export function plausibleMpp(mpp: number | null | undefined): number | null {
  return typeof mpp === 'number' && Number.isFinite(mpp) && mpp >= 0.02 && mpp <= 50 ? mpp : null
}

function positive(v: string | undefined): number | null {
  const n = v === undefined ? NaN : Number(v.trim())
  return Number.isFinite(n) && n > 0 ? n : null
}

/** Is this an Aperio ImageDescription ("Aperio Image Library v…\r\n…|AppMag = 40|MPP = 0.25|…")? */
export function isAperioDescription(description: string): boolean {
  return /^Aperio/.test(description)
}

/** The `key = value` fields of an Aperio ImageDescription (the first `|`-separated part is a header line). */
export function aperioFields(description: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const part of description.split('|').slice(1)) {
    const eq = part.indexOf('=')
    if (eq > 0) out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim()
  }
  return out
}

export function aperioProperties(description: string): SlideProperties {
  const f = aperioFields(description)
  const mpp = plausibleMpp(positive(f.MPP))
  return {
    vendor: 'aperio',
    mppX: mpp,
    mppY: mpp,
    magnification: positive(f.AppMag),
    scanner: f['ScanScope ID'] ? `Aperio ScanScope ${f['ScanScope ID']}` : 'Aperio',
  }
}

const TO_MICRONS: Record<string, number> = {
  µm: 1,
  μm: 1,
  um: 1,
  micron: 1,
  nm: 1e-3,
  mm: 1e3,
  cm: 1e4,
  m: 1e6,
  Å: 1e-4,
}

function attribute(tag: string, name: string): string | undefined {
  return new RegExp(`\\s${name}\\s*=\\s*"([^"]*)"`).exec(tag)?.[1]
}

export function isOmeXml(description: string): boolean {
  return /<OME[\s>]/.test(description) && description.includes('<Pixels')
}

/** Physical pixel size and objective from OME-XML (first Image's Pixels; unit attributes default to µm). */
export function omeProperties(xml: string): SlideProperties {
  const pixels = /<Pixels\b[^>]*>/.exec(xml)?.[0] ?? ''
  const size = (axis: 'X' | 'Y'): number | null => {
    const v = positive(attribute(pixels, `PhysicalSize${axis}`))
    const unit = attribute(pixels, `PhysicalSize${axis}Unit`) ?? 'µm'
    const factor = TO_MICRONS[unit]
    return v === null || factor === undefined ? null : plausibleMpp(v * factor)
  }
  const objective = /<Objective\b[^>]*>/.exec(xml)?.[0] ?? ''
  const microscope = /<Microscope\b[^>]*>/.exec(xml)?.[0] ?? ''
  const scanner = [attribute(microscope, 'Manufacturer'), attribute(microscope, 'Model')]
    .filter(Boolean)
    .join(' ')
  return {
    vendor: 'ome',
    mppX: size('X'),
    mppY: size('Y'),
    magnification: positive(attribute(objective, 'NominalMagnification')),
    scanner: scanner || null,
  }
}

/** Microns per pixel from TIFF resolution tags, believed only when given per centimetre or inch and plausible. */
export function tiffResolutionMpp(res: { x: number; y: number; unit: number } | null): {
  mppX: number | null
  mppY: number | null
} {
  const perUnit = res?.unit === 3 ? 1e4 : res?.unit === 2 ? 25400 : null
  if (!res || perUnit === null) return { mppX: null, mppY: null }
  return { mppX: plausibleMpp(perUnit / res.x), mppY: plausibleMpp(perUnit / res.y) }
}

/** From OpenSlide's standard properties (openslide.mpp-x, openslide.objective-power, openslide.vendor). */
export function openSlideProperties(props: Record<string, string>): SlideProperties {
  return {
    vendor: props['openslide.vendor'] || 'openslide',
    mppX: plausibleMpp(positive(props['openslide.mpp-x'])),
    mppY: plausibleMpp(positive(props['openslide.mpp-y'])),
    magnification: positive(props['openslide.objective-power']),
    scanner: props['openslide.vendor'] || null,
  }
}

/**
 * The magnification to show and to tile at: the scanner's own figure, or one estimated from the pixel size
 * by the usual convention (10× objective ≈ 1 µm/px, so 0.25 µm/px ≈ 40×). Null when neither is known.
 */
export function effectiveMagnification(p: Pick<SlideProperties, 'magnification' | 'mppX'>): number | null {
  if (p.magnification) return p.magnification
  return p.mppX ? 10 / p.mppX : null
}
