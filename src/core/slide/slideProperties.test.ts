import { describe, expect, it } from 'vitest'
import {
  aperioProperties,
  effectiveMagnification,
  isOmeXml,
  omeProperties,
  openSlideProperties,
  tiffResolutionMpp,
} from './slideProperties'

describe('what a slide says about its physical size', () => {
  it('reads an Aperio ImageDescription', () => {
    const d =
      'Aperio Image Library v11.2.1 \r\n46000x32914 [0,100 46000x32914] (240x240) JPEG/RGB Q=30|AppMag = 20|StripeWidth = 2040|ScanScope ID = CPAPERIOCS|Filename = CMU-1|MPP = 0.4990|Left = 25.691574'
    expect(aperioProperties(d)).toEqual({
      vendor: 'aperio',
      mppX: 0.499,
      mppY: 0.499,
      magnification: 20,
      scanner: 'Aperio ScanScope CPAPERIOCS',
    })
  })

  it('reads OME-XML pixel sizes in any unit, and the objective', () => {
    const xml =
      '<?xml version="1.0"?><OME xmlns="http://www.openmicroscopy.org/Schemas/OME/2016-06"><Instrument ID="Instrument:0"><Microscope Manufacturer="Leica" Model="Aperio GT 450"/><Objective ID="Objective:0" NominalMagnification="40.0"/></Instrument><Image ID="Image:0"><Pixels DimensionOrder="XYCZT" PhysicalSizeX="263" PhysicalSizeXUnit="nm" PhysicalSizeY="0.263" SizeC="3" Type="uint8"/></Image></OME>'
    expect(isOmeXml(xml)).toBe(true)
    const p = omeProperties(xml)
    expect(p.mppX).toBeCloseTo(0.263, 9)
    expect(p).toMatchObject({ vendor: 'ome', mppY: 0.263, magnification: 40, scanner: 'Leica Aperio GT 450' })
  })

  it('believes TIFF resolution tags only per centimetre or inch, and only in a microscope range', () => {
    expect(tiffResolutionMpp({ x: 40000, y: 40000, unit: 3 })).toEqual({ mppX: 0.25, mppY: 0.25 })
    expect(tiffResolutionMpp({ x: 72, y: 72, unit: 2 })).toEqual({ mppX: null, mppY: null }) // 352 µm/px: a screen
    expect(tiffResolutionMpp({ x: 1, y: 1, unit: 1 })).toEqual({ mppX: null, mppY: null })
  })

  it("takes OpenSlide's standard properties, and estimates a magnification from the pixel size", () => {
    const p = openSlideProperties({
      'openslide.vendor': 'hamamatsu',
      'openslide.mpp-x': '0.2265',
      'openslide.objective-power': '40',
    })
    expect(p).toMatchObject({ vendor: 'hamamatsu', mppX: 0.2265, magnification: 40 })
    expect(effectiveMagnification({ magnification: null, mppX: 0.25 })).toBe(40)
    expect(effectiveMagnification({ magnification: null, mppX: null })).toBeNull()
  })
})
