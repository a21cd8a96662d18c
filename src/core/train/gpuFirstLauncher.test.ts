import { describe, expect, it } from 'vitest'
import { gpuFirstLauncher } from './gpuFirstLauncher'
import type { WorkerChannel } from './workerLauncher'
import type { FromWorker, ToWorker } from './workerProtocol'

/** A worker that records what it is sent and lets the test speak and exit for it. */
function fakeWorker(name: string, log: string[]) {
  const messageListeners: ((m: FromWorker) => void)[] = []
  const exitListeners: ((c: number | null) => void)[] = []
  const received: ToWorker[] = []
  const channel: WorkerChannel = {
    send: (m) => void received.push(m),
    onMessage: (l) => void messageListeners.push(l),
    onExit: (l) => void exitListeners.push(l),
    kill: () => void log.push(`${name} killed`),
  }
  return {
    channel,
    received,
    say: (m: FromWorker) => messageListeners.forEach((l) => l(m)),
    exit: (code: number | null) => exitListeners.forEach((l) => l(code)),
  }
}

const backend: FromWorker = {
  type: 'backend',
  name: 'webgpu',
  device: 'GPU (WebGPU: nvidia ampere)',
  warning: null,
  accelerated: true,
  slowFallback: false,
  threads: 1,
  skipped: ['node-gpu: cannot be checked inside the desktop app'],
}
const run: ToWorker = {
  type: 'run',
  projectDir: '/p',
  runId: 7,
  threads: 3,
  gpu: { webgpu: 'hardware', webgl: 'hardware', hardware: true },
}

function setup(hardware = true) {
  const log: string[] = []
  const windows: ReturnType<typeof fakeWorker>[] = []
  const cpus: ReturnType<typeof fakeWorker>[] = []
  const launch = gpuFirstLauncher(
    () => {
      windows.push(fakeWorker('window', log))
      return windows.at(-1)!.channel
    },
    () => {
      cpus.push(fakeWorker('cpu', log))
      return cpus.at(-1)!.channel
    },
    () => hardware,
  )
  const worker = launch()
  const heard: FromWorker[] = []
  const exits: (number | null)[] = []
  worker.onMessage((m) => heard.push(m))
  worker.onExit((c) => exits.push(c))
  return { worker, windows, cpus, heard, exits, log }
}

describe('gpuFirstLauncher', () => {
  it('without a hardware adapter, starts the CPU worker and no window', () => {
    const { windows, cpus } = setup(false)
    expect(windows).toHaveLength(0)
    expect(cpus).toHaveLength(1)
  })

  it('with one, the window trains: its messages, cancel and exit pass through unchanged', () => {
    const { worker, windows, cpus, heard, exits } = setup()
    worker.send(run)
    windows[0].say(backend)
    windows[0].say({ type: 'progress', progress: { epoch: 1 } })
    worker.send({ type: 'cancel' })
    windows[0].say({ type: 'cancelled' })
    windows[0].exit(0)
    expect(windows[0].received).toEqual([run, { type: 'cancel' }])
    expect(heard.map((m) => m.type)).toEqual(['backend', 'progress', 'cancelled'])
    expect(exits).toEqual([0])
    expect(cpus).toHaveLength(0)
  })

  it("hands the job to the CPU worker with the window's reasons when the window cannot train", () => {
    const { worker, windows, cpus, heard, exits, log } = setup()
    worker.send(run)
    worker.send({ type: 'cancel' })
    windows[0].say({ type: 'gpuUnavailable', webgpu: 'only a software adapter', webgl: 'no WebGL2 context' })
    // The window's own exit after saying so is not the worker's exit.
    windows[0].exit(0)
    expect(log).toEqual(['window killed'])
    expect(cpus).toHaveLength(1)
    const [handed, cancel] = cpus[0].received
    expect(handed).toMatchObject({ type: 'run', projectDir: '/p', runId: 7, threads: 3 })
    expect(handed.type === 'run' && handed.gpu).toEqual({
      webgpu: 'the GPU training window could not use it: only a software adapter',
      webgl: 'the GPU training window could not use it: no WebGL2 context',
      hardware: false,
    })
    expect(cancel).toEqual({ type: 'cancel' })
    // The caller never heard of the window's failure; it hears the CPU worker.
    cpus[0].say({ ...backend, name: 'wasm' })
    cpus[0].exit(0)
    expect(heard.map((m) => m.type)).toEqual(['backend'])
    expect(exits).toEqual([0])
    // Messages sent later go to the CPU worker.
    worker.send({ type: 'cancel' })
    expect(cpus[0].received).toHaveLength(3)
    expect(windows[0].received).toHaveLength(2)
  })

  it('hands the job over when the window closes before choosing a backend, but not after', () => {
    const early = setup()
    early.worker.send({ type: 'probe', threads: 1 })
    early.windows[0].exit(null)
    expect(early.cpus).toHaveLength(1)
    const probe = early.cpus[0].received[0]
    expect(probe.type === 'probe' && probe.gpu?.webgpu).toMatch(/window closed \(exit null\) before/)
    expect(early.exits).toEqual([])

    const late = setup()
    late.worker.send(run)
    late.windows[0].say(backend)
    late.windows[0].exit(null)
    expect(late.cpus).toHaveLength(0)
    expect(late.exits).toEqual([null])
  })

  it('a killed job is not handed over', () => {
    const { worker, windows, cpus, exits } = setup()
    worker.send(run)
    worker.kill()
    windows[0].say({ type: 'gpuUnavailable', webgpu: 'x', webgl: 'y' })
    windows[0].exit(null)
    expect(cpus).toHaveLength(0)
    expect(exits).toEqual([null])
  })
})
