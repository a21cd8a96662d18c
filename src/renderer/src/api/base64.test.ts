import { afterEach, describe, expect, it, vi } from 'vitest'

const bytes = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 131 + (i >> 7)) & 255)
/** A second encoder, one byte at a time. */
function reference(b: Uint8Array): string {
  let s = ''
  for (const x of b) s += String.fromCharCode(x)
  return btoa(s)
}
const proto = Uint8Array.prototype as { toBase64?: () => string }

afterEach(() => {
  delete proto.toBase64
  vi.resetModules()
})

describe('toBase64', () => {
  it('matches a byte-at-a-time encoder for lengths across the 32 KiB chunks and the padding cases (the page without a native encoder)', async () => {
    const { toBase64, fromBase64 } = await import('./base64')
    for (const n of [0, 1, 2, 3, 0x8000 - 1, 0x8000, 0x8000 + 2, 200_001]) {
      const b = bytes(n)
      expect(toBase64(b)).toBe(reference(b))
      expect(fromBase64(toBase64(b))).toEqual(b)
    }
  })

  it("uses the engine's Uint8Array.prototype.toBase64 where there is one", async () => {
    const native = vi.fn(function (this: Uint8Array) {
      return reference(this)
    })
    proto.toBase64 = native
    const { toBase64 } = await import('./base64')
    const b = bytes(70_000)
    expect(toBase64(b)).toBe(reference(b))
    expect(native).toHaveBeenCalledTimes(1)
    expect(native.mock.contexts[0]).toBe(b)
  })
})
