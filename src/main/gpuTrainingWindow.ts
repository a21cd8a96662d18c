// The script of the sandboxed GPU training window, built for the browser (no Node, no Electron): it trains on
// tfjs's WebGPU or WebGL2 backend what the run's host (a worker process with the project) gives it. Its two
// MessagePorts come from the preload as window messages, which the page's first script keeps for it
// (gpuWindowPage.ts: `s4miPort(name)`).
import { serveGpuWindow } from '../core/train/gpuWindowTrainer'
import type { HostToTrainer, MessageEnd, TrainerToHost } from '../core/train/trainerMessages'
import type { FromWorker, ToWorker } from '../core/train/workerProtocol'
import { gpuWindowPorts } from '../shared/gpuWindowChannels'

/** A page's MessagePort, as much of it as this script uses (it is compiled without DOM types). */
interface PagePort {
  postMessage(m: unknown): void
  onmessage: ((ev: { data: unknown }) => void) | null
  addEventListener(type: 'close', l: () => void): void
}

const page = globalThis as unknown as { s4miPort(name: string): Promise<PagePort> }

function listen<T>(port: PagePort, l: (m: T) => void): void {
  port.onmessage = (ev) => l(ev.data as T)
}

void page.s4miPort(gpuWindowPorts.jobs).then((jobs) => {
  serveGpuWindow(
    { post: (m: FromWorker) => jobs.postMessage(m), onMessage: (l) => listen<ToWorker>(jobs, l) },
    async (): Promise<MessageEnd<HostToTrainer, TrainerToHost>> => {
      const host = await page.s4miPort(gpuWindowPorts.trainer)
      return {
        post: (m) => host.postMessage(m),
        onMessage: (l) => listen<HostToTrainer>(host, l),
        onClose: (l) => host.addEventListener('close', l),
      }
    },
  )
})
