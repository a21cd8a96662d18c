// Prints a suite's figures as the very last line of `npm run test:security|fuzz|crash` (S4MI_FIGURES names
// the suite). Security counts its checks (tests); fuzz and crash read what their tests recorded through
// recordFigures.
import type { Reporter, TestModule } from 'vitest/node'
import { clearFigures, readFigures } from './figures'

export default class FiguresReporter implements Reporter {
  onInit(): void {
    clearFigures(process.env.S4MI_FIGURES ?? 'tests')
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const suite = process.env.S4MI_FIGURES ?? 'tests'
    let run = 0
    let passed = 0
    for (const m of testModules)
      for (const t of m.children.allTests()) {
        const state = t.result().state
        if (state === 'skipped' || state === 'pending') continue
        run++
        if (state === 'passed') passed++
      }
    const recorded = readFigures(suite)
    const figures = Object.entries(recorded)
      .map(([name, value]) => `${name} ${value}`)
      .join(', ')
    // After vitest's own summary, so it is the last line printed.
    setImmediate(() =>
      console.log(`${suite}: ${passed} checks passed of ${run} run${figures ? `; ${figures}` : ''}`),
    )
  }
}
