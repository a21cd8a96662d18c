import type { MaskPatch, TiledMask } from './tiledMask'

/** What one save sends: the patches and the revision of the same stroke to replace, if it was saved in part. */
export interface MaskSave {
  patches: MaskPatch[]
  amend: number | null
}

export interface AutosaveOptions {
  /** Sends a save and resolves to the new head revision id. */
  save: (s: MaskSave) => Promise<number>
  /** Sends a save that must leave even if the page is going away (sendBeacon); false if it could not. */
  beacon?: (s: MaskSave) => boolean
  /** Longest wait from a change to the start of its save, in ms; with the save itself it stays under a second. */
  maxDelay?: number
  /** Wait after a stroke ends, so a quick next stroke is not blocked by a save. */
  idleDelay?: number
  /** Status changes; while a stroke is drawn only the last is kept, told when it ends (no render mid-stroke). */
  onStatus?: (s: AutosaveStatus) => void
}

export type AutosaveStatus = { state: 'saved' | 'pending' | 'saving' } | { state: 'error'; message: string }

/**
 * Persists mask edits without blocking painting: changes collect in the tiled mask, and a save of the touched
 * rectangles starts at most `maxDelay` after the first unsaved change, while drawing too. A stroke saved in
 * several parts stays one undo step: each later part amends the revision the earlier part made. Saves go
 * one at a time, in order; a failed save puts its patches back and is retried.
 */
export class MaskAutosave {
  private timer: ReturnType<typeof setTimeout> | null = null
  private chain: Promise<void> = Promise.resolve()
  private pending = 0
  private stroke = 0
  private strokeActive = false
  /** Revision made by the latest saved part of each stroke still being amended. */
  private strokeRevision = new Map<number, number>()
  private maxDelay: number
  private idleDelay: number
  /** Status and other news held back while a stroke is drawn (a re-render then would cost frames). */
  private heldStatus: AutosaveStatus | null = null
  private held: (() => void)[] = []

  constructor(
    private mask: TiledMask,
    private opts: AutosaveOptions,
  ) {
    this.maxDelay = opts.maxDelay ?? 600
    this.idleDelay = opts.idleDelay ?? 150
  }

  /** Before a stroke's first pixel: whatever is unsaved belongs to the previous stroke, so it leaves first. */
  beginStroke(): void {
    if (this.mask.hasUnsaved()) this.flush()
    this.stroke++
    this.strokeActive = true
  }

  /** After pixels changed. */
  changed(): void {
    if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), this.maxDelay)
      this.status({ state: 'pending' })
    }
  }

  endStroke(): void {
    this.strokeActive = false
    const status = this.heldStatus
    this.heldStatus = null
    if (status) this.opts.onStatus?.(status)
    for (const fn of this.held.splice(0)) fn()
    if (this.mask.hasUnsaved()) {
      if (this.timer) clearTimeout(this.timer)
      this.timer = setTimeout(() => this.flush(), this.idleDelay)
    }
  }

  /** Runs `fn` now, or when the stroke being drawn ends: news that re-renders the viewer waits for it. */
  afterStroke(fn: () => void): void {
    if (this.strokeActive) this.held.push(fn)
    else fn()
  }

  private status(s: AutosaveStatus): void {
    if (this.strokeActive) this.heldStatus = s
    else this.opts.onStatus?.(s)
  }

  /** Cancels the in-progress stroke's amend chain (e.g. the stroke was rolled back with Escape). */
  forgetStroke(): void {
    this.strokeRevision.delete(this.stroke)
  }

  /** Starts a save of everything unsaved now; resolves when every save so far has finished. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer)
      this.timer = null
    }
    if (!this.mask.hasUnsaved()) return this.chain
    const patches = this.mask.takeUnsaved()
    const stroke = this.stroke
    const finished = !this.strokeActive
    this.pending++
    this.status({ state: 'saving' })
    this.chain = this.chain.then(async () => {
      try {
        const amend = this.strokeRevision.get(stroke) ?? null
        const revision = await this.opts.save({ patches, amend })
        if (finished) this.strokeRevision.delete(stroke)
        else this.strokeRevision.set(stroke, revision)
        this.pending--
        if (this.pending === 0 && !this.mask.hasUnsaved()) this.status({ state: 'saved' })
      } catch (e) {
        this.pending--
        this.mask.restoreUnsaved(patches)
        this.status({ state: 'error', message: (e as Error).message })
        if (!this.timer) this.timer = setTimeout(() => this.flush(), 2000)
      }
    })
    return this.chain
  }

  /** Waits until nothing is unsaved or in flight (before undo/redo, or closing the image). */
  async settle(): Promise<void> {
    for (let i = 0; i < 5 && (this.mask.hasUnsaved() || this.pending > 0); i++) await this.flush()
    if (this.mask.hasUnsaved())
      throw new Error('The mask could not be saved; the last change is kept and will be retried')
  }

  /** The page is going away: send what is left by beacon, which outlives the page. */
  unload(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    if (!this.mask.hasUnsaved() || !this.opts.beacon) return
    const patches = this.mask.takeUnsaved()
    if (!this.opts.beacon({ patches, amend: this.strokeRevision.get(this.stroke) ?? null }))
      this.mask.restoreUnsaved(patches)
  }

  get busy(): boolean {
    return this.pending > 0 || this.mask.hasUnsaved()
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }
}
