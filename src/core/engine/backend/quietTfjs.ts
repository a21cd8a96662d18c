// tfjs's pure-JS backend prints "Hi, looks like you are running TensorFlow.js in Node.js. To speed things up
// dramatically, install our node backend…" on its first tensor under Node. Our own backend line already says
// what runs and why (and how to get a faster one), so the banner only confuses: it names a package that may
// not install on the user's machine. All the banner checks is the backend's `firstUse` flag: we make it read
// false on this instance and on every later one (tfjs builds a new instance when it picks its default
// backend), since the constructor assigns it through the prototype's setter. Other tfjs warnings still show.
import * as tf from '@tensorflow/tfjs'

export function quietTfjsNodeBanner(): void {
  // findBackend starts the cpu backend (synchronously) without making it the active one.
  const cpu = tf.findBackend('cpu') as unknown as { firstUse?: boolean } | null
  if (!cpu || !('firstUse' in cpu)) return
  cpu.firstUse = false
  const prototype = Object.getPrototypeOf(cpu) as object
  if (Object.getOwnPropertyDescriptor(prototype, 'firstUse')) return
  Object.defineProperty(prototype, 'firstUse', { configurable: true, get: () => false, set: () => {} })
}
