import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertImage } from '../store/images'
import { createProject } from '../store/project'
import { setImageLabels } from '../store/labels'
import type { Session } from './session'
import { viewerHandlers } from './viewerHandlers'
import { annotationHandlers } from './annotationHandlers'
import { putMask } from '../data/maskRaster'
import { putPredictionProbabilities } from '../store/predictions'
import type { ApiEvent } from '../../shared/events'
import { testSession } from './fixtures/testSession'

const W = 1100
const H = 700
let dir: string
let session: Session
let h: ReturnType<typeof viewerHandlers>
let a: ReturnType<typeof annotationHandlers>
let imageId: number
let raw: Buffer

const b64 = (values: number[]) => Buffer.from(values).toString('base64')
const unb64 = (s: string | null) => (s === null ? null : [...Buffer.from(s, 'base64')])

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-viewer-'))
  const p = createProject(path.join(dir, 'p'), {
    name: 'viewer',
    labelMode: 'multi-class',
    classes: [
      { name: 'tumour', color: '#ff0000' },
      { name: 'stroma', color: '#00ff00' },
    ],
    maskClasses: [{ name: 'tumour' }, { name: 'stroma' }],
  })
  // A horizontal grey ramp: every pyramid level must show the same ramp at half the width.
  raw = Buffer.alloc(W * H * 3)
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++)
      raw.fill(Math.round((x / (W - 1)) * 255), (y * W + x) * 3, (y * W + x) * 3 + 3)
  const png = await sharp(raw, { raw: { width: W, height: H, channels: 3 } })
    .png()
    .toBuffer()
  imageId = insertImage(p, {
    blob: p.blobs.put(png),
    name: 'ramp.png',
    width: W,
    height: H,
    channels: 3,
    format: 'png',
  })
  for (let i = 0; i < 9; i++) {
    const small = await sharp({
      create: { width: 8, height: 8, channels: 3, background: { r: i, g: 0, b: 0 } },
    })
      .png()
      .toBuffer()
    const id = insertImage(p, {
      blob: p.blobs.put(small),
      name: `s${i}.png`,
      width: 8,
      height: 8,
      channels: 3,
      format: 'png',
    })
    setImageLabels(p, id, [i % 2 === 0 ? 1 : 2])
  }
  session = testSession(dir, p)
  h = viewerHandlers(session)
  a = annotationHandlers(session)
})

afterAll(() => {
  session.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('viewer pyramid', () => {
  it('has halving levels down to one tile, and tiles that show the image at that level', async () => {
    const pyr = await h['viewer.pyramid']({ imageId })
    expect(pyr.levels.map((l) => [l.width, l.height, l.cols, l.rows])).toEqual([
      [1100, 700, 3, 2],
      [550, 350, 2, 1],
      [275, 175, 1, 1],
    ])
    const { blobs } = await h['viewer.tiles']({ imageId, level: 1, tiles: [[1, 0]] })
    const tile = await sharp(session.requireProject().blobs.get(blobs[0]))
      .raw()
      .toBuffer({ resolveWithObject: true })
    // Level-1 tile (1, 0) covers level-1 x 512..549, i.e. source x 1024..1099: the bright end of the ramp.
    expect([tile.info.width, tile.info.height]).toEqual([38, 350])
    const mid = tile.data[(175 * 38 + 19) * tile.info.channels]
    expect(Math.abs(mid - ((1024 + 38) / 1099) * 255)).toBeLessThan(6)
    // Cut once, then served from the blob store.
    expect((await h['viewer.tiles']({ imageId, level: 1, tiles: [[1, 0]] })).blobs).toEqual(blobs)
    await expect(h['viewer.tiles']({ imageId, level: 1, tiles: [[2, 0]] })).rejects.toThrow(/outside level 1/)
  })
})

describe('mask patches', () => {
  it('applies patches, amends a stroke into one undo step, undoes and redoes, and reads tiles back', async () => {
    expect((await h['viewer.maskTiles']({ imageId, tileSize: 512, tiles: [[0, 0]] })).tiles).toEqual([null])
    const news: ApiEvent[] = []
    const stop = session.onEvent((e) => news.push(e))
    const s1 = await h['viewer.maskPatch']({
      imageId,
      patches: [{ x: 510, y: 1, width: 3, height: 1, data: b64([1, 2, 1]) }],
      amend: null,
    })
    expect(s1.undo).toBe(1)
    // The rest of the same stroke, saved a second later: replaces revision 1 by one holding both.
    const s2 = await h['viewer.maskPatch']({
      imageId,
      patches: [{ x: 0, y: 0, width: 2, height: 1, data: b64([2, 2]) }],
      amend: s1.head!.id,
    })
    expect(s2.undo).toBe(1)
    stop()
    // Each save's news names the head it made, which is the head its answer holds: the saving window asks
    // nothing more.
    expect(news).toEqual([
      { type: 'project', change: 'mask', imageId, head: s1.head!.id },
      { type: 'project', change: 'mask', imageId, head: s2.head!.id },
    ])
    const t = await h['viewer.maskTiles']({
      imageId,
      tileSize: 512,
      tiles: [
        [0, 0],
        [1, 0],
        [2, 1],
      ],
    })
    const t00 = unb64(t.tiles[0])!
    expect(t00.length).toBe(512 * 512)
    expect([t00[0], t00[1], t00[2], t00[512 + 510], t00[512 + 511]]).toEqual([2, 2, 0, 1, 2])
    expect(unb64(t.tiles[1])!.slice(512, 513)).toEqual([1])
    expect(unb64(t.tiles[1])!.length).toBe(512 * 512)
    expect(t.tiles[2]).toBeNull()
    const s3 = await h['viewer.maskPatch']({
      imageId,
      patches: [{ x: 0, y: 0, width: 1, height: 1, data: b64([0]) }],
      amend: null,
    })
    expect(s3.undo).toBe(2)
    const u = await a['mask.undo']({ imageId })
    expect(u.head!.id).toBe(s2.head!.id)
    expect(u.redo).toBe(1)
    expect(
      unb64((await h['viewer.maskTiles']({ imageId, tileSize: 512, tiles: [[0, 0]] })).tiles[0])![0],
    ).toBe(2)
    const r = await a['mask.redo']({ imageId })
    expect(r.head!.id).toBe(s3.head!.id)
    expect(
      unb64((await h['viewer.maskTiles']({ imageId, tileSize: 512, tiles: [[0, 0]] })).tiles[0])![0],
    ).toBe(0)
  })

  it('keeps at least 100 undo steps', async () => {
    const start = (await a['mask.get']({ imageId })).undo
    for (let i = 0; i < 100; i++)
      await h['viewer.maskPatch']({
        imageId,
        patches: [{ x: i, y: 5, width: 1, height: 1, data: b64([1]) }],
        amend: null,
      })
    let state = await a['mask.get']({ imageId })
    expect(state.undo).toBe(start + 100)
    for (let i = 0; i < 100; i++) state = await a['mask.undo']({ imageId })
    expect(state.undo).toBe(start)
    expect(
      unb64((await h['viewer.maskTiles']({ imageId, tileSize: 512, tiles: [[0, 0]] })).tiles[0])![5 * 512],
    ).toBe(0)
  })

  it('refuses patches outside the image or with unknown classes, naming the patch', async () => {
    await expect(
      h['viewer.maskPatch']({
        imageId,
        patches: [{ x: 1099, y: 0, width: 2, height: 1, data: b64([1, 1]) }],
        amend: null,
      }),
    ).rejects.toThrow(/patch 0 .* reaches outside the 1100×700 image/)
    await expect(
      h['viewer.maskPatch']({
        imageId,
        patches: [{ x: 0, y: 0, width: 1, height: 1, data: b64([3]) }],
        amend: null,
      }),
    ).rejects.toThrow(/class index 3; the largest mask class is 2/)
  })
})

describe('predictions', () => {
  it("lists a run's predicted mask, reads it as tiles, and accepts it as a new revision (one undo away)", async () => {
    const p = session.requireProject()
    const runId = Number(
      p.db
        .prepare(
          `INSERT INTO runs (task, method, seed, config_json, dataset_version, status) VALUES ('segmentation', 'cross-teaching', 0, '{}', 'v', 'succeeded')`,
        )
        .run().lastInsertRowid,
    )
    const predicted = new Uint8Array(W * H)
    predicted.fill(2, 600, 610)
    const blob = await putMask(p, { width: W, height: H, data: predicted })
    p.db
      .prepare('INSERT INTO predictions (run_id, image_id, blob) VALUES (?, ?, ?)')
      .run(runId, imageId, blob)
    expect((await h['viewer.predictions']({ imageId })).map((r) => [r.runId, r.method, r.blob])).toEqual([
      [runId, 'cross-teaching', blob],
    ])
    const t = await h['viewer.maskTiles']({ imageId, tileSize: 512, tiles: [[1, 0]], runId })
    expect(unb64(t.tiles[0])!.slice(600 - 512, 610 - 512 + 1)).toEqual([...Array(10).fill(2), 0])
    const before = await a['mask.get']({ imageId })
    const accepted = await h['viewer.acceptPrediction']({ imageId, runId })
    expect(accepted.head).toMatchObject({ blob, kind: 'prediction', runId })
    expect(accepted.undo).toBe(before.undo + 1)
    await expect(h['viewer.acceptPrediction']({ imageId, runId: runId + 99 })).rejects.toThrow(
      /has no prediction/,
    )
  })
  it('draws the difference as accepting in the chosen mode would make it', async () => {
    const p = session.requireProject()
    const runId = Number(
      p.db
        .prepare(
          `INSERT INTO runs (task, method, seed, config_json, dataset_version, status) VALUES ('segmentation', 'supervised', 0, '{}', 'v', 'succeeded')`,
        )
        .run().lastInsertRowid,
    )
    // Predicted stroma (2) on x 700–709 of row 7; the annotator painted tumour (1) on x 700–704 (a place
    // the tests above leave unpainted).
    const predicted = new Uint8Array(W * H)
    predicted.fill(2, 7 * W + 700, 7 * W + 710)
    p.db
      .prepare('INSERT INTO predictions (run_id, image_id, blob) VALUES (?, ?, ?)')
      .run(runId, imageId, await putMask(p, { width: W, height: H, data: predicted }))
    await h['viewer.maskPatch']({
      imageId,
      patches: [{ x: 700, y: 7, width: 5, height: 1, data: b64([1, 1, 1, 1, 1]) }],
      amend: null,
    })
    const row = async (mode?: 'replace' | 'fillUnpainted' | 'confident') => {
      const t = await h['viewer.maskTiles']({
        imageId,
        tileSize: 512,
        tiles: [[1, 0]],
        differenceRunId: runId,
        ...(mode && { differenceMode: mode }),
      })
      return unb64(t.tiles[0])!.slice(7 * 512 + 700 - 512, 7 * 512 + 711 - 512)
    }
    // 3: class changed, 1: added. Replacing changes the painted five; filling keeps them.
    expect(await row()).toEqual([3, 3, 3, 3, 3, 1, 1, 1, 1, 1, 0])
    expect(await row('replace')).toEqual(await row())
    expect(await row('fillUnpainted')).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0])
    await expect(row('confident')).rejects.toThrow(/kept no probabilities/)
  })
  it("reads a run's probability map as tiles, and says when the run kept none", async () => {
    const p = session.requireProject()
    const runId = Number(
      p.db
        .prepare(
          `INSERT INTO runs (task, method, seed, config_json, dataset_version, status) VALUES ('segmentation', 'supervised', 0, '{}', 'v', 'succeeded')`,
        )
        .run().lastInsertRowid,
    )
    const predicted = new Uint8Array(W * H)
    p.db
      .prepare('INSERT INTO predictions (run_id, image_id, blob) VALUES (?, ?, ?)')
      .run(runId, imageId, await putMask(p, { width: W, height: H, data: predicted }))
    await expect(
      h['viewer.probabilityTiles']({ imageId, runId, classValue: 0, tileSize: 512, tiles: [[0, 0]] }),
    ).rejects.toThrow(/kept no probabilities for image/)
    const sure = new Uint8Array(W * H)
    sure.fill(200, 600, 604)
    putPredictionProbabilities(
      p,
      runId,
      imageId,
      new Map([[0, await putMask(p, { width: W, height: H, data: sure })]]),
    )
    expect(
      (await h['viewer.predictions']({ imageId })).find((r) => r.runId === runId)!.probabilities,
    ).toEqual([0])
    const t = await h['viewer.probabilityTiles']({
      imageId,
      runId,
      classValue: 0,
      tileSize: 512,
      tiles: [
        [0, 0],
        [1, 0],
      ],
    })
    expect(t.tiles[0]).toBeNull()
    expect(unb64(t.tiles[1])!.slice(600 - 512 - 1, 604 - 512 + 1)).toEqual([0, 200, 200, 200, 200, 0])
  })
})
