/** Named tensors of a training state (weights, optimiser slots), as plain arrays that survive a restart. */
export type TrainState = Record<string, { shape: number[]; values: Float32Array }>
