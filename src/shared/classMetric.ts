/**
 * How a per-class segmentation score is named in a run's metrics: the score, a colon, the mask class's name
 * (`testIou:tumour` is the test IoU of tumour). Core writes these names; the results pane and the CLI read
 * them back, so the format lives here once.
 */
const SEPARATOR = ':'

export function classMetricName(metric: string, className: string): string {
  return `${metric}${SEPARATOR}${className}`
}

/** `testIou:tumour` → { metric: 'testIou', className: 'tumour' }; null for a metric of no class. */
export function parseClassMetric(name: string): { metric: string; className: string } | null {
  const at = name.indexOf(SEPARATOR)
  if (at <= 0 || at === name.length - 1) return null
  return { metric: name.slice(0, at), className: name.slice(at + 1) }
}

/** The per-class IoU and Dice stored under `prefix` (test, val, swinTest), in the order they were stored. */
export function classScores<T>(
  metrics: Record<string, T>,
  prefix: string,
): { className: string; iou?: T; dice?: T }[] {
  const byClass = new Map<string, { className: string; iou?: T; dice?: T }>()
  for (const [name, value] of Object.entries(metrics)) {
    const parsed = parseClassMetric(name)
    if (!parsed) continue
    const score = parsed.metric === `${prefix}Iou` ? 'iou' : parsed.metric === `${prefix}Dice` ? 'dice' : null
    if (!score) continue
    const entry = byClass.get(parsed.className) ?? { className: parsed.className }
    entry[score] = value
    byClass.set(parsed.className, entry)
  }
  return [...byClass.values()]
}
