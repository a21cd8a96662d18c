import type { ApiClient } from '../../../shared/api'
import { ApiError } from '../../../shared/api'
import type { ApiEvent } from '../../../shared/events'
import type { PreloadBridge } from '../../../preload/bridge'

/** Electron: calls go through the preload's single invoke channel; blobs load from the s4mi-blob protocol. */
export function createIpcClient(bridge: PreloadBridge): ApiClient {
  return {
    transport: 'ipc',
    async call(method, input) {
      const body = await bridge.invoke(method, input ?? {})
      if (!body.ok) throw new ApiError(body.error.message, body.error.issues)
      return body.result as never
    },
    onEvent: (listener) => bridge.onEvent((e) => listener(e as ApiEvent)),
    blobUrl: (hash) => `s4mi-blob://${hash}`,
  }
}
