/** The IPC channels between the main process and the GPU training window (both ends read them here). */
export const gpuWindowChannels = {
  /** Window → main, once it listens: main answers with the environment, then the queued job messages. */
  ready: 's4mi:gpu-window-ready',
  /** Main → window: the S4MI_* variables the CPU worker would inherit (data folder, sqlite binding, wasm). */
  environment: 's4mi:gpu-window-environment',
  /** Both ways: the job protocol of workerProtocol.ts, unchanged. */
  job: 's4mi:gpu-window-job',
  /** Window → main: the job is over (main then closes the window), with the exit code. */
  exit: 's4mi:gpu-window-exit',
} as const

/**
 * The window's bundle in out/main: `<entry>.js` (built from gpuTrainingWindow.ts) and `<entry>.html`, the page
 * the window loads, which only starts that script (electron.vite.config.ts writes both).
 */
export const gpuWindowEntry = 'gpuTrainingWindow'
