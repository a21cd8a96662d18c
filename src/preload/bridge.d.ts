/** What the preload exposes as `window.s4mi`. */
export interface PreloadBridge {
  invoke(
    method: string,
    input: unknown,
  ): Promise<
    | { ok: true; result: unknown }
    | { ok: false; error: { message: string; issues?: { path: string; message: string }[] } }
  >
  onEvent(listener: (event: unknown) => void): () => void
}

declare global {
  interface Window {
    s4mi?: PreloadBridge
  }
}
