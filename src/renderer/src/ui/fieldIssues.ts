import { ApiError } from '../../../shared/api'

/** A failed call split into messages per input field (as the API's `issues` name them) and the rest. */
export interface CallProblem {
  message: string
  fields: Record<string, string>
}

export function callProblem(e: unknown): CallProblem {
  if (e instanceof ApiError && e.issues?.length) {
    const fields: Record<string, string> = {}
    for (const issue of e.issues) fields[issue.path] ??= issue.message
    return { message: e.message, fields }
  }
  return { message: e instanceof Error ? e.message : String(e), fields: {} }
}
