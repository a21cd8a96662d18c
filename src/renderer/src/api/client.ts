import type { ApiClient } from '../../../shared/api'
import { EventHold } from './eventHold'
import { createHttpClient } from './httpTransport'
import { createIpcClient } from './ipcTransport'

const transport: ApiClient = window.s4mi ? createIpcClient(window.s4mi) : createHttpClient()
const news = new EventHold()

/** The renderer's one API client: IPC inside Electron, HTTP + WebSocket in a browser (serve mode). */
export const client: ApiClient = {
  transport: transport.transport,
  call: (method, input) => transport.call(method, input),
  beacon: transport.beacon && ((method, input) => transport.beacon!(method, input)),
  onEvent: (listener) => transport.onEvent(news.wrap(listener)),
  blobUrl: (hash) => transport.blobUrl(hash),
}

/** Holds the API's events back while a stroke is drawn (see EventHold); call the result when it ends. */
export const holdEvents = (): (() => void) => news.hold()
