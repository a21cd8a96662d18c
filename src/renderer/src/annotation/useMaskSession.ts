import { startTransition, useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { MaskState } from '../../../shared/api'
import type { AcceptMode } from '../../../shared/contract/viewer'
import { client } from '../api/client'
import { fromBase64, toBase64 } from '../api/base64'
import { betweenFrames } from './betweenFrames'
import { MaskAutosave, type AutosaveStatus, type MaskSave } from './maskAutosave'
import { MaskTileCanvases } from './maskTileCanvases'
import { TiledMask } from './tiledMask'

/** Loaded mask tiles kept at most while panning a big image; tiles with unsaved edits are never dropped. */
const MAX_LOADED_TILES = 160

function saveInput(imageId: number, s: MaskSave) {
  return {
    imageId,
    amend: s.amend,
    patches: s.patches.map((p) => ({
      x: p.x,
      y: p.y,
      width: p.width,
      height: p.height,
      data: toBase64(p.data),
    })),
  }
}

export interface AcceptPredictionOptions {
  mode: AcceptMode
  /** 'confident': the probability a pixel's predicted class needs. */
  threshold?: number
  evaluationConfirmed: boolean
}

/** How a prediction would be accepted: the mode, and for 'confident' the probability it asks for. */
export interface AcceptChoice {
  mode: AcceptMode
  threshold: number
}

/**
 * Where a session's tiles come from: the mask, a run's prediction, or (read-only) the difference accepting it
 * in a mode would make.
 */
export type MaskSource = { runId: number; difference?: AcceptChoice }

export interface MaskSession {
  mask: TiledMask
  canvases: MaskTileCanvases
  autosave: MaskAutosave
  state: MaskState | null
  status: AutosaveStatus
  /** Bumps when tiles were loaded or dropped (the layer's node list changes). */
  version: number
  /** Loads the tiles not yet loaded among these, and drops far ones past the budget. */
  ensureTiles(tiles: [number, number][]): void
  allLoaded(tiles: [number, number][]): boolean
  /** Undo; past the imported or first-saved mask only with `pastFirst` (the core refuses it otherwise). */
  undo(pastFirst?: boolean): Promise<void>
  redo(): Promise<void>
  /** Makes a run's prediction the mask (a new revision recorded with the run), then reloads. */
  acceptPrediction(runId: number, opts: AcceptPredictionOptions): Promise<void>
  /** Reads the tiles on screen again (the difference view, after the mask changed). */
  reload(): void
  error: string | null
}

/**
 * The mask being edited for one image: a tiled mask loaded from the core where it is viewed, its canvases,
 * and its autosave. Undo and redo first let pending saves land, then move the revision head in the core and
 * reload what is on screen, so the history is the stored one and survives reopening.
 */
export function useMaskSession(
  imageId: number,
  width: number,
  height: number,
  tileSize: number,
  colours: string[],
  source?: MaskSource,
): MaskSession {
  const runId = source?.runId
  const differenceMode = source?.difference?.mode
  // The threshold matters to 'confident' only: moving the slider in another mode reads nothing again.
  const differenceThreshold = differenceMode === 'confident' ? source?.difference?.threshold : undefined
  const [state, setState] = useState<MaskState | null>(null)
  const [status, setStatus] = useState<AutosaveStatus>({ state: 'saved' })
  const [version, setVersion] = useState(0)
  const [error, setError] = useState<string | null>(null)
  const pending = useRef(new Set<number>())
  const generation = useRef(0)
  const lastWanted = useRef<[number, number][]>([])
  /** The head revision this window last saw; a different head after an event means someone else changed the mask. */
  const knownHead = useRef<number | null | undefined>(undefined)
  const autosaveRef = useRef<MaskAutosave | null>(null)
  const know = useCallback((s: MaskState) => {
    knownHead.current = s.head?.id ?? null
    // The undo counters may wait for the stroke being drawn to end (a render mid-stroke costs frames).
    const show = () => startTransition(() => setState(s))
    if (autosaveRef.current) autosaveRef.current.afterStroke(show)
    else show()
  }, [])

  const core = useMemo(() => {
    const mask = new TiledMask(Math.max(1, width), Math.max(1, height), tileSize)
    const canvases = new MaskTileCanvases(mask, [])
    const autosave = new MaskAutosave(mask, {
      save: async (s) => {
        // The patches were taken when the save was queued; encoding and sending them waits for a gap
        // between frames, so a save mid-stroke does not delay the next dab on screen.
        await betweenFrames()
        const next = await client.call('viewer.maskPatch', saveInput(imageId, s))
        know(next)
        return next.head!.id
      },
      beacon: client.beacon ? (s) => client.beacon!('viewer.maskPatch', saveInput(imageId, s)) : undefined,
      // Only real changes re-render the viewer (a render during a stroke costs a frame).
      onStatus: (next) =>
        startTransition(() =>
          setStatus((cur) =>
            cur.state === next.state &&
            (cur.state !== 'error' || (next.state === 'error' && cur.message === next.message))
              ? cur
              : next,
          ),
        ),
    })
    autosaveRef.current = autosave
    return { mask, canvases, autosave }
    // `know` is stable. A new run's prediction is a different mask: start from scratch.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [imageId, width, height, tileSize, runId, differenceMode, differenceThreshold])

  useEffect(() => core.canvases.setColours(colours), [core, colours])

  useEffect(() => {
    if (runId !== undefined) return
    let live = true
    client.call('mask.get', { imageId }).then(
      (s) => live && setState(s),
      (e: Error) => live && setError(e.message),
    )
    const onHide = () => core.autosave.unload()
    window.addEventListener('pagehide', onHide)
    return () => {
      live = false
      window.removeEventListener('pagehide', onHide)
      // Leaving the image: whatever is unsaved goes now, not when a timer would have fired.
      void core.autosave.flush()
      core.autosave.dispose()
    }
  }, [core, imageId, runId, know])

  const ensureTiles = useCallback(
    (tiles: [number, number][]) => {
      lastWanted.current = tiles
      const { mask, canvases } = core
      const missing = tiles.filter(
        ([tx, ty]) => !mask.hasTile(tx, ty) && !pending.current.has(mask.key(tx, ty)),
      )
      const loaded = mask.loadedKeys()
      if (loaded.length + missing.length > MAX_LOADED_TILES) {
        const keep = new Set(tiles.map(([tx, ty]) => mask.key(tx, ty)))
        let dropped = false
        let count = loaded.length
        for (const k of loaded) {
          if (count + missing.length <= MAX_LOADED_TILES) break
          const tx = k % mask.cols
          const ty = Math.floor(k / mask.cols)
          if (!keep.has(k) && mask.unloadTile(tx, ty)) {
            canvases.drop(tx, ty)
            dropped = true
            count--
          }
        }
        if (dropped) setVersion((v) => v + 1)
      }
      if (missing.length === 0) return
      for (const [tx, ty] of missing) pending.current.add(mask.key(tx, ty))
      const gen = generation.current
      client
        .call('viewer.maskTiles', {
          imageId,
          tileSize,
          tiles: missing,
          ...(runId === undefined
            ? {}
            : differenceMode
              ? { differenceRunId: runId, differenceMode, differenceThreshold }
              : { runId }),
        })
        .then((r) => {
          if (gen !== generation.current) return
          missing.forEach(([tx, ty], i) => {
            pending.current.delete(mask.key(tx, ty))
            const data = r.tiles[i]
            mask.loadTile(tx, ty, data === null ? null : fromBase64(data))
          })
          canvases.update()
          setVersion((v) => v + 1)
        })
        .catch((e: Error) => {
          for (const [tx, ty] of missing) pending.current.delete(mask.key(tx, ty))
          setError(e.message)
        })
    },
    [core, imageId, tileSize, runId, differenceMode, differenceThreshold],
  )

  const reload = useCallback(() => {
    generation.current++
    pending.current.clear()
    core.mask.unloadAll()
    core.canvases.clear()
    setVersion((v) => v + 1)
    ensureTiles(lastWanted.current)
  }, [core, ensureTiles])

  const move = useCallback(
    async (method: 'mask.undo' | 'mask.redo', pastFirst = false) => {
      try {
        await core.autosave.settle()
        know(
          await (method === 'mask.undo'
            ? client.call(method, { imageId, pastFirst })
            : client.call(method, { imageId })),
        )
        reload()
      } catch (e) {
        setError((e as Error).message)
      }
    },
    [core, imageId, reload, know],
  )

  // The mask changed elsewhere (an import, another window, an accepted prediction): once our own saves have
  // landed, reload if the stored head is not the one this window knows. News of this window's own save (its
  // head already known from the save's answer) asks nothing: at a stroke's end that question, and the save
  // it would have hurried, fell into the first frames of the next stroke.
  useEffect(() => {
    if (runId !== undefined) return
    let live = true
    const off = client.onEvent((e) => {
      if (e.type !== 'project' || e.change !== 'mask' || (e.imageId !== undefined && e.imageId !== imageId))
        return
      if (e.head !== undefined && e.head === knownHead.current) return
      void core.autosave
        .settle()
        .then(() => client.call('mask.get', { imageId }))
        .then((s) => {
          if (!live || core.autosave.busy || (s.head?.id ?? null) === knownHead.current) return
          know(s)
          reload()
        })
        .catch(() => undefined)
    })
    return () => {
      live = false
      off()
    }
  }, [core, imageId, runId, know, reload])

  return {
    ...core,
    state,
    status,
    version,
    error,
    ensureTiles,
    allLoaded: useCallback((tiles) => tiles.every(([tx, ty]) => core.mask.hasTile(tx, ty)), [core]),
    undo: useCallback((pastFirst?: boolean) => move('mask.undo', pastFirst), [move]),
    redo: useCallback(() => move('mask.redo'), [move]),
    acceptPrediction: useCallback(
      async (run: number, opts: AcceptPredictionOptions) => {
        await core.autosave.settle()
        know(await client.call('viewer.acceptPrediction', { imageId, runId: run, ...opts }))
        reload()
      },
      [core, imageId, reload, know],
    ),
    reload,
  }
}
