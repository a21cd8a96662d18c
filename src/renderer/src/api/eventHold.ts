import type { ApiEvent } from '../../../shared/events'

type Listener = (event: ApiEvent) => void

/**
 * What makes two held events the same news: a job's or the backend's latest state replaces the earlier one,
 * and so does the latest change of one kind to one image (a stroke saved in parts: its last head).
 */
function newsKey(e: ApiEvent): string {
  if (e.type === 'job') return `job/${e.job.id}`
  if (e.type === 'backend') return 'backend'
  if (e.type === 'project') return `project/${e.change}/${e.imageId ?? ''}`
  return JSON.stringify(e)
}

/**
 * API events held back while the user draws a stroke. The views they refresh (the app status, the image
 * list, job progress, the mask's own check for changes elsewhere) would re-render or fetch mid-stroke, and a
 * render then costs frames: every save of a stroke sends a mask event. When the last hold is released, each
 * listener gets what was held, in order, the same news once (its latest state). Menu commands are never held.
 */
export class EventHold {
  private holds = 0
  private held: { listener: Listener; event: ApiEvent; key: string }[] = []

  /** Holds events until the returned release is called (more than once counts once). */
  hold(): () => void {
    this.holds++
    let released = false
    return () => {
      if (released) return
      released = true
      if (--this.holds === 0) this.deliver()
    }
  }

  /** The listener as registered with the transport: called at once, or when the holds are released. */
  wrap(listener: Listener): Listener {
    return (event) => {
      if (this.holds === 0 || event.type === 'menu') return listener(event)
      const key = newsKey(event)
      const at = this.held.findIndex((h) => h.listener === listener && h.key === key)
      if (at >= 0) this.held.splice(at, 1)
      this.held.push({ listener, event, key })
    }
  }

  private deliver(): void {
    for (const h of this.held.splice(0)) {
      try {
        h.listener(h.event)
      } catch (e) {
        // One listener's failure must not keep the others' news from them.
        console.error(e)
      }
    }
  }
}
