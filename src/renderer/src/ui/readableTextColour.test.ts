import { describe, expect, it } from 'vitest'
import { readableTextColour } from './readableTextColour'

describe('readableTextColour', () => {
  it('puts white on dark and dark on light backgrounds', () => {
    expect(readableTextColour('#000000')).toBe('#ffffff')
    expect(readableTextColour('#2b1b1b')).toBe('#ffffff')
    expect(readableTextColour('#ffffff')).toBe('#1b2430')
    expect(readableTextColour('#c9a26a')).toBe('#1b2430')
  })

  it('decides mid greys by luminance, not by channel sum', () => {
    // Pure green is much brighter than pure blue at the same channel value.
    expect(readableTextColour('#00c000')).toBe('#1b2430')
    expect(readableTextColour('#0000c0')).toBe('#ffffff')
  })

  it('falls back to dark text for a colour it cannot read', () => {
    expect(readableTextColour('teal')).toBe('#1b2430')
  })
})
