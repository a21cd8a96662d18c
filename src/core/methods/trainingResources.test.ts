import { describe, expect, it } from 'vitest'
import { withTrainingResources } from './trainingResources'

function resource(name: string, freed: string[]) {
  return { name, dispose: () => freed.push(name) }
}

describe('withTrainingResources', () => {
  it('after training succeeds, frees the scratch only: the kept nets belong to the result', async () => {
    const freed: string[] = []
    const result = await withTrainingResources(async (owned) => {
      const net = owned.keep(resource('net', freed))
      owned.scratch(resource('optimizer', freed))
      owned.scratch(resource('weights', freed))
      return { net }
    })
    expect(freed).toEqual(['optimizer', 'weights'])
    expect(result.net.name).toBe('net')
  })

  it('when training fails, frees the kept nets and the scratch, and passes the error on', async () => {
    const freed: string[] = []
    const failed = withTrainingResources(async (owned) => {
      owned.keep(resource('cnn', freed))
      owned.keep(resource('swin', freed))
      owned.scratch(resource('optimizer', freed))
      throw new Error('out of memory at step 3')
    })
    await expect(failed).rejects.toThrow('out of memory at step 3')
    expect(freed.sort()).toEqual(['cnn', 'optimizer', 'swin'])
  })

  it('frees what was kept before a failure, and nothing twice', async () => {
    const freed: string[] = []
    await expect(
      withTrainingResources(async (owned) => {
        owned.keep(resource('net', freed))
        await Promise.resolve()
        throw new Error('cancelled')
      }),
    ).rejects.toThrow('cancelled')
    expect(freed).toEqual(['net'])
  })

  it('reports the training error, not a failure to free after it', async () => {
    const freed: string[] = []
    await expect(
      withTrainingResources(async (owned) => {
        owned.keep({
          dispose: () => {
            throw new Error('memory access out of bounds')
          },
        })
        owned.keep(resource('swin', freed))
        throw new Error('Aborted(): wasm heap exhausted')
      }),
    ).rejects.toThrow('Aborted(): wasm heap exhausted')
    expect(freed).toEqual(['swin'])
  })
})
