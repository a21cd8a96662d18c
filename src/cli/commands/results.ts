import { Command, Option } from 'commander'
import { resultsReport } from '../../core/api/resultsReport'
import { formatResults, type ResultsFormat } from '../../core/export/resultsExport'
import { atomicWriteFile } from '../../core/store/atomicWrite'
import { closeProject, openProject } from '../../core/store/project'

/** `s4mi results`: a project's runs and its method × label-fraction table as CSV, Markdown, LaTeX or JSON. */
export function resultsCommand(): Command {
  return new Command('results')
    .description(
      'Print the results: every run as CSV (one row per run), the table as Markdown or LaTeX (booktabs, mean ± 95 % CI), or all as JSON',
    )
    .argument('<project>', 'project folder')
    .addOption(
      new Option('--format <format>', 'output format').choices(['csv', 'md', 'latex', 'json']).default('csv'),
    )
    .addOption(
      new Option('--task <task>', 'which results')
        .choices(['segmentation', 'classification'])
        .default('segmentation'),
    )
    .option(
      '--metric <name>',
      'the table’s metric (md, latex), e.g. testIou, testDice, testF1Macro; default the headline',
    )
    .option('--include-hidden', 'let hidden runs into the table too')
    .option('--experiment <id>', 'only the runs of this experiment (see s4mi experiment)')
    .option('--out <file>', 'write to this file instead of printing')
    .action(
      (
        dir: string,
        o: {
          format: ResultsFormat
          task: 'segmentation' | 'classification'
          metric?: string
          includeHidden?: boolean
          experiment?: string
          out?: string
        },
      ) => {
        const project = openProject(dir)
        try {
          const experimentId = o.experiment === undefined ? undefined : Number(o.experiment)
          if (experimentId !== undefined && !(Number.isInteger(experimentId) && experimentId > 0))
            throw new Error(`experiment: an experiment id is a positive integer, got "${o.experiment}"`)
          const report = resultsReport(project, {
            task: o.task,
            includeHidden: o.includeHidden,
            experimentId,
          })
          const text = formatResults(report, o.format, o.metric)
          if (o.out) {
            atomicWriteFile(o.out, text)
            console.error(`Wrote ${report.runs.length} ${o.task} runs as ${o.format} to ${o.out}`)
          } else process.stdout.write(text)
        } finally {
          closeProject(project)
        }
      },
    )
}
