import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { referencedBlobs, sweepUnreferencedBlobs } from './blobGarbage'
import { insertImage, insertTile } from './images'
import { commitMaskRevision } from './masks'
import { putPrediction, putPredictionProbabilities } from './predictions'
import { putPretrainedBackbone } from './pretrainedBackbones'
import { closeProject, createProject, openProject, type Project } from './project'
import { createRun, updateRun } from './runs'
import { saveSlideInfo } from './slideInfo'

const root = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-sweep-'))
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))
let n = 0
const blob = (p: Project, tag: string) => p.blobs.put(Buffer.from(`${tag} ${n++}`))
const HOUR = 3_600_000

/** Every blob file as if written `ms` ago: the grace period has passed for all of them. */
function age(p: Project, ms: number): void {
  const t = new Date(Date.now() - ms)
  for (const h of p.blobs.list()) fs.utimesSync(p.blobs.pathOf(h), t, t)
}

/** A tiled mask as data/tiledMask.ts stores it: a JSON manifest naming one PNG blob per tile. */
function manifest(p: Project, tiles: string[]): string {
  const named = Object.fromEntries(tiles.map((t, i) => [`${i},0`, t]))
  return p.blobs.put(
    Buffer.from(
      JSON.stringify({
        format: 's4mi-tiled-mask',
        version: 1,
        width: 20_000,
        height: 512,
        tileSize: 512,
        tiles: named,
      }),
    ),
  )
}

/** One project holding a blob of every kind the store references, and what each one is. */
function everyKind(dir: string): { project: Project; kinds: Record<string, string> } {
  const project = createProject(dir, { name: 'kinds', labelMode: 'multi-class', classes: [] })
  const k: Record<string, string> = {}
  k.image = blob(project, 'image')
  const imageId = insertImage(project, {
    blob: k.image,
    name: 'a.png',
    width: 20_000,
    height: 512,
    channels: 3,
    format: 'png',
  })
  k.tile = blob(project, 'tile')
  k.tileMask = blob(project, 'tile mask')
  insertTile(project, {
    imageId,
    tileSize: 512,
    x: 0,
    y: 0,
    width: 512,
    height: 512,
    blob: k.tile,
    maskBlob: k.tileMask,
  })
  k.maskTileA = blob(project, 'mask tile a')
  k.maskTileB = blob(project, 'mask tile b')
  k.maskManifest = manifest(project, [k.maskTileA, k.maskTileB])
  commitMaskRevision(project, imageId, k.maskManifest, 'import')
  k.wholeMask = blob(project, 'whole mask')
  commitMaskRevision(project, imageId, k.wholeMask, 'edit')
  const runId = createRun(project, {
    task: 'segmentation',
    method: 'supervised',
    labelFraction: 1,
    seed: 1,
    // A hash inside a run's configuration (imported weights) counts as a reference too.
    config: { weights: (k.configWeights = blob(project, 'weights named in a config')) },
    datasetVersion: 'v',
  })
  k.checkpoint = blob(project, 'checkpoint')
  updateRun(project, runId, { checkpointBlob: k.checkpoint })
  k.predictionTile = blob(project, 'prediction tile')
  k.predictionManifest = manifest(project, [k.predictionTile])
  putPrediction(project, runId, imageId, k.predictionManifest)
  k.probabilityTile = blob(project, 'probability tile')
  k.probabilityManifest = manifest(project, [k.probabilityTile])
  putPredictionProbabilities(project, runId, imageId, new Map([[0, k.probabilityManifest]]))
  k.uncertaintyMap = blob(project, 'uncertainty map')
  project.db
    .prepare(
      `INSERT INTO prediction_uncertainty (run_id, image_id, strategy, score, map_blob, map_width, map_height)
       VALUES (?, ?, 'entropy', 0.5, ?, 16, 16)`,
    )
    .run(runId, imageId, k.uncertaintyMap)
  k.backbone = blob(project, 'backbone')
  putPretrainedBackbone(
    project,
    {
      method: 'dino',
      backbone: 'vit_tiny',
      preset: 'quick',
      seed: 1,
      datasetVersion: 'v',
      settingsHash: 's',
    },
    { settings: {}, status: 'complete', epoch: 1, blob: k.backbone },
  )
  k.tissue = blob(project, 'tissue mask')
  saveSlideInfo(project, imageId, {
    formatName: 'TIFF',
    mppX: null,
    mppY: null,
    magnification: null,
    scanner: null,
    tileDownsample: 1,
    tissue: { maskBlob: k.tissue, downsample: 32, threshold: 200, tilesKept: 1, tilesSkipped: 0 },
  })
  // A table a later migration might add: any `…_blob` column is seen without a change to the sweep.
  project.db.exec('CREATE TABLE thumbnails (image_id INTEGER, thumb_blob TEXT)')
  k.futureColumn = blob(project, 'thumbnail')
  project.db.prepare('INSERT INTO thumbnails VALUES (?, ?)').run(imageId, k.futureColumn)
  return { project, kinds: k }
}

describe('the blob sweep on open', () => {
  it('keeps a blob of every kind a row names (tiles of tiled masks too) and removes only orphans', () => {
    const dir = path.join(root, 'kinds')
    const { project, kinds } = everyKind(dir)
    const refs = referencedBlobs(project)
    for (const [kind, hash] of Object.entries(kinds)) expect(refs.has(hash), kind).toBe(true)
    const orphans = [blob(project, 'orphan 1'), blob(project, 'orphan 2')]
    age(project, 2 * HOUR)
    closeProject(project)
    const reopened = openProject(dir)
    for (const [kind, hash] of Object.entries(kinds)) expect(reopened.blobs.has(hash), kind).toBe(true)
    for (const h of orphans) expect(reopened.blobs.has(h)).toBe(false)
    expect(reopened.blobs.list().sort()).toEqual([...new Set(Object.values(kinds))].sort())
    closeProject(reopened)
  })

  it('while another opener is alive, leaves orphans younger than the grace period and temp files alone', () => {
    const dir = path.join(root, 'grace')
    const first = createProject(dir, { name: 'g', labelMode: 'multi-class', classes: [] })
    const old = blob(first, 'old orphan')
    age(first, 2 * HOUR)
    const young = blob(first, 'in-flight write')
    const temp = first.blobs.tempPath('in-flight')
    fs.writeFileSync(temp, 'half')
    // A second open (a training worker, the CLI) while the first is still open and writing.
    const second = openProject(dir)
    expect(second.blobs.has(old)).toBe(false)
    expect(second.blobs.has(young)).toBe(true)
    expect(fs.existsSync(temp)).toBe(true)
    closeProject(second)
    closeProject(first)
    // Nobody else has it open now: every orphan and leftover temp file goes.
    closeProject(openProject(dir))
    const last = openProject(dir)
    expect(last.blobs.has(young)).toBe(false)
    expect(fs.existsSync(temp)).toBe(false)
    closeProject(last)
  })

  it('a writer storing the same bytes again keeps the blob it is about to name', () => {
    const dir = path.join(root, 'touch')
    const project = createProject(dir, { name: 't', labelMode: 'multi-class', classes: [] })
    const bytes = Buffer.from('stroke')
    const h = project.blobs.put(bytes)
    age(project, 2 * HOUR)
    // put() of bytes already stored touches the file: the sweep's age test then keeps it.
    expect(project.blobs.put(bytes)).toBe(h)
    expect(sweepUnreferencedBlobs(project, { graceMs: HOUR }).removed).toBe(0)
    expect(project.blobs.has(h)).toBe(true)
    expect(sweepUnreferencedBlobs(project, { graceMs: HOUR, now: Date.now() + 2 * HOUR }).removed).toBe(1)
    closeProject(project)
  })

  it('removes the orphans a kill mid-import leaves, on the next open', async () => {
    const dir = path.join(root, 'killed')
    closeProject(createProject(dir, { name: 'k', labelMode: 'multi-class', classes: [] }))
    // A process that opens the project and writes blobs the way an import does before its rows commit,
    // then is killed with SIGKILL (no cleanup, no close).
    const script = `
      const { openProject } = require(${JSON.stringify(path.join(__dirname, 'project.ts'))})
      const p = openProject(${JSON.stringify(dir)})
      for (let i = 0; i < 40; i++) p.blobs.put(Buffer.from('tile ' + i))
      process.stdout.write('written\\n')
      setInterval(() => p.blobs.put(Buffer.from('tile ' + Math.random())), 5)
    `
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('written') && resolve())
      child.on('exit', (code) => reject(new Error(`writer exited with ${code} before writing`)))
    })
    child.kill('SIGKILL')
    await new Promise((r) => child.once('exit', r))
    const orphans = fs
      .readdirSync(path.join(dir, 'blobs'))
      .filter((d) => /^[0-9a-f]{2}$/.test(d))
      .flatMap((d) => fs.readdirSync(path.join(dir, 'blobs', d)))
    expect(orphans.length).toBeGreaterThanOrEqual(40)
    const reopened = openProject(dir)
    expect(reopened.blobs.list()).toEqual([])
    expect(reopened.db.pragma('integrity_check', { simple: true })).toBe('ok')
    closeProject(reopened)
  })
})
