import { describe, expect, it } from 'vitest'
import { encodeSafetensors, halfToFloat, parseSafetensors, SafetensorsError } from './safetensors'

/** Build a file by hand: header JSON + raw bytes, to test the reader independently of our writer. */
function rawFile(header: object, data: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header))
  const out = new Uint8Array(8 + json.length + data.length)
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true)
  out.set(json, 8)
  out.set(data, 8 + json.length)
  return out
}

describe('safetensors', () => {
  it('round-trips float32 tensors and metadata through our writer and reader', () => {
    const tensors = new Map([
      ['b.weight', { shape: [2, 3], data: Float32Array.from([1, -2, 3.5, 0, 1e-20, -7]) }],
      ['a', { shape: [], data: Float32Array.from([42]) }],
      ['empty', { shape: [0, 4], data: new Float32Array(0) }],
    ])
    const bytes = encodeSafetensors(tensors, { format: 'pt', note: 'x' })
    // Header length is padded to a multiple of 8, data starts aligned.
    expect(Number(new DataView(bytes.buffer).getBigUint64(0, true)) % 8).toBe(0)
    const file = parseSafetensors(bytes, 'mem')
    expect(file.metadata).toEqual({ format: 'pt', note: 'x' })
    expect([...file.tensors.keys()].sort()).toEqual(['a', 'b.weight', 'empty'])
    for (const [name, t] of tensors) {
      const e = file.tensors.get(name)!
      expect(e.dtype).toBe('F32')
      expect(e.shape).toEqual(t.shape)
      expect(Array.from(e.toFloat32())).toEqual(Array.from(t.data))
    }
  })

  it('decodes F16, BF16, F64 and I64 to float32', () => {
    const data = new Uint8Array(2 * 4 + 2 * 2 + 8 + 8)
    const v = new DataView(data.buffer)
    // F16: 1.0 = 0x3c00, -2.5 = 0xc100, 65504 = 0x7bff, smallest subnormal 0x0001
    ;[0x3c00, 0xc100, 0x7bff, 0x0001].forEach((h, i) => v.setUint16(i * 2, h, true))
    // BF16: 1.0 = 0x3f80, -3.0 = 0xc040
    v.setUint16(8, 0x3f80, true)
    v.setUint16(10, 0xc040, true)
    v.setFloat64(12, Math.PI, true)
    v.setBigInt64(20, -5n, true)
    const file = parseSafetensors(
      rawFile(
        {
          h: { dtype: 'F16', shape: [4], data_offsets: [0, 8] },
          b: { dtype: 'BF16', shape: [2], data_offsets: [8, 12] },
          d: { dtype: 'F64', shape: [1], data_offsets: [12, 20] },
          n: { dtype: 'I64', shape: [1], data_offsets: [20, 28] },
        },
        data,
      ),
    )
    expect(Array.from(file.tensors.get('h')!.toFloat32())).toEqual([1, -2.5, 65504, 2 ** -24])
    expect(Array.from(file.tensors.get('b')!.toFloat32())).toEqual([1, -3])
    expect(file.tensors.get('d')!.toFloat32()[0]).toBeCloseTo(Math.PI, 6)
    expect(Array.from(file.tensors.get('n')!.toFloat32())).toEqual([-5])
    expect(halfToFloat(0x7c00)).toBe(Infinity)
    expect(halfToFloat(0xfc00)).toBe(-Infinity)
    expect(halfToFloat(0x7e00)).toBeNaN()
  })

  it('rejects malformed files with the file name and the problem', () => {
    const ok = { t: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }
    const cases: [Uint8Array, RegExp][] = [
      [new Uint8Array(3), /shorter than the 8-byte header length/],
      [rawFile({}, new Uint8Array(0)).subarray(0, 9), /runs past the end/],
      [rawFile(ok, new Uint8Array(4)), /tensor 't' data ends at 8, past the 4 data bytes/],
      [
        rawFile({ t: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, new Uint8Array(8)),
        /needs 12 bytes/,
      ],
      [
        rawFile({ t: { dtype: 'Q4', shape: [2], data_offsets: [0, 8] } }, new Uint8Array(8)),
        /unsupported dtype Q4/,
      ],
      [
        rawFile({ t: { dtype: 'F32', shape: [-2], data_offsets: [0, 8] } }, new Uint8Array(8)),
        /invalid shape/,
      ],
      [
        rawFile({ t: { dtype: 'F32', shape: [2], data_offsets: [0] } }, new Uint8Array(8)),
        /invalid data_offsets/,
      ],
      [
        rawFile({ ...ok, u: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, new Uint8Array(8)),
        /tensors 't' and 'u' overlap/,
      ],
      [rawFile([1, 2] as unknown as object, new Uint8Array(0)), /header is not a JSON object/],
    ]
    for (const [bytes, message] of cases) {
      expect(() => parseSafetensors(bytes, 'w.safetensors')).toThrow(SafetensorsError)
      expect(() => parseSafetensors(bytes, 'w.safetensors')).toThrow(message)
      expect(() => parseSafetensors(bytes, 'w.safetensors')).toThrow(/^w\.safetensors: /)
    }
    const badJson = new Uint8Array(8 + 3)
    new DataView(badJson.buffer).setBigUint64(0, 3n, true)
    badJson.set(new TextEncoder().encode('{x]'), 8)
    expect(() => parseSafetensors(badJson, 'w.safetensors')).toThrow(/header is not UTF-8 JSON/)
  })

  it('refuses to write data that does not fit its shape', () => {
    expect(() => encodeSafetensors(new Map([['w', { shape: [2, 2], data: new Float32Array(3) }]]))).toThrow(
      /tensor 'w': shape \[2,2\] holds 4 values but data has 3/,
    )
  })
})
