import { RotatingLog } from './rotatingLog'

/**
 * The log a process of the app writes for the user to send with a bug report: the desktop app's `main.log`,
 * serve mode's `serve.log`, both in the logs folder (appFolders) that "Reveal logs" opens. Until a door opens
 * its file, lines go to standard error only, as in tests and the CLI. An incident id shown to the user
 * (dispatch) is written here with its stack, so the id in a message can be found in the file.
 */

let file: RotatingLog | null = null
let echo = true

/**
 * Sends this process's log lines to `name`.log in `logsDir`, rotated by size. `echo` keeps writing them to
 * standard error too (serve mode, whose operator watches a terminal).
 */
export function openAppLog(logsDir: string, name: string, options: { echo: boolean }): RotatingLog {
  file = new RotatingLog(logsDir, { name })
  echo = options.echo
  return file
}

/** Back to standard error only (tests). */
export function closeAppLog(): void {
  file = null
  echo = true
}

export function appLog(message: string): void {
  if (echo || !file) process.stderr.write(`${message}\n`)
  file?.write(message)
}
