import { describe, expect, it } from 'vitest'
import { DemoRandom } from './demoRandom'

describe('DemoRandom', () => {
  it('draws integers over both ends of the range, and forks independent, reproducible streams', () => {
    const r = DemoRandom.fromSeed(9)
    const seen = new Set<number>()
    for (let i = 0; i < 500; i++) seen.add(r.int(2, 5))
    expect([...seen].sort()).toEqual([2, 3, 4, 5])
    const root1 = DemoRandom.fromSeed(9)
    const root2 = DemoRandom.fromSeed(9)
    const [a1, b1] = [root1.fork(), root1.fork()]
    const [a2] = [root2.fork()]
    const draws = (x: DemoRandom) => Array.from({ length: 5 }, () => x.next())
    const first = draws(a1)
    expect(draws(a2)).toEqual(first)
    expect(draws(b1)).not.toEqual(first)
  })
})
