import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { Module, buildSeeded, buildShapeOnly } from './module'
import { zeros } from './init'
import { Conv2d } from './conv2d'
import { BatchNorm2d } from './batchNorm2d'
import { Dropout } from './dropout'
import { Sequential } from './sequential'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

class WithBuffers extends Module {
  readonly conv = this.addModule('conv', new Conv2d(3, 4, 3))
  readonly table = this.addTensor('index', [5], zeros, { kind: 'buffer', persistent: false })
  readonly drop = this.addModule('drop', new Dropout(0.5))
}

describe('Module', () => {
  it('counts parameters (not buffers) and builds shape-only without tensors', () => {
    const before = tf.memory().numTensors
    const m = buildShapeOnly(() => new Sequential([new Conv2d(3, 8, 3), new BatchNorm2d(8)]))
    expect(tf.memory().numTensors).toBe(before)
    // conv 3·8·9 + 8, BN weight + bias 16; running stats are buffers
    expect(m.parameterCount()).toBe(216 + 8 + 16)
    expect(m.stateDict().get('1.running_var')!.torchShape).toEqual([8])
    expect(m.stateDict().get('0.weight')!.torchShape).toEqual([8, 3, 3, 3])
    expect(() => m.stateDict().get('0.weight')!.value).toThrow(/shape-only/)
  })

  it('builds identical weights from the same seed and different ones from another', () => {
    const values = (seed: number) => {
      const m = buildSeeded(seed, () => new Conv2d(3, 4, 3))
      const v = Array.from(m.weight.value.dataSync())
      m.dispose()
      return v
    }
    expect(values(7)).toEqual(values(7))
    expect(values(7)).not.toEqual(values(8))
  })

  it('switches training mode recursively and keeps non-persistent buffers out of the state dict', () => {
    const m = buildSeeded(1, () => new WithBuffers())
    expect(m.drop.training).toBe(true)
    m.eval()
    expect(m.drop.training).toBe(false)
    expect(m.conv.training).toBe(false)
    expect([...m.stateDict().keys()]).toEqual(['conv.weight', 'conv.bias'])
    expect(m.namedTensors().map(([n]) => n)).toEqual(['index', 'conv.weight', 'conv.bias'])
    expect(m.getModule('conv')).toBe(m.conv)
    expect(() => m.getModule('conv.nothing')).toThrow(/no submodule 'nothing'/)
    m.dispose()
  })

  it('freezes parameters with requiresGrad(false)', () => {
    const m = buildSeeded(2, () => new Sequential([new Conv2d(1, 1, 1), new BatchNorm2d(1)]))
    expect(m.parameters()).toHaveLength(4)
    m.layers[0].requiresGrad(false)
    expect(m.parameters()).toHaveLength(2)
    m.dispose()
  })

  it('rejects duplicate and dotted names', () => {
    class Bad extends Module {
      constructor(name: string) {
        super()
        this.addTensor('w', [1], zeros)
        this.addTensor(name, [1], zeros)
      }
    }
    expect(() => buildShapeOnly(() => new Bad('w'))).toThrow(/registered twice/)
    expect(() => buildShapeOnly(() => new Bad('a.b'))).toThrow(/invalid module or tensor name 'a.b'/)
  })
})
