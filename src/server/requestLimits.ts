import type http from 'node:http'

const MiB = 1024 * 1024

/** Most calls carry a few ids and names. */
export const DEFAULT_BODY_LIMIT = 1 * MiB

/**
 * Calls that carry pixels may be bigger: a whole mask PNG (its schema allows 48 MiB of base64) or the
 * patches of a stroke. Everything else is refused above DEFAULT_BODY_LIMIT with 413, before it is read.
 */
export const BODY_LIMITS: Record<string, number> = {
  'mask.commit': 50 * MiB,
  'viewer.maskPatch': 50 * MiB,
}

/**
 * Calls that decode or encode images or read big files. At most HEAVY_CONCURRENCY run at once; the rest
 * wait their turn with their bodies still unread, so a burst of big requests cannot pile up in memory.
 */
export const HEAVY_METHODS = new Set([
  'mask.commit',
  'viewer.maskPatch',
  'viewer.pyramid',
  'viewer.tiles',
  'viewer.maskTiles',
  'viewer.probabilityTiles',
  'viewer.acceptPrediction',
  'loop.uncertaintyLayer',
  'annotations.export',
  'annotations.exportZip',
  'annotations.import',
  'weights.import',
])
export const HEAVY_CONCURRENCY = 4
/** Heavy calls waiting beyond this are refused with 503 rather than queued without end. */
export const HEAVY_QUEUE_LIMIT = 64

export function bodyLimit(method: string): number {
  return BODY_LIMITS[method] ?? DEFAULT_BODY_LIMIT
}

export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`Request body over ${limit} bytes`)
    this.name = 'BodyTooLarge'
  }
}

/** Reads a request body up to `limit` bytes; a bigger one is refused as soon as it is known to be. */
export function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'])
    if (Number.isFinite(declared) && declared > limit) {
      reject(new BodyTooLarge(limit))
      return
    }
    const chunks: Buffer[] = []
    let size = 0
    let done = false
    req.on('data', (c: Buffer) => {
      if (done) return
      size += c.length
      if (size > limit) {
        done = true
        chunks.length = 0
        reject(new BodyTooLarge(limit))
      } else chunks.push(c)
    })
    req.on('end', () => {
      if (!done) resolve(Buffer.concat(chunks))
    })
    req.on('error', (e) => {
      done = true
      reject(e)
    })
  })
}

/** A counting gate: `run` waits for one of `limit` slots. */
export class Gate {
  private active = 0
  private waiting: (() => void)[] = []

  constructor(
    readonly limit: number,
    readonly queueLimit: number,
  ) {}

  get busy(): boolean {
    return this.active >= this.limit && this.waiting.length >= this.queueLimit
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((r) => this.waiting.push(r))
    else this.active++
    try {
      return await work()
    } finally {
      const next = this.waiting.shift()
      if (next) next()
      else this.active--
    }
  }
}
