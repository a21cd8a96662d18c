// tfjs's pure-JS backend prints "Hi, looks like you are running TensorFlow.js in Node.js. To speed things up
// dramatically, install our node backend…" on its first tensor under Node. Our own backend line already says
// what runs and why (and how to get a faster one), so the banner only confuses: it names a package that may
// not install on the user's machine. We mark the cpu backend as already used, which is all the banner checks;
// every other tfjs warning still reaches the log.
import * as tf from '@tensorflow/tfjs'

export function quietTfjsNodeBanner(): void {
  // findBackend starts the cpu backend (synchronously) without making it the active one.
  const cpu = tf.findBackend('cpu') as unknown as { firstUse?: boolean } | null
  if (cpu && 'firstUse' in cpu) cpu.firstUse = false
}
