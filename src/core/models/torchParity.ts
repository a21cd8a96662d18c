import * as tf from '@tensorflow/tfjs'
import path from 'node:path'
import type { SafetensorsFile } from './nn/safetensors'
import type { Module } from './nn/module'
import { toTorchLayout } from './nn/torchLayout'
import { fixtureDir, readReferenceCase, relativeMaxError } from './referenceCase'

/**
 * Comparing our transformers with PyTorch: reads the reference files written by
 * scripts/parity/export_transformers.py (weights + inputs, outputs, gradients; spatial tensors already
 * NHWC, unlike the CNN cases of referenceCase.ts) and measures differences relative to the
 * reference's scale. Test and bench support; the app never imports it.
 */

export const transformerFixtureDir = path.join(fixtureDir, 'transformers')

export interface TorchReference {
  weights: SafetensorsFile
  io: SafetensorsFile
  config: Record<string, unknown>
}

export function readTorchReference(name: string, dir = transformerFixtureDir): TorchReference {
  const { weights, io } = readReferenceCase(name, dir)
  const config = JSON.parse(io.metadata.config ?? '{}') as Record<string, unknown>
  return { weights, io, config }
}

export function referenceTensor(file: SafetensorsFile, name: string): tf.Tensor {
  const entry = file.tensors.get(name)
  if (!entry) throw new Error(`${file.source} has no tensor '${name}'`)
  return tf.tensor(entry.toFloat32(), entry.shape)
}

/** max |actual − expected| / max |expected| (the error as a fraction of the output scale), shapes equal. */
export function relativeMaxDiff(actual: tf.Tensor, expected: tf.Tensor): number {
  if (actual.shape.join() !== expected.shape.join()) {
    throw new Error(`shape [${actual.shape}] differs from the reference [${expected.shape}]`)
  }
  return relativeMaxError(actual, expected)
}

/**
 * Gradients of `loss(model(input))` w.r.t. the input and every parameter, compared with the
 * reference's `grad.input` and `grad.<torch name>` (torch layout). Returns name → relative difference.
 */
export function gradientDiffs(
  module: Module,
  reference: SafetensorsFile,
  input: tf.Tensor,
  loss: (x: tf.Tensor) => tf.Scalar,
): Map<string, number> {
  const diffs = new Map<string, number>()
  const inputVar = tf.variable(input, true)
  const named = module.namedParameters()
  try {
    const { grads, value } = tf.variableGrads(
      () => loss(inputVar),
      [inputVar, ...named.map(([, s]) => s.value)],
    )
    value.dispose()
    tf.tidy(() => {
      diffs.set('input', relativeMaxDiff(grads[inputVar.name], referenceTensor(reference, 'grad.input')))
      for (const [name, slot] of named) {
        const ours = toTorchLayout(grads[slot.value.name], slot.layout)
        diffs.set(name, relativeMaxDiff(ours, referenceTensor(reference, `grad.${name}`)))
      }
    })
    tf.dispose(Object.values(grads))
  } finally {
    inputVar.dispose()
  }
  return diffs
}

/** The entries of `diffs` above `tolerance`, for a readable assertion message. */
export function above(diffs: Map<string, number>, tolerance: number): Record<string, number> {
  return Object.fromEntries([...diffs].filter(([, d]) => !(d <= tolerance)))
}
