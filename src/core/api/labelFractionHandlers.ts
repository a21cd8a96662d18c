import { chooseLabelledSetState, labelledSetState, previewLabelledSet } from '../data/labelledSetSummary'
import type { HandlerGroup } from './handlerTypes'
import type { Session } from './session'

export function labelFractionHandlers(
  session: Session,
): HandlerGroup<'labelFraction.state' | 'labelFraction.preview' | 'labelFraction.choose'> {
  return {
    'labelFraction.state': async ({ task }) => labelledSetState(session.requireProject(), task),
    'labelFraction.preview': async ({ task, choice, seed, labelSource }) =>
      previewLabelledSet(session.requireProject(), task, choice, seed, labelSource),
    'labelFraction.choose': async ({ task, choice, seed, labelSource }) => {
      const state = chooseLabelledSetState(session.requireProject(), task, choice, seed, labelSource)
      // The grid's "in training set" badges follow the active set.
      session.emit({ type: 'project', change: 'labels' })
      return state
    },
  }
}
