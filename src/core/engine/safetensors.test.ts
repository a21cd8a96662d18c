import { describe, expect, it } from 'vitest'
import { decodeSafetensors, encodeSafetensors } from './safetensors'

describe('safetensors', () => {
  it('round-trips named float32 tensors and metadata, data 8-byte aligned', () => {
    const tensors = {
      'layer1.weight': { shape: [2, 3], values: Float32Array.of(1, -2, 3.5, 0, 1e-8, -7) },
      bias: { shape: [2], values: Float32Array.of(0.25, -0.5) },
    }
    const bytes = encodeSafetensors(tensors, { format: 'pt', method: 'supervised' })
    const headerLength = Number(bytes.readBigUInt64LE(0))
    expect((8 + headerLength) % 8).toBe(0)
    const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString())
    // Sorted by name, contiguous, as the format describes.
    expect(header.bias).toEqual({ dtype: 'F32', shape: [2], data_offsets: [0, 8] })
    expect(header['layer1.weight']).toEqual({ dtype: 'F32', shape: [2, 3], data_offsets: [8, 32] })
    expect(bytes.length).toBe(8 + headerLength + 32)
    const back = decodeSafetensors(bytes)
    expect(back.metadata).toEqual({ format: 'pt', method: 'supervised' })
    expect(back.tensors['layer1.weight']).toEqual(tensors['layer1.weight'])
    expect(back.tensors.bias).toEqual(tensors.bias)
  })

  it('reads a file laid out by hand as the specification says (little-endian floats after the header)', () => {
    const header = Buffer.from(JSON.stringify({ w: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }))
    const file = Buffer.alloc(8 + header.length + 8)
    file.writeBigUInt64LE(BigInt(header.length), 0)
    header.copy(file, 8)
    file.writeFloatLE(1.5, 8 + header.length)
    file.writeFloatLE(-3, 12 + header.length)
    expect(decodeSafetensors(file).tensors.w.values).toEqual(Float32Array.of(1.5, -3))
  })

  it('refuses what it cannot read, naming the problem', () => {
    expect(() => decodeSafetensors(Buffer.from('hi'), 'model.safetensors')).toThrow(
      /model.safetensors is too short/,
    )
    const half = Buffer.from(JSON.stringify({ w: { dtype: 'F16', shape: [1], data_offsets: [0, 2] } }))
    const f16 = Buffer.concat([Buffer.alloc(8), half, Buffer.alloc(2)])
    f16.writeBigUInt64LE(BigInt(half.length), 0)
    expect(() => decodeSafetensors(f16)).toThrow(/only F32/)
    expect(() => encodeSafetensors({ w: { shape: [3], values: Float32Array.of(1) } })).toThrow(
      /shape \[3\] but 1 values/,
    )
  })
})
