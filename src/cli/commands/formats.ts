import { Command } from 'commander'
import { openSlideStatus } from '../../core/slide/openSlideLibrary'
import { describeSlideFormats, SLIDE_FORMATS } from '../../core/slide/slideFormats'

export function formatsCommand(): Command {
  return new Command('formats')
    .description('List the whole-slide formats this machine opens, and whether OpenSlide is installed')
    .option('--json', 'machine-readable output')
    .action((o: { json?: boolean }) => {
      if (o.json) {
        const os = openSlideStatus()
        console.log(
          JSON.stringify(
            {
              openslide: os,
              formats: SLIDE_FORMATS.map((f) => ({
                ...f,
                available: f.reader === 'built-in' || os.available,
              })),
            },
            null,
            2,
          ),
        )
        return
      }
      for (const line of describeSlideFormats()) console.log(line)
    })
}
