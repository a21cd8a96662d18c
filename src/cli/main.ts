import { Command, CommanderError } from 'commander'
import { appVersion } from '../core/appVersion'
import { quietTfjsNodeBanner } from '../core/engine/backend/quietTfjs'
import { demoCommand } from './commands/demo'
import { experimentCommand } from './commands/experiment'
import { exportCommand } from './commands/export'
import { formatsCommand } from './commands/formats'
import { importCommand } from './commands/import'
import { infoCommand } from './commands/info'
import { modelCommand } from './commands/model'
import { nextCommand } from './commands/next'
import { predictCommand } from './commands/predict'
import { projectCommand } from './commands/project'
import { resultsCommand } from './commands/results'
import { saliencyCommand } from './commands/saliency'
import { trainCommand } from './commands/train'
import { weightsCommand } from './commands/weights'

/** The `s4mi` program; each command lives in its own file under commands/. */
export function buildProgram(): Command {
  const program = new Command('s4mi')
    .description('S4MI Studio on the command line: projects, import, training, benchmarks')
    .version(appVersion())
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
  program.addCommand(projectCommand())
  program.addCommand(infoCommand())
  program.addCommand(importCommand())
  program.addCommand(demoCommand())
  program.addCommand(exportCommand())
  program.addCommand(trainCommand())
  program.addCommand(experimentCommand())
  program.addCommand(resultsCommand())
  program.addCommand(modelCommand())
  program.addCommand(saliencyCommand())
  program.addCommand(predictCommand())
  program.addCommand(nextCommand())
  program.addCommand(weightsCommand())
  program.addCommand(formatsCommand())
  return program
}

/** Runs the CLI; bad input ends in a one-line error naming the problem and a non-zero exit code. */
export async function runCli(argv: string[]): Promise<number> {
  quietTfjsNodeBanner()
  const program = buildProgram()
  const quiet = (cmd: Command) => {
    cmd.configureOutput({ writeErr: (s) => process.stderr.write(s.startsWith('error:') ? '' : s) })
    cmd.exitOverride()
    cmd.commands.forEach(quiet)
  }
  quiet(program)
  try {
    await program.parseAsync(argv)
    return 0
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.exitCode === 0) return 0
      process.stderr.write(`s4mi: ${e.message.replace(/^error: /, '')}\n`)
      return e.exitCode || 2
    }
    process.stderr.write(`s4mi: ${e instanceof Error ? e.message : String(e)}\n`)
    return 1
  }
}
