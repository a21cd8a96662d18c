import { runCli } from './main'

void runCli(process.argv).then((code) => {
  process.exitCode = code
})
