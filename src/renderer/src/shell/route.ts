// The app's places, kept in the URL hash so reloads and the E2E tests can land anywhere.
import type { QueueStrategy } from '../../../shared/contract/labellingLoop'

const QUEUES: readonly string[] = [
  'entropy',
  'disagreement',
  'mc-dropout',
  'random',
] satisfies QueueStrategy[]

export type Route =
  | { view: 'images' }
  /**
   * One image; with a run, that run's prediction is shown over it; with a queue too, the image is reviewed in
   * the labelling queue that run's uncertainty (or the random control) ranks.
   */
  | { view: 'image'; imageId: number; runId?: number; queue?: QueueStrategy }
  | { view: 'train' }
  | { view: 'results' }
  | { view: 'run'; runId: number }
  | { view: 'jobs' }

function positiveId(s: string | undefined): number | null {
  const n = Number(s)
  return Number.isInteger(n) && n > 0 ? n : null
}

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean)
  switch (parts[0]) {
    case 'image': {
      const imageId = positiveId(parts[1])
      if (imageId === null) return { view: 'images' }
      const runId = parts[2] === 'run' ? positiveId(parts[3]) : null
      if (runId === null) return { view: 'image', imageId }
      const queue = parts[4] === 'queue' && QUEUES.includes(parts[5]) ? (parts[5] as QueueStrategy) : null
      return queue === null ? { view: 'image', imageId, runId } : { view: 'image', imageId, runId, queue }
    }
    case 'run': {
      const runId = positiveId(parts[1])
      return runId === null ? { view: 'results' } : { view: 'run', runId }
    }
    case 'train':
    case 'results':
    case 'jobs':
      return { view: parts[0] }
    default:
      return { view: 'images' }
  }
}

export function formatRoute(route: Route): string {
  if (route.view === 'image')
    return `#/image/${route.imageId}${route.runId !== undefined ? `/run/${route.runId}${route.queue ? `/queue/${route.queue}` : ''}` : ''}`
  if (route.view === 'run') return `#/run/${route.runId}`
  return `#/${route.view}`
}
