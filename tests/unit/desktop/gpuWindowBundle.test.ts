// The GPU training window's built script (out/main/gpuTrainingWindow.js, what the window's page requires),
// loaded in a Node child process with a stand-in for Electron's ipcRenderer: every module it requires
// resolves from the bundle's folder, it asks for its job, and with no GPU here it hands the job back and ends.
import { fork } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import vm from 'node:vm'
import { afterAll, describe, expect, it } from 'vitest'
import { gpuWindowChannels, gpuWindowEntry } from '../../../src/main/gpuWindowChannels'

const ROOT = path.resolve(__dirname, '..', '..', '..')
const script = path.join(ROOT, 'out', 'main', `${gpuWindowEntry}.js`)
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-gpu-bundle-'))
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

/** `require('electron')` in the child: an ipcRenderer whose send/on cross the child's IPC channel. */
const electronStub = `
const Module = require('node:module')
const resolve = Module._resolveFilename
Module._resolveFilename = function (request, ...rest) {
  return request === 'electron' ? __filename : resolve.call(this, request, ...rest)
}
const listeners = new Map()
process.on('message', ([channel, payload]) => (listeners.get(channel) ?? []).forEach((l) => l({}, payload)))
module.exports = {
  ipcRenderer: {
    on: (channel, l) => listeners.set(channel, [...(listeners.get(channel) ?? []), l]),
    send: (channel, ...args) => process.send([channel, ...args]),
  },
}
`

describe('the GPU training window bundle', () => {
  it('is built beside its page, loads, asks for its job, and hands it back without a GPU', async () => {
    expect(fs.existsSync(script), `${script} (run npm run build)`).toBe(true)
    const page = fs.readFileSync(path.join(ROOT, 'out', 'main', `${gpuWindowEntry}.html`), 'utf8')
    expect(page).toContain(`require('./${gpuWindowEntry}.js')`)
    const stub = path.join(tmp, 'electronStub.cjs')
    fs.writeFileSync(stub, electronStub)
    const child = fork(script, [], {
      execArgv: ['--require', stub],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    const heard: unknown[][] = []
    const ended = new Promise<void>((resolve) =>
      child.on('message', (m: unknown[]) => {
        heard.push(m)
        if (m[0] === gpuWindowChannels.ready) {
          child.send([gpuWindowChannels.environment, { S4MI_HOME: tmp }])
          child.send([gpuWindowChannels.job, { type: 'probe', threads: 1 }])
        }
        if (m[0] === gpuWindowChannels.exit) resolve()
      }),
    )
    await ended
    child.kill()
    expect(heard[0]).toEqual([gpuWindowChannels.ready])
    const [channel, answer] = heard[1] as [string, { type: string; webgpu: string; webgl: string }]
    expect(channel).toBe(gpuWindowChannels.job)
    expect(answer.type).toBe('gpuUnavailable')
    // Node: WebGPU and WebGL2 exist only in Chromium, and the reasons say so.
    expect(answer.webgpu).toMatch(/only inside the desktop app/)
    expect(answer.webgl).toMatch(/only inside the desktop app/)
    expect(heard[2]).toEqual([gpuWindowChannels.exit, 0])
  }, 60_000)
})

describe('the GPU training window page', () => {
  it('hands the job back, with the error, when its script will not load', () => {
    const page = fs.readFileSync(path.join(ROOT, 'out', 'main', `${gpuWindowEntry}.html`), 'utf8')
    const inline = /<script>([\s\S]*)<\/script>/.exec(page)![1]
    const sent: unknown[][] = []
    const require = (name: string) => {
      if (name === 'electron') return { ipcRenderer: { send: (...args: unknown[]) => sent.push(args) } }
      throw new Error(`Cannot find module '${name}'`)
    }
    vm.runInNewContext(inline, { require, String })
    const reason = `the GPU window could not load its script: Cannot find module './${gpuWindowEntry}.js'`
    expect(sent).toEqual([
      [gpuWindowChannels.job, { type: 'gpuUnavailable', webgpu: reason, webgl: reason }],
      [gpuWindowChannels.exit, 1],
    ])
  })
})
