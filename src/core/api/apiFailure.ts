import { randomBytes } from 'node:crypto'
import { ApiError, type ApiErrorBody } from '../../shared/api'

/** Longest message a failed call carries back: an error never echoes a megabyte input. */
export const MAX_MESSAGE_CHARS = 1000

/**
 * `input`: the call was refused (bad input, a file that is not an image, no project open): the caller can
 * fix it. `internal`: the app failed (a bug, a full disk): it gets an incident id that the server logs
 * with the stack, so the two can be told apart (HTTP 400 and 500).
 */
export type FailureKind = 'input' | 'internal'

export interface Failure {
  kind: FailureKind
  body: ApiErrorBody
  /** The original error, for the log of an internal failure. */
  cause: unknown
}

/** File-system errors that mean the path the caller gave is wrong, not that the app broke. */
const INPUT_CODES = new Set(['ENOENT', 'ENOTDIR', 'EISDIR', 'ELOOP', 'ENAMETOOLONG', 'EEXIST', 'ENOTEMPTY'])

/** Storage failures said in words a user can act on. */
const STORAGE_MESSAGES: Record<string, string> = {
  ENOSPC: 'The disk holding the project is full: nothing was saved. Free some space and try again.',
  EDQUOT: 'The disk quota is used up: nothing was saved. Free some space and try again.',
  SQLITE_FULL: 'The disk holding the project is full: nothing was saved. Free some space and try again.',
  EROFS: 'The project folder is read-only: nothing was saved.',
  EACCES: 'The project folder cannot be written (permission denied): nothing was saved.',
  EPERM: 'The project folder cannot be written (operation not permitted): nothing was saved.',
  SQLITE_READONLY: 'The project database is read-only: nothing was saved.',
  SQLITE_CANTOPEN: 'The project database cannot be opened for writing.',
  EIO: 'The disk reported an input/output error: nothing was saved.',
}

export function clip(text: string, max = MAX_MESSAGE_CHARS): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters)` : text
}

function codeOf(e: unknown): string | undefined {
  const code = (e as { code?: unknown })?.code
  return typeof code === 'string' ? code : undefined
}

/** Deliberate refusals are thrown as plain Errors (or our own error classes), never as TypeErrors. */
function isDeliberate(e: unknown): boolean {
  if (!(e instanceof Error)) return false
  const ctor = Object.getPrototypeOf(e)?.constructor as { name?: string } | undefined
  return (
    ctor === Error ||
    [
      'ImportError',
      'ImportCancelled',
      'CancelledError',
      'SafetensorsError',
      'WeightsMismatchError',
      'UploadRefused',
    ].includes(ctor?.name ?? '')
  )
}

export function classifyFailure(e: unknown, method: string): Failure {
  if (e instanceof ApiError) {
    const issues = e.issues
      ?.slice(0, 20)
      .map((i) => ({ path: clip(i.path, 200), message: clip(i.message, 300) }))
    return { kind: 'input', body: { message: clip(e.message), ...(issues ? { issues } : {}) }, cause: e }
  }
  const code = codeOf(e)
  const text = e instanceof Error ? e.message : String(e)
  if (code && INPUT_CODES.has(code)) return { kind: 'input', body: { message: clip(text) }, cause: e }
  if (!code && isDeliberate(e)) return { kind: 'input', body: { message: clip(text) }, cause: e }
  const incident = randomBytes(4).toString('hex')
  const key = code && Object.keys(STORAGE_MESSAGES).find((k) => code === k || code.startsWith(`${k}_`))
  const storage = key ? STORAGE_MESSAGES[key] : undefined
  const message = storage
    ? `${storage} (incident ${incident})`
    : `Internal error in ${method} (incident ${incident}): ${clip(text, 300)}`
  return { kind: 'internal', body: { message, incident }, cause: e }
}
