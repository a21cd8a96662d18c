import path from 'node:path'
import { Command, InvalidArgumentError } from 'commander'
import { createHandlers } from '../core/api/handlers'
import { Session } from '../core/api/session'
import { appFolders } from '../core/appFolders'
import { appVersion } from '../core/appVersion'
import { startServer } from './server'

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1'])

function portNumber(v: string): number {
  const n = Number(v)
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError(`port must be 0-65535, got ${v}`)
  return n
}

/** `npm run serve`: the built renderer and the API on 127.0.0.1, for a browser (and the E2E tests). */
async function main(argv: string[]): Promise<void> {
  const program = new Command('s4mi-serve')
    .description('Serve S4MI Studio to a browser: the app and its API on this machine')
    .option('--port <n>', 'port to listen on (0 picks a free one)', portNumber, 5177)
    .option('--host <host>', 'interface to bind', '127.0.0.1')
    .option(
      '--allow-network',
      'allow binding a non-loopback interface (other machines can then reach the API)',
    )
    .option('--project <dir>', 'open this project at start')
    .option('--data-dir <dir>', 'app data folder (recent projects, weights)', appFolders().data)
    .option(
      '--projects-dir <dir>',
      'where new projects (e.g. the demo) are created by default',
      appFolders().projects,
    )
    .showHelpAfterError()
  program.parse(argv)
  const o = program.opts<{
    port: number
    host: string
    allowNetwork?: boolean
    project?: string
    dataDir: string
    projectsDir: string
  }>()
  if (!LOOPBACK.has(o.host) && !o.allowNetwork) {
    throw new Error(`Refusing to bind ${o.host}: pass --allow-network to serve other machines`)
  }
  process.env.S4MI_HOME = o.dataDir
  const session = new Session({
    dataDir: o.dataDir,
    version: appVersion(),
    transport: 'http',
    defaultProjectsDir: o.projectsDir,
  })
  const handlers = createHandlers(session)
  // After the handlers exist: opening a project resumes runs a crash left behind.
  if (o.project) session.open(o.project)
  const server = await startServer({
    session,
    handlers,
    staticDir: path.join(__dirname, '..', 'renderer'),
    host: o.host,
    port: o.port,
  })
  if (!LOOPBACK.has(o.host))
    console.warn(`Warning: serving on ${o.host}: anyone on the network can use this API`)
  console.log(`S4MI Studio is serving at ${server.url}`)
  void session
    .detectBackend()
    .then((b) =>
      console.log(`Training backend: ${b.name} on ${b.device}${b.warning ? ` — ${b.warning}` : ''}`),
    )
  const stop = async () => {
    await server.close()
    session.close()
    process.exit(0)
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main(process.argv).catch((e: unknown) => {
  console.error(`s4mi serve: ${e instanceof Error ? e.message : String(e)}`)
  process.exit(1)
})
