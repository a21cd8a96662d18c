import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import type { PreloadBridge } from './bridge'

// The only door from the sandboxed renderer to the app: one invoke channel and one event stream.
const bridge: PreloadBridge = {
  invoke: (method, input) => ipcRenderer.invoke('s4mi:invoke', method, input),
  onEvent: (listener) => {
    const wrapped = (_e: IpcRendererEvent, event: unknown) => listener(event)
    ipcRenderer.on('s4mi:event', wrapped)
    return () => {
      ipcRenderer.off('s4mi:event', wrapped)
    }
  },
}

contextBridge.exposeInMainWorld('s4mi', bridge)
