import path from 'node:path'
import { fileURLToPath } from 'node:url'
import * as tf from '@tensorflow/tfjs'
import type { Module } from './nn/module'
import { readSafetensorsFile } from './nn/safetensors'
import type { SafetensorsFile } from './nn/safetensors'
import { loadStateDict } from './nn/weights'
import { toTorchLayout } from './nn/torchLayout'

/**
 * A PyTorch reference case written by scripts/parity/export_reference.py: weights under torch
 * names, plus inputs, outputs and gradients. Used by the parity tests of every model family.
 */
export const fixtureDir = fileURLToPath(new URL('../../../tests/fixtures/models', import.meta.url))

export interface ReferenceCase {
  weights: SafetensorsFile
  io: SafetensorsFile
}

export function readReferenceCase(name: string, dir = fixtureDir): ReferenceCase {
  return {
    weights: readSafetensorsFile(path.join(dir, `${name}.weights.safetensors`)),
    io: readSafetensorsFile(path.join(dir, `${name}.io.safetensors`)),
  }
}

/** An io tensor as stored (torch layout). */
export function ioTensor(c: ReferenceCase, name: string): tf.Tensor {
  const e = c.io.tensors.get(name)
  if (!e) throw new Error(`${c.io.source} has no tensor '${name}'`)
  return tf.tensor(e.toFloat32(), e.shape)
}

/** NCHW (torch) → NHWC (ours) for rank-4 tensors; other ranks unchanged. */
export function toNhwc(t: tf.Tensor): tf.Tensor {
  return t.rank === 4 ? tf.transpose(t, [0, 2, 3, 1]) : t.clone()
}

export function loadReferenceWeights(module: Module, c: ReferenceCase): void {
  loadStateDict(module, c.weights)
}

/** max |a − b| / max |b|: the error relative to the reference's output scale. */
export function relativeMaxError(actual: tf.Tensor, reference: tf.Tensor): number {
  return tf.tidy(() => {
    const scale = Math.max(tf.max(tf.abs(reference)).dataSync()[0], 1e-12)
    return tf.max(tf.abs(tf.sub(actual, reference))).dataSync()[0] / scale
  })
}

/** The gradient of a module tensor in torch layout, for comparison with torch's `.grad`. */
export function gradInTorchLayout(module: Module, name: string, grad: tf.Tensor): tf.Tensor {
  const slot = module.stateDict().get(name)
  if (!slot) throw new Error(`no tensor '${name}' in the module`)
  return toTorchLayout(grad, slot.layout)
}
