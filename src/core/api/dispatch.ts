import { ApiError, isApiMethod, parseApiInput, type ApiErrorBody, type ApiMethod } from '../../shared/api'
import type { Handlers } from './handlerTypes'

/**
 * The single entry every transport uses: names the method, validates the input against its schema,
 * runs the handler. Errors come back as a plain body with a message (and field issues), never a stack.
 */
export async function dispatch(
  handlers: Handlers,
  method: string,
  input: unknown,
): Promise<{ ok: true; result: unknown } | { ok: false; error: ApiErrorBody }> {
  try {
    if (!isApiMethod(method)) throw new ApiError(`Unknown API method: ${JSON.stringify(method)}`)
    const parsed = parseApiInput(method, input)
    const handler = handlers[method] as (i: unknown) => Promise<unknown>
    return { ok: true, result: await handler(parsed) }
  } catch (e) {
    if (e instanceof ApiError) return { ok: false, error: { message: e.message, issues: e.issues } }
    return { ok: false, error: { message: e instanceof Error ? e.message : String(e) } }
  }
}

export type { ApiMethod }
