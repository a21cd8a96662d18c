import type { HandlerGroup } from './handlerTypes'
import { DIALOGS } from './nativeDialog'
import type { Session } from './session'

export function dialogHandlers(session: Session): HandlerGroup<'dialog.pick'> {
  return {
    'dialog.pick': async ({ purpose }) => {
      const dialog = session.options.nativeDialog
      if (!dialog) return { available: false }
      const spec = DIALOGS[purpose]
      const paths =
        spec.kind === 'open'
          ? await dialog.open({
              title: spec.title,
              buttonLabel: spec.buttonLabel,
              properties: spec.properties,
            })
          : [await dialog.save({ title: spec.title, buttonLabel: spec.buttonLabel })].filter(
              (p): p is string => p !== null,
            )
      if (spec.allowsProjects) for (const p of paths) session.roots.add(p)
      return { available: true, paths }
    },
  }
}
