import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/**
 * The CLI as a user runs it: `s4mi` in a fresh process, from the folder holding the projects, naming them
 * by relative paths. The in-process command tests share this test process's tfjs backend and absolute
 * temp paths, so they could not see a command that never chose a backend (saliency and model import
 * failed on their first op) or a project path taken relative (every blob read as missing). Each command
 * here takes a second or two; npm test builds the bundle bin/s4mi.cjs runs.
 */
const BIN = path.resolve(__dirname, '../../bin/s4mi.cjs')
let cwd: string

function s4mi(...args: string[]): string {
  return execFileSync(process.execPath, [BIN, ...args], {
    cwd,
    env: { ...process.env, S4MI_HOME: path.join(cwd, 'home') },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  })
}

beforeAll(() => {
  cwd = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-cli-process-'))
  s4mi('demo', '--out', 'skin', '--count', '16')
  s4mi('demo', '--out', 'other', '--count', '12', '--seed', '7')
}, 120_000)

afterAll(() => fs.rmSync(cwd, { recursive: true, force: true }))

describe('s4mi in its own process, on projects named relative to the working folder', () => {
  it('draws a saliency map of a classification run', () => {
    s4mi(
      'train',
      'skin',
      '--task',
      'classification',
      '--method',
      'supervised',
      '--fraction',
      '100',
      '--set',
      'epochs=1',
    )
    const out = s4mi('saliency', 'skin', '--run', '1', '--image', '1', '--out', 'map.png')
    expect(out).toMatch(/^Saliency of '.+' \(p = 0\.\d{3}\) for image 1, run 1 → map\.png/)
    expect(fs.readFileSync(path.join(cwd, 'map.png')).subarray(1, 4).toString()).toBe('PNG')
    // Every demo image carries its labels: nothing is left to rank, said in a classifier's terms.
    expect(s4mi('next', 'skin', '--run', '1')).toBe(
      'No unlabelled images left to rank: every training image has image labels\n',
    )
  }, 120_000)

  it('exports a segmentation run and imports it into another project, which predicts every image', () => {
    s4mi('train', 'skin', '--method', 'supervised', '--fraction', '30', '--set', 'epochs=1')
    const runs = s4mi('results', 'skin').trim().split('\n').slice(1)
    const run = runs.find((r) => r.includes(',segmentation,'))!.split(',')[0]
    const weights = s4mi('model', 'export', 'skin', run, '--out', 'model').trim()
    expect(fs.existsSync(path.join(cwd, weights))).toBe(true)
    const imported = s4mi('model', 'import', 'other', weights)
    expect(imported).toMatch(
      /^Imported Supervised U-Net as run 1; it has predicted every image of the project/,
    )
  }, 120_000)
})
