import { listMethods, runSettings } from '../methods/catalogue'
import type { HandlerGroup } from './handlerTypes'
import type { Session } from './session'

export function methodHandlers(_session: Session): HandlerGroup<'methods.list' | 'methods.settings'> {
  return {
    'methods.list': async ({ task }) => listMethods(task),
    'methods.settings': async ({ task, method, preset, overrides }) =>
      runSettings(task, method, preset, overrides),
  }
}
