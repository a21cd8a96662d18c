import fs from 'node:fs'
import path from 'node:path'
import { Command, InvalidArgumentError } from 'commander'
import { createHandlers } from '../core/api/handlers'
import { Session } from '../core/api/session'
import { logSessionEvents } from '../core/api/sessionLog'
import { appFolders } from '../core/appFolders'
import { appLog, openAppLog } from '../core/appLog'
import { appVersion } from '../core/appVersion'
import { isLoopback } from './requestGuard'
import { startServer } from './server'
import { ServeAccess } from './serveAccess'

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
      'allow binding a non-loopback interface given by --host (a lab server: needs a password)',
    )
    .option(
      '--password-file <file>',
      'shared password people sign in with (first line of the file; or set S4MI_SERVE_PASSWORD)',
    )
    .option(
      '--allow-host <name>',
      'a Host name requests may carry besides the bound address (the public name of a TLS proxy in front)',
      (v: string, prev: string[]) => [...prev, v],
      [] as string[],
    )
    .option('--project <dir>', 'open this project at start')
    .option('--data-dir <dir>', 'app data folder (recent projects, weights)', appFolders().data)
    .option(
      '--projects-dir <dir>',
      'where new projects (e.g. the demo) are created by default',
      appFolders().projects,
    )
    .option(
      '--projects-root <dir>',
      'a folder the API may create, open and export projects in (repeatable; besides --projects-dir and the data folder)',
      (v: string, prev: string[]) => [...prev, v],
      [] as string[],
    )
    .showHelpAfterError()
  program.parse(argv)
  const o = program.opts<{
    port: number
    host: string
    allowNetwork?: boolean
    passwordFile?: string
    allowHost: string[]
    project?: string
    dataDir: string
    projectsDir: string
    projectsRoot: string[]
  }>()
  if (!isLoopback(o.host) && !o.allowNetwork) {
    throw new Error(`Refusing to bind ${o.host}: pass --allow-network to serve other machines`)
  }
  const password = o.passwordFile
    ? (fs.readFileSync(o.passwordFile, 'utf8').split(/\r?\n/)[0] ?? '')
    : (process.env.S4MI_SERVE_PASSWORD ?? null)
  if (o.allowNetwork && !isLoopback(o.host) && password === null) {
    throw new Error(
      `Refusing to serve ${o.host} without a password: set one with --password-file FILE or S4MI_SERVE_PASSWORD`,
    )
  }
  const access = new ServeAccess({ password })
  process.env.S4MI_HOME = o.dataDir
  // serve.log in the data folder's logs (appFolders follows S4MI_HOME): what the desktop app's main.log
  // holds, echoed to this terminal too.
  openAppLog(appFolders().logs, 'serve', { echo: true })
  appLog(
    `S4MI Studio ${appVersion()} serving: Node ${process.versions.node}, ${process.platform}-${process.arch}`,
  )
  const session = new Session({
    dataDir: o.dataDir,
    version: appVersion(),
    transport: 'http',
    defaultProjectsDir: o.projectsDir,
    // Besides these, the API refuses project and export folders (see ProjectRoots).
    projectRoots: [...o.projectsRoot, ...(o.project ? [path.resolve(o.project)] : [])],
  })
  const handlers = createHandlers(session)
  logSessionEvents(session)
  // After the handlers exist: opening a project resumes runs a crash left behind.
  if (o.project) session.open(o.project)
  const server = await startServer({
    session,
    handlers,
    staticDir: path.join(__dirname, '..', 'renderer'),
    host: o.host,
    port: o.port,
    access,
    allowHosts: o.allowHost,
  })
  if (!isLoopback(o.host))
    console.warn(
      `Warning: serving on ${o.host} over plain HTTP: put it behind a TLS proxy (see the README) before people sign in`,
    )
  // The page keeps the key from this address and sends it with every call; without it the API refuses.
  console.log(`S4MI Studio is serving at ${server.pageUrl}`)
  if (access.needsPassword) console.log('People sign in with the shared password.')
  // The backend chosen reaches the log and this terminal through its session event (logSessionEvents).
  void session.detectBackend()
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
