import { chooseLabelledSetState, labelledSetState, previewLabelledSet } from '../data/labelledSetSummary'
import type { HandlerGroup } from './handlerTypes'
import type { Session } from './session'

export function labelFractionHandlers(
  session: Session,
): HandlerGroup<'labelFraction.state' | 'labelFraction.preview' | 'labelFraction.choose'> {
  return {
    'labelFraction.state': async ({ task }) => labelledSetState(session.requireProject(), task),
    'labelFraction.preview': async ({ task, choice, seed }) =>
      previewLabelledSet(session.requireProject(), task, choice, seed),
    'labelFraction.choose': async ({ task, choice, seed }) => {
      const state = chooseLabelledSetState(session.requireProject(), task, choice, seed)
      // The grid's "in training set" badges follow the active set.
      session.emit({ type: 'project', change: 'labels' })
      return state
    },
  }
}
