import { listMethods } from '../methods/catalogue'
import type { HandlerGroup } from './handlerTypes'
import type { Session } from './session'

export function methodHandlers(_session: Session): HandlerGroup<'methods.list'> {
  return { 'methods.list': async ({ task }) => listMethods(task) }
}
