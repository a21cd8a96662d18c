import path from 'node:path'
import { fileURLToPath } from 'node:url'
import * as tf from '@tensorflow/tfjs'
import type { Module } from './nn/module'
import { readSafetensorsFile } from './nn/safetensorsFile'
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

/** Relative error of the eval-mode output (NHWC outputs are compared with the NCHW reference). */
export function evalOutputError(
  model: Module,
  forward: (x: tf.Tensor) => tf.Tensor,
  c: ReferenceCase,
): number {
  model.eval()
  return tf.tidy(() =>
    relativeMaxError(forward(toNhwc(ioTensor(c, 'input'))), toNhwc(ioTensor(c, 'eval.output'))),
  )
}

/**
 * One train-mode forward and backward of the scalar loss sum(output · R), as the export script ran
 * it. Returns the relative error of the output, of every exported gradient and of every BatchNorm
 * running statistic after the step, keyed by the reference tensor's name.
 */
export function trainStepErrors(
  model: Module,
  forward: (x: tf.Tensor) => tf.Tensor,
  c: ReferenceCase,
): Record<string, number> {
  model.train()
  const input = tf.variable(toNhwc(ioTensor(c, 'input')))
  const r = tf.tidy(() => toNhwc(ioTensor(c, 'loss.weights')))
  let output: tf.Tensor | null = null
  const { grads, value } = tf.variableGrads(() => {
    const out = forward(input)
    output = tf.keep(out.clone())
    return tf.sum(tf.mul(out, r)) as tf.Scalar
  }, [input, ...model.parameters()])
  const slots = model.stateDict()
  const errors: Record<string, number> = {}
  tf.tidy(() => {
    errors['train.output'] = relativeMaxError(output!, toNhwc(ioTensor(c, 'train.output')))
    errors['grad.input'] = relativeMaxError(grads[input.name], toNhwc(ioTensor(c, 'grad.input')))
    for (const ioName of c.io.tensors.keys()) {
      if (ioName.startsWith('grad.') && ioName !== 'grad.input') {
        const name = ioName.slice('grad.'.length)
        const slot = slots.get(name)
        if (!slot) throw new Error(`reference gradient ${ioName} names no tensor of the model`)
        errors[ioName] = relativeMaxError(
          gradInTorchLayout(model, name, grads[slot.value.name]),
          ioTensor(c, ioName),
        )
      }
      if (ioName.startsWith('after_train.')) {
        const slot = slots.get(ioName.slice('after_train.'.length))
        if (!slot) throw new Error(`reference statistic ${ioName} names no tensor of the model`)
        errors[ioName] = relativeMaxError(slot.value, ioTensor(c, ioName))
      }
    }
  })
  tf.dispose([input, r, output!, value, ...Object.values(grads)])
  return errors
}
