import { trivialAnswer } from '../../../shared/trivialAnswer'

/**
 * A classification run's F1 (macro) beside the best constant answer's on the same test images (always the
 * most common class, or yes to every label): a run that does not beat it has learnt nothing usable, and
 * says so.
 */
export function TrivialAnswerLine({ final }: { final: Record<string, number> }) {
  const trivial = trivialAnswer(final)
  const own = final.testF1Macro
  if (!trivial || !Number.isFinite(own)) return null
  const beats = own > trivial.f1Macro
  return (
    <p
      className={beats ? 'trivial-answer' : 'trivial-answer below'}
      role={beats ? undefined : 'alert'}
      data-testid="trivial-answer"
    >
      {beats ? 'Beats ' : 'Does not beat '}
      {trivial.answer}: F1 (macro) {own.toFixed(3)} against {trivial.f1Macro.toFixed(3)} on the same test
      images.
    </p>
  )
}
