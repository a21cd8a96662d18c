import { describe, expect, it } from 'vitest'
import { queueOrder } from './queueOrder'

describe('queueOrder', () => {
  it('puts the queued images first in queue order and keeps the rest as they were', () => {
    const images = [1, 2, 3, 4, 5].map((id) => ({ id }))
    const ranked = new Map([
      [4, { place: 0 }],
      [2, { place: 1 }],
    ])
    expect(queueOrder(images, ranked).map((i) => i.id)).toEqual([4, 2, 1, 3, 5])
    expect(queueOrder(images, new Map())).toBe(images)
  })
})
