// Adam's update as one WebAssembly pass over a parameter, its gradient and its two moments, four floats at a
// time, instead of about fifteen tfjs ops each reading and writing whole tensors (for ViT-B/16's 86 M
// parameters, 0.56 s of every step on one thread). Each vector goes through the same float32 operations in
// the same order as adam.ts's ops, so the result is bit for bit theirs:
//   decay 'l2':        g ← g + p·decay            (torch.optim.Adam's weight_decay)
//   decay 'decoupled': p ← p·decay, decay = 1 − lr·weight decay   (torch.optim.AdamW)
//   m′ = m·β₁ + g·(1 − β₁);  v′ = v·β₂ + (g·g)·(1 − β₂)
//   p′ = p − (m′ / (√v′ / √(1 − β₂ᵗ) + ε))·(lr / (1 − β₁ᵗ))
// Exports adam0, adam1 and adam2, one per kind of decay in adamDecayKinds' order (p, g, m, v, pOut, mOut,
// vOut, vectors; decay, β₁, 1 − β₁, β₂, 1 − β₂, √(1 − β₂ᵗ), ε, step size): pointers are byte offsets in the heap, `vectors` (≥ 1) counts groups of 4.
import {
  advance,
  countDown,
  f32,
  f32x4Add,
  f32x4Div,
  f32x4Mul,
  f32x4Splat,
  f32x4Sqrt,
  f32x4Sub,
  functionBody,
  get,
  i32,
  load,
  moduleBytes,
  set,
  store,
  v128,
} from './wasmEmitter'

/** The kinds of weight decay; the module's function for kind i is exported as `adam${i}`. */
export const adamDecayKinds = ['none', 'l2', 'decoupled'] as const
export type AdamDecay = (typeof adamDecayKinds)[number]

function adamBody(decay: AdamDecay): number[] {
  const [p, g, m, v, pOut, mOut, vOut, vectors] = [0, 1, 2, 3, 4, 5, 6, 7]
  // f32 parameters 8–15, each splatted into the v128 local 8 further on.
  const [D, B1, OB1, B2, OB2, C2, EPS, STEP] = [16, 17, 18, 19, 20, 21, 22, 23]
  const [pv, gv, mNext, vNext] = [24, 25, 26, 27]
  const code: number[] = []
  for (let i = 0; i < 8; i++) code.push(...get(8 + i), ...f32x4Splat, ...set(16 + i))
  const step: number[] = [...get(p), ...load(0), ...set(pv), ...get(g), ...load(0), ...set(gv)]
  if (decay === 'l2') step.push(...get(gv), ...get(pv), ...get(D), ...f32x4Mul, ...f32x4Add, ...set(gv))
  if (decay === 'decoupled') step.push(...get(pv), ...get(D), ...f32x4Mul, ...set(pv))
  step.push(
    ...get(m),
    ...load(0),
    ...get(B1),
    ...f32x4Mul,
    ...get(gv),
    ...get(OB1),
    ...f32x4Mul,
    ...f32x4Add,
    ...set(mNext),
  )
  step.push(
    ...[...get(v), ...load(0), ...get(B2), ...f32x4Mul],
    ...[...get(gv), ...get(gv), ...f32x4Mul, ...get(OB2), ...f32x4Mul, ...f32x4Add, ...set(vNext)],
  )
  step.push(...get(mOut), ...get(mNext), ...store(0), ...get(vOut), ...get(vNext), ...store(0))
  step.push(
    ...[...get(pOut), ...get(pv), ...get(mNext)],
    ...[...get(vNext), ...f32x4Sqrt, ...get(C2), ...f32x4Div, ...get(EPS), ...f32x4Add],
    ...[...f32x4Div, ...get(STEP), ...f32x4Mul, ...f32x4Sub, ...store(0)],
  )
  for (const pointer of [p, g, m, v, pOut, mOut, vOut]) step.push(...advance(pointer, 16))
  code.push(...countDown(vectors, step))
  return functionBody([[12, v128]], code)
}

/** The module's bytes; `shared`: it imports the threaded wasm build's shared heap. */
export function adamModuleBytes(shared: boolean): Uint8Array {
  const params = [...Array.from({ length: 8 }, () => i32), ...Array.from({ length: 8 }, () => f32)]
  return moduleBytes(
    shared,
    adamDecayKinds.map((decay, i) => ({ name: `adam${i}`, params, body: adamBody(decay) })),
  )
}
