/** The engine's own encoder where it has one (Uint8Array.prototype.toBase64: Chromium 140+, Firefox 133+). */
const nativeToBase64 = (Uint8Array.prototype as { toBase64?: (this: Uint8Array) => string }).toBase64

/** Bytes as base64, as the API carries pixels (mask patches). */
export function toBase64(data: Uint8Array): string {
  if (nativeToBase64) return nativeToBase64.call(data)
  let s = ''
  for (let i = 0; i < data.length; i += 0x8000) s += String.fromCharCode(...data.subarray(i, i + 0x8000))
  return btoa(s)
}

/** base64 from the API back to bytes (mask, difference and probability tiles). */
export function fromBase64(s: string): Uint8Array {
  const bin = atob(s)
  const out = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return out
}
