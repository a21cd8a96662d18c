import * as tf from '@tensorflow/tfjs'
import type { Module } from '../../models/nn/module'
import { warmupCosine } from '../../engine/schedule/warmupCosine'

/**
 * DINO's teacher: the same network as the student, never trained by gradients (its parameters are
 * frozen), only moved towards the student after each step: θ_t ← m·θ_t + (1 − m)·θ_s
 * (facebookresearch/dino main_dino.py, "EMA update for the teacher"). Every parameter takes part,
 * frozen ones included, as torch's `zip(student.parameters(), teacher.parameters())` does; buffers
 * (BatchNorm running statistics) are not averaged: the teacher keeps its own.
 */

/** Freezes the teacher and copies the student's parameters and buffers into it (DINO: load_state_dict). */
export function initTeacher(teacher: Module, student: Module): void {
  const source = new Map(student.namedTensors())
  for (const [name, slot] of teacher.namedTensors()) {
    const from = source.get(name)
    if (!from) throw new Error(`teacher tensor '${name}' has no counterpart in the student`)
    slot.assign(from.value)
  }
  teacher.requiresGrad(false)
}

/** One EMA step with momentum m, in place. */
export function updateTeacher(teacher: Module, student: Module, momentum: number): void {
  if (!(momentum >= 0 && momentum <= 1))
    throw new Error(`teacher momentum must be in [0, 1], got ${momentum}`)
  const source = new Map(student.namedParameters())
  for (const [name, slot] of teacher.namedParameters()) {
    const from = source.get(name)
    if (!from) throw new Error(`teacher parameter '${name}' has no counterpart in the student`)
    tf.tidy(() => slot.value.assign(tf.add(tf.mul(slot.value, momentum), tf.mul(from.value, 1 - momentum))))
  }
}

/**
 * The momentum per iteration: half a cosine from `base` to `end` over the run (DINO: 0.996 → 1,
 * utils.cosine_scheduler); `base === end` gives lucidrains' constant decay (0.9).
 */
export function teacherMomentumSchedule(
  base: number,
  end: number,
  epochs: number,
  iterationsPerEpoch: number,
): (iteration: number) => number {
  return warmupCosine({ baseLr: base, finalLr: end, epochs, iterationsPerEpoch })
}
