import { ApiError, isApiMethod, parseApiInput, type ApiErrorBody, type ApiMethod } from '../../shared/api'
import { appLog } from '../appLog'
import { classifyFailure, clip } from './apiFailure'
import type { Handlers } from './handlerTypes'

/**
 * The single entry every transport uses: names the method, validates the input against its schema,
 * runs the handler. Errors come back as a plain body with a message (and field issues), never a stack;
 * a failure of the app itself (not of the input) carries an incident id and is written to the app log (appLog) with its stack.
 */
export async function dispatch(
  handlers: Handlers,
  method: string,
  input: unknown,
): Promise<{ ok: true; result: unknown } | { ok: false; error: ApiErrorBody }> {
  try {
    if (!isApiMethod(method)) throw new ApiError(`Unknown API method: ${clip(JSON.stringify(method), 100)}`)
    const parsed = parseApiInput(method, input)
    const handler = handlers[method] as (i: unknown) => Promise<unknown>
    return { ok: true, result: await handler(parsed) }
  } catch (e) {
    const failure = classifyFailure(e, isApiMethod(method) ? method : 'an unknown method')
    if (failure.kind === 'internal') {
      const detail = e instanceof Error ? (e.stack ?? e.message) : String(e)
      appLog(`[incident ${failure.body.incident}] ${clip(method, 100)}: ${detail}`)
    }
    return { ok: false, error: failure.body }
  }
}

export type { ApiMethod }
