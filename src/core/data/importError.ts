/** One thing wrong with one input file, phrased for the person who has to fix it. */
export interface ImportProblem {
  file: string
  problem: string
}

/** An import refused as a whole; nothing was written. Lists every problem found, not just the first. */
export class ImportError extends Error {
  constructor(readonly problems: ImportProblem[]) {
    const first = problems
      .slice(0, 5)
      .map((p) => `${p.file}: ${p.problem}`)
      .join('; ')
    super(
      problems.length === 0
        ? 'Import failed'
        : `Import refused, ${problems.length} problem${problems.length > 1 ? 's' : ''}: ${first}${problems.length > 5 ? '; …' : ''}`,
    )
    this.name = 'ImportError'
  }
}

/** Thrown when the caller's AbortSignal fires; the project is left as it was. */
export class ImportCancelled extends Error {
  constructor() {
    super('Import cancelled; the project was left as it was')
    this.name = 'ImportCancelled'
  }
}
