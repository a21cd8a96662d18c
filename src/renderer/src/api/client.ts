import type { ApiClient } from '../../../shared/api'
import { createHttpClient } from './httpTransport'
import { createIpcClient } from './ipcTransport'

/** The renderer's one API client: IPC inside Electron, HTTP + WebSocket in a browser (serve mode). */
export const client: ApiClient = window.s4mi ? createIpcClient(window.s4mi) : createHttpClient()
