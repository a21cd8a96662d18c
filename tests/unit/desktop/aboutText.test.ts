import { describe, expect, it } from 'vitest'
import { aboutText } from '../../../src/main/aboutText'

const versions = {
  app: '0.1.0',
  electron: '45.5.0',
  chromium: '142.0.7444.59',
  node: '22.20.0',
  tfjs: '4.22.0',
}

describe('the About box', () => {
  it('lists the app, Electron, Chromium, Node and tfjs versions and the backend chain', () => {
    const about = aboutText('S4MI Studio', versions, {
      name: 'wasm',
      device: 'CPU (WebAssembly)',
      accelerated: false,
      slowFallback: false,
      warning: null,
      threads: 3,
      skipped: ['tfjs-node-gpu: not installed', 'WebGPU: no hardware adapter'],
    })
    expect(about.message).toBe('S4MI Studio 0.1.0')
    expect(about.detail.split('\n')).toEqual([
      'Electron 45.5.0',
      'Chromium 142.0.7444.59',
      'Node 22.20.0',
      'TensorFlow.js 4.22.0',
      '',
      'Training backend: wasm on CPU (WebAssembly) (3 threads)',
      'Skipped, in the order tried:',
      '• tfjs-node-gpu: not installed',
      '• WebGPU: no hardware adapter',
    ])
  })

  it('says when the backend is not decided yet, and shows its warning', () => {
    expect(aboutText('S4MI Studio', versions, null).detail).toMatch(
      /Training backend: still being detected\.$/,
    )
    const slow = aboutText('S4MI Studio', versions, {
      name: 'cpu',
      device: 'CPU',
      accelerated: false,
      slowFallback: true,
      warning: 'training will be slow',
      threads: 1,
      skipped: [],
    })
    expect(slow.detail).toContain('Training backend: cpu on CPU (1 thread)\nWarning: training will be slow')
    expect(slow.detail).not.toContain('Skipped')
  })
})
