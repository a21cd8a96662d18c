import * as tf from '@tensorflow/tfjs'
import type { HostToTrainer, MessageEnd, TrainerToHost } from './trainerMessages'

/** The trainer could not predict: it is gone, or its prediction failed there (e.g. out of GPU memory). */
export class TrainerPredictionError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'TrainerPredictionError'
  }
}

/**
 * The host's side of the trained networks that stayed with the trainer: each predict() posts the images and
 * resolves with the trainer's answer; release() lets the trainer free them. Once the trainer is gone, every
 * prediction asked or waiting fails, saying so.
 */
export function trainedPredictions(end: MessageEnd<TrainerToHost, HostToTrainer>) {
  const waiting = new Map<number, { resolve(t: tf.Tensor): void; reject(e: Error): void }>()
  let nextId = 0
  let gone: string | null = null
  let released = false
  const gonePredicting = () => new TrainerPredictionError(`The training window cannot predict: ${gone}`)
  return {
    ask: (images: tf.Tensor4D): Promise<tf.Tensor> => {
      if (gone != null) return Promise.reject(gonePredicting())
      if (released) return Promise.reject(new TrainerPredictionError('The trained networks were released'))
      const id = nextId++
      // A copy: the caller may dispose its tensor while the message is on its way.
      const pixels = Float32Array.from(images.dataSync())
      return new Promise<tf.Tensor>((resolve, reject) => {
        waiting.set(id, { resolve, reject })
        end.post({ type: 'predict', id, shape: images.shape, pixels })
      })
    },
    answer: (m: TrainerToHost & { type: 'prediction' | 'predictionFailed' }) => {
      const w = waiting.get(m.id)
      waiting.delete(m.id)
      if (m.type === 'prediction') w?.resolve(tf.tensor(m.values, m.shape))
      else w?.reject(new TrainerPredictionError(m.message))
    },
    release: () => {
      if (released || gone != null) return
      released = true
      end.post({ type: 'release' })
    },
    closed: () => {
      gone ??= 'it closed'
      for (const w of waiting.values()) w.reject(gonePredicting())
      waiting.clear()
    },
  }
}
