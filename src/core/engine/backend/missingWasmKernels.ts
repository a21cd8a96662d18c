// Lists the kernels a training step needs that the wasm backend does not have: run the probe networks'
// forward + backward on the cpu backend, record every kernel hit, and compare with wasm's registry.
import * as tf from '@tensorflow/tfjs'
import '@tensorflow/tfjs-backend-wasm'
import { probeNetworks, type ProbeNetwork } from './probeNetworks'

/** Kernel names run by a forward + backward pass of `network`, on whatever backend is active. */
export async function kernelsHitByTraining(network: ProbeNetwork): Promise<Set<string>> {
  const weights = network.weights()
  const info = await tf.profile(() => {
    const { grads } = tf.valueAndGrads((...ws: tf.Tensor[]) => network.loss(ws))(weights)
    return grads
  })
  tf.dispose(weights)
  // Profiles also name custom-gradient ops (e.g. softmaxCrossEntropy__op); keep real kernels only.
  return new Set(info.kernelNames.filter((name) => tf.getKernel(name, 'cpu') != null))
}

export async function missingWasmKernels(networks = probeNetworks): Promise<Map<string, string[]>> {
  const previous = tf.getBackend()
  await tf.setBackend('cpu')
  const registered = new Set(tf.getKernelsForBackend('wasm').map((k) => k.kernelName))
  const missing = new Map<string, string[]>()
  try {
    for (const network of networks) {
      for (const kernel of await kernelsHitByTraining(network)) {
        if (registered.has(kernel)) continue
        missing.set(kernel, [...(missing.get(kernel) ?? []), network.name])
      }
    }
  } finally {
    if (previous && previous !== 'cpu') await tf.setBackend(previous)
  }
  return missing
}
