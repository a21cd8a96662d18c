import { ipcRenderer } from 'electron'
import { gpuWindowChannels } from '../shared/gpuWindowChannels'

/** The page's window, as this sandboxed preload reaches it (the preload is compiled without DOM types). */
const page = globalThis as unknown as { postMessage(m: unknown, origin: string, transfer: unknown[]): void }

// The sandboxed GPU training window's only door: the app hands it two MessagePorts (its jobs, and its run's
// host), and this passes each on to the page as it arrives. The page gets nothing else: no IPC, no Node.
ipcRenderer.on(gpuWindowChannels.port, (event, name: string) => {
  page.postMessage({ s4miPort: name }, '*', event.ports)
})
