/**
 * How the main process reaches the sandboxed GPU training window: one IPC channel on which it sends the window
 * its MessagePorts, each named; the preload (src/preload/gpuWindow.ts) passes them to the page.
 */
export const gpuWindowChannels = {
  /** Main → window: a MessagePort, named by `gpuWindowPorts`. */
  port: 's4mi:gpu-window-port',
} as const

export const gpuWindowPorts = {
  /** The job protocol of workerProtocol.ts with the app: probe or run in, the backend it chose out. */
  jobs: 'jobs',
  /** The run's host (trainerMessages.ts), once the app has started it. */
  trainer: 'trainer',
} as const

/**
 * The window's files in out/main: `<entry>.html`, its page with the script inline (built for the browser from
 * gpuTrainingWindow.ts by electron.vite.config.ts), and the preload in out/preload.
 */
export const gpuWindowEntry = 'gpuTrainingWindow'
