import type { Command } from 'commander'
import { describe, expect, it } from 'vitest'
import { buildProgram } from './main'

function everyCommand(c: Command): Command[] {
  return [c, ...c.commands.flatMap(everyCommand)]
}

describe('s4mi --help', () => {
  it('describes every default as a user would type it, never as a parsed value ([1], {}, [])', () => {
    const helps = everyCommand(buildProgram()).map((c) => c.helpInformation())
    expect(helps.length).toBeGreaterThan(15)
    for (const help of helps) expect(help).not.toMatch(/default: (\[|\{)/)
    const experiment = buildProgram()
      .commands.find((c) => c.name() === 'experiment')!
      .helpInformation()
    // 100 %, as the option is given in percent (the parsed default is the fraction 1).
    expect(experiment.replace(/\s+/g, ' ')).toContain('e.g. 10,30,50,70,100 (default: 100)')
  })
})
